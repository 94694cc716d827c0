"""Finding the workspace: a folder holding ``shop.yaml``, found as git finds ``.git``."""

from __future__ import annotations

import os
from pathlib import Path

from planner.core.errors import PlannerError
from planner.workspace.shop import SHOP_FILE

ENV_VAR = "PLANNER315_WORKSPACE"


def find_workspace(option: str | None = None, cwd: str | Path | None = None,
                   environ: dict[str, str] | None = None) -> Path | None:
    """--workspace, else $PLANNER315_WORKSPACE, else the nearest folder upwards with shop.yaml.

    An explicit folder (option or variable) must hold a shop.yaml; the upward search simply
    finds nothing.
    """
    env = os.environ if environ is None else environ
    explicit = option or env.get(ENV_VAR) or None
    if explicit:
        folder = Path(explicit)
        _check_not_folder(folder / SHOP_FILE)
        if not (folder / SHOP_FILE).is_file():
            raise PlannerError("error.workspace-missing", file=str(folder))
        return folder
    here = Path(cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        _check_not_folder(folder / SHOP_FILE)
        if (folder / SHOP_FILE).is_file():
            return folder
    return None


def _check_not_folder(path: Path) -> None:
    """A folder where a workspace file belongs is a mistake to report, not to step over."""
    if path.is_dir():
        raise PlannerError("error.file-is-dir", file=str(path))
