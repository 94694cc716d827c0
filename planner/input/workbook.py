"""Reading workbooks from outside: the one door through which every importer reads .xlsx.

A workbook someone sends back is untrusted: a damaged file, or any file that is not a
workbook, becomes one `PlannerError` naming the file, however openpyxl fails. A workbook
that would take more memory or time than any real roster or checklist (a zip bomb: a few
hundred KB unpacking to gigabytes) is refused before openpyxl parses any of it, by the limits
of `planner.core.limits`:

- the file's size, and the number of its parts;
- each part's unpacked size and packing ratio, and all parts' unpacked size together, as the
  zip's directory declares them and as they really inflate (a zip can lie in its headers);
- while openpyxl reads: the parts it reads whole (shared strings, styles, the workbook...)
  together; the elements of the worksheet it streams (counted before), and its cells.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from planner.core import limits
from planner.core.cells import shown
from planner.core.errors import PlannerError
from planner.core.files import megabytes
from planner.core.terminal import printable

# What openpyxl raises on a damaged or foreign file: zip and deflate errors, XML syntax errors
# (ElementTree's ParseError and lxml's XMLSyntaxError are SyntaxErrors), missing parts
# (KeyError), bad values (ValueError, TypeError), OSError for a zip without a workbook, and
# assorted failures of its readers (AttributeError, IndexError, NotImplementedError).
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, LookupError, ValueError,
               TypeError, AttributeError, NotImplementedError, OSError)
# The first bytes of an Excel 97-2003 .xls, or of an encrypted .xlsx (both OLE2 files).
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 16
_BATCH_ROWS = 100  # a row is at most 16,384 cells: a batch at most 13 MB


def _part(info: zipfile.ZipInfo) -> str:
    """A part's name as a message shows it (the name comes from the file: escaped, cut)."""
    return shown(printable(info.filename, one_line=True))


class _Archive(zipfile.ZipFile):
    """A checked workbook's zip as openpyxl reads it: the parts it reads whole draw on one
    budget of `MAX_PARSED_BYTES`; only the worksheet being read (`streamed`) is outside it."""

    def __init__(self, stream: IO[bytes], name: str) -> None:
        super().__init__(stream)
        self.label = name
        self.streamed: str | None = None
        self.parsed = 0

    def open(self, name: Any, mode: str = "r", pwd: bytes | None = None, *,
             force_zip64: bool = False) -> Any:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if info.filename != self.streamed:
            self.parsed += info.file_size
            if self.parsed > limits.MAX_PARSED_BYTES:
                raise PlannerError("error.xlsx-parsed-too-big", file=self.label,
                                   part=_part(info), limit=megabytes(limits.MAX_PARSED_BYTES))
        return super().open(name, mode, pwd, force_zip64=force_zip64)

    def check(self) -> None:
        """Refuse an archive beyond the limits, by what its directory declares, then by
        inflating every part (stopping at its declared size plus one chunk)."""
        parts = self.infolist()
        if len(parts) > limits.MAX_WORKBOOK_PARTS:
            raise PlannerError("error.xlsx-too-many-parts", file=self.label, count=len(parts),
                               limit=limits.MAX_WORKBOOK_PARTS)
        for info in parts:
            self._check_size(info, info.file_size)
        total = sum(info.file_size for info in parts)
        if total > limits.MAX_UNPACKED_BYTES:
            raise PlannerError("error.xlsx-unpacked-too-big", file=self.label,
                               size=megabytes(total), limit=megabytes(limits.MAX_UNPACKED_BYTES))
        for info in parts:
            self._check_size(info, self._inflated(info))

    def check_sheet(self, part: str) -> None:
        """Refuse the worksheet `part` if it has more than `MAX_SHEET_ELEMENTS` elements, or a
        DTD (no workbook has one: it would declare entities); counted by expat, which makes no
        objects, before openpyxl makes one of every element."""

        from xml.parsers import expat

        count = 0

        def element(tag: str, attributes: Any) -> None:
            nonlocal count
            count += 1
            if count > limits.MAX_SHEET_ELEMENTS:
                raise PlannerError("error.xlsx-too-many-elements", file=self.label,
                                   limit=f"{limits.MAX_SHEET_ELEMENTS:,}")

        def doctype(*_: Any) -> None:
            raise PlannerError("error.xlsx-unreadable", file=self.label)

        parser = expat.ParserCreate()
        parser.StartElementHandler = element
        parser.StartDoctypeDeclHandler = doctype
        try:
            with zipfile.ZipFile.open(self, part) as sheet:
                while chunk := sheet.read(_CHUNK):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            raise PlannerError("error.xlsx-unreadable", file=self.label) from None

    def _check_size(self, info: zipfile.ZipInfo, size: int) -> None:
        if size > limits.MAX_PART_BYTES:
            raise PlannerError("error.xlsx-part-too-big", file=self.label, part=_part(info),
                               size=megabytes(size), limit=megabytes(limits.MAX_PART_BYTES))
        ratio = size / max(info.compress_size, 1)
        if size > limits.RATIO_FROM_BYTES and ratio > limits.MAX_PACKING_RATIO:
            raise PlannerError("error.xlsx-packing-ratio", file=self.label, part=_part(info),
                               ratio=int(ratio), limit=limits.MAX_PACKING_RATIO)

    def _inflated(self, info: zipfile.ZipInfo) -> int:
        """The bytes `info` really inflates to: more than its header declares (or a checksum
        that does not match what it holds) is a forged or damaged file."""
        if info.flag_bits & 0x1:  # encrypted: zipfile would ask for a password
            raise PlannerError("error.xlsx-unreadable", file=self.label)
        size = 0
        try:
            with zipfile.ZipFile.open(self, info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if size > info.file_size:
                        break
        except NotImplementedError:  # a compression method zipfile does not know
            raise PlannerError("error.xlsx-unreadable", file=self.label) from None
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise PlannerError("error.xlsx-size-lie", file=self.label,
                               part=_part(info)) from None
        if size != info.file_size:
            raise PlannerError("error.xlsx-size-lie", file=self.label, part=_part(info))
        return size


def _check_kind(stream: IO[bytes], name: str) -> None:
    """Refuse by size and by their first bytes the files that are no .xlsx, whatever their
    name: an old .xls, a web page or XML file saved under an Excel name."""
    size = os.fstat(stream.fileno()).st_size
    if size > limits.MAX_IMPORT_FILE_BYTES:
        raise PlannerError("error.import-too-big", file=name, size=megabytes(size),
                           limit=megabytes(limits.MAX_IMPORT_FILE_BYTES))
    head = stream.read(512)
    stream.seek(0)
    if head.startswith(_OLE2):
        raise PlannerError("error.xlsx-old-format", file=name)
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"")
    if text.startswith(b"<"):
        raise PlannerError("error.xlsx-web-page", file=name)


@contextlib.contextmanager
def _reading(name: str) -> Iterator[None]:
    """Around every openpyxl call on an untrusted file: its failures become one PlannerError,
    and its warnings (about formatting it drops) are of no interest when reading values."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        except _UNREADABLE:
            raise PlannerError("error.xlsx-unreadable", file=name) from None


class _FirstSheet(ReadOnlyWorksheet):
    """The worksheet read, without openpyxl's first pass over it for its declared size: that
    pass keeps every element before the cells in memory, and a declared size of 16,384
    columns pads every row to as many cells. Rows come as long as their last cell."""

    def _get_size(self) -> None:
        return None


class _WorksheetReader(ExcelReader):
    """openpyxl's reader on a checked `_Archive`, making only the first worksheet (the one
    read: openpyxl would read the head of each, and fails on some chartsheets)."""

    def __init__(self, archive: _Archive) -> None:
        super().__init__(archive.fp, read_only=True, data_only=True, keep_links=False)
        self.archive.close()  # openpyxl's own view of the same file, replaced by the checked one
        self.archive = archive

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                self.archive.streamed = rel.target
                self.wb._sheets.append(_FirstSheet(self.wb, sheet.name, rel.target,
                                                   self.shared_strings))
                return


def read_rows(path: Path, properties: dict[str, Any] | None = None
              ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of the first worksheet of `path` as values, numbered from 1.

    For files from outside: a damaged workbook, or any file that is not one, raises a
    PlannerError naming the file, however openpyxl fails; so does one beyond the limits (see
    the module's docstring). The name's suffix is not checked (callers say which files they
    take). `properties`, when given, is filled with the workbook's custom document
    properties (name -> value) before the first row comes.
    """
    name = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed when the rows are done)
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=name, detail=err.strerror) from None
    with stream:
        _check_kind(stream, name)
        with _reading(name):
            archive = _Archive(stream, name)
        with archive:
            with _reading(name):
                archive.check()
                reader = _WorksheetReader(archive)
                reader.read()
                if archive.streamed:
                    archive.check_sheet(archive.streamed)
            if properties is not None:
                properties.update((prop.name, prop.value) for prop in reader.wb.custom_doc_props)
            yield from _sheet_rows(reader.wb, name)


def _sheet_rows(wb: Any, name: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    if not wb.worksheets:
        raise PlannerError("error.xlsx-no-worksheet", file=name)
    with _reading(name):
        rows = iter(wb.worksheets[0].iter_rows(values_only=True))
    number = cells = 0
    while True:
        # Rows are read a batch at a time within `_reading` (entering it costs more than
        # reading a row), and yielded outside it (its warning filters are not the caller's).
        with _reading(name):
            batch = list(itertools.islice(rows, _BATCH_ROWS))
        if not batch:
            return
        for row in batch:
            cells += max(len(row), 1)  # an empty row costs its reader as much as a cell
            if cells > limits.MAX_SHEET_CELLS:
                raise PlannerError("error.xlsx-too-many-cells", file=name,
                                   limit=f"{limits.MAX_SHEET_CELLS:,}")
            number += 1
            yield number, tuple(row)
