"""The complaint register's subcommands of `complaint`: add, list, update, callback, show.

The CLI loads `complaint_group` from here, so that the group comes with these subcommands.
"""

from __future__ import annotations

from typing import Any

import click

from planner.cli.complaint import (
    complaint_group,
    format_moment,
    resolve_complaint_setup,
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
    workspace_option,
)
from planner.complaints.policy import LEVELS
from planner.complaints.register import STATUSES as COMPLAINT_STATUSES


def _setup(workspace: str | None, lang: str | None) -> Any:
    return resolve_complaint_setup(workspace, lang, need_workspace=True)


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
    from planner.campaign.checkoff import user_name
    from planner.complaints.register import add_complaint
    from planner.core.clock import now
    from planner.core.i18n import t
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang)
    policy = setup.rules.policy
    check_choice(category, policy.categories, "--category", setup.lang)
    check_choice(sensitive, policy.urgent.sensitive, "--sensitive", setup.lang)
    moment = now()
    with open_store(setup.workspace, write=True) as store:
        result = add_complaint(store, setup.rules, category=category, summary=summary,
                               received=received or moment, now=moment, by=user_name(by),
                               lang=setup.lang, product=product, order=order, buyer=buyer,
                               channel=channel, vip=vip, escalated=escalated,
                               from_head_office=from_head_office, sensitive=sensitive,
                               media_risk=media_risk)
    complaint = result["complaint"]
    warn_if_estimated(complaint["estimated_years"], setup.lang)
    if fmt == "json":
        from planner.present.text import to_json

        click.echo(to_json(result))
        return
    click.echo(t("register.added", setup.lang, number=complaint["number"],
                 level=policy.level_name(complaint["level"], setup.lang),
                 handler=policy.role_name(complaint["handler"], setup.lang),
                 deadline=_moment(complaint["deadline"], setup.lang)))
    if result["escalated"]:
        click.echo(t("register.batch", setup.lang, count=result["same_issue_count"],
                     numbers=", ".join(result["escalated"])), err=True)


def _moment(iso_text: str, lang: str) -> str:
    from planner.core.clock import parse_datetime

    return format_moment(parse_datetime(iso_text), lang)


@complaint_group.command(name="list")
@click.option("--open", "open_only", is_flag=True, help="Only unfinished ones / 只看未结案.")
@click.option("--overdue", is_flag=True, help="Only those past their deadline / 只看已超时.")
@click.option("--level", type=click.Choice(LEVELS), default=None,
              help="Only this level / 只看该级别.")
@click.option("--owner", default=None, metavar="ROLE",
              help="Only this handler role / 只看该处理人.")
@click.option("--today", "when", type=DateTimeParam(), default=None,
              help="Judge deadlines as of DATETIME (default now) / 以该时刻判断超时.")
@workspace_option
@lang_option
@format_option(("table", "json"))
def register_list(open_only, overdue, level, owner, when, workspace, lang, fmt):
    """List complaints: urgent first, then III, II, I, then by deadline.

    列出投诉：紧急优先，其次 III、II、I 级，再按截止时间排序。

    \b
    Example / 示例:
      planner315 complaint list --open
      planner315 complaint list --overdue --format json
    """
    from planner.complaints.register import list_complaints
    from planner.core.clock import now
    from planner.present import text as render
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang)
    check_choice(owner, setup.rules.policy.roles, "--owner", setup.lang)
    with open_store(setup.workspace) as store:
        rows = list_complaints(store, when or now(), open_only=open_only, overdue=overdue,
                               level=level, owner=owner)
        if fmt == "json":
            click.echo(render.to_json(list(rows)))
        else:
            click.echo(complaints_table(list(rows), setup), color=color_option_value())


def complaints_table(rows: list[dict[str, Any]], setup: Any) -> str:
    from planner.core.i18n import t
    from planner.present import text as render

    lang, policy = setup.lang, setup.rules.policy
    if not rows:
        return t("register.none", lang)
    body = []
    for row in rows:
        mark = (click.style(t("register.overdue", lang), fg="red", bold=True) if row["overdue"]
                else click.style(t("register.at-risk", lang), fg="yellow") if row["at_risk"]
                else "")
        body.append([row["number"], policy.level_name(row["level"], lang),
                     policy.category_name(row["category"], lang), row["product"] or "",
                     policy.role_name(row["handler"], lang), _moment(row["deadline"], lang),
                     t(f"register.status.{row['status']}", lang), mark, row["summary"]])
    headers = [t(f"label.register.{key}", lang) for key in (
        "number", "level", "category", "product", "handler", "deadline", "status", "flag",
        "summary")]
    return render.table(headers, body, [None, None, 12, 12, 12, None, None, None, 30])


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
    from planner.campaign.checkoff import user_name
    from planner.complaints.register import update_status
    from planner.core.clock import now
    from planner.core.i18n import t
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang)
    with open_store(setup.workspace, write=True) as store:
        result = update_status(store, number, status, by=user_name(by), now=now(), note=note)
    key = "register.updated" if result["changed"] else "register.unchanged"
    click.echo(t(key, setup.lang, number=result["complaint"]["number"],
                 status=t(f"register.status.{status}", setup.lang)))


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
    from planner.campaign.checkoff import user_name
    from planner.complaints.register import record_callback
    from planner.core.clock import now
    from planner.core.i18n import t
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang)
    with open_store(setup.workspace, write=True) as store:
        complaint = record_callback(store, number, satisfied == "yes", by=user_name(by),
                                    now=now(), note=note)
    click.echo(t("register.called-back", setup.lang, number=complaint["number"],
                 answer=t(f"register.satisfied.{satisfied}", setup.lang)))


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
    from planner.complaints.register import show_complaint
    from planner.core.clock import now
    from planner.core.i18n import t
    from planner.present import text as render
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang)
    with open_store(setup.workspace) as store:
        complaint = show_complaint(store, number, when or now())
    if fmt == "json":
        click.echo(render.to_json(complaint))
        return
    lang, policy = setup.lang, setup.rules.policy
    fields = [
        ("number", complaint["number"]),
        ("level", policy.level_name(complaint["level"], lang)),
        ("category", policy.category_name(complaint["category"], lang)),
        ("handler", policy.role_name(complaint["handler"], lang)),
        ("received", _moment(complaint["received"], lang)),
        ("deadline", _moment(complaint["deadline"], lang)),
        ("status", t(f"register.status.{complaint['status']}", lang)),
        ("summary", complaint["summary"]),
        ("order", complaint["order"]), ("buyer", complaint["buyer"]),
        ("product", complaint["product"]), ("channel", complaint["channel"]),
    ]
    callback = complaint["callback"]
    if callback:
        answer = t(f"register.satisfied.{'yes' if callback['satisfied'] else 'no'}", lang)
        fields.append(("callback", f"{answer} · {callback['by']} · "
                                   f"{_moment(callback['at'], lang)}"))
    rows = [(t(f"label.register.{key}", lang), value) for key, value in fields if value]
    history = [[_moment(e["at"], lang), e["by"], t(f"action.{e['action']}", lang),
                e["note"] or ""] for e in complaint["history"]]
    click.echo(render.table([t("label.complaint.item", lang), t("label.complaint.value", lang)],
                            rows, [None, 70]))
    click.echo()
    click.echo(render.table([t("label.when", lang), t("label.by", lang),
                             t("label.action", lang), t("label.note", lang)], history))
