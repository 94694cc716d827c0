"""`planner315 export all` and what every export command shares."""

import subprocess
import sys

import openpyxl
import pytest

SHOP = """name: 小店
size: small
lang: zh
contacts:
  - {department: cs-manager, name: 张伟, mobile: "13800138000", escalation: 1}
"""
NAMES = [f"315-2027-小店-{kind}.xlsx" for kind in ("checklist", "notice", "roster", "schedule")]


@pytest.fixture
def workspace(shop_file, tmp_path):
    shop_file(SHOP)
    return tmp_path


def test_export_all_writes_four_workbooks(run, workspace):
    result = run("export", "all", "--year", "2027", "-o", "out")
    assert result.exit_code == 0, result.output
    out = workspace / "out"
    assert sorted(p.name for p in out.iterdir()) == NAMES
    for path in out.iterdir():
        wb = openpyxl.load_workbook(path)
        assert wb.properties.creator == "planner315"
        for ws in wb:
            assert ws.freeze_panes and ws.auto_filter.ref and ws.page_setup.paperSize == 9


def test_export_all_refuses_before_writing_anything(run, workspace):
    out = workspace / "out"
    out.mkdir()
    (out / NAMES[2]).write_bytes(b"old")
    result = run("export", "all", "--year", "2027", "-o", "out")
    assert result.exit_code == 1
    assert NAMES[2] in result.output
    assert sorted(p.name for p in out.iterdir()) == [NAMES[2]]
    assert (out / NAMES[2]).read_bytes() == b"old"
    result = run("export", "all", "--year", "2027", "-o", "out", "--force")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == NAMES


def test_export_all_output_must_be_a_folder(run, workspace):
    (workspace / "file").write_text("x", encoding="utf-8")
    result = run("export", "all", "--year", "2027", "-o", "file")
    assert result.exit_code == 1 and "-o" in result.output


def test_export_all_without_contacts_skips_the_roster(run, shop_file, tmp_path):
    shop_file("name: Shop\nsize: small\nlang: en\n")
    result = run("export", "all", "--year", "2027")
    assert result.exit_code == 0, result.output
    assert "roster is empty" in result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "315-2027-Shop-checklist.xlsx", "315-2027-Shop-notice.xlsx",
        "315-2027-Shop-schedule.xlsx"]


def test_exports_work_outside_a_workspace(run, tmp_path):
    result = run("export", "checklist", "--size", "medium", "--year", "2027", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "315-2027-shop-checklist.xlsx").is_file()


@pytest.mark.parametrize("kind", ["roster", "notice", "checklist", "schedule", "all"])
def test_help(run, kind):
    result = run("export", kind, "-h")
    assert result.exit_code == 0
    assert "Example" in result.output and "--force" in result.output


def test_cli_import_stays_light():
    code = "import sys, planner.cli; print('openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
