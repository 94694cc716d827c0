"""What an audit returns: its findings, the rows it could not read, and their counts."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("violation", "risk", "warning")


@dataclass(frozen=True)
class Finding:
    """One thing to fix, already in the run's language (`basis`, `suggestion`)."""

    severity: str  # one of SEVERITIES
    category: str
    term: str  # the term found; a batch or promotion names itself here
    context: str  # the text around it, the term marked
    basis: str
    suggestion: str
    row: int | None = None  # None: a finding about something missing from the file
    item_id: str | None = None
    sku: str | None = None
    field: str | None = None
    mark: tuple[int, int] | None = None  # where the marked term is in `context`


@dataclass(frozen=True)
class BadRow:
    """A cell that could not be read: the row is skipped for that rule, the audit goes on."""

    row: int
    column: str
    problem: str


@dataclass
class AuditResult:
    audit: str  # "copy", "prices", "stock" or "promotions"
    file: str
    rows: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # category id -> its name, in words

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts
