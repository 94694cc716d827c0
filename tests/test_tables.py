"""The table renderer (planner.present.text): tabulate's layout, fitted to the terminal,
wrapping Chinese and English text as a reader expects, a chunk of rows at a time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.present import text
from planner.present.text import (
    NO_LINE_START,
    progress_bars,
    table,
    table_lines,
    terminal_width,
    width,
    wrap,
)

CELL = st.text(st.sampled_from("abc XYZ-09/.,:_" + "投诉杯子破损，。（）：客服主管"), max_size=12)


@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(CELL.filter(lambda head: head and head == head.strip()), min_size=n,
             max_size=n),
    st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1, max_size=6))))
def test_the_layout_is_tabulates(table_data):
    """Where nothing needs wrapping, the text is what tabulate's "simple" format gives."""
    from tabulate import tabulate

    headers, rows = table_data
    expected = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
    assert table(headers, rows, room=None) == expected


def test_tables_go_to_the_tabulate_formatter_they_were_written_for():
    """Each chunk is handed to tabulate's `_format_table` with its cells laid out: a
    tabulate whose formatter takes other arguments fails here, not in a table."""
    import inspect

    from tabulate import _format_table, _table_formats

    assert list(inspect.signature(_format_table).parameters) == [
        "fmt", "headers", "rows", "colwidths", "colaligns", "is_multiline", "rowaligns"]
    assert {"simple", "plain"} <= _table_formats.keys()


def test_numbers_are_shown_as_given():
    assert table(["n", "x"], [["007", "1e3"], ["1,000", "-0.50"]]).splitlines()[2:] == [
        "007    1e3", "1,000  -0.50"]


LONG_ZH = "收到的杯子有裂纹，而且外包装也破损了，要求退货退款。买家情绪激动！"
LONG_EN = "The cup arrived cracked and the box was damaged; the buyer wants a refund."


@pytest.mark.parametrize("limit", range(4, 40))
@pytest.mark.parametrize("value", [LONG_ZH, LONG_EN, "CS supervisor/manager",
                                   "联系电话：13800138000 / 0571-88886666-801（值班）"])
def test_wrapping_never_orphans_a_character_nor_starts_a_line_with_punctuation(value, limit):
    lines = wrap(value, limit)
    assert all(width(line) <= limit for line in lines if " " in line or width(line) > 3)
    assert all(line and line[0] not in NO_LINE_START for line in lines)
    if len(lines) > 1:
        assert len(lines[-1]) > 1, lines
    assert "".join(lines).replace(" ", "") == value.replace(" ", "")


def test_words_and_numbers_do_not_break_in_the_middle():
    assert wrap("CS supervisor/manager", 12) == ["CS", "supervisor/", "manager"]
    assert wrap("13800138000 / 0571-88886666-801", 20) == ["13800138000 /",
                                                           "0571-88886666-801"]
    assert wrap("已结案。", 8) == ["已结案。"] and wrap("已结案。", 6) == ["已结", "案。"]
    assert wrap("已经结案了。", 7) == ["已经结", "案了。"]


@pytest.mark.parametrize("columns", [40, 60, 80, 120])
def test_a_table_fits_the_terminal(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    headers = ["单号", "级别", "处理人", "摘要"]
    rows = [["TS-2027-000001", "III 级", "CS supervisor/manager", LONG_ZH],
            ["TS-2027-000002", "I 级", "客服主管", LONG_EN]]
    lines = table(headers, rows).splitlines()
    assert max(map(width, lines)) <= columns
    assert any("TS-2027-000001" in line for line in lines)  # the number kept whole
    rule = lines[1].split("  ")
    for line in lines[2:]:  # every column starts where its rule starts
        start = 0
        for size in rule[:-1]:
            cell_end = start + len(size)
            assert width(_cut(line, cell_end)) in (cell_end, width(line.rstrip()))
            start = cell_end + 2


def _cut(line: str, columns: int) -> str:
    shown, used = "", 0
    for char in line:
        if used >= columns:
            break
        shown += char
        used += width(char)
    return shown


def test_terminal_width_from_columns_else_none_for_a_pipe(monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    assert terminal_width() == 72
    monkeypatch.delenv("COLUMNS")
    assert terminal_width() is None  # pytest's output is captured: no terminal


def test_rows_are_laid_out_a_chunk_at_a_time(monkeypatch):
    """The first lines come before the later rows are even made, and every chunk keeps the
    first chunk's column widths (a longer cell later wraps within them)."""
    monkeypatch.setattr(text, "CHUNK", 10)
    made = []

    def rows():
        for n in range(35):
            made.append(n)
            yield [f"row {n}", "长" * 30 if n == 25 else "x"]

    lines = table_lines(["a", "b"], rows(), room=None)
    assert [next(lines) for _ in range(12)][-1].startswith("row 9") and len(made) == 10
    rest = list(lines)
    assert len(made) == 35
    assert all(width(line) <= len("row 10") + 2 + 3 for line in rest)
    assert sum(1 for line in rest if "长" in line) > 1


@pytest.mark.parametrize("room", [None, 30])
def test_chunks_line_up_with_the_first(monkeypatch, room):
    """Rows no wider than the first chunk's come out as one chunk would draw them, and
    coloured cells take the columns their text does."""
    rows = [[f"TS-{n:04d}", LONG_ZH[: n % 30], "I 级" if n % 2 else "III 级"] for n in range(40)]
    rows[0][1] = LONG_ZH
    whole = table(["单号", "摘要", "级别"], rows, room=room)
    monkeypatch.setattr(text, "CHUNK", 7)
    assert table(["单号", "摘要", "级别"], rows, room=room) == whole
    coloured = [[text.style(cell, fg="red") if n % 3 == 0 else cell for n, cell in
                 enumerate(row)] for row in rows]
    shown = table(["单号", "摘要", "级别"], coloured, room=room)
    assert "\x1b[31m" in shown and text._ANSI.sub("", shown) == whole


def test_progress_bars_percentages_align():
    bars = progress_bars([(3, 10), (10, 10), (120, 130), (0, 0)])
    ends = {width(bar) for bar in bars}
    assert len(ends) == 1
    assert {bar.index("%") for bar in bars} == {len(bars[0]) - 1}


def test_status_bars_line_up(run, tmp_path, monkeypatch):
    assert run("init", "ws", "--size", "large", "--lang", "en").exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    run("check", "prepare.copy.ad-law", "--by", "li")
    output = run("status", "--today", "2027-03-01").output
    for block in output.split("\n\n")[1:3]:
        bars = [line for line in block.splitlines() if "%" in line]
        assert len(bars) > 1 and len({line.index("%") for line in bars}) == 1, block


def test_coloured_text_wraps_in_its_colours():
    from planner.present.text import style

    value = style("OVERDUE", fg="red", bold=True) + " outside the campaign"
    lines = wrap(value, 8)
    assert [text._ANSI.sub("", line) for line in lines] == ["OVERDUE", "outside", "the",
                                                            "campaign"]
    assert lines[0] == "\x1b[31m\x1b[1mOVERDUE\x1b[0m" and lines[1:] == ["outside", "the",
                                                                          "campaign"]
    shown = table(["flag", "x"], [[value, "1"]], room=14).splitlines()
    assert max(map(width, shown)) <= 14 and shown[2].endswith("1")


def test_ids_stay_whole_before_text_is_narrowed(monkeypatch):
    rows = [["TS-2027-000001", "收到的杯子有裂纹，而且外包装也破损了，要求退货退款"]]
    lines = table(["单号", "摘要"], rows, room=30).splitlines()
    assert "TS-2027-000001" in lines[2] and max(map(width, lines)) <= 30


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1))
def test_widths_are_wcwidths(value):
    from wcwidth import wcswidth

    assert width(value) == wcswidth(value)
