"""Export jobs: from a shop's setup to the workbook files, whichever the kind, and back.

The CLI settles the options into a setup; this module gathers the plan, contacts, policy and
complaints each workbook needs, checks the target, and calls the builders. `import_checklist`
applies an edited checklist workbook to the workspace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.core.files import check_writable_folder

if TYPE_CHECKING:
    from planner.campaign.checkoff import Outcome


class ExportJob:
    """What every export needs, worked out once: the shop's setup, its plan, its contacts.

    `setup` has the attributes shop, workspace, lang, size, year and today
    (`planner.cli.options.Setup`).
    """

    def __init__(self, setup: Any) -> None:
        from planner.campaign.plan import build_plan

        self.setup = setup
        self.lang = self.setup.lang
        self.plan = build_plan(size=self.setup.size, year=self.setup.year, lang=self.lang,
                               shop=self.setup.shop)
        self._contacts = None
        self._check_shop_text()

    def _check_shop_text(self) -> None:
        """Text from shop.yaml that goes into cells must fit one: say so naming shop.yaml, not
        only the cell the text would have ended up in."""
        from planner.core.errors import PlannerError
        from planner.export.cells import MAX_CELL_CHARS

        shop = self.setup.shop
        for key in ("name", "issuer"):
            text = getattr(shop, key, None)
            if text and len(text) > MAX_CELL_CHARS:
                raise PlannerError("error.xlsx-cell-too-long", file=shop.path,
                                   line=shop.line(key), field=key, length=len(text),
                                   limit=MAX_CELL_CHARS)

    @property
    def shop_name(self) -> str | None:
        return self.setup.shop.name if self.setup.shop else None

    @property
    def folder(self) -> Path | None:
        """Where the shop's own files are (roster.yaml, policy.yaml): beside the shop file,
        also with --shop FILE outside a workspace; else the workspace."""
        shop = self.setup.shop
        return Path(shop.path).parent if shop is not None else self.setup.workspace

    @property
    def contacts(self) -> list[dict[str, Any]]:
        if self._contacts is None:
            from planner.roster.contacts import load_roster

            self._contacts = load_roster(self.folder, self.setup.shop, year=self.setup.year)
        return self._contacts

    def policy(self) -> Any:
        from planner.complaints.policy import load_policy

        return load_policy(self.folder)

    def target(self, kind: str, output: str | None, folder: Path | None = None) -> Path:
        from planner.core.errors import PlannerError
        from planner.export import default_path

        if output is None:
            path = default_path(kind, self.setup.year, self.shop_name, folder)
        else:
            path = Path(output)
            if path.name.lower() == ".xlsx":
                raise PlannerError("error.export-no-name", file=output)
            if path.suffix.lower() != ".xlsx":
                raise PlannerError("error.export-suffix", file=output)
        check_writable_folder(path.parent, output or str(path))
        return path

    def with_status(self) -> dict[str, Any]:
        """The plan with each item's check-off state, when there is a workspace."""
        if self.setup.workspace is not None:
            from planner.campaign.progress import annotate
            from planner.storage.sqlite import open_store

            with open_store(self.setup.workspace) as store:
                annotate(self.plan, store.item_states())
        return self.plan

    def has_complaints(self) -> bool:
        if self.setup.workspace is None:
            return False
        from planner.complaints.register import count_complaints
        from planner.core.clock import now
        from planner.storage.sqlite import open_store

        with open_store(self.setup.workspace) as store:
            return count_complaints(store, now()) > 0

    def kinds_for_all(self) -> list[str]:
        """What `export all` writes: every kind, less the roster without contacts and the
        complaint register without complaints."""
        from planner.export import KINDS

        kinds = [kind for kind in KINDS if kind != "roster" or self.contacts]
        return [*kinds, "complaints"] if self.has_complaints() else kinds

    def write_all(self, folder: Path, *, force: bool, issuer: str | None = None,
                  mask_phones: bool = False) -> list[Path]:
        """Write every workbook of `kinds_for_all` into `folder`: each to a temporary file
        first, renamed only when all are done, so a failure leaves none, not half a set."""
        from planner.core.errors import PlannerError
        from planner.export import staged

        if folder.exists() and not folder.is_dir():
            raise PlannerError("error.export-output-dir", file=str(folder))
        check_writable_folder(folder, str(folder))
        targets = {kind: self.target(kind, None, folder) for kind in self.kinds_for_all()}
        refuse_existing(list(targets.values()), force)
        with staged(list(targets.values()), force=force) as temps:
            for (kind, target), temp in zip(targets.items(), temps, strict=True):
                write(kind, self, target, force=force, issuer=issuer,
                      mask_phones=mask_phones, dest=temp)
        return list(targets.values())

    def issuer(self, option: str | None) -> str | None:
        shop = self.setup.shop
        return option or (shop.issuer if shop else None)


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Stop before any work when a target exists and --force was not given."""
    from planner.core.errors import PlannerError

    for path in paths:
        if path.exists() and not force:
            raise PlannerError("error.file-exists", file=str(path))


def write(kind: str, job: ExportJob, target: Path, *, force: bool, issuer: str | None = None,
           mask_phones: bool = False, dest: Path | None = None) -> Path:
    """Write the `kind` workbook meant for `target` to `dest` (default: `target` itself)."""
    from planner.core.errors import PlannerError

    label = target.name
    if dest is not None:
        target, force = dest, True  # a staged file: it exists already, empty
    if kind == "roster":
        from planner.core.i18n import t
        from planner.export.roster import write_roster_workbook
        from planner.export.xlsx import progress_bar

        if not job.contacts:
            raise PlannerError("error.roster-no-contacts")
        with progress_bar(len(job.contacts), t("export.progress", job.lang,
                                               name=label)) as progress:
            return write_roster_workbook(target, job.contacts, job.lang, shop=job.shop_name,
                                         year=job.setup.year, mask_phones=mask_phones,
                                         force=force, progress=progress)
    if kind == "complaints":
        return write_register(job, target, force=force, label=label)
    if kind == "checklist":
        from planner.export.checklist import write_checklist_workbook

        return write_checklist_workbook(target, job.with_status(), job.lang, force=force)
    if kind == "schedule":
        from planner.export.schedule import write_schedule_workbook

        return write_schedule_workbook(target, job.with_status(), job.lang, force=force)
    return write_notice(job, target, force=force, issuer=issuer, mask_phones=mask_phones)


def write_register(job: ExportJob, target: Path, *, force: bool, label: str) -> Path:
    from planner.complaints.register import count_complaints, list_complaints
    from planner.core.clock import now
    from planner.core.errors import PlannerError
    from planner.core.i18n import t
    from planner.export.complaints import write_register_workbook
    from planner.export.xlsx import progress_bar
    from planner.storage.sqlite import open_store

    if job.setup.workspace is None:
        raise PlannerError("error.no-workspace")
    moment = now()
    with open_store(job.setup.workspace) as store:
        total = count_complaints(store, moment)
        with progress_bar(total, t("export.progress", job.lang, name=label)) as progress:
            return write_register_workbook(
                target, list_complaints(store, moment), job.lang,
                policy=job.policy(), shop=job.shop_name,
                year=job.setup.year, total=total, force=force, progress=progress)


def write_notice(job: ExportJob, target: Path, *, force: bool, issuer: str | None,
                  mask_phones: bool) -> Path:
    from planner.complaints.playbook import load_playbook
    from planner.complaints.policy import escalation_path, level_table
    from planner.export.notice import (
        levels_from_policy,
        reminders_from_playbook,
        write_notice_workbook,
    )

    policy = job.policy()
    return write_notice_workbook(
        target, job.plan, job.contacts, job.lang, issuer=job.issuer(issuer),
        issued=job.setup.today, levels=levels_from_policy(level_table(policy, job.lang), job.lang),
        procedure=escalation_path(policy, job.lang),
        reminders=reminders_from_playbook(load_playbook(job.lang), job.lang),
        mask_phones=mask_phones, force=force)


# --- reading an edited checklist back -------------------------------------------------------


@dataclass(frozen=True)
class ImportedChecklist:
    """What importing a checklist workbook did."""

    outcomes: list[Outcome]  # one per item changed
    # Items edited in the sheet that were also changed in the database since the export:
    # item id -> (who changed it, its status in the sheet when exported).
    overridden: dict[str, tuple[str, str]]


def import_checklist(setup: Any, path: str, *, by: str, recorded_at: dt.datetime
                     ) -> ImportedChecklist:
    """Apply the edited checklist workbook `path` to the workspace of `setup`, all or nothing.

    Only rows edited since the export are applied (see `planner.campaign.checkoff.apply_imported`).
    """
    from planner.campaign.checkoff import apply_imported
    from planner.campaign.plan import build_plan, plan_item_ids
    from planner.export.checklist import read_checklist
    from planner.storage.sqlite import open_store

    plan = build_plan(size=setup.size, year=setup.year, lang=setup.lang, shop=setup.shop)
    rows = read_checklist(path, setup.lang, valid_ids=plan_item_ids(plan))
    with open_store(setup.workspace, write=True) as store:
        outcomes, overridden = apply_imported(store, rows, by=by, recorded_at=recorded_at,
                                              source=path)
    exported = {row["id"]: row["exported"] for row in rows}
    return ImportedChecklist(outcomes, {item: (who, exported[item])
                                        for item, who in overridden.items()})
