"""The term list of `audit copy`: the shipped one (checklists/audit-terms.yaml), with a shop's
own terms and allowed phrases (audit-terms.yaml beside shop.yaml), checked like every other
data file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.audit.records import SEVERITIES
from planner.core.errors import Msg, PlannerError
from planner.core.i18n import bilingual
from planner.core.yamlio import check_choice, check_keys, line_of

SHIPPED_FILE = "audit-terms.yaml"
WORKSPACE_FILE = "audit-terms.yaml"
MAX_TERM_CHARS = 50
_TERM_KEYS = ("term", "category", "severity", "suggestion", "basis")
_PATTERN_KEYS = ("pattern", "hints", *_TERM_KEYS)


@dataclass(frozen=True)
class Term:
    term: str
    category: str
    severity: str
    basis: dict[str, str]  # {zh, en}
    suggestion: dict[str, str]


@dataclass(frozen=True)
class TermList:
    terms: list[Term]
    allow: list[str]
    # (regular expression, strings one of which every match holds, what it finds)
    patterns: list[tuple[str, list[str], Term]]
    categories: dict[str, dict[str, str]]  # id -> its name {zh, en}
    category_bases: dict[str, dict[str, str]]  # id -> the basis its terms cite by default


def load_terms(workspace: Path | None = None) -> TermList:
    """The shipped list, with the workspace's own terms and allowed phrases if it has any."""
    from planner.core.snapshot import load_shipped

    shipped = parse_shipped(load_shipped("planner.checklists", SHIPPED_FILE), SHIPPED_FILE)
    own = workspace / WORKSPACE_FILE if workspace is not None else None
    if own is None or not own.is_file():
        return shipped
    from planner.core.userfiles import load_yaml_file

    return add_shop_terms(shipped, load_yaml_file(own, workspace), str(own))


def parse_shipped(data: Any, name: str) -> TermList:
    check_keys(data, ("bases", "categories", "terms", "allow", "patterns"), file=name)
    bases = {key: bilingual(value, name, line_of(data["bases"], key), f"bases.{key}")
             for key, value in data["bases"].items()}
    categories, category_bases = {}, {}
    for key, entry in data["categories"].items():
        line = line_of(data["categories"], key)
        check_keys(entry, ("name", "basis"), file=name, field=f"categories.{key}", line=line)
        categories[key] = bilingual(entry.get("name"), name, line, f"categories.{key}.name")
        category_bases[key] = bases[check_choice(entry.get("basis"), bases, file=name,
                                                 line=line, field=f"categories.{key}.basis")]
    terms = [_term(entry, name, f"terms.{n}", category_bases, bases, _TERM_KEYS)
             for n, entry in enumerate(data["terms"])]
    patterns = []
    for n, entry in enumerate(data.get("patterns") or []):
        term = _term(entry, name, f"patterns.{n}", category_bases, bases, _PATTERN_KEYS)
        hints = entry.get("hints")
        if not isinstance(hints, list) or not hints or not all(
                isinstance(hint, str) and hint for hint in hints):
            raise PlannerError("error.wrong-type", file=name, line=line_of(entry, "hints"),
                               field=f"patterns.{n}.hints", expected=Msg("type.list"))
        patterns.append((entry["pattern"], hints, term))
    return TermList(terms, _phrases(data.get("allow"), name, data), patterns, categories,
                    category_bases)


def add_shop_terms(shipped: TermList, data: Any, name: str) -> TermList:
    """The shipped list with a shop's file: ``terms`` (term, category, severity, suggestion,
    optionally its own basis as {zh, en}) and ``allow`` (phrases). A shop's term comes first,
    so its category and suggestion win over a shipped term of the same text."""
    if data is None:
        return shipped
    if not isinstance(data, dict):
        raise PlannerError("error.wrong-type", file=name, expected=Msg("type.mapping"))
    check_keys(data, ("terms", "allow"), file=name)
    entries = data.get("terms") or []
    if not isinstance(entries, list):
        raise PlannerError("error.wrong-type", file=name, line=line_of(data, "terms"),
                           field="terms", expected=Msg("type.list"))
    own = [_term(entry, name, f"terms.{n}", shipped.category_bases, None, _TERM_KEYS,
                 line=line_of(data, "terms"))
           for n, entry in enumerate(entries)]
    return TermList(own + shipped.terms, _phrases(data.get("allow"), name, data) + shipped.allow,
                    shipped.patterns, shipped.categories, shipped.category_bases)


def _term(entry: Any, name: str, field: str, category_bases: dict[str, dict[str, str]],
          bases: dict[str, dict[str, str]] | None, keys: tuple[str, ...],
          line: int | None = None) -> Term:
    """One term entry, checked; `bases` None: a basis is written out as {zh, en}, not named."""
    if not isinstance(entry, dict):
        raise PlannerError("error.wrong-type", file=name, line=line, field=field,
                           expected=Msg("type.mapping"))
    line = line_of(entry, "term") or line
    check_keys(entry, keys, file=name, field=field, line=line)
    text = entry.get("pattern") if "pattern" in keys else None
    term = entry.get("term")
    if not isinstance(term, str) or not term.strip() or len(term) > MAX_TERM_CHARS:
        raise PlannerError("error.audit-term-text", file=name, line=line, field=f"{field}.term",
                           limit=MAX_TERM_CHARS)
    if text is not None:
        try:
            re.compile(text)
        except (re.error, TypeError):
            raise PlannerError("error.audit-term-pattern", file=name, line=line,
                               field=f"{field}.pattern") from None
    category = check_choice(entry.get("category"), category_bases, file=name, line=line,
                            field=f"{field}.category")
    severity = check_choice(entry.get("severity"), SEVERITIES, file=name, line=line,
                            field=f"{field}.severity")
    suggestion = bilingual(entry.get("suggestion"), name, line, f"{field}.suggestion")
    if "basis" not in entry:
        basis = category_bases[category]
    elif bases is not None:
        basis = bases[check_choice(entry["basis"], bases, file=name, line=line,
                                   field=f"{field}.basis")]
    else:
        basis = bilingual(entry["basis"], name, line, f"{field}.basis")
    return Term(term.strip(), category, severity, basis, suggestion)


def _phrases(value: Any, name: str, data: Any) -> list[str]:
    if value is None:
        return []
    line = line_of(data, "allow")
    if not isinstance(value, list) or not all(
            isinstance(text, str) and text.strip() and len(text) <= MAX_TERM_CHARS
            for text in value):
        raise PlannerError("error.audit-allow", file=name, line=line, field="allow",
                           limit=MAX_TERM_CHARS)
    return [text.strip() for text in value]
