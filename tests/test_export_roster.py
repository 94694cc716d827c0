"""`planner315 export roster`: the sheet setup every export shares, phones as text, file
names, refusing to overwrite, and the streaming writer's memory-flat behaviour."""

import os
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest

from planner.export.xlsx import WIDEN, Column, Table, new_workbook, save_workbook, write_table

CACHE = ".planner315"  # the parsed-file cache, data the program may always rebuild

SHOP = """name: 示例 旗舰店/总店
size: large
lang: zh
contacts:
  - {department: cs-manager, name: 张伟, role: 客服经理, mobile: "13800138000",
     landline: "0571-87654321-8001", shift: "03-11~03-15 早班 9:00-18:00", escalation: 1}
  - {department: warehouse, name: 刘洋, mobile: "13500135000", landline: "010-01234567",
     role: 这是一个非常非常非常非常非常长的职务名称用来测试列宽}
  - {department: frontline-cs, name: 王芳, mobile: "13600136000"}
"""
DEFAULT = "315-2027-示例_旗舰店_总店-roster.xlsx"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture
def workspace(shop_file, tmp_path):
    shop_file(SHOP)
    return tmp_path


def export(run, *args):
    result = run("export", "roster", "--year", "2027", *args)
    assert result.exit_code == 0, result.output
    return result


def test_roster_sheet_layout(run, workspace):
    result = export(run)
    path = workspace / DEFAULT
    assert DEFAULT in result.output and path.is_file()
    wb = openpyxl.load_workbook(path)
    assert wb.properties.creator == "planner315"
    assert wb.properties.title == "示例 旗舰店/总店 · 2027 年 3·15 联络表"
    ws = wb["联络表"]
    assert [c.value for c in ws[1]] == ["部门", "姓名", "职务", "手机", "座机/分机", "旺旺/钉钉",
                                        "邮箱", "作战班次", "升级顺序", "备岗"]
    assert all(c.font.b for c in ws[1])
    assert all(c.fill.fgColor.rgb.endswith("D9E1F2") for c in ws[1])
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:J4"
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.orientation == "landscape"
    assert 76 <= ws.page_setup.scale <= 100  # legible: never shrunk below 8 pt
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    # departments in campaign order, managers first by escalation order
    assert [ws.cell(r, 2).value for r in range(2, 5)] == ["王芳", "张伟", "刘洋"]
    assert ws["A3"].value == "客服主管/经理"


def test_phones_are_text_and_widths_fit_chinese(run, workspace):
    export(run)
    ws = openpyxl.load_workbook(workspace / DEFAULT)["联络表"]
    assert ws["D3"].value == "13800138000" and ws["D3"].data_type == "s"
    assert ws["E4"].value == "010-01234567"
    assert ws.column_dimensions["D"].number_format == "@"
    with zipfile.ZipFile(workspace / DEFAULT) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    # In the file itself, not only in openpyxl's reading of it: the phone is a string.
    [cell] = [c for c in ElementTree.fromstring(xml).iter(f"{MAIN}c") if c.get("r") == "D3"]
    assert cell.get("t") == "inlineStr"
    assert cell.find(f"{MAIN}v") is None
    assert "".join(cell.find(f"{MAIN}is").itertext()) == "13800138000"
    assert "E+" not in xml
    # "客服主管/经理" is 6 wide characters and a slash: at least 13 columns wide
    assert ws.column_dimensions["A"].width >= 13
    # a very long role is capped and wrapped instead of making a huge column
    role = ws.column_dimensions["C"]
    assert role.width <= 20 * (1 + WIDEN)  # at most a little wider, to wrap alike everywhere
    assert ws["C4"].alignment.wrap_text
    assert ws.row_dimensions[4].height > 15


def test_mask_phones(run, workspace):
    export(run, "--mask-phones", "-o", "masked.xlsx")
    ws = openpyxl.load_workbook(workspace / "masked.xlsx").active
    assert ws["D3"].value == "138****8000"
    assert ws["E3"].value == "0571-87654321-8001"


def test_existing_file_is_never_overwritten_without_force(run, workspace):
    target = workspace / "r.xlsx"
    target.write_bytes(b"keep me")
    result = run("export", "roster", "--year", "2027", "-o", "r.xlsx")
    assert result.exit_code == 1
    assert "r.xlsx" in result.output and "--force" in result.output
    assert target.read_bytes() == b"keep me"
    export(run, "-o", "r.xlsx", "--force")
    assert openpyxl.load_workbook(target).active["B2"].value == "王芳"
    assert sorted(p.name for p in workspace.iterdir() if p.name != CACHE) == ["r.xlsx", "shop.yaml"]
    assert oct(os.stat(target).st_mode & 0o044) != "0o0"  # not private to its owner


def test_output_must_be_xlsx_and_roster_must_not_be_empty(run, shop_file):
    shop_file("size: small\n")
    result = run("export", "roster", "--year", "2027", "-o", "r.csv")
    assert result.exit_code == 1 and ".xlsx" in result.output
    result = run("export", "roster", "--year", "2027")
    assert result.exit_code == 1 and "roster import" in result.output


def test_streaming_writer_handles_many_rows_with_flat_sheet(tmp_path):
    """Rows are streamed from a generator; widths come from the first rows only."""
    consumed = []

    def rows():
        for n in range(3000):
            consumed.append(n)
            yield [f"0{n:05d}", f"名字{n}", n]

    wb = new_workbook("big")
    table = Table(title="big", columns=[Column("id", text=True), Column("name"), Column("n")],
                  rows=rows(), total=3000)
    assert write_table(wb, table) == 3000
    path = save_workbook(wb, tmp_path / "big.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True).active
    assert ws.max_row is None  # write-only files carry no <dimension>
    values = list(ws.iter_rows(min_row=3000, max_row=3001, values_only=True))
    assert values == [("002998", "名字2998", 2998), ("002999", "名字2999", 2999)]
    assert len(consumed) == 3000


def test_progress_callback_counts_rows(tmp_path):
    seen = []
    wb = new_workbook("p")
    rows = ([n] for n in range(2500))
    write_table(wb, Table(title="p", columns=[Column("n")], rows=rows), progress=seen.append)
    save_workbook(wb, tmp_path / "p.xlsx")
    assert sum(seen) == 2500
