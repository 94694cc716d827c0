"""The state database keeps everything: concurrent writers, kills mid-write, foreign files."""

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planner.core.clock import parse_datetime
from planner.core.errors import PlannerError
from planner.storage.contract import Change, ItemState
from planner.storage.sqlite import open_store
from planner.storage.sqlite_schema import SCHEMA_VERSION
from planner.workspace.layout import DB_FILE

Y = 2027  # the campaign year the tests write in
AT = parse_datetime("2027-03-01 10:00")


def state(status="done", by="a"):
    return ItemState(status, by, AT, None)


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "shop.yaml").write_text("size: large\nlang: en\n", encoding="utf-8")
    return tmp_path


def test_creates_schema_and_marks_file_as_ours(ws):
    with open_store(ws / DB_FILE, write=True):
        pass
    assert not (ws / DB_FILE).exists()  # nothing written, nothing created
    with open_store(ws / DB_FILE, write=True) as store:
        store.apply(year=Y,
                changes=[Change("x", "check", None, state())], by="a", recorded_at=AT)
    db = sqlite3.connect(ws / DB_FILE)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == 0x33313550


def test_history_is_append_only(ws):
    with open_store(ws / DB_FILE, write=True) as store:
        store.apply(year=Y,
                changes=[Change("x", "check", None, state())], by="a", recorded_at=AT)
        for statement in ("UPDATE history SET by = 'z'", "DELETE FROM history"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                store.db.execute(statement)
        assert [e.by for e in store.history()] == ["a"]


def test_failed_change_writes_nothing(ws):
    with open_store(ws / DB_FILE, write=True) as store:
        store.apply(year=Y,
                changes=[Change("x", "check", None, state())], by="a", recorded_at=AT)
        stale = [Change("y", "check", None, state()), Change("x", "check", None, state())]
        with pytest.raises(PlannerError):
            store.apply(year=Y,
                changes=stale, by="b", recorded_at=AT)
        assert set(store.item_states(Y)) == {("x", None)}
        assert len(list(store.history())) == 1


WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from planner.campaign.checkoff import set_status
    from planner.core.clock import now
    from planner.storage.sqlite import open_store

    workspace, who = Path(sys.argv[1]), sys.argv[2]
    items, rounds = sys.argv[3].split(","), int(sys.argv[4])
    for n in range(rounds):
        item = items[n % len(items)]
        status = "done" if (n // len(items)) % 2 == 0 else None
        with open_store(workspace / "planner315.db", write=True) as store:  # one per command
            [outcome] = set_status(store, 2027, [(item, None)], status, by=who, at=now(),
                                   recorded_at=now(),
                                   action="check" if status else "uncheck")
            assert outcome.changed
    print("ok")
""")


def test_two_processes_200_operations_each(ws):
    items = {"p1": ["prepare.copy.ad-law", "prepare.plan.kickoff", "prepare.promo.rules"],
             "p2": ["battle.cs.conduct", "battle.cs.escalate"]}
    rounds = 200
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(ws), who, ",".join(ids),
                               str(rounds)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for who, ids in items.items()]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    with open_store(ws / DB_FILE) as store:
        entries = list(store.history())
        states = store.item_states(Y)
    assert len(entries) == 2 * rounds
    for who, ids in items.items():
        mine = [e for e in entries if e.by == who]
        assert len(mine) == rounds
        # each process's entries are in its own order: item n % k, alternating check/uncheck
        for n, entry in enumerate(mine):
            assert entry.subject == ids[n % len(ids)]
            assert entry.action == ("check" if (n // len(ids)) % 2 == 0 else "uncheck")
        for item in ids:
            touches = [e for e in mine if e.subject == item]
            final = touches[-1].new
            assert (states[(item, None)].status if (item, None) in states else None) == (
                final["status"] if final else None)
    assert len({e.seq for e in entries}) == len(entries)


KILLED = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from planner.core.clock import parse_datetime
    from planner.storage.contract import Change, ItemState
    from planner.storage.sqlite import Store, open_store

    original = Store.item_state
    calls = {"n": 0}

    def slow_item_state(self, year, item_id, day=None):
        calls["n"] += 1
        if calls["n"] == 50:  # half-way through the transaction: rows already written
            print("mid", flush=True)
            time.sleep(60)
        return original(self, year, item_id, day)

    Store.item_state = slow_item_state
    store = open_store(Path(sys.argv[1]) / "planner315.db", write=True)
    at = parse_datetime("2027-03-01 10:00")
    new = ItemState("done", "k", at, None)
    store.apply([Change(f"item-{n}", "check", None, new) for n in range(100)], year=2027,
                by="k", recorded_at=at)
    print("committed", flush=True)
""")


def test_sigkill_mid_write_leaves_all_or_nothing(ws):
    with open_store(ws / DB_FILE, write=True) as store:
        store.apply(year=Y,
                changes=[Change("before", "check", None, state())], by="a", recorded_at=AT)
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(ws)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "mid"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    db = sqlite3.connect(ws / DB_FILE)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with open_store(ws / DB_FILE, write=True) as store:
        assert set(store.item_states(Y)) == {("before", None)}
        assert [e.subject for e in store.history()] == ["before"]
        # and the database still takes writes
        store.apply(year=Y,
                changes=[Change("after", "check", None, state())], by="a", recorded_at=AT)
        assert set(store.item_states(Y)) == {("before", None), ("after", None)}


def _foreign_db(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE orders (id INTEGER)")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"this is not a database at all" * 100),
         "not a valid planner315 database"),
        (_foreign_db, "belongs to another program"),
    ],
)
def test_foreign_or_corrupt_files_are_never_touched(ws, run, monkeypatch, make, message):
    path = ws / DB_FILE
    make(path)
    before = path.read_bytes()
    monkeypatch.chdir(ws)
    for args in (["check", "prepare.copy.ad-law"], ["status"], ["log"]):
        result = run(*args, "--lang", "en")
        assert result.exit_code == 1, result.output
        assert message in result.output and DB_FILE in result.output
        assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_newer_schema_is_refused(ws, run, monkeypatch):
    with open_store(ws / DB_FILE, write=True) as store:
        store.apply(year=Y,
                changes=[Change("x", "check", None, state())], by="a", recorded_at=AT)
    db = sqlite3.connect(ws / DB_FILE)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    before = (ws / DB_FILE).read_bytes()
    monkeypatch.chdir(ws)
    result = run("check", "prepare.copy.ad-law", "--lang", "en")
    assert result.exit_code == 1 and "newer than" in result.output and "upgrade" in result.output
    assert (ws / DB_FILE).read_bytes() == before


@pytest.fixture
def read_only(tmp_path):
    """Make a folder read-only for the CLI: chmod for ordinary users; root ignores
    permissions, so for root the folder is a tmpfs that is remounted read-only."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                          capture_output=True).returncode != 0:
            pytest.skip("running as root without permission to mount a read-only folder")
        mounted = True

    def lock():
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            for path in folder.iterdir():
                path.chmod(0o444)
            folder.chmod(0o555)

    yield folder, lock
    if mounted:
        subprocess.run(["umount", str(folder)], check=True)
    else:
        folder.chmod(0o755)


def test_read_only_workspace(read_only, tmp_path):
    """Reads work and writes fail clearly when the workspace cannot be written."""
    ws, lock = read_only
    (ws / "shop.yaml").write_text("size: large\n", encoding="utf-8")
    env = {**os.environ, "PLANNER315_WORKSPACE": str(ws), "PLANNER315_LANG": "en"}
    cli = [sys.executable, "-m", "planner"]
    subprocess.run([*cli, "check", "prepare.copy.ad-law"], env=env, check=True,
                   capture_output=True)
    lock()
    read = subprocess.run([*cli, "status", "--format", "json"], env=env, capture_output=True,
                          text=True)
    assert read.returncode == 0, read.stderr
    assert '"status": "done"' in read.stdout
    write = subprocess.run([*cli, "check", "prepare.plan.kickoff"], env=env,
                           capture_output=True, text=True)
    assert write.returncode == 1, write.stderr
    assert "read-only" in write.stderr and "Traceback" not in write.stderr


def test_failed_commands_leave_no_database(ws, run, monkeypatch):
    monkeypatch.chdir(ws)
    for args in (["undo"], ["check", "nope"], ["skip", "prepare.copy.ad-law", "-r", " "],
                 ["complaint", "update", "TS-2027-0001", "--status", "replied"],
                 ["complaint", "callback", "TS-2027-0001", "--satisfied", "yes"],
                 ["complaint", "add", "-c", "quality", "-s", "x", "--received",
                  "2099-01-01 10:00"]):
        assert run(*args).exit_code == 1, args
        assert not (ws / DB_FILE).exists(), args


def test_an_empty_database_file_reads_as_empty_and_is_initialised_on_write(ws, run,
                                                                         monkeypatch):
    monkeypatch.chdir(ws)
    (ws / DB_FILE).write_bytes(b"")
    assert run("status", "--format", "json").exit_code == 0
    assert run("check", "prepare.copy.ad-law").exit_code == 0
    assert run("log", "--format", "json").output.count('"check"') == 1


ADDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from planner.core.clock import parse_datetime
    from planner.complaints.register import add_complaint
    from planner.storage.sqlite import open_store
    from planner.workspace.session import Workspace

    workspace, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    rules = Workspace.open(workspace=str(workspace)).complaint_rules
    moment = parse_datetime("2026-03-16 10:00")
    for n in range(count):
        with open_store(workspace / "planner315.db", write=True) as store:  # one per command
            add_complaint(store, rules, category="quality", summary=f"{who} {n}",
                          received=moment, now=moment, by=who, product=f"{who}-{n}")
    print("ok")
""")


def test_two_processes_adding_complaints_get_distinct_numbers(ws):
    count = 60
    procs = [subprocess.Popen([sys.executable, "-c", ADDER, str(ws), who, str(count)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who in ("a", "b")]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    from planner.complaints.register import list_complaints

    with open_store(ws / DB_FILE) as store:
        numbers = [c.record.number
                   for c in list_complaints(store, parse_datetime("2026-03-17 10:00"))]
        adds = [e for e in store.history() if e.action == "complaint-add"]
    assert sorted(numbers) == [f"TS-2026-{n:04d}" for n in range(1, 2 * count + 1)]
    assert len(adds) == 2 * count


SAME_ITEM = textwrap.dedent("""
    import sys
    from pathlib import Path
    from planner.campaign.checkoff import set_status
    from planner.core.clock import now
    from planner.storage.sqlite import open_store

    workspace, who, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    changed = 0
    for n in range(rounds):
        status = "done" if n % 2 == 0 else None
        with open_store(workspace / "planner315.db", write=True) as store:
            [outcome] = set_status(store, 2027, [("prepare.copy.ad-law", None)], status,
                                   by=who, at=now(),
                                   recorded_at=now(), action="check" if status else "uncheck")
        changed += outcome.changed
    print(changed)
""")


def test_two_processes_ticking_the_same_item_both_succeed(ws):
    procs = [subprocess.Popen([sys.executable, "-c", SAME_ITEM, str(ws), who, "150"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who in ("a", "b")]
    changed = 0
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err  # never a conflict error
        changed += int(out)
    with open_store(ws / DB_FILE) as store:
        entries = list(store.history())
    assert len(entries) == changed  # exactly the changes each process reported
    for before, after in itertools.pairwise(entries):
        assert after.old == before.new  # an unbroken chain of states
