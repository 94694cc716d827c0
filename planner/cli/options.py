"""Options shared by several commands, and opening the workspace every command works on."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import click

from planner.core.clock import YEARS
from planner.core.i18n import resolve_lang, t

if TYPE_CHECKING:
    from planner.workspace.session import Workspace

LANG_KEY = "planner315.lang"
MAIN_LANG_KEY = "planner315.main-lang"  # `planner315 --lang zh COMMAND`
PROGRESS_MIN_ROWS = 5_000  # a shorter workbook is written before a bar would be read


def short_help(command: click.Command, lang: str, limit: int = 45) -> str:
    """A command's one-line summary in `lang`: the first sentence of its docstring's Chinese
    paragraph (more Chinese than Latin letters: not an English one quoting a Chinese word)
    in Chinese, never cut inside brackets; Click's short help otherwise."""
    if lang == "zh" and command.help:
        import re

        for paragraph in command.help.split("\n\n"):
            chinese = len(re.findall(r"[\u4e00-\u9fff]", paragraph))
            if chinese > len(re.findall(r"[A-Za-z]", paragraph)) and not (
                    paragraph.lstrip().startswith("\b")):
                from planner.cli.translate import joined

                sentence = re.split(r"(?<=[。；])", joined(paragraph.splitlines()))[0]
                if sentence.count("（") > sentence.count("）"):  # cut inside brackets
                    sentence = sentence[:sentence.rfind("（")]
                return sentence.rstrip("。；")
    return command.get_short_help_str(limit)


class BilingualGroup(click.Group):
    """A command group whose command list of --help is in the user's language."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from planner.cli.translate import active_lang, gettext

        rows = []
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names), default=0)
        for name in names:
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, short_help(command, active_lang(), limit)))
        if rows:
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)


Names = Mapping[str, Mapping[str, str]]  # id -> {zh: ..., en: ...}


def fold(text: Any) -> str:
    """A typed value for comparing: width-folded (NFKC), without spaces, case-folded."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def name_index(names: Names, aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every accepted way of writing a choice -> its id: the id, an old id (alias), its name
    in either language, and each part of a name written ``A/B``."""
    index: dict[str, str] = {}
    for ident in names:
        index[fold(ident)] = ident
    for ident, spelled in names.items():
        for text in spelled.values():
            index.setdefault(fold(text), ident)
            for part in str(text).split("/"):
                index.setdefault(fold(part), ident)
    for old, ident in (aliases or {}).items():
        if ident in names:
            index.setdefault(fold(old), ident)
    return index


def choices_text(names: Names, lang: str = "en") -> str:
    """The choices for an error: ``id (中文名 / English name)``, the names a user may type
    (in Chinese: ``id（中文名 / English name）``, listed with 、)."""
    left, right, between = ("（", "）", "、") if lang == "zh" else (" (", ")", ", ")
    return between.join(f"{ident}{left}{spelled.get('zh', '')} / {spelled.get('en', '')}{right}"
                        for ident, spelled in names.items())


def resolve_choice(value: str | None, names: Names, option: str, lang: str,
                   aliases: Mapping[str, str] | None = None) -> str | None:
    """The id that `value` means (an id, an old id, a Chinese or English name), else a usage
    error (exit 2) listing every choice with both its names."""
    if value is None:
        return None
    ident = name_index(names, aliases).get(fold(value))
    if ident is None:
        raise click.BadParameter(t("error.unknown-choice", lang, value=value,
                                   allowed=choices_text(names, lang)), param_hint=option)
    return ident


class NamedChoice(click.ParamType):
    """A choice of ids that also takes their names in Chinese or English (and old ids), the
    names read from the data only when the option is used, completed or its help shown."""

    name = "choice"

    def __init__(self, load: Callable[[], Names], aliases: Mapping[str, str] | None = None,
                 metavar: str | None = None) -> None:
        self._load = load
        self.aliases = aliases or {}
        self.metavar = metavar

    @property
    def names(self) -> Names:
        return self._load()

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.names)

    def get_metavar(self, param: Any, ctx: Any = None) -> str:
        return self.metavar or f"[{'|'.join(self.choices)}]"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        ident = name_index(self.names, self.aliases).get(fold(value))
        if ident is None:
            lang = current_lang()
            self.fail(t("error.unknown-choice", lang, value=value,
                        allowed=choices_text(self.names, lang)), param, ctx)
        return ident

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[Any]:
        return complete_names(self.names, incomplete, current_lang())


def complete_names(names: Names, incomplete: str, lang: str) -> list[Any]:
    """Completions: the ids that start with what was typed (each with its name in `lang` as
    help), else the names (in either language) that do."""
    from click.shell_completion import CompletionItem

    ids = [CompletionItem(ident, help=spelled.get(lang)) for ident, spelled in names.items()
           if ident.startswith(incomplete)]
    if ids or not incomplete:
        return ids
    return [CompletionItem(text, help=ident) for ident, spelled in names.items()
            for text in dict.fromkeys(spelled.values()) if text.startswith(incomplete)]


def _sizes() -> Names:
    from planner.campaign.phases import load_campaign

    campaign = load_campaign()
    return {tier: campaign.tier_names[tier] for tier in campaign.tiers}


def _phases() -> Names:
    from planner.campaign.phases import load_campaign

    return load_campaign().phase_names


def owner_names() -> Names:
    from planner.campaign.phases import load_campaign

    return load_campaign().owners


def category_names() -> Names:
    from planner.campaign.phases import load_campaign

    return load_campaign().categories


def message_names(prefix: str, ids: Iterable[str]) -> Names:
    """Names kept in the messages as ``<prefix>.<id>``."""
    return {ident: {lang: t(f"{prefix}.{ident}", lang) for lang in ("zh", "en")}
            for ident in ids}


def role_aliases() -> dict[str, str]:
    from planner.core.roles import ROLE_ALIASES

    return ROLE_ALIASES


def complaint_status_names() -> Names:
    from planner.complaints.register import STATUSES

    return message_names("register.status", STATUSES)


def level_names() -> Names:
    """The levels' names in the shipped policy (the ids are fixed)."""
    from planner.complaints.policy import load_policy

    return load_policy().level_names


SIZE_CHOICE = NamedChoice(_sizes)
COMPLAINT_STATUS_CHOICE = NamedChoice(complaint_status_names)
LEVEL_CHOICE = NamedChoice(level_names)
PHASE_CHOICE = NamedChoice(_phases)
OWNER_CHOICE = NamedChoice(owner_names, role_aliases(), metavar="ROLE")
CATEGORY_CHOICE = NamedChoice(category_names, metavar="ID")


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
    from planner.cli.translate import active_lang

    return active_lang()


def settle_lang(lang: str) -> None:
    """The language this command settled on: for its own errors and for Click's words."""
    from planner.cli.translate import set_lang

    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[LANG_KEY] = lang
    set_lang(lang)


def _group_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """`planner315 --lang zh COMMAND`: the language of every command below it."""
    if value is not None:
        from planner.cli.translate import set_lang

        set_lang(value)
        ctx.meta[MAIN_LANG_KEY] = value
    return value


def _inherit_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A command's --lang, else the one given before the command (`planner315 --lang zh`)."""
    if value is None:
        value = ctx.meta.get(MAIN_LANG_KEY)
    if value is not None:
        from planner.cli.translate import set_lang

        set_lang(value)
    return value


class DateParam(click.ParamType):
    """A calendar date written YYYY-MM-DD, in the supported years."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        from planner.core.clock import parse_date
        from planner.core.errors import PlannerError
        from planner.core.i18n import render_error

        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except PlannerError as err:
            self.fail(render_error(err, current_lang()), param, ctx)


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
    """A usage error (exit 2) listing the choices, for values whose choices come from data
    and have no names."""
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
                           callback=_inherit_lang,
                           help="Language (default: $PLANNER315_LANG, shop file, locale) / 语言.")
group_lang_option = click.option(
    "--lang", "-l", type=click.Choice(["zh", "en"]), default=None, is_eager=True,
    expose_value=False, callback=_group_lang,
    help="Language of the commands below (default: $PLANNER315_LANG, shop file, locale) / 语言.")
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
    settle_lang(resolve_lang(lang, current_lang()))  # for errors in the shop file itself
    opened = Workspace.open(workspace=workspace, shop_path=shop_path, lang=lang,
                            need_workspace=need_workspace, **settings)
    settle_lang(opened.lang)
    if need_size:
        try:
            opened.size  # noqa: B018 - settled now, with their errors, size first
            opened.year  # noqa: B018
        except UsageProblem as err:
            raise click.UsageError(render_error(err, opened.lang), ctx=ctx) from None
    return opened


# --- shell completion -----------------------------------------------------------------------
# Click's completion calls these while the user presses Tab: any mistake (no workspace, a
# broken shop file) completes nothing rather than printing an error into the prompt.

COMPLETION_LIMIT = 200


def _completion_workspace(ctx: click.Context) -> Workspace:
    from planner.workspace.session import Workspace

    params: dict[str, Any] = {}
    while ctx is not None:
        params = {**ctx.params, **params}
        ctx = ctx.parent
    return Workspace.open(workspace=params.get("workspace"), shop_path=params.get("shop_path"),
                          lang=params.get("lang"), size=params.get("size"),
                          year=params.get("year"))


def _quietly(complete: Callable[[click.Context, str], list[Any]]) -> Callable[..., list[Any]]:
    def wrapper(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        try:
            return complete(ctx, incomplete)[:COMPLETION_LIMIT]
        except Exception:
            return []

    return wrapper


@_quietly
def complete_items(ctx: click.Context, incomplete: str) -> list[Any]:
    """The item ids of the shop's plan."""
    from click.shell_completion import CompletionItem

    from planner.core.i18n import pick

    ws = _completion_workspace(ctx)
    return [CompletionItem(planned.id, help=pick(planned.item.title, ws.lang))
            for planned in ws.plan().items() if planned.id.startswith(incomplete)]


@_quietly
def complete_numbers(ctx: click.Context, incomplete: str) -> list[Any]:
    """The complaint numbers of the register, newest campaign first."""
    from click.shell_completion import CompletionItem

    from planner.complaints.register import Search

    ws = _completion_workspace(ctx)
    found = []
    search = Search(anywhere=incomplete.strip() or None)
    for complaint in ws.desk.complaints(search, all_years=True):
        number = complaint.record.number
        if number.startswith(incomplete.upper()):
            found.append(CompletionItem(number, help=complaint.record.summary))
        if len(found) >= COMPLETION_LIMIT:
            break
    return found


@_quietly
def complete_complaint_categories(ctx: click.Context, incomplete: str) -> list[Any]:
    """The complaint categories of the shop's policy."""
    ws = _completion_workspace(ctx)
    names = {ident: entry.name for ident, entry in ws.policy.categories.items()}
    return complete_names(names, incomplete, ws.lang)


@_quietly
def complete_roles(ctx: click.Context, incomplete: str) -> list[Any]:
    """The handler roles of the shop's policy."""
    ws = _completion_workspace(ctx)
    return complete_names(ws.policy.roles, incomplete, ws.lang)


@_quietly
def complete_sensitive(ctx: click.Context, incomplete: str) -> list[Any]:
    ws = _completion_workspace(ctx)
    return complete_names(ws.policy.urgent.sensitive, incomplete, ws.lang)
