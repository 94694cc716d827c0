"""`playbook`: customer types, answer scripts and principles for front-line agents."""

from __future__ import annotations

from typing import Any

import click

from planner.cli.options import format_option, lang_option, resolve_shop
from planner.complaints.playbook import CUSTOMER_TYPES

TYPE_COLUMNS = ("signs", "approach", "how", "words")


@click.command(name="playbook")
@click.option("--type", "-t", "customer_type", type=click.Choice(CUSTOMER_TYPES), default=None,
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
    from planner.present import text as render

    _folder, _shop, chosen = resolve_shop(lang=lang)  # a workspace's lang counts too
    data = load_playbook(chosen, customer_type)
    output = {
        "json": render.to_json,
        "markdown": lambda book: playbook_markdown(book, chosen),
        "table": lambda book: playbook_table(book, chosen),
    }[fmt](data)
    click.echo(output)


def _type_headers(lang: str) -> list[str]:
    from planner.core.i18n import t

    return [t("label.playbook.type", lang),
            *(t(f"label.playbook.{column}", lang) for column in TYPE_COLUMNS)]


def _type_rows(book: dict[str, Any]) -> list[list[str]]:
    return [[entry["name"], *(entry[column] for column in TYPE_COLUMNS)]
            for entry in book["customer_types"]]


def playbook_table(book: dict[str, Any], lang: str) -> str:
    from planner.core.i18n import t
    from planner.present import text as render

    blocks = [t("playbook.title", lang),
              f"{t('playbook.customer-types', lang)}\n"
              + render.table(_type_headers(lang), _type_rows(book), [10, 24, 24, 24, 18])]
    scripts = [f"[{script['name']}]\n" + "\n".join(f"  - {line}" for line in script["lines"])
               for script in book["scripts"]]
    blocks.append(f"{t('playbook.scripts', lang)}\n\n" + "\n\n".join(scripts))
    blocks.append(f"{t('playbook.principles', lang)}\n"
                  + "\n".join(f"{number}. {text}"
                              for number, text in enumerate(book["principles"], start=1)))
    return "\n\n".join(blocks)


def playbook_markdown(book: dict[str, Any], lang: str) -> str:
    from planner.core.i18n import t
    from planner.present import text as render

    parts = [f"# {t('playbook.title', lang)}", f"## {t('playbook.customer-types', lang)}",
             render.md_table(_type_headers(lang), _type_rows(book)),
             f"## {t('playbook.scripts', lang)}"]
    for script in book["scripts"]:
        parts.append(f"### {script['name']}\n\n"
                     + "\n".join(f"- {render.md_escape(line)}" for line in script["lines"]))
    parts.append(f"## {t('playbook.principles', lang)}\n\n"
                 + "\n".join(f"{number}. {render.md_escape(text)}"
                             for number, text in enumerate(book["principles"], start=1)))
    return "\n\n".join(parts) + "\n"
