"""The complaint register through the CLI: add, list, update, callback, show, status, log."""

import json

import pytest


@pytest.fixture
def ws(tmp_path, run, monkeypatch):
    assert run("init", "ws", "--size", "large", "--lang", "en").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.setenv("PLANNER315_NOW", "2026-03-16 10:00")
    monkeypatch.setenv("PLANNER315_USER", "li")
    return tmp_path / "ws"


def add(run, *args):
    result = run("complaint", "add", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_add_prints_number_level_owner_deadline(run, ws):
    result = run("complaint", "add", "-c", "after-sale", "-s", "发错颜色", "--received",
                 "2026-03-13 17:59")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Recorded TS-2026-0001: Level I, handled by First person who took it, "
        "first response due 2026-03-16 18:00 Mon")
    late = add(run, "-c", "after-sale", "-s", "x", "--received", "2026-03-13 18:01")
    assert late["complaint"]["deadline"] == "2026-03-17T18:00:00+08:00"


def test_add_needs_workspace_and_valid_values(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("complaint", "add", "-c", "quality", "-s", "x")
    assert result.exit_code == 1 and "not inside a workspace" in result.output
    run("init", "ws", "--size", "large")
    monkeypatch.chdir(tmp_path / "ws")
    for args, code, text in [
        (["-c", "weather", "-s", "x"], 2, "unknown value 'weather'"),
        (["-c", "quality", "-s", "x", "--received", "2026-13-01 10:00"], 2,
         "not a valid date and time"),
        (["-c", "quality", "-s", "x", "--received", "2026-03-16"], 2,
         "not a valid date and time"),
        (["-c", "quality", "-s", "x", "--sensitive", "neighbour"], 2, "neighbour"),
        (["-c", "quality", "-s", "   "], 1, "summary must not be empty"),
    ]:
        result = run("complaint", "add", *args, "--lang", "en")
        assert result.exit_code == code, (args, result.output)
        assert text in result.output and "Traceback" not in result.output
    assert json.loads(run("complaint", "list", "--format", "json").output) == []


def test_batch_rule_announced_by_the_command_that_crosses_it(run, ws):
    for _ in range(10):
        add(run, "-c", "quality", "-s", "漏液", "-p", "SKU-7")
    result = run("complaint", "add", "-c", "quality", "-s", "漏液", "-p", "SKU-7")
    assert result.exit_code == 0
    assert "11 complaints on the same issue today" in result.stderr
    listed = json.loads(run("complaint", "list", "--format", "json").output)
    assert {c["level"] for c in listed} == {"urgent"} and len(listed) == 11


def test_list_json_order_and_filters(run, ws):
    add(run, "-c", "quality", "-s", "a")
    add(run, "-c", "agent-attitude", "-s", "b")
    add(run, "-c", "quality", "-s", "c", "--from-head-office")
    listed = json.loads(run("complaint", "list", "--format", "json").output)
    assert [c["level"] for c in listed] == ["urgent", "II", "I"]
    for complaint in listed:
        assert set(complaint) >= {"number", "category", "product", "level", "handler",
                                  "received", "deadline", "status"}
    late = run("complaint", "list", "--overdue", "--today", "2026-03-16 18:30",
               "--format", "json")
    assert [c["level"] for c in json.loads(late.output)] == ["urgent", "II"]
    table = run("complaint", "list", "--today", "2026-03-16 18:30", "--lang", "zh")
    assert "已超时" in table.output and "TS-2026-0003" in table.output
    assert run("complaint", "list", "--owner", "nobody").exit_code == 2


def test_update_callback_show_and_log(run, ws, monkeypatch):
    number = add(run, "-c", "quality", "-s", "裂纹")["complaint"]["number"]
    early = run("complaint", "callback", number, "--satisfied", "yes")
    assert early.exit_code == 1 and "nothing to call back about yet" in early.output
    assert run("complaint", "update", number, "--status", "done").exit_code == 2
    result = run("complaint", "update", number, "--status", "resolved", "--note", "补发")
    assert result.exit_code == 0 and "now resolved" in result.output
    monkeypatch.setenv("PLANNER315_NOW", "2026-03-25 10:00")
    status = json.loads(run("status", "--today", "2026-03-25", "--format", "json").output)
    assert status["complaints"]["callback_due"] == {"count": 1, "numbers": [number]}
    assert "Resolved but not called back yet (1)" in run("status", "--today",
                                                         "2026-03-25").output
    assert run("complaint", "callback", number, "--satisfied", "no", "--by", "zhao").exit_code == 0
    shown = json.loads(run("complaint", "show", number, "--format", "json").output)
    assert shown["callback"]["satisfied"] is False and shown["callback"]["by"] == "zhao"
    assert [e["action"] for e in shown["history"]] == [
        "complaint-add", "complaint-update", "complaint-callback"]
    assert run("complaint", "show", "TS-2026-0404").exit_code == 1
    log = json.loads(run("log", "--format", "json").output)
    assert [e["subject"] for e in log] == [f"complaint:{number}"] * 3
    # undo only reverts check-offs, never complaint records
    assert run("undo").exit_code == 1


def test_status_counts_open_complaints_by_level(run, ws):
    add(run, "-c", "quality", "-s", "a")
    add(run, "-c", "quality", "-s", "b", "--media-risk")
    report = json.loads(run("status", "--format", "json").output)  # now: 10:00
    assert report["complaints"]["open"] == {"I": 1, "urgent": 1}
    assert report["complaints"]["overdue"] == {}
    later = json.loads(run("status", "--today", "2026-03-17", "--format", "json").output)
    assert later["complaints"]["overdue"] == {"urgent": 1, "I": 1}  # as of the end of the 17th
    table = run("status", "--today", "2026-03-16").output
    assert "Complaint register" in table and "Urgent" in table


def test_estimated_calendar_warns(run, ws, monkeypatch):
    monkeypatch.setenv("PLANNER315_NOW", "2031-03-14 10:00")
    result = run("complaint", "add", "-c", "quality", "-s", "x", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["complaint"]["calendar"] == "estimated"
    assert "2031" in result.stderr


def test_export_complaints_is_formula_safe_and_streams(run, ws):
    import zipfile

    import openpyxl

    add(run, "-c", "quality", "-s", '=HYPERLINK("http://evil","点我")', "--buyer", "@x",
        "--product", "-1+2", "--order", "00123")
    for n in range(30):
        add(run, "-c", "agent-attitude", "-s", f"第 {n} 件")
    result = run("export", "complaints", "-o", ws / "reg.xlsx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(ws / "reg.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml
    wb = openpyxl.load_workbook(ws / "reg.xlsx")
    sheet = wb.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Number"))
    data = rows[header + 1:]
    assert len(data) == 31
    assert data[-1][0] == "TS-2026-0001"  # level I last
    assert data[-1][7] == '=HYPERLINK("http://evil","点我")' and data[-1][4] == "00123"
    assert sheet.freeze_panes and sheet.auto_filter.ref
    assert sheet.page_setup.paperSize in ("9", 9)
    again = run("export", "complaints", "-o", ws / "reg.xlsx")
    assert again.exit_code == 1 and "--force" in again.output
