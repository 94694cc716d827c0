"""The complaint register in SQLite (the `ComplaintStore` of `planner.storage.contract`).

Rows become `ComplaintRecord`s here: times are stored as ISO 8601 text with the +08:00
offset (so text order is time order), `flags` and `callback` as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import AbstractContextManager
from typing import Any, Protocol

from planner.core.clock import iso
from planner.storage.contract import Callback, ComplaintFilter, ComplaintRecord, QueueKey


class Database(Protocol):
    """What the register needs of its store: the live connection and its error guard."""

    db: sqlite3.Connection

    def guarded(self) -> AbstractContextManager[None]: ...

COLUMNS = ComplaintRecord._fields
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM complaints"


def _where(filter_: ComplaintFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filter_.statuses:
        clauses.append(f"status IN ({', '.join('?' for _ in filter_.statuses)})")
        params += filter_.statuses
    deadline = iso(filter_.deadline_before) if filter_.deadline_before else None
    for clause, value in (("deadline < ?", deadline), ("level = ?", filter_.level),
                          ("handler = ?", filter_.handler),
                          ("campaign = ?", filter_.campaign)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
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
_TO_ROW = {"received": iso, "deadline": iso, "received_day": dt.date.isoformat,
           "flags": json.dumps, "callback": _callback_json}
_FROM_ROW = {"received": dt.datetime.fromisoformat, "deadline": dt.datetime.fromisoformat,
             "received_day": dt.date.fromisoformat, "flags": json.loads,
             "callback": _callback}


def _stored(name: str, value: Any) -> Any:
    convert = _TO_ROW.get(name)
    return value if convert is None or value is None else convert(value)


def _record(row: tuple[Any, ...]) -> ComplaintRecord:
    return ComplaintRecord(*(
        value if value is None or name not in _FROM_ROW else _FROM_ROW[name](value)
        for name, value in zip(COLUMNS, row, strict=True)))


class Register:
    """The complaint tables of a `Store` (``store.complaints``)."""

    def __init__(self, store: Database) -> None:
        self.store = store

    @property
    def db(self) -> sqlite3.Connection:
        return self.store.db  # the store swaps its connection when it creates the file

    def exists(self) -> bool:
        with self.store.guarded():
            return self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'complaints'"
                                   ).fetchone() is not None

    def get(self, number: str) -> ComplaintRecord | None:
        if not self.exists():
            return None
        with self.store.guarded():
            row = self.db.execute(f"{_SELECT} WHERE number = ?", (number,)).fetchone()
        return _record(row) if row else None

    def next_seq(self, year: int) -> int:
        with self.store.guarded():
            return self.db.execute(
                "INSERT INTO complaint_counters (year, last) VALUES (?, 1) ON CONFLICT (year) "
                "DO UPDATE SET last = last + 1 RETURNING last", (year,)).fetchone()[0]

    def insert(self, record: ComplaintRecord) -> None:
        with self.store.guarded():
            self.db.execute(f"INSERT INTO complaints ({', '.join(COLUMNS)}) VALUES "
                            f"({', '.join('?' for _ in COLUMNS)})",
                            [_stored(name, value) for name, value in record._asdict().items()])

    def update(self, number: str, **fields: Any) -> None:
        unknown = set(fields) - set(COLUMNS)
        if unknown:
            raise ValueError(f"no such complaint fields: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.store.guarded():
            self.db.execute(f"UPDATE complaints SET {assignments} WHERE number = ?",
                            [*(_stored(name, value) for name, value in fields.items()),
                             number])

    def same_issue(self, day: dt.date, category: str, product: str,
                   filter_: ComplaintFilter | None = None) -> list[ComplaintRecord]:
        clauses, params = _where(filter_ or ComplaintFilter())
        clauses = ["received_day = ?", "category = ?", "product = ?", *clauses]
        with self.store.guarded():
            rows = self.db.execute(f"{_SELECT} WHERE {' AND '.join(clauses)}",
                                   [day.isoformat(), category, product, *params]).fetchall()
        return [_record(row) for row in rows]

    def count_same_issue(self, day: dt.date, category: str, product: str) -> int:
        with self.store.guarded():
            return self.db.execute(
                "SELECT count(*) FROM complaints WHERE received_day = ? AND category = ? AND "
                "product = ?", (day.isoformat(), category, product)).fetchone()[0]

    def page(self, filter_: ComplaintFilter, after: QueueKey | None, limit: int
             ) -> list[ComplaintRecord]:
        clauses, params = _where(filter_)
        if after is not None:
            priority, deadline, number = after
            clauses.append("(priority, deadline, number) > (?, ?, ?)")
            params += [priority, iso(deadline), number]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.store.guarded():
            rows = self.db.execute(
                f"{_SELECT} {where} ORDER BY priority, deadline, number LIMIT ?",
                [*params, limit]).fetchall()
        return [_record(row) for row in rows]

    def count(self, filter_: ComplaintFilter) -> int:
        clauses, params = _where(filter_)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.store.guarded():
            return self.db.execute(f"SELECT count(*) FROM complaints {where}",
                                   params).fetchone()[0]

    def levels(self, statuses: tuple[str, ...], late_statuses: tuple[str, ...],
               now: dt.datetime, campaign: int | None = None) -> list[tuple[str, int, int]]:
        marks = ", ".join("?" for _ in statuses)
        late = ", ".join("?" for _ in late_statuses)
        of_campaign = "" if campaign is None else " AND campaign = ?"
        with self.store.guarded():
            return self.db.execute(
                f"SELECT level, count(*), sum(status IN ({late}) AND deadline < ?) "
                f"FROM complaints WHERE status IN ({marks}){of_campaign} GROUP BY level",
                [*late_statuses, iso(now), *statuses,
                 *([] if campaign is None else [campaign])]).fetchall()

    def awaiting_callback(self, sample: int, campaign: int | None = None
                          ) -> tuple[int, list[str]]:
        with self.store.guarded():
            # the partial index, which the planner would not pick by itself; a database
            # from before it (read, so not migrated) is scanned instead
            indexed = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND "
                                      "name = 'complaints_callback_due'").fetchone()
            waiting = ("FROM complaints "
                       f"{'INDEXED BY complaints_callback_due ' if indexed else ''}"
                       "WHERE callback IS NULL AND status IN ('resolved', 'closed')")
            params: list[Any] = []
            if campaign is not None:
                waiting += " AND campaign = ?"
                params.append(campaign)
            count = self.db.execute(f"SELECT count(*) {waiting}", params).fetchone()[0]
            numbers = [row[0] for row in self.db.execute(
                f"SELECT number {waiting} ORDER BY year, seq LIMIT ?", [*params, sample])]
        return count, numbers
