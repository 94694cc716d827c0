"""The campaign calendar: phases, shop-size tiers, and the dated windows for a given year.

Everything here is driven by ``checklists/campaign.yaml``; this module knows the shape of that
file, not its dates. Dates are plain `datetime.date` values: every command a person types
goes through here, and importing pendulum would cost more start-up time than the whole
plan computation (see bench/run.py), for arithmetic the standard library does exactly. The
tests check every window and due date against pendulum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.core.clock import YEARS
from planner.core.errors import Msg, PlannerError
from planner.core.i18n import bilingual
from planner.core.snapshot import load_shipped
from planner.core.yamlio import check_choice, line_of

CAMPAIGN_FILE = "campaign.yaml"
YEAR_MIN, YEAR_MAX = YEARS
CONSUMER_DAY = (3, 15)


@dataclass(frozen=True)
class Window:
    """One phase of one campaign: inclusive dates."""

    phase: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Campaign:
    """The contents of campaign.yaml, validated."""

    phases: tuple[str, ...]
    phase_names: dict[str, dict[str, str]]
    tiers: dict[str, dict[str, tuple[str, str]]]
    tier_names: dict[str, dict[str, str]]
    size_thresholds: tuple[tuple[str, int, int], ...]
    categories: dict[str, dict[str, str]]
    owners: dict[str, dict[str, str]]

    def phase_name(self, phase: str, lang: str) -> str:
        return self.phase_names[phase][lang]

    def category_name(self, category: str, lang: str) -> str:
        return self.categories[category][lang]

    def owner_name(self, owner: str, lang: str) -> str:
        return self.owners[owner][lang]


@cache
def load_campaign() -> Campaign:
    return parse_campaign(load_shipped("planner.checklists", CAMPAIGN_FILE), CAMPAIGN_FILE)


def _named_list(data: Any, key: str, name: str) -> dict[str, dict[str, str]]:
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise PlannerError("error.data-missing", file=name, line=line_of(data, key), field=key)
    named: dict[str, dict[str, str]] = {}
    for entry in entries:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, str):
            raise PlannerError("error.data-missing", file=name, line=line_of(data, key),
                               field=f"{key}[].id")
        if ident in named:
            raise PlannerError("error.data-duplicate-id", file=name, line=entry.line,
                               field=f"{key}.{ident}")
        named[ident] = bilingual(entry.get("name"), name, line_of(entry, "name"),
                                 f"{key}.{ident}.name")
    return named


def parse_campaign(data: Any, name: str) -> Campaign:
    """Validate the campaign file's structure (dates are checked when a year is applied)."""
    phase_names = _named_list(data, "phases", name)
    phases = tuple(phase_names)
    raw_tiers = data.get("tiers")
    if not isinstance(raw_tiers, dict) or not raw_tiers:
        raise PlannerError("error.data-missing", file=name, line=line_of(data, "tiers"),
                           field="tiers")
    tiers: dict[str, dict[str, tuple[str, str]]] = {}
    tier_names: dict[str, dict[str, str]] = {}
    for tier, spec in raw_tiers.items():
        if not isinstance(spec, dict):
            raise PlannerError("error.wrong-type", file=name, line=line_of(raw_tiers, tier),
                               field=f"tiers.{tier}", expected=Msg("type.mapping"))
        tier_names[tier] = bilingual(spec.get("name"), name, line_of(spec, "name"),
                                     f"tiers.{tier}.name")
        tiers[tier] = {}
        for phase in phases:
            pair = spec.get(phase)
            if not (isinstance(pair, list) and len(pair) == 2):
                raise PlannerError("error.data-phase-dates", file=name,
                                   line=line_of(spec, phase) or spec.line,
                                   field=f"tiers.{tier}.{phase}")
            tiers[tier][phase] = (str(pair[0]), str(pair[1]))
    thresholds = []
    for entry in data.get("size_thresholds") or []:
        tier = check_choice(entry.get("tier"), tiers, file=name, line=line_of(entry, "tier"),
                            field="size_thresholds.tier")
        thresholds.append((tier, int(entry["daily_orders"]), int(entry["cs_headcount"])))
    return Campaign(
        phases=phases,
        phase_names=phase_names,
        tiers=tiers,
        tier_names=tier_names,
        size_thresholds=tuple(thresholds),
        categories=_named_list(data, "categories", name),
        owners=_named_list(data, "owners", name),
    )


def derive_size(daily_orders: int | None, cs_headcount: int | None,
                campaign: Campaign | None = None) -> str | None:
    """The first tier whose minimum the shop reaches on either measure; None without figures."""
    if daily_orders is None and cs_headcount is None:
        return None
    campaign = campaign or load_campaign()
    orders, agents = daily_orders or 0, cs_headcount or 0
    for tier, min_orders, min_agents in campaign.size_thresholds:
        if orders >= min_orders or agents >= min_agents:
            return tier
    return campaign.size_thresholds[-1][0]


def month_day(value: Any, year: int, *, file: str | None = None, line: int | None = None,
              field: str | None = None) -> dt.date:
    """A date in `year` from ``MM-DD``, or a full date that must lie in `year`."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if value.year != year:
            raise PlannerError("error.override-year", file=file, line=line, field=field,
                               value=value.isoformat(), year=year)
        return dt.date(value.year, value.month, value.day)
    if not isinstance(value, str | int):
        raise PlannerError("error.wrong-type", file=file, line=line, field=field,
                           expected=Msg("type.month-day"))
    text = str(value).strip()
    parts = text.split("-")
    try:
        if len(parts) == 2:
            return dt.date(year, int(parts[0]), int(parts[1]))
        if len(parts) == 3 and len(parts[0]) == 4:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            if day.year != year:
                raise PlannerError("error.override-year", file=file, line=line, field=field,
                                   value=text, year=year)
            return day
    except ValueError:
        pass
    raise PlannerError("error.bad-month-day", file=file, line=line, field=field, value=text,
                       year=year)


def tier_windows(tier: str, year: int, campaign: Campaign | None = None) -> list[Window]:
    """The default windows of `tier` in `year`."""
    campaign = campaign or load_campaign()
    spec = campaign.tiers[tier]
    return [
        Window(phase, month_day(spec[phase][0], year, file=CAMPAIGN_FILE),
               month_day(spec[phase][1], year, file=CAMPAIGN_FILE))
        for phase in campaign.phases
    ]


def apply_overrides(windows: list[Window], overrides: Any, year: int, source: str
                    ) -> list[Window]:
    """Replace phase dates with a shop's overrides and validate.

    ``{phase: {start, end}}`` holds dates for every year (``MM-DD``) or for one year
    (``YYYY-MM-DD``, ignored in other years); ``{"2027": {phase: {start, end}}}`` holds one
    year's dates, which win over the others in that year.
    """
    if overrides is None:
        return windows
    if not isinstance(overrides, dict):
        raise PlannerError("error.wrong-type", file=source, field="phases",
                           expected=Msg("type.mapping"))
    by_phase = {w.phase: w for w in windows}
    lines: dict[str, int | None] = {}
    for key in overrides:
        if not _year_key(key):
            continue
        where = {"file": source, "line": line_of(overrides, key), "field": f"phases.{key}"}
        if not YEAR_MIN <= int(key) <= YEAR_MAX:
            raise PlannerError("error.year-range", **where, value=key, low=YEAR_MIN,
                               high=YEAR_MAX)
        if not isinstance(overrides[key], dict):
            raise PlannerError("error.wrong-type", **where, expected=Msg("type.mapping"))
    this_year = next((spec for key, spec in overrides.items() if _year_key(key)
                      and int(key) == year), {})
    for section, prefix in ((overrides, "phases"), (this_year, f"phases.{year}")):
        every_year = section is overrides
        for phase, spec in section.items():
            if every_year and _year_key(phase):
                continue
            line = line_of(section, phase)
            if phase not in by_phase:
                raise PlannerError("error.unknown-value", file=source, line=line,
                                   field=f"{prefix}.{phase}", value=phase,
                                   allowed=", ".join(by_phase))
            if not isinstance(spec, dict) or not spec or set(spec) - {"start", "end"}:
                raise PlannerError("error.override-shape", file=source, line=line,
                                   field=f"{prefix}.{phase}")
            old = by_phase[phase]
            start, end = old.start, old.end
            for key in ("start", "end"):
                value = spec.get(key)
                if value is None:
                    continue
                if every_year and _other_year(value, year, file=source,
                                                line=line_of(spec, key),
                                                field=f"{prefix}.{phase}.{key}"):
                    continue
                day = month_day(value, year, file=source, line=line_of(spec, key),
                                field=f"{prefix}.{phase}.{key}")
                start, end = (day, end) if key == "start" else (start, day)
                lines[phase] = line
            by_phase[phase] = Window(phase, start, end)
    return validate_windows([by_phase[w.phase] for w in windows], source, lines=lines)


def _year_key(key: Any) -> bool:
    """A key of `phases` that names a year (``"2027"`` or 2027) rather than a phase."""
    return isinstance(key, int | str) and not isinstance(key, bool) and str(key).isdigit()


def _other_year(value: Any, year: int, **where: Any) -> bool:
    """A full date that belongs to another year's campaign (one the program plans for)."""
    if isinstance(value, dt.date):
        other = value.year
    else:
        parts = str(value).strip().split("-")
        if not (len(parts) == 3 and parts[0].isdigit()):
            return False
        other = int(parts[0])
    if not YEAR_MIN <= other <= YEAR_MAX:
        raise PlannerError("error.year-range", **where, value=other, low=YEAR_MIN,
                           high=YEAR_MAX)
    return other != year


def validate_windows(windows: list[Window], source: str,
                     lines: dict[str, int | None] | None = None) -> list[Window]:
    """Each phase non-empty, in order without overlap, and the battle holds March 15."""
    lines = lines or {}
    previous: Window | None = None
    for window in windows:
        where = {"file": source, "line": lines.get(window.phase),
                 "field": f"phases.{window.phase}"}
        if window.start > window.end:
            raise PlannerError("error.phase-reversed", **where, start=window.start.isoformat(),
                               end=window.end.isoformat())
        if previous is not None and window.start <= previous.end:
            if window.phase not in lines and previous.phase in lines:
                # only the earlier phase was moved: it is the one to fix
                raise PlannerError("error.phase-overlap-next", file=source,
                                   line=lines[previous.phase],
                                   field=f"phases.{previous.phase}", other=window.phase,
                                   other_start=window.start.isoformat())
            raise PlannerError("error.phase-overlap", **where, other=previous.phase,
                               other_end=previous.end.isoformat())
        if window.phase == "battle":
            consumer_day = dt.date(window.start.year, *CONSUMER_DAY)
            if not window.contains(consumer_day):
                raise PlannerError("error.battle-without-315", **where,
                                   start=window.start.isoformat(), end=window.end.isoformat())
        previous = window
    return windows


def campaign_windows(tier: str, year: int, overrides: Any = None, source: str = "shop.yaml"
                     ) -> list[Window]:
    return apply_overrides(tier_windows(tier, year), overrides, year, source)


def today_in_shanghai() -> dt.date:
    from planner.core.clock import now

    return now().date()


def default_year(today: dt.date, campaign_end: Any) -> int:
    """The next campaign not finished as of `today`: this year's, or next year's once it ended.

    `campaign_end(year)` gives the last day of that year's campaign.
    """
    return today.year if today <= campaign_end(today.year) else today.year + 1


def check_year(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PlannerError("error.year-range", value=year, low=YEAR_MIN, high=YEAR_MAX)
    return year
