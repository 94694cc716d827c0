"""The review (复盘) in words: the documented JSON, a text page and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.campaign.phases import load_campaign
from planner.campaign.review import Counts, ItemReview
from planner.core.i18n import t
from planner.present.report import rate_text, report_data
from planner.present.text import md_table, shop_name, table

if TYPE_CHECKING:
    from planner.complaints.policy import Policy
    from planner.workspace.session import Review


def counts_data(counts: Counts) -> dict[str, int]:
    return {"done": counts.done, "skipped": counts.skipped, "open": counts.open,
            "total": counts.total}


def items_data(items: ItemReview) -> dict[str, Any]:
    return {"by_phase": {phase: counts_data(c) for phase, c in items.by_phase.items()},
            "by_owner": {owner: counts_data(c) for owner, c in items.by_owner.items()},
            "late": [{"id": late.id, "day": late.day, "due": late.due, "done": late.done,
                      "days_late": late.days_late, "owner": late.owner}
                     for late in items.late]}


def review_data(review: Review) -> dict[str, Any]:
    """The documented review JSON: ``{year, items, complaints, previous}``."""
    return {"year": review.year, "items": items_data(review.items),
            "complaints": report_data(review.complaints),
            "previous": review_data(review.previous) if review.previous else None}


def _percent(counts: Counts) -> str:
    settled = counts.done + counts.skipped
    return f"{round(100 * settled / counts.total) if counts.total else 100}%"


def _count_rows(groups: dict[str, Counts], names: dict[str, dict[str, str]], lang: str
                ) -> list[list[Any]]:
    return [[names[key][lang] if key in names else key, c.done, c.skipped, c.open, c.total,
             _percent(c)] for key, c in groups.items()]


def review_sections(review: Review, policy: Policy, lang: str
                    ) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The page as (heading, headers, rows) sections, for text, Markdown and the workbook."""
    campaign = load_campaign()
    counts = [t(f"review.col.{key}", lang) for key in ("done", "skipped", "open", "total",
                                                        "settled")]
    items = review.items
    sections = [
        (t("review.by-phase", lang), [t("label.phase", lang), *counts],
         _count_rows(items.by_phase, campaign.phase_names, lang)),
        (t("review.by-owner", lang), [t("label.owner", lang), *counts],
         _count_rows(items.by_owner, campaign.owners, lang)),
        (t("review.late", lang, count=len(items.late)),
         [t("label.id", lang), t("label.due", lang), t("review.col.done-on", lang),
          t("review.col.days-late", lang), t("label.owner", lang)],
         [[f"{late.id}@{late.day.isoformat()}" if late.day else late.id, late.due, late.done,
           late.days_late, campaign.owner_name(late.owner, lang)] for late in items.late]),
    ]
    sections.append((t("review.complaints", lang), [t("label.complaint.item", lang),
                                                     t("label.complaint.value", lang)],
                     _complaint_rows(review, policy, lang)))
    return sections


def _complaint_rows(review: Review, policy: Policy, lang: str) -> list[list[Any]]:
    figures = review.complaints
    previous = review.previous.complaints if review.previous else None

    def compared(value: Any, before: Any) -> str:
        if previous is None:
            return str(value)
        return t("review.compared", lang, value=value, year=review.year - 1, before=before)

    rows = [[t("review.total", lang),
             compared(figures.new_total, previous and previous.new_total)]]
    level, category = t("label.register.level", lang), t("label.register.category", lang)
    rows += [[f"{level} · {policy.level_name(key, lang)}", count]
             for key, count in figures.new_by_level.items()]
    rows += [[f"{category} · {policy.category_name(key, lang)}", count]
             for key, count in figures.new_by_category.items()]
    rate = rate_text(figures.on_time, figures.late, lang)
    rows += [[t("review.on-time", lang), compared(figures.on_time,
                                                  previous and previous.on_time)],
             [t("review.answered-late", lang), compared(figures.late,
                                                        previous and previous.late)],
             [t("report.rate-label", lang), compared(rate, previous and rate_text(
                 previous.on_time, previous.late, lang))],
             [t("review.waiting", lang), figures.unanswered],
             [t("review.callbacks", lang), t("review.callbacks-value", lang,
                                             done=figures.callbacks_done,
                                             satisfied=figures.callbacks_satisfied,
                                             due=figures.callbacks_due)]]
    return rows


def _title(review: Review, lang: str) -> str:
    title = t("review.title", lang, shop=shop_name(review.plan.shop, lang), year=review.year)
    if review.previous:
        previous = review.previous.items
        settled = sum(c.done + c.skipped for c in previous.by_phase.values())
        total = sum(c.total for c in previous.by_phase.values())
        title += "\n" + t("review.previous", lang, year=review.year - 1,
                          percent=round(100 * settled / total) if total else 100,
                          late=len(previous.late))
    return title


def review_as_table(review: Review, policy: Policy, lang: str) -> str:
    blocks = [_title(review, lang)]
    for heading, headers, rows in review_sections(review, policy, lang):
        blocks.append(heading + ("\n" + table(headers, rows) if rows else ""))
    return "\n\n".join(blocks)


def review_as_markdown(review: Review, policy: Policy, lang: str) -> str:
    title, *more = _title(review, lang).split("\n")
    blocks = [f"# {title}", *more]
    for heading, headers, rows in review_sections(review, policy, lang):
        blocks.append(f"## {heading}" + ("\n\n" + md_table(headers, rows) if rows else ""))
    return "\n\n".join(blocks) + "\n"
