import json
from importlib.resources import files

import pytest

from planner.workspace.layout import POLICY_FILE


def triage_json(run, *args, **kwargs):
    result = run("complaint", "triage", "--format", "json", *args, **kwargs)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result


def test_json_contract(run):
    data, result = triage_json(run, "--category", "after-sale", "--received", "2026-09-30 17:30")
    assert list(data)[:6] == ["level", "category", "handler", "received", "deadline",
                              "calendar"]
    assert {key: data[key] for key in list(data)[:6]} == {
        "level": "I", "category": "after-sale", "handler": "first-taker",
        "received": "2026-09-30T17:30:00+08:00", "deadline": "2026-10-08T18:00:00+08:00",
        "calendar": "official"}
    assert data["rule"] == "T+1" and data["reasons"] == ["category"]
    assert list(data) == [
        "level", "category", "handler", "received", "deadline", "calendar", "calendar_name",
        "level_name",
        "category_name", "treated_as", "handler_name", "rule", "rule_name", "reasons",
        "reason_texts", "note", "also_handler", "also_handler_name", "notes", "channel",
        "channel_name", "estimated_years"]
    assert {key: data[key] for key in ("also_handler", "notes", "channel", "channel_name")} == {
        "also_handler": None, "notes": [], "channel": None, "channel_name": None}
    assert result.stderr == ""


def test_escalated_account_security_keeps_risk_control(run):
    data, _ = triage_json(run, "-c", "account-security", "--escalated", "-r",
                          "2026-03-16 10:00")
    assert (data["level"], data["handler"], data["also_handler"], data["rule"]) == (
        "III", "risk-control", "cs-manager", "same-day")
    assert data["deadline"] == "2026-03-16T18:00:00+08:00"  # the escalation's, not T+2
    assert [note["category"] for note in data["notes"]] == ["escalated", "account-security"]
    table = run("complaint", "triage", "-c", "account-security", "--escalated", "-r",
                "2026-03-16 10:00", "-l", "en").output
    for words in ("Handler         Risk control", "Also involve    CS supervisor",
                  "Be warm and sincere", "Confirm it is the buyer"):
        assert words in table


@pytest.mark.parametrize(("channel", "name"), [
    ("12315", "12315 平台"), ("consumer-association", "消费者协会"), ("regulator", "市场监管部门")])
def test_a_complaint_through_a_public_channel_is_urgent(run, channel, name):
    data, _ = triage_json(run, "-c", "quality", "--channel", channel, "-r", "2026-03-16 10:00",
                          "-l", "zh")
    assert (data["level"], data["handler"], data["deadline"]) == (
        "urgent", "cs-manager", "2026-03-16T13:00:00+08:00")
    assert data["reasons"] == ["channel"] and name in data["reason_texts"][0]
    assert (data["channel"], data["channel_name"]) == (channel, name)
    table = run("complaint", "triage", "-c", "quality", "--channel", channel, "-l", "zh").output
    assert f"投诉渠道      {name}" in table


def test_any_other_channel_is_free_text(run):
    data, _ = triage_json(run, "-c", "quality", "--channel", "千牛 旺旺", "-r",
                          "2026-03-16 10:00")
    assert (data["level"], data["channel"], data["channel_name"]) == ("I", "千牛 旺旺",
                                                                      "千牛 旺旺")


@pytest.mark.parametrize(("old", "new", "name"), [
    ("merchant-attitude", "third-party-attitude", "Third-party staff attitude"),
    ("infringement", "broken-promise", "Broken promise"),
    ("announced", "published-rules", "Already published rules"),
])
def test_old_category_ids_still_work(run, old, new, name):
    data, _ = triage_json(run, "-c", old, "-l", "en")
    assert (data["category"], data["category_name"]) == (new, name)
    table = run("complaint", "triage", "-c", old, "-l", "en").output
    assert f"{name} ({new})" in table


@pytest.mark.parametrize(("args", "level", "handler", "deadline"), [
    (["-c", "agent-attitude", "-r", "2026-02-14 10:00"], "II", "agent-supervisor",
     "2026-02-14T18:00:00+08:00"),
    (["-c", "account-security", "-r", "2026-02-28 18:01"], "III", "risk-control",
     "2026-03-04T18:00:00+08:00"),
    (["-c", "quality", "--vip", "-r", "2026-03-13 19:00"], "III", "cs-manager",
     "2026-03-16T18:00:00+08:00"),
    (["-c", "quality", "--escalated", "-r", "2026-03-16 08:00"], "III", "cs-manager",
     "2026-03-16T18:00:00+08:00"),
    (["-c", "promotion", "--sensitive", "consumer-association", "-r", "2026-10-01 22:30"],
     "urgent", "cs-manager", "2026-10-02T01:30:00+08:00"),
    (["-c", "promotion", "--from-head-office", "-r", "2026-03-15T02:00:00Z"], "urgent",
     "cs-manager", "2026-03-15T13:00:00+08:00"),
    (["-c", "quality", "--media-risk", "-r", "2026-03-15 10:00"], "urgent", "cs-manager",
     "2026-03-15T13:00:00+08:00"),
    (["-c", "quality", "--same-issue-count", "11", "-r", "2026-03-15 10:00"], "urgent",
     "cs-manager", "2026-03-15T13:00:00+08:00"),
    (["-c", "quality", "--same-issue-count", "10", "-r", "2026-03-15 10:00"], "I",
     "first-taker", "2026-03-17T18:00:00+08:00"),
])
def test_levels_handlers_and_deadlines(run, args, level, handler, deadline):
    data, _ = triage_json(run, *args)
    assert (data["level"], data["handler"], data["deadline"]) == (level, handler, deadline)


def test_table_in_english(run):
    result = run("complaint", "triage", "-c", "broken-promise", "-r", "2026-09-30 10:00",
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Complaint triage" in out
    for words in ("Level III", "Broken promise (broken-promise)",
                  "First person who took it", "2026-09-30 10:00 Wed", "2026-10-08 18:00 Thu",
                  "official holiday schedule", "Deadline"):
        assert words in out


def test_table_in_chinese(run):
    result = run("complaint", "triage", "-c", "agent-efficiency", "-r", "2026-02-28 09:00",
                 "--lang", "zh")
    assert result.exit_code == 0, result.output
    for words in ("投诉分级结果", "II 级", "另一位资深客服", "受理当天下班前",
                  "2026-02-28 18:00 周六", "首次回复截止", "法定节假日安排"):
        assert words in result.output


@pytest.mark.parametrize(("lang", "warning"), [("en", "Warning: the public holidays"),
                                              ("zh", "注意：尚不知道 2099 年")])
def test_unknown_year_is_estimated_and_says_so(run, lang, warning):
    data, result = triage_json(run, "-c", "quality", "-r", "2099-03-13 10:00", "--lang", lang)
    assert data["calendar"] == "estimated" and data["estimated_years"] == [2099]
    assert data["deadline"] == "2099-03-16T18:00:00+08:00"
    assert warning in result.stderr and "2099" in result.stderr
    table = run("complaint", "triage", "-c", "quality", "-r", "2099-03-13 10:00", "-l", lang)
    assert warning in table.stderr
    assert ("estimated from weekends only" if lang == "en" else "仅按周末估算") in table.stdout


def test_three_hours_in_an_unknown_year_needs_no_warning(run):
    data, result = triage_json(run, "-c", "quality", "--media-risk", "-r", "2099-03-14 10:00")
    assert data["calendar"] == "official" and result.stderr == ""


@pytest.fixture
def workspace(tmp_path, shop_file):
    folder = tmp_path / "shop"
    shop_file('name: 测试店\nlang: zh\nbusiness_hours: {start: "08:00", end: "17:00"}\n',
              folder)
    (folder / "holidays.yaml").write_text(
        "2099:\n  days_off: [2099-03-16]\n  makeup_days: [2099-03-21]\n", encoding="utf-8")
    return folder


def test_workspace_holidays_hours_and_language(run, workspace):
    data, result = triage_json(run, "-c", "quality", "-r", "2099-03-13 16:30",
                               "--workspace", workspace)
    assert data["calendar"] == "official" and result.stderr == ""
    assert data["deadline"] == "2099-03-17T17:00:00+08:00"  # Mon 16th declared off
    assert data["level_name"] == "I 级"  # the shop file says zh
    late, _ = triage_json(run, "-c", "quality", "-r", "2099-03-13 17:00", "-w", workspace)
    assert late["deadline"] == "2099-03-18T17:00:00+08:00"  # 17:00 is after business


def test_workspace_found_from_the_current_folder(run, workspace, monkeypatch):
    shipped = (files("planner.templates") / POLICY_FILE).read_text(encoding="utf-8")
    (workspace / POLICY_FILE).write_text(
        shipped.replace("    handler: risk-control\n", "    handler: cs-manager\n"),
        encoding="utf-8")
    monkeypatch.chdir(workspace)
    data, _ = triage_json(run, "-c", "account-security", "-r", "2026-03-16 10:00")
    assert data["handler"] == "cs-manager"


def test_received_defaults_to_now(run, monkeypatch):
    monkeypatch.setenv("PLANNER315_NOW", "2026-09-30T17:59:00+08:00")
    data, _ = triage_json(run, "-c", "quality")
    assert data["received"] == "2026-09-30T17:59:00+08:00"
    assert data["deadline"] == "2026-10-08T18:00:00+08:00"


@pytest.mark.parametrize(("args", "words"), [
    (["-c", "refund"], "unknown value 'refund'; choose from: "),
    (["-c", "quality", "--received", "tomorrow"], "'tomorrow' is not a valid date and time"),
    (["-c", "quality", "--received", "2026-02-30 10:00"], "not a valid date and time"),
    (["-c", "quality", "--sensitive", "blogger"], "unknown value 'blogger'"),
    (["-c", "quality", "--same-issue-count", "0"], "--same-issue-count"),
    ([], "--category"),
])
def test_bad_options_exit_2_without_traceback(run, args, words):
    result = run("complaint", "triage", "--lang", "en", *args)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, KeyError)


def test_an_unknown_category_offers_only_the_current_ids(run):
    output = run("complaint", "triage", "-c", "refund", "-l", "en").output
    assert "broken-promise" in output and "infringement" not in output


def test_complaint_add_records_the_current_id(run, tmp_path, monkeypatch):
    assert run("init", "ws", "--size", "large").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.setenv("PLANNER315_NOW", "2026-03-16 10:00")
    added = run("complaint", "add", "-c", "infringement", "-s", "赠品没发", "--format", "json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["complaint"]["category"] == "broken-promise"
    listed = json.loads(run("complaint", "list", "--format", "json").stdout)
    assert [row["category"] for row in listed] == ["broken-promise"]


def test_bad_received_message_in_chinese(run):
    result = run("complaint", "triage", "--lang", "zh", "-c", "quality", "-r", "明天")
    assert result.exit_code == 2 and "“明天”不是有效的日期时间" in result.output


def test_bad_workspace_policy_is_exit_1_with_location(run, workspace):
    (workspace / POLICY_FILE).write_text("levels: 3\n", encoding="utf-8")
    result = run("complaint", "triage", "-c", "quality", "-w", workspace, "-l", "en")
    assert result.exit_code == 1
    assert f"{workspace / POLICY_FILE}:1: levels: wrong type" in result.output


def test_help_works(run):
    for args in (["complaint", "-h"], ["complaint", "triage", "--help"], ["playbook", "-h"]):
        result = run(*args)
        assert result.exit_code == 0 and "Example" in result.output


def test_bad_received_message_follows_the_environment(run, monkeypatch):
    monkeypatch.setenv("PLANNER315_LANG", "zh")
    result = run("complaint", "triage", "-r", "明天", "-c", "quality")
    assert result.exit_code == 2 and "不是有效的日期时间" in result.output
