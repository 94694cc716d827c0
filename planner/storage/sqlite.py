"""The SQLite backend of the storage contract (`planner.storage.contract`): one file in
the workspace with the current state of every checklist item, an append-only history of
every change, and the complaint register; its statements are `planner.storage.sql_store`'s
and `planner.storage.sql_register`'s.

What is SQLite's own stays here (and in `sqlite_schema`, `sqlite_guard`): the file, its
forward migrations, its functions, its errors. Writes run in short ``BEGIN IMMEDIATE``
transactions with a busy timeout, so several people working on one shop at the same moment
all succeed; SQLite's rollback journal makes every change all-or-nothing, even when the
process is killed mid-write.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from planner.core.errors import PlannerError
from planner.core.links import refuse_link_outside
from planner.storage.sql_register import Dialect
from planner.storage.sql_store import SqlStore
from planner.storage.sqlite_guard import check_before_writing, record_damage, record_written
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


class Store(SqlStore):
    """An open SQLite state database (see `planner.storage.contract.StateStore`). Use
    `open_store`; close it (or use it as a context manager)."""

    dialect = Dialect()

    def __init__(self, connection: sqlite3.Connection, path: Path, readonly: bool,
                 pending: bool = False, placement: Placement = PLACE_BY_DEFAULT
                 ) -> None:
        self.db = connection
        self.path = path
        self.readonly = readonly
        self.pending = pending  # no file yet: made by the first write
        self.placement = placement
        super().__init__()

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

    def damaged(self, table: str, err: Exception) -> PlannerError:
        record_damage(self.path, f"{table}: {err}")
        return PlannerError("error.store-corrupt", file=str(self.path), field=table)


def add_functions(connection: sqlite3.Connection) -> None:
    """The functions the statements call (`planner.storage.sql_register`), on a new
    connection."""
    connection.create_function("casefold", 1, _casefold, deterministic=True)
    connection.create_function("epoch", 1, _epoch, deterministic=True)


def _casefold(text: str | None) -> str | None:
    return text.casefold() if text is not None else None


def _epoch(moment: str | None) -> int | None:
    return int(dt.datetime.fromisoformat(moment).timestamp()) if moment else None


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


def empty_store() -> Store:
    """A read-only store with no state, in memory (a shop a shared database does not hold
    yet)."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    add_functions(connection)
    migrate(connection, Path(":memory:"))
    return Store(connection, Path(":memory:"), readonly=True)


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
