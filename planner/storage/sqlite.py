"""The SQLite backend of the storage contract (`planner.storage.contract`): one file in
the workspace with the current state of every checklist item, an append-only history of
every change, and the complaint register (`planner.storage.sqlite_register`).

Every SQLite-ism stays here (and in `sqlite_register`, `sqlite_schema`). Writes run in short
``BEGIN IMMEDIATE`` transactions with a busy timeout, so several people working on one shop at
the same moment all succeed; SQLite's rollback journal makes every change all-or-nothing, even
when the process is killed mid-write.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from planner.core.clock import iso
from planner.core.errors import PlannerError
from planner.core.links import refuse_link_outside
from planner.storage.contract import (
    AUDIT_ACTION,
    ITEM_ACTIONS,
    Change,
    HistoryEntry,
    ItemKey,
    ItemState,
)
from planner.storage.sqlite_guard import check_before_writing, record_damage, record_written
from planner.storage.sqlite_register import Register, add_functions
from planner.storage.sqlite_schema import (
    PLACE_BY_DEFAULT,
    Placement,
    check_ours,
    migrate,
    needs_migration,
)

BUSY_TIMEOUT_MS = 10_000
# SQLite's own files beside the database: a link there would lead its writes elsewhere too
COMPANIONS = ("", "-journal", "-wal", "-shm")


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


class Store:
    """An open SQLite state database (see `planner.storage.contract.StateStore`). Use
    `open_store`; close it (or use it as a context manager)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, readonly: bool,
                 pending: bool = False, placement: Placement = PLACE_BY_DEFAULT
                 ) -> None:
        self.db = connection
        self.path = path
        self.readonly = readonly
        self.pending = pending  # no file yet: made by the first write
        self.placement = placement
        self.complaints = Register(self)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # --- reading -------------------------------------------------------------------------

    def item_states(self, year: int) -> dict[ItemKey, ItemState]:
        with self.guarded():
            rows = self.db.execute("SELECT id, day, status, by, at, note FROM items "
                                   "WHERE year = ?", (year,)).fetchall()
        return dict(self.decoded(lambda row: ((row[0], _day(row[1])), _state(*row[2:])),
                                 rows, "items"))

    def item_state(self, year: int, item_id: str, day: dt.date | None = None
                   ) -> ItemState | None:
        with self.guarded():
            row = self.db.execute("SELECT status, by, at, note FROM items WHERE year = ? AND "
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
        columns = ("seq, txn, recorded_at, by, action, subject, old, new, note, reverts, year, "
                   "day")
        if latest is not None:
            with self.guarded():
                rows = self.db.execute(
                    f"SELECT * FROM (SELECT {columns} FROM history {where} ORDER BY seq DESC "
                    "LIMIT ?) ORDER BY seq", [*params, max(latest, 0)]).fetchall()
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
            row = self.db.execute("SELECT by FROM history WHERE year = ? AND subject = ? AND "
                                  "COALESCE(day, '') = ? ORDER BY seq DESC LIMIT 1",
                                  (year, subject, _day_text(day))).fetchone()
        return row[0] if row else None

    def last_open_txn(self, by: str, year: int, day: dt.date | None = None) -> int | None:
        on_day = "AND day = ? " if day is not None else ""
        params = [by, year, *([day.isoformat()] if day is not None else [])]
        with self.guarded():
            row = self.db.execute(
                "SELECT txn FROM history AS h WHERE by = ? AND year = ? AND action IN "
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
            record_damage(self.path, f"{table}: {err}")
            raise PlannerError("error.store-corrupt", file=str(self.path), field=table
                               ) from None

    # --- writing -------------------------------------------------------------------------

    @contextmanager
    def guarded(self) -> Iterator[None]:
        """Turn SQLite failures (read-only file, damage, lock time-out) into user errors."""
        try:
            yield
        except sqlite3.Error as err:
            raise _store_error(err, self.path) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing write transaction, taken at once so writers queue, not fail."""
        if self.readonly:
            raise PlannerError("error.store-readonly", file=str(self.path))
        if self.pending:
            self.db.close()
            self.db = _connect(self.path, write=True, placement=self.placement)
            self.pending = False
        with self.guarded():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
        record_written(self.path)

    def next_txn(self) -> int:
        return self.db.execute("SELECT COALESCE(MAX(txn), 0) + 1 FROM history").fetchone()[0]

    def append_history(self, txn: int, *, year: int, recorded_at: dt.datetime, by: str,
                       action: str, subject: str, old: Any, new: Any, note: str | None = None,
                       reverts: int | None = None, day: dt.date | None = None) -> None:
        """Append one entry (inside `transaction`); `old`/`new` are stored as JSON."""
        self.db.execute(
            "INSERT INTO history (txn, recorded_at, by, action, subject, old, new, note, "
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
                    self.db.execute("INSERT OR REPLACE INTO items (year, id, day, status, by, "
                                    "at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    (*key, new.status, new.by, iso(new.at), new.note))
                self.append_history(
                    txn, year=year, recorded_at=recorded_at, by=by, action=change.action,
                    subject=change.subject, old=state_json(change.old),
                    new=state_json(change.new), note=change.note or note, reverts=reverts,
                    day=change.day)
        return txn


def _history_where(year: int | None, subject: str | None, by: str | None,
                   since: dt.date | None, subject_prefix: str | None, year_index: bool = True
                   ) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for clause, value in (("year = ?" if year_index else "+year = ?", year),
                          ("subject = ?", subject), ("by = ?", by),
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


def _migrated_copy(connection: sqlite3.Connection, path: Path,
                   placement: Placement) -> sqlite3.Connection:
    """The database of an earlier release, copied into memory and migrated there: read-only
    commands see today's schema without changing the file."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    add_functions(copy)
    connection.backup(copy)
    connection.close()
    migrate(copy, path, placement)
    return copy


def _store_error(err: sqlite3.Error, path: Path) -> PlannerError:
    text = str(err).lower()
    if "readonly" in text or "read-only" in text or (
            "unable to open" in text and not os.access(path.parent, os.W_OK)):
        return PlannerError("error.store-readonly", file=str(path))
    if "locked" in text or "busy" in text:
        return PlannerError("error.store-busy", file=str(path))
    # a record whose text is not UTF-8 is damage SQLite's structure checks cannot see
    if any(sign in text for sign in ("not a database", "malformed", "corrupt",
                                      "could not decode")):
        record_damage(path, str(err))  # no write goes in while the file stays so
        return PlannerError("error.store-corrupt", file=str(path))
    return PlannerError("error.store-failed", file=str(path), detail=str(err))


def open_store(path: Path, *, write: bool = False,
               placement: Placement = PLACE_BY_DEFAULT) -> Store:
    """Open the state database file `path`, migrating it when about to write.

    A workspace without a database reads as empty, from memory: the file is created only
    by the first write that really happens, so reads and failed commands never leave one
    behind (and reads work in read-only folders). An empty file counts as no database. A
    database from an earlier release is read through a migrated copy in memory until the
    first write migrates the file itself. `placement` says where the rows of an earlier
    release go (their campaign year, their category's current id).

    The database's folder is its workspace: a symbolic link for the file (or its journal)
    that leads outside it is refused before anything is opened. A file found damaged is
    never written to (`planner.storage.sqlite_guard`).
    """
    path = Path(path)
    for suffix in COMPANIONS:
        refuse_link_outside(path.parent, path.name + suffix)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        connection = sqlite3.connect(":memory:", isolation_level=None)
        add_functions(connection)
        migrate(connection, path, placement)
        return Store(connection, path, readonly=not write, pending=write,
                     placement=placement)
    connection = _connect(path, write=write, placement=placement)
    return Store(connection, path, readonly=not write, placement=placement)


def _connect(path: Path, *, write: bool,
             placement: Placement = PLACE_BY_DEFAULT) -> sqlite3.Connection:
    try:
        if write:
            connection = sqlite3.connect(path, isolation_level=None,
                                         timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                         isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        add_functions(connection)
        check_ours(connection, path)
        if write:
            connection.execute("PRAGMA synchronous = FULL")
            check_before_writing(connection, path)
            if needs_migration(connection):
                migrate(connection, path, placement)
                record_written(path)
        elif needs_migration(connection):
            connection = _migrated_copy(connection, path, placement)
    except sqlite3.Error as err:
        raise _store_error(err, path) from None
    return connection
