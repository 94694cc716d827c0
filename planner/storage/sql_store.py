"""The state of the storage contract in SQL, for every backend: the current state of every
checklist item, and the append-only history of every change (the complaint register is
`planner.storage.sql_register`).

The statements are written once, in the SQL that SQLite and PostgreSQL share (a quoted
"by", an upsert with ON CONFLICT, a named subquery); a backend (`planner.storage.sqlite`,
`planner.storage.postgres`) subclasses `SqlStore` with its connection, its transactions and
its errors. Times are stored as ISO 8601 text with the +08:00 offset, states and changes as
JSON text, alike in both, so a workspace copies from one backend to the other value for value.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from planner.core.clock import iso
from planner.core.errors import PlannerError
from planner.storage.contract import (
    AUDIT_ACTION,
    ITEM_ACTIONS,
    Change,
    HistoryEntry,
    ItemKey,
    ItemState,
)
from planner.storage.sql_register import Connection, Dialect, Register

_SAVE_STATE = ('INSERT INTO items (year, id, day, status, "by", at, note) VALUES '
               '(?, ?, ?, ?, ?, ?, ?) ON CONFLICT (year, id, day) DO UPDATE SET '
               'status = excluded.status, "by" = excluded."by", at = excluded.at, '
               'note = excluded.note')
# The tables of the state, parents first, and the column that orders each one's rows: what a
# copy from one backend to another moves (`planner.storage.copying`).
TABLES = {"items": "year, id, day", "history": "seq", "complaints": "number",
          "complaint_counters": "year"}


def state_json(state: ItemState | None) -> dict[str, Any] | None:
    """An item state as the history stores it."""
    if state is None:
        return None
    return {"status": state.status, "by": state.by, "at": iso(state.at), "note": state.note}


def _state(status: str, by: str, at: str, note: str | None) -> ItemState:
    return ItemState(status, by, dt.datetime.fromisoformat(at), note)


def _state_from_json(text: str | None) -> ItemState | None:
    return None if text is None else _state(**json.loads(text))


def _day_text(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _label(change: Change) -> str:
    return f"{change.subject}@{change.day.isoformat()}" if change.day else change.subject


HISTORY_CHUNK = 2000  # history rows read at a time
Row = TypeVar("Row")


class SqlStore:
    """The contract's state (`planner.storage.contract.StateStore`) over a SQL connection.
    A backend provides `db`, `dialect`, `guarded`, `transaction` and `damaged`."""

    db: Connection
    dialect: Dialect

    def __init__(self) -> None:
        self.complaints = Register(self)

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def guarded(self) -> AbstractContextManager[None]:
        """The backend's failures as user errors (`PlannerError`)."""
        raise NotImplementedError

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def damaged(self, table: str, err: Exception) -> PlannerError:
        """The error for a stored value of `table` that does not read back."""
        raise NotImplementedError

    # --- reading -------------------------------------------------------------------------

    def item_states(self, year: int) -> dict[ItemKey, ItemState]:
        with self.guarded():
            rows = self.db.execute('SELECT id, day, status, "by", at, note FROM items '
                                   "WHERE year = ?", (year,)).fetchall()
        return dict(self.decoded(lambda row: ((row[0], _day(row[1])), _state(*row[2:])),
                                 rows, "items"))

    def item_state(self, year: int, item_id: str, day: dt.date | None = None
                   ) -> ItemState | None:
        with self.guarded():
            row = self.db.execute('SELECT status, "by", at, note FROM items WHERE year = ? AND '
                                  "id = ? AND day = ?", (year, item_id, _day_text(day))
                                  ).fetchone()
        return self.decoded(lambda row: _state(*row), [row], "items")[0] if row else None

    def history(self, *, year: int | None = None, subject: str | None = None,
                by: str | None = None, since: dt.date | None = None,
                subject_prefix: str | None = None, latest: int | None = None,
                chunk: int = HISTORY_CHUNK) -> Iterator[HistoryEntry]:
        # The year's index (year, by, seq) gives no seq order without `by`: a page would sort
        # the whole year. Read in seq order then, the year a filter (+: no index for it).
        where, params = _history_where(year, subject, by, since, subject_prefix,
                                       year_index=by is not None)
        columns = ('seq, txn, recorded_at, "by", action, subject, old, new, note, reverts, year, '
                   'day')
        if latest is not None:
            with self.guarded():
                rows = self.db.execute(
                    f"SELECT * FROM (SELECT {columns} FROM history {where} ORDER BY seq DESC "
                    "LIMIT ?) AS latest ORDER BY seq", [*params, max(latest, 0)]).fetchall()
            yield from self.decoded(_history_entry, rows, "history")
            return
        # Read page after page, each in its own short read: a reader of a long history must
        # not keep the others from recording check-offs meanwhile.
        after = 0
        paged = f"{where} AND seq > ?" if where else "WHERE seq > ?"
        while True:
            with self.guarded():
                rows = self.db.execute(f"SELECT {columns} FROM history {paged} ORDER BY seq "
                                       "LIMIT ?", [*params, after, chunk]).fetchall()
            yield from self.decoded(_history_entry, rows, "history")
            if len(rows) < chunk:
                return
            after = rows[-1][0]

    def count_history(self, *, year: int | None = None, subject: str | None = None,
                      by: str | None = None, since: dt.date | None = None,
                      subject_prefix: str | None = None) -> int:
        where, params = _history_where(year, subject, by, since, subject_prefix)
        with self.guarded():
            return self.db.execute(f"SELECT count(*) FROM history {where}", params
                                   ).fetchone()[0]

    def years(self) -> list[int]:
        with self.guarded():
            rows = self.db.execute("SELECT DISTINCT year FROM history WHERE year IS NOT NULL "
                                   "UNION SELECT DISTINCT campaign FROM complaints "
                                   "ORDER BY 1").fetchall()
        return [row[0] for row in rows]

    def last_changed_by(self, year: int, subject: str, day: dt.date | None = None
                        ) -> str | None:
        with self.guarded():
            row = self.db.execute('SELECT "by" FROM history WHERE year = ? AND subject = ? AND '
                                  "COALESCE(day, '') = ? ORDER BY seq DESC LIMIT 1",
                                  (year, subject, _day_text(day))).fetchone()
        return row[0] if row else None

    def last_open_txn(self, by: str, year: int, day: dt.date | None = None) -> int | None:
        on_day = "AND day = ? " if day is not None else ""
        params = [by, year, *([day.isoformat()] if day is not None else [])]
        with self.guarded():
            row = self.db.execute(
                'SELECT txn FROM history AS h WHERE "by" = ? AND year = ? AND action IN '
                f"({', '.join(repr(action) for action in ITEM_ACTIONS)}) {on_day}"
                "AND NOT EXISTS (SELECT 1 FROM history AS u WHERE u.reverts = h.txn) "
                "ORDER BY seq DESC LIMIT 1", params).fetchone()
        return row[0] if row else None

    def txn_changes(self, txn: int) -> list[Change]:
        with self.guarded():
            rows = self.db.execute("SELECT subject, action, old, new, day FROM history "
                                   "WHERE txn = ? ORDER BY seq", (txn,)).fetchall()
        return self.decoded(lambda r: Change(r[0], r[1], _state_from_json(r[2]),
                                             _state_from_json(r[3]), _day(r[4])),
                            rows, "history")


    def decoded(self, convert: Callable[[Any], Row], rows: Iterable[Any], table: str
                ) -> list[Row]:
        """`convert` of each row read from `table`. A stored value that does not convert
        (JSON that is not JSON, a time that is not one) is damage SQLite's own checks cannot
        see: reported as such, like the rest, rather than as a crash."""
        try:
            return [convert(row) for row in rows]
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            raise self.damaged(table, err) from None


    # --- the whole state, for `db info` and `db copy` -------------------------------------

    def row_counts(self) -> dict[str, int]:
        """How many rows each table of the state holds."""
        with self.guarded():
            return {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in TABLES}

    def table_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of `table` as stored, in its key's order, a page at a time (each page
        its own short read after the last key: memory stays flat however long the table)."""
        key = [column.strip() for column in TABLES[table].split(",")]
        after: list[Any] | None = None
        while True:
            where = (f"WHERE ({', '.join(key)}) > ({', '.join('?' for _ in key)}) "
                     if after is not None else "")
            with self.guarded():
                cursor = self.db.execute(f"SELECT * FROM {table} {where}ORDER BY "
                                         f"{', '.join(key)} LIMIT ?", [*(after or []),
                                                                       HISTORY_CHUNK])
                names = [column[0] for column in cursor.description]
                rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            yield from rows
            if len(rows) < HISTORY_CHUNK:
                return
            after = [rows[-1][column] for column in key]

    def insert_rows(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Add rows as stored (inside `transaction`); returns how many."""
        count = 0
        for row in rows:
            self.db.execute(f"INSERT INTO {table} ({', '.join(_quoted(row))}) VALUES "
                            f"({', '.join('?' for _ in row)})", list(row.values()))
            count += 1
        return count

    def copied(self) -> None:
        """After `insert_rows` (inside the transaction): what the backend keeps beside the
        rows, such as the next history number, catches up."""

    def history_checksum(self) -> str:
        """A digest of every history entry, in order: equal on two backends only if every
        entry, its number and its transaction came across unchanged."""
        return history_digest(self.table_rows("history"))

    # --- writing (inside `transaction`) -------------------------------------------

    def next_txn(self) -> int:
        return self.db.execute("SELECT COALESCE(MAX(txn), 0) + 1 FROM history").fetchone()[0]

    def append_history(self, txn: int, *, year: int, recorded_at: dt.datetime, by: str,
                       action: str, subject: str, old: Any, new: Any, note: str | None = None,
                       reverts: int | None = None, day: dt.date | None = None) -> None:
        """Append one entry (inside `transaction`); `old`/`new` are stored as JSON."""
        self.db.execute(
            'INSERT INTO history (txn, recorded_at, "by", action, subject, old, new, note, '
            "reverts, year, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (txn, iso(recorded_at), by, action, subject, _to_json(old), _to_json(new), note,
             reverts, year, day and day.isoformat()))

    def record_audit(self, year: int, subject: str, counts: dict[str, Any], *, by: str,
                     recorded_at: dt.datetime, note: str | None = None) -> int:
        with self.transaction():
            txn = self.next_txn()
            self.append_history(txn, year=year, recorded_at=recorded_at, by=by,
                                action=AUDIT_ACTION, subject=subject, old=None, new=counts,
                                note=note)
        return txn

    def apply(self, changes: Iterable[Change] | Callable[[], Iterable[Change]], *, year: int,
              by: str, recorded_at: dt.datetime, note: str | None = None,
              reverts: int | None = None) -> int | None:
        with self.transaction():
            changes = list(changes() if callable(changes) else changes)
            if not changes:
                return None
            txn = self.next_txn()
            for change in changes:
                key = (year, change.subject, _day_text(change.day))
                if self.item_state(year, change.subject, change.day) != change.old:
                    raise PlannerError(
                        "error.store-conflict", field=_label(change),
                        by=self.last_changed_by(year, change.subject, change.day) or "-")
                if change.new is None:
                    self.db.execute("DELETE FROM items WHERE year = ? AND id = ? AND day = ?",
                                    key)
                else:
                    new = change.new
                    self.db.execute(_SAVE_STATE, (*key, new.status, new.by, iso(new.at),
                                                  new.note))
                self.append_history(
                    txn, year=year, recorded_at=recorded_at, by=by, action=change.action,
                    subject=change.subject, old=state_json(change.old),
                    new=state_json(change.new), note=change.note or note, reverts=reverts,
                    day=change.day)
        return txn



_HISTORY_FIELDS = ("seq", "txn", "recorded_at", "by", "action", "subject", "old", "new",
                   "note", "reverts", "year", "day")


def history_digest(rows: Iterable[dict[str, Any]], digest: Any = None) -> str:
    """SHA-256 of history rows (as stored), in the order given (added to `digest`)."""
    import hashlib

    digest = digest or hashlib.sha256()
    for row in rows:
        digest.update(json.dumps([row[name] for name in _HISTORY_FIELDS],
                                 ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()


def _quoted(row: dict[str, Any]) -> list[str]:
    return [f'"{name}"' for name in row]


def _history_where(year: int | None, subject: str | None, by: str | None,
                   since: dt.date | None, subject_prefix: str | None, year_index: bool = True
                   ) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for clause, value in (("year = ?" if year_index else "+year = ?", year),
                          ("subject = ?", subject), ('"by" = ?', by),
                          ("recorded_at >= ?", since and since.isoformat()),
                          ("subject LIKE ? ESCAPE '\\'", _like_prefix(subject_prefix))):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _history_entry(row: tuple) -> HistoryEntry:
    return HistoryEntry(row[0], row[1], dt.datetime.fromisoformat(row[2]), row[3], row[4],
                        row[5], _json_or_none(row[6]), _json_or_none(row[7]), row[8], row[9],
                        row[10], _day(row[11]))


def _to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _json_or_none(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _like_prefix(prefix: str | None) -> str | None:
    if prefix is None:
        return None
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


