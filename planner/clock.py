"""Time in the shop's zone (Asia/Shanghai): now, and the datetimes users type.

A DATETIME is ``YYYY-MM-DD HH:MM`` (read as Asia/Shanghai), ``YYYY-MM-DD`` (midnight there),
or ISO 8601 with an offset. Results are aware datetimes in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from planner.errors import PlannerError

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no DST since 1991
_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def now() -> dt.datetime:
    """The current time in Asia/Shanghai, to the second.

    ``PLANNER315_NOW`` (an ISO datetime) fixes it, so that tests and demos are reproducible.
    """
    fixed = os.environ.get("PLANNER315_NOW")
    if fixed:
        return parse_datetime(fixed, field="PLANNER315_NOW")
    return dt.datetime.now(SHANGHAI).replace(microsecond=0)


def parse_datetime(text: str, *, field: str | None = None) -> dt.datetime:
    value = str(text).strip()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise PlannerError("error.bad-datetime", field=field, value=value) from None
    if parsed.tzinfo is None:
        if not _LOCAL.match(value):
            raise PlannerError("error.bad-datetime", field=field, value=value)
        parsed = parsed.replace(tzinfo=SHANGHAI)
    return parsed.astimezone(SHANGHAI)


def iso(moment: dt.datetime) -> str:
    """ISO 8601 with the +08:00 offset."""
    return moment.astimezone(SHANGHAI).isoformat()
