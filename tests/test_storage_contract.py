"""The storage contract (`planner.storage.contract`), run against every backend.

A backend is given to these tests as a `Backend`: how to open a store on fresh state, and how
another client holds the whole database locked. Both backends are in `BACKENDS`; the
PostgreSQL one needs the test server (tests/pgserver.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.campaign.checkoff import set_status, undo
from planner.core.clock import SHANGHAI
from planner.core.errors import PlannerError
from planner.storage.contract import (
    TALLY_KEYS,
    Callback,
    Change,
    ComplaintFilter,
    ComplaintRecord,
    HistoryEntry,
    ItemState,
    StateStore,
)

Y = 2027  # the campaign year the tests write in
AT = dt.datetime(2027, 3, 1, 10, 0, tzinfo=SHANGHAI)


@dataclass
class Backend:
    open: Callable[..., StateStore]  # open(write=False)
    locked: Callable[[], contextlib.AbstractContextManager[None]]  # another client's lock


def sqlite_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Backend:
    import planner.storage.sqlite as backend

    path = tmp_path / "planner315.db"
    monkeypatch.setattr(backend, "BUSY_TIMEOUT_MS", 200)  # wait briefly for a lock

    @contextlib.contextmanager
    def locked() -> Iterator[None]:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()

    return Backend(lambda write=False: backend.open_store(path, write=write), locked)


def postgres_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Backend:
    """A shop of its own in the test server's database (tests/pgserver.py)."""
    from pgserver import server_url

    url = server_url()
    import planner.storage.postgres as backend
    from planner.storage.postgres_schema import ShopInfo, schema_name

    monkeypatch.setattr(backend, "LOCK_TIMEOUT_MS", 200)
    shop = ShopInfo(f"contract-{uuid.uuid4().hex}")

    @contextlib.contextmanager
    def locked() -> Iterator[None]:
        backend.open_store(url, shop, write=True).close()  # its schema exists
        schema = schema_name(shop.shop_id)
        other = backend.connect(url)
        other.execute("BEGIN")
        other.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (schema,))
        other.execute(f"LOCK TABLE {schema}.items, {schema}.history, {schema}.complaints "
                      "IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()

    return Backend(lambda write=False: backend.open_store(url, shop, write=write), locked)


BACKENDS = {"sqlite": sqlite_backend, "postgres": postgres_backend}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, tmp_path, monkeypatch) -> Backend:
    return BACKENDS[request.param](tmp_path, monkeypatch)


@pytest.fixture
def store(backend) -> Iterator[StateStore]:
    with backend.open(write=True) as opened:
        yield opened


def state(status: str = "done", by: str = "a", at: dt.datetime = AT) -> ItemState:
    return ItemState(status, by, at, None)


def complaint(number: int, **fields) -> ComplaintRecord:
    day = fields.pop("day", dt.date(2027, 3, 12))
    values = dict(
        number=f"TS-2027-{number:04d}", year=2027, seq=number, category="quality",
        product="SKU-1", order_id=str(number), buyer="买家", channel="千牛", summary="破损",
        received=dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI), received_day=day,
        level="I", priority=3, handler="first-taker", rule="T+1",
        deadline=dt.datetime.combine(day, dt.time(18), tzinfo=SHANGHAI), calendar="official",
        flags={"vip": False, "sensitive": None}, status="open", callback=None,
        created_by="li", campaign=2027)
    values.update(fields)
    values.setdefault("issue", values["product"])
    return ComplaintRecord(**values)


# --- item states and history -----------------------------------------------------------------

def test_a_fresh_store_is_empty(backend):
    with backend.open() as store:
        assert store.item_states(Y) == {}
        assert list(store.history()) == []
        assert store.last_open_txn("a", Y) is None
        assert store.complaints.get("TS-2027-0001") is None


def test_changes_and_their_history_are_typed_and_kept(backend):
    with backend.open(write=True) as store:
        txn = store.apply(year=Y,
        changes=[Change("x", "check", None, state())], by="a", recorded_at=AT,
                          note="n")
    with backend.open() as store:  # a new connection sees what was committed
        assert store.item_states(Y) == {("x", None): state()}
        assert store.item_state(Y, "x") == state() and store.item_state(Y, "y") is None
        [entry] = store.history()
    assert isinstance(entry, HistoryEntry)
    assert (entry.txn, entry.at, entry.by, entry.action, entry.subject, entry.note) == (
        txn, AT, "a", "check", "x", "n")
    assert entry.old is None and entry.new["status"] == "done"
    assert isinstance(entry.at, dt.datetime) and entry.at.utcoffset() == dt.timedelta(hours=8)


def test_nothing_to_change_writes_nothing(store):
    assert store.apply(year=Y,
        changes=[], by="a", recorded_at=AT) is None
    assert store.apply(year=Y,
        changes=lambda: [], by="a", recorded_at=AT) is None
    assert list(store.history()) == []


def test_a_stale_change_writes_nothing(store):
    store.apply(year=Y,
        changes=[Change("x", "check", None, state())], by="a", recorded_at=AT)
    stale = [Change("y", "check", None, state()), Change("x", "check", None, state())]
    with pytest.raises(PlannerError) as caught:
        store.apply(year=Y,
        changes=stale, by="b", recorded_at=AT)
    assert caught.value.key == "error.store-conflict"
    assert set(store.item_states(Y)) == {("x", None)} and len(list(store.history())) == 1


def test_a_failing_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError), store.transaction():
        txn = store.next_txn()
        store.append_history(txn, year=Y, recorded_at=AT, by="a", action="complaint-add",
                             subject="complaint:TS-2027-0001", old=None, new={"status": "open"})
        raise RuntimeError("half way")
    assert list(store.history()) == []


def test_history_filters(store):
    later = AT + dt.timedelta(days=3)
    store.apply(year=Y,
        changes=[Change("a_1", "check", None, state())], by="li", recorded_at=AT)
    store.apply(year=Y,
        changes=[Change("ab1", "check", None, state(by="wang"))], by="wang", recorded_at=later)
    with store.transaction():
        store.append_history(store.next_txn(), year=Y, recorded_at=later, by="li",
                             action="complaint-add", subject="complaint:TS-2027-0001",
                             old=None, new={"status": "open"})
    assert [e.subject for e in store.history(subject="a_1")] == ["a_1"]
    assert [e.subject for e in store.history(by="wang")] == ["ab1"]
    assert [e.subject for e in store.history(since=later.date())] == [
        "ab1", "complaint:TS-2027-0001"]
    # the prefix is literal text: '_' and '%' match only themselves
    assert [e.subject for e in store.history(subject_prefix="a_")] == ["a_1"]
    assert [e.subject for e in store.history(subject_prefix="complaint:")] == [
        "complaint:TS-2027-0001"]
    assert [e.seq for e in store.history()] == sorted(e.seq for e in store.history())


def _many_checks(store, count: int, by: str = "li") -> None:
    for n in range(count):
        store.apply(year=Y, changes=[Change(f"{by}{n}", "check", None, state(by=by))],
                    by=by, recorded_at=AT)


def test_history_latest_and_count(store):
    _many_checks(store, 5)
    _many_checks(store, 2, by="wang")
    assert [e.subject for e in store.history(latest=3)] == ["li4", "wang0", "wang1"]
    assert [e.subject for e in store.history(by="li", latest=2)] == ["li3", "li4"]
    assert list(store.history(latest=100)) == list(store.history())
    assert store.count_history() == 7
    assert store.count_history(by="wang") == 2 and store.count_history(year=Y + 1) == 0
    assert store.count_history(subject="li1", by="li") == 1


def test_a_long_history_is_read_without_keeping_writers_out(backend, store):
    """The history comes a page at a time: half-way through reading a long one, another
    client still records a check-off, and the reader reads on to the end."""
    with store.transaction():
        for n in range(4500):  # more than a page of any backend that pages by thousands
            store.append_history(store.next_txn(), year=Y, recorded_at=AT, by="li",
                                 action="check", subject=f"x{n}", old=None,
                                 new={"status": "done"})
    with backend.open() as reader:
        entries = reader.history(year=Y)
        first = [next(entries) for _ in range(10)]
        with backend.open(write=True) as writer:
            writer.apply(year=Y, changes=[Change("late", "check", None, state())], by="wang",
                         recorded_at=AT)
        rest = list(entries)
    seqs = [e.seq for e in first + rest]
    assert seqs == sorted(set(seqs)) and len(seqs) == 4501  # the new one, at the end
    assert rest[-1].subject == "late"


def test_undo_queries(store):
    first = store.apply(year=Y,
        changes=[Change("x", "check", None, state())], by="li", recorded_at=AT)
    second = store.apply(year=Y,
        changes=[Change("y", "skip", None, state("skipped")),
                          Change("z", "check", None, state())], by="li", recorded_at=AT)
    assert store.last_open_txn("li", Y) == second and store.last_open_txn("wang", Y) is None
    assert [(c.subject, c.new) for c in store.txn_changes(second)] == [
        ("y", state("skipped")), ("z", state())]
    store.apply(year=Y,
        changes=[Change("z", "undo", state(), None), Change("y", "undo", state("skipped"), None)],
                by="li", recorded_at=AT, reverts=second)
    assert store.last_open_txn("li", Y) == first  # an undone change and an undo are not undone
    assert store.last_changed_by(Y, "y") == "li" and store.last_changed_by(Y, "nope") is None


def test_an_item_ticked_twice_is_one_change(store):
    tick = {"at": AT, "recorded_at": AT, "action": "check"}
    [first] = set_status(store, Y, [("x", None)], "done", by="a", **tick)
    [again] = set_status(store, Y, [("x", None)], "done", by="b", **tick)
    assert first.changed and not again.changed
    assert len(list(store.history())) == 1


def test_writing_to_a_store_opened_for_reading_is_refused(backend):
    with backend.open() as store, pytest.raises(PlannerError):
        store.apply(year=Y,
        changes=[Change("x", "check", None, state())], by="a", recorded_at=AT)


def test_a_lock_held_by_another_client_is_a_planner_error(backend):
    """Every operation, reads included (undo starts with one), reports a lock it cannot get
    as a PlannerError, never the driver's own exception."""
    with backend.open(write=True) as store:
        store.apply(year=Y,
        changes=[Change("x", "check", None, state())], by="a", recorded_at=AT)
    with backend.open(write=True) as store, backend.locked():
        for attempt in (lambda: undo(store, Y, by="a", recorded_at=AT),
                        lambda: store.item_states(Y),
                        lambda: store.apply(year=Y,
        changes=[Change("y", "check", None, state())], by="a",
                                            recorded_at=AT)):
            with pytest.raises(PlannerError) as caught:
                attempt()
            assert caught.value.key == "error.store-busy"
    with backend.open() as store:
        assert set(store.item_states(Y)) == {("x", None)}


def test_each_campaign_year_has_its_own_state(store):
    """A new year starts clean; the earlier one stays as it was, history included."""
    store.apply([Change("x", "check", None, state())], year=2027, by="li", recorded_at=AT)
    assert store.item_states(2028) == {}
    store.apply([Change("x", "skip", None, state("skipped"))], year=2028, by="li",
                recorded_at=AT)
    assert store.item_state(2027, "x").status == "done"
    assert store.item_state(2028, "x").status == "skipped"
    assert [e.year for e in store.history()] == [2027, 2028]
    assert [e.action for e in store.history(year=2027)] == ["check"]
    assert store.years() == [2027, 2028]
    # undo works within the year it is asked for
    assert store.last_open_txn("li", 2027) != store.last_open_txn("li", 2028)
    assert store.last_open_txn("li", 2029) is None


def test_each_day_of_a_daily_duty_is_its_own_state(store):
    monday, tuesday = dt.date(2027, 3, 15), dt.date(2027, 3, 16)
    store.apply([Change("d", "check", None, state(), monday)], year=Y, by="li", recorded_at=AT)
    store.apply([Change("d", "check", None, state(by="wang"), tuesday)], year=Y, by="wang",
                recorded_at=AT)
    assert store.item_states(Y) == {("d", monday): state(), ("d", tuesday): state(by="wang")}
    assert store.item_state(Y, "d") is None  # the item itself is no day
    assert [e.day for e in store.history(year=Y)] == [monday, tuesday]
    assert store.last_changed_by(Y, "d", monday) == "li"
    assert store.last_open_txn("li", Y, tuesday) is None
    [change] = store.txn_changes(store.last_open_txn("wang", Y, tuesday))
    assert change.day == tuesday
    stale = Change("d", "check", None, state(), monday)
    with pytest.raises(PlannerError):
        store.apply([stale], year=Y, by="li", recorded_at=AT)


def test_complaints_carry_their_campaign(store):
    with store.transaction():
        store.complaints.insert(complaint(1))
        store.complaints.insert(complaint(2, campaign=2028, day=dt.date(2027, 12, 1)))
    assert store.complaints.count(ComplaintFilter(campaign=2027)) == 1
    assert [c.number for c in store.complaints.page(ComplaintFilter(campaign=2028), None, 9)] \
        == ["TS-2027-0002"]
    assert store.complaints.get("TS-2027-0002").campaign == 2028


# --- the complaint register ------------------------------------------------------------------

def test_form_numbers_count_per_year(store):
    with store.transaction():
        numbers = [store.complaints.next_seq(2027) for _ in range(3)]
        numbers.append(store.complaints.next_seq(2028))
    with store.transaction():
        numbers.append(store.complaints.next_seq(2027))
    assert numbers == [1, 2, 3, 1, 4]


def test_a_complaint_comes_back_as_it_went_in(backend):
    record = complaint(1)
    with backend.open(write=True) as store, store.transaction():
        store.complaints.insert(record)
    with backend.open() as store:
        assert store.complaints.get("TS-2027-0001") == record
        assert store.complaints.get("TS-2027-0002") is None


def test_updates_keep_their_types(store):
    with store.transaction():
        store.complaints.insert(complaint(1))
        later = AT + dt.timedelta(days=20)
        store.complaints.update("TS-2027-0001", status="closed", level="urgent", priority=0,
                                deadline=AT, callback=Callback(True, later, "zhao", "好"))
    got = store.complaints.get("TS-2027-0001")
    assert (got.status, got.level, got.priority, got.deadline) == ("closed", "urgent", 0, AT)
    assert got.callback == Callback(True, later, "zhao", "好")


def test_same_issue(store):
    day = dt.date(2027, 3, 12)
    with store.transaction():
        store.complaints.insert(complaint(1))
        store.complaints.insert(complaint(2, status="replied"))
        store.complaints.insert(complaint(3, product="SKU-2"))
        store.complaints.insert(complaint(4, day=dt.date(2027, 3, 13)))
    assert store.complaints.count_same_issue(day, "quality", "SKU-1") == 2
    waiting = ComplaintFilter(statuses=("open", "in-progress"))
    assert [c.number for c in store.complaints.same_issue(day, "quality", "SKU-1", waiting)] == [
        "TS-2027-0001"]


def test_pages_follow_the_queue_order(store):
    with store.transaction():
        for n in range(1, 8):
            store.complaints.insert(complaint(
                n, priority=n % 3, level=("urgent", "III", "II")[n % 3],
                deadline=AT + dt.timedelta(hours=10 - n)))
    everything = store.complaints.page(ComplaintFilter(), None, 100)
    keys = [(c.priority, c.deadline, c.number) for c in everything]
    assert keys == sorted(keys) and len(keys) == 7
    first = store.complaints.page(ComplaintFilter(), None, 3)
    rest = store.complaints.page(ComplaintFilter(), keys[2], 100)
    assert [c.number for c in first + rest] == [c.number for c in everything]


def test_a_whole_campaign_pages_in_queue_order(store):
    """Page after page of one campaign (the form `complaint list --all` reads), void ones and
    other campaigns left out, equal deadlines ordered by number."""
    with store.transaction():
        for n in range(1, 30):
            store.complaints.insert(complaint(
                n, priority=n % 3, level=("urgent", "III", "II")[n % 3],
                deadline=AT + dt.timedelta(hours=n % 4), void=n % 7 == 0,
                campaign=2028 if n % 5 == 0 else 2027))
    wanted = ComplaintFilter(campaign=2027)
    expected = sorted((c.priority, c.deadline, c.number) for c in
                       store.complaints.page(ComplaintFilter(), None, 100)
                       if c.campaign == 2027 and not c.void)
    seen, after = [], None
    while page := store.complaints.page(wanted, after, 4):
        seen += [(c.priority, c.deadline, c.number) for c in page]
        after = seen[-1]
    assert seen == expected and len(seen) == 29 - 5 - 4  # 5, 10… of 2028; 7, 14… void
    assert store.complaints.count(wanted) == len(seen)


def test_counts_filters_levels_and_callbacks(store):
    with store.transaction():
        store.complaints.insert(complaint(1, deadline=AT))
        store.complaints.insert(complaint(2, deadline=AT + dt.timedelta(days=1), level="II",
                                          handler="agent-supervisor"))
        store.complaints.insert(complaint(3, status="resolved"))
        store.complaints.insert(complaint(4, status="closed",
                                          callback=Callback(False, AT, "zhao")))
    now = AT + dt.timedelta(hours=1)
    late = ComplaintFilter(statuses=("open", "in-progress"), deadline_before=now)
    assert store.complaints.count(ComplaintFilter()) == 4
    assert store.complaints.count(late) == 1
    assert store.complaints.count(ComplaintFilter(level="II")) == 1
    assert store.complaints.count(ComplaintFilter(handler="agent-supervisor")) == 1
    unfinished = ComplaintFilter(statuses=("open", "in-progress", "replied"))
    assert store.complaints.tally(unfinished, "level") == {"I": 1, "II": 1}
    assert store.complaints.tally(late, "level") == {"I": 1}
    assert store.complaints.awaiting_callback(10) == (1, ["TS-2027-0003"])
    assert store.complaints.exists()


# --- the complaint desk ----------------------------------------------------------------------

DAY, DAY_2 = dt.date(2027, 3, 12), dt.date(2027, 3, 13)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def add(store: StateStore, *records: ComplaintRecord) -> None:
    with store.transaction():
        for record in records:
            store.complaints.insert(record)


def found(store: StateStore, **fields) -> list[int]:
    """The form numbers `page` returns for a filter, checked against `count`."""
    filter_ = ComplaintFilter(**fields)
    seqs = [c.seq for c in store.complaints.page(filter_, None, 100)]
    assert store.complaints.count(filter_) == len(seqs)
    return sorted(seqs)


DESK = dict(assignee="wang", issue="漏发", first_response=at(11), void=True,
            void_reason="重复登记", department="warehouse", solution="补发一件",
            approved_by="zhao", approved_at=at(12, 30), calendar_name="weekend",
            notes="已联系\n待补发")


def assert_desk_fields(got: ComplaintRecord) -> None:
    assert {name: getattr(got, name) for name in DESK} == DESK
    assert got.void is True
    for moment in (got.first_response, got.approved_at):
        assert isinstance(moment, dt.datetime)
        assert moment.utcoffset() == dt.timedelta(hours=8)


def test_desk_fields_come_back_as_they_went_in(backend):
    record = complaint(1, **DESK)
    with backend.open(write=True) as store:
        add(store, record, complaint(2))
    with backend.open() as store:
        assert store.complaints.get("TS-2027-0001") == record
        assert_desk_fields(store.complaints.get("TS-2027-0001"))
        plain = store.complaints.get("TS-2027-0002")
    assert (plain.assignee, plain.issue, plain.first_response, plain.approved_at) == (
        None, "SKU-1", None, None)
    assert plain.void is False and (plain.calendar_name, plain.notes) == ("office", "")


def test_desk_fields_keep_their_types_through_updates(store):
    add(store, complaint(1))
    with store.transaction():
        store.complaints.update("TS-2027-0001", **DESK)
    assert_desk_fields(store.complaints.get("TS-2027-0001"))
    with store.transaction():
        store.complaints.update("TS-2027-0001", void=False, first_response=None,
                                assignee=None)
    got = store.complaints.get("TS-2027-0001")
    assert got.void is False and got.first_response is None and got.assignee is None


def test_callbacks_recorded_by_update_are_found_by_time_and_answer(store):
    add(store, *(complaint(n, status="closed") for n in range(1, 5)))
    with store.transaction():
        store.complaints.update("TS-2027-0001", callback=Callback(True, at(10, day=DAY_2), "zhao"))
        store.complaints.update("TS-2027-0002", callback=Callback(False, at(15, day=DAY_2), "zhao"))
        store.complaints.update("TS-2027-0003", callback=Callback(True, at(11, day=DAY_2), "zhao"))
        store.complaints.update("TS-2027-0003", callback=None)  # taken back: no call-back
    assert store.complaints.get("TS-2027-0002").callback == Callback(
        False, at(15, day=DAY_2), "zhao")
    assert found(store, called_back=True) == [1, 2]
    assert found(store, called_back=False) == [3, 4]
    assert found(store, satisfied=True) == [1]
    assert found(store, satisfied=False) == [2]
    assert found(store, callback_since=at(10, day=DAY_2)) == [1, 2]  # inclusive
    assert found(store, callback_since=at(10, 1, day=DAY_2)) == [2]
    assert found(store, callback_until=at(15, day=DAY_2)) == [1]  # exclusive
    assert found(store, callback_since=at(0, day=DAY_2), satisfied=True) == [1]


def test_filters_by_order_buyer_product_and_assignee(store):
    add(store, complaint(1, order_id="A-1", buyer="Zhang San", assignee="wang"),
        complaint(2, order_id="A-10", buyer="li si", product="SKU-10", assignee="liu"),
        complaint(3, order_id=None, buyer=None, product=None, assignee=None))
    assert found(store, order="A-1") == [1]  # the whole order id, not a part of it
    assert found(store, buyer="zhang") == [1]
    assert found(store, buyer="SI") == [2]
    assert found(store, buyer="s") == [1, 2]
    assert found(store, product="SKU-1") == [1]
    assert found(store, assignee="wang") == [1]
    assert found(store, buyer="S", assignee="liu") == [2]



def test_searches_ignore_the_case_of_any_letter(store):
    add(store, complaint(1, buyer="ＶＩＰ张三", summary="Écran cassé"))
    assert found(store, buyer="ｖｉｐ") == [1]
    assert found(store, text="écran") == [1]

def test_text_searches_summary_and_notes_taking_wildcards_literally(store):
    add(store, complaint(1, summary="100% broken"), complaint(2, summary="box 10 torn"),
        complaint(3, summary="a_b"), complaint(4, summary="破损", notes="电话\nLate delivery"))
    assert found(store, text="0%") == [1]
    assert found(store, text="10_%") == []
    assert found(store, text="_") == [3]
    assert found(store, text="BROKEN") == [1]
    assert found(store, text="late") == [4]  # a note, on any line
    assert found(store, text="10") == [1, 2]
    assert found(store, text="10", campaign=2027) == [1, 2]
    assert found(store, text="10", campaign=2028) == []


def test_anywhere_searches_number_order_buyer_and_summary(store):
    add(store, complaint(1, order_id="778899"), complaint(2, buyer="Tom_Cat"),
        complaint(3, summary="lid cracked"),
        complaint(4, product="SKU-778", notes="cracked lid"))
    assert found(store, anywhere="778") == [1]  # not the product
    assert found(store, anywhere="tom_") == [2]
    assert found(store, anywhere="CRACK") == [3]  # not the notes
    assert found(store, anywhere="2027-0004") == [4]
    assert found(store, anywhere="2027-0004", campaign=2028) == []


def test_received_window_is_inclusive_then_exclusive_and_by_day(store):
    add(store, *(complaint(n, day=DAY + dt.timedelta(days=n - 2)) for n in (1, 2, 3)))
    assert found(store, received_since=at(10)) == [2, 3]
    assert found(store, received_until=at(10, day=DAY_2)) == [1, 2]
    assert found(store, received_since=at(10), received_until=at(10, day=DAY_2)) == [2]
    in_utc = at(10).astimezone(dt.UTC)  # another zone means the same moment
    assert found(store, received_since=in_utc) == [2, 3]
    assert found(store, received_on=DAY) == [2]
    assert found(store, received_on=DAY, received_until=at(10)) == []


def test_numbers_and_statuses_narrow_together(store):
    add(store, complaint(1), complaint(2, status="closed"), complaint(3), complaint(4))
    assert found(store, numbers=("TS-2027-0001", "TS-2027-0002")) == [1, 2]
    assert found(store, numbers=("TS-2027-0001", "TS-2027-0002"), statuses=("open",)) == [1]
    assert found(store, numbers=("TS-2027-0002", "TS-2027-0003"),
                 statuses=("open", "closed"), order="3") == [3]
    assert found(store, numbers=("TS-2027-0009",)) == []


def test_void_complaints_are_left_out_unless_asked_for(store):
    add(store, complaint(1), complaint(2, void=True, void_reason="重复", status="closed"),
        complaint(3, status="closed"))
    assert found(store) == [1, 3]
    assert found(store, include_void=True) == [1, 2, 3]
    assert found(store, void_only=True) == [2]
    assert found(store, void_only=True, statuses=("open",)) == []
    assert store.complaints.tally(ComplaintFilter(), "status") == {"open": 1, "closed": 1}
    assert store.complaints.tally(ComplaintFilter(include_void=True), "status") == {
        "open": 1, "closed": 2}
    assert store.complaints.count_same_issue(DAY, "quality", "SKU-1") == 2
    assert [c.seq for c in store.complaints.same_issue(DAY, "quality", "SKU-1")] == [1, 3]
    assert [c.seq for c in store.complaints.same_issue(
        DAY, "quality", "SKU-1", ComplaintFilter(include_void=True))] == [1, 2, 3]
    assert store.complaints.awaiting_callback(10) == (1, ["TS-2027-0003"])


def test_waiting_at_means_received_and_not_yet_answered(store):
    add(store, complaint(1), complaint(2, first_response=at(11)),
        complaint(3, first_response=at(13)), complaint(4, received=at(13)))
    assert found(store, waiting_at=at(9)) == []
    assert found(store, waiting_at=at(11)) == [1, 3]  # answered at that moment: not waiting
    assert found(store, waiting_at=at(13)) == [1, 4]  # received at that moment: waiting
    assert found(store, waiting_at=at(12), statuses=("open",)) == [1, 3]


def test_at_risk_is_a_share_of_the_time_to_the_deadline_gone(store):
    add(store, complaint(1, deadline=at(20)),  # 80% of 10 hours gone at 18:00
        complaint(2, deadline=at(12)),  # overdue by then
        complaint(3, deadline=at(10, day=DAY_2)),  # 80% gone only at 05:12 next day
        complaint(4, deadline=at(20), first_response=at(17)),  # answered
        complaint(5, deadline=at(18)))  # due that very moment: not overdue yet
    assert found(store, waiting_at=at(18), at_risk=0.8) == [1, 5]
    assert found(store, waiting_at=at(17, 59), at_risk=0.8) == [5]
    assert found(store, waiting_at=at(18, 1), at_risk=0.8) == [1]
    assert found(store, waiting_at=at(18), at_risk=0.3) == [1, 3, 5]


def test_at_risk_from_the_exact_moment_the_share_is_gone(store):
    add(store, complaint(1, deadline=at(16)))  # 80% of 6 hours gone at 14:48 exactly
    assert found(store, waiting_at=at(14, 48), at_risk=0.8) == [1]


def test_answered_window_is_on_the_first_response(store):
    add(store, complaint(1, first_response=at(11)),
        complaint(2, first_response=at(11, day=DAY_2)), complaint(3))
    assert found(store, answered_since=at(11, day=DAY_2)) == [2]  # inclusive
    assert found(store, answered_until=at(11, day=DAY_2)) == [1]  # exclusive
    assert found(store, answered_since=dt.datetime.min.replace(tzinfo=SHANGHAI)) == [1, 2]


def test_deadline_before_is_exclusive_and_campaign_narrows(store):
    add(store, complaint(1, deadline=AT), complaint(2, deadline=AT + dt.timedelta(hours=1)),
        complaint(3, deadline=AT, campaign=2028))
    assert found(store, deadline_before=AT) == []
    assert found(store, deadline_before=AT + dt.timedelta(hours=1)) == [1, 3]
    assert found(store, deadline_before=AT + dt.timedelta(hours=1), campaign=2027) == [1]
    assert found(store, campaign=2028) == [3]


def test_tally_by_each_key(store):
    add(store,
        complaint(1),
        complaint(2, level="II", category="logistics", assignee="wang", status="replied",
                  handler="agent-supervisor", first_response=at(17)),  # on time
        complaint(3, level="II", assignee="wang", status="closed", first_response=at(19)),
        complaint(4, status="closed", first_response=at(18)))  # at the deadline: on time
    everything = ComplaintFilter()
    expected = {
        "level": {"I": 2, "II": 2},
        "category": {"quality": 3, "logistics": 1},
        "assignee": {"wang": 2, None: 2},
        "status": {"open": 1, "replied": 1, "closed": 2},
        "handler": {"first-taker": 3, "agent-supervisor": 1},
        "answered_late": {None: 1, False: 2, True: 1},
    }
    assert set(expected) == set(TALLY_KEYS)
    for key, counts in expected.items():
        assert store.complaints.tally(everything, key) == counts, key
    late = store.complaints.tally(everything, "answered_late")
    assert all(value is None or type(value) is bool for value in late)
    both = store.complaints.tally(everything, "category", "answered_late")
    assert both == {("quality", None): 1, ("logistics", False): 1, ("quality", True): 1,
                    ("quality", False): 1}
    assert all(type(value) is bool for _, value in both if value is not None)
    assert store.complaints.tally(ComplaintFilter(statuses=("closed",)), "level", "status") \
        == {("II", "closed"): 1, ("I", "closed"): 1}
    for unknown in (("buyer",), ("level", "nope")):
        with pytest.raises(ValueError):
            store.complaints.tally(everything, *unknown)


def test_same_issue_without_an_issue_key(store):
    add(store, complaint(1, issue=None, received=at(11)), complaint(2, issue=None),
        complaint(3), complaint(4, issue="漏发"),
        complaint(5, issue=None, category="logistics"),
        complaint(6, issue=None, day=DAY_2))
    assert [c.seq for c in store.complaints.same_issue(DAY, "quality", None)] == [2, 1]
    assert store.complaints.count_same_issue(DAY, "quality", None) == 2
    # the issue key, not the product, makes the batch
    assert [c.seq for c in store.complaints.same_issue(DAY, "quality", "SKU-1")] == [3]
    assert store.complaints.count_same_issue(DAY, "quality", "漏发") == 1
    assert store.complaints.count_same_issue(DAY_2, "logistics", None) == 0


def test_same_issue_comes_in_order_of_receipt(store):
    add(store, complaint(1, received=at(15)), complaint(2, received=at(9)),
        complaint(3, received=at(12)))
    assert [c.seq for c in store.complaints.same_issue(DAY, "quality", "SKU-1")] == [2, 3, 1]


def test_awaiting_callback_leaves_out_void_and_other_campaigns(store):
    add(store, complaint(1, status="resolved"),
        complaint(2, status="closed", void=True, void_reason="重复"),
        complaint(3, status="closed", campaign=2028),
        complaint(4, status="closed", callback=Callback(True, AT, "zhao")),
        complaint(5))
    assert store.complaints.awaiting_callback(10) == (2, ["TS-2027-0001", "TS-2027-0003"])
    assert store.complaints.awaiting_callback(1) == (2, ["TS-2027-0001"])
    assert store.complaints.awaiting_callback(0) == (2, [])  # just the count
    assert store.complaints.awaiting_callback(10, 2028) == (1, ["TS-2027-0003"])
    assert store.complaints.awaiting_callback(10, 2029) == (0, [])


def test_awaiting_callback_counts_up_to_a_cap(store):
    add(store, *(complaint(n, status="closed") for n in range(1, 8)))
    assert store.complaints.awaiting_callback(2, cap=3) == (4, ["TS-2027-0001", "TS-2027-0002"])
    assert store.complaints.awaiting_callback(0, cap=7) == (7, [])  # exact up to the cap
    assert store.complaints.awaiting_callback(0, 2027, cap=100) == (7, [])


def test_answers_counts_first_responses_on_time_and_late(store):
    add(store, complaint(1, first_response=at(17)), complaint(2, first_response=at(19)),
        complaint(3), complaint(4, first_response=at(20), void=True),
        complaint(5, first_response=at(19), campaign=2028))
    assert store.complaints.answers(2027) == (1, 1)
    assert store.complaints.answers() == (1, 2)
