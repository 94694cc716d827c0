"""The complaint report in words: the documented JSON, a text page and Markdown, and the
sections the register workbook's report sheet and the review reuse."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.complaints.report import UNASSIGNED, Report
from planner.core.clock import iso
from planner.core.i18n import t
from planner.present.text import md_table, shop_name, table

if TYPE_CHECKING:
    from planner.complaints.policy import Policy

Section = tuple[str, list[str], list[list[Any]]]
EVENT_WIDTH = 90


def report_data(report: Report) -> dict[str, Any]:
    """The documented JSON of `complaint report`: its day or its year, then the figures."""
    scope = {"day": report.day.isoformat()} if report.day else {"year": report.year}
    return {
        **scope,
        "new": {"total": report.new_total, "by_level": report.new_by_level,
                "by_category": report.new_by_category},
        "urgent_events": [{"kind": event.kind, "at": iso(event.at),
                           "category": event.category, "issue": event.issue,
                           "numbers": list(event.numbers), "count": len(event.numbers),
                           "reasons": list(event.reasons)}
                          for event in report.urgent_events],
        "answered": {"on_time": report.on_time, "late": report.late, "rate": report.rate,
                     "waiting": report.unanswered},
        "overdue_now": report.overdue_now,
        "at_risk_now": report.at_risk_now,
        "callbacks": {"due": report.callbacks_due, "done": report.callbacks_done,
                      "satisfied": report.callbacks_satisfied},
        "by_assignee": {name: figures._asdict()
                        for name, figures in report.by_assignee.items()},
        "void": report.void,
        "as_of": iso(report.moment),
    }


def rate_text(on_time: int, late: int, lang: str) -> str:
    """"90% (9 of 10)", or a dash before any first response."""
    answered = on_time + late
    if not answered:
        return t("report.rate-none", lang)
    return t("report.rate", lang, percent=round(100 * on_time / answered), on_time=on_time,
             answered=answered)


def _event_text(event: Any, policy: Policy, lang: str) -> str:
    category = policy.category_name(event.category, lang)
    about = f"{category} · {event.issue}" if event.issue else category
    if event.kind == "batch":
        return t("report.event.batch", lang, count=len(event.numbers), about=about,
                 numbers=", ".join(event.numbers))
    reasons = t("punct.list-separator", lang).join(
        policy.trigger_text(reason, lang) for reason in event.reasons)
    return t("report.event.urgent", lang, number=event.numbers[0], about=about,
             reasons=reasons)


def report_sections(report: Report, policy: Policy, lang: str) -> list[Section]:
    """The report as (heading, headers, rows) sections."""
    item, value = t("label.complaint.item", lang), t("label.complaint.value", lang)
    level, category = t("label.register.level", lang), t("label.register.category", lang)
    new_rows: list[list[Any]] = [[t("report.new-total", lang), report.new_total]]
    new_rows += [[f"{level} · {policy.level_name(key, lang)}", count]
                 for key, count in report.new_by_level.items()]
    new_rows += [[f"{category} · {policy.category_name(key, lang)}", count]
                 for key, count in report.new_by_category.items()]
    answer_rows = [
        [t("report.on-time", lang), report.on_time],
        [t("report.late", lang), report.late],
        [t("report.rate-label", lang), rate_text(report.on_time, report.late, lang)],
        [t("review.waiting", lang), report.unanswered],
        [t("report.overdue-now", lang), report.overdue_now],
        [t("report.at-risk-now", lang), report.at_risk_now],
        [t("report.callbacks-done", lang), t("report.callbacks-value", lang,
                                              done=report.callbacks_done,
                                              satisfied=report.callbacks_satisfied)],
        [t("report.callbacks-due", lang), report.callbacks_due],
    ]
    if report.void:
        answer_rows.append([t("report.void", lang), report.void])
    sections: list[Section] = [(t("report.new", lang), [item, value], new_rows),
                               (t("report.answers", lang), [item, value], answer_rows)]
    events = [[_event_text(event, policy, lang)] for event in report.urgent_events]
    sections.append((t("report.events", lang, count=len(events)),
                     [t("report.event", lang)], events))
    people = [[name if name != UNASSIGNED else t("report.unassigned", lang), f.new,
               f.on_time, f.late, f.overdue_now]
              for name, f in report.by_assignee.items()]
    sections.append((t("report.by-assignee", lang),
                     [t("label.register.assignee", lang), t("report.col.new", lang),
                      t("report.col.on-time", lang), t("report.col.late", lang),
                      t("report.col.overdue", lang)], people))
    return sections


def report_title(report: Report, lang: str, shop: str | None) -> str:
    shop = shop_name(shop, lang)
    if report.day:
        return t("report.title.day", lang, shop=shop, day=report.day.isoformat())
    return t("report.title.year", lang, shop=shop, year=report.year)


def report_table(report: Report, policy: Policy, lang: str, *, shop: str | None) -> str:
    blocks = [report_title(report, lang, shop)]
    for heading, headers, rows in report_sections(report, policy, lang):
        widths = [EVENT_WIDTH] if len(headers) == 1 else None  # the events: one long column
        blocks.append(heading + ("\n" + table(headers, rows, widths) if rows else ""))
    return "\n\n".join(blocks)


def report_markdown(report: Report, policy: Policy, lang: str, *, shop: str | None) -> str:
    blocks = [f"# {report_title(report, lang, shop)}"]
    for heading, headers, rows in report_sections(report, policy, lang):
        blocks.append(f"## {heading}" + ("\n\n" + md_table(headers, rows) if rows else ""))
    return "\n\n".join(blocks) + "\n"
