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

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
NAME_LIMIT = 60


def filename_safe(text: str | None, fallback: str = "shop") -> str:
    """`text` usable in a file name on Windows, macOS and Linux (Chinese kept)."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", text or ""))
    # A leading '-' would read as an option in a shell; leading dots hide the file.
    cleaned = cleaned.strip("._- ")[:NAME_LIMIT].rstrip("._- ")
    return cleaned or fallback


def default_name(kind: str, year: int, shop: str | None) -> str:
    """``315-2027-<shop>-<kind>.xlsx``."""
    return f"315-{year}-{filename_safe(shop)}-{kind}.xlsx"


def default_path(kind: str, year: int, shop: str | None, folder: Path | None = None) -> Path:
    return (folder or Path(".")) / default_name(kind, year, shop)


@contextlib.contextmanager
def staged(targets: Sequence[Path], *, force: bool = False) -> Iterator[list[Path]]:
    """Temporary files beside `targets`, renamed over them only when the block succeeds.

    For files that belong together (export all): a failure half way leaves none of them
    written, and the temporary files removed.
    """
    from planner.core.files import atomic_path

    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(atomic_path(target, force=force)) for target in targets]
