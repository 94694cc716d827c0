"""What a sheet is made of: cell styles, columns and tables, as plain data.

`planner.export.xlsx` writes them with openpyxl; nothing here imports it until a style is
applied to a cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

FONT = "Calibri"
HEADER_FILL = "D9E1F2"
BORDER_COLOUR = "A6A6A6"


@dataclass(frozen=True)
class Style:
    """The look of a cell; `apply` gives it to a write-only cell."""

    bold: bool = False
    size: float = 11
    color: str | None = None
    fill: str | None = None
    wrap: bool = False
    horizontal: str | None = None
    vertical: str = "top"
    border: bool = False
    text: bool = False  # number format "@": what a user types stays text
    number_format: str | None = None  # how a number or a date is shown (Excel's code)

    def apply(self, cell: Any) -> Any:
        """Give this style to an openpyxl cell."""
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        cell.font = Font(name=FONT, size=self.size, bold=self.bold, color=self.color)
        if self.fill:
            cell.fill = PatternFill("solid", fgColor=self.fill)
        cell.alignment = Alignment(wrap_text=self.wrap, horizontal=self.horizontal,
                                   vertical=self.vertical)
        if self.border:
            thin = Side(style="thin", color=BORDER_COLOUR)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if self.text:
            cell.number_format = "@"
        elif self.number_format:
            cell.number_format = self.number_format
        return cell

    def cell(self, value: Any = None) -> Styled:
        """`value` in a cell of its own with this style."""
        return Styled(self, value)


@dataclass(frozen=True)
class Styled:
    """A value with the style of its cell. The cell is made (through `safe`) only when its row
    is written, where a value that cannot be stored is reported with its cell."""

    style: Style
    value: Any = None


HEADER = Style(bold=True, fill=HEADER_FILL, wrap=True, horizontal="center", vertical="top",
               border=True)


@dataclass(frozen=True)
class Column:
    """One column of a table sheet."""

    header: str
    width: float | None = None  # None: fitted to the header and the first rows
    # Number format "@" on the column, so that what people type into it stays text (ids,
    # phones, dates). Written values keep their own type whatever the format.
    text: bool = False
    # People are expected to edit the written cells too: each cell gets the column's format,
    # so that retyping a value keeps it text. Costs time per cell: for small sheets.
    edit: bool = False
    wrap: bool = False
    max_width: float = 50
    min_width: float = 6
    # Hidden from view and from print, but kept in the file by Excel and LibreOffice alike:
    # for values the program writes for itself and reads back.
    hidden: bool = False
    # Never wrapped (phone numbers, dates, role names), even when a value is wider than
    # max_width (give it a max_width that fits them).
    keep: bool = False
    # Excel's number format for its numbers and dates, and what it shows for a value (to
    # size the column from what is printed, not from the value).
    number_format: str | None = None
    horizontal: str | None = None  # the data cells' horizontal alignment
    shows: Callable[[Any], str] | None = None
    # Every value the column can hold, when known in advance (names of levels, statuses):
    # the column is sized for all of them, not only for those in the first rows.
    known: Sequence[str] = ()


@dataclass
class Table:
    """A sheet to stream: columns, rows, and what goes around them."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]  # values, or Styled for a cell with a style of its own
    total: int | None = None  # row count when known (for the progress bar)
    landscape: bool = False
    freeze_columns: int = 0
    page_title: str | None = None  # printed at the top of every page
    preamble: list[list[Any]] = field(default_factory=list)  # rows above the header
    merged: list[str] = field(default_factory=list)
    row_heights: dict[int, float] = field(default_factory=dict)
    header_height: float | None = None
    column_styles: dict[int, Style] = field(default_factory=dict)  # 0-based column index
    header_styles: dict[int, Style] = field(default_factory=dict)
    grid: bool = True  # print grid lines (cheaper than a border on every cell)
    setup: Callable[[Any, int], None] | None = None  # (ws, header row) before any row
    autofilter: bool = True  # a filter on the header row (not on a letter)
    paper: str = "a4"  # or "a3"
    # Columns printed on every page when the sheet is wider than one (default: the frozen
    # ones), and the order of the pages: "downThenOver" or "overThenDown".
    repeat_columns: int | None = None
    page_order: str | None = None
    # A page ends after each of these rows (sheet rows); when none are given, the pages are
    # laid out here: a row in `keep_with_next` (an index into `rows`) stays on the page of
    # the row after it, and the last row never stands alone on a page.
    row_breaks: Sequence[int] = ()
    keep_with_next: frozenset[int] = frozenset()


# A page of figures: (heading, header row, rows) per section, as the review and the complaint
# report give them.
Sections = list[tuple[str, list[str], list[list[Any]]]]


def sections_table(sections: Sections, *, sheet: str, page_title: str) -> Table:
    """Sections on one sheet: each one's heading, its header row, its rows, a blank row."""
    width = max(len(headers) for _heading, headers, _rows in sections)
    heading = Style(bold=True, size=12)
    rows: list[list[Any]] = []
    keep: set[int] = set()
    for number, (name, headers, body) in enumerate(sections):
        if number:
            rows.append([])
        # the heading, its header row and the first row on one page; the last row of a
        # section not alone at the top of one
        keep.update((len(rows), len(rows) + 1))
        if len(body) > 1:
            keep.add(len(rows) + len(body))
        rows.append([heading.cell(name)])
        rows.append([HEADER.cell(text) for text in headers])
        rows.extend(list(row) for row in body)
    # the first column names, the others hold figures: right-aligned, text figures too
    # ("81%", "5 of 5"), so that a count and its percentage do not run together
    columns = [Column("", max_width=40, wrap=True) if i == 0 else
               Column("", max_width=16, wrap=True, horizontal="right") for i in range(width)]
    # each section has a header row of its own: the sheet's is an unstyled, empty line
    return Table(title=sheet, columns=columns, rows=rows, page_title=page_title, grid=False,
                 header_height=1, header_styles={i: Style() for i in range(width)},
                 keep_with_next=frozenset(keep))
