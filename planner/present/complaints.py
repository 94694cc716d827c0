"""Complaints in words: triage results, the register's lists and cards, the level table.

The rules (`planner.complaints`) return ids, numbers and datetimes; this module names them in
the reader's language and gives the documented JSON shapes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from planner.complaints.policy import TRIGGERS, URGENT, Names, Policy, Triage
from planner.complaints.register import Added, Complaint
from planner.complaints.triage import TriageResult
from planner.core.clock import iso
from planner.core.i18n import pick, t
from planner.core.limits import CARD_CELL_CHARS
from planner.present.log import entry_data
from planner.present.text import Markup, style, table, table_lines
from planner.storage.contract import HistoryEntry


def reason_text(policy: Policy, result: Triage, reason: str, lang: str,
                sensitive: str | None = None) -> str:
    """One reason of a triage result, as a sentence in `lang`."""
    if reason in TRIGGERS:
        text = policy.trigger_text(reason, lang)
        if reason == "sensitive" and sensitive in policy.urgent.sensitive:
            text += t("punct.aside", lang, text=policy.sensitive_name(sensitive, lang))
        if reason == "channel" and result.channel is not None:
            text += t("punct.aside", lang, text=policy.channel_name(result.channel, lang))
        return text
    return t(f"complaint.reason.{reason}", lang,
             category=policy.category_name(result.treated_as or result.category, lang))


def describe(policy: Policy, result: Triage, lang: str, sensitive: str | None = None
             ) -> dict[str, Any]:
    """A triage result as plain data with names in `lang` (ids are kept next to names).

    `note` is the note of the level that applies (urgent, or the category treated as);
    `notes` every note that applies, that one first, each with its category id (None for
    the urgent note).
    """
    note = (policy.urgent.note if result.level == URGENT
            else policy.categories[result.treated_as or result.category].note)
    return {
        "level": result.level,
        "level_name": policy.level_name(result.level, lang),
        "category": result.category,
        "category_name": policy.category_name(result.category, lang),
        "treated_as": result.treated_as,
        "handler": result.handler,
        "handler_name": policy.role_name(result.handler, lang),
        "rule": result.rule,
        "rule_name": policy.rule_name(result.rule, lang),
        "reasons": list(result.reasons),
        "reason_texts": [reason_text(policy, result, reason, lang, sensitive)
                         for reason in result.reasons],
        "note": pick(note, lang) if note else None,
        "also_handler": result.also,
        "also_handler_name": policy.role_name(result.also, lang) if result.also else None,
        "notes": _note_list(policy, result, lang),
        "channel": result.channel,
        "channel_name": (policy.channel_name(result.channel, lang)
                         if result.channel is not None else None),
    }


def _note_list(policy: Policy, result: Triage, lang: str) -> list[dict[str, Any]]:
    """Every note that applies to `result`: the urgent one first when urgent, then those of
    `result.notes`; each as ``{"category": id or None, "text": ...}``."""
    urgent = policy.urgent.note if result.level == URGENT else None
    notes = [{"category": None, "text": pick(urgent, lang)}] if urgent else []
    return notes + [{"category": category, "text": pick(policy.categories[category].note, lang)}
                    for category in result.notes]


# --- for the notice ------------------------------------------------------------------------

def level_table(policy: Policy, lang: str) -> list[dict[str, Any]]:
    """The level table, one row per category, rows ordered by level priority.

    The urgent level gets one row whose `category` is None and whose `cases` lists the urgent
    triggers. Keys: level, level_name, category, category_name, cases, handler, handler_name,
    rule, rule_name, note.
    """
    separator = t("punct.list-separator", lang)
    rows = []
    for level in policy.levels:
        if level == URGENT:
            urgent = policy.urgent
            rows.append(_row(policy, lang, level, None, pick(urgent.name, lang),
                             separator.join(policy.trigger_text(trigger, lang)
                                            for trigger in TRIGGERS),
                             urgent.handler, urgent.rule, urgent.note))
        rows.extend(_row(policy, lang, level, category.id, pick(category.name, lang),
                         pick(category.cases, lang), category.handler, category.rule,
                         category.note)
                    for category in policy.categories.values() if category.level == level)
    return rows


def _row(policy: Policy, lang: str, level: str, category: str | None, category_name: str,
         cases: str, handler: str, rule: str, note: Names | None) -> dict[str, Any]:
    return {"level": level, "level_name": policy.level_name(level, lang), "category": category,
            "category_name": category_name, "cases": cases, "handler": handler,
            "handler_name": policy.role_name(handler, lang), "rule": rule,
            "rule_name": policy.rule_name(rule, lang), "note": pick(note, lang) if note else None}


def escalation_path(policy: Policy, lang: str) -> list[str]:
    """The handling procedure, one step per string, in `lang`."""
    return [pick(step, lang) for step in policy.steps]


# --- triage ----------------------------------------------------------------------------------

def triage_data(result: TriageResult, policy: Policy, lang: str) -> dict[str, Any]:
    """The documented JSON of `complaint triage`: ids first, then names and reasons."""
    details = describe(policy, result.triage, lang, result.sensitive)
    return {
        "level": result.level,
        "category": result.triage.category,
        "handler": result.triage.handler,
        "received": result.received,
        "deadline": result.deadline.at,
        "calendar": result.deadline.calendar,
        "calendar_name": result.deadline.calendar_name,
        **{key: value for key, value in details.items()
           if key not in ("level", "category", "handler")},
        "estimated_years": list(result.deadline.estimated_years),
    }


def format_moment(moment: dt.datetime, lang: str) -> str:
    """``2027-03-15 18:00 周一`` / ``2027-03-15 18:00 Mon`` (Shanghai time)."""
    weekday = t("complaint.weekdays", lang).split()[moment.weekday()]
    return f"{moment:%Y-%m-%d %H:%M} {weekday}"


def triage_table(data: dict[str, Any], lang: str) -> str:
    """`complaint triage` as text: one row per field, then one per note that applies."""
    separator = t("punct.list-separator", lang)
    rows = [
        ("level", data["level_name"]),
        ("category", data["category_name"] + t("punct.aside", lang, text=data["category"])),
        ("handler", data["handler_name"]),
        ("also-handler", data["also_handler_name"]),
        ("rule", data["rule_name"]),
        ("received", format_moment(data["received"], lang)),
        ("deadline", format_moment(data["deadline"], lang)),
        ("calendar", t(f"complaint.calendar.{data['calendar']}", lang)),
        ("calendar_name", t(f"complaint.calendar-name.{data['calendar_name']}", lang)),
        ("channel", data["channel_name"]),
        ("reasons", separator.join(data["reason_texts"])),
    ]
    labelled = [(t(f"label.complaint.{key}", lang), value) for key, value in rows if value]
    labelled += [(t("label.complaint.note", lang) if number == 0 else "", note["text"])
                 for number, note in enumerate(data["notes"])]
    headers = [t("label.complaint.item", lang), t("label.complaint.value", lang)]
    body = table(headers, labelled, [None, 70], cut=CARD_CELL_CHARS)  # one result: shown whole
    return f"{t('complaint.triage-title', lang)}\n\n{body}"


# --- the register ----------------------------------------------------------------------------

def complaint_data(complaint: Complaint) -> dict[str, Any]:
    """A complaint as the documented JSON, with its overdue / at-risk marks."""
    record = complaint.record
    callback = record.callback
    return {
        "number": record.number,
        "category": record.category,
        "product": record.product,
        "order": record.order_id,
        "buyer": record.buyer,
        "channel": record.channel,
        "summary": record.summary,
        "level": record.level,
        "handler": record.handler,
        "rule": record.rule,
        "received": iso(record.received),
        "deadline": iso(record.deadline),
        "calendar": record.calendar,
        "calendar_name": record.calendar_name,
        "status": record.status,
        "step": complaint.step,
        "overdue": complaint.overdue,
        "at_risk": complaint.at_risk,
        "minutes_left": complaint.minutes_left,
        "first_response": _iso_or_none(record.first_response),
        "answered_late": complaint.answered_late,
        "flags": record.flags,
        "campaign": record.campaign,
        "outside_campaign": complaint.outside_campaign,
        "taker": record.created_by,
        "assignee": record.assignee,
        "issue": record.issue,
        "void": record.void,
        "void_reason": record.void_reason,
        "department": record.department,
        "solution": record.solution,
        "approved_by": record.approved_by,
        "approved_at": _iso_or_none(record.approved_at),
        "callback": None if callback is None else {
            "satisfied": callback.satisfied, "at": iso(callback.at), "by": callback.by,
            "note": callback.note},
    }


def _iso_or_none(moment: dt.datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def added_data(added: Added, policy: Policy, lang: str) -> dict[str, Any]:
    """The documented JSON of `complaint add`."""
    triage = triage_data(added.triage, policy, lang)
    complaint = complaint_data(added.complaint)
    complaint.update({key: triage[key] for key in ("reasons", "reason_texts",
                                                   "estimated_years")})
    return {"complaint": complaint, "escalated": added.escalated,
            "same_issue_count": added.same_issue_count}


def shown_data(complaint: Complaint, history: list[HistoryEntry]) -> dict[str, Any]:
    """The documented JSON of `complaint show`: the complaint and its history."""
    return {**complaint_data(complaint), "history": [entry_data(e) for e in history]}


def mark_text(complaint: Complaint, lang: str, *, colour: bool = True) -> str:
    """The marks of a complaint in a list: void, overdue or at risk, answered late, outside
    the campaign."""
    def marked(key: str, **colours: Any) -> str:
        text = t(key, lang)
        return style(text, **colours) if colour and colours else text

    marks = []
    if complaint.record.void:
        marks.append(marked("register.void"))
    elif complaint.overdue:
        marks.append(marked("register.overdue", fg="red", bold=True))
    elif complaint.at_risk:
        marks.append(marked("register.at-risk", fg="yellow"))
    if complaint.answered_late:
        marks.append(marked("register.answered-late", fg="red"))
    if complaint.outside_campaign:
        marks.append(t("register.outside-campaign", lang))
    return Markup(" ".join(marks))


def complaints_table(complaints: Iterable[Complaint], policy: Policy, lang: str) -> str:
    return "\n".join(complaints_lines(complaints, policy, lang)) or t("register.none", lang)


def complaints_lines(complaints: Iterable[Complaint], policy: Policy, lang: str
                     ) -> Iterator[str]:
    """The register as table lines, made as the complaints come; nothing for none."""
    from planner.present.durations import time_left

    def rows() -> Iterator[list[str]]:
        for complaint in complaints:
            row = complaint.record
            yield [row.number, policy.level_name(row.level, lang),
                   policy.category_name(row.category, lang),
                   policy.role_name(row.handler, lang), row.created_by, row.assignee or "",
                   format_moment(row.deadline, lang),
                   time_left(complaint.minutes_left, lang),
                   t(f"register.status.{row.status}", lang), mark_text(complaint, lang),
                   row.summary]

    headers = [t(f"label.register.{key}", lang) for key in (
        "number", "level", "category", "handler", "taker", "assignee", "deadline",
        "time-left", "status", "flag", "summary")]
    return table_lines(headers, rows(), [None, None, 12, 12, 10, 10, None, None, None, None,
                                         30])


def complaint_card(complaint: Complaint, history: list[HistoryEntry], policy: Policy,
                   lang: str) -> str:
    """`complaint show` as text: the fields, then the history."""
    from planner.present.durations import time_left

    record = complaint.record
    answered = record.first_response
    fields = [
        ("number", record.number),
        ("level", policy.level_name(record.level, lang)),
        ("category", policy.category_name(record.category, lang)),
        ("handler", policy.role_name(record.handler, lang)),
        ("received", format_moment(record.received, lang)),
        ("deadline", format_moment(record.deadline, lang)),
        ("calendar-name", t(f"complaint.calendar-name.{record.calendar_name}", lang)),
        ("time-left", time_left(complaint.minutes_left, lang)),
        ("first-response", answered and format_moment(answered, lang)),
        ("flag", mark_text(complaint, lang, colour=False)),
        ("flags", None if not any(record.flags.values())
         else _value(policy, "flags", record.flags, lang)),
        ("status", t(f"register.status.{record.status}", lang)),
        ("step", t(f"register.step.{complaint.step}", lang)),
        ("summary", record.summary),
        ("order", record.order_id), ("buyer", record.buyer),
        ("product", record.product), ("issue", record.issue if record.issue !=
                                      record.product else None),
        ("channel", policy_channel(policy, record.channel, lang)),
        ("taker", record.created_by), ("assignee", record.assignee),
        ("department", record.department and _owner_name(record.department, lang)),
        ("solution", record.solution),
        ("approved", record.approved_by and record.approved_at and
         f"{record.approved_by} · {format_moment(record.approved_at, lang)}"),
        ("void-reason", record.void_reason),
    ]
    callback = record.callback
    if callback:
        answer = t(f"register.satisfied.{'yes' if callback.satisfied else 'no'}", lang)
        fields.append(("callback", f"{answer} · {callback.by} · "
                                   f"{format_moment(callback.at, lang)}"))
    rows = [(t(f"label.register.{key}", lang), value) for key, value in fields if value]
    entries = [[format_moment(e.at, lang), e.by, t(f"action.{e.action}", lang),
                history_note(e, policy, lang)] for e in history]
    return "\n".join([  # one record: its card keeps the whole text
        table([t("label.complaint.item", lang), t("label.complaint.value", lang)], rows,
              [None, 70], cut=CARD_CELL_CHARS),
        "",
        table([t("label.when", lang), t("label.by", lang), t("label.action", lang),
               t("label.note", lang)], entries, [None, None, None, 50], cut=CARD_CELL_CHARS)])


def history_note(entry: HistoryEntry, policy: Policy, lang: str) -> str:
    """The note of a complaint's history entry; for a correction, what changed, old and new.
    The batch rule's own marker is put in words."""
    if entry.note == "batch" and entry.action == "complaint-escalate":
        return t("history.note.batch", lang)
    parts = []
    if entry.action in _SHOWN_ACTIONS and entry.new:
        old = entry.old or {}
        parts = [t("history.changed", lang, field=t(f"label.register.{_LABELS.get(key, key)}",
                                                    lang),
                   old=_value(policy, key, old.get(key), lang),
                   new=_value(policy, key, value, lang))
                 for key, value in entry.new.items() if key in _LABELS]
    return t("punct.list-separator", lang).join([*parts, *filter(None, [entry.note])])


# The entries whose note shows what changed, the fields shown, and the label of each.
_SHOWN_ACTIONS = ("complaint-edit", "complaint-escalate", "complaint-assign",
                  "complaint-propose", "complaint-update", "complaint-reply")
_LABELS = {"assignee": "assignee", "department": "department", "solution": "solution",
           "status": "status", "at": "replied-at",
           "category": "category", "summary": "summary", "order_id": "order",
           "buyer": "buyer", "product": "product", "channel": "channel", "issue": "issue",
           "received": "received", "flags": "flags", "level": "level", "handler": "handler",
           "deadline": "deadline"}


def _value(policy: Policy, key: str, value: Any, lang: str) -> str:
    if value is None or value == "":
        return "—"
    if key == "level":
        return policy.level_name(value, lang)
    if key == "handler":
        return policy.role_name(value, lang)
    if key == "category":
        return policy.category_name(value, lang)
    if key == "department":
        return _owner_name(value, lang)
    if key == "status":
        return t(f"register.status.{value}", lang)
    if key in ("received", "deadline", "at"):
        return format_moment(dt.datetime.fromisoformat(value), lang)
    if key == "flags" and isinstance(value, dict):
        return t("punct.list-separator", lang).join(
            policy.sensitive_name(flag, lang) if name == "sensitive"
            and flag in policy.urgent.sensitive else t(f"flag.{name}", lang)
            for name, flag in value.items() if flag) or "—"
    return str(value)


def policy_channel(policy: Policy, channel: str | None, lang: str) -> str | None:
    """A known channel id by its name; free text as typed."""
    return policy.channel_name(channel, lang) if channel is not None else None


def _owner_name(owner: str, lang: str) -> str:
    from planner.campaign.phases import load_campaign

    return load_campaign().owner_name(owner, lang)
