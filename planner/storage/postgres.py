"""The PostgreSQL backend of the storage contract: a team's shared database, many shops in it.

Chosen by ``database: postgresql://…`` in ``shop.yaml`` or ``PLANNER315_DATABASE_URL``
(`planner.storage.backend`); imported only then, so the SQLite path never loads psycopg.
Each shop's state is a schema of its own (`planner.storage.postgres_schema`); the statements
are SQLite's (`planner.storage.sql_store`), with placeholders turned into psycopg's.

Writers of one shop queue on an advisory lock taken first in every write transaction, as
SQLite's ``BEGIN IMMEDIATE`` makes them queue on the file: a check-off reads the state it
changes and writes the next transaction number with nobody else writing in between, and
nothing can deadlock. A connection lost mid-transaction rolls back on the server; the
command says whether anything was saved (nothing, or, when it was lost during the commit
itself, perhaps all). Every failure reaches the user as one line (`PlannerError`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any, NamedTuple

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from planner.core.errors import PlannerError
from planner.core.terminal import printable
from planner.storage.postgres_schema import (
    APPLICATION,
    LAYOUT_VERSION,
    MIGRATIONS,
    REGISTRY,
    REGISTRY_DDL,
    SHOP_DDL,
    ShopInfo,
    schema_name,
)
from planner.storage.sql_register import Dialect
from planner.storage.sql_store import SqlStore
from planner.storage.sqlite_schema import SCHEMA_VERSION

CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_MS = 10_000  # waiting for another client's lock, as SQLite's busy timeout
LOCK_RETRIES = 5  # a deadlock or serialization failure while starting a write is retried
DETAIL_CHARS = 160
_REGISTRY_LOCK = "planner315:registry"


def shown_url(url: str) -> str:
    """The database as a message or `db info` names it: never the password."""
    try:
        params = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://?"
    if "service" in params and not any(key in params for key in ("host", "dbname")):
        return f"postgresql:///?service={params['service']}"
    user = f"{params['user']}@" if params.get("user") else ""
    port = f":{params['port']}" if params.get("port") else ""
    service = f"?service={params['service']}" if params.get("service") else ""
    return f"postgresql://{user}{params.get('host', '')}{port}/{params.get('dbname', '')}{service}"


@lru_cache(maxsize=512)
def _placeholders(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (our statements hold no other ? or %)."""
    return sql.replace("%", "%%").replace("?", "%s")


class Connection:
    """A psycopg connection that takes the statements as `planner.storage.sql_store` writes
    them."""

    def __init__(self, connection: psycopg.Connection) -> None:
        self.raw = connection

    def execute(self, sql: str, params: Any = ()) -> psycopg.Cursor:
        return self.raw.execute(_placeholders(sql), params or None)

    def script(self, sql: str) -> None:
        """Several statements, no parameters (a schema's DDL)."""
        self.raw.execute(sql.encode("utf-8"))

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


DIALECT = Dialect(indexed_by=lambda index: "", same="IS NOT DISTINCT FROM", like="ILIKE",
                  has=lambda db, name: True)


class Store(SqlStore):
    """One shop's state in a PostgreSQL database (`planner.storage.contract.StateStore`)."""

    dialect = DIALECT

    def __init__(self, connection: Connection, url: str, shop_id: str, schema: str,
                 readonly: bool) -> None:
        self.db = connection
        self.url = url
        self.shown = shown_url(url)
        self.shop_id = shop_id
        self.schema = schema
        self.readonly = readonly
        super().__init__()

    @contextmanager
    def guarded(self, committing: bool = False) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as err:
            raise _store_error(err, self.shown, committing) from None

    def damaged(self, table: str, err: Exception) -> PlannerError:
        return PlannerError("error.store-corrupt", file=self.shown, field=table)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing write transaction; the shop's writers queue on its lock."""
        if self.readonly:
            raise PlannerError("error.store-readonly", file=self.shown)
        _begin_locked(self.db, self.schema, self.shown)
        try:
            with self.guarded():
                yield
            with self.guarded(committing=True):
                self.db.execute("COMMIT")
        except BaseException:
            _rollback(self.db)
            raise

    def copied(self) -> None:
        self.db.execute("SELECT setval(pg_get_serial_sequence('history', 'seq'), "
                        "COALESCE(max(seq), 0) + 1, false) FROM history")
        for table in ("items", "history", "complaints"):  # statistics for the planner now,
            self.db.execute(f"ANALYZE {table}")  # not at autovacuum's next round


def _begin_locked(db: Connection, key: str, shown: str) -> None:
    """BEGIN and take the advisory lock of `key`, retrying a deadlock or serialization
    failure met on the way a few times."""
    for attempt in range(LOCK_RETRIES):
        try:
            db.execute("BEGIN")
            db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))
            return
        except (pg_errors.DeadlockDetected, pg_errors.SerializationFailure) as err:
            _rollback(db)
            if attempt == LOCK_RETRIES - 1:
                raise _store_error(err, shown) from None
            time.sleep(0.05 * 2 ** attempt)
        except psycopg.Error as err:
            _rollback(db)
            raise _store_error(err, shown) from None


def _rollback(db: Connection) -> None:
    try:
        if not db.raw.closed and db.in_transaction:
            db.execute("ROLLBACK")
    except psycopg.Error:
        pass  # the server rolls back a transaction whose connection is gone


def _one_line(err: BaseException) -> str:
    words = printable(" ".join(str(err).split()))
    return words if len(words) <= DETAIL_CHARS else words[:DETAIL_CHARS - 1] + "…"


def _store_error(err: psycopg.Error, shown: str, committing: bool = False) -> PlannerError:
    if isinstance(err, pg_errors.DeadlockDetected | pg_errors.SerializationFailure):
        return PlannerError("error.pg-conflict", file=shown)
    if isinstance(err, pg_errors.LockNotAvailable):
        return PlannerError("error.store-busy", file=shown)
    lost = isinstance(err, psycopg.OperationalError | psycopg.InterfaceError) and (
        isinstance(err, pg_errors.AdminShutdown | pg_errors.ConnectionException)
        or err.sqlstate is None or str(err.sqlstate).startswith(("08", "57P")))
    if lost:
        return PlannerError("error.pg-lost-commit" if committing else "error.pg-lost",
                            file=shown, detail=_one_line(err))
    if isinstance(err, pg_errors.InsufficientPrivilege | pg_errors.ReadOnlySqlTransaction):
        return PlannerError("error.pg-denied", file=shown, detail=_one_line(err))
    return PlannerError("error.store-failed", file=shown, detail=_one_line(err))


def connect(url: str) -> Connection:
    """A connection in autocommit mode (transactions are begun explicitly), or the one-line
    error that says why there is none: unreachable, refused credentials, no such database."""
    shown = shown_url(url)
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                              application_name="planner315")
        # a statement, not the connection's options, which the URL's own would replace
        raw.execute(f"SET lock_timeout = {int(LOCK_TIMEOUT_MS)}")
    except psycopg.ProgrammingError as err:  # not a connection string at all
        raise PlannerError("error.pg-url", file=shown,
                           detail=_one_line(_scrubbed(str(err), url))) from None
    except psycopg.Error as err:
        text = str(err)
        key = ("error.pg-auth" if "password" in text or "authentication" in text
               else "error.pg-no-database" if "does not exist" in text
               else "error.pg-unreachable")
        raise PlannerError(key, file=shown, detail=_one_line(_scrubbed(text, url))) from None
    return Connection(raw)


def _scrubbed(text: str, url: str) -> str:
    """libpq's words without the URL they may quote, nor its password."""
    from urllib.parse import parse_qs, urlsplit

    text = text.replace(url, shown_url(url))
    try:
        parts = urlsplit(url)
        secrets = [parts.password, *parse_qs(parts.query).get("password", [])]
    except ValueError:
        secrets = []
    for secret in filter(None, secrets):
        text = text.replace(secret, "***")
    return text


def registry_state(db: Connection, shown: str) -> bool:
    """Whether the database holds our registry (False: an empty database, ours to set up).
    A database with other tables and no registry, or a registry of a newer release, is
    refused."""
    if not _has_registry(db):
        # tables of ours that another process committed meanwhile are not another program's
        others = db.execute(
            "SELECT count(*) FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname NOT IN ('pg_catalog', "
            "'information_schema', ?) AND n.nspname NOT LIKE 'pg\\_%' "
            "AND n.nspname NOT LIKE 'shop\\_%'", (REGISTRY,)).fetchone()[0]
        if others:
            raise PlannerError("error.pg-not-ours", file=shown)
        return False
    meta = dict(db.execute(f"SELECT key, value FROM {REGISTRY}.meta").fetchall())
    if meta.get("application") != APPLICATION:
        raise PlannerError("error.pg-not-ours", file=shown)
    if int(meta.get("layout", 0)) > LAYOUT_VERSION:
        raise PlannerError("error.store-newer", file=shown, version=meta["layout"],
                           known=LAYOUT_VERSION)
    return True


def _has_registry(db: Connection) -> bool:
    # the catalog itself, not to_regclass: its cache may not yet have seen a registry that
    # another process committed a moment ago
    return bool(db.execute("SELECT count(*) FROM pg_namespace WHERE nspname = ?",
                           (REGISTRY,)).fetchone()[0])


def _create_registry(db: Connection, shown: str) -> None:
    _begin_locked(db, _REGISTRY_LOCK, shown)
    try:
        if not _has_registry(db):  # another process may have made it while this one waited
            db.script(REGISTRY_DDL)
        db.execute("COMMIT")
    except BaseException:
        _rollback(db)
        raise


def shop_row(db: Connection, shop_id: str) -> tuple[str, int] | None:
    """The schema and schema version of a shop in the registry."""
    row = db.execute(f"SELECT schema_name, version FROM {REGISTRY}.shops WHERE shop_id = ?",
                     (shop_id,)).fetchone()
    return (row[0], row[1]) if row else None


def _create_or_migrate_shop(db: Connection, shop_id: str, shown: str) -> str:
    """The shop's schema at today's version: made, or migrated forward, in one transaction
    under the shop's lock (a second process waits, then finds it done)."""
    schema = schema_name(shop_id)
    _begin_locked(db, schema, shown)
    try:
        row = shop_row(db, shop_id)
        if row is None:
            db.script(SHOP_DDL.format(s=schema))
            db.execute(f"INSERT INTO {REGISTRY}.shops (shop_id, schema_name, version) VALUES "
                       "(?, ?, ?)", (shop_id, schema, SCHEMA_VERSION))
        else:
            schema, version = row
            for step in range(version, SCHEMA_VERSION):
                db.script(MIGRATIONS[step].format(s=schema))
            db.execute(f"UPDATE {REGISTRY}.shops SET version = ? WHERE shop_id = ?",
                       (SCHEMA_VERSION, shop_id))
        db.execute("COMMIT")
    except BaseException:
        _rollback(db)
        raise
    return schema


def note_shop(db: Connection, shop: ShopInfo) -> None:
    """Keep the registry's copy of the shop's name, size and dates as of this command (a
    write only when they changed; a role that may not write leaves it as it was)."""
    windows = json.dumps(shop.windows, ensure_ascii=False) if shop.windows else None
    with suppress(pg_errors.InsufficientPrivilege, pg_errors.ReadOnlySqlTransaction):
        db.execute(
            f"UPDATE {REGISTRY}.shops SET name = ?, size = ?, lang = ?, year = ?, windows = ?, "
            "seen_at = ? WHERE shop_id = ? AND (name, size, lang, year, windows) IS DISTINCT "
            "FROM (?, ?, ?, ?, ?)",
            (shop.name, shop.size, shop.lang, shop.year, windows, shop.seen_at, shop.shop_id,
             shop.name, shop.size, shop.lang, shop.year, windows))


def open_store(url: str, shop: ShopInfo, *, write: bool = False) -> SqlStore:
    """Open the shop's state in the database at `url`. A shop the database does not hold
    yet reads as empty (from memory, nothing created); the first write creates its schema
    (and, in an empty database, the registry)."""
    db = connect(url)
    shown = shown_url(url)
    try:
        with _guard(shown):
            has_registry = registry_state(db, shown)
            row = shop_row(db, shop.shop_id) if has_registry else None
            if row is not None and row[1] > SCHEMA_VERSION:
                raise PlannerError("error.store-newer", file=shown, version=row[1],
                                   known=SCHEMA_VERSION)
            if row is None and not write:
                db.close()
                from planner.storage.sqlite import empty_store

                return empty_store()
            if not has_registry:
                _create_registry(db, shown)
            schema = (row[0] if row is not None and row[1] == SCHEMA_VERSION
                      else _create_or_migrate_shop(db, shop.shop_id, shown))
            db.execute(f"SET search_path TO {schema}, {REGISTRY}")
            if shop.seen_at:  # a workspace's own command, not a roll-up reading it
                note_shop(db, shop)
    except BaseException:
        db.close()
        raise
    return Store(db, url, shop.shop_id, schema, readonly=not write)


@contextmanager
def _guard(shown: str) -> Iterator[None]:
    try:
        yield
    except psycopg.Error as err:
        raise _store_error(err, shown) from None


class SharedShop(NamedTuple):
    """A shop of a shared database, as its last command left it in the registry."""

    shop_id: str
    name: str | None
    size: str | None
    lang: str | None
    year: int | None
    windows: list[dict[str, str]] | None
    seen_at: str | None


def list_shops(url: str) -> list[SharedShop]:
    """Every shop the database holds, by id (none for a database without a registry)."""
    db = connect(url)
    shown = shown_url(url)
    try:
        with _guard(shown):
            if not registry_state(db, shown):
                return []
            rows = db.execute(f"SELECT shop_id, name, size, lang, year, windows, seen_at FROM "
                              f"{REGISTRY}.shops ORDER BY shop_id").fetchall()
    finally:
        db.close()
    return [SharedShop(*row[:5], json.loads(row[5]) if row[5] else None, row[6])
            for row in rows]


def holds_shop(url: str, shop_id: str) -> bool:
    db = connect(url)
    shown = shown_url(url)
    try:
        with _guard(shown):
            return registry_state(db, shown) and shop_row(db, shop_id) is not None
    finally:
        db.close()


def drop_shop(url: str, shop_id: str) -> None:
    """Remove a shop and all its state from the database, in one transaction."""
    db = connect(url)
    shown = shown_url(url)
    try:
        with _guard(shown):
            if not registry_state(db, shown):
                return
            _begin_locked(db, schema_name(shop_id), shown)
            try:
                row = shop_row(db, shop_id)
                if row is not None:
                    db.execute(f"DROP SCHEMA {row[0]} CASCADE")
                    db.execute(f"DELETE FROM {REGISTRY}.shops WHERE shop_id = ?", (shop_id,))
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
    finally:
        db.close()
