"""Hostile text from data on the terminal and in file names, and what dying writes leave.

Values come from other people: a summary pasted from a chat, a note, a buyer's name, a roster
sent over, the shop's own name. Such a value may hold terminal escapes (retitle the window,
clear the screen), a C1 control, a bidi override, or be a million characters long. The
workspaces here are damaged on purpose through SQLite and the YAML files, the way an older
release, a sync tool or a hand edit could leave them, so that no check at entry stands in the
way of what the output must survive.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hostile import TABLE_SECONDS, WORKBOOK_MB, WORKBOOK_SECONDS, fingerprint, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.files import NAME_BYTES, STALE_SECONDS, TEMP_NAME_EXTRA
from planner.core.limits import CARD_CELL_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS, TABLE_CELL_CHARS
from planner.core.terminal import BIDI_CONTROLS
from planner.export import default_name
from planner.roster.importing import roster_yaml

# Retitle the window (OSC ... BEL), clear the screen (CSI 2J), blink, a C1 CSI asking the
# terminal to answer, a bidi override, DEL.
HOSTILE = "A\x1b]0;owned\x07\x1b[2J\x1b[5m\x9b6n\u202eevil\x7fZ"
SHOWN = "A\\x1b]0;owned\\x07\\x1b[2J\\x1b[5m\\x9b6n\\u202eevil\\x7fZ"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\x7f")
OUR_COLOURS = re.compile("\x1b\\[(?:31|33|1|0)m")
ENV = {"PLANNER315_NOW": "2026-03-16 10:00", "PLANNER315_USER": "li", "COLUMNS": "120"}
NUMBER = "TS-2026-0001"


@pytest.fixture
def env(monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def damaged_workspace(root: Path, run, value: str, *, shop_name: str = HOSTILE) -> Path:
    """A workspace whose complaint (summary, buyer, assignee), check-off (note, by), history,
    roster contact and shop name hold `value` (the shop name: `shop_name`)."""
    ws = root / "ws"
    assert run("init", ws, "--size", "large", "--lang", "en").exit_code == 0
    shop = ws / "shop.yaml"
    text = shop.read_text(encoding="utf-8")
    start = text.index("\nname: ") + 1
    end = text.index("\n", start)
    # json's \u escapes are YAML's too: any character, written in plain ASCII
    shop.write_text(text[:start] + f"name: {json.dumps(shop_name)}" + text[end:],
                    encoding="utf-8")
    added = run("complaint", "add", "-c", "quality", "-s", "placeholder", "-b", "x",
                "--workspace", ws)
    assert added.exit_code == 0, added.output
    item = json.loads(run("checklist", "--format", "json", "--workspace", ws).stdout)
    first = item["items"][0]["id"]
    assert run("check", first, "--note", "placeholder", "--workspace", ws).exit_code == 0
    contact = {"department": "cs-manager", "name": value, "mobile": "13800138000"}
    (ws / "roster.yaml").write_text(roster_yaml([contact], "en"), encoding="utf-8")
    db = sqlite3.connect(ws / "planner315.db")
    guard = db.execute("SELECT sql FROM sqlite_master WHERE name = 'history_no_update'"
                       ).fetchone()[0]
    db.execute("DROP TRIGGER history_no_update")
    db.execute("UPDATE complaints SET summary = ?, buyer = ?, assignee = ?", (value,) * 3)
    db.execute("UPDATE items SET note = ?, by = ?", (value, value))
    db.execute("UPDATE history SET note = ?, by = ?", (value, value))
    db.execute(guard)
    db.commit()
    db.close()
    return ws


def assert_harmless(output: str, command: tuple) -> None:
    """No control or bidi character in `output` but our own colour codes."""
    output = OUR_COLOURS.sub("", output)
    for char in RAW:
        assert char not in output, (command, repr(char))


# --- terminal escapes ----------------------------------------------------------------------

TEXT_COMMANDS = [
    ("complaint", "list"), ("complaint", "show", NUMBER), ("complaint", "find", "evil"),
    ("complaint", "report", "--year", "2026"), ("log",), ("roster",), ("plan",), ("status",),
    ("checklist",), ("next",), ("review",), ("playbook",),
    ("plan", "--format", "markdown"), ("checklist", "--format", "markdown"),
    ("review", "--format", "markdown"), ("complaint", "report", "--format", "markdown"),
]


def test_escapes_from_data_are_shown_never_sent(run, tmp_path, env, monkeypatch):
    ws = damaged_workspace(tmp_path, run, HOSTILE)
    monkeypatch.chdir(ws)  # the playbook has no --workspace
    for command in TEXT_COMMANDS:
        result = run(*command, color=True)
        assert result.exit_code == 0, (command, result.output)
        assert_harmless(result.stdout + result.stderr, command)
    shown = {command: run(*command).stdout for command in (
        ("complaint", "show", NUMBER), ("log",), ("roster",), ("plan",), ("status",),
        ("checklist",), ("plan", "--format", "markdown"))}
    for command, output in shown.items():  # the reader sees what is there, escaped
        joined = "".join(output.split())  # however its column wraps it
        assert "\\x1b" in joined and "\\u202e" in joined, command
    assert SHOWN in shown["complaint", "show", NUMBER]
    assert "\\x1b" in run("complaint", "list").stdout  # wrapped beside other columns


def test_our_own_colours_survive(run, tmp_path, env, monkeypatch):
    ws = damaged_workspace(tmp_path, run, HOSTILE)
    monkeypatch.setenv("PLANNER315_NOW", "2026-03-20 10:00")  # the complaint is overdue
    result = run("complaint", "list", "--workspace", ws, color=True)
    assert "\x1b[31m" in result.stdout and "\x1b[0m" in result.stdout
    assert "\x1b]" not in result.stdout and "\x1b[2J" not in result.stdout


def test_notes_that_echo_user_text_escape_it(run, tmp_path, env):
    ws = damaged_workspace(tmp_path, run, HOSTILE)
    result = run("complaint", "assign", NUMBER, "--to", HOSTILE, "--workspace", ws)
    assert result.exit_code == 0, result.output
    assert_harmless(result.output, ("assign",))
    assert "\\x1b]0;owned" in result.output
    folder = tmp_path / f"new{HOSTILE}"  # a folder or file name is text from data too
    made = run("init", folder, "--size", "large")
    assert made.exit_code == 0 and "\\x1b]0;owned" in made.output
    assert_harmless(made.output, ("init",))
    shop = tmp_path / f"{HOSTILE}.yaml"
    shop.write_bytes((folder / "shop.yaml").read_bytes())
    planned = run("plan", "--shop", shop)
    assert planned.exit_code == 0, planned.output
    assert_harmless(planned.stdout + planned.stderr, ("plan", "--shop"))


def strings(data):
    """Every text in parsed JSON, keys and values."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


JSON_COMMANDS = [("complaint", "list"), ("complaint", "show", NUMBER), ("log",), ("roster",),
                 ("plan",), ("status",), ("checklist",)]


def test_json_escapes_c1_del_and_bidi_keeping_the_value(run, tmp_path, env):
    ws = damaged_workspace(tmp_path, run, HOSTILE)
    for command in JSON_COMMANDS:
        result = run(*command, "--format", "json", "--workspace", ws)
        assert result.exit_code == 0, (command, result.output)
        assert_harmless(result.stdout, command)
        assert any(HOSTILE in value for value in strings(json.loads(result.stdout))), command
    listed = json.loads(run("complaint", "list", "--format", "json", "--workspace", ws).stdout)
    assert listed[0]["summary"] == HOSTILE
    assert "\\u009b" in run("log", "--format", "json", "--workspace", ws).stdout


# --- one long value ------------------------------------------------------------------------

LONG_COMMANDS = [("complaint", "list"), ("log",), ("checklist",), ("roster",), ("plan",),
                 ("status",)]


@pytest.mark.parametrize("length", [20_000, 1_000_000])
def test_a_long_value_prints_cut_and_quickly(run, tmp_path, env, length):
    value = HOSTILE + ("长文本 long words " * length)[:length - len(HOSTILE)]
    ws = damaged_workspace(tmp_path, run, value)
    before = fingerprint(ws)
    for command in LONG_COMMANDS:
        outcome = run_cli(*command, "--workspace", ws, cwd=tmp_path, env=ENV)
        assert outcome.seconds < TABLE_SECONDS, (command, outcome.seconds)
        assert "Traceback" not in outcome.stderr
        if command == ("roster",) and outcome.code == 1:  # roster.yaml's own field limit
            [line] = outcome.message_lines
            assert "roster.yaml:" in line and "contacts[1].name" in line
            continue
        assert outcome.code == 0, (command, outcome.stderr)
        assert_harmless(outcome.stdout, command)
        assert "…" in outcome.stdout or command == ("status",), command  # it shows no note
        assert len(outcome.stdout) < 200_000, (command, len(outcome.stdout))
    assert fingerprint(ws) == before


def test_show_and_json_keep_the_whole_text(run, tmp_path, env):
    value = "开头 " + "x" * (3 * TABLE_CELL_CHARS) + " 结尾"
    ws = damaged_workspace(tmp_path, run, value)
    listed = run("complaint", "list", "--workspace", ws).stdout
    assert "结尾" not in listed and "…" in listed
    shown = run("complaint", "show", NUMBER, "--workspace", ws).stdout
    assert "结尾" in shown and "".join(shown.split()).count("x") >= 3 * TABLE_CELL_CHARS
    data = json.loads(run("complaint", "show", NUMBER, "--format", "json",
                          "--workspace", ws).stdout)
    assert data["summary"] == value


def test_a_card_shows_any_text_entry_takes_whole_and_a_damaged_one_quickly(run, tmp_path, env):
    ws = damaged_workspace(tmp_path, run, "投诉内容" * 250_000)  # every field a million long
    before = fingerprint(ws)
    outcome = run_cli("complaint", "show", NUMBER, "--workspace", ws, cwd=tmp_path, env=ENV)
    assert outcome.code == 0 and outcome.seconds < TABLE_SECONDS, outcome.seconds
    assert "…" in outcome.stdout and outcome.stdout.count("投诉内容") < 10 * CARD_CELL_CHARS
    assert fingerprint(ws) == before
    whole = "长" * MAX_TEXT_CHARS + "尾"
    db = sqlite3.connect(ws / "planner315.db")
    db.execute("UPDATE complaints SET summary = ?", (whole,))
    db.commit()
    db.close()
    shown = run("complaint", "show", NUMBER, "--workspace", ws).stdout
    assert "".join(shown.split()).count("长") == MAX_TEXT_CHARS and "尾" in shown


# --- file names ----------------------------------------------------------------------------

KINDS = ("roster", "notice", "checklist", "schedule", "complaints")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.integers(2000, 2100), st.sampled_from(KINDS))
def test_default_names_fit_any_file_system(shop, year, kind):
    name = default_name(kind, year, shop)
    assert len(name.encode("utf-8")) + TEMP_NAME_EXTRA <= NAME_BYTES
    assert name.startswith(f"315-{year}-") and name.endswith(f"-{kind}.xlsx")
    assert not any(char in BIDI_CONTROLS or ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F
                   for char in name), repr(name)
    name.encode("utf-8")  # never cut inside a character: no lone surrogate either


def test_export_with_a_long_four_byte_name(run, tmp_path, env):
    shop = "𠀀" * MAX_NAME_CHARS  # 4 bytes each in UTF-8
    assert run("init", tmp_path / "ws", "--size", "large", "--shop-name", shop).exit_code == 0
    outcome = run_cli("export", "checklist", "--workspace", tmp_path / "ws", cwd=tmp_path,
                      env=ENV)
    assert outcome.code == 0, outcome.stderr
    [written] = tmp_path.glob("315-*.xlsx")
    assert written.name.startswith("315-2026-𠀀") and len(written.name.encode()) <= NAME_BYTES


def test_bidi_override_never_reaches_a_file_name(run, tmp_path, env):
    ws = damaged_workspace(tmp_path, run, "x", shop_name="\u202egnp.exe\x1b")
    result = run("export", "checklist", "--workspace", ws)
    assert result.exit_code == 0, result.output
    [written] = tmp_path.glob("315-*.xlsx")
    assert written.name == "315-2026-gnp.exe-checklist.xlsx"


@pytest.mark.parametrize("name, position", [
    ("示例\x7f旗舰店", 3), ("shop\x85", 5), ("\u202egnp.exe", 1), ("a\tb", 2),
    ("x\x1b]0;t\x07", 2), ("new\nline", 4), ("a\u2066b", 2), ("bad\udcff", 4),
])
def test_init_refuses_a_name_no_command_could_show(run, tmp_path, name, position):
    result = run("init", tmp_path / "ws", "--shop-name", name, "--lang", "en")
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert f"--shop-name: character {position} of the shop name" in line
    assert not (tmp_path / "ws" / "shop.yaml").exists()


def test_init_refuses_a_name_too_long(run, tmp_path):
    result = run("init", tmp_path / "ws", "--shop-name", "店" * (MAX_NAME_CHARS + 1),
                 "--lang", "zh")
    assert result.exit_code == 1 and "最多 200 个" in result.output
    assert run("init", tmp_path / "ws", "--shop-name", "店" * MAX_NAME_CHARS).exit_code == 0


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.one_of(st.characters(), st.sampled_from(
    [*BIDI_CONTROLS, "\x7f", "\x85", "\x9b", "\u2028", "\ufeff", "\ufffe", "\U0010ffff", "𠀀"])),
    max_size=60))
def test_whatever_init_accepts_every_command_reads_back(name):
    from click.testing import CliRunner

    from planner.cli import main

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as root:
        ws = Path(root) / "ws"
        made = runner.invoke(main, ["init", str(ws), "--shop-name", name, "--size", "large"])
        if made.exit_code != 0:
            assert made.exit_code == 1 and len(made.output.splitlines()) == 1, made.output
            return
        plan = runner.invoke(main, ["plan", "--format", "json", "--workspace", str(ws)])
        assert plan.exit_code == 0, plan.output
        assert json.loads(plan.stdout)["shop"] == (name.strip() or "My Shop")
        status = runner.invoke(main, ["status", "--workspace", str(ws)])
        assert status.exit_code == 0, status.output


# --- leftovers -----------------------------------------------------------------------------

def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_next_export_removes_only_stale_temporaries_of_ours(run, tmp_path, env):
    ws = damaged_workspace(tmp_path, run, "x", shop_name="小店")
    target = "315-2026-小店-checklist.xlsx"
    stale = tmp_path / f".{target}.k3x_9q2z.tmp"
    fresh = tmp_path / f".{target}.z9y8x7w6.tmp"  # left a moment ago by a killed export
    live = tmp_path / f".{target}.abcd1234.tmp"  # an export under way holds its lock
    others = [tmp_path / f".{target}.abc.tmp", tmp_path / f".{target}.ABCD1234.tmp",
              tmp_path / ".315-2026-小店-roster.xlsx.abcd1234.tmp", tmp_path / "notes.tmp",
              tmp_path / f"{target}.abcd1234.tmp"]
    for path in [stale, fresh, live, *others]:
        path.write_bytes(b"PK")
        _age(path, 2 * STALE_SECONDS)
    _age(fresh, 1)
    _age(live, 1)
    holder = os.open(live, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    folder = tmp_path / f".{target}.zzzz9999.tmp"  # a folder of that name is not ours
    folder.mkdir()
    _age(folder, 2 * STALE_SECONDS)
    try:
        assert run("export", "checklist", "--workspace", ws).exit_code == 0
    finally:
        os.close(holder)
    assert not stale.exists() and not fresh.exists()
    assert live.exists() and folder.exists() and all(path.exists() for path in others)


def _big_workspace(root: Path, run, complaints: int) -> Path:
    """A workspace whose register takes a while to export (its one complaint copied)."""
    ws = damaged_workspace(root, run, "a fairly ordinary summary of a complaint " * 3,
                           shop_name="big")
    db = sqlite3.connect(ws / "planner315.db")
    db.row_factory = sqlite3.Row
    row = dict(db.execute("SELECT * FROM complaints").fetchone())
    copies = ({**row, "number": f"TS-2026-{seq:05d}", "seq": seq}
              for seq in range(2, complaints + 1))
    db.executemany(f"INSERT INTO complaints ({', '.join(row)}) VALUES "
                   f"({', '.join(':' + column for column in row)})", copies)
    db.commit()
    db.close()
    return ws


def _ours(folder: Path) -> list[Path]:
    return sorted(folder.glob(".315-*.xlsx.*.tmp"))


@pytest.mark.slow
def test_killed_exports_leave_nothing_behind_the_next_one(run, tmp_path, env):
    ws = _big_workspace(tmp_path, run, 5_000)  # about 2 s to export, the archive's last 0.1 s
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("PLANNER315_")},
                   **ENV}
    killed = 0
    for _ in range(10):  # until three kills landed while the workbook was being written
        process = subprocess.Popen([sys.executable, "-m", "planner", "export", "complaints",
                                    "--workspace", str(ws), "--force"], cwd=tmp_path,
                                   env=environment, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        earlier = set(_ours(tmp_path))
        mine: set[Path] = set()
        while not mine and process.poll() is None:
            mine = set(_ours(tmp_path)) - earlier  # until its temporary workbook is there
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed += process.returncode == -signal.SIGKILL and bool(mine & set(_ours(tmp_path)))
        # what each export finds of the one killed before it, it removes: none pile up
        assert len(_ours(tmp_path)) <= 1, _ours(tmp_path)
        if killed == 3:
            break
    assert killed == 3 and len(_ours(tmp_path)) == 1, (killed, _ours(tmp_path))
    before = fingerprint(ws)
    outcome = run_cli("export", "complaints", "--workspace", ws, "--force", cwd=tmp_path,
                      env=ENV)
    assert outcome.code == 0, outcome.stderr
    assert _ours(tmp_path) == []
    assert fingerprint(ws) == before


FULL_DISK = '''
import errno
import zipfile

_init = zipfile.ZipFile.__init__


class _Full:
    """The archive's file on a disk that fills up after a few kilobytes."""

    def __init__(self, raw):
        self.raw, self.written = raw, 0

    def write(self, data):
        self.written += len(data)
        if self.written > 4096:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


def _on_a_full_disk(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.fp = _Full(self.fp)


zipfile.ZipFile.__init__ = _on_a_full_disk
'''


def test_a_full_disk_gives_one_clean_error(run, tmp_path, env):
    ws = damaged_workspace(tmp_path, run, "x", shop_name="小店")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FULL_DISK, encoding="utf-8")
    before = fingerprint(tmp_path)
    for kind in ("checklist", "complaints"):
        outcome = run_cli("export", kind, "--workspace", ws, cwd=tmp_path,
                          env={**ENV, "PYTHONPATH": str(hooks)})
        assert outcome.code == 1, outcome.stderr
        [line] = outcome.message_lines
        assert f"315-2026-小店-{kind}.xlsx: cannot write (No space left on device)" in line
        assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB
    assert fingerprint(tmp_path) == before  # no workbook, no temporary file
