"""The plan and the checklist in words: the documented JSON, text tables and Markdown.

`plan_data` turns a typed `Plan` (with the item states, inside a workspace) into the documented
JSON shape; the text and Markdown views are drawn from that same data.
"""

from __future__ import annotations

from typing import Any

from planner.campaign.phases import load_campaign
from planner.campaign.plan import Plan, PlannedItem
from planner.campaign.progress import TrackedItem, track
from planner.core.clock import iso
from planner.core.errors import counted
from planner.core.i18n import pick, t
from planner.present.text import Markup, md_escape, md_table, shop_name, shown, table, text
from planner.storage.contract import SETTLED, ItemKey, ItemState


def state_data(state: ItemState | None) -> dict[str, Any]:
    """status, by, at and note of an item (open: no one, no time)."""
    if state is None:
        return {"status": "open", "by": None, "at": None, "note": None}
    return {"status": state.status, "by": state.by, "at": iso(state.at), "note": state.note}


def item_data(item: PlannedItem, lang: str) -> dict[str, Any]:
    campaign = load_campaign()
    return {
        "id": item.id,
        "phase": item.phase,
        "category": item.category,
        "category_name": campaign.category_name(item.category, lang),
        "owner": item.owner,
        "owner_name": campaign.owner_name(item.owner, lang),
        "due": item.due,
        "title": pick(item.item.title, lang),
        "detail": pick(item.item.detail, lang),
        "repeat": item.item.repeat,
        **({"days": list(item.days)} if item.repeats else {}),
    }


def tracked_state(item: TrackedItem) -> dict[str, Any]:
    """A tracked item's state; a daily duty is done once every one of its days is."""
    if item.repeats:
        return {"status": item.status, "by": None, "at": None, "note": None}
    return state_data(item.state)


def tracked_data(item: TrackedItem, lang: str) -> dict[str, Any]:
    """An item with its state, as `plan`, `checklist` and `next` show it in a workspace."""
    return {**item_data(item.planned, lang), **tracked_state(item)}


def plan_data(plan: Plan, lang: str, states: dict[ItemKey, ItemState] | None = None, *,
              occurrences: bool = False) -> dict[str, Any]:
    """The documented plan JSON; with `states` (inside a workspace) every item shows its
    status, who settled it and when, and with `occurrences` a daily duty each day's."""
    campaign = load_campaign()
    tracked = {item.id: item for item in track(plan, states or {})}

    def entry(item: PlannedItem) -> dict[str, Any]:
        if states is None:
            return item_data(item, lang)
        data = tracked_data(tracked[item.id], lang)
        if occurrences and item.repeats:
            data["occurrences"] = [{"day": day.day, **state_data(day.state)}
                                   for day in tracked[item.id].days]
        return data

    return {"shop": plan.shop, "size": plan.size, "year": plan.year, "lang": lang,
            "phases": [{"id": phase.id, "name": campaign.phase_name(phase.id, lang),
                        "start": phase.window.start, "end": phase.window.end,
                        "items": [entry(item) for item in phase.items]}
                       for phase in plan.phases]}


def plan_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of plan data, phase after phase."""
    return [item for phase in data["phases"] for item in phase["items"]]


def checklist_data(data: dict[str, Any]) -> dict[str, Any]:
    """The checklist JSON: the plan's items in one list."""
    flat = {key: data[key] for key in ("shop", "size", "year", "lang")}
    flat["items"] = plan_items(data)
    return flat


def phase_heading(phase: dict[str, Any], lang: str) -> str:
    days = (phase["end"] - phase["start"]).days + 1
    return t("plan.phase-heading", lang, name=phase["name"], start=text(phase["start"]),
             end=text(phase["end"]), days=counted("days", days),
             items=counted("items", len(phase["items"])))


def plan_title(plan: dict[str, Any], lang: str) -> str:
    size = load_campaign().tier_names[plan["size"]][lang]
    return t("plan.title", lang, shop=shop_name(plan["shop"], lang), year=plan["year"],
             size=size)


def item_status(item: dict[str, Any], lang: str) -> str:
    """The status cell shown inside a workspace (empty outside one)."""
    status = item.get("status")
    if not status or status == "open":
        return ""
    label = t(f"status.{status}", lang)
    who = " ".join(part for part in (shown(item.get("by")), text(item.get("at"))[:10])
                   if part)
    return f"{label} {who}".strip()


def plan_as_table(plan: dict[str, Any], lang: str) -> str:
    with_status = any("status" in item for item in plan_items(plan))
    headers = [t("label.due", lang), t("label.owner", lang), t("label.id", lang),
               t("label.title", lang)]
    if with_status:
        headers.append(t("label.status", lang))
    blocks = [plan_title(plan, lang)]
    for phase in plan["phases"]:
        rows = []
        for item in phase["items"]:
            row = [item["due"], item["owner_name"], item["id"], Markup(item["title"])]
            if with_status:
                row.append(item_status(item, lang))
            rows.append(row)
        blocks.append(phase_heading(phase, lang) + "\n" + table(headers, rows))
    return "\n\n".join(blocks)


def plan_as_markdown(plan: dict[str, Any], lang: str) -> str:
    blocks = [f"# {plan_title(plan, lang)}"]
    for phase in plan["phases"]:
        lines = [f"## {phase_heading(phase, lang)}", ""]
        for item in phase["items"]:
            mark = "x" if item.get("status") in SETTLED else " "
            lines.append(f"- [{mark}] **{text(item['due'])}** · {md_escape(item['owner_name'])} · "
                         f"{md_escape(item['title'])} `{item['id']}`")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def checklist_as_table(plan: dict[str, Any], lang: str) -> str:
    headers = [t("label.id", lang), t("label.phase", lang), t("label.category", lang),
               t("label.owner", lang), t("label.due", lang), t("label.title", lang),
               t("label.detail", lang)]
    names = {phase["id"]: phase["name"] for phase in plan["phases"]}
    items = plan_items(plan)
    with_status = any("status" in item for item in items)
    rows = []
    for item in items:
        row = [item["id"], names[item["phase"]], item["category_name"], item["owner_name"],
               item["due"], Markup(item["title"]), Markup(item["detail"])]  # ours: shown whole
        rows.append([*row, item_status(item, lang)] if with_status else row)
    widths = [None, None, 14, 12, None, 24, 40]
    if with_status:
        headers.append(t("label.status", lang))
        widths.append(16)
    return plan_title(plan, lang) + "\n\n" + (table(headers, rows, widths)
                                                or t("checklist.none", lang))


def checklist_as_markdown(plan: dict[str, Any], lang: str) -> str:
    headers = [t("label.id", lang), t("label.category", lang), t("label.owner", lang),
               t("label.due", lang), t("label.title", lang), t("label.detail", lang)]
    rows = [[f"`{item['id']}`", item["category_name"], item["owner_name"], item["due"],
             item["title"], item["detail"]] for item in plan_items(plan)]
    return f"# {plan_title(plan, lang)}\n\n{md_table(headers, rows)}\n"
