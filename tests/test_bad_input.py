"""Regressions from hunting bad input: each gives one clean line, never a traceback."""

import json

import pytest

from planner.workspace.layout import DB_FILE


def one_line_error(result, code=1):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.strip().splitlines() if line.strip()]
    return lines[-1]


@pytest.mark.parametrize("text", ["", "# only a comment\n"])
def test_an_empty_shop_file_is_a_shop_without_settings(run, shop_file, text):
    shop_file(text)
    result = run("complaint", "triage", "-c", "quality", "--received", "2026-03-16 10:00",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["level"] == "I"
    assert "--size" in one_line_error(run("plan"), code=2)


def test_a_policy_edited_after_complaints_were_recorded(run, shop_file, tmp_path):
    from importlib.resources import files

    shop_file("size: large\n")
    assert run("complaint", "add", "-c", "pushy-selling", "-s", "x", "--received",
               "2026-11-20 10:00").exit_code == 0
    policy = (files("planner.templates") / "policy.yaml").read_text(encoding="utf-8")
    start = policy.index("  pushy-selling:")
    end = policy.index("  price-difference:")
    (tmp_path / "policy.yaml").write_text(policy[:start] + policy[end:], encoding="utf-8")
    listed = run("complaint", "list", "--lang", "en")  # the names fall back to the ids
    assert listed.exit_code == 0 and "pushy-" in listed.output
    assert run("complaint", "show", "TS-2026-0001").exit_code == 0


@pytest.mark.parametrize("when", ["9999-12-31T23:59+08:00", "1999-12-31 10:00"])
def test_datetimes_outside_the_planning_years(run, when):
    line = one_line_error(run("complaint", "triage", "-c", "quality", "--received", when,
                              "--lang", "en"), code=2)
    assert "not in the years 2000-2100" in line


def test_a_nul_byte_is_one_line_with_its_line_number(run, shop_file):
    path = shop_file("size: large\nname: a\x00b\n")
    line = one_line_error(run("plan", "--lang", "en"))
    assert line.endswith(f"{path}:2: contains a character YAML does not allow "
                         "(#x0000, e.g. a NUL byte); remove it")


def test_a_folder_named_like_a_workspace_file(run, tmp_path):
    (tmp_path / "shop.yaml").mkdir()
    assert "this is a folder" in one_line_error(run("plan", "--lang", "en"))
    (tmp_path / "shop.yaml").rmdir()
    (tmp_path / "shop.yaml").write_text("size: small\n", encoding="utf-8")
    (tmp_path / "policy.yaml").mkdir()
    line = one_line_error(run("complaint", "triage", "-c", "quality", "--lang", "en"))
    assert "policy.yaml: this is a folder" in line


def test_every_command_rejects_bad_business_hours_alike(run, shop_file, tmp_path):
    shop_file('size: small\nbusiness_hours: {start: "18:00", end: "09:00"}\n')
    for args in (["plan"], ["check", "prepare.copy.ad-law"], ["status"]):
        assert "business_hours" in one_line_error(run(*args, "--lang", "en"))
    assert not (tmp_path / DB_FILE).exists()


def test_today_after_the_last_campaign_year(run):
    line = one_line_error(run("plan", "--size", "large", "--today", "2100-12-31"))
    assert "--today" in line and "2100" in line and "2101" not in line


def test_override_errors_name_the_plan_year(run, shop_file):
    shop_file('size: large\nphases: {battle: {start: ""}}\n')
    line = one_line_error(run("plan", "--today", "2026-11-27", "--lang", "en"))
    assert "phases.battle.start" in line and "in 2027" in line


def test_option_errors_follow_lang_wherever_it_stands(run, shop_file):
    shop_file("size: large\n")
    result = run("check", "prepare.copy.ad-law", "--at", "tomorrow", "--lang", "zh")
    assert "不是有效的日期时间" in one_line_error(result, code=2)
    result = run("status", "--today", "2027-02-30", "--lang", "zh")
    assert "不是有效日期" in one_line_error(result, code=2)


def test_messages_in_chinese_have_no_english_inside(run, shop_file):
    shop_file("size: large\ndaily_orders: -1\n")
    assert one_line_error(run("plan", "--lang", "zh")).endswith(
        "daily_orders: 类型不对，应为：非负整数")
    shop_file("size: large\n")
    run("complaint", "add", "-c", "quality", "-s", "x", "--received", "2026-11-20 10:00")
    run("complaint", "update", "TS-2026-0001", "--status", "in-progress")
    line = one_line_error(run("complaint", "callback", "TS-2026-0001", "--satisfied", "yes",
                              "--lang", "zh"))
    assert "“处理中”" in line and "in-progress" not in line


def test_literal_braces_in_messages_are_single(run, shop_file):
    shop_file("size: large\nphases:\n  battle: [03-11]\n")
    line = one_line_error(run("plan", "--lang", "en"))
    assert "{start: MM-DD, end: MM-DD}" in line and "{{" not in line


def test_log_of_an_unknown_item_suggests(run, shop_file):
    shop_file("size: large\n")
    line = one_line_error(run("log", "--item", "prepare.copy.adlaw", "--lang", "en"))
    assert "did you mean: prepare.copy.ad-law" in line


def test_status_reads_a_database_of_the_previous_schema(run, shop_file, tmp_path):
    from conftest import old_database, v3_complaint

    shop_file("size: small\n")
    old_database(tmp_path / DB_FILE, 2, complaints=[
        v3_complaint(1, "2026-03-16T10:00:00+08:00", status="resolved")])
    before = (tmp_path / DB_FILE).read_bytes()
    result = run("status", "--today", "2026-03-18", "--format", "json")
    assert (tmp_path / DB_FILE).read_bytes() == before  # a read migrates a copy in memory
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["complaints"]["callback_due"]["count"] == 1


def test_call_backs_still_due_after_the_aftermath(run, shop_file):
    shop_file("size: small\n")
    run("complaint", "add", "-c", "quality", "-s", "x", "--received", "2026-03-15 10:00")
    run("complaint", "update", "TS-2026-0001", "--status", "resolved")

    def due(today):
        report = json.loads(run("status", "--today", today, "--format", "json").output)
        return report["complaints"]["callback_due"]["count"]

    # small shop 2026: prepare from Mar 9, aftermath Mar 17 - Mar 23
    assert due("2026-03-15") == 0  # battle: not yet
    assert due("2026-03-20") == 1  # aftermath
    assert due("2026-03-24") == 1  # after it, until the next campaign starts
    assert due("2027-03-10") == 0  # the next campaign is on


def test_a_shop_called_yes_is_a_mistake(run, shop_file):
    shop_file("name: yes\nsize: small\n")
    assert "name: wrong type" in one_line_error(run("plan", "--lang", "en"))


def test_no_color_applies_to_the_complaint_list(run, shop_file, monkeypatch):
    from click.testing import CliRunner

    from planner.cli import main

    shop_file("size: small\n")
    run("complaint", "add", "-c", "quality", "-s", "x", "--received", "2026-03-16 10:00")
    args = ["complaint", "list", "--today", "2026-03-20 10:00", "--lang", "en"]
    assert "\x1b[" in CliRunner().invoke(main, args, color=True).output
    monkeypatch.setenv("NO_COLOR", "1")
    plain = CliRunner().invoke(main, args, color=True).output
    assert "\x1b[" not in plain and "OVERDUE" in plain


def test_playbook_follows_the_workspace_language(run, shop_file):
    shop_file("size: small\nlang: zh\n")
    assert "顾客类型" in run("playbook").output
