"""How much room text takes in a spreadsheet: column widths and wrapped lines, measured in
the width of the digit '0' as spreadsheets measure columns (a Chinese character counts two)."""

from __future__ import annotations

import re
import unicodedata


def display_width(text: str) -> int:
    """Columns `text` needs on screen: wide (Chinese) characters count double."""
    widest = 0
    for line in text.split("\n"):
        width = 0
        for char in line:
            width += 2 if ord(char) > 0x1100 and unicodedata.east_asian_width(char) in "WF" else 1
        widest = max(widest, width)
    return widest


# Latin letters are narrower than the digit '0' that column widths are measured in.
_NARROW = 0.9


def _text_units(text: str) -> float:
    return sum(2.0 if ord(char) > 0x1100 and unicodedata.east_asian_width(char) in "WF"
               else _NARROW for char in text)


_TOKENS = re.compile(r"[^\s\u1100-\uffff]+\s*|\s+|.")


def rows_for_height(text: str, width: float) -> int:
    """How many lines `text` takes when wrapped in a column `width` wide.

    Words break at spaces, Chinese text between any two characters, as spreadsheets do.
    """
    usable = max(width - 1.5, 1.0)
    count = 0
    for line in text.split("\n"):
        lines, used = 1, 0.0
        for token in _TOKENS.findall(line):
            size = _text_units(token.rstrip()) if token.strip() else 0
            if used and used + size > usable:
                lines, used = lines + 1, 0.0
            if size > usable:  # a word longer than the column is cut over several lines
                lines += int(size // usable)
                size %= usable
            used += size + _NARROW * (len(token) - len(token.rstrip()))
        count += lines
    return count


def line_height(lines: int, size: float = 11) -> float:
    """Points a row needs for `lines` lines of text at font `size`."""
    return round(lines * size * 1.36 + 3, 1)
