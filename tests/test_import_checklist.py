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


# --- only rows edited in the sheet are applied -------------------------------------------------


def test_old_unedited_workbook_keeps_later_check_offs(run, ws):
    path = exported(run, ws)
    assert run("check", "prepare.price.named-check", "--by", "李强").exit_code == 0
    result = run("import", "checklist", path)
    assert result.exit_code == 0, result.output
    assert "→" not in result.output and "没有状态变化" in result.output
    item = states(run)["prepare.price.named-check"]
    assert (item["status"], item["by"]) == ("done", "李强")


def test_old_workbook_applies_only_its_edited_rows(run, ws):
    path = exported(run, ws)
    run("check", "prepare.price.named-check", "--by", "李强")
    edit(path, {"prepare.copy.ad-law": {"状态": "已完成", "确认人": "王磊"}})
    result = run("import", "checklist", path)
    assert result.exit_code == 0, result.output
    assert "prepare.copy.ad-law：未完成 → 已完成" in result.output
    assert "已导入 1 项修改" in result.output and not result.stderr
    items = states(run)
    assert items["prepare.copy.ad-law"]["status"] == "done"
    assert items["prepare.price.named-check"]["status"] == "done"


def test_sheet_edit_wins_over_a_later_change_and_says_who(run, ws):
    path = exported(run, ws)
    run("check", "prepare.price.named-check", "--by", "李强")
    edit(path, {"prepare.price.named-check": {"状态": "不适用", "备注": "本店不标价"}})
    result = run("import", "checklist", path)
    assert result.exit_code == 0, result.output
    assert "prepare.price.named-check：已完成 → 不适用" in result.stdout
    [warning] = result.stderr.splitlines()
    assert warning == ("注意：prepare.price.named-check 在导出后已被 李强 改为“已完成”"
                       "（导出时为“未完成”），表格中改为“不适用”，以表格为准")
    assert states(run)["prepare.price.named-check"]["status"] == "skipped"
    again = run("import", "checklist", path)
    assert "没有状态变化" in again.output and not again.stderr


def test_override_warning_in_english(run, ws):
    run("check", "prepare.copy.ad-law")
    path = exported(run, ws)
    run("uncheck", "prepare.copy.ad-law", "--by", "Li Qiang")
    edit(path, {"prepare.copy.ad-law": {"状态": "不适用", "备注": "没有广告"}})
    result = run("import", "checklist", path, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        "note: prepare.copy.ad-law was changed to 'open' by Li Qiang after the export (it was "
        "'done'); the sheet says 'skipped', and the sheet wins")


def test_same_change_in_sheet_and_database_is_no_conflict(run, ws):
    path = exported(run, ws)
    run("check", "prepare.copy.ad-law", "--by", "李强")
    edit(path, {"prepare.copy.ad-law": {"状态": "已完成"}})
    result = run("import", "checklist", path)
    assert "没有状态变化" in result.output and not result.stderr
    assert states(run)["prepare.copy.ad-law"]["by"] == "李强"


def drop_exported_column(path):
    """The workbook as exports made before the hidden column were."""
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    [column] = [c.column for c in sheet[1] if c.value == "导出时状态"]
    sheet.delete_cols(column)
    wb.save(path)


def test_workbook_without_the_column_keeps_later_check_offs(run, ws):
    # The stamp's history position says what changed since the export: the hidden column
    # is not needed to keep a later check-off (the unstamped case: test_hostile_import.py).
    path = exported(run, ws)
    drop_exported_column(path)
    run("check", "prepare.price.named-check", "--by", "李强")
    edit(path, {"prepare.copy.ad-law": {"状态": "已完成"}})
    result = run("import", "checklist", path)
    assert result.exit_code == 0, result.output
    assert "prepare.copy.ad-law：未完成 → 已完成" in result.output
    assert "prepare.price.named-check" not in result.output
    assert not result.stderr
    assert states(run)["prepare.price.named-check"]["status"] == "done"


def test_hidden_column_survives_the_english_import(run, ws):
    run("check", "prepare.copy.ad-law")
    path = exported(run, ws)
    result = run("import", "checklist", path, "--lang", "en")
    assert result.exit_code == 0 and "No status changed" in result.output


def test_bad_exported_status_names_the_row(run, ws):
    path = exported(run, ws)
    edit(path, {"prepare.copy.ad-law": {"导出时状态": "maybe"}})
    result = run("import", "checklist", path, "--lang", "en")
    assert result.exit_code == 1
    line = result.output.strip()
    assert "\n" not in line and "checklist.xlsx" in line
    assert "row 5: 'maybe' in the hidden column 'Status when exported' is not a status" in line
    assert json.loads(run("log", "--format", "json").output) == []
