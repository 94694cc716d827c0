"""The workbook kinds: each declares what it needs and writes itself.

`export <kind>` and `export all` come from here. A kind lives in its own module of this
package and names a `Workbook` there as ``WORKBOOK``; modules are imported only when their
kind is written, so choosing targets costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from planner.export.jobs import ExportJob

# In the order `export all` writes them.
KINDS = ("roster", "notice", "checklist", "schedule", "complaints")


class ExportOptions(NamedTuple):
    """What the person exporting chose."""

    force: bool = False
    issuer: str | None = None
    mask_phones: bool = False


@dataclass(frozen=True)
class Workbook:
    """One kind of workbook.

    `check` raises a `PlannerError` when the job lacks what this kind needs (contacts, a
    workspace); `in_all` says whether `export all` includes it; `write` writes it to `dest`
    for the file that will be called `label`.
    """

    kind: str
    write: Callable[[ExportJob, Path, str, ExportOptions], Path]
    check: Callable[[ExportJob], None] = lambda job: None
    in_all: Callable[[ExportJob], bool] = lambda job: True


def workbook(kind: str) -> Workbook:
    if kind not in KINDS:
        raise ValueError(f"no workbook kind {kind!r}")
    return import_module(f"planner.export.{kind}").WORKBOOK
