"""The shop file (``shop.yaml``): who the shop is, its size, language, hours and overrides.

Every setting is parsed and checked once, here, so that every command rejects a bad file
alike and nothing downstream reads the file's raw data again."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.complaints.deadlines import (
    BUSINESS_HOURS_KEY,
    DEFAULT_HOURS,
    BusinessHours,
    parse_business_hours,
)
from planner.complaints.service import SERVICE_KEY, ServiceSettings, parse_service
from planner.core.errors import Msg, PlannerError
from planner.core.userfiles import load_yaml_file
from planner.core.yamlio import Node, check_choice, check_keys, line_of

# Keys a shop file may hold.
SHOP_KEYS = ("name", "size", "daily_orders", "cs_headcount", "lang", "phases", "contacts",
             "business_hours", "service", "issuer", "database", "shop_id")
DATABASE_KEY = "database"
SHOP_ID_KEY = "shop_id"
DATABASE_SCHEMES = ("postgresql://", "postgres://")
SHOP_ID_CHARS = 64


@dataclass(frozen=True)
class Shop:
    path: str
    name: str | None = None
    size: str | None = None
    daily_orders: int | None = None
    cs_headcount: int | None = None
    lang: str | None = None
    # {phase: {start, end}} as written: month-days are placed in a year only when the
    # campaign of a year is built (planner.campaign.phases.apply_overrides)
    phases: Any = None
    # the contact entries as written, with their lines: the roster validates them
    contacts: list[Any] = field(default_factory=list)
    issuer: str | None = None
    business_hours: BusinessHours = DEFAULT_HOURS
    # the service calendar's days and hours by phase; None: the office's (business_hours)
    service: ServiceSettings | None = None
    # a PostgreSQL URL (or libpq service) holding the state; None: the workspace's SQLite file
    database: str | None = None
    shop_id: str | None = None  # the shop's key in a shared database
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, key: str) -> int | None:
        return self.lines.get(key)


def load_shop(path: str | Path, workspace: Path | None = None) -> Shop:
    """Read and validate a shop file; every error names the file, the line and the key.
    (`workspace`: where the parsed file may be cached.)"""
    from planner.campaign.phases import load_campaign

    name = str(path)
    data = load_yaml_file(path, workspace)
    if data is None:
        data = Node()
    if not isinstance(data, dict):
        raise PlannerError("error.wrong-type", file=name,
                           expected=Msg("type.mapping"))
    check_keys(data, SHOP_KEYS, file=name)

    def where(key: str) -> dict[str, Any]:
        return {"file": name, "line": line_of(data, key), "field": key}

    campaign = load_campaign()
    size = data.get("size")
    if size is not None:
        check_choice(size, campaign.tiers, **where("size"))
    lang = data.get("lang")
    if lang is not None:
        check_choice(lang, ("zh", "en"), **where("lang"))
    counts = {}
    for key in ("daily_orders", "cs_headcount"):
        value = data.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 0):
            raise PlannerError("error.wrong-type", **where(key), expected=Msg("type.count"))
        counts[key] = value
    shop_name = data.get("name")
    if shop_name is not None:
        # a bare yes/no/on/off is read by YAML as true/false: not a name anyone meant
        if isinstance(shop_name, bool) or not isinstance(shop_name, str | int | float):
            raise PlannerError("error.wrong-type", **where("name"), expected=Msg("type.text"))
        shop_name = str(shop_name).strip() or None
    contacts = data.get("contacts") or []
    if not isinstance(contacts, list):
        raise PlannerError("error.wrong-type", **where("contacts"), expected=Msg("type.list"))
    issuer = data.get("issuer")
    if issuer is not None and (not isinstance(issuer, str | int) or isinstance(issuer, bool)):
        raise PlannerError("error.wrong-type", **where("issuer"), expected=Msg("type.text"))
    hours = parse_business_hours(data.get("business_hours"), name,
                                 line_of(data, "business_hours"))
    service = _service(data, name, campaign.phases)
    phases = data.get("phases")
    if phases is not None and not isinstance(phases, dict):
        raise PlannerError("error.wrong-type", **where("phases"), expected=Msg("type.mapping"))
    return Shop(path=name, name=shop_name, size=size, lang=lang, phases=phases,
                contacts=contacts, issuer=str(issuer).strip() or None if issuer else None,
                business_hours=hours, service=service,
                database=_database(data, path, where(DATABASE_KEY)),
                shop_id=_shop_id(data, where(SHOP_ID_KEY)),
                lines={str(key): line_of(data, key) for key in data}, **counts)


def _service(data: Any, name: str, phases: tuple[str, ...]) -> ServiceSettings | None:
    """The ``service`` block, which replaces ``business_hours``: a file may not give both."""
    if data.get(SERVICE_KEY) is not None and data.get(BUSINESS_HOURS_KEY) is not None:
        raise PlannerError("error.service-and-business-hours", file=name,
                           line=line_of(data, SERVICE_KEY), field=SERVICE_KEY,
                           other_line=line_of(data, BUSINESS_HOURS_KEY))
    return parse_service(data.get(SERVICE_KEY), name, line_of(data, SERVICE_KEY), phases)


def _database(data: Any, path: str | Path, where: dict[str, Any]) -> str | None:
    """The ``database`` URL. A password in it is refused while others may read the file
    (libpq's ~/.pgpass, PGPASSWORD or a service file keep it out of the shop file)."""
    url = data.get(DATABASE_KEY)
    if url is None:
        return None
    url = checked_url(url, **where)
    if has_password(url):
        import os
        import stat

        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = 0
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise PlannerError("error.database-password", **where)
    return url


def checked_url(url: Any, **where: Any) -> str:
    """A database URL as given (shop file, variable, option), trimmed; anything that is not
    a PostgreSQL URL is refused naming where it came from."""
    if not isinstance(url, str) or not url.strip().startswith(DATABASE_SCHEMES):
        raise PlannerError("error.database-url", **where)
    return url.strip()


def has_password(url: str) -> bool:
    """Whether a PostgreSQL URL carries a password (in its user part or as a parameter)."""
    from urllib.parse import parse_qs, urlsplit

    try:
        parts = urlsplit(url)
        return bool(parts.password) or "password" in parse_qs(parts.query)
    except ValueError:
        return "password" in url


def _shop_id(data: Any, where: dict[str, Any]) -> str | None:
    value = data.get(SHOP_ID_KEY)
    if value is None:
        return None
    if (not isinstance(value, str | int) or isinstance(value, bool)
            or not str(value).strip() or len(str(value)) > SHOP_ID_CHARS
            or not str(value).strip().isprintable()):
        raise PlannerError("error.shop-id", **where, limit=SHOP_ID_CHARS)
    return str(value).strip()


def shop_slug(name: str | None) -> str:
    """A shop's id from its name: its letters and digits (any script), lower case, words
    joined by hyphens; a short random id for a name with none."""
    import re
    import secrets
    import unicodedata

    text = unicodedata.normalize("NFKC", name or "").casefold()
    slug = re.sub(r"[\W_]+", "-", text).strip("-")[:40].strip("-")
    return slug or f"shop-{secrets.token_hex(4)}"


def assign_shop_id(path: Path, shop_id: str) -> str:
    """Give the shop file its ``shop_id``, added at its end, everything it holds kept as
    written; the file is replaced whole, never half-written."""
    import json

    from planner.core.files import atomic_path

    text = Path(path).read_text(encoding="utf-8")
    addition = ("" if not text or text.endswith("\n") else "\n") + (
        f"# the shop's key in the shared database: keep it when renaming the shop\n"
        f"{SHOP_ID_KEY}: {json.dumps(shop_id, ensure_ascii=False)}\n")
    with atomic_path(Path(path), force=True) as temp:  # keeps the file's permissions
        temp.write_text(text + addition, encoding="utf-8")
    return shop_id
