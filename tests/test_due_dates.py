"""The shipped items' due dates, pinned per shop size for 2027 with the default phases.

A due rule must say what its item's text says: the Women's Day take-down is due the morning
after the Mar 8 promotion, the plan comes first, the notice carries the roster, the call-backs
follow the closure check, and the battle's duties repeat every day instead of all falling due
on its first day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.campaign.items import load_items
from planner.campaign.phases import campaign_windows
from planner.campaign.plan import build_plan

YEAR = 2027
TIERS = ("large", "medium", "small")

# Every battle item is a daily duty; the larger the shop, the more of them.
SMALL_DAILY = {
    "battle.cs.response-time", "battle.cs.conduct", "battle.cs.real-need",
    "battle.cs.beyond-remit", "battle.cs.escalate", "battle.complaint.urgent",
    "battle.refund.three-day", "battle.pages.daily-check", "battle.aftersale.disputes",
}
MEDIUM_DAILY = SMALL_DAILY | {
    "battle.cs.expectations", "battle.complaint.first-owner", "battle.onfloor.managers",
    "battle.onfloor.hard-case-list", "battle.onfloor.daily-review", "battle.cs.wellbeing",
}
LARGE_DAILY = MEDIUM_DAILY | {
    "battle.complaint.deadlines", "battle.logistics.exceptions", "battle.stock.pick-check",
    "battle.pr.monitoring",
}
DAILY = {"large": LARGE_DAILY, "medium": MEDIUM_DAILY, "small": SMALL_DAILY}


def d(month: int, day: int) -> dt.date:
    return dt.date(YEAR, month, day)


KEY_DATES = {
    "large": {
        "prepare.plan.kickoff": d(2, 25),
        "prepare.promo.ended-copy": d(2, 25),
        "prepare.promo.rules": d(2, 25),
        "prepare.roster.departments": d(2, 28),
        "prepare.process.authority": d(2, 28),
        "prepare.notice.deployment": d(3, 1),
        "prepare.training.cascade": d(3, 3),
        "prepare.onfloor.setup": d(3, 6),
        "prepare.promo.womens-day-down": d(3, 9),
        "prepare.crisis.kit": d(3, 9),
        "prepare.final.dry-run": d(3, 10),
        "aftermath.complaint.closure-check": d(3, 22),
        "aftermath.callback.all-buyers": d(3, 24),
        "aftermath.callback.unsatisfied": d(3, 28),
        "aftermath.review.root-cause": d(3, 30),
        "aftermath.review.meeting": d(4, 8),
        "aftermath.hardcase.track": d(4, 10),
        "aftermath.review.archive": d(4, 10),
    },
    "medium": {
        "prepare.plan.kickoff": d(3, 4),
        "prepare.promo.ended-copy": d(3, 4),
        "prepare.promo.rules": d(3, 4),
        "prepare.roster.departments": d(3, 7),
        "prepare.notice.deployment": d(3, 8),
        "prepare.promo.womens-day-down": d(3, 9),
        "prepare.training.cascade": d(3, 10),
        "prepare.crisis.kit": d(3, 11),
        "prepare.onfloor.setup": d(3, 12),
        "prepare.final.dry-run": d(3, 12),
        "aftermath.complaint.closure-check": d(3, 20),
        "aftermath.callback.all-buyers": d(3, 22),
        "aftermath.review.root-cause": d(3, 28),
        "aftermath.review.meeting": d(3, 29),
        "aftermath.hardcase.track": d(3, 31),
    },
    "small": {
        # a small shop's prepare starts on Mar 6, so that the rules of its Women's Day
        # promotion are checked before Mar 8
        "prepare.plan.kickoff": d(3, 6),
        "prepare.promo.ended-copy": d(3, 6),
        "prepare.promo.rules": d(3, 6),
        "prepare.process.flow": d(3, 9),
        "prepare.crisis.kit": d(3, 12),
        "prepare.training.scripts": d(3, 11),
        "prepare.final.dry-run": d(3, 13),
        "aftermath.complaint.closure-check": d(3, 18),
        "aftermath.callback.all-buyers": d(3, 20),
        "aftermath.review.meeting": d(3, 21),
    },
}

# One-off battle items that may fall due on the battle's first day: only those whose text
# says they must be done before the battle starts. None today: every battle item is a daily
# duty, and what must be ready before the battle is a prepare item.
DUE_BEFORE_THE_BATTLE: set[str] = set()

# (earlier, later): the later item's text builds on the earlier one's result.
ORDER = [
    ("prepare.plan.kickoff", "prepare.screen.past-complaints"),
    ("prepare.roster.departments", "prepare.notice.deployment"),  # roster goes into the notice
    ("prepare.process.authority", "prepare.notice.deployment"),   # the table goes with it
    ("prepare.process.flow", "prepare.notice.deployment"),
    ("prepare.process.levels", "prepare.notice.deployment"),
    ("prepare.aftersale.remedy-menu", "prepare.training.scripts"),  # added to the answers
    ("prepare.aftersale.remedy-menu", "prepare.aftersale.coupons-gifts"),
    ("prepare.training.scripts", "prepare.training.cascade"),
    ("prepare.stock.sample-check", "prepare.stock.quality-trace"),
    ("prepare.stock.quality-trace", "prepare.stock.buyer-returns"),
    ("prepare.crisis.kit", "prepare.final.dry-run"),
    ("aftermath.complaint.closure-check", "aftermath.callback.all-buyers"),
    ("aftermath.callback.all-buyers", "aftermath.callback.unsatisfied"),
    ("aftermath.review.root-cause", "aftermath.review.meeting"),  # report before the meeting
    ("aftermath.review.meeting", "aftermath.training.update"),    # revised after the review
    ("aftermath.review.meeting", "aftermath.review.archive"),
]


def plan_of(size: str):
    return build_plan(size=size, year=YEAR, windows=campaign_windows(size, YEAR))


def dues(size: str) -> dict[str, dt.date]:
    return {item.id: item.due for item in plan_of(size).items()}


@pytest.mark.parametrize("size", TIERS)
def test_key_dates(size):
    got = dues(size)
    assert {i: got.get(i) for i in KEY_DATES[size]} == KEY_DATES[size]


@pytest.mark.parametrize("size", TIERS)
def test_daily_duties(size):
    plan = plan_of(size)
    daily = {item.id for item in plan.items() if item.item.repeat == "daily"}
    assert daily == DAILY[size]
    for phase in plan.phases:
        for item in phase.items:
            if item.item.repeat:  # every day of its phase; due on the last one
                assert item.due == phase.window.end
                assert len(item.item.days(phase.window)) == phase.window.days


def test_daily_duties_are_the_battle_and_have_no_due_rule():
    for item in load_items():
        assert (item.repeat == "daily") == (item.phase == "battle"), item.id


@pytest.mark.parametrize("size", ("large", "medium"))
def test_womens_day_take_down_is_due_the_morning_after(size):
    window = plan_of(size).window("prepare")
    assert window.contains(d(3, 8)) and window.contains(d(3, 9))
    assert dues(size)["prepare.promo.womens-day-down"] in (d(3, 8), d(3, 9))


@pytest.mark.parametrize("size", TIERS)
def test_promotion_rules_checked_before_womens_day_where_the_phase_allows(size):
    window = plan_of(size).window("prepare")
    due = dues(size)["prepare.promo.rules"]
    if window.start < d(3, 8):
        assert due < d(3, 8)
    else:  # a small shop: as early as its phase allows
        assert due == window.start


@pytest.mark.parametrize("size", TIERS)
def test_items_that_build_on_each_other_come_in_order(size):
    got = dues(size)
    for earlier, later in ORDER:
        if earlier in got and later in got:
            assert got[earlier] <= got[later], (earlier, later)


def test_no_one_off_battle_item_of_a_large_shop_is_due_on_the_first_battle_day():
    plan = plan_of("large")
    battle = next(phase for phase in plan.phases if phase.id == "battle")
    first_day = [item.id for item in battle.items
                 if not item.item.repeat and item.due == battle.window.start]
    assert set(first_day) <= DUE_BEFORE_THE_BATTLE
