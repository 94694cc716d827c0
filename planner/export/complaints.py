"""The complaint register workbook: one row per complaint, streamed, in list order.

Everything a buyer or an agent typed (summary, buyer, order, product, channel, notes) goes
through `planner.export.xlsx.safe`, so it can never become a formula; text stored before the
entry limits is cut to what a cell holds (`planner.core.cells.fit_cell`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.core.cells import fit_cell
from planner.core.errors import PlannerError
from planner.core.i18n import t
from planner.export.registry import ExportOptions, Job, Workbook
from planner.export.sheet import Sections

if TYPE_CHECKING:
    from planner.complaints.register import Complaint

FIELDS = ("number", "level", "category", "product", "order", "buyer", "channel", "summary",
          "received", "deadline", "handler", "taker", "assignee", "first-response", "step",
          "status", "flag", "callback")
_MOMENT = {"keep": True}  # a date and time prints on one line, minutes and weekday
_COLUMNS: dict[str, dict[str, Any]] = {
    "number": {"text": True, "keep": True}, "level": {"keep": True},
    "category": {"max_width": 20}, "product": {"text": True, "max_width": 16},
    "order": {"text": True, "keep": True}, "buyer": {"max_width": 14},
    "channel": {"max_width": 16}, "summary": {"wrap": True, "max_width": 40},
    "received": _MOMENT, "deadline": _MOMENT, "first-response": _MOMENT,
    "handler": {"keep": True}, "taker": {"max_width": 12}, "assignee": {"max_width": 12},
    "step": {"keep": True}, "status": {"keep": True}, "flag": {"max_width": 14},
    "callback": {"max_width": 24},
}
KEEP_LIMIT = 40.0  # a column never wrapped is still not wider than this (a typed order id)


def register_columns(policy: Any, lang: str) -> list[Any]:
    """The register's columns, each sized for every value it can hold: level, handler,
    step and status names from the policy and the messages, dates as they print."""
    from planner.complaints.register import STATUSES, STEPS
    from planner.export.sheet import Column
    from planner.present.complaints import format_moment

    known = {
        "level": [policy.level_name(level, lang) for level in policy.levels],
        "handler": [policy.role_name(role, lang) for role in policy.roles],
        "step": [t(f"register.step.{step}", lang) for step in STEPS],
        "status": [t(f"register.status.{status}", lang) for status in STATUSES],
    }
    # a date and time prints the same width whatever it is, but for the weekday's name: the
    # column holds the widest even when the first rows have none (no first response yet)
    week = [format_moment(dt.datetime(2027, 3, day, 23, 59), lang) for day in range(1, 8)]
    moment = {"number_format": t("export.format.moment", lang), "horizontal": "left",
              "shows": lambda value: format_moment(value, lang), "known": week}
    columns = []
    for field in FIELDS:
        spec = dict(_COLUMNS.get(field, {}))
        if field in ("received", "deadline", "first-response"):
            spec.update(moment)
        if spec.get("keep"):
            spec["max_width"] = KEEP_LIMIT
        spec.setdefault("known", known.get(field, ()))
        columns.append(Column(t(f"label.register.{field}", lang), **spec))
    return columns


def register_rows(complaints: Iterable[Complaint], policy: Any, lang: str
                  ) -> Iterator[list[Any]]:
    from planner.present.complaints import mark_text, policy_channel

    for complaint in complaints:
        c = complaint.record
        answer = None
        if c.callback:
            answer = t(f"register.satisfied.{'yes' if c.callback.satisfied else 'no'}", lang)
            answer = f"{answer} ({c.callback.by}, {c.callback.at:%Y-%m-%d})"
        row = [c.number, policy.level_name(c.level, lang),
               policy.category_name(c.category, lang), c.product, c.order_id, c.buyer,
               policy_channel(policy, c.channel, lang), c.summary, c.received, c.deadline,
               policy.role_name(c.handler, lang), c.created_by, c.assignee, c.first_response,
               t(f"register.step.{complaint.step}", lang),
               t(f"register.status.{c.status}", lang),
               mark_text(complaint, lang, colour=False) or None, answer]
        yield [fit_cell(value) for value in row]


def register_title(lang: str, *, shop: str | None, year: int) -> str:
    return t("export.title.complaints", lang, shop=shop or t("plan.no-shop-name", lang),
             year=year)


def write_register_workbook(target: Path, complaints: Iterable[Complaint], lang: str, *,
                            policy: Any, shop: str | None, year: int, total: int | None = None,
                            force: bool = False, report: Sections | None = None,
                            progress: Callable[[int], None] | None = None) -> Path:
    """Stream the register to `target` (atomically; refuses to overwrite without force),
    with the campaign's `report` (heading, headers, rows sections) as a second sheet."""
    from planner.export.sheet import Table, sections_table
    from planner.export.xlsx import building, save_workbook, write_table

    title = register_title(lang, shop=shop, year=year)
    columns = register_columns(policy, lang)
    table = Table(title=t("export.sheet.complaints", lang), columns=columns,
                  rows=register_rows(complaints, policy, lang), total=total, landscape=True,
                  freeze_columns=1, page_title=title)
    with building(title, lang=lang) as wb:
        write_table(wb, table, progress)
        if report:
            write_table(wb, sections_table(report, sheet=t("export.sheet.report", lang),
                                           page_title=title))
        return save_workbook(wb, target, force=force)


def _check(job: Job) -> None:
    if job.workspace.folder is None:
        raise PlannerError("error.no-workspace")


def _write(job: Job, dest: Path, label: str, options: ExportOptions) -> Path:
    from planner.complaints.register import Search
    from planner.present.report import report_sections

    desk = job.workspace.desk
    listed = Search(include_void=True)  # a void one stays on the printed register, marked
    total = desk.count(listed)
    report = report_sections(desk.report(year=job.year), job.workspace.policy, job.lang)
    with options.progress(total, t("export.progress", job.lang, name=label)) as progress:
        return write_register_workbook(
            dest, desk.complaints(listed), job.lang, policy=job.workspace.policy,
            shop=job.shop_name, year=job.year, total=total, force=options.force,
            report=report, progress=progress)


WORKBOOK = Workbook("complaints", _write, check=_check,
                   in_all=lambda job: job.workspace.desk.count() > 0)
