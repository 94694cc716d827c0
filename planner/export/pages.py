"""Where printed pages end: the rows of each page, the column bands of a sheet wider than one.

Every page end is given to the spreadsheet as a manual break, so that no program breaks a page
where it would strand a heading or leave one row alone on the last page. The pages are filled
a little less than full (`PAGE_FILL`, less `PAGE_SAFETY`): Excel, WPS and LibreOffice place
rows a little differently (Excel rounds every row to whole pixels), and a page that overflows
in one of them would get a break of its own as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

PAGE_FILL = 0.985  # of a page's height
PAGE_SAFETY = 6.0  # points of a page left unused besides


def page_breaks(heights: dict[int, float], keep: dict[int, bool], *, start: int, used: float,
                repeated: float, page: float) -> list[int]:
    """The rows after which a page ends, so that no row is cut and a row marked `keep` is
    on the page of the row after it (a heading with its first row). Every page end is given,
    so that no program breaks a page where it would strand a heading."""
    capacity = page * PAGE_FILL - PAGE_SAFETY
    rows = sorted(row for row in heights if row >= start)
    breaks = []
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and keep.get(rows[j]) and rows[j + 1] == rows[j] + 1:
            j += 1
        group = sum(heights[rows[k]] for k in range(i, j + 1))
        if used + group > capacity and used > repeated:
            breaks.append(rows[i] - 1)
            used = repeated
        for k in range(i, j + 1):
            height = heights[rows[k]]
            if used + height > capacity and used > repeated:
                breaks.append(rows[k] - 1)
                used = repeated
            used += height
        i = j + 1
    return breaks


def column_bands(points: Sequence[float], *, repeated: float, page: float) -> list[int]:
    """The columns (1-based, counted after the repeated ones) after which a page ends, for
    columns `points` wide printed beside `repeated` points of repeated columns on pages
    `page` points wide: as few bands as fit, each about as wide as the others, so that the
    last page across holds as many days as the first, not the three left over."""
    room = page - repeated
    if not points or sum(points) <= room:
        return []
    bands = 1
    while True:
        bands += 1
        cuts = _even_cuts(points, bands)
        edges = [0, *cuts, len(points)]
        if all(sum(points[a:b]) <= room for a, b in pairwise(edges)):
            return cuts
        if bands >= len(points):
            return cuts


def _even_cuts(points: Sequence[float], bands: int) -> list[int]:
    """Where to cut `points` into `bands` runs of about equal width."""
    total = sum(points)
    cuts, run = [], 0.0
    for i, width in enumerate(points[:-1], 1):
        run += width
        if len(cuts) < bands - 1 and run >= total * (len(cuts) + 1) / bands - width / 2:
            cuts.append(i)
    return cuts
