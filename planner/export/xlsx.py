"""Writing .xlsx workbooks: one safe door for every value, and a streaming table writer.

Every workbook is written in openpyxl's write-only mode, so memory stays flat however many rows
arrive. That mode has rules the writer below respects: column widths, freeze panes and row
heights must be known before the first row is appended, so the writer looks at the first rows
(a bounded sample) to fit the columns, then streams the rest.

User text is untrusted. `safe` is the only place where a value is turned into cell content; it
makes sure text never becomes a formula or an error cell, strips the control characters that
Excel cannot store, and refuses text longer than a cell can hold, naming the cell.

Workbooks people send back are read by `planner.input.workbook`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from copy import copy
from decimal import Decimal
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from planner.core.cells import MAX_CELL_CHARS, XML_ILLEGAL
from planner.core.errors import PlannerError
from planner.core.files import atomic_path
from planner.export.metrics import (
    FONT_SIZE,
    column_points,
    column_width,
    line_height,
    text_height,
    wrapped_lines,
)
from planner.export.sheet import HEADER, Column, Style, Styled, Table

CREATOR = "planner315"
A4 = "9"
# First characters that make Excel, LibreOffice or openpyxl read text as a formula ('=', '+',
# '-', '@', tab, CR or LF before one) or as an error code ('#N/A', '#DIV/0!', ...).
_LITERAL_START = frozenset("=+-@\t\r\n#")
_NATIVE = (int, float, Decimal, dt.date, dt.time, dt.timedelta)
_DATES = (dt.date, dt.time, dt.timedelta)
_is_date_format = lru_cache(maxsize=64)(is_date_format)
SAMPLE_ROWS = 200
PROGRESS_STEP = 1_000



def safe(value: Any, ws: Any, cell: Cell | None = None) -> Any:
    """What to append for `value`: the value, or a cell holding it as literal text.

    `cell`, when given, is a styled cell to put the value in (it may be reused row after row:
    write-only sheets serialise a row before the next one is appended). Text that Excel could
    read as a formula or an error code is stored with type "s" and a quote prefix, so that
    neither opening the file nor editing the cell later turns it into a formula.
    """
    if type(value) is str:
        if XML_ILLEGAL.search(value) is not None:
            value = XML_ILLEGAL.sub("", value)
        if "\r" in value:  # XML readers turn a stored CR into LF anyway: say so up front
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if len(value) > MAX_CELL_CHARS:
            raise PlannerError("error.xlsx-cell-too-long", length=len(value),
                               limit=MAX_CELL_CHARS)
        if value and value[0] in _LITERAL_START:
            return _literal(value, ws, cell)
    elif isinstance(value, Cell):
        return value
    elif isinstance(value, Styled):
        return safe(value.value, ws, value.style.apply(WriteOnlyCell(ws)))
    elif isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: store the wall-clock time in Shanghai.
        from planner.core.clock import to_shanghai

        value = to_shanghai(value).replace(tzinfo=None)
    elif value is not None and not isinstance(value, _NATIVE):
        return safe(str(value), ws, cell)
    if cell is None:
        return value
    if isinstance(value, _DATES) and not _is_date_format(cell.number_format):
        # openpyxl gives a date its format on the cell itself: on a cell reused row after
        # row, every number after it would print as a date
        cell = _copy_style(cell, ws)
    cell.value = value
    return cell


_TOP = Alignment(vertical="top")


def _copy_style(template: Cell | None, ws: Any) -> Cell:
    """A new cell styled like `template`; without a style, aligned to the top like every
    cell (a cell given a style of its own, even only a quote prefix, would otherwise sit at
    the bottom of its row in Excel and LibreOffice)."""
    cell = WriteOnlyCell(ws)
    if template is not None and template.has_style:
        cell._style = copy(template._style)
    else:
        cell.alignment = _TOP
    return cell


def _literal(text: str, ws: Any, template: Cell | None) -> Cell:
    # a copy: the reused cell keeps its own style untouched
    cell = _copy_style(template, ws)
    cell.value = text  # openpyxl takes "=..." for a formula and "#N/A" for an error here,
    cell.data_type = "s"  # so the type is set back to text afterwards
    cell.quotePrefix = True
    return cell


def _cell_text(value: Any, column: Column | None = None) -> str:
    """The text a cell shows for `value` (in `column`'s number format)."""
    if isinstance(value, Cell | Styled):
        value = value.value
    if value is None:
        return ""
    if column is not None and column.shows is not None and isinstance(value, _NATIVE):
        return column.shows(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.10g}"  # what the General format shows of it
    return str(value)


def _font(value: Any) -> tuple[float, bool]:
    """The font size and weight `value` is written in."""
    if isinstance(value, Styled):
        return value.style.size, value.style.bold
    return FONT_SIZE, False


def header_width(text: str) -> float:
    """A width for a header: on one line, or on two broken between words (English)."""
    whole = column_width(text, bold=True)
    words = text.split()
    if len(words) < 2:
        return whole
    width = max(column_width(word, bold=True) for word in words)
    while width < whole and wrapped_lines(text, width, bold=True) > 2:
        width += 0.5
    return min(width, whole)


WORD_LIMIT = 30.0  # a wrapping column grows to fit its longest word up to this


def word_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The width the longest word of `text` needs (Chinese breaks anywhere: no word)."""
    words = _WORDS.findall(text)
    return max((column_width(word, size, bold) for word in words), default=0.0)


_WORDS = re.compile(r"[^\s\u1100-\uffff]+")


def fit_width(column: Column, sample: Sequence[Sequence[Any]], index: int) -> float:
    """The width that shows the header and every value the column holds (the sampled rows,
    the `known` values), as printed in the column's number format, within the column's
    bounds."""
    if column.width is not None:
        return column.width
    texts = [(_cell_text(row[index], column), *_font(row[index]))
             for row in sample if index < len(row) and row[index] is not None]
    widest = max([header_width(column.header)]
                 + [column_width(text) for text in column.known]
                 + [column_width(*text) for text in texts])
    width = min(max(widest, column.min_width), column.max_width)
    if width < widest and not column.keep:
        # it wraps: still no word (a name, a number) cut in two if the column can help it
        longest = max([word_width(*text) for text in texts] or [0.0])
        width = max(width, min(longest, WORD_LIMIT))
        if width == column.max_width:
            width = _settled_width(texts, width)
    return float(width)


WIDEN = 0.08  # how much wider than its max_width a wrapping column may grow to settle


def _settled_width(texts: Sequence[tuple[str, float, bool]], width: float) -> float:
    """A width a little over `width` at which fewer of the texts take more lines in Excel
    than in LibreOffice (whose columns are wider): each such text leaves a blank line under
    it in LibreOffice, its row being as tall as Excel needs."""
    def uneven(candidate: float) -> int:
        return sum(wrapped_lines(text, candidate, size, bold)
                   - wrapped_lines(text, candidate, size, bold, office=True)
                   for text, size, bold in texts)

    best, fewest = width, uneven(width)
    candidate = width
    while fewest and candidate < width * (1 + WIDEN):
        candidate = round(candidate + 0.5, 1)
        count = uneven(candidate)
        if count < fewest:
            best, fewest = candidate, count
    return best


def new_workbook(title: str, *, subject: str | None = None, lang: str = "en") -> Workbook:
    wb = Workbook(write_only=True)
    props = wb.properties
    props.title = XML_ILLEGAL.sub("", title) or None
    props.subject = XML_ILLEGAL.sub("", subject or "") or None
    props.creator = CREATOR
    props.lastModifiedBy = CREATOR
    props.language = "zh-CN" if lang == "zh" else "en"
    _top_by_default(wb)
    return wb


def _top_by_default(wb: Workbook) -> None:
    """Cells without a style of their own are aligned to the top, like every styled cell:
    one vertical alignment on every sheet, however tall a row grows."""
    from openpyxl.styles.cell_style import StyleArray

    wb._named_styles["Normal"].alignment = Alignment(vertical="top")  # LibreOffice's default
    top = wb._alignments.add(Alignment(vertical="top"))  # Excel's: the first cell format
    default = StyleArray()
    default.alignmentId = top
    wb._cell_styles = type(wb._cell_styles)([default])


@contextlib.contextmanager
def building(title: str, *, subject: str | None = None, lang: str = "en"
             ) -> Iterator[Workbook]:
    """A new write-only workbook that is closed properly if building it fails.

    A write-only sheet streams into a temporary file; left half-written, it would complain
    when garbage-collected after that file is gone.
    """
    wb = new_workbook(title, subject=subject, lang=lang)
    try:
        yield wb
    except BaseException:
        discard(wb)
        raise


def discard(wb: Workbook) -> None:
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):
            ws.close()


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters, never empty."""
    return (_SHEET_BAD.sub("_", XML_ILLEGAL.sub("", text)).strip("'") or "Sheet")[:31]


def write_table(wb: Workbook, table: Table,
                progress: Callable[[int], None] | None = None) -> int:
    """Stream `table` into a new sheet of `wb`; returns the number of data rows written."""
    ws = wb.create_sheet(title=sheet_title(table.title))
    rows = iter(table.rows)
    sample = list(islice(rows, SAMPLE_ROWS))
    preamble = table.preamble
    header_row = len(preamble) + 1
    columns = table.columns
    widths = [fit_width(column, sample, i) for i, column in enumerate(columns)]
    styles = _column_styles(table, sample, widths)
    top = Alignment(vertical="top")
    for i, width in enumerate(widths, 1):
        dimension = ws.column_dimensions[get_column_letter(i)]
        dimension.width = width
        dimension.alignment = top  # cells without a style of their own take the column's
        if columns[i - 1].text:
            dimension.number_format = "@"  # new cells typed in this column stay text
        if columns[i - 1].hidden:
            dimension.hidden = True
    for row, height in table.row_heights.items():
        if row <= header_row:
            ws.row_dimensions[row].height = height
    fixed = {row: height for row, height in table.row_heights.items() if row > header_row}
    # a hidden column is never seen: its text makes no row taller
    hidden = frozenset(i for i, column in enumerate(columns) if column.hidden)
    wrapped = {i for i, style in styles.items()
               if style.wrap and i < len(widths) and i not in hidden}
    header_height = table.header_height or max(
        text_height(column.header, width, bold=True)
        for column, width in zip(columns, widths, strict=True) if not column.hidden)
    if header_height > line_height(1):
        ws.row_dimensions[header_row].height = header_height
        ws.row_dimensions[header_row].alignment = top
    ws.freeze_panes = f"{get_column_letter(table.freeze_columns + 1)}{header_row + 1}"
    _print_setup(ws, table, header_row, widths)
    for range_ in table.merged:
        ws.merged_cells.add(range_)
    if table.setup is not None:
        table.setup(ws, header_row)
    for number, values in enumerate(preamble, 1):
        ws.append(_cells(ws, values, number))
    ws.append(_cells(ws, [table.header_styles.get(i, HEADER).cell(column.header)
                          for i, column in enumerate(columns)], header_row))
    reused = {i: style.apply(WriteOnlyCell(ws)) for i, style in styles.items()}
    typed = frozenset(i for i, style in styles.items() if style.text)  # empty cells written
    wrap_only = {i: widths[i] for i, style in styles.items()
                 if i < len(widths) and style == Style(wrap=True)}
    count = 0
    dimensions = ws.row_dimensions
    row_attributes: dict[float, dict[str, str]] = {}
    # the height of every row, to lay the pages out (not for sheets too long to print)
    laid: list[float] | None = None if table.row_breaks else []
    for count, values in enumerate(chain(sample, rows), 1):
        row = header_row + count
        # every row as tall as its wrapped text: not every program grows a row itself
        # (LibreOffice does not, on opening a file). The row's dimension is read when the
        # row is written, so it is set just before and dropped after: memory stays flat.
        height = fixed.get(row) or _row_height(values, wrapped, widths, hidden)
        if height:
            if height not in row_attributes:  # a row dimension is slow to make: one per height
                dimension = dimensions[row]
                dimension.height = height
                dimension.alignment = top
                row_attributes[height] = dict(dimension)
            dimensions[row] = row_attributes[height]  # what the writer reads of it
        ws.append(_cells(ws, values, row, columns, reused, typed, wrap_only))
        if height:
            del dimensions[row]
        if laid is not None:
            laid.append(height or DEFAULT_ROW_PT)
            if count > PAGINATE_ROWS:
                laid = None
        if progress is not None and count % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP)
    if progress is not None:
        progress(count % PROGRESS_STEP)
    if laid:
        _lay_out_pages(ws, table, header_row, widths, laid)
    if table.autofilter:
        last = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    return count


SHORT_PAGE = 0.25  # a last page filled less than this is saved, when a smaller scale can
SHRINK = 8  # by printing at most this many percent smaller (never under MIN_SCALE)
DEFAULT_ROW_PT = 15.0  # a row without a height of its own (openpyxl's defaultRowHeight)
PAGINATE_ROWS = 20_000  # longer sheets are not laid out: nobody prints them whole
MAX_BREAKS = 1_000  # Excel keeps at most 1,026 manual page breaks a sheet


def _lay_out_pages(ws: Any, table: Table, header_row: int, widths: Sequence[float],
                   heights: list[float]) -> None:
    """A manual break at the end of every printed page of the sheet's rows: no page ends
    with a heading (`keep_with_next`), and the last row never stands alone on a page."""
    from openpyxl.worksheet.pagebreak import Break

    from planner.export.pages import page_breaks

    def height(row: int) -> float:  # of a row above the data (set before they were written)
        dimension = ws.row_dimensions.get(row)
        return (dimension.height if dimension is not None else None) or DEFAULT_ROW_PT

    first = header_row + 1
    rows = {first + i: value for i, value in enumerate(heights)}
    keep = {first + i: True for i in table.keep_with_next}
    if len(heights) > 1:
        keep[first + len(heights) - 2] = True  # the last row's page holds the one before
    repeated = height(header_row)
    above = sum(height(row) for row in range(1, header_row)) + repeated
    scale = print_scale(table, widths)

    def breaks(scale: int) -> list[int]:
        page = printable_height(table) * 100 / scale  # in the sheet's points
        return page_breaks(rows, keep, start=first, used=above, repeated=repeated, page=page)

    ends = breaks(scale)
    # a last page of a few rows: printed a little smaller, the sheet takes a page less
    if ends and sum(rows[row] for row in rows if row > ends[-1]) < SHORT_PAGE * \
            printable_height(table) * 100 / scale:
        for smaller in range(scale - 1, max(MIN_SCALE, scale - SHRINK) - 1, -1):
            fewer = breaks(smaller)
            if len(fewer) < len(ends):
                scale, ends = smaller, fewer
                ws.page_setup.scale = scale
                break
    if len(ends) > MAX_BREAKS:  # more than Excel keeps: the programs break the pages
        return
    for row in ends:
        ws.row_breaks.append(Break(id=row))


_PLAIN = (int, float, bool)


@lru_cache(maxsize=4096)
def _fits(text: str, width: float) -> bool:
    """`text` shows on one line in a column `width` wide (no wrapping needed)."""
    return "\n" not in text and column_width(text) <= width


# What `safe` would change in a text: a character Excel cannot store, or a CR.
_CARE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")


def _cells(ws: Any, values: Sequence[Any], row: int, columns: Sequence[Column] = (),
           reused: dict[int, Cell] | None = None, typed: frozenset[int] = frozenset(),
           wrap_only: dict[int, float] | None = None) -> list[Any]:
    """One row's cells; a value that cannot be stored is reported with its cell and column:
    ``Checklist!J2 (Note)``.

    Plain values (numbers, and text that starts like no formula, fits a cell and holds
    nothing to strip) in a column without a style of their own go out as they are, without
    the call to `safe`: the register writes millions of them. An empty cell is not written,
    unless its column is text (`typed`) for what people will type into it. A text that
    fits on one line of a column styled only to wrap (`wrap_only`: its width) needs no
    style either."""
    cells = []
    append = cells.append
    template = None
    i = 0
    try:
        for i, value in enumerate(values):
            if reused is not None:
                template = reused.get(i)
                if (template is not None and wrap_only and i in wrap_only
                        and type(value) is str and _fits(value, wrap_only[i])):
                    template = None
            if value is None and (template is None or i not in typed):
                append(None)  # an empty cell needs no wrapping: nothing is written
                continue
            if template is None:
                kind = type(value)
                if kind in _PLAIN:
                    append(value)
                    continue
                if kind is str and (not value or (
                        value[0] not in _LITERAL_START and len(value) <= MAX_CELL_CHARS
                        and _CARE.search(value) is None)):
                    append(value)
                    continue
            append(safe(value, ws, template))
    except PlannerError as err:
        where = f"{ws.title}!{get_column_letter(i + 1)}{row}"
        if i < len(columns):
            where = f"{where} ({' '.join(columns[i].header.split())})"
        raise err.located(field=where) from None
    return cells


_SINGLE = line_height(1)


def _row_height(values: Sequence[Any], wrapped: set[int], widths: list[float],
                hidden: frozenset[int] = frozenset()) -> float | None:
    """The height a row's wrapped text needs, in the fonts a Chinese Excel or WPS shows
    and in LibreOffice's, when more than one line; else None."""
    tallest = _SINGLE
    for i, value in enumerate(values):
        if value is None or i >= len(widths) or i in hidden:
            continue
        if i in wrapped or (type(value) is Styled and value.style.wrap):
            text = _cell_text(value)
            if text and (len(text) * 4 > widths[i] or "\n" in text):  # could need two lines
                size, bold = _font(value)
                tallest = max(tallest, text_height(text, widths[i], size, bold))
    return tallest if tallest > _SINGLE else None


def _column_styles(table: Table, sample: Sequence[Sequence[Any]],
                   widths: list[float]) -> dict[int, Style]:
    """Styles for the data cells of each column that needs one: a text or number format, or
    wrapping (a column narrower than what it holds wraps, unless it is `keep`)."""
    styles = dict(table.column_styles)
    for i, column in enumerate(table.columns):
        wrap = column.wrap or (not column.keep and column.width is None
                               and widths[i] >= column.max_width)
        if i not in styles and (column.edit or wrap or column.number_format
                                or column.horizontal):
            styles[i] = Style(text=column.text and column.edit, wrap=wrap,
                              number_format=column.number_format,
                              horizontal=column.horizontal)
    return styles


# Paper: Excel's code, width and height in points (portrait).
PAPERS = {"a4": ("9", 595.3, 841.9), "a3": ("8", 841.9, 1190.6)}
SIDE_MARGIN = 0.3  # inches (printers keep about 5 mm free: 7.6 mm is safe)
TOP_MARGIN = 0.75
PAGE_TEXT_SIZE = 11  # page header and footer, as large as the cells' text
MIN_TEXT_PT = 8.0
# The smallest print scale: 11 pt text (the smallest of any sheet, the page header and footer
# included) still prints at MIN_TEXT_PT, with a little to spare (8.4 pt).
MIN_SCALE = 76


def printable_width(table: Table) -> float:
    """Points across the printed page inside the margins."""
    _code, short, long = PAPERS[table.paper]
    return (long if table.landscape else short) - 2 * 72 * SIDE_MARGIN


def printable_height(table: Table) -> float:
    """Points down the printed page inside the margins."""
    _code, short, long = PAPERS[table.paper]
    return (short if table.landscape else long) - 2 * 72 * TOP_MARGIN


def print_scale(table: Table, widths: Sequence[float]) -> int:
    """The print scale: the whole width on one page when that keeps the text legible, else
    MIN_SCALE, the columns over several pages."""
    total = sum(column_points(width) for width, column in zip(widths, table.columns,
                                                              strict=True)
                if not column.hidden)
    return max(MIN_SCALE, min(100, int(printable_width(table) / total * 100)))


def _print_setup(ws: Any, table: Table, header_row: int, widths: Sequence[float]) -> None:
    """Paper, a legible scale, the header row (and the first columns, when the sheet is
    wider than the page) repeated on every printed page."""
    code = PAPERS[table.paper][0]
    ws.page_setup.paperSize = code
    ws.page_setup.orientation = "landscape" if table.landscape else "portrait"
    scale = print_scale(table, widths)
    ws.page_setup.scale = scale
    if table.page_order:
        ws.page_setup.pageOrder = table.page_order
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.print_title_rows = f"{header_row}:{header_row}"
    repeat = table.freeze_columns if table.repeat_columns is None else table.repeat_columns
    if repeat and scale == MIN_SCALE:
        ws.print_title_cols = f"A:{get_column_letter(repeat)}"
    if scale == MIN_SCALE:  # wider than a page: bands of columns about equally wide
        from openpyxl.worksheet.pagebreak import Break

        from planner.export.pages import column_bands

        points = [0.0 if column.hidden else column_points(width)
                  for width, column in zip(widths, table.columns, strict=True)]
        lead = repeat if repeat and scale == MIN_SCALE else 0
        for cut in column_bands(points[lead:], repeated=sum(points[:lead]),
                                page=printable_width(table) * 100 / scale):
            ws.col_breaks.append(Break(id=lead + cut))
    ws.print_options.gridLines = table.grid
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top = ws.page_margins.bottom = TOP_MARGIN
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if table.page_title:
        ws.oddHeader.center.text = _header_text(table.page_title)
        ws.oddHeader.center.size = PAGE_TEXT_SIZE
    ws.oddFooter.center.text = "&P / &N"
    ws.oddFooter.center.size = PAGE_TEXT_SIZE
    if table.row_breaks:
        from openpyxl.worksheet.pagebreak import Break

        for row in table.row_breaks:
            ws.row_breaks.append(Break(id=row))


def _header_text(text: str) -> str:
    # '&' starts a code in page headers; a literal one is written '&&'.
    return XML_ILLEGAL.sub("", text).replace("&", "&&")[:200]


def write_workbook(target: Path, table: Table, *, title: str, lang: str, force: bool = False,
                   progress: Callable[[int], None] | None = None) -> Path:
    """A workbook of one streamed sheet, saved atomically to `target`."""
    with building(title, lang=lang) as wb:
        write_table(wb, table, progress)
        return save_workbook(wb, target, force=force)


def save_workbook(wb: Workbook, target: Path, *, force: bool = False) -> Path:
    """Write `wb` to a temporary file beside `target`, then rename it over `target`."""
    target = Path(target)
    with atomic_path(target, force=force) as temp:
        _write_archive(wb, temp)
    return target


def _write_archive(wb: Workbook, path: Path) -> None:
    """What `Workbook.save` does, but a failed write (a full disk) lets go of the archive
    quietly: left to itself the archive tries to write its directory again when collected,
    and prints a second traceback after the clean error."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    wb.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        _abandon(archive)
        raise


def _abandon(archive: Any) -> None:
    """Close the file under a ZipFile without writing anything more to it (its close()
    and its finaliser do nothing once it has no file)."""
    stream, archive.fp = archive.fp, None
    archive._writing = False  # a member left open half-written must not block the above
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):  # its buffer cannot be flushed either
            stream.close()
