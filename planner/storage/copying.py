"""Moving a workspace's whole state from one backend to another (``planner315 db copy``).

Every table is copied row for row, as stored (both backends store the same text), in one
transaction on the target, and checked there before it commits: the same number of rows in
every table and the same digest of the history. A copy that does not check out leaves the
target as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, NamedTuple

from planner.core.errors import PlannerError
from planner.storage.sql_store import TABLES, SqlStore, history_digest


class Copied(NamedTuple):
    rows: dict[str, int]  # per table
    checksum: str  # of the history
    years: list[int]


def copy_state(source: SqlStore, target: SqlStore) -> Copied:
    """Copy everything `source` holds into the empty `target` (opened for writing)."""
    counts: dict[str, int] = {}
    digest = hashlib.sha256()

    def digested(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:  # the source's history digested as it streams past
            history_digest([row], digest)
            yield row

    with target.transaction():
        for table in TABLES:
            rows = source.table_rows(table)
            counts[table] = target.insert_rows(table, digested(rows) if table == "history"
                                               else rows)
        checksum = digest.hexdigest()
        target.copied()
        if target.row_counts() != counts or target.history_checksum() != checksum:
            raise PlannerError("error.db-copy-mismatch")
    return Copied(counts, checksum, target.years())
