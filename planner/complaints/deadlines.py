"""First-response deadlines, counted on a calendar of open days, and business hours.

All times are Asia/Shanghai. A deadline is counted on `ServiceDays`: the office's calendar
(`OfficeDays`: official working days and the shop's business hours, for a shop without a
``service`` block) or the shop's service calendar (`planner.complaints.service`). T, the day
a complaint counts as accepted, is the day it arrived when that day is open and the complaint
arrived at least the calendar's minimum before closing (none on the office's calendar; an
arrival before opening counts for that same day), else the next open day. Arriving exactly at
closing counts as after it. The rules:

- ``same-day``: closing time of T;
- ``T+1`` / ``T+2``: closing time of the first / second open day after T;
- ``3h``: three clock hours after arrival, whatever the day or hour (calendar name ``clock``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple, Protocol

from planner.complaints.workdays import ESTIMATED, OFFICIAL, WorkCalendar
from planner.core.clock import SHANGHAI, to_shanghai
from planner.core.errors import PlannerError
from planner.core.yamlio import check_keys, line_of

# Working days after T for each calendar rule; CLOCK_RULES count hours from arrival instead.
WORKDAY_RULES = {"same-day": 0, "T+1": 1, "T+2": 2}
CLOCK_RULES = {"3h": dt.timedelta(hours=3)}
RULES = (*WORKDAY_RULES, *CLOCK_RULES)
BUSINESS_HOURS_KEY = "business_hours"
# Names of the calendars that make deadlines: the office's (a shop without a service block)
# and the clock's (the 3-hour rule, whatever the day); a shop's service calendar names its own.
OFFICE, CLOCK = "office", "clock"

_TIME_FORMAT = re.compile(r"^(\d{1,2}):(\d{2})$")


class BusinessHours(NamedTuple):
    """The shop's working hours on a working day (end is exclusive).

    Only `end` moves deadlines; an arrival before `start` counts for that same day.
    """

    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(18, 0)


DEFAULT_HOURS = BusinessHours()


class Deadline(NamedTuple):
    """A first-response deadline, whether the calendar behind it had to be estimated, and
    which calendar made it (`calendar_name`: see `OFFICE`, `CLOCK` and
    `planner.complaints.service`)."""

    at: dt.datetime
    rule: str
    estimated_years: tuple[int, ...] = ()
    calendar_name: str = OFFICE

    @property
    def estimated(self) -> bool:
        return bool(self.estimated_years)

    @property
    def calendar(self) -> str:
        return ESTIMATED if self.estimated else OFFICIAL


class ServiceDays(Protocol):
    """The days and hours deadlines are counted on: which days are open, when each one
    closes, and how long before closing a complaint must arrive to count for that day."""

    @property
    def minimum(self) -> dt.timedelta: ...

    def is_open(self, day: dt.date) -> bool: ...

    def next_open(self, day: dt.date) -> dt.date: ...

    def closing(self, day: dt.date) -> dt.datetime: ...

    def is_estimated(self, day: dt.date) -> bool: ...

    def name(self, day: dt.date) -> str: ...


class OfficeDays(NamedTuple):
    """The office's calendar: official working days, closing at the end of business."""

    calendar: WorkCalendar
    hours: BusinessHours = DEFAULT_HOURS
    minimum: dt.timedelta = dt.timedelta(0)

    def is_open(self, day: dt.date) -> bool:
        return self.calendar.is_workday(day)

    def next_open(self, day: dt.date) -> dt.date:
        return self.calendar.next_workday(day)

    def closing(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.hours.end, tzinfo=SHANGHAI)

    def is_estimated(self, day: dt.date) -> bool:
        return self.calendar.is_estimated(day.year)

    def name(self, day: dt.date) -> str:
        return OFFICE


def accepted_on(days: ServiceDays, received: dt.datetime) -> dt.date:
    """T on `days`: the day received if it is open and the complaint arrived at least
    ``days.minimum`` before it closes (and before, not at, the closing), else the next one."""
    local = to_shanghai(received)
    day = local.date()
    if days.is_open(day):
        left = days.closing(day) - local
        if left > dt.timedelta(0) and left >= days.minimum:
            return day
    return days.next_open(day)


def deadline_on(days: ServiceDays, rule: str, received: dt.datetime) -> Deadline:
    """The deadline of `rule` counted on `days` for a complaint received at `received`.

    It is ``estimated`` only if a day this deadline depends on had to be estimated (the
    years of those days are in `estimated_years`).
    """
    local = to_shanghai(received)
    if rule in CLOCK_RULES:
        at = (local.astimezone(dt.UTC) + CLOCK_RULES[rule]).astimezone(SHANGHAI)
        return Deadline(at, rule, (), CLOCK)
    if rule not in WORKDAY_RULES:
        raise PlannerError("error.unknown-value", field="rule", value=rule,
                           allowed=", ".join(RULES))
    day = accepted_on(days, local)
    for _ in range(WORKDAY_RULES[rule]):
        day = days.next_open(day)
    # The calendar was consulted for the days from arrival to the deadline, and no others.
    consulted = (local.date() + dt.timedelta(days=n)
                 for n in range((day - local.date()).days + 1))
    estimated = sorted({one.year for one in consulted if days.is_estimated(one)})
    return Deadline(days.closing(day), rule, tuple(estimated), days.name(day))


def acceptance_day(received: dt.datetime, calendar: WorkCalendar,
                   hours: BusinessHours = DEFAULT_HOURS) -> dt.date:
    """T: the working day on which a complaint received at `received` counts as accepted."""
    return accepted_on(OfficeDays(calendar, hours), received)


def first_response(rule: str, received: dt.datetime, calendar: WorkCalendar,
                   hours: BusinessHours = DEFAULT_HOURS) -> Deadline:
    """The deadline of `rule` on the office calendar (official working days, `hours`)."""
    return deadline_on(OfficeDays(calendar, hours), rule, received)


def parse_business_hours(value: Any, file: str, line: int | None = None) -> BusinessHours:
    """Validate a ``business_hours: {start: "09:00", end: "18:00"}`` value from a shop file.

    Either key may be left out (it keeps its default); errors name the file and line.
    """
    if value is None:
        return DEFAULT_HOURS
    if not isinstance(value, dict):
        raise PlannerError("error.wrong-type", file=file, line=line, field=BUSINESS_HOURS_KEY,
                           expected='{start: "09:00", end: "18:00"}')
    check_keys(value, ("start", "end"), file=file, field=BUSINESS_HOURS_KEY, line=line)
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
