"""One shop's workspace for one command: its files, its settings, its state, one clock.

The command line builds one `Workspace` from its options and calls it; everything a command
needs is worked out here once and loaded only when used: the shop file (parsed once, typed),
the campaign year and size, the plan, the policy, the working calendar, the roster, the
storage. Nothing here knows about Click or about words: errors are `PlannerError`s, results
are typed records.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from planner.core.clock import now as clock_now
from planner.core.errors import PlannerError, UsageProblem
from planner.core.i18n import resolve_lang
from planner.workspace.layout import Layout, find_workspace
from planner.workspace.shop import Shop, load_shop

if TYPE_CHECKING:
    from planner.campaign.checkoff import Imported, Outcome
    from planner.campaign.phases import Window
    from planner.campaign.plan import Plan
    from planner.campaign.progress import NextItems, StatusReport
    from planner.campaign.review import ItemReview
    from planner.complaints.policy import Policy
    from planner.complaints.register import RegisterSummary
    from planner.complaints.report import Report
    from planner.complaints.triage import ComplaintRules, TriageFlags, TriageResult
    from planner.storage.contract import Change, HistoryEntry, ItemKey, ItemState, StateStore
    from planner.storage.postgres_schema import ShopInfo
    from planner.workspace.desk import ComplaintDesk

USER_ENV = "PLANNER315_USER"
DATABASE_ENV = "PLANNER315_DATABASE_URL"


def user_name(option: str | None = None) -> str:
    """--by, else $PLANNER315_USER, else the operating-system user."""
    name = (option or os.environ.get(USER_ENV) or "").strip()
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a bare container
        return "unknown"


@dataclass
class Workspace:
    """A shop's workspace (or a shop file alone, or neither) as one command sees it."""

    layout: Layout
    shop: Shop | None
    lang: str
    now: dt.datetime
    size_option: str | None = None
    year_option: int | None = None
    today_option: dt.date | None = None
    by_option: str | None = None
    # The number of the last history entry before `item_states` first read the states (None
    # until then, 0 for an empty history): the export stamps its checklist with it. The
    # first: a later read may serve another workbook, and an earlier mark only counts more
    # changes as made after the export, the safe side.
    states_mark: int | None = field(default=None, init=False, repr=False)
    _store: Any = field(default=None, repr=False)

    @classmethod
    def open(cls, *, workspace: str | None = None, shop_path: str | None = None,
             lang: str | None = None, need_workspace: bool = False, size: str | None = None,
             year: int | None = None, today: dt.date | None = None,
             by: str | None = None) -> Workspace:
        """Find the workspace (--workspace, $PLANNER315_WORKSPACE, or upwards from here)
        unless an explicit shop file is given, read its shop file and settle the language.

        With `need_workspace`, a missing workspace is an error that says how to make one.
        """
        folder = find_workspace(workspace) if shop_path is None else None
        if need_workspace and folder is None:
            raise PlannerError("error.no-workspace")
        layout = Layout.of(folder, shop_path)
        shop = (load_shop(layout.shop_file, layout.workspace) if layout.shop_file is not None
                else None)
        return cls(layout, shop, resolve_lang(lang, shop.lang if shop else None), clock_now(),
                   size, year, today, by)

    # --- who, when, which campaign ------------------------------------------------------

    @property
    def folder(self) -> Path | None:
        return self.layout.workspace

    @cached_property
    def user(self) -> str:
        """Who acts: --by, else $PLANNER315_USER, else the operating-system user."""
        return user_name(self.by_option)

    @property
    def today(self) -> dt.date:
        return self.today_option or self.now.date()

    @property
    def shop_name(self) -> str | None:
        return self.shop.name if self.shop else None

    @cached_property
    def size(self) -> str:
        """--size, else the shop file's size, else derived from its order and head counts."""
        from planner.campaign.phases import derive_size

        shop = self.shop
        size = self.size_option or (shop and (shop.size or derive_size(shop.daily_orders,
                                                                        shop.cs_headcount)))
        if not size:
            raise UsageProblem("error.no-size")
        return size

    @cached_property
    def year(self) -> int:
        """--year, else the next campaign not finished as of today."""
        from planner.campaign.phases import check_year

        if self.year_option is not None:
            return check_year(self.year_option)
        return self.campaign_of(self.today, field="--today")

    def campaign_of(self, day: dt.date, field: str | None = None) -> int:
        """The campaign a day belongs to: the one whose dates (prepare to aftermath, with the
        shop's overrides) hold it or, between two campaigns, the next one."""
        from planner.campaign.phases import YEAR_MAX, check_year, default_year

        def campaign_end(year: int) -> dt.date:
            try:
                return self.windows(year, self._dates_tier)[-1].end
            except PlannerError:
                # overrides that do not fit this year: the plan is for the next one, and
                # building that plan reports the mistake with the right year
                return dt.date.min

        year = default_year(day, campaign_end)
        if year > YEAR_MAX:
            raise PlannerError("error.no-campaign-left", field=field, today=day.isoformat(),
                               high=YEAR_MAX)
        return check_year(year)

    @cached_property
    def _dates_tier(self) -> str:
        """The tier whose dates place a moment in its campaign: the shop's size; without
        one (a complaint command needs none), the large shop's, the longest campaign."""
        try:
            return self.size
        except UsageProblem:
            return "large"

    def _campaign_year_of(self, moment: str) -> int:
        """For the storage: the campaign of an ISO moment (rows made before campaign years)."""
        return self.campaign_of(dt.date.fromisoformat(moment[:10]))

    def _category_id(self, category: str) -> str:
        """For the storage: the current id of a category an earlier release stored."""
        return self.policy.aliases.get(category, category)

    def campaign_dates(self, year: int) -> tuple[dt.date, dt.date]:
        """The first and last day of the shop's campaign of `year`."""
        windows = self.windows(year, self._dates_tier)
        return windows[0].start, windows[-1].end

    def windows(self, year: int | None = None, tier: str | None = None) -> list[Window]:
        """The phase dates of the shop's campaign in `year` (default: the command's year)."""
        from planner.campaign.phases import campaign_windows

        shop = self.shop
        return campaign_windows(tier or self.size, self.year if year is None else year,
                                shop.phases if shop else None,
                                shop.path if shop else "shop.yaml")

    # --- what is loaded when used ---------------------------------------------------------

    @cached_property
    def policy(self) -> Policy:
        from planner.complaints.policy import load_policy

        return load_policy(self.layout.policy, self.folder)

    @cached_property
    def complaint_rules(self) -> ComplaintRules:
        """Policy, working calendar, business hours and the shop's service calendar (if its
        file has a ``service`` block): what a deadline depends on."""
        from planner.complaints.deadlines import DEFAULT_HOURS
        from planner.complaints.service import ServiceCalendar
        from planner.complaints.triage import ComplaintRules
        from planner.complaints.workdays import WorkCalendar

        shop = self.shop
        hours = shop.business_hours if shop else DEFAULT_HOURS
        calendar = WorkCalendar.from_file(self.layout.holidays, self.folder)
        service = (ServiceCalendar(shop.service, calendar, self._phase_finder())
                   if shop and shop.service else None)
        return ComplaintRules(self.policy, calendar, hours, service)

    def _phase_finder(self) -> Callable[[dt.date], str | None]:
        """The phase of a day in the shop's campaign (None outside it), from the windows of
        the day's year, built once per year: a campaign never leaves its year."""
        windows: dict[int, list[Window]] = {}

        def phase_of(day: dt.date) -> str | None:
            if day.year not in windows:
                windows[day.year] = self.windows(day.year, self._dates_tier)
            return next((w.phase for w in windows[day.year] if w.contains(day)), None)

        return phase_of

    @cached_property
    def contacts(self) -> list[dict[str, Any]]:
        """The roster (roster.yaml, else the shop file's contacts), checked in the year."""
        from planner.roster.contacts import load_roster

        return load_roster(self.layout.roster, self.shop, year=self.year, workspace=self.folder)

    def roster_contacts(self) -> list[dict[str, Any]]:
        """The roster for `roster`, which needs no campaign year."""
        from planner.roster.contacts import load_roster

        return load_roster(self.layout.roster, self.shop, workspace=self.folder)

    @property
    def roster_source(self) -> str | None:
        from planner.roster.contacts import roster_source

        return roster_source(self.layout.roster, self.shop)

    # --- the plan and its state -----------------------------------------------------------

    def plan(self, *, phase: str | None = None, category: str | None = None,
             owner: str | None = None) -> Plan:
        from planner.campaign.plan import build_plan

        return build_plan(size=self.size, year=self.year, windows=self.windows(),
                          shop=self.shop_name, phase=phase, category=category, owner=owner)

    @property
    def database_url(self) -> str | None:
        """The shared PostgreSQL database holding the state: $PLANNER315_DATABASE_URL, else
        the shop file's ``database``; None: the workspace's own SQLite file."""
        from_env = (os.environ.get(DATABASE_ENV) or "").strip()
        if from_env:
            from planner.workspace.shop import checked_url

            return checked_url(from_env, field=DATABASE_ENV)
        return self.shop.database if self.shop else None

    def shop_info(self, write: bool = False) -> ShopInfo:
        """The shop as a shared database keys and remembers it. A first write gives the shop
        file its ``shop_id``; until then no database holds the shop (a read sees nothing)."""
        from planner.core.clock import iso
        from planner.storage.postgres_schema import ShopInfo
        from planner.workspace.shop import assign_shop_id

        shop = self.shop
        shop_id = shop.shop_id if shop else None
        if shop_id is None and write and shop is not None:
            shop_id = assign_shop_id(Path(shop.path), self._free_shop_id())
        try:
            size, year = self.size, self.year
            windows = [{"phase": w.phase, "start": w.start.isoformat(),
                        "end": w.end.isoformat()} for w in self.windows()]
        except PlannerError:  # a complaint command needs no size: the registry keeps none
            size = year = windows = None
        return ShopInfo(shop_id or "", self.shop_name, size, self.lang, year, windows,
                        iso(self.now))

    def _free_shop_id(self) -> str:
        """The shop name's slug, made unique when the database already holds a shop of that
        id: a new workspace never joins another shop's state by its name alone (a second
        computer of the same shop shares its shop file, shop_id included)."""
        import secrets

        from planner.storage.postgres import holds_shop
        from planner.workspace.shop import shop_slug

        shop_id = shop_slug(self.shop_name)
        url = self.database_url
        if url and holds_shop(url, shop_id):
            shop_id = f"{shop_id}-{secrets.token_hex(3)}"
        return shop_id

    @contextmanager
    def store(self, *, write: bool = False) -> Iterator[StateStore]:
        """The workspace's state, for one block (a read is served from memory when there is
        no database yet; the first write creates it)."""
        if self.layout.database is None:
            raise PlannerError("error.no-workspace")
        url = self.database_url
        if url:
            from planner.storage.postgres import open_store as open_shared

            with open_shared(url, self.shop_info(write), write=write) as shared:
                yield shared
            return
        from planner.storage.sqlite import open_store
        from planner.storage.sqlite_schema import Placement

        with open_store(self.layout.database, write=write,
                        placement=Placement(self._campaign_year_of, self._category_id)
                        ) as store:
            yield store

    def item_states(self) -> dict[ItemKey, ItemState] | None:
        """Every saved state of the command's campaign year; None outside a workspace."""
        if self.folder is None:
            return None
        from planner.campaign.checkoff import last_entry

        with self.store() as store:
            # The mark first: a change saved between the two reads counts as after the
            # states, the safe side for an import comparing with them.
            if self.states_mark is None:
                self.states_mark = last_entry(store)
            return store.item_states(self.year)

    def change_items(self, ids: list[str], status: str | None, *, action: str,
                     at: dt.datetime | None = None, note: str | None = None,
                     day: dt.date | None = None) -> list[Outcome]:
        """check / uncheck / skip in the command's year, all or nothing (`day`: which day of
        a daily duty, default today)."""
        from planner.campaign.checkoff import change_items

        plan = self.plan()
        with self.store(write=True) as store:
            return change_items(store, plan, ids, status, by=self.user, at=at, now=self.now,
                                note=note, action=action, day=day)

    def record_audit(self, item: str, counts: dict[str, Any], note: str) -> None:
        """An audit's counts on checklist `item` of the command's year, as a history entry
        (the item's state is left as it is)."""
        from planner.campaign.checkoff import validate_ids
        from planner.campaign.items import load_items

        plan = self.plan()
        validate_ids([item], plan.item_ids(), [entry.id for entry in load_items()])
        with self.store(write=True) as store:
            store.record_audit(self.year, item, counts, by=self.user, recorded_at=self.now,
                               note=note)

    def open_audits(self, items: list[str]) -> list[HistoryEntry]:
        """The latest audit entry of each of `items` still open in the command's year: what
        its last audit found (a clean audit checks its item off)."""
        from planner.storage.contract import AUDIT_ACTION

        found = []
        with self.store() as store:
            for item in items:
                if store.item_state(self.year, item) is not None:
                    continue
                entries = [entry for entry in store.history(year=self.year, subject=item)
                           if entry.action == AUDIT_ACTION]
                if entries:
                    found.append(entries[-1])
        return found

    def undo(self, day: dt.date | None = None) -> list[Change]:
        """Revert the user's last change in the command's year (on `day`, if given)."""
        from planner.campaign.checkoff import undo

        with self.store(write=True) as store:
            return undo(store, self.year, by=self.user, recorded_at=self.now, day=day)

    def status(self) -> tuple[StatusReport, RegisterSummary]:
        """Progress of the plan on `today`, and the complaint register's part of it."""
        from planner.campaign.progress import status_report
        from planner.complaints.register import status_of_register

        plan = self.plan()
        with self.store() as store:
            report = status_report(plan, store.item_states(self.year), self.today)
            summary = status_of_register(store, today=self.today, now=self.now,
                                         prepare_start=plan.window("prepare").start,
                                         aftermath_start=plan.window("aftermath").start,
                                         campaign=self.year)
        return report, summary

    def next_items(self, owner: str | None = None) -> NextItems:
        from planner.campaign.progress import next_items

        plan = self.plan()
        with self.store() as store:
            return next_items(plan, store.item_states(self.year), self.today, owner)

    def has_state(self) -> bool:
        """Whether the command's campaign year holds any check-off, entry or complaint."""
        with self.store() as store:
            return self.year in store.years()

    def history(self, *, item: str | None = None, by: str | None = None,
                since: dt.date | None = None, latest: int | None = None
                ) -> Iterator[HistoryEntry]:
        """The history, oldest first (`latest`: only the last that many), streamed as it is
        read; an unknown item id says at once which ids come closest."""
        self._check_history_item(item)
        return self._history(year=self.year, subject=item, by=by, since=since, latest=latest)

    def _history(self, **filters: Any) -> Iterator[HistoryEntry]:
        with self.store() as store:
            yield from store.history(**filters)

    def count_history(self, *, item: str | None = None, by: str | None = None,
                      since: dt.date | None = None) -> int:
        """How many entries `history` gives."""
        self._check_history_item(item)
        with self.store() as store:
            return store.count_history(year=self.year, subject=item, by=by, since=since)

    def _check_history_item(self, item: str | None) -> None:
        from planner.complaints.register import SUBJECT_PREFIX

        if item is not None and not item.startswith(SUBJECT_PREFIX):
            from planner.campaign.checkoff import validate_ids
            from planner.campaign.items import load_items

            known = [entry.id for entry in load_items()]
            if item not in known:
                validate_ids([item], [], known)

    def review(self) -> Review:
        """The review of the command's campaign, with the previous one's for comparison."""
        from planner.campaign.review import review_items
        from planner.complaints.report import report_year

        def of(year: int) -> Review:
            plan = self.plan_of(year)
            items = review_items(plan, store.item_states(year))
            complaints = report_year(store, self.policy, year, self.now)
            return Review(year, plan, items, complaints, None)

        with self.store() as store:
            current = of(self.year)
            previous = of(self.year - 1) if self.year - 1 in store.years() else None
        return current._replace(previous=previous)

    def plan_of(self, year: int) -> Plan:
        """The shop's plan of another campaign year."""
        from planner.campaign.plan import build_plan

        return build_plan(size=self.size, year=year, windows=self.windows(year),
                          shop=self.shop_name)

    # --- complaints -----------------------------------------------------------------------

    def triage(self, category: str, received: dt.datetime | None = None,
               flags: TriageFlags | None = None, same_issue_count: int | None = None,
               channel: str | None = None) -> TriageResult:
        from planner.complaints.triage import TriageFlags, triage_complaint

        return triage_complaint(self.complaint_rules, category, received or self.now,
                                flags or TriageFlags(), same_issue_count, channel)

    @cached_property
    def desk(self) -> ComplaintDesk:
        """The complaint register's commands, under this workspace's rules and clock."""
        from planner.workspace.desk import ComplaintDesk

        return ComplaintDesk(self)

    # --- files in and out -----------------------------------------------------------------

    def import_roster(self, path: str, replace: bool = False, *,
                      progress: Callable[[int], None] | None = None,
                      encoding: str | None = None
                      ) -> tuple[Path, list[dict[str, Any]], list[str]]:
        """Replace the roster file with the contacts of a CSV or XLSX file, all or nothing,
        their shifts checked in the command's year; contacts of the current roster that the
        file lacks only with `replace`. `progress` hears how many rows were read."""
        from planner.core.files import check_writable_folder
        from planner.roster.importing import import_roster

        target = self.layout.roster
        check_writable_folder(target.parent, str(target))
        # replacing needs no current roster: one that no longer reads can be replaced
        current = [] if replace else self.roster_contacts()
        return import_roster(path, target, self.lang, current, replace, year=self.year,
                             progress=progress, encoding=encoding)

    def import_checklist(self, path: str, *, force: bool = False) -> Imported:
        """Apply the rows edited in a checklist workbook, all or nothing (see
        `planner.campaign.checkoff.apply_imported`; `force`: also the rows that would undo a
        change made in planner315)."""
        from planner.campaign.checkoff import apply_imported
        from planner.campaign.items import load_items
        from planner.input.checklist import read_checklist
        from planner.input.stamp import Expected

        plan = self.plan()
        others = {item.id: item.tiers for item in load_items() if self.size not in item.tiers}
        sheet = read_checklist(path, self.lang, valid_ids=plan.item_ids(),
                               days={item.id: item.days for item in plan.items()},
                               today=self.now.date(), other_plans=others, size=self.size,
                               expected=Expected(self.shop_name, self.size, self.year,
                                                 self.now))
        with self.store(write=True) as store:
            return apply_imported(store, self.year, sheet.rows, by=self.user,
                                  recorded_at=self.now, source=path, stamp=sheet.stamp,
                                  force=force)


class Review(NamedTuple):
    """A campaign's review: its plan, the checklist's and the complaints' figures, and the
    previous campaign's review (None when it holds no state)."""

    year: int
    plan: Plan
    items: ItemReview
    complaints: Report  # `complaint report --year`
    previous: Review | None
