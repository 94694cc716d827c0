"""The dated plan: a shop's phases for one year with every applicable item, as plain data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.campaign.items import Item, load_items, select
from planner.campaign.phases import (
    YEAR_MAX,
    Window,
    campaign_windows,
    check_year,
    default_year,
    derive_size,
    load_campaign,
)
from planner.core.errors import PlannerError
from planner.core.i18n import pick
from planner.workspace.shop import Shop, pinned_year


def resolve_size(option: str | None, shop: Shop | None) -> str | None:
    """--size, else the shop file's size, else derived from its order and head counts."""
    if option:
        return option
    if shop is None:
        return None
    return shop.size or derive_size(shop.daily_orders, shop.cs_headcount)


def shop_windows(size: str, year: int, shop: Shop | None) -> list[Window]:
    overrides = shop.phases if shop else None
    return campaign_windows(size, year, overrides, shop.path if shop else "shop.yaml")


def resolve_year(option: int | None, size: str, shop: Shop | None, today: dt.date) -> int:
    """--year, else the year full-date overrides pin, else the next unfinished campaign."""
    if option is not None:
        return check_year(option)
    pinned = pinned_year(shop)
    if pinned is not None:
        return check_year(pinned)

    def campaign_end(year: int) -> dt.date:
        try:
            return shop_windows(size, year, shop)[-1].end
        except PlannerError:
            # overrides that do not fit this year: the plan is for the next one, and building
            # that plan reports the mistake with the right year
            return dt.date.min

    year = default_year(today, campaign_end)
    if year > YEAR_MAX:
        raise PlannerError("error.no-campaign-left", field="--today", today=today.isoformat(),
                           high=YEAR_MAX)
    return check_year(year)


def build_plan(*, size: str, year: int, lang: str, shop: Shop | None = None,
               phase: str | None = None, category: str | None = None,
               owner: str | None = None) -> dict[str, Any]:
    """The plan as the documented JSON shape (dates as `datetime.date`)."""
    campaign = load_campaign()
    if size not in campaign.tiers:
        raise PlannerError("error.unknown-value", field="size", value=size,
                           allowed=", ".join(campaign.tiers))
    windows = shop_windows(size, year, shop)
    items = select(load_items(), size, phase=phase, category=category, owner=owner)
    phases = []
    for window in windows:
        if phase is not None and window.phase != phase:
            continue
        phase_items = [item_entry(item, window, lang) for item in items
                       if item.phase == window.phase]
        phase_items.sort(key=lambda entry: entry["due"])
        phases.append({
            "id": window.phase,
            "name": campaign.phase_name(window.phase, lang),
            "start": window.start,
            "end": window.end,
            "items": phase_items,
        })
    return {"shop": shop.name if shop else None, "size": size, "year": year, "lang": lang,
            "phases": phases}


def item_entry(item: Item, window: Window, lang: str) -> dict[str, Any]:
    campaign = load_campaign()
    return {
        "id": item.id,
        "phase": item.phase,
        "category": item.category,
        "category_name": campaign.category_name(item.category, lang),
        "owner": item.owner,
        "owner_name": campaign.owner_name(item.owner, lang),
        "due": item.due(window),
        "title": pick(item.title, lang),
        "detail": pick(item.detail, lang),
    }


def plan_items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a plan, phase after phase."""
    return [item for phase in plan["phases"] for item in phase["items"]]


def plan_item_ids(plan: dict[str, Any]) -> list[str]:
    return [item["id"] for item in plan_items(plan)]
