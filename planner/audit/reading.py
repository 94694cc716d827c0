"""Opening an audit's input: CSV (any encoding `roster import` reads, either separator) or
XLSX, through the shared readers, its header row found and its rows streamed as columns."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

from planner.audit.columns import find_columns, header_index
from planner.core.cells import cell_text
from planner.core.errors import PlannerError
from planner.core.limits import MAX_AUDIT_FILE_BYTES

HEADER_SEARCH = 20  # a header is looked for in the first rows (淘宝助理 has it on line 2)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
_HTML = (b"<!doctype", b"<html", b"<table", b"<?xml", b"<head", b"<meta")


@dataclass(frozen=True)
class Need:
    """The columns an audit needs: every one of `all`, and at least one of `any`."""

    all: tuple[str, ...]
    any: tuple[str, ...] = ()

    def missing(self, found: Mapping[str, int]) -> list[str]:
        missing = [key for key in self.all if key not in found]
        if self.any and not any(key in found for key in self.any):
            missing.append("|".join(self.any))
        return missing

    def text(self) -> str:
        return ", ".join([*self.all, *(["|".join(self.any)] if self.any else [])])


Row = tuple[int, dict[str, Any]]  # the row number as the spreadsheet shows it, key -> value


@dataclass
class Table:
    """An input table: its file, where each column is, and its data rows (streamed once)."""

    file: str
    columns: dict[str, int]
    rows: Iterator[Row]


def raw_rows(path: Path, encoding: str | None = None) -> Iterator[tuple[int, Sequence[Any]]]:
    """The rows of a CSV or XLSX file, whatever its name says; a file that is no table (an
    old binary .xls, an HTML page, binary junk) is a one-line error."""
    name = str(path)
    if not path.exists():
        raise PlannerError("error.file-missing", file=name)
    if path.is_dir():
        raise PlannerError("error.file-is-dir", file=name)
    try:
        with open(path, "rb") as stream:
            head = stream.read(2048)
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=name, detail=err.strerror) from None
    if head.startswith(_OLE):
        raise PlannerError("error.audit-xls", file=name)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_HTML):
        raise PlannerError("error.audit-html", file=name)
    if head.startswith(b"PK\x03\x04"):
        from planner.input.workbook import read_rows

        return read_rows(path)
    # NUL bytes: binary data, or UTF-16 (with its mark, or as --encoding says)
    if b"\x00" in head and encoding is None and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlannerError("error.audit-not-table", file=name)
    from planner.input.csvfile import csv_rows

    return csv_rows(path, encoding=encoding, max_bytes=MAX_AUDIT_FILE_BYTES)


def _blank(row: Sequence[Any]) -> bool:
    """No cell holds anything but spaces (a text cell is looked at up to its first letter)."""
    for cell in row:
        if cell is None:
            continue
        if type(cell) is not str or (not cell[:1].isspace() and cell):
            return False
        if cell_text(cell):
            return False
    return True


def open_table(path: str | Path, need: Need, mapped: Mapping[str, str] | None = None,
               encoding: str | None = None) -> Table:
    """The table in `path` with the columns `need` asks for, else an error naming the file,
    the columns needed and the headers found.

    The header is the row among the first ones that names the most known columns. A second
    header row right under it (淘宝助理 puts Chinese labels under its English keys) is
    skipped.
    """
    path = Path(path)
    index = header_index(mapped or {})
    rows = raw_rows(path, encoding)
    first = list(islice(rows, HEADER_SEARCH))
    best, columns = None, {}
    for position, (_number, row) in enumerate(first):
        found = find_columns(row, index)
        if len(found) > len(columns):
            best, columns = position, found
    missing = need.missing(columns)
    if best is None or missing:
        header = first[best][1] if best is not None else next(
            (row for _n, row in first if not _blank(row)), [])
        shown = ", ".join(text for text in map(cell_text, header) if text) or "-"
        raise PlannerError("error.audit-missing-columns", file=str(path), needs=need.text(),
                           found=shown)
    rest = first[best + 1:]
    if rest and len(find_columns(rest[0][1], index)) * 2 >= len(columns):
        rest = rest[1:]
    return Table(str(path), columns, _data_rows(chain(rest, rows), columns))


def _data_rows(rows: Iterator[tuple[int, Sequence[Any]]], columns: dict[str, int]
               ) -> Iterator[Row]:
    for number, row in rows:
        if _blank(row):
            continue
        width = len(row)
        yield number, {key: row[at] if at < width else None for key, at in columns.items()}


def header_keys(path: Path, encoding: str | None = None) -> set[str]:
    """The column keys a file's header names (for `audit all`); none for a file that is no
    readable table."""
    try:
        rows = raw_rows(path, encoding)
        index = header_index({})
        return max((set(find_columns(row, index)) for _n, row in islice(rows, HEADER_SEARCH)),
                   key=len, default=set())
    except PlannerError:
        return set()
