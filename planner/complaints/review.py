"""One campaign's complaints in figures: by level and category, first responses on time or
late, call-backs. Read in one pass over the register and one over its history."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

from planner.complaints.policy import LEVELS
from planner.complaints.register import SUBJECT_PREFIX, CampaignDates, list_complaints
from planner.storage.contract import StateStore

REPLIED = ("replied", "resolved", "closed")  # a status that means the buyer got an answer


class ComplaintReview(NamedTuple):
    year: int
    total: int
    by_level: dict[str, int]
    by_category: dict[str, int]
    on_time: int  # first answered by the deadline
    late: int  # first answered after it
    waiting: int  # not answered yet
    callbacks_done: int
    callbacks_satisfied: int
    callbacks_due: int  # finished, no call-back yet
    outside_campaign: int


def first_replies(store: StateStore, year: int) -> dict[str, dt.datetime]:
    """When each complaint of campaign `year` was first answered (from its history)."""
    replies: dict[str, dt.datetime] = {}
    for entry in store.history(year=year, subject_prefix=SUBJECT_PREFIX):
        number = entry.subject.removeprefix(SUBJECT_PREFIX)
        answered = entry.new and entry.new.get("status") in REPLIED
        if entry.action == "complaint-update" and answered and number not in replies:
            replies[number] = entry.at
    return replies


def review_complaints(store: StateStore, year: int, now: dt.datetime,
                      dates: CampaignDates | None = None) -> ComplaintReview:
    """The figures of campaign `year` (`dates`: the campaign dates, to count the complaints
    received between campaigns)."""
    replies = first_replies(store, year)
    levels: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for complaint in list_complaints(store, now, campaign=year, dates=dates):
        record = complaint.record
        levels[record.level] += 1
        categories[record.category] += 1
        counts["total"] += 1
        counts["outside"] += complaint.outside_campaign
        replied = replies.get(record.number)
        counts["waiting" if replied is None else
               "on_time" if replied <= record.deadline else "late"] += 1
        if record.callback is not None:
            counts["callbacks"] += 1
            counts["satisfied"] += record.callback.satisfied
        elif record.status in ("resolved", "closed"):
            counts["callbacks_due"] += 1
    by_level = {level: levels[level] for level in LEVELS if levels[level]}
    by_level.update((level, count) for level, count in levels.items() if level not in by_level)
    return ComplaintReview(year, counts["total"], by_level,
                           dict(sorted(categories.items())), counts["on_time"], counts["late"],
                           counts["waiting"], counts["callbacks"], counts["satisfied"],
                           counts["callbacks_due"], counts["outside"])
