"""The complaint register's subcommands of `complaint`: add, list, update, callback, show.

The CLI loads `complaint_group` from here, so that the group comes with these subcommands.
"""

from __future__ import annotations

from typing import Any

import click

from planner.cli.complaint import (
    check_triage_choices,
    complaint_group,
    triage_flags,
    warn_if_estimated,
)
from planner.cli.options import (
    DateTimeParam,
    by_option,
    check_choice,
    color_option_value,
    format_option,
    lang_option,
    note_option,
    open_workspace,
    workspace_option,
    year_option,
)
from planner.complaints.policy import LEVELS
from planner.complaints.register import STATUSES as COMPLAINT_STATUSES


def _open(workspace: str | None, lang: str | None, by: str | None = None) -> Any:
    return open_workspace(workspace=workspace, lang=lang, by=by, need_workspace=True)


@complaint_group.command(name="add")
@click.option("--category", "-c", required=True, metavar="ID", help="Category id / 投诉类别.")
@click.option("--summary", "-s", required=True, help="What the buyer complains about / 摘要.")
@click.option("--order", default=None, help="Order number / 订单号.")
@click.option("--buyer", default=None, help="Buyer's name or handle / 买家.")
@click.option("--product", "-p", default=None,
              help="Product id; complaints on the same product and category are counted for "
                   "the batch rule / 商品编号.")
@click.option("--channel", default=None,
              help="Where it came in (Wangwang, phone, 12315…) / 投诉渠道.")
@click.option("--received", "-r", type=DateTimeParam(), default=None,
              help='When it was received: "YYYY-MM-DD HH:MM" or ISO 8601; default now / '
                   "受理时间，默认现在.")
@triage_flags
@by_option
@workspace_option
@lang_option
@format_option(("table", "json"))
def register_add(category, summary, order, buyer, product, channel, received, vip, escalated,
                 from_head_office, sensitive, media_risk, by, workspace, lang, fmt):
    """Record a complaint: form number, level, owner and deadline.

    登记投诉：生成投诉单号，确定级别、处理人和首次回复截止时间。

    \b
    Example / 示例:
      planner315 complaint add -c quality -s "收到的杯子有裂纹" --order 3312 --product CUP-01
    """
    from planner.complaints.triage import TriageFlags
    from planner.core.i18n import t
    from planner.present.complaints import format_moment

    ws = _open(workspace, lang, by)
    category = check_triage_choices(ws, category, sensitive)
    added = ws.add_complaint(category=category, summary=summary, received=received,
                             flags=TriageFlags(vip, escalated, from_head_office, sensitive,
                                               media_risk),
                             product=product, order=order, buyer=buyer, channel=channel)
    warn_if_estimated(added.triage.deadline.estimated_years, ws.lang)
    if fmt == "json":
        from planner.present.complaints import added_data
        from planner.present.text import to_json

        click.echo(to_json(added_data(added, ws.policy, ws.lang)))
        return
    record, policy = added.complaint.record, ws.policy
    click.echo(t("register.added", ws.lang, number=record.number,
                 level=policy.level_name(record.level, ws.lang),
                 handler=policy.role_name(record.handler, ws.lang),
                 deadline=format_moment(record.deadline, ws.lang)))
    if added.escalated:
        click.echo(t("register.batch", ws.lang, count=added.same_issue_count,
                     numbers=", ".join(added.escalated)), err=True)


@complaint_group.command(name="list")
@click.option("--open", "open_only", is_flag=True, help="Only unfinished ones / 只看未结案.")
@click.option("--overdue", is_flag=True, help="Only those past their deadline / 只看已超时.")
@click.option("--level", type=click.Choice(LEVELS), default=None,
              help="Only this level / 只看该级别.")
@click.option("--owner", default=None, metavar="ROLE",
              help="Only this handler role / 只看该处理人.")
@click.option("--today", "when", type=DateTimeParam(), default=None,
              help="Judge deadlines as of DATETIME (default now) / 以该时刻判断超时.")
@year_option
@workspace_option
@lang_option
@format_option(("table", "json"))
def register_list(open_only, overdue, level, owner, when, year, workspace, lang, fmt):
    """List complaints: urgent first, then III, II, I, then by deadline.

    列出投诉：紧急优先，其次 III、II、I 级，再按截止时间排序。

    \b
    Example / 示例:
      planner315 complaint list --open
      planner315 complaint list --overdue --format json
    """
    from planner.present.complaints import complaint_data, complaints_table
    from planner.present.text import to_json

    ws = open_workspace(workspace=workspace, lang=lang, year=year, need_workspace=True,
                        today=when.date() if when else None)
    check_choice(owner, ws.policy.roles, "--owner", ws.lang)
    complaints = list(ws.complaints(when, open_only=open_only, overdue=overdue, level=level,
                                    owner=owner))
    if fmt == "json":
        click.echo(to_json([complaint_data(complaint) for complaint in complaints]))
    else:
        click.echo(complaints_table(complaints, ws.policy, ws.lang),
                   color=color_option_value())


@complaint_group.command(name="update")
@click.argument("number")
@click.option("--status", required=True, type=click.Choice(COMPLAINT_STATUSES),
              help="New status / 新状态.")
@note_option
@by_option
@workspace_option
@lang_option
def register_update(number, status, note, by, workspace, lang):
    """Move complaint NUMBER to a new status.

    更新投诉单状态。

    \b
    Example / 示例:
      planner315 complaint update TS-2027-0001 --status replied --note "已电话致歉并补发"
    """
    from planner.core.i18n import t

    ws = _open(workspace, lang, by)
    complaint, changed = ws.update_complaint(number, status, note)
    key = "register.updated" if changed else "register.unchanged"
    click.echo(t(key, ws.lang, number=complaint.record.number,
                 status=t(f"register.status.{status}", ws.lang)))


@complaint_group.command(name="callback")
@click.argument("number")
@click.option("--satisfied", required=True, type=click.Choice(["yes", "no"]),
              help="Is the buyer satisfied now? / 买家是否满意.")
@note_option
@by_option
@workspace_option
@lang_option
def register_callback(number, satisfied, note, by, workspace, lang):
    """Record the aftermath call-back of complaint NUMBER.

    记录善后回访结果。

    \b
    Example / 示例:
      planner315 complaint callback TS-2027-0001 --satisfied yes --note "已收到补发"
    """
    from planner.core.i18n import t

    ws = _open(workspace, lang, by)
    complaint = ws.record_callback(number, satisfied == "yes", note)
    click.echo(t("register.called-back", ws.lang, number=complaint.record.number,
                 answer=t(f"register.satisfied.{satisfied}", ws.lang)))


@complaint_group.command(name="show")
@click.argument("number")
@click.option("--today", "when", type=DateTimeParam(), default=None,
              help="Judge the deadline as of DATETIME (default now) / 以该时刻判断超时.")
@workspace_option
@lang_option
@format_option(("table", "json"))
def register_show(number, when, workspace, lang, fmt):
    """Show complaint NUMBER with its full history.

    查看投诉单详情及全部处理记录。

    \b
    Example / 示例:
      planner315 complaint show TS-2027-0001
    """
    from planner.present.complaints import complaint_card, shown_data
    from planner.present.text import to_json

    ws = _open(workspace, lang)
    complaint, history = ws.show_complaint(number, when)
    if fmt == "json":
        click.echo(to_json(shown_data(complaint, history)))
    else:
        click.echo(complaint_card(complaint, history, ws.policy, ws.lang))
