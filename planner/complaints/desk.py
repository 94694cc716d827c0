"""The complaint desk: what the team does to a registered complaint.

Correct it (`edit`, re-triaged), void it, assign it, record the first reply, move its status,
propose a solution, approve it, record the call-back. Each call takes one or several form
numbers and changes them in one transaction, all or nothing; every change is in the history
with the old and new values. Errors name the complaint and the field; nothing is written
then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from planner.complaints.register import (
    ANSWERED,
    AWAITING_REPLY,
    CALLBACK_READY,
    CLOCK_DRIFT,
    STATUSES,
    CampaignDates,
    Complaint,
    check_deadline,
    check_received,
    escalate_batch,
    get_complaint,
    issue_key,
    run_triage,
    write_history,
)
from planner.complaints.triage import ComplaintRules, TriageFlags
from planner.core.clock import SHANGHAI, iso
from planner.core.errors import Msg, PlannerError
from planner.core.lengths import check_name, check_text
from planner.storage.contract import Callback, ComplaintRecord, StateStore

# What `edit` can change; the fields that a triage depends on are re-triaged.
DETAILS = ("summary", "order_id", "buyer", "product", "channel", "issue")
TRIAGE_FIELDS = ("category", "flags", "received", "channel", "product", "issue")
FLAG_NAMES = TriageFlags._fields
# The fields an edit's history entry shows, old and new.
EDIT_SHOWN = ("category", *DETAILS, "received", "campaign", "flags", "level", "handler",
              "rule", "deadline")


class Desk(NamedTuple):
    """Who acts, when, under which rules."""

    store: StateStore
    by: str
    now: dt.datetime
    dates: CampaignDates | None = None

    def complaint(self, number: str) -> Complaint:
        return Complaint.as_of(get_complaint(self.store, number), self.now, self.dates)


def _numbers(store: StateStore, numbers: Iterable[str]) -> list[ComplaintRecord]:
    """The complaints of `numbers`, each once, in the order given; any unknown or repeated
    number fails before anything is written."""
    records: dict[str, ComplaintRecord] = {}
    for number in numbers:
        record = get_complaint(store, number)
        records.setdefault(record.number, record)
    return list(records.values())


def _check_typed(desk: Desk, note: str | None) -> None:
    """The lengths of a change's note and of the acting user's name."""
    check_text(note, "--note")
    check_name(desk.by, "--by")


def _not_void(record: ComplaintRecord) -> None:
    if record.void:
        raise PlannerError("error.complaint-void", field=record.number)


def _each(desk: Desk, numbers: Iterable[str],
          change: Callable[[ComplaintRecord, int], bool]) -> list[tuple[Complaint, bool]]:
    """Run `change(record, txn)` for every complaint in one transaction: (complaint, changed)
    for each, re-read after the change."""
    store = desk.store
    check_name(desk.by, "--by")
    _numbers(store, numbers)  # unknown numbers fail before the write lock is taken
    changed = []
    with store.transaction():
        txn = store.next_txn()
        for record in _numbers(store, numbers):
            changed.append((record.number, change(record, txn)))
    return [(desk.complaint(number), did) for number, did in changed]


def _note(record: ComplaintRecord, note: str | None) -> dict[str, Any]:
    """The `notes` field with `note` added (what --text searches)."""
    note = (note or "").strip()
    if not note:
        return {}
    return {"notes": f"{record.notes}\n{note}" if record.notes else note}


# --- status, reply, call-back ---------------------------------------------------------------

def update_status(desk: Desk, numbers: Iterable[str], status: str, *,
                  note: str | None = None, reopen: bool = False
                  ) -> list[tuple[Complaint, bool]]:
    """Move complaints to `status`. The first move to an answered status is the first
    response; a closed complaint moves again only with `reopen`."""
    if status not in STATUSES:
        raise PlannerError("error.unknown-value", field="--status", value=status,
                           allowed=", ".join(STATUSES))
    check_text(note, "--note")

    def change(record: ComplaintRecord, txn: int) -> bool:
        _not_void(record)
        if record.status == status:
            return False
        if record.status == "closed" and not reopen:
            raise PlannerError("error.complaint-closed", field=record.number)
        fields: dict[str, Any] = {"status": status, **_note(record, note)}
        old: dict[str, Any] = {"status": record.status}
        new: dict[str, Any] = {"status": status}
        if status in ANSWERED and record.first_response is None:
            fields["first_response"] = desk.now
            new["first_response"] = iso(desk.now)
        desk.store.complaints.update(record.number, **fields)
        write_history(desk.store, txn, desk.now, desk.by, "complaint-update", record, old, new,
                      note)
        return True

    return _each(desk, numbers, change)


def record_reply(desk: Desk, number: str, *, at: dt.datetime | None = None,
                 note: str | None = None) -> Complaint:
    """The reply to the buyer, at `at` (default now): the first one is the first response,
    and an unanswered complaint moves to ``replied``."""
    at = at or desk.now
    _check_typed(desk, note)
    record = get_complaint(desk.store, number)
    _check_reply(record, at, desk.now)
    with desk.store.transaction():
        record = get_complaint(desk.store, number)
        _check_reply(record, at, desk.now)
        first = record.first_response
        fields: dict[str, Any] = _note(record, note)
        if first is None:  # the first response, once recorded, stands: late stays late
            fields["first_response"] = at
        if record.status in AWAITING_REPLY:
            fields["status"] = "replied"
        if fields:
            desk.store.complaints.update(record.number, **fields)
        write_history(desk.store, desk.store.next_txn(), desk.now, desk.by, "complaint-reply",
                      record, {"status": record.status,
                               "first_response": iso(first) if first else None},
                      {"status": fields.get("status", record.status), "at": iso(at),
                       "first_response": iso(fields.get("first_response", first))}, note)
    return desk.complaint(record.number)


def _check_reply(record: ComplaintRecord, at: dt.datetime, now: dt.datetime) -> None:
    _not_void(record)
    if at < record.received:
        raise PlannerError("error.complaint-reply-early", field=record.number,
                           at=iso(at), received=iso(record.received))
    if at > now + CLOCK_DRIFT:
        raise PlannerError("error.complaint-reply-future", field=record.number, at=iso(at))


def record_callback(desk: Desk, number: str, satisfied: bool, *,
                    note: str | None = None) -> Complaint:
    """The aftermath call-back: did the buyer end up satisfied?"""
    _check_typed(desk, note)
    _check_callback_ready(get_complaint(desk.store, number))  # fails before any write
    with desk.store.transaction():
        record = get_complaint(desk.store, number)
        _check_callback_ready(record)
        callback = Callback(satisfied, desk.now, desk.by, note)
        desk.store.complaints.update(record.number, callback=callback, **_note(record, note))
        write_history(desk.store, desk.store.next_txn(), desk.now, desk.by,
                      "complaint-callback", record, _callback_json(record.callback),
                      _callback_json(callback), note)
    return desk.complaint(record.number)


def _callback_json(callback: Callback | None) -> dict[str, Any] | None:
    if callback is None:
        return None
    return {"satisfied": callback.satisfied, "at": iso(callback.at), "by": callback.by,
            "note": callback.note}


def _check_callback_ready(record: ComplaintRecord) -> None:
    _not_void(record)
    if record.status not in CALLBACK_READY or record.first_response is None:
        raise PlannerError("error.complaint-callback-early", field=record.number,
                           status=Msg(f"register.status.{record.status}"))


# --- owner, void ------------------------------------------------------------------------------

def assign(desk: Desk, numbers: Iterable[str], assignee: str | None, *,
           note: str | None = None) -> list[tuple[Complaint, bool]]:
    """Give complaints to `assignee` (None: to nobody)."""
    assignee = (assignee or "").strip() or None
    check_name(assignee, "--to")
    check_text(note, "--note")

    def change(record: ComplaintRecord, txn: int) -> bool:
        _not_void(record)
        if record.assignee == assignee:
            return False
        desk.store.complaints.update(record.number, assignee=assignee, **_note(record, note))
        write_history(desk.store, txn, desk.now, desk.by, "complaint-assign", record,
                      {"assignee": record.assignee}, {"assignee": assignee}, note)
        return True

    return _each(desk, numbers, change)


def void(desk: Desk, numbers: Iterable[str], reason: str) -> list[tuple[Complaint, bool]]:
    """Mark complaints entered by mistake: kept and shown as void, counted nowhere."""
    reason = (reason or "").strip()
    if not reason:
        raise PlannerError("error.complaint-void-reason", field="--reason")
    check_text(reason, "--reason")

    def change(record: ComplaintRecord, txn: int) -> bool:
        _not_void(record)
        desk.store.complaints.update(record.number, void=True, void_reason=reason)
        write_history(desk.store, txn, desk.now, desk.by, "complaint-void", record,
                      {"void": False}, {"void": True, "reason": reason}, reason)
        return True

    return _each(desk, numbers, change)


# --- the process: department, solution, approval ----------------------------------------------

def propose(desk: Desk, number: str, *, solution: str | None, department: str | None,
            note: str | None = None) -> Complaint:
    """The department concerned and/or the proposed solution. A new solution needs a new
    approval."""
    solution = (solution or "").strip() or None
    check_text(solution, "--solution")
    check_name(department, "--department")
    check_text(note, "--note")
    if solution is None and department is None:
        raise PlannerError("error.complaint-propose-empty", field="--solution")

    def change(record: ComplaintRecord, txn: int) -> bool:
        _not_void(record)
        fields: dict[str, Any] = {}
        if department is not None and department != record.department:
            fields["department"] = department
        if solution is not None and solution != record.solution:
            fields.update(solution=solution, approved_by=None, approved_at=None)
        if not fields:
            return False
        old = {key: _shown(getattr(record, key)) for key in fields}
        desk.store.complaints.update(record.number, **fields, **_note(record, note))
        write_history(desk.store, txn, desk.now, desk.by, "complaint-propose", record, old,
                      {key: _shown(value) for key, value in fields.items()}, note)
        return True

    return _each(desk, [number], change)[0][0]


def approve(desk: Desk, number: str, approver: str, *, note: str | None = None) -> Complaint:
    """A supervisor approves the proposed solution (`approver` checked by the caller)."""
    check_name(approver, "--by")
    check_text(note, "--note")

    def change(record: ComplaintRecord, txn: int) -> bool:
        _not_void(record)
        if record.solution is None:
            raise PlannerError("error.complaint-nothing-to-approve", field=record.number)
        desk.store.complaints.update(record.number, approved_by=approver,
                                     approved_at=desk.now, **_note(record, note))
        write_history(desk.store, txn, desk.now, desk.by, "complaint-approve", record,
                      {"approved_by": record.approved_by},
                      {"approved_by": approver, "approved_at": iso(desk.now)}, note)
        return True

    return _each(desk, [number], change)[0][0]


def _shown(value: Any) -> Any:
    return iso(value) if isinstance(value, dt.datetime) else value


# --- corrections ---------------------------------------------------------------------------------

class Correction(NamedTuple):
    """What to change in a complaint; None leaves a field as it is. `flags` holds only the
    flags to change (name -> new value)."""

    category: str | None = None
    summary: str | None = None
    order_id: str | None = None
    buyer: str | None = None
    product: str | None = None
    channel: str | None = None
    issue: str | None = None
    received: dt.datetime | None = None
    flags: dict[str, Any] | None = None

    def details(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in ("category", *DETAILS, "received")
                if getattr(self, key) is not None}


def edit(desk: Desk, rules: ComplaintRules, numbers: Iterable[str], correction: Correction,
         *, campaign_of: Callable[[dt.date], int], note: str | None = None
         ) -> list[tuple[Complaint, bool]]:
    """Correct complaints and re-triage them: level, handler and deadline are derived again.

    The deadline never ends later than the one already promised, unless the receipt time
    itself was corrected. A complaint no longer on its old issue stops counting for that
    batch; one that joins a batch becomes urgent like the others.
    """
    unknown = set(correction.flags or ()) - set(FLAG_NAMES)
    if unknown:
        raise ValueError(f"no such flags: {sorted(unknown)}")
    if correction.summary is not None and not correction.summary.strip():
        raise PlannerError("error.complaint-summary", field="--summary")
    if correction.received is not None:
        check_received(correction.received, desk.now)
    check_correction(correction)
    check_text(note, "--note")

    def change(record: ComplaintRecord, txn: int) -> bool:
        _not_void(record)
        fields = _corrected(record, correction, campaign_of)
        if any(key in fields for key in TRIAGE_FIELDS):
            fields.update(_retriaged(rules, record, fields))
        fields = {key: value for key, value in fields.items()
                  if getattr(record, key) != value}
        if not fields:
            return False
        store = desk.store
        store.complaints.update(record.number, **fields, **_note(record, note))
        after = record._replace(**fields)
        # a re-triage without the batch may have taken back what the batch rule gave
        escalate_batch(store, rules, txn, after.received_day, after.category, after.issue,
                       desk.now, desk.by, quiet=record.number)
        after = get_complaint(store, record.number)
        changed = [key for key in EDIT_SHOWN if getattr(after, key) != getattr(record, key)]
        write_history(store, txn, desk.now, desk.by, "complaint-edit", record,
                      {key: _shown(getattr(record, key)) for key in changed},
                      {key: _shown(getattr(after, key)) for key in changed}, note)
        return True

    return _each(desk, numbers, change)


def check_correction(correction: Correction) -> None:
    """The lengths of the corrected text: the summary is free text, the rest names."""
    for key in DETAILS:
        value = getattr(correction, key)
        option = "--" + key.removesuffix("_id")
        (check_text if key == "summary" else check_name)(value, option)


def _corrected(record: ComplaintRecord, correction: Correction,
               campaign_of: Callable[[dt.date], int]) -> dict[str, Any]:
    """The fields the correction gives (blank text clears an optional field)."""
    fields: dict[str, Any] = {}
    for key, value in correction.details().items():
        if isinstance(value, str):
            value = value.strip() or None
        fields[key] = value
    if "summary" in fields and fields["summary"] is None:
        raise PlannerError("error.complaint-summary", field="--summary")
    if correction.flags:
        fields["flags"] = {**record.flags, **correction.flags}
    if "received" in fields:
        received = fields["received"].astimezone(SHANGHAI)
        fields.update(received=received, received_day=received.date(),
                      campaign=campaign_of(received.date()))
    if "issue" in fields or "product" in fields:
        explicit = fields.get("issue", record.issue if record.issue != record.product
                              else None)
        fields["issue"] = issue_key(explicit, fields.get("product", record.product))
    return fields


def _retriaged(rules: ComplaintRules, record: ComplaintRecord, fields: dict[str, Any]
               ) -> dict[str, Any]:
    after = record._replace(**fields)
    flags = TriageFlags(**{name: after.flags.get(name, default)
                           for name, default in TriageFlags()._asdict().items()})
    result = run_triage(rules, after.category, after.received, flags, None, after.channel)
    deadline = (result.deadline.at, result.deadline.calendar_name)
    if "received" in fields:
        check_deadline(result, after.received)
    else:  # a promise already made stands
        deadline = min(deadline, (record.deadline, record.calendar_name))
    return {"level": result.level, "priority": rules.policy.priority(result.level),
            "handler": result.triage.handler, "rule": result.triage.rule,
            "deadline": deadline[0], "calendar_name": deadline[1],
            "calendar": result.deadline.calendar}
