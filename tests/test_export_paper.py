"""The workbooks as they print: widths from what the columns hold, one vertical alignment,
phones and dates never wrapped, the notice's page breaks and its notes to the sender, the
schedule's paper. (tests/test_print.py renders them with LibreOffice.)"""

import datetime as dt

import openpyxl
import pytest

from planner.export.metrics import column_width, wrapped_lines
from planner.export.notice import page_breaks

SHOP = """name: 示例店
size: large
lang: {lang}
contacts:
  - {{department: cs-manager, name: 张伟, role: 客服经理, mobile: "13800138000",
     landline: "0571-88886666-801", shift: "03-11~03-20 09:00-18:00", escalation: 1}}
  - {{department: warehouse, name: 刘洋, mobile: "13500135000"}}
"""


@pytest.fixture
def shop(shop_file, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER315_USER", "张伟")
    monkeypatch.setenv("PLANNER315_NOW", "2027-03-15T15:30:00+08:00")

    def make(lang="zh", text=SHOP):
        shop_file(text.format(lang=lang))
        return tmp_path

    return make


def export(run, kind, *args):
    result = run("export", kind, "--year", "2027", "-o", f"{kind}.xlsx", "--force", *args)
    assert result.exit_code == 0, result.output
    return result, openpyxl.load_workbook(f"{kind}.xlsx")


def cells(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_written_cell_is_top_aligned(run, shop, lang):
    shop(lang)
    run("complaint", "add", "-c", "quality", "-s", "杯子有裂纹", "-r", "2027-03-14 09:05")
    for kind in ("roster", "notice", "checklist", "schedule", "complaints"):
        _result, wb = export(run, kind)
        for ws in wb:
            header = 3 if ws.title in ("部署通知", "Notice") else 1
            bottom = [c.coordinate for c in cells(ws)
                      if c.row >= header and c.alignment.vertical not in ("top", None)]
            assert not bottom, (kind, ws.title, bottom[:5])
            # a cell without an alignment of its own takes the workbook's default: top
            assert wb._cell_styles[0].alignmentId and \
                wb._alignments[wb._cell_styles[0].alignmentId].vertical == "top"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_register_dates_print_with_minutes_and_weekday(run, shop, lang):
    shop(lang)
    result = run("complaint", "add", "-c", "quality", "-s", "杯子有裂纹", "-r",
                 "2027-03-14 09:05")
    assert result.exit_code == 0, result.output
    _result, wb = export(run, "complaints")
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    column = headers.index("受理时间" if lang == "zh" else "Received") + 1
    cell = ws.cell(2, column)
    assert cell.value == dt.datetime(2027, 3, 14, 9, 5)  # a date, sortable and filterable
    assert cell.number_format == ('[$-804]yyyy-mm-dd hh:mm "周"aaa' if lang == "zh"
                                  else "[$-409]yyyy-mm-dd hh:mm ddd")
    shown = "2027-03-14 09:05 周日" if lang == "zh" else "2027-03-14 09:05 Sun"
    letter = cell.column_letter
    assert ws.column_dimensions[letter].width >= column_width(shown)
    assert not cell.alignment.wrap_text
    # every column is as wide as the widest of its names: level, status, handler
    for name in ("紧急投诉", "处理中") if lang == "zh" else ("Level III", "in progress"):
        assert any(ws.column_dimensions[c.column_letter].width >= column_width(name)
                   for c in ws[1])


def test_phones_and_team_names_never_wrap(run, shop):
    shop("en")
    _result, wb = export(run, "roster")
    ws = wb.worksheets[0]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert widths["Mobile"] >= column_width("13800138000")
    assert widths["Landline"] >= column_width("0571-88886666-801")
    assert widths["Department"] >= column_width("CS supervisor/manager")
    assert wrapped_lines("CS supervisor/manager", widths["Department"]) == 1
    _result, wb = export(run, "notice")
    ws = wb.worksheets[0]
    phones = next(c for c in cells(ws) if "13800138000" in str(c.value))
    assert phones.value == "13800138000\n0571-88886666-801"  # a line each, never broken
    assert wrapped_lines(phones.value, ws.column_dimensions[phones.column_letter].width) == 2


def test_notice_rows_fit_their_text_and_headings_keep_with_their_rows(run, shop):
    shop("zh")
    _result, wb = export(run, "notice")
    ws = wb.worksheets[0]
    assert not ws.auto_filter.ref
    widths = {c: ws.column_dimensions[c].width for c in "ABCD"}
    wide = widths["B"] + widths["C"] + widths["D"]
    for row in range(4, ws.max_row + 1):
        text = ws.cell(row, 2).value
        if text and ws.cell(row, 3).value is None:  # a line across the row
            lines = wrapped_lines(text, wide, 12 if ws.cell(row, 2).font.sz == 12 else 11,
                                  bold=bool(ws.cell(row, 2).font.b))
            assert ws.row_dimensions[row].height >= lines * 11 * 1.4, (row, text)
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    headings = {row for row in range(4, ws.max_row + 1)
                if ws.cell(row, 2).font.b and ws.cell(row, 2).value}
    assert not headings & set(breaks)  # no heading is the last row of a page


def test_page_breaks_keep_groups_together_and_fill_pages():
    heights = {row: 100.0 for row in range(1, 20)}
    keep = {7: True}  # row 7 (a heading) stays with row 8
    breaks = page_breaks(heights, keep, start=1, used=20.0, repeated=20.0, page=760.0)
    # 7 rows fit a page (20 + 7 x 100 <= 736); row 7 would end it, so it starts the next
    assert breaks[0] == 6
    assert all(b not in keep for b in breaks)
    assert breaks == sorted(set(breaks))


def test_notice_says_what_is_missing_and_strict_refuses(run, shop, tmp_path):
    shop("zh", "name: 示例店\nsize: large\nlang: {lang}\n")
    result = run("export", "notice", "--year", "2027", "-o", "n.xlsx")
    assert result.exit_code == 0
    assert "部署通知尚不完整" in result.stderr
    assert "升级顺序" in result.stderr and "客服主管/经理" in result.stderr
    assert "发布人" in result.stderr
    assert (tmp_path / "n.xlsx").exists()
    result = run("export", "notice", "--year", "2027", "-o", "strict.xlsx", "--strict",
                 "--issuer", "王芳")
    assert result.exit_code == 1
    assert "--strict" in result.output and "升级顺序" in result.output
    assert not (tmp_path / "strict.xlsx").exists()
    result = run("export", "all", "--year", "2027", "-o", "all", "--strict")
    assert result.exit_code == 1
    assert not list((tmp_path / "all").glob("*.xlsx"))  # not one of the set written


def test_complete_notice_has_no_notes_and_takes_its_date(run, shop):
    shop("zh")
    result, wb = export(run, "notice", "--issuer", "王芳", "--date", "2027-02-20", "--strict")
    assert "尚不完整" not in result.stderr
    texts = [c.value for c in cells(wb.worksheets[0])]
    assert "发布日期：2027年2月20日" in texts and "发布人：王芳" in texts


def test_schedule_prints_on_a4_by_default_and_a3_when_asked(run, shop):
    shop("en")
    _result, wb = export(run, "schedule")
    ws = wb.worksheets[0]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.scale >= 76 and ws.print_title_cols == "$A:$D"
    _result, wb = export(run, "schedule", "--paper", "a3")
    ws = wb.worksheets[0]
    assert ws.page_setup.paperSize == 8 and ws.page_setup.orientation == "landscape"
    result = run("export", "schedule", "--paper", "a5")
    assert result.exit_code == 2


def test_a_date_column_is_wide_enough_before_its_first_date(run, shop):
    # the register is sized from its first rows: a first response that only comes later
    # must still fit (it printed as ### when the first rows had none)
    shop("en")
    result = run("complaint", "add", "-c", "quality", "-s", "cracked", "-r", "2027-03-14 09:05")
    assert result.exit_code == 0, result.output
    _result, wb = export(run, "complaints")
    ws = wb.worksheets[0]
    column = [c.value for c in ws[1]].index("First response") + 1
    assert ws.cell(2, column).value is None
    width = ws.column_dimensions[ws.cell(1, column).column_letter].width
    assert width >= column_width("2027-03-15 23:59 Wed")
