"""The complaint desk of one workspace, for one command: the register under the shop's
rules, the acting user and the command's clock (``Workspace.desk``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from planner.core.errors import PlannerError
from planner.core.lengths import check_name

if TYPE_CHECKING:
    from planner.complaints.desk import Correction, Desk
    from planner.complaints.register import Added, Complaint, Search
    from planner.complaints.report import Report
    from planner.complaints.triage import ComplaintRules, TriageFlags
    from planner.storage.contract import HistoryEntry, StateStore

Changed = list[tuple["Complaint", bool]]
SUPERVISOR_DEPARTMENT = "cs-manager"  # the roster's CS supervisor/manager department


class DeskWorkspace(Protocol):
    """What the desk needs of a workspace (`planner.workspace.session.Workspace`)."""

    user: str
    now: dt.datetime
    today: dt.date
    year: int
    folder: Path | None
    complaint_rules: ComplaintRules

    def store(self, *, write: bool = False) -> AbstractContextManager[StateStore]: ...

    def campaign_of(self, day: dt.date, field: str | None = None) -> int: ...

    def campaign_dates(self, year: int) -> tuple[dt.date, dt.date]: ...

    def roster_contacts(self) -> list[dict[str, Any]]: ...


class ComplaintDesk:
    """Every complaint command's call: the workspace gives the store, rules and clock."""

    def __init__(self, workspace: DeskWorkspace) -> None:
        self.ws = workspace

    @contextmanager
    def _desk(self) -> Iterator[Desk]:
        from planner.complaints.desk import Desk

        ws = self.ws
        with ws.store(write=True) as store:
            yield Desk(store, ws.user, ws.now, ws.campaign_dates)

    # --- registering and reading ------------------------------------------------------------

    def add(self, *, category: str, summary: str, received: dt.datetime | None,
            flags: TriageFlags, **details: str | None) -> Added:
        """Record a complaint (details: product, order, buyer, channel, issue, assignee)."""
        from planner.complaints.register import add_complaint

        ws = self.ws
        received = received or ws.now
        campaign = ws.campaign_of(received.date(), field="--received")
        with ws.store(write=True) as store:
            return add_complaint(store, ws.complaint_rules, category=category,
                                 summary=summary, received=received, now=ws.now, by=ws.user,
                                 flags=flags, campaign=campaign, dates=ws.campaign_dates,
                                 **details)

    def complaints(self, search: Search | None = None, when: dt.datetime | None = None,
                   *, all_years: bool = False) -> Iterator[Complaint]:
        """The register of the command's campaign (or of every campaign) in queue order,
        judged as of `when` (default now), streamed."""
        from planner.complaints.register import EVERYTHING, list_complaints

        ws = self.ws
        with ws.store() as store:
            yield from list_complaints(store, when or ws.now, search or EVERYTHING,
                                       campaign=None if all_years else ws.year,
                                       dates=ws.campaign_dates)

    def count(self, search: Search | None = None, when: dt.datetime | None = None, *,
              all_years: bool = False) -> int:
        """How many complaints of the command's campaign (or of every one) `search` finds,
        judged as of `when` (default now)."""
        ws = self.ws
        if ws.folder is None:
            return 0
        from planner.complaints.register import EVERYTHING, count_complaints

        with ws.store() as store:
            return count_complaints(store, when or ws.now, search or EVERYTHING,
                                    campaign=None if all_years else ws.year)

    def show(self, number: str, when: dt.datetime | None = None
             ) -> tuple[Complaint, list[HistoryEntry]]:
        from planner.complaints.register import show_complaint

        ws = self.ws
        with ws.store() as store:
            return show_complaint(store, number, when or ws.now, ws.campaign_dates)

    def report(self, *, day: dt.date | None = None, year: int | None = None) -> Report:
        """The daily report of `day`, or the figures of campaign `year`."""
        from planner.complaints.report import report_day, report_year

        ws = self.ws
        with ws.store() as store:
            if year is not None:
                return report_year(store, ws.complaint_rules.policy, year, ws.now)
            day = day or ws.today
            return report_day(store, ws.complaint_rules.policy, day, ws.now,
                              ws.campaign_of(day))

    # --- changing ---------------------------------------------------------------------------

    def update(self, numbers: list[str], status: str, note: str | None = None,
               reopen: bool = False) -> Changed:
        from planner.complaints.desk import update_status

        with self._desk() as desk:
            return update_status(desk, numbers, status, note=note, reopen=reopen)

    def edit(self, numbers: list[str], correction: Correction, note: str | None = None
             ) -> Changed:
        from planner.complaints.desk import edit

        ws = self.ws
        with self._desk() as desk:
            return edit(desk, ws.complaint_rules, numbers, correction, note=note,
                        campaign_of=lambda day: ws.campaign_of(day, field="--received"))

    def void(self, numbers: list[str], reason: str) -> Changed:
        from planner.complaints.desk import void

        with self._desk() as desk:
            return void(desk, numbers, reason)

    def assign(self, numbers: list[str], assignee: str | None, note: str | None = None
               ) -> Changed:
        from planner.complaints.desk import assign

        with self._desk() as desk:
            return assign(desk, numbers, assignee, note=note)

    def reply(self, number: str, at: dt.datetime | None = None, note: str | None = None
              ) -> Complaint:
        from planner.complaints.desk import record_reply

        with self._desk() as desk:
            return record_reply(desk, number, at=at, note=note)

    def callback(self, number: str, satisfied: bool, note: str | None = None) -> Complaint:
        from planner.complaints.desk import record_callback

        with self._desk() as desk:
            return record_callback(desk, number, satisfied, note=note)

    def propose(self, number: str, *, solution: str | None, department: str | None,
                note: str | None = None) -> Complaint:
        from planner.complaints.desk import propose

        with self._desk() as desk:
            return propose(desk, number, solution=solution, department=department, note=note)

    def approve(self, number: str, approver: str | None = None, note: str | None = None
                ) -> Complaint:
        """Approve the proposed solution as `approver` (default: the acting user), who must
        be in the roster's CS supervisor/manager department when there is a roster."""
        from planner.complaints.desk import approve

        approver = (approver or self.ws.user).strip()
        check_name(approver, "--by")  # before the roster's error would echo it
        self._check_supervisor(approver)
        with self._desk() as desk:
            return approve(desk, number, approver, note=note)

    def _check_supervisor(self, name: str) -> None:
        contacts: list[dict[str, Any]] = self.ws.roster_contacts()
        if not contacts:
            return  # no roster: any named person may approve
        supervisors = sorted({c["name"] for c in contacts
                              if c["department"] == SUPERVISOR_DEPARTMENT})
        if name not in supervisors:
            raise PlannerError("error.complaint-not-supervisor", field="--by", value=name,
                               allowed=", ".join(supervisors) or "-")
