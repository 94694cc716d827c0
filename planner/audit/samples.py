"""The sample inputs shipped with the package (templates/audit-samples/), written out by
`audit samples DIR` for a shop to try the audits on and to copy the layout from."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from planner.core.errors import PlannerError

PACKAGE = "planner.templates"
FOLDER = "audit-samples"


def sample_names() -> list[str]:
    return sorted(entry.name for entry in (files(PACKAGE) / FOLDER).iterdir()
                  if entry.name.endswith(".csv"))


def write_samples(folder: Path, force: bool = False) -> list[Path]:
    """Copy every sample into `folder` (made if missing); an existing file is refused
    without `force`, before anything is written."""
    from planner.core.files import atomic_write_text, check_writable_folder

    if folder.exists() and not folder.is_dir():
        raise PlannerError("error.export-output-dir", file=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    check_writable_folder(folder, str(folder))
    names = sample_names()
    targets = [folder / name for name in names]
    for target in targets:
        if target.exists() and not force:
            raise PlannerError("error.file-exists", file=str(target))
    for name, target in zip(names, targets, strict=True):
        text = (files(PACKAGE) / FOLDER / name).read_text(encoding="utf-8")
        atomic_write_text(target, text, force=True)
    return targets
