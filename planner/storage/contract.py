"""The storage contract: what the rules ask of the saved state, and the records it returns.

Two backends implement it, `planner.storage.sqlite` (the workspace's own file) and
`planner.storage.postgres` (a shared database, many shops), both checked by one test suite
(tests/test_storage_contract.py). Every record is typed:
datetimes are `datetime`s (Asia/Shanghai), never text; a backend converts at its own edge.
Every failure of the backend (locked, read-only, damaged) reaches the caller as a
`PlannerError`, never as the driver's own exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, NamedTuple, Protocol

ITEM_STATUSES = ("open", "done", "skipped")  # open items have no saved state
SETTLED = ("done", "skipped")
ITEM_ACTIONS = ("check", "uncheck", "skip")  # the changes `undo` can revert
# A history entry that changes no state: an audit's counts on its checklist item (`new` holds
# {"audit": kind, "violation": n, "risk": n, "warning": n}); `undo` passes over it.
AUDIT_ACTION = "audit"


class ItemState(NamedTuple):
    """A settled item: done or skipped, by whom, when, and why."""

    status: str  # one of SETTLED; items without a state are open
    by: str
    at: dt.datetime
    note: str | None = None


class Change(NamedTuple):
    """One item (one day of a daily duty) moving from `old` to `new` (None = open)."""

    subject: str
    action: str
    old: ItemState | None
    new: ItemState | None
    day: dt.date | None = None  # the occurrence of a daily duty
    note: str | None = None  # its own note in the history, instead of the transaction's


# An item's state is kept per campaign year, under (item id, day): day None for a one-off.
ItemKey = tuple[str, dt.date | None]


class HistoryEntry(NamedTuple):
    """One line of the append-only history. `old` and `new` are the states before and after
    as stored (an item's state, or the fields of a complaint that changed)."""

    seq: int
    txn: int
    at: dt.datetime
    by: str
    action: str
    subject: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    note: str | None
    reverts: int | None
    year: int | None = None  # the campaign year it belongs to
    day: dt.date | None = None  # the occurrence of a daily duty it changed


class Callback(NamedTuple):
    """The aftermath call-back of a complaint."""

    satisfied: bool
    at: dt.datetime
    by: str
    note: str | None = None


class ComplaintRecord(NamedTuple):
    """A complaint as stored in the register."""

    number: str
    year: int
    seq: int
    category: str
    product: str | None
    order_id: str | None
    buyer: str | None
    channel: str | None
    summary: str
    received: dt.datetime
    received_day: dt.date
    level: str
    priority: int
    handler: str
    rule: str
    deadline: dt.datetime
    calendar: str
    flags: dict[str, Any]
    status: str
    callback: Callback | None
    created_by: str  # the taker: who registered it
    campaign: int  # the campaign year: that of the window holding `received`, else the next
    assignee: str | None = None
    issue: str | None = None  # the batch key within the category: --issue, else the product
    first_response: dt.datetime | None = None
    void: bool = False
    void_reason: str | None = None
    department: str | None = None  # the department concerned (a role id)
    solution: str | None = None
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    calendar_name: str = "office"  # the service calendar that made the deadline
    notes: str = ""  # every note recorded about it, one per line: what --text searches


class ComplaintFilter(NamedTuple):
    """Which complaints to read; every field given narrows the selection.

    `text` matches summary and notes, `anywhere` number, order, buyer and summary (both
    case-insensitive substrings). `waiting_at`: received by then and not answered by then;
    with `at_risk` (a share), also not overdue then but with that share of the time from
    receipt to deadline gone. Void complaints are left out unless `include_void`.
    """

    statuses: tuple[str, ...] = ()
    deadline_before: dt.datetime | None = None
    level: str | None = None
    handler: str | None = None
    campaign: int | None = None
    order: str | None = None
    buyer: str | None = None
    product: str | None = None
    text: str | None = None
    anywhere: str | None = None
    received_since: dt.datetime | None = None
    received_until: dt.datetime | None = None  # exclusive
    received_on: dt.date | None = None  # the calendar day (Shanghai) of receipt
    assignee: str | None = None
    waiting_at: dt.datetime | None = None
    at_risk: float | None = None
    called_back: bool | None = None  # True: has a call-back; False: has none
    satisfied: bool | None = None  # the call-back's answer
    answered: bool | None = None  # True: has a first response; False: has none
    answered_late: bool | None = None  # True: first answered after the deadline
    answered_since: dt.datetime | None = None
    answered_until: dt.datetime | None = None  # exclusive
    callback_since: dt.datetime | None = None
    callback_until: dt.datetime | None = None  # exclusive
    numbers: tuple[str, ...] = ()
    include_void: bool = False
    void_only: bool = False


# What `ComplaintStore.tally` can group by: a column, or whether the first response was late.
TALLY_KEYS = ("level", "category", "assignee", "status", "handler", "answered_late")


# The register's queue order; a page continues after the last key it returned.
QueueKey = tuple[int, dt.datetime, str]  # (priority, deadline, number)


class ComplaintStore(Protocol):
    """The complaint register of a store."""

    def exists(self) -> bool:
        """False for a read-only database from before the register."""

    def get(self, number: str) -> ComplaintRecord | None: ...

    def next_seq(self, year: int) -> int:
        """The next form number of `year` (inside a transaction); never handed out twice."""

    def insert(self, record: ComplaintRecord) -> None: ...

    def update(self, number: str, **fields: Any) -> None:
        """Change fields of one complaint (inside a transaction); values as in the record."""

    def same_issue(self, day: dt.date, category: str, issue: str | None,
                   filter_: ComplaintFilter | None = None) -> list[ComplaintRecord]:
        """The complaints received on `day` about one issue (`issue` None: those of the
        category without an issue key), oldest receipt first."""

    def count_same_issue(self, day: dt.date, category: str, issue: str | None) -> int:
        """How many complaints, void ones left out, `same_issue` would return."""

    def page(self, filter_: ComplaintFilter, after: QueueKey | None, limit: int
             ) -> list[ComplaintRecord]:
        """Up to `limit` complaints in queue order after `after`, in one short read."""

    def count(self, filter_: ComplaintFilter) -> int: ...

    def tally(self, filter_: ComplaintFilter, *keys: str) -> dict[Any, int]:
        """How many complaints of `filter_` per value of `keys` (of `TALLY_KEYS`; a
        missing value counts under None): one key gives its values, several give tuples."""

    def answers(self, campaign: int | None = None) -> tuple[int, int]:
        """How many complaints (not void; of one campaign, if given) were first answered by
        their deadline, and how many after it."""

    def awaiting_callback(self, sample: int, campaign: int | None = None,
                          cap: int | None = None) -> tuple[int, list[str]]:
        """How many resolved or closed complaints (not void) have no call-back, and the
        first numbers. With `cap`, counted up to cap + 1 only (cap + 1: more than cap), so
        that the time it takes does not grow with the register."""


class StateStore(Protocol):
    """An open state database: item states, the history, the complaint register."""

    complaints: ComplaintStore

    def __enter__(self) -> StateStore: ...

    def __exit__(self, *exc: object) -> None: ...

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[None]:
        """One all-or-nothing write transaction; writers queue rather than fail."""

    def item_states(self, year: int) -> dict[ItemKey, ItemState]:
        """Every settled item (and occurrence) of campaign `year`."""

    def item_state(self, year: int, item_id: str, day: dt.date | None = None
                   ) -> ItemState | None: ...

    def history(self, *, year: int | None = None, subject: str | None = None,
                by: str | None = None, since: dt.date | None = None,
                subject_prefix: str | None = None, latest: int | None = None
                ) -> Iterator[HistoryEntry]:
        """History entries, oldest first, optionally filtered; `latest`: only the last that
        many. Streamed: read a page at a time, none holding the others up while it is read."""

    def count_history(self, *, year: int | None = None, subject: str | None = None,
                      by: str | None = None, since: dt.date | None = None,
                      subject_prefix: str | None = None) -> int:
        """How many entries `history` with the same filters gives."""

    def years(self) -> list[int]:
        """The campaign years that hold any state, oldest first."""

    def last_changed_by(self, year: int, subject: str, day: dt.date | None = None
                        ) -> str | None: ...

    def last_open_txn(self, by: str, year: int, day: dt.date | None = None) -> int | None:
        """The latest check-off change by `by` in `year` (touching `day`'s occurrence, if
        given) that is no undo and has not been undone."""

    def txn_changes(self, txn: int) -> list[Change]: ...

    def next_txn(self) -> int:
        """A new transaction number for history entries (inside a transaction)."""

    def append_history(self, txn: int, *, year: int, recorded_at: dt.datetime, by: str,
                       action: str, subject: str, old: Any, new: Any, note: str | None = None,
                       reverts: int | None = None, day: dt.date | None = None) -> None: ...

    def record_audit(self, year: int, subject: str, counts: dict[str, Any], *, by: str,
                     recorded_at: dt.datetime, note: str | None = None) -> int:
        """Append an `AUDIT_ACTION` entry on item `subject` in its own transaction; returns
        its number. No item state changes."""

    def row_counts(self) -> dict[str, int]:
        """How many rows each table of the state holds (`db info`)."""

    def apply(self, changes: Iterable[Change] | Callable[[], Iterable[Change]], *, year: int,
              by: str, recorded_at: dt.datetime, note: str | None = None,
              reverts: int | None = None) -> int | None:
        """Apply item changes of campaign `year` and their history in one transaction;
        returns its number (None when nothing changed). A callable is called inside the
        transaction. Each change's `old` must still be the item's state, or nothing is
        written."""
