"""`audit stock`: batches past their date, or reaching it before the battle is over, batches
to label as near expiry, and batches with a quality problem to pull."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from planner.audit.reading import Need, Table
from planner.audit.records import AuditResult, BadRow, Finding
from planner.audit.values import BadCell, count, date, flag, read_cell
from planner.core.cells import cell_text
from planner.core.i18n import t

NEED = Need(all=("batch",), any=("expiry_date", "production_date"))
NEAR_DAYS = 30
CATEGORIES = ("expired", "expires-in-battle", "near-expiry", "quality")
# Who must hear of a batch pulled for quality: the warehouse pulls it, customer service
# answers the buyers, operations takes the listing down (the campaign's owner ids).
QUALITY_OWNERS = ("warehouse", "cs-manager", "operations")


def audit_stock(table: Table, lang: str, *, today: dt.date, battle_end: dt.date,
                near_days: int = NEAR_DAYS, departments: Sequence[str] = (),
                tick: Callable[[int], None] | None = None) -> AuditResult:
    result = AuditResult("stock", table.file,
                         names={c: t(f"audit.category.{c}", lang) for c in CATEGORIES})
    for number, values in table.rows:
        result.rows += 1
        if tick is not None:
            tick(1)
        _batch(result, number, values, lang, today, battle_end, near_days, departments)
    return result


def _batch(result: AuditResult, row: int, values: dict, lang: str, today: dt.date,
           battle_end: dt.date, near_days: int, departments: Sequence[str]) -> None:
    batch = cell_text(values.get("batch")) or "-"
    item = cell_text(values.get("item_id")) or cell_text(values.get("outer_id")) or None
    sku = cell_text(values.get("sku")) or None
    try:
        stock = read_cell(result, row, values, "stock", count, lang)
        made = read_cell(result, row, values, "production_date", date, lang)
        life = read_cell(result, row, values, "shelf_life_days", count, lang)
        expiry = read_cell(result, row, values, "expiry_date", date, lang)
        faulty = read_cell(result, row, values, "quality_issue", _quality, lang)
    except BadCell:
        return
    if stock is not None and stock <= 0:
        return  # nothing left to sell or pull
    if expiry is None and made is not None and life is not None:
        expiry = made + dt.timedelta(days=life)
    if expiry is None:
        result.bad_rows.append(BadRow(row, "expiry_date", t("audit.stock.no-expiry", lang)))
        return

    def add(severity: str, category: str, context: str, suggestion: str, field: str) -> None:
        result.findings.append(Finding(severity, category, batch, context,
                                       t(f"audit.basis.{category}", lang), suggestion, row,
                                       item, sku, field))

    left = t("audit.stock.left", lang, stock=stock) if stock is not None else ""
    if expiry <= today:
        add("violation", "expired", t("audit.stock.expired", lang, expiry=expiry, left=left),
            t("audit.stock.remove", lang), "expiry_date")
    elif expiry <= battle_end:
        add("violation", "expires-in-battle",
            t("audit.stock.expires-in-battle", lang, expiry=expiry, end=battle_end, left=left),
            t("audit.stock.remove", lang), "expiry_date")
    elif (expiry - battle_end).days <= near_days:
        add("warning", "near-expiry",
            t("audit.stock.near", lang, expiry=expiry, days=(expiry - battle_end).days,
              left=left),
            t("audit.stock.label-near", lang), "expiry_date")
    if faulty:
        since = made or today
        add("violation", "quality",
            t("audit.stock.quality", lang, problem=faulty, left=left),
            t("audit.stock.pull", lang, start=since, end=today,
              departments=t("punct.list-separator", lang).join(departments)),
            "quality_issue")


def _quality(value: object) -> str | None:
    """A quality problem as written (its text), or None for 否/无/no/empty."""
    text = cell_text(value)
    try:
        return text if flag(value) else None
    except BadCell:
        return text  # a description of the problem
