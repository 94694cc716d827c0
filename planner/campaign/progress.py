"""Progress of a shop's plan: what is settled, what is overdue, what comes next."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from planner.campaign.phases import Window
from planner.campaign.plan import Plan, PlannedItem
from planner.storage.contract import SETTLED, ItemState

SOON_DAYS = 3
NEXT_DAYS = 7


class TrackedItem(NamedTuple):
    """A planned item with its saved state (None: open)."""

    planned: PlannedItem
    state: ItemState | None

    @property
    def id(self) -> str:
        return self.planned.id

    @property
    def due(self) -> dt.date:
        return self.planned.due

    @property
    def status(self) -> str:
        return self.state.status if self.state else "open"

    @property
    def settled(self) -> bool:
        return self.status in SETTLED

    def overdue(self, today: dt.date) -> bool:
        return not self.settled and self.due < today


class Tally(NamedTuple):
    """How many of a group's items are settled."""

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
    overdue: tuple[str, ...]  # by due date
    due_soon: tuple[str, ...]
    no_longer_applies: tuple[tuple[str, ItemState], ...]  # saved states outside the plan
    items: tuple[TrackedItem, ...]


class NextItems(NamedTuple):
    now: tuple[TrackedItem, ...]  # open, due today or earlier
    next: tuple[TrackedItem, ...]  # open, due in the coming week (else the next five)


def track(plan: Plan, states: dict[str, ItemState]) -> list[TrackedItem]:
    """Every item of `plan` with its state."""
    return [TrackedItem(item, states.get(item.id)) for item in plan.items()]


def status_report(plan: Plan, states: dict[str, ItemState], today: dt.date) -> StatusReport:
    """Progress per phase and category, overdue and due-soon items, orphaned check-offs."""
    items = track(plan, states)
    by_id = {item.id: item for item in items}
    phases = []
    for phase in plan.phases:
        tracked = [by_id[item.id] for item in phase.items]
        phases.append(PhaseProgress(phase.window, sum(item.settled for item in tracked),
                                    len(tracked),
                                    tuple(item.id for item in tracked if item.overdue(today))))
    categories: dict[str, list[int]] = {}
    for item in items:
        counts = categories.setdefault(item.planned.category, [0, 0])
        counts[0] += item.settled
        counts[1] += 1
    soon_end = today + dt.timedelta(days=SOON_DAYS)
    return StatusReport(
        as_of=today, plan=plan, phases=tuple(phases),
        categories=tuple(Tally(key, done, total) for key, (done, total) in categories.items()),
        overdue=tuple(item.id for item in sorted(items, key=lambda i: i.due)
                      if item.overdue(today)),
        due_soon=tuple(item.id for item in items
                       if not item.settled and today <= item.due <= soon_end),
        no_longer_applies=tuple((item_id, state) for item_id, state in sorted(states.items())
                                if item_id not in by_id),
        items=tuple(items))


def next_items(plan: Plan, states: dict[str, ItemState], today: dt.date,
               owner: str | None = None) -> NextItems:
    """Open items due now (today or earlier) and next (the coming week, else the next five)."""
    open_items = sorted((item for item in track(plan, states) if not item.settled
                         and (owner is None or item.planned.owner == owner)),
                        key=lambda item: (item.due, item.id))
    now = [item for item in open_items if item.due <= today]
    later = [item for item in open_items if item.due > today]
    week_end = today + dt.timedelta(days=NEXT_DAYS)
    upcoming = [item for item in later if item.due <= week_end] or later[:5]
    return NextItems(tuple(now), tuple(upcoming))
