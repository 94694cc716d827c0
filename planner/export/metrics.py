"""How much room text takes in a spreadsheet, in the metrics of the fonts it is shown in.

Cells are set in Calibri 11 (LibreOffice shows Carlito, which has the same metrics); Chinese
characters fall back to the CJK font of the machine (等线, 微软雅黑 or 宋体 in a Chinese Excel
or WPS, Noto Sans CJK on Linux), all of them one em wide. Column widths are counted in the
width of Calibri 11's digits, 7 pixels at 96 dpi, as Excel counts them.

`column_width` says how wide a column must be to show a text on one line, `wrapped_lines`
how many lines a text takes wrapped in a column, `line_height` how tall those lines are.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FONT_SIZE = 11.0
DIGIT_PX = 7  # Calibri 11's digit width at 96 dpi: one unit of column width
PADDING_PX = 9  # the cell's margins and grid line, and a little to spare
PX_PER_PT = 96 / 72
SAFETY = 1.04  # programs round glyph positions differently: a text measured exactly may not fit

# Advance widths of Carlito (= Calibri), in thousandths of an em, of the printable ASCII
# characters from ' ' to '~', regular then bold (read from Carlito 1.103's hmtx table).
_ASCII = {
    False: (226, 325, 400, 498, 506, 714, 682, 220, 303, 303, 498, 498, 249, 306, 252, 386,
            506, 506, 506, 506, 506, 506, 506, 506, 506, 506, 267, 267, 498, 498, 498, 463,
            894, 578, 543, 533, 615, 488, 459, 630, 623, 251, 318, 519, 420, 854, 645, 662,
            516, 672, 542, 459, 487, 641, 567, 889, 519, 487, 468, 306, 386, 306, 498, 498,
            291, 479, 525, 422, 525, 497, 305, 470, 525, 229, 239, 454, 229, 798, 525, 527,
            525, 525, 348, 391, 334, 525, 451, 714, 433, 452, 395, 314, 460, 314, 498),
    True: (226, 325, 438, 498, 506, 729, 704, 233, 311, 311, 498, 498, 257, 306, 267, 429,
           506, 506, 506, 506, 506, 506, 506, 506, 506, 506, 275, 275, 498, 498, 498, 463,
           898, 605, 560, 529, 630, 487, 458, 637, 630, 266, 331, 546, 422, 874, 658, 676,
           532, 686, 562, 472, 495, 652, 591, 906, 550, 519, 478, 324, 429, 324, 498, 498,
           300, 493, 536, 418, 536, 503, 316, 474, 536, 245, 255, 479, 245, 813, 536, 537,
           536, 536, 355, 398, 346, 536, 473, 745, 459, 473, 397, 343, 475, 343, 498),
}
_OTHER = {"·": 252, "…": 690, "—": 905, "–": 498, "×": 498, "°": 338, "‘": 249, "’": 249,
          "“": 418, "”": 418, "é": 497, "ü": 525}
_WIDE_EM = 1000


@lru_cache(maxsize=4096)
def _char_width(char: str, bold: bool) -> int:
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII[bold][code - 32]
    if char in _OTHER:
        return _OTHER[char]
    if unicodedata.east_asian_width(char) in "WFA" or code >= 0x2000:
        return _WIDE_EM  # CJK, full-width forms and symbols (◆ ✓) from a fallback font
    if unicodedata.combining(char):
        return 0
    return 560  # other Latin letters: about an average Calibri letter


def is_wide(char: str) -> bool:
    return ord(char) > 0x1100 and unicodedata.east_asian_width(char) in "WF"


def text_points(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The width in points of the widest line of `text`."""
    return max(sum(_char_width(c, bold) for c in line) for line in text.split("\n")) \
        * size / 1000


def column_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The column width (Excel's unit) that shows every line of `text` without wrapping."""
    pixels = text_points(text, size, bold) * PX_PER_PT * SAFETY
    return round((pixels + PADDING_PX) / DIGIT_PX + 0.05, 1)


# LibreOffice lays a column of `width` units out LO_UNIT_PT * width points wide (measured:
# 55.5 pt at 10, 166.5 at 30; Excel's 7 px per unit is 5.25 pt) and wraps its text within
# about 3.5 pt less (15 Chinese characters, 165 pt, fit from 30.4 units on, not at 30.2).
LO_UNIT_PT = 5.55
LO_PADDING_PT = 4.0
LO_SAFETY = 1.01
# The width of a page is judged by LibreOffice's columns, the wider (Carlito 11's digit is
# 0.506 em).
PRINT_DIGIT_PT = 0.506 * FONT_SIZE


def column_points(width: float) -> float:
    """How wide a column of `width` units prints, in points (at most: LibreOffice's)."""
    return width * LO_UNIT_PT * 1.005


def display_width(text: str) -> int:
    """Columns `text` needs on a terminal: wide (Chinese) characters count double."""
    return max(sum(2 if is_wide(c) else 1 for c in line) for line in text.split("\n"))


# Words: a run of non-space characters that are not wide (Latin words, numbers, phone
# numbers) with the spaces after it; a wide character or a run of spaces on its own.
_TOKENS = re.compile(r"[^\s\u1100-\uffff]+[ \t]*|[ \t]+|.")
# Characters a line may not start with: spreadsheets (like Chinese typesetting) keep them
# at the end of the line before, which may then run past the width.
_NO_START = frozenset("，。、；：？！）》」』】〉”’%,.;:?!)]}")


def usable_points(width: float, *, office: bool = False) -> float:
    """Points of text a line of a column `width` units wide holds: in Excel and WPS (the
    narrower, and the one with the most rounding), or in LibreOffice (`office`)."""
    if office:
        return max(width * LO_UNIT_PT - LO_PADDING_PT, 1.0) / LO_SAFETY
    return max((width * DIGIT_PX - PADDING_PX) / PX_PER_PT, 1.0) / SAFETY


def wrapped_lines(text: str, width: float, size: float = FONT_SIZE,
                  bold: bool = False, *, office: bool = False) -> int:
    """How many lines `text` takes when wrapped in a column `width` units wide, in Excel
    (or WPS), or in LibreOffice (`office`: its columns are wider, so it may take fewer).

    Words break at spaces and Chinese text between any two characters, as spreadsheets
    do; a word longer than the column is cut over several lines.
    """
    usable = usable_points(width, office=office) * 1000 / size
    count = 0
    for line in str(text).split("\n"):
        lines, used = 1, 0.0
        for token in _TOKENS.findall(line):
            word = token.rstrip(" \t")
            size_word = sum(_char_width(c, bold) for c in word)
            space = sum(_char_width(c, bold) for c in token[len(word):])
            if used and used + size_word > usable and not (word and word[0] in _NO_START):
                lines, used = lines + 1, 0.0
            while size_word > usable:  # cut over several lines
                lines += 1
                size_word -= usable
            used += size_word + space
        count += lines
    return count




def has_wide(text: str) -> bool:
    return any(is_wide(c) for c in text)


# Line spacing of the fonts, in ems. Excel and WPS: Calibri 1.22 and the CJK fonts they fall
# back to at most 1.32 (微软雅黑; 等线 1.3, 宋体 less), each line rounded up to whole pixels
# at 96 dpi (18 px, 20 px at 11 pt): 1.25 and 1.37. LibreOffice spaces a cell's lines by the
# font's ascent and descent, without its line gap (measured at 11 pt: a line of Latin text
# every 11.1 pt in Carlito, of Chinese text every 16.0 pt in Noto Sans CJK): 1.01 and 1.455.
# So a row tall enough for Excel's lines of Latin text leaves a fifth of it blank there.
LATIN_LINE = 1.25
CJK_LINE = 1.46  # the taller of the two: the height of rows of one line
EXCEL_CJK_LINE = 1.37
OFFICE_LATIN_LINE = 1.02
OFFICE_CJK_LINE = 1.455
ROW_PADDING = 3.0  # points above and below the text


def line_height(lines: int, size: float = FONT_SIZE, *, wide: bool = True,
                office: bool | None = None) -> float:
    """Points a row needs for `lines` lines of text at font `size` (`wide`: some of the text
    is Chinese, whose fallback fonts have taller lines): in Excel or WPS (`office` False), in
    LibreOffice (True), or in whichever has the taller lines (None)."""
    if office is None:
        em = CJK_LINE if wide else LATIN_LINE
    elif office:
        em = OFFICE_CJK_LINE if wide else OFFICE_LATIN_LINE
    else:
        em = EXCEL_CJK_LINE if wide else LATIN_LINE
    return round(lines * size * em + ROW_PADDING, 1)


@lru_cache(maxsize=8192)
def text_height(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Points `text` takes wrapped in a column `width` units wide, in Excel or WPS and in
    LibreOffice: the taller of the two. Excel's narrower column may wrap it over more lines
    (each a little lower); sizing the row for those lines in LibreOffice's taller line
    spacing would leave a blank line under the text there, so each program's lines are
    counted in its own spacing, and the row fits the one that needs more."""
    wide = has_wide(text)
    return max(line_height(wrapped_lines(text, width, size, bold), size, wide=wide,
                           office=False),
               line_height(wrapped_lines(text, width, size, bold, office=True), size,
                           wide=wide, office=True))
