"""`audit copy`: titles, subtitles and detail pages against the term list."""

from __future__ import annotations

import re
from collections.abc import Callable

from planner.audit.matching import Matcher
from planner.audit.reading import Need, Table
from planner.audit.records import AuditResult, Finding
from planner.core.cells import cell_text

NEED = Need(all=(), any=("title", "subtitle", "description"))
FIELDS = ("title", "subtitle", "description")
CONTEXT_CHARS = 15  # shown on either side of a term
MARK = ("【", "】")
_TAG = re.compile(r"<[^>]*>")  # 淘宝助理's descriptions are HTML: tags hold no copy
_SPACE = re.compile(r"\s+")


def marked(text: str, start: int, end: int, chars: int = CONTEXT_CHARS
           ) -> tuple[str, tuple[int, int]]:
    """The text around `text[start:end]` on one line, the term between 【】, and where the
    marked term is in it."""
    before = ("…" if start > chars else "") + text[max(0, start - chars):start]
    term = MARK[0] + text[start:end] + MARK[1]
    after = text[end:end + chars] + ("…" if end + chars < len(text) else "")
    before, term, after = (_SPACE.sub(" ", part) for part in (before, term, after))
    return before + term + after, (len(before), len(before) + len(term))


def item_of(values: dict) -> str | None:
    return cell_text(values.get("item_id")) or cell_text(values.get("outer_id")) or None


def audit_copy(table: Table, matcher: Matcher, lang: str,
               tick: Callable[[int], None] | None = None) -> AuditResult:
    """Every term found in every copy field, once per field of a row (its first place)."""
    result = AuditResult("copy", table.file)
    fields = [name for name in FIELDS if name in table.columns]
    for number, values in table.rows:
        result.rows += 1
        if tick is not None:
            tick(1)
        item, sku = item_of(values), cell_text(values.get("sku")) or None
        for name in fields:
            value = values[name]
            # a text cell is searched as it is: trimming 500 characters costs more than the
            # search, and spaces around it change no finding
            text = value if type(value) is str else cell_text(value)
            if not text:
                continue
            if "<" in text:
                text = _TAG.sub(" ", text)
            seen = set()
            for term, start, end in matcher.find(text):
                if term.term in seen:
                    continue
                seen.add(term.term)
                context, mark = marked(text, start, end)
                result.findings.append(Finding(
                    term.severity, term.category, text[start:end], context, term.basis[lang],
                    term.suggestion[lang], number, item, sku, name, mark))
    return result
