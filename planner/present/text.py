"""The shapes every presentation shares: JSON, aligned tables, Markdown, terminal colours.

Tables are drawn by tabulate in its "simple" format (headers, a rule of dashes, one line
per row, columns two spaces apart, trailing spaces stripped), a chunk of `CHUNK` rows at
a time: the column widths are worked out once, here, from the headers and the first chunk
(every row of a table of the usual size) and fitted to the terminal (`COLUMNS`, else the
width of the terminal the output goes to); every cell is then wrapped and padded to its
column's width here, and each chunk goes to tabulate's formatter (`_format_table`, the
step after its measuring; the first chunk in "simple", under the headers, the later ones
in "plain", the same rows without them) with those widths. So a table of a million rows
neither waits for its last row nor holds them all, its columns line up from chunk to
chunk, and tabulate's own pass over every cell (guessing numbers, measuring widths,
padding), most of its time, is never made (through `tabulate()` itself, `complaint list
--all` of 100,000 rows took four times as long): every cell is shown as given. Chinese
characters count as two columns (wcwidth), colour codes as none, and long text wraps
inside its column at a space or between two Chinese characters, never leaving one
character alone on a line nor starting a line with closing punctuation (`wrap`; tabulate
never wraps). tabulate is imported by the first table drawn, not before.

Values come from other people (a summary pasted from a chat, a roster sent over): every cell
is cut to `TABLE_CELL_CHARS` characters and "…" (so a table stays quick and readable however
long a value; the card of `complaint show` keeps any text up to `CARD_CELL_CHARS`) and goes
through `printable`, so no control character or bidi override in it reaches the terminal.
Only `Markup`, text this program composed with its own colours, is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from planner.core.errors import Msg
from planner.core.limits import CARD_CELL_CHARS, TABLE_CELL_CHARS
from planner.core.terminal import BIDI_CONTROLS, printable


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# json.dumps escapes C0 controls; DEL, C1 controls, the line separators and the bidi controls
# it leaves raw: as \u escapes they are the same JSON value and act on no terminal.
_JSON_RAW = re.compile(f"[\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")


def to_json(data: Any) -> str:
    dumped = json.dumps(data, ensure_ascii=False, indent=2, default=_default)
    if _JSON_RAW.search(dumped):  # only inside strings: JSON's own syntax is plain ASCII
        dumped = _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", dumped)
    return dumped


def json_array(items: Iterable[Any]) -> Iterator[str]:
    """The text of `to_json(list(items))` (and a newline), in pieces made as items come."""
    first = True
    for item in items:
        yield ("[\n  " if first else ",\n  ") + to_json(item).replace("\n", "\n  ")
        first = False
    yield "[]\n" if first else "\n]\n"


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Markup(str):
    """Text this program composed for the terminal (our colour codes around our words): a
    table shows it as it is, where any other value is cut and escaped."""


def shown(value: Any) -> str:
    """A value from data as one harmless line of terminal text (for headings and notes;
    table cells get this on their own)."""
    return printable(text(value), one_line=True)


def shop_name(shop: str | None, lang: str) -> str:
    """The shop's name for a title (`shown`), or the words for a shop without one."""
    from planner.core.i18n import t

    return shown(shop) if shop else t("plan.no-shop-name", lang)


def say(key: str, lang: str, /, **params: Any) -> str:
    """The message `key` with every value from data `shown`."""
    from planner.core.i18n import t

    return t(key, lang, **{name: value if isinstance(value, int | float | Msg) else shown(value)
                           for name, value in params.items()})  # a Msg: our words, a count


# --- display width ---------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ANSI_SPLIT = re.compile(r"(\x1b\[[0-9;]*m)")
RESET = "\x1b[0m"


def width(value: str) -> int:
    """How many terminal columns `value` takes (colour codes take none)."""
    if value.isascii():
        if "\x1b" in value:
            value = _ANSI.sub("", value)
        return len(value)
    return _wide_width(value)


@lru_cache(maxsize=4096)  # names, levels, dates and statuses come back row after row
def _wide_width(value: str) -> int:
    if "\x1b" in value:
        value = _ANSI.sub("", value)
    if "\u200d" in value or "\ufe0f" in value:  # joined emoji: wcwidth reads the sequence
        from wcwidth import wcswidth

        shown = wcswidth(value)
        if shown >= 0:
            return shown
    return sum(map(_char_width, value))  # each character's width, looked up once


def _char_width(char: str) -> int:
    if char < "\u0300":  # before the combining marks: one column each
        return 1
    return _wide_char_width(char)


@lru_cache(maxsize=8192)
def _wide_char_width(char: str) -> int:
    from wcwidth import wcwidth

    return max(wcwidth(char), 0)


def terminal_width() -> int | None:
    """`COLUMNS`, else the width of the terminal standard output goes to; None for a file
    or a pipe."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if sys.stdout.isatty():
            return os.get_terminal_size(sys.stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


# --- wrapping --------------------------------------------------------------------------

# Never at the start of a line (closing marks, pauses, stops) nor at the end (opening ones).
NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉”’…—～%,.;:!?)]}>'\"·・ー")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{<")


def _atoms(line: str) -> list[tuple[str, bool]]:
    """`line` cut where it may break: (piece, a space before it). A run of letters or digits
    is one piece, a Chinese character is one; punctuation sticks to its neighbour."""
    atoms: list[tuple[str, bool]] = []
    space = False
    word = ""
    glue_next = False

    def push(piece: str) -> None:
        nonlocal space, glue_next
        if atoms and not space and (glue_next or piece[0] in NO_LINE_START):
            atoms[-1] = (atoms[-1][0] + piece, atoms[-1][1])
        else:
            atoms.append((piece, space))
        glue_next = piece[-1] in NO_LINE_END
        space = False

    for char in line:
        if char == " ":
            if word:
                push(word)
                word = ""
            if atoms:
                space = True
            continue
        if _char_width(char) == 2 or char in NO_LINE_START or char in NO_LINE_END:
            if word:
                push(word)
                word = ""
            push(char)
        else:
            word += char
            if char == "/":  # "supervisor/manager" may break after the slash
                push(word)
                word = ""
    if word:
        push(word)
    return atoms


def _split_wide(piece: str, limit: int) -> list[str]:
    """A piece wider than `limit` cut by character, the last part at least two characters."""
    parts, current, used = [], "", 0
    for char in piece:
        size = _char_width(char)
        if current and used + size > limit:
            parts.append(current)
            current, used = "", 0
        current += char
        used += size
    parts.append(current)
    if len(parts) > 1 and len(parts[-1]) == 1 and len(parts[-2]) > 2:
        parts[-1] = parts[-2][-1] + parts[-1]
        parts[-2] = parts[-2][:-1]
    return parts


def wrap(value: str, limit: int) -> list[str]:
    """`value` in lines at most `limit` columns wide (a line of the text stays a line)."""
    lines: list[str] = []
    for line in value.split("\n"):
        if width(line) <= limit:
            lines.append(line)
            continue
        if _ANSI.search(line):  # only colour codes: any other escape would never shrink
            lines += _wrap_styled(line, limit)
            continue
        wrapped: list[list[tuple[str, bool]]] = [[]]
        used = 0
        for piece, spaced in _atoms(line):
            size = width(piece)
            gap = 1 if spaced and wrapped[-1] else 0
            if wrapped[-1] and used + gap + size <= limit:
                wrapped[-1].append((piece, spaced))
                used += gap + size
                continue
            if size > limit:
                parts = _split_wide(piece, limit)
                if wrapped[-1] and used + gap + width(parts[0]) <= limit:
                    wrapped[-1].append((parts.pop(0), spaced))
                for part in parts:
                    if wrapped[-1]:
                        wrapped.append([])
                    wrapped[-1].append((part, False))
                used = width(wrapped[-1][-1][0])
                continue
            if wrapped[-1]:
                wrapped.append([])
            wrapped[-1].append((piece, False))
            used = size
        _no_orphan(wrapped, limit)
        lines += ["".join((" " if spaced and n else "") + piece
                          for n, (piece, spaced) in enumerate(atoms)) for atoms in wrapped]
    return lines


def _wrap_styled(line: str, limit: int) -> list[str]:
    """A line with colour codes wrapped as its text is, each line in the colours its
    characters had (and reset at its end)."""
    styles: list[str] = []  # the codes in effect for each character but spaces
    current = ""
    for part in _ANSI_SPLIT.split(line):
        if _ANSI.fullmatch(part):
            current = "" if part == RESET else current + part
        else:
            styles += [current] * (len(part) - part.count(" "))
    shown, index = [], 0
    for plain in wrap(_ANSI.sub("", line), limit):
        out, active = [], ""
        for char in plain:
            if char != " ":
                wanted = styles[index] if index < len(styles) else ""
                index += 1
                if wanted != active:
                    out.append((RESET if active else "") + wanted)
                    active = wanted
            out.append(char)
        shown.append("".join(out) + (RESET if active else ""))
    return shown


def _no_orphan(wrapped: list[list[tuple[str, bool]]], limit: int) -> None:
    """A last line of one character takes the previous line's last piece with it."""
    if len(wrapped) < 2 or len(wrapped[-1]) != 1 or len(wrapped[-1][0][0]) != 1:
        return
    previous = wrapped[-2]
    if len(previous) < 2:
        return
    piece, _ = previous[-1]
    last = wrapped[-1][0]
    if width(piece) + (1 if last[1] else 0) + width(last[0]) <= limit:
        previous.pop()
        wrapped[-1] = [(piece, False), last]


# --- tables ----------------------------------------------------------------------------

CHUNK = 1000  # rows laid out at a time; the widths come from the headers and the first
WORD_FLOOR = 20  # to fit the terminal, columns narrow first down to their longest word (up
MIN_WRAP = 4  # to this), then down to this or their header
GAP = "  "  # between columns, in tabulate's "simple" and "plain" formats


def _cell(value: Any, cut: int = CARD_CELL_CHARS) -> str:
    """A value as a table shows it: `Markup` as it is; anything else cut to `cut`
    characters and "…", then escaped onto one line."""
    if value.__class__ is str:  # most cells: a million of them in a long list
        shown_text = value.strip()
    elif isinstance(value, Markup):
        return value.strip()
    else:
        shown_text = text(value).strip()
    if len(shown_text) > cut:
        shown_text = shown_text[:cut].rstrip() + "…"
    # isprintable() (in C) is False for every character printable() escapes, and for few else
    return shown_text if shown_text.isprintable() else printable(shown_text, one_line=True)


def _fit(widths: list[int], heads: list[str], rows: list[list[str]], room: int | None
         ) -> list[int]:
    """Narrow the widest columns until the table fits `room` columns, in steps: drop the
    headers' padding; then none below its longest word (a header's too: headers wrap);
    then the columns of text down to `MIN_WRAP`, keeping those of one word a cell (numbers,
    ids) whole; then any."""
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - (room or 0)
    if room is None or excess <= 0:
        return widths
    count = len(widths)
    cells, words = [0] * count, [0] * count
    for row in rows:
        for n, value in enumerate(row):
            size = width(value) if "\n" not in value else max(map(width, value.split("\n")))
            if size > cells[n]:
                cells[n] = size
                words[n] = max([words[n], *(width(piece) for piece, _ in
                                            _atoms(value.replace("\n", " ")))])
    head_words = [max([0, *(width(piece) for piece, _ in _atoms(head))]) for head in heads]
    unpadded = [min(size, max(cell, width(head)))
                for size, cell, head in zip(widths, cells, heads, strict=True)]
    by_word = [min(size, max(head, min(word, WORD_FLOOR)))
               for size, head, word in zip(widths, head_words, words, strict=True)]
    least = [min(size, max(head, MIN_WRAP)) for size, head in zip(widths, head_words,
                                                                  strict=True)]
    text_only = [low if word < cell else floor
                 for low, word, cell, floor in zip(least, words, cells, by_word, strict=True)]
    widths = list(widths)
    for floors in (unpadded, by_word, text_only, least):
        while excess > 0:
            shrinkable = [n for n, size in enumerate(widths) if size > floors[n]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda n: widths[n])
            widths[widest] -= 1
            excess -= 1
    return widths


def table_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]],
                max_widths: Sequence[int | None] | None = None, *,
                room: int | None = None, cut: int = TABLE_CELL_CHARS) -> Iterator[str]:
    """The lines of a table, a chunk of rows at a time; nothing for no rows. `max_widths`
    caps columns (None: as wide as its text); `room` is the width to fit (default: the
    terminal's); `cut` the characters a cell shows (`CARD_CELL_CHARS` for a card of one
    record)."""
    rows = iter(rows)
    first = [[_cell(value, cut) for value in row] for row in islice(rows, CHUNK)]
    if not first:
        return
    heads = [_cell(head) for head in headers]
    widths = _widths(heads, first, max_widths,
                     room if room is not None else terminal_width())
    yield from _drawn(first, widths, heads)
    while chunk := [[_cell(value, cut) for value in row] for row in islice(rows, CHUNK)]:
        yield from _drawn(chunk, widths)


def _widths(heads: list[str], rows: list[list[str]], max_widths: Sequence[int | None] | None,
            room: int | None) -> list[int]:
    """Each column's width: its widest cell or its header and tabulate's padding of two,
    capped by `max_widths` (never below the padded header), then `_fit` to `room`."""
    head_widths = [width(head) for head in heads]
    widths = [size + 2 for size in head_widths]
    for row in rows:
        for n, value in enumerate(row):
            size = width(value) if "\n" not in value else max(map(width, value.split("\n")))
            if size > widths[n]:
                widths[n] = size
    caps = list(max_widths or ()) + [None] * (len(heads) - len(max_widths or ()))
    widths = [max(min(size, cap), head + 2) if cap else size
              for size, cap, head in zip(widths, caps, head_widths, strict=True)]
    return _fit(widths, heads, rows, room)


def _drawn(rows: list[list[str]], widths: list[int], heads: list[str] | None = None
           ) -> Iterator[str]:
    """`rows` drawn by tabulate's formatter in the given widths: under `heads` and a rule in
    its "simple" format, else in its "plain" one (the same rows, without them). The cells
    come laid out, so tabulate's own pass over them (the type of every cell, its width,
    its padding: most of its time) is not needed: its formatter is handed them directly."""
    from tabulate import _format_table, _table_formats

    cells = [_laid_out_row(row, widths) for row in rows]
    header = _laid_out_row(heads, widths) if heads else []
    multiline = "\n" in "".join(chain.from_iterable((header, *cells)))
    drawn = _format_table(_table_formats["simple" if heads else "plain"], header, cells,
                          widths, [None] * len(widths), multiline, [None] * len(cells))
    yield from drawn.split("\n")


def _laid_out_row(row: list[str], widths: list[int]) -> list[str]:
    """A row's cells as tabulate gets them: each padded to its column's width, or wrapped
    to it (`_wrapped`), so that tabulate neither wraps nor pads them and a column is as
    wide in every chunk."""
    return [value + " " * (size - shown) if (shown := width(value)) <= size
            and "\n" not in value else _wrapped(value, size)
            for value, size in zip(row, widths, strict=False)]


def _wrapped(value: str, size: int) -> str:
    return "\n".join(line + " " * (size - width(line)) for line in wrap(value, size))


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]],
          max_widths: Sequence[int | None] | None = None, *, room: int | None = None,
          cut: int = TABLE_CELL_CHARS) -> str:
    """A whole table as text ("" for no rows); see `table_lines`."""
    return "\n".join(table_lines(headers, rows, max_widths, room=room, cut=cut))


_COLOURS = {"red": 31, "yellow": 33}


def style(value: str, fg: str | None = None, bold: bool = False) -> Markup:
    """`value` (our words, or text already made safe) in colour for a terminal (the CLI
    strips colours where there is none)."""
    codes = ([f"\x1b[{_COLOURS[fg]}m"] if fg else []) + (["\x1b[1m"] if bold else [])
    return Markup("".join(codes) + value + "\x1b[0m" if codes else value)


def md_escape(value: Any) -> str:
    """A value for a Markdown line or table cell: one line, no control character."""
    return printable(text(value).replace("|", "\\|").replace("\n", " "), one_line=True)


def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


BAR_WIDTH = 20


def progress_bar(done: int, total: int, count_width: int = 0) -> str:
    """A bar, `done/total` (right-aligned in `count_width` columns) and the percentage."""
    filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
    percent = round(100 * done / total) if total else 100
    counts = f"{done}/{total}"
    return f"{'█' * filled}{'░' * (BAR_WIDTH - filled)} {counts:>{count_width}} {percent:3d}%"


def progress_bars(counts: Iterable[tuple[int, int]]) -> list[str]:
    """Bars for (done, total) pairs whose percentages line up under each other."""
    counts = list(counts)
    widest = max((len(f"{done}/{total}") for done, total in counts), default=0)
    return [progress_bar(done, total, widest) for done, total in counts]
