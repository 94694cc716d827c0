"""Never writing into a damaged state database.

SQLite notices damage only on the pages a statement reads: an insert into a table whose other
pages are garbage goes through, and the file is written while broken. Checking the whole file
(``PRAGMA quick_check``) before every write would catch that, but reads every page: about
180 ms on a 68 MB workspace, more than a check-off itself costs.

So a check is remembered. After a check that found the file sound, and after each of our own
commits, the file's identity (device and inode, size, modification and change times, and
SQLite's change counter) is kept in the workspace's cache. A write that finds the file with
the identity recorded knows that planner315 itself was the last to change it, with this guard
in place, and needs no new check. Any other change (bytes overwritten by another program, a
copy restored from a backup, a write by another SQLite tool) moves the identity, and the next
write checks the whole file first. Linux gives a file changed right after being looked at a
fine-grained change time, so even a change within the same clock tick shows.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

from planner.core.errors import PlannerError
from planner.core.links import refuse_link_outside
from planner.core.userfiles import CACHE_FOLDER

CHANGE_COUNTER = 24  # offset of the file change counter in the database header
DETAIL_CHARS = 120  # of SQLite's first finding, quoted in the message


def check_before_writing(connection: sqlite3.Connection, path: Path) -> None:
    """Raise `error.store-damaged` unless the file is known sound: recorded as planner315
    left it, or checked now (and then recorded). Nobody commits while this looks."""
    refuse_link_outside(path.parent, _record_file(path).relative_to(path.parent))
    connection.execute("BEGIN")
    try:
        # the first read takes the shared lock: the identity and the check see one state
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        current = identity(path)
        if current is not None and current == _recorded(path):
            return
        problem = _first_problem(connection)
        if problem is not None:
            raise PlannerError("error.store-damaged", file=str(path), detail=problem)
        if current is not None:
            _record(path, current)
    finally:
        connection.execute("COMMIT")


def record_written(path: Path) -> None:
    """After our own commit: the file as it is now is as planner315 left it."""
    current = identity(path)
    if current is not None:
        _record(path, current)


def identity(path: Path) -> list[int] | None:
    """What changes whenever the file's bytes do (None: the file cannot be looked at, so
    nothing vouches for it)."""
    try:
        with open(path, "rb") as stream:
            stat = os.fstat(stream.fileno())
            stream.seek(CHANGE_COUNTER)
            counter = stream.read(4)
    except OSError:
        return None
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns,
            int.from_bytes(counter, "big")]


def _first_problem(connection: sqlite3.Connection) -> str | None:
    """SQLite's first finding about the file's pages and records, on one line; None: sound."""
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as err:  # damage bad enough to stop the check itself
        return _one_line(str(err))
    findings = [row[0] for row in rows if row[0] != "ok"]
    return _one_line(findings[0]) if findings else None


def _one_line(text: str) -> str:
    words = " ".join(text.replace("*** in database main ***", "").split())
    return words if len(words) <= DETAIL_CHARS else words[:DETAIL_CHARS - 1] + "…"


def _record_file(path: Path) -> Path:
    return path.parent / CACHE_FOLDER / f"{path.name}.checked.json"


def _recorded(path: Path) -> list[int] | None:
    try:
        return json.loads(_record_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # never checked, or the cache is gone: check again


def _record(path: Path, current: list[int]) -> None:
    """Best effort: without a record the next write only checks again."""
    record = _record_file(path)
    temp = None
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=record.parent, prefix=".checked.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(current, stream)
        os.replace(temp, record)
    except OSError:
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)
