"""The shop's service calendar: the days and hours its CS answers complaints, per phase.

A shop file may give it instead of ``business_hours``::

    service:
      default: {days: workdays, hours: "09:00-18:00"}
      battle:  {days: every-day, hours: "08:00-24:00"}
      same_day_minimum_minutes: 60

``days`` is ``workdays`` (the official working days, make-up days and the workspace's
``holidays.yaml`` included), ``every-day``, or a list of weekdays (``[mon, tue, wed, thu, fri,
sat]``, regardless of public holidays). ``hours`` is ``"HH:MM-HH:MM"``; ``24:00`` closes at
midnight. A day takes the spec of its phase (``prepare``, ``battle``, ``aftermath``), else
``default``; a phase spec without ``days`` or ``hours`` takes that part of ``default``, and
without ``default`` it is workdays 09:00-18:00. A complaint received less than
``same_day_minimum_minutes`` (default `DEFAULT_MINIMUM_MINUTES`) before closing counts for the
next service day. A deadline counted on this calendar is named after the spec of the service
day it falls on: ``service.battle``, ``service.default``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from planner.complaints.deadlines import Deadline, deadline_on
from planner.complaints.workdays import MAX_GAP_DAYS, WorkCalendar
from planner.core.clock import SHANGHAI
from planner.core.errors import Msg, PlannerError
from planner.core.yamlio import check_keys, line_of

SERVICE_KEY = "service"
DEFAULT_SPEC = "default"
MINIMUM_KEY = "same_day_minimum_minutes"
SPEC_KEYS = ("days", "hours")
WORKDAYS, EVERY_DAY = "workdays", "every-day"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# An hour: enough to check the order and reach whoever must act before closing, while a
# complaint from earlier in the day still gets its answer that day.
DEFAULT_MINIMUM_MINUTES = 60
CALENDAR_PREFIX = "service."
DAY_MINUTES = 24 * 60

_HOURS_FORMAT = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")

# The phase of a day in the shop's campaign (None outside every campaign).
PhaseOf = Callable[[dt.date], str | None]


class ServiceSpec(NamedTuple):
    """Service days and hours; times in minutes after midnight (`closes` 1440 = 24:00)."""

    days: str | frozenset[int] = WORKDAYS  # WORKDAYS, EVERY_DAY or weekday numbers (Mon 0)
    opens: int = 9 * 60
    closes: int = 18 * 60

    def is_open(self, day: dt.date, workdays: WorkCalendar) -> bool:
        if self.days == WORKDAYS:
            return workdays.is_workday(day)
        return self.days == EVERY_DAY or day.weekday() in self.days

    def closing(self, day: dt.date) -> dt.datetime:
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI)
        return midnight + dt.timedelta(minutes=self.closes)

    @property
    def hours(self) -> str:
        return f"{_clock(self.opens)}-{_clock(self.closes)}"


OFFICE_SPEC = ServiceSpec()


class ServiceSettings(NamedTuple):
    """A shop's validated ``service`` block: `specs` always holds ``default``."""

    specs: dict[str, ServiceSpec]
    minimum_minutes: int = DEFAULT_MINIMUM_MINUTES


@dataclass
class ServiceCalendar:
    """The service calendar of one shop: its settings on its working calendar and phases."""

    settings: ServiceSettings
    workdays: WorkCalendar
    phase_of: PhaseOf | None = None

    @property
    def minimum(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.settings.minimum_minutes)

    def spec_id(self, day: dt.date) -> str:
        """The spec that `day` follows: its phase's if the shop gave one, else ``default``."""
        specs = self.settings.specs
        if len(specs) == 1 or self.phase_of is None:
            return DEFAULT_SPEC
        phase = self.phase_of(day)
        return phase if phase in specs else DEFAULT_SPEC

    def spec(self, day: dt.date) -> ServiceSpec:
        return self.settings.specs[self.spec_id(day)]

    def is_open(self, day: dt.date) -> bool:
        return self.spec(day).is_open(day, self.workdays)

    def next_open(self, day: dt.date) -> dt.date:
        """The first service day strictly after `day`."""
        for offset in range(1, MAX_GAP_DAYS + 1):
            candidate = day + dt.timedelta(days=offset)
            if self.is_open(candidate):
                return candidate
        raise PlannerError("error.holidays-no-workday", file=self.workdays.source,
                           day=day.isoformat())

    def closing(self, day: dt.date) -> dt.datetime:
        return self.spec(day).closing(day)

    def is_estimated(self, day: dt.date) -> bool:
        return self.spec(day).days == WORKDAYS and self.workdays.is_estimated(day.year)

    def name(self, day: dt.date) -> str:
        return CALENDAR_PREFIX + self.spec_id(day)

    def first_response(self, rule: str, received: dt.datetime) -> Deadline:
        """The deadline of `rule` for a complaint received at `received`."""
        return deadline_on(self, rule, received)


def calendar_names(phases: Sequence[str]) -> tuple[str, ...]:
    """Every name a deadline on a service calendar can have."""
    return tuple(CALENDAR_PREFIX + spec for spec in (DEFAULT_SPEC, *phases))


# --- the shop file's block -------------------------------------------------------------------

def parse_service(value: Any, file: str, line: int | None, phases: Sequence[str]
                  ) -> ServiceSettings | None:
    """Validate a shop file's ``service`` block (None: no block); errors name file, line
    and field."""
    if value is None:
        return None
    allowed = (DEFAULT_SPEC, *phases, MINIMUM_KEY)
    if not isinstance(value, dict):
        raise PlannerError("error.wrong-type", file=file, line=line, field=SERVICE_KEY,
                           expected=Msg("type.mapping-with", keys=", ".join(allowed)))
    check_keys(value, allowed, file=file, field=SERVICE_KEY, line=line)
    default = _spec(value, DEFAULT_SPEC, OFFICE_SPEC, file, line)
    specs = {DEFAULT_SPEC: default}
    specs.update((phase, _spec(value, phase, default, file, line))
                 for phase in phases if phase in value)
    minimum = _minimum(value, specs, file, line)
    return ServiceSettings(specs, minimum)


def _spec(block: Any, key: str, base: ServiceSpec, file: str, line: int | None
          ) -> ServiceSpec:
    """One phase's spec; what it leaves out comes from `base`."""
    value = block.get(key)
    field = f"{SERVICE_KEY}.{key}"
    here = line_of(block, key) or line
    if value is None:
        return base
    if not isinstance(value, dict):
        raise PlannerError("error.wrong-type", file=file, line=here, field=field,
                           expected='{days: workdays, hours: "09:00-18:00"}')
    check_keys(value, SPEC_KEYS, file=file, field=field, line=here)

    def where(name: str) -> dict[str, Any]:
        return {"file": file, "line": line_of(value, name) or here, "field": f"{field}.{name}"}

    days = base.days if value.get("days") is None else _days(value["days"], where("days"))
    if value.get("hours") is None:
        return base._replace(days=days)
    opens, closes = _hours(value["hours"], where("hours"))
    return ServiceSpec(days, opens, closes)


def _days(value: Any, where: dict[str, Any]) -> str | frozenset[int]:
    if value in (WORKDAYS, EVERY_DAY):
        return value
    names = [str(name).strip().lower() for name in value] if isinstance(value, list) else []
    if names and all(name in WEEKDAYS for name in names):
        return frozenset(WEEKDAYS.index(name) for name in names)
    shown = ", ".join(map(str, value)) if isinstance(value, list) else value
    raise PlannerError("error.service-days", **where, value=shown,
                       weekdays=", ".join(WEEKDAYS))


def _hours(value: Any, where: dict[str, Any]) -> tuple[int, int]:
    """``"HH:MM-HH:MM"`` as minutes after midnight; the end may be ``24:00``."""
    match = _HOURS_FORMAT.match(value.strip()) if isinstance(value, str) else None
    if match:
        opens_h, opens_m, closes_h, closes_m = map(int, match.groups())
        opens, closes = opens_h * 60 + opens_m, closes_h * 60 + closes_m
        if opens_h < 24 and max(opens_m, closes_m) < 60 and closes <= DAY_MINUTES:
            if opens >= closes:
                raise PlannerError("error.service-hours-order", **where, opens=_clock(opens),
                                   closes=_clock(closes))
            return opens, closes
    raise PlannerError("error.service-hours", **where, value=value)


def _minimum(block: Any, specs: dict[str, ServiceSpec], file: str, line: int | None) -> int:
    """The same-day minimum: whole minutes, shorter than every spec's service hours."""
    value = block.get(MINIMUM_KEY)
    given = value is not None
    where = {"file": file, "line": line_of(block, MINIMUM_KEY) or line, "field":
             f"{SERVICE_KEY}.{MINIMUM_KEY}"}
    if not given:
        value = DEFAULT_MINIMUM_MINUTES
    elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PlannerError("error.service-minimum", **where, value=value)
    key, shortest = min(specs.items(), key=lambda item: item[1].closes - item[1].opens)
    if value < shortest.closes - shortest.opens:
        return value
    if given:
        raise PlannerError("error.service-minimum-too-long", **where, minutes=value,
                           hours=shortest.hours, spec=key)
    # the default minimum: what the shop wrote is the hours
    raise PlannerError("error.service-hours-too-short", file=file,
                       line=line_of(block.get(key), "hours") or line_of(block, key) or line,
                       field=f"{SERVICE_KEY}.{key}.hours", minutes=value, hours=shortest.hours)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
