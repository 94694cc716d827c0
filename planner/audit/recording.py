"""`--record`: a clean audit checks its checklist item off, with its summary as the note; an
audit with findings leaves the item open and records its counts in the history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.audit.records import AuditResult

if TYPE_CHECKING:
    from planner.workspace.session import Workspace

ITEMS = {"copy": "prepare.copy.ad-law", "prices": "prepare.price.named-check",
         "stock": "prepare.stock.expired", "promotions": "prepare.promo.ended-copy"}


def record(ws: Workspace, result: AuditResult, note: str) -> str:
    """Record `result` on its item; returns the item id."""
    item = ITEMS[result.audit]
    if result.findings:
        ws.record_audit(item, {"audit": result.audit, **result.summary}, note)
    else:
        ws.change_items([item], "done", action="check", note=note)
    return item
