"""The workspace's state: one SQLite file with the current state of every checklist item and
an append-only history of every change.

All reads and writes of saved state go through this module, so another backend could replace
it. Writes run in short ``BEGIN IMMEDIATE`` transactions with a busy timeout, so several
people working on one shop at the same moment all succeed; SQLite's rollback journal makes
every change all-or-nothing, even when the process is killed mid-write.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from planner.core.errors import PlannerError

DB_FILE = "planner315.db"
APPLICATION_ID = 0x33313550  # "315P": marks the file as ours
BUSY_TIMEOUT_MS = 10_000

# Forward migrations: MIGRATIONS[n] takes a database from schema version n to n + 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT
    );
    CREATE TABLE history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        txn INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        by TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        old TEXT,
        new TEXT,
        note TEXT,
        reverts INTEGER
    );
    CREATE INDEX history_by ON history (by, seq);
    CREATE INDEX history_subject ON history (subject, seq);
    CREATE INDEX history_txn ON history (txn);
    CREATE INDEX history_reverts ON history (reverts);
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    CREATE TRIGGER history_no_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    """,
    # 2: the complaint register. Form numbers come from a per-year counter, so a number is
    # never handed out twice.
    """
    CREATE TABLE complaints (
        number TEXT PRIMARY KEY,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        category TEXT NOT NULL,
        product TEXT,
        order_id TEXT,
        buyer TEXT,
        channel TEXT,
        summary TEXT NOT NULL,
        received TEXT NOT NULL,
        received_day TEXT NOT NULL,
        level TEXT NOT NULL,
        priority INTEGER NOT NULL,
        handler TEXT NOT NULL,
        rule TEXT NOT NULL,
        deadline TEXT NOT NULL,
        calendar TEXT NOT NULL,
        flags TEXT NOT NULL,
        status TEXT NOT NULL,
        callback TEXT,
        created_by TEXT NOT NULL,
        UNIQUE (year, seq)
    );
    CREATE TABLE complaint_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
    CREATE INDEX complaints_issue ON complaints (received_day, category, product);
    CREATE INDEX complaints_queue ON complaints (status, priority, deadline);
    """,
    # 3: finished complaints still waiting for their call-back, found without a table scan.
    """
    CREATE INDEX complaints_callback_due ON complaints (year, seq)
        WHERE callback IS NULL AND status IN ('resolved', 'closed');
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
ITEM_ACTIONS = ("check", "uncheck", "skip")  # the changes `undo` can revert


class ItemState(NamedTuple):
    status: str  # "done" or "skipped"; items without a row are open
    by: str
    at: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "by": self.by, "at": self.at, "note": self.note}


class Change(NamedTuple):
    """One item moving from `old` to `new` (None = open)."""

    subject: str
    action: str
    old: ItemState | None
    new: ItemState | None


def _state_from_json(text: str | None) -> ItemState | None:
    return None if text is None else ItemState(**json.loads(text))


class Store:
    """An open state database. Use `open_store`; close it (or use it as a context manager)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, readonly: bool,
                 pending: bool = False) -> None:
        self.db = connection
        self.path = path
        self.readonly = readonly
        self.pending = pending  # no file yet: made by the first write

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def complaints(self) -> ComplaintRegister:
        return ComplaintRegister(self)

    def close(self) -> None:
        self.db.close()

    # --- reading -------------------------------------------------------------------------

    def item_states(self) -> dict[str, ItemState]:
        with self.guarded():
            rows = self.db.execute("SELECT id, status, by, at, note FROM items").fetchall()
        return {row[0]: ItemState(*row[1:]) for row in rows}

    def item_state(self, item_id: str) -> ItemState | None:
        row = self.db.execute("SELECT status, by, at, note FROM items WHERE id = ?",
                              (item_id,)).fetchone()
        return ItemState(*row) if row else None

    def history(self, *, subject: str | None = None, by: str | None = None,
                since: str | None = None, subject_prefix: str | None = None
                ) -> Iterator[dict[str, Any]]:
        """History entries, oldest first, optionally filtered (since: ISO date or datetime)."""
        clauses, params = [], []
        for clause, value in (("subject = ?", subject), ("by = ?", by),
                              ("recorded_at >= ?", since),
                              ("subject LIKE ? ESCAPE '\\'", _like_prefix(subject_prefix))):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        query = ("SELECT seq, txn, recorded_at, by, action, subject, old, new, note, reverts "
                 f"FROM history {where} ORDER BY seq")
        with self.guarded():
            for row in self.db.execute(query, params):
                yield {"seq": row[0], "txn": row[1], "at": row[2], "by": row[3],
                       "action": row[4], "subject": row[5], "old": _json_or_none(row[6]),
                       "new": _json_or_none(row[7]), "note": row[8], "reverts": row[9]}

    def last_changed_by(self, subject: str) -> str | None:
        """Who changed `subject` last, from the history."""
        row = self.db.execute("SELECT by FROM history WHERE subject = ? ORDER BY seq DESC "
                              "LIMIT 1", (subject,)).fetchone()
        return row[0] if row else None

    def last_open_txn(self, by: str) -> int | None:
        """The latest check-off change by `by` that is not an undo and has not been undone."""
        row = self.db.execute(
            "SELECT txn FROM history AS h WHERE by = ? AND action IN "
            f"({', '.join(repr(action) for action in ITEM_ACTIONS)}) "
            "AND NOT EXISTS (SELECT 1 FROM history AS u WHERE u.reverts = h.txn) "
            "ORDER BY seq DESC LIMIT 1", (by,)).fetchone()
        return row[0] if row else None

    def txn_changes(self, txn: int) -> list[Change]:
        rows = self.db.execute(
            "SELECT subject, action, old, new FROM history WHERE txn = ? ORDER BY seq", (txn,))
        return [Change(r[0], r[1], _state_from_json(r[2]), _state_from_json(r[3]))
                for r in rows]

    # --- writing -------------------------------------------------------------------------

    @contextmanager
    def guarded(self) -> Iterator[None]:
        """Turn SQLite failures (read-only file, damage, lock time-out) into user errors."""
        try:
            yield
        except sqlite3.Error as err:
            raise _store_error(err, self.path) from None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write transaction, taken at once so writers queue, not fail."""
        if self.readonly:
            raise PlannerError("error.store-readonly", file=str(self.path))
        if self.pending:
            self.db.close()
            self.db = _connect(self.path, write=True)
            self.pending = False
        with self.guarded():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    def next_txn(self) -> int:
        """A new transaction number for history entries (call inside `write`)."""
        return self.db.execute("SELECT COALESCE(MAX(txn), 0) + 1 FROM history").fetchone()[0]

    def append_history(self, txn: int, *, recorded_at: str, by: str, action: str,
                       subject: str, old: Any, new: Any, note: str | None = None,
                       reverts: int | None = None) -> None:
        """Append one entry (call inside `write`); `old`/`new` are stored as JSON."""
        self.db.execute(
            "INSERT INTO history (txn, recorded_at, by, action, subject, old, new, note, "
            "reverts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (txn, recorded_at, by, action, subject, _to_json(old), _to_json(new), note,
             reverts))

    def apply(self, changes: Iterable[Change] | Callable[[], Iterable[Change]], *, by: str,
              recorded_at: str, note: str | None = None, reverts: int | None = None
              ) -> int | None:
        """Apply item changes and append them to history in one transaction; returns its txn
        (None when there was nothing to change).

        `changes` may be a function: it is called inside the transaction, so changes worked
        out from the current states cannot be overtaken by another writer. Each change's
        `old` must still be the item's state, or nothing is written.
        """
        with self.write() as db:
            changes = list(changes() if callable(changes) else changes)
            if not changes:
                return None
            txn = self.next_txn()
            for change in changes:
                current = self.item_state(change.subject)
                if current != change.old:
                    raise PlannerError("error.store-conflict", field=change.subject,
                                       by=self.last_changed_by(change.subject) or "-")
                if change.new is None:
                    db.execute("DELETE FROM items WHERE id = ?", (change.subject,))
                else:
                    new = change.new
                    db.execute("INSERT OR REPLACE INTO items (id, status, by, at, note) "
                               "VALUES (?, ?, ?, ?, ?)",
                               (change.subject, new.status, new.by, new.at, new.note))
                self.append_history(
                    txn, recorded_at=recorded_at, by=by, action=change.action,
                    subject=change.subject, old=change.old and change.old.as_dict(),
                    new=change.new and change.new.as_dict(), note=note, reverts=reverts)
        return txn


def _to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _json_or_none(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _like_prefix(prefix: str | None) -> str | None:
    if prefix is None:
        return None
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _store_error(err: sqlite3.Error, path: Path) -> PlannerError:
    text = str(err).lower()
    if "readonly" in text or "read-only" in text or (
            "unable to open" in text and not os.access(path.parent, os.W_OK)):
        return PlannerError("error.store-readonly", file=str(path))
    if "locked" in text or "busy" in text:
        return PlannerError("error.store-busy", file=str(path))
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return PlannerError("error.store-corrupt", file=str(path))
    return PlannerError("error.store-failed", file=str(path), detail=str(err))


def open_store(workspace: Path, *, write: bool = False) -> Store:
    """Open the workspace's database, migrating it when about to write.

    A workspace without a database reads as empty, from memory: the file is created only
    by the first write that really happens, so reads and failed commands never leave one
    behind (and reads work in read-only folders). An empty file counts as no database.
    """
    path = Path(workspace) / DB_FILE
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        connection = sqlite3.connect(":memory:", isolation_level=None)
        _migrate(connection, path)
        return Store(connection, path, readonly=not write, pending=write)
    return Store(_connect(path, write=write), path, readonly=not write)


def _connect(path: Path, *, write: bool) -> sqlite3.Connection:
    try:
        if write:
            connection = sqlite3.connect(path, isolation_level=None,
                                         timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                         isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _check_ours(connection, path)
        if write:
            connection.execute("PRAGMA synchronous = FULL")
            _migrate(connection, path)
    except sqlite3.Error as err:
        raise _store_error(err, path) from None
    return connection


def _check_ours(connection: sqlite3.Connection, path: Path) -> None:
    app_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id == 0 and version == 0 and tables == 0:
        return  # an empty file: ours to initialise
    if app_id != APPLICATION_ID:
        raise PlannerError("error.store-not-ours", file=str(path))
    if version > SCHEMA_VERSION:
        raise PlannerError("error.store-newer", file=str(path), version=version,
                           known=SCHEMA_VERSION)


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Re-read inside the lock: another process may have migrated meanwhile.
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[step]):
                connection.execute(statement)
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split a migration into statements (triggers hold semicolons inside BEGIN...END)."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and (not joined.upper().startswith("CREATE TRIGGER")
                                     or joined.upper().endswith("END;")):
            statements.append(joined)
            current = []
    return statements


# --- the complaint register ---------------------------------------------------------------
# Stored rows are plain dicts keyed by COMPLAINT_COLUMNS; `flags` and `callback` are JSON.

COMPLAINT_COLUMNS = (
    "number", "year", "seq", "category", "product", "order_id", "buyer", "channel", "summary",
    "received", "received_day", "level", "priority", "handler", "rule", "deadline", "calendar",
    "flags", "status", "callback", "created_by")
_SELECT_COMPLAINT = f"SELECT {', '.join(COMPLAINT_COLUMNS)} FROM complaints"


class ComplaintFilter(NamedTuple):
    """Which complaints to read: statuses (any of), deadline before, level, handler."""

    statuses: tuple[str, ...] = ()
    deadline_before: str | None = None
    level: str | None = None
    handler: str | None = None

    def sql(self) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.statuses:
            clauses.append(f"status IN ({', '.join('?' for _ in self.statuses)})")
            params += self.statuses
        for clause, value in (("deadline < ?", self.deadline_before), ("level = ?", self.level),
                              ("handler = ?", self.handler)):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        return clauses, params


def _complaint(row: tuple[Any, ...] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    record = dict(zip(COMPLAINT_COLUMNS, row, strict=True))
    record["flags"] = json.loads(record["flags"])
    record["callback"] = _json_or_none(record["callback"])
    return record


class ComplaintRegister:
    """The complaint tables of a `Store` (use `Store.complaints`)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def db(self) -> sqlite3.Connection:
        return self.store.db  # the store swaps its connection when it creates the file

    def exists(self) -> bool:
        """False for a database from before the register, opened read-only (not migrated)."""
        with self.store.guarded():
            return self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'complaints'"
                                   ).fetchone() is not None

    def get(self, number: str) -> dict[str, Any] | None:
        if not self.exists():
            return None
        with self.store.guarded():
            return _complaint(self.db.execute(f"{_SELECT_COMPLAINT} WHERE number = ?",
                                              (number,)).fetchone())

    def next_seq(self, year: int) -> int:
        """The next form number of `year` (inside `write`); numbers are never handed out twice."""
        return self.db.execute(
            "INSERT INTO complaint_counters (year, last) VALUES (?, 1) ON CONFLICT (year) "
            "DO UPDATE SET last = last + 1 RETURNING last", (year,)).fetchone()[0]

    def insert(self, record: dict[str, Any]) -> None:
        """Store a new complaint (inside `write`)."""
        values = dict(record, flags=json.dumps(record["flags"]),
                      callback=_to_json(record["callback"]))
        self.db.execute(f"INSERT INTO complaints ({', '.join(COMPLAINT_COLUMNS)}) VALUES "
                        f"({', '.join('?' for _ in COMPLAINT_COLUMNS)})",
                        [values[column] for column in COMPLAINT_COLUMNS])

    def update(self, number: str, **fields: Any) -> None:
        """Change some fields of one complaint (inside `write`)."""
        if "callback" in fields:
            fields["callback"] = _to_json(fields["callback"])
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self.db.execute(f"UPDATE complaints SET {assignments} WHERE number = ?",
                        [*fields.values(), number])

    def same_issue(self, day: str, category: str, product: str,
                   filter_: ComplaintFilter | None = None) -> list[dict[str, Any]]:
        """The complaints received on `day` about one issue (category and product)."""
        clauses, params = (filter_ or ComplaintFilter()).sql()
        clauses = ["received_day = ?", "category = ?", "product = ?", *clauses]
        with self.store.guarded():
            rows = self.db.execute(f"{_SELECT_COMPLAINT} WHERE {' AND '.join(clauses)}",
                                   [day, category, product, *params]).fetchall()
        return [_complaint(row) for row in rows]

    def count_same_issue(self, day: str, category: str, product: str) -> int:
        return self.db.execute(
            "SELECT count(*) FROM complaints WHERE received_day = ? AND category = ? AND "
            "product = ?", (day, category, product)).fetchone()[0]

    def page(self, filter_: ComplaintFilter, after: tuple[Any, ...] | None, limit: int
             ) -> list[dict[str, Any]]:
        """Up to `limit` complaints in queue order (priority, deadline, number) after `after`,
        read in one short statement."""
        clauses, params = filter_.sql()
        if after is not None:
            clauses.append("(priority, deadline, number) > (?, ?, ?)")
            params += after
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.store.guarded():
            rows = self.db.execute(
                f"{_SELECT_COMPLAINT} {where} ORDER BY priority, deadline, number LIMIT ?",
                [*params, limit]).fetchall()
        return [_complaint(row) for row in rows]

    def count(self, filter_: ComplaintFilter) -> int:
        clauses, params = filter_.sql()
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.store.guarded():
            return self.db.execute(f"SELECT count(*) FROM complaints {where}",
                                   params).fetchone()[0]

    def levels(self, statuses: tuple[str, ...], late_statuses: tuple[str, ...], now: str
               ) -> list[tuple[str, int, int]]:
        """Per level: how many complaints are in `statuses`, and how many of those are in
        `late_statuses` with their deadline before `now`."""
        marks = ", ".join("?" for _ in statuses)
        late = ", ".join("?" for _ in late_statuses)
        with self.store.guarded():
            return self.db.execute(
                f"SELECT level, count(*), sum(status IN ({late}) AND deadline < ?) "
                f"FROM complaints WHERE status IN ({marks}) GROUP BY level",
                [*late_statuses, now, *statuses]).fetchall()

    def awaiting_callback(self, sample: int) -> tuple[int, list[str]]:
        """How many resolved or closed complaints have no call-back, and the first numbers."""
        with self.store.guarded():
            # the partial index, which the planner would not pick by itself; a database
            # from before it (read, so not migrated) is scanned instead
            indexed = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND "
                                      "name = 'complaints_callback_due'").fetchone()
            waiting = ("FROM complaints "
                       f"{'INDEXED BY complaints_callback_due ' if indexed else ''}"
                       "WHERE callback IS NULL AND status IN ('resolved', 'closed')")
            count = self.db.execute(f"SELECT count(*) {waiting}").fetchone()[0]
            numbers = [row[0] for row in self.db.execute(
                f"SELECT number {waiting} ORDER BY year, seq LIMIT ?", (sample,))]
        return count, numbers
