"""The contact roster (联络表): who to reach in every department during the campaign.

Contacts live in the workspace, either as a ``contacts:`` list in shop.yaml or in a
``roster.yaml`` beside it (which wins when present); `planner.roster.importing` replaces
roster.yaml from a CSV or XLSX file. Every contact is validated the same way wherever it comes
from, and every error names the file, the row or line, and the field.

A contact is a plain dict with the keys of `FIELDS`; phone numbers are normalised text
(``13800138000``, ``0571-87654321-8001``), `escalation` an integer, the rest text or None.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from planner.core.cells import cell_text, shown
from planner.core.errors import Msg, PlannerError
from planner.core.files import megabytes
from planner.core.i18n import LANGS, t
from planner.core.limits import MAX_CONTACTS, MAX_NAME_CHARS, MAX_ROSTER_BYTES, MAX_TEXT_CHARS
from planner.core.userfiles import load_yaml_file
from planner.core.yamlio import Node, line_of
from planner.roster.values import (
    EMAIL,
    mask_mobile,
    normalise_landline,
    normalise_mobile,
    shift_days,
    shift_label,
)

FIELDS = ("department", "name", "role", "mobile", "landline", "im", "email", "shift",
          "escalation", "backup")
# Import headers also know "extension" (folded into the landline) and "phone" (a mobile when it
# reads as one, else a landline).
HEADER_FIELDS = (*FIELDS, "extension", "phone")
ON_FLOOR_DEPARTMENT = "cs-manager"
HEADER_SEARCH_ROWS = 10
LEAP_YEAR = 2000  # shifts are checked in a leap year when the campaign year is not known
# The longest text each field takes (the README's "Contact roster"): a name, a title, a phone,
# an id or an address is one reference; a shift may spell out several spans and their hours.
FIELD_CHARS = {field: MAX_NAME_CHARS for field in FIELDS} | {"shift": MAX_TEXT_CHARS}


@dataclass(frozen=True)
class Record:
    """One contact as read from a file, before validation."""

    line: int | None
    values: dict[str, Any]
    labels: Mapping[str, str] | _Labels  # field -> how the source names it (header or key)
    lines: dict[str, int] | None = None  # field -> its own line, in YAML

    def line_of(self, field: str) -> int | None:
        return (self.lines or {}).get(field) or self.line


# --- departments and headers ----------------------------------------------------------------


def header_key(text: str) -> str:
    """Text reduced for matching names: NFKC, lower case, no spaces, no bracketed notes."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    # innermost brackets only: "\(.*?\)" took quadratic time on a cell of many "("
    text = re.sub(r"\([^()]*\)|\*", "", text)
    return re.sub(r"[\s_]+", "", text)


@cache
def department_names() -> dict[str, str]:
    """Every accepted way of writing a department -> its owner role id."""
    from planner.campaign.phases import load_campaign

    names: dict[str, str] = {}
    for ident, spelled in load_campaign().owners.items():
        for text in (ident, *spelled.values()):
            names[header_key(text)] = ident
            names.setdefault(header_key(text.split("/")[0]), ident)
    from planner.core.roles import ROLE_ALIASES

    for old, ident in ROLE_ALIASES.items():
        names.setdefault(header_key(old), ident)
    return names


def department_id(value: Any) -> str | None:
    return department_names().get(header_key(value)) if value not in (None, "") else None


@cache
def header_names() -> dict[str, str]:
    """Every accepted column header (both languages) -> field."""
    names: dict[str, str] = {}
    for field in HEADER_FIELDS:
        for lang in LANGS:
            for alias in t(f"roster.aliases.{field}", lang).split("|"):
                names[header_key(alias)] = field
    return names


# --- normalising values ---------------------------------------------------------------------


def as_shown(contact: dict[str, Any], *, mask_phones: bool = False) -> dict[str, Any]:
    """`contact` as a listing or a workbook shows it: with --mask-phones, its mobile masked."""
    if not mask_phones:
        return contact
    return dict(contact, mobile=mask_mobile(contact.get("mobile")))


# --- validation -----------------------------------------------------------------------------


def validate(records: Iterable[Record], source: str, year: int | None = None
             ) -> list[dict[str, Any]]:
    """Check and normalise contacts; the first problem raises, naming file, row and field.

    Shift dates are checked in the campaign `year` when given (02-29 exists only in some).
    """
    contacts: list[dict[str, Any]] = []
    for outcome in checked(records, source, year):
        if isinstance(outcome, PlannerError):
            raise outcome
        contacts.append(outcome)
    return contacts


def checked(records: Iterable[Record], source: str, year: int | None = None
            ) -> Iterator[dict[str, Any] | PlannerError]:
    """For each record in turn its contact, or the error refusing it: one pass.

    A record is refused for its own values, or for repeating the person (department and
    name) or the mobile of an earlier record that was not refused itself.
    """
    people: dict[tuple[str, str], int | None] = {}
    mobiles: dict[str, int | None] = {}
    for record in records:
        try:
            contact = _contact(record, source, year)
            _check_unique(contact, record, source, people, mobiles)
        except PlannerError as err:
            yield err
            continue
        people[(contact["department"], contact["name"])] = record.line
        if contact["mobile"]:
            mobiles[contact["mobile"]] = record.line
        yield contact


def _check_unique(contact: dict[str, Any], record: Record, source: str,
                  people: dict[tuple[str, str], int | None],
                  mobiles: dict[str, int | None]) -> None:
    def fail(key: str, field: str, other: int | None) -> PlannerError:
        return PlannerError(key, file=source, line=record.line_of(field),
                            field=record.labels.get(field, field), other=_where(other))

    person = (contact["department"], contact["name"])
    if person in people:
        raise fail("error.roster-duplicate-person", "name", people[person])
    if contact["mobile"] and contact["mobile"] in mobiles:
        raise fail("error.roster-duplicate-mobile", "mobile", mobiles[contact["mobile"]])


def _where(line: int | None) -> str:
    return str(line) if line else "?"


def _contact(record: Record, source: str, year: int | None) -> dict[str, Any]:
    values = {field: cell_text(record.values.get(field)) for field in FIELDS}

    def fail(key: str, field: str, **params: Any) -> PlannerError:
        return PlannerError(key, file=source, line=record.line_of(field),
                            field=record.labels.get(field, field), **params)

    for field in FIELDS:
        if len(values[field]) > FIELD_CHARS[field]:
            raise fail("error.roster-field-too-long", field, length=len(values[field]),
                       limit=FIELD_CHARS[field])
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
    if values["email"] and not EMAIL.match(values["email"]):
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


def load_roster(roster: Path | None, shop: Any = None, year: int | None = None,
                workspace: Path | None = None) -> list[dict[str, Any]]:
    """The shop's contacts, validated: its roster file `roster` when present, else the shop
    file's list. With the campaign `year`, shift dates are checked in that year.
    """
    if roster is not None and roster.is_file():
        path = str(roster)
        size = roster.stat().st_size
        if size > MAX_ROSTER_BYTES:
            raise PlannerError("error.roster-yaml-too-big", file=path, size=megabytes(size),
                               limit=megabytes(MAX_ROSTER_BYTES), contacts=MAX_CONTACTS)
        data = load_yaml_file(path, workspace, max_bytes=MAX_ROSTER_BYTES)
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
        if number > MAX_CONTACTS:
            raise PlannerError("error.roster-too-many", file=path,
                               line=entry.line if isinstance(entry, Node) else list_line,
                               field=label, limit=MAX_CONTACTS)
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
        # the entry itself and its own lines, read only: nothing copied per contact
        yield Record(entry.line, entry, _Labels(label), entry.lines)


class _Labels:
    """How a YAML roster names a contact's fields (``contacts[3].mobile``), made only for
    the error that needs one."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def get(self, field: str, default: str | None = None) -> str:
        return f"{self.prefix}.{field}"


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
