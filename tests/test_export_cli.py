"""`planner315 export all` and what every export command shares."""

import re
import sqlite3
import subprocess
import sys
from contextlib import closing

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
            assert ws.freeze_panes and ws.page_setup.paperSize == 9
            assert 76 <= ws.page_setup.scale <= 100 and not ws.page_setup.fitToWidth
            # a filter on every table, not on the notice (a letter)
            assert bool(ws.auto_filter.ref) == (ws.title != "部署通知")


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


def test_help_and_messages_name_the_five_kinds(run):
    from planner.core.i18n import t

    def words(*args):  # the help read as one line, Chinese wrapped between two characters
        from planner.cli.translate import joined

        return " ".join(joined(run(*args).output.splitlines()).split())

    group = words("export", "-h")
    assert not re.search(r"\bfour\b|四个", group)
    assert "complaint register" in group and "投诉登记表" in group
    every = words("export", "all", "-h")
    assert not re.search(r"\bfour\b|四个", every)
    assert "有投诉时导出投诉登记表" in every
    assert "the roster when there are contacts" in every
    assert "the complaint register when it holds any complaint" in every
    assert "Folder to write the workbooks into" in every
    assert "four" not in t("error.export-output-dir", "en")
    assert "四" not in t("error.export-output-dir", "zh")


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


def test_export_all_errors_follow_lang(run, workspace):
    (workspace / "file").write_text("x", encoding="utf-8")
    result = run("export", "all", "--year", "2027", "-o", "file", "--lang", "zh")
    assert result.exit_code == 1
    assert result.output.strip() == ("错误：file: -o 应为文件夹（export all 会在其中写入至多五个"
                                     "工作簿：有联系人时才有联络表，有投诉时才有投诉登记表）")
    result = run("export", "all", "--year", "2027", "-o", "file", "--lang", "en")
    assert "-o must be a folder" in result.output


@pytest.mark.parametrize("args", [("notice", "-o", "shop.yaml/x.xlsx"),
                                  ("all", "-o", "shop.yaml/out/more")])
def test_output_below_a_file_says_so(run, workspace, args):
    result = run("export", *args, "--year", "2027", "--lang", "zh")
    assert result.exit_code == 1
    assert result.output.strip() == f"错误：{args[-1]}: 无法写入：shop.yaml 是文件，不是文件夹"
    result = run("export", *args, "--year", "2027", "--lang", "en")
    assert "shop.yaml is a file, not a folder" in result.output


def test_read_only_folder_is_named(run, workspace, monkeypatch):
    import os

    (workspace / "locked").mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: (
        False if str(path).endswith("locked") else real(path, mode, **kw)))
    result = run("export", "notice", "--year", "2027", "-o", "locked/sub/n.xlsx", "--lang", "zh")
    assert result.exit_code == 1
    assert result.output.strip() == "错误：locked/sub/n.xlsx: 无法写入：文件夹 locked 是只读的"
    assert not (workspace / "locked" / "sub").exists()


def test_an_extension_alone_is_not_a_file_name(run, workspace):
    result = run("export", "notice", "--year", "2027", "-o", ".xlsx", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: .xlsx: '.xlsx' is only an extension, not a file name: write NAME.xlsx")
    assert "不是文件名" in run("export", "notice", "--year", "2027", "-o", ".XLSX",
                            "--lang", "zh").output
    assert "must end in .xlsx" in run("export", "notice", "--year", "2027", "-o", "n.xls",
                                      "--lang", "en").output
    assert not list(workspace.glob("*xls*"))


def test_export_all_writes_nothing_when_one_workbook_fails(run, workspace):
    # a note too long for a cell, saved before notes had a limit at entry
    assert run("check", "prepare.plan.kickoff", "--note", "short").exit_code == 0
    with closing(sqlite3.connect(workspace / "planner315.db")) as db, db:
        db.execute("UPDATE items SET note = ?", ("x" * 40_000,))
    result = run("export", "all", "--year", "2027", "-o", "out", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: Checklist!K2 (Note): text of 40000 characters is longer than an Excel cell "
        "can hold (32767); shorten it")
    out = workspace / "out"
    assert not out.exists() or list(out.iterdir()) == []  # no workbook, no temporary file
    assert "检查表!K2 (备注)" in run("export", "all", "--year", "2027", "-o", "out").output


def test_too_long_shop_name_is_reported_in_shop_yaml(run, shop_file, tmp_path):
    shop_file("name: " + "店" * 40_000 + "\nsize: small\n")
    result = run("export", "notice", "--year", "2027", "-o", "n.xlsx", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {tmp_path / 'shop.yaml'}:1: name: text of 40000 characters is longer than an "
        "Excel cell can hold (32767); shorten it")
    assert not (tmp_path / "n.xlsx").exists()
