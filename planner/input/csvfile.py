"""Reading CSV files from outside: the encodings and separators spreadsheets save them with.

Without a named encoding a file is read as UTF-8 (with or without BOM), UTF-16 when it starts
with a BOM (淘宝助理 exports, tab separated), else GB18030 (GBK), as Chinese Excel saves it.
GB18030 decodes most byte sequences, Big5 and Latin-1 ones included, into nonsense: a decoding
that yields characters no real text holds (private-use, U+FFFD, unassigned) is refused, naming
the line, so the user can name the encoding (`--encoding big5`, any codec Python knows).
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planner.core import limits
from planner.core.cells import shown
from planner.core.errors import PlannerError
from planner.core.files import megabytes
from planner.core.terminal import printable

_GUESSED = ("utf-8-sig", "gb18030")  # tried in turn when the file names no encoding


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """The text of `data` in `encoding`, or in the encoding guessed as above.

    Raises a PlannerError naming the line where the bytes are not of the encoding, or where
    the text holds a character that shows it was read in the wrong one.
    """
    if encoding is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    tried = (encoding,) if encoding else _GUESSED
    for candidate in tried:
        try:
            text = data.decode(candidate)
            break
        except UnicodeDecodeError as err:
            failure = err
    else:
        read = data[:failure.start].decode(tried[-1], "replace")
        line = _line_at(read, len(read))
        if encoding:
            raise PlannerError("error.csv-not-encoding", file=name, line=line,
                               encoding=shown(printable(encoding, one_line=True))) from None
        raise PlannerError("error.csv-encoding", file=name, line=line) from None
    text = text.removeprefix("\ufeff")
    _refuse_nonsense(text, name, candidate)
    return text


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _nonsense(char: str) -> bool:
    """A character no text written by a person holds: private-use, unassigned, U+FFFD (what a
    decoder put where it could not read, when the file was written), or NUL (UTF-16 without
    a BOM, read as UTF-8, is every other character NUL)."""
    return char in "\ufffd\x00" or unicodedata.category(char) in ("Co", "Cn")


def _refuse_nonsense(text: str, name: str, encoding: str) -> None:
    # Over the distinct characters (a few thousand at most), not every character of the text.
    odd = [char for char in set(text) if (ord(char) > 0x7F or char == "\x00")
           and _nonsense(char)]
    if not odd:
        return
    pattern = re.compile("[" + "".join(map(re.escape, odd)) + "]")
    index = next(pattern.finditer(text)).start()  # one pass, wherever the first one is
    raise PlannerError("error.csv-nonsense", file=name, line=_line_at(text, index),
                       encoding=encoding.removesuffix("-sig"), char=f"U+{ord(text[index]):04X}")


def _check_encoding(encoding: str, name: str) -> None:
    """`encoding` is a text encoding Python knows (not a bytes codec like base64)."""
    try:
        "x".encode(encoding)  # (decoding nothing would not look the codec up)
    except LookupError:
        raise PlannerError("error.unknown-encoding", file=name,
                           value=shown(printable(encoding, one_line=True))) from None


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refused beyond `MAX_IMPORT_FILE_BYTES` before reading (and while
    reading, for a file that grows)."""
    limit = limits.MAX_IMPORT_FILE_BYTES
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(limit + 1) if size <= limit else b""
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=str(path), detail=err.strerror) from None
    if size > limit or len(data) > limit:
        raise PlannerError("error.import-too-big", file=str(path),
                           size=megabytes(max(size, len(data))),
                           limit=megabytes(limit))
    return data


def csv_rows(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV file, numbered from 1; comma, tab or semicolon separated.

    `encoding`: any text encoding Python knows; None: guessed (see the module's docstring).
    """
    if encoding is not None:
        _check_encoding(encoding, str(path))
    text = decode(_read_bytes(path), str(path), encoding)
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
