"""Checklist items: loaded from ``checklists/items/*.yaml``, validated, and dated.

An item's due date is a rule relative to its phase window (``from: start`` plus `days`, or
``from: end`` minus `days`), clamped into the window so that a short phase never pushes an
item into another phase.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.campaign.phases import Campaign, Window, load_campaign
from planner.core.errors import Msg, PlannerError
from planner.core.i18n import bilingual
from planner.core.yamlio import check_choice, line_of

ITEM_FILES = ("items/prepare.yaml", "items/battle.yaml", "items/aftermath.yaml")
ITEM_KEYS = {"id", "phase", "category", "owner", "due", "tiers", "title", "detail"}
OPTIONAL_KEYS = {"repeat"}
REPEATS = ("daily",)  # an item done again on every day of its phase
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Item:
    id: str
    phase: str
    category: str
    owner: str
    due_from: str  # "start", "end", or "on" (a day of the year, `due_on`)
    due_days: int
    tiers: tuple[str, ...]
    title: dict[str, str]
    detail: dict[str, str]
    due_on: tuple[int, int] | None = None  # (month, day)
    repeat: str | None = None

    def due(self, window: Window) -> dt.date:
        """The due date inside `window`, clamped to its first and last day; a daily duty's
        is the phase's last day."""
        if self.repeat:
            return window.end
        if self.due_on is not None:
            month, day = self.due_on
            wanted = _in_year(window.start.year, month, day)
            return min(max(wanted, window.start), window.end)
        offset = dt.timedelta(days=min(self.due_days, window.days - 1))
        return window.start + offset if self.due_from == "start" else window.end - offset

    def days(self, window: Window) -> tuple[dt.date, ...]:
        """The days a daily duty is done on: every day of its phase (none for a one-off)."""
        if not self.repeat:
            return ()
        return tuple(window.start + dt.timedelta(days=n) for n in range(window.days))


def _in_year(year: int, month: int, day: int) -> dt.date:
    """Feb 29 in a year without one falls on Feb 28."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, day - 1)


@cache
def load_items() -> tuple[Item, ...]:
    """All shipped items, in file order; an id used twice, in one file or across files, is
    an error naming the file and line of the second use."""
    from planner.core.snapshot import load_shipped

    campaign = load_campaign()
    items: list[Item] = []
    seen: set[str] = set()
    for name in ITEM_FILES:
        data = load_shipped("planner.checklists", name)
        items.extend(parse_items(data, name, campaign, seen))
    return tuple(items)


def parse_items(data: Any, name: str, campaign: Campaign, seen: set[str] | None = None
                ) -> list[Item]:
    """Validate one item file: ``{items: [...]}``; errors name the file, line and item.

    `seen` holds the ids of files read before, and gets this file's ids added.
    """
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise PlannerError("error.data-missing", file=name, field="items")
    seen = set() if seen is None else seen
    items: list[Item] = []
    for raw in data["items"]:
        item = parse_item(raw, name, campaign)
        if item.id in seen:
            raise PlannerError("error.data-duplicate-id", file=name, line=raw.line,
                               field=item.id)
        seen.add(item.id)
        items.append(item)
    return items


def parse_item(raw: Any, name: str, campaign: Campaign) -> Item:
    if not isinstance(raw, dict):
        raise PlannerError("error.wrong-type", file=name, field="items[]",
                           expected=Msg("type.mapping"))
    ident = raw.get("id")
    label = ident if isinstance(ident, str) else "items[]"

    def where(field: str) -> dict[str, Any]:
        return {"file": name, "line": line_of(raw, field.split(".")[0]),
                "field": f"{label}.{field}"}

    def fail(key: str, field: str, **params: Any) -> PlannerError:
        return PlannerError(key, **where(field), **params)

    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        raise fail("error.item-id", "id", value=ident)
    unknown = set(raw) - ITEM_KEYS - OPTIONAL_KEYS
    if unknown:
        raise fail("error.unknown-key", sorted(unknown)[0],
                   allowed=", ".join(sorted(ITEM_KEYS | OPTIONAL_KEYS)))
    repeat = raw.get("repeat")
    if repeat is not None:
        check_choice(repeat, REPEATS, **where("repeat"))
    required = ITEM_KEYS - ({"due"} if repeat else set())
    missing = required - set(raw)
    if missing:
        raise fail("error.data-missing", sorted(missing)[0])

    def choose(field: str, allowed: Any) -> str:
        return check_choice(raw[field], allowed, **where(field))

    phase = choose("phase", campaign.phases)
    if not ident.startswith(phase + "."):
        raise fail("error.item-id-phase", "id", phase=phase)
    category = choose("category", campaign.categories)
    owner = choose("owner", campaign.owners)
    tiers = raw["tiers"]
    if not isinstance(tiers, list) or not tiers:
        raise fail("error.wrong-type", "tiers", expected=Msg("type.list"))
    for tier in tiers:
        check_choice(tier, campaign.tiers, **where("tiers"))
    due_from, due_days, due_on = parse_due(raw.get("due", {"from": "end", "days": 0}), fail)
    texts = {field: bilingual(raw[field], name, line_of(raw, field), f"{label}.{field}")
             for field in ("title", "detail")}
    return Item(ident, phase, category, owner, due_from, due_days, tuple(tiers),
                texts["title"], texts["detail"], due_on, repeat)


_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def parse_due(due: Any, fail: Any) -> tuple[str, int, tuple[int, int] | None]:
    """``{from: start|end, days: N}``, or ``{on: MM-DD}``: that day, clamped into the phase."""
    if isinstance(due, dict) and len(due) == 1 and next(iter(due)) in ("on", True):
        # an unquoted `on` is YAML 1.1's true: `{on: 03-09}` is meant, and accepted
        match = _MONTH_DAY.match(str(next(iter(due.values()))))
        try:
            if match is None:
                raise ValueError
            dt.date(2000, int(match[1]), int(match[2]))  # a leap year: Feb 29 is a day
        except ValueError:
            raise fail("error.item-due", "due.on") from None
        return "on", 0, (int(match[1]), int(match[2]))
    if not isinstance(due, dict) or set(due) != {"from", "days"}:
        raise fail("error.item-due", "due")
    if due["from"] not in ("start", "end"):
        raise fail("error.unknown-value", "due.from", value=due["from"], allowed="start, end")
    days = due["days"]
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise fail("error.item-due", "due.days")
    return due["from"], days, None


def select(items: tuple[Item, ...], tier: str, *, phase: str | None = None,
           category: str | None = None, owner: str | None = None) -> list[Item]:
    """The items of `tier`, optionally narrowed to one phase, category or owner."""
    return [
        item for item in items
        if tier in item.tiers
        and (phase is None or item.phase == phase)
        and (category is None or item.category == category)
        and (owner is None or item.owner == owner)
    ]
