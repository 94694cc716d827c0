"""The workbook kinds: each declares what it needs and writes itself.

`export <kind>` and `export all` come from here. A kind lives in its own module of this
package and names a `Workbook` there as ``WORKBOOK``; modules are imported only when their
kind is written, so choosing targets costs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, NamedTuple, Protocol

# In the order `export all` writes them.
KINDS = ("roster", "notice", "checklist", "schedule", "complaints")


Progress = Callable[[int, str], AbstractContextManager[Callable[[int], None] | None]]


@contextmanager
def no_progress(total: int, label: str) -> Iterator[None]:
    yield None


class ExportOptions(NamedTuple):
    """What the person exporting chose, and how to show the progress of a long workbook
    (`progress(total, label)` gives an update function, or None)."""

    force: bool = False
    issuer: str | None = None
    mask_phones: bool = False
    progress: Progress = no_progress
    issued: dt.date | None = None  # the notice's date (default: today)
    strict: bool = False  # refuse to write a workbook that has gaps
    paper: str = "a4"  # the schedule's paper (landscape): a4 or a3


class Job(Protocol):
    """What a workbook may ask of the export job (`planner.export.jobs.Job`)."""

    lang: str
    year: int
    workspace: Any  # planner.workspace.session.Workspace

    @property
    def shop_name(self) -> str | None: ...

    @property
    def plan(self) -> dict[str, Any]:
        """The plan in words, with each item's state inside a workspace."""

    @property
    def contacts(self) -> list[dict[str, Any]]: ...

    def issuer(self, option: str | None) -> str | None: ...


@dataclass(frozen=True)
class Workbook:
    """One kind of workbook.

    `check` raises a `PlannerError` when the job lacks what this kind needs (contacts, a
    workspace); `in_all` says whether `export all` includes it; `write` writes it to `dest`
    for the file that will be called `label`; `gaps` says, in the job's language, what the
    workbook would still lack and tell its reader to fill in (the notice's notes to its
    sender).
    """

    kind: str
    write: Callable[[Job, Path, str, ExportOptions], Path]
    check: Callable[[Job], None] = lambda job: None
    in_all: Callable[[Job], bool] = lambda job: True
    gaps: Callable[[Job, ExportOptions], list[str]] = lambda job, options: []


def workbook(kind: str) -> Workbook:
    if kind not in KINDS:
        raise ValueError(f"no workbook kind {kind!r}")
    return import_module(f"planner.export.{kind}").WORKBOOK
