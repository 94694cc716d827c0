"""The deployment notice (工作部署通知): what a manager sends every team before the battle.

The words and the order of the sections come from ``templates/notice.<lang>.yaml``; this module
fills them with the plan (phases, tasks, owners, due dates), the complaint levels, the roster
(escalation order, managers on the floor each battle day) and the reminders, as a list of
`Line`s, then lays the lines out as a printable sheet. The roster follows as a second sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from planner.core.i18n import t
from planner.export.pages import page_breaks
from planner.export.registry import ExportOptions, Job, Workbook
from planner.roster.contacts import (
    ON_FLOOR_DEPARTMENT,
    as_shown,
    escalation_path,
    on_floor_schedule,
)

NUMBER_WIDTH = 5.5
MIN_TEXT_WIDTH = 36.0
OWNER_LIMIT, WHEN_LIMIT = 22.0, 21.0
SKIPPED_OWNER = "shop-owner"  # the notice goes out from the shop owner, not to them


@dataclass(frozen=True)
class Line:
    """One row of the notice. `kind`: heading, subheading, text (spans the row) or entry."""

    kind: str
    text: str
    number: str = ""
    owner: str = ""
    when: str = ""
    fixed: bool = False  # `when` is a date or phone numbers: never wrapped


@dataclass(frozen=True)
class Gap:
    """Something the notice lacks, that its sender should add before sending it: a message
    key of ``export.notice.gap.*`` and its parameters."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str) -> str:
        return t(f"export.notice.gap.{self.key}", lang, **dict(self.params))


@cache
def notice_template(lang: str) -> dict[str, Any]:
    from planner.core.snapshot import load_shipped

    return load_shipped("planner.templates", f"notice.{lang}.yaml")


def format_date(day: dt.date, lang: str) -> str:
    words = notice_template(lang)
    return words["date"].format(**_date_parts(day, words))


def weekday_name(day: dt.date, lang: str) -> str:
    """The short name of `day`'s weekday (周一, Mon): the notice's dates and the schedule's
    day columns both use the ``weekdays`` list of the notice template."""
    return notice_template(lang)["weekdays"][day.weekday()]


def _date_parts(day: dt.date, words: dict[str, Any]) -> dict[str, Any]:
    months = words.get("months")
    return {"year": day.year, "month": day.month, "day": day.day,
            "weekday": words["weekdays"][day.weekday()],
            "month_name": months[day.month - 1] if months else day.month}


def short_date(day: dt.date, lang: str) -> str:
    words = notice_template(lang)
    return words["short_date"].format(**_date_parts(day, words))


def _span(start: dt.date, end: dt.date, lang: str) -> str:
    return notice_template(lang)["span"].format(start=short_date(start, lang),
                                                end=short_date(end, lang),
                                                days=(end - start).days + 1)


def addressees(plan: dict[str, Any], contacts: list[dict[str, Any]], lang: str) -> str:
    """The teams the notice goes to: every owner of a task or contact, in campaign order."""
    from planner.campaign.phases import load_campaign

    used = {item["owner"] for phase in plan["phases"] for item in phase["items"]}
    used |= {contact["department"] for contact in contacts}
    owners = load_campaign().owners
    names = [names[lang] for ident, names in owners.items()
             if ident in used and ident != SKIPPED_OWNER]
    return notice_template(lang)["departments_separator"].join(names)


def notice_lines(plan: dict[str, Any], contacts: list[dict[str, Any]], lang: str, *,
                 levels: list[dict[str, str]] | None = None,
                 procedure: list[str] | None = None, reminders: list[str] | None = None,
                 mask_phones: bool = False) -> list[Line]:
    """The body of the notice, section by section, in the template's order.

    `levels`: rows ``{level, cases, handler, deadline}`` of the complaint level table (None:
    the notice points to the level table issued separately; see `levels_from_policy`).
    `procedure`: the handling steps, each "step: what it means". `reminders`: texts on
    customer types and answer scripts (None: the template's own; see `reminders_from_playbook`).
    """
    words = notice_template(lang)
    builders = {
        "purpose": lambda: _purpose(plan, words, lang),
        "phases": lambda: _phases(plan, words, lang),
        "tasks": lambda: _tasks(plan, words, lang),
        "levels": lambda: _levels(levels, words),
        "escalation": lambda: _escalation(contacts, procedure, words, lang, mask_phones),
        "on_floor": lambda: _on_floor(plan, contacts, words, lang),
        "reminders": lambda: _numbered(reminders if reminders is not None
                                       else words["reminders"]["items"]),
        "other": lambda: _numbered(words["other"]["items"]),
    }
    lines: list[Line] = []
    for index, section in enumerate(words["sections"]):
        heading = words["heading"].format(numeral=words["numerals"][index],
                                          heading=words[section]["heading"])
        lines.append(Line("heading", heading))
        lines.extend(builders[section]())
    return lines


def _purpose(plan: dict[str, Any], words: dict[str, Any], lang: str) -> list[Line]:
    phases = plan["phases"]
    start = short_date(phases[0]["start"], lang) if phases else ""
    end = short_date(phases[-1]["end"], lang) if phases else ""
    shop = plan.get("shop") or t("plan.no-shop-name", lang)
    return [Line("text", _paragraph(paragraph, lang).format(shop=shop, year=plan["year"],
                                                            start=start, end=end))
            for paragraph in words["purpose"]["paragraphs"]]


def _paragraph(text: str, lang: str) -> str:
    """Folded YAML keeps a space where a line broke; Chinese text has no spaces there."""
    return " ".join(text.split()) if lang == "en" else "".join(text.split())


def _phases(plan: dict[str, Any], words: dict[str, Any], lang: str) -> list[Line]:
    spec = words["phases"]
    return [Line("entry", spec["row"].format(name=phase["name"],
                                             focus=spec["focus"].get(phase["id"], "")),
                 number=str(n), when=_span(phase["start"], phase["end"], lang), fixed=True)
            for n, phase in enumerate(plan["phases"], 1)]


def _tasks(plan: dict[str, Any], words: dict[str, Any], lang: str) -> list[Line]:
    spec = words["tasks"]
    lines = []
    for index, phase in enumerate(plan["phases"]):
        title = spec["phase"].format(name=phase["name"],
                                     span=_span(phase["start"], phase["end"], lang))
        lines.append(Line("subheading", words["subheading"].format(
            numeral=words["numerals"][index], heading=title)))
        if not phase["items"]:
            lines.append(Line("text", spec["none"]))
        for n, item in enumerate(phase["items"], 1):
            lines.append(Line("entry", item["title"], number=str(n), owner=item["owner_name"],
                              when=format_date(item["due"], lang), fixed=True))
    return lines


def _levels(levels: list[dict[str, str]] | None, words: dict[str, Any]) -> list[Line]:
    spec = words["levels"]
    if not levels:
        lines = [Line("text", spec["missing"])]
    else:
        lines = [Line("text", spec["intro"])]
        lines += [Line("entry", spec["row"].format(level=row["level"], cases=row["cases"]),
                       number=str(n), owner=row.get("handler", ""),
                       when=row.get("deadline", ""))
                  for n, row in enumerate(levels, 1)]
    return lines + [Line("text", rule) for rule in spec["rules"]]


def _escalation(contacts: list[dict[str, Any]], procedure: list[str] | None,
                words: dict[str, Any], lang: str, mask_phones: bool) -> list[Line]:
    from planner.campaign.phases import load_campaign

    spec = words["escalation"]
    lines = _numbered(spec["steps"])
    if procedure:
        steps = spec["arrow"].join(re.split(r"[:：]", step, maxsplit=1)[0].strip()
                                   for step in procedure)
        lines.append(Line("text", spec["procedure"].format(steps=steps)))
    path = escalation_path(contacts)
    if not path:
        return [*lines, Line("text", spec["none"])]
    lines.append(Line("text", spec["contacts"]))
    owners = load_campaign().owners
    for contact in path:
        phones = [as_shown(contact, mask_phones=mask_phones).get("mobile"),
                  contact.get("landline")]
        text = spec["contact"].format(name=contact["name"], role=contact.get("role") or "")
        lines.append(Line("entry", text.rstrip(" ,　"), number=str(contact["escalation"]),
                          owner=owners[contact["department"]][lang],
                          when="\n".join(p for p in phones if p), fixed=True))  # a line each
    return lines


def _on_floor(plan: dict[str, Any], contacts: list[dict[str, Any]], words: dict[str, Any],
              lang: str) -> list[Line]:
    spec = words["on_floor"]
    battle = next((p for p in plan["phases"] if p["id"] == "battle"), None)
    managers = [c for c in contacts if c["department"] == ON_FLOOR_DEPARTMENT]
    lines = [Line("text", spec["intro"])]
    if battle is None:
        return lines
    if not managers:
        return [*lines, Line("text", spec["no_managers"])]
    for n, (day, present) in enumerate(on_floor_schedule(contacts, battle["start"],
                                                         battle["end"]), 1):
        people = [spec["person"].format(name=c["name"], shift=label) if label else c["name"]
                  for c, label in present]
        lines.append(Line("entry", spec["separator"].join(people) or spec["nobody"],
                          number=str(n), when=format_date(day, lang), fixed=True))
    return lines


def _numbered(texts: list[str]) -> list[Line]:
    return [Line("text", text, number=str(n)) for n, text in enumerate(texts, 1)]


def levels_from_policy(rows: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The notice's level rows from `planner.present.complaints.level_table` output."""
    spec = notice_template(lang)["levels"]
    return [{"level": spec["level"].format(level=row["level_name"],
                                           category=row["category_name"]),
             "cases": row["cases"], "handler": row["handler_name"],
             "deadline": row["rule_name"]} for row in rows]


def reminders_from_playbook(playbook: dict[str, Any], lang: str) -> list[str]:
    """Reminder lines from the playbook (`planner.complaints.playbook.load_playbook`), plus
    the template's extras."""
    spec = notice_template(lang)["reminders"]
    lines = [spec["type"].format(**{key: entry.get(key, "") for key in
                                    ("name", "signs", "approach", "how", "words")})
             for entry in playbook.get("customer_types", [])]
    if playbook.get("principles"):
        lines.append(spec["principles"].format(
            principles=spec["principles_separator"].join(playbook["principles"])))
    scripts = [spec["script"].format(name=entry["name"], line=entry["lines"][0])
               for entry in playbook.get("scripts", [])
               if entry.get("lines") and entry.get("kind") is None]
    if scripts:
        lines.append(spec["scripts"].format(scripts=spec["script_separator"].join(scripts)))
    return lines + list(spec["extra"])


def notice_title(plan: dict[str, Any], lang: str) -> str:
    return notice_template(lang)["title"].format(year=plan["year"])


def closing_lines(lang: str, issuer: str | None, issued: dt.date) -> list[str]:
    spec = notice_template(lang)["closing"]
    who = spec["issuer"].format(issuer=issuer) if issuer else spec["no_issuer"]
    return [who, spec["date"].format(**_date_parts(issued, notice_template(lang)))]


# --- laying it out ---------------------------------------------------------------------------


def notice_gaps(plan: dict[str, Any], contacts: list[dict[str, Any]], lang: str, *,
                issuer: str | None, levels: list[dict[str, str]] | None) -> list[Gap]:
    """What the notice says is still missing (to its sender, not to the teams): no
    escalation order, no CS managers for the peak days or days nobody covers, no complaint
    levels, no issuer."""
    gaps = []
    if not levels:
        gaps.append(Gap("levels"))
    if not escalation_path(contacts):
        gaps.append(Gap("escalation"))
    battle = next((p for p in plan["phases"] if p["id"] == "battle"), None)
    if battle is not None:
        if not any(c["department"] == ON_FLOOR_DEPARTMENT for c in contacts):
            gaps.append(Gap("managers"))
        else:
            empty = [day for day, present in on_floor_schedule(contacts, battle["start"],
                                                                battle["end"])
                     if not present]
            if empty:
                days = notice_template(lang)["departments_separator"].join(
                    short_date(day, lang) for day in empty)
                gaps.append(Gap("uncovered", (("days", days),)))
    if not issuer:
        gaps.append(Gap("issuer"))
    return gaps


def notice_widths(lines: list[Line], words: dict[str, Any], page: float) -> tuple[float, ...]:
    """Column widths: the number, the owner (team names on one line) and the time (dates and
    phone numbers on one line) as wide as they need, the text the rest of the page's width.
    What else these columns hold (a level's handler and deadline) wraps."""
    from planner.export.metrics import PRINT_DIGIT_PT, column_points, column_width
    from planner.export.xlsx import header_width

    headers = words["columns"]
    owner = max([header_width(headers[2])]
                + [column_width(line.owner) for line in lines if line.owner and line.fixed])
    when = max([header_width(headers[3])]
               + [column_width(line.when) for line in lines if line.when and line.fixed])
    owner, when = min(owner, OWNER_LIMIT), min(when, WHEN_LIMIT)
    used = sum(column_points(width) for width in (NUMBER_WIDTH, owner, when))
    text = (page - used - column_points(0)) / PRINT_DIGIT_PT * 0.98
    return NUMBER_WIDTH, max(round(text, 1), MIN_TEXT_WIDTH), owner, when


HEADING_SIZE, TITLE_SIZE = 12, 16


def notice_table(lines: list[Line], lang: str, *, title: str, to: str,
                 closing: list[str]) -> Any:
    """The notice sheet: title and addressees above the header, one row per line below;
    every row as tall as its wrapped text, a page break before a heading that would end a
    page."""
    from planner.export.metrics import text_height
    from planner.export.sheet import Column, Style, Table
    from planner.export.xlsx import printable_height, printable_width

    words = notice_template(lang)
    frame = Table(title="", columns=(), rows=())  # A4 portrait, as the notice prints
    widths = notice_widths(lines, words, printable_width(frame))
    columns = [Column(name, width=width) for name, width in zip(words["columns"], widths,
                                                                strict=True)]
    wide, full = sum(widths[1:]), sum(widths)
    header_height = max(text_height(name, width, bold=True) for name, width in
                        zip(words["columns"], widths, strict=True))
    heights = {1: text_height(title, full, TITLE_SIZE, bold=True) + 6,
               2: text_height(to, full)}
    merged = ["A1:D1", "A2:D2"]
    first = 4  # title, addressees, header
    keep: dict[int, bool] = {}  # row -> stays on the page of the row after it
    for offset, line in enumerate(lines):
        row = first + offset
        if line.kind in ("heading", "subheading", "text"):
            merged.append(f"B{row}:D{row}")
            size = HEADING_SIZE if line.kind == "heading" else 11
            height = text_height(line.text, wide, size, bold=line.kind != "text")
        else:
            height = max(text_height(line.text, widths[1]), text_height(line.owner, widths[2]),
                         text_height(line.when, widths[3]))
        heights[row] = height + (4 if line.kind == "heading" else 0)
        keep[row] = line.kind in ("heading", "subheading")
    for offset, line in enumerate(lines[1:], 1):
        ends = offset + 1 == len(lines) or lines[offset + 1].kind in ("heading", "subheading")
        if ends and line.kind not in ("heading", "subheading"):
            keep[first + offset - 1] = True  # a group's last line not alone atop a page
    closing_start = first + len(lines) + 1
    # the last line, the blank row, the issuer and the date stay together: the closing
    # never stands alone on a page
    keep[closing_start - 2] = keep[closing_start - 1] = True
    heights[closing_start - 1] = 15.0
    for offset in range(len(closing)):
        row = closing_start + offset
        merged.append(f"B{row}:D{row}")
        heights[row] = text_height(closing[offset], wide)
        keep[row] = offset < len(closing) - 1
    breaks = page_breaks(heights, keep, start=first, used=heights[1] + heights[2] + header_height,
                         repeated=header_height, page=printable_height(frame))

    def rows() -> Iterator[list[Any]]:
        styles = {
            "heading": Style(bold=True, size=HEADING_SIZE, fill="F2F2F2", border=True,
                             wrap=True),
            "subheading": Style(bold=True, border=True, wrap=True),
            "text": Style(border=True, wrap=True),
            "entry": Style(border=True, wrap=True),
        }
        number = Style(border=True, horizontal="center")
        for line in lines:
            style = styles[line.kind]
            yield [number.cell(line.number), style.cell(line.text), style.cell(line.owner),
                   style.cell(line.when)]
        yield []
        right = Style(horizontal="right", wrap=True)
        for text in closing:
            yield [None, right.cell(text)]

    big = Style(bold=True, size=TITLE_SIZE, horizontal="center", vertical="center", wrap=True)
    preamble = [[big.cell(title)], [Style(wrap=True).cell(to)]]
    return Table(title=words["sheet"], columns=columns, rows=rows(), total=len(lines),
                 page_title=None, preamble=preamble, merged=merged, row_heights=heights,
                 header_height=header_height, grid=False, autofilter=False, row_breaks=breaks)


def write_notice_workbook(target: Path, plan: dict[str, Any], contacts: list[dict[str, Any]],
                          lang: str, *, issuer: str | None, issued: dt.date,
                          levels: list[dict[str, str]] | None = None,
                          procedure: list[str] | None = None,
                          reminders: list[str] | None = None, mask_phones: bool = False,
                          force: bool = False) -> Path:
    """Write the notice workbook: the notice, then the roster as the second sheet."""
    from planner.export.roster import roster_table, roster_title
    from planner.export.xlsx import building, save_workbook, write_table

    title = notice_title(plan, lang)
    lines = notice_lines(plan, contacts, lang, levels=levels, procedure=procedure,
                         reminders=reminders, mask_phones=mask_phones)
    to = notice_template(lang)["to"].format(departments=addressees(plan, contacts, lang))
    roster_name = roster_title(lang, shop=plan.get("shop"), year=plan["year"])
    with building(title, subject=plan.get("shop"), lang=lang) as wb:
        write_table(wb, notice_table(lines, lang, title=title, to=to,
                                     closing=closing_lines(lang, issuer, issued)))
        write_table(wb, roster_table(contacts, lang, title=roster_name,
                                     mask_phones=mask_phones))
        return save_workbook(wb, target, force=force)


def _job_levels(job: Job) -> list[dict[str, str]]:
    from planner.present.complaints import level_table

    return levels_from_policy(level_table(job.workspace.policy, job.lang), job.lang)


def _write(job: Job, dest: Path, label: str, options: ExportOptions) -> Path:
    from planner.complaints.playbook import load_playbook
    from planner.present.complaints import escalation_path

    policy = job.workspace.policy
    return write_notice_workbook(
        dest, job.plan, job.contacts, job.lang, issuer=job.issuer(options.issuer),
        issued=options.issued or job.workspace.today, levels=_job_levels(job),
        procedure=escalation_path(policy, job.lang),
        reminders=reminders_from_playbook(load_playbook(job.lang), job.lang),
        mask_phones=options.mask_phones, force=options.force)


def _gaps(job: Job, options: ExportOptions) -> list[str]:
    gaps = notice_gaps(job.plan, job.contacts, job.lang, issuer=job.issuer(options.issuer),
                       levels=_job_levels(job))
    return [gap.text(job.lang) for gap in gaps]


WORKBOOK = Workbook("notice", _write, gaps=_gaps)
