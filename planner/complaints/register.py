"""The complaint register: numbered complaints with level, owner and first-response deadline,
kept in the workspace's state through battle and aftermath.

Triage and deadlines come from `planner.complaints.triage`; the records are kept by the
storage contract. This module decides: form numbers, the batch rule, what is overdue or at
risk, who still needs a call-back. Every change goes to the same append-only history as
check-offs (subject ``complaint:<number>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from planner.complaints.deadlines import first_response
from planner.complaints.policy import URGENT
from planner.complaints.triage import (
    NO_FLAGS,
    ComplaintRules,
    TriageFlags,
    TriageResult,
    triage_complaint,
)
from planner.core.clock import SHANGHAI, iso
from planner.core.errors import Msg, PlannerError
from planner.storage.contract import (
    Callback,
    ComplaintFilter,
    ComplaintRecord,
    HistoryEntry,
    StateStore,
)

STATUSES = ("open", "in-progress", "replied", "resolved", "closed")
AWAITING_REPLY = ("open", "in-progress")  # the first-response deadline still runs
UNFINISHED = ("open", "in-progress", "replied")
CALLBACK_READY = ("replied", "resolved", "closed")
AT_RISK_SHARE = 0.8
SUBJECT_PREFIX = "complaint:"
# A campaign year -> its first and last day (prepare to aftermath, with the shop's dates).
CampaignDates = Callable[[int], tuple[dt.date, dt.date]]


class Complaint(NamedTuple):
    """A stored complaint as of a moment: is its first response overdue, or at risk?"""

    record: ComplaintRecord
    overdue: bool
    at_risk: bool
    outside_campaign: bool = False  # received between two campaigns: counts for the next

    @classmethod
    def as_of(cls, record: ComplaintRecord, now: dt.datetime,
              dates: CampaignDates | None = None) -> Complaint:
        waiting = record.status in AWAITING_REPLY
        overdue = waiting and now > record.deadline
        at_risk = waiting and not overdue and (
            now >= record.received + (record.deadline - record.received) * AT_RISK_SHARE)
        outside = False
        if dates is not None:
            start, end = dates(record.campaign)
            outside = not start <= record.received_day <= end
        return cls(record, overdue, at_risk, outside)


class Added(NamedTuple):
    """What `add_complaint` did: the complaint, its triage, and the batch it completed."""

    complaint: Complaint
    triage: TriageResult
    escalated: list[str]  # numbers made urgent by the batch rule
    same_issue_count: int | None


class RegisterSummary(NamedTuple):
    """Open and overdue counts by level; finished complaints still awaiting a call-back."""

    open: dict[str, int]
    overdue: dict[str, int]
    callback_due: int = 0
    callback_numbers: tuple[str, ...] = ()


def _get(store: StateStore, number: str) -> ComplaintRecord:
    record = store.complaints.get(number.strip().upper())
    if record is None:
        raise PlannerError("error.complaint-unknown", field=number)
    return record


def _history(store: StateStore, txn: int, now: dt.datetime, by: str, action: str,
             record: ComplaintRecord, old: Any, new: Any, note: str | None = None) -> None:
    """A history entry about `record`, in its campaign year."""
    store.append_history(txn, year=record.campaign, recorded_at=now, by=by, action=action,
                         subject=SUBJECT_PREFIX + record.number, old=old, new=new, note=note)


def add_complaint(store: StateStore, rules: ComplaintRules, *, category: str, summary: str,
                  received: dt.datetime, now: dt.datetime, by: str,
                  product: str | None = None, order: str | None = None,
                  buyer: str | None = None, channel: str | None = None,
                  flags: TriageFlags = NO_FLAGS, campaign: int | None = None,
                  dates: CampaignDates | None = None) -> Added:
    """Record one complaint of `campaign` (default: its receipt's calendar year); returns it,
    plus the numbers the batch rule made urgent."""
    summary = (summary or "").strip()
    if not summary:
        raise PlannerError("error.complaint-summary", field="--summary")
    if received > now + dt.timedelta(minutes=5):
        raise PlannerError("error.complaint-future", field="--received",
                           value=iso(received))
    day = received.astimezone(SHANGHAI).date()
    product = (product or "").strip() or None
    register = store.complaints
    with store.transaction():
        same_issue = register.count_same_issue(day, category, product) + 1 if product else None
        result = triage_complaint(rules, category, received, flags, same_issue)
        deadline = result.deadline.at
        if "batch" in result.reasons:
            # urgent from when the batch is recognised, like the others of that day; no later
            # than it would have been without the batch
            ordinary = triage_complaint(rules, category, received, flags)
            deadline = _batch_deadline(rules, received, now, ordinary.deadline.at)
        seq = register.next_seq(day.year)
        record = ComplaintRecord(
            number=f"TS-{day.year}-{seq:04d}", year=day.year, seq=seq, category=category,
            product=product, order_id=order, buyer=buyer, channel=channel, summary=summary,
            received=result.received, received_day=day, level=result.level,
            priority=rules.policy.priority(result.level), handler=result.triage.handler,
            rule=result.triage.rule, deadline=deadline, calendar=result.deadline.calendar,
            flags=flags._asdict(), status="open", callback=None, created_by=by,
            campaign=campaign or day.year)
        register.insert(record)
        txn = store.next_txn()
        _history(store, txn, now, by, "complaint-add", record, None,
                 {"level": record.level, "handler": record.handler,
                  "deadline": iso(record.deadline), "status": record.status})
        escalated = []
        if "batch" in result.reasons:
            escalated = _escalate_batch(store, rules, txn, day, category, product, now, by)
    return Added(Complaint.as_of(_get(store, record.number), now, dates), result, escalated,
                 same_issue)


def _escalate_batch(store: StateStore, rules: ComplaintRules, txn: int, day: dt.date,
                    category: str, product: str, now: dt.datetime, by: str) -> list[str]:
    """Make every unanswered complaint on this issue that day urgent.

    Their new deadlines follow `_batch_deadline`.
    """
    urgent = rules.policy.urgent
    escalated = []
    waiting = ComplaintFilter(statuses=AWAITING_REPLY)
    for record in store.complaints.same_issue(day, category, product, waiting):
        if record.level == URGENT:
            continue
        deadline = _batch_deadline(rules, record.received, now, record.deadline)
        store.complaints.update(record.number, level=URGENT,
                                priority=rules.policy.priority(URGENT), handler=urgent.handler,
                                rule=urgent.rule, deadline=deadline)
        _history(store, txn, now, by, "complaint-escalate", record,
                 {"level": record.level, "handler": record.handler,
                  "deadline": iso(record.deadline)},
                 {"level": URGENT, "handler": urgent.handler, "deadline": iso(deadline)},
                 note="batch")
        escalated.append(record.number)
    return escalated


def _batch_deadline(rules: ComplaintRules, received: dt.datetime, now: dt.datetime,
                    earlier: dt.datetime) -> dt.datetime:
    """The urgent deadline of a complaint that the batch rule made urgent: three hours from
    when the batch was recognised (or from receipt, if later), never later than `earlier`."""
    urgent = rules.policy.urgent
    start = max(received, now)
    return min(first_response(urgent.rule, start, rules.calendar, rules.hours).at, earlier)


def update_status(store: StateStore, number: str, status: str, *, by: str, now: dt.datetime,
                  note: str | None = None) -> tuple[Complaint, bool]:
    """Move a complaint to `status`; returns it and whether anything changed."""
    if status not in STATUSES:
        raise PlannerError("error.unknown-value", field="--status", value=status,
                           allowed=", ".join(STATUSES))
    _get(store, number)  # an unknown number fails before anything is written
    with store.transaction():
        record = _get(store, number)
        if record.status == status:
            return Complaint.as_of(record, now), False
        store.complaints.update(record.number, status=status)
        _history(store, store.next_txn(), now, by, "complaint-update", record,
                 {"status": record.status}, {"status": status}, note)
    return Complaint.as_of(_get(store, record.number), now), True


def record_callback(store: StateStore, number: str, satisfied: bool, *, by: str,
                    now: dt.datetime, note: str | None = None) -> Complaint:
    """The aftermath call-back: did the buyer end up satisfied?"""
    _check_callback_ready(_get(store, number))  # fails before anything is written
    with store.transaction():
        record = _get(store, number)
        _check_callback_ready(record)
        callback = Callback(satisfied, now, by, note)
        store.complaints.update(record.number, callback=callback)
        _history(store, store.next_txn(), now, by, "complaint-callback", record,
                 _callback_json(record.callback), _callback_json(callback), note)
    return Complaint.as_of(_get(store, record.number), now)


def _callback_json(callback: Callback | None) -> dict[str, Any] | None:
    if callback is None:
        return None
    return {"satisfied": callback.satisfied, "at": iso(callback.at), "by": callback.by,
            "note": callback.note}


def _check_callback_ready(record: ComplaintRecord) -> None:
    if record.status not in CALLBACK_READY:
        raise PlannerError("error.complaint-callback-early", field=record.number,
                           status=Msg(f"register.status.{record.status}"))


def show_complaint(store: StateStore, number: str, now: dt.datetime,
                   dates: CampaignDates | None = None) -> tuple[Complaint, list[HistoryEntry]]:
    """One complaint with its whole history."""
    record = _get(store, number)
    history = list(store.history(subject=SUBJECT_PREFIX + record.number))
    return Complaint.as_of(record, now, dates), history


def _filter(now: dt.datetime, *, open_only: bool = False, overdue: bool = False,
            level: str | None = None, owner: str | None = None,
            campaign: int | None = None) -> ComplaintFilter:
    statuses = AWAITING_REPLY if overdue else UNFINISHED if open_only else ()
    return ComplaintFilter(statuses=statuses, deadline_before=now if overdue else None,
                           level=level, handler=owner, campaign=campaign)


def list_complaints(store: StateStore, now: dt.datetime, *, chunk: int = 2000,
                    dates: CampaignDates | None = None, **filters: Any
                    ) -> Iterator[Complaint]:
    """Complaints, urgent first, then III, II, I, then by deadline (filters: open_only,
    overdue, level, owner, campaign).

    Rows are read in chunks of `chunk`, each in its own short read, so that a long export
    never holds a lock that would keep other people from recording complaints meanwhile.
    """
    register = store.complaints
    if not register.exists():
        return
    wanted = _filter(now, **filters)
    after = None
    while True:
        page = register.page(wanted, after, chunk)
        for record in page:
            yield Complaint.as_of(record, now, dates)
        if len(page) < chunk:
            return
        last = page[-1]
        after = (last.priority, last.deadline, last.number)


def count_complaints(store: StateStore, now: dt.datetime, **filters: Any) -> int:
    register = store.complaints
    return register.count(_filter(now, **filters)) if register.exists() else 0


def register_summary(store: StateStore, now: dt.datetime, *, callbacks: bool = True,
                     sample: int = 20, campaign: int | None = None) -> RegisterSummary:
    """Open and overdue counts by level and, with `callbacks`, how many finished complaints
    still await a call-back (with the first `sample` numbers)."""
    register = store.complaints
    if not register.exists():
        return RegisterSummary({}, {})
    rows = register.levels(UNFINISHED, AWAITING_REPLY, now, campaign)
    opened = {level: count for level, count, _ in rows}
    overdue = {level: late for level, _, late in rows if late}
    if not callbacks:
        return RegisterSummary(opened, overdue)
    # a call-back still owed is owed whatever campaign the complaint came in
    count, numbers = register.awaiting_callback(sample)
    return RegisterSummary(opened, overdue, count, tuple(numbers))


def status_of_register(store: StateStore, *, today: dt.date, now: dt.datetime,
                       prepare_start: dt.date, aftermath_start: dt.date,
                       campaign: int | None = None) -> RegisterSummary:
    """The register's part of `planner315 status` on `today`, for one campaign's complaints.

    Deadlines are judged as of now when `today` is today, else as of the end of that day.
    Call-backs still due are shown except from the start of a campaign until its aftermath:
    so they show through the aftermath, and afterwards until the next campaign begins.
    """
    moment = (now if today == now.date()
              else dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=SHANGHAI))
    busy = prepare_start <= today < aftermath_start
    return register_summary(store, moment, callbacks=not busy, campaign=campaign)
