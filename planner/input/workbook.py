"""Reading workbooks from outside: the one door through which every importer reads .xlsx.

A workbook someone sends back is untrusted: a damaged file, or any file that is not a
workbook, becomes one `PlannerError` naming the file, however openpyxl fails.
"""

from __future__ import annotations

import contextlib
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl.reader.excel import ExcelReader

from planner.core.errors import PlannerError

# What openpyxl raises on a damaged or foreign file: zip and deflate errors, XML syntax errors
# (ElementTree's ParseError and lxml's XMLSyntaxError are SyntaxErrors), missing parts
# (KeyError), bad values (ValueError, TypeError), OSError for a zip without a workbook, and
# assorted failures of its readers (AttributeError, IndexError, NotImplementedError).
_UNREADABLE = (BadZipFile, zlib.error, EOFError, SyntaxError, LookupError, ValueError,
               TypeError, AttributeError, NotImplementedError, OSError)


class _WorksheetReader(ExcelReader):
    """openpyxl's reader, skipping chartsheets: a chart holds no rows, and openpyxl fails on
    some (a chartsheet without a drawing)."""

    def read_chartsheet(self, sheet: Any, rel: Any) -> None:
        return None


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


def read_rows(path: Path, properties: dict[str, Any] | None = None
              ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of the first worksheet of `path` as values, numbered from 1.

    For files from outside: a damaged workbook, or any file that is not one, raises a
    PlannerError naming the file, however openpyxl fails. The name's suffix is not checked
    (callers say which files they take). `properties`, when given, is filled with the
    workbook's custom document properties (name -> value) before the first row comes.
    """
    name = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed when the rows are done)
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=name, detail=err.strerror) from None
    with stream:
        with _reading(name):
            reader = _WorksheetReader(stream, read_only=True, data_only=True)
            reader.read()
        wb = reader.wb
        if properties is not None:
            properties.update((prop.name, prop.value) for prop in wb.custom_doc_props)
        try:
            if not wb.worksheets:
                raise PlannerError("error.xlsx-no-worksheet", file=name)
            with _reading(name):
                rows = iter(wb.worksheets[0].iter_rows(values_only=True))
            number = 0
            while True:
                with _reading(name):
                    row = next(rows, None)
                if row is None:
                    return
                number += 1
                yield number, row
        finally:
            wb.close()
