"""The audits read what shops export: CSV in every encoding Chinese Excel and 淘宝助理 save,
either separator, XLSX, headers in Chinese or English; and say clearly what they cannot read."""

from __future__ import annotations

import json

import pytest

ROWS = [["商品ID", "宝贝名称", "宝贝描述"], ["1001", "顶级龙井", "第一次购买送茶具"],
        ["1002", "帆布包", "最近上新"]]


def write_csv(path, rows, encoding, sep=","):
    text = "".join(sep.join(row) + "\r\n" for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


def terms_found(run, path, *extra):
    result = run("audit", "copy", path, "--format", "json", *extra)
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    return [(f["item_id"], f["row"], f["term"]) for f in data["findings"]], data


@pytest.mark.parametrize(("encoding", "sep"), [
    ("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("gb18030", "\t"), ("utf-16", "\t"),
    ("utf-8", "\t"), ("gbk", "\t"),
])
def test_every_encoding_and_both_separators(run, tmp_path, encoding, sep):
    path = write_csv(tmp_path / "items.csv", ROWS, encoding, sep)
    found, data = terms_found(run, path)
    assert found == [("1001", 2, "顶级")]
    assert data["rows"] == 2


def test_encoding_option_forces_one(run, tmp_path):
    """UTF-16 without a byte-order mark cannot be told from binary data: --encoding says."""
    path = write_csv(tmp_path / "items.csv", ROWS, "utf-16-le", "\t")
    assert "not a table" in run("audit", "copy", path).output
    found, _ = terms_found(run, path, "--encoding", "utf-16-le")
    assert found == [("1001", 2, "顶级")]
    unknown = run("audit", "copy", path, "--encoding", "klingon")
    assert unknown.exit_code == 1
    assert "unknown encoding 'klingon'" in unknown.output


def test_the_taobao_assistant_layout(run, tmp_path):
    """淘宝助理: a version line, English keys, Chinese labels, UTF-16 with tabs, HTML copy."""
    rows = [["version 1.00"],
            ["title", "cid", "price", "num", "description", "outer_id", "num_id"],
            ["宝贝名称", "宝贝类目", "宝贝价格", "宝贝数量", "宝贝描述", "商家编码", "数字ID"],
            ["极品红茶", "50008", "99.00", "20", "<p>最佳赏味期12个月</p>", "HC-01", "6001"],
            ["绿茶", "50008", "59.00", "10", "<p>喝了能减肥</p>", "LC-01", "6002"]]
    path = write_csv(tmp_path / "淘宝助理导出.csv", rows, "utf-16", "\t")
    found, data = terms_found(run, path)
    assert found == [("6001", 4, "极品"), ("6002", 5, "减肥")]
    assert data["rows"] == 2  # the labels' line is no listing


def test_xlsx_with_english_headers_in_any_case(run, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([" Item_ID ", "TITLE", "Description"])
    ws.append([1001, "全网第一保温杯", None])
    ws.append([1002.0, "保温杯", "特供品质"])
    wb.save(tmp_path / "items.xlsx")
    found, _ = terms_found(run, tmp_path / "items.xlsx")
    assert found == [("1001", 2, "全网第一"), ("1002", 3, "特供")]


def test_column_option_maps_other_headers(run, tmp_path):
    path = write_csv(tmp_path / "items.csv", [["编号", "商品文案"], ["A1", "顶级"]], "utf-8")
    missing = run("audit", "copy", path)
    assert missing.exit_code == 1
    assert "required columns are missing. Needed: title|subtitle|description; " \
           "the file has: 编号, 商品文案" in missing.output
    assert str(path) in missing.output
    found, _ = terms_found(run, path, "--column", "title=商品文案", "--column", "item_id=编号")
    assert found == [("A1", 2, "顶级")]
    bad = run("audit", "copy", path, "--column", "colour=商品文案")
    assert bad.exit_code == 2 and "'colour=商品文案' must be KEY=HEADER" in bad.output


@pytest.mark.parametrize(("content", "message"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old binary .xls file"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page (HTML)"),
    (bytes(range(256)) * 8, "not a table"),
])
@pytest.mark.parametrize("name", ["items.xls", "items.csv"])
def test_files_that_are_no_table(run, tmp_path, content, message, name):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("audit", "copy", path)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_damaged_xlsx_is_one_line(run, tmp_path):
    path = tmp_path / "items.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"junk" * 100)
    result = run("audit", "copy", path)
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1


def test_missing_file_and_usage_errors(run, tmp_path):
    assert run("audit", "copy", tmp_path / "none.csv").exit_code == 1
    assert run("audit", "copy").exit_code == 2
    assert run("audit", "prices", tmp_path / "x.csv").exit_code == 2  # no --reference
    assert run("audit", "copy", tmp_path / "x.csv", "--format", "yaml").exit_code == 2
