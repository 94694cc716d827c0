"""The checklist workbook: layout, status dropdown, check-off state, and reading an edited
file back (`read_checklist`)."""

import datetime as dt

import openpyxl
import pytest
from conftest import build_plan

from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.export.checklist import write_checklist_workbook
from planner.input.checklist import parse_date, read_checklist


def small_plan(lang="zh"):
    return build_plan(size="small", year=2027, lang=lang)


def item_ids(plan):
    return [item["id"] for phase in plan["phases"] for item in phase["items"]]


def row_count(plan):
    """The sheet's rows: one per item, and one per day of a daily duty."""
    return sum(len(item.get("days") or [None]) for phase in plan["phases"]
               for item in phase["items"])


@pytest.fixture
def exported(tmp_path):
    plan = small_plan()
    path = write_checklist_workbook(tmp_path / "c.xlsx", plan, "zh")
    return path, plan


def edit(path, changes):
    """Change cells the way a user would in Excel: {(row, column letter): value}."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for (row, column), value in changes.items():
        ws[f"{column}{row}"] = value
    wb.save(path)


def test_layout_and_dropdown(exported):
    path, plan = exported
    count = row_count(plan)
    ws = openpyxl.load_workbook(path)["检查表"]
    assert [c.value for c in ws[1]] == ["编号", "阶段", "类别", "负责人", "截止日期", "日期",
                                        "事项", "状态", "确认人", "确认日期", "备注",
                                        "导出时状态"]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("D9E1F2") for c in ws[1])
    assert ws.freeze_panes == "B2"
    # the hidden column is inside the filter: sorting keeps it with its row
    assert ws.auto_filter.ref == f"A1:L{count + 1}"
    assert ws.column_dimensions["L"].hidden
    assert not any(ws.column_dimensions[c].hidden for c in "ABCDEFGHIJK")
    assert ws["L2"].value == "未完成" and ws["L2"].data_type == "s"
    # the dropdown and the colours stop at the visible columns
    assert [str(rng.sqref) for rng in ws.conditional_formatting] == [f"A2:K{count + 1}"]
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape")
    # every column across one page, at a legible scale (text 8 pt or more)
    from planner.export.xlsx import MIN_SCALE

    assert ws.page_setup.scale >= MIN_SCALE and ws.print_title_rows == "$1:$1"
    assert not ws.print_title_cols
    [validation] = ws.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"未完成,已完成,不适用"'
    assert str(validation.sqref) == f"H2:H{count + 1}"
    first = plan["phases"][0]["items"][0]
    assert ws["A2"].value == first["id"] and ws["A2"].number_format == "@"
    assert ws["E2"].value == first["due"].isoformat() and ws["E2"].number_format == "@"
    assert ws["H2"].value == "未完成"
    assert ws["J2"].number_format == "@"  # the date column is text before anyone types
    assert ws.column_dimensions["G"].width >= 20  # Chinese titles count double


def test_english_statuses_and_item_state(tmp_path):
    plan = small_plan("en")
    items = plan["phases"][0]["items"]
    items[0].update(status="done", by="Wang", at="2027-03-09T10:00:00+08:00", note="=ok")
    items[1].update(status="skipped", by="Li", at="2027-03-10T09:00:00+08:00", note=None)
    path = write_checklist_workbook(tmp_path / "c.xlsx", plan, "en")
    ws = openpyxl.load_workbook(path).active
    assert ws.data_validations.dataValidation[0].formula1 == '"open,done,skipped"'
    assert [ws[f"{c}2"].value for c in "HIJKL"] == ["done", "Wang", "2027-03-09", "=ok",
                                                    "done"]
    assert ws["K2"].data_type == "s"
    assert ws["H3"].value == "skipped" and ws["H4"].value == "open"
    assert (ws["L3"].value, ws["L4"].value) == ("skipped", "open")
    assert ws["L1"].value == "Status when exported"


def test_read_back_round_trip(exported):
    path, plan = exported
    ids = item_ids(plan)
    edit(path, {
        (2, "H"): "已完成", (2, "I"): "王芳", (2, "J"): dt.datetime(2027, 3, 9),
        (3, "H"): "skipped", (3, "J"): 46455, (3, "K"): "没有奖品",  # J: 2027-03-09
        (4, "H"): " Done ", (4, "J"): "2027/3/10", (4, "K"): "备注 =1",
        (5, "H"): "不适用", (5, "J"): "2027年3月11日", (5, "K"): "不适用本店",
        (6, "H"): None,
    })
    rows = read_checklist(path, "zh", valid_ids=ids).rows
    assert len(rows) == row_count(plan)
    by_id = {row["id"]: row for row in rows if row["day"] is None}
    assert by_id[ids[0]] == {"row": 2, "id": ids[0], "day": None, "status": "done", "by": "王芳",
                             "date": dt.date(2027, 3, 9), "note": None, "exported": "open"}
    assert by_id[ids[1]]["status"] == "skipped"
    assert by_id[ids[1]]["date"] == dt.date(2027, 3, 9)
    assert by_id[ids[2]]["status"] == "done" and by_id[ids[2]]["note"] == "备注 =1"
    assert by_id[ids[2]]["date"] == dt.date(2027, 3, 10)
    assert by_id[ids[3]]["status"] == "skipped"
    assert by_id[ids[3]]["date"] == dt.date(2027, 3, 11)
    assert by_id[ids[4]]["status"] == "open"


def test_ids_are_normalised(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Status", "Date"])
    ws.append(["  Prepare.Plan.Kickoff ", "done", None])
    ws.append([123.0, "open", None])
    wb.save(tmp_path / "x.xlsx")
    rows = read_checklist(tmp_path / "x.xlsx").rows
    assert [row["id"] for row in rows] == ["prepare.plan.kickoff", "123"]
    assert [row["exported"] for row in rows] == [None, None]  # no such column: unknown


def test_every_bad_row_is_named_and_nothing_returned(exported):
    path, plan = exported
    ids = item_ids(plan)
    edit(path, {
        (2, "H"): "完成了",           # unknown status
        (3, "J"): "2027-13-01",       # malformed date
        (4, "J"): "下周",              # malformed date
        (5, "A"): "prepare.nothing",  # unknown id
        (6, "A"): ids[0],             # repeats row 2
        (7, "A"): None,               # no id, other cells filled
        (8, "J"): 5,                  # a serial number that is no plausible date
    })
    with pytest.raises(PlannerError) as caught:
        read_checklist(path, "en", valid_ids=ids)
    error = caught.value
    assert error.key == "error.checklist-bad-rows"
    assert error.params["bad_rows"] == [2, 3, 4, 5, 6, 7, 8]
    message = render_error(error, "en")
    for part in ("row 2: unknown status '完成了'", "row 3: cannot read the date '2027-13-01'",
                 "row 5: unknown ID prepare.nothing", f"row 6: ID {ids[0]} repeats row 2",
                 "row 7: no ID", "7 rows with problems"):
        assert part in message
    assert error.file == str(path)


def test_unknown_ids_pass_without_a_set(exported):
    path, _plan = exported
    edit(path, {(2, "A"): "custom.item"})
    assert read_checklist(path).rows[0]["id"] == "custom.item"


def test_not_a_checklist(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(PlannerError) as caught:
        read_checklist(tmp_path / "x.xlsx")
    assert caught.value.key == "error.checklist-not-export"
    with pytest.raises(PlannerError):
        read_checklist(tmp_path / "missing.xlsx")


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), ("", None), ("  ", None), (dt.date(2027, 3, 1), dt.date(2027, 3, 1)),
    (dt.datetime(2027, 3, 1, 12), dt.date(2027, 3, 1)), (46447, dt.date(2027, 3, 1)),
    (46447.5, dt.date(2027, 3, 1)), ("46447", dt.date(2027, 3, 1)),
    ("2027-03-01", dt.date(2027, 3, 1)), ("2027/3/1", dt.date(2027, 3, 1)),
    ("2027.03.01", dt.date(2027, 3, 1)), ("2027年3月1日", dt.date(2027, 3, 1)),
    ("2027-03-01 10:30", dt.date(2027, 3, 1)), ("２０２７-０３-０１", dt.date(2027, 3, 1)),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["03-01", "2027-02-30", "tomorrow", 12, -1, True])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_cli_export_checklist_shows_store_state(run, shop_file, tmp_path):
    shop_file("name: 小店\nsize: small\nlang: zh\n")
    ids = item_ids(small_plan())
    done = run("check", ids[0], "--by", "王芳", "--at", "2026-03-09")
    if done.exit_code != 0:
        pytest.skip("check-off command not available: " + done.output)
    result = run("export", "checklist", "--year", "2027")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "315-2027-小店-checklist.xlsx").active
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == ids[0])
    assert row[7] == "已完成" and row[8] == "王芳" and row[9] == "2026-03-09"


# --- files that are not an exported checklist --------------------------------------------------


def damaged(path):
    """`path` with its sheet XML cut short inside the zip (as a broken download leaves it)."""
    import zipfile

    broken = path.with_name("broken-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, data[:200] if info.filename.startswith("xl/worksheets/")
                            else data)
    return broken


@pytest.fixture
def workspace(run, tmp_path):
    assert run("init", "ws", "--size", "small", "--lang", "en").exit_code == 0
    return tmp_path / "ws"


def import_fails(run, workspace, path, *args):
    """Import `path`, expecting exit 1 and no change to the check-off state."""
    before = run("status", "--format", "json", "-w", workspace).output
    result = run("import", "checklist", path, "-w", workspace, *args)
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "Traceback" not in result.output
    assert run("status", "--format", "json", "-w", workspace).output == before
    return result.output.strip()


@pytest.mark.parametrize("name", ["x.csv", "x.xls", "x.ods"])
def test_other_formats_are_refused_by_name(run, workspace, tmp_path, name):
    (tmp_path / name).write_text("a,b\n", encoding="utf-8")
    message = import_fails(run, workspace, tmp_path / name)
    suffix = name[1:]
    assert message.endswith(f"{name}: cannot import {suffix} files here: use the .xlsx "
                            "exported by planner315 export checklist")
    zh = import_fails(run, workspace, tmp_path / name, "--lang", "zh")
    assert f"无法在此导入 {suffix} 文件" in zh


def test_damaged_workbook_is_one_clean_error(run, workspace, exported):
    path, _plan = exported
    message = import_fails(run, workspace, damaged(path))
    assert message.endswith("broken-c.xlsx: not a readable Excel file (damaged, or not in "
                            ".xlsx format): open it in Excel and save it as .xlsx")
    (workspace / "fake.xlsx").write_text("ID,Status\n", encoding="utf-8")
    assert "fake.xlsx: not a readable Excel file" in import_fails(
        run, workspace, workspace / "fake.xlsx")


def test_chartsheet_before_the_checklist_is_skipped(exported):
    path, plan = exported
    wb = openpyxl.load_workbook(path)
    wb.create_chartsheet("chart", 0)
    wb.save(path)
    assert len(read_checklist(path, "zh", valid_ids=item_ids(plan)).rows) == row_count(plan)


def test_repeated_header_is_refused_with_its_columns(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "Status", "Note", "状态"])
    wb.active.append(["prepare.plan.kickoff", "done", None, "open"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(PlannerError) as caught:
        read_checklist(tmp_path / "x.xlsx")
    assert render_error(caught.value, "en") == (
        f"{tmp_path / 'x.xlsx'}:1: Status: this column appears more than once in the header "
        "(columns B, D): keep one")


def test_long_values_are_cut_in_row_problems(exported):
    path, plan = exported
    edit(path, {(2, "H"): "x" * 5000, (3, "A"): "y" * 5000})
    with pytest.raises(PlannerError) as caught:
        read_checklist(path, "en", valid_ids=item_ids(plan))
    message = render_error(caught.value, "en")
    assert f"unknown status '{'x' * 59}…'" in message and "x" * 61 not in message
    assert f"unknown ID {'y' * 59}…" in message
    assert len(message) < 1000


def test_exported_status_is_read_in_either_language(exported):
    path, plan = exported
    ids = item_ids(plan)
    edit(path, {(2, "H"): "done", (3, "L"): "done", (4, "L"): None})
    by_id = {row["id"]: row for row in read_checklist(path, "en", valid_ids=ids).rows}
    assert (by_id[ids[0]]["status"], by_id[ids[0]]["exported"]) == ("done", "open")
    assert (by_id[ids[1]]["status"], by_id[ids[1]]["exported"]) == ("open", "done")
    assert by_id[ids[2]]["exported"] is None  # emptied: compared with the saved state


def test_a_row_with_only_its_hidden_cell_left_is_no_row(exported):
    path, plan = exported
    edit(path, {(2, c): None for c in "ABCDEFGHIJ"})
    rows = read_checklist(path, "zh", valid_ids=item_ids(plan)).rows
    assert len(rows) == row_count(plan) - 1 and rows[0]["row"] == 3
