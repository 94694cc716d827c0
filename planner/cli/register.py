"""The complaint register's subcommands of `complaint`: add, list, find, show, report.

The CLI loads `complaint_group` from here, so that the group comes with these subcommands
and with the desk's (`planner.cli.desk`).
"""

from __future__ import annotations

from typing import Any

import click

from planner.cli import desk as _desk  # noqa: F401 - adds the desk's subcommands to the group
from planner.cli.complaint import (
    check_sensitive,
    check_triage_choices,
    complaint_group,
    triage_flags,
    warn_if_estimated,
)
from planner.cli.options import (
    COMPLAINT_STATUS_CHOICE,
    LEVEL_CHOICE,
    DateParam,
    DateTimeParam,
    by_option,
    color_option_value,
    complete_complaint_categories,
    complete_numbers,
    complete_roles,
    format_option,
    lang_option,
    open_workspace,
    workspace_option,
    year_option,
)
from planner.cli.paging import echo_chunks, paging_options, row_limit


def _open(workspace: str | None, lang: str | None, by: str | None = None, **settings: Any
          ) -> Any:
    return open_workspace(workspace=workspace, lang=lang, by=by, need_workspace=True,
                          **settings)


HIDDEN_COUNTED = 200  # complaints past a table's limit counted one by one before asking


def _echo_complaints(ws: Any, search: Any, fmt: str, limit: int | None, *,
                     when: Any = None, all_years: bool = False) -> None:
    """The complaints `search` finds, streamed; a table of the first `limit` says how many
    more there are."""
    import itertools

    from planner.present.complaints import complaint_data, complaints_lines
    from planner.present.text import json_array

    found = ws.desk.complaints(search, when, all_years=all_years)
    complaints = found if limit is None else list(itertools.islice(found, limit))
    if fmt == "json":
        echo_chunks(json_array(map(complaint_data, complaints)), lines=False)
        return
    lines = complaints_lines(complaints, ws.policy, ws.lang)
    first = next(lines, None)
    if first is None:
        click.echo(_t("register.none", ws.lang))
        return
    echo_chunks(itertools.chain((first,), lines), color=color_option_value())
    if limit is not None and len(complaints) == limit:
        # A few more are counted as they come (a search reads them anyway); beyond those,
        # the register counts them, without making each one.
        hidden = sum(1 for _ in itertools.islice(found, HIDDEN_COUNTED + 1))
        if hidden > HIDDEN_COUNTED:
            hidden = ws.desk.count(search, when, all_years=all_years) - limit
        if hidden > 0:
            click.echo(_t("register.hidden-more", ws.lang, count=f"{hidden:,}"))


@complaint_group.command(name="add")
@click.option("--category", "-c", required=True, metavar="ID",
              shell_complete=complete_complaint_categories,
              help="Category: its id or name, e.g. quality, 商品质量 / 投诉类别（id 或名称）.")
@click.option("--summary", "-s", required=True, help="What the buyer complains about / 摘要.")
@click.option("--order", default=None, help="Order number / 订单号.")
@click.option("--buyer", default=None, help="Buyer's name or handle / 买家.")
@click.option("--product", "-p", default=None, help="Product id / 商品编号.")
@click.option("--issue", default=None,
              help="What the complaint is about, for the batch rule: a courier, a promotion… "
                   "(default: the product) / 问题（批量投诉按类别加问题计数，默认按商品）.")
@click.option("--channel", default=None,
              help="Where it came in: 12315, consumer-association, regulator (urgent), or "
                   "any text such as Wangwang or phone / 投诉渠道.")
@click.option("--received", "-r", type=DateTimeParam(), default=None,
              help='When it was received: "YYYY-MM-DD HH:MM" or ISO 8601; default now / '
                   "受理时间，默认现在.")
@click.option("--assign", "assignee", default=None, metavar="NAME",
              help="Who takes it on / 指派给.")
@triage_flags
@by_option
@workspace_option
@lang_option
@format_option(("table", "json"))
def register_add(category, summary, order, buyer, product, issue, channel, received,
                 assignee, vip, escalated, from_head_office, sensitive, media_risk, by,
                 workspace, lang, fmt):
    """Record a complaint: form number, level, owner and deadline.

    登记投诉：生成投诉处理单编号，确定级别、处理人和首次回复截止时间。

    \b
    Example / 示例:
      planner315 complaint add -c quality -s "收到的杯子有裂纹" --order 3312 --product CUP-01
      planner315 complaint add -c after-sale -s "三天未发货" --issue 中通停运 --assign 小王
    """
    from planner.complaints.triage import TriageFlags
    from planner.core.i18n import t
    from planner.present.complaints import format_moment

    ws = _open(workspace, lang, by)
    category = check_triage_choices(ws, category, sensitive)
    added = ws.desk.add(category=category, summary=summary, received=received,
                        flags=TriageFlags(vip, escalated, from_head_office,
                                          check_sensitive(ws, sensitive),
                                          media_risk),
                        product=product, order=order, buyer=buyer, channel=channel,
                        issue=issue, assignee=assignee)
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
@click.option("--at-risk", is_flag=True,
              help="Only those with 80% of their time gone, not yet overdue / 只看即将超时.")
@click.option("--level", type=LEVEL_CHOICE, default=None,
              help="Only this level: id or name / 只看该级别.")
@click.option("--status", type=COMPLAINT_STATUS_CHOICE, default=None,
              help="Only this status: id or name, e.g. replied, 已答复 / 只看该状态.")
@click.option("--owner", default=None, metavar="ROLE", shell_complete=complete_roles,
              help="Only this handler role: id or name / 只看该处理人（id 或名称）.")
@click.option("--assignee", default=None, metavar="NAME",
              help="Only those assigned to NAME / 只看指派给某人的.")
@click.option("--mine", is_flag=True,
              help="Only those assigned to me ($PLANNER315_USER or --by) / 只看指派给我的.")
@click.option("--order", default=None, help="Only this order number / 按订单号.")
@click.option("--buyer", default=None, help="Buyer's name contains TEXT / 按买家.")
@click.option("--product", default=None, help="Only this product / 按商品.")
@click.option("--text", default=None,
              help="Summary or notes contain TEXT / 摘要或备注包含.")
@click.option("--received-since", type=DateTimeParam(allow_date=True), default=None,
              help="Received at or after DATETIME (a date: from its start) / 受理时间起.")
@click.option("--received-until", type=DateTimeParam(allow_date=True), default=None,
              help="Received before DATETIME (a date: up to its end) / 受理时间止.")
@click.option("--include-void", is_flag=True, help="Also list void ones / 包括已作废的.")
@click.option("--today", "when", type=DateTimeParam(), default=None,
              help="Judge deadlines as of DATETIME (default now) / 以该时刻判断超时.")
@paging_options
@by_option
@year_option
@workspace_option
@lang_option
@format_option(("table", "json"))
def register_list(open_only, overdue, at_risk, level, status, owner, assignee, mine, order,
                  buyer, product, text, received_since, received_until, include_void, when,
                  limit, all_rows, by, year, workspace, lang, fmt):
    """List complaints: urgent first, then III, II, I, then by deadline.

    列出投诉：紧急优先，其次 III、II、I 级，再按截止时间排序；可按订单、买家、商品、文字、
    受理时间、指派人等筛选，条件可以组合。

    \b
    Example / 示例:
      planner315 complaint list --open
      planner315 complaint list --mine --at-risk
      planner315 complaint list --order 3312 --format json
    """
    from planner.complaints.register import Search

    ws = _open(workspace, lang, by, year=year, today=when.date() if when else None)
    owner = resolve_role(ws, owner)
    search = Search(open_only=open_only, overdue=overdue, at_risk=at_risk, level=level,
                    owner=owner, status=status, order=order, buyer=buyer, product=product,
                    text=text, received_since=received_since,
                    received_until=_until(received_until), assignee=ws.user if mine
                    else assignee, include_void=include_void)
    _echo_complaints(ws, search, fmt, row_limit(limit, all_rows, fmt, ws.lang), when=when)


def resolve_role(ws: Any, role: str | None) -> str | None:
    """A handler role of the policy by id, old id or name."""
    from planner.cli.options import resolve_choice, role_aliases

    return resolve_choice(role, ws.policy.roles, "--owner", ws.lang, role_aliases())


def _until(moment: Any) -> Any:
    """--received-until: a date alone means up to the end of that day."""
    import datetime as dt

    if moment is not None and moment.time() == dt.time() and moment.second == 0:
        return moment + dt.timedelta(days=1)
    return moment


@complaint_group.command(name="find")
@click.argument("text")
@click.option("--include-void", is_flag=True, help="Also find void ones / 包括已作废的.")
@paging_options
@year_option
@workspace_option
@lang_option
@format_option(("table", "json"))
def register_find(text, include_void, limit, all_rows, year, workspace, lang, fmt):
    """Find complaints whose number, order, buyer or summary contains TEXT, in every
    campaign (or in --year's).

    按投诉处理单编号、订单号、买家或摘要查找投诉（默认查所有年份）。

    \b
    Example / 示例:
      planner315 complaint find 3312
      planner315 complaint find 王女士 --format json
    """
    from planner.complaints.register import Search

    text = text.strip()
    ws = _open(workspace, lang, year=year)
    if not text:
        raise click.BadParameter(_t("error.find-empty", ws.lang), param_hint="TEXT")
    search = Search(anywhere=text, include_void=include_void)
    _echo_complaints(ws, search, fmt, row_limit(limit, all_rows, fmt, ws.lang),
                     all_years=year is None)


def _t(key: str, lang: str, **params: Any) -> str:
    """A message; its values (numbers, names typed by the team) shown harmless."""
    from planner.present.text import say

    return say(key, lang, **params)


@complaint_group.command(name="show")
@click.argument("number", shell_complete=complete_numbers)
@click.option("--today", "when", type=DateTimeParam(), default=None,
              help="Judge the deadline as of DATETIME (default now) / 以该时刻判断超时.")
@workspace_option
@lang_option
@format_option(("table", "json"))
def register_show(number, when, workspace, lang, fmt):
    """Show complaint NUMBER with its full history.

    查看投诉处理单详情及全部处理记录。

    \b
    Example / 示例:
      planner315 complaint show TS-2027-0001
    """
    from planner.present.complaints import complaint_card, shown_data
    from planner.present.text import to_json

    ws = _open(workspace, lang)
    complaint, history = ws.desk.show(number, when)
    if fmt == "json":
        click.echo(to_json(shown_data(complaint, history)))
    else:
        click.echo(complaint_card(complaint, history, ws.policy, ws.lang))


@complaint_group.command(name="report")
@click.option("--day", type=DateParam(), default=None,
              help="The day to report on (default: today) / 报告哪一天.")
@year_option
@workspace_option
@lang_option
@format_option()
def register_report(day, year, workspace, lang, fmt):
    """The daily report of the battle, or (--year) a whole campaign's figures: new
    complaints by level and category, urgent and batch events, first responses on time and
    late, overdue and at risk now, call-backs, and the same per assignee.

    投诉日报（或 --year 整个活动的统计）：新增投诉的级别与类别、紧急与批量投诉、按时与超时
    首次回复、当前超时与即将超时、回访情况，以及每位处理人的数字。

    \b
    Example / 示例:
      planner315 complaint report --day 2027-03-15
      planner315 complaint report --year 2027 --format markdown > 投诉总结.md
    """
    from planner.present.report import report_data, report_markdown, report_table
    from planner.present.text import to_json

    if day is not None and year is not None:
        raise click.UsageError(_t("error.report-day-and-year", _lang_now(lang)))
    ws = _open(workspace, lang)
    report = ws.desk.report(day=day, year=year)
    if fmt == "json":
        click.echo(to_json(report_data(report)))
        return
    render = report_markdown if fmt == "markdown" else report_table
    click.echo(render(report, ws.policy, ws.lang, shop=ws.shop_name))


def _lang_now(lang: str | None) -> str:
    from planner.cli.options import current_lang

    return lang or current_lang()

