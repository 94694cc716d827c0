"""The checklist workbook.

One row per item; the status column is a dropdown of the localised statuses. People fill in
status, by, date and note in Excel or LibreOffice and hand the file back;
`planner.input.checklist` reads it. The workbook's stamp (`planner.input.stamp`, document
properties) says which shop, size and campaign it was exported for, and the history's position
then, from which an import tells the rows someone edited from those still showing what the
state said then. A last, hidden column keeps each item's status when the workbook was written:
what tells them apart where the stamp was lost (a program that drops document properties).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planner.core.i18n import t
from planner.export.registry import ExportOptions, Job, Workbook
from planner.export.sheet import Sections
from planner.input.checklist import FIELDS, STATUSES, VISIBLE, header, status_label
from planner.input.stamp import Stamp, stamp_properties

_STATUS_FILL = {"done": "E2EFDA", "skipped": "EDEDED"}


def checklist_rows(plan: dict[str, Any], lang: str) -> Iterator[list[Any]]:
    """A row per item, and per day of a daily duty (its Day column set)."""
    names = {phase["id"]: phase["name"] for phase in plan["phases"]}
    for phase in plan["phases"]:
        for item in phase["items"]:
            for day, state in _occurrences(item):
                at = state.get("at")
                status = status_label(state.get("status"), lang)
                yield [item["id"], names[item["phase"]], item["category_name"],
                       item["owner_name"], _iso(item["due"]), _iso(day) if day else None,
                       item["title"], status, state.get("by"), _iso(at)[:10] if at else None,
                       state.get("note"), status]


def _occurrences(item: dict[str, Any]) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(day, state) of each row an item takes: one, or one per day of a daily duty."""
    if not item.get("days"):
        yield None, item
        return
    states = {entry["day"]: entry for entry in item.get("occurrences", [])}
    for day in item["days"]:
        yield day, states.get(day, {})


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def checklist_table(plan: dict[str, Any], lang: str, title: str) -> Any:
    from planner.export.sheet import Column, Table

    count = sum(len(item.get("days") or [None]) for phase in plan["phases"]
                for item in phase["items"])
    # Ids and dates are text, in every cell: LibreOffice turns "00123" typed into a General
    # cell into 123 and a typed date into a serial number.
    from planner.campaign.phases import load_campaign

    statuses = [status_label(status, lang) for status in STATUSES]
    owners = [names[lang] for names in load_campaign().owners.values()]
    # Dates, ids, statuses and team names never wrap; titles, categories and notes do.
    widths = {"id": {"text": True, "edit": True, "keep": True, "max_width": 40},
              "due": {"text": True, "edit": True, "keep": True, "min_width": 11},
              "day": {"text": True, "edit": True, "keep": True, "min_width": 11},
              "date": {"text": True, "edit": True, "keep": True, "min_width": 11},
              "by": {"text": True, "edit": True, "min_width": 8, "max_width": 12},
              "note": {"text": True, "edit": True, "width": 12, "wrap": True},
              "title": {"max_width": 30, "wrap": True},
              "status": {"keep": True, "known": statuses},
              # every phase's name: the last ones come after the rows the widths are fitted to
              "phase": {"keep": True, "known": [phase["name"] for phase in plan["phases"]]},
              # Chinese categories break anywhere: give them room; English ones at words
              "category": {"max_width": 16 if lang == "zh" else 14, "wrap": True},
              "owner": {"keep": True, "known": owners},
              "exported": {"text": True, "width": 12, "hidden": True}}
    columns = [Column(header(field, lang), **widths.get(field, {})) for field in FIELDS]

    def setup(ws: Any, header_row: int) -> None:
        _status_dropdown(ws, lang, header_row + 1, header_row + max(count, 1))

    return Table(title=t("export.sheet.checklist", lang), columns=columns,
                 rows=checklist_rows(plan, lang), total=count, landscape=True,
                 freeze_columns=1, page_title=title, setup=setup,
                 page_order="overThenDown")  # a row's pages follow each other


def _status_dropdown(ws: Any, lang: str, first: int, last: int) -> None:
    """A dropdown of the statuses in `lang` on the status column, and a colour per status.

    Both stop at the visible columns: the hidden status-when-exported is no choice to make.
    """
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    column = get_column_letter(FIELDS.index("status") + 1)
    last_column = get_column_letter(len(VISIBLE))
    labels = [status_label(status, lang) for status in STATUSES]
    validation = DataValidation(
        type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True,
        showErrorMessage=True, errorStyle="stop", errorTitle=t("export.checklist.status", lang),
        error=t("export.checklist.status-error", lang, allowed=" / ".join(labels)),
        showInputMessage=True, promptTitle=t("export.checklist.status", lang),
        prompt=" / ".join(labels))
    validation.add(f"{column}{first}:{column}{last}")
    ws.data_validations.append(validation)
    for status, fill in _STATUS_FILL.items():
        label = status_label(status, lang).replace('"', '""')
        ws.conditional_formatting.add(
            f"A{first}:{last_column}{last}",
            FormulaRule(formula=[f'${column}{first}="{label}"'],
                        fill=PatternFill("solid", bgColor=fill)))


def checklist_title(plan: dict[str, Any], lang: str) -> str:
    shop = plan.get("shop") or t("plan.no-shop-name", lang)
    return t("export.title.checklist", lang, shop=shop, year=plan["year"])


def write_checklist_workbook(target: Path, plan: dict[str, Any], lang: str, *,
                             force: bool = False, review: Sections | None = None,
                             stamp: Stamp | None = None) -> Path:
    """Write the checklist workbook for `plan` (items may carry status, by, at, note), with
    the campaign's `review` (heading, headers, rows sections) as a second sheet and `stamp`
    (which shop, size and campaign, exported when) as custom document properties."""
    from openpyxl.packaging.custom import StringProperty

    from planner.export.sheet import sections_table
    from planner.export.xlsx import building, save_workbook, write_table

    title = checklist_title(plan, lang)
    with building(title, lang=lang) as wb:
        for name, value in stamp_properties(stamp).items() if stamp else ():
            wb.custom_doc_props.append(StringProperty(name=name, value=value))
        write_table(wb, checklist_table(plan, lang, title))
        if review:
            write_table(wb, sections_table(review, sheet=t("export.sheet.review", lang),
                                           page_title=title))
        return save_workbook(wb, target, force=force)


def _write(job: Job, dest: Path, label: str, options: ExportOptions) -> Path:
    plan = job.plan  # first: reading the states notes the history's position
    workspace = job.workspace
    stamp = Stamp(plan["shop"], plan["size"], plan["year"], workspace.now,
                  workspace.states_mark or 0)
    review = None
    if workspace.folder is not None:
        from planner.present.review import review_sections

        review = review_sections(workspace.review(), workspace.policy, job.lang)
    return write_checklist_workbook(dest, plan, job.lang, force=options.force,
                                    review=review, stamp=stamp)


WORKBOOK = Workbook("checklist", _write)
