"""`playbook`: customer types, answer scripts and principles for front-line agents."""

from __future__ import annotations

import click

from planner.cli.options import NamedChoice, format_option, lang_option, open_workspace


def _type_names():
    from planner.complaints.playbook import playbook_data

    return {typ["id"]: typ["name"] for typ in playbook_data()["customer_types"]}


@click.command(name="playbook")
@click.option("--type", "-t", "customer_type", type=NamedChoice(_type_names), default=None,
              help="Only this customer type (scripts and principles are always shown) / "
                   "只看该类顾客.")
@lang_option
@format_option()
def playbook_command(customer_type, lang, fmt):
    """Print how to answer complaints: customer types, scripts and principles.

    打印投诉应答手册：顾客类型、应答话术和答复原则。

    \b
    Example / 示例:
      planner315 playbook --type aggressive --lang zh
      planner315 playbook --format markdown > playbook.md
    """
    from planner.complaints.playbook import load_playbook
    from planner.present.playbook import playbook_markdown, playbook_table
    from planner.present.text import to_json

    ws = open_workspace(lang=lang)  # a workspace's lang counts too
    data = load_playbook(ws.lang, customer_type)
    output = {
        "json": to_json,
        "markdown": lambda book: playbook_markdown(book, ws.lang),
        "table": lambda book: playbook_table(book, ws.lang),
    }[fmt](data)
    click.echo(output)
