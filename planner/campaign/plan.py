"""The dated plan: a shop's phases for one year with every applicable item and its due date.

Ids and dates only; `planner.present.plan` puts it into words (and into the documented JSON).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.campaign.items import Item, load_items, select
from planner.campaign.phases import Window, load_campaign
from planner.core.errors import PlannerError


def occurrence_label(item_id: str, day: dt.date | None) -> str:
    """``id``, or ``id@YYYY-MM-DD`` for one day of a daily duty."""
    return f"{item_id}@{day.isoformat()}" if day else item_id


@dataclass(frozen=True)
class PlannedItem:
    """One checklist item in one year's plan."""

    item: Item
    due: dt.date
    days: tuple[dt.date, ...] = ()  # a daily duty's days: every day of its phase

    @property
    def repeats(self) -> bool:
        return bool(self.days)

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def phase(self) -> str:
        return self.item.phase

    @property
    def category(self) -> str:
        return self.item.category

    @property
    def owner(self) -> str:
        return self.item.owner


@dataclass(frozen=True)
class PhasePlan:
    """One phase of the plan: its dates and its items, by due date."""

    window: Window
    items: tuple[PlannedItem, ...]

    @property
    def id(self) -> str:
        return self.window.phase


@dataclass(frozen=True)
class Plan:
    shop: str | None
    size: str
    year: int
    phases: tuple[PhasePlan, ...]

    def items(self) -> list[PlannedItem]:
        """Every item, phase after phase."""
        return [item for phase in self.phases for item in phase.items]

    def item_ids(self) -> list[str]:
        return [item.id for item in self.items()]

    def window(self, phase: str) -> Window:
        return next(p.window for p in self.phases if p.id == phase)

    @property
    def start(self) -> dt.date:
        return self.phases[0].window.start

    @property
    def end(self) -> dt.date:
        return self.phases[-1].window.end

    def find(self, item_id: str) -> PlannedItem | None:
        return next((item for item in self.items() if item.id == item_id), None)


def build_plan(*, size: str, year: int, windows: list[Window], shop: str | None = None,
               phase: str | None = None, category: str | None = None,
               owner: str | None = None) -> Plan:
    """The plan of shop `shop` (its name) of `size` for `year` in its phase `windows`,
    optionally narrowed to a phase, category or owner (a phase left out by `phase` is not in
    the plan)."""
    campaign = load_campaign()
    if size not in campaign.tiers:
        raise PlannerError("error.unknown-value", field="size", value=size,
                           allowed=", ".join(campaign.tiers))
    items = select(load_items(), size, phase=phase, category=category, owner=owner)
    phases = []
    for window in windows:
        if phase is not None and window.phase != phase:
            continue
        planned = sorted((PlannedItem(item, item.due(window), item.days(window)) for item in items
                          if item.phase == window.phase), key=lambda entry: entry.due)
        phases.append(PhasePlan(window, tuple(planned)))
    return Plan(shop, size, year, tuple(phases))
