"""The complaint policy: levels, categories, handler roles, first-response rules, urgency.

The policy is data: ``templates/policy.yaml`` ships with the program, and a workspace may
replace it with its own ``policy.yaml`` of the same shape. Both are validated the same way;
every error names the file, the line and the entry.

Typical use::

    policy = load_policy(path)                    # the shop's policy.yaml, or None
    result = triage(policy, "quality", vip=True)   # -> Triage(level="III", handler=..., ...)

Old category ids stay valid through the file's ``aliases``: `Policy.resolve_category` turns
one into the current id, and triage always reports the current one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from planner.complaints.deadlines import RULES
from planner.core.errors import Msg, PlannerError
from planner.core.i18n import bilingual, pick
from planner.core.roles import ROLE_ALIASES  # old role ids in a shop's own policy
from planner.core.snapshot import load_shipped
from planner.core.userfiles import load_yaml_file
from planner.core.yamlio import check_choice, check_keys, line_of

SHIPPED_POLICY = "policy.yaml"
URGENT = "urgent"
# The program computes with these ids, so a policy file may name them but not invent others.
LEVELS = (URGENT, "III", "II", "I")
TRIGGERS = ("media-risk", "head-office", "sensitive", "batch", "channel")
# Whoever took the complaint first: the one role that any category may leave to anyone.
FIRST_TAKER = "first-taker"
TOP_KEYS = ("levels", "roles", "rules", "categories", "aliases", "channels", "vip_category",
            "escalated_category", "urgent", "escalation_path")
CATEGORY_KEYS = ("level", "handler", "rule", "name", "cases", "note")
CHANNEL_KEYS = ("name", "urgent")
URGENT_KEYS = ("handler", "rule", "name", "note", "batch_threshold", "sensitive", "triggers")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

Names = dict[str, str]


class Category(NamedTuple):
    """One complaint category: its level, who handles it and how fast."""

    id: str
    level: str
    handler: str
    rule: str
    name: Names
    cases: Names
    note: Names | None = None


class Channel(NamedTuple):
    """A channel a complaint can come in through; `urgent` ones make it urgent."""

    id: str
    name: Names
    urgent: bool


class Urgent(NamedTuple):
    """How urgent complaints are handled and what makes a complaint urgent."""

    handler: str
    rule: str
    name: Names
    note: Names | None
    batch_threshold: int
    sensitive: dict[str, Names]
    triggers: dict[str, Names]


class Policy(NamedTuple):
    """A validated policy file. Names are ``{zh, en}`` mappings; use the `*_name` helpers."""

    source: str
    levels: tuple[str, ...]
    level_names: dict[str, Names]
    roles: dict[str, Names]
    rules: dict[str, Names]
    categories: dict[str, Category]
    vip_category: str
    escalated_category: str
    urgent: Urgent
    steps: tuple[Names, ...]
    aliases: dict[str, str]
    channels: dict[str, Channel]

    def priority(self, level: str) -> int:
        """0 for the level handled first, then 1, 2, ..."""
        return self.levels.index(level)

    # Names of ids that saved complaints may still carry after a shop edited its policy
    # fall back to the id itself rather than failing on old records.
    def level_name(self, level: str, lang: str) -> str:
        return pick(self.level_names[level], lang) if level in self.level_names else level

    def role_name(self, role: str, lang: str) -> str:
        role = ROLE_ALIASES.get(role, role)
        return pick(self.roles[role], lang) if role in self.roles else role

    def rule_name(self, rule: str, lang: str) -> str:
        return pick(self.rules[rule], lang) if rule in self.rules else rule

    def category_name(self, category: str, lang: str) -> str:
        """The name of a category id, or of the category an old (alias) id stands for."""
        known = self.categories.get(self.aliases.get(category, category))
        return pick(known.name, lang) if known else category

    def resolve_category(self, raw: str) -> str:
        """The current id of category `raw`, which may be an old id (alias)."""
        category = self.aliases.get(raw, raw)
        if category not in self.categories:
            raise PlannerError("error.unknown-value", field="category", value=raw,
                               allowed=", ".join(self.categories))
        return category

    def channel_name(self, channel: str, lang: str) -> str:
        """The name of a known channel id; any other channel as it was typed."""
        known = self.channels.get(channel)
        return pick(known.name, lang) if known else channel

    def channel_is_urgent(self, channel: str | None) -> bool:
        """Whether complaints that come in through `channel` are urgent by that alone."""
        known = self.channels.get(channel) if channel is not None else None
        return known is not None and known.urgent

    def sensitive_name(self, party: str, lang: str) -> str:
        return pick(self.urgent.sensitive[party], lang)

    def trigger_text(self, trigger: str, lang: str) -> str:
        """The description of an urgent trigger, with the batch threshold filled in."""
        text = pick(self.urgent.triggers[trigger], lang)
        return text.replace("{threshold}", str(self.urgent.batch_threshold))


class Triage(NamedTuple):
    """The outcome of triage for one complaint.

    `category` is the complaint's own category (its current id, even when an alias was
    given); `treated_as` the category whose level and rule were applied (differs for VIP or
    escalated complaints; None when urgent). `reasons` are ids: ``category``, ``vip``,
    ``escalated``, or the urgent triggers (`TRIGGERS`). `also` is a second role to involve:
    the one that raised the level when the category kept its own named handler, or the
    category's named handler when the complaint is urgent. `notes` are the ids of the
    categories whose notes apply, the one that set the level first. `channel` is the channel
    as given.
    """

    level: str
    handler: str
    rule: str
    reasons: tuple[str, ...]
    category: str
    treated_as: str | None
    also: str | None = None
    notes: tuple[str, ...] = ()
    channel: str | None = None


# --- loading -------------------------------------------------------------------------------

@cache
def shipped_policy() -> Policy:
    return parse_policy(load_shipped("planner.templates", SHIPPED_POLICY), SHIPPED_POLICY)


def load_policy(path: str | Path | None = None, workspace: Path | None = None) -> Policy:
    """The shop's own policy file `path` if there is one, else the shipped policy."""
    if path is not None and Path(path).exists():  # a folder there: load_yaml_file says so
        return parse_policy(load_yaml_file(path, workspace), str(path),
                            earlier=shipped_policy())
    return shipped_policy()


def parse_policy(data: Any, name: str, earlier: Policy | None = None) -> Policy:
    """Validate the policy data read from file `name`.

    A shop's own file may leave out what later releases added — the known channels and the
    channel trigger's description — which then come from the shipped policy (`earlier`)."""
    if not isinstance(data, dict):
        raise PlannerError("error.wrong-type", file=name, expected=Msg("type.mapping"))
    check_keys(data, TOP_KEYS, file=name)
    levels = _levels(data, name)
    roles = {ROLE_ALIASES.get(role, role): names
             for role, names in _name_map(data, "roles", name).items()}
    rules = _name_map(data, "rules", name, allowed=RULES)
    categories = _categories(data, name, levels, roles, rules)
    return Policy(
        source=name,
        levels=tuple(levels),
        level_names=levels,
        roles=roles,
        rules=rules,
        categories=categories,
        vip_category=_category_ref(data, "vip_category", name, categories),
        escalated_category=_category_ref(data, "escalated_category", name, categories),
        urgent=_urgent(data, name, roles, rules, earlier),
        steps=_steps(data, name),
        aliases=_aliases(data, name, categories),
        channels=(earlier.channels if earlier is not None and "channels" not in data
                  else _channels(data, name)),
    )


def _required(data: Any, key: str, name: str, prefix: str = "") -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    if value is None or value == "" or value == [] or value == {}:
        raise PlannerError("error.data-missing", file=name,
                           line=line_of(data, key) or getattr(data, "line", None),
                           field=f"{prefix}{key}")
    return value


def _check_choice(value: Any, allowed: Any, name: str, line: int | None, field: str) -> None:
    check_choice(value, allowed, file=name, line=line, field=field)


def _levels(data: Any, name: str) -> dict[str, Names]:
    entries = _required(data, "levels", name)
    if not isinstance(entries, list):
        raise PlannerError("error.wrong-type", file=name, line=line_of(data, "levels"),
                           field="levels", expected=Msg("type.list-of", item="{id, name}"))
    levels: dict[str, Names] = {}
    for entry in entries:
        line = line_of(entry, "id") or line_of(data, "levels")
        ident = entry.get("id") if isinstance(entry, dict) else None
        _check_choice(ident, LEVELS, name, line, f"levels.{ident}")
        if ident in levels:
            raise PlannerError("error.data-duplicate-id", file=name, line=line,
                               field=f"levels.{ident}")
        levels[ident] = bilingual(entry.get("name"), name, line_of(entry, "name"),
                               f"levels.{ident}.name")
    missing = [level for level in LEVELS if level not in levels]
    if missing:
        raise PlannerError("error.policy-level-missing", file=name, line=line_of(data, "levels"),
                           field="levels", missing=", ".join(missing))
    return levels


def _name_map(data: Any, key: str, name: str, prefix: str = "",
              allowed: tuple[str, ...] | None = None) -> dict[str, Names]:
    """A mapping ``id -> {zh, en}``; ids must be in `allowed` when given, else look like ids."""
    entries = _required(data, key, name, prefix)
    if not isinstance(entries, dict):
        raise PlannerError("error.wrong-type", file=name, line=line_of(data, key),
                           field=prefix + key,
                           expected=Msg("type.mapping-of", what="id -> {zh, en}"))
    result = {}
    for ident, names in entries.items():
        line, field = line_of(entries, ident), f"{prefix}{key}.{ident}"
        if allowed is not None:
            _check_choice(ident, allowed, name, line, field)
        elif not isinstance(ident, str) or not _ID.match(ident):
            raise PlannerError("error.policy-id", file=name, line=line, field=field, value=ident)
        result[ident] = bilingual(names, name, line, field)
    return result


def _categories(data: Any, name: str, levels: dict[str, Names], roles: dict[str, Names],
                rules: dict[str, Names]) -> dict[str, Category]:
    entries = _required(data, "categories", name)
    if not isinstance(entries, dict):
        raise PlannerError("error.wrong-type", file=name, line=line_of(data, "categories"),
                           field="categories",
                           expected=Msg("type.mapping-of", what="id -> {level, handler, ...}"))
    categories = {}
    for ident, spec in entries.items():
        field = f"categories.{ident}"
        line = line_of(entries, ident)
        if not isinstance(ident, str) or not _ID.match(ident):
            raise PlannerError("error.policy-id", file=name, line=line, field=field, value=ident)
        if not isinstance(spec, dict):
            raise PlannerError("error.wrong-type", file=name, line=line, field=field,
                               expected=Msg("type.mapping-with", keys=", ".join(CATEGORY_KEYS)))
        check_keys(spec, CATEGORY_KEYS, file=name, field=field)
        values = {}
        for key, allowed in (("level", levels), ("handler", roles), ("rule", rules)):
            values[key] = _required(spec, key, name, f"{field}.")
            if key == "handler":
                values[key] = ROLE_ALIASES.get(values[key], values[key])
            _check_choice(values[key], allowed, name, line_of(spec, key), f"{field}.{key}")
        texts = {key: bilingual(_required(spec, key, name, f"{field}."), name, line_of(spec, key),
                             f"{field}.{key}") for key in ("name", "cases")}
        note = (None if spec.get("note") is None else
                bilingual(spec["note"], name, line_of(spec, "note"), f"{field}.note"))
        categories[ident] = Category(ident, **values, **texts, note=note)
    return categories


def _category_ref(data: Any, key: str, name: str, categories: dict[str, Category]) -> str:
    value = _required(data, key, name)
    _check_choice(value, categories, name, line_of(data, key), key)
    return value


def _optional_mapping(data: Any, key: str, name: str, what: str) -> dict[Any, Any]:
    """The mapping under `key`, or {} when the file has none."""
    entries = data.get(key)
    if entries is None:
        return {}
    if not isinstance(entries, dict):
        raise PlannerError("error.wrong-type", file=name, line=line_of(data, key), field=key,
                           expected=Msg("type.mapping-of", what=what))
    return entries


def _aliases(data: Any, name: str, categories: dict[str, Category]) -> dict[str, str]:
    """Old category id -> current id; an old id may not also be a current one."""
    entries = _optional_mapping(data, "aliases", name, "old-id -> category id")
    for old, target in entries.items():
        line, field = line_of(entries, old), f"aliases.{old}"
        if not isinstance(old, str) or not _ID.match(old):
            raise PlannerError("error.policy-id", file=name, line=line, field=field, value=old)
        if old in categories:
            raise PlannerError("error.policy-alias-taken", file=name, line=line, field=field,
                               value=old)
        _check_choice(target, categories, name, line, field)
    return dict(entries)


def _channels(data: Any, name: str) -> dict[str, Channel]:
    entries = _optional_mapping(data, "channels", name, "id -> {name, urgent}")
    channels: dict[str, Channel] = {}
    for key, spec in entries.items():
        channel = _channel(key, spec, name, line_of(entries, key))
        if channel.id in channels:
            raise PlannerError("error.data-duplicate-id", file=name, line=line_of(entries, key),
                               field=f"channels.{channel.id}")
        channels[channel.id] = channel
    return channels


def _channel(key: Any, spec: Any, name: str, line: int | None) -> Channel:
    # an unquoted 12315 reads as a number: it is meant as the id "12315"
    ident = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
    field = f"channels.{ident}"
    if not isinstance(ident, str) or not _ID.match(ident):
        raise PlannerError("error.policy-id", file=name, line=line, field=field, value=key)
    if not isinstance(spec, dict):
        raise PlannerError("error.wrong-type", file=name, line=line, field=field,
                           expected=Msg("type.mapping-with", keys=", ".join(CHANNEL_KEYS)))
    check_keys(spec, CHANNEL_KEYS, file=name, field=field)
    urgent = spec.get("urgent")
    if not isinstance(urgent, bool):
        raise PlannerError("error.wrong-type", file=name, line=line_of(spec, "urgent") or line,
                           field=f"{field}.urgent", expected=Msg("type.true-false"))
    names = bilingual(_required(spec, "name", name, f"{field}."), name, line_of(spec, "name"),
                      f"{field}.name")
    return Channel(ident, names, urgent)


def _urgent(data: Any, name: str, roles: dict[str, Names], rules: dict[str, Names],
            earlier: Policy | None = None) -> Urgent:
    spec = _required(data, "urgent", name)
    if not isinstance(spec, dict):
        raise PlannerError("error.wrong-type", file=name, line=line_of(data, "urgent"),
                           field="urgent",
                           expected=Msg("type.mapping-with", keys=", ".join(URGENT_KEYS)))
    check_keys(spec, URGENT_KEYS, file=name, field="urgent")
    handler = _required(spec, "handler", name, "urgent.")
    handler = ROLE_ALIASES.get(handler, handler)
    _check_choice(handler, roles, name, line_of(spec, "handler"), "urgent.handler")
    _check_choice(_required(spec, "rule", name, "urgent."), rules, name, line_of(spec, "rule"),
                  "urgent.rule")
    threshold = spec.get("batch_threshold")
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise PlannerError("error.wrong-type", file=name, line=line_of(spec, "batch_threshold"),
                           field="urgent.batch_threshold", expected=Msg("type.count"))
    sensitive = _name_map(spec, "sensitive", name, "urgent.")
    triggers = _name_map(spec, "triggers", name, "urgent.", allowed=TRIGGERS)
    if earlier is not None and "channel" not in triggers:  # written before channels existed
        triggers["channel"] = earlier.urgent.triggers["channel"]
    missing = [trigger for trigger in TRIGGERS if trigger not in triggers]
    if missing:
        raise PlannerError("error.policy-trigger-missing", file=name,
                           line=line_of(spec, "triggers"), field="urgent.triggers",
                           missing=", ".join(missing))
    note = (None if spec.get("note") is None else
            bilingual(spec["note"], name, line_of(spec, "note"), "urgent.note"))
    return Urgent(handler=handler, rule=spec["rule"],
                  name=bilingual(_required(spec, "name", name, "urgent."), name,
                              line_of(spec, "name"), "urgent.name"),
                  note=note, batch_threshold=threshold, sensitive=sensitive, triggers=triggers)


def _steps(data: Any, name: str) -> tuple[Names, ...]:
    entries = _required(data, "escalation_path", name)
    if not isinstance(entries, list):
        raise PlannerError("error.wrong-type", file=name, line=line_of(data, "escalation_path"),
                           field="escalation_path", expected=Msg("type.list-of", item="{zh, en}"))
    return tuple(
        bilingual(entry, name, getattr(entry, "line", None) or line_of(data, "escalation_path"),
               f"escalation_path[{number}]")
        for number, entry in enumerate(entries, start=1)
    )


# --- triage --------------------------------------------------------------------------------

def batch_is_urgent(policy: Policy, count: int | None) -> bool:
    """Whether `count` complaints about the same issue on one calendar day make it urgent.

    `count` includes the complaint at hand; urgent once it exceeds the policy's threshold.
    """
    return count is not None and count > policy.urgent.batch_threshold


def urgent_triggers(policy: Policy, *, from_head_office: bool = False,
                    sensitive: str | None = None, media_risk: bool = False,
                    same_issue_count: int | None = None,
                    channel: str | None = None) -> tuple[str, ...]:
    """The urgent triggers that apply, in the order of `TRIGGERS` (empty: not urgent)."""
    if sensitive is not None and sensitive not in policy.urgent.sensitive:
        raise PlannerError("error.unknown-value", field="sensitive", value=sensitive,
                           allowed=", ".join(policy.urgent.sensitive))
    fired = {"media-risk": media_risk, "head-office": from_head_office,
             "sensitive": sensitive is not None,
             "batch": batch_is_urgent(policy, same_issue_count),
             "channel": policy.channel_is_urgent(channel)}
    return tuple(trigger for trigger in TRIGGERS if fired[trigger])


def triage(policy: Policy, category: str, *, vip: bool = False, escalated: bool = False,
           from_head_office: bool = False, sensitive: str | None = None,
           media_risk: bool = False, same_issue_count: int | None = None,
           channel: str | None = None) -> Triage:
    """Level, handler role and first-response rule for one complaint.

    `category` may be an old id (alias). Urgent triggers win over everything. Otherwise a VIP
    or escalated complaint is handled like the policy's `vip_category` /
    `escalated_category` unless its own category ranks higher; on equal rank the
    VIP/escalated handling applies. Either way the category keeps what it needs: its note,
    and its handler when that is a named role (not `FIRST_TAKER`), with the role that raised
    the level named as `also` (when urgent, the other way round).
    """
    own = policy.categories[policy.resolve_category(category)]
    named = _named_role(own)
    triggers = urgent_triggers(policy, from_head_office=from_head_office, sensitive=sensitive,
                               media_risk=media_risk, same_issue_count=same_issue_count,
                               channel=channel)
    if triggers:
        urgent = policy.urgent
        return Triage(URGENT, urgent.handler, urgent.rule, triggers, own.id, None,
                      also=_beside(named, urgent.handler), notes=_notes(own), channel=channel)
    chosen = own
    for flag, target in ((vip, policy.vip_category), (escalated, policy.escalated_category)):
        candidate = policy.categories[target]
        if flag and policy.priority(candidate.level) <= policy.priority(chosen.level):
            chosen = candidate
    reasons = tuple(reason for reason, flag, target in (
        ("vip", vip, policy.vip_category), ("escalated", escalated, policy.escalated_category))
        if flag and target == chosen.id and chosen.id != own.id) or ("category",)
    handler = named or chosen.handler
    return Triage(chosen.level, handler, chosen.rule, reasons, own.id, chosen.id,
                  also=_beside(chosen.handler, handler), notes=_notes(chosen, own),
                  channel=channel)


def _named_role(category: Category) -> str | None:
    """The category's own handler when it is a named role, not whoever took it first."""
    return None if category.handler == FIRST_TAKER else category.handler


def _beside(role: str | None, lead: str) -> str | None:
    """`role` as a second role to involve beside `lead` (None when it is none or the same)."""
    return None if role in (None, lead) else role


def _notes(*categories: Category) -> tuple[str, ...]:
    """The ids of `categories` that have a note, each once, in the order given."""
    return tuple(dict.fromkeys(category.id for category in categories if category.note))
