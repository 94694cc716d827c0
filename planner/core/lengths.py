"""The length limits of `planner.core.limits`, enforced where a value enters the program.

Every library call that stores what a person typed (a complaint's fields, a note, a reason,
a name) checks it here, so the limit holds whatever the caller: the command line, an
imported workbook or code using the library.
"""

from __future__ import annotations

from planner.core.errors import PlannerError
from planner.core.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS


def check_length(value: str | None, field: str, limit: int, *, file: str | None = None,
                 line: int | None = None) -> None:
    """Refuse `value` when, trimmed as it is stored, it is longer than `limit` characters;
    the error names the field, the limit and the length given (and the file and line, for a
    value read from one)."""
    length = len(value.strip()) if value is not None else 0
    if length > limit:
        raise PlannerError("error.field-too-long", file=file, line=line, field=field,
                           length=f"{length:,}", limit=f"{limit:,}")


def check_text(value: str | None, field: str, *, file: str | None = None,
               line: int | None = None) -> None:
    """Free text: a summary, a note, a reply, a solution, a reason."""
    check_length(value, field, MAX_TEXT_CHARS, file=file, line=line)


def check_name(value: str | None, field: str, *, file: str | None = None,
               line: int | None = None) -> None:
    """One name or reference: a person, a buyer, an order number, a product, a channel, an
    id."""
    check_length(value, field, MAX_NAME_CHARS, file=file, line=line)
