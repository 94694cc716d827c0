"""The PostgreSQL backend through the command line and the library: many shops in one
database, the shop id, passwords kept out of shop files, `db info`, `db copy`,
`status --all-shops`, faults, and 8 processes at once. Needs the test server
(tests/pgserver.py): skipped without one, failed in CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from pgserver import empty_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def url(monkeypatch):
    url = empty_database()
    monkeypatch.setenv("PLANNER315_DATABASE_URL", url)
    return url


def ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def make_shop(run, tmp_path, name, monkeypatch):
    folder = tmp_path / name
    ok(run("init", str(folder), "--size", "large", "--lang", "en", "--shop-name", name))
    monkeypatch.chdir(folder)
    return folder


def status_json(run):
    return json.loads(ok(run("status", "--format", "json", "--today", "2027-03-01")))


def test_two_shops_in_one_database_never_see_each_other(run, url, tmp_path, monkeypatch):
    first = make_shop(run, tmp_path, "North", monkeypatch)
    ok(run("check", "prepare.copy.ad-law"))
    ok(run("complaint", "add", "-c", "quality", "-s", "north only"))
    assert "shop_id: \"north\"" in (first / "shop.yaml").read_text(encoding="utf-8")
    make_shop(run, tmp_path, "South", monkeypatch)
    assert json.loads(ok(run("complaint", "list", "--format", "json"))) == []
    assert json.loads(ok(run("log", "--format", "json"))) == []
    ok(run("complaint", "add", "-c", "quality", "-s", "south only"))
    [south] = json.loads(ok(run("complaint", "list", "--format", "json")))
    assert south["summary"] == "south only" and south["number"].endswith("-0001")
    monkeypatch.chdir(first)
    [north] = json.loads(ok(run("complaint", "list", "--format", "json")))
    assert north["summary"] == "north only"
    shops = json.loads(ok(run("status", "--all-shops", "--format", "json")))["shops"]
    assert {shop["shop_id"]: shop["complaints"]["open"] for shop in shops} == {
        "north": 1, "south": 1}
    assert {shop["shop_id"]: shop["progress"]["done"] for shop in shops} == {
        "north": 1, "south": 0}


def test_a_new_workspace_never_joins_a_shop_by_its_name_alone(run, url, tmp_path, monkeypatch):
    first = make_shop(run, tmp_path / "a", "Same", monkeypatch)
    ok(run("check", "prepare.copy.ad-law"))
    second = make_shop(run, tmp_path / "b", "Same", monkeypatch)
    assert json.loads(ok(run("log", "--format", "json"))) == []  # a read sees nothing yet
    ok(run("complaint", "add", "-c", "quality", "-s", "second"))
    ids = [(folder / "shop.yaml").read_text(encoding="utf-8").rsplit("shop_id: ", 1)[1]
           for folder in (first, second)]
    assert ids[0].strip() == '"same"' and ids[1].startswith('"same-') and ids[0] != ids[1]
    assert json.loads(ok(run("log", "--format", "json")))[0]["action"] == "complaint-add"


def test_renaming_the_shop_keeps_its_id_and_state(run, url, tmp_path, monkeypatch):
    folder = make_shop(run, tmp_path, "Old name", monkeypatch)
    ok(run("check", "prepare.copy.ad-law"))
    shop = folder / "shop.yaml"
    shop.write_text(shop.read_text(encoding="utf-8").replace("Old name", "新名字"),
                    encoding="utf-8")
    assert "shop_id: \"old-name\"" in shop.read_text(encoding="utf-8")
    assert len(json.loads(ok(run("log", "--format", "json")))) == 1


def test_a_password_in_a_readable_shop_file_is_refused(run, tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    ok(run("init", str(folder), "--size", "small", "--lang", "en"))
    shop = folder / "shop.yaml"
    with shop.open("a", encoding="utf-8") as stream:
        stream.write("database: postgresql://cs:secret@db.example/shops\n")
    shop.chmod(0o644)
    monkeypatch.chdir(folder)
    result = run("status")
    assert result.exit_code == 1 and "password" in result.output
    assert "secret" not in result.output and "Traceback" not in result.output
    shop.chmod(0o600)  # readable by its owner only: allowed (the server is not reached here)
    assert "password" not in run("plan").output


def test_db_info_names_the_backend_never_the_password(run, url, tmp_path, monkeypatch):
    make_shop(run, tmp_path, "Info", monkeypatch)
    ok(run("check", "prepare.copy.ad-law"))
    info = json.loads(ok(run("db", "info", "--format", "json")))
    assert info["backend"] == "postgresql" and info["shop_id"] == "info"
    assert info["rows"]["history"] == 1 and info["schema_version"] >= 5
    monkeypatch.setenv("PLANNER315_DATABASE_URL", url.replace("postgres@", "postgres:pw@"))
    result = run("db", "info")
    assert "pw" not in result.output


def test_copy_there_and_back_keeps_everything(run, url, tmp_path, monkeypatch):
    import planner.storage.sql_store as sql_store

    monkeypatch.setattr(sql_store, "HISTORY_CHUNK", 2)  # every table over several pages
    monkeypatch.delenv("PLANNER315_DATABASE_URL")
    folder = make_shop(run, tmp_path, "Mover", monkeypatch)
    for item in ("prepare.copy.ad-law", "prepare.copy.claims-photos"):
        ok(run("check", item))
    ok(run("undo"))
    for summary in ("a", "b", "c"):
        ok(run("complaint", "add", "-c", "quality", "-s", summary))
    before = ok(run("log", "--format", "json", "--all"))
    ok(run("db", "copy", "--to", url))
    refused = run("db", "copy", "--to", url)
    assert refused.exit_code == 1 and "--replace" in refused.output
    ok(run("db", "copy", "--to", url, "--replace"))
    monkeypatch.setenv("PLANNER315_DATABASE_URL", url)
    assert ok(run("log", "--format", "json", "--all")) == before
    ok(run("complaint", "add", "-c", "quality", "-s", "d"))  # the counter came along
    numbers = [c["number"] for c in json.loads(ok(run("complaint", "list", "--format",
                                                       "json")))]
    assert len(set(numbers)) == 4 and max(numbers).endswith("-0004")
    monkeypatch.delenv("PLANNER315_DATABASE_URL")
    assert run("db", "copy", "--from", url).exit_code == 1  # the SQLite file holds state
    ok(run("db", "copy", "--from", url, "--replace"))
    assert len(json.loads(ok(run("complaint", "list", "--format", "json")))) == 4
    assert (folder / "planner315.db").exists()
    assert not [p for p in folder.rglob("*") if ".copy-" in p.name]  # nor its check record


@pytest.mark.parametrize(("change", "words"), [
    (lambda url: "postgresql://postgres@127.0.0.1:1/x", "cannot reach"),  # nothing listens
    (lambda url: url.rsplit("/", 1)[0] + "/no_such_db", "no such database"),
])
def test_connection_faults_are_one_line(run, url, tmp_path, monkeypatch, change, words):
    folder = make_shop(run, tmp_path, "Faulty", monkeypatch)
    before = (folder / "shop.yaml").read_bytes()
    monkeypatch.setenv("PLANNER315_DATABASE_URL", change(url))
    result = run("check", "prepare.copy.ad-law")
    assert result.exit_code == 1 and words in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert (folder / "shop.yaml").read_bytes() == before  # no shop_id given for nothing


def test_a_database_of_another_program_or_a_newer_release_is_left_alone(
        run, url, tmp_path, monkeypatch):
    import psycopg

    make_shop(run, tmp_path, "Careful", monkeypatch)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE TABLE public.someone_elses (x int)")
    try:
        result = run("check", "prepare.copy.ad-law")
        assert result.exit_code == 1 and "another program" in result.output
    finally:
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("DROP TABLE public.someone_elses")
    ok(run("check", "prepare.copy.ad-law"))
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("UPDATE planner315.shops SET version = version + 1")
    result = run("uncheck", "prepare.copy.ad-law")
    assert result.exit_code == 1 and "newer" in result.output


def test_a_shop_schema_has_the_sqlite_schema_s_tables_and_columns(url):
    """The PostgreSQL tables are written out whole, the SQLite ones are their migrations'
    sum: the two must hold the same columns, or a copy between them would lose some."""
    import psycopg

    from planner.storage import postgres
    from planner.storage.postgres_schema import ShopInfo, schema_name
    from planner.storage.sql_store import TABLES
    from planner.storage.sqlite import empty_store

    postgres.open_store(url, ShopInfo("columns", seen_at="x"), write=True).close()
    with empty_store() as sqlite_store, psycopg.connect(url) as db:
        for table in TABLES:
            ours = {row[1] for row in sqlite_store.db.execute(f"PRAGMA table_info({table})")}
            theirs = {row[0] for row in db.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = %s", (schema_name("columns"), table))}
            assert theirs == ours, table


def test_history_is_append_only_in_the_database(run, url, tmp_path, monkeypatch):
    import psycopg

    make_shop(run, tmp_path, "Ledger", monkeypatch)
    ok(run("check", "prepare.copy.ad-law"))
    from planner.storage.postgres_schema import schema_name

    with psycopg.connect(url, autocommit=True) as db:
        for statement in ("UPDATE {s}.history SET note = 'x'", "DELETE FROM {s}.history",
                          "TRUNCATE {s}.history"):
            with pytest.raises(psycopg.Error, match="append-only"):
                db.execute(statement.format(s=schema_name("ledger")))


def test_a_backend_killed_mid_checkoff_leaves_nothing_and_says_so(url, tmp_path, monkeypatch):
    """pg_terminate_backend between the items of one multi-item check-off."""
    import psycopg

    from planner.core.errors import PlannerError
    from planner.core.i18n import render_error
    from planner.storage import postgres
    from planner.workspace.session import Workspace

    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "shop.yaml").write_text("name: Killed\nsize: large\n", encoding="utf-8")
    ws = Workspace.open(workspace=str(folder))
    ws.change_items(["prepare.copy.ad-law"], "done", action="check")  # the schema exists
    items = [item for item in ws.plan().item_ids() if item.startswith("prepare.")][1:5]
    original = postgres.Connection.execute
    seen = []

    def execute(self, sql, params=()):
        if sql.startswith("INSERT INTO history"):
            seen.append(sql)
            if len(seen) == 2:
                pid = self.raw.info.backend_pid
                with psycopg.connect(url, autocommit=True) as killer:
                    killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return original(self, sql, params)

    monkeypatch.setattr(postgres.Connection, "execute", execute)
    with pytest.raises(PlannerError) as caught:
        Workspace.open(workspace=str(folder)).change_items(items, "done", action="check")
    assert caught.value.key == "error.pg-lost"
    assert "nothing" in render_error(caught.value, "en")
    monkeypatch.setattr(postgres.Connection, "execute", original)
    states = Workspace.open(workspace=str(folder)).item_states()
    assert set(states) == {("prepare.copy.ad-law", None)}


def _worker(args):
    folder, worker, operations = args
    from planner.complaints.triage import TriageFlags
    from planner.core.errors import PlannerError
    from planner.workspace.session import Workspace

    failures, mine = [], []
    for n in range(operations):
        ws = Workspace.open(workspace=folder, by=f"w{worker}")
        try:
            kind = n % 4
            if kind == 0:
                ws.change_items([ITEMS[(worker + n) % len(ITEMS)]], "done", action="check")
            elif kind == 1:
                ws.change_items([ITEMS[(worker + n - 1) % len(ITEMS)]], None,
                                action="uncheck")
            elif kind == 2:
                added = ws.desk.add(category="quality", summary=f"w{worker}-{n}",
                                    received=None, flags=TriageFlags())
                mine.append(added.complaint.record.number)
            elif mine:
                ws.desk.update([mine[-1]], "in-progress")
        except PlannerError as err:
            failures.append((worker, n, err.key, str(err.params)))
    return failures


ITEMS = ["prepare.copy.ad-law", "prepare.copy.claims-photos"]


@pytest.mark.slow
def test_eight_processes_lose_and_duplicate_nothing(url, tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "shop.yaml").write_text("name: Busy\nsize: large\nshop_id: busy\n",
                                      encoding="utf-8")
    env = {**os.environ, "PLANNER315_DATABASE_URL": url}
    script = (
        "import sys, json; sys.path.insert(0, 'tests')\n"
        "from test_postgres import _worker\n"
        "print(json.dumps(_worker((sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))))\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(folder), str(w), "200"],
                              env=env, cwd=os.path.dirname(os.path.dirname(__file__)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in range(8)]
    outcomes = [proc.communicate(timeout=600) for proc in procs]
    for proc, (_out, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0, err
    failures = [f for out, _ in outcomes for f in json.loads(out.strip().splitlines()[-1])]
    # a check of an item already done, or an uncheck of an open one, changes nothing: no
    # conflict is lost work, and every other command succeeded
    assert not failures, failures[:5]
    from planner.storage.contract import ComplaintFilter
    from planner.workspace.session import Workspace

    ws = Workspace.open(workspace=str(folder))
    with ws.store() as store:
        complaints = store.complaints.page(ComplaintFilter(include_void=True), None, 10**6)
        history = list(store.history())
    assert len(complaints) == 8 * 50
    assert len({c.number for c in complaints}) == 8 * 50
    assert sorted(c.seq for c in complaints) == list(range(1, 401))
    seqs = [entry.seq for entry in history]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    txns = [entry.txn for entry in history]
    assert txns == sorted(txns)  # one writer at a time: transactions in history order
    assert sum(entry.action == "complaint-add" for entry in history) == 400


def test_the_sqlite_path_never_imports_psycopg(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "shop.yaml").write_text("name: Local\nsize: small\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key != "PLANNER315_DATABASE_URL"}
    code = ("import sys\nfrom click.testing import CliRunner\nfrom planner.cli import main\n"
            "r = CliRunner().invoke(main, ['check', 'prepare.copy.ad-law', '-w', sys.argv[1]])\n"
            "assert r.exit_code == 0, r.output\n"
            "r = CliRunner().invoke(main, ['status', '-w', sys.argv[1]])\n"
            "assert r.exit_code == 0, r.output\n"
            "assert 'psycopg' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code, str(folder)], check=True, env=env)


def test_a_malformed_url_is_named_without_its_password():
    from planner.core.errors import PlannerError
    from planner.core.i18n import render_error
    from planner.storage import postgres

    with pytest.raises(PlannerError) as caught:
        postgres.connect("postgresql://cs:s3cret@[bad/db")
    message = render_error(caught.value, "en")
    assert caught.value.key == "error.pg-url" and "s3cret" not in message, message


@pytest.mark.parametrize(("said", "key"), [
    ('connection failed: FATAL:  password authentication failed for user "cs"', "error.pg-auth"),
    ("connection failed: fe_sendauth: no password supplied", "error.pg-auth"),
    ('connection failed: FATAL:  database "x" does not exist', "error.pg-no-database"),
    ("connection failed: Connection refused", "error.pg-unreachable"),
])
def test_each_refused_connection_says_why(monkeypatch, said, key):
    """A refused login cannot be staged on the test cluster (it trusts loopback): libpq's
    words are given here instead."""
    import psycopg

    from planner.core.errors import PlannerError
    from planner.storage import postgres

    def refuse(*args, **kwargs):
        raise psycopg.OperationalError(said)

    monkeypatch.setattr(psycopg, "connect", refuse)
    with pytest.raises(PlannerError) as caught:
        postgres.connect("postgresql://cs:secret@db.example/shops")
    assert caught.value.key == key
    assert "secret" not in str(caught.value.params)


def test_shops_made_at_the_same_moment_in_an_empty_database_all_succeed(url):
    """Eight first writes at once, each of another shop: one makes the registry, the others
    wait for it, none mistakes it for another program's tables."""
    from concurrent.futures import ThreadPoolExecutor

    from planner.storage import postgres
    from planner.storage.postgres_schema import ShopInfo

    def first_write(n: int) -> int:
        with postgres.open_store(url, ShopInfo(f"race-{n}", seen_at="x"), write=True) as store:
            return store.row_counts()["history"]

    for _ in range(5):
        empty_database()
        with ThreadPoolExecutor(8) as pool:
            assert list(pool.map(first_write, range(8))) == [0] * 8
    assert len(postgres.list_shops(url)) == 8


def test_what_is_no_postgresql_url_is_refused_naming_where_it_came_from(
        run, tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    ok(run("init", str(folder), "--size", "small", "--lang", "zh"))
    monkeypatch.chdir(folder)
    result = run("db", "copy", "--to", "mysql://db/shops")
    assert result.exit_code == 1 and "--to" in result.output and "postgresql://" in result.output
    monkeypatch.setenv("PLANNER315_DATABASE_URL", "shops")
    result = run("check", "prepare.copy.ad-law")
    assert result.exit_code == 1 and "PLANNER315_DATABASE_URL" in result.output
    assert "Traceback" not in result.output
    result = run("db", "--lang", "zh", "copy")  # neither --to nor --from: a usage error
    assert result.exit_code == 2 and "--to URL" in result.output and "用法" in result.output
