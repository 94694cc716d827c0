import datetime as dt

import pytest
from conftest import raises_message
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.complaints.deadlines import (
    CLOCK,
    CLOCK_RULES,
    DEFAULT_HOURS,
    OFFICE,
    RULES,
    WORKDAY_RULES,
    BusinessHours,
    Deadline,
    acceptance_day,
    first_response,
    parse_business_hours,
)
from planner.complaints.triage import ComplaintRules
from planner.complaints.workdays import WorkCalendar
from planner.core.clock import SHANGHAI, parse_datetime
from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.workspace.layout import HOLIDAYS_FILE
from planner.workspace.shop import load_shop


def at(text: str) -> dt.datetime:
    return parse_datetime(text)


def due(rule: str, received: str, calendar: WorkCalendar | None = None,
        hours: BusinessHours = DEFAULT_HOURS) -> str:
    return first_response(rule, at(received), calendar or WorkCalendar(),
                          hours).at.isoformat()


# --- the rules across weekends, make-up days and holidays ---------------------------------

def test_last_working_day_before_national_day():
    assert due("same-day", "2026-09-30 10:00") == "2026-09-30T18:00:00+08:00"
    assert due("T+1", "2026-09-30 10:00") == "2026-10-08T18:00:00+08:00"
    assert due("T+2", "2026-09-30 10:00") == "2026-10-09T18:00:00+08:00"


def test_one_minute_either_side_of_the_end_of_business():
    assert due("T+1", "2026-09-30 17:59") == "2026-10-08T18:00:00+08:00"
    assert due("T+1", "2026-09-30 18:01") == "2026-10-09T18:00:00+08:00"
    assert due("same-day", "2026-09-30 18:01") == "2026-10-08T18:00:00+08:00"


def test_exactly_at_the_end_of_business_counts_as_after():
    assert acceptance_day(at("2026-09-30 18:00"), WorkCalendar()) == dt.date(2026, 10, 8)
    assert acceptance_day(at("2026-09-30 17:59:59"), WorkCalendar()) == dt.date(2026, 9, 30)


def test_make_up_saturdays_are_working_days():
    # 2026-02-14 is a make-up Saturday just before the Spring Festival (Feb 15-23 off).
    assert due("same-day", "2026-02-14 10:00") == "2026-02-14T18:00:00+08:00"
    assert due("T+1", "2026-02-14 10:00") == "2026-02-24T18:00:00+08:00"
    assert due("T+1", "2026-02-14 18:01") == "2026-02-25T18:00:00+08:00"
    # 2026-02-28 is a make-up Saturday; Sunday Mar 1 is off.
    assert due("T+1", "2026-02-28 09:30") == "2026-03-02T18:00:00+08:00"
    assert due("T+1", "2026-02-27 12:00") == "2026-02-28T18:00:00+08:00"


def test_weekend_and_holiday_arrivals_start_on_the_next_working_day():
    assert due("same-day", "2026-03-01 10:00") == "2026-03-02T18:00:00+08:00"  # Sunday
    assert due("T+1", "2026-10-03 10:00") == "2026-10-09T18:00:00+08:00"  # National Day
    assert due("T+2", "2026-04-04 10:00") == "2026-04-09T18:00:00+08:00"  # Qingming


def test_before_start_of_business_counts_for_that_day():
    assert due("same-day", "2026-03-02 07:00") == "2026-03-02T18:00:00+08:00"


def test_three_hours_ignores_calendar_and_business_hours():
    assert due("3h", "2026-10-01 23:00") == "2026-10-02T02:00:00+08:00"
    assert due("3h", "2026-10-01T15:00:00Z") == "2026-10-02T02:00:00+08:00"
    deadline = first_response("3h", at("2099-01-01 00:00"), WorkCalendar())
    assert deadline.calendar == "official"  # no working-day calendar involved


def test_business_hours_from_the_shop():
    hours = BusinessHours(dt.time(8, 30), dt.time(17, 30))
    assert due("same-day", "2026-03-02 17:40", hours=hours) == "2026-03-03T17:30:00+08:00"
    assert due("same-day", "2026-03-02 17:20", hours=hours) == "2026-03-02T17:30:00+08:00"


def test_unknown_year_is_estimated():
    calendar = WorkCalendar()
    deadline = first_response("T+1", at("2099-03-13 10:00"), calendar)  # a Friday
    assert deadline.at.isoformat() == "2099-03-16T18:00:00+08:00"
    assert deadline.calendar == "estimated" and deadline.estimated_years == (2099,)


def test_deadline_crossing_into_an_unknown_year():
    # Thursday 2026-12-31: T+2 runs into 2027, which the package may not know yet.
    calendar = WorkCalendar()
    deadline = first_response("T+2", at("2026-12-31 10:00"), calendar)
    if calendar.is_estimated(2027):
        assert deadline.at.isoformat() == "2027-01-04T18:00:00+08:00"
        assert deadline.estimated_years == (2027,)
    else:
        assert deadline.calendar == "official"


def test_unknown_year_with_workspace_holidays_is_official(tmp_path):
    (tmp_path / "holidays.yaml").write_text(
        "2099:\n  days_off: [2099-03-16]\n  makeup_days: [2099-03-21]\n", encoding="utf-8")
    calendar = WorkCalendar.from_file(tmp_path / HOLIDAYS_FILE)
    deadline = first_response("T+1", at("2099-03-13 10:00"), calendar)
    assert deadline.at.isoformat() == "2099-03-17T18:00:00+08:00"
    assert deadline.calendar == "official" and not deadline.estimated
    assert due("same-day", "2099-03-21 10:00", calendar) == "2099-03-21T18:00:00+08:00"


def test_unknown_rule_is_an_error():
    with raises_message(r"unknown value 'T\+9'"):
        first_response("T+9", at("2026-03-02 10:00"), WorkCalendar())


# --- properties -----------------------------------------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31),
                       timezones=st.just(SHANGHAI))


@settings(max_examples=150, deadline=None)
@given(received=moments, rule=st.sampled_from(RULES))
def test_deadline_is_never_before_acceptance(received, rule):
    assert first_response(rule, received, WorkCalendar()).at >= received


@settings(max_examples=150, deadline=None)
@given(received=moments, rule=st.sampled_from(["same-day", "T+1", "T+2"]))
def test_working_day_deadline_falls_on_a_working_day_at_end_of_business(received, rule):
    deadline = first_response(rule, received, WorkCalendar()).at
    assert WorkCalendar().is_workday(deadline.date())
    assert deadline.timetz().replace(tzinfo=None) == DEFAULT_HOURS.end


@settings(max_examples=100, deadline=None)
@given(received=moments)
def test_rules_are_ordered(received):
    calendar = WorkCalendar()
    same, one, two = (first_response(rule, received, calendar).at
                      for rule in ("same-day", "T+1", "T+2"))
    assert same < one < two


@settings(max_examples=100, deadline=None)
@given(received=st.datetimes(min_value=dt.datetime(2000, 1, 1),
                             max_value=dt.datetime(2100, 12, 31),
                             timezones=st.sampled_from([SHANGHAI, dt.UTC])))
def test_three_hours_is_exactly_three_hours(received):
    deadline = first_response("3h", received, WorkCalendar()).at
    assert deadline - received == dt.timedelta(hours=3)
    assert deadline.utcoffset() == dt.timedelta(hours=8)


def legacy_first_response(rule: str, received: dt.datetime, calendar: WorkCalendar,
                          hours: BusinessHours) -> tuple[dt.datetime, tuple[int, ...]]:
    """The deadline as release 0.2 computed it, before service calendars: the oracle."""
    local = received.astimezone(SHANGHAI)
    if rule in CLOCK_RULES:
        return (local.astimezone(dt.UTC) + CLOCK_RULES[rule]).astimezone(SHANGHAI), ()
    day = local.date()
    if not (local.time() < hours.end and calendar.is_workday(day)):
        day = calendar.next_workday(day)
    day = calendar.add_workdays(day, WORKDAY_RULES[rule])
    at = dt.datetime.combine(day, hours.end, tzinfo=SHANGHAI)
    return at, tuple(year for year in range(local.year, day.year + 1)
                     if calendar.is_estimated(year))


@st.composite
def business_hours(draw):
    start = draw(st.integers(0, 24 * 60 - 2))  # minutes after midnight
    end = draw(st.integers(start + 1, 24 * 60 - 1))
    return BusinessHours(dt.time(*divmod(start, 60)), dt.time(*divmod(end, 60)))


@settings(max_examples=300, deadline=None)
@given(received=st.datetimes(min_value=dt.datetime(2024, 1, 1),
                             max_value=dt.datetime(2028, 12, 31),
                             timezones=st.sampled_from([SHANGHAI, dt.UTC])),
       rule=st.sampled_from(RULES), hours=business_hours())
def test_without_a_service_block_deadlines_are_those_of_before(received, rule, hours):
    calendar = WorkCalendar()
    rules = ComplaintRules(policy=None, calendar=calendar, hours=hours)
    deadline = rules.first_response(rule, received)
    assert deadline == first_response(rule, received, calendar, hours)
    assert (deadline.at, deadline.estimated_years) == legacy_first_response(
        rule, received, calendar, hours)
    assert deadline.calendar_name == (CLOCK if rule in CLOCK_RULES else OFFICE)


def test_a_deadline_made_without_a_calendar_name_is_the_offices():
    assert Deadline(at("2026-03-02 18:00"), "T+1").calendar_name == OFFICE


# --- parsing --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2027-03-15 10:00", "2027-03-15T10:00:00+08:00"),
    ("2027-03-15 9:05", "2027-03-15T09:05:00+08:00"),
    ("2027-03-15T10:00:30", "2027-03-15T10:00:30+08:00"),
    ("2027-03-15T10:00:00+08:00", "2027-03-15T10:00:00+08:00"),
    ("2027-03-15T02:00:00Z", "2027-03-15T10:00:00+08:00"),
    ("2027-03-15T10:00:00-05:00", "2027-03-15T23:00:00+08:00"),
])
def test_parse_datetime(text, expected):
    assert parse_datetime(text).isoformat() == expected


@pytest.mark.parametrize("text", ["2027-03-15", "tomorrow", "2027-02-30 10:00",
                                  "2027-03-15 25:00", "15/03/2027 10:00", ""])
def test_parse_datetime_rejects(text):
    with pytest.raises(PlannerError) as caught:
        parse_datetime(text)
    assert caught.value.key == "error.bad-datetime"


@settings(max_examples=60, deadline=None)
@given(moment=st.datetimes(min_value=dt.datetime(2000, 1, 1),
                           max_value=dt.datetime(2100, 1, 1)).map(
                               lambda m: m.replace(second=0, microsecond=0)))
def test_parse_datetime_round_trips(moment):
    assert parse_datetime(f"{moment:%Y-%m-%d %H:%M}") == moment.replace(tzinfo=SHANGHAI)
    aware = moment.replace(tzinfo=SHANGHAI)
    assert parse_datetime(aware.isoformat()) == aware


# --- business hours from shop.yaml ----------------------------------------------------------

def test_business_hours_default_and_partial():
    assert parse_business_hours(None, "shop.yaml") == DEFAULT_HOURS
    assert parse_business_hours({"end": "17:30"}, "shop.yaml") == BusinessHours(
        dt.time(9, 0), dt.time(17, 30))


def test_business_hours_read_from_a_shop_file(shop_file):
    path = shop_file('name: Test\nbusiness_hours: {start: "08:30", end: "20:00"}\n')
    shop = load_shop(path)
    assert shop.business_hours == BusinessHours(dt.time(8, 30), dt.time(20, 0))
    assert load_shop(shop_file("name: Test\n")).business_hours == DEFAULT_HOURS


@pytest.mark.parametrize(("text", "line", "field", "words"), [
    ("business_hours:\n  start: 9:00\n", 2, "business_hours.start", 'quotes as "HH:MM"'),
    ('business_hours:\n  start: "09:00"\n  end: "25:00"\n', 3, "business_hours.end",
     "not a valid time"),
    ('business_hours:\n  start: "18:00"\n  end: "09:00"\n', 3, "business_hours",
     "must be before"),
    ('business_hours:\n  start: "09:00"\n  stop: "18:00"\n', 3, "business_hours.stop",
     "unknown key"),
    ("name: x\nbusiness_hours: 9-18\n", 2, "business_hours", "wrong type"),
])
def test_business_hours_errors_name_file_and_line(shop_file, text, line, field, words):
    path = shop_file(text)
    with pytest.raises(PlannerError) as caught:  # every command loads the shop file first
        load_shop(path)
    err = caught.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert words in render_error(err)
