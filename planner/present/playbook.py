"""The playbook in words: customer types, answer scripts and principles as text or Markdown."""

from __future__ import annotations

from typing import Any

from planner.complaints.playbook import SCRIPT_KINDS
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


def _script_groups(book: dict[str, Any], lang: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The answer scripts, the techniques and the after-sales disputes, each under its
    heading, in the playbook's order (a group without entries is left out)."""
    groups = []
    for kind, key in ((None, "playbook.scripts"), *((kind, f"playbook.{kind}s")
                                                     for kind in SCRIPT_KINDS)):
        scripts = [script for script in book["scripts"] if script.get("kind") == kind]
        if scripts:
            groups.append((t(key, lang), scripts))
    return groups


def playbook_table(book: dict[str, Any], lang: str) -> str:

    blocks = [t("playbook.title", lang),
              f"{t('playbook.customer-types', lang)}\n"
              + table(_type_headers(lang), _type_rows(book), [10, 24, 24, 24, 18],
                      cut=CARD_CELL_CHARS)]
    for heading, scripts in _script_groups(book, lang):
        blocks.append(f"{heading}\n\n" + "\n\n".join(
            f"[{shown(script['name'])}]\n"
            + "\n".join(f"  - {shown(line)}" for line in script["lines"])
            for script in scripts))
    blocks.append(f"{t('playbook.principles', lang)}\n"
                  + "\n".join(f"{number}. {shown(text)}"
                              for number, text in enumerate(book["principles"], start=1)))
    return "\n\n".join(blocks)


def playbook_markdown(book: dict[str, Any], lang: str) -> str:

    parts = [f"# {t('playbook.title', lang)}", f"## {t('playbook.customer-types', lang)}",
             md_table(_type_headers(lang), _type_rows(book))]
    for heading, scripts in _script_groups(book, lang):
        parts.append(f"## {heading}")
        parts += [f"### {md_escape(script['name'])}\n\n"
                  + "\n".join(f"- {md_escape(line)}" for line in script["lines"])
                  for script in scripts]
    parts.append(f"## {t('playbook.principles', lang)}\n\n"
                 + "\n".join(f"{number}. {md_escape(text)}"
                             for number, text in enumerate(book["principles"], start=1)))
    return "\n\n".join(parts) + "\n"
