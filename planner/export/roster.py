"""The contact roster workbook (联络表): one row per contact, phones as text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError
from planner.core.i18n import t
from planner.export.registry import ExportOptions, Job, Workbook
from planner.present.roster import roster_rows
from planner.roster.contacts import FIELDS, sorted_contacts

# Phones, shifts and department names never wrap; the rest wraps when long.
_COLUMNS = {
    "department": {"keep": True},
    "name": {"max_width": 14},
    "role": {"max_width": 20},
    "mobile": {"text": True, "keep": True},
    "landline": {"text": True, "keep": True},
    "im": {"max_width": 20},
    "email": {"max_width": 28},
    "shift": {"keep": True, "max_width": 32},
    "escalation": {"horizontal": "center"},
    "backup": {"max_width": 14},
}


def roster_columns(lang: str) -> list[Any]:
    from planner.campaign.phases import load_campaign
    from planner.export.sheet import Column

    departments = [names[lang] for names in load_campaign().owners.values()]
    return [Column(t(f"roster.header.{field}", lang),
                   known=departments if field == "department" else (), **_COLUMNS[field])
            for field in FIELDS]


def roster_table(contacts: list[dict[str, Any]], lang: str, *, title: str,
                 mask_phones: bool = False) -> Any:
    from planner.export.sheet import Table

    ordered = sorted_contacts(contacts)
    return Table(title=t("export.sheet.roster", lang), columns=roster_columns(lang),
                 rows=roster_rows(ordered, lang, mask_phones=mask_phones), total=len(ordered),
                 landscape=True, freeze_columns=2, page_title=title)


def roster_title(lang: str, *, shop: str | None, year: int) -> str:
    return t("export.title.roster", lang, shop=shop or t("plan.no-shop-name", lang), year=year)


def write_roster_workbook(target: Path, contacts: list[dict[str, Any]], lang: str, *,
                          shop: str | None, year: int, mask_phones: bool = False,
                          force: bool = False, progress: Callable[[int], None] | None = None
                          ) -> Path:
    """Write the roster workbook to `target` (atomically; refuses to overwrite without force)."""
    from planner.export.xlsx import write_workbook

    title = roster_title(lang, shop=shop, year=year)
    table = roster_table(contacts, lang, title=title, mask_phones=mask_phones)
    return write_workbook(target, table, title=title, lang=lang, force=force,
                          progress=progress)


def _check(job: Job) -> None:
    if not job.contacts:
        raise PlannerError("error.roster-no-contacts")


def _write(job: Job, dest: Path, label: str, options: ExportOptions) -> Path:
    label = t("export.progress", job.lang, name=label)
    with options.progress(len(job.contacts), label) as progress:
        return write_roster_workbook(dest, job.contacts, job.lang, shop=job.shop_name,
                                     year=job.year, mask_phones=options.mask_phones,
                                     force=options.force, progress=progress)


WORKBOOK = Workbook("roster", _write, check=_check, in_all=lambda job: bool(job.contacts))
