"""Audit results in words: the documented JSON, a table grouped by severity, Markdown, and the
one-line summary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.audit.records import SEVERITIES, AuditResult, Finding
from planner.core.errors import counted
from planner.core.i18n import t
from planner.present.text import md_escape, md_table, style, table
from planner.storage.contract import HistoryEntry

_COLOURS = {"violation": "red", "risk": "yellow", "warning": None}


def result_data(result: AuditResult) -> dict[str, Any]:
    """The documented JSON of one audit."""
    return {"audit": result.audit, "file": result.file, "rows": result.rows,
            "bad_rows": [{"row": bad.row, "column": bad.column, "problem": bad.problem}
                         for bad in result.bad_rows],
            "findings": [finding_data(finding) for finding in ordered(result.findings)],
            "summary": result.summary}


def finding_data(finding: Finding) -> dict[str, Any]:
    return {"item_id": finding.item_id, "sku": finding.sku, "row": finding.row,
            "field": finding.field, "term": finding.term, "category": finding.category,
            "severity": finding.severity, "context": finding.context, "basis": finding.basis,
            "suggestion": finding.suggestion}


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then in the file's order (findings about missing rows last)."""
    rank = {severity: n for n, severity in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (rank[f.severity], f.row is None, f.row or 0))


def headers(lang: str) -> list[str]:
    return [t(f"audit.header.{key}", lang) for key in
            ("row", "item", "field", "term", "category", "context", "suggestion")]


def finding_row(finding: Finding, result: AuditResult, lang: str) -> list[Any]:
    where = finding.item_id or ""
    if finding.sku:
        where = f"{where} / {finding.sku}" if where else finding.sku
    field = t(f"audit.field.{finding.field}", lang) if finding.field else ""
    return [finding.row or "-", where, field, finding.term,
            result.names.get(finding.category, finding.category), finding.context,
            finding.suggestion]


def summary_line(result: AuditResult, lang: str) -> str:
    counts = result.summary
    return t("audit.summary", lang, audit=t(f"audit.name.{result.audit}", lang),
             rows=counted("rows", result.rows), bad=counted("cells", len(result.bad_rows)),
             **{severity: counted(severity + "s", count) for severity, count in counts.items()})


def _groups(result: AuditResult) -> list[tuple[str, list[Finding]]]:
    findings = ordered(result.findings)
    return [(severity, [f for f in findings if f.severity == severity])
            for severity in SEVERITIES if any(f.severity == severity for f in findings)]


def _bases(findings: list[Finding], result: AuditResult, lang: str) -> list[str]:
    """Each basis cited by a group, once, after its table."""
    seen: dict[str, list[str]] = {}
    for finding in findings:
        seen.setdefault(finding.basis, [])
        name = result.names.get(finding.category, finding.category)
        if name not in seen[finding.basis]:
            seen[finding.basis].append(name)
    return [t("audit.basis-line", lang, categories=t("punct.list-separator", lang).join(names),
              basis=basis) for basis, names in seen.items()]


def _bad_rows(result: AuditResult, lang: str) -> list[str]:
    return [t("audit.bad-row", lang, file=result.file, row=bad.row, column=bad.column,
              problem=bad.problem) for bad in result.bad_rows]


def as_table(result: AuditResult, lang: str) -> str:
    """A table per severity, each followed by the bases it cites; then the unreadable cells
    and the summary."""
    widths = [None, 24, None, 16, None, 44, 30]
    parts = []
    for severity, findings in _groups(result):
        heading = f"{t(f'audit.severity.{severity}', lang)} ({len(findings)})"
        parts.append(style(heading, _COLOURS[severity], bold=True))
        parts.append(table(headers(lang), (finding_row(f, result, lang) for f in findings),
                           widths))
        parts.extend(_bases(findings, result, lang))
        parts.append("")
    parts.extend(_bad_rows(result, lang))
    parts.append(summary_line(result, lang))
    return "\n".join(parts)


def as_markdown(result: AuditResult, lang: str) -> str:
    parts = [f"## {t(f'audit.name.{result.audit}', lang)}: {md_escape(result.file)}", ""]
    for severity, findings in _groups(result):
        parts.append(f"### {t(f'audit.severity.{severity}', lang)} ({len(findings)})")
        parts.append("")
        parts.append(md_table(headers(lang), (finding_row(f, result, lang) for f in findings)))
        parts.append("")
        parts.extend(f"- {md_escape(line)}" for line in _bases(findings, result, lang))
        parts.append("")
    bad = _bad_rows(result, lang)
    if bad:
        parts.extend(f"- {md_escape(line)}" for line in bad)
        parts.append("")
    parts.append(summary_line(result, lang))
    return "\n".join(parts)


def audits_data(entries: Iterable[HistoryEntry]) -> list[dict[str, Any]]:
    """The open items' latest audits, for the status JSON."""
    return [{"id": entry.subject, "audit": (entry.new or {}).get("audit"), "at": entry.at,
             "by": entry.by, **{key: (entry.new or {}).get(key, 0) for key in SEVERITIES}}
            for entry in entries]


def audits_section(entries: list[HistoryEntry], lang: str) -> str:
    """The lines of `status` about items whose last audit found something."""
    from planner.present.log import audit_counts

    lines = [style(t("audit.status-heading", lang), bold=True)]
    lines += [t("audit.status-line", lang, item=entry.subject, when=f"{entry.at:%Y-%m-%d %H:%M}",
                counts=audit_counts(entry.new, lang)) for entry in entries]
    return "\n".join(lines)
