"""The shop's service calendar: service days and hours per phase, the same-day minimum, and the
names of the calendars behind deadlines (library first, then `complaint triage`)."""

import datetime as dt
import json
import re
from importlib.resources import files

import pytest
from conftest import raises_message
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.campaign.phases import campaign_windows, load_campaign
from planner.complaints.deadlines import CLOCK, OFFICE, RULES, first_response
from planner.complaints.service import (
    DEFAULT_MINIMUM_MINUTES,
    OFFICE_SPEC,
    WEEKDAYS,
    ServiceCalendar,
    ServiceSpec,
    calendar_names,
    parse_service,
)
from planner.complaints.workdays import WorkCalendar
from planner.core.clock import SHANGHAI, parse_datetime
from planner.core.i18n import LANGS, t
from planner.workspace.layout import HOLIDAYS_FILE
from planner.workspace.session import Workspace
from planner.workspace.shop import load_shop

PHASES = load_campaign().phases
ISSUE_BLOCK = {"default": {"days": "workdays", "hours": "09:00-18:00"},
               "battle": {"days": "every-day", "hours": "08:00-24:00"},
               "same_day_minimum_minutes": 60}
ISSUE_YAML = """service:
  default: {days: workdays, hours: "09:00-18:00"}
  battle:  {days: every-day, hours: "08:00-24:00"}
  same_day_minimum_minutes: 60
"""


def large_shop_phase(day: dt.date) -> str | None:
    """The phase of `day` for a large shop with the shipped dates (battle Mar 11-20)."""
    return next((w.phase for w in campaign_windows("large", day.year) if w.contains(day)),
                None)


def service(block=None, workdays=None) -> ServiceCalendar:
    settings = parse_service(ISSUE_BLOCK if block is None else block, "shop.yaml", 1, PHASES)
    return ServiceCalendar(settings, workdays or WorkCalendar(), large_shop_phase)


def due(rule: str, received: str, calendar: ServiceCalendar | None = None) -> tuple[str, str]:
    deadline = (calendar or service()).first_response(rule, parse_datetime(received))
    return deadline.at.isoformat(), deadline.calendar_name


# --- the block as parsed -----------------------------------------------------------------------

def test_the_issue_block_parsed():
    settings = parse_service(ISSUE_BLOCK, "shop.yaml", 1, PHASES)
    assert settings.specs == {"default": ServiceSpec("workdays", 9 * 60, 18 * 60),
                              "battle": ServiceSpec("every-day", 8 * 60, 24 * 60)}
    assert settings.minimum_minutes == 60
    assert settings.specs["battle"].hours == "08:00-24:00"


def test_what_a_block_leaves_out():
    assert parse_service(None, "shop.yaml", None, PHASES) is None
    empty = parse_service({}, "shop.yaml", 1, PHASES)
    assert empty.specs == {"default": OFFICE_SPEC}
    assert empty.minimum_minutes == DEFAULT_MINIMUM_MINUTES == 60
    # a phase without days or hours takes them from default
    partial = parse_service({"default": {"days": "every-day", "hours": "10:00-22:00"},
                             "battle": {"hours": "08:00-24:00"},
                             "aftermath": {"days": ["mon", "Sat"]}}, "shop.yaml", 1, PHASES)
    assert partial.specs["battle"] == ServiceSpec("every-day", 8 * 60, 24 * 60)
    assert partial.specs["aftermath"] == ServiceSpec(frozenset({0, 5}), 10 * 60, 22 * 60)


# --- the issue's cases ---------------------------------------------------------------------

def test_a_quality_complaint_on_the_battle_saturday_is_due_sunday_midnight():
    # T+1 on Sat 2025-03-15: T is Saturday (every-day in the battle), T+1 Sunday, closing 24:00
    assert due("T+1", "2025-03-15 10:00") == ("2025-03-17T00:00:00+08:00", "service.battle")
    # the office's calendar would make it Tuesday 18:00
    office = first_response("T+1", parse_datetime("2025-03-15 10:00"), WorkCalendar())
    assert (office.at.isoformat(), office.calendar_name) == ("2025-03-18T18:00:00+08:00",
                                                             OFFICE)


def test_same_day_needs_the_minimum_before_closing():
    # Monday 2025-03-03 is in the prepare phase: the default spec, workdays 09:00-18:00
    assert due("same-day", "2025-03-03 17:55") == ("2025-03-04T18:00:00+08:00",
                                                   "service.default")
    assert due("same-day", "2025-03-03 17:00") == ("2025-03-03T18:00:00+08:00",
                                                   "service.default")  # exactly 60 minutes
    assert due("same-day", "2025-03-03 17:00:01")[0] == "2025-03-04T18:00:00+08:00"
    assert due("same-day", "2025-03-03 06:00")[0] == "2025-03-03T18:00:00+08:00"  # before opening
    # the minimum holds at midnight too: 23:30 on a battle day counts for the next day
    assert due("same-day", "2025-03-15 23:00")[0] == "2025-03-16T00:00:00+08:00"
    assert due("same-day", "2025-03-15 23:30")[0] == "2025-03-17T00:00:00+08:00"


def test_no_minimum_still_counts_arriving_at_closing_as_after():
    calendar = service({**ISSUE_BLOCK, "same_day_minimum_minutes": 0})
    assert due("same-day", "2025-03-03 17:59", calendar)[0] == "2025-03-03T18:00:00+08:00"
    assert due("same-day", "2025-03-03 18:00", calendar)[0] == "2025-03-04T18:00:00+08:00"


def test_a_deadline_crosses_from_prepare_into_the_battle():
    # Mon 2025-03-10 is the last prepare day; Tue 11 and Wed 12 are battle days closing at 24:00
    assert due("T+2", "2025-03-10 10:00") == ("2025-03-13T00:00:00+08:00", "service.battle")
    # a Saturday in prepare is no service day: T is Monday
    assert due("same-day", "2025-03-08 10:00") == ("2025-03-10T18:00:00+08:00",
                                                   "service.default")


def test_a_deadline_crosses_from_the_battle_into_the_aftermath():
    # Thu 2025-03-20 23:30, the last battle day, 30 minutes before closing: T is Friday 21st
    # (aftermath, default spec) and T+1 the Monday after
    assert due("T+1", "2025-03-20 23:30") == ("2025-03-24T18:00:00+08:00", "service.default")
    calendar = service({**ISSUE_BLOCK, "aftermath": {"days": list(WEEKDAYS[:6]),
                                                     "hours": "09:00-21:00"}})
    assert due("T+1", "2025-03-20 23:30", calendar) == ("2025-03-22T21:00:00+08:00",
                                                        "service.aftermath")


def test_workdays_include_make_up_days():
    # 2026-02-28 is a make-up Saturday (prepare); Sunday Mar 1 is off
    calendar = service({"default": {"days": "workdays", "hours": "10:00-22:00"}})
    assert due("same-day", "2026-02-27 21:30", calendar) == ("2026-02-28T22:00:00+08:00",
                                                             "service.default")
    assert due("T+1", "2026-02-28 10:00", calendar)[0] == "2026-03-02T22:00:00+08:00"


def test_workdays_follow_the_workspace_holidays(tmp_path):
    (tmp_path / HOLIDAYS_FILE).write_text(
        "2099:\n  days_off: [2099-03-16]\n  makeup_days: [2099-03-21]\n", encoding="utf-8")
    calendar = service(workdays=WorkCalendar.from_file(tmp_path / HOLIDAYS_FILE))
    # Fri 2099-03-20 23:30, last battle day: T is Saturday 21st, a declared make-up day
    deadline = calendar.first_response("same-day", parse_datetime("2099-03-20 23:30"))
    assert deadline.at.isoformat() == "2099-03-21T18:00:00+08:00"
    assert deadline.calendar == "official" and deadline.calendar_name == "service.default"
    # in the battle every day is a service day, the declared day off included
    assert due("T+1", "2099-03-15 10:00", calendar)[0] == "2099-03-17T00:00:00+08:00"


def test_a_year_without_service_days_is_an_error_not_a_hang(tmp_path):
    path = tmp_path / HOLIDAYS_FILE
    path.write_text("2099:\n  days_off: ['2099-01-01..2099-12-31']\n"
                    "2100:\n  days_off: ['2100-01-01..2100-12-31']\n", encoding="utf-8")
    workdays = WorkCalendar.from_file(path)
    # the battle's every-day spec needs no working day: the next one is the next battle's
    battle = service(workdays=workdays)
    assert due("T+1", "2099-03-20 10:00", battle)[0] == "2100-03-12T00:00:00+08:00"
    with raises_message("no working day within a year") as caught:
        service({}, workdays).first_response("T+1", parse_datetime("2099-03-20 10:00"))
    assert caught.value.file == str(path)


def test_only_workdays_can_be_estimated():
    every_day = service({"default": {"days": "every-day", "hours": "09:00-21:00"}})
    deadline = every_day.first_response("T+1", parse_datetime("2099-03-13 10:00"))
    assert deadline.at.isoformat() == "2099-03-14T21:00:00+08:00"
    assert deadline.estimated_years == () and deadline.calendar == "official"
    office_days = service({})
    assert office_days.first_response("T+1", parse_datetime("2099-03-13 10:00")
                                      ).estimated_years == (2099,)


def test_weekdays_ignore_public_holidays():
    calendar = service({"default": {"days": ["mon", "tue", "wed", "thu", "fri", "sat"],
                                    "hours": "09:00-21:00"}})
    # Thu 2026-10-01 is National Day, but this shop works Monday to Saturday regardless
    assert due("T+1", "2026-10-01 10:00", calendar)[0] == "2026-10-02T21:00:00+08:00"
    assert due("T+1", "2026-10-03 10:00", calendar)[0] == "2026-10-05T21:00:00+08:00"


def test_three_hours_is_the_clock_on_any_calendar():
    assert due("3h", "2025-03-15 23:30") == ("2025-03-16T02:30:00+08:00", CLOCK)


def test_days_outside_the_campaign_use_default():
    assert due("T+1", "2025-11-14 10:00") == ("2025-11-17T18:00:00+08:00", "service.default")


def test_without_phase_specs_the_phases_are_never_looked_up():
    def no_phases(day):
        raise AssertionError("phase_of called")

    settings = parse_service({"default": {"days": "every-day", "hours": "08:00-24:00"}},
                             "shop.yaml", 1, PHASES)
    calendar = ServiceCalendar(settings, WorkCalendar(), no_phases)
    assert calendar.first_response("T+1", parse_datetime("2025-03-15 10:00")).at.isoformat() \
        == "2025-03-17T00:00:00+08:00"


def test_every_calendar_name_has_words_in_both_languages():
    keys = [f"complaint.calendar-name.{name}" for name in (OFFICE, CLOCK, *calendar_names(PHASES))]
    for key in [*keys, "label.complaint.calendar_name"]:
        assert all(t(key, lang) != key for lang in LANGS), key
    assert t("complaint.calendar-name.service.battle", "zh") == "客服日历：作战期"


# --- properties --------------------------------------------------------------------------------

def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


MAX_MINIMUM = 120


@st.composite
def specs(draw):
    days = draw(st.one_of(st.sampled_from(["workdays", "every-day"]),
                          st.lists(st.sampled_from(WEEKDAYS), min_size=1, unique=True)))
    opens = draw(st.integers(0, 24 * 60 - MAX_MINIMUM - 1))
    closes = draw(st.integers(opens + MAX_MINIMUM + 1, 24 * 60))
    return {"days": days, "hours": f"{_clock(opens)}-{_clock(closes)}"}


blocks = st.fixed_dictionaries(
    {"same_day_minimum_minutes": st.integers(0, MAX_MINIMUM)},
    optional={key: specs() for key in ("default", *PHASES)})
moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31),
                       timezones=st.just(SHANGHAI))


@settings(max_examples=200, deadline=None)
@given(block=blocks, received=moments, rule=st.sampled_from(RULES))
def test_a_deadline_is_never_before_arrival(block, received, rule):
    assert service(block).first_response(rule, received).at >= received


@settings(max_examples=200, deadline=None)
@given(block=blocks, received=moments, rule=st.sampled_from(["same-day", "T+1", "T+2"]))
def test_a_deadline_is_the_closing_time_of_a_service_day(block, received, rule):
    calendar = service(block)
    deadline = calendar.first_response(rule, received)
    day = (deadline.at - dt.timedelta(microseconds=1)).date()  # 24:00 is the next day's 00:00
    assert calendar.is_open(day) and calendar.closing(day) == deadline.at
    assert deadline.calendar_name == f"service.{calendar.spec_id(day)}"


@settings(max_examples=200, deadline=None)
@given(block=blocks, received=moments)
def test_same_day_leaves_the_minimum_and_the_rules_are_ordered(block, received):
    calendar = service(block)
    same, one, two = (calendar.first_response(rule, received).at
                      for rule in ("same-day", "T+1", "T+2"))
    assert same < one < two
    if same.date() == received.date():
        assert same - received >= calendar.minimum


# --- through the shop file and the command line -----------------------------------------------

@pytest.fixture
def workspace(tmp_path, shop_file):
    folder = tmp_path / "shop"
    shop_file("name: Test shop\nsize: large\nlang: en\n" + ISSUE_YAML, folder)
    return folder


def triage(run, folder, *args):
    result = run("complaint", "triage", "--format", "json", "-w", folder, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_workspace_builds_the_service_calendar(workspace, shop_file, tmp_path):
    rules = Workspace.open(workspace=str(workspace)).complaint_rules
    assert rules.service is not None and rules.service.settings.minimum_minutes == 60
    assert rules.service.spec_id(dt.date(2025, 3, 15)) == "battle"
    assert rules.service.spec_id(dt.date(2025, 3, 21)) == "default"
    plain = tmp_path / "plain"
    shop_file("name: Plain\n", plain)
    assert Workspace.open(workspace=str(plain)).complaint_rules.service is None


def test_the_phases_follow_the_shop_size_and_its_phase_dates(tmp_path, shop_file):
    folder = tmp_path / "small"
    shop_file("size: small\nphases: {battle: {end: 03-17}, aftermath: {start: 03-18}}\n"
              + ISSUE_YAML, folder)
    calendar = Workspace.open(workspace=str(folder)).complaint_rules.service
    assert [calendar.spec_id(dt.date(2025, 3, day)) for day in (13, 14, 17, 18)] == [
        "default", "battle", "battle", "default"]


def test_triage_json_names_the_calendar(run, workspace):
    data = triage(run, workspace, "-c", "quality", "-r", "2025-03-15 10:00")
    assert (data["deadline"], data["calendar"], data["calendar_name"]) == (
        "2025-03-17T00:00:00+08:00", "official", "service.battle")
    data = triage(run, workspace, "-c", "agent-attitude", "-r", "2025-03-03 17:55")
    assert (data["deadline"], data["calendar_name"]) == ("2025-03-04T18:00:00+08:00",
                                                         "service.default")
    data = triage(run, workspace, "-c", "quality", "--media-risk", "-r", "2025-03-15 10:00")
    assert (data["deadline"], data["calendar_name"]) == ("2025-03-15T13:00:00+08:00", "clock")


def test_without_a_service_block_the_office_calendar_as_before(run, tmp_path, shop_file):
    folder = tmp_path / "office"
    shop_file('size: large\nbusiness_hours: {start: "08:00", end: "17:00"}\n', folder)
    data = triage(run, folder, "-c", "quality", "-r", "2025-03-15 10:00")
    assert (data["deadline"], data["calendar_name"]) == ("2025-03-18T17:00:00+08:00", "office")
    data = triage(run, folder, "-c", "agent-attitude", "-r", "2025-03-03 16:55")
    assert data["deadline"] == "2025-03-03T17:00:00+08:00"  # no minimum on the office's


def test_complaint_add_takes_the_service_deadline(run, workspace, monkeypatch):
    monkeypatch.setenv("PLANNER315_NOW", "2025-03-15T12:00:00+08:00")
    added = run("complaint", "add", "-w", workspace, "-c", "quality", "-s", "broken zip",
                "-r", "2025-03-15 10:00", "--format", "json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["complaint"]["deadline"] == "2025-03-17T00:00:00+08:00"


def test_the_shipped_shop_files_example_is_valid(tmp_path, shop_file):
    for lang in LANGS:
        text = (files("planner.templates") / f"shop.{lang}.yaml.txt").read_text(
            encoding="utf-8")
        example = re.search(r"^# service:\n(?:#   .*\n)+", text, re.MULTILINE)[0]
        path = shop_file(re.sub(r"^# ", "", example, flags=re.MULTILINE))
        assert load_shop(path).service == parse_service(ISSUE_BLOCK, "x", 1, PHASES)


# --- errors: one line naming the file, the line and the field ---------------------------------

BAD_SERVICE = [
    ("service: every-day\n", 2, "service", "wrong type"),
    ("service:\n  peak: {days: every-day}\n", 3, "service.peak", "unknown key"),
    ("service:\n  battle: every-day\n", 3, "service.battle", "wrong type"),
    ("service:\n  battle: {days: every-day, open: '08:00'}\n", 3, "service.battle.open",
     "unknown key"),
    ("service:\n  default:\n    days: weekends\n", 4, "service.default.days",
     "'weekends' is not a choice of service days"),
    ("service:\n  battle: {days: [mon, funday]}\n", 3, "service.battle.days",
     "'mon, funday' is not a choice of service days"),
    ("service:\n  battle: {days: []}\n", 3, "service.battle.days", "not a choice"),
    ("service:\n  battle: {hours: 8-24}\n", 3, "service.battle.hours",
     "'8-24' is not valid service hours"),
    ("service:\n  battle: {hours: '08:00-24:30'}\n", 3, "service.battle.hours",
     "not valid service hours"),
    ("service:\n  battle: {hours: '24:00-24:00'}\n", 3, "service.battle.hours",
     "not valid service hours"),
    ("service:\n  battle: {hours: '22:00-02:00'}\n", 3, "service.battle.hours",
     "opening 22:00 must be before closing 02:00"),
    ("service:\n  default:\n    hours: '09:00-09:00'\n", 4, "service.default.hours",
     "must be before"),
    ("service:\n  same_day_minimum_minutes: -5\n", 3, "service.same_day_minimum_minutes",
     "'-5' is not a number of minutes"),
    ("service:\n  same_day_minimum_minutes: an hour\n", 3, "service.same_day_minimum_minutes",
     "not a number of minutes"),
    ("service:\n  same_day_minimum_minutes: yes\n", 3, "service.same_day_minimum_minutes",
     "not a number of minutes"),
    ("service:\n  same_day_minimum_minutes: 1.5\n", 3, "service.same_day_minimum_minutes",
     "not a number of minutes"),
    ("service:\n  battle: {hours: '08:00-24:00'}\n  same_day_minimum_minutes: 600\n", 4,
     "service.same_day_minimum_minutes", "600 minutes is not shorter than the service hours "
     "09:00-18:00 of default"),
    ("service:\n  battle:\n    days: every-day\n    hours: '09:00-09:30'\n", 5,
     "service.battle.hours", "the service hours 09:00-09:30 are no longer than the default "
     "same-day minimum of 60 minutes"),
    ('business_hours: {start: "08:00", end: "17:00"}\nservice:\n  battle: {days: every-day}\n',
     3, "service", "service and business_hours (line 2) cannot both be given"),
]


@pytest.mark.parametrize(("text", "line", "field", "words"), BAD_SERVICE)
def test_a_bad_service_block_is_one_line_naming_file_line_and_field(run, shop_file, text,
                                                                    line, field, words):
    path = shop_file("size: large\n" + text)
    result = run("complaint", "triage", "-c", "quality", "-r", "2025-03-15 10:00",
                 "--lang", "en")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [one for one in result.output.splitlines() if one.strip()]
    assert len(lines) == 1
    assert f"{path}:{line}: {field}: " in lines[0] and words in lines[0], lines[0]


def test_errors_in_chinese(run, shop_file):
    shop_file("size: large\nservice:\n  battle: {hours: 8-24}\n")
    result = run("complaint", "triage", "-c", "quality", "--lang", "zh")
    assert result.exit_code == 1
    assert "service.battle.hours" in result.output and "不是有效的客服时间" in result.output
