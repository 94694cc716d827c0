"""`audit copy|prices|stock|promotions|all|samples`: the readiness audits of the shop's own
exports. Exit codes as a linter's: 0 no findings, 3 findings, 1 a data error, 2 usage."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from planner.cli.options import (
    BilingualGroup,
    by_option,
    format_option,
    group_lang_option,
    lang_option,
    open_workspace,
    shop_option,
    size_option,
    today_option,
    workspace_option,
    year_option,
)

FINDINGS_EXIT = 3
PROGRESS_EVERY = 5_000  # rows between two updates of the row count on a terminal


def audit_options(command):
    options = (
        size_option, year_option, shop_option, workspace_option, lang_option, today_option,
        format_option(),
        click.option("--output", "-o", default=None,
                     help="Also write the findings to this .xlsx / 同时写入 Excel 文件."),
        click.option("--force", is_flag=True, help="Overwrite the .xlsx / 覆盖已有文件."),
        click.option("--encoding", default=None,
                     help="The CSV's encoding, e.g. gbk (default: detected) / CSV 文件编码."),
        click.option("--column", "columns", multiple=True, metavar="KEY=HEADER",
                     help="Read column KEY from the column headed HEADER / 指定列名."),
        click.option("--record", is_flag=True,
                     help="Record the result on the checklist item / 将结果记入检查项."),
        by_option,
    )
    for option in reversed(options):
        command = option(command)
    return command


@click.group(name="audit", cls=BilingualGroup)
@group_lang_option
def audit_group():
    """Audit the shop's own exports before the battle: copy, prices, stock, promotions.

    审核店铺自己的导出数据：文案、价格、库存、活动；退出码 0 无问题，3 有问题。

    \b
    Example / 示例:
      planner315 audit copy listings.csv
      planner315 audit all exports/ -o findings.xlsx
    """


def _workspace(options: dict, need_size: bool = False):
    return open_workspace(shop_path=options["shop_path"], workspace=options["workspace"],
                          lang=options["lang"], size=options["size"], year=options["year"],
                          today=options["today"], by=options["by"], need_size=need_size)


@contextlib.contextmanager
def _row_counter(lang: str) -> Iterator[Callable[[int], None] | None]:
    """The rows read so far, on stderr, when it is a terminal (the total is not known
    before the file is read through)."""
    import sys

    from planner.core.i18n import t

    if not sys.stderr.isatty():
        yield None
        return
    read = [0]

    def tick(rows: int) -> None:
        read[0] += rows
        if read[0] % PROGRESS_EVERY == 0:
            click.echo("\r" + t("audit.progress", lang, rows=read[0]), err=True, nl=False)

    try:
        yield tick
    finally:
        if read[0] >= PROGRESS_EVERY:
            click.echo("\r\x1b[K", err=True, nl=False)


def _settings(ws, options: dict, near_days: int = 30, dated: bool = False):
    from planner.audit.columns import parse_mapping
    from planner.audit.stock import QUALITY_OWNERS
    from planner.audit.suite import Settings
    from planner.campaign.phases import load_campaign
    from planner.core.errors import PlannerError
    from planner.core.i18n import render_error

    # copy and prices judge no dates: they need no shop size
    battle = next(w for w in ws.windows() if w.phase == "battle") if dated else None
    owners = load_campaign().owners
    try:
        mapped = parse_mapping(options["columns"])
    except PlannerError as err:  # a mistake in the option: a usage error
        raise click.BadParameter(render_error(err, ws.lang), param_hint="--column") from None
    return Settings(ws.lang, ws.today, battle and (battle.start, battle.end), ws.folder,
                    near_days,
                    tuple(owners[o][ws.lang] for o in QUALITY_OWNERS if o in owners),
                    options["encoding"], mapped)


def _finish(ws, results: list, options: dict, workbook: bool = False) -> None:
    """Print, write the workbook (with -o, or always with `workbook`), record; exit 3 when
    anything was found."""
    from planner.present import audit as view
    from planner.present.text import to_json

    fmt = options["fmt"]
    if options["output"] is not None or workbook:
        from planner.export.audit import write_findings

        path = write_findings(results, options["output"], ws, force=options["force"])
        click.echo(_t("audit.written", ws.lang, path=str(path)), err=True)
    if fmt == "json":
        data = [view.result_data(result) for result in results]
        click.echo(to_json(data[0] if len(data) == 1 else data))
    else:
        show = view.as_markdown if fmt == "markdown" else view.as_table
        from planner.cli.options import color_option_value

        click.echo("\n\n".join(show(result, ws.lang) for result in results),
                   color=color_option_value())
    if options["record"]:
        _record(ws, results)
    if any(result.findings for result in results):
        click.get_current_context().exit(FINDINGS_EXIT)


def _record(ws, results: list) -> None:
    from planner.audit.recording import record
    from planner.core.errors import PlannerError
    from planner.present.audit import summary_line

    if ws.folder is None:
        raise PlannerError("error.no-workspace")
    for result in results:
        item = record(ws, result, summary_line(result, ws.lang))
        key = "audit.recorded-open" if result.findings else "audit.recorded-done"
        click.echo(_t(key, ws.lang, item=item), err=True)


def _t(key: str, lang: str, **params) -> str:
    from planner.core.i18n import t

    return t(key, lang, **params)


def _run(options: dict, need_size: bool, audit: Callable, near_days: int = 30,
         workbook: bool = False) -> None:
    ws = _workspace(options, need_size)
    settings = _settings(ws, options, near_days, dated=need_size)
    if options["output"] is not None or workbook:  # a bad name or folder stops us first
        from planner.export.audit import target_path

        target_path(options["output"], ws.year, ws.shop_name)
    with _row_counter(ws.lang) as tick:
        settings.tick = tick
        results = audit(settings)
    _finish(ws, results if isinstance(results, list) else [results], options, workbook)


@audit_group.command(name="copy")
@click.argument("listings", type=click.Path(dir_okay=False))
@audit_options
def audit_copy(listings, **options):
    """Titles, subtitles and detail pages against the list of risky terms (极限词).

    检查标题、副标题和详情中的极限词、违规宣传用语，给出依据和修改建议。

    \b
    Example / 示例:
      planner315 audit copy listings.csv
      planner315 audit copy listings.csv --format json --lang en
    """
    from planner.audit.suite import run_copy

    _run(options, False, lambda settings: run_copy(listings, settings))


@audit_group.command(name="prices")
@click.argument("listings", type=click.Path(dir_okay=False))
@click.option("--reference", "-r", required=True, type=click.Path(dir_okay=False),
              help="The reference price sheet / 价格基准表.")
@audit_options
def audit_prices(listings, reference, **options):
    """Listing prices and specs against the reference price sheet, per item and SKU.

    按商品和 SKU 将标价和规格与价格基准表核对。

    \b
    Example / 示例:
      planner315 audit prices listings.csv --reference price-sheet.csv
    """
    from planner.audit.suite import run_prices

    _run(options, False, lambda settings: run_prices(listings, reference, settings))


@audit_group.command(name="stock")
@click.argument("inventory", type=click.Path(dir_okay=False))
@click.option("--near-days", type=click.IntRange(0, 3650), default=30, show_default=True,
              help="Label batches expiring this many days after the battle / 临期天数.")
@audit_options
def audit_stock(inventory, near_days, **options):
    """Expired and near-expiry batches, and batches with a quality problem.

    检查过期、作战期内到期、临期的批次，以及有质量问题需召回的批次。

    \b
    Example / 示例:
      planner315 audit stock inventory.csv --near-days 45
    """
    from planner.audit.suite import run_stock

    _run(options, True, lambda settings: run_stock(inventory, settings), near_days)


@audit_group.command(name="promotions")
@click.argument("promos", type=click.Path(dir_okay=False))
@audit_options
def audit_promotions(promos, **options):
    """Ended promotions still shown, prizes overdue, promotions without written rules.

    检查已结束但文案仍在线的活动、逾期未发的奖品、缺少书面规则的活动。

    \b
    Example / 示例:
      planner315 audit promotions promotions.csv --today 2027-03-01
    """
    from planner.audit.suite import run_promotions

    _run(options, True, lambda settings: run_promotions(promos, settings))


@audit_group.command(name="all")
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
@click.option("--near-days", type=click.IntRange(0, 3650), default=30, show_default=True,
              help="Label batches expiring this many days after the battle / 临期天数.")
@audit_options
def audit_all(directory, near_days, **options):
    """Every audit whose input is in DIRECTORY, recognised by its header.

    对目录中能识别的每个文件（按表头判断）运行对应的审核。

    \b
    Example / 示例:
      planner315 audit all exports/ -o 315-audit.xlsx --force
    """
    from planner.audit.suite import run_all
    from planner.core.errors import PlannerError

    def everything(settings):
        results = run_all(Path(directory), settings)
        if not results:
            raise PlannerError("error.audit-nothing-found", file=directory)
        return results

    _run(options, True, everything, near_days, workbook=True)


@audit_group.command(name="samples")
@click.argument("directory", type=click.Path(file_okay=False))
@lang_option
@click.option("--force", is_flag=True, help="Overwrite existing files / 覆盖已有文件.")
def audit_samples(directory, lang, force):
    """Write a sample input for every audit into DIRECTORY.

    将每种审核的示例输入文件写入目录。

    \b
    Example / 示例:
      planner315 audit samples samples
    """
    from planner.audit.samples import write_samples
    from planner.cli.options import settle_lang
    from planner.core.i18n import resolve_lang

    chosen = resolve_lang(lang)
    settle_lang(chosen)
    for path in write_samples(Path(directory), force):
        click.echo(_t("audit.sample-written", chosen, path=str(path)))
