"""`--limit N` / `--all` for the commands whose tables can run to a million rows, and the
writing of long output as it is made (a chunk of lines at a time)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

TABLE_LIMIT = 50  # rows a table shows unless --limit or --all says otherwise


def paging_options(fn: Any) -> Any:
    """--limit and --all; the command gets `limit`: None for everything."""
    fn = click.option("--all", "all_rows", is_flag=True,
                      help="Show every row in the table / 表格显示全部.")(fn)
    return click.option("--limit", "-n", type=click.IntRange(min=1), default=None,
                        metavar="N",
                        help=f"Show at most N rows (tables default: {TABLE_LIMIT}) / "
                             f"最多显示 N 行（表格默认 {TABLE_LIMIT}）.")(fn)


def row_limit(limit: int | None, all_rows: bool, fmt: str, lang: str) -> int | None:
    """How many rows to show: --limit's, none with --all or as JSON, else TABLE_LIMIT."""
    if limit is not None and all_rows:
        from planner.core.i18n import t

        raise click.UsageError(t("error.limit-and-all", lang))
    if limit is not None:
        return limit
    return None if all_rows or fmt == "json" else TABLE_LIMIT


def echo_chunks(pieces: Iterable[str], *, lines: bool = True, size: int = 1000,
                color: bool | None = None) -> None:
    """Echo `pieces` (lines, else bits of text) as they come, `size` of them at a time."""
    batch: list[str] = []
    joiner = "\n" if lines else ""
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= size:
            click.echo(joiner.join(batch), nl=lines, color=color)
            batch = []
    if batch:
        click.echo(joiner.join(batch), nl=lines, color=color)
