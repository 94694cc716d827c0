"""A workspace and the shared database: which backend holds its state (`db info`), moving the
state between SQLite and PostgreSQL (`db copy`), and the roll-up of every shop a database
holds (`status --all-shops`)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from planner.core.errors import PlannerError

if TYPE_CHECKING:
    from planner.storage.copying import Copied
    from planner.storage.postgres import SharedShop
    from planner.workspace.session import Workspace


class DatabaseInfo(NamedTuple):
    backend: str  # "sqlite" or "postgresql"
    database: str  # the file, or the URL without its password
    shop_id: str | None
    schema_version: int
    rows: dict[str, int]


def database_info(ws: Workspace) -> DatabaseInfo:
    from planner.storage.sqlite_schema import SCHEMA_VERSION

    url = ws.database_url
    with ws.store() as store:
        rows = store.row_counts()
    if url:
        from planner.storage.postgres import shown_url

        return DatabaseInfo("postgresql", shown_url(url), ws.shop_info().shop_id or None,
                            SCHEMA_VERSION, rows)
    return DatabaseInfo("sqlite", str(ws.layout.database), None, SCHEMA_VERSION, rows)


def copy_to_shared(ws: Workspace, url: str, replace: bool = False) -> Copied:
    """The workspace's SQLite state into the shop's place in the database at `url`."""
    from planner.storage import postgres
    from planner.storage.copying import copy_state
    from planner.storage.sqlite import open_store

    shop = ws.shop_info(write=True)
    if postgres.holds_shop(url, shop.shop_id):
        if not replace:
            raise PlannerError("error.db-copy-exists", file=postgres.shown_url(url),
                               field=shop.shop_id)
        postgres.drop_shop(url, shop.shop_id)
    with open_store(ws.layout.database) as source, \
            postgres.open_store(url, shop, write=True) as target:
        return copy_state(source, target)


def copy_from_shared(ws: Workspace, url: str, replace: bool = False) -> Copied:
    """The shop's state in the database at `url` into the workspace's SQLite file, which is
    replaced whole (built beside it, then renamed over it)."""
    from planner.core.files import check_writable_folder
    from planner.storage import postgres
    from planner.storage.copying import copy_state
    from planner.storage.sqlite import open_store
    from planner.storage.sqlite_guard import forget, record_written

    path = ws.layout.database
    shop = ws.shop_info()
    if not shop.shop_id or not postgres.holds_shop(url, shop.shop_id):
        raise PlannerError("error.db-copy-no-shop", file=postgres.shown_url(url),
                           field=shop.shop_id or "shop_id")
    with open_store(path) as current:
        if any(current.row_counts().values()) and not replace:
            raise PlannerError("error.db-copy-exists", file=str(path), field=shop.shop_id)
    check_writable_folder(path.parent, str(path))
    temp = path.with_name(f".{path.name}.copy-{os.getpid()}")
    try:
        with postgres.open_store(url, shop) as source, open_store(temp, write=True) as target:
            copied = copy_state(source, target)
        os.replace(temp, path)
        record_written(path)  # made by us just now: the next write need not check it whole
    finally:
        for leftover in (temp, Path(f"{temp}-journal")):
            leftover.unlink(missing_ok=True)
        forget(temp)
    return copied


class ShopStatus(NamedTuple):
    """One shop of a shared database on a day: its plan's progress, its overdue items, and
    its campaign's open and overdue complaints."""

    shop_id: str
    name: str | None
    size: str | None
    year: int | None
    done: int
    total: int
    overdue_items: int
    open_complaints: int
    overdue_complaints: int
    seen_at: str | None


def all_shops(ws: Workspace) -> list[ShopStatus]:
    """Every shop of the workspace's shared database, from the registry and each shop's
    state alone (no shop file is read)."""
    from planner.storage import postgres

    url = ws.database_url
    if not url:
        raise PlannerError("error.all-shops-sqlite", field="--all-shops")
    return [_shop_status(url, shop, ws.today, ws.now) for shop in postgres.list_shops(url)]


def _shop_status(url: str, shop: SharedShop, today: dt.date, now: dt.datetime) -> ShopStatus:
    from planner.campaign.phases import Window
    from planner.campaign.plan import build_plan
    from planner.campaign.progress import status_report
    from planner.complaints.register import status_of_register
    from planner.storage import postgres
    from planner.storage.postgres_schema import ShopInfo

    info = ShopInfo(shop.shop_id)
    with postgres.open_store(url, info) as store:
        if not (shop.size and shop.year and shop.windows):  # no checklist command yet
            done = total = overdue = 0
            year = shop.year
        else:
            windows = [Window(w["phase"], dt.date.fromisoformat(w["start"]),
                              dt.date.fromisoformat(w["end"])) for w in shop.windows]
            plan = build_plan(size=shop.size, year=shop.year, windows=windows, shop=shop.name)
            report = status_report(plan, store.item_states(shop.year), today)
            done = sum(phase.done for phase in report.phases)
            total = sum(phase.total for phase in report.phases)
            overdue, year = len(report.overdue), shop.year
        register = status_of_register(
            store, today=today, now=now, prepare_start=dt.date.min,
            aftermath_start=dt.date.max, campaign=year)
    return ShopStatus(shop.shop_id, shop.name, shop.size, year, done, total, overdue,
                      sum(register.open.values()), sum(register.overdue.values()),
                      shop.seen_at)
