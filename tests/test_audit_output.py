"""The findings workbook (-o, `audit all`), the shipped samples, and --record: a clean audit
checks its item off, one with findings leaves it open with its counts in `log` and `status`."""

from __future__ import annotations

import json

import openpyxl
import pytest

CAMPAIGN = ("--size", "medium", "--year", "2027", "--today", "2027-03-01")


@pytest.fixture
def samples(run, tmp_path):
    result = run("audit", "samples", tmp_path / "exports")
    assert result.exit_code == 0, result.output
    return tmp_path / "exports"


def test_samples_are_written_and_each_has_findings(run, samples):
    assert sorted(p.name for p in samples.iterdir()) == [
        "inventory.csv", "listings.csv", "price-sheet.csv", "promotions.csv"]
    for args in (("copy", samples / "listings.csv"),
                 ("prices", samples / "listings.csv", "-r", samples / "price-sheet.csv"),
                 ("stock", samples / "inventory.csv", *CAMPAIGN),
                 ("promotions", samples / "promotions.csv", *CAMPAIGN)):
        result = run("audit", *args, "--format", "json")
        assert result.exit_code == 3, result.output
        data = json.loads(result.stdout)
        assert all(data["summary"][key] > 0 for key in ("violation", "warning")), args
    again = run("audit", "samples", samples)
    assert again.exit_code == 1 and "--force" in again.output
    assert run("audit", "samples", samples, "--force").exit_code == 0


def test_audit_all_writes_a_sheet_per_audit(run, samples, tmp_path):
    result = run("audit", "all", samples, *CAMPAIGN, "--format", "json")
    assert result.exit_code == 3, result.output
    assert [entry["audit"] for entry in json.loads(result.stdout)] == [
        "copy", "prices", "stock", "promotions"]
    target = tmp_path / "315-2027-shop-audit.xlsx"
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Copy audit", "Price audit", "Stock audit", "Promotion audit",
                             "Bases", "Unreadable cells"]
    bases = [[cell.value for cell in row] for row in wb["Bases"].iter_rows(min_row=2)]
    expected = {(entry["audit"], finding["category"]): finding["basis"]
                for entry in json.loads(result.stdout) for finding in entry["findings"]}
    assert len(bases) == len(expected)  # each category's basis once, not on every finding
    assert sorted(row[2] for row in bases) == sorted(expected.values())
    sheet = wb["Copy audit"]
    assert [cell.value for cell in sheet[1]][:6] == ["Severity", "Row", "Item", "SKU", "Field",
                                                     "Term"]
    assert sheet["H2"].value == "【顶级】明前龙井 全网最低价"
    rich = openpyxl.load_workbook(target, rich_text=True)["Copy audit"]["H2"].value
    assert [(getattr(part, "text", part), bool(getattr(part, "font", None) and part.font.b))
            for part in rich] == [("【顶级】", True), ("明前龙井 全网最低价", False)]
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    again = run("audit", "all", samples, *CAMPAIGN)
    assert again.exit_code == 1 and "already exists" in again.output
    assert run("audit", "all", samples, *CAMPAIGN, "--force").exit_code == 3


def test_audit_all_by_header_not_by_name(run, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_text("活动名称,开始时间,结束时间,文案在线\n"
                                  "年货节,2027-01-10,2027-02-05,是\n", encoding="utf-8")
    (folder / "notes.csv").write_text("备注\n随便写写\n", encoding="utf-8")
    result = run("audit", "all", folder, *CAMPAIGN, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 3, result.output
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames == ["Promotion audit",
                                                                        "Bases"]
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("audit", "all", empty, *CAMPAIGN)
    assert nothing.exit_code == 1 and "no audit input" in nothing.output


def test_workbook_cells_are_formula_safe(run, tmp_path):
    listings = tmp_path / "listings.csv"
    listings.write_text('商品ID,标题\n=HYPERLINK("http://x"),"=1+1 顶级"\n', encoding="utf-8")
    result = run("audit", "copy", listings, "-o", tmp_path / "f.xlsx")
    assert result.exit_code == 3, result.output
    row = openpyxl.load_workbook(tmp_path / "f.xlsx").active[2]
    assert row[2].value == '=HYPERLINK("http://x")' and row[2].data_type == "s"
    assert row[7].data_type == "s"
    bad = run("audit", "copy", listings, "-o", tmp_path / "f.txt")
    assert bad.exit_code == 1 and ".xlsx" in bad.output


def workspace(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "shop.yaml").write_text("name: 示例店\nsize: medium\n", encoding="utf-8")
    return folder


def test_record_a_clean_and_a_dirty_audit(run, tmp_path):
    folder = workspace(tmp_path)
    clean = tmp_path / "clean.csv"
    clean.write_text("商品ID,标题\n1,帆布包\n", encoding="utf-8")
    dirty = tmp_path / "dirty.csv"
    dirty.write_text("商品ID,标题\n1,顶级帆布包\n2,限时秒杀\n", encoding="utf-8")
    at = ("--workspace", folder, "--year", "2027", "--today", "2027-03-01", "--by", "小王")

    found = run("audit", "copy", dirty, *at, "--record")
    assert found.exit_code == 3, found.output
    assert "prepare.copy.ad-law stays open" in found.output
    status = json.loads(run("status", "-w", folder, "--year", "2027", "--format", "json").stdout)
    assert [(a["id"], a["audit"], a["violation"], a["warning"]) for a in status["audits"]] == [
        ("prepare.copy.ad-law", "copy", 1, 1)]
    item = next(i for i in status["items"] if i["id"] == "prepare.copy.ad-law")
    assert item["status"] == "open"
    table = run("status", "-w", folder, "--year", "2027").stdout
    assert "prepare.copy.ad-law" in table and "1 violations, 0 risks, 1 warnings" in table
    log = run("log", "-w", folder, "--year", "2027").stdout
    assert "audit" in log and "1 violations, 0 risks, 1 warnings" in log

    ok = run("audit", "copy", clean, *at, "--record")
    assert ok.exit_code == 0, ok.output
    status = json.loads(run("status", "-w", folder, "--year", "2027", "--format", "json").stdout)
    item = next(i for i in status["items"] if i["id"] == "prepare.copy.ad-law")
    assert (item["status"], item["by"]) == ("done", "小王")
    assert "Copy audit: 1 row, 0 violations" in item["note"]
    assert status["audits"] == []


def test_record_needs_a_workspace(run, tmp_path):
    listings = tmp_path / "l.csv"
    listings.write_text("商品ID,标题\n1,帆布包\n", encoding="utf-8")
    result = run("audit", "copy", listings, "--record")
    assert result.exit_code == 1
    assert "workspace" in result.output
