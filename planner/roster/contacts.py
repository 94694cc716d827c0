"""The contact roster (联络表): who to reach in every department during the campaign.

Contacts live in the workspace, either as a ``contacts:`` list in shop.yaml or in a
``roster.yaml`` beside it (which wins when present). `import_roster` replaces roster.yaml from a
CSV or XLSX file with Chinese or English headers, all or nothing. Every contact is validated the
same way wherever it comes from, and every error names the file, the row or line, and the field.

A contact is a plain dict with the keys of `FIELDS`; phone numbers are normalised text
(``13800138000``, ``0571-87654321-8001``), `escalation` an integer, the rest text or None.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from planner.core.errors import Msg, PlannerError
from planner.core.i18n import LANGS, t
from planner.core.yamlio import Node, line_of, load_yaml_file
from planner.export.cells import (
    MAX_CELL_CHARS,
    cell_text,
    column_letter,
    duplicate_columns,
    shown,
)

FIELDS = ("department", "name", "role", "mobile", "landline", "im", "email", "shift",
          "escalation", "backup")
# Import headers also know "extension" (folded into the landline) and "phone" (a mobile when it
# reads as one, else a landline).
HEADER_FIELDS = (*FIELDS, "extension", "phone")
ON_FLOOR_DEPARTMENT = "cs-manager"
HEADER_SEARCH_ROWS = 10
LEAP_YEAR = 2000  # shifts are checked in a leap year when the campaign year is not known

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)
_PHONE_NOISE = re.compile(r"[\s\-.()]")
_EXTENSION = re.compile(r"^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
_INTERNATIONAL = re.compile(r"^(?:\+|00)86[\s\-]*")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = (r"(?:(?P<{p}y>\d{{4}})[-/年])?(?P<{p}m>\d{{1,2}})[-/月](?P<{p}d>\d{{1,2}})日?")
# A shift names the battle days it covers as dates ("03-11", "3月12日") or ranges ("3/11~3/15",
# "03-11 至 03-13"); times such as "09:00-18:00" are not dates (no digit or ':' around them).
_SHIFT_DATES = re.compile(
    r"(?<![\d:])" + _DATE.format(p="a")
    + r"(?:\s*(?:~|～|至|到|—|–|--|-|to)\s*" + _DATE.format(p="b") + r")?(?![\d:])")


@dataclass(frozen=True)
class Record:
    """One contact as read from a file, before validation."""

    line: int | None
    values: dict[str, Any]
    labels: dict[str, str]  # field -> how the source names it (header or YAML key)
    lines: dict[str, int] | None = None  # field -> its own line, in YAML

    def line_of(self, field: str) -> int | None:
        return (self.lines or {}).get(field) or self.line


# --- departments and headers ----------------------------------------------------------------


def _key(text: str) -> str:
    """Text reduced for matching names: NFKC, lower case, no spaces, no bracketed notes."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = re.sub(r"\(.*?\)|\*", "", text)
    return re.sub(r"[\s_]+", "", text)


@cache
def department_names() -> dict[str, str]:
    """Every accepted way of writing a department -> its owner role id."""
    from planner.campaign.phases import load_campaign

    names: dict[str, str] = {}
    for ident, spelled in load_campaign().owners.items():
        for text in (ident, *spelled.values()):
            names[_key(text)] = ident
            names.setdefault(_key(text.split("/")[0]), ident)
    return names


def department_id(value: Any) -> str | None:
    return department_names().get(_key(value)) if value not in (None, "") else None


@cache
def header_names() -> dict[str, str]:
    """Every accepted column header (both languages) -> field."""
    names: dict[str, str] = {}
    for field in HEADER_FIELDS:
        for lang in LANGS:
            for alias in t(f"roster.aliases.{field}", lang).split("|"):
                names[_key(alias)] = field
    return names


# --- normalising values ---------------------------------------------------------------------


def normalise_mobile(value: Any) -> str:
    """``+86 138-0013-8000`` -> ``13800138000``; raises PlannerError on anything else."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    digits = _PHONE_NOISE.sub("", _INTERNATIONAL.sub("", text))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if _MOBILE.match(digits):
        return digits
    if _SCIENTIFIC.match(text):
        raise PlannerError("error.roster-phone-scientific", value=shown(text))
    raise PlannerError("error.roster-mobile", value=shown(text))


def normalise_landline(value: Any) -> str:
    """``(0571) 8765 4321 转 8001`` -> ``0571-87654321-8001``; raises PlannerError otherwise."""
    original = cell_text(value)
    text = unicodedata.normalize("NFKC", original).strip()
    extension = None
    match = _EXTENSION.match(text)
    if match:
        text, extension = match.group(1), match.group(2)
    international = _INTERNATIONAL.match(text) is not None
    text = _INTERNATIONAL.sub("", text)
    if international and not text.startswith("0"):
        text = "0" + text
    groups = [g for g in re.split(r"[\s\-.()]+", text) if g]
    if not groups or not all(g.isdigit() for g in groups):
        raise PlannerError("error.roster-landline", value=shown(original))
    if len(groups) == 1:
        digits = groups[0]
        size = 3 if digits[:2] in ("01", "02") else 4
        area, local = digits[:size], digits[size:]
    else:
        area, rest = groups[0], groups[1:]
        if len(rest) >= 2 and len(rest[0]) in (7, 8) and extension is None:
            local, extension = rest[0], "".join(rest[1:])
        else:
            local = "".join(rest)
    if not (re.fullmatch(r"0\d{2,3}", area) and re.fullmatch(r"\d{7,8}", local)
            and (extension is None or re.fullmatch(r"\d{1,6}", extension))):
        raise PlannerError("error.roster-landline", value=shown(original))
    return f"{area}-{local}" + (f"-{extension}" if extension else "")


def mask_mobile(value: str | None) -> str | None:
    """``13800138000`` -> ``138****8000`` (other text unchanged)."""
    if value and _MOBILE.match(value):
        return f"{value[:3]}****{value[7:]}"
    return value


def as_shown(contact: dict[str, Any], *, mask_phones: bool = False) -> dict[str, Any]:
    """`contact` as a listing or a workbook shows it: with --mask-phones, its mobile masked."""
    if not mask_phones:
        return contact
    return dict(contact, mobile=mask_mobile(contact.get("mobile")))


def shift_days(shift: str | None, year: int) -> list[tuple[dt.date, dt.date]] | None:
    """The date ranges a shift names in `year`; None when it names none (it covers every day).

    Raises PlannerError for a date that does not exist (in `year`, for a date without one).
    """
    if not shift:
        return None
    spans = []
    for match in _SHIFT_DATES.finditer(shift):
        start = _shift_date(match, "a", year)
        end = _shift_date(match, "b", year) if match.group("bm") else start
        spans.append((min(start, end), max(start, end)))
    return spans or None


def _shift_date(match: re.Match[str], prefix: str, year: int) -> dt.date:
    year = int(match.group(f"{prefix}y") or year)
    month, day = int(match.group(f"{prefix}m")), int(match.group(f"{prefix}d"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        if (month, day) == (2, 29):
            raise PlannerError("error.roster-shift-leap", value=shown(match.group(0)),
                               year=year) from None
        raise PlannerError("error.roster-shift-date", value=shown(match.group(0))) from None


def shift_label(shift: str | None) -> str:
    """The shift without its dates: ``03-11~03-15 早班 9:00-18:00`` -> ``早班 9:00-18:00``."""
    if not shift:
        return ""
    return re.sub(r"^[\s,，;；、]+|[\s,，;；、]+$", "", _SHIFT_DATES.sub(" ", shift)).strip()


# --- validation -----------------------------------------------------------------------------


def validate(records: Iterable[Record], source: str, year: int | None = None
             ) -> list[dict[str, Any]]:
    """Check and normalise contacts; the first problem raises, naming file, row and field.

    Shift dates are checked in the campaign `year` when given (02-29 exists only in some).
    """
    contacts: list[dict[str, Any]] = []
    people: dict[tuple[str, str], int | None] = {}
    mobiles: dict[str, int | None] = {}
    for record in records:
        contact = _contact(record, source, year)

        def fail(key: str, field: str, record: Record = record, **params: Any) -> PlannerError:
            return PlannerError(key, file=source, line=record.line_of(field),
                                field=record.labels.get(field, field), **params)

        person = (contact["department"], contact["name"])
        if person in people:
            raise fail("error.roster-duplicate-person", "name", other=_where(people[person]))
        people[person] = record.line
        if contact["mobile"]:
            if contact["mobile"] in mobiles:
                raise fail("error.roster-duplicate-mobile", "mobile",
                           other=_where(mobiles[contact["mobile"]]))
            mobiles[contact["mobile"]] = record.line
        contacts.append(contact)
    return contacts


def _where(line: int | None) -> str:
    return str(line) if line else "?"


def _contact(record: Record, source: str, year: int | None) -> dict[str, Any]:
    values = {field: cell_text(record.values.get(field)) for field in FIELDS}

    def fail(key: str, field: str, **params: Any) -> PlannerError:
        return PlannerError(key, file=source, line=record.line_of(field),
                            field=record.labels.get(field, field), **params)

    for field in FIELDS:
        if len(values[field]) > MAX_CELL_CHARS:
            raise fail("error.roster-too-long", field, length=len(values[field]),
                       limit=MAX_CELL_CHARS)
    for field in ("department", "name"):
        if not values[field]:
            raise fail("error.roster-required", field)
    department = department_id(values["department"])
    if department is None:
        from planner.campaign.phases import load_campaign

        raise fail("error.roster-department", "department", value=shown(values["department"]),
                   allowed=", ".join(load_campaign().owners))
    if not values["mobile"] and not values["landline"]:
        raise fail("error.roster-no-phone", "mobile")
    contact: dict[str, Any] = {field: values[field] or None for field in FIELDS}
    contact["department"] = department
    for field, normalise in (("mobile", normalise_mobile), ("landline", normalise_landline)):
        if values[field]:
            try:
                contact[field] = normalise(record.values.get(field))
            except PlannerError as err:
                raise err.located(file=source, line=record.line_of(field),
                                  field=record.labels.get(field, field)) from None
    if values["email"] and not _EMAIL.match(values["email"]):
        raise fail("error.roster-email", "email", value=shown(values["email"]))
    if values["escalation"]:
        contact["escalation"] = _escalation(record.values.get("escalation"))
        if contact["escalation"] is None:
            raise fail("error.roster-escalation", "escalation",
                       value=shown(values["escalation"]))
    if values["shift"]:
        try:
            shift_days(values["shift"], year or LEAP_YEAR)
        except PlannerError as err:
            raise err.located(file=source, line=record.line_of("shift"),
                              field=record.labels.get("shift", "shift")) from None
    return contact


def _escalation(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value >= 1 else None
    text = unicodedata.normalize("NFKC", cell_text(value))
    return int(text) if text.isdigit() and int(text) >= 1 else None


# --- reading the workspace ------------------------------------------------------------------


def roster_source(roster: Path | None, shop: Any = None) -> str | None:
    """The file the roster comes from: the roster file `roster` if present, else the shop
    file."""
    if roster is not None and roster.is_file():
        return str(roster)
    return shop.path if shop is not None else None


def load_roster(roster: Path | None, shop: Any = None, year: int | None = None
                ) -> list[dict[str, Any]]:
    """The shop's contacts, validated: its roster file `roster` when present, else the shop
    file's list. With the campaign `year`, shift dates are checked in that year.
    """
    if roster is not None and roster.is_file():
        path = str(roster)
        data = load_yaml_file(path)
        if data is None:
            return []
        if not isinstance(data, dict):
            raise PlannerError("error.wrong-type", file=path, field="(top level)",
                               expected=Msg("type.mapping"))
        for key in data:
            if key != "contacts":
                raise PlannerError("error.unknown-key", file=path, line=line_of(data, key),
                                   field=str(key), allowed="contacts")
        raw = data.get("contacts") or []
        if not isinstance(raw, list):
            raise PlannerError("error.wrong-type", file=path, line=line_of(data, "contacts"),
                               field="contacts", expected=Msg("type.list"))
        return validate(_yaml_records(raw, path, data.line_of("contacts")), path, year)
    if shop is None:
        return []
    return validate(_yaml_records(shop.contacts, shop.path, shop.line("contacts")), shop.path,
                    year)


def _yaml_records(raw: list[Any], path: str, list_line: int | None) -> Iterator[Record]:
    for number, entry in enumerate(raw, start=1):
        label = f"contacts[{number}]"
        if not isinstance(entry, Node):
            raise PlannerError("error.wrong-type", file=path, line=list_line, field=label,
                               expected=Msg("type.mapping"))
        for key, value in entry.items():
            if key not in FIELDS:
                raise PlannerError("error.unknown-key", file=path, line=entry.line_of(key),
                                   field=f"{label}.{key}", allowed=", ".join(FIELDS))
            # A list, a mapping or a YAML boolean (yes, no, on) is never a name or a phone
            # (the escalation order has its own check, which names what it takes).
            if key != "escalation" and isinstance(value, list | dict | bool):
                raise PlannerError("error.wrong-type", file=path, line=entry.line_of(key),
                                   field=f"{label}.{key}", expected=Msg("type.text"))
        yield Record(entry.line, dict(entry), {field: f"{label}.{field}" for field in FIELDS},
                     {key: entry.line_of(key) for key in entry})


# --- importing CSV and XLSX -----------------------------------------------------------------


def read_records(path: str | Path) -> tuple[list[Record], list[str]]:
    """The contacts of a CSV or XLSX file, and the headers it has that are not roster fields."""
    path = Path(path)
    if not path.is_file():
        raise PlannerError("error.file-is-dir" if path.is_dir() else "error.file-missing",
                           file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        from planner.export.xlsx import read_rows

        rows = read_rows(path)
    else:
        raise PlannerError("error.roster-format", file=str(path), suffix=suffix or "-")
    return _records(rows, str(path))


def _decode(data: bytes, name: str) -> str:
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


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = _decode(path.read_bytes(), str(path))
    except OSError as err:
        raise PlannerError("error.file-unreadable", file=str(path), detail=err.strerror) from None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        # The row number the user sees in a spreadsheet (quoted line breaks do not count).
        yield from enumerate(reader, 1)
    except csv.Error as err:
        raise PlannerError("error.roster-csv", file=str(path), line=reader.line_num,
                           detail=str(err)) from None


def _records(rows: Iterator[tuple[int, Sequence[Any]]], name: str
             ) -> tuple[list[Record], list[str]]:
    names = header_names()
    columns: dict[int, str] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    headed: set[int] = set()
    for number, row in rows:
        found = {i: names[_key(cell_text(v))] for i, v in enumerate(row)
                 if cell_text(v) and _key(cell_text(v)) in names}
        if len(set(found.values())) >= 2:
            duplicate_columns(found, row, name, number)
            columns, header_line = found, number
            labels = {field: cell_text(row[i]) for i, field in found.items()}
            ignored = [shown(v) for i, v in enumerate(row) if cell_text(v) and i not in found]
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


def roster_yaml(contacts: list[dict[str, Any]], lang: str) -> str:
    """roster.yaml's text: a comment saying what the file is, then the contacts."""
    import yaml

    entries = [{field: contact[field] for field in FIELDS if contact.get(field) is not None}
               for contact in contacts]
    body = yaml.safe_dump({"contacts": entries}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=100)
    comment = "".join(f"# {line}\n" for line in t("roster.file-comment", lang).splitlines())
    return comment + body


def import_roster(path: str | Path, target: Path, lang: str
                  ) -> tuple[Path, list[dict[str, Any]], list[str]]:
    """Replace the roster file `target` with the contacts of `path`.

    Nothing is written unless every row is valid; the file is replaced in one rename.
    Returns the roster path, the contacts and the ignored column headers.
    """
    from planner.core.files import atomic_write_text

    records, ignored = read_records(path)
    contacts = validate(records, str(path))
    atomic_write_text(target, roster_yaml(contacts, lang), force=True)
    return target, contacts, ignored


# --- views ----------------------------------------------------------------------------------


def sorted_contacts(contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By department (campaign order), then escalation order, keeping the file order otherwise."""
    from planner.campaign.phases import load_campaign

    order = {ident: i for i, ident in enumerate(load_campaign().owners)}
    return sorted(contacts, key=lambda c: (order.get(c["department"], len(order)),
                                           c.get("escalation") or 10**6))


def escalation_path(contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Contacts with an escalation order, lowest first."""
    ranked = [c for c in contacts if c.get("escalation")]
    return sorted(ranked, key=lambda c: c["escalation"])


def on_floor_schedule(contacts: list[dict[str, Any]], start: dt.date, end: dt.date
                      ) -> list[tuple[dt.date, list[tuple[dict[str, Any], str]]]]:
    """Which CS managers are on the floor each day from `start` to `end`, with their shift.

    A manager whose shift names no dates is on every day.
    """
    managers = [c for c in contacts if c["department"] == ON_FLOOR_DEPARTMENT]
    days = []
    day = start
    while day <= end:
        present = []
        for contact in managers:
            spans = shift_days(contact.get("shift"), start.year)
            if spans is None or any(a <= day <= b for a, b in spans):
                present.append((contact, shift_label(contact.get("shift"))))
        days.append((day, present))
        day += dt.timedelta(days=1)
    return days
