"""Reading an edited checklist workbook back.

People fill in status, by, date and note in Excel or LibreOffice and hand the file back;
`read_checklist` reads it, accepting what those programs do to values (statuses in either
language, dates as serial numbers or text, ids turned into numbers), and rejects the whole file
when any row is wrong, naming every bad row.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from planner.core.cells import cell_text, duplicate_columns, shown
from planner.core.errors import PlannerError, counted, row_numbers
from planner.core.i18n import LANGS, t
from planner.input.stamp import Expected, Stamp, check_stamp, read_stamp
from planner.storage.contract import ITEM_STATUSES

# The sheet both sides agree on: what the export writes is what the import reads.
STATUSES = ITEM_STATUSES
FIELDS = ("id", "phase", "category", "owner", "due", "day", "title", "status", "by", "date",
          "note", "exported")
# The columns people see and fill in; "exported" (the status when written) is hidden.
VISIBLE = FIELDS[:-1]


def header(field: str, lang: str) -> str:
    return t(f"export.checklist.{field}", lang)


def status_label(status: str | None, lang: str) -> str:
    return t(f"status.{status or 'open'}", lang)


# Fields read back from an edited workbook; the others are for the reader only.
READ_FIELDS = ("id", "day", "status", "by", "date", "note", "exported")
# Excel serial numbers of 1990-01-01 and 2100-12-31: a check-off date outside is a typo.
_SERIAL_RANGE = (32_874, 73_415)
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
READ_SUFFIXES = (".xlsx", ".xlsm")  # what openpyxl reads; .xls and .csv lose the dropdowns


class Checklist(NamedTuple):
    """An edited checklist workbook as read: its stamp (None for a workbook from before the
    stamp, or re-saved without it) and its rows."""

    stamp: Stamp | None
    rows: list[dict[str, Any]]


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _status_names() -> dict[str, str]:
    names = {status: status for status in STATUSES}
    for lang in LANGS:
        for status in STATUSES:
            names[_fold(status_label(status, lang))] = status
    return names


def _header_fields() -> dict[str, str]:
    return {_fold(header(field, lang)): field for field in FIELDS for lang in LANGS}


def normalise_id(value: Any) -> str:
    """An item id as typed or as a spreadsheet returns it (``123.0`` -> ``123``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip().lower() if value is not None else ""


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: a date, an Excel serial number, or text; None when empty.

    Raises ValueError for anything else.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric or re.fullmatch(r"\d+(\.\d+)?", text):
        # A date typed into an unformatted cell comes back as its serial number.
        serial = float(value if numeric else text)
        if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            raise ValueError(text)
        from openpyxl.utils.datetime import from_excel

        return from_excel(serial).date()
    match = _DATE_TEXT.match(text)
    if not match:
        raise ValueError(text)
    return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def read_checklist(path: str | Path, lang: str | None = None,
                   valid_ids: Iterable[str] | None = None,
                   days: Mapping[str, tuple[dt.date, ...]] | None = None,
                   today: dt.date | None = None,
                   other_plans: Mapping[str, tuple[str, ...]] | None = None,
                   size: str | None = None, expected: Expected | None = None) -> Checklist:
    """The stamp and the rows of an edited checklist workbook. A row is ``{row, id, day,
    status, by, date, note, exported}``; `day` is the occurrence of a daily duty (its row's
    Day), else None.

    A stamp (`planner.input.stamp`) naming another shop, size or campaign than `expected`
    rejects the file before its rows are read; so does a stamp that is incomplete or bad.

    Statuses may be written in either language (or as open/done/skipped; empty means open).
    `exported` is the status the row had when the workbook was written (its hidden column),
    None in workbooks from before that column.
    Any bad row (unknown status, malformed date or one after `today`, "not applicable"
    without a note giving the reason, missing or repeated id, or an id outside `valid_ids`
    when given, a daily duty's row without one of its `days`, a day on another item's row)
    rejects the whole file: the PlannerError names every bad row, and its ``bad_rows``
    parameter lists their numbers. Ids of `other_plans` (item id -> the sizes whose plan has
    it) are rows of a sheet exported for another size than `size`, and are named as such,
    together.
    """
    lang = lang or "en"
    path = Path(path)
    stamp, table = _read_sheet(path, expected)
    known = set(valid_ids) if valid_ids is not None else None
    statuses = _status_names()
    rows: list[dict[str, Any]] = []
    problems: list[tuple[int, str]] = []
    seen: dict[tuple[str, dt.date | None], int] = {}
    elsewhere: dict[tuple[str, ...], list[int]] = {}  # sizes -> rows of their plan only
    wrong_days: list[tuple[int, str]] = []  # daily duties' rows outside this plan's days
    for number, values in table:
        ident = normalise_id(values.get("id"))
        if known is not None and other_plans and ident not in known and ident in other_plans:
            elsewhere.setdefault(other_plans[ident], []).append(number)
            continue
        row, problem = _read_row(number, values, statuses, known, seen, lang)
        if row is not None and problem is None:
            problem = _check_day(row, days, lang)
            if problem and other_plans and days and days.get(row["id"]):
                wrong_days.append((number, problem))  # perhaps another size's battle
                continue
            problem = problem or _check_row(row, today, lang)
        if problem:
            problems.append((number, t("checklist.read.row", lang, row=number,
                                       problem=problem)))
        elif row is not None:
            rows.append(row)
    if elsewhere and wrong_days:  # the days of another size's phases: one line says so
        problems.append((wrong_days[0][0], t(
            "checklist.read.other-size-days", lang, size=size or "-",
            rows=row_numbers([number for number, _ in wrong_days]))))
    else:
        problems += [(number, t("checklist.read.row", lang, row=number, problem=problem))
                     for number, problem in wrong_days]
    for tiers, numbers in elsewhere.items():
        problems.append((numbers[0], t("checklist.read.other-size", lang,
                                       rows=row_numbers(numbers),
                                       tiers="/".join(tiers), size=size or "-")))
    problems.sort(key=lambda problem: problem[0])
    if problems:
        bad_rows = sorted({number for number, _ in problems + wrong_days}
                          | {number for numbers in elsewhere.values() for number in numbers})
        details = t("punct.list-separator", lang).join(problem for _, problem in problems)
        raise PlannerError("error.checklist-bad-rows", file=str(path),
                           count=counted("rows", len(bad_rows)),
                           details=details, bad_rows=bad_rows)
    return Checklist(stamp, rows)


def _read_sheet(path: Path, expected: Expected | None
                ) -> tuple[Stamp | None, Iterator[tuple[int, dict[str, Any]]]]:
    """The workbook's stamp (checked against `expected`, when given) and its rows."""
    from planner.input.workbook import read_rows

    if not path.is_file():
        raise PlannerError("error.file-is-dir" if path.is_dir() else "error.file-missing",
                           file=str(path))
    if path.suffix.lower() not in READ_SUFFIXES:
        raise PlannerError("error.checklist-format", file=str(path),
                           suffix=path.suffix.lower() or "-")
    properties: dict[str, Any] = {}
    rows = read_rows(path, properties)
    names = _header_fields()
    _, first = next(rows, (1, ()))
    # Another shop's or campaign's workbook is refused as such, before its rows are judged
    # against this plan (they would all look wrong).
    stamp = read_stamp(properties, str(path))
    if stamp is not None and expected is not None:
        check_stamp(stamp, expected, str(path))
    columns = {i: names[_fold(str(v))] for i, v in enumerate(first)
               if v is not None and _fold(str(v)) in names}
    if not {"id", "status"} <= set(columns.values()):
        raise PlannerError("error.checklist-not-export", file=str(path), line=1)
    duplicate_columns(columns, first, str(path), 1)
    return stamp, _records(rows, columns)


def _records(rows: Iterator[tuple[int, tuple[Any, ...]]], columns: dict[int, str]
             ) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, values in rows:
        record = {field: values[i] for i, field in columns.items()
                  if field in READ_FIELDS and i < len(values)}
        # A row whose visible cells were all cleared is no row, whatever the hidden cell says.
        if any(v is not None and str(v).strip() for f, v in record.items() if f != "exported"):
            yield number, record


def _check_row(row: dict[str, Any], today: dt.date | None, lang: str) -> str | None:
    """A date not after `today`; a reason (the note) for "not applicable"."""
    if today is not None and row["date"] is not None and row["date"] > today:
        return t("checklist.read.future", lang, value=row["date"].isoformat())
    # (a row already skipped before the export, and so not edited, is kept as it is)
    if row["status"] == "skipped" and not row["note"] and row["exported"] != "skipped":
        return t("checklist.read.skip-reason", lang)
    return None


def _check_day(row: dict[str, Any], days: Mapping[str, tuple[dt.date, ...]] | None,
               lang: str) -> str | None:
    """A daily duty's row names one of its days; a one-off item's row names none."""
    if days is None or row["id"] not in days:
        return None
    item_days = days[row["id"]]
    if not item_days and row["day"] is not None:
        return t("checklist.read.day-not-daily", lang, id=row["id"])
    if item_days and row["day"] not in item_days:
        return t("checklist.read.day-wrong", lang, id=row["id"], start=item_days[0].isoformat(),
                 end=item_days[-1].isoformat())
    return None


def _read_row(number: int, values: dict[str, Any], statuses: dict[str, str],
              known: set[str] | None, seen: dict[tuple[str, dt.date | None], int], lang: str
              ) -> tuple[dict[str, Any] | None, str | None]:
    ident = normalise_id(values.get("id"))
    if not ident:
        return None, t("checklist.read.no-id", lang)
    try:
        day = parse_date(values.get("day"))
    except ValueError:
        return None, t("checklist.read.date", lang, value=shown(values.get("day")))
    key = (ident, day)
    if key in seen:
        label = f"{ident}@{day.isoformat()}" if day else ident
        return None, t("checklist.read.duplicate", lang, id=shown(label), other=seen[key])
    seen[key] = number
    if known is not None and ident not in known:
        return None, t("checklist.read.unknown-id", lang, id=shown(ident))
    raw_status = values.get("status")
    folded = _fold(str(raw_status)) if raw_status is not None else ""
    status = statuses.get(folded) if folded else "open"
    if status is None:
        return None, t("checklist.read.status", lang, value=shown(raw_status),
                       allowed=" / ".join(status_label(s, lang) for s in STATUSES))
    try:
        date = parse_date(values.get("date"))
    except ValueError:
        return None, t("checklist.read.date", lang, value=shown(values.get("date")))
    raw_exported = cell_text(values.get("exported"))
    exported = statuses.get(_fold(raw_exported)) if raw_exported else None
    if raw_exported and exported is None:
        return None, t("checklist.read.exported", lang, value=shown(raw_exported),
                       column=header("exported", lang))
    return {"row": number, "id": ident, "day": day, "status": status,
            "by": cell_text(values.get("by")) or None,
            "date": date, "note": cell_text(values.get("note")) or None,
            "exported": exported}, None
