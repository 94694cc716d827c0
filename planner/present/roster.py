"""The contact roster in words: the `roster` table and its JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planner.campaign.phases import load_campaign
from planner.core.errors import counted
from planner.core.i18n import t
from planner.present.text import say, table
from planner.roster.contacts import FIELDS, as_shown, sorted_contacts

WIDTHS = [14, 10, 12, None, None, 14, 24, 20, None, 10]


def roster_rows(contacts: list[dict[str, Any]], lang: str, *, mask_phones: bool = False
                ) -> Iterator[list[Any]]:
    """Rows in `FIELDS` order, department names in `lang`, mobiles masked if asked."""
    owners = load_campaign().owners
    for contact in contacts:
        shown = as_shown(contact, mask_phones=mask_phones)
        row = [shown.get(field) for field in FIELDS]
        row[0] = owners[contact["department"]][lang] if contact["department"] in owners \
            else contact["department"]
        yield row


def roster_data(contacts: list[dict[str, Any]], source: str | None, *,
                mask_phones: bool = False) -> dict[str, Any]:
    return {"source": source, "contacts": [as_shown(contact, mask_phones=mask_phones)
                                           for contact in sorted_contacts(contacts)]}


def roster_table(contacts: list[dict[str, Any]], source: str | None, lang: str, *,
                 mask_phones: bool = False) -> str:
    if not contacts:
        return t("roster.none", lang)
    ordered = sorted_contacts(contacts)
    headers = [t(f"roster.header.{field}", lang) for field in FIELDS]
    rows = roster_rows(ordered, lang, mask_phones=mask_phones)
    return (say("roster.source", lang, path=source, contacts=counted("contacts", len(ordered)))
            + "\n"
            + table(headers, rows, WIDTHS))
