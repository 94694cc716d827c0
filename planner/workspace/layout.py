"""The workspace's folder: every file name it uses, and finding it as git finds ``.git``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import PlannerError

ENV_VAR = "PLANNER315_WORKSPACE"
SHOP_FILE = "shop.yaml"
DB_FILE = "planner315.db"
ROSTER_FILE = "roster.yaml"
POLICY_FILE = "policy.yaml"
HOLIDAYS_FILE = "holidays.yaml"


@dataclass(frozen=True)
class Layout:
    """Where a shop's files are: the shop file, and beside it its own roster, policy and
    holidays; the state database in the workspace folder (None: no workspace, no state)."""

    shop_file: Path | None
    workspace: Path | None

    @classmethod
    def of(cls, workspace: Path | None, shop_file: str | Path | None = None) -> Layout:
        if shop_file is None and workspace is not None:
            shop_file = workspace / SHOP_FILE
        return cls(Path(shop_file) if shop_file is not None else None, workspace)

    @property
    def own_files(self) -> Path | None:
        """The folder of the shop's own files: beside the shop file (also with --shop FILE
        outside a workspace), else none."""
        return self.shop_file.parent if self.shop_file is not None else None

    def _own(self, name: str) -> Path | None:
        return self.own_files / name if self.own_files is not None else None

    @property
    def roster(self) -> Path | None:
        return self._own(ROSTER_FILE)

    @property
    def policy(self) -> Path | None:
        return self._own(POLICY_FILE)

    @property
    def holidays(self) -> Path | None:
        return self._own(HOLIDAYS_FILE)

    @property
    def database(self) -> Path | None:
        return self.workspace / DB_FILE if self.workspace is not None else None


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
