"""The complaint register: numbered complaints with level, owner and first-response deadline,
kept in the workspace's state through battle and aftermath.

Triage and deadlines come from `planner.complaints.triage`; the records are kept by the
storage contract. This module decides: form numbers, the batch rule, what is overdue or at
risk, where each complaint stands in the process, who still needs a call-back.
Corrections and the steps of the process are `planner.complaints.desk`. Every change goes to
the same append-only history as check-offs (subject ``complaint:<number>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from planner.complaints.policy import URGENT
from planner.complaints.triage import (
    NO_FLAGS,
    ComplaintRules,
    TriageFlags,
    TriageResult,
    triage_complaint,
)
from planner.core.clock import SHANGHAI, YEARS, check_year_of, in_years, iso, to_shanghai
from planner.core.errors import PlannerError
from planner.core.lengths import check_name, check_text
from planner.storage.contract import (
    ComplaintFilter,
    ComplaintRecord,
    HistoryEntry,
    StateStore,
)

STATUSES = ("open", "in-progress", "replied", "resolved", "closed")
AWAITING_REPLY = ("open", "in-progress")  # the first-response deadline still runs
UNFINISHED = ("open", "in-progress", "replied")
ANSWERED = ("replied", "resolved", "closed")  # the first move to one is the first response
CALLBACK_READY = ANSWERED
AT_RISK_SHARE = 0.8
SUBJECT_PREFIX = "complaint:"
# Where a complaint stands in the seed's process, derived from what was recorded.
STEPS = ("verify", "department", "proposed", "approved", "replied", "called-back", "closed",
         "void")
# A campaign year -> its first and last day (prepare to aftermath, with the shop's dates).
CampaignDates = Callable[[int], tuple[dt.date, dt.date]]


def is_waiting(record: ComplaintRecord) -> bool:
    """Whether the first-response deadline still runs: no answer yet, not void."""
    return (not record.void and record.first_response is None
            and record.status in AWAITING_REPLY)


def step_of(record: ComplaintRecord) -> str:
    """The furthest step of the process that the record shows."""
    for step, reached in (("void", record.void), ("closed", record.status == "closed"),
                          ("called-back", record.callback is not None),
                          ("replied", record.first_response is not None),
                          ("approved", record.approved_by is not None),
                          ("proposed", record.solution is not None),
                          ("department", record.department is not None)):
        if reached:
            return step
    return "verify"


class Complaint(NamedTuple):
    """A stored complaint as of a moment: is its first response overdue, or at risk?"""

    record: ComplaintRecord
    overdue: bool
    at_risk: bool
    outside_campaign: bool = False  # received between two campaigns: counts for the next
    minutes_left: int | None = None  # to the deadline (negative: late); None once answered

    @classmethod
    def as_of(cls, record: ComplaintRecord, now: dt.datetime,
              dates: CampaignDates | None = None) -> Complaint:
        waiting = is_waiting(record)
        overdue = waiting and now > record.deadline
        at_risk = waiting and not overdue and (
            now >= record.received + (record.deadline - record.received) * AT_RISK_SHARE)
        outside = False
        if dates is not None:
            start, end = dates(record.campaign)
            outside = not start <= record.received_day <= end
        left = None
        if waiting:
            left = int((record.deadline - now).total_seconds() // 60)
        return cls(record, overdue, at_risk, outside, left)

    @property
    def answered_late(self) -> bool:
        """First answered after its deadline: late for good."""
        answered = self.record.first_response
        return answered is not None and answered > self.record.deadline

    @property
    def step(self) -> str:
        return step_of(self.record)


class Added(NamedTuple):
    """What `add_complaint` did: the complaint, its triage, and the batch it completed."""

    complaint: Complaint
    triage: TriageResult
    escalated: list[str]  # other numbers made urgent by the batch rule
    same_issue_count: int | None


class RegisterSummary(NamedTuple):
    """Open and overdue counts by level; finished complaints still awaiting a call-back;
    first responses of the campaign on time and late."""

    open: dict[str, int]
    overdue: dict[str, int]
    callback_due: int = 0
    callback_numbers: tuple[str, ...] = ()
    answered_on_time: int = 0
    answered_late: int = 0
    callback_due_more: bool = False  # callback_due is a floor: there are more than that


CALLBACK_CAP = 1000  # call-backs still due that `status` counts exactly; beyond: "1,000+"


def get_complaint(store: StateStore, number: str) -> ComplaintRecord:
    """The complaint of form number `number` (any case); unknown numbers are an error."""
    check_name(number, "NUMBER")  # before it is looked up, or echoed in the error
    record = store.complaints.get(number.strip().upper())
    if record is None:
        raise PlannerError("error.complaint-unknown", field=number)
    return record


def write_history(store: StateStore, txn: int, now: dt.datetime, by: str, action: str,
                  record: ComplaintRecord, old: Any, new: Any, note: str | None = None
                  ) -> None:
    """A history entry about `record`, in its campaign year."""
    store.append_history(txn, year=record.campaign, recorded_at=now, by=by, action=action,
                         subject=SUBJECT_PREFIX + record.number, old=old, new=new, note=note)


def check_received(received: dt.datetime, now: dt.datetime, field: str = "--received"
                   ) -> None:
    """A receipt in the future (beyond a clock's drift) is a typing mistake; one outside
    the supported years cannot be planned for."""
    check_year_of(received, iso(received), field)
    if received > now + CLOCK_DRIFT:
        raise PlannerError("error.complaint-future", field=field, value=iso(received))


CLOCK_DRIFT = dt.timedelta(minutes=5)


def check_deadline(result: TriageResult, received: dt.datetime, field: str = "--received"
                   ) -> None:
    """A deadline after the supported years could never be judged or exported: refuse the
    receipt that gives it, before anything is written."""
    if not in_years(result.deadline.at):
        raise PlannerError("error.deadline-after-years", field=field,
                           received=f"{to_shanghai(received):%Y-%m-%d %H:%M}",
                           deadline=f"{to_shanghai(result.deadline.at):%Y-%m-%d %H:%M}",
                           high=YEARS[1])


def check_names(names: dict[str, str | None]) -> None:
    """The lengths of a complaint's names and references (option -> value): order, buyer,
    product, channel, issue, assignee, the acting user."""
    for field, name in names.items():
        check_name(name, field)


def issue_key(issue: str | None, product: str | None) -> str | None:
    """The batch key within a category: the issue given, else the product, else none."""
    return (issue or "").strip() or (product or "").strip() or None


def run_triage(rules: ComplaintRules, category: str, received: dt.datetime, flags: TriageFlags,
               same_issue: int | None, channel: str | None) -> TriageResult:
    """Triage under the shop's rules; `same_issue` counts the day's complaints on the issue
    (None: leave the batch rule out)."""
    return triage_complaint(rules, category, received, flags, same_issue, channel)


def add_complaint(store: StateStore, rules: ComplaintRules, *, category: str, summary: str,
                  received: dt.datetime, now: dt.datetime, by: str,
                  product: str | None = None, order: str | None = None,
                  buyer: str | None = None, channel: str | None = None,
                  issue: str | None = None, assignee: str | None = None,
                  flags: TriageFlags = NO_FLAGS, campaign: int | None = None,
                  dates: CampaignDates | None = None) -> Added:
    """Record one complaint of `campaign` (default: its receipt's calendar year); returns it,
    plus the other numbers the batch rule made urgent."""
    summary = (summary or "").strip()
    if not summary:
        raise PlannerError("error.complaint-summary", field="--summary")
    product, order, buyer, channel, assignee = (
        (text or "").strip() or None for text in (product, order, buyer, channel, assignee))
    check_text(summary, "--summary")
    check_names({"--order": order, "--buyer": buyer, "--product": product,
                 "--channel": channel, "--issue": issue, "--assign": assignee, "--by": by})
    check_received(received, now)
    day = received.astimezone(SHANGHAI).date()
    key = issue_key(issue, product)
    # Everything that can fail is worked out before the transaction (which creates the
    # database on a first write); the batch rule needs the day's register, so its triage is
    # checked inside, where a failure rolls everything back.
    ordinary = run_triage(rules, category, received, flags, None, channel)
    check_deadline(ordinary, received)
    register = store.complaints
    with store.transaction():
        same_issue = register.count_same_issue(day, category, key) + 1
        result = run_triage(rules, category, received, flags, same_issue, channel)
        check_deadline(result, received)
        # the batch's deadlines are set by `escalate_batch` below, for all of the day's alike
        seq = register.next_seq(day.year)
        record = ComplaintRecord(
            number=f"TS-{day.year}-{seq:04d}", year=day.year, seq=seq, category=category,
            product=product, order_id=order, buyer=buyer, channel=channel, summary=summary,
            received=ordinary.received, received_day=day, level=ordinary.level,
            priority=rules.policy.priority(ordinary.level),
            handler=ordinary.triage.handler, rule=ordinary.triage.rule,
            deadline=ordinary.deadline.at, calendar=ordinary.deadline.calendar,
            flags=flags._asdict(), status="open", callback=None, created_by=by,
            campaign=campaign or day.year, assignee=assignee, issue=key,
            calendar_name=ordinary.deadline.calendar_name)
        register.insert(record)
        txn = store.next_txn()
        escalated = escalate_batch(store, rules, txn, day, category, key, now, by,
                                   quiet=record.number)
        record = get_complaint(store, record.number)
        write_history(store, txn, now, by, "complaint-add", record, None,
                      {"level": record.level, "handler": record.handler,
                       "deadline": iso(record.deadline), "status": record.status,
                       "assignee": record.assignee})
    return Added(Complaint.as_of(record, now, dates), result, escalated,
                 same_issue if key is not None or same_issue > 1 else None)


def escalate_batch(store: StateStore, rules: ComplaintRules, txn: int, day: dt.date,
                   category: str, issue: str | None, now: dt.datetime, by: str,
                   quiet: str | None = None) -> list[str]:
    """The batch rule for one issue on one day; returns the numbers it made urgent.

    When more complaints than the threshold arrived that day on the issue (void ones left
    out), every one of them that was not answered before the batch formed is urgent: its
    three hours run from the receipt of the complaint that crossed the threshold, or from its
    own receipt if later, and never end later than its deadline before. This depends on the
    receipts alone, so a register filled in afterwards, in any order, gives the deadlines a
    live one would have given. No history entry is written for `quiet` (the complaint being
    added, whose own entry says it).
    """
    policy = rules.policy
    threshold = policy.urgent.batch_threshold
    day_complaints = store.complaints.same_issue(day, category, issue)
    if len(day_complaints) <= threshold:
        return []
    crossed = day_complaints[threshold].received
    urgent = policy.urgent
    escalated = []
    for record in day_complaints:
        start = max(crossed, record.received)
        answered = record.first_response
        if answered is not None and answered < crossed:
            continue  # answered before the batch formed
        batch = rules.first_response(urgent.rule, start)
        if record.level == URGENT and record.deadline <= batch.at:
            continue
        deadline, calendar_name = min((batch.at, batch.calendar_name),
                                      (record.deadline, record.calendar_name))
        store.complaints.update(record.number, level=URGENT, priority=policy.priority(URGENT),
                                handler=urgent.handler, rule=urgent.rule, deadline=deadline,
                                calendar_name=calendar_name)
        if record.number == quiet:
            continue
        write_history(store, txn, now, by, "complaint-escalate", record,
                      {"level": record.level, "handler": record.handler,
                       "deadline": iso(record.deadline)},
                      {"level": URGENT, "handler": urgent.handler, "deadline": iso(deadline)},
                      note="batch")
        escalated.append(record.number)
    return escalated


def show_complaint(store: StateStore, number: str, now: dt.datetime,
                   dates: CampaignDates | None = None) -> tuple[Complaint, list[HistoryEntry]]:
    """One complaint with its whole history."""
    record = get_complaint(store, number)
    history = list(store.history(subject=SUBJECT_PREFIX + record.number))
    return Complaint.as_of(record, now, dates), history


class Search(NamedTuple):
    """What an agent looks for in the register (every field given narrows it)."""

    open_only: bool = False
    overdue: bool = False
    at_risk: bool = False
    level: str | None = None
    owner: str | None = None  # the handler role
    status: str | None = None
    order: str | None = None
    buyer: str | None = None
    product: str | None = None
    text: str | None = None
    anywhere: str | None = None  # `complaint find`: number, order, buyer or summary
    received_since: dt.datetime | None = None
    received_until: dt.datetime | None = None
    assignee: str | None = None
    include_void: bool = False


EVERYTHING = Search()


def search_filter(now: dt.datetime, search: Search, campaign: int | None) -> ComplaintFilter:
    statuses = (AWAITING_REPLY if search.overdue or search.at_risk
                else UNFINISHED if search.open_only else ())
    if search.status:
        statuses = tuple(s for s in statuses or STATUSES if s == search.status) or ("",)
    return ComplaintFilter(
        statuses=statuses, deadline_before=now if search.overdue else None,
        waiting_at=now if search.overdue or search.at_risk else None,
        at_risk=AT_RISK_SHARE if search.at_risk else None,
        level=search.level, handler=search.owner, campaign=campaign, order=search.order,
        buyer=search.buyer, product=search.product, text=search.text,
        anywhere=search.anywhere, received_since=search.received_since,
        received_until=search.received_until, assignee=search.assignee,
        include_void=search.include_void)


def list_complaints(store: StateStore, now: dt.datetime, search: Search = EVERYTHING, *,
                    campaign: int | None = None, chunk: int = 2000,
                    dates: CampaignDates | None = None) -> Iterator[Complaint]:
    """Complaints found by `search` (of one campaign, if given), urgent first, then III,
    II, I, then by deadline.

    Rows are read in chunks of `chunk`, each in its own short read, so that a long export
    never holds a lock that would keep other people from recording complaints meanwhile.
    """
    register = store.complaints
    if not register.exists():
        return
    wanted = search_filter(now, search, campaign)
    after = None
    while True:
        page = register.page(wanted, after, chunk)
        for record in page:
            yield Complaint.as_of(record, now, dates)
        if len(page) < chunk:
            return
        last = page[-1]
        after = (last.priority, last.deadline, last.number)


def count_complaints(store: StateStore, now: dt.datetime, search: Search = EVERYTHING, *,
                     campaign: int | None = None) -> int:
    register = store.complaints
    return register.count(search_filter(now, search, campaign)) if register.exists() else 0


def register_summary(store: StateStore, now: dt.datetime, *, callbacks: bool = True,
                     sample: int = 20, campaign: int | None = None) -> RegisterSummary:
    """Open and overdue counts by level and, with `callbacks`, how many finished complaints
    still await a call-back (with the first `sample` numbers)."""
    register = store.complaints
    if not register.exists():
        return RegisterSummary({}, {})
    opened = register.tally(ComplaintFilter(statuses=UNFINISHED, campaign=campaign), "level")
    overdue = register.tally(ComplaintFilter(statuses=AWAITING_REPLY, waiting_at=now,
                                             deadline_before=now, campaign=campaign), "level")
    on_time, late = register.answers(campaign)
    count, numbers = 0, []
    if callbacks:
        # a call-back still owed is owed whatever campaign the complaint came in
        count, numbers = register.awaiting_callback(sample, cap=CALLBACK_CAP)
    more = count > CALLBACK_CAP
    return RegisterSummary(opened, overdue, min(count, CALLBACK_CAP), tuple(numbers), on_time,
                           late, more)


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
