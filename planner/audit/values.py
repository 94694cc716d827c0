"""Cell values as the rules need them: amounts, dates, counts, yes/no. A cell that is not
one raises `BadCell`, which the audit records with its row and column and goes on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from planner.audit.records import AuditResult, BadRow
from planner.core.cells import cell_text, shown
from planner.core.i18n import t


class BadCell(ValueError):
    """A cell the audit cannot read; `problem` says what it holds, for the report."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


_MONEY_NOISE = re.compile(r"[¥￥,，\s元]|RMB|CNY", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_YES = {"是", "y", "yes", "true", "1", "在线", "已发放", "已发", "有", "√", "✓", "on"}
_NO = {"否", "n", "no", "false", "0", "下线", "未发放", "未发", "无", "×", "off", ""}


def amount(value: Any) -> Decimal | None:
    """A price: 99, "99.00", "¥1,299", "99元"; None for an empty cell."""
    if isinstance(value, bool):
        raise BadCell(shown(value))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = _MONEY_NOISE.sub("", cell_text(value))
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadCell(shown(value)) from None
    if not number.is_finite():
        raise BadCell(shown(value))
    return number


def count(value: Any) -> int | None:
    """A whole number (stock, shelf life in days); None for an empty cell."""
    number = amount(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise BadCell(shown(value))
    return int(number)


def date(value: Any) -> dt.date | None:
    """A date: a spreadsheet date, or 2027-03-15, 2027/3/15, 2027.03.15, 2027年3月15日 (a
    time after it is ignored); None for an empty cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if match is None:
        raise BadCell(shown(value))
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise BadCell(shown(value)) from None


def flag(value: Any) -> bool:
    """Yes or no: 是/否, Y/N, yes/no, true/false, 1/0; empty is no."""
    if isinstance(value, bool):
        return value
    text = cell_text(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise BadCell(shown(value))


def read_cell(result: AuditResult, row: int, values: dict[str, Any], column: str,
              read: Callable[[Any], Any], lang: str) -> Any:
    """`read` of a row's cell (None when the table has no such column); a bad cell is added
    to the result's bad rows and raised again, for the caller to skip the row's checks."""
    if column not in values:
        return None
    try:
        return read(values[column])
    except BadCell as bad:
        result.bad_rows.append(BadRow(row, column, t("audit.bad-cell", lang, value=bad.problem)))
        raise
