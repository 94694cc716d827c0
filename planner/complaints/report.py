"""The register in figures: the battle's daily report (`complaint report --day`) and a whole
campaign's (`--year`, which the review reuses).

New complaints by level and category, what made complaints urgent, first responses on time
and late, what is overdue or at risk, call-backs, and the same per assignee. Each figure is
one grouped query; nothing here reads the whole register row by row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

from planner.complaints.policy import LEVELS, URGENT, Policy, urgent_triggers
from planner.complaints.register import Search, search_filter
from planner.core.clock import SHANGHAI
from planner.storage.contract import ComplaintFilter, ComplaintStore, StateStore

UNASSIGNED = ""  # the key of complaints nobody was assigned, in `by_assignee`


class UrgentEvent(NamedTuple):
    """A complaint made urgent by a trigger (`kind` "urgent"), or a batch: more complaints
    on one issue in one day than the threshold (`kind` "batch")."""

    kind: str
    at: dt.datetime  # the receipt of the complaint, or of the one that crossed the threshold
    category: str
    issue: str | None
    numbers: tuple[str, ...]
    reasons: tuple[str, ...] = ()  # the triggers of an urgent complaint


class AssigneeFigures(NamedTuple):
    new: int = 0
    on_time: int = 0
    late: int = 0
    overdue_now: int = 0


class Report(NamedTuple):
    day: dt.date | None
    year: int | None
    new_by_level: dict[str, int]
    new_by_category: dict[str, int]
    urgent_events: list[UrgentEvent]
    on_time: int
    late: int
    unanswered: int  # of the new ones: no first response yet
    overdue_now: int
    at_risk_now: int
    callbacks_due: int
    callbacks_done: int
    callbacks_satisfied: int
    by_assignee: dict[str, AssigneeFigures]
    void: int  # left out of every other figure
    moment: dt.datetime  # when "now" is, for overdue and at risk

    @property
    def new_total(self) -> int:
        return sum(self.new_by_level.values())

    @property
    def rate(self) -> float | None:
        """The share of first responses on time; None before any."""
        answered = self.on_time + self.late
        return self.on_time / answered if answered else None


def _day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)
    return start, start + dt.timedelta(days=1)


def report_day(store: StateStore, policy: Policy, day: dt.date, now: dt.datetime,
               campaign: int) -> Report:
    """The daily report of `day`: what came in, was answered and was called back that day,
    and what was overdue or at risk in its campaign at the end of it (now, for today)."""
    start, end = _day_range(day)
    moment = min(now, end - dt.timedelta(seconds=1))
    scopes = _Scopes(
        new=ComplaintFilter(received_on=day),
        answered=ComplaintFilter(answered_since=start, answered_until=end),
        called_back=ComplaintFilter(callback_since=start, callback_until=end),
        campaign=campaign, moment=moment)
    return _report(store.complaints, policy, scopes, day=day)


def report_year(store: StateStore, policy: Policy, year: int, now: dt.datetime) -> Report:
    """The figures of campaign `year`, with what is overdue or at risk in it now."""
    scopes = _Scopes(
        new=ComplaintFilter(campaign=year),
        answered=ComplaintFilter(campaign=year, answered_since=dt.datetime.min.replace(
            tzinfo=SHANGHAI)),
        called_back=ComplaintFilter(campaign=year, called_back=True),
        campaign=year, moment=now)
    return _report(store.complaints, policy, scopes, year=year)


class _Scopes(NamedTuple):
    new: ComplaintFilter
    answered: ComplaintFilter
    called_back: ComplaintFilter
    campaign: int
    moment: dt.datetime


def _report(register: ComplaintStore, policy: Policy, scopes: _Scopes, *,
            day: dt.date | None = None, year: int | None = None) -> Report:
    if not register.exists():
        return Report(day, year, {}, {}, [], 0, 0, 0, 0, 0, 0, 0, 0, {}, 0, scopes.moment)
    moment, campaign = scopes.moment, scopes.campaign
    overdue = search_filter(moment, Search(overdue=True), campaign)._replace(statuses=())
    at_risk = search_filter(moment, Search(at_risk=True), campaign)._replace(statuses=())
    new_levels = register.tally(scopes.new, "level")
    answered = register.tally(scopes.answered, "assignee", "answered_late")
    called = register.tally(scopes.called_back, "assignee")
    return Report(
        day=day, year=year,
        new_by_level=_ordered(new_levels),
        new_by_category=dict(sorted(register.tally(scopes.new, "category").items())),
        urgent_events=_urgent_events(register, policy, scopes.new),
        on_time=sum(n for (_, late), n in answered.items() if late is False),
        late=sum(n for (_, late), n in answered.items() if late),
        unanswered=register.count(scopes.new._replace(waiting_at=moment)),
        overdue_now=register.count(overdue),
        at_risk_now=register.count(at_risk),
        callbacks_due=register.awaiting_callback(0, campaign)[0],
        callbacks_done=sum(called.values()),
        callbacks_satisfied=register.count(scopes.called_back._replace(satisfied=True)),
        by_assignee=_by_assignee(register.tally(scopes.new, "assignee"), answered,
                                 register.tally(overdue, "assignee")),
        void=register.count(scopes.new._replace(void_only=True)),
        moment=moment)


def _ordered(levels: dict[str, int]) -> dict[str, int]:
    """Levels in priority order (ids a shop's old policy left behind go last)."""
    ordered = {level: levels[level] for level in LEVELS if levels.get(level)}
    ordered.update((level, n) for level, n in levels.items() if level not in ordered and n)
    return ordered


def _by_assignee(new: dict[str | None, int], answered: dict[tuple[str | None, bool], int],
                 overdue: dict[str | None, int]) -> dict[str, AssigneeFigures]:
    figures: dict[str, Counter[str]] = {}

    def add(assignee: str | None, key: str, count: int) -> None:
        figures.setdefault(assignee or UNASSIGNED, Counter())[key] += count

    for assignee, count in new.items():
        add(assignee, "new", count)
    for (assignee, late), count in answered.items():
        if late is not None:
            add(assignee, "late" if late else "on_time", count)
    for assignee, count in overdue.items():
        add(assignee, "overdue_now", count)
    return {name: AssigneeFigures(**counts) for name, counts in sorted(figures.items())}


def _urgent_events(register: ComplaintStore, policy: Policy, new: ComplaintFilter
                   ) -> list[UrgentEvent]:
    """The scope's urgent complaints: each with its triggers, and each batch once."""
    events = []
    batches: dict[tuple[dt.date, str, str | None], list] = {}
    after = None
    wanted = new._replace(level=URGENT)
    while True:
        page = register.page(wanted, after, 500)
        for record in page:
            flags = record.flags
            reasons = urgent_triggers(policy, from_head_office=bool(
                flags.get("from_head_office")), sensitive=flags.get("sensitive"),
                media_risk=bool(flags.get("media_risk")), channel=record.channel)
            reasons = tuple(reason for reason in reasons if reason != "batch")
            if reasons:
                events.append(UrgentEvent("urgent", record.received, record.category,
                                          record.issue, (record.number,), reasons))
            key = (record.received_day, record.category, record.issue)
            batches.setdefault(key, [])
        if len(page) < 500:
            break
        last = page[-1]
        after = (last.priority, last.deadline, last.number)
    threshold = policy.urgent.batch_threshold
    for day, category, issue in batches:
        same = register.same_issue(day, category, issue)
        if len(same) > threshold:
            events.append(UrgentEvent("batch", same[threshold].received, category, issue,
                                      tuple(record.number for record in same)))
    return sorted(events, key=lambda event: (event.at, event.kind, event.numbers))
