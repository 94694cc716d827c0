"""The complaint register in SQL (the `ComplaintStore` of `planner.storage.contract`), for
every backend: the statements are written once, in the SQL SQLite and PostgreSQL share, and a
backend says the little that differs (`Dialect`: its index hints, its null-safe equality).

Rows become `ComplaintRecord`s here: times are stored as ISO 8601 text with the +08:00
offset (so text order is time order), `flags` and `callback` as JSON. Both backends store
the same text, so a register copies from one to the other value for value.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any, NamedTuple, Protocol, TypeVar

from planner.core.clock import iso
from planner.storage.contract import (
    TALLY_KEYS,
    Callback,
    ComplaintFilter,
    ComplaintRecord,
    QueueKey,
)

Row = TypeVar("Row")


class Dialect(NamedTuple):
    """What a backend's SQL does its own way."""

    # an index to use where the planner would not pick it (SQLite plans without statistics)
    indexed_by: Callable[[str], str] = lambda index: f" INDEXED BY {index}"
    same: str = "IS"  # null-safe equality with a parameter
    like: str = "LIKE"  # LIKE that ignores the case of ASCII letters, as SQLite's does
    # whether an index, or the register's table, exists (a read-only old database lacks some)
    has: Callable[[Any, str], bool] = lambda db, name: db.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


class Connection(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> Any: ...


class Database(Protocol):
    """What the register needs of its store: the live connection, its error guard, and its
    reading of rows into records."""

    db: Connection
    dialect: Dialect

    def guarded(self) -> AbstractContextManager[None]: ...

    def decoded(self, convert: Callable[[Any], Row], rows: Iterable[Any], table: str
                ) -> list[Row]: ...

COLUMNS = ComplaintRecord._fields
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM complaints"
# Text order is time order for the ISO times stored, so times compare as text.
_TALLY = {key: key for key in TALLY_KEYS}
_TALLY["answered_late"] = "(first_response > deadline)"


# Functions the statements call, which every backend defines: casefold(text), and
# epoch(text), an ISO time (any offset) in Unix seconds.
_SECONDS = "epoch({})"


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _needs_folding(text: str) -> bool:
    """Whether `text` has letters with a case that LIKE cannot fold (it folds ASCII only)."""
    return any(not ch.isascii() and ch.lower() != ch.upper() for ch in text)


def _contains(columns: tuple[str, ...], text: str, like: str) -> tuple[str, list[str]]:
    """`text` in any of `columns`, whatever the case of its letters: LIKE where that is
    enough (ASCII letters, or Chinese, which has no case), else on casefolded text."""
    if _needs_folding(text):
        pattern = _like(text.casefold())
        columns = tuple(f"casefold({column})" for column in columns)
    else:
        pattern = _like(text)
    clause = " OR ".join(f"{column} {like} ? ESCAPE '\\'" for column in columns)
    return f"({clause})", [pattern] * len(columns)


def _sharper(filter_: ComplaintFilter) -> bool:
    return bool(filter_.order or filter_.numbers or filter_.text or filter_.anywhere)


def _where(filter_: ComplaintFilter, dialect: Dialect) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []

    def add(clause: str, *values: Any) -> None:
        clauses.append(clause)
        params.extend(values)

    for column, values in (("status", filter_.statuses), ("number", filter_.numbers)):
        if values:
            add(f"{column} IN ({', '.join('?' for _ in values)})", *values)
    moment = {name: iso(getattr(filter_, name)) if getattr(filter_, name) else None
              for name in ("deadline_before", "received_since", "received_until",
                           "answered_since", "answered_until", "callback_since",
                           "callback_until")}
    for clause, value in (
            ("deadline < ?", moment["deadline_before"]), ("level = ?", filter_.level),
            ("handler = ?", filter_.handler),
            # When the filter has a sharper index (an order, numbers) or reads every row
            # anyway (text), the campaign's index would only add a lookup per row: the
            # planner, without statistics, cannot tell, so the campaign is kept off it.
            ("+campaign = ?" if _sharper(filter_) else "campaign = ?", filter_.campaign),
            ("order_id = ?", filter_.order), ("product = ?", filter_.product),
            ("assignee = ?", filter_.assignee),
            ("received >= ?", moment["received_since"]),
            ("received < ?", moment["received_until"]),
            ("received_day = ?", filter_.received_on.isoformat() if filter_.received_on
             else None),
            ("first_response >= ?", moment["answered_since"]),
            ("first_response < ?", moment["answered_until"]),
            ("callback_at >= ?", moment["callback_since"]),
            ("callback_at < ?", moment["callback_until"])):
        if value is not None:
            add(clause, value)
    for columns, text in ((("buyer",), filter_.buyer), (("summary", "notes"), filter_.text),
                          (("number", "order_id", "buyer", "summary"), filter_.anywhere)):
        if text:
            clause, patterns = _contains(columns, text, dialect.like)
            add(clause, *patterns)
    if filter_.waiting_at is not None:
        moment = iso(filter_.waiting_at)
        add("received <= ? AND (first_response IS NULL OR first_response > ?)",
            moment, moment)
        if filter_.at_risk is not None:
            # in whole seconds and percent, exact: floating point days would put the mark a
            # hair late
            add(f"deadline >= ? AND ({_SECONDS.format('?')} - {_SECONDS.format('received')}) "
                f"* 100 >= ? * ({_SECONDS.format('deadline')} - {_SECONDS.format('received')})",
                moment, moment, round(filter_.at_risk * 100))
    if filter_.answered is not None:
        add(f"first_response IS {'NOT ' if filter_.answered else ''}NULL")
    if filter_.answered_late is not None:
        add("first_response > deadline" if filter_.answered_late
            else "first_response <= deadline")
    if filter_.called_back is not None:
        add(f"callback_at IS {'NOT ' if filter_.called_back else ''}NULL")
    if filter_.satisfied is not None:
        add("callback_satisfied = ?", int(filter_.satisfied))
    if filter_.void_only:
        add("void = 1")
    elif not filter_.include_void:
        add("void = 0")
    return clauses, params


def _callback_json(callback: Callback | None) -> str | None:
    if callback is None:
        return None
    return json.dumps({"satisfied": callback.satisfied, "at": iso(callback.at),
                       "by": callback.by, "note": callback.note}, ensure_ascii=False)


def _callback(text: str | None) -> Callback | None:
    if text is None:
        return None
    data = json.loads(text)
    return Callback(data["satisfied"], dt.datetime.fromisoformat(data["at"]), data["by"],
                    data.get("note"))


# How each typed field is stored, and read back.
_TO_ROW = {"received": iso, "deadline": iso, "first_response": iso, "approved_at": iso,
           "received_day": dt.date.isoformat, "flags": json.dumps,
           "callback": _callback_json, "void": int}
_FROM_ROW = {"received": dt.datetime.fromisoformat, "deadline": dt.datetime.fromisoformat,
             "first_response": dt.datetime.fromisoformat,
             "approved_at": dt.datetime.fromisoformat,
             "received_day": dt.date.fromisoformat, "flags": json.loads,
             "callback": _callback, "void": bool}


def _stored(name: str, value: Any) -> Any:
    convert = _TO_ROW.get(name)
    return value if convert is None or value is None else convert(value)


def _row(fields: dict[str, Any]) -> dict[str, Any]:
    """Stored columns of record fields; a call-back also sets its time and answer in columns
    of their own, for the figures."""
    row = {name: _stored(name, value) for name, value in fields.items()}
    if "callback" in fields:
        callback = fields["callback"]
        row["callback_at"] = iso(callback.at) if callback is not None else None
        row["callback_satisfied"] = int(callback.satisfied) if callback is not None else None
    return row


def _record(row: tuple[Any, ...]) -> ComplaintRecord:
    return ComplaintRecord(*(
        value if value is None or name not in _FROM_ROW else _FROM_ROW[name](value)
        for name, value in zip(COLUMNS, row, strict=True)))


class Register:
    """The complaint tables of a `Store` (``store.complaints``)."""

    def __init__(self, store: Database) -> None:
        self.store = store

    @property
    def db(self) -> Connection:
        return self.store.db  # the store swaps its connection when it creates the file

    def _has(self, name: str) -> bool:
        return self.store.dialect.has(self.db, name)

    def exists(self) -> bool:
        with self.store.guarded():
            return self._has("complaints")

    def get(self, number: str) -> ComplaintRecord | None:
        if not self.exists():
            return None
        with self.store.guarded():
            row = self.db.execute(f"{_SELECT} WHERE number = ?", (number,)).fetchone()
        return self.store.decoded(_record, [row], "complaints")[0] if row else None

    def next_seq(self, year: int) -> int:
        with self.store.guarded():
            return self.db.execute(
                "INSERT INTO complaint_counters (year, last) VALUES (?, 1) ON CONFLICT (year) "
                "DO UPDATE SET last = complaint_counters.last + 1 RETURNING last", (year,)
            ).fetchone()[0]

    def insert(self, record: ComplaintRecord) -> None:
        row = _row(record._asdict())
        with self.store.guarded():
            self.db.execute(f"INSERT INTO complaints ({', '.join(row)}) VALUES "
                            f"({', '.join('?' for _ in row)})", list(row.values()))

    def update(self, number: str, **fields: Any) -> None:
        unknown = set(fields) - set(COLUMNS)
        if unknown:
            raise ValueError(f"no such complaint fields: {sorted(unknown)}")
        row = _row(fields)
        assignments = ", ".join(f"{name} = ?" for name in row)
        with self.store.guarded():
            self.db.execute(f"UPDATE complaints SET {assignments} WHERE number = ?",
                            [*row.values(), number])

    def same_issue(self, day: dt.date, category: str, issue: str | None,
                   filter_: ComplaintFilter | None = None) -> list[ComplaintRecord]:
        clauses, params = _where(filter_ or ComplaintFilter(), self.store.dialect)
        clauses = ["received_day = ?", "category = ?", f"issue {self.store.dialect.same} ?",
                   *clauses]
        with self.store.guarded():
            rows = self.db.execute(
                f"{_SELECT} WHERE {' AND '.join(clauses)} ORDER BY received, number",
                [day.isoformat(), category, issue, *params]).fetchall()
        return self.store.decoded(_record, rows, "complaints")

    def count_same_issue(self, day: dt.date, category: str, issue: str | None) -> int:
        with self.store.guarded():
            return self.db.execute(
                "SELECT count(*) FROM complaints WHERE received_day = ? AND category = ? AND "
                f"issue {self.store.dialect.same} ? AND void = 0",
                (day.isoformat(), category, issue)).fetchone()[0]

    def page(self, filter_: ComplaintFilter, after: QueueKey | None, limit: int
             ) -> list[ComplaintRecord]:
        clauses, params = _where(filter_, self.store.dialect)
        if after is not None:
            priority, deadline, number = after
            clauses.append("(priority, deadline, number) > (?, ?, ?)")
            params += [priority, iso(deadline), number]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        # A whole campaign (no other filter): its queue-order index, page after page, where
        # the planner would otherwise sort the campaign again for every page. Any other
        # filter keeps the planner's choice (a status or an order has a sharper index).
        whole = (filter_.campaign is not None and not filter_.include_void
                 and filter_._replace(campaign=None) == ComplaintFilter())
        indexed = (self.store.dialect.indexed_by("complaints_queue_order")
                   if whole and self._has("complaints_queue_order") else "")
        # Otherwise the sharper index, never the queue order's walk through the whole
        # campaign: the + keeps the planner from ordering by that index.
        order = "priority" if indexed else "+priority"
        with self.store.guarded():
            rows = self.db.execute(
                f"{_SELECT}{indexed} {where} ORDER BY {order}, deadline, number LIMIT ?",
                [*params, limit]).fetchall()
        return self.store.decoded(_record, rows, "complaints")

    def count(self, filter_: ComplaintFilter) -> int:
        clauses, params = _where(filter_, self.store.dialect)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.store.guarded():
            return self.db.execute(f"SELECT count(*) FROM complaints {where}",
                                   params).fetchone()[0]

    def tally(self, filter_: ComplaintFilter, *keys: str) -> dict[Any, int]:
        unknown = [key for key in keys if key not in _TALLY]
        if unknown or not keys:
            raise ValueError(f"cannot tally by {unknown or keys!r}")
        clauses, params = _where(filter_, self.store.dialect)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        columns = ", ".join(_TALLY[key] for key in keys)
        with self.store.guarded():
            rows = self.db.execute(f"SELECT {columns}, count(*) FROM complaints {where} "
                                   f"GROUP BY {columns}", params).fetchall()
        result = {}
        for *values, count in rows:
            typed = tuple(value if value is None or key != "answered_late" else bool(value)
                          for key, value in zip(keys, values, strict=True))
            result[typed[0] if len(keys) == 1 else typed] = count
        return result

    def answers(self, campaign: int | None = None) -> tuple[int, int]:
        of_campaign = "" if campaign is None else " AND campaign = ?"
        params = [] if campaign is None else [campaign]
        with self.store.guarded():
            answered = self.db.execute(
                "SELECT count(*) FROM complaints WHERE first_response IS NOT NULL AND void = 0"
                f"{of_campaign}", params).fetchone()[0]
            # the partial index of late answers, which the planner would not pick by itself
            hint = self.store.dialect.indexed_by("complaints_late")
            late = self.db.execute(
                f"SELECT count(*) FROM complaints{hint} WHERE first_response > deadline AND "
                f"void = 0{of_campaign}", params).fetchone()[0]
        return answered - late, late

    def awaiting_callback(self, sample: int, campaign: int | None = None,
                          cap: int | None = None) -> tuple[int, list[str]]:
        with self.store.guarded():
            # the partial index, which the planner would not pick by itself; a database
            # from before it (read, so not migrated) is scanned instead
            indexed = self._has("complaints_callback_due")
            hint = self.store.dialect.indexed_by("complaints_callback_due") if indexed else ""
            waiting = (f"FROM complaints{hint} "
                       "WHERE callback IS NULL AND status IN ('resolved', 'closed') AND void = 0")
            params: list[Any] = []
            if campaign is not None:
                waiting += " AND campaign = ?"
                params.append(campaign)
            if cap is None:
                count = self.db.execute(f"SELECT count(*) {waiting}", params).fetchone()[0]
            else:  # no more than cap + 1 rows read, however large the register
                count = self.db.execute(f"SELECT count(*) FROM (SELECT 1 {waiting} LIMIT ?) AS due",
                                        [*params, cap + 1]).fetchone()[0]
            numbers = [row[0] for row in self.db.execute(
                f"SELECT number {waiting} ORDER BY campaign, year, seq LIMIT ?", [*params, sample])]
        return count, numbers
