"""Finding the terms in a text: one Aho–Corasick automaton (leftmost-longest) holding every
term and every allowed phrase, so that an allowed phrase shadows the terms inside it; a few
regular expressions for the claims a phrase cannot spell (NO.1, 100%有效).

The automaton runs over the text's UTF-8 bytes: ahocorasick-rs matches bytes about ten times
faster than it matches a Python str (it need not map every offset back to characters), and
a match found in whole characters' bytes is the same match. Only the few matches found are
turned back into character offsets.
"""

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
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            [phrase.encode() for phrase in phrases],
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA)
        self._patterns = [(re.compile(pattern, re.IGNORECASE), tuple(hints), term)
                          for pattern, hints, term in terms.patterns]
        self._hints = {hint for _pattern, hints, _term in self._patterns for hint in hints}

    def find(self, text: str) -> Iterator[tuple[Term, int, int]]:
        """(term, start, end) of each finding in `text`, by character offsets."""
        data = text.encode()
        allowed: list[tuple[int, int]] = []
        for index, start, end in self._automaton.find_matches_as_indexes(data):
            term = self._found[index]
            first = len(data[:start].decode())
            last = first + len(data[start:end].decode())
            if term is None:
                allowed.append((first, last))
            else:
                yield term, first, last
        present = {hint for hint in self._hints if hint in text}
        for pattern, hints, term in self._patterns:
            if present.isdisjoint(hints):
                continue  # a pattern costs more than looking for its hints
            for match in pattern.finditer(text):
                start, end = match.span()
                if not any(a <= start and end <= b for a, b in allowed):
                    yield term, start, end
