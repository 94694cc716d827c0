"""Progress of a shop's plan in one campaign year: what is settled, what is late, what comes
next. A daily duty counts once per day of its phase; a day not done by its end is missed."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from planner.campaign.phases import Window
from planner.campaign.plan import Plan, PlannedItem, occurrence_label
from planner.storage.contract import SETTLED, ItemKey, ItemState

SOON_DAYS = 3
NEXT_DAYS = 7


class Occurrence(NamedTuple):
    """One day of a daily duty, with its state (None: open)."""

    day: dt.date
    state: ItemState | None

    @property
    def settled(self) -> bool:
        return self.state is not None and self.state.status in SETTLED


class TrackedItem(NamedTuple):
    """A planned item with its saved state (None: open); a daily duty with each day's."""

    planned: PlannedItem
    state: ItemState | None
    days: tuple[Occurrence, ...] = ()

    @property
    def id(self) -> str:
        return self.planned.id

    @property
    def due(self) -> dt.date:
        return self.planned.due

    @property
    def repeats(self) -> bool:
        return self.planned.repeats

    @property
    def status(self) -> str:
        if self.repeats:
            return "done" if all(day.settled for day in self.days) else "open"
        return self.state.status if self.state else "open"

    @property
    def settled(self) -> bool:
        return self.status in SETTLED

    @property
    def done(self) -> int:
        """Settled occurrences (a one-off item: 0 or 1)."""
        return sum(day.settled for day in self.days) if self.repeats else int(self.settled)

    @property
    def total(self) -> int:
        return len(self.days) if self.repeats else 1

    def late(self, today: dt.date) -> list[str]:
        """What of it is overdue on `today`: its id, or each missed day as ``id@day``."""
        if self.repeats:
            return [occurrence_label(self.id, day.day) for day in self.days
                    if day.day < today and not day.settled]
        return [self.id] if not self.settled and self.due < today else []

    def today(self, today: dt.date) -> Occurrence | None:
        """A daily duty's occurrence of `today`, if that is one of its days."""
        return next((day for day in self.days if day.day == today), None)


class Tally(NamedTuple):
    """How many of a group's items (occurrences) are settled."""

    id: str
    done: int
    total: int


class PhaseProgress(NamedTuple):
    window: Window
    done: int
    total: int
    overdue: tuple[str, ...]


class StatusReport(NamedTuple):
    as_of: dt.date
    plan: Plan
    phases: tuple[PhaseProgress, ...]
    categories: tuple[Tally, ...]
    overdue: tuple[str, ...]  # by due date (day, for a missed occurrence)
    due_soon: tuple[str, ...]
    no_longer_applies: tuple[tuple[str, ItemState], ...]  # saved states outside the plan
    items: tuple[TrackedItem, ...]
    recorded: bool  # whether the year holds any state at all


class NextItems(NamedTuple):
    now: tuple[TrackedItem, ...]  # open, due today or earlier; daily duties open today
    next: tuple[TrackedItem, ...]  # open, due in the coming week (else the next five)


def track(plan: Plan, states: dict[ItemKey, ItemState]) -> list[TrackedItem]:
    """Every item of `plan` with its state (and a daily duty with each day's)."""
    return [TrackedItem(item, states.get((item.id, None)),
                        tuple(Occurrence(day, states.get((item.id, day))) for day in item.days))
            for item in plan.items()]


def _late_order(item: TrackedItem, label: str) -> dt.date:
    return dt.date.fromisoformat(label.split("@")[1]) if "@" in label else item.due


def status_report(plan: Plan, states: dict[ItemKey, ItemState], today: dt.date
                  ) -> StatusReport:
    """Progress per phase and category, overdue and due-soon items, orphaned check-offs."""
    items = track(plan, states)
    by_id = {item.id: item for item in items}
    phases = []
    for phase in plan.phases:
        tracked = [by_id[item.id] for item in phase.items]
        phases.append(PhaseProgress(phase.window, sum(item.done for item in tracked),
                                    sum(item.total for item in tracked),
                                    tuple(label for item in tracked
                                          for label in item.late(today))))
    categories: dict[str, list[int]] = {}
    for item in items:
        counts = categories.setdefault(item.planned.category, [0, 0])
        counts[0] += item.done
        counts[1] += item.total
    late = sorted(((item, label) for item in items for label in item.late(today)),
                  key=lambda pair: _late_order(*pair))
    return StatusReport(
        as_of=today, plan=plan, phases=tuple(phases),
        categories=tuple(Tally(key, done, total) for key, (done, total) in categories.items()),
        overdue=tuple(label for _item, label in late),
        due_soon=tuple(_due_soon(items, today)),
        no_longer_applies=tuple((occurrence_label(item_id, day), state)
                                for (item_id, day), state in sorted(
                                    states.items(), key=lambda pair: (pair[0][0],
                                                                      pair[0][1] or dt.date.min))
                                if item_id not in by_id),
        items=tuple(items), recorded=bool(states))


def _due_soon(items: list[TrackedItem], today: dt.date) -> list[str]:
    """One-off items due in the next few days, and the daily duties still open today."""
    soon_end = today + dt.timedelta(days=SOON_DAYS)
    labels = []
    for item in items:
        if item.repeats:
            occurrence = item.today(today)
            if occurrence is not None and not occurrence.settled:
                labels.append(occurrence_label(item.id, today))
        elif not item.settled and today <= item.due <= soon_end:
            labels.append(item.id)
    return labels


def next_items(plan: Plan, states: dict[ItemKey, ItemState], today: dt.date,
               owner: str | None = None) -> NextItems:
    """Open items due now (today or earlier; a daily duty when today's is open) and next (the
    coming week, else the next five)."""
    mine = [item for item in track(plan, states)
            if owner is None or item.planned.owner == owner]
    daily = [item for item in mine if item.repeats and item.today(today) is not None
             and not item.today(today).settled]
    open_items = sorted((item for item in mine if not item.repeats and not item.settled),
                        key=lambda item: (item.due, item.id))
    now = [item for item in open_items if item.due <= today]
    later = [item for item in open_items if item.due > today]
    week_end = today + dt.timedelta(days=NEXT_DAYS)
    upcoming = [item for item in later if item.due <= week_end] or later[:5]
    return NextItems(tuple(now + sorted(daily, key=lambda item: item.id)), tuple(upcoming))
