"""Progress of a shop's plan: what is settled, what is overdue, what comes next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.campaign.plan import plan_items
from planner.storage.sqlite import ItemState

SETTLED = ("done", "skipped")
SOON_DAYS = 3
NEXT_DAYS = 7


def annotate(plan: dict[str, Any], states: dict[str, ItemState]) -> dict[str, Any]:
    """Add status, by, at and note to every item of `plan` (in place; returns it)."""
    for phase in plan["phases"]:
        for item in phase["items"]:
            state = states.get(item["id"])
            item.update(state.as_dict() if state else
                        {"status": "open", "by": None, "at": None, "note": None})
    return plan


def is_overdue(item: dict[str, Any], today: dt.date) -> bool:
    return item["status"] not in SETTLED and item["due"] < today


def status_report(plan: dict[str, Any], states: dict[str, ItemState], today: dt.date
                  ) -> dict[str, Any]:
    """The documented status shape, plus categories, due-soon items and orphaned check-offs."""
    annotate(plan, states)
    items = plan_items(plan)
    soon_end = today + dt.timedelta(days=SOON_DAYS)
    phases = []
    for phase in plan["phases"]:
        phase_items = phase["items"]
        phases.append({
            "id": phase["id"],
            "name": phase["name"],
            "start": phase["start"],
            "end": phase["end"],
            "done": sum(item["status"] in SETTLED for item in phase_items),
            "total": len(phase_items),
            "overdue": [item["id"] for item in phase_items if is_overdue(item, today)],
        })
    categories: dict[str, dict[str, Any]] = {}
    for item in items:
        entry = categories.setdefault(item["category"], {
            "id": item["category"], "name": item["category_name"], "done": 0, "total": 0})
        entry["total"] += 1
        entry["done"] += item["status"] in SETTLED
    in_plan = {item["id"] for item in items}
    return {
        "as_of": today,
        "year": plan["year"],
        "size": plan["size"],
        "shop": plan["shop"],
        "phases": phases,
        "categories": list(categories.values()),
        "overdue": [item["id"] for item in sorted(items, key=lambda i: i["due"])
                    if is_overdue(item, today)],
        "due_soon": [item["id"] for item in items if item["status"] not in SETTLED
                     and today <= item["due"] <= soon_end],
        "no_longer_applies": [dict(id=item_id, **state.as_dict())
                              for item_id, state in sorted(states.items())
                              if item_id not in in_plan],
        "items": [{key: item[key] for key in ("id", "status", "by", "at", "note", "due",
                                              "phase", "owner", "owner_name", "title")}
                  for item in items],
    }


def next_items(plan: dict[str, Any], states: dict[str, ItemState], today: dt.date,
               owner: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Open items due now (today or earlier) and next (the coming week, else the next five)."""
    annotate(plan, states)
    open_items = sorted((item for item in plan_items(plan) if item["status"] not in SETTLED
                         and (owner is None or item["owner"] == owner)),
                        key=lambda item: (item["due"], item["id"]))
    now = [item for item in open_items if item["due"] <= today]
    later = [item for item in open_items if item["due"] > today]
    week_end = today + dt.timedelta(days=NEXT_DAYS)
    upcoming = [item for item in later if item["due"] <= week_end] or later[:5]
    return {"now": now, "next": upcoming}
