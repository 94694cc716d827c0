"""Turning plain data into text: JSON, aligned tables and Markdown.

tabulate is imported only when a table is drawn; with wcwidth installed it counts Chinese
characters as two columns, which keeps tables aligned.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from planner.campaign.plan import plan_items
from planner.core.i18n import t


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]],
          max_widths: Sequence[int | None] | None = None) -> str:
    from tabulate import tabulate

    rows = [[text(cell) for cell in row] for row in rows]
    if not rows:
        return ""
    return tabulate(rows, headers=list(headers), tablefmt="simple",
                    maxcolwidths=list(max_widths) if max_widths else None,
                    disable_numparse=True)


def md_escape(value: Any) -> str:
    return text(value).replace("|", "\\|").replace("\n", " ")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def phase_heading(phase: dict[str, Any], lang: str) -> str:
    days = (phase["end"] - phase["start"]).days + 1
    return t("plan.phase-heading", lang, name=phase["name"], start=text(phase["start"]),
             end=text(phase["end"]), days=days, count=len(phase["items"]))


def plan_title(plan: dict[str, Any], lang: str) -> str:
    from planner.campaign.phases import load_campaign

    size = load_campaign().tier_names[plan["size"]][lang]
    shop = plan["shop"] or t("plan.no-shop-name", lang)
    return t("plan.title", lang, shop=shop, year=plan["year"], size=size)


def item_status(item: dict[str, Any], lang: str) -> str:
    """The status cell shown inside a workspace (empty outside one)."""
    status = item.get("status")
    if not status or status == "open":
        return ""
    label = t(f"status.{status}", lang)
    who = " ".join(part for part in (text(item.get("by")), text(item.get("at"))[:10]) if part)
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
            row = [item["due"], item["owner_name"], item["id"], item["title"]]
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
            mark = "x" if item.get("status") in ("done", "skipped") else " "
            lines.append(f"- [{mark}] **{text(item['due'])}** · {item['owner_name']} · "
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
               item["due"], item["title"], item["detail"]]
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


BAR_WIDTH = 20


def progress_bar(done: int, total: int) -> str:
    filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
    percent = round(100 * done / total) if total else 100
    return f"{'█' * filled}{'░' * (BAR_WIDTH - filled)} {done}/{total} {percent:3d}%"


def status_as_table(report: dict[str, Any], lang: str) -> str:
    """Progress bars per phase and category, overdue items in red, then due-soon items."""
    import click

    items = {item["id"]: item for item in report["items"]}
    blocks = [t("status.title", lang, shop=report["shop"] or t("plan.no-shop-name", lang),
                year=report["year"], today=text(report["as_of"]))]
    blocks.append(table([t("label.phase", lang), t("label.progress", lang)],
                        [[p["name"], progress_bar(p["done"], p["total"])]
                         for p in report["phases"]]))
    blocks.append(table([t("label.category", lang), t("label.progress", lang)],
                        [[c["name"], progress_bar(c["done"], c["total"])]
                         for c in report["categories"]]))
    headers = [t("label.due", lang), t("label.owner", lang), t("label.id", lang),
               t("label.title", lang)]

    def rows(ids: list[str]) -> list[list[Any]]:
        return [[items[i]["due"], items[i]["owner_name"], i, items[i]["title"]] for i in ids]

    if report["overdue"]:
        heading = click.style(t("status.overdue", lang, count=len(report["overdue"])),
                              fg="red", bold=True)
        blocks.append(heading + "\n" + click.style(table(headers, rows(report["overdue"])),
                                                   fg="red"))
    else:
        blocks.append(t("status.none-overdue", lang))
    if report["due_soon"]:
        blocks.append(t("status.due-soon", lang, count=len(report["due_soon"])) + "\n"
                      + table(headers, rows(report["due_soon"])))
    if report["no_longer_applies"]:
        blocks.append(t("status.orphans", lang) + "\n" + table(
            [t("label.id", lang), t("label.status", lang), t("label.by", lang)],
            [[e["id"], t(f"status.{e['status']}", lang), e["by"]]
             for e in report["no_longer_applies"]]))
    for extra in report.get("sections", []):
        blocks.append(extra)
    return "\n\n".join(blocks)


def register_section(summary: dict[str, Any], names: dict[str, str], lang: str) -> str:
    """The complaint lines of `status`: open / overdue by level, call-backs still due."""
    levels = ("urgent", "III", "II", "I")
    rows = [[names.get(level, level), summary["open"].get(level, 0),
             summary["overdue"].get(level, 0)]
            for level in levels if summary["open"].get(level)]
    text_block = t("status.complaints", lang)
    if rows:
        text_block += "\n" + table([t("label.register.level", lang), t("status.c-open", lang),
                                    t("status.c-overdue", lang)], rows)
    due = summary["callback_due"]
    if due["count"]:
        more = "…" if due["count"] > len(due["numbers"]) else ""
        text_block += "\n" + t("status.callback-due", lang, count=due["count"],
                               numbers=", ".join(due["numbers"]) + more)
    return text_block


def next_as_table(result: dict[str, list[dict[str, Any]]], today: Any, lang: str) -> str:
    import click

    headers = [t("label.due", lang), t("label.owner", lang), t("label.id", lang),
               t("label.title", lang)]
    blocks = []
    for key in ("now", "next"):
        entries = result[key]
        heading = t(f"next.{key}", lang, count=len(entries), today=text(today))
        rows = []
        for item in entries:
            due = text(item["due"])
            if item["due"] < today:
                due = click.style(due, fg="red")
            rows.append([due, item["owner_name"], item["id"], item["title"]])
        blocks.append(heading + ("\n" + table(headers, rows) if rows else ""))
    return "\n\n".join(blocks)


def log_as_table(entries: list[dict[str, Any]], lang: str) -> str:
    if not entries:
        return t("log.empty", lang)
    rows = [[e["at"][:16].replace("T", " "), e["by"], t(f"action.{e['action']}", lang),
             e["subject"], f"{_state_label(e['old'], e['subject'], lang)} → "
                           f"{_state_label(e['new'], e['subject'], lang)}", e["note"] or ""]
            for e in entries]
    return table([t("label.when", lang), t("label.by", lang), t("label.action", lang),
                  t("label.id", lang), t("label.change", lang), t("label.note", lang)], rows,
                 [None, None, None, None, None, 40])


def _state_label(value: Any, subject: str, lang: str) -> str:
    """An item's or a complaint's state in a history entry, in words."""
    if not subject.startswith("complaint:"):
        return t(f"status.{value['status']}", lang) if value else t("status.open", lang)
    if not value:
        return "-"
    if "satisfied" in value:
        return t(f"register.satisfied.{'yes' if value['satisfied'] else 'no'}", lang)
    if "level" in value and "status" not in value:
        return value["level"]
    return t(f"register.status.{value['status']}", lang)
