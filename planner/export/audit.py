"""The findings workbook of `audit ... -o` and `audit all`: a sheet per audit, most severe
first, each term marked 【】 in its context; the cells that could not be read on a sheet of
their own. Written like every export: formula-safe cells, A4 print setup, atomically, an
existing file kept unless --force."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.audit.records import AuditResult
from planner.core.i18n import t

_SEVERITY_FILLS = {"violation": "F8CBAD", "risk": "FFE699", "warning": None}
_TERM_COLOUR = "C00000"


def target_path(output: str | None, year: int, shop: str | None) -> Path:
    """`output`, else ``315-<year>-<shop>-audit.xlsx`` here; the name checked as the other
    exports check theirs."""
    from planner.export import export_target

    return export_target("audit", output, year, shop)


def _columns(lang: str) -> list[Any]:
    from planner.export.sheet import Column

    known = [t(f"audit.severity.{s}", lang) for s in _SEVERITY_FILLS]
    # the row number centred: right-aligned, it ran into the item id after it ("3601234567802")
    spec = [("severity", {"keep": True, "known": known}), ("row", {"horizontal": "center"}),
            ("item", {"text": True, "max_width": 18}), ("sku", {"max_width": 18}),
            ("field", {}), ("term", {"max_width": 18, "wrap": True}),
            ("category", {"max_width": 16, "wrap": True}),
            ("context", {"max_width": 48, "wrap": True}),
            ("suggestion", {"max_width": 30, "wrap": True})]
    return [Column(t(f"audit.header.{key}", lang), **options) for key, options in spec]


def _highlighted(context: str, mark: tuple[int, int] | None, ws: Any) -> Any:
    """The context cell: the marked term in bold red (rich text, an inline string: never a
    formula), or the plain text."""
    if mark is None:
        return context
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Font

    from planner.export.sheet import FONT

    start, end = mark
    clean = [ILLEGAL_CHARACTERS_RE.sub("", part)
             for part in (context[:start], context[start:end], context[end:])]
    term = TextBlock(InlineFont(b=True, color=_TERM_COLOUR), clean[1])
    cell = WriteOnlyCell(ws, value=CellRichText([part for part in (clean[0], term, clean[2])
                                                 if part]))
    cell.font = Font(name=FONT)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _rows(result: AuditResult, lang: str, wb: Any):
    """The rows of a findings sheet. A rich-text cell belongs to its sheet, which the writer
    makes before it reads the first row: the sheet written is the workbook's last."""
    from planner.export.sheet import Style
    from planner.present.audit import ordered

    ws = None
    styles = {severity: Style(bold=True, fill=fill, border=True)
              for severity, fill in _SEVERITY_FILLS.items()}
    for f in ordered(result.findings):
        ws = ws or wb.worksheets[-1]
        yield [styles[f.severity].cell(t(f"audit.severity.{f.severity}", lang)), f.row,
               f.item_id, f.sku, t(f"audit.field.{f.field}", lang) if f.field else None,
               f.term, result.names.get(f.category, f.category),
               _highlighted(f.context, f.mark, ws), f.suggestion]


def _findings_table(result: AuditResult, lang: str, title: str, wb: Any) -> Any:
    from planner.export.sheet import Table

    return Table(title=t(f"audit.name.{result.audit}", lang), columns=_columns(lang),
                 rows=_rows(result, lang, wb), total=len(result.findings), landscape=True,
                 freeze_columns=1, page_title=title)


def _basis_table(results: list[AuditResult], lang: str, title: str) -> Any:
    """Each category's legal basis, once: the same long text on every finding of a category
    would make each row many lines tall and the sheet too wide for the page."""
    from planner.export.sheet import Column, Table

    seen: dict[tuple[str, str], list[Any]] = {}
    for result in results:
        for finding in result.findings:
            key = (result.audit, finding.category)
            if key not in seen and finding.basis:
                seen[key] = [t(f"audit.name.{result.audit}", lang),
                             result.names.get(finding.category, finding.category),
                             finding.basis]
    columns = [Column(t("audit.header.audit", lang), max_width=14),
               Column(t("audit.header.category", lang), max_width=20, wrap=True),
               Column(t("audit.header.basis", lang), max_width=90, wrap=True)]
    return Table(title=t("audit.sheet.basis", lang), columns=columns, rows=list(seen.values()),
                 total=len(seen), landscape=True, page_title=title)


def _bad_table(results: list[AuditResult], lang: str, title: str) -> Any:
    from planner.export.sheet import Column, Table

    headers = ("file", "row", "column", "problem")
    rows = [[result.file, bad.row, bad.column, bad.problem]
            for result in results for bad in result.bad_rows]
    return Table(title=t("audit.sheet.bad-rows", lang),
                 columns=[Column(t(f"audit.header.{h}", lang), max_width=40, wrap=True,
                                 horizontal="center" if h == "row" else None)
                          for h in headers],
                 rows=rows, total=len(rows), page_title=title)


def write_findings(results: list[AuditResult], output: str | None, ws: Any, *,
                   force: bool = False) -> Path:
    """Write the workbook for `results` (a `Workspace` `ws` names it by default)."""
    from planner.export.jobs import refuse_existing
    from planner.export.xlsx import building, save_workbook, write_table

    target = target_path(output, ws.year, ws.shop_name)
    refuse_existing([target], force)
    lang = ws.lang
    title = t("audit.title", lang, shop=ws.shop_name or t("plan.no-shop-name", lang),
              year=ws.year)
    with building(title, lang=lang) as wb:
        for result in results:
            write_table(wb, _findings_table(result, lang, title, wb))
        if any(finding.basis for result in results for finding in result.findings):
            write_table(wb, _basis_table(results, lang, title))
        if any(result.bad_rows for result in results):
            write_table(wb, _bad_table(results, lang, title))
        return save_workbook(wb, target, force=force)
