"""Reading CSV files from outside: the encodings and separators spreadsheets save them with.

Without a named encoding a file is read as UTF-8 (with or without BOM), UTF-16 when it starts
with a BOM (淘宝助理 exports, tab separated), else GB18030 (GBK), as Chinese Excel saves it.
GB18030 decodes most byte sequences, Big5 and Latin-1 ones included, into nonsense: a decoding
that yields characters no real text holds (private-use, U+FFFD, unassigned) is refused, naming
the line, so the user can name the encoding (`--encoding big5`, any codec Python knows).
"""

from __future__ import annotations

import codecs
import csv
import itertools
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


CHUNK_BYTES = 1 << 20  # read and decoded at a time: memory stays flat whatever the file's size


def _checked_size(path: Path, max_bytes: int) -> None:
    """The file's size, refused beyond `max_bytes` before anything is read."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=str(path), detail=err.strerror) from None
    if size > max_bytes:
        raise PlannerError("error.import-too-big", file=str(path), size=megabytes(size),
                           limit=megabytes(max_bytes))


def _chunks(path: Path, max_bytes: int) -> Iterator[bytes]:
    """The file's bytes a chunk at a time, refused once past `max_bytes` (a file can grow)."""
    read = 0
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                read += len(chunk)
                if read > max_bytes:
                    raise PlannerError("error.import-too-big", file=str(path),
                                       size=megabytes(read), limit=megabytes(max_bytes))
                yield chunk
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=str(path), detail=err.strerror) from None


def _first_bytes(path: Path) -> bytes:
    for chunk in _chunks(path, CHUNK_BYTES * 2):
        return chunk[:4]
    return b""


# Characters `_nonsense` never flags (ASCII but NUL, the CJK unified ideographs, CJK
# punctuation: all assigned): dropped in one fast pass before the rest is looked at one by one.
_COMMON = re.compile("[\x01-\x7f\u4e00-\u9fff\u3001-\u303f]+")


class _Decoding:
    """One streaming pass over a file in one encoding: every chunk decoded (nothing kept),
    each character not seen before checked, lines counted so that a failure names its line."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.seen: set[str] = set()
        self.lines = 1

    def feed(self, chunk: bytes, final: bool = False) -> str:
        try:
            text = self.decoder.decode(chunk, final)
        except UnicodeDecodeError as err:
            done = self.decoder.decode(chunk[:err.start], True) if err.start else ""
            raise _BadBytes(self.lines + done.count("\n")) from None
        self.lines += text.count("\n")
        return text

    def odd_character(self, text: str) -> tuple[int, str] | None:
        """The line (counted before `text` was fed) and character of the first character no
        real text holds, if any."""
        if text.isascii() and "\x00" not in text:
            return None
        fresh = set(_COMMON.sub("", text)) - self.seen
        self.seen |= fresh
        odd = [char for char in fresh if (ord(char) > 0x7F or char == "\x00")
               and _nonsense(char)]
        if not odd:
            return None
        index = min(text.index(char) for char in odd)
        return self.lines - text.count("\n") + text.count("\n", 0, index), text[index]


class _BadBytes(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _validated(path: Path, encoding: str, max_bytes: int) -> None:
    """Decode the whole file in `encoding` once, refusing bytes it cannot decode (_BadBytes)
    and text that shows the wrong encoding (a PlannerError naming the line)."""
    decoding = _Decoding(encoding)
    for chunk in _chunks(path, max_bytes):
        _refuse_odd(decoding, decoding.feed(chunk), path)
    _refuse_odd(decoding, decoding.feed(b"", True), path)


def _refuse_odd(decoding: _Decoding, text: str, path: Path) -> None:
    found = decoding.odd_character(text)
    if found is not None:
        line, char = found
        raise PlannerError("error.csv-nonsense", file=str(path), line=line,
                           encoding=decoding.encoding.removesuffix("-sig"),
                           char=f"U+{ord(char):04X}")


def _encoding_of(path: Path, encoding: str | None, max_bytes: int) -> str:
    """The encoding the file is read in: `encoding` when given (checked over the whole file),
    else UTF-16 after its BOM, else UTF-8 (with or without BOM), else GB18030."""
    if encoding is None and _first_bytes(path).startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    tried = (encoding,) if encoding else _GUESSED
    for candidate in tried:
        try:
            _validated(path, candidate, max_bytes)
            return candidate
        except _BadBytes as bad:
            line = bad.line
    if encoding:
        raise PlannerError("error.csv-not-encoding", file=str(path), line=line,
                           encoding=shown(printable(encoding, one_line=True)))
    raise PlannerError("error.csv-encoding", file=str(path), line=line)


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _nonsense(char: str) -> bool:
    """A character no text written by a person holds: private-use, unassigned, U+FFFD (what a
    decoder put where it could not read, when the file was written), or NUL (UTF-16 without
    a BOM, read as UTF-8, is every other character NUL)."""
    return char in "\ufffd\x00" or unicodedata.category(char) in ("Co", "Cn")


def _check_encoding(encoding: str, name: str) -> None:
    """`encoding` is a text encoding Python knows (not a bytes codec like base64)."""
    try:
        "x".encode(encoding)  # (decoding nothing would not look the codec up)
        codecs.getincrementaldecoder(encoding)
    except LookupError:
        raise PlannerError("error.unknown-encoding", file=name,
                           value=shown(printable(encoding, one_line=True))) from None


def csv_rows(path: Path, encoding: str | None = None,
             max_bytes: int = limits.MAX_IMPORT_FILE_BYTES) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV file, numbered from 1; comma, tab or semicolon separated; streamed,
    so memory stays flat however long the file (up to `max_bytes`).

    `encoding`: any text encoding Python knows; None: guessed (see the module's docstring).
    The file is decoded twice: once to settle and check the encoding, once for its rows.
    """
    name = str(path)
    if encoding is not None:
        _check_encoding(encoding, name)
    _checked_size(path, max_bytes)
    chosen = _encoding_of(path, encoding, max_bytes)
    return _rows(path, chosen, max_bytes)


def _rows(path: Path, encoding: str, max_bytes: int) -> Iterator[tuple[int, list[Any]]]:
    decoding = _Decoding(encoding)
    text = (decoding.feed(chunk) for chunk in _chunks(path, max_bytes))
    lines = _lines(itertools.chain(text, [decoding.feed(b"", True)]))
    head = list(itertools.islice(lines, SNIFF_LINES))
    if head:
        head[0] = head[0].removeprefix("\ufeff")
    sample = "".join(head)[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        # the sniffer gives up on a first line unlike the rest (淘宝助理's "version 1.00"):
        # then the more frequent separator of the sample
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    reader = csv.reader(itertools.chain(head, lines), dialect)
    try:
        # The row number the user sees in a spreadsheet (quoted line breaks do not count).
        yield from enumerate(reader, 1)
    except csv.Error as err:
        raise PlannerError("error.roster-csv", file=str(path), line=reader.line_num,
                           detail=str(err)) from None


SNIFF_LINES = 20  # the lines the separator is guessed from


def _lines(texts: Iterator[str]) -> Iterator[str]:
    """Decoded text in pieces as lines, each ending in its LF (a CR before it stays), as
    csv.reader wants them. Only LF ends a line: a Unicode line separator inside a cell is
    text, as spreadsheets write it."""
    pending = ""
    for text in texts:
        pending += text
        if "\n" not in text:
            continue
        *lines, pending = pending.split("\n")
        yield from (line + "\n" for line in lines)
    if pending:
        yield pending
