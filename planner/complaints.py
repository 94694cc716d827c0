"""The complaint register: numbered complaints with level, owner and first-response deadline,
kept in the workspace's database through battle and aftermath.

Triage and deadlines come from `planner.policy` and `planner.deadlines`; this module stores
complaints, applies the batch rule, and answers the questions a CS manager asks: what is
open, what is overdue or at risk, who still needs a call-back. Every change goes to the same
append-only history as check-offs (subject ``complaint:<number>``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from planner.errors import PlannerError
from planner.store import Store

STATUSES = ("open", "in-progress", "replied", "resolved", "closed")
AWAITING_REPLY = ("open", "in-progress")  # the first-response deadline still runs
UNFINISHED = ("open", "in-progress", "replied")
CALLBACK_READY = ("replied", "resolved", "closed")
AT_RISK_SHARE = 0.8
FLAG_KEYS = ("vip", "escalated", "from_head_office", "sensitive", "media_risk")
COLUMNS = ("number", "year", "seq", "category", "product", "order_id", "buyer", "channel",
           "summary", "received", "received_day", "level", "priority", "handler", "rule",
           "deadline", "calendar", "flags", "status", "callback", "created_by")
SUBJECT_PREFIX = "complaint:"


def _iso(moment: dt.datetime) -> str:
    from planner.clock import to_shanghai

    return to_shanghai(moment).isoformat()


def _row_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    record = dict(zip(COLUMNS, row, strict=True))
    record["flags"] = json.loads(record["flags"])
    record["callback"] = json.loads(record["callback"]) if record["callback"] else None
    return record


def _has_register(store: Store) -> bool:
    """False for a database from before the register existed, opened read-only."""
    return store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'complaints'"
                            ).fetchone() is not None


def _get(store: Store, number: str) -> dict[str, Any]:
    row = None
    if _has_register(store):
        row = store.db.execute(f"SELECT {', '.join(COLUMNS)} FROM complaints WHERE number = ?",
                               (number.strip().upper(),)).fetchone()
    if row is None:
        raise PlannerError("error.complaint-unknown", field=number)
    return _row_dict(row)


def _public(record: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """A stored complaint as the documented plain data, with overdue / at-risk marks."""
    from planner.clock import parse_datetime

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


def add_complaint(store: Store, rules: Any, *, category: str, summary: str,
                  received: dt.datetime, now: dt.datetime, by: str, lang: str,
                  product: str | None = None, order: str | None = None,
                  buyer: str | None = None, channel: str | None = None,
                  **flags: Any) -> dict[str, Any]:
    """Record one complaint; returns it, plus the numbers the batch rule made urgent."""
    from planner.deadlines import triage_complaint

    summary = (summary or "").strip()
    if not summary:
        raise PlannerError("error.complaint-summary", field="--summary")
    if received > now + dt.timedelta(minutes=5):
        raise PlannerError("error.complaint-future", field="--received", value=_iso(received))
    flags = {key: flags.get(key) or (None if key == "sensitive" else False)
             for key in FLAG_KEYS}
    received_iso = _iso(received)
    day = received_iso[:10]
    product = (product or "").strip() or None
    with store.write() as db:
        same_issue = _same_issue_count(store, day, category, product) + 1 if product else None
        result = triage_complaint(rules, category, received, lang, **flags,
                                  same_issue_count=same_issue)
        year = int(day[:4])
        seq = db.execute(
            "INSERT INTO complaint_counters (year, last) VALUES (?, 1) ON CONFLICT (year) "
            "DO UPDATE SET last = last + 1 RETURNING last", (year,)).fetchone()[0]
        number = f"TS-{year}-{seq:04d}"
        values = {
            "number": number, "year": year, "seq": seq, "category": category,
            "product": product, "order_id": order, "buyer": buyer, "channel": channel,
            "summary": summary, "received": received_iso, "received_day": day,
            "level": result["level"], "priority": rules.policy.priority(result["level"]),
            "handler": result["handler"], "rule": result["rule"],
            "deadline": _iso(result["deadline"]), "calendar": result["calendar"],
            "flags": json.dumps(flags), "status": "open", "callback": None, "created_by": by,
        }
        db.execute(f"INSERT INTO complaints ({', '.join(COLUMNS)}) VALUES "
                   f"({', '.join('?' for _ in COLUMNS)})", [values[c] for c in COLUMNS])
        txn = store.next_txn()
        store.append_history(txn, recorded_at=_iso(now), by=by, action="complaint-add",
                             subject=SUBJECT_PREFIX + number, old=None,
                             new={k: values[k] for k in ("level", "handler", "deadline",
                                                          "status")})
        escalated = []
        if "batch" in result["reasons"]:
            escalated = _escalate_batch(store, rules, txn, day, category, product, now, by)
    complaint = _public(_get(store, number), now)
    complaint["reasons"] = result["reasons"]
    complaint["reason_texts"] = result["reason_texts"]
    complaint["estimated_years"] = result["estimated_years"]
    return {"complaint": complaint, "escalated": escalated, "same_issue_count": same_issue}


def _same_issue_count(store: Store, day: str, category: str, product: str) -> int:
    return store.db.execute(
        "SELECT count(*) FROM complaints WHERE received_day = ? AND category = ? AND "
        "product = ?", (day, category, product)).fetchone()[0]


def _escalate_batch(store: Store, rules: Any, txn: int, day: str, category: str,
                    product: str, now: dt.datetime, by: str) -> list[str]:
    """Make every complaint on this issue that day urgent.

    The new deadline is three hours from when the batch was recognised (or from receipt, if
    later), never later than the deadline a complaint already had.
    """
    from planner.clock import parse_datetime
    from planner.deadlines import first_response

    urgent = rules.policy.urgent
    rows = store.db.execute(
        "SELECT number, received, deadline, level, handler FROM complaints WHERE "
        "received_day = ? AND category = ? AND product = ? AND level != 'urgent' "
        "AND status IN ('open', 'in-progress')", (day, category, product)).fetchall()
    escalated = []
    for number, received, deadline, level, handler in rows:
        start = max(parse_datetime(received), now)
        new_deadline = min(first_response(urgent.rule, start, rules.calendar, rules.hours).at,
                           parse_datetime(deadline))
        store.db.execute(
            "UPDATE complaints SET level = 'urgent', priority = ?, handler = ?, rule = ?, "
            "deadline = ? WHERE number = ?",
            (rules.policy.priority("urgent"), urgent.handler, urgent.rule,
             _iso(new_deadline), number))
        store.append_history(txn, recorded_at=_iso(now), by=by, action="complaint-escalate",
                             subject=SUBJECT_PREFIX + number,
                             old={"level": level, "handler": handler, "deadline": deadline},
                             new={"level": "urgent", "handler": urgent.handler,
                                  "deadline": _iso(new_deadline)},
                             note="batch")
        escalated.append(number)
    return escalated


def update_status(store: Store, number: str, status: str, *, by: str, now: dt.datetime,
                  note: str | None = None) -> dict[str, Any]:
    if status not in STATUSES:
        raise PlannerError("error.unknown-value", field="--status", value=status,
                           allowed=", ".join(STATUSES))
    with store.write():
        record = _get(store, number)
        if record["status"] == status:
            return {"complaint": _public(record, now), "changed": False}
        store.db.execute("UPDATE complaints SET status = ? WHERE number = ?",
                         (status, record["number"]))
        store.append_history(store.next_txn(), recorded_at=_iso(now), by=by,
                             action="complaint-update",
                             subject=SUBJECT_PREFIX + record["number"],
                             old={"status": record["status"]}, new={"status": status},
                             note=note)
    return {"complaint": _public(_get(store, record["number"]), now), "changed": True}


def record_callback(store: Store, number: str, satisfied: bool, *, by: str,
                    now: dt.datetime, note: str | None = None) -> dict[str, Any]:
    """The aftermath call-back: did the buyer end up satisfied?"""
    with store.write():
        record = _get(store, number)
        if record["status"] not in CALLBACK_READY:
            raise PlannerError("error.complaint-callback-early", field=record["number"],
                               status=record["status"])
        callback = {"satisfied": satisfied, "at": _iso(now), "by": by, "note": note}
        store.db.execute("UPDATE complaints SET callback = ? WHERE number = ?",
                         (json.dumps(callback, ensure_ascii=False), record["number"]))
        store.append_history(store.next_txn(), recorded_at=_iso(now), by=by,
                             action="complaint-callback",
                             subject=SUBJECT_PREFIX + record["number"],
                             old=record["callback"], new=callback, note=note)
    return _public(_get(store, record["number"]), now)


def show_complaint(store: Store, number: str, now: dt.datetime) -> dict[str, Any]:
    record = _get(store, number)
    complaint = _public(record, now)
    complaint["history"] = list(store.history(subject=SUBJECT_PREFIX + record["number"]))
    return complaint


def list_complaints(store: Store, now: dt.datetime, *, open_only: bool = False,
                    overdue: bool = False, level: str | None = None,
                    owner: str | None = None, chunk: int = 2000
                    ) -> Iterator[dict[str, Any]]:
    """Complaints, urgent first, then III, II, I, then by deadline.

    Rows are read in chunks of `chunk`, each in its own short read, so that a long export
    never holds a lock that would keep other people from recording complaints meanwhile.
    """
    if not _has_register(store):
        return
    clauses, params = _filters(now, open_only=open_only, overdue=overdue, level=level,
                               owner=owner)
    last: tuple[Any, ...] | None = None
    while True:
        page_clauses, page_params = list(clauses), list(params)
        if last is not None:
            page_clauses.append("(priority, deadline, number) > (?, ?, ?)")
            page_params += last
        where = f"WHERE {' AND '.join(page_clauses)}" if page_clauses else ""
        query = (f"SELECT {', '.join(COLUMNS)} FROM complaints {where} "
                 "ORDER BY priority, deadline, number LIMIT ?")
        with store.guarded():
            rows = store.db.execute(query, [*page_params, chunk]).fetchall()
        for row in rows:
            yield _public(_row_dict(row), now)
        if len(rows) < chunk:
            return
        record = dict(zip(COLUMNS, rows[-1], strict=True))
        last = (record["priority"], record["deadline"], record["number"])


def count_complaints(store: Store, now: dt.datetime, **filters: Any) -> int:
    if not _has_register(store):
        return 0
    clauses, params = _filters(now, **filters)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    with store.guarded():
        return store.db.execute(f"SELECT count(*) FROM complaints {where}", params).fetchone()[0]


def _filters(now: dt.datetime, *, open_only: bool = False, overdue: bool = False,
             level: str | None = None, owner: str | None = None) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if open_only:
        clauses.append(f"status IN ({', '.join('?' for _ in UNFINISHED)})")
        params += UNFINISHED
    if overdue:
        clauses.append(f"status IN ({', '.join('?' for _ in AWAITING_REPLY)}) AND deadline < ?")
        params += [*AWAITING_REPLY, _iso(now)]
    if level:
        clauses.append("level = ?")
        params.append(level)
    if owner:
        clauses.append("handler = ?")
        params.append(owner)
    return clauses, params


def register_summary(store: Store, now: dt.datetime, *, callbacks: bool = True,
                     sample: int = 20) -> dict[str, Any]:
    """Open and overdue counts by level and, with `callbacks`, how many finished complaints
    still await a call-back (with the first `sample` numbers)."""
    summary: dict[str, Any] = {"open": {}, "overdue": {},
                               "callback_due": {"count": 0, "numbers": []}}
    if not _has_register(store):
        return summary
    with store.guarded():
        rows = store.db.execute(
            "SELECT level, count(*), sum(status IN ('open', 'in-progress') AND deadline < ?) "
            "FROM complaints WHERE status IN ('open', 'in-progress', 'replied') "
            "GROUP BY level", (_iso(now),)).fetchall()
        if callbacks:
            # the condition of the partial index, which the planner would not pick by itself
            waiting = ("FROM complaints INDEXED BY complaints_callback_due "
                       "WHERE callback IS NULL AND status IN ('resolved', 'closed')")
            count = store.db.execute(f"SELECT count(*) {waiting}").fetchone()[0]
            numbers = [row[0] for row in store.db.execute(
                f"SELECT number {waiting} ORDER BY year, seq LIMIT ?", (sample,))]
            summary["callback_due"] = {"count": count, "numbers": numbers}
    summary["open"] = {level: count for level, count, _ in rows}
    summary["overdue"] = {level: late for level, _, late in rows if late}
    return summary
