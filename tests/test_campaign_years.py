"""Campaign years and daily duties, through the CLI: every year starts clean and stays
readable; a daily duty is checked off day by day; state of an earlier release is migrated."""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import old_database, v3_complaint

from planner.workspace.layout import DB_FILE

DAILY = "battle.cs.response-time"


@pytest.fixture
def ws(tmp_path, shop_file, monkeypatch):
    shop_file("name: 示例店\nsize: large\n")
    monkeypatch.setenv("PLANNER315_USER", "张敏")
    return tmp_path


def at(monkeypatch, moment):
    monkeypatch.setenv("PLANNER315_NOW", moment)


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def item(data, item_id):
    return next(i for i in data["items"] if i["id"] == item_id)


def test_a_new_year_starts_clean_and_the_old_one_stays_readable(run, ws, monkeypatch):
    at(monkeypatch, "2027-03-01 10:00")
    assert run("check", "prepare.copy.ad-law").exit_code == 0
    assert run("complaint", "add", "-c", "quality", "-s", "破损").exit_code == 0
    at(monkeypatch, "2027-05-01 10:00")  # after the aftermath: the default is now 2028
    status = as_json(run("status", "--format", "json"))
    assert status["year"] == 2028
    assert item(status, "prepare.copy.ad-law")["status"] == "open"
    assert status["complaints"]["open"] == {}
    old = as_json(run("status", "--year", "2027", "--format", "json"))
    assert item(old, "prepare.copy.ad-law")["status"] == "done"
    assert old["complaints"]["open"] == {"I": 1}
    assert [e["subject"] for e in as_json(run("log", "--year", "2027", "--format", "json"))] \
        == ["prepare.copy.ad-law", "complaint:TS-2027-0001"]
    assert as_json(run("log", "--format", "json")) == []
    empty = run("log", "--lang", "en")
    assert "Nothing has been recorded for the 2028 campaign yet." in empty.output
    # 2028's own check-off does not touch 2027's
    assert run("check", "prepare.copy.ad-law").exit_code == 0
    assert len(as_json(run("log", "--year", "2027", "--format", "json"))) == 2
    plan = as_json(run("plan", "--year", "2027", "--format", "json"))
    assert plan["phases"][0]["items"][1]["status"] in ("open", "done")


def test_undo_reverts_the_last_change_of_the_chosen_year(run, ws, monkeypatch):
    at(monkeypatch, "2027-03-01 10:00")
    run("check", "prepare.copy.ad-law")
    at(monkeypatch, "2027-05-01 10:00")
    run("check", "prepare.plan.kickoff")
    assert "prepare.copy.ad-law" in run("undo", "--year", "2027", "--lang", "en").output
    assert item(as_json(run("status", "--format", "json")), "prepare.plan.kickoff")[
        "status"] == "done"
    assert run("undo", "--year", "2027").exit_code == 1  # nothing left in 2027


def test_a_complaint_between_campaigns_counts_for_the_next_one(run, ws, monkeypatch):
    at(monkeypatch, "2027-12-01 10:00")
    added = as_json(run("complaint", "add", "-c", "quality", "-s", "x", "--format", "json"))
    complaint = added["complaint"]
    assert complaint["number"] == "TS-2027-0001"  # numbers keep the receipt's year
    assert (complaint["campaign"], complaint["outside_campaign"]) == (2028, True)
    listed = run("complaint", "list", "--lang", "en")
    assert "outside the campaign" in listed.output
    assert as_json(run("complaint", "list", "--year", "2027", "--format", "json")) == []


def test_a_daily_duty_is_checked_day_by_day(run, ws, monkeypatch):
    at(monkeypatch, "2027-03-12 20:00")
    assert "@2027-03-12" in run("check", DAILY, "--lang", "en").output  # today's
    assert run("check", DAILY, "--day", "2027-03-11").exit_code == 0
    status = as_json(run("status", "--today", "2027-03-14", "--format", "json"))
    entry = item(status, DAILY)
    assert entry["repeat"] == "daily" and entry["status"] == "open"
    days = {d["day"]: d["status"] for d in entry["days"]}
    assert days["2027-03-11"] == days["2027-03-12"] == "done"
    assert days["2027-03-13"] == "open" and len(days) == 10
    assert f"{DAILY}@2027-03-13" in status["overdue"]
    assert f"{DAILY}@2027-03-12" not in status["overdue"]
    assert f"{DAILY}@2027-03-14" in status["due_soon"]
    # only battle occurrences before today are late: no battle item is overdue as a whole
    assert not [label for label in status["overdue"] if label.startswith("battle.")
                and "@" not in label]
    battle = next(p for p in status["phases"] if p["id"] == "battle")
    assert battle["done"] == 2 and battle["total"] == sum(
        len(i["days"]) for i in status["items"] if i["phase"] == "battle")
    upcoming = as_json(run("next", "--today", "2027-03-14", "--format", "json"))
    today = next(i for i in upcoming["now"] if i["id"] == DAILY)
    assert (today["day"], today["status"]) == ("2027-03-14", "open")
    assert run("uncheck", DAILY, "--day", "2027-03-11").exit_code == 0
    assert run("undo").exit_code == 0  # reverts the uncheck: 03-11 is done again
    days = {d["day"]: d["status"] for d in item(as_json(
        run("status", "--format", "json")), DAILY)["days"]}
    assert days["2027-03-11"] == "done"


@pytest.mark.parametrize(("args", "words"), [
    ([DAILY, "--day", "2027-03-21"], "is not a day of this item's phase (2027-03-11 to"),
    (["prepare.copy.ad-law", "--day", "2027-03-01"], "is not a daily duty"),
])
def test_a_wrong_day_is_one_line_and_writes_nothing(run, ws, monkeypatch, args, words):
    at(monkeypatch, "2027-03-12 20:00")
    result = run("check", *args, "--lang", "en")
    assert result.exit_code == 1 and words in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (ws / DB_FILE).exists()


def test_the_plan_shows_the_days_of_a_daily_duty(run, ws):
    plan = as_json(run("plan", "--year", "2027", "--format", "json"))
    battle = next(p for p in plan["phases"] if p["id"] == "battle")
    duty = next(i for i in battle["items"] if i["id"] == DAILY)
    assert duty["repeat"] == "daily" and duty["due"] == battle["end"]
    assert duty["days"][0] == battle["start"] and len(duty["days"]) == 10
    one_off = plan["phases"][0]["items"][0]
    assert one_off["repeat"] is None and "days" not in one_off


def test_the_checklist_workbook_round_trips_the_days(run, ws, monkeypatch):
    at(monkeypatch, "2027-03-14 20:00")
    run("check", DAILY, "--day", "2027-03-11")
    assert run("export", "checklist", "-o", "c.xlsx", "--lang", "zh").exit_code == 0
    wb = openpyxl.load_workbook(ws / "c.xlsx")
    sheet = wb["检查表"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=False))
            for row in sheet.iter_rows(min_row=2)]
    mine = [r for r in rows if r["编号"] == DAILY]
    assert [r["日期"] for r in mine][:2] == ["2027-03-11", "2027-03-12"] and len(mine) == 10
    assert mine[0]["状态"] == "已完成" and mine[1]["状态"] == "未完成"
    assert "复盘" in wb.sheetnames
    status_column = header.index("状态") + 1
    target = next(row[0].row for row in sheet.iter_rows(min_row=2)
                  if row[0].value == DAILY and row[5].value == "2027-03-12")
    wb.close()
    book = openpyxl.load_workbook(ws / "c.xlsx")
    book["检查表"].cell(target, status_column, "已完成")
    book.save(ws / "c.xlsx")
    result = run("import", "checklist", "c.xlsx", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert f"{DAILY}@2027-03-12" in result.output
    days = {d["day"]: d["status"] for d in item(as_json(
        run("status", "--format", "json")), DAILY)["days"]}
    assert days["2027-03-11"] == days["2027-03-12"] == "done"
    assert days["2027-03-13"] == "open"


def test_review_compares_with_the_year_before(run, ws, monkeypatch):
    at(monkeypatch, "2026-03-09 10:00")
    run("check", "prepare.copy.ad-law")  # due 2026-02-26: done late
    at(monkeypatch, "2027-03-25 10:00")
    run("check", "prepare.copy.ad-law", "--at", "2027-02-26 09:00")
    run("complaint", "add", "-c", "quality", "-s", "x", "--received", "2027-03-15 10:00")
    review = as_json(run("review", "--format", "json"))
    assert set(review) == {"year", "items", "complaints", "previous"}
    assert review["year"] == 2027 and review["items"]["late"] == []
    assert review["items"]["by_phase"]["prepare"]["done"] == 1
    # the complaints' part is `complaint report --year`'s JSON
    report = as_json(run("complaint", "report", "--year", "2027", "--format", "json"))
    assert review["complaints"] == report
    assert report["year"] == 2027 and report["new"]["total"] == 1
    assert report["answered"] == {"on_time": 0, "late": 0, "rate": None, "waiting": 1}
    previous = review["previous"]
    assert previous["year"] == 2026 and previous["previous"] is None
    [late] = previous["items"]["late"]
    assert (late["id"], late["days_late"]) == ("prepare.copy.ad-law", 11)
    page = run("review", "--lang", "zh").output
    assert "复盘" in page and "逾期完成" in page and "上一年（2026）" in page
    assert run("review", "--year", "2025", "--lang", "en").output.startswith(
        "Nothing has been recorded for the 2025 campaign yet.")


# --- the migration from release 0.1 (schema 3) ------------------------------------------------

def v3_state(path):
    state = {"status": "done", "by": "李娜", "at": "2026-03-01T10:00:00+08:00", "note": None}
    return old_database(
        path, 3,
        items=[{"id": "prepare.copy.ad-law", "status": "done", "by": "李娜",
                "at": "2026-03-01T10:00:00+08:00"},
               {"id": "prepare.plan.kickoff", "status": "skipped", "by": "李娜",
                "at": "2026-12-20T10:00:00+08:00"}],
        history=[{"txn": 1, "recorded_at": "2026-03-01T10:00:00+08:00", "by": "李娜",
                  "action": "check", "subject": "prepare.copy.ad-law", "old": None,
                  "new": json.dumps(state)},
                 {"txn": 2, "recorded_at": "2026-12-20T10:00:00+08:00", "by": "李娜",
                  "action": "skip", "subject": "prepare.plan.kickoff", "old": None,
                  "new": json.dumps({**state, "status": "skipped"})}],
        complaints=[v3_complaint(1, "2026-03-15T10:00:00+08:00"),
                    v3_complaint(2, "2026-12-20T10:00:00+08:00")])


@pytest.mark.sqlite_only
def test_the_migration_puts_each_row_in_its_campaign_year(run, ws, monkeypatch):
    v3_state(ws / DB_FILE)
    before = (ws / DB_FILE).read_bytes()
    at(monkeypatch, "2027-01-05 10:00")
    assert as_json(run("log", "--year", "2026", "--format", "json"))[0]["year"] == 2026
    assert (ws / DB_FILE).read_bytes() == before  # reading migrates a copy in memory only
    assert run("check", "prepare.final.dry-run").exit_code == 0  # the first write migrates
    y2026 = as_json(run("status", "--year", "2026", "--format", "json"))
    y2027 = as_json(run("status", "--format", "json"))
    assert item(y2026, "prepare.copy.ad-law")["status"] == "done"
    assert item(y2027, "prepare.plan.kickoff")["status"] == "skipped"  # December: next year
    assert item(y2027, "prepare.copy.ad-law")["status"] == "open"
    numbers = {c["number"]: c["campaign"] for c in as_json(run(
        "complaint", "list", "--year", "2026", "--format", "json"))}
    assert numbers == {"TS-2026-0001": 2026}
    later = as_json(run("complaint", "list", "--format", "json"))
    assert [(c["number"], c["campaign"], c["outside_campaign"]) for c in later] == [
        ("TS-2026-0002", 2027, True)]
    entries = as_json(run("log", "--year", "2026", "--format", "json")) + as_json(
        run("log", "--format", "json"))
    assert len(entries) == 3  # nothing lost, one new


@pytest.mark.sqlite_only
def test_a_failed_migration_leaves_the_file_as_it_was(run, ws, monkeypatch):
    from planner.workspace import session

    v3_state(ws / DB_FILE)
    before = (ws / DB_FILE).read_bytes()

    def broken(self, moment):
        raise RuntimeError("no campaign for that")

    monkeypatch.setattr(session.Workspace, "_campaign_year_of", broken)
    at(monkeypatch, "2027-01-05 10:00")
    result = run("check", "prepare.final.dry-run")
    assert result.exit_code != 0
    assert (ws / DB_FILE).read_bytes() == before
