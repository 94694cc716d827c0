"""The checklist workbook's stamp: which shop, size and campaign it was exported for, and when.

The export writes it as custom document properties (File > Properties > Custom in Excel, WPS
and LibreOffice), which those programs keep when they save the file, which no row or column
edit can touch, and which no sort or filter moves. `import checklist` reads it back to refuse
a workbook of another shop, size or campaign, and to tell the changes made in planner315 after
the export from those made in the sheet. A workbook without any of these properties (exported
before the stamp existed, or re-saved by a program that drops them) has no stamp; one with only
some of them, or with values that do not parse, is refused: the stamp is data a user can edit.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from typing import Any, NamedTuple

from planner.core.cells import XML_ILLEGAL, shown
from planner.core.clock import SHANGHAI, YEARS, to_shanghai
from planner.core.errors import Msg, PlannerError
from planner.core.limits import MAX_NAME_CHARS
from planner.core.terminal import printable

PREFIX = "planner315."
FIELDS = ("shop", "size", "year", "exported", "history")


class Stamp(NamedTuple):
    """What a checklist workbook records about its export."""

    shop: str | None  # the shop's name (None: the shop file names none)
    size: str
    year: int  # the campaign year
    exported: dt.datetime  # when, in Asia/Shanghai time
    # The number of the last history entry when the states were read: the entries after it
    # are the changes made in planner315 since. Exact where a time is not: a change that
    # began before the export but was saved after its read has a later number.
    history: int


class Expected(NamedTuple):
    """What the importing command works on: a stamp must name the same shop, size and year,
    and an export time not after `now`."""

    shop: str | None
    size: str
    year: int
    now: dt.datetime


def stamp_properties(stamp: Stamp) -> dict[str, str]:
    """The custom document properties that carry `stamp`, all text: a program that re-saves
    the file keeps text as it is, where it may turn a number into a decimal."""
    values = (XML_ILLEGAL.sub("", stamp.shop or ""), stamp.size, str(stamp.year),
              to_shanghai(stamp.exported).isoformat(), str(stamp.history))
    return {PREFIX + name: value for name, value in zip(FIELDS, values, strict=True)}


def read_stamp(properties: Mapping[str, Any], file: str) -> Stamp | None:
    """The stamp among a workbook's custom document properties; None when it has none.

    Raises a PlannerError naming the property for a missing part or a bad value.
    """
    ours = {name[len(PREFIX):]: value for name, value in properties.items()
            if isinstance(name, str) and name.startswith(PREFIX)}
    if not ours:
        return None
    missing = [name for name in FIELDS if name not in ours]
    if missing:
        raise PlannerError("error.stamp-missing", file=file, field=PREFIX + missing[0])
    return Stamp(shop=_name(ours, "shop", file, empty=True), size=_name(ours, "size", file),
                 year=_year(ours, file), exported=_moment(ours, file),
                 history=_count(ours, file))


def check_stamp(stamp: Stamp, expected: Expected, file: str) -> None:
    """Refuse a workbook exported for another shop, campaign or size, or in the future."""
    if _folded(stamp.shop) != _folded(expected.shop):
        raise PlannerError("error.stamp-other-shop", file=file, theirs=_shop(stamp.shop),
                           ours=_shop(expected.shop))
    if stamp.year != expected.year:
        raise PlannerError("error.stamp-other-year", file=file, theirs=stamp.year,
                           ours=expected.year)
    if _folded(stamp.size) != _folded(expected.size):
        raise PlannerError("error.stamp-other-size", file=file, theirs=_echo(stamp.size),
                           ours=expected.size)
    if stamp.exported > expected.now:
        raise PlannerError("error.stamp-future", file=file, field=PREFIX + "exported",
                           value=stamp.exported.isoformat(), now=expected.now.isoformat())


def _bad(file: str, name: str, value: Any) -> PlannerError:
    return PlannerError("error.stamp-bad", file=file, field=PREFIX + name, value=_echo(value))


def _echo(value: Any) -> str:
    """A value from the file as a message shows it: short, one line, no control character
    acting on the terminal (XML lets C1 controls and bidi overrides through)."""
    return printable(shown(value), one_line=True)


def _name(ours: Mapping[str, Any], name: str, file: str, *, empty: bool = False
          ) -> str | None:
    """A name as text, of at most MAX_NAME_CHARS; empty (None) only where `empty`."""
    value = ours[name]
    if value is None and empty:
        return None
    if not isinstance(value, str) or len(value) > MAX_NAME_CHARS:
        raise _bad(file, name, value)
    text = value.strip()
    if not text and not empty:
        raise _bad(file, name, value)
    return text or None


def _integer(value: Any) -> int | None:
    """An integer as written (text of digits) or as a program re-saved it (a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value) if len(value) <= 12 else None
    return None


def _year(ours: Mapping[str, Any], file: str) -> int:
    year = _integer(ours["year"])
    if year is None or not YEARS[0] <= year <= YEARS[1]:
        raise _bad(file, "year", ours["year"])
    return year


def _count(ours: Mapping[str, Any], file: str) -> int:
    count = _integer(ours["history"])
    if count is None:
        raise _bad(file, "history", ours["history"])
    return count


def _moment(ours: Mapping[str, Any], file: str) -> dt.datetime:
    """ISO 8601 with its offset as written; a date property (which programs keep in UTC)
    where someone retyped it as one."""
    value = ours["exported"]
    moment = None
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    elif isinstance(value, str) and len(value) <= 40:
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None or not YEARS[0] <= moment.year <= YEARS[1]:
        raise _bad(file, "exported", value)
    return moment.astimezone(SHANGHAI)


def _folded(name: str | None) -> str:
    """A name as compared: width, case, spacing and what a workbook cannot hold aside."""
    return " ".join(unicodedata.normalize("NFKC", XML_ILLEGAL.sub("", name or ""))
                    .casefold().split())


def _shop(name: str | None) -> str:
    return _echo(name) if name else Msg("stamp.no-shop-name")
