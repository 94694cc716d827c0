"""The complaint register workbook: one row per complaint, streamed, in list order.

Everything a buyer or an agent typed (summary, buyer, order, product, channel, notes) goes
through `planner.export.xlsx.safe`, so it can never become a formula.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from planner.core.i18n import t

FIELDS = ("number", "level", "category", "product", "order", "buyer", "channel", "summary",
          "received", "deadline", "handler", "status", "flag", "callback")
_COLUMNS: dict[str, dict[str, Any]] = {
    "number": {"text": True}, "product": {"text": True, "max_width": 16},
    "order": {"text": True, "max_width": 22}, "buyer": {"max_width": 14},
    "summary": {"wrap": True, "max_width": 40}, "received": {"width": 17},
    "deadline": {"width": 17}, "handler": {"max_width": 14}, "callback": {"max_width": 24},
}


def register_rows(complaints: Iterable[dict[str, Any]], policy: Any, lang: str
                  ) -> Iterator[list[Any]]:
    from planner.core.clock import parse_datetime

    for c in complaints:
        flag = ("register.overdue" if c["overdue"] else "register.at-risk" if c["at_risk"]
                else None)
        callback = c["callback"]
        answer = None
        if callback:
            answer = t(f"register.satisfied.{'yes' if callback['satisfied'] else 'no'}", lang)
            answer = f"{answer} ({callback['by']}, {callback['at'][:10]})"
        yield [c["number"], policy.level_name(c["level"], lang),
               policy.category_name(c["category"], lang), c["product"], c["order"], c["buyer"],
               c["channel"], c["summary"], parse_datetime(c["received"]),
               parse_datetime(c["deadline"]), policy.role_name(c["handler"], lang),
               t(f"register.status.{c['status']}", lang), t(flag, lang) if flag else None,
               answer]


def register_title(lang: str, *, shop: str | None, year: int) -> str:
    return t("export.title.complaints", lang, shop=shop or t("plan.no-shop-name", lang),
             year=year)


def write_register_workbook(target: Path, complaints: Iterable[dict[str, Any]], lang: str, *,
                            policy: Any, shop: str | None, year: int, total: int | None = None,
                            force: bool = False,
                            progress: Callable[[int], None] | None = None) -> Path:
    """Stream the register to `target` (atomically; refuses to overwrite without force)."""
    from planner.export.xlsx import Column, Table, write_workbook

    title = register_title(lang, shop=shop, year=year)
    columns = [Column(t(f"label.register.{field}", lang), **_COLUMNS.get(field, {}))
               for field in FIELDS]
    table = Table(title=t("export.sheet.complaints", lang), columns=columns,
                  rows=register_rows(complaints, policy, lang), total=total, landscape=True,
                  freeze_columns=1, page_title=title)
    return write_workbook(target, table, title=title, lang=lang, force=force, progress=progress)
