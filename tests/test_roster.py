"""The contact roster: normalising phones, reading CSV/XLSX in either language, validation
with row numbers, all-or-nothing import, and `planner315 roster`."""

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.errors import PlannerError
from planner.roster.contacts import as_shown, on_floor_schedule
from planner.roster.values import (
    mask_mobile,
    normalise_landline,
    normalise_mobile,
    shift_days,
    shift_label,
)

CACHE = ".planner315"  # the parsed-file cache, data the program may always rebuild

HEADER_ZH = "部门,姓名,职务,手机,座机/分机,旺旺/钉钉,邮箱,值班/班次,升级顺序,备岗"
ROWS_ZH = [
    "客服主管/经理,张伟,客服经理,+86 138-0013-8000,0571-87654321-8001,zw,zw@example.com,"
    "03-11~03-15 早班,1,李娜",
    "cs-manager,李娜,客服主管,139 0013 9000,,,,03-16~03-20 早班,2,张伟",
    "仓储部,刘洋,仓库主管,,(010)12345678,,,,,",
]


@pytest.fixture
def workspace(shop_file, tmp_path):
    shop_file("name: 示例店\nsize: large\nlang: zh\n")
    return tmp_path


def csv_file(tmp_path, lines, encoding="utf-8", name="contacts.csv"):
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def roster(workspace):
    return (workspace / "roster.yaml").read_text(encoding="utf-8")


# --- normalising ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["13800138000", "138 0013 8000", "138-0013-8000",
                                 "+86 13800138000", "+86-138-0013-8000", "0086 138 0013 8000",
                                 "8613800138000", "１３８００１３８０００", 13800138000,
                                 13800138000.0])
def test_mobiles_are_normalised(raw):
    assert normalise_mobile(raw) == "13800138000"


@pytest.mark.parametrize("raw", ["1380013800", "138001380000", "12800138000", "23800138000",
                                 "1380013800a", "", "+1 13800138000"])
def test_bad_mobiles_are_refused(raw):
    with pytest.raises(PlannerError) as caught:
        normalise_mobile(raw)
    assert caught.value.key == "error.roster-mobile"


def test_scientific_notation_gets_its_own_hint():
    with pytest.raises(PlannerError) as caught:
        normalise_mobile("1.38001E+10")
    assert caught.value.key == "error.roster-phone-scientific"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       st.sampled_from(["", " ", "-"]), st.sampled_from(["", "+86 ", "0086", "+86-"]))
@settings(max_examples=60, deadline=None)
def test_any_valid_mobile_survives_formatting(digits, separator, prefix):
    spaced = prefix + separator.join([digits[:3], digits[3:7], digits[7:]])
    assert normalise_mobile(spaced) == digits


@pytest.mark.parametrize(("raw", "expected"), [
    ("010-12345678", "010-12345678"),
    ("(010)12345678", "010-12345678"),
    ("（010）12345678", "010-12345678"),
    ("010 1234 5678", "010-12345678"),
    ("01012345678", "010-12345678"),
    ("0571-8765432", "0571-8765432"),
    ("057187654321", "0571-87654321"),
    ("0571-87654321-8001", "0571-87654321-8001"),
    ("0571 87654321 转 8001", "0571-87654321-8001"),
    ("010-12345678 ext. 12", "010-12345678-12"),
    ("+86 571 87654321", "0571-87654321"),
])
def test_landlines_are_normalised(raw, expected):
    assert normalise_landline(raw) == expected


@pytest.mark.parametrize("raw", ["12345678", "010-123456", "010-123456789", "0-12345678",
                                 "01234-12345678", "010-12345678-1234567", "phone", "400-820-8820"])
def test_bad_landlines_are_refused(raw):
    with pytest.raises(PlannerError) as caught:
        normalise_landline(raw)
    assert caught.value.key == "error.roster-landline"


def test_mask_mobile():
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_mobile("010-12345678") == "010-12345678"
    assert mask_mobile(None) is None


def test_shift_days_and_label():
    assert shift_days("早班 9:00-18:00", 2027) is None
    assert shift_days("03-11~03-13 早班 9:00-18:00", 2027) == [
        (dt.date(2027, 3, 11), dt.date(2027, 3, 13))]
    assert shift_days("3月12日、3/15 晚班", 2027) == [
        (dt.date(2027, 3, 12), dt.date(2027, 3, 12)), (dt.date(2027, 3, 15), dt.date(2027, 3, 15))]
    assert shift_days("2027-03-14 至 2027-03-16", 2027) == [
        (dt.date(2027, 3, 14), dt.date(2027, 3, 16))]
    assert shift_label("03-11~03-13 早班 9:00-18:00") == "早班 9:00-18:00"
    assert shift_label("03-11") == ""
    with pytest.raises(PlannerError) as caught:
        shift_days("02-30 早班", 2027)
    assert caught.value.key == "error.roster-shift-date"


def test_on_floor_schedule_by_day():
    contacts = [
        {"department": "cs-manager", "name": "甲", "shift": "03-11~03-12 早班"},
        {"department": "cs-manager", "name": "乙", "shift": "晚班"},
        {"department": "cs-manager", "name": "丙", "shift": "03-13"},
        {"department": "warehouse", "name": "丁", "shift": None},
    ]
    days = on_floor_schedule(contacts, dt.date(2027, 3, 11), dt.date(2027, 3, 13))
    names = [(day.day, [(c["name"], label) for c, label in present]) for day, present in days]
    assert names == [(11, [("甲", "早班"), ("乙", "晚班")]), (12, [("甲", "早班"), ("乙", "晚班")]),
                     (13, [("乙", "晚班"), ("丙", "")])]


# --- importing ---------------------------------------------------------------------------------


def expected_first(data):
    first = data[0]
    assert first == {
        "department": "cs-manager", "name": "张伟", "role": "客服经理", "mobile": "13800138000",
        "landline": "0571-87654321-8001", "im": "zw", "email": "zw@example.com",
        "shift": "03-11~03-15 早班", "escalation": 1, "backup": "李娜"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_import_csv_in_every_encoding(run, workspace, encoding):
    path = csv_file(workspace, [HEADER_ZH, *ROWS_ZH], encoding)
    result = run("roster", "import", path)
    assert result.exit_code == 0, result.output
    assert "3" in result.output
    shown = json.loads(run("roster", "--format", "json").output)
    assert shown["source"].endswith("roster.yaml")
    assert [c["name"] for c in shown["contacts"]] == ["张伟", "李娜", "刘洋"]
    expected_first(shown["contacts"])
    assert shown["contacts"][2]["landline"] == "010-12345678"


def test_import_english_headers_semicolons_and_separate_extension(run, workspace):
    path = csv_file(workspace, [
        "Name;Department;Mobile;Landline;Ext;Escalation order;Notes",
        "Zhang Wei;CS supervisor/manager;13800138000;0571-87654321;8001;1;x",
        "Liu Yang;Warehouse;;010-12345678;;;",
    ])
    result = run("roster", "import", path)
    assert result.exit_code == 0, result.output
    assert "Notes" in result.stderr
    data = json.loads(run("roster", "--format", "json").output)["contacts"]
    assert data[0]["landline"] == "0571-87654321-8001" and data[0]["escalation"] == 1
    assert data[1]["department"] == "warehouse"


def test_import_xlsx_with_title_row_and_numeric_cells(run, workspace):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["示例店 3·15 联络表"])
    ws.append(["序号", "部门", "姓名", "职务", "电话", "值班", "升级顺序"])
    ws.append([1, "一线客服", "王芳", "组长", 13600136000, "全程", 2.0])
    ws.append([2, "风控部", "赵六", None, "021-55556666", None, None])
    wb.save(workspace / "c.xlsx")
    result = run("roster", "import", "c.xlsx")
    assert result.exit_code == 0, result.output
    data = json.loads(run("roster", "--format", "json").output)["contacts"]
    assert data[0]["mobile"] == "13600136000" and data[0]["escalation"] == 2
    assert data[1]["landline"] == "021-55556666" and data[1]["mobile"] is None


def test_exported_roster_imports_back(run, workspace):
    csv = csv_file(workspace, [HEADER_ZH, *ROWS_ZH])
    assert run("roster", "import", csv).exit_code == 0
    before = json.loads(run("roster", "--format", "json").output)["contacts"]
    assert run("export", "roster", "-o", "r.xlsx", "--year", "2027").exit_code == 0
    (workspace / "roster.yaml").unlink()
    result = run("roster", "import", "r.xlsx")
    assert result.exit_code == 0, result.output
    assert json.loads(run("roster", "--format", "json").output)["contacts"] == before


BAD_ROWS = [
    ("仓储部,,仓库主管,13500135000,,,,,,", "姓名", "必填"),
    (",刘洋,仓库主管,13500135000,,,,,,", "部门", "必填"),
    ("仓储部,刘洋,仓库主管,,,,,,,", "手机", "至少"),
    ("仓储部,刘洋,仓库主管,1350013500,,,,,,", "手机", "1350013500"),
    ("仓储部,刘洋,仓库主管,,1234-5678,,,,,", "座机/分机", "1234-5678"),
    ("财务部,刘洋,仓库主管,13500135000,,,,,,", "部门", "财务部"),
    ("客服主管/经理,张伟,主管,13500135000,,,,,,", "姓名", "第 2 行"),
    ("仓储部,刘洋,仓库主管,138-0013-8000,,,,,,", "手机", "第 2 行"),
    ("仓储部,刘洋,仓库主管,13500135000,,,,,一,", "升级顺序", "一"),
    ("仓储部,刘洋,仓库主管,13500135000,,,not-an-email,,,", "邮箱", "not-an-email"),
    ("仓储部,刘洋,仓库主管,13500135000,,,,02-30 早班,,", "值班/班次", "02-30"),
]


@pytest.mark.parametrize(("row", "field", "words"), BAD_ROWS)
def test_each_validation_error_names_file_row_field_and_writes_nothing(
        run, workspace, row, field, words):
    old = "contacts:\n- {department: pr, name: 旧人, mobile: '13300133000'}\n"
    (workspace / "roster.yaml").write_text(old, encoding="utf-8")
    path = csv_file(workspace, [HEADER_ZH, ROWS_ZH[0], "仓储部,王五,主管,13700137000,,,,,,", row])
    result = run("roster", "import", path)
    assert result.exit_code == 1
    message = result.output.strip().splitlines()[-1]
    assert f"contacts.csv:4: {field}:" in message, message
    assert words in message, message
    assert "Traceback" not in result.output
    assert roster(workspace) == old
    assert sorted(p.name for p in workspace.iterdir() if p.name != CACHE) == [
        "contacts.csv", "roster.yaml", "shop.yaml"]


def test_errors_in_english(run, workspace):
    path = csv_file(workspace, ["department,name,mobile", "warehouse,Liu,12345"])
    result = run("roster", "import", path, "--lang", "en")
    assert result.exit_code == 1
    assert "contacts.csv:2: mobile: invalid mobile number '12345'" in result.output


@pytest.mark.parametrize(("lines", "key"), [
    (["名字随便,其他"], "表头"),
    (["部门,手机", "仓储部,13500135000"], "姓名"),
    ([HEADER_ZH], "没有联系人"),
])
def test_files_without_usable_header_or_rows(run, workspace, lines, key):
    result = run("roster", "import", csv_file(workspace, lines))
    assert result.exit_code == 1
    assert key in result.output
    assert not (workspace / "roster.yaml").exists()


def test_unknown_encoding_format_and_missing_file(run, workspace):
    (workspace / "bad.csv").write_bytes("部门,姓名\n".encode() + b"\x81\x20\n")
    result = run("roster", "import", "bad.csv")
    assert result.exit_code == 1 and "bad.csv:2:" in result.output and "GBK" in result.output
    assert run("roster", "import", "nothere.csv").exit_code == 1
    (workspace / "x.txt").write_text("a", encoding="utf-8")
    result = run("roster", "import", "x.txt")
    assert result.exit_code == 1 and ".txt" in result.output
    (workspace / "broken.xlsx").write_bytes(b"not a zip")
    result = run("roster", "import", "broken.xlsx")
    assert result.exit_code == 1 and "broken.xlsx" in result.output
    assert not (workspace / "roster.yaml").exists()


# --- showing ------------------------------------------------------------------------------------


def test_roster_from_shop_yaml_and_roster_yaml_wins(run, shop_file, tmp_path):
    shop_file("size: small\ncontacts:\n  - {department: pr, name: Chen, mobile: 13300133000}\n")
    data = json.loads(run("roster", "--format", "json").output)
    assert data["source"].endswith("shop.yaml")
    assert data["contacts"][0]["mobile"] == "13300133000"
    (tmp_path / "roster.yaml").write_text(
        "contacts:\n  - {department: warehouse, name: Liu, landline: 010-12345678}\n",
        encoding="utf-8")
    data = json.loads(run("roster", "--format", "json").output)
    assert [c["name"] for c in data["contacts"]] == ["Liu"]


def test_bad_contact_in_shop_yaml_names_its_line(run, shop_file):
    shop_file("size: small\ncontacts:\n  - department: pr\n    name: Chen\n"
              "    mobile: '1330013300'\n")
    result = run("roster")
    assert result.exit_code == 1
    assert "shop.yaml:5: contacts[1].mobile:" in result.output  # the line of the key


def test_unknown_key_in_roster_yaml(run, shop_file, tmp_path):
    shop_file("size: small\n")
    (tmp_path / "roster.yaml").write_text(
        "contacts:\n  - department: pr\n    name: Chen\n    mobile: '13300133000'\n"
        "    fax: 1\n", encoding="utf-8")
    result = run("roster")
    assert result.exit_code == 1
    assert "roster.yaml:5: contacts[1].fax:" in result.output


def test_as_shown_masks_the_mobile_of_a_copy():
    contact = {"name": "张伟", "mobile": "13800138000", "landline": "0571-87654321"}
    assert as_shown(contact) is contact
    assert as_shown(contact, mask_phones=True) == dict(contact, mobile="138****8000")
    assert contact["mobile"] == "13800138000"
    assert as_shown({"name": "李娜", "mobile": None}, mask_phones=True)["mobile"] is None


def test_cell_helpers_live_in_one_module_without_openpyxl():
    import planner.export.xlsx as xlsx
    import planner.input.checklist as checklist
    import planner.roster.contacts as roster
    import planner.roster.importing as importing
    from planner.core import cells

    for name in ("cell_text", "shown", "duplicate_columns", "column_letter"):
        assert getattr(importing, name) is getattr(cells, name), name
    assert max(roster.FIELD_CHARS.values()) < cells.MAX_CELL_CHARS  # every field exports
    for name in ("cell_text", "shown", "duplicate_columns"):
        assert getattr(checklist, name) is getattr(cells, name), name
    assert xlsx.MAX_CELL_CHARS is cells.MAX_CELL_CHARS
    code = ("import sys, planner.roster.contacts, planner.roster.importing; "
            "print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_roster_table_masks_phones(run, workspace):
    run("roster", "import", csv_file(workspace, [HEADER_ZH, *ROWS_ZH]))
    plain = run("roster").output
    assert "13800138000" in plain and "张伟" in plain and "客服主管/经理" in plain
    masked = run("roster", "--mask-phones").output
    assert "138****8000" in masked and "13800138000" not in masked
    data = json.loads(run("roster", "--format", "json", "--mask-phones").output)
    assert data["contacts"][0]["mobile"] == "138****8000"


def test_empty_roster_and_no_workspace(run, workspace, tmp_path, monkeypatch):
    assert "planner315 roster import" in run("roster").output
    monkeypatch.chdir(tmp_path.parent)
    result = run("roster", "--workspace", str(tmp_path / "nothere"))
    assert result.exit_code == 1


def test_help(run):
    for args in (["roster", "-h"], ["roster", "import", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "Example" in result.output


# --- bad files and odd headers --------------------------------------------------------------------


def damaged_xlsx(path, rows):
    """A workbook whose sheet XML is cut short inside the zip."""
    import zipfile

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    good = path.with_name("good-" + path.name)
    wb.save(good)
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[:200]
            target.writestr(info, data)
    return path


def test_damaged_xlsx_is_one_clean_error(run, workspace):
    damaged_xlsx(workspace / "c.xlsx", [["部门", "姓名", "手机"], ["pr", "陈", "13300133000"]])
    result = run("roster", "import", "c.xlsx", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: c.xlsx: not a readable Excel file (damaged, or not in .xlsx format): "
        "open it in Excel and save it as .xlsx"]
    assert not (workspace / "roster.yaml").exists()


def test_chartsheets_are_skipped(run, workspace):
    wb = openpyxl.Workbook()
    wb.active.append(["部门", "姓名", "手机"])
    wb.active.append(["pr", "陈", "13300133000"])
    wb.create_chartsheet("图表", 0)
    wb.save(workspace / "c.xlsx")
    result = run("roster", "import", "c.xlsx")
    assert result.exit_code == 0, result.output
    assert "陈" in roster(workspace)


@pytest.mark.parametrize(("header", "field", "columns"), [
    ("部门,姓名,手机,手机", "手机", "C, D"),
    ("部门,姓名,手机,移动电话", "手机", "C, D"),  # two spellings of the same column
    ("Name,Department,name,Mobile", "Name", "A, C"),
])
def test_duplicate_header_columns_are_refused(run, workspace, header, field, columns):
    path = csv_file(workspace, [header, "pr,陈,13300133000,13900139000"])
    result = run("roster", "import", path, "--lang", "en")
    assert result.exit_code == 1
    assert f"contacts.csv:1: {field}: this column appears more than once in the header " \
           f"(columns {columns})" in result.output
    assert not (workspace / "roster.yaml").exists()


def test_a_value_beyond_the_header_is_refused_with_its_row(run, workspace):
    # An unquoted comma in the role shifts the row one cell to the right.
    path = csv_file(workspace, ["部门,姓名,职务,手机", "pr,陈,经理,13300133000",
                                "仓储部,刘洋,主管,副经理,13500135000"])
    result = run("roster", "import", path, "--lang", "en")
    assert result.exit_code == 1
    assert "contacts.csv:3: column E has a value but no header ('13500135000')" in result.output
    assert "double quotes" in result.output
    assert not (workspace / "roster.yaml").exists()
    # Empty trailing cells (as Excel writes them) are fine.
    path = csv_file(workspace, ["部门,姓名,手机,,", "pr,陈,13300133000,,"])
    assert run("roster", "import", path).exit_code == 0


def test_a_value_in_a_column_without_header_is_refused_in_xlsx_too(run, workspace):
    wb = openpyxl.Workbook()
    wb.active.append(["部门", None, "姓名", "手机"])
    wb.active.append(["pr", "备注", "陈", "13300133000"])
    wb.save(workspace / "c.xlsx")
    result = run("roster", "import", "c.xlsx")
    assert result.exit_code == 1
    assert "c.xlsx:2: 第 B 列没有表头却有内容（“备注”）" in result.output


def test_long_bad_values_are_cut_in_messages(run, workspace):
    path = csv_file(workspace, ["部门,姓名,手机", "pr,陈," + "1" * 150])  # within the limit
    result = run("roster", "import", path, "--lang", "en")
    assert result.exit_code == 1
    assert f"invalid mobile number '{'1' * 59}…'" in result.output
    assert "1" * 61 not in result.output


def test_text_longer_than_a_cell_is_refused_at_import(run, workspace):
    path = csv_file(workspace, ["部门,姓名,手机", "pr," + "陈" * 40_000 + ",13300133000"])
    result = run("roster", "import", path, "--lang", "en")
    assert result.exit_code == 1
    assert "contacts.csv:2: 姓名: the text is 40000 characters long" in result.output
    assert "陈陈" not in result.output


@pytest.mark.parametrize(("value", "field"), [
    ("[a, b]", "name"), ("{x: 1}", "role"), ("yes", "im"), ("[1, 2]", "mobile")])
def test_contact_fields_of_the_wrong_type(run, shop_file, value, field):
    other = "" if field == "name" else ", name: Chen"
    mobile = "" if field == "mobile" else ', mobile: "13800138000"'
    shop_file(f"size: small\ncontacts:\n  - {{department: pr{other}{mobile}, {field}: {value}}}\n")
    result = run("roster", "--lang", "en")
    assert result.exit_code == 1
    assert f"shop.yaml:3: contacts[1].{field}: wrong type; expected: text" in result.output
    zh = run("roster", "--lang", "zh")
    assert f"contacts[1].{field}: 类型不对，应为：文本" in zh.output


def test_february_29_is_checked_in_the_campaign_year(run, workspace):
    path = csv_file(workspace, ["部门,姓名,手机,值班", "客服主管,陈,13300133000,02-29 早班"])
    # a leap-year campaign may use it (tests/test_hostile_roster.py: a plain year refuses it)
    assert run("roster", "import", path, "--year", "2028").exit_code == 0
    result = run("export", "notice", "--year", "2027", "-o", "n.xlsx", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].endswith(
        "roster.yaml:9: contacts[1].shift: the shift names '02-29', which does not exist in "
        "2027 (not a leap year)")
    assert not (workspace / "n.xlsx").exists()
    assert run("export", "notice", "--year", "2028", "-o", "n.xlsx").exit_code == 0


def test_counts_read_well_for_one_contact(run, workspace):
    path = csv_file(workspace, ["部门,姓名,手机", "pr,陈,13300133000"])
    result = run("roster", "import", path, "--lang", "en")
    assert "Imported 1 contact into" in result.output
    assert "(1 contact)" in run("roster", "--lang", "en").output
    assert "（1 位联系人）" in run("roster", "--lang", "zh").output


def test_read_only_workspace_is_named(run, workspace, monkeypatch):
    import os

    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: (
        False if str(path) == str(workspace) else real(path, mode, **kw)))
    path = csv_file(workspace, ["部门,姓名,手机", "pr,陈,13300133000"])
    result = run("roster", "import", path, "--lang", "zh")
    assert result.exit_code == 1
    assert result.output.strip().endswith(f"无法写入：文件夹 {workspace} 是只读的")
    assert not (workspace / "roster.yaml").exists()
