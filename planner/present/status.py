"""Progress in words: `status` and `next` as the documented JSON and as text."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from planner.campaign.phases import load_campaign
from planner.campaign.progress import NextItems, StatusReport, TrackedItem
from planner.core.i18n import pick, t
from planner.present.plan import state_data, tracked_data, tracked_state
from planner.present.text import progress_bars, shop_name, shown, style, table, text

if TYPE_CHECKING:  # `next` needs nothing of the complaints
    from planner.complaints.policy import Policy
    from planner.complaints.register import RegisterSummary


def status_data(report: StatusReport, lang: str) -> dict[str, Any]:
    """The documented status shape."""
    campaign = load_campaign()
    return {
        "as_of": report.as_of,
        "year": report.plan.year,
        "size": report.plan.size,
        "shop": report.plan.shop,
        "phases": [{"id": phase.window.phase,
                    "name": campaign.phase_name(phase.window.phase, lang),
                    "start": phase.window.start, "end": phase.window.end, "done": phase.done,
                    "total": phase.total, "overdue": list(phase.overdue)}
                   for phase in report.phases],
        "categories": [{"id": tally.id, "name": campaign.category_name(tally.id, lang),
                        "done": tally.done, "total": tally.total}
                       for tally in report.categories],
        "overdue": list(report.overdue),
        "due_soon": list(report.due_soon),
        "no_longer_applies": [dict(id=item_id, **state_data(state))
                              for item_id, state in report.no_longer_applies],
        "items": [_item(item, lang) for item in report.items],
    }


def _item(item: TrackedItem, lang: str) -> dict[str, Any]:
    campaign = load_campaign()
    data = {"id": item.id, **tracked_state(item), "due": item.due,
            "phase": item.planned.phase, "owner": item.planned.owner,
            "owner_name": campaign.owner_name(item.planned.owner, lang),
            "title": pick(item.planned.item.title, lang), "repeat": item.planned.item.repeat}
    if item.repeats:
        data["days"] = [{"day": day.day, **state_data(day.state)} for day in item.days]
    return data


def register_data(summary: RegisterSummary) -> dict[str, Any]:
    """The complaint register's part of the status JSON."""
    on_time, late = summary.answered_on_time, summary.answered_late
    return {"open": summary.open, "overdue": summary.overdue,
            "callback_due": {"count": summary.callback_due,
                             "numbers": list(summary.callback_numbers),
                             **({"at_least": True} if summary.callback_due_more else {})},
            "answered": {"on_time": on_time, "late": late,
                         "rate": on_time / (on_time + late) if on_time + late else None}}


def next_data(result: NextItems, today: dt.date, lang: str) -> dict[str, Any]:
    """The documented `next` JSON; a daily duty comes with today's occurrence as `day`."""
    def entry(item: TrackedItem) -> dict[str, Any]:
        data = tracked_data(item, lang)
        occurrence = item.today(today) if item.repeats else None
        if occurrence is not None:
            data.update(state_data(occurrence.state), day=occurrence.day)
        return data

    return {"as_of": today, **{key: [entry(item) for item in items]
                               for key, items in (("now", result.now), ("next", result.next))}}


def status_as_table(report: dict[str, Any], lang: str, sections: tuple[str, ...] = ()
                    ) -> str:
    """Progress bars per phase and category, overdue items in red, then due-soon items."""
    items = {item["id"]: item for item in report["items"]}
    blocks = [t("status.title", lang, shop=shop_name(report["shop"], lang),
                year=report["year"], today=text(report["as_of"]))]
    for key, label in (("phases", "label.phase"), ("categories", "label.category")):
        bars = progress_bars((entry["done"], entry["total"]) for entry in report[key])
        blocks.append(table([t(label, lang), t("label.progress", lang)],
                            [[entry["name"], bar] for entry, bar in zip(report[key], bars,
                                                                        strict=True)]))
    headers = [t("label.due", lang), t("label.owner", lang), t("label.id", lang),
               t("label.title", lang)]

    def rows(labels: list[str]) -> list[list[Any]]:
        """A row per item, or per day of a daily duty (``id@day``: due that day)."""
        shown = []
        for label in labels:
            item_id, _, day = label.partition("@")
            item = items[item_id]
            shown.append([day or item["due"], item["owner_name"], label, item["title"]])
        return shown

    if report["overdue"]:
        heading = style(t("status.overdue", lang, count=len(report["overdue"])),
                              fg="red", bold=True)
        blocks.append(heading + "\n" + style(table(headers, rows(report["overdue"])),
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
    for extra in sections:
        blocks.append(extra)
    return "\n\n".join(blocks)


def register_section(summary: RegisterSummary, policy: Policy, lang: str) -> str:
    """The complaint lines of `status`: open / overdue by level, call-backs still due."""
    from planner.complaints.policy import LEVELS

    rows = [[policy.level_name(level, lang), summary.open.get(level, 0),
             summary.overdue.get(level, 0)]
            for level in LEVELS if summary.open.get(level)]
    text_block = t("status.complaints", lang)
    if rows:
        text_block += "\n" + table([t("label.register.level", lang), t("status.c-open", lang),
                                    t("status.c-overdue", lang)], rows)
    if summary.answered_on_time or summary.answered_late:
        from planner.present.report import rate_text

        text_block += "\n" + t("status.on-time-rate", lang, rate=rate_text(
            summary.answered_on_time, summary.answered_late, lang))
    if summary.callback_due:
        more = "…" if summary.callback_due > len(summary.callback_numbers) else ""
        count = f"{summary.callback_due:,}{'+' if summary.callback_due_more else ''}"
        text_block += "\n" + t("status.callback-due", lang, count=count,
                               numbers=", ".join(map(shown, summary.callback_numbers)) + more)
    return text_block


def next_as_table(result: dict[str, list[dict[str, Any]]], today: Any, lang: str) -> str:
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
                due = style(due, fg="red")
            rows.append([due, item["owner_name"], item["id"], item["title"]])
        blocks.append(heading + ("\n" + table(headers, rows) if rows else ""))
    return "\n\n".join(blocks)
