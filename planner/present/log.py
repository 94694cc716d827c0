"""The history in words: `log` as the documented JSON and as a table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from planner.complaints.register import SUBJECT_PREFIX
from planner.core.clock import iso
from planner.core.i18n import t
from planner.present.text import table_lines
from planner.storage.contract import AUDIT_ACTION, HistoryEntry


def entry_data(entry: HistoryEntry) -> dict[str, Any]:
    """One history entry as the documented JSON."""
    return {"seq": entry.seq, "txn": entry.txn, "at": iso(entry.at), "by": entry.by,
            "action": entry.action, "subject": entry.subject, "old": entry.old,
            "new": entry.new, "note": entry.note, "reverts": entry.reverts,
            "year": entry.year, "day": entry.day}


def log_headers(lang: str) -> list[str]:
    return [t("label.when", lang), t("label.by", lang), t("label.action", lang),
            t("label.id", lang), t("label.change", lang), t("label.note", lang)]


LOG_WIDTHS = [None, None, None, None, None, 40]


# Notes the program writes itself (an import, a batch escalation) are stored as these words
# and shown in the reader's language; `log --format json` keeps them as stored.
PROGRAM_NOTES = {"import": "log.note.import", "batch": "log.note.batch"}
LevelName = Callable[[str], str]


def log_rows(entries: Iterable[HistoryEntry], lang: str, level_name: LevelName = str
             ) -> Iterator[list[str]]:
    """The table's rows, made as the entries come (`level_name`: a complaint level's name
    in `lang`, from the workspace's policy)."""
    actions: dict[str, str] = {}
    for e in entries:
        action = actions.get(e.action)
        if action is None:
            action = actions[e.action] = t(f"action.{e.action}", lang)
        subject = e.subject.removeprefix(SUBJECT_PREFIX)
        note = t(PROGRAM_NOTES[e.note], lang) if e.note in PROGRAM_NOTES else e.note or ""
        change = (audit_counts(e.new, lang) if e.action == AUDIT_ACTION else
                  f"{_state_label(e.old, e.subject, lang, level_name)} → "
                  f"{_state_label(e.new, e.subject, lang, level_name)}")
        yield [f"{e.at:%Y-%m-%d %H:%M}", e.by, action, subject, change, note]


def audit_counts(counts: dict[str, Any] | None, lang: str) -> str:
    """An audit entry's findings in words (it changes no state)."""
    counts = counts or {}
    return t("audit.log-counts", lang, **{key: counts.get(key, 0)
                                          for key in ("violation", "risk", "warning")})


def log_lines(entries: Iterable[HistoryEntry], lang: str, level_name: LevelName = str
              ) -> Iterator[str]:
    """The history as table lines, streamed; nothing for no entries."""
    return table_lines(log_headers(lang), log_rows(entries, lang, level_name), LOG_WIDTHS)


def _state_label(value: Any, subject: str, lang: str, level_name: LevelName = str) -> str:
    """An item's or a complaint's state in a history entry, in words."""
    if not subject.startswith(SUBJECT_PREFIX):
        return t(f"status.{value['status']}", lang) if value else t("status.open", lang)
    if not value:
        return "-"
    if "satisfied" in value:
        return t(f"register.satisfied.{'yes' if value['satisfied'] else 'no'}", lang)
    if "status" in value:
        return t(f"register.status.{value['status']}", lang)
    if "level" in value:
        return level_name(value["level"])
    # a correction, an assignment, a proposal: the fields that changed
    return _fields_text(value)


def _fields_text(value: dict[str, Any]) -> str:
    """Changed fields as `field=value`, a nested mapping (the flags) by its true flags."""
    parts = []
    for key, field in value.items():
        if isinstance(field, dict):
            field = "+".join(name for name, on in field.items() if on) or "-"
        parts.append(f"{key}={'-' if field in (None, '') else field}")
    return ", ".join(parts) or "-"
