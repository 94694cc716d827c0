"""The deployment notice: sections, dates, levels, escalation, managers on the floor,
reminders, issuer, and the roster as its second sheet."""

import datetime as dt

import openpyxl
import pytest
from conftest import build_plan

from planner.export.notice import (
    Line,
    levels_from_policy,
    notice_lines,
    reminders_from_playbook,
)

SHOP = """name: 示例店
size: large
lang: zh
issuer: 王店长
contacts:
  - {department: cs-manager, name: 张伟, role: 客服经理, mobile: "13800138000",
     shift: "03-11~03-15 早班 9:00-18:00", escalation: 2}
  - {department: cs-manager, name: 李娜, role: 客服主管, mobile: "13900139000",
     shift: "03-16~03-20 早班", escalation: 1}
  - {department: cs-manager, name: 赵强, mobile: "13700137000", shift: "晚班 18:00-24:00"}
  - {department: pr, name: 陈静, role: 公关经理, landline: "010-12345678", escalation: 3}
  - {department: warehouse, name: 刘洋, mobile: "13500135000"}
"""
FILE = "315-2027-示例店-notice.xlsx"


@pytest.fixture
def notice(run, shop_file, tmp_path):
    shop_file(SHOP)

    def export(*args):
        result = run("export", "notice", "--year", "2027", "--today", "2027-02-20", "--force",
                     *args)
        assert result.exit_code == 0, result.output
        return openpyxl.load_workbook(tmp_path / FILE)

    return export


def texts(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def row_with(ws, needle):
    for row in texts(ws):
        if any(isinstance(v, str) and needle in v for v in row):
            return row
    raise AssertionError(needle)


def test_layout(notice):
    wb = notice()
    assert wb.sheetnames == ["部署通知", "联络表"]
    assert wb.properties.creator == "planner315"
    assert wb.properties.title == "关于做好2027年“3·15”消费者权益日投诉应对工作的通知"
    ws = wb["部署通知"]
    assert ws["A1"].value == wb.properties.title and ws["A1"].font.b
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("致：一线客服、客服主管/经理、产品部、运营部")
    assert "店主" not in ws["A2"].value  # the notice comes from the shop owner
    assert [c.value for c in ws[3]] == ["序号", "工作事项与要求", "负责人/部门",
                                        "时间/时限/联系方式"]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("D9E1F2") for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert not ws.auto_filter.ref  # a letter has no filter
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.page_setup.scale == 100  # the columns are sized for the page
    assert ws["B5"].alignment.wrap_text
    assert ws.row_dimensions[5].height > 15  # a wrapped paragraph gets its height


def test_sections_in_order(notice):
    ws = notice()["部署通知"]
    headings = [row[1] for row in texts(ws) if isinstance(row[1], str)
                and row[1][:2] in ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、")]
    assert headings == ["一、工作目的", "二、阶段安排", "三、各阶段重点工作及分工",
                        "四、投诉分级与首次回复时限", "五、升级路径", "六、作战期间现场值班安排",
                        "七、客户类型与统一口径提醒", "八、其他要求"]


def test_phases_and_tasks_with_owners_and_dates(notice):
    ws = notice()["部署通知"]
    assert row_with(ws, "备战阶段：")[3] == "2月25日至3月10日，共14天"
    assert row_with(ws, "作战阶段：")[3] == "3月11日至3月20日，共10天"
    assert "示例店定于2月25日至4月10日" in row_with(ws, "定于")[1]
    plan = build_plan(size="large", year=2027, lang="zh")
    for phase in plan["phases"]:
        for item in phase["items"]:
            row = row_with(ws, item["title"])
            assert row[2] == item["owner_name"]
            assert row[3].startswith(f"{item['due'].month}月{item['due'].day}日（周")


def test_levels_escalation_and_on_floor(notice):
    ws = notice()["部署通知"]
    from planner.complaints.policy import load_policy
    from planner.present.complaints import level_table

    for level in level_table(load_policy(None), "zh"):
        row = row_with(ws, level["cases"])
        assert row[2] == level["handler_name"] and row[3] == level["rule_name"]
    assert "处理顺序" in row_with(ws, "III 级先于 II 级")[1]
    assert "→" in row_with(ws, "投诉处理流程：")[1]
    # escalation order from the roster, phones in the last column
    contacts = [row for row in texts(ws) if row[2] in ("客服主管/经理", "公关部")
                and isinstance(row[3], str) and row[3][:1] in "10"]
    assert [(r[0], r[1]) for r in contacts] == [("1", "李娜　客服主管"), ("2", "张伟　客服经理"),
                                                 ("3", "陈静　公关经理")]
    assert contacts[2][3] == "010-12345678"
    # managers on the floor each battle day, by their shifts
    on_floor = {row[3]: row[1] for row in texts(ws) if isinstance(row[1], str)
                and "晚班 18:00-24:00）" in row[1]}
    assert len(on_floor) == 10
    assert on_floor["3月11日（周四）"] == "张伟（早班 9:00-18:00）；赵强（晚班 18:00-24:00）"
    assert on_floor["3月20日（周六）"] == "李娜（早班）；赵强（晚班 18:00-24:00）"


def test_reminders_issuer_and_date(notice):
    ws = notice()["部署通知"]
    assert "激进型客户" in row_with(ws, "激进型")[1]
    assert row_with(ws, "警惕骗局")
    assert row_with(ws, "发布人：")[1] == "发布人：王店长"
    assert row_with(ws, "发布日期：")[1] == "发布日期：2027年2月20日"
    ws = notice("--issuer", "张经理")["部署通知"]
    assert row_with(ws, "发布人：")[1] == "发布人：张经理"


def test_roster_sheet_and_masking(notice):
    wb = notice("--mask-phones")
    roster = wb["联络表"]
    assert roster["A1"].value == "部门" and roster.freeze_panes == "C2"
    assert roster.auto_filter.ref == "A1:J6"
    assert {roster.cell(r, 4).value for r in range(2, 7)} >= {"138****8000", "139****9000"}
    assert "138****8000" in row_with(wb["部署通知"], "张伟　客服经理")[3]


def test_english_notice(run, shop_file, tmp_path):
    shop_file(SHOP.replace("lang: zh", "lang: en").replace("issuer: 王店长", ""))
    result = run("export", "notice", "--year", "2027", "--today", "2027-02-20", "-o", "n.xlsx")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "n.xlsx")
    assert wb.sheetnames == ["Notice", "Roster"]
    ws = wb["Notice"]
    assert ws["A1"].value.startswith(
        "Complaint readiness for World Consumer Rights Day, 15 March 2027")
    assert row_with(ws, "Issued by:")[1] == "Issued by: ______________"
    assert row_with(ws, "Date:")[1] == "Date: 20 Feb 2027"
    assert row_with(ws, "Prepare:")[3] == "25 Feb to 10 Mar, 14 days"
    assert "CS supervisor/manager" in ws["A2"].value


def plan_with():
    return build_plan(size="small", year=2027, lang="zh")


def test_without_managers_or_levels_the_notice_says_what_is_missing():
    plan = plan_with()
    lines = notice_lines(plan, [{"department": "pr", "name": "陈静", "mobile": None,
                                 "landline": "010-12345678", "escalation": None}], "zh")
    body = [line.text for line in lines]
    assert any("还没有客服主管/经理" in text for text in body)
    assert any("尚未填写“升级顺序”" in text for text in body)
    assert any("另行下发" in text for text in body)  # no level table given
    assert Line("heading", "一、工作目的") in lines


def test_a_battle_day_without_a_manager_is_flagged():
    plan = plan_with()
    contacts = [{"department": "cs-manager", "name": "甲", "mobile": "13800138000",
                 "shift": "03-14", "escalation": None}]
    lines = notice_lines(plan, contacts, "zh")
    days = {line.when: line.text for line in lines if line.when.startswith("3月1")}
    assert days["3月14日（周日）"] == "甲"
    assert days["3月15日（周一）"].startswith("待安排")


def test_policy_and_playbook_adapters():
    rows = [{"level_name": "I 级", "category_name": "商品质量", "cases": "有毛病",
             "handler_name": "首问受理人", "rule_name": "T+1"}]
    assert levels_from_policy(rows, "zh") == [
        {"level": "I 级·商品质量", "cases": "有毛病", "handler": "首问受理人", "deadline": "T+1"}]
    playbook = {"customer_types": [{"name": "激进型", "signs": "急", "approach": "快",
                                    "how": "简短", "words": "马上"}],
                "principles": ["先情绪。", "后事情。"],
                "scripts": [{"name": "倾听", "lines": ["您说。", "还有呢？"]}]}
    lines = reminders_from_playbook(playbook, "zh")
    assert lines[0] == "激进型客户：急。应对：快；简短。常用词：马上。"
    assert lines[1] == "答复原则：先情绪。后事情。"
    assert lines[2] == "统一口径：倾听（如“您说。”）。"
    assert any("骗局" in line for line in lines)


def test_notice_dates_follow_the_plan():
    plan = build_plan(size="medium", year=2028, lang="en")
    lines = notice_lines(plan, [], "en")
    phases = [line for line in lines if line.kind == "entry" and line.text.startswith("Battle:")]
    assert phases[0].when == "13 Mar to 18 Mar, 6 days"
    assert dt.date(2028, 3, 13).weekday() == 0


def test_managers_on_the_floor_follow_the_roster_constant(monkeypatch):
    """The notice and the roster agree on who is on the floor: one constant, not two."""
    import planner.export.notice as notice
    import planner.roster.contacts as roster

    monkeypatch.setattr(roster, "ON_FLOOR_DEPARTMENT", "warehouse")
    monkeypatch.setattr(notice, "ON_FLOOR_DEPARTMENT", roster.ON_FLOOR_DEPARTMENT)
    contacts = [{"department": "warehouse", "name": "刘洋", "mobile": "13500135000",
                 "shift": None, "escalation": None}]
    lines = notice_lines(plan_with(), contacts, "zh")
    assert not any("还没有客服主管/经理" in line.text for line in lines)
    days = {line.when: line.text for line in lines if line.when.startswith("3月1")}
    assert days["3月15日（周一）"] == "刘洋"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_notice_and_schedule_name_weekdays_alike(lang):
    from planner.export.notice import format_date, notice_template
    from planner.export.schedule import day_header

    names = notice_template(lang)["weekdays"]
    assert isinstance(names, list) and len(names) == 7
    for offset in range(7):
        day = dt.date(2027, 3, 15) + dt.timedelta(days=offset)
        name = names[day.weekday()]
        assert day_header(day, lang) == f"{day.month}/{day.day}\n{name}"
        assert name in format_date(day, lang)


def test_shop_file_elsewhere_brings_its_roster_and_policy(run, tmp_path):
    """With --shop FILE, roster.yaml and policy.yaml both come from that file's folder."""
    from importlib.resources import files

    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "shop.yaml").write_text("name: 别处店\nsize: small\nlang: zh\n", encoding="utf-8")
    (folder / "roster.yaml").write_text(
        'contacts:\n  - {department: cs-manager, name: 周敏, mobile: "13800138000", '
        "escalation: 1}\n", encoding="utf-8")
    policy = (files("planner.templates") / "policy.yaml").read_text(encoding="utf-8")
    assert "首问受理人" in policy
    (folder / "policy.yaml").write_text(policy.replace("首问受理人", "首问专员"),
                                        encoding="utf-8")
    result = run("export", "notice", "--shop", folder / "shop.yaml", "--year", "2027",
                 "-o", tmp_path / "n.xlsx")
    assert result.exit_code == 0, result.output
    cells = [v for row in texts(openpyxl.load_workbook(tmp_path / "n.xlsx")["部署通知"])
             for v in row if isinstance(v, str)]
    assert any("首问专员" in v for v in cells)
    assert not any("首问受理人" in v for v in cells)
    assert any(v.startswith("周敏") for v in cells)
