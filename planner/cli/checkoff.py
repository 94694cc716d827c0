"""`check`, `uncheck`, `skip`, `undo`, `status`, `next` and `log`: the team's daily work."""

from __future__ import annotations

import click

from planner.cli.options import (
    DateParam,
    DateTimeParam,
    by_option,
    check_choice,
    color_option_value,
    format_option,
    lang_option,
    note_option,
    resolve_setup,
    today_option,
    workspace_option,
)


def _setup(workspace, lang, today=None):
    return resolve_setup(shop_path=None, workspace=workspace, lang=lang, size=None, year=None,
                         today=today, need_workspace=True)


def _plan(setup):
    from planner.campaign.plan import build_plan

    return build_plan(size=setup.size, year=setup.year, lang=setup.lang, shop=setup.shop)


def _change_status(ids, status, *, workspace, lang, by, note, at=None, action):
    from planner.campaign.checkoff import change_items, user_name
    from planner.core.clock import now
    from planner.core.i18n import t
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang)
    with open_store(setup.workspace, write=True) as store:
        outcomes = change_items(store, _plan(setup), list(ids), status, by=user_name(by),
                                at=at, now=now(), note=note, action=action)
    label = t(f"status.{status or 'open'}", setup.lang)
    for outcome in outcomes:
        key = "checkoff.changed" if outcome.changed else "checkoff.unchanged"
        click.echo(t(key, setup.lang, id=outcome.id, status=label))


@click.command(name="check")
@click.argument("items", nargs=-1, required=True)
@by_option
@note_option
@click.option("--at", type=DateTimeParam(allow_date=True), default=None,
              help="When it was done: YYYY-MM-DD HH:MM or ISO 8601 (default: now) / 完成时间.")
@workspace_option
@lang_option
def checkoff_check(items, by, note, at, workspace, lang):
    """Mark ITEMS done (all or nothing).

    将检查项标记为已完成（全部成功或全部不变）。

    \b
    Example / 示例:
      planner315 check prepare.copy.ad-law prepare.price.named-checker --by 张敏
    """
    _change_status(items, "done", workspace=workspace, lang=lang, by=by, note=note, at=at,
                   action="check")


@click.command(name="uncheck")
@click.argument("items", nargs=-1, required=True)
@by_option
@note_option
@workspace_option
@lang_option
def checkoff_uncheck(items, by, note, workspace, lang):
    """Reopen ITEMS.

    重新打开检查项。

    \b
    Example / 示例:
      planner315 uncheck prepare.copy.ad-law --note "主图还有极限词"
    """
    _change_status(items, None, workspace=workspace, lang=lang, by=by, note=note,
                   action="uncheck")


@click.command(name="skip")
@click.argument("items", nargs=-1, required=True)
@click.option("--reason", "-r", required=True, help="Why it does not apply / 不适用的原因.")
@by_option
@workspace_option
@lang_option
def checkoff_skip(items, reason, by, workspace, lang):
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
                   action="skip")


@click.command(name="undo")
@by_option
@workspace_option
@lang_option
def checkoff_undo(by, workspace, lang):
    """Revert your last change (the revert is recorded too).

    撤销自己最近一次的修改（撤销本身也记入历史）。

    \b
    Example / 示例:
      planner315 undo --by 张敏
    """
    from planner.campaign.checkoff import undo, user_name
    from planner.core.clock import now
    from planner.core.i18n import t
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang)
    with open_store(setup.workspace, write=True) as store:
        reverted = undo(store, by=user_name(by), recorded_at=now())
    for change in reverted:
        status = change.new.status if change.new else "open"
        click.echo(t("checkoff.undone", setup.lang, id=change.subject,
                     status=t(f"status.{status}", setup.lang)))


@click.command(name="status")
@workspace_option
@today_option
@lang_option
@format_option(("table", "json"))
def checkoff_status(workspace, today, lang, fmt):
    """Progress per phase and category, overdue items first, then what is due soon.

    按阶段和类别显示进度，先列逾期事项，再列近期到期事项。

    \b
    Example / 示例:
      planner315 status --today 2027-03-01
      planner315 status --format json
    """
    from planner.campaign.progress import status_report
    from planner.present import text as render
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang, today)
    with open_store(setup.workspace) as store:
        report = status_report(_plan(setup), store.item_states(), setup.today)
        extras = _status_extras(store, setup, report, fmt)
    if fmt == "json":
        report["complaints"] = extras["complaints"]
        click.echo(render.to_json(report))
    else:
        report["sections"] = extras.get("sections", [])
        click.echo(render.status_as_table(report, setup.lang), color=color_option_value())


def _status_extras(store, setup, report, fmt) -> dict:
    """The complaint register's part of the status, and its table section."""
    from planner.complaints.register import status_of_register
    from planner.core.clock import now

    phases = {phase["id"]: phase for phase in report["phases"]}
    summary = status_of_register(store, today=setup.today, now=now(),
                                 prepare_start=phases["prepare"]["start"],
                                 aftermath_start=phases["aftermath"]["start"])
    extras = {"complaints": summary}
    if fmt == "table" and (summary["open"] or summary["callback_due"]["count"]):
        from planner.complaints.policy import load_policy
        from planner.present.text import register_section

        policy = load_policy(setup.workspace)
        names = {level: policy.level_name(level, setup.lang) for level in summary["open"]}
        extras["sections"] = [register_section(summary, names, setup.lang)]
    return extras


@click.command(name="next")
@click.option("--owner", "-o", default=None, help="Only this owner role / 只看该负责人.")
@workspace_option
@today_option
@lang_option
@format_option(("table", "json"))
def checkoff_next(owner, workspace, today, lang, fmt):
    """What is due now and next, for one role or all.

    现在该做和接下来要做的事项，可按负责人筛选。

    \b
    Example / 示例:
      planner315 next --owner warehouse --today 2027-02-27
    """
    from planner.campaign.phases import load_campaign
    from planner.campaign.progress import next_items
    from planner.present import text as render
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang, today)
    check_choice(owner, load_campaign().owners, "--owner", setup.lang)
    with open_store(setup.workspace) as store:
        result = next_items(_plan(setup), store.item_states(), setup.today, owner)
    if fmt == "json":
        click.echo(render.to_json({"as_of": setup.today, **result}))
    else:
        click.echo(render.next_as_table(result, setup.today, setup.lang),
                   color=color_option_value())


@click.command(name="log")
@click.option("--item", "-i", "item_id", default=None, help="Only this item / 只看该事项.")
@click.option("--by", "-b", default=None, help="Only this person / 只看此人.")
@click.option("--since", type=DateParam(), default=None,
              help="From DATE on (YYYY-MM-DD) / 从该日起.")
@workspace_option
@lang_option
@format_option(("table", "json"))
def checkoff_log(item_id, by, since, workspace, lang, fmt):
    """The history of changes, oldest first.

    修改历史（按时间先后）。

    \b
    Example / 示例:
      planner315 log --item prepare.copy.ad-law
      planner315 log --by 张敏 --since 2027-03-01 --format json
    """
    from planner.present import text as render
    from planner.storage.sqlite import open_store

    setup = _setup(workspace, lang)
    if item_id is not None and not item_id.startswith("complaint:"):
        from planner.campaign.checkoff import validate_ids
        from planner.campaign.items import load_items

        known = [item.id for item in load_items()]
        if item_id not in known:
            validate_ids([item_id], [], known)  # says which ids come closest
    with open_store(setup.workspace) as store:
        entries = list(store.history(subject=item_id, by=by,
                                     since=since.isoformat() if since else None))
    if fmt == "json":
        click.echo(render.to_json(entries))
    else:
        click.echo(render.log_as_table(entries, setup.lang))
