"""`roster` (show, import) and `export` (the Excel workbooks)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from planner.cli.options import (
    BilingualGroup,
    DateParam,
    format_option,
    group_lang_option,
    lang_option,
    open_workspace,
    progress_bar,
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
strict_option = click.option(
    "--strict", is_flag=True,
    help="Refuse to write a notice that still lacks something (exit 1) / "
         "通知内容不完整时不写入.")
date_option = click.option("--date", "issued", type=DateParam(), default=None,
                           help="The notice's issue date (default: today) / 通知的发布日期.")


# --- roster ---------------------------------------------------------------------------------


@click.group(name="roster", cls=BilingualGroup, invoke_without_command=True)
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
    from planner.present.roster import roster_data, roster_table
    from planner.present.text import to_json

    ws = open_workspace(workspace=workspace, lang=lang, need_workspace=True)
    contacts = ws.roster_contacts()
    if fmt == "json":
        click.echo(to_json(roster_data(contacts, ws.roster_source, mask_phones=mask_phones)))
    else:
        click.echo(roster_table(contacts, ws.roster_source, ws.lang, mask_phones=mask_phones))


@contextlib.contextmanager
def rows_read(lang: str) -> Iterator[Callable[[int], None] | None]:
    """On a terminal, how many rows an import has read so far, on one line of stderr ended
    when the reading is done; in a pipe, nothing (None)."""
    from planner.core.i18n import t

    if not sys.stderr.isatty():
        yield None
        return
    shown = False

    def show(rows: int) -> None:
        nonlocal shown
        shown = True
        click.echo("\r" + t("roster.reading", lang, rows=rows), err=True, nl=False)

    try:
        yield show
    finally:
        if shown:
            click.echo(err=True)


@roster_group.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True,
              help="Also when contacts of the current roster are not in the file (they are "
                   "removed) / 替换整个联络表（文件中没有的现有联系人将被删除）.")
@click.option("--encoding", metavar="NAME",
              help="The CSV's text encoding, any Python knows (big5, latin-1, shift_jis...); "
                   "default: UTF-8, UTF-16 with BOM, else GBK / CSV 文件的编码（如 big5、"
                   "latin-1）；默认依次识别 UTF-8、带 BOM 的 UTF-16、GBK.")
@year_option
@workspace_option
@lang_option
def roster_import(file, replace, encoding, year, workspace, lang):
    """Replace roster.yaml with the contacts of a CSV or XLSX file (--replace when contacts
    of the current roster are missing from it); shift dates are checked in the campaign
    year (--year, default as for plan).

    从 CSV 或 XLSX 文件导入联络表，替换 roster.yaml。表头可用中文或英文（部门、姓名、职务、手机、
    座机/分机、旺旺/钉钉、邮箱、值班/班次、升级顺序、备岗）；CSV 可为 UTF-8 或 GBK 编码，
    其他编码（如繁体的 big5）用 --encoding 指明。
    任何一行有错都不会写入，原联络表保持不变（错误信息列出所有有问题的行）；文件中缺少现有联系人时，
    须加 --replace 才会替换。班次日期按活动年份核对（--year，默认与 plan 相同）。

    \b
    Example / 示例:
      planner315 roster import contacts.csv
      planner315 roster import 联络表.xlsx --workspace myshop
    """
    from planner.core.errors import counted
    from planner.present.text import say

    parent = click.get_current_context().find_root().meta.get("planner315.roster", {})
    ws = open_workspace(workspace=workspace or parent.get("workspace"),
                        lang=lang or parent.get("lang"), need_workspace=True, year=year)
    with rows_read(ws.lang) as progress:
        target, contacts, ignored = ws.import_roster(file, replace, progress=progress,
                                                     encoding=encoding)
    if ignored:
        click.echo(say("roster.ignored-columns", ws.lang, columns=", ".join(ignored)),
                   err=True)
    click.echo(say("roster.imported", ws.lang, contacts=counted("contacts", len(contacts)),
                   path=str(target)))


# --- export ---------------------------------------------------------------------------------


def export_options(command):
    for option in reversed((size_option, year_option, shop_option, workspace_option,
                            lang_option, today_option)):
        command = option(command)
    return command


output_file_option = click.option(
    "--output", "-o", type=click.Path(dir_okay=False), default=None,
    help="Output file (default: 315-<year>-<shop>-<kind>.xlsx here) / 输出文件.")


@click.group(name="export", cls=BilingualGroup)
@group_lang_option
def export_group():
    """Write Excel workbooks: roster, notice, checklist, schedule, complaint register, or all.

    导出 Excel 工作簿：联络表、部署通知、检查表、进度表、投诉登记表，或全部。

    \b
    Example / 示例:
      planner315 export notice --issuer 张经理
      planner315 export all -o exports/
    """


def _job(options: dict[str, Any]) -> Any:
    from planner.export.jobs import ExportJob

    ws = open_workspace(shop_path=options["shop_path"], workspace=options["workspace"],
                        lang=options["lang"], size=options["size"], year=options["year"],
                        today=options["today"], need_size=True)
    return ExportJob(ws)


def _notify(lang: str):
    """Say on stderr what a workbook still lacks, before anyone sends it."""
    from planner.core.i18n import t

    def notify(gaps: list[str]) -> None:
        click.echo(t("export.notice.gaps", lang), err=True)
        for gap in gaps:
            click.echo(f"  - {gap}", err=True)

    return notify


def _export_one(kind: str, output, force, issuer=None, mask_phones=False, issued=None,
                strict=False, paper="a4", **setup) -> None:
    from planner.export.registry import ExportOptions
    from planner.present.text import say

    job = _job(setup)
    options = ExportOptions(force, issuer, mask_phones, progress_bar, issued=issued,
                            strict=strict, paper=paper)
    path = job.write_one(kind, output, options, notify=_notify(job.lang))
    click.echo(say("export.written", job.lang, path=str(path)))


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
    _export_one("roster", output, force, mask_phones=mask_phones, **setup)


@export_group.command(name="notice")
@output_file_option
@force_option
@issuer_option
@date_option
@strict_option
@mask_option
@export_options
def export_notice(output, force, issuer, issued, strict, mask_phones, **setup):
    """Write the deployment notice (with the roster as its second sheet).

    导出“3·15”投诉应对工作部署通知（第二页为联络表）。

    What the notice still lacks (escalation order, managers on the floor, issuer) is said on
    stderr; --strict refuses to write it then.

    通知中尚缺的内容（升级顺序、现场值守的主管、发布人）会在标准错误输出中列出；
    加 --strict 时不写入。

    \b
    Example / 示例:
      planner315 export notice --issuer 张经理 --date 2027-02-20 --lang zh
      planner315 export notice --strict
    """
    _export_one("notice", output, force, issuer=issuer, mask_phones=mask_phones,
                issued=issued, strict=strict, **setup)


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
    _export_one("checklist", output, force, **setup)


paper_option = click.option(
    "--paper", type=click.Choice(["a4", "a3"]), default="a4", show_default=True,
    help="Paper to print the schedule on, landscape / 打印纸张（横向）.")


@export_group.command(name="schedule")
@output_file_option
@force_option
@paper_option
@export_options
def export_schedule(output, force, paper, **setup):
    """Write the schedule workbook: a Gantt chart, one column per campaign day.

    导出进度表（甘特图）：每天一列，阶段着色，标出截止日和周末。

    Printed over several A4 landscape pages with the item columns on each, at a legible
    size; --paper a3 prints A3 landscape (fewer pages).

    打印时分几页横向 A4，每页重复事项列，字号清晰可读；--paper a3 改为横向 A3（页数更少）。

    \b
    Example / 示例:
      planner315 export schedule --size medium --year 2027
      planner315 export schedule --paper a3
    """
    _export_one("schedule", output, force, paper=paper, **setup)


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
    _export_one("complaints", output, force, **setup)


@export_group.command(name="all")
@click.option("--output", "-o", type=click.Path(), default=".", show_default=True,
              help="Folder to write the workbooks into / 输出文件夹.")
@force_option
@issuer_option
@date_option
@strict_option
@mask_option
@export_options
def export_all(output, force, issuer, issued, strict, mask_phones, **setup):
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
    from planner.present.text import say

    job = _job(setup)  # first: it settles the language of any error
    if not job.contacts:
        click.echo(t("roster.none", job.lang), err=True)
    from planner.export.registry import ExportOptions

    options = ExportOptions(force, issuer, mask_phones, progress_bar, issued=issued,
                            strict=strict)
    written = job.write_all(Path(output), options, notify=_notify(job.lang))
    for target in written:
        click.echo(say("export.written", job.lang, path=str(target)))


@click.group(name="import", cls=BilingualGroup)
@group_lang_option
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
@click.option("--force", is_flag=True,
              help="Also apply rows that undo a change made in planner315 / "
                   "表格中与 planner315 里的改动相冲突的行也导入.")
@year_option
@workspace_option
@lang_option
def import_checklist(file, by, force, year, workspace, lang):
    """Apply the rows edited in a checklist workbook (all rows or none).

    The workbook must be this shop's checklist of this campaign and size. Only rows changed
    in the sheet are applied, so check-offs made in planner315 since the export are kept.
    An edited row whose item was also changed in planner315 after the export is not
    applied (a note names it) unless the row has a note of its own or --force is given;
    then the sheet wins. A workbook without the export stamp (from an earlier release, or
    re-saved without its document properties) is compared with the saved state: rows that
    would reopen or change a settled item need --force.

    导入填写后的检查表：必须是本店、本届、本规模导出的检查表。只应用在表格中改过的行，导出后在
    planner315 中勾选的事项不受影响；若某行在表格中改过、该事项导出后也在 planner315 中被改过，
    该行不导入并逐项提示，除非该行写了新的备注或加了 --force（此时以表格为准）。没有导出标记的旧
    表格与当前状态比较，会重新打开或改动已完成事项的行须加 --force。任何一行有错则整个文件都不导入。

    \b
    Example / 示例:
      planner315 import checklist checklist.xlsx --by 张敏
    """
    from planner.core.errors import counted
    from planner.core.i18n import t
    from planner.present.text import say

    ws = open_workspace(workspace=workspace, lang=lang, by=by, year=year,
                        need_workspace=True, need_size=True)
    done = ws.import_checklist(file, force=force)
    lang = ws.lang

    def label(status):
        return t(f"status.{status or 'open'}", lang)

    for outcome in done.outcomes:
        old, new = (state.status if state else None for state in (outcome.old, outcome.new))
        click.echo(say("import.changed", lang, id=outcome.label, old=label(old),
                       new=label(new)))
        if outcome.label in done.overridden:
            who, exported = done.overridden[outcome.label]
            click.echo(say("import.overridden", lang, id=outcome.label, by=who,
                           saved=label(old), exported=label(exported), new=label(new)),
                       err=True)
    for conflict in done.skipped:  # one line each: the later change in planner315 stands
        click.echo(say("import.skipped", lang, id=conflict.label, row=conflict.row,
                       by=conflict.by, at=conflict.at.strftime("%Y-%m-%d %H:%M"),
                       saved=label(conflict.saved), sheet=label(conflict.sheet)), err=True)
    click.echo(t("import.summary", lang, count=counted("changes", len(done.outcomes)))
               if done.outcomes
               else t("import.nothing", lang))
    if done.skipped:
        click.echo(t("import.skipped-summary", lang, count=counted("rows", len(done.skipped))))
