"""Hostile rosters (issue 15): too many contacts, too large a file, too long a field, a shift
on a day the campaign year lacks — each refused with one located line, in bounded time and
memory, the saved roster untouched; and the same limits on a hand-edited roster.yaml.

The files are made here. The subprocess cases (`run_cli`) measure the real command's time
and peak memory; the boundary cases run in-process.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from hostile import WORKBOOK_MB, WORKBOOK_SECONDS, fingerprint, run_cli

from planner.core.limits import MAX_CONTACTS, MAX_NAME_CHARS, MAX_ROSTER_BYTES, MAX_TEXT_CHARS
from planner.core.limits import MAX_IMPORT_FILE_BYTES as MAX_FILE_BYTES
from planner.roster.importing import MAX_COLUMNS, MAX_ROWS

HEADER = "部门,姓名,手机,值班"
KEPT = "cs-manager,李娜,13900139000,"  # the contact of the roster saved before each case
ORDINARY_SECONDS = 5  # a command that reads at most a roster's worth of rows (about 0.5 s)


@pytest.fixture
def shop(tmp_path, run):
    """A workspace with a saved one-contact roster; the incoming files live beside it."""
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "shop.yaml").write_text("name: 示例店\nsize: large\nlang: zh\n", encoding="utf-8")
    first = write_csv(tmp_path / "first.csv", [KEPT])
    assert run("roster", "import", first, "-w", folder, "--year", "2028").exit_code == 0
    return folder


def write_csv(path, rows, header=HEADER):
    """A CSV of `rows`, written as they come: the test process stays small, and so does the
    peak memory its children are measured with (Linux counts a child's forked parent in)."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(header + "\r\n")
        stream.writelines(f"{row}\r\n" for row in rows)
    return path


def contact_rows(count):
    """`count` distinct valid contacts (their mobiles distinct too)."""
    return (f"pr,陈{i},1{3 + i % 7}{i:09d}," for i in range(count))


def refused(outcome, *expected):
    """One message line holding every `expected` text, exit code 1, no traceback."""
    assert outcome.code == 1, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert len(outcome.message_lines) == 1, outcome.stderr
    for text in expected:
        assert text in outcome.message_lines[0], outcome.message_lines[0]
    return outcome.message_lines[0]


# --- how many ---------------------------------------------------------------------------------


def test_a_file_beyond_the_size_limit_is_refused_unread(shop, tmp_path):
    """About 50 MB and 2 million rows: refused from its size, before a row is read."""
    path = tmp_path / "big.csv"
    block = "".join(f"pr,陈{i},1{3 + i % 7}{i:09d},\r\n" for i in range(1_000)).encode()
    with path.open("wb") as stream:
        stream.write((HEADER + "\r\n").encode())
        while stream.tell() < 50 * 2**20:
            stream.write(block)
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", path, "-w", shop, "--lang", "en", cwd=tmp_path)
    refused(outcome, "big.csv", f"at most {MAX_FILE_BYTES // 2**20} MB")
    assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB, outcome
    assert fingerprint(shop) == before


def test_reading_stops_at_the_first_contact_beyond_the_limit(shop, tmp_path):
    """Just under the size limit, about 600,000 short rows: refused at row 5,002 (the first
    row beyond 5,000 contacts) without building the rest."""
    path = tmp_path / "many.csv"
    write_csv(path, (f"pr,c{i},1{3 + i % 7}{i:09d}," for i in range(600_000)))
    assert path.stat().st_size < MAX_FILE_BYTES
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", path, "-w", shop, "--lang", "en", cwd=tmp_path)
    refused(outcome, f"many.csv:{MAX_CONTACTS + 2}:", f"at most {MAX_CONTACTS}")
    assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB, outcome
    assert fingerprint(shop) == before


def blank_lines(path):
    """One contact, then empty lines: a CSV cheap to write and slow to read to its end."""
    return write_csv(path, ["pr,陈,13300133000,", *[",,,"] * (MAX_ROWS + 10)])


def far_cell(path):
    """A workbook of a few kilobytes whose one stray cell sits on the last row Excel has:
    read row by row, a million empty rows come first."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(HEADER.split(","))
    wb.active.append(["pr", "陈", "13300133000"])
    wb.active.cell(row=1_048_576, column=1, value=" ")
    wb.save(path)
    return path


@pytest.mark.parametrize("make", [blank_lines, far_cell])
def test_blank_rows_count_towards_the_rows_read(shop, tmp_path, make):
    path = make(tmp_path / ("blank.csv" if make is blank_lines else "far.xlsx"))
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", path, "-w", shop, "--lang", "en", cwd=tmp_path)
    refused(outcome, f"{path.name}:{MAX_ROWS + 1}: more than {MAX_ROWS} rows (blank rows count")
    assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB, outcome
    assert fingerprint(shop) == before


def test_a_value_beyond_the_columns_read_is_refused(shop, tmp_path):
    """Rows of a million columns: refused at the first value beyond column 256."""
    path = write_csv(tmp_path / "wide.csv", ["pr,陈,13300133000," + ",x" * 1_000_000] * 3)
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", path, "-w", shop, "--lang", "en", cwd=tmp_path)
    refused(outcome, f"wide.csv:2: column IW has a value ('x'), but a roster is read from its "
                     f"first {MAX_COLUMNS} columns only")
    assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB, outcome
    assert fingerprint(shop) == before


def test_empty_cells_far_right_are_dropped_not_refused(run, shop, tmp_path):
    """A formatted empty cell in Excel's last column makes a workbook pad every row to
    16,384 cells: they are dropped, not refused (openpyxl's padding itself costs about 1.5 ms
    a row, so a thousand rows here)."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.active.append(HEADER.split(","))
    for row in [KEPT, *contact_rows(999)]:
        wb.active.append(row.split(","))
    wb.active.cell(row=1, column=16_384).font = Font(bold=True)
    wb.save(tmp_path / "padded.xlsx")
    outcome = run_cli("roster", "import", tmp_path / "padded.xlsx", "-w", shop, "--lang", "en",
                      cwd=tmp_path)
    assert outcome.code == 0, outcome.stderr
    assert "Imported 1,000 contacts" in outcome.stdout
    assert outcome.seconds < WORKBOOK_SECONDS and outcome.peak_mb < WORKBOOK_MB, outcome


def test_a_header_cell_of_brackets_is_read_in_linear_time(shop, tmp_path):
    """100,000 "(" in a header cell: bracketed notes are dropped from headers, and the
    pattern doing it once took 15 s for 20,000."""
    path = write_csv(tmp_path / "brackets.csv", [KEPT + "x"], header=HEADER + "," + "(" * 100_000)
    outcome = run_cli("roster", "import", path, "-w", shop, "--lang", "en", cwd=tmp_path)
    assert outcome.code == 0, outcome.stderr
    assert len(outcome.message_lines) == 1 and len(outcome.stderr) < 200  # the ignored column
    assert outcome.seconds < ORDINARY_SECONDS, outcome


def test_the_limit_itself_is_accepted_and_one_more_refused(shop, tmp_path):
    at_limit = write_csv(tmp_path / "at.csv", [KEPT, *contact_rows(MAX_CONTACTS - 1)])
    beyond = write_csv(tmp_path / "beyond.csv", [KEPT, *contact_rows(MAX_CONTACTS)])
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", beyond, "-w", shop, "--lang", "zh", cwd=tmp_path)
    refused(outcome, f"beyond.csv:{MAX_CONTACTS + 2}:", f"最多收 {MAX_CONTACTS} 位")
    assert outcome.seconds < ORDINARY_SECONDS, outcome
    assert fingerprint(shop) == before
    outcome = run_cli("roster", "import", at_limit, "-w", shop, "--lang", "en", cwd=tmp_path)
    assert outcome.code == 0, outcome.stderr
    assert f"Imported {MAX_CONTACTS:,} contacts" in outcome.stdout
    assert outcome.seconds < ORDINARY_SECONDS, outcome


def test_a_workbook_beyond_the_limit_is_refused_too(run, shop, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(HEADER.split(","))
    for row in contact_rows(MAX_CONTACTS + 1):
        wb.active.append(row.split(","))
    wb.save(tmp_path / "beyond.xlsx")
    before = fingerprint(shop)
    result = run("roster", "import", tmp_path / "beyond.xlsx", "-w", shop, "--lang", "en")
    assert result.exit_code == 1
    assert f"beyond.xlsx:{MAX_CONTACTS + 2}: more than {MAX_CONTACTS} contacts" in result.output
    assert fingerprint(shop) == before


def test_thousands_of_repeated_rows_are_named_in_bounded_time(shop, tmp_path):
    """Every row the same person: each is named a repeat of the first in one pass (the check
    once started over after each repeat found, 13 s for 5,000 rows)."""
    path = write_csv(tmp_path / "same.csv", ["pr,陈,13300133000,"] * MAX_CONTACTS)
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", path, "-w", shop, "--lang", "en", cwd=tmp_path)
    line = refused(outcome, f"same.csv: {MAX_CONTACTS - 1:,} rows with problems",
                   "line 3: 姓名: same person as row 2")
    assert line.endswith("…") and len(line) < 10_000
    assert outcome.seconds < ORDINARY_SECONDS, outcome
    assert fingerprint(shop) == before


def test_a_hand_edited_roster_beyond_the_limit_is_located(run, shop):
    entries = "".join(f"  - {{department: pr, name: 陈{i}, mobile: '1{3 + i % 7}{i:09d}'}}\n"
                      for i in range(MAX_CONTACTS + 1))
    (shop / "roster.yaml").write_text("contacts:\n" + entries, encoding="utf-8")
    before = fingerprint(shop)
    result = run("roster", "-w", shop, "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        f"roster.yaml:{MAX_CONTACTS + 2}: contacts[{MAX_CONTACTS + 1}]: more than "
        f"{MAX_CONTACTS} contacts: a roster holds at most {MAX_CONTACTS} (the service team and "
        "its escalation chain); split or trim the list")
    assert fingerprint(shop) == before


def test_a_hand_edited_roster_too_large_to_parse_is_refused_unparsed(shop, tmp_path):
    """Over 2 MB of short contacts (some 40,000): refused from its size, before parsing it
    (about 2.5 s and 80 MB a megabyte, for nothing: the limit is reached at 5,001)."""
    with (shop / "roster.yaml").open("w", encoding="utf-8") as stream:
        stream.write("contacts:\n")
        for i in range(40_000):
            stream.write(f"  - {{department: pr, name: 陈{i}, mobile: '1{3 + i % 7}{i:09d}'}}\n")
    assert (shop / "roster.yaml").stat().st_size > MAX_ROSTER_BYTES
    before = fingerprint(shop)
    outcome = run_cli("export", "roster", "-w", shop, "-o", "r.xlsx", "--lang", "en",
                      cwd=tmp_path)
    refused(outcome, "roster.yaml: the roster file is 2.", f"at most {MAX_ROSTER_BYTES >> 20} MB")
    assert outcome.seconds < ORDINARY_SECONDS and outcome.peak_mb < WORKBOOK_MB, outcome
    assert fingerprint(shop) == before and not (tmp_path / "r.xlsx").exists()
    good = write_csv(tmp_path / "good.csv", [KEPT])
    outcome = run_cli("roster", "import", good, "-w", shop, "--lang", "en", cwd=tmp_path)
    refused(outcome, "roster.yaml: the roster file is 2.")  # the current roster is needed
    outcome = run_cli("roster", "import", good, "-w", shop, "--replace", cwd=tmp_path)
    assert outcome.code == 0, outcome.stderr  # but not to replace it


def test_an_import_never_saves_a_roster_too_large_to_read_back(shop, tmp_path):
    """5,000 contacts with 200-character titles: each row is good, the roster.yaml they make
    would be over 2 MB, so the import refuses and leaves no file behind."""
    title = "客服" * (MAX_NAME_CHARS // 2)
    path = write_csv(tmp_path / "titles.csv",
                     (f"{row}{title}" for row in contact_rows(MAX_CONTACTS)),
                     header="部门,姓名,手机,职务")
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", path, "-w", shop, "--replace", "--lang", "en",
                      cwd=tmp_path)
    refused(outcome, "titles.csv: these contacts would make roster.yaml larger than its limit "
                     f"of {MAX_ROSTER_BYTES >> 20} MB")
    assert outcome.seconds < ORDINARY_SECONDS, outcome
    assert fingerprint(shop) == before  # no temporary file either


# --- how long ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("column", "limit"), [
    ("姓名", MAX_NAME_CHARS), ("部门", MAX_NAME_CHARS), ("职务", MAX_NAME_CHARS),
    ("旺旺", MAX_NAME_CHARS), ("邮箱", MAX_NAME_CHARS), ("备岗", MAX_NAME_CHARS),
    ("值班", MAX_TEXT_CHARS)])
def test_each_field_takes_its_maximum_and_not_one_character_more(run, shop, tmp_path,
                                                                 column, limit):
    def row(length):
        values = {"部门": "pr", "姓名": "陈", "手机": "13300133000", column: "x" * length}
        if column == "部门":
            values["部门"] = "p" * length
        if column == "邮箱":
            values["邮箱"] = "a" * (length - len("@b.cn")) + "@b.cn"
        return ",".join(values.values()), ",".join(values)

    text, header = row(limit + 1)
    path = write_csv(tmp_path / "long.csv", [text], header=header)
    before = fingerprint(shop)
    result = run("roster", "import", path, "-w", shop, "--lang", "en", "--year", "2028")
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        f"long.csv:2: {column}: the text is {limit + 1} characters long; this field takes at "
        f"most {limit}")
    assert fingerprint(shop) == before
    if column != "部门":  # a department's name is checked against the campaign's list next
        text, header = row(limit)
        write_csv(path, [KEPT, text], header=header)
        result = run("roster", "import", path, "-w", shop, "--year", "2028")
        assert result.exit_code == 0, result.output


def test_a_long_name_is_refused_in_one_line_naming_row_and_column(shop, tmp_path):
    path = write_csv(tmp_path / "long.csv",
                     [KEPT, "pr," + "陈" * (MAX_NAME_CHARS + 1) + ",13300133000,"])
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", path, "-w", shop, "--lang", "zh", cwd=tmp_path)
    line = refused(outcome, "long.csv:3: 姓名:", f"内容有 {MAX_NAME_CHARS + 1} 个字符",
                   f"最多 {MAX_NAME_CHARS} 个字符")
    assert "陈陈" not in line  # the value itself is not echoed
    assert fingerprint(shop) == before


def test_a_hand_edited_roster_with_a_long_value_is_located(run, shop):
    (shop / "roster.yaml").write_text(
        "contacts:\n  - department: pr\n    name: 陈\n    mobile: '13300133000'\n"
        f"    role: {'经' * (MAX_NAME_CHARS + 1)}\n", encoding="utf-8")
    before = fingerprint(shop)
    for command in (["roster"], ["export", "roster", "-o", "r.xlsx"]):
        result = run(*command, "-w", shop, "--lang", "en")
        assert result.exit_code == 1
        assert result.output.strip().endswith(
            f"roster.yaml:5: contacts[1].role: the text is {MAX_NAME_CHARS + 1} characters "
            f"long; this field takes at most {MAX_NAME_CHARS}")
    assert fingerprint(shop) == before


def test_contacts_in_the_shop_file_have_the_same_limits(run, tmp_path):
    name = "陈" * (MAX_NAME_CHARS + 1)
    (tmp_path / "shop.yaml").write_text(
        f"size: small\ncontacts:\n  - {{department: pr, name: {name}, mobile: '13300133000'}}\n",
        encoding="utf-8")
    result = run("roster", "--lang", "en")
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        f"shop.yaml:3: contacts[1].name: the text is {MAX_NAME_CHARS + 1} characters long; "
        f"this field takes at most {MAX_NAME_CHARS}")


# --- the campaign year --------------------------------------------------------------------------


LEAP_SHIFT = "客服主管,陈,13300133000,02-29 早班"


def test_february_29_is_refused_for_a_plain_year_and_accepted_for_a_leap_year(shop, tmp_path):
    path = write_csv(tmp_path / "leap.csv", [KEPT, LEAP_SHIFT])
    before = fingerprint(shop)
    outcome = run_cli("roster", "import", path, "-w", shop, "--year", "2027", "--lang", "en",
                      cwd=tmp_path)
    refused(outcome, "leap.csv:3: 值班: the shift names '02-29', which does not exist in 2027")
    assert fingerprint(shop) == before
    outcome = run_cli("roster", "import", path, "-w", shop, "--year", "2028", cwd=tmp_path)
    assert outcome.code == 0, outcome.stderr
    assert "02-29 早班" in (shop / "roster.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("now", "code"), [("2026-12-01 09:00", 1), ("2027-12-01 09:00", 0)])
def test_the_default_year_is_the_plans(shop, tmp_path, now, code):
    """Without --year, the campaign `plan` would show: 2027 in December 2026, 2028 a year on."""
    path = write_csv(tmp_path / "leap.csv", [KEPT, LEAP_SHIFT])
    env = {"PLANNER315_NOW": now}
    plan = run_cli("plan", "-w", shop, "--format", "json", cwd=tmp_path, env=env)
    year = 2027 if code else 2028
    assert f'"year": {year}' in plan.stdout
    outcome = run_cli("roster", "import", path, "-w", shop, "--lang", "en", cwd=tmp_path, env=env)
    assert outcome.code == code, outcome.stderr
    if code:
        refused(outcome, f"does not exist in {year}")


def test_a_saved_february_29_is_a_located_error_for_the_notice(shop, tmp_path):
    (shop / "roster.yaml").write_text(
        "# edited by hand\ncontacts:\n  - department: cs-manager\n    name: 陈\n"
        "    mobile: '13300133000'\n    shift: 02-29 早班\n", encoding="utf-8")
    before = fingerprint(shop)
    outcome = run_cli("export", "notice", "-w", shop, "--year", "2027", "-o", "n.xlsx",
                      "--lang", "en", cwd=shop)
    line = refused(outcome, "roster.yaml:6: contacts[1].shift: the shift names '02-29', which "
                            "does not exist in 2027 (not a leap year)")
    assert line.startswith("Error: ")
    assert fingerprint(shop) == before  # no notice.xlsx either
    outcome = run_cli("export", "notice", "-w", shop, "--year", "2028", "-o", "n.xlsx",
                      cwd=shop)
    assert outcome.code == 0, outcome.stderr


# --- on a terminal ------------------------------------------------------------------------------


def test_progress_is_counted_on_a_terminal_only(shop, tmp_path):
    path = write_csv(tmp_path / "team.csv", [KEPT, *contact_rows(2_500)])
    primary, secondary = pty.openpty()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("PLANNER315_")}
    process = subprocess.run(
        [sys.executable, "-m", "planner", "roster", "import", str(path), "-w", str(shop),
         "--lang", "en"], stdout=subprocess.PIPE, stderr=secondary, env=environment,
        timeout=60, check=False)
    os.close(secondary)
    terminal = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal's other side is closed: all is read
            break
        if not chunk:
            break
        terminal += chunk
    os.close(primary)
    assert process.returncode == 0
    assert b"\rReading\xe2\x80\xa6 2000 rows so far" in terminal
    assert terminal.endswith(b"\r\n")  # the count's line is ended before anything else
    assert b"Imported 2,501 contacts" in process.stdout
