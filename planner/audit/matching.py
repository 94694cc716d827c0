"""Finding the terms in a text: one Aho–Corasick automaton (leftmost-longest) holding every
term and every allowed phrase, so that an allowed phrase shadows the terms inside it; a few
regular expressions for the claims a phrase cannot spell (NO.1, 100%有效)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from planner.audit.terms import Term, TermList


class Matcher:
    """Built once per run from a term list."""

    def __init__(self, terms: TermList) -> None:
        import ahocorasick_rs

        # phrase -> its term, None for an allowed phrase; the first term of a text wins
        # (a shop's own comes first), an allowed phrase always does
        phrases: dict[str, Term | None] = {}
        for term in terms.terms:
            phrases.setdefault(term.term, term)
        for phrase in terms.allow:
            phrases[phrase] = None
        self._found = list(phrases.values())
        self._automaton = ahocorasick_rs.AhoCorasick(
            list(phrases), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        self._has_allowed = bool(terms.allow)
        self._patterns = [(re.compile(pattern, re.IGNORECASE), term)
                          for pattern, term in terms.patterns]

    def find(self, text: str) -> Iterator[tuple[Term, int, int]]:
        """(term, start, end) of each finding in `text`, by character offsets."""
        allowed: list[tuple[int, int]] = []
        for index, start, end in self._automaton.find_matches_as_indexes(text):
            term = self._found[index]
            if term is None:
                allowed.append((start, end))
            else:
                yield term, start, end
        for pattern, term in self._patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if not any(a <= start and end <= b for a, b in allowed):
                    yield term, start, end
