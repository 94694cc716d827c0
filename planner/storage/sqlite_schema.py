"""The SQLite schema of the state database: forward migrations and the marks that say a file
is ours."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from planner.core.errors import PlannerError

APPLICATION_ID = 0x33313550  # "315P": marks the file as ours

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
    # 4: campaign years and daily occurrences. Every check-off and history entry belongs to a
    # campaign year, and a daily duty has one state per day (day '' for a one-off item);
    # every complaint to the campaign of its receipt. Existing rows get the campaign that was
    # the default when they were made: campaign_year(moment) is given by the program.
    """
    CREATE TABLE items_by_year (
        year INTEGER NOT NULL,
        id TEXT NOT NULL,
        day TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('done', 'skipped')),
        by TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT,
        PRIMARY KEY (year, id, day)
    );
    INSERT INTO items_by_year (year, id, day, status, by, at, note)
        SELECT campaign_year(COALESCE((SELECT max(h.recorded_at) FROM history AS h
                                       WHERE h.subject = items.id), items.at)),
               id, '', status, by, at, note FROM items;
    DROP TABLE items;
    ALTER TABLE items_by_year RENAME TO items;
    DROP TRIGGER history_no_update;
    ALTER TABLE history ADD COLUMN year INTEGER;
    ALTER TABLE history ADD COLUMN day TEXT;
    UPDATE history SET year = campaign_year(recorded_at);
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    CREATE INDEX history_year ON history (year, by, seq);
    ALTER TABLE complaints ADD COLUMN campaign INTEGER NOT NULL DEFAULT 0;
    UPDATE complaints SET campaign = campaign_year(received);
    CREATE INDEX complaints_campaign ON complaints (campaign, status, priority, deadline);
    """,
    # 5: the complaint desk. Who took and who owns a complaint, its batch issue, its first
    # response, void complaints, the department concerned, the proposed solution and its
    # approval, the service calendar behind the deadline, and its notes (for searching).
    # The first response of an existing complaint is its first move to an answered status;
    # categories renamed for a shop take their new ids (category_id is given by the program).
    """
    ALTER TABLE complaints ADD COLUMN assignee TEXT;
    ALTER TABLE complaints ADD COLUMN issue TEXT;
    ALTER TABLE complaints ADD COLUMN first_response TEXT;
    ALTER TABLE complaints ADD COLUMN void INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE complaints ADD COLUMN void_reason TEXT;
    ALTER TABLE complaints ADD COLUMN department TEXT;
    ALTER TABLE complaints ADD COLUMN solution TEXT;
    ALTER TABLE complaints ADD COLUMN approved_by TEXT;
    ALTER TABLE complaints ADD COLUMN approved_at TEXT;
    ALTER TABLE complaints ADD COLUMN calendar_name TEXT NOT NULL DEFAULT 'office';
    ALTER TABLE complaints ADD COLUMN notes TEXT NOT NULL DEFAULT '';
    ALTER TABLE complaints ADD COLUMN callback_at TEXT;
    ALTER TABLE complaints ADD COLUMN callback_satisfied INTEGER;
    UPDATE complaints SET category = category_id(category);
    UPDATE complaints SET issue = product;
    UPDATE complaints SET callback_at = json_extract(callback, '$.at'),
        callback_satisfied = json_extract(callback, '$.satisfied') WHERE callback IS NOT NULL;
    UPDATE complaints SET first_response = (
        SELECT min(h.recorded_at) FROM history AS h
        WHERE h.subject = 'complaint:' || complaints.number
          AND h.action = 'complaint-update'
          AND json_extract(h.new, '$.status') IN ('replied', 'resolved', 'closed'));
    UPDATE complaints SET notes = COALESCE((
        SELECT group_concat(h.note, char(10)) FROM history AS h
        WHERE h.subject = 'complaint:' || complaints.number AND h.note IS NOT NULL
          AND h.action <> 'complaint-escalate'), '');
    DROP INDEX complaints_issue;
    CREATE INDEX complaints_issue ON complaints (received_day, category, issue);
    CREATE INDEX complaints_order ON complaints (order_id);
    CREATE INDEX complaints_assignee ON complaints (assignee, campaign);
    -- the figures of a day, of a campaign, and the status's, each from an index alone
    CREATE INDEX complaints_day ON complaints (received_day, void, level, category, assignee,
        first_response, deadline, received);
    CREATE INDEX complaints_answered ON complaints (first_response, void, deadline, assignee)
        WHERE first_response IS NOT NULL;
    CREATE INDEX complaints_late ON complaints (campaign) WHERE first_response > deadline
        AND void = 0;
    CREATE INDEX complaints_called_back ON complaints (callback_at)
        WHERE callback_at IS NOT NULL;
    CREATE INDEX complaints_figures ON complaints (campaign, void, first_response, deadline,
        received, assignee, level, category, status, callback_at, callback_satisfied);
    DROP INDEX complaints_campaign;
    CREATE INDEX complaints_campaign ON complaints (campaign, void, status, priority, deadline,
        level, first_response, received);
    DROP INDEX complaints_callback_due;
    CREATE INDEX complaints_callback_due ON complaints (campaign, year, seq)
        WHERE callback IS NULL AND status IN ('resolved', 'closed') AND void = 0;
    """,
    # 6: a campaign's register in queue order from the index alone, so that a page of
    # `complaint list` reads its rows, not the whole campaign sorted again for each page.
    # Keyed on `campaign + 0`, so that only the query written for it (`page` of a whole
    # campaign) uses it: filtered lists keep their sharper indexes.
    """
    CREATE INDEX complaints_queue_order ON complaints (campaign + 0, priority, deadline, number)
        WHERE void = 0;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


CampaignYear = Callable[[str], int]  # an ISO moment -> its campaign year


def default_campaign_year(moment: str) -> int:
    """The campaign year of a moment when the shop's own phases are not known: the year's
    campaign until the end of a large shop's aftermath (Apr 10), the next year's after."""
    day = dt.date.fromisoformat(moment[:10])
    return day.year if (day.month, day.day) <= (4, 10) else day.year + 1


def same_category(category: str) -> str:
    return category


class Placement(NamedTuple):
    """Where the migrations put rows made by an earlier release: `campaign_year` of an ISO
    moment, and `category_id`, the current id of a complaint category that was renamed."""

    campaign_year: CampaignYear = default_campaign_year
    category_id: Callable[[str], str] = same_category


PLACE_BY_DEFAULT = Placement()


def check_ours(connection: sqlite3.Connection, path: Path) -> None:
    # One read transaction: another process creating the file may commit in between, and
    # its id, version and tables must be seen together, all before or all after.
    connection.execute("BEGIN")
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        connection.execute("COMMIT")
    if app_id == 0 and version == 0 and tables == 0:
        return  # an empty file: ours to initialise
    if app_id != APPLICATION_ID:
        raise PlannerError("error.store-not-ours", file=str(path))
    if version > SCHEMA_VERSION:
        raise PlannerError("error.store-newer", file=str(path), version=version,
                           known=SCHEMA_VERSION)


def needs_migration(connection: sqlite3.Connection) -> bool:
    return connection.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION


def migrate(connection: sqlite3.Connection, path: Path,
            placement: Placement = PLACE_BY_DEFAULT) -> None:
    """Take the database to the current schema in one transaction; a failure leaves it as it
    was. `placement` places rows made before campaign years in theirs and renamed
    categories under their new ids."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    connection.create_function("campaign_year", 1, placement.campaign_year,
                               deterministic=True)
    connection.create_function("category_id", 1, placement.category_id, deterministic=True)
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
