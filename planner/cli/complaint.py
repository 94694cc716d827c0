"""`complaint` group: `triage` here; the complaint register adds its subcommands to the group.

Reusable pieces for those subcommands: `triage_flags` (the options that can make a complaint
more serious) and `warn_if_estimated`.
"""

from __future__ import annotations

from typing import Any

import click

from planner.cli.options import (
    BilingualGroup,
    DateTimeParam,
    complete_complaint_categories,
    complete_sensitive,
    format_option,
    group_lang_option,
    lang_option,
    open_workspace,
    workspace_option,
)
from planner.core.i18n import t


def warn_if_estimated(years: list[int] | tuple[int, ...], lang: str) -> None:
    """Say on stderr that deadlines in `years` rest on a weekends-only estimate."""
    if years:
        click.echo(t("warn.calendar-estimated", lang, years=", ".join(map(str, years))),
                   err=True)


def check_triage_choices(ws: Any, category: str, sensitive: str | None) -> str:
    """Usage errors for an unknown category or sensitive party; returns the category's
    current id (an old id given as an alias becomes the id it stands for; a name in Chinese
    or English the id it names)."""
    from planner.cli.options import resolve_choice

    policy = ws.policy
    names = {ident: entry.name for ident, entry in policy.categories.items()}
    current = resolve_choice(category, names, "--category", ws.lang, policy.aliases)
    check_sensitive(ws, sensitive)
    return current


def check_sensitive(ws: Any, sensitive: str | None) -> str | None:
    """The id of a sensitive party given by id or name, else a usage error."""
    from planner.cli.options import resolve_choice

    return resolve_choice(sensitive, ws.policy.urgent.sensitive, "--sensitive", ws.lang)


@click.group(name="complaint", cls=BilingualGroup)
@group_lang_option
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
                     shell_complete=complete_sensitive,
                     help="Complainant is from media|regulator|government|"
                          "consumer-association / 敏感身份."),
        click.option("--media-risk", is_flag=True,
                     help="Likely to reach the media or court / 可能引发媒体报道或诉讼."),
    )):
        command = option(command)
    return command


@complaint_group.command(name="triage")
@click.option("--category", "-c", required=True, metavar="ID",
              shell_complete=complete_complaint_categories,
              help="Complaint category: its id or name, e.g. quality, 商品质量, after-sale "
                   "(a wrong one lists them all) / 投诉类别（id 或名称）.")
@triage_flags
@click.option("--channel", default=None, metavar="CHANNEL",
              help="Where it came in: 12315, consumer-association or regulator make it "
                   "urgent; any other text is kept as typed / 投诉渠道，经这三个渠道转来的"
                   "一律按紧急投诉处理.")
@click.option("--same-issue-count", type=click.IntRange(min=1), default=None, metavar="N",
              help="Complaints about the same issue (category plus --issue or product) "
                   "received that calendar day, this one included / 当天同一问题的投诉件数.")
@click.option("--received", "-r", type=DateTimeParam(), default=None,
              help='When it was received: "YYYY-MM-DD HH:MM" (Beijing time) or ISO 8601 '
                   "with offset; default now / 受理时间，默认现在.")
@workspace_option
@lang_option
@format_option(("table", "json"))
def complaint_triage(category, vip, escalated, from_head_office, sensitive, media_risk,
                     channel, same_issue_count, received, workspace, lang, fmt):
    """Print a complaint's level, handler role and first-response deadline.

    给出投诉的级别、处理人和首次回复截止时间（按工作日与法定节假日计算）。

    \b
    Example / 示例:
      planner315 complaint triage -c after-sale --received "2026-09-30 17:30"
      planner315 complaint triage -c quality --sensitive media --format json
      planner315 complaint triage -c account-security --escalated --channel 12315
    """
    from planner.complaints.triage import TriageFlags
    from planner.present.complaints import triage_data, triage_table
    from planner.present.text import to_json

    ws = open_workspace(workspace=workspace, lang=lang)
    category = check_triage_choices(ws, category, sensitive)
    flags = TriageFlags(vip, escalated, from_head_office, check_sensitive(ws, sensitive),
                        media_risk)
    result = ws.triage(category, received, flags, same_issue_count, channel)
    warn_if_estimated(result.deadline.estimated_years, ws.lang)
    data = triage_data(result, ws.policy, ws.lang)
    click.echo(to_json(data) if fmt == "json" else triage_table(data, ws.lang))
