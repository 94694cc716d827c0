"""The schedule workbook: a Gantt chart with one column per campaign day."""

import datetime as dt

import openpyxl
import pytest
from conftest import build_plan

from planner.export.schedule import PHASE_COLOURS, WEEKEND, write_schedule_workbook


@pytest.fixture
def sheet(tmp_path):
    plan = build_plan(size="medium", year=2027, lang="zh", shop=None)
    plan["phases"][0]["items"][0]["status"] = "done"
    path = write_schedule_workbook(tmp_path / "s.xlsx", plan, "zh")
    return openpyxl.load_workbook(path)["进度表"], plan


def fill(cell):
    return cell.fill.fgColor.rgb[-6:] if cell.fill and cell.fill.fill_type else None


def day_column(plan, day):
    first = plan["phases"][0]["start"]
    return 5 + (day - first).days


def test_one_column_per_day_and_frozen_lead_columns(sheet):
    ws, plan = sheet
    first, last = plan["phases"][0]["start"], plan["phases"][-1]["end"]
    days = (last - first).days + 1
    header = [c.value for c in ws[1]]
    assert header[:4] == ["编号", "事项", "负责人", "截止日期"]
    assert len(header) == 4 + days
    weekdays = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]  # as in the notice
    assert header[4] == f"{first.month}/{first.day}\n{weekdays[first.weekday()]}"
    assert ws.freeze_panes == "E2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # over several pages at a legible size, the item columns on every page
    assert ws.page_setup.scale == 76 and ws.print_title_rows == "$1:$1"
    assert ws.print_title_cols == "$A:$D" and ws.page_setup.pageOrder == "overThenDown"
    rows = sum(len(p["items"]) + 1 for p in plan["phases"])
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, 4 + days).column_letter}{rows + 1}"
    # a day column is as wide as its header ("3/1" over "周一", bold) and no wider
    from planner.export.metrics import column_width

    assert ws.column_dimensions["E"].width == max(6.0, column_width("周一", bold=True)) < 6.5
    # team names fit on one line ("客服主管/经理", "CS supervisor/manager" in English)
    assert ws.column_dimensions["C"].width >= column_width("客服主管/经理")
    assert not (ws["C3"].alignment and ws["C3"].alignment.wrap_text)


def test_phase_bands_due_marks_and_weekends(sheet):
    ws, plan = sheet
    row = 2
    for phase in plan["phases"]:
        band, weekend_band, marker = PHASE_COLOURS[phase["id"]]
        assert ws.cell(row, 1).value == phase["name"]
        assert fill(ws.cell(row, day_column(plan, phase["start"]))) == marker
        before = phase["start"] - dt.timedelta(days=1)
        if before >= plan["phases"][0]["start"]:
            assert fill(ws.cell(row, day_column(plan, before))) != marker
        row += 1
        for item in phase["items"]:
            assert ws.cell(row, 1).value == item["id"]
            marked = item.get("days") or [item["due"]]  # a daily duty: every day of its phase
            for day in marked:
                due = ws.cell(row, day_column(plan, day))
                assert due.value == ("✓" if item.get("status") == "done" else "◆")
                assert fill(due) == marker
            for day in (phase["start"], phase["end"]):
                if day not in marked:
                    expected = weekend_band if day.weekday() >= 5 else band
                    assert fill(ws.cell(row, day_column(plan, day))) == expected
            row += 1
    # a weekend day outside a phase band is shaded grey, in the header too
    aftermath = plan["phases"][-1]
    item_row = 3
    saturday = next(aftermath["start"] + dt.timedelta(days=n) for n in range(7)
                    if (aftermath["start"] + dt.timedelta(days=n)).weekday() == 5)
    assert fill(ws.cell(item_row, day_column(plan, saturday))) == WEEKEND
    assert fill(ws.cell(1, day_column(plan, saturday))) == "D9D9D9"


def test_march_15_stands_out(sheet):
    ws, plan = sheet
    column = day_column(plan, dt.date(2027, 3, 15))
    assert ws.cell(1, column).value.startswith("3/15")
    assert fill(ws.cell(1, column)) == "FFC7CE"


def test_cli_schedule_in_english(run, shop_file, tmp_path):
    shop_file("name: Shop\nsize: small\n")
    result = run("export", "schedule", "--year", "2027", "--lang", "en")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "315-2027-Shop-schedule.xlsx")
    assert wb.sheetnames == ["Schedule"]
    assert wb.properties.title == "Shop · 315 schedule 2027"
    assert wb.active["E1"].value == "3/6\nSat"
