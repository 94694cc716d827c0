"""Every test runs in an empty temporary folder with a neutral environment, so that no test
ever reads or writes a real workspace or depends on the machine's locale."""

from __future__ import annotations

import contextlib
import os
import re

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.core.errors import PlannerError
from planner.core.i18n import render_error

# "postgres": every workspace of the command tests keeps its state in the test server
# (tests/pgserver.py), emptied before each test; .ci/run runs the state-touching command
# tests so, a second time
BACKEND_ENV = "PLANNER315_TEST_BACKEND"


def pytest_collection_modifyitems(config, items):
    if os.environ.get(BACKEND_ENV) != "postgres":
        return
    skip = pytest.mark.skip(reason="about the SQLite file itself")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated(tmp_path, tmp_path_factory, monkeypatch):
    for name in ("PLANNER315_LANG", "PLANNER315_WORKSPACE", "PLANNER315_USER", "LC_ALL",
                 "NO_COLOR", "COLUMNS", "PLANNER315_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.chdir(tmp_path)
    if os.environ.get(BACKEND_ENV) == "postgres":
        from pgserver import empty_database

        monkeypatch.setenv("PLANNER315_DATABASE_URL", empty_database())
    return tmp_path


@pytest.fixture
def run():
    """Invoke the CLI; returns click's Result (exit_code, output, stderr)."""
    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(main, [str(a) for a in args], **kwargs)

    return invoke


@pytest.fixture
def shop_file(tmp_path):
    """Write a shop.yaml from text and return its path."""

    def write(text: str, folder=None):
        path = (folder or tmp_path) / "shop.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@contextlib.contextmanager
def raises_message(pattern: str, lang: str = "en"):
    """Like pytest.raises(PlannerError, match=...), matched against the rendered message."""
    with pytest.raises(PlannerError) as caught:
        yield caught
    message = render_error(caught.value, lang)
    assert re.search(pattern, message), message


def build_plan(*, size: str, year: int, lang: str, shop: str | None = None) -> dict:
    """The plan of a shop of `size` in `year` as the documented JSON (what workbooks get)."""
    from planner.campaign.phases import campaign_windows
    from planner.campaign.plan import build_plan as build
    from planner.present.plan import plan_data

    return plan_data(build(size=size, year=year, windows=campaign_windows(size, year),
                           shop=shop), lang)


def old_database(path, version: int, *, items=(), history=(), complaints=()):
    """A state database as an earlier release left it: schema `version`, with rows in that
    release's shape (dicts of its columns)."""
    import sqlite3

    from planner.storage.sqlite_schema import (
        APPLICATION_ID,
        MIGRATIONS,
        PLACE_BY_DEFAULT,
        _statements,
    )

    db = sqlite3.connect(path)
    db.create_function("campaign_year", 1, PLACE_BY_DEFAULT.campaign_year)
    for script in MIGRATIONS[:version]:
        for statement in _statements(script):
            db.execute(statement)
    for table, rows in (("items", items), ("history", history), ("complaints", complaints)):
        for row in rows:
            db.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES "
                       f"({', '.join('?' for _ in row)})", list(row.values()))
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    return path


def v3_complaint(number: int, received: str, **fields) -> dict:
    """A complaint row as release 0.1 (schema 3) stored it."""
    import json

    row = {"number": f"TS-{received[:4]}-{number:04d}", "year": int(received[:4]), "seq": number,
           "category": "quality", "product": None, "order_id": None, "buyer": None,
           "channel": None, "summary": "x", "received": received, "received_day": received[:10],
           "level": "I", "priority": 3, "handler": "first-taker", "rule": "T+1",
           "deadline": received[:10] + "T18:00:00+08:00", "calendar": "official",
           "flags": json.dumps({"vip": False}), "status": "open", "callback": None,
           "created_by": "li"}
    row.update(fields)
    return row
