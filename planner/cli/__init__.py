"""The `planner315` command line: parses options, calls the library, renders the result.

Command groups live in sibling modules; none of them imports a heavy library at import time.
"""

from __future__ import annotations

from typing import Any

import click

from planner import __version__
from planner.cli.options import group_lang_option
from planner.cli.translate import Later
from planner.core.errors import PlannerError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# Commands are imported only when used, so that each command pays only for its own imports.
COMMANDS = {
    "plan": "planner.cli.plan:plan_command",
    "checklist": "planner.cli.plan:checklist_command",
    "init": "planner.cli.plan:init_command",
    "check": "planner.cli.checkoff:checkoff_check",
    "uncheck": "planner.cli.checkoff:checkoff_uncheck",
    "skip": "planner.cli.checkoff:checkoff_skip",
    "undo": "planner.cli.checkoff:checkoff_undo",
    "status": "planner.cli.checkoff:checkoff_status",
    "next": "planner.cli.checkoff:checkoff_next",
    "log": "planner.cli.checkoff:checkoff_log",
    "review": "planner.cli.review:review_command",
    "complaint": "planner.cli.register:complaint_group",
    "playbook": "planner.cli.playbook:playbook_command",
    "roster": "planner.cli.export:roster_group",
    "export": "planner.cli.export:export_group",
    "import": "planner.cli.export:import_group",
    "audit": "planner.cli.audit:audit_group",
    "db": "planner.cli.db:db_group",
}


class PlannerGroup(click.Group):
    """Loads commands lazily, speaks the user's language from the first word Click prints,
    and turns a `PlannerError` from any command into a one-line message and exit code 1."""

    def main(self, args: Any = None, prog_name: str | None = None, *rest: Any, **extra: Any
             ) -> Any:
        import sys

        from planner.cli import translate

        args = list(sys.argv[1:] if args is None else args)
        translate.set_lang(translate.early_lang(args))
        translate.install()
        return super().main(args, prog_name, *rest, **extra)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, from the summaries in the messages: no command is imported."""
        from planner.cli.translate import active_lang, gettext
        from planner.core.i18n import t

        lang = active_lang()
        rows = [(name, t(f"cli.command.{name}", lang)) for name in self.list_commands(ctx)]
        with formatter.section(gettext("Commands")):
            formatter.write_dl(rows)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands:
            from importlib import import_module

            module, attribute = COMMANDS[name].split(":")
            self.add_command(getattr(import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as err:
            raise _shortened(err) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlannerError as err:
            from planner.cli.options import current_lang
            from planner.core.i18n import render_error

            raise click.ClickException(render_error(err, current_lang())) from None
        except click.UsageError as err:  # a subcommand's options, parsed here
            raise _shortened(err) from None


def _shortened(err: click.UsageError) -> click.UsageError:
    """A usage error echoes what was typed (a 100,000-character option value, an option
    name full of escapes): on one line, cut, control characters shown as escapes."""
    from planner.core.i18n import echoed

    help_error = getattr(click.exceptions, "NoArgsIsHelpError", ())  # Click 8.2 and later
    if isinstance(err, help_error):
        return err  # a group typed alone: its message is its help, many lines long
    err.message = echoed(err.message, 2_000)  # room for a list of choices
    return err


@click.group(cls=PlannerGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="planner315",
                      message=Later("%(prog)s, version %(version)s"),
                      help="Show the version and exit / 显示版本并退出.")
@group_lang_option
def main() -> None:
    """Get an online shop ready for the 315 consumer-rights period.

    帮助网店做好"3·15"消费者权益日前后的投诉应对准备。

    \b
    Example / 示例:
      planner315 plan --size large
      planner315 checklist --phase prepare --lang zh
    """
