"""Writing files so that an interruption never leaves half a file behind."""

from __future__ import annotations

import contextlib
import math
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from planner.core.errors import PlannerError

NAME_BYTES = 255  # the longest file name ext4, APFS, NTFS and most others take, in bytes
# atomic_path writes ".{name}.XXXXXXXX.tmp" beside the target: the bytes that adds to a name
TEMP_PREFIX, TEMP_SUFFIX, TEMP_RANDOM = ".", ".tmp", 8
TEMP_NAME_EXTRA = len(TEMP_PREFIX) + 1 + TEMP_RANDOM + len(TEMP_SUFFIX)
# A temporary file is locked (flock) by the write that made it for as long as it runs; one
# nobody holds was left by a write that died (killed, power cut), which releases its lock.
# Where there are no such locks (Windows), one untouched this long is taken for left behind:
# a live one grows as it is written, and even the largest export takes well under a minute.
STALE_SECONDS = 5 * 60

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def atomic_path(target: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it over `target`.

    Without `force` an existing target is an error. On any failure the temporary file is
    removed and the target is left as it was.
    """
    target = Path(target)
    if target.exists() and not force:
        raise PlannerError("error.file-exists", file=str(target))
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        handle, temp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.",
                                             suffix=TEMP_SUFFIX, dir=folder)
        if fcntl is not None:  # held until the write ends, however it ends
            fcntl.flock(handle, fcntl.LOCK_EX)
    except OSError as err:
        raise PlannerError("error.file-unwritable", file=str(target),
                           detail=err.strerror) from None
    temp = Path(temp_name)
    try:
        yield temp
        _match_permissions(temp, target)
        os.replace(temp, target)
    except OSError as err:
        raise PlannerError("error.file-unwritable", file=str(target),
                           detail=err.strerror) from None
    finally:
        if temp.exists():
            temp.unlink()
        os.close(handle)


def remove_stale_temporaries(target: Path, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove what writes to `target` that died left behind: our own files of exactly
    atomic_path's pattern beside it that no live write holds (without file locks: untouched
    for `older_than` seconds), and nothing else. Returns the files removed."""
    pattern = re.compile(re.escape(f"{TEMP_PREFIX}{target.name}.") + f"[a-z0-9_]{{{TEMP_RANDOM}}}"
                         + re.escape(TEMP_SUFFIX))
    cutoff = time.time() - older_than
    owners = {os.getuid()} if hasattr(os, "getuid") else {0}  # Windows reports uid 0
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid in owners \
                    and not _in_use(entry.path, info.st_mtime, cutoff):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:  # gone already, or not ours to remove: leave it
            continue
    return removed


def _in_use(path: str, modified: float, cutoff: float) -> bool:
    """Whether a live write holds the temporary file `path` (its lock is taken)."""
    if fcntl is None:
        return modified >= cutoff
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(handle)  # releases the lock just taken


def _match_permissions(temp: Path, target: Path) -> None:
    """Give the new file the old one's mode, or what a plain open() would have given it:
    mkstemp makes files readable by their owner only."""
    if target.exists():
        mode = target.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp, mode)


def atomic_write_text(target: Path, text: str, *, force: bool = False) -> Path:
    with atomic_path(target, force=force) as temp, \
            open(temp, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    return Path(target)


def check_writable_folder(folder: Path, output: str) -> None:
    """Name the usual reasons why nothing can be written into `folder` (or the folders that
    would be made for it) before any work, rather than pass on the system's words."""
    for parent in (folder, *folder.parents):
        if not parent.exists():
            continue
        if not parent.is_dir():
            raise PlannerError("error.export-parent-not-dir", file=output, parent=str(parent))
        if not os.access(parent, os.W_OK | os.X_OK):
            raise PlannerError("error.export-read-only", file=output, folder=str(parent))
        return


def read_text_file(path: str | Path, max_bytes: int) -> str:
    """A user's text file, decoded as UTF-8 (with or without BOM); errors name the file. A
    file over `max_bytes` is refused before it is read whole (it may be endless: /dev/zero)."""
    path = Path(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise PlannerError("error.file-missing", file=str(path)) from None
    except IsADirectoryError:
        raise PlannerError("error.file-is-dir", file=str(path)) from None
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=str(path), detail=err.strerror) from None
    if len(data) > max_bytes:
        raise PlannerError("error.file-too-large", file=str(path), limit=megabytes(max_bytes))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise PlannerError("error.file-encoding", file=str(path), line=line) from None


def megabytes(size: int) -> str:
    """A file size for a message, in megabytes: ``2``, ``16.3``; rounded up, so that a file a
    little over a limit of 16 MB is 16.1 MB, not 16."""
    return f"{math.ceil(size * 10 / 2**20) / 10:.1f}".removesuffix(".0")
