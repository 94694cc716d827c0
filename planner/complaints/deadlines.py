"""First-response deadlines and business hours.

All times are Asia/Shanghai. T, the day a complaint counts as accepted, is the day it arrived
when that is a working day and it arrived before the end of business (an arrival before the
start of business on a working day counts for that same day), else the next working day.
Arriving exactly at the end of business counts as after it. The rules:

- ``same-day``: end of business on T;
- ``T+1`` / ``T+2``: end of business on the first / second working day after T;
- ``3h``: three clock hours after arrival, whatever the day or hour.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from planner.complaints.workdays import ESTIMATED, OFFICIAL, WorkCalendar
from planner.core.clock import SHANGHAI, to_shanghai
from planner.core.errors import PlannerError
from planner.core.yamlio import line_of

# Working days after T for each calendar rule; CLOCK_RULES count hours from arrival instead.
WORKDAY_RULES = {"same-day": 0, "T+1": 1, "T+2": 2}
CLOCK_RULES = {"3h": dt.timedelta(hours=3)}
RULES = (*WORKDAY_RULES, *CLOCK_RULES)
BUSINESS_HOURS_KEY = "business_hours"

_TIME_FORMAT = re.compile(r"^(\d{1,2}):(\d{2})$")


class BusinessHours(NamedTuple):
    """The shop's working hours on a working day (end is exclusive).

    Only `end` moves deadlines; an arrival before `start` counts for that same day.
    """

    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(18, 0)


DEFAULT_HOURS = BusinessHours()


class Deadline(NamedTuple):
    """A first-response deadline and whether the calendar behind it had to be estimated."""

    at: dt.datetime
    rule: str
    estimated_years: tuple[int, ...] = ()

    @property
    def estimated(self) -> bool:
        return bool(self.estimated_years)

    @property
    def calendar(self) -> str:
        return ESTIMATED if self.estimated else OFFICIAL


def acceptance_day(received: dt.datetime, calendar: WorkCalendar,
                   hours: BusinessHours = DEFAULT_HOURS) -> dt.date:
    """T: the working day on which a complaint received at `received` counts as accepted."""
    local = to_shanghai(received)
    day = local.date()
    if local.time() < hours.end and calendar.is_workday(day):
        return day
    return calendar.next_workday(day)


def first_response(rule: str, received: dt.datetime, calendar: WorkCalendar,
                   hours: BusinessHours = DEFAULT_HOURS) -> Deadline:
    """The deadline of `rule` for a complaint received at `received`, with its calendar status.

    It is ``estimated`` only if a year this deadline depends on had to be estimated (those
    years are in `estimated_years`).
    """
    local = to_shanghai(received)
    if rule in CLOCK_RULES:
        at = (local.astimezone(dt.UTC) + CLOCK_RULES[rule]).astimezone(SHANGHAI)
        return Deadline(at, rule)
    if rule not in WORKDAY_RULES:
        raise PlannerError("error.unknown-value", field="rule", value=rule,
                           allowed=", ".join(RULES))
    day = calendar.add_workdays(acceptance_day(local, calendar, hours), WORKDAY_RULES[rule])
    at = dt.datetime.combine(day, hours.end, tzinfo=SHANGHAI)
    # The calendar was consulted for the days from arrival to the deadline, and no others.
    estimated = tuple(year for year in range(local.year, day.year + 1)
                      if calendar.is_estimated(year))
    return Deadline(at, rule, estimated)


def parse_business_hours(value: Any, file: str, line: int | None = None) -> BusinessHours:
    """Validate a ``business_hours: {start: "09:00", end: "18:00"}`` value from a shop file.

    Either key may be left out (it keeps its default); errors name the file and line.
    """
    if value is None:
        return DEFAULT_HOURS
    if not isinstance(value, dict):
        raise PlannerError("error.wrong-type", file=file, line=line, field=BUSINESS_HOURS_KEY,
                           expected='{start: "09:00", end: "18:00"}')
    for key in value:
        if key not in ("start", "end"):
            raise PlannerError("error.unknown-key", file=file, line=line_of(value, key) or line,
                               field=f"{BUSINESS_HOURS_KEY}.{key}", allowed="start, end")
    times = {}
    for key in ("start", "end"):
        where = {"file": file, "line": line_of(value, key) or line,
                 "field": f"{BUSINESS_HOURS_KEY}.{key}"}
        times[key] = (_clock_time(value[key], where) if value.get(key) is not None
                      else getattr(DEFAULT_HOURS, key))
    if times["start"] >= times["end"]:
        raise PlannerError("error.business-hours-order", file=file, line=line_of(value, "end")
                           or line, field=BUSINESS_HOURS_KEY, start=times["start"].strftime(
                               "%H:%M"), end=times["end"].strftime("%H:%M"))
    return BusinessHours(times["start"], times["end"])


def _clock_time(value: Any, where: dict[str, Any]) -> dt.time:
    # An unquoted 9:00 reaches us as the number 540 (YAML 1.1 base-60), hence the hint.
    match = _TIME_FORMAT.match(value) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    raise PlannerError("error.bad-clock-time", **where, value=value)
