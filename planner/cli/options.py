"""Options shared by several commands, and opening the workspace every command works on."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import click

from planner.core.clock import YEARS
from planner.core.i18n import resolve_lang, t

if TYPE_CHECKING:
    from planner.workspace.session import Workspace

LANG_KEY = "planner315.lang"
PROGRESS_MIN_ROWS = 5_000  # a shorter workbook is written before a bar would be read


class DataChoice(click.Choice):
    """A choice whose values come from the data files, read only when the option is used
    (or its help shown), so that the vocabularies are defined once, in the data."""

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._load())


def _sizes() -> Iterable[str]:
    from planner.campaign.phases import load_campaign

    return load_campaign().tiers


def _phases() -> Iterable[str]:
    from planner.campaign.phases import load_campaign

    return load_campaign().phases


SIZE_CHOICE = DataChoice(_sizes)
PHASE_CHOICE = DataChoice(_phases)


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
size_option = click.option("--size", "-s", type=SIZE_CHOICE, default=None,
                           help="Shop size tier / 店铺规模.")
year_option = click.option("--year", "-y", type=click.IntRange(*YEARS), default=None,
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


@contextlib.contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for long exports, only when stderr is a terminal."""
    import sys

    if total < PROGRESS_MIN_ROWS or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def open_workspace(*, workspace: str | None = None, shop_path: str | None = None,
                   lang: str | None = None, need_workspace: bool = False,
                   need_size: bool = False, **settings: Any) -> Workspace:
    """The workspace of this command; its language is recorded at once for error messages.

    `settings` are size, year, today and by. With `need_size`, a shop without a size is a
    usage error (exit code 2), as for a missing option.
    """
    from planner.core.errors import UsageProblem
    from planner.core.i18n import render_error
    from planner.workspace.session import Workspace

    ctx = click.get_current_context()
    ctx.meta[LANG_KEY] = resolve_lang(lang)  # for errors in the shop file itself
    opened = Workspace.open(workspace=workspace, shop_path=shop_path, lang=lang,
                            need_workspace=need_workspace, **settings)
    ctx.meta[LANG_KEY] = opened.lang
    if need_size:
        try:
            opened.size  # noqa: B018 - settled now, with their errors, size first
            opened.year  # noqa: B018
        except UsageProblem as err:
            raise click.UsageError(render_error(err, opened.lang), ctx=ctx) from None
    return opened
