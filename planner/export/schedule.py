"""The schedule workbook: a Gantt view of the plan, one column per campaign day.

Each phase gets a band row in its own colour, each item a row with its phase window tinted and
its due day marked. Weekend columns are shaded, and March 15 stands out in the header.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planner.core.i18n import t
from planner.export.registry import ExportOptions, Job, Workbook
from planner.storage.contract import SETTLED

# Per phase: (band on workdays, band on weekends, due-day marker).
PHASE_COLOURS = {
    "prepare": ("DDEBF7", "BDD7EE", "2F75B5"),
    "battle": ("FCE4D6", "F8CBAD", "C65911"),
    "aftermath": ("E2EFDA", "C6E0B4", "548235"),
}
OTHER_COLOURS = ("EDEDED", "D9D9D9", "595959")
WEEKEND = "EDEDED"
CONSUMER_DAY_FILL = "FFC7CE"
CONSUMER_DAY_FONT = "9C0006"
LEAD_COLUMNS = ("id", "title", "owner", "due")


def campaign_days(plan: dict[str, Any]) -> list[dt.date]:
    phases = plan["phases"]
    if not phases:
        return []
    first, last = phases[0]["start"], phases[-1]["end"]
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def day_header(day: dt.date, lang: str) -> str:
    from planner.export.notice import weekday_name

    return f"{day.month}/{day.day}\n{weekday_name(day, lang)}"


def schedule_title(plan: dict[str, Any], lang: str) -> str:
    shop = plan.get("shop") or t("plan.no-shop-name", lang)
    return t("export.title.schedule", lang, shop=shop, year=plan["year"])


def schedule_table(plan: dict[str, Any], lang: str, title: str, paper: str = "a4") -> Any:
    """The Gantt sheet. On paper (A4 landscape, or A3 with `paper`) the day columns run over
    as many pages as they need at a legible size, the item columns repeated on each."""
    from planner.campaign.phases import load_campaign
    from planner.export.sheet import HEADER, Column, Style, Table

    days = campaign_days(plan)
    owners = [names[lang] for names in load_campaign().owners.values()]
    columns = [
        Column(t("export.checklist.id", lang), text=True, keep=True, max_width=40),
        Column(t("export.checklist.title", lang), max_width=30, wrap=True),
        # role names on one line: "CS supervisor/manager" is never cut
        Column(t("export.checklist.owner", lang), keep=True, known=owners),
        Column(t("export.checklist.due", lang), text=True, keep=True,
               known=[t("export.schedule.daily", lang)]),
        *(Column(day_header(day, lang), keep=True) for day in days),  # as wide as "3/15 周一"
    ]
    lead = len(LEAD_COLUMNS)
    header_styles = {}
    for i, day in enumerate(days, lead):
        if (day.month, day.day) == (3, 15):
            header_styles[i] = Style(bold=True, fill=CONSUMER_DAY_FILL, color=CONSUMER_DAY_FONT,
                                     wrap=True, horizontal="center", border=True)
        elif day.weekday() >= 5:
            header_styles[i] = Style(bold=True, fill="D9D9D9", wrap=True, horizontal="center",
                                     border=True)
        else:
            header_styles[i] = HEADER
    count = sum(len(phase["items"]) + 1 for phase in plan["phases"])
    # a phase's band row stays on the page of its first item, its last item on the page of
    # the one before
    keep, row = set(), 0
    for phase in plan["phases"]:
        keep.add(row)
        if len(phase["items"]) > 1:
            keep.add(row + len(phase["items"]) - 1)
        row += len(phase["items"]) + 1
    legend = t("export.schedule.legend", lang)
    return Table(title=t("export.sheet.schedule", lang), columns=columns,
                 rows=_rows(plan, days, lang), total=count, landscape=True,
                 freeze_columns=lead, page_title=f"{title}    {legend}",
                 header_styles=header_styles, paper=paper, page_order="overThenDown",
                 keep_with_next=frozenset(keep))


def _rows(plan: dict[str, Any], days: list[dt.date], lang: str) -> Iterator[list[Any]]:
    from planner.export.sheet import Style

    weekend = Style(fill=WEEKEND)

    def cell(style: Style, value: Any = None) -> Any:
        return style.cell(value)

    def outside(day: dt.date) -> Any:
        return cell(weekend) if day.weekday() >= 5 else None

    for phase in plan["phases"]:
        band, weekend_band, marker = PHASE_COLOURS.get(phase["id"], OTHER_COLOURS)
        span = t("export.schedule.span", lang, start=phase["start"].isoformat(),
                 end=phase["end"].isoformat(), days=(phase["end"] - phase["start"]).days + 1)
        strong = Style(bold=True, fill=marker, color="FFFFFF")
        heading = Style(bold=True, fill=band)
        yield [cell(heading, phase["name"]), cell(heading, span), cell(heading),
               cell(heading),
               *(cell(strong) if phase["start"] <= day <= phase["end"]
                 else outside(day) for day in days)]
        for item in phase["items"]:
            due = item["due"]
            marks = _marks(item)
            row: list[Any] = [item["id"], item["title"], item["owner_name"],
                              t("export.schedule.daily", lang) if item.get("days")
                              else due.isoformat()]
            for day in days:
                if day in marks:
                    row.append(cell(Style(bold=True, fill=marker, color="FFFFFF",
                                          horizontal="center"), marks[day]))
                elif phase["start"] <= day <= phase["end"]:
                    row.append(cell(Style(fill=weekend_band if day.weekday() >= 5 else band)))
                else:
                    row.append(outside(day))
            yield row


def _marks(item: dict[str, Any]) -> dict[dt.date, str]:
    """The marked days of an item's row: its due day, or every day of a daily duty; ✓ where
    done (or skipped), ◆ where still to do."""
    def mark(status: str | None) -> str:
        return "✓" if status in SETTLED else "◆"

    if item.get("days"):
        states = {entry["day"]: entry.get("status") for entry in item.get("occurrences", [])}
        return {day: mark(states.get(day)) for day in item["days"]}
    return {item["due"]: mark(item.get("status"))}


def write_schedule_workbook(target: Path, plan: dict[str, Any], lang: str, *,
                            force: bool = False, paper: str = "a4") -> Path:
    """Write the Gantt schedule of `plan` to `target`, to print on `paper` (a4, a3)."""
    from planner.export.xlsx import write_workbook

    title = schedule_title(plan, lang)
    return write_workbook(target, schedule_table(plan, lang, title, paper), title=title,
                          lang=lang, force=force)


def _write(job: Job, dest: Path, label: str, options: ExportOptions) -> Path:
    return write_schedule_workbook(dest, job.plan, job.lang, force=options.force,
                                   paper=options.paper)


WORKBOOK = Workbook("schedule", _write)
