"""`check`, `uncheck`, `skip`, `undo`, `status`, `next` and `log`: the team's daily work."""

from __future__ import annotations

import itertools

import click

from planner.cli.options import (
    OWNER_CHOICE,
    DateParam,
    DateTimeParam,
    by_option,
    color_option_value,
    complete_items,
    format_option,
    lang_option,
    note_option,
    open_workspace,
    today_option,
    workspace_option,
    year_option,
)
from planner.cli.paging import echo_chunks, paging_options, row_limit

day_option = click.option("--day", "-d", type=DateParam(), default=None,
                          help="Which day of a daily duty (default: today) / 每日事项的哪一天.")


def _open(workspace, lang, today=None, by=None, year=None):
    return open_workspace(workspace=workspace, lang=lang, today=today, by=by, year=year,
                          need_workspace=True, need_size=True)


def _change_status(ids, status, *, workspace, lang, by, note, year, day, at=None, action):
    from planner.core.i18n import t
    from planner.present.text import say

    ws = _open(workspace, lang, by=by, year=year)
    outcomes = ws.change_items(list(ids), status, action=action, at=at, note=note, day=day)
    label = t(f"status.{status or 'open'}", ws.lang)
    for outcome in outcomes:
        key = "checkoff.changed" if outcome.changed else "checkoff.unchanged"
        click.echo(say(key, ws.lang, id=outcome.label, status=label))


@click.command(name="check")
@click.argument("items", nargs=-1, required=True, shell_complete=complete_items)
@by_option
@note_option
@click.option("--at", type=DateTimeParam(allow_date=True), default=None,
              help="When it was done: YYYY-MM-DD HH:MM or ISO 8601 (default: now) / 完成时间.")
@day_option
@year_option
@workspace_option
@lang_option
def checkoff_check(items, by, note, at, day, year, workspace, lang):
    """Mark ITEMS done (all or nothing).

    将检查项标记为已完成（全部成功或全部不变）。

    \b
    Example / 示例:
      planner315 check prepare.copy.ad-law prepare.price.named-check --by 张敏
    """
    _change_status(items, "done", workspace=workspace, lang=lang, by=by, note=note, at=at,
                   year=year, day=day, action="check")


@click.command(name="uncheck")
@click.argument("items", nargs=-1, required=True, shell_complete=complete_items)
@by_option
@note_option
@day_option
@year_option
@workspace_option
@lang_option
def checkoff_uncheck(items, by, note, day, year, workspace, lang):
    """Reopen ITEMS.

    重新打开检查项。

    \b
    Example / 示例:
      planner315 uncheck prepare.copy.ad-law --note "主图还有极限词"
    """
    _change_status(items, None, workspace=workspace, lang=lang, by=by, note=note,
                   year=year, day=day, action="uncheck")


@click.command(name="skip")
@click.argument("items", nargs=-1, required=True, shell_complete=complete_items)
@click.option("--reason", "-r", required=True, help="Why it does not apply / 不适用的原因.")
@by_option
@day_option
@year_option
@workspace_option
@lang_option
def checkoff_skip(items, reason, by, day, year, workspace, lang):
    """Mark ITEMS as not applicable to this shop (counts as settled).

    将检查项标记为不适用（计为已处理）。

    \b
    Example / 示例:
      planner315 skip prepare.promo.prizes --reason "今年没有实物奖品"
    """
    if not reason.strip():
        from planner.core.errors import PlannerError

        raise PlannerError("error.skip-reason", field="--reason")
    _change_status(items, "skipped", workspace=workspace, lang=lang, by=by, note=reason.strip(),
                   year=year, day=day, action="skip")


@click.command(name="undo")
@by_option
@day_option
@year_option
@workspace_option
@lang_option
def checkoff_undo(by, day, year, workspace, lang):
    """Revert your last change (the revert is recorded too).

    撤销自己最近一次的修改（撤销本身也记入历史）。

    \b
    Example / 示例:
      planner315 undo --by 张敏
    """
    from planner.campaign.plan import occurrence_label
    from planner.core.i18n import t
    from planner.present.text import say

    ws = _open(workspace, lang, by=by, year=year)
    for change in ws.undo(day):
        status = change.new.status if change.new else "open"
        click.echo(say("checkoff.undone", ws.lang,
                       id=occurrence_label(change.subject, change.day),
                       status=t(f"status.{status}", ws.lang)))


@click.command(name="status")
@year_option
@workspace_option
@today_option
@lang_option
@format_option(("table", "json"))
@click.option("--all-shops", is_flag=True,
              help="Every shop of the shared PostgreSQL database / 共享数据库中的所有店铺.")
def checkoff_status(year, workspace, today, lang, fmt, all_shops):
    """Progress per phase and category, overdue items first, then what is due soon.

    按阶段和类别显示进度，先列逾期事项，再列近期到期事项。

    \b
    Example / 示例:
      planner315 status --today 2027-03-01
      planner315 status --format json
      planner315 status --all-shops
    """
    if all_shops:
        _all_shops(workspace, today, lang, fmt)
        return
    from planner.audit.recording import ITEMS
    from planner.core.i18n import t
    from planner.present.audit import audits_data, audits_section
    from planner.present.status import (
        register_data,
        register_section,
        status_as_table,
        status_data,
    )
    from planner.present.text import to_json

    ws = _open(workspace, lang, today, year=year)
    report, register = ws.status()
    audits = ws.open_audits(list(ITEMS.values()))
    data = status_data(report, ws.lang)
    if fmt == "json":
        data["complaints"] = register_data(register)
        data["audits"] = audits_data(audits)
        click.echo(to_json(data))
        return
    if not report.recorded:
        click.echo(t("status.nothing-recorded", ws.lang, year=ws.year))
    sections = ()
    if register.open or register.callback_due:
        sections = (register_section(register, ws.policy, ws.lang),)
    if audits:
        sections = (*sections, audits_section(audits, ws.lang))
    click.echo(status_as_table(data, ws.lang, sections), color=color_option_value())


def _all_shops(workspace, today, lang, fmt):
    from planner.present.database import shops_data, shops_table
    from planner.present.text import to_json
    from planner.workspace.shared import all_shops

    ws = open_workspace(workspace=workspace, lang=lang, today=today)
    shops = all_shops(ws)
    click.echo(to_json(shops_data(shops)) if fmt == "json" else shops_table(shops, ws.lang))


@click.command(name="next")
@click.option("--owner", "-o", type=OWNER_CHOICE, default=None,
              help="Only this owner: role id or name / 只看该负责人（id 或名称）.")
@year_option
@workspace_option
@today_option
@lang_option
@format_option(("table", "json"))
def checkoff_next(owner, year, workspace, today, lang, fmt):
    """What is due now and next, for one role or all.

    现在该做和接下来要做的事项，可按负责人筛选。

    \b
    Example / 示例:
      planner315 next --owner warehouse --today 2027-02-27
    """
    from planner.present.status import next_as_table, next_data
    from planner.present.text import to_json

    ws = _open(workspace, lang, today, year=year)
    data = next_data(ws.next_items(owner), ws.today, ws.lang)
    if fmt == "json":
        click.echo(to_json(data))
    else:
        click.echo(next_as_table(data, ws.today, ws.lang), color=color_option_value())


@click.command(name="log")
@click.option("--item", "-i", "item_id", default=None, shell_complete=complete_items,
              help="Only this item / 只看该事项.")
@click.option("--by", "-b", default=None, help="Only this person / 只看此人.")
@click.option("--since", type=DateParam(), default=None,
              help="From DATE on (YYYY-MM-DD) / 从该日起.")
@paging_options
@year_option
@workspace_option
@lang_option
@format_option(("table", "json"))
def checkoff_log(item_id, by, since, limit, all_rows, year, workspace, lang, fmt):
    """The history of changes, oldest first (a table: the last 50, see --limit / --all).

    修改历史（按时间先后；表格默认显示最近 50 条，见 --limit / --all）。

    \b
    Example / 示例:
      planner315 log --item prepare.copy.ad-law
      planner315 log --by 张敏 --since 2027-03-01 --format json
    """
    from planner.core.i18n import t
    from planner.present.log import entry_data, log_lines
    from planner.present.text import json_array

    ws = _open(workspace, lang, year=year)
    limit = row_limit(limit, all_rows, fmt, ws.lang)
    filters = {"item": item_id, "by": by, "since": since}
    entries = ws.history(**filters, latest=limit)
    if fmt == "json":
        echo_chunks(json_array(map(entry_data, entries)), lines=False)
        return
    if limit is not None:
        entries = list(entries)
        if len(entries) == limit:
            hidden = ws.count_history(**filters) - limit
            if hidden > 0:
                click.echo(t("log.hidden-earlier", ws.lang, count=f"{hidden:,}"))
    lines = log_lines(entries, ws.lang,
                      level_name=lambda level: ws.policy.level_name(level, ws.lang))
    first = next(lines, None)
    if first is None:
        if not ws.has_state():
            click.echo(t("status.nothing-recorded", ws.lang, year=ws.year))
        click.echo(t("log.empty", ws.lang))
        return
    echo_chunks(itertools.chain((first,), lines))
