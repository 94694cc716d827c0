"""`plan`, `checklist` and `init`."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.options import (
    CATEGORY_CHOICE,
    OWNER_CHOICE,
    PHASE_CHOICE,
    SIZE_CHOICE,
    format_option,
    lang_option,
    open_workspace,
    shop_option,
    size_option,
    today_option,
    workspace_option,
    year_option,
)


def plan_options(command):
    for option in reversed((size_option, year_option, shop_option, workspace_option,
                            lang_option, format_option(), today_option)):
        command = option(command)
    return command


def _plan_data(ws, **filters):
    """The plan in words; inside a workspace every item shows its status, who settled it
    and when."""
    from planner.present.plan import plan_data

    return plan_data(ws.plan(**filters), ws.lang, ws.item_states())


def size_reason(ws) -> str:
    """How the shop's size was decided, in words: "Size medium: 300 orders a day ≥ 200"."""
    from planner.campaign.phases import load_campaign
    from planner.core.i18n import t
    from planner.present.text import say

    size, shop = ws.size, ws.shop
    if ws.size_option:
        return t("plan.size-option", ws.lang, size=size)
    if shop is not None and shop.size:
        return say("plan.size-shop", ws.lang, size=size, file=Path(shop.path).name)
    orders, agents = shop.daily_orders or 0, shop.cs_headcount or 0
    thresholds = load_campaign().size_thresholds
    for tier, min_orders, min_agents in thresholds:
        if tier != size:
            continue
        if min_orders and orders >= min_orders:
            return t("plan.size-orders", ws.lang, size=size, orders=orders, minimum=min_orders)
        if min_agents and agents >= min_agents:
            return t("plan.size-agents", ws.lang, size=size, agents=agents, minimum=min_agents)
    above = [(o, a) for tier, o, a in thresholds if o or a]
    orders_min, agents_min = min(o for o, _ in above), min(a for _, a in above)
    return t("plan.size-below", ws.lang, size=size, orders=orders, orders_minimum=orders_min,
             agents=agents, agents_minimum=agents_min)


@click.command(name="plan")
@plan_options
def plan_command(size, year, shop_path, workspace, lang, fmt, today):
    """Print the dated plan, phase by phase, with owner and due date of every item.

    按阶段打印带日期的计划：每一项的负责人和截止日期。

    \b
    Example / 示例:
      planner315 plan --size medium --year 2027
      planner315 plan --shop shop.yaml --format json
    """
    from planner.present import plan as view
    from planner.present.text import to_json

    ws = open_workspace(shop_path=shop_path, workspace=workspace, lang=lang, size=size,
                        year=year, today=today, need_size=True)
    data = _plan_data(ws)
    if fmt != "json":
        click.echo(size_reason(ws), err=True)
    output = {
        "json": to_json,
        "markdown": lambda plan: view.plan_as_markdown(plan, ws.lang),
        "table": lambda plan: view.plan_as_table(plan, ws.lang),
    }[fmt](data)
    click.echo(output)


@click.command(name="checklist")
@click.option("--phase", "-p", type=PHASE_CHOICE, help="Only this phase / 只看该阶段.")
@click.option("--category", "-c", type=CATEGORY_CHOICE, default=None,
              help="Only this category: its id or name / 只看该类别（id 或名称）.")
@click.option("--owner", "-o", type=OWNER_CHOICE, default=None,
              help="Only this owner: role id or name, e.g. operations, 运营部 / "
                   "只看该负责人（id 或名称）.")
@plan_options
def checklist_command(phase, category, owner, size, year, shop_path, workspace, lang, fmt,
                      today):
    """List checklist items with their details, optionally filtered.

    列出检查项及其说明，可按阶段、类别、负责人筛选。

    \b
    Example / 示例:
      planner315 checklist --size large --phase prepare --owner operations
    """
    from planner.present import plan as view
    from planner.present.text import to_json

    ws = open_workspace(shop_path=shop_path, workspace=workspace, lang=lang, size=size,
                        year=year, today=today, need_size=True)
    data = _plan_data(ws, phase=phase, category=category, owner=owner)
    if fmt == "json":
        click.echo(to_json(view.checklist_data(data)))
    elif fmt == "markdown":
        click.echo(view.checklist_as_markdown(data, ws.lang))
    else:
        click.echo(view.checklist_as_table(data, ws.lang))


@click.command(name="init")
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@click.option("--shop-name", "-n", default=None, help="Shop name / 店铺名称.")
@click.option("--size", "-s", type=SIZE_CHOICE, default=None,
              help="Shop size; leave out to give order and head counts instead / 店铺规模.")
@lang_option
@click.option("--force", is_flag=True, help="Overwrite an existing shop.yaml / 覆盖已有文件.")
def init_command(directory, shop_name, size, lang, force):
    """Write a commented shop.yaml into DIRECTORY (default: here).

    在目录中生成带注释的 shop.yaml。

    \b
    Example / 示例:
      planner315 init myshop --shop-name 示例旗舰店 --size large --lang zh
    """
    from planner.cli.options import settle_lang
    from planner.core.i18n import resolve_lang, t
    from planner.present.text import say
    from planner.workspace.init import write_shop_file

    chosen = resolve_lang(lang)
    settle_lang(chosen)
    path = write_shop_file(Path(directory), name=shop_name, size=size, lang=chosen,
                           force=force)
    click.echo(say("init.written", chosen, path=str(path)))
    if size is None:
        click.echo(t("init.no-size", chosen), err=True)
