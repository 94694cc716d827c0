"""Long output: `log` streamed (JSON complete and oldest first, tables the latest 50 with a
note), `complaint list` / `find` tables the first 50 with a note; --limit N and --all."""

from __future__ import annotations

import json

import pytest

from planner.core.clock import parse_datetime
from planner.storage.contract import Change, ItemState
from planner.storage.sqlite import open_store
from planner.workspace.layout import DB_FILE


@pytest.fixture
def ws(tmp_path, run, monkeypatch):
    assert run("init", "ws", "--size", "large", "--lang", "en").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.setenv("PLANNER315_NOW", "2027-03-16 10:00")
    monkeypatch.setenv("PLANNER315_USER", "li")
    return tmp_path / "ws"


def seed_history(folder, count: int) -> None:
    """`count` history entries, alternately checking and reopening one item."""
    at = parse_datetime("2027-03-01 10:00")
    done = ItemState("done", "li", at, None)
    with open_store(folder / DB_FILE, write=True) as store:
        for n in range(count):
            checked = n % 2 == 0
            store.apply([Change("prepare.copy.ad-law", "check" if checked else "uncheck",
                                None if checked else done, done if checked else None)],
                        year=2027, by="li", recorded_at=at, note=f"n{n}")


def notes(output: str) -> list[str]:
    return [word for line in output.splitlines() for word in line.split()
            if word[:1] == "n" and word[1:].isdigit()]


def test_log_table_shows_the_latest_50_oldest_first_with_a_note(run, ws):
    seed_history(ws, 120)
    result = run("log")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "(70 earlier entries not shown: --all shows every one, --limit N the last N)")
    assert notes(result.output) == [f"n{n}" for n in range(70, 120)]
    assert notes(run("log", "--limit", "3").output) == ["n117", "n118", "n119"]
    everything = run("log", "--all").output
    assert notes(everything) == [f"n{n}" for n in range(120)]
    assert "not shown" not in everything
    assert "另有 70 条更早的记录未显示" in run("log", "--lang", "zh").output


def test_log_json_is_complete_oldest_first_unless_limited(run, ws):
    seed_history(ws, 60)
    result = run("log", "--format", "json")
    data = json.loads(result.stdout)
    assert [e["note"] for e in data] == [f"n{n}" for n in range(60)]
    from planner.present.log import entry_data
    from planner.present.text import to_json

    with open_store(ws / DB_FILE) as store:  # streamed, yet the text of one JSON document
        assert result.stdout == to_json([entry_data(e) for e in store.history()]) + "\n"
    assert [e["note"] for e in json.loads(run("log", "--format", "json", "--limit", "2").stdout)
            ] == ["n58", "n59"]
    assert json.loads(run("log", "--format", "json", "--all").stdout) == data


def test_log_short_and_empty(run, ws):
    empty = run("log", "--format", "json")
    assert empty.exit_code == 0 and empty.stdout == "[]\n"
    assert run("log").output.splitlines()[-1] == "No history yet."
    seed_history(ws, 3)
    assert "not shown" not in run("log").output and notes(run("log").output) == [
        "n0", "n1", "n2"]


def test_limit_and_all_are_checked(run, ws):
    for args in (["log", "--limit", "0"], ["log", "--limit", "5", "--all"],
                 ["complaint", "list", "--limit", "2", "--all"]):
        result = run(*args)
        assert result.exit_code == 2 and "Traceback" not in result.output, args
    assert "cannot be used together" in run("log", "--limit", "5", "--all").output


def add_complaints(run, count: int) -> None:
    for n in range(count):
        result = run("complaint", "add", "-c", "quality", "-s", f"s{n}", "--order", str(n),
                     "-p", f"SKU-{n}", "--received", "2027-03-16 09:00", "--format", "json")
        assert result.exit_code == 0, result.output


def summaries(output: str) -> list[str]:
    return [word for line in output.splitlines() for word in line.split()
            if word[:1] == "s" and word[1:].isdigit()]


def test_complaint_list_table_shows_50_with_a_note_json_everything(run, ws):
    add_complaints(run, 53)
    table = run("complaint", "list")
    assert table.exit_code == 0, table.output
    assert summaries(table.output) == [f"s{n}" for n in range(50)]  # queue order: by deadline
    assert table.output.splitlines()[-1] == (
        "(3 more complaints not shown: --all shows every one, --limit N the first N)")
    assert len(summaries(run("complaint", "list", "--all").output)) == 53
    assert "not shown" not in run("complaint", "list", "--all").output
    assert summaries(run("complaint", "list", "--limit", "2").output) == ["s0", "s1"]
    assert len(json.loads(run("complaint", "list", "--format", "json").stdout)) == 53
    assert len(json.loads(run("complaint", "list", "--format", "json", "--limit", "5").stdout
                          )) == 5
    assert "另有 3 件投诉未显示" in run("complaint", "list", "--lang", "zh").output
    found = run("complaint", "find", "TS-2027", "--limit", "10")
    assert len(summaries(found.output)) == 10 and "43 more complaints" in found.output
    assert run("complaint", "list", "--order", "nothing").output.strip() == "No complaints match."


def test_status_bounds_the_call_backs_it_counts(run, ws, monkeypatch):
    """`status` counts call-backs still due only up to a cap: its time does not grow with the
    register; beyond the cap it says "1,000+"."""
    import planner.complaints.register as register

    monkeypatch.setattr(register, "CALLBACK_CAP", 2)
    add_complaints(run, 4)
    for number in range(1, 5):
        result = run("complaint", "update", f"TS-2027-{number:04d}", "--status", "resolved")
        assert result.exit_code == 0, result.output
    monkeypatch.setenv("PLANNER315_NOW", "2027-04-20 10:00")
    data = json.loads(run("status", "--format", "json").stdout)["complaints"]["callback_due"]
    assert data["count"] == 2 and data["at_least"] is True
    assert "Resolved but not called back yet (2+)" in run("status").output
    monkeypatch.setattr(register, "CALLBACK_CAP", 10)
    data = json.loads(run("status", "--format", "json").stdout)["complaints"]["callback_due"]
    assert data["count"] == 4 and "at_least" not in data


def test_log_shows_complaint_edits_and_replies(run, ws):
    add_complaints(run, 1)
    assert run("complaint", "edit", "TS-2027-0001", "--vip").exit_code == 0
    assert run("complaint", "reply", "TS-2027-0001", "--at", "2027-03-16 09:30").exit_code == 0
    result = run("log")
    assert result.exit_code == 0, result.output
    assert "Level I → Level III" in result.output and "open → replied" in result.output
    assert "complaint:" not in result.output
    from planner.present.log import _state_label

    flags = {"vip": True, "escalated": False, "sensitive": None}
    assert _state_label({"flags": flags}, "complaint:TS-2027-0001", "en") == "flags=vip"
    assert _state_label({"product": None, "issue": "x"}, "complaint:TS-2027-0001", "zh") == (
        "product=-, issue=x")
