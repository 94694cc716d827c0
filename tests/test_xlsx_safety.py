"""Untrusted text in workbooks: never a formula, never an error cell, always storable.

The checks read the sheet XML inside the produced file, not only openpyxl's view of it.
"""

import datetime as dt
import re
import warnings
import zipfile

import openpyxl
import pytest

from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.export import default_name, filename_safe, metrics
from planner.export.xlsx import (
    MAX_CELL_CHARS,
    Column,
    Style,
    Table,
    building,
    save_workbook,
    sheet_title,
    write_table,
)
from planner.input.workbook import read_rows

RISKY = ["=1+1", '=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0", "+1+2",
         "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "#N/A", "#DIV/0!", "#REF!", "=",
         "==", "+", "-", "@"]


def sheet_xml(path, index=1):
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def all_sheet_xml(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.startswith("xl/worksheets/sheet")}


def cell_xml(xml, ref):
    match = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, re.DOTALL)
    assert match, ref
    return match.group(0)


def write(tmp_path, rows, columns=None, name="t.xlsx"):
    columns = columns or [Column("value"), Column("other", text=True, edit=True)]
    with building("test") as wb:
        write_table(wb, Table(title="Sheet", columns=columns, rows=rows))
        return save_workbook(wb, tmp_path / name)


def test_risky_text_is_stored_as_literal_text(tmp_path):
    path = write(tmp_path, [[value, value] for value in RISKY])
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    assert 't="e"' not in xml
    for row in range(2, len(RISKY) + 2):
        for column in "AB":
            cell = cell_xml(xml, f"{column}{row}")
            assert 't="inlineStr"' in cell, cell
    sheet = openpyxl.load_workbook(path).active
    for row, value in enumerate(RISKY, 2):
        for column in (1, 2):
            cell = sheet.cell(row, column)
            assert cell.data_type == "s"
            assert cell.value == value.replace("\r", "\n")  # XML keeps no bare CR
            assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
            # the quote prefix gives it a style of its own: still at the top of its row
            assert cell.alignment.vertical == "top", (row, column)


def test_styled_column_keeps_its_style_for_risky_text(tmp_path):
    path = write(tmp_path, [["=1", "=2"], ["ok", "00123"]])
    sheet = openpyxl.load_workbook(path).active
    assert sheet["B2"].number_format == "@" and sheet["B2"].quotePrefix
    assert sheet["B3"].number_format == "@" and not sheet["B3"].quotePrefix
    assert sheet["B3"].value == "00123"


def test_plain_values_keep_their_type(tmp_path):
    path = write(tmp_path, [[12, 1.5], [dt.date(2027, 3, 15), None], ["a=b", "x-1"]])
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == 12 and sheet["B2"].value == 1.5
    assert sheet["A3"].value.date() == dt.date(2027, 3, 15)
    assert sheet["A4"].value == "a=b" and sheet["B4"].value == "x-1"


def test_control_characters_are_stripped_line_breaks_kept(tmp_path):
    path = write(tmp_path, [["a\x00b\x07c\x1f", "line1\nline2\tend"]])
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == "abc"
    assert sheet["B2"].value == "line1\nline2\tend"


def test_too_long_text_is_refused_with_location(tmp_path):
    fits = "长" * MAX_CELL_CHARS
    path = write(tmp_path, [[fits, None]])
    assert openpyxl.load_workbook(path).active["A2"].value == fits
    with pytest.raises(PlannerError) as caught:
        write(tmp_path, [["ok", None], [None, "x" * (MAX_CELL_CHARS + 1)]], name="long.xlsx")
    assert caught.value.key == "error.xlsx-cell-too-long"
    assert caught.value.field == "Sheet!B3 (other)"
    assert "32767" in render_error(caught.value, "en")
    assert not (tmp_path / "long.xlsx").exists()


def test_other_objects_are_written_as_text(tmp_path):
    class Thing:
        def __str__(self):
            return "=thing()"

    aware = dt.datetime(2027, 3, 15, 1, 0, tzinfo=dt.UTC)
    path = write(tmp_path, [[Thing(), aware]])
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == "=thing()" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == dt.datetime(2027, 3, 15, 9, 0)  # Shanghai wall clock


def test_cli_exports_never_hold_formulas(run, shop_file, tmp_path):
    shop_file('name: "=HYPERLINK(\\"http://x\\")"\nsize: small\nlang: zh\n'
              'issuer: "@evil"\ncontacts:\n'
              '  - {department: cs-manager, name: "=1+1", mobile: "13800138000",'
              ' role: "+cmd", shift: "-03-14 =x", escalation: 1}\n'
              '  - {department: pr, name: "#N/A", mobile: "13900139000", im: "@im"}\n')
    result = run("export", "all", "--year", "2027", "--today", "2027-02-01", "-o", "out")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").glob("*.xlsx"))
    assert len(files) == 4
    for path in files:
        for name, xml in all_sheet_xml(path).items():
            assert "<f>" not in xml and "<f " not in xml, (path.name, name)
            assert 't="e"' not in xml, (path.name, name)
    notice = openpyxl.load_workbook(next(p for p in files if "notice" in p.name))
    texts = {c.value for ws in notice for row in ws.iter_rows() for c in row}
    assert "=1+1" in texts and "#N/A" in texts
    assert any(isinstance(t, str) and "@evil" in t for t in texts)


def test_display_width_counts_wide_characters_double():
    assert metrics.display_width("abc") == 3
    assert metrics.display_width("中文ab") == 6
    assert metrics.display_width("ａｂ") == 4  # full-width Latin
    assert metrics.display_width("一行\n很长的一行") == 10


def test_text_is_measured_in_the_fonts_metrics():
    # Calibri's digits are 0.506 em, its "i" 0.229 em; a Chinese character is one em
    assert metrics.text_points("0000000000") == pytest.approx(55.66)
    assert metrics.text_points("iiii") < metrics.text_points("mm")
    assert metrics.text_points("中文", size=10) == 20
    assert metrics.text_points("中文\nab") == 22
    assert metrics.text_points("Bold", bold=True) > metrics.text_points("Bold")
    # a mobile number needs about 13.5 digits of column width, padding included
    assert 13 < metrics.column_width("13800138000") < 14.5
    assert metrics.column_width("2027-03-15 18:00 周一") > metrics.column_width("2027-03-15 18:00")


def test_wrapped_lines_break_words_and_chinese():
    assert metrics.wrapped_lines("short", 20) == 1
    assert metrics.wrapped_lines("中" * 30, 31.5) == 3
    assert metrics.wrapped_lines("a\nb\nc", 20) == 3
    role = "CS supervisor/manager"
    assert metrics.wrapped_lines(role, 16) == 3  # "supervisor/manager" is cut: the bug
    assert metrics.wrapped_lines(role, metrics.column_width(role)) == 1
    # no line starts with a full stop or comma: it stays at the end of the line before
    width = metrics.column_width("中" * 10)
    assert metrics.wrapped_lines("中" * 10 + "。", width) == 1
    assert metrics.wrapped_lines("中" * 11, width) == 2


def test_line_heights_fit_the_taller_chinese_fonts():
    assert metrics.line_height(1, wide=False) < metrics.line_height(1, wide=True)
    assert metrics.line_height(3) > 3 * 11 * 1.4
    # Excel wraps 30 characters over 3 lines of a column 31.5 wide, LibreOffice (wider
    # columns, taller lines) over 2: the row fits Excel's 3 lines, and is not a line of
    # LibreOffice's taller than its 2
    assert metrics.wrapped_lines("中" * 30, 31.5, office=True) == 2
    height = metrics.text_height("中" * 30, 31.5)
    assert height == metrics.line_height(3, office=False) >= metrics.line_height(2, office=True)
    assert height < metrics.line_height(3)


def test_libreoffice_columns_as_measured():
    # 15 Chinese characters (165 pt) fit on a line of LibreOffice's from 30.4 units on, not
    # at 30.2: counted with a little to spare
    assert metrics.wrapped_lines("中" * 15, 30.2, office=True) == 2
    assert metrics.wrapped_lines("中" * 15, 31, office=True) == 1
    assert metrics.wrapped_lines("中" * 15, 31) == 2  # not in Excel's narrower column
    assert 166 < metrics.column_points(30) < 168  # 166.5 pt as LibreOffice prints it


def test_sheet_titles_and_file_names_are_made_safe():
    assert sheet_title("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert len(sheet_title("x" * 40)) == 31
    assert sheet_title("") == "Sheet"
    assert filename_safe('示例 旗舰店/分店:"1"') == "示例_旗舰店_分店_1"
    assert filename_safe("-rf .hidden") == "rf_.hidden"
    assert filename_safe("../..") == "shop"
    assert filename_safe(None) == "shop"
    assert default_name("notice", 2027, "小店") == "315-2027-小店-notice.xlsx"


def test_too_long_text_is_located_in_styled_cells_and_above_the_header(tmp_path):
    long = "x" * (MAX_CELL_CHARS + 1)
    bold = Style(bold=True)
    columns = [Column("day\nMon"), Column("what")]
    cases = [
        ({"rows": [[bold.cell("ok"), bold.cell(long)]]}, "Sheet!B2 (what)"),
        ({"rows": [[long]]}, "Sheet!A2 (day Mon)"),  # a header on two lines, named on one
        ({"rows": [], "preamble": [[bold.cell("title")], [None, bold.cell(long)]]}, "Sheet!B2"),
    ]
    for kwargs, where in cases:
        with pytest.raises(PlannerError) as caught, building("test") as wb:
            write_table(wb, Table(title="Sheet", columns=columns, **kwargs))
        assert caught.value.field == where


# --- reading workbooks from outside -------------------------------------------------------------


def workbook(path, rows, chart_first=False):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    if chart_first:
        wb.create_chartsheet("chart", 0)
    wb.save(path)
    return path


def rewritten(path, name, change):
    """A copy of `path` with the zip member `name` changed (None: left out)."""
    target = path.with_name("changed.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == name:
                data = change(data)
                if data is None:
                    continue
            out.writestr(info, data)
    return target


def test_read_rows_numbers_rows_and_skips_chartsheets(tmp_path):
    path = workbook(tmp_path / "a.xlsx", [["ID", "Status"], ["x", 1]], chart_first=True)
    assert list(read_rows(path)) == [(1, ("ID", "Status")), (2, ("x", 1))]


@pytest.mark.parametrize(("member", "change"), [
    ("xl/worksheets/sheet1.xml", lambda data: data[:200]),
    ("xl/worksheets/sheet1.xml", lambda data: b""),
    ("xl/workbook.xml", lambda data: None),
    ("xl/workbook.xml", lambda data: data.replace(b"<sheets>", b"<sheets><")),
    ("xl/styles.xml", lambda data: data[:300]),
    ("[Content_Types].xml", lambda data: None),
])
def test_read_rows_turns_any_damage_into_one_error(tmp_path, member, change):
    good = workbook(tmp_path / "a.xlsx", [["ID", "Status"], ["x", "done"]])
    path = rewritten(good, member, change)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl's warnings would reach the user's terminal
        with pytest.raises(PlannerError) as caught:
            list(read_rows(path))
    assert caught.value.key == "error.xlsx-unreadable"
    assert caught.value.file == str(path)


@pytest.mark.parametrize("data", [b"", b"ID,Status\n", b"PK\x03\x04broken"])
def test_read_rows_refuses_files_that_are_no_workbook(tmp_path, data):
    path = tmp_path / "a.xlsx"
    path.write_bytes(data)
    with pytest.raises(PlannerError) as caught:
        list(read_rows(path))
    assert caught.value.key == "error.xlsx-unreadable"


def test_control_characters_in_the_shop_name_reach_no_property(run, shop_file, tmp_path):
    shop_file('name: "a\\x01b"\nsize: small\nlang: en\n')
    result = run("export", "notice", "--year", "2027", "-o", "n.xlsx")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "n.xlsx").properties.subject == "ab"


def test_read_rows_says_when_there_are_only_charts(tmp_path, run, shop_file):
    wb = openpyxl.Workbook()
    wb.create_chartsheet("chart")
    wb.remove(wb.active)
    wb.save(tmp_path / "charts.xlsx")
    with pytest.raises(PlannerError) as caught:
        list(read_rows(tmp_path / "charts.xlsx"))
    assert caught.value.key == "error.xlsx-no-worksheet"
    shop_file("size: small\n")
    result = run("roster", "import", "charts.xlsx", "--lang", "zh")
    assert result.output.strip() == "错误：charts.xlsx: 工作簿中没有工作表（只有图表）"


def test_a_date_does_not_turn_the_numbers_after_it_into_dates(tmp_path):
    # a wrapped column reuses one styled cell row after row; a date in it must not give
    # that cell a date format for the numbers below
    table = Table(title="t", columns=[Column("a", wrap=True)],
                  rows=[[dt.date(2027, 3, 1)], [12], ["text"], [dt.datetime(2027, 3, 1, 9)], [3]])
    with building("t") as wb:
        write_table(wb, table)
        save_workbook(wb, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    formats = [ws.cell(row, 1).number_format for row in range(2, 7)]
    assert formats[1] == formats[2] == formats[4] == "General"
    assert "yy" in formats[0] and "yy" in formats[3]


def test_every_row_gets_the_height_of_its_wrapped_text(tmp_path):
    # LibreOffice does not grow rows when it opens a file: rows past the sampled first ones
    # need their height too
    long = "收到的杯子有裂纹，买家要求退货并赔偿运费" * 3
    rows = [["x", "short"] if n % 100 else ["x", long] for n in range(1, 501)]
    table = Table(title="t", columns=[Column("a"), Column("b", wrap=True, max_width=20)],
                  rows=iter(rows))
    with building("t") as wb:
        write_table(wb, table)
        save_workbook(wb, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    tall = {row for row in range(2, 502) if ws.row_dimensions[row].height}
    assert tall == {101, 201, 301, 401, 501}
    assert ws.row_dimensions[401].height >= 4 * 11 * 1.4


def test_a_wrapped_column_does_not_cut_a_word(tmp_path):
    table = Table(title="t", columns=[Column("Owner", max_width=16)],
                  rows=[["CS supervisor/manager and more words to wrap"]])
    with building("t") as wb:
        write_table(wb, table)
        save_workbook(wb, tmp_path / "t.xlsx")
    width = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"].column_dimensions["A"].width
    assert width >= metrics.column_width("supervisor/manager")
