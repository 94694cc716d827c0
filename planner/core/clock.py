"""Time in the shop's zone, Asia/Shanghai: now, and the date-times users type.

A DATETIME is ``YYYY-MM-DD HH:MM[:SS]`` (read as Asia/Shanghai) or ISO 8601 with an offset;
where a caller allows it, a date alone means midnight. Results are aware datetimes in
Asia/Shanghai. This is the one place that parses or produces them.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from planner.core.errors import PlannerError

# China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for
# every campaign year (2000-2100) and needs no time-zone database (none on Windows).
_OFFSET = dt.timedelta(hours=8)
SHANGHAI = dt.timezone(_OFFSET, "Asia/Shanghai")
# The campaign years the program plans for, and the years of every date and time it stores
# (a deadline included: a receipt whose deadline would fall after them is refused).
YEARS = (2000, 2100)
_LOCAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def now() -> dt.datetime:
    """The current time in Asia/Shanghai, to the second.

    ``PLANNER315_NOW`` (a DATETIME) fixes it, so that tests and demonstrations are
    reproducible.
    """
    fixed = os.environ.get("PLANNER315_NOW")
    if fixed:
        return parse_datetime(fixed, field="PLANNER315_NOW")
    return dt.datetime.now(SHANGHAI).replace(microsecond=0)


def to_shanghai(moment: dt.datetime) -> dt.datetime:
    """`moment` as Asia/Shanghai time (a naive value is taken to be Shanghai time already)."""
    if moment.tzinfo is None or moment.utcoffset() == _OFFSET:
        # already Shanghai time (every stored moment is): no conversion through UTC, which
        # would overflow at the ends of the calendar (a date of year 1 saved by an earlier
        # release)
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def parse_datetime(text: str, *, allow_date: bool = False, field: str | None = None
                   ) -> dt.datetime:
    """A DATETIME as Asia/Shanghai time; `PlannerError("error.bad-datetime")` otherwise.

    A date alone is refused unless `allow_date` (for a complaint the hour moves the deadline).
    """
    value = str(text).strip()
    parsed = None
    try:
        local = _LOCAL.match(value) or (allow_date and _DATE.match(value))
        if local:
            parsed = dt.datetime(*(int(part or 0) for part in local.groups()), tzinfo=SHANGHAI)
        else:
            aware = dt.datetime.fromisoformat(value)
            parsed = aware.astimezone(SHANGHAI) if aware.tzinfo is not None else None
    except (ValueError, OverflowError):
        pass
    if parsed is None:
        raise PlannerError("error.bad-datetime", field=field, value=value)
    check_year_of(parsed, value, field)
    return parsed


def parse_date(text: str, *, field: str | None = None) -> dt.date:
    """A DATE (``YYYY-MM-DD``) in the supported years; `PlannerError` otherwise."""
    value = str(text).strip()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None:
        raise PlannerError("error.bad-date", field=field, value=value)
    check_year_of(day, value, field)
    return day


def in_years(moment: dt.date) -> bool:
    """Whether `moment` (a date, or a date-time read in Asia/Shanghai) falls in `YEARS`, the
    years every stored date and time keeps to."""
    if isinstance(moment, dt.datetime):
        moment = to_shanghai(moment)
    return YEARS[0] <= moment.year <= YEARS[1]


def check_year_of(moment: dt.date, value: str, field: str | None) -> None:
    if not in_years(moment):
        raise PlannerError("error.datetime-year", field=field, value=value, low=YEARS[0],
                           high=YEARS[1])


def iso(moment: dt.datetime) -> str:
    """ISO 8601 with the +08:00 offset."""
    return to_shanghai(moment).isoformat()
