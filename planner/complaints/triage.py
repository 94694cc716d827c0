"""Triage with a deadline: one complaint's level, handler and first-response deadline under
one shop's rules (policy, working calendar, business hours or service calendar). Ids and
datetimes only; the words are `planner.present.complaints`."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from planner.complaints.deadlines import BusinessHours, Deadline, first_response
from planner.complaints.policy import Policy, Triage, triage
from planner.complaints.service import ServiceCalendar
from planner.complaints.workdays import WorkCalendar
from planner.core.clock import to_shanghai


class ComplaintRules(NamedTuple):
    """Everything a deadline depends on for one shop: policy, working calendar, and business
    hours or, when the shop file has a ``service`` block, its service calendar."""

    policy: Policy
    calendar: WorkCalendar
    hours: BusinessHours
    service: ServiceCalendar | None = None

    def first_response(self, rule: str, received: dt.datetime) -> Deadline:
        """The deadline of `rule` for a complaint received at `received`: on the service
        calendar if the shop has one, else on the office's (working days, business hours)."""
        if self.service is not None:
            return self.service.first_response(rule, received)
        return first_response(rule, received, self.calendar, self.hours)


class TriageFlags(NamedTuple):
    """What can make a complaint more serious than its category (see `policy.triage`)."""

    vip: bool = False
    escalated: bool = False
    from_head_office: bool = False
    sensitive: str | None = None
    media_risk: bool = False


class TriageResult(NamedTuple):
    """A triaged complaint: the policy's verdict and the deadline it gives from `received`."""

    triage: Triage
    received: dt.datetime
    deadline: Deadline
    sensitive: str | None = None

    @property
    def level(self) -> str:
        return self.triage.level

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.triage.reasons


NO_FLAGS = TriageFlags()


def triage_complaint(rules: ComplaintRules, category: str, received: dt.datetime,
                     flags: TriageFlags = NO_FLAGS, same_issue_count: int | None = None,
                     channel: str | None = None) -> TriageResult:
    """Triage one complaint received at `received` (through `channel`, if known) and compute
    its first-response deadline."""
    verdict = triage(rules.policy, category, **flags._asdict(),
                     same_issue_count=same_issue_count, channel=channel)
    deadline = rules.first_response(verdict.rule, received)
    return TriageResult(verdict, to_shanghai(received), deadline, flags.sensitive)
