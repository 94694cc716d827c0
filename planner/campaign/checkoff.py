"""Checking items off: check, uncheck, skip and undo, validated and applied all-or-nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from planner.campaign.plan import Plan, occurrence_label
from planner.core.clock import YEARS, in_years
from planner.core.errors import PlannerError, counted, row_numbers
from planner.core.lengths import check_name, check_text
from planner.storage.contract import Change, ItemState, StateStore

if TYPE_CHECKING:
    from planner.input.stamp import Stamp


@dataclass(frozen=True)
class Outcome:
    """What a request did to one item (one day of a daily duty): `changed` False means it
    was already so."""

    id: str
    changed: bool
    old: ItemState | None
    new: ItemState | None
    day: dt.date | None = None

    @property
    def label(self) -> str:
        """``id``, or ``id@YYYY-MM-DD`` for the day of a daily duty."""
        return occurrence_label(self.id, self.day)


Target = tuple[str, dt.date | None]  # an item, and the day for a daily duty


def targets(plan: Plan, ids: list[str], day: dt.date | None, today: dt.date) -> list[Target]:
    """The occurrences that `ids` mean: a one-off item itself; a daily duty's `day` (default
    today), which must be a day of its phase. `day` is refused for a one-off item."""
    chosen = []
    for item_id in ids:
        planned = plan.find(item_id)
        if not planned.repeats:
            if day is not None:
                raise PlannerError("error.day-not-daily", field=item_id, value=day.isoformat())
            chosen.append((item_id, None))
            continue
        wanted = day or today
        if wanted not in planned.days:
            window = plan.window(planned.phase)
            raise PlannerError("error.day-outside-phase", field=item_id,
                               value=wanted.isoformat(), start=window.start.isoformat(),
                               end=window.end.isoformat())
        chosen.append((item_id, wanted))
    return chosen


def validate_ids(requested: list[str], applicable: list[str], known: list[str]) -> list[str]:
    """The requested ids, de-duplicated, or an error naming the first bad one.

    An unknown id gets the closest known ids as suggestions; a known id that this shop's
    plan does not include says so.
    """
    wanted = list(dict.fromkeys(requested))
    for item_id in wanted:
        check_name(item_id, "ITEM")  # before it is matched against the ids, or echoed
    applicable_set = set(applicable)
    for item_id in wanted:
        if item_id in applicable_set:
            continue
        if item_id in known:
            raise PlannerError("error.item-not-in-plan", field=item_id)
        import difflib

        close = difflib.get_close_matches(item_id, known, n=3, cutoff=0.5)
        if close:
            raise PlannerError("error.unknown-item-suggest", field=item_id,
                               suggestions=", ".join(close))
        raise PlannerError("error.unknown-item", field=item_id)
    return wanted


def change_items(store: StateStore, plan: Plan, ids: list[str], status: str | None, *,
                 by: str, at: dt.datetime | None, now: dt.datetime, note: str | None = None,
                 action: str, day: dt.date | None = None) -> list[Outcome]:
    """check / uncheck / skip in the plan's campaign year: validate the ids against the
    shop's plan, the day of a daily duty against its phase and the time done (not in the
    future), then move the items to `status` in one transaction."""
    from planner.campaign.items import load_items

    # a skip's reason is its note
    check_text(note, "--reason" if status == "skipped" else "--note")
    wanted = validate_ids(ids, plan.item_ids(), [item.id for item in load_items()])
    chosen = targets(plan, wanted, day, now.date())
    if at is not None and at > now:
        raise PlannerError("error.at-in-future", field="--at", value=at.isoformat())
    return set_status(store, plan.year, chosen, status, by=by, at=at or now, recorded_at=now,
                      note=note, action=action)


def set_status(store: StateStore, year: int, chosen: list[Target], status: str | None, *,
               by: str, at: dt.datetime, recorded_at: dt.datetime, note: str | None = None,
               action: str) -> list[Outcome]:
    """Move items to `status` ("done", "skipped", or None for open) in one transaction.

    The current states are read inside the transaction, so two people ticking the same item
    at the same moment both succeed: the second finds it done already.
    """
    check_name(by, "--by")
    outcomes: list[Outcome] = []

    def changes() -> list[Change]:
        outcomes.clear()
        planned = []
        for item_id, day in chosen:
            old = store.item_state(year, item_id, day)
            if (old.status if old else None) == status:
                outcomes.append(Outcome(item_id, False, old, old, day))
                continue
            new = None if status is None else ItemState(status, by, at, note)
            planned.append(Change(item_id, action, old, new, day))
            outcomes.append(Outcome(item_id, True, old, new, day))
        return planned

    changes()  # a first look: when nothing would change, nothing is written at all
    if any(outcome.changed for outcome in outcomes):
        store.apply(changes, year=year, by=by, recorded_at=recorded_at, note=note)
    return outcomes


def undo(store: StateStore, year: int, *, by: str, recorded_at: dt.datetime,
         day: dt.date | None = None) -> list[Change]:
    """Revert `by`'s latest change in campaign `year` (on `day`'s occurrences, if given) that
    is not yet undone; the revert is a new history entry."""
    check_name(by, "--by")
    txn = store.last_open_txn(by, year, day)
    if txn is None:
        raise PlannerError("error.nothing-to-undo", by=by, year=year)
    reverts = [Change(change.subject, "undo", change.new, change.old, change.day)
               for change in reversed(store.txn_changes(txn))]
    for change in reverts:
        if store.item_state(year, change.subject, change.day) != change.old:
            raise PlannerError(
                "error.undo-conflict", field=occurrence_label(change.subject, change.day),
                other=store.last_changed_by(year, change.subject, change.day) or "-")
    store.apply(reverts, year=year, by=by, recorded_at=recorded_at, reverts=txn)
    return reverts


def last_entry(store: StateStore) -> int:
    """The number of the last history entry, 0 for an empty history."""
    return next((entry.seq for entry in store.history(latest=1)), 0)


@dataclass(frozen=True)
class Conflict:
    """An edited row of a stamped checklist workbook that was not applied: its item was
    changed in planner315 after the export, last by `by` at `at`."""

    label: str
    row: int
    sheet: str  # the row's status
    saved: str  # the item's status now
    by: str
    at: dt.datetime


class Imported(NamedTuple):
    """What applying a checklist workbook did: the changes; the edited rows that won over a
    change made in planner315 since the export (label -> who made that change, the item's
    status at the export); the edited rows not applied for such a change."""

    outcomes: list[Outcome]
    overridden: dict[str, tuple[str, str]]
    skipped: list[Conflict]


def apply_imported(store: StateStore, year: int, rows: list[dict], *, by: str,
                   recorded_at: dt.datetime, source: str | None = None,
                   stamp: Stamp | None = None, force: bool = False) -> Imported:
    """Apply the rows of an edited checklist workbook that someone changed, in one
    transaction.

    A row is ``{row, id, day, status, by, date, note, exported}`` (day: the occurrence of a
    daily duty, else None; statuses open/done/skipped; date a `datetime.date` or None); its
    `by` and `date` say who settled the item and when. A row already matching the saved
    state changes nothing, so importing the same file twice changes nothing the second time.

    With the workbook's `stamp`, the history says what changed in planner315 since the
    export (the entries after ``stamp.history``) and what each item was at the export: a row
    still showing that was not edited and is left alone; an edited row whose item was not
    changed since is applied; an edited row whose item was changed since is not applied (a
    `Conflict`) unless it carries a note of its own (neither the note at the export nor the
    saved one) or `force` is set: then the sheet wins, and the caller says so.

    Without a stamp (a workbook from before it), a row still showing its hidden "status
    when exported" was not edited; any other row differing from the saved state is applied,
    except that reopening or changing a settled item needs `force`: without it, nothing is
    written and the error lists those rows, since nothing says whether the sheet or the
    saved state is newer.
    """
    late = [row["row"] for row in rows if row["date"] and row["date"] > recorded_at.date()]
    if late:
        raise PlannerError("error.import-future-dates", file=source, rows=row_numbers(late))
    outside = [row["row"] for row in rows if row["date"] and not in_years(row["date"])]
    if outside:
        raise PlannerError("error.import-dates-outside-years", file=source,
                           rows=row_numbers(outside), low=YEARS[0], high=YEARS[1])
    check_name(by, "--by")
    if stamp is not None and stamp.history > (last := last_entry(store)):
        raise PlannerError("error.stamp-history", file=source, field="planner315.history",
                           value=stamp.history, last=last)
    outcomes: list[Outcome] = []
    overridden: dict[str, tuple[str, str]] = {}
    skipped: list[Conflict] = []
    unforced: list[tuple[int, str]] = []  # unstamped rows reopening or changing settled items

    def changes() -> list[Change]:
        for found in (outcomes, overridden, skipped, unforced):
            found.clear()
        planned = []
        for row in rows:
            day = row.get("day")
            label = occurrence_label(row["id"], day)
            old = store.item_state(year, row["id"], day)
            if (old.status if old else "open") == row["status"]:
                continue
            verdict, detail = (_against_history(store, year, row, old, stamp.history, force)
                               if stamp is not None else
                               _against_saved(store, year, row, old, force))
            if verdict == "keep":
                continue
            # only a row edited is checked: one left alone may hold a note saved before the
            # limits, which the export wrote out
            check_text(row["note"], "note", file=source, line=row["row"])
            check_name(row["by"], "by", file=source, line=row["row"])
            if verdict == "conflict":
                skipped.append(detail)
            elif verdict == "needs-force":
                unforced.append((row["row"], label))
            else:
                if detail:
                    overridden[label] = detail
                planned.append(_change(row, old, by, recorded_at))
                outcomes.append(Outcome(row["id"], True, old, planned[-1].new, day))
        if unforced:
            raise PlannerError("error.import-settled-unstamped", file=source,
                               count=counted("rows", len(unforced)),
                               rows=row_numbers([number for number, _ in unforced]),
                               items=_listed([label for _, label in unforced]))
        return planned

    # A first look: when nothing would change, nothing is written (not even a new database);
    # then again inside the transaction, so that no other writer can come in between.
    if changes():
        store.apply(changes, year=year, by=by, recorded_at=recorded_at, note="import")
    return Imported(outcomes, overridden, skipped)


_ACTIONS = {"done": "check", "skipped": "skip", "open": "uncheck"}


def _change(row: dict, old: ItemState | None, by: str, recorded_at: dt.datetime) -> Change:
    """A row's status (and by, date, note) as the change of its item."""
    new = None
    if row["status"] != "open":
        at = (dt.datetime.combine(row["date"], dt.time(), tzinfo=recorded_at.tzinfo)
              if row["date"] else recorded_at)
        new = ItemState(row["status"], row["by"] or by, at, row["note"])
    return Change(row["id"], _ACTIONS[row["status"]], old, new, row.get("day"),
                  note=row["note"])  # the sheet's note, whatever the status


def _against_history(store: StateStore, year: int, row: dict, old: ItemState | None,
                     mark: int, force: bool) -> tuple[str, Any]:
    """A stamped row differing from the saved state, judged by the history after `mark`:
    ("keep", None) when the sheet shows the item as exported; ("conflict", Conflict) when
    both the sheet and planner315 changed it; else ("apply", who and the exported status
    when the sheet wins a conflict, or None)."""
    day = row.get("day")
    since = [entry for entry in store.history(year=year, subject=row["id"])
             if entry.seq > mark and entry.day == day]
    saved = old.status if old else "open"
    exported = _status(since[0].old) if since else saved
    if row["status"] == exported:
        return "keep", None  # not edited in the sheet: a later change in planner315 stands
    if not since:
        return "apply", None
    if force or _new_note(row["note"], since[0].old, old):
        return "apply", (since[-1].by, exported)
    return "conflict", Conflict(occurrence_label(row["id"], day), row["row"], row["status"],
                                saved, since[-1].by, since[-1].at)


def _against_saved(store: StateStore, year: int, row: dict, old: ItemState | None,
                   force: bool) -> tuple[str, Any]:
    """An unstamped row differing from the saved state: ("keep", None) when it shows its
    hidden status when exported; ("needs-force", None) when it would reopen or change a
    settled item; else ("apply", who changed it since and its exported status, or None)."""
    exported = row.get("exported")
    if exported is not None and row["status"] == exported:
        return "keep", None  # not edited in the sheet
    saved = old.status if old else "open"
    if saved != "open" and not force:
        return "needs-force", None
    if exported is not None and saved != exported:
        return "apply", (store.last_changed_by(year, row["id"], row.get("day")) or "-",
                         exported)
    return "apply", None


def _listed(labels: list[str], most: int = 10) -> str:
    """The first `most` of `labels`, and how many more: an error stays one readable line."""
    shown = ", ".join(labels[:most])
    return shown if len(labels) <= most else f"{shown} … (+{len(labels) - most})"


def _status(state: dict | None) -> str:
    """The status of a state as the history keeps it (None: open)."""
    return state["status"] if state else "open"


def _new_note(note: str | None, exported: dict | None, saved: ItemState | None) -> bool:
    """Whether a row's note is its own: neither the item's note at the export (the sheet was
    written with it) nor its note now."""
    return bool(note) and note not in ((exported or {}).get("note"),
                                       saved.note if saved else None)
