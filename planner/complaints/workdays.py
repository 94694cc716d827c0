"""Working days in mainland China: public holidays and make-up working days (调休).

The official schedule comes from the `chinesecalendar` package (imported on first use). Each
year's schedule is published only in November of the year before, so a workspace may supply
years the package does not know yet in ``holidays.yaml``::

    2027:
      days_off: [2027-01-01, "2027-02-06..2027-02-13"]   # public holidays (ranges inclusive)
      makeup_days: [2027-02-20]                         # make-up working days on a weekend

(The keys are not ``off``/``on`` because YAML reads those words as true/false.) A year
listed there is defined by the file alone (weekends off, plus ``days_off``, minus
``makeup_days``)
and replaces the package's data for that year. A date in a year that neither source knows is
answered from weekends only; the calendar remembers such years so that every output built on
it can say that it is estimated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from planner.core.clock import YEARS
from planner.core.errors import Msg, PlannerError
from planner.core.userfiles import load_yaml_file
from planner.core.yamlio import line_of

SCHEDULE_KEYS = ("days_off", "makeup_days")
YEAR_MIN, YEAR_MAX = YEARS
# No real schedule has more than a couple of weeks off in a row; a longer search means the
# data is broken, and stopping beats looping forever.
MAX_GAP_DAYS = 366
OFFICIAL, ESTIMATED = "official", "estimated"


class YearSchedule(NamedTuple):
    """One year's exceptions to the Monday-to-Friday week."""

    off: frozenset[dt.date] = frozenset()
    on: frozenset[dt.date] = frozenset()

    def is_workday(self, day: dt.date) -> bool:
        if day in self.on:
            return True
        return day not in self.off and day.weekday() < 5


def _package_answer(day: dt.date) -> bool | None:
    """The package's answer for `day`, or None for a year it does not know."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass
class WorkCalendar:
    """Answers "is this a working day?" from the workspace, the package, or weekends only.

    `extra` maps a year to the workspace's schedule for it; `source` names the file it came
    from (for messages).
    """

    extra: dict[int, YearSchedule] = field(default_factory=dict)
    source: str | None = None
    _package_years: dict[int, bool] = field(default_factory=dict, repr=False)

    @classmethod
    def from_file(cls, path: str | Path | None, workspace: Path | None = None
                  ) -> WorkCalendar:
        """The calendar of a shop: its holidays file `path` if present, then the package."""
        if path is None or not Path(path).exists():  # a folder there: load_holidays says so
            return cls()
        return cls(extra=load_holidays(path, workspace), source=str(path))

    def source_of(self, year: int) -> str:
        """Where the schedule of `year` comes from: ``workspace``, ``package`` or ``estimated``."""
        if year in self.extra:
            return "workspace"
        if year not in self._package_years:
            self._package_years[year] = _package_answer(dt.date(year, 6, 1)) is not None
        return "package" if self._package_years[year] else ESTIMATED

    def is_estimated(self, year: int) -> bool:
        """Whether dates in `year` can only be estimated (does not record anything)."""
        return self.source_of(year) == ESTIMATED

    def is_workday(self, day: dt.date) -> bool:
        """Whether `day` is a working day (weekends only, for a year nobody knows yet)."""
        day = dt.date(day.year, day.month, day.day)
        source = self.source_of(day.year)
        if source == "workspace":
            return self.extra[day.year].is_workday(day)
        if source == "package":
            answer = _package_answer(day)
            if answer is not None:
                return answer
        return day.weekday() < 5

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        day = dt.date(day.year, day.month, day.day)
        for offset in range(1, MAX_GAP_DAYS + 1):
            candidate = day + dt.timedelta(days=offset)
            if self.is_workday(candidate):
                return candidate
        raise PlannerError("error.holidays-no-workday", file=self.source, day=day.isoformat())

    def add_workdays(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day` (`day` itself when `count` is 0)."""
        day = dt.date(day.year, day.month, day.day)
        for _ in range(count):
            day = self.next_workday(day)
        return day


def load_holidays(path: str | Path, workspace: Path | None = None
                  ) -> dict[int, YearSchedule]:
    """Read and validate a workspace ``holidays.yaml``; errors name the file, line and entry."""
    name = str(path)
    data = load_yaml_file(path, workspace)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PlannerError("error.wrong-type", file=name,
                           expected=Msg("type.mapping-of", what="year -> {days_off, makeup_days}"))
    schedules = {}
    for key in data:
        year = _year_key(data, key, name)
        schedules[year] = _year_schedule(data, key, year, name)
    return schedules


def _year_key(data: Any, key: Any, name: str) -> int:
    if isinstance(key, str) and key.strip().isdigit():  # "2027" quoted is still a year
        key = int(key)
    if isinstance(key, bool) or not isinstance(key, int) or not YEAR_MIN <= key <= YEAR_MAX:
        raise PlannerError("error.holidays-year", file=name, line=line_of(data, key),
                           field=str(key), low=YEAR_MIN, high=YEAR_MAX)
    return key


def _year_schedule(data: Any, key: Any, year: int, name: str) -> YearSchedule:
    spec = data[key]
    where = {"file": name, "line": line_of(data, key), "field": str(year)}
    if spec is None:
        return YearSchedule()
    if not isinstance(spec, dict):
        raise PlannerError("error.wrong-type", **where,
                           expected=Msg("type.mapping-with", keys=", ".join(SCHEDULE_KEYS)))
    for key in spec:
        if key not in SCHEDULE_KEYS:
            # YAML reads a bare off/on/yes/no as false/true: show the word as typed
            shown = ("off/no" if key is False else "on/yes") if isinstance(key, bool) else key
            raise PlannerError("error.unknown-key", file=name, line=line_of(spec, key),
                               field=f"{year}.{shown}", allowed=", ".join(SCHEDULE_KEYS))
    off, on = (_date_list(spec, key, year, name) for key in SCHEDULE_KEYS)
    if off & on:
        raise PlannerError("error.holidays-conflict", file=name,
                           line=line_of(spec, "makeup_days"), field=f"{year}.makeup_days",
                           day=min(off & on).isoformat())
    return YearSchedule(off=frozenset(off), on=frozenset(on))


def _date_list(spec: Any, key: str, year: int, name: str) -> set[dt.date]:
    entries = spec.get(key)
    where = {"file": name, "line": line_of(spec, key), "field": f"{year}.{key}"}
    if entries is None:
        return set()
    if not isinstance(entries, list):
        entries = [entries]
    days: set[dt.date] = set()
    for entry in entries:
        first, last = _date_range(entry, where)
        for day in (first, last):
            if day.year != year:
                raise PlannerError("error.holidays-wrong-year", **where, day=day.isoformat(),
                                   year=year)
        days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return days


def _date_range(entry: Any, where: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """A date, or an inclusive ``YYYY-MM-DD..YYYY-MM-DD`` range."""
    if isinstance(entry, dt.date) and not isinstance(entry, dt.datetime):
        return entry, entry
    text = str(entry).strip()
    parts = [part.strip() for part in text.split("..")]
    try:
        if len(parts) in (1, 2):
            first = dt.date.fromisoformat(parts[0])
            last = dt.date.fromisoformat(parts[-1])
            if first <= last:
                return first, last
    except ValueError:
        pass
    raise PlannerError("error.holidays-date", **where, value=text)
