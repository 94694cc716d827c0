"""Imports name every bad row in one run: the checklist workbook and the roster."""

from __future__ import annotations

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


def export(run, ws, *args):
    result = run("export", "checklist", "-o", ws / "checklist.xlsx", "--force", *args)
    assert result.exit_code == 0, result.output
    return ws / "checklist.xlsx"


def edit(path, changes):
    """{item id: {header: value}}, as a person fills the sheet in."""
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    header_row = next(r for r in sheet.iter_rows(min_row=1, max_row=10)
                      if any(c.value == "编号" for c in r))
    headers = {c.value: c.column for c in header_row}
    rows = {}
    for row in sheet.iter_rows(min_row=header_row[0].row + 1):
        item = row[headers["编号"] - 1].value
        rows[item] = row[0].row
        for header, value in changes.get(item, {}).items():
            sheet.cell(row=row[0].row, column=headers[header], value=value)
    wb.save(path)
    return rows


def error_line(result, code=1):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def test_every_bad_row_is_named_in_one_run_future_dates_too(run, ws):
    path = export(run, ws)
    rows = edit(path, {"prepare.copy.ad-law": {"状态": "已完成", "确认日期": "2027-03-20"},
                       "prepare.security.scams": {"状态": "完成了吧"},
                       "prepare.promo.prizes": {"状态": "不适用"}})
    line = error_line(run("import", "checklist", path))
    assert "有 3 行有问题，整个文件未导入" in line
    assert f"第 {rows['prepare.copy.ad-law']} 行 日期 2027-03-20 在将来" in line
    assert f"第 {rows['prepare.security.scams']} 行" in line
    assert f"第 {rows['prepare.promo.prizes']} 行 标为“不适用”须在备注中写明原因" in line
    assert json.loads(run("log", "--format", "json").output) == []


def test_not_applicable_with_its_reason_is_applied(run, ws):
    path = export(run, ws)
    edit(path, {"prepare.promo.prizes": {"状态": "不适用", "备注": "今年没有实物奖品"}})
    assert run("import", "checklist", path).exit_code == 0
    [entry] = json.loads(run("log", "--format", "json").output)
    assert entry["note"] == "今年没有实物奖品"


def test_the_sheets_note_is_kept_on_every_row_it_applies(run, ws):
    run("check", "prepare.promo.prizes")
    path = export(run, ws)
    edit(path, {"prepare.copy.ad-law": {"状态": "已完成", "备注": "主图已改"},
                "prepare.security.scams": {"状态": "已完成", "备注": "子账号已查"},
                "prepare.promo.prizes": {"状态": "未完成", "备注": "奖品换了，重新核对"}})
    assert run("import", "checklist", path).exit_code == 0
    entries = json.loads(run("log", "--format", "json").output)
    notes = {entry["subject"]: entry["note"] for entry in entries if entry["txn"] == 2}
    assert notes["prepare.copy.ad-law"] == "主图已改"
    assert notes["prepare.security.scams"] == "子账号已查"
    assert notes["prepare.promo.prizes"] == "奖品换了，重新核对"


def test_a_sheet_exported_for_another_size_says_so(run, ws):
    path = export(run, ws, "--size", "large")
    line = error_line(run("import", "checklist", path, "--lang", "en"))
    assert "exported for the size 'large', but the shop's size is 'small'" in line
    # Without its stamp (an older workbook), its rows tell: ids of another size's plan.
    wb = openpyxl.load_workbook(path)
    wb.custom_doc_props = openpyxl.packaging.custom.CustomPropertyList()
    wb.save(path)
    line = error_line(run("import", "checklist", path, "--lang", "en"))
    assert "not in this small plan" in line and "exported for another size" in line
    assert "unknown" not in line
    assert line.count("items of the") <= 2  # the rows together, by the sizes they are for


# --- roster ---------------------------------------------------------------------------------

GOOD = "部门,姓名,手机\ncs-manager,张伟,13800138000\nwarehouse,王磊,13900139000\n"


def test_roster_import_names_every_bad_row(run, ws):
    (ws / "bad.csv").write_text(
        "部门,姓名,手机\ncs-manager,张伟,13800138000\nnowhere,李娜,13900139000\n"
        "warehouse,王磊,123\ncs-manager,张伟,13700137000\nwarehouse,赵强,13800138000\n",
        encoding="utf-8")
    line = error_line(run("roster", "import", "bad.csv", "--lang", "zh"))
    assert line.startswith("错误：bad.csv: 有 4 行有问题，联络表未导入：第 3 行: 部门: ")
    for row in (4, 5, 6):
        assert f"第 {row} 行" in line
    assert "; " not in line and "；第 4 行" in line  # Chinese punctuation between the rows
    assert not (ws / "roster.yaml").exists()


def test_replacing_a_roster_that_loses_contacts_needs_replace(run, ws):
    (ws / "a.csv").write_text(GOOD, encoding="utf-8")
    (ws / "b.csv").write_text("部门,姓名,手机\ncs-manager,张伟,13800138000\n", encoding="utf-8")
    assert run("roster", "import", "a.csv").exit_code == 0
    line = error_line(run("roster", "import", "b.csv", "--lang", "en"))
    assert line == ("Error: b.csv: the file lacks 1 contact of the current roster, whom the "
                    "import would remove: 王磊 (Warehouse); add --replace to replace the roster")
    line = error_line(run("roster", "import", "b.csv", "--lang", "zh"))
    assert "导入会删除他们：王磊（仓储部）；" in line
    assert "王磊" in (ws / "roster.yaml").read_text(encoding="utf-8")
    assert run("roster", "import", "b.csv", "--replace").exit_code == 0
    assert "王磊" not in (ws / "roster.yaml").read_text(encoding="utf-8")
    assert run("roster", "import", "a.csv").exit_code == 0  # adding is no replacing
