"""Export jobs: from a workspace to the workbook files, whichever the kind.

The CLI opens the workspace; a job gathers once what the workbooks need (the plan with its
states, the contacts, the policy, the complaints), checks the targets, and has each kind of
`planner.export.registry` write itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError
from planner.core.files import check_writable_folder
from planner.core.i18n import t
from planner.export.registry import KINDS, ExportOptions, workbook
from planner.workspace.session import Workspace


class ExportJob:
    """What every export needs, worked out once for one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.lang = workspace.lang
        self.year = workspace.year
        self.typed_plan = workspace.plan()  # a mistake in the shop's phases stops us first
        self._check_shop_text()

    def _check_shop_text(self) -> None:
        """Text from shop.yaml that goes into cells must fit one: say so naming shop.yaml, not
        only the cell the text would have ended up in."""
        from planner.core.cells import MAX_CELL_CHARS

        shop = self.workspace.shop
        for key in ("name", "issuer"):
            text = getattr(shop, key, None)
            if text and len(text) > MAX_CELL_CHARS:
                raise PlannerError("error.xlsx-cell-too-long", file=shop.path,
                                   line=shop.line(key), field=key, length=len(text),
                                   limit=MAX_CELL_CHARS)

    @property
    def shop_name(self) -> str | None:
        return self.workspace.shop_name

    @cached_property
    def plan(self) -> dict[str, Any]:
        """The plan in words, with each item's state inside a workspace."""
        from planner.present.plan import plan_data

        return plan_data(self.typed_plan, self.lang, self.workspace.item_states(),
                         occurrences=True)

    @property
    def contacts(self) -> list[dict[str, Any]]:
        return self.workspace.contacts

    def issuer(self, option: str | None) -> str | None:
        shop = self.workspace.shop
        return option or (shop.issuer if shop else None)

    def target(self, kind: str, output: str | None, folder: Path | None = None) -> Path:
        from planner.export import export_target

        return export_target(kind, output, self.year, self.shop_name, folder)

    def gaps(self, kinds: list[str], options: ExportOptions) -> list[str]:
        """What the `kinds` of workbook would still lack (each a sentence in the job's
        language); with `options.strict`, a `PlannerError` when anything does."""
        gaps = [gap for kind in kinds for gap in workbook(kind).gaps(self, options)]
        if gaps and options.strict:
            raise PlannerError("error.export-incomplete",
                               gaps=t("punct.list-separator", self.lang).join(gaps))
        return gaps

    def write_one(self, kind: str, output: str | None, options: ExportOptions,
                  notify: Callable[[list[str]], None] | None = None) -> Path:
        """Write the `kind` workbook to `output` (default: its name, here). `notify` is told
        what the workbook lacks before it is written (with --strict it is not written)."""
        book = workbook(kind)
        target = self.target(kind, output)
        refuse_existing([target], options.force)
        book.check(self)
        gaps = self.gaps([kind], options)
        if gaps and notify is not None:
            notify(gaps)
        return book.write(self, target, target.name, options)

    def kinds_for_all(self) -> list[str]:
        """What `export all` writes: each kind whose workbook has something to hold."""
        return [kind for kind in KINDS if workbook(kind).in_all(self)]

    def write_all(self, folder: Path, options: ExportOptions,
                  notify: Callable[[list[str]], None] | None = None) -> list[Path]:
        """Write every workbook of `kinds_for_all` into `folder`: each to a temporary file
        first, renamed only when all are done, so a failure leaves none, not half a set."""
        from planner.export import staged

        if folder.exists() and not folder.is_dir():
            raise PlannerError("error.export-output-dir", file=str(folder))
        check_writable_folder(folder, str(folder))
        targets = {kind: self.target(kind, None, folder) for kind in self.kinds_for_all()}
        refuse_existing(list(targets.values()), options.force)
        gaps = self.gaps(list(targets), options)
        if gaps and notify is not None:
            notify(gaps)
        staged_options = options._replace(force=True)  # a staged file exists already, empty
        with staged(list(targets.values()), force=options.force) as temps:
            for (kind, target), temp in zip(targets.items(), temps, strict=True):
                workbook(kind).write(self, temp, target.name, staged_options)
        return list(targets.values())


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Stop before any work when a target exists and --force was not given."""
    for path in paths:
        if path.exists() and not force:
            raise PlannerError("error.file-exists", file=str(path))
