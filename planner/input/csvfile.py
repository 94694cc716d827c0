"""Reading CSV files from outside: the encodings and separators spreadsheets save them with."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planner.core.errors import PlannerError


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (GBK) as Chinese Excel saves."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise PlannerError("error.roster-encoding", file=name, line=line) from None


def csv_rows(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV file, numbered from 1; comma, tab or semicolon separated. The
    encoding is detected (`decode`) unless `encoding` names one."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=str(path), detail=err.strerror) from None
    if encoding is None:
        text = decode(data, str(path))
    else:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise PlannerError("error.unknown-encoding", file=str(path), value=encoding) from None
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            raise PlannerError("error.roster-encoding", file=str(path), line=line) from None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        # the sniffer gives up on a first line unlike the rest (淘宝助理's "version 1.00"):
        # then the more frequent separator of the sample
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        # The row number the user sees in a spreadsheet (quoted line breaks do not count).
        yield from enumerate(reader, 1)
    except csv.Error as err:
        raise PlannerError("error.roster-csv", file=str(path), line=reader.line_num,
                           detail=str(err)) from None
