"""`roster` (show, import) and `export` (the Excel workbooks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from planner.cli.options import (
    format_option,
    lang_option,
    resolve_setup,
    resolve_shop,
    shop_option,
    size_option,
    today_option,
    workspace_option,
    year_option,
)

mask_option = click.option("--mask-phones", is_flag=True,
                           help="Show mobiles as 138****8000 / 隐藏手机号中间四位.")
force_option = click.option("--force", is_flag=True,
                            help="Overwrite existing files / 覆盖已有文件.")
issuer_option = click.option("--issuer", default=None,
                             help="Who issues the notice (default: shop.yaml issuer) / 发布人.")


# --- roster ---------------------------------------------------------------------------------


@click.group(name="roster", invoke_without_command=True)
@format_option(("table", "json"))
@mask_option
@workspace_option
@lang_option
@click.pass_context
def roster_group(ctx, fmt, mask_phones, workspace, lang):
    """Show the contact roster (roster.yaml, else the contacts in shop.yaml).

    显示联络表（优先读 roster.yaml，否则读 shop.yaml 中的 contacts）。

    \b
    Example / 示例:
      planner315 roster --mask-phones
      planner315 roster import 联络表.xlsx
    """
    ctx.meta["planner315.roster"] = {"workspace": workspace, "lang": lang}
    if ctx.invoked_subcommand is not None:
        return
    from planner.core.i18n import t
    from planner.export.roster import roster_rows
    from planner.present import text as render
    from planner.roster.contacts import (
        FIELDS,
        as_shown,
        load_roster,
        roster_source,
        sorted_contacts,
    )

    folder, shop, chosen = resolve_shop(workspace=workspace, lang=lang, need_workspace=True)
    contacts = sorted_contacts(load_roster(folder, shop))
    if fmt == "json":
        shown = [as_shown(c, mask_phones=mask_phones) for c in contacts]
        click.echo(render.to_json({"source": roster_source(folder, shop), "contacts": shown}))
        return
    if not contacts:
        click.echo(t("roster.none", chosen))
        return
    headers = [t(f"roster.header.{field}", chosen) for field in FIELDS]
    rows = roster_rows(contacts, chosen, mask_phones=mask_phones)
    click.echo(t("roster.source", chosen, path=roster_source(folder, shop), count=len(contacts)))
    click.echo(render.table(headers, rows, [14, 10, 12, None, None, 14, 24, 20, None, 10]))


@roster_group.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@workspace_option
@lang_option
def roster_import(file, workspace, lang):
    """Replace roster.yaml with the contacts of a CSV or XLSX file.

    从 CSV 或 XLSX 文件导入联络表，替换 roster.yaml。表头可用中文或英文（部门、姓名、职务、手机、
    座机/分机、旺旺/钉钉、邮箱、值班/班次、升级顺序、备岗）；CSV 可为 UTF-8 或 GBK 编码。
    任何一行有错都不会写入，原联络表保持不变。

    \b
    Example / 示例:
      planner315 roster import contacts.csv
      planner315 roster import 联络表.xlsx --workspace myshop
    """
    from planner.core.files import check_writable_folder
    from planner.core.i18n import t
    from planner.roster.contacts import ROSTER_FILE, import_roster

    parent = click.get_current_context().find_root().meta.get("planner315.roster", {})
    folder, _shop, chosen = resolve_shop(workspace=workspace or parent.get("workspace"),
                                         lang=lang or parent.get("lang"), need_workspace=True)
    check_writable_folder(folder, str(folder / ROSTER_FILE))
    target, contacts, ignored = import_roster(file, folder, chosen)
    if ignored:
        click.echo(t("roster.ignored-columns", chosen, columns=", ".join(ignored)), err=True)
    click.echo(t("roster.imported", chosen, count=len(contacts), path=str(target)))


# --- export ---------------------------------------------------------------------------------


def export_options(command):
    for option in reversed((size_option, year_option, shop_option, workspace_option,
                            lang_option, today_option)):
        command = option(command)
    return command


output_file_option = click.option(
    "--output", "-o", type=click.Path(dir_okay=False), default=None,
    help="Output file (default: 315-<year>-<shop>-<kind>.xlsx here) / 输出文件.")


@click.group(name="export")
def export_group():
    """Write Excel workbooks: roster, notice, checklist, schedule, complaint register, or all.

    导出 Excel 工作簿：联络表、部署通知、检查表、进度表、投诉登记表，或全部。

    \b
    Example / 示例:
      planner315 export notice --issuer 张经理
      planner315 export all -o exports/
    """


def _job(setup: dict[str, Any]) -> Any:
    from planner.export.jobs import ExportJob

    return ExportJob(resolve_setup(**setup))


def _export_one(kind: str, output, force, issuer=None, mask_phones=False, **setup) -> None:
    from planner.core.i18n import t
    from planner.export.jobs import refuse_existing, write

    job = _job(setup)
    target = job.target(kind, output)
    refuse_existing([target], force)
    path = write(kind, job, target, force=force, issuer=issuer, mask_phones=mask_phones)
    click.echo(t("export.written", job.lang, path=str(path)))


@export_group.command(name="roster")
@output_file_option
@force_option
@mask_option
@export_options
def export_roster(output, force, mask_phones, **setup):
    """Write the contact roster workbook (phones as text).

    导出联络表工作簿（电话号码按文本保存）。

    \b
    Example / 示例:
      planner315 export roster --mask-phones -o 联络表.xlsx
    """
    _export_one("roster", output, force, mask_phones=mask_phones, **_setup_args(setup))


@export_group.command(name="notice")
@output_file_option
@force_option
@issuer_option
@mask_option
@export_options
def export_notice(output, force, issuer, mask_phones, **setup):
    """Write the deployment notice (with the roster as its second sheet).

    导出“3·15”投诉应对工作部署通知（第二页为联络表）。

    \b
    Example / 示例:
      planner315 export notice --issuer 张经理 --lang zh
    """
    _export_one("notice", output, force, issuer=issuer, mask_phones=mask_phones,
                **_setup_args(setup))


@export_group.command(name="checklist")
@output_file_option
@force_option
@export_options
def export_checklist(output, force, **setup):
    """Write the checklist workbook, with a status dropdown to fill in.

    导出检查表工作簿，“状态”列为下拉选择，填好后可再导入。

    \b
    Example / 示例:
      planner315 export checklist -o checklist.xlsx --force
    """
    _export_one("checklist", output, force, **_setup_args(setup))


@export_group.command(name="schedule")
@output_file_option
@force_option
@export_options
def export_schedule(output, force, **setup):
    """Write the schedule workbook: a Gantt chart, one column per campaign day.

    导出进度表（甘特图）：每天一列，阶段着色，标出截止日和周末。

    \b
    Example / 示例:
      planner315 export schedule --size medium --year 2027
    """
    _export_one("schedule", output, force, **_setup_args(setup))


@export_group.command(name="complaints")
@output_file_option
@force_option
@export_options
def export_complaints(output, force, **setup):
    """Write the complaint register workbook (streamed: any number of complaints).

    导出投诉登记表（流式写出，投诉再多也不占大量内存）。

    \b
    Example / 示例:
      planner315 export complaints -o 投诉登记表.xlsx
    """
    _export_one("complaints", output, force, **_setup_args(setup))


@export_group.command(name="all")
@click.option("--output", "-o", type=click.Path(), default=".", show_default=True,
              help="Folder to write the workbooks into / 输出文件夹.")
@force_option
@issuer_option
@mask_option
@export_options
def export_all(output, force, issuer, mask_phones, **setup):
    """Write every workbook into a folder (none is written if one already exists or fails).

    把所有工作簿导出到一个文件夹（已有同名文件且未加 --force，或任何一个出错时，一个也不写）。

    Up to five: the checklist, the schedule and the notice always; the roster when there
    are contacts (else it is skipped, saying so); the complaint register when it holds any
    complaint.

    检查表、进度表和部署通知总会导出；有联系人时导出联络表（没有则跳过并提示）；有投诉时导出投诉登记表。

    \b
    Example / 示例:
      planner315 export all -o exports --issuer 张经理
    """
    from planner.core.i18n import t

    job = _job(_setup_args(setup))  # first: it settles the language of any error
    if not job.contacts:
        click.echo(t("roster.none", job.lang), err=True)
    written = job.write_all(Path(output), force=force, issuer=issuer, mask_phones=mask_phones)
    for target in written:
        click.echo(t("export.written", job.lang, path=str(target)))


@click.group(name="import")
def import_group():
    """Read back a workbook that the team filled in.

    导入团队填写后的工作簿。

    \b
    Example / 示例:
      planner315 import checklist 315-2027-myshop-checklist.xlsx --by 张敏
    """


@import_group.command(name="checklist")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--by", "-b", default=None,
              help="Who imports (default: $PLANNER315_USER, else your user name) / "
                   "导入人.")
@workspace_option
@lang_option
def import_checklist(file, by, workspace, lang):
    """Apply the rows edited in a checklist workbook (all rows or none).

    Only rows whose status was changed in the sheet since the export are applied, so
    check-offs made since then are kept. When an edited item was also changed in planner315
    since the export, the sheet wins and a note names who changed it.

    导入填写后的检查表：只应用导出后在表格中改过状态的行，导出后在 planner315 中勾选的事项不受影响；
    若某行在表格中改过、该事项导出后也被他人改过，以表格为准，并提示是谁改的。任何一行有错则整个文件
    都不导入。

    \b
    Example / 示例:
      planner315 import checklist checklist.xlsx --by 张敏
    """
    from planner.campaign.checkoff import user_name
    from planner.core.clock import now
    from planner.core.i18n import t
    from planner.export.jobs import import_checklist as apply_checklist

    setup = resolve_setup(shop_path=None, workspace=workspace, lang=lang, size=None, year=None,
                          today=None, need_workspace=True)
    done = apply_checklist(setup, file, by=user_name(by), recorded_at=now())

    def label(status):
        return t(f"status.{status or 'open'}", setup.lang)

    for outcome in done.outcomes:
        old, new = (state.status if state else None for state in (outcome.old, outcome.new))
        click.echo(t("import.changed", setup.lang, id=outcome.id, old=label(old),
                     new=label(new)))
        if outcome.id in done.overridden:
            who, exported = done.overridden[outcome.id]
            click.echo(t("import.overridden", setup.lang, id=outcome.id, by=who,
                         saved=label(old), exported=label(exported), new=label(new)), err=True)
    click.echo(t("import.summary", setup.lang, count=len(done.outcomes)) if done.outcomes
               else t("import.nothing", setup.lang))


def _setup_args(options: dict[str, Any]) -> dict[str, Any]:
    return {"size": options["size"], "year": options["year"],
            "shop_path": options["shop_path"], "workspace": options["workspace"],
            "lang": options["lang"], "today": options["today"]}
