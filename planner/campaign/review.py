"""The aftermath's review (复盘) of one campaign's checklist: what was settled, by phase and by
owner, and what was done late and by how much. Ids, counts and dates; words are elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from planner.campaign.plan import Plan
from planner.campaign.progress import track
from planner.storage.contract import ItemKey, ItemState


class Counts(NamedTuple):
    """Items (occurrences of daily duties) done, skipped and still open."""

    done: int = 0
    skipped: int = 0
    open: int = 0

    @property
    def total(self) -> int:
        return self.done + self.skipped + self.open

    def add(self, status: str) -> Counts:
        return self._replace(**{status: getattr(self, status) + 1})


class Late(NamedTuple):
    """An item (or one day of a daily duty) done after its due date."""

    id: str
    day: dt.date | None
    due: dt.date
    done: dt.date
    owner: str

    @property
    def days_late(self) -> int:
        return (self.done - self.due).days


class ItemReview(NamedTuple):
    by_phase: dict[str, Counts]
    by_owner: dict[str, Counts]
    late: tuple[Late, ...]


def review_items(plan: Plan, states: dict[ItemKey, ItemState]) -> ItemReview:
    """Count every item (every day of a daily duty) of `plan` by phase and owner, and list
    what was done after its due date, latest first."""
    by_phase = {phase.id: Counts() for phase in plan.phases}
    by_owner: dict[str, Counts] = {}
    late: list[Late] = []
    for item in track(plan, states):
        planned = item.planned
        cases = ([(day.day, day.day, day.state) for day in item.days] if item.repeats
                 else [(None, item.due, item.state)])
        for day, due, state in cases:
            status = state.status if state else "open"
            by_phase[planned.phase] = by_phase[planned.phase].add(status)
            by_owner[planned.owner] = by_owner.get(planned.owner, Counts()).add(status)
            if state is not None and state.status == "done" and state.at.date() > due:
                late.append(Late(planned.id, day, due, state.at.date(), planned.owner))
    late.sort(key=lambda entry: (-entry.days_late, entry.id, entry.day or dt.date.min))
    return ItemReview(by_phase, dict(sorted(by_owner.items())), tuple(late))
