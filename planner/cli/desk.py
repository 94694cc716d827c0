"""The desk's subcommands of `complaint`: update, edit, void, assign, reply, propose,
approve, callback. Those that take several numbers change them all or none."""

from __future__ import annotations

from typing import Any

import click

from planner.cli.complaint import complaint_group
from planner.cli.options import (
    COMPLAINT_STATUS_CHOICE,
    OWNER_CHOICE,
    DateTimeParam,
    NamedChoice,
    by_option,
    complete_complaint_categories,
    complete_numbers,
    complete_sensitive,
    lang_option,
    message_names,
    note_option,
    open_workspace,
    workspace_option,
)

SATISFIED_CHOICE = NamedChoice(lambda: message_names("register.satisfied", ("yes", "no")))

numbers_argument = click.argument("numbers", nargs=-1, required=True, metavar="NUMBER...",
                                  shell_complete=complete_numbers)
number_argument = click.argument("number", shell_complete=complete_numbers)


def _open(workspace: str | None, lang: str | None, by: str | None = None) -> Any:
    return open_workspace(workspace=workspace, lang=lang, by=by, need_workspace=True)


def _t(key: str, lang: str, **params: Any) -> str:
    """A message; its values (numbers, names typed by the team) shown harmless."""
    from planner.present.text import say

    return say(key, lang, **params)


def _echo_changed(ws: Any, changed: list[tuple[Any, bool]], done: str, same: str,
                  **params: Any) -> None:
    for complaint, did in changed:
        click.echo(_t(done if did else same, ws.lang, number=complaint.record.number,
                      **params))


@complaint_group.command(name="update")
@numbers_argument
@click.option("--status", required=True, type=COMPLAINT_STATUS_CHOICE,
              help="New status: id or name, e.g. replied, 已答复 / 新状态.")
@click.option("--reopen", is_flag=True,
              help="Reopen a closed complaint / 重新打开已结案的投诉.")
@note_option
@by_option
@workspace_option
@lang_option
def desk_update(numbers, status, reopen, note, by, workspace, lang):
    """Move complaints NUMBER... to a new status (the first move to replied, resolved or
    closed records the first response).

    更新投诉处理单状态（首次改为已答复、已解决或已结案即记为首次回复）。

    \b
    Example / 示例:
      planner315 complaint update TS-2027-0001 --status replied --note "已电话致歉并补发"
      planner315 complaint update TS-2027-0003 TS-2027-0004 --status resolved
    """
    ws = _open(workspace, lang, by)
    changed = ws.desk.update(list(numbers), status, note, reopen=reopen)
    _echo_changed(ws, changed, "register.updated", "register.unchanged",
                  status=_t(f"register.status.{status}", ws.lang))


def _flag(name: str, help_text: str) -> Any:
    return click.option(f"--{name}/--no-{name}", default=None, help=help_text)


@complaint_group.command(name="edit")
@numbers_argument
@click.option("--category", "-c", default=None, metavar="ID",
              shell_complete=complete_complaint_categories, help="Category id / 投诉类别.")
@_flag("vip", "Important (VIP) customer, or not / 重要客户.")
@_flag("escalated", "Complained again after earlier handling failed, or not / 升级投诉.")
@_flag("from-head-office", "Passed down from head office, or not / 总部转来.")
@click.option("--sensitive", metavar="WHO", default=None, shell_complete=complete_sensitive,
              help="Complainant is from media|regulator|government|consumer-association; "
                   "'none' to clear / 敏感身份（none 表示清除）.")
@_flag("media-risk", "Likely to reach the media or court, or not / 可能引发媒体报道.")
@click.option("--product", "-p", default=None, help="Product id ('' to clear) / 商品编号.")
@click.option("--issue", default=None, help="The issue, for the batch rule / 问题.")
@click.option("--order", default=None, help="Order number / 订单号.")
@click.option("--buyer", default=None, help="Buyer / 买家.")
@click.option("--channel", default=None, help="Where it came in / 投诉渠道.")
@click.option("--summary", "-s", default=None, help="Summary / 摘要.")
@click.option("--received", "-r", type=DateTimeParam(), default=None,
              help="The correct time received / 更正受理时间.")
@note_option
@by_option
@workspace_option
@lang_option
def desk_edit(numbers, category, vip, escalated, from_head_office, sensitive, media_risk,
              product, issue, order, buyer, channel, summary, received, note, by, workspace,
              lang):
    """Correct complaints NUMBER... and triage them again: level, handler and deadline
    follow. The deadline never moves later, unless the time received was wrong. Several
    numbers take flag changes only.

    更正投诉信息并重新定级：级别、处理人和截止时间随之更新；截止时间不会比已承诺的更晚
    （更正受理时间除外）。多个单号时只能修改标记。

    \b
    Example / 示例:
      planner315 complaint edit TS-2027-0001 --sensitive media
      planner315 complaint edit TS-2027-0002 -c after-sale --product CUP-02
      planner315 complaint edit TS-2027-0003 TS-2027-0004 --no-vip
    """
    from planner.cli.complaint import check_sensitive, check_triage_choices
    from planner.complaints.desk import Correction

    ws = _open(workspace, lang, by)
    flags = {name: value for name, value in (
        ("vip", vip), ("escalated", escalated), ("from_head_office", from_head_office),
        ("media_risk", media_risk)) if value is not None}
    if sensitive is not None:
        flags["sensitive"] = (None if sensitive.strip().lower() in ("none", "")
                              else check_sensitive(ws, sensitive))
    if category is not None:
        category = check_triage_choices(ws, category, None)
    details = {"category": category, "product": product, "issue": issue, "order_id": order,
               "buyer": buyer, "channel": channel, "summary": summary, "received": received}
    given = [key for key, value in details.items() if value is not None]
    if len(numbers) > 1 and given:
        raise click.UsageError(_t("error.edit-several", ws.lang))
    if not given and not flags:
        raise click.UsageError(_t("error.edit-nothing", ws.lang))
    correction = Correction(**details, flags=flags or None)
    changed = ws.desk.edit(list(numbers), correction, note)
    for complaint, did in changed:
        record = complaint.record
        key = "register.edited" if did else "register.edit-unchanged"
        click.echo(_t(key, ws.lang, number=record.number,
                      level=ws.policy.level_name(record.level, ws.lang),
                      handler=ws.policy.role_name(record.handler, ws.lang),
                      deadline=_moment(record.deadline, ws.lang)))


def _moment(moment: Any, lang: str) -> str:
    from planner.present.complaints import format_moment

    return format_moment(moment, lang)


@complaint_group.command(name="void")
@numbers_argument
@click.option("--reason", required=True, help="Why it does not count / 作废原因.")
@by_option
@workspace_option
@lang_option
def desk_void(numbers, reason, by, workspace, lang):
    """Void complaints NUMBER... entered by mistake: kept and shown as void, left out of
    every count, list and total.

    作废误登记的投诉：记录保留并标明作废，不再计入任何统计、列表和导出合计。

    \b
    Example / 示例:
      planner315 complaint void TS-2027-0007 --reason "重复登记，同 TS-2027-0006"
    """
    ws = _open(workspace, lang, by)
    changed = ws.desk.void(list(numbers), reason)
    _echo_changed(ws, changed, "register.voided", "register.voided")


@complaint_group.command(name="assign")
@numbers_argument
@click.option("--to", "assignee", default=None, metavar="NAME", help="Who takes them / 指派给.")
@click.option("--unassign", is_flag=True, help="Take them off whoever had them / 取消指派.")
@note_option
@by_option
@workspace_option
@lang_option
def desk_assign(numbers, assignee, unassign, note, by, workspace, lang):
    """Assign complaints NUMBER... to a person.

    把投诉指派给某位处理人。

    \b
    Example / 示例:
      planner315 complaint assign TS-2027-0001 TS-2027-0002 --to 小王
    """
    ws = _open(workspace, lang, by)
    if unassign == bool(assignee and assignee.strip()):
        raise click.UsageError(_t("error.assign-to", ws.lang))
    changed = ws.desk.assign(list(numbers), None if unassign else assignee, note)
    if unassign:
        _echo_changed(ws, changed, "register.unassigned", "register.unassigned")
    else:
        _echo_changed(ws, changed, "register.assigned", "register.assign-unchanged",
                      name=assignee.strip())


@complaint_group.command(name="reply")
@number_argument
@click.option("--at", type=DateTimeParam(), default=None,
              help="When the buyer was answered (default: now) / 答复时间.")
@note_option
@by_option
@workspace_option
@lang_option
def desk_reply(number, at, note, by, workspace, lang):
    """Record the reply to the buyer of complaint NUMBER: the first one is the first
    response, judged against the deadline for good.

    记录给买家的答复：第一次答复即首次回复，按截止时间判定是否超时，永久记录。

    \b
    Example / 示例:
      planner315 complaint reply TS-2027-0001 --note "已致电说明补发安排"
      planner315 complaint reply TS-2027-0002 --at "2027-03-15 16:20"
    """
    ws = _open(workspace, lang, by)
    complaint = ws.desk.reply(number, at, note)
    record = complaint.record
    key = "register.replied-late" if complaint.answered_late else "register.replied"
    click.echo(_t(key, ws.lang, number=record.number,
                  at=_moment(record.first_response, ws.lang),
                  deadline=_moment(record.deadline, ws.lang)))


@complaint_group.command(name="propose")
@number_argument
@click.option("--solution", default=None, help="The proposed solution / 解决方案.")
@click.option("--department", default=None, type=OWNER_CHOICE,
              help="The department concerned, e.g. logistics, warehouse, 物流部 / 责任部门.")
@note_option
@by_option
@workspace_option
@lang_option
def desk_propose(number, solution, department, note, by, workspace, lang):
    """Record the department concerned and the proposed solution of complaint NUMBER (a
    new solution needs a new approval).

    记录责任部门和拟定的解决方案（方案改动后需重新审批）。

    \b
    Example / 示例:
      planner315 complaint propose TS-2027-0001 --department warehouse --solution "补发并赠券"
    """
    ws = _open(workspace, lang, by)
    complaint = ws.desk.propose(number, solution=solution, department=department, note=note)
    click.echo(_t("register.proposed", ws.lang, number=complaint.record.number))


@complaint_group.command(name="approve")
@number_argument
@note_option
@by_option
@workspace_option
@lang_option
def desk_approve(number, note, by, workspace, lang):
    """Approve the proposed solution of complaint NUMBER, as a CS supervisor (a member of
    the roster's CS supervisor/manager department; anyone named, without a roster).

    客服主管审批解决方案（须为联络表中客服主管/经理部门的成员；没有联络表时任何署名人均可）。

    \b
    Example / 示例:
      planner315 complaint approve TS-2027-0001 --by 陈主管
    """
    ws = _open(workspace, lang, by)
    complaint = ws.desk.approve(number, note=note)
    click.echo(_t("register.approved", ws.lang, number=complaint.record.number,
                  name=complaint.record.approved_by))


@complaint_group.command(name="callback")
@number_argument
@click.option("--satisfied", required=True, type=SATISFIED_CHOICE,
              help="Is the buyer satisfied now? yes (满意) or no (不满意) / 买家是否满意.")
@note_option
@by_option
@workspace_option
@lang_option
def desk_callback(number, satisfied, note, by, workspace, lang):
    """Record the aftermath call-back of complaint NUMBER.

    记录善后回访结果。

    \b
    Example / 示例:
      planner315 complaint callback TS-2027-0001 --satisfied yes --note "已收到补发"
    """
    ws = _open(workspace, lang, by)
    complaint = ws.desk.callback(number, satisfied == "yes", note)
    click.echo(_t("register.called-back", ws.lang, number=complaint.record.number,
                  answer=_t(f"register.satisfied.{satisfied}", ws.lang)))
