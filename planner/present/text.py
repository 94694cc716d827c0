"""The shapes every presentation shares: JSON, aligned tables, Markdown, terminal colours.

tabulate is imported only when a table is drawn; with wcwidth installed it counts Chinese
characters as two columns, which keeps tables aligned.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]],
          max_widths: Sequence[int | None] | None = None) -> str:
    from tabulate import tabulate

    rows = [[text(cell) for cell in row] for row in rows]
    if not rows:
        return ""
    return tabulate(rows, headers=list(headers), tablefmt="simple",
                    maxcolwidths=list(max_widths) if max_widths else None,
                    disable_numparse=True)


_COLOURS = {"red": 31, "yellow": 33}


def style(value: str, fg: str | None = None, bold: bool = False) -> str:
    """`value` in colour for a terminal (the CLI strips colours where there is none)."""
    codes = ([f"\x1b[{_COLOURS[fg]}m"] if fg else []) + (["\x1b[1m"] if bold else [])
    return "".join(codes) + value + "\x1b[0m" if codes else value


def md_escape(value: Any) -> str:
    return text(value).replace("|", "\\|").replace("\n", " ")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


BAR_WIDTH = 20


def progress_bar(done: int, total: int) -> str:
    filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
    percent = round(100 * done / total) if total else 100
    return f"{'█' * filled}{'░' * (BAR_WIDTH - filled)} {done}/{total} {percent:3d}%"


