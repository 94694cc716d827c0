"""The complaint desk through the CLI: correct, void, assign, find, reply, the process and the
report — and every refusal, which writes nothing."""

import json

import pytest
from openpyxl import load_workbook

from planner.workspace.layout import DB_FILE

NOW = "2027-03-15 10:00"


@pytest.fixture
def ws(tmp_path, run, monkeypatch):
    assert run("init", "ws", "--size", "large", "--lang", "en").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.setenv("PLANNER315_NOW", NOW)
    monkeypatch.setenv("PLANNER315_USER", "li")
    return tmp_path / "ws"


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def as_json(result):
    return json.loads(ok(result).stdout)


def add(run, *args, received="2027-03-15 09:00"):
    data = as_json(run("complaint", "add", "--format", "json", "-s", "x", "--received",
                       received, *args))
    return data["complaint"]


def show(run, number, *args):
    return as_json(run("complaint", "show", number, "--format", "json", *args))


def listed(run, *args):
    return as_json(run("complaint", "list", "--format", "json", *args))


def snapshot(ws):
    """The register and the length of the history, through the storage contract (so on
    either backend)."""
    from planner.storage.contract import ComplaintFilter
    from planner.workspace.session import Workspace

    with Workspace.open(workspace=str(ws)).store() as store:
        return (store.complaints.page(ComplaintFilter(include_void=True), None, 10**6),
                store.count_history())


# --- the JSON contract -------------------------------------------------------------------------

NEW_KEYS = {"taker", "assignee", "issue", "first_response", "answered_late", "minutes_left",
            "void", "void_reason", "department", "solution", "approved_by", "approved_at",
            "calendar_name", "step"}


def test_every_complaint_json_has_the_desk_keys(run, ws):
    added = add(run, "-c", "quality", "-p", "CUP-01")
    assert set(added) >= NEW_KEYS
    assert (added["taker"], added["assignee"], added["issue"]) == ("li", None, "CUP-01")
    assert added["first_response"] is None and added["answered_late"] is False
    assert added["void"] is False and added["step"] == "verify"
    assert added["calendar_name"] == "office"
    # received 09:00 Mon, T+1 -> Tue 18:00; now is Mon 10:00
    assert added["minutes_left"] == (24 + 8) * 60
    for data in (show(run, added["number"]), listed(run)[0],
                 as_json(run("complaint", "find", "x", "--format", "json"))[0]):
        assert set(data) >= NEW_KEYS


# --- correct and re-triage ---------------------------------------------------------------------

def test_edit_retriages_and_never_moves_a_promise_later(run, ws):
    number = add(run, "-c", "quality")["number"]
    ok(run("complaint", "edit", number, "--sensitive", "media"))
    urgent = show(run, number)
    assert (urgent["level"], urgent["handler"]) == ("urgent", "cs-manager")
    assert urgent["deadline"] == "2027-03-15T12:00:00+08:00"  # 3 h from receipt
    [entry] = [e for e in urgent["history"] if e["action"] == "complaint-edit"]
    assert entry["old"]["level"] == "I" and entry["new"]["level"] == "urgent"
    assert entry["new"]["flags"]["sensitive"] == "media"
    # the flag was a mistake: the level goes down, the deadline already promised stays
    ok(run("complaint", "edit", number, "--sensitive", "none"))
    lowered = show(run, number)
    assert lowered["level"] == "I" and lowered["deadline"] == "2027-03-15T12:00:00+08:00"


def test_a_corrected_receipt_time_moves_the_deadline_either_way(run, ws):
    number = add(run, "-c", "quality", received="2027-03-15 09:00")["number"]
    ok(run("complaint", "edit", number, "--received", "2027-03-12 17:00"))
    assert show(run, number)["deadline"] == "2027-03-15T18:00:00+08:00"  # Fri -> T+1 Mon
    ok(run("complaint", "edit", number, "--received", "2027-03-15 09:30"))
    assert show(run, number)["deadline"] == "2027-03-16T18:00:00+08:00"


def test_edit_of_details_and_several_numbers(run, ws):
    first, second = (add(run, "-c", "quality")["number"] for _ in range(2))
    ok(run("complaint", "edit", first, "--order", "O-77", "--buyer", "王女士", "--summary",
           "杯子裂了"))
    data = show(run, first)
    assert (data["order"], data["buyer"], data["summary"]) == ("O-77", "王女士", "杯子裂了")
    assert data["level"] == "I"  # details alone do not change the triage
    ok(run("complaint", "edit", first, second, "--vip"))
    assert {c["level"] for c in listed(run)} == {"III"}
    result = run("complaint", "edit", first, second, "--order", "O-1")
    assert result.exit_code == 2 and "flag changes only" in result.output
    assert run("complaint", "edit", first).exit_code == 2  # nothing to correct


def test_a_product_change_moves_the_complaint_to_another_batch(run, ws):
    numbers = [add(run, "-c", "quality", "-p", "A",
                   received=f"2027-03-15 08:{n:02d}")["number"] for n in range(10)]
    stray = add(run, "-c", "quality", "-p", "B", received="2027-03-15 08:30")["number"]
    assert {c["level"] for c in listed(run)} == {"I"}
    ok(run("complaint", "edit", stray, "--product", "A"))
    levels = {c["number"]: c["level"] for c in listed(run)}
    assert all(levels[n] == "urgent" for n in [*numbers, stray])
    # the eleventh by receipt is the stray one (08:30): three hours from then
    assert {c["deadline"] for c in listed(run)} == {"2027-03-15T11:30:00+08:00"}


# --- void ----------------------------------------------------------------------------------------

def test_void_is_kept_shown_and_counted_nowhere(run, ws):
    kept = add(run, "-c", "quality")["number"]
    wrong = add(run, "-c", "quality")["number"]
    ok(run("complaint", "void", wrong, "--reason", "entered twice"))
    assert [c["number"] for c in listed(run)] == [kept]
    every = listed(run, "--include-void")
    assert {c["number"]: c["void"] for c in every} == {kept: False, wrong: True}
    voided = show(run, wrong)
    assert voided["void_reason"] == "entered twice" and voided["step"] == "void"
    report = as_json(run("complaint", "report", "--format", "json"))
    assert report["new"]["total"] == 1 and report["void"] == 1
    assert "VOID" in ok(run("complaint", "list", "--include-void")).output
    result = run("complaint", "edit", wrong, "--vip")
    assert result.exit_code == 1 and wrong in result.output and "void" in result.output


def test_a_void_complaint_no_longer_counts_towards_a_batch(run, ws):
    numbers = [add(run, "-c", "quality", "-p", "A",
                   received=f"2027-03-15 08:{n:02d}")["number"] for n in range(10)]
    ok(run("complaint", "void", numbers[0], "--reason", "test entry"))
    add(run, "-c", "quality", "-p", "A", received="2027-03-15 08:40")
    assert {c["level"] for c in listed(run)} == {"I"}  # ten on the issue, not eleven


def test_void_needs_a_reason_and_is_all_or_nothing(run, ws):
    number = add(run, "-c", "quality")["number"]
    before = snapshot(ws)
    result = run("complaint", "void", number, "TS-2027-0999", "--reason", "dup")
    assert result.exit_code == 1 and "TS-2027-0999" in result.output
    assert run("complaint", "void", number, "--reason", "  ").exit_code == 1
    assert snapshot(ws) == before


# --- own -----------------------------------------------------------------------------------------

def test_assign_and_mine(run, ws, monkeypatch):
    first, second, third = (add(run, "-c", "quality")["number"] for _ in range(3))
    ok(run("complaint", "assign", first, second, "--to", "小王"))
    ok(run("complaint", "assign", third, "--to", "li"))
    assert [c["number"] for c in listed(run, "--mine")] == [third]
    assert {c["number"] for c in listed(run, "--assignee", "小王")} == {first, second}
    monkeypatch.setenv("PLANNER315_USER", "小王")
    assert {c["number"] for c in listed(run, "--mine")} == {first, second}
    ok(run("complaint", "assign", first, "--unassign"))
    assert show(run, first)["assignee"] is None
    assert run("complaint", "assign", first).exit_code == 2
    table = ok(run("complaint", "list")).output
    assert "Assigned to" in table and "Taken by" in table and "小王" in table


# --- find ----------------------------------------------------------------------------------------

def test_list_filters_and_their_combinations(run, ws):
    a = add(run, "-c", "quality", "--order", "O-1001", "--buyer", "Wang Li", "-p", "CUP",
            received="2027-03-14 10:00")["number"]
    b = add(run, "-c", "after-sale", "--order", "O-1002", "--buyer", "Zhang", "-p", "CUP",
            received="2027-03-15 08:00")["number"]
    c = add(run, "-c", "quality", "--order", "O-1003", "-p", "PAN",
            received="2027-03-15 09:00")["number"]
    ok(run("complaint", "update", c, "--status", "in-progress", "--note", "买家说 100% 漏水"))

    def numbers(*args):
        return {complaint["number"] for complaint in listed(run, *args)}

    assert numbers("--order", "O-1002") == {b}
    assert numbers("--buyer", "wang") == {a}  # any case, part of the name
    assert numbers("--product", "CUP") == {a, b}
    assert numbers("--text", "100%") == {c}  # notes too; % is a literal
    assert numbers("--text", "%") == {c}
    assert numbers("--received-since", "2027-03-15") == {b, c}
    assert numbers("--received-until", "2027-03-14") == {a}
    assert numbers("--product", "CUP", "--received-since", "2027-03-15") == {b}
    assert numbers("--status", "in-progress") == {c}
    assert numbers("--open", "--status", "closed") == set()
    assert numbers("--level", "I", "--product", "PAN") == {c}


def test_find_looks_in_number_order_buyer_and_summary_of_every_campaign(run, ws):
    old = add(run, "-c", "quality", "--order", "A-55",
              received="2026-03-15 09:00")["number"]
    new = add(run, "-c", "quality", "--buyer", "A-55 fan")["number"]
    found = as_json(run("complaint", "find", "a-55", "--format", "json"))
    assert {c["number"] for c in found} == {old, new}
    by_number = as_json(run("complaint", "find", new.lower(), "--format", "json"))
    assert [c["number"] for c in by_number] == [new]
    in_year = as_json(run("complaint", "find", "A-55", "--year", "2026", "--format", "json"))
    assert [c["number"] for c in in_year] == [old]
    assert run("complaint", "find", " ").exit_code == 2


# --- answer on time ------------------------------------------------------------------------------

def test_reply_records_the_first_response_for_good(run, ws):
    number = add(run, "-c", "agent-attitude", received="2027-03-15 09:00")["number"]
    ok(run("complaint", "reply", number, "--at", "2027-03-15 09:40", "--note", "致歉"))
    data = show(run, number)
    assert data["first_response"] == "2027-03-15T09:40:00+08:00"
    assert data["status"] == "replied" and data["minutes_left"] is None
    assert data["answered_late"] is False and data["step"] == "replied"
    # a later reply does not move the first response
    ok(run("complaint", "reply", number, "--at", "2027-03-15 09:50"))
    assert show(run, number)["first_response"] == "2027-03-15T09:40:00+08:00"


def test_an_answer_after_the_deadline_is_late_forever(run, ws, monkeypatch):
    number = add(run, "-c", "quality", "--media-risk", received="2027-03-15 06:00")["number"]
    assert show(run, number)["overdue"] is True  # 3 h from 06:00
    result = ok(run("complaint", "reply", number))
    assert "answered late" in result.output
    data = show(run, number)
    assert data["answered_late"] is True and data["overdue"] is False
    assert "answered late" in ok(run("complaint", "list")).output
    monkeypatch.setenv("PLANNER315_NOW", "2027-03-20 10:00")
    assert show(run, number)["answered_late"] is True


def test_the_first_move_to_replied_counts_as_the_first_response(run, ws):
    number = add(run, "-c", "quality")["number"]
    ok(run("complaint", "update", number, "--status", "replied"))
    assert show(run, number)["first_response"] == "2027-03-15T10:00:00+08:00"


def test_time_left_in_words(run, ws):
    add(run, "-c", "agent-attitude", received="2027-03-15 07:50")  # same day 18:00
    add(run, "-c", "quality", "--media-risk", received="2027-03-14 07:00")  # 1 day late
    english = ok(run("complaint", "list")).output
    assert "8 h left" in english and "1 day late" in english
    chinese = ok(run("complaint", "list", "--lang", "zh")).output
    assert "还剩 8 小时" in chinese and "已超时 1 天" in chinese
    card = ok(run("complaint", "show", "TS-2027-0002")).output
    assert "1 day late" in card


def test_at_risk_lists_those_with_most_of_their_time_gone(run, ws):
    risky = add(run, "-c", "quality", "--media-risk",
                received="2027-03-15 07:30")["number"]
    add(run, "-c", "quality", received="2027-03-15 09:30")
    assert [c["number"] for c in listed(run, "--at-risk")] == [risky]


# --- the process ---------------------------------------------------------------------------------

def test_the_seed_process_step_by_step(run, ws):
    number = add(run, "-c", "quality")["number"]
    steps = [show(run, number)["step"]]
    ok(run("complaint", "propose", number, "--department", "仓储部"))
    steps.append(show(run, number)["step"])
    ok(run("complaint", "propose", number, "--solution", "补发并赠券"))
    steps.append(show(run, number)["step"])
    ok(run("complaint", "approve", number, "--by", "陈主管"))
    data = show(run, number)
    steps.append(data["step"])
    assert (data["department"], data["approved_by"]) == ("warehouse", "陈主管")
    assert data["approved_at"] == "2027-03-15T10:00:00+08:00"
    ok(run("complaint", "reply", number))
    steps.append(show(run, number)["step"])
    ok(run("complaint", "update", number, "--status", "resolved"))
    ok(run("complaint", "callback", number, "--satisfied", "yes"))
    steps.append(show(run, number)["step"])
    ok(run("complaint", "update", number, "--status", "closed"))
    steps.append(show(run, number)["step"])
    assert steps == ["verify", "department", "proposed", "approved", "replied",
                     "called-back", "closed"]
    # a new solution needs a new approval
    ok(run("complaint", "propose", number, "--solution", "全额退款"))
    assert show(run, number)["approved_by"] is None


def test_only_a_supervisor_in_the_roster_approves(run, ws):
    (ws / "roster.yaml").write_text(
        "contacts:\n"
        "- {department: 客服主管/经理, name: 陈主管, mobile: '13800138000'}\n"
        "- {department: 一线客服, name: 小王, mobile: '13800138001'}\n", encoding="utf-8")
    number = add(run, "-c", "quality")["number"]
    ok(run("complaint", "propose", number, "--solution", "退款"))
    before = snapshot(ws)
    result = run("complaint", "approve", number, "--by", "小王")
    assert result.exit_code == 1 and "小王" in result.output and "陈主管" in result.output
    assert snapshot(ws) == before
    ok(run("complaint", "approve", number, "--by", "陈主管"))


@pytest.mark.parametrize("args, code, text", [
    (["reply", "{n}", "--at", "2027-03-15 08:00"], 1, "before the complaint was received"),
    (["reply", "{n}", "--at", "2027-03-16 08:00"], 1, "in the future"),
    (["reply", "TS-2027-0099"], 1, "no complaint with this number"),
    (["callback", "{n}", "--satisfied", "yes"], 1, "nothing to call back"),
    (["approve", "{n}"], 1, "no solution has been proposed"),
    (["propose", "{n}"], 1, "--solution"),
    (["propose", "{n}", "--department", "kitchen"], 2, "kitchen"),
    (["edit", "{n}", "--received", "2027-03-18 10:00"], 1, "in the future"),
    (["edit", "{n}", "--category", "weather"], 2, "weather"),
    (["edit", "{n}", "--summary", " "], 1, "summary must not be empty"),
    (["update", "{n}", "TS-2027-0099", "--status", "replied"], 1, "TS-2027-0099"),
    (["report", "--day", "2027-03-15", "--year", "2027"], 2, "not both"),
])
def test_refusals_name_the_complaint_and_write_nothing(run, ws, args, code, text):
    number = add(run, "-c", "quality")["number"]
    before = snapshot(ws)
    result = run("complaint", *[arg.format(n=number) for arg in args])
    assert result.exit_code == code, result.output
    assert text in result.output and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1
    assert snapshot(ws) == before


def test_a_closed_complaint_reopens_only_when_asked(run, ws):
    number = add(run, "-c", "quality")["number"]
    ok(run("complaint", "update", number, "--status", "closed"))
    result = run("complaint", "update", number, "--status", "in-progress")
    assert result.exit_code == 1 and "--reopen" in result.output
    ok(run("complaint", "update", number, "--status", "in-progress", "--reopen"))
    assert show(run, number)["status"] == "in-progress"


def test_refusals_in_chinese(run, ws):
    number = add(run, "-c", "quality")["number"]
    result = run("complaint", "reply", number, "--at", "2027-03-15 08:00", "--lang", "zh")
    assert result.exit_code == 1 and "早于受理时间" in result.output and number in result.output


# --- report -------------------------------------------------------------------------------------

def test_the_daily_report(run, ws, monkeypatch):
    monkeypatch.setenv("PLANNER315_NOW", "2027-03-15 20:00")
    on_time = add(run, "-c", "quality", "--assign", "小王", received="2027-03-15 09:00")
    late = add(run, "-c", "agent-attitude", "--assign", "小王", received="2027-03-15 10:00")
    add(run, "-c", "quality", "--media-risk", received="2027-03-15 11:00")
    for n in range(11):
        add(run, "-c", "after-sale", "--issue", "中通停运", received=f"2027-03-15 12:{n:02d}")
    add(run, "-c", "quality", received="2027-03-14 09:00")  # another day
    ok(run("complaint", "reply", on_time["number"], "--at", "2027-03-15 11:00"))
    ok(run("complaint", "reply", late["number"], "--at", "2027-03-15 19:00"))  # due 18:00
    report = as_json(run("complaint", "report", "--day", "2027-03-15", "--format", "json"))
    assert report["day"] == "2027-03-15" and "year" not in report
    assert report["new"]["by_level"] == {"urgent": 12, "II": 1, "I": 1}
    assert report["new"]["by_category"] == {"after-sale": 11, "agent-attitude": 1,
                                            "quality": 2}
    assert report["answered"] == {"on_time": 1, "late": 1, "rate": 0.5, "waiting": 12}
    kinds = [event["kind"] for event in report["urgent_events"]]
    assert kinds == ["urgent", "batch"]
    batch = report["urgent_events"][1]
    assert batch["issue"] == "中通停运" and batch["count"] == 11
    assert batch["at"] == "2027-03-15T12:10:00+08:00"
    assert report["overdue_now"] == 12 and report["at_risk_now"] == 0
    assert report["by_assignee"]["小王"] == {"new": 2, "on_time": 1, "late": 1,
                                            "overdue_now": 0}
    assert report["by_assignee"][""]["new"] == 12
    assert set(report) >= {"new", "urgent_events", "answered", "overdue_now", "at_risk_now",
                           "callbacks", "by_assignee"}
    page = ok(run("complaint", "report", "--day", "2027-03-15")).output
    assert "50% (1 of 2)" in page and "Batch: 11 complaints" in page
    markdown = ok(run("complaint", "report", "--format", "markdown", "--lang", "zh")).output
    assert markdown.startswith("# ") and "## 按处理人" in markdown


def test_the_report_of_a_past_day_is_as_of_its_end(run, ws, monkeypatch):
    number = add(run, "-c", "quality", "--media-risk",
                 received="2027-03-13 09:00")["number"]
    ok(run("complaint", "reply", number, "--at", "2027-03-14 09:00"))
    day = as_json(run("complaint", "report", "--day", "2027-03-13", "--format", "json"))
    assert day["overdue_now"] == 1  # at the end of Mar 13 it had not been answered
    assert day["answered"]["on_time"] + day["answered"]["late"] == 0
    next_day = as_json(run("complaint", "report", "--day", "2027-03-14", "--format", "json"))
    assert next_day["overdue_now"] == 0 and next_day["answered"]["late"] == 1


def test_status_gains_the_on_time_rate(run, ws):
    number = add(run, "-c", "quality")["number"]
    ok(run("complaint", "reply", number))
    status = as_json(run("status", "--format", "json"))
    assert status["complaints"]["answered"] == {"on_time": 1, "late": 0, "rate": 1.0}
    assert "First responses on time: 100% (1 of 1)" in ok(run("status")).output


def test_the_register_workbook_shows_owners_and_a_report_sheet(run, ws, tmp_path):
    number = add(run, "-c", "quality", "--assign", "小王")["number"]
    wrong = add(run, "-c", "quality")["number"]
    ok(run("complaint", "reply", number))
    ok(run("complaint", "void", wrong, "--reason", "dup"))
    target = tmp_path / "register.xlsx"
    ok(run("export", "complaints", "-o", target))
    book = load_workbook(target, read_only=True)
    register, report = book.worksheets
    rows = [[cell.value for cell in row] for row in register.iter_rows()]
    header = next(row for row in rows if "Number" in row)
    body = {row[header.index("Number")]: row for row in rows if row and row[0] in
            (number, wrong)}
    assert body[number][header.index("Taken by")] == "li"
    assert body[number][header.index("Assigned to")] == "小王"
    assert body[number][header.index("First response")] is not None
    assert body[wrong][header.index("Flag")] == "VOID"
    figures = [[cell.value for cell in row] for row in report.iter_rows()]
    assert ["In all", 1] in [row[:2] for row in figures]


def test_every_deadline_says_which_calendar_made_it(run, ws):
    shop = ws / "shop.yaml"
    shop.write_text(shop.read_text(encoding="utf-8") + (
        "service:\n  default: {days: workdays, hours: '09:00-18:00'}\n"
        "  battle: {days: every-day, hours: '08:00-24:00'}\n"), encoding="utf-8")
    quality = add(run, "-c", "quality", received="2027-03-13 10:00")  # a Saturday in battle
    assert quality["calendar_name"] == "service.battle"
    assert quality["deadline"] == "2027-03-15T00:00:00+08:00"  # T+1: Sunday, till midnight
    card = ok(run("complaint", "show", quality["number"])).output
    assert "Counted on" in card
    media = add(run, "-c", "quality", "--media-risk")
    assert media["calendar_name"] == "clock"


# --- the migration from release 0.2 (schema 4) and the shop's categories --------------------------

@pytest.mark.sqlite_only
def test_the_migration_keeps_every_complaint_and_derives_the_desk(run, ws):
    from conftest import old_database, v3_complaint

    answered = {"status": "replied"}
    old_database(
        ws / DB_FILE, 4,
        history=[{"txn": 1, "recorded_at": "2027-03-15T09:30:00+08:00", "by": "li",
                  "action": "complaint-update", "subject": "complaint:TS-2027-0001",
                  "old": json.dumps({"status": "open"}), "new": json.dumps(answered),
                  "note": "已致歉", "year": 2027}],
        complaints=[{**v3_complaint(1, "2027-03-15T09:00:00+08:00", status="replied",
                                    product="CUP"), "campaign": 2027},
                    {**v3_complaint(2, "2027-03-15T09:10:00+08:00",
                                    category="merchant-attitude"), "campaign": 2027}])
    first, second = show(run, "TS-2027-0001"), show(run, "TS-2027-0002")
    assert first["first_response"] == "2027-03-15T09:30:00+08:00"
    assert first["issue"] == "CUP" and first["taker"] == "li" and first["step"] == "replied"
    assert second["category"] == "third-party-attitude"  # renamed for a shop
    assert [c["number"] for c in listed(run, "--text", "致歉")] == ["TS-2027-0001"]


def test_old_category_ids_and_known_channels_on_the_way_in(run, ws):
    renamed = add(run, "-c", "merchant-attitude")
    assert renamed["category"] == "third-party-attitude"
    via_12315 = add(run, "-c", "quality", "--channel", "12315")
    assert via_12315["level"] == "urgent" and "channel" in via_12315["reasons"]
    assert add(run, "-c", "quality", "--channel", "旺旺")["level"] == "I"
    assert "12315" in ok(run("complaint", "show", via_12315["number"], "--lang", "zh")).output


def test_log_shows_every_desk_change(run, ws):
    number = add(run, "-c", "quality")["number"]
    for args in (["assign", number, "--to", "甲"], ["edit", number, "--vip"],
                 ["propose", number, "--solution", "退款"], ["reply", number],
                 ["void", number, "--reason", "dup"]):
        ok(run("complaint", *args))
    page = ok(run("log")).output
    assert "Traceback" not in page and number in page


def test_a_late_first_answer_stays_late(run, ws):
    number = add(run, "-c", "quality", "--media-risk", received="2027-03-15 06:00")["number"]
    ok(run("complaint", "reply", number, "--at", "2027-03-15 09:30"))  # due 09:00
    ok(run("complaint", "reply", number, "--at", "2027-03-15 08:00"))  # typed in afterwards
    data = show(run, number)
    assert data["first_response"] == "2027-03-15T09:30:00+08:00" and data["answered_late"]


def test_texts_too_long_for_a_form_are_refused(run, ws):
    number = add(run, "-c", "quality")["number"]
    before = snapshot(ws)
    result = run("complaint", "add", "-c", "quality", "-s", "x" * 5000)
    assert result.exit_code == 1 and "--summary" in result.output and "5,000" in result.output
    assert snapshot(ws) == before
    assert run("complaint", "update", number, "--status", "replied", "--note",
               "y" * 4001).exit_code == 1
    assert run("complaint", "reply", number, "--at", "2027-03-16 09:00").output.count(
        "reply time") == 1
