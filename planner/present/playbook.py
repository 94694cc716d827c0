"""The playbook in words: customer types, answer scripts and principles as text or Markdown."""

from __future__ import annotations

from typing import Any

from planner.core.i18n import t
from planner.core.limits import CARD_CELL_CHARS
from planner.present.text import md_escape, md_table, shown, table

TYPE_COLUMNS = ("signs", "approach", "how", "words")


def _type_headers(lang: str) -> list[str]:

    return [t("label.playbook.type", lang),
            *(t(f"label.playbook.{column}", lang) for column in TYPE_COLUMNS)]


def _type_rows(book: dict[str, Any]) -> list[list[str]]:
    return [[entry["name"], *(entry[column] for column in TYPE_COLUMNS)]
            for entry in book["customer_types"]]


def playbook_table(book: dict[str, Any], lang: str) -> str:

    blocks = [t("playbook.title", lang),
              f"{t('playbook.customer-types', lang)}\n"
              + table(_type_headers(lang), _type_rows(book), [10, 24, 24, 24, 18],
                      cut=CARD_CELL_CHARS)]
    scripts = [f"[{shown(script['name'])}]\n"
               + "\n".join(f"  - {shown(line)}" for line in script["lines"])
               for script in book["scripts"]]
    blocks.append(f"{t('playbook.scripts', lang)}\n\n" + "\n\n".join(scripts))
    blocks.append(f"{t('playbook.principles', lang)}\n"
                  + "\n".join(f"{number}. {shown(text)}"
                              for number, text in enumerate(book["principles"], start=1)))
    return "\n\n".join(blocks)


def playbook_markdown(book: dict[str, Any], lang: str) -> str:

    parts = [f"# {t('playbook.title', lang)}", f"## {t('playbook.customer-types', lang)}",
             md_table(_type_headers(lang), _type_rows(book)),
             f"## {t('playbook.scripts', lang)}"]
    for script in book["scripts"]:
        parts.append(f"### {md_escape(script['name'])}\n\n"
                     + "\n".join(f"- {md_escape(line)}" for line in script["lines"]))
    parts.append(f"## {t('playbook.principles', lang)}\n\n"
                 + "\n".join(f"{number}. {md_escape(text)}"
                             for number, text in enumerate(book["principles"], start=1)))
    return "\n\n".join(parts) + "\n"
