"""Check-offs through the CLI: check, uncheck, skip, undo, status, next, log."""

import json

import pytest

from planner.workspace.layout import DB_FILE


@pytest.fixture
def ws(tmp_path, run, monkeypatch):
    """A small-shop workspace in English; the clock is fixed during the prepare phase."""
    result = run("init", "ws", "--size", "small", "--lang", "en", "--shop-name", "Demo")
    assert result.exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.setenv("PLANNER315_NOW", "2027-03-10 10:00")
    monkeypatch.setenv("PLANNER315_USER", "zhang")
    return tmp_path / "ws"


def status(run, today="2027-03-12"):
    result = run("status", "--today", today, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def items_by_id(report):
    return {item["id"]: item for item in report["items"]}


def history(run, *args):
    result = run("log", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_state_commands_need_a_workspace(run):
    for args in (["check", "prepare.copy.ad-law"], ["status"], ["next"], ["log"], ["undo"]):
        result = run(*args, "--lang", "en")
        assert result.exit_code == 1, args
        assert "not inside a workspace" in result.output and "planner315 init" in result.output


def test_workspace_found_from_subfolder_env_and_option(run, ws, tmp_path, monkeypatch):
    (ws / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(ws / "sub" / "deeper")
    assert run("check", "prepare.copy.ad-law").exit_code == 0
    monkeypatch.chdir(tmp_path)
    assert run("status").exit_code == 1  # not a workspace here
    monkeypatch.setenv("PLANNER315_WORKSPACE", str(ws))
    assert items_by_id(status(run))["prepare.copy.ad-law"]["status"] == "done"
    monkeypatch.delenv("PLANNER315_WORKSPACE")
    report = json.loads(run("status", "-w", ws, "--format", "json").output)
    assert items_by_id(report)["prepare.copy.ad-law"]["status"] == "done"
    bad = run("status", "-w", tmp_path / "nowhere")
    assert bad.exit_code == 1 and "no shop.yaml here" in bad.output


def test_check_records_who_when_and_note(run, ws):
    result = run("check", "prepare.copy.ad-law", "prepare.plan.kickoff", "--by", "张敏",
                 "--note", "已核查", "--at", "2027-03-09 16:30")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["prepare.copy.ad-law: done",
                                          "prepare.plan.kickoff: done"]
    item = items_by_id(status(run))["prepare.copy.ad-law"]
    assert (item["status"], item["by"], item["at"], item["note"], item["due"]) == (
        "done", "张敏", "2027-03-09T16:30:00+08:00", "已核查", "2027-03-07")
    entries = history(run)
    summary = [(e["subject"], e["action"], e["by"], e["old"], e["new"]["status"])
               for e in entries]
    assert summary == [
        ("prepare.copy.ad-law", "check", "张敏", None, "done"),
        ("prepare.plan.kickoff", "check", "张敏", None, "done")]
    assert entries[0]["at"] == "2027-03-10T10:00:00+08:00"  # when it was recorded


def test_check_is_idempotent(run, ws):
    run("check", "prepare.copy.ad-law")
    again = run("check", "prepare.copy.ad-law")
    assert again.exit_code == 0 and "already done, nothing changed" in again.output
    assert len(history(run)) == 1


def test_unknown_id_suggests_and_writes_nothing(run, ws):
    result = run("check", "prepare.plan.kickoff", "prepare.copy.adlaw")
    assert result.exit_code == 1
    assert "prepare.copy.adlaw: no such item; did you mean: prepare.copy.ad-law" in result.output
    assert history(run) == []
    assert items_by_id(status(run))["prepare.plan.kickoff"]["status"] == "open"


def test_item_of_another_size_is_refused(run, ws):
    result = run("check", "prepare.screen.past-complaints")
    assert result.exit_code == 1
    assert "not in this shop's plan" in result.output


def test_future_at_is_refused(run, ws):
    result = run("check", "prepare.copy.ad-law", "--at", "2027-03-11 09:00")
    assert result.exit_code == 1 and "in the future" in result.output
    result = run("check", "prepare.copy.ad-law", "--at", "yesterday")
    assert result.exit_code == 2 and "not a valid date and time" in result.output


def test_skip_needs_reason_and_counts_as_settled(run, ws):
    assert run("skip", "prepare.security.scams").exit_code == 2
    assert run("skip", "prepare.security.scams", "--reason", "no sub-accounts").exit_code == 0
    report = status(run)
    item = items_by_id(report)["prepare.security.scams"]
    assert (item["status"], item["note"]) == ("skipped", "no sub-accounts")
    prepare = report["phases"][0]
    assert prepare["done"] == 1 and "prepare.security.scams" not in prepare["overdue"]


def test_uncheck_and_undo(run, ws):
    run("check", "prepare.copy.ad-law", "prepare.plan.kickoff", "--by", "a")
    run("check", "prepare.promo.rules", "--by", "b")
    result = run("uncheck", "prepare.copy.ad-law", "--by", "a", "--note", "主图仍有极限词")
    assert result.exit_code == 0
    assert items_by_id(status(run))["prepare.copy.ad-law"]["status"] == "open"
    # a's last change was the uncheck: undo re-checks the item
    result = run("undo", "--by", "a")
    assert result.exit_code == 0 and "prepare.copy.ad-law is done again" in result.output
    # the next undo by a reverts a's two-item check, leaving b's work alone
    assert run("undo", "--by", "a").exit_code == 0
    states = {i["id"]: i["status"] for i in status(run)["items"]}
    assert (states["prepare.copy.ad-law"], states["prepare.plan.kickoff"],
            states["prepare.promo.rules"]) == ("open", "open", "done")
    nothing = run("undo", "--by", "a")
    assert nothing.exit_code == 1 and "a has no change left to undo" in nothing.output
    entries = history(run)
    assert [e["action"] for e in entries] == ["check", "check", "check", "uncheck", "undo",
                                              "undo", "undo"]
    assert entries[4]["reverts"] == entries[3]["txn"]


def test_undo_refuses_to_clobber_someone_elses_later_change(run, ws):
    run("check", "prepare.copy.ad-law", "--by", "a")
    run("uncheck", "prepare.copy.ad-law", "--by", "b")
    result = run("undo", "--by", "a")
    assert result.exit_code == 1 and "b changed this item since" in result.output


def test_status_json_contract_and_overdue(run, ws):
    run("check", "prepare.plan.kickoff")
    report = status(run, "2027-03-12")
    assert set(report) >= {"as_of", "year", "size", "phases", "items"}
    assert (report["as_of"], report["year"], report["size"]) == ("2027-03-12", 2027, "small")
    for phase in report["phases"]:
        assert set(phase) >= {"id", "done", "total", "overdue"}
    for item in report["items"]:
        assert set(item) >= {"id", "status", "by", "at", "note", "due"}
    prepare = report["phases"][0]
    assert (prepare["id"], prepare["done"], prepare["total"]) == ("prepare", 1, 22)
    # due before the 12th and not settled; the kickoff was done
    assert "prepare.promo.ended-copy" in prepare["overdue"]
    assert "prepare.plan.kickoff" not in prepare["overdue"]
    assert all(items_by_id(report)[i]["due"] < "2027-03-12" for i in prepare["overdue"])
    assert set(report["due_soon"]) == {i["id"] for i in report["items"] if i["status"] == "open"
                                       and "2027-03-12" <= i["due"] <= "2027-03-15"}


def test_status_table_colour_and_no_color(run, ws, monkeypatch):
    from click.testing import CliRunner

    from planner.cli import main

    coloured = CliRunner().invoke(main, ["status", "--today", "2027-03-12"], color=True)
    assert "\x1b[31m" in coloured.output and "Overdue (" in coloured.output
    monkeypatch.setenv("NO_COLOR", "1")
    plain = CliRunner().invoke(main, ["status", "--today", "2027-03-12"], color=True)
    assert "\x1b[" not in plain.output and "Overdue (" in plain.output
    assert "████" in plain.output or "░░░░" in plain.output


def test_next_for_one_owner(run, ws):
    result = run("next", "--owner", "operations", "--today", "2027-03-06", "--format", "json")
    data = json.loads(result.output)
    assert [i["id"] for i in data["now"]] == ["prepare.promo.ended-copy", "prepare.promo.rules"]
    assert data["next"] and all(i["owner"] == "operations" for i in data["next"])
    assert all(i["due"] > "2027-03-06" for i in data["next"])
    assert run("next", "--owner", "boss").exit_code == 2


def test_log_filters(run, ws, monkeypatch):
    run("check", "prepare.copy.ad-law", "--by", "a")
    monkeypatch.setenv("PLANNER315_NOW", "2027-03-11 09:00")
    run("check", "prepare.promo.rules", "--by", "b")
    assert [e["subject"] for e in history(run, "--by", "b")] == ["prepare.promo.rules"]
    assert [e["by"] for e in history(run, "--item", "prepare.copy.ad-law")] == ["a"]
    assert [e["by"] for e in history(run, "--since", "2027-03-11")] == ["b"]
    table = run("log", "--lang", "zh")
    assert "完成" in table.output and "未完成 → 已完成" in table.output


def test_plan_inside_workspace_shows_status(run, ws):
    run("check", "prepare.copy.ad-law", "--by", "张敏")
    data = json.loads(run("plan", "--format", "json").output)
    item = next(i for i in data["phases"][0]["items"] if i["id"] == "prepare.copy.ad-law")
    assert (item["status"], item["by"]) == ("done", "张敏")
    assert "done 张敏 2027-03-10" in run("plan").output
    assert "- [x] " in run("plan", "--format", "markdown").output


@pytest.mark.sqlite_only  # rewrites the shop file without the shop_id a shared database added
def test_checkoffs_survive_a_size_change(run, ws):
    shop = ws / "shop.yaml"
    text = shop.read_text(encoding="utf-8")
    shop.write_text(text.replace("size: small", "size: large"), encoding="utf-8")
    assert run("check", "prepare.screen.past-complaints", "prepare.copy.ad-law").exit_code == 0
    shop.write_text(text, encoding="utf-8")  # back to small: the screening item is large-only
    report = status(run)
    assert items_by_id(report)["prepare.copy.ad-law"]["status"] == "done"
    assert [(e["id"], e["status"]) for e in report["no_longer_applies"]] == [
        ("prepare.screen.past-complaints", "done")]
    assert "Checked off but no longer in the plan" in run("status").output
    shop.write_text(text.replace("size: small", "size: large"), encoding="utf-8")
    report = status(run)
    assert items_by_id(report)["prepare.screen.past-complaints"]["status"] == "done"
    assert report["no_longer_applies"] == []


def test_reads_do_not_create_the_database(run, ws):
    assert run("status").exit_code == 0 and run("log").exit_code == 0
    assert not (ws / DB_FILE).exists()
