"""The complaint register: numbered complaints with level, owner and first-response deadline,
kept in the workspace's database through battle and aftermath.

Triage and deadlines come from `planner.complaints.policy` and `planner.complaints.deadlines`; the rows are kept by
`planner.storage.sqlite`. This module decides: form numbers, the batch rule, what is overdue or at
risk, who still needs a call-back. Every change goes to the same append-only history as
check-offs (subject ``complaint:<number>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from planner.core.clock import iso, parse_datetime
from planner.core.errors import Msg, PlannerError
from planner.storage.sqlite import ComplaintFilter, Store

STATUSES = ("open", "in-progress", "replied", "resolved", "closed")
AWAITING_REPLY = ("open", "in-progress")  # the first-response deadline still runs
UNFINISHED = ("open", "in-progress", "replied")
CALLBACK_READY = ("replied", "resolved", "closed")
AT_RISK_SHARE = 0.8
FLAG_KEYS = ("vip", "escalated", "from_head_office", "sensitive", "media_risk")
SUBJECT_PREFIX = "complaint:"
URGENT = "urgent"


def _get(store: Store, number: str) -> dict[str, Any]:
    record = store.complaints.get(number.strip().upper())
    if record is None:
        raise PlannerError("error.complaint-unknown", field=number)
    return record


def _public(record: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """A stored complaint as the documented plain data, with overdue / at-risk marks."""
    received = parse_datetime(record["received"])
    deadline = parse_datetime(record["deadline"])
    waiting = record["status"] in AWAITING_REPLY
    overdue = waiting and now > deadline
    at_risk = waiting and not overdue and (
        now >= received + (deadline - received) * AT_RISK_SHARE)
    return {
        "number": record["number"],
        "category": record["category"],
        "product": record["product"],
        "order": record["order_id"],
        "buyer": record["buyer"],
        "channel": record["channel"],
        "summary": record["summary"],
        "level": record["level"],
        "handler": record["handler"],
        "rule": record["rule"],
        "received": record["received"],
        "deadline": record["deadline"],
        "calendar": record["calendar"],
        "status": record["status"],
        "overdue": overdue,
        "at_risk": at_risk,
        "flags": record["flags"],
        "callback": record["callback"],
    }


def _history(store: Store, txn: int, now: dt.datetime, by: str, action: str, number: str,
             old: Any, new: Any, note: str | None = None) -> None:
    store.append_history(txn, recorded_at=iso(now), by=by, action=action,
                         subject=SUBJECT_PREFIX + number, old=old, new=new, note=note)


def add_complaint(store: Store, rules: Any, *, category: str, summary: str,
                  received: dt.datetime, now: dt.datetime, by: str, lang: str,
                  product: str | None = None, order: str | None = None,
                  buyer: str | None = None, channel: str | None = None,
                  **flags: Any) -> dict[str, Any]:
    """Record one complaint; returns it, plus the numbers the batch rule made urgent."""
    from planner.complaints.deadlines import triage_complaint

    summary = (summary or "").strip()
    if not summary:
        raise PlannerError("error.complaint-summary", field="--summary")
    if received > now + dt.timedelta(minutes=5):
        raise PlannerError("error.complaint-future", field="--received", value=iso(received))
    flags = {key: flags.get(key) or (None if key == "sensitive" else False)
             for key in FLAG_KEYS}
    received_iso = iso(received)
    day = received_iso[:10]
    product = (product or "").strip() or None
    register = store.complaints
    with store.write():
        same_issue = register.count_same_issue(day, category, product) + 1 if product else None
        result = triage_complaint(rules, category, received, lang, **flags,
                                  same_issue_count=same_issue)
        deadline = result["deadline"]
        if "batch" in result["reasons"]:
            # urgent from when the batch is recognised, like the others of that day; no later
            # than it would have been without the batch
            ordinary = triage_complaint(rules, category, received, lang, **flags)
            deadline = _batch_deadline(rules, received, now, ordinary["deadline"])
        year = int(day[:4])
        seq = register.next_seq(year)
        record = {
            "number": f"TS-{year}-{seq:04d}", "year": year, "seq": seq, "category": category,
            "product": product, "order_id": order, "buyer": buyer, "channel": channel,
            "summary": summary, "received": received_iso, "received_day": day,
            "level": result["level"], "priority": rules.policy.priority(result["level"]),
            "handler": result["handler"], "rule": result["rule"],
            "deadline": iso(deadline), "calendar": result["calendar"],
            "flags": flags, "status": "open", "callback": None, "created_by": by,
        }
        register.insert(record)
        txn = store.next_txn()
        _history(store, txn, now, by, "complaint-add", record["number"], None,
                 {key: record[key] for key in ("level", "handler", "deadline", "status")})
        escalated = []
        if "batch" in result["reasons"]:
            escalated = _escalate_batch(store, rules, txn, day, category, product, now, by)
    complaint = _public(_get(store, record["number"]), now)
    complaint["reasons"] = result["reasons"]
    complaint["reason_texts"] = result["reason_texts"]
    complaint["estimated_years"] = result["estimated_years"]
    return {"complaint": complaint, "escalated": escalated, "same_issue_count": same_issue}


def _escalate_batch(store: Store, rules: Any, txn: int, day: str, category: str,
                    product: str, now: dt.datetime, by: str) -> list[str]:
    """Make every unanswered complaint on this issue that day urgent.

    Their new deadlines follow `_batch_deadline`.
    """
    urgent = rules.policy.urgent
    escalated = []
    waiting = ComplaintFilter(statuses=AWAITING_REPLY)
    for record in store.complaints.same_issue(day, category, product, waiting):
        if record["level"] == URGENT:
            continue
        deadline = _batch_deadline(rules, parse_datetime(record["received"]), now,
                                   parse_datetime(record["deadline"]))
        store.complaints.update(record["number"], level=URGENT,
                                priority=rules.policy.priority(URGENT), handler=urgent.handler,
                                rule=urgent.rule, deadline=iso(deadline))
        _history(store, txn, now, by, "complaint-escalate", record["number"],
                 {key: record[key] for key in ("level", "handler", "deadline")},
                 {"level": URGENT, "handler": urgent.handler, "deadline": iso(deadline)},
                 note="batch")
        escalated.append(record["number"])
    return escalated


def _batch_deadline(rules: Any, received: dt.datetime, now: dt.datetime,
                    earlier: dt.datetime) -> dt.datetime:
    """The urgent deadline of a complaint that the batch rule made urgent: three hours from
    when the batch was recognised (or from receipt, if later), never later than `earlier`."""
    from planner.complaints.deadlines import first_response

    urgent = rules.policy.urgent
    start = max(received, now)
    return min(first_response(urgent.rule, start, rules.calendar, rules.hours).at, earlier)


def update_status(store: Store, number: str, status: str, *, by: str, now: dt.datetime,
                  note: str | None = None) -> dict[str, Any]:
    if status not in STATUSES:
        raise PlannerError("error.unknown-value", field="--status", value=status,
                           allowed=", ".join(STATUSES))
    _get(store, number)  # an unknown number fails before anything is written
    with store.write():
        record = _get(store, number)
        if record["status"] == status:
            return {"complaint": _public(record, now), "changed": False}
        store.complaints.update(record["number"], status=status)
        _history(store, store.next_txn(), now, by, "complaint-update", record["number"],
                 {"status": record["status"]}, {"status": status}, note)
    return {"complaint": _public(_get(store, record["number"]), now), "changed": True}


def record_callback(store: Store, number: str, satisfied: bool, *, by: str,
                    now: dt.datetime, note: str | None = None) -> dict[str, Any]:
    """The aftermath call-back: did the buyer end up satisfied?"""
    _check_callback_ready(_get(store, number))  # fails before anything is written
    with store.write():
        record = _get(store, number)
        _check_callback_ready(record)
        callback = {"satisfied": satisfied, "at": iso(now), "by": by, "note": note}
        store.complaints.update(record["number"], callback=callback)
        _history(store, store.next_txn(), now, by, "complaint-callback", record["number"],
                 record["callback"], callback, note)
    return _public(_get(store, record["number"]), now)


def _check_callback_ready(record: dict[str, Any]) -> None:
    if record["status"] not in CALLBACK_READY:
        raise PlannerError("error.complaint-callback-early", field=record["number"],
                           status=Msg(f"register.status.{record['status']}"))


def show_complaint(store: Store, number: str, now: dt.datetime) -> dict[str, Any]:
    record = _get(store, number)
    complaint = _public(record, now)
    complaint["history"] = list(store.history(subject=SUBJECT_PREFIX + record["number"]))
    return complaint


def _filter(now: dt.datetime, *, open_only: bool = False, overdue: bool = False,
            level: str | None = None, owner: str | None = None) -> ComplaintFilter:
    statuses = AWAITING_REPLY if overdue else UNFINISHED if open_only else ()
    return ComplaintFilter(statuses=statuses, deadline_before=iso(now) if overdue else None,
                           level=level, handler=owner)


def list_complaints(store: Store, now: dt.datetime, *, chunk: int = 2000,
                    **filters: Any) -> Iterator[dict[str, Any]]:
    """Complaints, urgent first, then III, II, I, then by deadline (filters: open_only,
    overdue, level, owner).

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
            yield _public(record, now)
        if len(page) < chunk:
            return
        last = page[-1]
        after = (last["priority"], last["deadline"], last["number"])


def count_complaints(store: Store, now: dt.datetime, **filters: Any) -> int:
    register = store.complaints
    return register.count(_filter(now, **filters)) if register.exists() else 0


def register_summary(store: Store, now: dt.datetime, *, callbacks: bool = True,
                     sample: int = 20) -> dict[str, Any]:
    """Open and overdue counts by level and, with `callbacks`, how many finished complaints
    still await a call-back (with the first `sample` numbers)."""
    summary: dict[str, Any] = {"open": {}, "overdue": {},
                               "callback_due": {"count": 0, "numbers": []}}
    register = store.complaints
    if not register.exists():
        return summary
    rows = register.levels(UNFINISHED, AWAITING_REPLY, iso(now))
    summary["open"] = {level: count for level, count, _ in rows}
    summary["overdue"] = {level: late for level, _, late in rows if late}
    if callbacks:
        count, numbers = register.awaiting_callback(sample)
        summary["callback_due"] = {"count": count, "numbers": numbers}
    return summary


def status_of_register(store: Store, *, today: dt.date, now: dt.datetime,
                       prepare_start: dt.date, aftermath_start: dt.date) -> dict[str, Any]:
    """The register's part of `planner315 status` on `today`.

    Deadlines are judged as of now when `today` is today, else as of the end of that day.
    Call-backs still due are shown except from the start of a campaign until its aftermath:
    so they show through the aftermath, and afterwards until the next campaign begins.
    """
    from planner.core.clock import SHANGHAI

    moment = (now if today == now.date()
              else dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=SHANGHAI))
    busy = prepare_start <= today < aftermath_start
    return register_summary(store, moment, callbacks=not busy)
