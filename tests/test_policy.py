from importlib.resources import files
from pathlib import Path

import pytest
from conftest import raises_message

from planner.complaints.policy import (
    LEVELS,
    SHIPPED_POLICY,
    batch_is_urgent,
    shipped_policy,
    triage,
)
from planner.complaints.policy import load_policy as load_policy_file
from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.present.complaints import describe, escalation_path, level_table
from planner.workspace.layout import POLICY_FILE


def load_policy(folder):
    return load_policy_file(folder / POLICY_FILE)


SHIPPED_TEXT = (files("planner.templates") / SHIPPED_POLICY).read_text(encoding="utf-8")

EXPECTED = {
    "quality": ("I", "first-taker", "T+1"),
    "after-sale": ("I", "first-taker", "T+1"),
    "pushy-selling": ("I", "first-taker", "T+1"),
    "price-difference": ("I", "first-taker", "T+1"),
    "promotion": ("I", "first-taker", "T+1"),
    "published-rules": ("I", "first-taker", "T+1"),
    "third-party-attitude": ("II", "first-taker", "T+1"),
    "agent-attitude": ("II", "agent-supervisor", "same-day"),
    "agent-efficiency": ("II", "senior-agent", "same-day"),
    "broken-promise": ("III", "first-taker", "T+1"),
    "account-security": ("III", "risk-control", "T+2"),
    "escalated": ("III", "cs-manager", "same-day"),
}
ALIASES = {"merchant-attitude": "third-party-attitude", "infringement": "broken-promise",
           "announced": "published-rules"}


@pytest.fixture
def policy():
    return shipped_policy()


def test_shipped_categories_match_the_procedure(policy):
    assert {cid: (c.level, c.handler, c.rule) for cid, c in policy.categories.items()} == EXPECTED
    assert policy.levels == ("urgent", "III", "II", "I")
    assert (policy.urgent.handler, policy.urgent.rule, policy.urgent.batch_threshold) == (
        "cs-manager", "3h", 10)
    assert set(policy.urgent.sensitive) == {"media", "regulator", "government",
                                            "consumer-association"}
    for role in policy.roles:
        assert policy.role_name(role, "zh") != policy.role_name(role, "en")


@pytest.mark.parametrize("category", sorted(EXPECTED))
def test_plain_triage_follows_the_category(policy, category):
    result = triage(policy, category)
    assert (result.level, result.handler, result.rule) == EXPECTED[category]
    assert result.reasons == ("category",) and result.treated_as == category


def test_vip_and_escalated_are_handled_like_escalated(policy):
    for flags in ({"vip": True}, {"escalated": True}):
        result = triage(policy, "quality", **flags)
        assert (result.level, result.handler, result.rule) == ("III", "cs-manager",
                                                               "same-day")
        assert result.category == "quality" and result.treated_as == "escalated"
        assert result.reasons == tuple(flags)
    # Equal rank: the VIP handling applies over account security's T+2.
    assert triage(policy, "account-security", vip=True).rule == "same-day"
    assert triage(policy, "escalated", vip=True).reasons == ("category",)


@pytest.mark.parametrize(("category", "flag", "handler", "also", "notes"), [
    # a named handler stays, the escalation's handler is involved as well
    ("account-security", "escalated", "risk-control", "cs-manager",
     ("escalated", "account-security")),
    ("account-security", "vip", "risk-control", "cs-manager",
     ("escalated", "account-security")),
    ("agent-attitude", "vip", "agent-supervisor", "cs-manager",
     ("escalated", "agent-attitude")),
    ("agent-efficiency", "escalated", "senior-agent", "cs-manager",
     ("escalated", "agent-efficiency")),
    # whoever took it first gives way; the category's note still applies
    ("third-party-attitude", "escalated", "cs-manager", None,
     ("escalated", "third-party-attitude")),
    ("quality", "vip", "cs-manager", None, ("escalated",)),
    ("escalated", "vip", "cs-manager", None, ("escalated",)),
])
def test_flags_keep_what_the_category_needs(policy, category, flag, handler, also, notes):
    result = triage(policy, category, **{flag: True})
    assert (result.level, result.rule, result.treated_as) == ("III", "same-day", "escalated")
    assert (result.handler, result.also, result.notes) == (handler, also, notes)


def test_plain_triage_names_no_second_role(policy):
    assert triage(policy, "account-security")[6:] == (None, ("account-security",), None)
    assert triage(policy, "quality")[6:] == (None, (), None)


def test_a_category_ranked_above_the_flag_keeps_everything(tmp_path):
    write_policy(tmp_path, SHIPPED_TEXT.replace(
        "  escalated:\n    level: III\n", "  escalated:\n    level: II\n"))
    result = triage(load_policy(tmp_path), "account-security", vip=True)
    assert (result.level, result.handler, result.rule, result.reasons) == (
        "III", "risk-control", "T+2", ("category",))
    assert (result.also, result.notes) == (None, ("account-security",))


@pytest.mark.parametrize(("category", "also", "notes"), [
    ("account-security", "risk-control", ("account-security",)),
    ("agent-attitude", "agent-supervisor", ("agent-attitude",)),
    ("broken-promise", None, ("broken-promise",)),
    ("quality", None, ()),
    ("escalated", None, ("escalated",)),  # cs-manager leads urgent ones anyway
])
def test_urgent_still_names_the_category_handler_and_note(policy, category, also, notes):
    result = triage(policy, category, media_risk=True, escalated=True)
    assert (result.level, result.handler, result.reasons) == ("urgent", "cs-manager",
                                                              ("media-risk",))
    assert (result.also, result.notes) == (also, notes)


def test_describe_gives_every_note_and_the_second_role(policy):
    data = describe(policy, triage(policy, "account-security", media_risk=True), "zh")
    assert (data["also_handler"], data["also_handler_name"]) == ("risk-control", "风控部")
    assert [note["category"] for note in data["notes"]] == [None, "account-security"]
    assert data["notes"][0]["text"] == data["note"]
    assert "不能冻结" in data["notes"][1]["text"]
    escalated = describe(policy, triage(policy, "account-security", escalated=True), "en")
    assert (escalated["handler_name"], escalated["also_handler_name"]) == (
        "Risk control", "CS supervisor/manager")
    assert [note["category"] for note in escalated["notes"]] == ["escalated",
                                                                 "account-security"]
    assert escalated["note"] == escalated["notes"][0]["text"]
    plain = describe(policy, triage(policy, "quality"), "en")
    assert (plain["also_handler"], plain["also_handler_name"], plain["notes"]) == (
        None, None, [])


@pytest.mark.parametrize(("flags", "reasons"), [
    ({"sensitive": "media"}, ("sensitive",)),
    ({"sensitive": "consumer-association"}, ("sensitive",)),
    ({"from_head_office": True}, ("head-office",)),
    ({"media_risk": True}, ("media-risk",)),
    ({"same_issue_count": 11}, ("batch",)),
    ({"media_risk": True, "vip": True, "same_issue_count": 40}, ("media-risk", "batch")),
    ({"channel": "12315"}, ("channel",)),
    ({"channel": "consumer-association"}, ("channel",)),
    ({"channel": "regulator", "sensitive": "regulator"}, ("sensitive", "channel")),
    ({"channel": "12315", "same_issue_count": 11}, ("batch", "channel")),
])
def test_urgent_triggers(policy, flags, reasons):
    result = triage(policy, "promotion", **flags)
    assert (result.level, result.handler, result.rule) == ("urgent", "cs-manager", "3h")
    assert result.reasons == reasons and result.treated_as is None


def test_batch_rule_is_more_than_the_threshold(policy):
    assert not batch_is_urgent(policy, None)
    assert not batch_is_urgent(policy, 10)
    assert batch_is_urgent(policy, 11)
    assert triage(policy, "quality", same_issue_count=10).level == "I"


@pytest.mark.parametrize("channel", [None, "千牛", "phone", "Regulator", "12315 ", "media"])
def test_other_channels_change_nothing(policy, channel):
    result = triage(policy, "promotion", channel=channel)
    assert (result.level, result.reasons, result.channel) == ("I", ("category",), channel)


def test_channel_names(policy):
    assert [policy.channel_name(channel, "zh") for channel in policy.channels] == [
        "12315 平台", "消费者协会", "市场监管部门"]
    assert policy.channel_name("regulator", "en") == "Market regulator"
    assert policy.channel_name("黑猫投诉", "en") == "黑猫投诉"  # free text, as typed
    assert all(channel.urgent for channel in policy.channels.values())
    result = triage(policy, "quality", channel="consumer-association")
    zh = describe(policy, result, "zh")
    assert (zh["channel"], zh["channel_name"]) == ("consumer-association", "消费者协会")
    assert zh["reason_texts"] == [
        "经 12315 平台、消费者协会或市场监管部门转来，须指定专人负责并书面答复（消费者协会）"]


def test_old_category_ids_are_aliases(policy):
    assert policy.aliases == ALIASES
    for old, new in ALIASES.items():
        assert policy.resolve_category(old) == new
        result = triage(policy, old, vip=True)
        assert result.category == new and result.treated_as == "escalated"
        for lang in ("zh", "en"):
            assert policy.category_name(old, lang) == policy.category_name(new, lang) != old
    assert policy.resolve_category("quality") == "quality"
    assert policy.category_name("gone", "en") == "gone"  # a stored id the policy dropped


def test_an_unknown_category_lists_the_current_ids(policy):
    with raises_message("unknown value 'refund'; choose from: ") as caught:
        policy.resolve_category("refund")
    assert caught.value.field == "category"
    allowed = render_error(caught.value).split("choose from: ")[1].split(", ")
    assert sorted(allowed) == sorted(EXPECTED)  # the old ids are not offered


def test_the_shipped_policy_speaks_of_a_shop(policy):
    """Nothing left of the points-card hotline it came from."""
    texts = [*policy.roles.values(), *policy.steps, policy.urgent.name, policy.urgent.note,
             *policy.urgent.triggers.values()]
    for category in policy.categories.values():
        texts += [category.name, category.cases, category.note or {}]
    words = " ".join(text for names in texts for text in names.values())
    for word in ("商户", "会员账户", "积分兑换", "核身", "merchant", "member's account",
                 "points card"):
        assert word not in words.lower(), word
    note = policy.categories["account-security"].note
    assert "不能冻结" in note["zh"] and "cannot freeze" in note["en"]


def test_unknown_category_or_sensitive_party(policy):
    with raises_message("unknown value 'nope'"):
        triage(policy, "nope")
    with raises_message("unknown value 'blogger'"):
        triage(policy, "quality", sensitive="blogger")


def test_describe_localizes(policy):
    zh = describe(policy, triage(policy, "quality", sensitive="regulator"), "zh", "regulator")
    en = describe(policy, triage(policy, "quality", sensitive="regulator"), "en", "regulator")
    assert (zh["level_name"], en["level_name"]) == ("紧急投诉", "Urgent")
    assert "监管部门" in zh["reason_texts"][0] and "Regulator" in en["reason_texts"][0]
    assert zh["note"] and en["note"]
    plain = describe(policy, triage(policy, "third-party-attitude"), "en")
    assert plain["handler_name"] == "First person who took it"
    assert "courier company" in plain["note"]


def test_level_table(policy):
    for lang in ("zh", "en"):
        rows = level_table(policy, lang)
        assert len(rows) == len(EXPECTED) + 1
        order = [LEVELS.index(row["level"]) for row in rows]
        assert order == sorted(order)
        assert set(rows[0]) >= {"level", "level_name", "category", "category_name", "cases",
                                "handler", "handler_name", "rule", "rule_name"}
        urgent = rows[0]
        assert urgent["level"] == "urgent" and urgent["category"] is None
        assert "10" in urgent["cases"] and "{threshold}" not in urgent["cases"]
        assert [row["level"] for row in rows[1:4]] == ["III"] * 3
    zh = {row["category"]: row for row in level_table(policy, "zh")}
    assert zh["account-security"]["handler_name"] == "风控部"
    assert "T+2" in zh["account-security"]["rule_name"]


def test_escalation_path(policy):
    zh, en = escalation_path(policy, "zh"), escalation_path(policy, "en")
    assert len(zh) == len(en) == 10
    assert en[0].startswith("Accept") and en[-1].startswith("Close")
    assert "受理" in zh[0] and "编号" in zh[4]


def write_policy(folder, text):
    (folder / POLICY_FILE).write_text(text, encoding="utf-8")
    return str(folder / POLICY_FILE)


def test_workspace_policy_replaces_the_shipped_one(tmp_path):
    write_policy(tmp_path, SHIPPED_TEXT.replace("batch_threshold: 10", "batch_threshold: 3"))
    policy = load_policy(tmp_path)
    assert policy.source == str(tmp_path / POLICY_FILE)
    assert triage(policy, "quality", same_issue_count=4).level == "urgent"
    assert "3" in level_table(policy, "en")[0]["cases"]
    assert load_policy(tmp_path / "elsewhere") is shipped_policy()


def line_number(text, needle):
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(lines) == 1
    return lines[0]


# (text to replace, replacement, text of the line the error must name, field, message part)
@pytest.mark.parametrize(("old", "new", "needle", "field", "words"), [
    ("  quality:\n    level: I\n", "  quality:\n    level: IV\n", "level: IV",
     "categories.quality.level", "unknown value 'IV'"),
    ("    handler: risk-control\n", "    handler: security-team\n", "security-team",
     "categories.account-security.handler", "unknown value 'security-team'"),
    ("    rule: T+2\n", "    rule: T+3\n", "T+3", "categories.account-security.rule",
     "unknown value 'T+3'"),
    ("  handler: cs-manager\n  rule: 3h", "  handler: boss\n  rule: 3h", "boss",
     "urgent.handler", "unknown value 'boss'"),
    ("  3h: {zh:", "  4h: {zh:", "4h:", "rules.4h", "unknown value '4h'"),
    ("  - id: II\n", "  - id: IV\n", "id: IV", "levels.IV", "unknown value 'IV'"),
    ("vip_category: escalated", "vip_category: vip", "vip_category", "vip_category",
     "unknown value 'vip'"),
    ("    name: {zh: 商品质量, en: Product quality}", "    name: {zh: 商品质量}", "{zh: 商品质量}",
     "categories.quality.name", "missing translation"),
    ("escalation_path:", "escalation_steps:", "escalation_steps:", "escalation_steps",
     "unknown key"),
    ("  announced: published-rules\n", "  announced: published-rules\n  quality: after-sale\n",
     "quality: after-sale", "aliases.quality", "already the id of a category"),
    ("  infringement: broken-promise\n", "  infringement: breach\n", "infringement: breach",
     "aliases.infringement", "unknown value 'breach'"),
    ("  announced: published-rules\n", "  Announced: published-rules\n", "Announced:",
     "aliases.Announced", "invalid id 'Announced'"),
    ("aliases:\n  merchant-attitude: third-party-attitude\n  infringement: broken-promise\n"
     "  announced: published-rules\n", "aliases: [merchant-attitude]\n", "aliases:", "aliases",
     "wrong type"),
    ("    urgent: true\n  consumer-association:\n", "    urgent: maybe\n  consumer-association:\n",
     "urgent: maybe", "channels.12315.urgent", "true or false"),
    ("  consumer-association:\n    name:", "  consumer-association:\n    owner: li\n    name:",
     "owner: li", "channels.consumer-association.owner", "unknown key"),
    ("  regulator:\n    name: {zh: 市场监管部门, en: Market regulator}",
     "  regulator:\n    name: {zh: 市场监管部门}", "{zh: 市场监管部门}", "channels.regulator.name",
     "missing translation"),
    ('  "12315":\n', "  'Heimao':\n", "'Heimao':", "channels.Heimao", "invalid id 'Heimao'"),
    ("channels:\n", "channels:\n  12315:\n    name: {zh: 一, en: One}\n    urgent: false\n",
     '  "12315":', "channels.12315", "duplicate id"),
])
def test_policy_errors_name_file_line_and_entry(tmp_path, old, new, needle, field, words):
    assert SHIPPED_TEXT.count(old) == 1
    text = SHIPPED_TEXT.replace(old, new)
    path = write_policy(tmp_path, text)
    with pytest.raises(PlannerError) as caught:
        load_policy(tmp_path)
    err = caught.value
    line = line_number(text, needle)
    assert (err.file, err.line, err.field) == (path, line, field)
    assert words in render_error(err)
    assert render_error(err).startswith(f"{path}:{line}: {field}: ")


def test_an_unquoted_numeric_channel_id_is_read_as_text(tmp_path):
    write_policy(tmp_path, SHIPPED_TEXT.replace('  "12315":\n', "  12315:\n"))
    policy = load_policy(tmp_path)
    assert list(policy.channels) == ["12315", "consumer-association", "regulator"]
    assert triage(policy, "quality", channel="12315").reasons == ("channel",)


def test_channels_must_be_a_mapping(tmp_path):
    start = SHIPPED_TEXT.index("channels:\n")
    end = SHIPPED_TEXT.index("# Customers flagged VIP")
    text = SHIPPED_TEXT[:start] + "channels: [12315]\n\n" + SHIPPED_TEXT[end:]
    path = write_policy(tmp_path, text)
    with raises_message(f"^{path}:{line_number(text, 'channels: [')}: channels: wrong type"):
        load_policy(tmp_path)


def test_aliases_and_channels_may_be_left_out(tmp_path):
    start, end = SHIPPED_TEXT.index("# Old category ids"), SHIPPED_TEXT.index("vip_category:")
    write_policy(tmp_path, SHIPPED_TEXT[:start] + SHIPPED_TEXT[end:])
    policy = load_policy(tmp_path)
    # a shop's file written before channels existed gets the shipped ones
    assert policy.aliases == {} and policy.channels == shipped_policy().channels
    assert policy.channel_is_urgent("12315")


def test_an_empty_channel_list_means_no_known_channels(tmp_path):
    start, end = SHIPPED_TEXT.index("# Old category ids"), SHIPPED_TEXT.index("vip_category:")
    write_policy(tmp_path, SHIPPED_TEXT[:start] + "channels: {}\n\n" + SHIPPED_TEXT[end:])
    policy = load_policy(tmp_path)
    assert policy.channels == {}
    assert triage(policy, "quality", channel="12315").level == "I"
    with raises_message("unknown value 'infringement'"):
        triage(policy, "infringement")


def test_a_channel_can_be_named_without_making_it_urgent(tmp_path):
    write_policy(tmp_path, SHIPPED_TEXT.replace(
        "channels:\n", "channels:\n  phone:\n    name: {zh: 电话, en: Phone}\n"
                       "    urgent: false\n"))
    policy = load_policy(tmp_path)
    assert policy.channel_name("phone", "zh") == "电话"
    assert triage(policy, "quality", channel="phone").level == "I"


def test_a_policy_from_before_the_channel_trigger_still_loads(tmp_path):
    start = SHIPPED_TEXT.index("    channel:\n      zh:")
    end = SHIPPED_TEXT.index("# The handling procedure")
    write_policy(tmp_path, SHIPPED_TEXT[:start] + "\n" + SHIPPED_TEXT[end:])
    triggers = load_policy(tmp_path).urgent.triggers
    assert triggers["channel"] == shipped_policy().urgent.triggers["channel"]


def test_missing_level_is_reported(tmp_path):
    text = SHIPPED_TEXT.replace("  - id: I\n    name: {zh: I 级, en: Level I}\n", "")
    write_policy(tmp_path, text)
    with raises_message("levels missing: I"):
        load_policy(tmp_path)

def test_the_categories_doc_accounts_for_every_seed_category_and_id(policy):
    doc = (Path(__file__).resolve().parent.parent / "docs" / "categories.md").read_text(
        encoding="utf-8")
    seed = [f"| {number} " for number in (
        "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "2.1", "2.2", "2.3",
        "3.1", "3.2", "3.3", "3.4", "1.", "2.", "3.", "4.")]
    assert [row for row in seed if row not in doc] == []
    for category in policy.categories:
        assert f"`{category}` {policy.category_name(category, 'zh')}" in doc, category
    for old, new in policy.aliases.items():
        assert f"| `{old}` | `{new}` |" in doc
    for channel in policy.channels:
        assert f"| `{channel}` | {policy.channel_name(channel, 'zh')} |" in doc
    for trigger in policy.urgent.triggers:
        assert f"`{trigger}`" in doc
