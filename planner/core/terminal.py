"""User text made harmless for a terminal.

A summary, a note, a buyer's or a shop's name comes from other people (a chat log pasted in,
a spreadsheet sent over). Printed raw, an ``ESC ] 0 ; … BEL`` retitles the window and an
``ESC [ 2 J`` clears it; a bidi override (U+202E) shows text reversed. Every such character
is shown as its escape (``\\x1b``, ``\\u202e``) instead, so the reader sees what is there and
nothing acts on it. Line breaks and tabs are layout and stay, unless the caller wants one
line.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, C1 controls; the bidi embeddings, overrides and
# isolates, and the Arabic letter mark; the line and paragraph separators (they break a line
# where a terminal does not expect it).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_BREAK = re.compile(f"{_UNSAFE.pattern[:-1]}\t\n]")
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every control character (and, with `one_line`, every tab and line break)
    shown as its escape."""
    pattern = _UNSAFE_OR_BREAK if one_line else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text
