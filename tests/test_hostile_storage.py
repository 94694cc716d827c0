"""Damaged state and redirected files (issue 15): a state database found damaged is never
written to, and no file of the workspace that is a symbolic link leads a write outside it.

The databases are real ones made by the commands, then damaged in place by the test as a
failing disk or another program would; the hostile commands run in their own process
(tests/hostile.py), so their exit code, their one line, their time and memory are real.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from hostile import fingerprint, run_cli

from planner.storage import sqlite_guard
from planner.workspace.layout import DB_FILE

NOW = "2027-03-01 10:00"
ITEMS = ("prepare.plan.kickoff", "prepare.promo.rules", "prepare.copy.ad-law")
NEXT_ITEM = "prepare.promo.prizes"  # still open: checking it writes
# A refused command does no more than an ordinary one (about 0.25 s, 20-35 MB): the bounds
# leave room for a slow machine, and would catch a check run page by page in Python.
SECONDS, MB = 5, 100
ADD = ("complaint", "add", "-c", "quality", "-s", "杯子有裂纹", "--order", "3312")


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setenv("PLANNER315_NOW", NOW)


@pytest.fixture
def ws(tmp_path, run):
    """A workspace with history (three check-offs) and a register (three complaints)."""
    folder = tmp_path / "ws"
    assert run("init", folder, "--shop-name", "Demo", "--size", "large", "--lang", "en"
               ).exit_code == 0
    os.chdir(folder)
    assert run("check", *ITEMS).exit_code == 0
    for order in ("101", "102", "103"):
        assert run("complaint", "add", "-c", "quality", "-s", "cup", "--order", order
                   ).exit_code == 0
    return folder


def hostile(*args, cwd: Path):
    return run_cli(*args, cwd=cwd, env={"PLANNER315_NOW": NOW})


def assert_refused(outcome, *words: str) -> None:
    """Exit 1, one line holding `words`, no traceback, in the time and memory of a command."""
    assert outcome.code == 1, outcome
    assert len(outcome.message_lines) == 1, outcome.stderr
    assert "Traceback" not in outcome.stderr
    for word in words:
        assert word in outcome.message_lines[0], outcome.stderr
    assert outcome.seconds < SECONDS and outcome.peak_mb < MB, outcome


def root_page(db: Path, name: str) -> tuple[int, int]:
    """The root page number of table or index `name`, and the page size."""
    connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                  (name,)).fetchone()[0]
    finally:
        connection.close()
    return root, size


def scramble(db: Path, name: str, how: str) -> None:
    """Overwrite the root page of `name` in place: "noise" fills the whole page with random
    bytes; "cells" keeps its header and cell pointers, so that it still looks like a b-tree
    page to a write passing through, and garbles the records they point at."""
    root, size = root_page(db, name)
    rng = random.Random(root)
    with open(db, "r+b") as stream:
        stream.seek((root - 1) * size)
        page = bytearray(stream.read(size))
        content = int.from_bytes(page[5:7], "big") if how == "cells" else 0
        page[content:] = rng.randbytes(size - content)
        stream.seek((root - 1) * size)
        stream.write(page)


def patch_bytes(db: Path, old: bytes, new: bytes) -> None:
    """Replace every `old` in the file with `new`, of the same length (in the tables and in
    the indexes that copy them): values changed inside records, every page still sound."""
    assert len(old) == len(new)
    data = db.read_bytes()
    assert old in data
    db.write_bytes(data.replace(old, new))


def quick_check(db: Path) -> list[str]:
    connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as err:
        return [str(err)]
    finally:
        connection.close()


# --- a damaged database is never written to ----------------------------------------------

@pytest.mark.parametrize("how", ["noise", "cells"])
@pytest.mark.parametrize("name", ["history", "history_subject", "complaints"])
def test_a_damaged_database_is_never_written_to(ws, name, how):
    """The history's root page, one of its indexes, the register's root page: damaged, and
    every write refused before it touches the file, whichever table it writes."""
    db = ws / DB_FILE
    scramble(db, name, how)
    assert quick_check(db) != ["ok"]  # the damage is real
    before = fingerprint(ws)
    if name == "history":
        assert_refused(hostile("log", cwd=ws), DB_FILE, "damaged")
    for command in (("check", NEXT_ITEM), ADD, ("undo",)):
        assert_refused(hostile(*command, cwd=ws), DB_FILE, "damaged")
        assert fingerprint(ws) == before, command


def test_damage_met_in_the_middle_of_a_write_commits_nothing(ws):
    """Damage the guard was not told of (its record made to vouch for the damaged file): the
    write meets it, aborts with the one-line error, and the file keeps its bytes; the damage
    is remembered, so the next write is refused before it starts."""
    db = ws / DB_FILE
    scramble(db, "history", "noise")
    record = sqlite_guard._record_file(db)
    record.write_text(json.dumps({"sound": sqlite_guard.identity(db)}), encoding="utf-8")
    before = fingerprint(ws)
    assert_refused(hostile("check", NEXT_ITEM, cwd=ws), DB_FILE, "damaged")
    assert sqlite_guard._recorded(db)["damaged"] == sqlite_guard.identity(db)
    assert_refused(hostile(*ADD, cwd=ws), DB_FILE, "damaged")
    assert fingerprint(ws) == before


@pytest.mark.parametrize("old, new, command", [
    (b'{"status": "done"', b'x"status": "done"', ("log",)),  # history: not JSON
    (b'{"status": "done"', b'x"status": "done"', ("undo",)),
    (b'"by": "', b'"by": \xff', ("log",)),  # history: not UTF-8
    (b'{"vip": ', b'x"vip": ', ("complaint", "list")),  # the register's flags: not JSON
    (b"2027-03-02T18:00:00+08:00", b"2027-13-02T18:00:00+08:00", ("complaint", "list")),
])
def test_a_stored_value_that_does_not_read_back_is_damage(ws, old, new, command):
    """Values SQLite's checks cannot judge (JSON, times, text encoding): read back, they name
    the database in one line, with no traceback and nothing written; and once found, the file
    takes no write, though its pages pass SQLite's check."""
    db = ws / DB_FILE
    patch_bytes(db, old, new)
    assert quick_check(db) == ["ok"]
    before = fingerprint(ws)
    assert_refused(hostile(*command, cwd=ws), DB_FILE, "damaged")
    assert_refused(hostile("check", NEXT_ITEM, cwd=ws), DB_FILE, "damaged")
    assert fingerprint(ws) == before


def test_the_whole_file_is_checked_once_per_outside_change(ws, run, monkeypatch):
    """A file as planner315 left it is not checked again; one changed by anyone else is,
    before the next write, and then trusted again."""
    checks = []
    first_problem = sqlite_guard._first_problem

    def counted(connection):
        checks.append(1)
        return first_problem(connection)

    monkeypatch.setattr(sqlite_guard, "_first_problem", counted)
    assert run("uncheck", ITEMS[0]).exit_code == 0
    assert run(*ADD).exit_code == 0
    assert checks == []
    connection = sqlite3.connect(ws / DB_FILE)  # another program writes, soundly
    connection.execute("UPDATE complaints SET notes = 'called' WHERE order_id = '101'")
    connection.commit()
    connection.close()
    result = run("check", ITEMS[0])
    assert result.exit_code == 0, result.output
    assert run("check", NEXT_ITEM).exit_code == 0
    assert checks == [1]


def test_a_new_database_is_checked_and_recorded(tmp_path, run):
    """The first write creates the file and records it as checked: the next needs no check."""
    assert run("init", tmp_path, "--size", "large").exit_code == 0
    assert run("check", ITEMS[0]).exit_code == 0
    db = tmp_path / DB_FILE
    assert quick_check(db) == ["ok"]
    assert sqlite_guard._recorded(db) == {"sound": sqlite_guard.identity(db)}


# --- nothing written outside the workspace -------------------------------------------------

@pytest.fixture
def outside(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


@pytest.fixture
def bare(tmp_path, run):
    """A workspace without state yet."""
    folder = tmp_path / "bare"
    assert run("init", folder, "--size", "large", "--lang", "en").exit_code == 0
    return folder


@pytest.mark.parametrize("command", [("check", NEXT_ITEM), ADD, ("log",)])
def test_a_dangling_database_link_outside_is_refused(bare, outside, command):
    (bare / DB_FILE).symlink_to(outside / "state.db")
    before, away = fingerprint(bare), fingerprint(outside)
    assert_refused(hostile(*command, cwd=bare), DB_FILE, "outside the workspace")
    assert not (outside / "state.db").exists()
    assert fingerprint(bare) == before and fingerprint(outside) == away


def test_a_database_link_to_another_workspace_is_refused(ws, bare):
    """A link to a real planner315 database elsewhere (another shop's): neither read nor
    written."""
    (bare / DB_FILE).symlink_to(ws / DB_FILE)
    before = fingerprint(ws)
    for command in (("check", NEXT_ITEM), ("log",)):
        assert_refused(hostile(*command, cwd=bare), DB_FILE, str(ws / DB_FILE))
    assert fingerprint(ws) == before


def test_a_link_through_a_folder_that_leads_outside_is_refused(bare, outside):
    (bare / "data").symlink_to(outside, target_is_directory=True)
    (bare / DB_FILE).symlink_to(Path("data") / "state.db")
    assert_refused(hostile("check", NEXT_ITEM, cwd=bare), DB_FILE, "outside the workspace")
    assert list(outside.iterdir()) == []


def test_a_database_link_inside_the_workspace_is_followed(bare, run):
    (bare / "data").mkdir()
    (bare / DB_FILE).symlink_to(Path("data") / "state.db")
    os.chdir(bare)
    assert run("check", NEXT_ITEM).exit_code == 0
    assert (bare / DB_FILE).is_symlink()
    assert quick_check(bare / "data" / "state.db") == ["ok"]
    log = run("log", "--format", "json")
    assert [entry["subject"] for entry in json.loads(log.output)] == [NEXT_ITEM]


def test_a_database_link_in_a_loop_is_refused(bare):
    (bare / DB_FILE).symlink_to("other.db")
    (bare / "other.db").symlink_to(DB_FILE)
    before = fingerprint(bare)
    assert_refused(hostile("check", NEXT_ITEM, cwd=bare), DB_FILE, "loop")
    assert fingerprint(bare) == before


def test_a_journal_link_outside_is_refused(ws, outside):
    """SQLite writes its rollback journal beside the database: a link there is refused
    like the database's own."""
    (ws / f"{DB_FILE}-journal").symlink_to(outside / "journal")
    before = fingerprint(ws)
    assert_refused(hostile("check", NEXT_ITEM, cwd=ws), f"{DB_FILE}-journal",
                   "outside the workspace")
    assert list(outside.iterdir()) == [] and fingerprint(ws) == before


@pytest.mark.parametrize("link", [".planner315", ".planner315/cache"])
def test_a_cache_folder_link_outside_is_refused(bare, outside, link):
    """The cache of parsed files and the database's check record stay in the workspace."""
    cache = bare / ".planner315"
    shutil.rmtree(cache, ignore_errors=True)
    if link == ".planner315/cache":
        cache.mkdir()
    (bare / link).symlink_to(outside, target_is_directory=True)
    for command in (("plan",), ("check", NEXT_ITEM)):
        assert_refused(hostile(*command, cwd=bare), link, "outside the workspace")
    assert list(outside.iterdir()) == []
    assert not (bare / DB_FILE).exists()


def test_a_cache_folder_link_inside_the_workspace_is_followed(bare, run):
    shutil.rmtree(bare / ".planner315", ignore_errors=True)
    (bare / "kept" / "cache").mkdir(parents=True)
    (bare / ".planner315").symlink_to("kept", target_is_directory=True)
    os.chdir(bare)
    assert run("check", NEXT_ITEM).exit_code == 0
    assert {path.name for path in (bare / "kept" / "cache").iterdir()} == {
        "shop.yaml.json", f"{DB_FILE}.checked.json"}


def test_rewritten_files_replace_a_link_rather_than_follow_it(bare, outside, run):
    """roster.yaml and shop.yaml are written to a temporary file and renamed over the name:
    a link there is replaced, and what it pointed at is left as it was."""
    (outside / "roster.yaml").write_text("contacts: []\n", encoding="utf-8")
    (bare / "roster.yaml").symlink_to(outside / "roster.yaml")
    (outside / "shop.yaml").write_text("size: small\n", encoding="utf-8")
    away = fingerprint(outside)
    csv = bare / "team.csv"
    csv.write_text("部门,姓名,职务,手机,座机/分机,旺旺/钉钉,邮箱,值班/班次,升级顺序,备岗\n"
                   "客服主管/经理,张敏,客服主管,13800000001,,,,,1,\n", encoding="utf-8")
    os.chdir(bare)
    assert run("roster", "import", csv).exit_code == 0
    (bare / "shop.yaml").unlink()
    (bare / "shop.yaml").symlink_to(outside / "shop.yaml")
    assert run("init", bare, "--shop-name", "Demo", "--size", "large", "--force"
               ).exit_code == 0
    for name in ("roster.yaml", "shop.yaml"):
        assert not (bare / name).is_symlink()
    assert "张敏" in (bare / "roster.yaml").read_text(encoding="utf-8")
    assert fingerprint(outside) == away
