"""`import checklist` against workbooks that are old, foreign or tampered with.

The checklist workbook carries a stamp (custom document properties: shop, size, campaign, export
time, the history's position): a later check-off in planner315 survives an old workbook, with
or without its hidden "status when exported" column; another shop's, campaign's or size's
workbook is refused naming both; an unstamped workbook that would reopen or change a settled
item needs --force; a bad stamp is one line naming the file and the property. Every refusal
leaves the saved state as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import openpyxl
import pytest
from hostile import WORKBOOK_MB, WORKBOOK_SECONDS, fingerprint, run_cli
from openpyxl.packaging.custom import (
    BoolProperty,
    CustomPropertyList,
    DateTimeProperty,
    FloatProperty,
    IntProperty,
    StringProperty,
)

EXPORTED, LATER, IMPORTED = "2027-03-01 10:00", "2027-03-02 09:30", "2027-03-03 10:00"
AD_LAW, NAMED, SCAMS = "prepare.copy.ad-law", "prepare.price.named-check", "prepare.security.scams"


def make_workspace(run, folder, *, shop="Shop A", size="small"):
    assert run("init", folder, "--size", size, "--lang", "en", "--shop-name", shop
               ).exit_code == 0
    return folder


@pytest.fixture
def ws(tmp_path, run, monkeypatch):
    folder = make_workspace(run, tmp_path / "ws")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("PLANNER315_USER", "manager")
    monkeypatch.setenv("PLANNER315_NOW", EXPORTED)
    return folder


def at(monkeypatch, moment):
    monkeypatch.setenv("PLANNER315_NOW", moment)


def export(run, folder, *extra):
    result = run("export", "checklist", "-o", folder / "checklist.xlsx", "--force", *extra)
    assert result.exit_code == 0, result.output
    return folder / "checklist.xlsx"


def edit(path, changes, *, drop_exported=False):
    """Fill in cells as a person would ({item id: {header: value}}); with `drop_exported`,
    delete the hidden "Status when exported" column too."""
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        for header, value in changes.get(row[headers["ID"] - 1].value, {}).items():
            sheet.cell(row=row[0].row, column=headers[header], value=value)
    if drop_exported:
        sheet.delete_cols(headers["Status when exported"])
    wb.save(path)


def set_stamp(path, **values):
    """Replace stamp properties (a value None deletes it; a property object is kept as it
    is, a plain value becomes text); `strip=True` removes the whole stamp."""
    wb = openpyxl.load_workbook(path)
    props = wb.custom_doc_props
    if values.pop("strip", False):
        wb.custom_doc_props = CustomPropertyList()
    for name, value in values.items():
        full = f"planner315.{name}"
        if full in props.names:
            del props[full]
        if value is not None:
            props.append(value if hasattr(value, "value") and hasattr(value, "name")
                         else StringProperty(name=full, value=value))
    wb.save(path)


def row_of(path, item):
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == item)


def stamp_of(path):
    return {prop.name: prop.value for prop in openpyxl.load_workbook(path).custom_doc_props}


def states(run):
    report = json.loads(run("status", "--format", "json").output)
    return {item["id"]: item for item in report["items"]}


def history_size(run):
    return len(json.loads(run("log", "--all", "--format", "json").output))


def one_line_error(result, *parts):
    """Exit 1, one line on stderr naming every part, nothing else, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    for part in parts:
        assert part in line, line
    assert len(line) < 900, line
    return line


# --- the stamp itself --------------------------------------------------------------------------


def test_the_export_stamps_shop_size_year_time_and_history_position(run, ws, monkeypatch):
    run("check", AD_LAW)
    run("check", NAMED)
    path = export(run, ws)
    assert stamp_of(path) == {"planner315.shop": "Shop A", "planner315.size": "small",
                              "planner315.year": "2027",
                              "planner315.exported": "2027-03-01T10:00:00+08:00",
                              "planner315.history": "2"}


# --- a change made in planner315 after the export survives ---------------------------------


@pytest.mark.parametrize("drop_exported", [False, True], ids=["hidden-column", "no-column"])
def test_later_check_off_survives_the_old_workbook(run, ws, monkeypatch, drop_exported):
    path = export(run, ws)
    at(monkeypatch, LATER)
    assert run("check", NAMED, "--by", "李强").exit_code == 0
    edit(path, {AD_LAW: {"Status": "done", "By": "王磊"}}, drop_exported=drop_exported)
    at(monkeypatch, IMPORTED)
    result = run("import", "checklist", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{AD_LAW}: open → done", "Imported 1 change."]
    assert not result.stderr
    items = states(run)
    assert (items[NAMED]["status"], items[NAMED]["by"]) == ("done", "李强")
    assert (items[AD_LAW]["status"], items[AD_LAW]["by"]) == ("done", "王磊")


def test_later_reopen_survives_the_old_workbook_without_its_column(run, ws, monkeypatch):
    run("check", NAMED)
    path = export(run, ws)  # NAMED shows "done" in the sheet
    at(monkeypatch, LATER)
    assert run("uncheck", NAMED, "--by", "李强").exit_code == 0
    edit(path, {}, drop_exported=True)
    at(monkeypatch, IMPORTED)
    result = run("import", "checklist", path)
    assert result.exit_code == 0 and "No status changed" in result.output, result.output
    assert states(run)[NAMED]["status"] == "open"


def conflict(run, ws, monkeypatch, sheet_note=None, *extra):
    """Exported done; then skipped in planner315 by 李强; the sheet reopens it."""
    run("check", NAMED)
    path = export(run, ws)
    at(monkeypatch, LATER)
    assert run("skip", NAMED, "--reason", "no price tags", "--by", "李强").exit_code == 0
    edit(path, {NAMED: {"Status": "open", "Note": sheet_note},
                AD_LAW: {"Status": "done"}})
    at(monkeypatch, IMPORTED)
    return run("import", "checklist", path, *extra)


def test_an_edited_row_whose_item_changed_since_is_listed_and_not_applied(run, ws, monkeypatch):
    result = conflict(run, ws, monkeypatch)
    assert result.exit_code == 0, result.output
    row = row_of(ws / "checklist.xlsx", NAMED)
    assert result.stderr.splitlines() == [
        f"row {row} not applied: the sheet says 'open' for {NAMED}, but 李强 changed it to "
        "'skipped' in planner315 at 2027-03-02 09:30, after the export, and that change "
        "stands; to apply the row, give it a note of its own or use --force"]
    assert result.stdout.splitlines() == [
        f"{AD_LAW}: open → done", "Imported 1 change.",
        "1 row not applied: their items were changed in planner315 after the export "
        "(see the notes above)."]
    items = states(run)
    assert (items[NAMED]["status"], items[AD_LAW]["status"]) == ("skipped", "done")


@pytest.mark.parametrize("how", ["note", "force"])
def test_a_row_with_its_own_note_or_force_wins_and_says_so(run, ws, monkeypatch, how):
    result = (conflict(run, ws, monkeypatch, "tags are back") if how == "note"
              else conflict(run, ws, monkeypatch, None, "--force"))
    assert result.exit_code == 0, result.output
    assert f"{NAMED}: skipped → open" in result.stdout
    assert result.stderr.splitlines() == [
        f"note: {NAMED} was changed to 'skipped' by 李强 after the export (it was 'done'); "
        "the sheet says 'open', and the sheet wins"]
    assert states(run)[NAMED]["status"] == "open"


# --- another shop, campaign or size ------------------------------------------------------------


def test_another_shops_workbook_is_refused_naming_both(run, ws, tmp_path, monkeypatch):
    path = export(run, ws)
    other = make_workspace(run, tmp_path / "other", shop="Shop B")
    run("check", AD_LAW, "--workspace", other)  # a database to keep as it is
    before = fingerprint(other)
    outcome = run_cli("import", "checklist", path, "--workspace", other, "--lang", "en",
                      cwd=tmp_path, env={"PLANNER315_NOW": IMPORTED})
    assert outcome.code == 1, outcome.stderr
    [line] = outcome.message_lines
    assert "Traceback" not in outcome.stderr
    assert "checklist.xlsx" in line and "'Shop A'" in line and "'Shop B'" in line
    assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB
    assert fingerprint(other) == before


def test_the_shop_name_is_compared_as_people_write_it(run, ws, tmp_path):
    path = export(run, ws)
    other = make_workspace(run, tmp_path / "other", shop=" ＳＨＯＰ  a ")
    result = run("import", "checklist", path, "--workspace", other)
    assert result.exit_code == 0 and "No status changed" in result.output, result.output


def test_a_nameless_shop_is_named_as_such(run, ws, tmp_path):
    path = export(run, ws)
    other = make_workspace(run, tmp_path / "nameless")
    shop = other / "shop.yaml"
    shop.write_text(shop.read_text(encoding="utf-8").replace('name: "Shop A"', ""),
                    encoding="utf-8")
    one_line_error(run("import", "checklist", path, "--workspace", other),
                   "for the shop 'Shop A', not for '(no shop name)'")
    other_path = export(run, other, "--workspace", other)  # and the other way round
    one_line_error(run("import", "checklist", other_path),
                   "for the shop '(no shop name)', not for 'Shop A'")


def test_another_campaigns_workbook_is_refused_naming_both(run, ws, monkeypatch):
    run("check", AD_LAW)
    path = export(run, ws, "--year", "2028")
    before = fingerprint(ws)
    line = one_line_error(run("import", "checklist", path), "checklist.xlsx", "2028", "2027",
                          "--year 2028")
    assert "campaign" in line
    assert fingerprint(ws) == before
    result = run("import", "checklist", path, "--year", "2028")
    assert result.exit_code == 0, result.output


def test_another_sizes_workbook_is_refused_naming_both(run, ws, tmp_path):
    path = export(run, ws)
    other = make_workspace(run, tmp_path / "large", size="large")
    run("check", AD_LAW, "--workspace", other)
    before = fingerprint(other)
    one_line_error(run("import", "checklist", path, "--workspace", other), "checklist.xlsx",
                   "'small'", "'large'")
    assert fingerprint(other) == before


def test_chinese_refusal(run, ws, tmp_path):
    path = export(run, ws)
    other = make_workspace(run, tmp_path / "other", shop="乙店")
    line = one_line_error(run("import", "checklist", path, "--workspace", other, "--lang",
                              "zh"), "“Shop A”", "“乙店”")
    assert "未导入" in line


# --- a workbook without the stamp ----------------------------------------------------------------


def unstamped(run, ws, monkeypatch, *, drop_exported=False):
    """Exported with AD_LAW done, stamp stripped; the sheet reopens AD_LAW and ticks SCAMS
    off; NAMED checked off in planner315 after the export (the sheet still says open)."""
    run("check", AD_LAW)
    path = export(run, ws)
    at(monkeypatch, LATER)
    run("check", NAMED, "--by", "李强")
    set_stamp(path, strip=True)
    edit(path, {AD_LAW: {"Status": "open"}, SCAMS: {"Status": "done"}},
          drop_exported=drop_exported)
    at(monkeypatch, IMPORTED)
    return path


def test_unstamped_workbook_that_would_reopen_is_refused_until_forced(run, ws, monkeypatch):
    path = unstamped(run, ws, monkeypatch)
    assert stamp_of(path) == {}
    before = fingerprint(ws)
    line = one_line_error(run("import", "checklist", path), "checklist.xlsx", "no export stamp",
                          AD_LAW, "--force")
    assert NAMED not in line  # its row shows the status it was exported with: not edited
    assert fingerprint(ws) == before
    result = run("import", "checklist", path, "--force")
    assert result.exit_code == 0, result.output
    assert {f"{AD_LAW}: done → open", f"{SCAMS}: open → done"} <= set(result.stdout.splitlines())
    items = states(run)
    assert (items[AD_LAW]["status"], items[SCAMS]["status"], items[NAMED]["status"]) == (
        "open", "done", "done")


def test_unstamped_workbook_without_its_column_reopens_nothing_silently(run, ws, monkeypatch):
    path = unstamped(run, ws, monkeypatch, drop_exported=True)
    before = fingerprint(ws)
    line = one_line_error(run("import", "checklist", path), "no export stamp", AD_LAW, NAMED,
                          "2 rows")
    assert fingerprint(ws) == before
    assert "(rows " in line


def test_unstamped_workbook_that_only_settles_open_items_applies(run, ws, monkeypatch):
    path = export(run, ws)
    set_stamp(path, strip=True)
    edit(path, {SCAMS: {"Status": "done"}})
    result = run("import", "checklist", path)
    assert result.exit_code == 0 and f"{SCAMS}: open → done" in result.output, result.output


def test_the_unstamped_list_stays_one_short_line(run, ws, monkeypatch):
    ids = [item for item, state in states(run).items() if "days" not in state][:15]
    assert len(ids) == 15 and run("check", *ids).exit_code == 0
    path = export(run, ws)
    set_stamp(path, strip=True)
    edit(path, {item: {"Status": "open"} for item in ids})
    at(monkeypatch, IMPORTED)
    line = one_line_error(run("import", "checklist", path), "15 rows", "… (+5)")
    assert sum(item in line for item in ids) == 10


# --- a stamp someone edited ----------------------------------------------------------------------

BAD_STAMPS = {
    "year-text": {"year": "twenty"},
    "year-range": {"year": "1999"},
    "year-float": {"year": FloatProperty(name="planner315.year", value=2027.5)},
    "year-bool": {"year": BoolProperty(name="planner315.year", value=True)},
    "year-huge": {"year": "9" * 5000},
    "exported-garbage": {"exported": "yesterday"},
    "exported-naive": {"exported": "2027-03-01T10:00:00"},
    "exported-number": {"exported": IntProperty(name="planner315.exported", value=5)},
    "history-negative": {"history": "-1"},
    "history-text": {"history": "lots"},
    "size-empty": {"size": " "},
    "size-long": {"size": "s" * 201},
    "shop-long": {"shop": "店" * 20_000},
    "shop-number": {"shop": IntProperty(name="planner315.shop", value=7)},
    "missing-year": {"year": None},
    "missing-history": {"history": None},
}


@pytest.mark.parametrize("change", BAD_STAMPS.values(), ids=BAD_STAMPS)
def test_a_bad_stamp_is_one_line_naming_the_property(run, ws, change):
    run("check", AD_LAW)
    path = export(run, ws)
    set_stamp(path, **change)
    before = fingerprint(ws)
    [name] = change
    line = one_line_error(run("import", "checklist", path), "checklist.xlsx",
                          f"planner315.{name}")
    assert len(line) < 400
    assert fingerprint(ws) == before


def test_a_date_typed_stamp_time_is_read_as_utc(run, ws, monkeypatch):
    path = export(run, ws)
    set_stamp(path, exported=DateTimeProperty(name="planner315.exported",
                                              value=dt.datetime(2027, 3, 1, 2, 0)))
    result = run("import", "checklist", path)
    assert result.exit_code == 0, result.output


def test_an_export_time_in_the_future_is_refused(run, ws):
    path = export(run, ws)
    set_stamp(path, exported="2027-03-05T10:00:00+08:00")
    before = fingerprint(ws)
    one_line_error(run("import", "checklist", path), "planner315.exported",
                   "2027-03-05T10:00:00+08:00")
    assert fingerprint(ws) == before


def test_a_history_position_beyond_this_workspaces_is_refused(run, ws):
    run("check", AD_LAW)
    path = export(run, ws)
    set_stamp(path, history="999")
    edit(path, {SCAMS: {"Status": "done"}})
    before = fingerprint(ws)
    one_line_error(run("import", "checklist", path), "planner315.history", "999",
                   "another copy")
    assert fingerprint(ws) == before
    assert history_size(run) == 1


def test_a_huge_stamp_value_is_refused_in_bounded_time_and_memory(run, ws, tmp_path):
    run("check", AD_LAW)
    path = export(run, ws)
    # (XML holds no C0 control but tab and line breaks; C1 controls and bidi overrides, yes)
    # (under 1 MB: a bigger part packed as tightly is refused as a zip bomb, before the stamp
    # is read; tests/test_hostile_files.py)
    set_stamp(path, shop="\u202e\x9b2J" + "A" * 900_000)
    before = fingerprint(ws)
    outcome = run_cli("import", "checklist", path, "--lang", "en", cwd=ws,
                      env={"PLANNER315_NOW": IMPORTED})
    assert outcome.code == 1, outcome.stderr
    [line] = outcome.message_lines
    assert "Traceback" not in outcome.stderr
    assert "\u202e" not in outcome.stderr and "\x9b" not in outcome.stderr
    assert "checklist.xlsx" in line and "planner315.shop" in line and len(line) < 400
    assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB
    assert fingerprint(ws) == before


# --- the stamp survives a spreadsheet program saving the file ------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_the_stamp_survives_libreoffice_saving_the_workbook(run, ws, tmp_path, monkeypatch):
    path = export(run, ws)
    at(monkeypatch, LATER)
    run("check", NAMED, "--by", "李强")
    edit(path, {AD_LAW: {"Status": "done"}}, drop_exported=True)
    saved = tmp_path / "saved"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "xlsx:Calc Office Open XML", "--outdir",
                    saved, path], check=True, capture_output=True, timeout=120)
    assert stamp_of(saved / path.name) == stamp_of(path)
    at(monkeypatch, IMPORTED)
    result = run("import", "checklist", saved / path.name)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{AD_LAW}: open → done", "Imported 1 change."]
    assert states(run)[NAMED]["status"] == "done"


def test_a_daily_dutys_days_are_told_apart(run, ws, monkeypatch):
    duty = "battle.cs.response-time"  # daily in the battle, 2027-03-14 to 03-16
    at(monkeypatch, "2027-03-15 09:00")
    path = export(run, ws)
    at(monkeypatch, "2027-03-15 18:00")
    assert run("check", duty, "--day", "2027-03-14", "--by", "李强").exit_code == 0
    wb = openpyxl.load_workbook(path)
    sheet = wb.worksheets[0]
    headers = {cell.value: cell.column for cell in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == duty and row[headers["Day"] - 1].value == "2027-03-15":
            row[headers["Status"] - 1].value = "done"
    wb.save(path)
    at(monkeypatch, "2027-03-16 09:00")
    result = run("import", "checklist", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{duty}@2027-03-15: open → done",
                                          "Imported 1 change."]
    [item] = [item for item in json.loads(run("status", "--format", "json").output)["items"]
              if item["id"] == duty]
    assert [(day["day"], day["status"]) for day in item["days"]] == [
        ("2027-03-14", "done"), ("2027-03-15", "done"), ("2027-03-16", "open")]
