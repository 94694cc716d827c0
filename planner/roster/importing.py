"""Importing a roster from a CSV or XLSX file with Chinese or English headers, all or nothing."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from planner.core.cells import cell_text, column_letter, duplicate_columns, shown
from planner.core.errors import PlannerError, counted
from planner.core.files import megabytes
from planner.core.i18n import t
from planner.core.limits import MAX_CONTACTS, MAX_IMPORT_FILE_BYTES, MAX_ROSTER_BYTES
from planner.roster.contacts import (
    FIELDS,
    HEADER_SEARCH_ROWS,
    Record,
    checked,
    header_key,
    header_names,
)
from planner.roster.values import normalise_mobile

# Rows read at most, blank ones included: a small workbook may claim a million empty rows
# before a cell far down (and a CSV hold millions of empty lines), each costing time to read.
MAX_ROWS = 20 * MAX_CONTACTS
# Columns read at most (as many as Excel had until 2007): a roster has a dozen, an HR export a
# few dozen. A value beyond is refused; empty cells beyond (a workbook pads every row to its
# widest) are dropped, so that a stray cell far right costs nothing in the other rows.
MAX_COLUMNS = 256
MAX_IGNORED_SHOWN = 20  # headers named in the note on columns that are not roster fields
PROGRESS_ROWS = 1_000  # rows between two calls of an import's progress callback

Progress = Callable[[int], None]  # called with the number of rows read so far


def read_records(path: str | Path, *, progress: Progress | None = None,
                 encoding: str | None = None) -> tuple[list[Record], list[str]]:
    """The contacts of a CSV or XLSX file, and the headers it has that are not roster fields.

    The rows are read one at a time, and the reading stops at the first contact beyond the
    roster's limit (`MAX_CONTACTS`) or the first row beyond `MAX_ROWS`; `progress`, if given,
    hears how many rows were read every `PROGRESS_ROWS`. `encoding`: a CSV's (None: guessed,
    see `planner.input.csvfile`).
    """
    path = Path(path)
    if not path.is_file():
        raise PlannerError("error.file-is-dir" if path.is_dir() else "error.file-missing",
                           file=str(path))
    size = path.stat().st_size
    if size > MAX_IMPORT_FILE_BYTES:
        raise PlannerError("error.roster-file-too-big", file=str(path), size=megabytes(size),
                           limit=megabytes(MAX_IMPORT_FILE_BYTES))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        from planner.input.csvfile import csv_rows

        rows = csv_rows(path, encoding)
    elif suffix in (".xlsx", ".xlsm", ".xls"):  # the door names an old .xls or a web page
        from planner.input.workbook import read_rows

        rows = read_rows(path)
    else:
        raise PlannerError("error.roster-format", file=str(path), suffix=suffix or "-")
    # closed at once when the reading stops early: a workbook holds its file open
    with contextlib.closing(rows):
        return _records(_counted(rows, str(path), progress), str(path))


def _counted(rows: Iterator[tuple[int, Sequence[Any]]], name: str, progress: Progress | None
             ) -> Iterator[tuple[int, Sequence[Any]]]:
    """`rows` up to `MAX_ROWS` and `MAX_COLUMNS` (a value beyond either: refused), telling
    `progress` how many were read every `PROGRESS_ROWS`."""
    for number, row in rows:
        if number > MAX_ROWS:
            raise PlannerError("error.roster-too-many-rows", file=name, line=number,
                               limit=MAX_ROWS, contacts=MAX_CONTACTS)
        if progress is not None and number % PROGRESS_ROWS == 0:
            progress(number)
        if len(row) > MAX_COLUMNS:
            _check_beyond_columns(row, name, number)
            row = row[:MAX_COLUMNS]
        yield number, row


def _check_beyond_columns(row: Sequence[Any], name: str, line: int) -> None:
    beyond = row[MAX_COLUMNS:]
    if not any(beyond):  # at C speed: the padding of a workbook's rows is None
        return
    for index, value in enumerate(beyond, start=MAX_COLUMNS):
        if cell_text(value):
            raise PlannerError("error.roster-too-many-columns", file=name, line=line,
                               column=column_letter(index), limit=MAX_COLUMNS,
                               value=shown(value))


def _records(rows: Iterator[tuple[int, Sequence[Any]]], name: str
             ) -> tuple[list[Record], list[str]]:
    names = header_names()
    columns: dict[int, str] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    headed: set[int] = set()
    for number, row in rows:
        found = {i: names[header_key(cell_text(v))] for i, v in enumerate(row)
                 if cell_text(v) and header_key(cell_text(v)) in names}
        if len(set(found.values())) >= 2:
            duplicate_columns(found, row, name, number)
            columns, header_line = found, number
            labels = {field: cell_text(row[i]) for i, field in found.items()}
            ignored = [shown(v) for i, v in enumerate(row) if cell_text(v) and i not in found]
            if len(ignored) > MAX_IGNORED_SHOWN:
                ignored[MAX_IGNORED_SHOWN:] = ["…"]
            headed = {i for i, v in enumerate(row) if cell_text(v)}
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not columns:
        raise PlannerError("error.roster-no-header", file=name)
    if "phone" in labels:
        labels.setdefault("mobile", labels["phone"])
        labels.setdefault("landline", labels["phone"])
    fields = set(columns.values())
    if "extension" in fields and "landline" not in fields:
        columns = {i: "landline" if f == "extension" else f for i, f in columns.items()}
        labels["landline"] = labels.pop("extension")
    for required in ("department", "name"):
        if required not in set(columns.values()):
            raise PlannerError("error.roster-missing-column", file=name, line=header_line,
                               column=t(f"roster.header.{required}", "zh") + " / "
                               + t(f"roster.header.{required}", "en"))
    records = []
    for number, row in rows:
        _headless_cells(row, headed, name, number)
        values: dict[str, Any] = {}
        for i, field in columns.items():
            if i < len(row) and cell_text(row[i]):
                values.setdefault(field, row[i])
        if "phone" in values:
            _sort_phone(values, values.pop("phone"))
        if "extension" in values:
            extension = cell_text(values.pop("extension"))
            if "landline" in values:
                values["landline"] = f"{cell_text(values['landline'])}-{extension}"
        if values:
            if len(records) == MAX_CONTACTS:
                raise PlannerError("error.roster-too-many", file=name, line=number,
                                   limit=MAX_CONTACTS)
            records.append(Record(number, values, labels))
    if not records:
        raise PlannerError("error.roster-empty", file=name)
    return records, ignored


def _headless_cells(row: Sequence[Any], headed: set[int], name: str, line: int) -> None:
    """Refuse a value in a column without a header rather than drop it: in a CSV it is most
    often a value with an unquoted comma, which shifts the rest of the row."""
    for index, value in enumerate(row):
        if index not in headed and cell_text(value):
            raise PlannerError("error.roster-headless-cell", file=name, line=line,
                               column=column_letter(index), value=shown(value))


def _sort_phone(values: dict[str, Any], phone: Any) -> None:
    """A "phone" column's value goes to the mobile when it reads as one, else the landline."""
    try:
        normalise_mobile(phone)
        field = "mobile"
    except PlannerError:
        field = "landline"
    values.setdefault(field, phone)


ROSTER_CHUNK = 1000  # contacts dumped at a time
# Where libyaml's dumper writes other bytes than the pure one: it escapes characters beyond
# U+FFFF (emoji) and NEL (U+0085), and fails on lone surrogates. A chunk with any of them is
# dumped by the pure dumper, so the file is the same whichever dumper wrote it.
_PURE_ONLY = re.compile("[\x85\ud800-\udfff\U00010000-\U0010ffff]")


def roster_yaml(contacts: list[dict[str, Any]], lang: str, dumper: Any = None) -> str:
    """roster.yaml's text: a comment saying what the file is, then the contacts."""
    return "".join(roster_yaml_pieces(contacts, lang, dumper))


def roster_yaml_pieces(contacts: list[dict[str, Any]], lang: str, dumper: Any = None
                       ) -> Iterator[str]:
    """roster.yaml's text in pieces, `ROSTER_CHUNK` contacts at a time, by libyaml's emitter
    from nodes made here (`dumper`: dumped by that one instead; PyYAML's pure-Python dumper
    writes the same bytes, several times slower).

    The contacts' list is dumped chunk by chunk under one `contacts:` key: a block list in a
    mapping is not indented, so the pieces are the text of the whole document dumped at once.
    """
    import yaml

    fast = dumper or getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    settings = {"allow_unicode": True, "width": 100}
    dump = {"sort_keys": False, "default_flow_style": False, **settings}
    yield "".join(f"# {line}\n" for line in t("roster.file-comment", lang).splitlines())
    if not contacts:
        yield "contacts: []\n"
        return
    yield "contacts:\n"
    for start in range(0, len(contacts), ROSTER_CHUNK):
        entries = [{field: contact[field] for field in FIELDS if contact.get(field) is not None}
                   for contact in contacts[start:start + ROSTER_CHUNK]]
        values = [value for entry in entries for value in entry.values()]
        if dumper is None and any(type(value) is str and _PURE_ONLY.search(value)
                                  for value in values):
            yield yaml.dump(entries, Dumper=yaml.SafeDumper, **dump)
        elif dumper is None and all(type(value) in _SCALAR_TAGS for value in values):
            yield yaml.serialize(_nodes(entries), Dumper=fast, **settings)
        else:
            yield yaml.dump(entries, Dumper=fast, **dump)


# The tags the safe representer gives these types, and their text (a bool before an int).
_SCALAR_TAGS = {str: "tag:yaml.org,2002:str", int: "tag:yaml.org,2002:int",
                bool: "tag:yaml.org,2002:bool"}


def _nodes(entries: list[dict[str, Any]]) -> Any:
    """The node tree the safe representer makes of a list of flat mappings of text, numbers
    and booleans (block style, keys in order, no anchors), made directly: the representer's
    generic dispatch, not the emitting, is most of a large dump's time."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    key_tag = _SCALAR_TAGS[str]

    def scalar(value: Any) -> ScalarNode:
        kind = type(value)
        text = value if kind is str else ("true" if value else "false") if kind is bool \
            else str(value)
        return ScalarNode(_SCALAR_TAGS[kind], text)

    return SequenceNode("tag:yaml.org,2002:seq", [
        MappingNode("tag:yaml.org,2002:map",
                    [(ScalarNode(key_tag, key), scalar(value)) for key, value in entry.items()],
                    flow_style=False)
        for entry in entries], flow_style=False)


MAX_ROW_PROBLEMS = 50  # named one by one; beyond, counted


def validate_all(records: list[Record], source: str, lang: str, year: int | None = None
                 ) -> list[dict[str, Any]]:
    """The contacts of `records`, checked in one pass; every bad row is named in one error
    (not the first only). Shifts are checked in the campaign `year`."""
    contacts: list[dict[str, Any]] = []
    problems: list[PlannerError] = []
    for outcome in checked(records, source, year):
        if isinstance(outcome, PlannerError):
            problems.append(outcome)
        else:
            contacts.append(outcome)
    if len(problems) == 1:
        raise problems[0]  # one bad row: its own error, ``file:row: field: what``
    if problems:
        from planner.core.i18n import render_error

        problems.sort(key=lambda err: err.line or 0)
        for err in problems[:MAX_ROW_PROBLEMS]:
            err.file = None  # the file is named once, before them all
        shown_rows = [render_error(err, lang) for err in problems[:MAX_ROW_PROBLEMS]]
        if len(problems) > MAX_ROW_PROBLEMS:
            shown_rows.append("…")
        raise PlannerError("error.roster-bad-rows", file=source,
                           count=counted("rows", len(problems)),
                           details=t("punct.list-separator", lang).join(shown_rows),
                           bad_rows=[err.line or 0 for err in problems])
    return contacts


def dropped_contacts(current: list[dict[str, Any]], new: list[dict[str, Any]], lang: str
                     ) -> list[str]:
    """The contacts of the current roster that the new one lacks, as "name (department)"
    with the department's name in `lang`."""
    from planner.campaign.phases import load_campaign

    owners = load_campaign().owners
    kept = {(contact["department"], contact["name"]) for contact in new}
    return [contact["name"] + t("punct.aside", lang, text=owners.get(
                contact["department"], {}).get(lang, contact["department"]))
            for contact in current
            if (contact.get("department"), contact.get("name")) not in kept]


def import_roster(path: str | Path, target: Path, lang: str,
                  current: list[dict[str, Any]] | None = None, replace: bool = False, *,
                  year: int | None = None, progress: Progress | None = None,
                  encoding: str | None = None) -> tuple[Path, list[dict[str, Any]], list[str]]:
    """Replace the roster file `target` with the contacts of `path`, their shifts checked in
    the campaign `year` (`progress`, `encoding`: as for `read_records`).

    Nothing is written unless every row is valid (the error names every bad row), nor, without
    `replace`, when contacts of the `current` roster are missing from the file (the error
    names them). The file is replaced in one rename. Returns the roster path, the contacts and
    the ignored column headers.
    """
    records, ignored = read_records(path, progress=progress, encoding=encoding)
    contacts = validate_all(records, str(path), lang, year)
    dropped = dropped_contacts(current or [], contacts, lang)
    if dropped and not replace:
        raise PlannerError("error.roster-would-drop", file=str(path),
                           contacts=counted("contacts", len(dropped)),
                           names=t("punct.enumeration", lang).join(dropped[:MAX_ROW_PROBLEMS])
                           + (" …" if len(dropped) > MAX_ROW_PROBLEMS else ""))
    _write_pieces(target, roster_yaml_pieces(contacts, lang), str(path))
    return target, contacts, ignored


def _write_pieces(target: Path, pieces: Iterator[str], source: str) -> None:
    """Replace `target` with the text of `pieces`, written as they come, in one rename;
    refused (`target` unchanged) when it would be larger than a roster file may be, so that
    every saved roster can be read back."""
    import os

    from planner.core.files import atomic_path

    with atomic_path(target, force=True) as temp, open(temp, "wb") as stream:
        for piece in pieces:
            stream.write(piece.encode("utf-8"))
            if stream.tell() > MAX_ROSTER_BYTES:
                raise PlannerError("error.roster-yaml-would-be-too-big", file=source,
                                   target=target.name, limit=megabytes(MAX_ROSTER_BYTES))
        stream.flush()
        os.fsync(stream.fileno())
