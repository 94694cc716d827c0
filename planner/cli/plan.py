"""`plan`, `checklist` and `init`."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli.options import (
    PHASES,
    SIZES,
    check_choice,
    format_option,
    lang_option,
    resolve_setup,
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


def with_status(plan, setup):
    """Inside a workspace, every item shows its status, who settled it and when."""
    if setup.workspace is None:
        return plan
    from planner.campaign.progress import annotate
    from planner.storage.sqlite import open_store

    with open_store(setup.workspace) as store:
        return annotate(plan, store.item_states())


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
    from planner.campaign.plan import build_plan
    from planner.present import text as render

    setup = resolve_setup(shop_path=shop_path, workspace=workspace, lang=lang, size=size,
                          year=year, today=today)
    plan = with_status(build_plan(size=setup.size, year=setup.year, lang=setup.lang,
                                  shop=setup.shop), setup)
    output = {
        "json": render.to_json,
        "markdown": lambda data: render.plan_as_markdown(data, setup.lang),
        "table": lambda data: render.plan_as_table(data, setup.lang),
    }[fmt](plan)
    click.echo(output)


@click.command(name="checklist")
@click.option("--phase", "-p", type=click.Choice(PHASES),
              help="Only this phase / 只看该阶段.")
@click.option("--category", "-c", default=None, help="Only this category id / 只看该类别.")
@click.option("--owner", "-o", default=None, help="Only this owner role / 只看该负责人.")
@plan_options
def checklist_command(phase, category, owner, size, year, shop_path, workspace, lang, fmt,
                      today):
    """List checklist items with their details, optionally filtered.

    列出检查项及其说明，可按阶段、类别、负责人筛选。

    \b
    Example / 示例:
      planner315 checklist --size large --phase prepare --owner operations
    """
    from planner.campaign.phases import load_campaign
    from planner.campaign.plan import build_plan, plan_items
    from planner.present import text as render

    setup = resolve_setup(shop_path=shop_path, workspace=workspace, lang=lang, size=size,
                          year=year, today=today)
    campaign = load_campaign()
    check_choice(category, campaign.categories, "--category", setup.lang)
    check_choice(owner, campaign.owners, "--owner", setup.lang)
    plan = with_status(build_plan(size=setup.size, year=setup.year, lang=setup.lang,
                                  shop=setup.shop, phase=phase, category=category,
                                  owner=owner), setup)
    if fmt == "json":
        flat = {key: plan[key] for key in ("shop", "size", "year", "lang")}
        flat["items"] = plan_items(plan)
        click.echo(render.to_json(flat))
    elif fmt == "markdown":
        click.echo(render.checklist_as_markdown(plan, setup.lang))
    else:
        click.echo(render.checklist_as_table(plan, setup.lang))


@click.command(name="init")
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@click.option("--shop-name", "-n", default=None, help="Shop name / 店铺名称.")
@click.option("--size", "-s", type=click.Choice(SIZES), default=None,
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
    from planner.cli.options import LANG_KEY
    from planner.core.i18n import resolve_lang, t
    from planner.workspace.init import write_shop_file

    chosen = resolve_lang(lang)
    click.get_current_context().meta[LANG_KEY] = chosen
    path = write_shop_file(Path(directory), name=shop_name, size=size, lang=chosen,
                           force=force)
    click.echo(t("init.written", chosen, path=str(path)))
