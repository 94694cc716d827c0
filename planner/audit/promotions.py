"""`audit promotions`: ended promotions whose copy is still up, prizes not delivered by the
promised date, and promotions reaching into the 315 window without written rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from planner.audit.reading import Need, Table
from planner.audit.records import AuditResult, Finding
from planner.audit.values import BadCell, date, flag, read_cell
from planner.core.cells import cell_text
from planner.core.i18n import t

NEED = Need(all=("promotion", "end"))
CATEGORIES = ("ended-copy-live", "prize-overdue", "no-rules")


def audit_promotions(table: Table, lang: str, *, today: dt.date, window: tuple[dt.date, dt.date],
                     tick: Callable[[int], None] | None = None) -> AuditResult:
    """`window`: the first and last day of the battle (the 315 window)."""
    result = AuditResult("promotions", table.file,
                         names={c: t(f"audit.category.{c}", lang) for c in CATEGORIES})
    for number, values in table.rows:
        result.rows += 1
        if tick is not None:
            tick(1)
        _promotion(result, number, values, lang, today, window)
    return result



def _promotion(result: AuditResult, row: int, values: dict, lang: str, today: dt.date,
               window: tuple[dt.date, dt.date]) -> None:
    name = cell_text(values.get("promotion")) or "-"
    item = cell_text(values.get("item_id")) or None
    try:
        start = read_cell(result, row, values, "start", date, lang)
        end = read_cell(result, row, values, "end", date, lang)
        live = read_cell(result, row, values, "copy_live", flag, lang)
        promised = read_cell(result, row, values, "promised_by", date, lang)
        delivered = read_cell(result, row, values, "delivered", flag, lang)
    except BadCell:
        return
    prize = cell_text(values.get("prize"))
    rules = cell_text(values.get("rules"))

    def add(severity: str, category: str, context: str, suggestion: str, field: str) -> None:
        result.findings.append(Finding(severity, category, name, context,
                                       t(f"audit.basis.{category}", lang), suggestion, row,
                                       item, None, field))

    if end is not None and end < today and live:
        since = end + dt.timedelta(days=1)
        add("violation", "ended-copy-live",
            t("audit.promo.ended-live", lang, end=end, since=since,
              days=(today - since).days + 1),
            t("audit.promo.take-down", lang), "copy_live")
    if prize and promised is not None and promised < today and not delivered:
        add("violation", "prize-overdue",
            t("audit.promo.prize-overdue", lang, prize=prize, promised=promised,
              days=(today - promised).days),
            t("audit.promo.deliver", lang), "delivered")
    first, last = window
    reaches = (start is None or start <= last) and (end is None or end >= first)
    if reaches and (start is not None or end is not None) and not rules:
        add("warning", "no-rules",
            t("audit.promo.no-rules", lang, start=start or "-", end=end or "-",
              first=first, last=last),
            t("audit.promo.write-rules", lang), "rules")
