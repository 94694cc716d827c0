"""The `planner315` command line: parses options, calls the library, renders the result.

Command groups live in sibling modules; none of them imports a heavy library at import time.
"""

from __future__ import annotations

from typing import Any

import click

from planner import __version__
from planner.errors import PlannerError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class PlannerGroup(click.Group):
    """Turns a `PlannerError` from any command into a one-line message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlannerError as err:
            from planner.cli.options import current_lang

            raise click.ClickException(err.render(current_lang())) from None


@click.group(cls=PlannerGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="planner315")
def main() -> None:
    """Get an online shop ready for the 315 consumer-rights period.

    帮助网店做好"3·15"消费者权益日前后的投诉应对准备。

    \b
    Example / 示例:
      planner315 plan --size large
      planner315 checklist --phase prepare --lang zh
    """


def _register() -> None:
    from planner.cli import checkoff, complaint, plan, playbook, register

    for module in (plan, checkoff, complaint, register, playbook):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
