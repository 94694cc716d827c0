"""`complaint` group: `triage` here; the complaint register adds its subcommands to the group.

Reusable pieces for those subcommands: `resolve_complaint_setup` (workspace, shop, language
and complaint rules in one call) and `format_moment` (a date-time for tables).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from planner.cli.options import (
    DateTimeParam,
    check_choice,
    format_option,
    lang_option,
    resolve_shop,
    workspace_option,
)
from planner.core.i18n import t


@dataclass
class ComplaintSetup:
    """What every complaint command needs: workspace, shop, language and complaint rules."""

    workspace: Path | None
    shop: Any
    lang: str
    rules: Any


def resolve_complaint_setup(workspace: str | None, lang: str | None,
                            need_workspace: bool = False) -> ComplaintSetup:
    """Find the workspace (optional unless `need_workspace`), load its shop file, settle the
    language, load the complaint rules."""
    from planner.complaints.deadlines import load_complaint_rules

    folder, shop, chosen = resolve_shop(workspace=workspace, lang=lang,
                                        need_workspace=need_workspace)
    return ComplaintSetup(folder, shop, chosen, load_complaint_rules(folder, shop))


def format_moment(moment: dt.datetime, lang: str) -> str:
    """``2027-03-15 18:00 周一`` / ``2027-03-15 18:00 Mon`` (Shanghai time)."""
    weekday = t("complaint.weekdays", lang).split()[moment.weekday()]
    return f"{moment:%Y-%m-%d %H:%M} {weekday}"


def warn_if_estimated(years: list[int], lang: str) -> None:
    """Say on stderr that deadlines in `years` rest on a weekends-only estimate."""
    if years:
        click.echo(t("warn.calendar-estimated", lang, years=", ".join(map(str, years))),
                   err=True)


@click.group(name="complaint")
def complaint_group() -> None:
    """Handle complaints in the 315 period: level, handler and first-response deadline.

    315 期间的投诉处理：定级、确定处理人和首次回复时限。

    \b
    Example / 示例:
      planner315 complaint triage --category quality --received "2027-03-15 10:00"
    """


def triage_flags(command: Any) -> Any:
    """The flags that can make a complaint more serious, for `triage` and `add` alike."""
    for option in reversed((
        click.option("--vip", is_flag=True, help="Important (VIP) customer / 重要客户."),
        click.option("--escalated", is_flag=True,
                     help="Complained again after earlier handling failed / 升级投诉."),
        click.option("--from-head-office", is_flag=True,
                     help="Passed down from head office / 总部转来的越级投诉."),
        click.option("--sensitive", metavar="WHO", default=None,
                     help="Complainant is from media|regulator|government|"
                          "consumer-association / 敏感身份."),
        click.option("--media-risk", is_flag=True,
                     help="Likely to reach the media or court / 可能引发媒体报道或诉讼."),
    )):
        command = option(command)
    return command


@complaint_group.command(name="triage")
@click.option("--category", "-c", required=True, metavar="ID",
              help="Complaint category id from the policy, e.g. quality, after-sale, "
                   "agent-attitude (a wrong id lists them all) / 投诉类别.")
@triage_flags
@click.option("--same-issue-count", type=click.IntRange(min=1), default=None, metavar="N",
              help="Complaints about the same issue (category and product) received that "
                   "calendar day, this one included / 当天同一问题的投诉件数.")
@click.option("--received", "-r", type=DateTimeParam(), default=None,
              help='When it was received: "YYYY-MM-DD HH:MM" (Beijing time) or ISO 8601 '
                   "with offset; default now / 受理时间，默认现在.")
@workspace_option
@lang_option
@format_option(("table", "json"))
def complaint_triage(category, vip, escalated, from_head_office, sensitive, media_risk,
                     same_issue_count, received, workspace, lang, fmt):
    """Print a complaint's level, handler role and first-response deadline.

    给出投诉的级别、处理人和首次回复截止时间（按工作日与法定节假日计算）。

    \b
    Example / 示例:
      planner315 complaint triage -c after-sale --received "2026-09-30 17:30"
      planner315 complaint triage -c quality --sensitive media --format json
    """
    from planner.complaints.deadlines import triage_complaint
    from planner.core.clock import now
    from planner.present import text as render

    setup = resolve_complaint_setup(workspace, lang)
    policy = setup.rules.policy
    check_choice(category, policy.categories, "--category", setup.lang)
    check_choice(sensitive, policy.urgent.sensitive, "--sensitive", setup.lang)
    data = triage_complaint(setup.rules, category, received or now(), setup.lang,
                            vip=vip, escalated=escalated, from_head_office=from_head_office,
                            sensitive=sensitive, media_risk=media_risk,
                            same_issue_count=same_issue_count)
    warn_if_estimated(data["estimated_years"], setup.lang)
    click.echo(render.to_json(data) if fmt == "json" else triage_table(data, setup.lang))


def triage_table(data: dict[str, Any], lang: str) -> str:
    from planner.present import text as render

    separator = t("punct.list-separator", lang)
    rows = [
        ("level", data["level_name"]),
        ("category", f"{data['category_name']} ({data['category']})"),
        ("handler", data["handler_name"]),
        ("rule", data["rule_name"]),
        ("received", format_moment(data["received"], lang)),
        ("deadline", format_moment(data["deadline"], lang)),
        ("calendar", t(f"complaint.calendar.{data['calendar']}", lang)),
        ("reasons", separator.join(data["reason_texts"])),
        ("note", data["note"]),
    ]
    headers = [t("label.complaint.item", lang), t("label.complaint.value", lang)]
    body = render.table(headers, [(t(f"label.complaint.{key}", lang), value)
                                  for key, value in rows if value],
                        [None, 70])
    return f"{t('complaint.triage-title', lang)}\n\n{body}"
