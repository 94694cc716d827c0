"""Hostile input, lengths and years: every free-text field and name has a maximum enforced
at entry (the library's, whatever the caller), and no complaint is stored whose dates a later
command could not handle.

Each refusal exits 1 with one line naming the field, the limit and the length given, and
leaves every saved file as it was; a value at the limit is stored whole.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import openpyxl
import pytest
from hostile import TABLE_SECONDS, fingerprint, run_cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.core.cells import MAX_CELL_CHARS
from planner.core.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS
from planner.workspace.layout import DB_FILE

NOW = "2027-03-15 10:00"
TEXT, NAME = MAX_TEXT_CHARS, MAX_NAME_CHARS
# Mostly Chinese, without spaces (stored text is trimmed): limits count characters, not bytes.
PHRASE = "买家说cup杯子有裂纹。"


def long_text(length: int) -> str:
    return (PHRASE * (length // len(PHRASE) + 1))[:length]


@pytest.fixture
def ws(tmp_path, run, monkeypatch):
    assert run("init", "ws", "--size", "large", "--lang", "en").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.setenv("PLANNER315_NOW", NOW)
    monkeypatch.setenv("PLANNER315_USER", "li")
    return tmp_path / "ws"


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def as_json(result):
    return json.loads(ok(result).stdout)


def add(run, *args):
    data = as_json(run("complaint", "add", "--format", "json", "-c", "quality", "-s", "x",
                       "--received", "2027-03-15 09:00", *args))
    return data["complaint"]["number"]


def show(run, number):
    return as_json(run("complaint", "show", number, "--format", "json"))


def error_lines(result):
    return [line for line in result.output.splitlines() if line.strip()]


def assert_refused(run, ws, args, field, limit, length):
    """`args` with an over-long value: exit 1, one line naming the field, the limit and the
    length, and no saved file changed."""
    before = fingerprint(ws)
    result = run(*args)
    assert result.exit_code == 1, result.output
    lines = error_lines(result)
    assert len(lines) == 1, result.output
    assert field in lines[0] and f"{limit:,}" in lines[0] and f"{length:,}" in lines[0], lines
    assert "Traceback" not in result.output
    assert fingerprint(ws) == before


# --- every option that takes free text or a name -------------------------------------------

# (command before the value, the option, its limit); {n} is an existing complaint.
COMPLAINT_OPTIONS = [
    (["complaint", "add", "-c", "quality"], "--summary", TEXT),
    *[(["complaint", "add", "-c", "quality", "-s", "x"], option, NAME)
      for option in ("--order", "--buyer", "--product", "--issue", "--channel", "--assign",
                     "--by")],
    *[(["complaint", "edit", "{n}"], option, NAME)
      for option in ("--order", "--buyer", "--product", "--issue", "--channel")],
    (["complaint", "edit", "{n}", "--vip"], "--by", NAME),
    (["complaint", "edit", "{n}"], "--summary", TEXT),
    (["complaint", "edit", "{n}", "--vip"], "--note", TEXT),
    (["complaint", "void", "{n}"], "--reason", TEXT),
    (["complaint", "void", "{n}", "--reason", "twice"], "--by", NAME),
    (["complaint", "assign", "{n}"], "--to", NAME),
    (["complaint", "assign", "{n}", "--to", "wang"], "--note", TEXT),
    (["complaint", "update", "{n}", "--status", "in-progress"], "--note", TEXT),
    (["complaint", "update", "{n}", "--status", "in-progress"], "--by", NAME),
    (["complaint", "reply", "{n}"], "--note", TEXT),
    (["complaint", "reply", "{n}"], "--by", NAME),
    (["complaint", "propose", "{n}"], "--solution", TEXT),
    (["complaint", "propose", "{n}", "--solution", "refund"], "--note", TEXT),
    (["complaint", "approve", "{n}"], "--note", TEXT),
    (["complaint", "approve", "{n}"], "--by", NAME),
    (["complaint", "callback", "{n}", "--satisfied", "yes"], "--note", TEXT),
    (["complaint", "callback", "{n}", "--satisfied", "yes"], "--by", NAME),
]
ITEM = "prepare.copy.ad-law"
CHECKOFF_OPTIONS = [
    (["check", ITEM], "--note", TEXT),
    (["check", ITEM], "--by", NAME),
    (["uncheck", ITEM], "--note", TEXT),
    (["skip", ITEM], "--reason", TEXT),
    (["undo"], "--by", NAME),
]


@pytest.mark.parametrize("args, option, limit", COMPLAINT_OPTIONS + CHECKOFF_OPTIONS,
                         ids=lambda value: value if isinstance(value, str) else None)
def test_an_over_long_value_is_refused_and_writes_nothing(run, ws, args, option, limit):
    number = add(run)
    ok(run("check", ITEM))  # so that uncheck and undo would change something
    args = [arg.format(n=number) for arg in args]
    assert_refused(run, ws, [*args, option, long_text(limit + 1)], option, limit, limit + 1)


@pytest.mark.parametrize("lang, words", [("en", "more than the 200 allowed"),
                                         ("zh", "超出上限 200 个")])
def test_the_refusal_in_either_language(run, ws, lang, words):
    result = run("--lang", lang, "complaint", "add", "-c", "quality", "-s", "x", "--buyer",
                 "王" * 250)
    assert result.exit_code == 1 and words in result.output and "250" in result.output


def test_a_huge_value_is_refused_quickly_on_one_line(ws):
    """In its own process: one line on stderr, no traceback, the value not echoed, bounded
    time and memory, nothing written (not even a new database)."""
    huge = "投诉" * 20_000  # the 40,000 characters (120 KB: one argument holds 128)
    before = fingerprint(ws)
    for args in (["complaint", "add", "-c", "quality", "-s", huge],
                 ["check", ITEM, "--note", huge]):
        outcome = run_cli(*args, cwd=ws, env={"PLANNER315_NOW": NOW})
        assert outcome.code == 1, outcome.stderr
        assert len(outcome.message_lines) == 1 and "Traceback" not in outcome.stderr
        assert "40,000" in outcome.stderr and len(outcome.stderr) < 200
        assert outcome.seconds < TABLE_SECONDS and outcome.peak_mb < 100
    assert fingerprint(ws) == before and not (ws / DB_FILE).exists()


def test_an_over_long_note_in_an_imported_checklist_is_refused(run, ws):
    path = ws / "checklist.xlsx"
    ok(run("export", "checklist", "-o", path))
    for cells, field, limit in (({"Note": long_text(TEXT + 1)}, "note", TEXT),
                                ({"Note": "ok", "By": "x" * (NAME + 1)}, "by", NAME)):
        row = _fill_in(path, ITEM, {"Status": "done", **cells})
        assert_refused(run, ws, ["import", "checklist", path], field, limit, limit + 1)
        assert f"{path.name}:{row}: {field}:" in run("import", "checklist", path).output
    assert_refused(run, ws, ["import", "checklist", path, "--by", "x" * (NAME + 1)], "--by",
                   NAME, NAME + 1)


def test_a_long_note_left_unedited_in_a_checklist_does_not_block_its_import(run, ws):
    """A note saved before the limits comes back in the workbook; the row is not edited,
    so it is not checked, and the rows that were are applied."""
    ok(run("check", ITEM, "--note", "short"))
    with closing(sqlite3.connect(ws / DB_FILE)) as db, db:
        db.execute("UPDATE items SET note = ?", (long_text(TEXT * 2),))
    path = ws / "checklist.xlsx"
    ok(run("export", "checklist", "-o", path))
    _fill_in(path, "prepare.promo.rules", {"Status": "done", "Note": "checked"})
    ok(run("import", "checklist", path))
    items = {item["id"]: item for item in as_json(run("status", "--format",
                                                       "json"))["items"]}
    assert items["prepare.promo.rules"]["note"] == "checked"


def _fill_in(path: Path, item: str, cells: dict[str, str]) -> int:
    """Type `cells` (header -> value) into `item`'s row as a person would; its row number."""
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    header = next(row for row in sheet.iter_rows(max_row=10)
                  if any(cell.value == "ID" for cell in row))
    columns = {cell.value: cell.column for cell in header}
    row = next(cells_[0].row for cells_ in sheet.iter_rows(min_row=header[0].row + 1)
               if cells_[columns["ID"] - 1].value == item)
    for name, value in cells.items():
        sheet.cell(row=row, column=columns[name], value=value)
    wb.save(path)
    return row


# --- at the limit: stored whole ---------------------------------------------------------------

def test_values_at_the_limit_are_stored_whole(run, ws):
    summary, name = long_text(TEXT), long_text(NAME)
    first = add(run, "--order", name, "--buyer", name, "--product", name, "--channel", name,
                "--issue", name, "--assign", name, "--by", name)
    number = add(run, "--by", name)
    ok(run("complaint", "edit", number, "--summary", summary, "--note", summary))
    ok(run("complaint", "propose", number, "--solution", summary))
    ok(run("complaint", "approve", number, "--by", name))
    ok(run("complaint", "reply", number, "--note", summary))
    ok(run("complaint", "callback", number, "--satisfied", "no", "--note", summary))
    data = show(run, number)
    assert data["summary"] == data["solution"] == data["callback"]["note"] == summary
    assert data["taker"] == data["approved_by"] == name
    assert all(entry["note"] == summary for entry in data["history"] if entry["note"])
    named = show(run, first)
    assert {named[key] for key in ("order", "buyer", "product", "channel", "issue",
                                   "assignee", "taker")} == {name}
    ok(run("complaint", "void", first, "--reason", summary))
    assert show(run, first)["void_reason"] == summary
    ok(run("check", ITEM, "--note", summary, "--by", name))
    entry = next(entry for entry in as_json(run("log", "--format", "json"))
                 if entry["subject"] == ITEM)
    assert (entry["note"], entry["by"], entry["new"]["note"]) == (summary, name, summary)
    ok(run("skip", "prepare.promo.rules", "--reason", summary))
    items = {item["id"]: item for item in as_json(run("status", "--format", "json"))["items"]}
    assert items["prepare.promo.rules"]["note"] == summary


# --- years: no stored record a later command cannot handle -----------------------------------

LATE_PHASES = """
phases:
  aftermath: {start: 03-21, end: 12-31}
"""  # a campaign that runs to the year's end: a receipt late in 2100 is of campaign 2100
EARLIEST, LATEST = dt.datetime(2000, 1, 1), dt.datetime(2100, 12, 31, 23, 59)
RECEIPTS = st.one_of(
    st.datetimes(min_value=EARLIEST, max_value=dt.datetime(2000, 1, 10)),
    st.datetimes(min_value=dt.datetime(2100, 12, 20), max_value=LATEST))


def _year_workspace(run, folder: Path) -> Path:
    ok(run("init", folder, "--size", "large", "--lang", "en"))
    with open(folder / "shop.yaml", "a", encoding="utf-8") as shop:
        shop.write(LATE_PHASES)
    return folder


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(received=RECEIPTS, urgent=st.booleans())
@example(received=dt.datetime(2100, 12, 31, 17, 30), urgent=False)  # due in 2101: refused
@example(received=dt.datetime(2100, 12, 31, 23, 0), urgent=True)  # 3 hours: refused too
@example(received=dt.datetime(2100, 12, 29, 10, 0), urgent=False)  # due 12-30: stored
@example(received=EARLIEST, urgent=False)
def test_a_receipt_near_the_ends_of_the_years_is_refused_or_works_everywhere(
        run, received, urgent):
    with tempfile.TemporaryDirectory() as scratch:
        folder = _year_workspace(run, Path(scratch) / "ws")
        now = min(received + dt.timedelta(minutes=1), LATEST)
        env = {"PLANNER315_NOW": f"{now:%Y-%m-%d %H:%M}", "PLANNER315_USER": "li"}
        workspace = ["--workspace", folder]
        # one complaint stored first, so that a refusal must leave a database unchanged
        first = EARLIEST if received.year == EARLIEST.year else dt.datetime(2100, 12, 20)
        ok(run("complaint", "add", "-c", "quality", "-s", "first", "-r",
               f"{first:%Y-%m-%d %H:%M}", *workspace, env=env))
        before = fingerprint(folder)
        args = ["complaint", "add", "-c", "quality", "-s", "x", "-r",
                f"{received:%Y-%m-%d %H:%M}", *workspace, "--format", "json"]
        result = run(*args, *(["--channel", "12315"] if urgent else []), env=env)
        if result.exit_code:
            assert result.exit_code == 1 and len(error_lines(result)) == 1, result.output
            assert "--received" in result.output and "Traceback" not in result.output
            assert fingerprint(folder) == before
            return
        deadline = json.loads(result.stdout)["complaint"]["deadline"]
        assert EARLIEST.year <= int(deadline[:4]) <= LATEST.year
        year = ["--year", str(received.year)]
        for command in (["complaint", "list", *year], ["complaint", "report", *year],
                        ["complaint", "show", f"TS-{received.year}-0002"],
                        ["export", "complaints", *year, "-o", folder / "register.xlsx",
                         "--force"]):
            ok(run(*command, *workspace, env=env))


def test_a_corrected_receipt_whose_deadline_leaves_the_years_changes_nothing(run, tmp_path):
    folder = _year_workspace(run, tmp_path / "late")
    env = {"PLANNER315_NOW": "2100-12-31 23:59", "PLANNER315_USER": "li"}
    number = json.loads(ok(run("complaint", "add", "-c", "quality", "-s", "x", "-r",
                               "2100-12-29 10:00", "--workspace", folder, "--format", "json",
                               env=env)).stdout)["complaint"]["number"]
    before = fingerprint(folder)
    result = run("complaint", "edit", number, "-r", "2100-12-31 17:30", "--workspace", folder,
                 env=env)
    assert result.exit_code == 1 and "--received" in result.output
    assert "2101-01-03 18:00" in result.output and "(2100)" in result.output
    assert fingerprint(folder) == before


@pytest.mark.parametrize("args, option", [
    (["complaint", "report", "--day", "1999-12-31"], "--day"),
    (["status", "--today", "2101-01-01"], "--today"),
    (["complaint", "list", "--received-since", "1999-12-31"], "--received-since"),
    (["complaint", "reply", "TS-2027-0001", "--at", "2101-01-01 09:00"], "--at"),
    (["check", ITEM, "--at", "1999-12-31 09:00"], "--at"),
])
def test_a_date_outside_the_years_is_refused_naming_its_option(run, ws, args, option):
    add(run)
    before = fingerprint(ws)
    result = run(*args)
    assert result.exit_code == 2 and option in result.output
    assert "2000-2100" in result.output and "Traceback" not in result.output
    assert fingerprint(ws) == before


# --- text stored before the limits ----------------------------------------------------------

def test_a_legacy_over_long_summary_still_exports_cut_to_a_cell(run, ws):
    number = add(run)
    summary, buyer = long_text(40_000), "b" * 33_000
    with closing(sqlite3.connect(ws / DB_FILE)) as db, db:
        db.execute("UPDATE complaints SET summary = ?, buyer = ? WHERE number = ?",
                   (summary, buyer, number))
    path = ws / "register.xlsx"
    ok(run("export", "complaints", "-o", path))
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    cells = {value for row in sheet.iter_rows(values_only=True) for value in row
             if isinstance(value, str) and len(value) > 1000}
    assert cells == {summary[:MAX_CELL_CHARS - 1] + "…", buyer[:MAX_CELL_CHARS - 1] + "…"}
    assert show(run, number)["summary"] == summary  # show and JSON keep the whole text


def test_an_imported_date_outside_the_years_is_refused(run, ws):
    path = ws / "checklist.xlsx"
    ok(run("export", "checklist", "-o", path))
    rows = [_fill_in(path, item, {"Status": "done", "Date": day})
            for item, day in ((ITEM, "0001-01-01"), ("prepare.promo.rules", "1999-12-31"))]
    before = fingerprint(ws)
    result = run("import", "checklist", path)
    assert result.exit_code == 1 and len(error_lines(result)) == 1, result.output
    assert ", ".join(map(str, sorted(rows))) in result.output and "2000-2100" in result.output
    assert fingerprint(ws) == before


def test_a_date_of_year_one_saved_by_an_earlier_release_breaks_nothing(run, ws):
    """Read back as Shanghai time without a conversion through UTC, which would overflow."""
    ok(run("check", ITEM))
    with closing(sqlite3.connect(ws / DB_FILE)) as db, db:
        db.execute("UPDATE items SET at = '0001-01-01T00:00:00+08:00'")
    items = {item["id"]: item for item in as_json(run("status", "--format", "json"))["items"]}
    assert items[ITEM]["at"] == "0001-01-01T00:00:00+08:00"
    for command in (["status"], ["plan"], ["review"], ["export", "checklist", "-o", "c.xlsx"]):
        ok(run(*command))


def test_a_refused_receipt_in_a_new_workspace_creates_no_database(run, tmp_path):
    folder = _year_workspace(run, tmp_path / "late")
    env = {"PLANNER315_NOW": "2100-12-31 23:59"}
    result = run("complaint", "add", "-c", "quality", "-s", "x", "-r", "2100-12-31 17:30",
                 "--workspace", folder, env=env)
    assert result.exit_code == 1 and len(error_lines(result)) == 1, result.output
    assert not (folder / DB_FILE).exists()


def test_a_deadline_after_2100_saved_by_an_earlier_release_breaks_nothing(run, ws):
    number = add(run)
    with closing(sqlite3.connect(ws / DB_FILE)) as db, db:
        db.execute("UPDATE complaints SET deadline = '2101-01-03T18:00:00+08:00'")
    assert as_json(run("complaint", "list", "--format", "json"))[0]["number"] == number
    for command in (["complaint", "list"], ["complaint", "report"], ["status"],
                    ["complaint", "show", number], ["export", "complaints", "-o", "r.xlsx"]):
        ok(run(*command))


@pytest.mark.parametrize("args, field", [
    (["complaint", "show", "TS-" + "9" * NAME], "NUMBER"),
    (["complaint", "update", "TS-" + "9" * NAME, "--status", "replied"], "NUMBER"),
    (["check", "prepare." + "x" * NAME], "ITEM"),
])
def test_an_over_long_id_is_refused_before_it_is_looked_up(run, ws, args, field):
    add(run)
    length = max(len(arg) for arg in args)
    assert_refused(run, ws, args, field, NAME, length)


def test_an_over_long_approver_is_refused_before_the_roster_names_it(run, ws):
    (ws / "roster.yaml").write_text(
        "contacts:\n- {department: 客服主管/经理, name: 陈主管, mobile: '13800138000'}\n",
        encoding="utf-8")
    number = add(run)
    ok(run("complaint", "propose", number, "--solution", "refund"))
    assert_refused(run, ws, ["complaint", "approve", number, "--by", "x" * 5000], "--by",
                   NAME, 5000)
