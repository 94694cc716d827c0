"""The complaint register as a library: numbering, batch rule, ordering, updates, call-backs."""

import pytest

from planner.complaints import desk, register
from planner.complaints.triage import TriageFlags
from planner.core.clock import parse_datetime
from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.present.complaints import added_data, complaint_data, shown_data
from planner.present.status import register_data
from planner.storage.sqlite import open_store
from planner.workspace.layout import DB_FILE
from planner.workspace.session import Workspace

# The library returns typed records; these give the documented JSON shapes the tests read.


def add_complaint(store, rules, *, lang, **fields):
    flags = TriageFlags(**{key: fields.pop(key) for key in TriageFlags._fields
                           if key in fields})
    return added_data(register.add_complaint(store, rules, flags=flags, **fields),
                      rules.policy, lang)


def list_complaints(store, now, campaign=None, chunk=2000, **filters):
    search = register.Search(**filters)
    return [complaint_data(c) for c in register.list_complaints(store, now, search,
                                                                 campaign=campaign,
                                                                 chunk=chunk)]


def update_status(store, number, status, *, by, now, **options):
    [(complaint, changed)] = desk.update_status(desk.Desk(store, by, now), [number], status,
                                                **options)
    return {"complaint": complaint_data(complaint), "changed": changed}


def record_callback(store, number, satisfied, *, by, now, **options):
    return complaint_data(desk.record_callback(desk.Desk(store, by, now), number, satisfied,
                                               **options))


def show_complaint(store, number, now):
    return shown_data(*register.show_complaint(store, number, now))


def register_summary(store, now, **options):
    return register_data(register.register_summary(store, now, **options))


T = parse_datetime

@pytest.fixture
def store(tmp_path):
    (tmp_path / "shop.yaml").write_text("size: large\n", encoding="utf-8")
    with open_store(tmp_path / DB_FILE, write=True) as opened:
        yield opened

@pytest.fixture
def rules():
    return Workspace.open(shop_path=None, workspace=None).complaint_rules

def add(store, rules, category="quality", received="2026-03-16 10:00", now=None, **extra):
    received_at = T(received)
    return add_complaint(store, rules, category=category, summary=extra.pop("summary", "破损"),
                         received=received_at, now=T(now) if now else received_at, by="li",
                         lang="en", **extra)

def test_numbers_are_sequential_per_year_and_never_reused(store, rules):
    numbers = [add(store, rules)["complaint"]["number"] for _ in range(3)]
    assert numbers == ["TS-2026-0001", "TS-2026-0002", "TS-2026-0003"]
    assert add(store, rules, received="2027-03-15 10:00")["complaint"]["number"] == "TS-2027-0001"
    assert add(store, rules)["complaint"]["number"] == "TS-2026-0004"

def test_add_records_level_owner_deadline_and_history(store, rules):
    result = add(store, rules, category="account-security", received="2026-03-13 17:00",
                 order="O-1", buyer="王女士", product="P-9", channel="wangwang")
    complaint = result["complaint"]
    assert (complaint["level"], complaint["handler"], complaint["status"]) == (
        "III", "risk-control", "open")
    # Fri 17:00 -> T = Fri; T+2 working days = Tue 18:00
    assert complaint["deadline"] == "2026-03-17T18:00:00+08:00"
    assert complaint["calendar"] == "official"
    [entry] = show_complaint(store, complaint["number"], T("2026-03-13 17:01"))["history"]
    assert (entry["action"], entry["by"], entry["new"]["level"]) == ("complaint-add", "li", "III")

def test_vip_and_urgent_flags(store, rules):
    vip = add(store, rules, category="quality", vip=True)["complaint"]
    assert (vip["level"], vip["handler"]) == ("III", "cs-manager")
    media = add(store, rules, category="quality", sensitive="media",
                received="2026-03-16 22:30")["complaint"]
    assert media["level"] == "urgent"
    assert media["deadline"] == "2026-03-17T01:30:00+08:00"

def test_batch_rule_makes_the_whole_day_urgent(store, rules):
    for n in range(10):
        result = add(store, rules, product="SKU-1", received=f"2026-03-16 {9 + n % 8:02d}:00",
                     now="2026-03-16 17:00")
        assert result["escalated"] == [] and result["complaint"]["level"] == "I"
    other_product = add(store, rules, product="SKU-2", now="2026-03-16 17:00")
    eleventh = add(store, rules, product="SKU-1", received="2026-03-16 17:05",
                   now="2026-03-16 17:05")
    assert eleventh["complaint"]["level"] == "urgent"
    assert eleventh["complaint"]["deadline"] == "2026-03-16T20:05:00+08:00"
    assert len(eleventh["escalated"]) == 10
    levels = {c["number"]: c for c in list_complaints(store, T("2026-03-16 17:06"))}
    assert all(levels[number]["level"] == "urgent" for number in eleventh["escalated"])
    # three hours from the receipt of the complaint that crossed the threshold
    assert all(levels[number]["deadline"] == "2026-03-16T20:05:00+08:00"
               for number in eleventh["escalated"])
    assert levels[other_product["complaint"]["number"]]["level"] == "I"
    # the next day starts a new count
    assert add(store, rules, product="SKU-1", received="2026-03-17 09:00")["complaint"][
        "level"] == "I"

def test_list_order_overdue_and_at_risk(store, rules):
    first = add(store, rules, category="quality", received="2026-03-16 10:00")["complaint"]
    agent = add(store, rules, category="agent-attitude", received="2026-03-16 10:00")["complaint"]
    urgent = add(store, rules, category="quality", media_risk=True,
                 received="2026-03-16 10:00")["complaint"]
    infringement = add(store, rules, category="infringement",
                       received="2026-03-16 11:00")["complaint"]
    now = T("2026-03-16 12:30")
    ordered = [c["number"] for c in list_complaints(store, now)]
    assert ordered == [urgent["number"], infringement["number"], agent["number"],
                       first["number"]]
    late = [c["number"] for c in list_complaints(store, T("2026-03-16 13:01"), overdue=True)]
    assert late == [urgent["number"]]
    # same-day rule: 10:00 -> 18:00; 80% of 8 hours is 16:24
    risky = {c["number"]: c["at_risk"] for c in list_complaints(store, T("2026-03-16 16:30"))}
    assert risky[agent["number"]] is True and risky[first["number"]] is False
    assert [c["number"] for c in list_complaints(store, now, level="II")] == [agent["number"]]
    assert [c["number"] for c in list_complaints(store, now, owner="risk-control")] == []

def test_update_callback_and_summary(store, rules):
    number = add(store, rules)["complaint"]["number"]
    with pytest.raises(PlannerError) as caught:
        record_callback(store, number, True, by="li", now=T("2026-03-17 09:00"))
    assert "nothing to call back about yet" in render_error(caught.value, "en")
    assert update_status(store, number, "resolved", by="li", now=T("2026-03-17 09:00"),
                         note="退款")["changed"]
    assert not update_status(store, number, "resolved", by="li", now=T("2026-03-17 09:01"))[
        "changed"]
    summary = register_summary(store, T("2026-03-17 10:00"))
    assert summary["callback_due"] == {"count": 1, "numbers": [number]}
    record_callback(store, number, False, by="zhao", now=T("2026-03-25 10:00"), note="仍不满意")
    assert register_summary(store, T("2026-03-25 10:01"))["callback_due"]["count"] == 0
    shown = show_complaint(store, number.lower(), T("2026-03-25 11:00"))
    assert shown["callback"]["satisfied"] is False
    assert [e["action"] for e in shown["history"]] == [
        "complaint-add", "complaint-update", "complaint-callback"]

def test_bad_values_write_nothing(store, rules):
    with pytest.raises(PlannerError):
        add(store, rules, category="weather")
    with pytest.raises(PlannerError):
        add(store, rules, summary="  ")
    with pytest.raises(PlannerError):
        add(store, rules, received="2026-03-16 10:00", now="2026-03-16 09:00")
    with pytest.raises(PlannerError):
        update_status(store, "TS-2026-0099", "closed", by="li", now=T("2026-03-17 09:00"))
    assert list(list_complaints(store, T("2026-03-17 09:00"))) == []
    assert list(store.history()) == []
    assert add(store, rules)["complaint"]["number"] == "TS-2026-0001"

def test_register_summary_counts(store, rules):
    add(store, rules, category="quality")
    add(store, rules, category="quality", media_risk=True)
    summary = register_summary(store, T("2026-03-16 14:00"))
    assert summary["open"] == {"I": 1, "urgent": 1}
    assert summary["overdue"] == {"urgent": 1}


def test_listing_in_chunks_keeps_the_order(store, rules):
    for n in range(25):
        add(store, rules, category=("quality", "agent-attitude", "infringement")[n % 3],
            received=f"2026-03-16 {9 + n % 8:02d}:{n:02d}")
    whole = [c["number"] for c in list_complaints(store, T("2026-03-16 18:00"))]
    chunked = [c["number"] for c in list_complaints(store, T("2026-03-16 18:00"), chunk=4)]
    assert chunked == whole and len(whole) == 25


def test_a_batch_entered_afterwards_is_born_overdue(store, rules):
    for n in range(10):
        add(store, rules, product="SKU-9", received=f"2026-03-16 09:{n:02d}",
            now="2026-03-16 16:00")
    eleventh = add(store, rules, product="SKU-9", received="2026-03-16 09:11",
                   now="2026-03-16 16:00")
    complaint = eleventh["complaint"]
    # three hours from the receipt of the complaint that crossed the threshold, as live
    assert complaint["level"] == "urgent" and complaint["overdue"]
    assert complaint["deadline"] == "2026-03-16T12:11:00+08:00"
    deadlines = {c["deadline"] for c in list_complaints(store, T("2026-03-16 16:01"))}
    assert deadlines == {"2026-03-16T12:11:00+08:00"}


def _deadlines(store):
    return {(c["received"], c["summary"]): (c["level"], c["deadline"])
            for c in list_complaints(store, T("2026-03-17 12:00"))}


def test_a_register_filled_in_afterwards_gives_the_deadlines_of_a_live_one(tmp_path, rules):
    arrivals = [(f"2026-03-16 {9 + n // 3:02d}:{(n * 7) % 60:02d}", f"case {n}")
                for n in range(14)]
    with open_store(tmp_path / "live.db", write=True) as live:
        for received, summary in arrivals:  # each entered the moment it arrived
            add(live, rules, issue="courier strike", received=received, summary=summary)
        live_deadlines = _deadlines(live)
    with open_store(tmp_path / "late.db", write=True) as late:
        for received, summary in reversed(arrivals):  # all typed in the next morning
            add(late, rules, issue="courier strike", received=received, summary=summary,
                now="2026-03-17 09:00")
        assert _deadlines(late) == live_deadlines
    levels = [level for level, _ in live_deadlines.values()]
    assert levels == ["urgent"] * 14  # every one of the day: none was answered before


def test_the_batch_rule_counts_issues_without_a_product(store, rules):
    for n in range(10):
        add(store, rules, category="after-sale", received=f"2026-03-16 10:{n:02d}")
    add(store, rules, category="quality", received="2026-03-16 10:30")
    eleventh = add(store, rules, category="after-sale", received="2026-03-16 11:00")
    assert eleventh["complaint"]["level"] == "urgent"
    assert eleventh["complaint"]["issue"] is None and len(eleventh["escalated"]) == 10
    levels = {c["category"]: c["level"] for c in list_complaints(store, T("2026-03-16 11:01"))}
    assert levels["quality"] == "I"  # another category is another issue
