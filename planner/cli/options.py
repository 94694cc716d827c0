"""Options shared by several commands, and the context every command resolves first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from planner.core.i18n import resolve_lang, t

# The fixed vocabularies of the options; the data files use the same ids.
SIZES = ("small", "medium", "large")
PHASES = ("prepare", "battle", "aftermath")
LANG_KEY = "planner315.lang"


def current_lang() -> str:
    """The language chosen for this invocation so far (for messages raised early): once
    the shop file is read, what the command settled on; before that --lang (parsed first,
    being eager), else the environment."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if LANG_KEY in ctx.meta:
            return ctx.meta[LANG_KEY]
        if ctx.params.get("lang") in ("zh", "en"):
            return ctx.params["lang"]
        ctx = ctx.parent
    try:
        return resolve_lang(None)
    except Exception:  # a bad PLANNER315_LANG is reported by the command itself
        return "en"


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(t("error.bad-date", current_lang(), value=value), param, ctx)


class DateTimeParam(click.ParamType):
    """``YYYY-MM-DD HH:MM`` (Asia/Shanghai) or ISO 8601 with an offset; Shanghai time out.

    With `allow_date`, a date alone means midnight.
    """

    name = "DATETIME"

    def __init__(self, allow_date: bool = False) -> None:
        self.allow_date = allow_date

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.datetime:
        from planner.core.clock import parse_datetime, to_shanghai
        from planner.core.errors import PlannerError
        from planner.core.i18n import render_error

        if isinstance(value, dt.datetime):
            return to_shanghai(value)
        try:
            return parse_datetime(value, allow_date=self.allow_date)
        except PlannerError as err:
            self.fail(render_error(err, current_lang()), param, ctx)


def color_option_value() -> bool | None:
    """For click.echo(color=...): never colour when NO_COLOR is set, else let click decide
    (colour on a terminal only)."""
    import os

    return False if os.environ.get("NO_COLOR") else None


def check_choice(value: str | None, allowed: Any, option: str, lang: str) -> None:
    """A usage error (exit 2) listing the choices, for values whose choices come from data."""
    if value is not None and value not in allowed:
        raise click.BadParameter(
            t("error.unknown-choice", lang, value=value, allowed=", ".join(allowed)),
            param_hint=option)


def format_option(choices: tuple[str, ...] = ("table", "json", "markdown")) -> Any:
    return click.option("--format", "-f", "fmt", type=click.Choice(choices), default="table",
                        show_default=True, help="Output format / 输出格式.")


by_option = click.option("--by", "-b", default=None,
                         help="Who did it (default: $PLANNER315_USER, else your user name) / "
                              "操作人.")
note_option = click.option("--note", "-m", default=None, help="A note for the history / 备注.")
lang_option = click.option("--lang", "-l", type=click.Choice(["zh", "en"]), default=None,
                           is_eager=True,  # so that errors in other options follow it
                           help="Language (default: $PLANNER315_LANG, shop file, locale) / 语言.")
size_option = click.option("--size", "-s", type=click.Choice(SIZES), default=None,
                           help="Shop size tier / 店铺规模.")
year_option = click.option("--year", "-y", type=click.IntRange(2000, 2100), default=None,
                           help="Campaign year, 2000-2100 (default: the next unfinished one) "
                                "/ 活动年份.")
shop_option = click.option("--shop", "shop_path", type=click.Path(dir_okay=False),
                           default=None,
                           help="Shop file (default: the workspace's shop.yaml) / 店铺文件.")
workspace_option = click.option("--workspace", "-w", type=click.Path(file_okay=False),
                                default=None,
                                help="Workspace folder (default: $PLANNER315_WORKSPACE, then "
                                     "the nearest folder upwards with shop.yaml) / 工作区.")
today_option = click.option("--today", type=DateParam(), default=None,
                            help="Pretend today is DATE (YYYY-MM-DD) / 指定今天的日期.")


@dataclass
class Setup:
    """What every plan-like command needs: the shop, its language, size, year and today."""

    shop: Any
    workspace: Path | None
    lang: str
    size: str
    year: int
    today: dt.date


def resolve_shop(*, shop_path: str | None = None, workspace: str | None = None,
                 lang: str | None = None, need_workspace: bool = False
                 ) -> tuple[Path | None, Any, str]:
    """The workspace folder (None with an explicit shop file, or outside any), the loaded
    shop (or None) and the language; the language is recorded for error messages at once.

    With `need_workspace`, a missing workspace is an error that says how to make one.
    """
    from planner.workspace.layout import find_workspace
    from planner.workspace.shop import SHOP_FILE, load_shop

    ctx = click.get_current_context()
    ctx.meta[LANG_KEY] = resolve_lang(lang)
    folder = None
    if shop_path is None:
        folder = find_workspace(workspace)
        shop_path = str(folder / SHOP_FILE) if folder else None
    if need_workspace and folder is None:
        from planner.core.errors import PlannerError

        raise PlannerError("error.no-workspace")
    shop = load_shop(shop_path) if shop_path else None
    ctx.meta[LANG_KEY] = resolve_lang(lang, shop.lang if shop else None)
    return folder, shop, ctx.meta[LANG_KEY]


def resolve_setup(*, shop_path: str | None, workspace: str | None, lang: str | None,
                  size: str | None, year: int | None, today: dt.date | None,
                  need_workspace: bool = False) -> Setup:
    """The shop (explicit file or workspace), then its language, size and year."""
    from planner.campaign.phases import today_in_shanghai
    from planner.campaign.plan import resolve_size, resolve_year

    folder, shop, chosen_lang = resolve_shop(shop_path=shop_path, workspace=workspace,
                                             lang=lang, need_workspace=need_workspace)
    chosen_size = resolve_size(size, shop)
    if chosen_size is None:
        raise click.UsageError(t("error.no-size", chosen_lang), ctx=click.get_current_context())
    today = today or today_in_shanghai()
    chosen_year = resolve_year(year, chosen_size, shop, today)
    return Setup(shop, folder, chosen_lang, chosen_size, chosen_year, today)
