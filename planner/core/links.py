"""Keeping the files a workspace writes inside it: a symbolic link where one of them belongs
(the state database, its journal, the cache folder) must not lead a write elsewhere.

A link that stays inside the workspace is fine (a team may keep the database in a subfolder);
one that leads outside it, or nowhere outside it (a dangling link makes the write create its
target wherever it points), or round in a loop, is refused before anything is opened.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.core.errors import PlannerError


def refuse_link_outside(workspace: Path, name: str | Path) -> None:
    """Raise if the workspace's file `name` (relative to it), or a folder on the way to it,
    is a symbolic link whose target, every link resolved, is not inside the workspace."""
    home = os.path.realpath(workspace)
    step = Path(workspace)
    for part in Path(name).parts:
        step = step / part
        if not os.path.islink(step):
            continue
        target = os.path.realpath(step)
        if os.path.islink(target):  # resolving a loop stops on one of its links
            raise PlannerError("error.link-loop", file=str(step), target=os.readlink(step))
        if not _within(target, home):
            raise PlannerError("error.link-outside-workspace", file=str(step),
                               target=os.readlink(step), workspace=str(workspace))


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
