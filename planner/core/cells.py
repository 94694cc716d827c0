"""Spreadsheet cells as plain values, for every reader and writer of workbooks and CSV files.

What a cell holds, read back as text; how a bad value is echoed in an error message; the
spreadsheet name of a column; a header that names a field twice. Nothing here imports
openpyxl, so `planner.roster.contacts` can use it without loading it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from planner.core.errors import PlannerError

# Characters XML 1.0 cannot hold (C0 controls but tab and line breaks): openpyxl refuses a
# cell, a property or a sheet name with one, so they are dropped from whatever a workbook gets.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_CHARS = 32_767  # the most characters an Excel cell holds
SHOWN_CHARS = 60  # a bad value is echoed in an error message up to this length


def cell_text(value: Any) -> str:
    """A spreadsheet or YAML value as trimmed text (12345.0 -> "12345", dates ISO)."""
    if value.__class__ is str:  # most values: every field of every contact
        return value.replace("\u3000", " ").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def fit_cell(value: Any) -> Any:
    """Text cut to what a cell holds, ending in "…"; any other value as it is. Entry limits
    keep new text far shorter: this is for what was stored before them."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS - 1] + "…"
    return value


def shown(value: Any) -> str:
    """A value as an error message echoes it: on one line, cut to `SHOWN_CHARS` with "…"."""
    text = " ".join(cell_text(value).split())
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def column_letter(index: int) -> str:
    """The spreadsheet name of the 0-based column `index`: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def duplicate_columns(columns: dict[int, str], row: Sequence[Any], name: str, line: int
                      ) -> None:
    """Refuse a header naming the same field twice: which column would count is a guess.

    `columns` maps the 0-based index of each recognised header cell of `row` to its field.
    """
    by_field: dict[str, list[int]] = {}
    for index, field in columns.items():
        by_field.setdefault(field, []).append(index)
    for indexes in by_field.values():
        if len(indexes) > 1:
            raise PlannerError("error.duplicate-column", file=name, line=line,
                               field=shown(row[indexes[0]]),
                               columns=", ".join(column_letter(i) for i in indexes))
