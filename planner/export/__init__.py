"""Excel exports, five kinds: the contact roster, the deployment notice, the checklist, the
schedule and the complaint register (`planner.export.registry` lists them; `jobs` writes them).

Each kind's module builds its workbook from data already in words (the plan of
`planner.present.plan`, the contacts of `planner.roster.contacts`, the complaints of the
register); `planner.export.xlsx` holds what they share, `planner.core.cells` the plain
helpers for cell values. This package imports nothing heavy itself, so that file names can be
worked out without openpyxl.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

from planner.core.files import NAME_BYTES, TEMP_NAME_EXTRA
from planner.core.terminal import BIDI_CONTROLS

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
# Removed, not replaced: control characters act on whatever shows the name, and a bidi
# override makes "…gnp.exe-notice.xlsx" read backwards in a file manager.
_INVISIBLE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}\u200b\ufeff]")
NAME_LIMIT = 60  # characters of the shop's name in a file name: enough to tell shops apart


def filename_safe(text: str | None, fallback: str = "shop", max_bytes: int = NAME_BYTES
                  ) -> str:
    """`text` usable in a file name on Windows, macOS and Linux (Chinese kept), at most
    `NAME_LIMIT` characters and `max_bytes` bytes of UTF-8 (file systems count bytes)."""
    cleaned = _INVISIBLE.sub("", unicodedata.normalize("NFC", text or ""))
    cleaned = _UNSAFE.sub("_", cleaned)
    # A leading '-' would read as an option in a shell; leading dots hide the file.
    cleaned = cut_bytes(cleaned.strip("._- ")[:NAME_LIMIT], max_bytes).rstrip("._- ")
    return cleaned or fallback


def cut_bytes(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` bytes of UTF-8, between two characters."""
    encoded = text.encode("utf-8")
    return text if len(encoded) <= max_bytes else \
        encoded[:max(max_bytes, 0)].decode("utf-8", "ignore")


def default_name(kind: str, year: int, shop: str | None) -> str:
    """``315-2027-<shop>-<kind>.xlsx``, short enough in bytes for any file system, with
    room for the temporary file it is first written as."""
    frame = f"315-{year}--{kind}.xlsx"
    room = NAME_BYTES - TEMP_NAME_EXTRA - len(frame.encode("utf-8"))
    return f"315-{year}-{filename_safe(shop, max_bytes=room)}-{kind}.xlsx"


def default_path(kind: str, year: int, shop: str | None, folder: Path | None = None) -> Path:
    return (folder or Path(".")) / default_name(kind, year, shop)


def export_target(kind: str, output: str | None, year: int, shop: str | None,
                  folder: Path | None = None) -> Path:
    """Where a workbook goes: `output` (an .xlsx with a name), else its default name in
    `folder`; the folder is checked to be writable before any work."""
    from planner.core.errors import PlannerError
    from planner.core.files import check_writable_folder

    if output is None:
        path = default_path(kind, year, shop, folder)
    else:
        path = Path(output)
        if path.name.lower() == ".xlsx":
            raise PlannerError("error.export-no-name", file=output)
        if path.suffix.lower() != ".xlsx":
            raise PlannerError("error.export-suffix", file=output)
    check_writable_folder(path.parent, output or str(path))
    return path


@contextlib.contextmanager
def staged(targets: Sequence[Path], *, force: bool = False) -> Iterator[list[Path]]:
    """Temporary files beside `targets`, renamed over them only when the block succeeds.

    For files that belong together (export all): a failure half way leaves none of them
    written, and the temporary files removed.
    """
    from planner.core.files import atomic_path

    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(atomic_path(target, force=force)) for target in targets]
