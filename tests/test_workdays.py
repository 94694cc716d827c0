import datetime as dt
import subprocess
import sys

import pytest
from conftest import raises_message

from planner.complaints.workdays import WorkCalendar, load_holidays
from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.workspace.layout import HOLIDAYS_FILE

D = dt.date


def write_holidays(folder, text):
    path = folder / HOLIDAYS_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_official_2026_make_up_days_and_holidays():
    calendar = WorkCalendar()
    assert calendar.is_workday(D(2026, 2, 14))  # Saturday, make-up working day
    assert calendar.is_workday(D(2026, 2, 28))  # Saturday, make-up working day
    assert not any(calendar.is_workday(D(2026, 4, day)) for day in (4, 5, 6))  # Qingming
    assert not calendar.is_workday(D(2026, 10, 1))  # National Day
    assert not calendar.is_workday(D(2026, 3, 15))  # an ordinary Sunday
    assert calendar.is_workday(D(2026, 3, 16))
    assert calendar.source_of(2026) == "package" and not calendar.is_estimated(2026)


def test_next_workday_skips_holidays():
    calendar = WorkCalendar()
    assert calendar.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)
    assert calendar.next_workday(D(2026, 2, 14)) == D(2026, 2, 24)  # Spring Festival
    assert calendar.next_workday(D(2026, 2, 27)) == D(2026, 2, 28)  # onto the make-up Sat
    assert calendar.add_workdays(D(2026, 9, 30), 0) == D(2026, 9, 30)
    assert calendar.add_workdays(D(2026, 9, 30), 2) == D(2026, 10, 9)


def test_unknown_year_is_estimated_from_weekends():
    calendar = WorkCalendar()
    assert calendar.is_estimated(2099)
    assert calendar.is_workday(D(2099, 3, 13))  # a Friday
    assert not calendar.is_workday(D(2099, 3, 14))  # a Saturday
    assert calendar.source_of(2099) == "estimated" and calendar.source_of(2026) == "package"


def test_workspace_file_defines_a_year(tmp_path):
    write_holidays(tmp_path, """\
2099:
  days_off: [2099-03-16, "2099-10-01..2099-10-03"]
  makeup_days: [2099-03-21]
""")
    calendar = WorkCalendar.from_file(tmp_path / HOLIDAYS_FILE)
    assert calendar.source_of(2099) == "workspace"
    assert not calendar.is_workday(D(2099, 3, 16))  # Monday, declared off
    assert calendar.is_workday(D(2099, 3, 21))  # Saturday, make-up day
    assert not calendar.is_workday(D(2099, 10, 2))  # inside the range
    assert calendar.is_workday(D(2099, 10, 5))  # Monday after it
    assert calendar.next_workday(D(2099, 3, 13)) == D(2099, 3, 17)
    assert not calendar.is_estimated(2099)


def test_workspace_year_replaces_the_package_year(tmp_path):
    write_holidays(tmp_path, "2026:\n  days_off: [2026-03-16]\n")
    calendar = WorkCalendar.from_file(tmp_path / HOLIDAYS_FILE)
    assert not calendar.is_workday(D(2026, 3, 16))
    assert not calendar.is_workday(D(2026, 2, 14))  # the file knows no make-up day


def test_no_holidays_file_or_an_empty_one(tmp_path):
    assert WorkCalendar.from_file(None).extra == {}
    assert WorkCalendar.from_file(tmp_path / HOLIDAYS_FILE).extra == {}
    assert load_holidays(write_holidays(tmp_path, "# nothing yet\n")) == {}


@pytest.mark.parametrize(("text", "line", "field", "words"), [
    ("twenty:\n  days_off: []\n", 1, "twenty", "year between"),
    ("2099:\n  days_off: ['2099-02-30']\n", 2, "2099.days_off", "not a valid date"),
    ("2099:\n  days_off: [2098-12-31]\n", 2, "2099.days_off", "not in 2099"),
    ("2099:\n  days_off: [2099-01-02]\n  makeup_days: [2099-01-02]\n", 3, "2099.makeup_days",
     "both"),
    ("2099:\n  off: [2099-01-02]\n", 2, "2099.off/no", "unknown key"),
    ("2099:\n  days_off: ['2099-05-05..2099-05-01']\n", 2, "2099.days_off", "range"),
])
def test_holidays_file_errors_name_file_line_and_entry(tmp_path, text, line, field, words):
    path = write_holidays(tmp_path, text)
    with pytest.raises(PlannerError) as caught:
        WorkCalendar.from_file(tmp_path / HOLIDAYS_FILE)
    err = caught.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert words in render_error(err)
    assert render_error(err).startswith(f"{path}:{line}: {field}: ")


def test_chinese_calendar_is_imported_lazily():
    code = ("import sys, planner.cli, planner.complaints.workdays, "
            "planner.complaints.deadlines, planner.complaints.policy, "
            "planner.complaints.service, planner.workspace.shop; "
            "print('chinese_calendar' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_a_schedule_without_working_days_is_an_error_not_a_hang(tmp_path):
    path = write_holidays(tmp_path, """\
2099:
  days_off: ["2099-01-01..2099-12-31"]
2100:
  days_off: ["2100-01-01..2100-12-31"]
""")
    with raises_message("no working day within a year") as caught:
        WorkCalendar.from_file(tmp_path / HOLIDAYS_FILE).next_workday(D(2099, 6, 1))
    assert caught.value.file == str(path)
