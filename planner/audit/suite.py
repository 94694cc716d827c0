"""Running one audit on a file, or `audit all` on a folder: which audit a file is for is
told by its header (its signature), whatever the file is called."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from planner.audit.reading import Table, header_keys, open_table
from planner.audit.records import AuditResult

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")


@dataclass
class Settings:
    """What every audit of one run is judged against."""

    lang: str
    today: dt.date
    # the 315 window: the battle phase's first and last day (None for the undated audits)
    battle: tuple[dt.date, dt.date] | None
    workspace: Path | None = None
    near_days: int = 30
    departments: tuple[str, ...] = ()
    encoding: str | None = None
    mapped: Mapping[str, str] = field(default_factory=dict)
    tick: Callable[[int], None] | None = None


def table(path: str | Path, need, settings: Settings) -> Table:
    return open_table(path, need, settings.mapped, settings.encoding)


def run_copy(path: str | Path, settings: Settings) -> AuditResult:
    from planner.audit.listing_copy import NEED, audit_copy
    from planner.audit.matching import Matcher
    from planner.audit.terms import load_terms

    terms = load_terms(settings.workspace)  # a mistake in the shop's terms stops us first
    listings = table(path, NEED, settings)
    result = audit_copy(listings, Matcher(terms), settings.lang, settings.tick)
    result.names = {key: name[settings.lang] for key, name in terms.categories.items()}
    return result


def run_prices(path: str | Path, reference: str | Path, settings: Settings) -> AuditResult:
    from planner.audit.prices import NEED, audit_prices

    sheet = table(reference, NEED, settings)
    return audit_prices(table(path, NEED, settings), sheet, settings.lang, settings.tick)


def run_stock(path: str | Path, settings: Settings) -> AuditResult:
    from planner.audit.stock import NEED, audit_stock

    assert settings.battle is not None
    return audit_stock(table(path, NEED, settings), settings.lang, today=settings.today,
                       battle_end=settings.battle[1], near_days=settings.near_days,
                       departments=settings.departments, tick=settings.tick)


def run_promotions(path: str | Path, settings: Settings) -> AuditResult:
    from planner.audit.promotions import NEED, audit_promotions

    assert settings.battle is not None
    return audit_promotions(table(path, NEED, settings), settings.lang, today=settings.today,
                            window=settings.battle, tick=settings.tick)


def kind_of(keys: set[str]) -> str | None:
    """The audit a header is for: promotions, stock, a price sheet ("reference": item, price,
    no copy), listings with copy; None for anything else."""
    if {"promotion", "end"} <= keys:
        return "promotions"
    if "batch" in keys and keys & {"expiry_date", "production_date"}:
        return "stock"
    has_item = bool(keys & {"item_id", "outer_id"})
    if keys & {"title", "subtitle", "description"}:
        return "listings"
    if has_item and "price" in keys:
        return "reference"
    return None


def find_inputs(folder: Path) -> dict[str, Path]:
    """kind -> the first file of the folder (by name) whose header is that kind's."""
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            kind = kind_of(header_keys(path))
            if kind is not None:
                found.setdefault(kind, path)
    return found


def run_all(folder: Path, settings: Settings) -> list[AuditResult]:
    """Every audit whose input is in `folder`: copy (and prices, with a price sheet there)
    on the listings, stock, promotions."""
    inputs = find_inputs(folder)
    results = []
    if "listings" in inputs:
        results.append(run_copy(inputs["listings"], settings))
        if "reference" in inputs:
            results.append(run_prices(inputs["listings"], inputs["reference"], settings))
    if "stock" in inputs:
        results.append(run_stock(inputs["stock"], settings))
    if "promotions" in inputs:
        results.append(run_promotions(inputs["promotions"], settings))
    return results
