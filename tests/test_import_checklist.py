"""The checklist workbook round trip: export, tick in a spreadsheet, import."""

import json

import openpyxl
import pytest


@pytest.fixture
def ws(tmp_path, run, monkeypatch):
    assert run("init", "ws", "--size", "small", "--lang", "zh").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.setenv("PLANNER315_NOW", "2027-03-12 10:00")
    monkeypatch.setenv("PLANNER315_USER", "manager")
    return tmp_path / "ws"


def exported(run, ws):
    result = run("export", "checklist", "-o", ws / "checklist.xlsx", "--force")
    assert result.exit_code == 0, result.output
    return ws / "checklist.xlsx"


def edit(path, changes):
    """Fill in cells as a person would: {item id: {header: value}}."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row = next(r for r in ws.iter_rows(min_row=1, max_row=10)
                      if any(c.value == "编号" for c in r))
    headers = {c.value: c.column for c in header_row}
    for row in ws.iter_rows(min_row=header_row[0].row + 1):
        item = row[headers["编号"] - 1].value
        for header, value in changes.get(item, {}).items():
            ws.cell(row=row[0].row, column=headers[header], value=value)
    wb.save(path)


def states(run):
    report = json.loads(run("status", "--format", "json").output)
    return {item["id"]: item for item in report["items"]}


def test_round_trip_applies_changes_once(run, ws):
    path = exported(run, ws)
    edit(path, {"prepare.copy.ad-law": {"状态": "已完成", "确认人": "王磊",
                                        "确认日期": "2027-03-10", "备注": "主图已改"},
                "prepare.security.scams": {"状态": "不适用", "备注": "无子账号"}})
    result = run("import", "checklist", path)
    assert result.exit_code == 0, result.output
    assert "prepare.copy.ad-law：未完成 → 已完成" in result.output
    assert "已导入 2 项修改" in result.output
    items = states(run)
    assert (items["prepare.copy.ad-law"]["status"], items["prepare.copy.ad-law"]["by"],
            items["prepare.copy.ad-law"]["at"], items["prepare.copy.ad-law"]["note"]) == (
        "done", "王磊", "2027-03-10T00:00:00+08:00", "主图已改")
    assert items["prepare.security.scams"]["status"] == "skipped"
    log = json.loads(run("log", "--format", "json").output)
    assert {e["by"] for e in log} == {"manager"} and len(log) == 2
    again = run("import", "checklist", path)
    assert again.exit_code == 0 and "没有状态变化" in again.output
    assert len(json.loads(run("log", "--format", "json").output)) == 2


def test_reopening_in_the_sheet_unchecks(run, ws):
    run("check", "prepare.copy.ad-law")
    path = exported(run, ws)
    edit(path, {"prepare.copy.ad-law": {"状态": "未完成"}})
    assert "已完成 → 未完成" in run("import", "checklist", path).output
    assert states(run)["prepare.copy.ad-law"]["status"] == "open"


def test_bad_rows_reject_the_whole_file(run, ws):
    path = exported(run, ws)
    edit(path, {"prepare.copy.ad-law": {"状态": "已完成"},
                "prepare.plan.kickoff": {"状态": "差不多"},
                "prepare.promo.rules": {"状态": "已完成", "确认日期": "昨天"}})
    result = run("import", "checklist", path, "--lang", "en")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    line = result.output.strip()
    assert "checklist.xlsx" in line and "差不多" in line and "昨天" in line
    assert states(run)["prepare.copy.ad-law"]["status"] == "open"
    assert json.loads(run("log", "--format", "json").output) == []


def test_unknown_id_and_future_date_reject(run, ws):
    path = exported(run, ws)
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "prepare.copy.ad-law":
                cell.value = "prepare.copy.ad-lawx"
    wb.save(path)
    result = run("import", "checklist", path, "--lang", "en")
    assert result.exit_code == 1 and "prepare.copy.ad-lawx" in result.output
    path = exported(run, ws)
    edit(path, {"prepare.copy.ad-law": {"状态": "已完成", "确认日期": "2027-03-20"}})
    result = run("import", "checklist", path, "--lang", "en")
    assert result.exit_code == 1 and "in the future" in result.output
    assert json.loads(run("log", "--format", "json").output) == []


def test_not_a_workbook(run, ws):
    (ws / "fake.xlsx").write_text("hello", encoding="utf-8")
    result = run("import", "checklist", ws / "fake.xlsx", "--lang", "en")
    assert result.exit_code == 1 and "fake.xlsx" in result.output
    assert "Traceback" not in result.output
