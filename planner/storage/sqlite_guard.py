"""Never writing into a damaged state database.

SQLite notices damage only on the pages a statement reads: an insert into a table whose other
pages are garbage goes through, and the file is written while broken. Checking the whole file
(``PRAGMA quick_check``) before every write would catch that, but reads every page: about
180 ms on a 68 MB workspace, more than a check-off itself costs.

So a check is remembered. After a check that found the file sound, and after each of our own
commits, the file's identity (device and inode, size, modification and change times) is kept
in the workspace's cache. A write that finds the file with the identity recorded knows that
planner315 itself was the last to change it, with this guard in place, and needs no new
check. Any other change (bytes overwritten by another program, a copy restored from a backup,
a write by another SQLite tool) moves the identity, and the next write checks the whole file
first. Linux gives a file changed right after being looked at a fine-grained change time, so
even a change within the same clock tick shows.

Damage found any other way (a read that meets a broken page, a stored value that does not
read back, a write that fails half-way and is rolled back) is remembered the same way: while
the file keeps that identity, every write is refused at once, whatever a check would say.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

from planner.core.errors import PlannerError
from planner.core.links import refuse_link_outside
from planner.core.terminal import printable
from planner.core.userfiles import CACHE_FOLDER

DETAIL_CHARS = 120  # of SQLite's first finding, quoted in the message
RECORD_CHARS = 4096  # a record is far shorter: a longer file is not one (and is not read)


def check_before_writing(connection: sqlite3.Connection, path: Path) -> None:
    """Raise `error.store-damaged` unless the file is known sound: recorded as planner315
    left it, or checked now (and then recorded). Nobody commits while this looks."""
    refuse_link_outside(path.parent, _record_file(path).relative_to(path.parent))
    connection.execute("BEGIN")
    try:
        # the first read takes the shared lock: the identity and the check see one state
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        current = identity(path)
        record = _recorded(path) if current is not None else {}
        if current is not None and record.get("sound") == current:
            return
        known = record.get("detail") if record.get("damaged") == current else None
        problem = _one_line(str(known)) if known else _first_problem(connection)
        _record(path, current, damage=problem)
        if problem is not None:
            raise PlannerError("error.store-damaged", file=str(path), detail=problem)
    finally:
        connection.execute("COMMIT")


def record_written(path: Path) -> None:
    """After our own commit: the file as it is now is as planner315 left it."""
    _record(path, identity(path))


def forget(path: Path) -> None:
    """Drop what is recorded of a file that is gone (a temporary database renamed away)."""
    with contextlib.suppress(OSError):
        _record_file(path).unlink(missing_ok=True)


def record_damage(path: Path, detail: str) -> None:
    """Damage met by a command: no write goes into the file while it stays as it is."""
    _record(path, identity(path), damage=_one_line(detail))


def identity(path: Path) -> list[int] | None:
    """What changes whenever the file's bytes do (None: the file cannot be looked at, so
    nothing vouches for it). Only stat, never open: closing any descriptor of the file
    would drop the locks SQLite holds on it in this process (POSIX locks are per process),
    and let another writer in while we read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def _first_problem(connection: sqlite3.Connection) -> str | None:
    """SQLite's first finding about the file's pages and records; None: sound. (The check
    stops at its first finding: a damaged file is refused sooner.)"""
    try:
        rows = connection.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as err:  # damage bad enough to stop the check itself
        return _one_line(str(err))
    findings = [line for row in rows for line in str(row[0]).splitlines()
                if line.strip() and line != "ok" and not line.startswith("*** in database")]
    return _one_line(findings[0]) if findings else None


def _one_line(text: str) -> str:
    """SQLite's words, short and harmless: they may quote the damaged bytes themselves."""
    words = printable(" ".join(text.split()))
    return words if len(words) <= DETAIL_CHARS else words[:DETAIL_CHARS - 1] + "…"


def _record_file(path: Path) -> Path:
    return path.parent / CACHE_FOLDER / f"{path.name}.checked.json"


def _recorded(path: Path) -> dict[str, object]:
    """{"sound": identity} or {"damaged": identity, "detail": text}; {}: check again."""
    try:
        with open(_record_file(path), encoding="utf-8") as stream:
            record = json.loads(stream.read(RECORD_CHARS))
    except (OSError, ValueError):
        return {}  # never checked, the cache is gone, or something else is there
    return record if isinstance(record, dict) else {}


def _record(path: Path, current: list[int] | None, damage: str | None = None) -> None:
    """Note the file as sound, or as damaged (`damage` says how), while it is as `current`.
    Best effort: without a record the next write only checks again; a file that cannot be
    looked at (no identity) gets none."""
    if current is None:
        return
    record = {"sound": current} if damage is None else {"damaged": current, "detail": damage}
    entry = _record_file(path)
    try:
        refuse_link_outside(path.parent, entry.relative_to(path.parent))
    except PlannerError:
        return  # a cache leading outside the workspace is not written to
    # one temporary name per process, made as open() makes files (readable by the team that
    # shares the workspace, which mkstemp's would not be)
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "w", encoding="utf-8") as stream:
            json.dump(record, stream, ensure_ascii=False)
        os.replace(temp, entry)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
