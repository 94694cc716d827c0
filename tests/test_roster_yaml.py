"""roster.yaml is written by libyaml's dumper, a chunk of contacts at a time: the bytes are
those PyYAML's pure-Python dumper gives for the whole document at once."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.roster import importing
from planner.roster.contacts import FIELDS
from planner.roster.importing import roster_yaml

TRICKY = st.one_of(
    st.text(max_size=140),  # any text: quotes, colons, control characters, long lines
    st.sampled_from(["yes", "no", "null", "~", "0571-88886666-801", "013800138000", "1e3",
                     "2027-03-15", "a: b", "- x", "# not a comment", "值班 主管：张敏",
                     "长" * 80, "x " * 70, "小王😀", "a\x85b", "'quoted'", '"quoted"',
                     " padded ", "\tt"]),
    st.integers(-10**12, 10**12), st.booleans(),
)
CONTACT = st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.none(), TRICKY), min_size=1)


def pure_whole(contacts, lang):
    """What the pure-Python dumper writes for the whole document at once (the old way)."""
    entries = [{field: contact[field] for field in FIELDS if contact.get(field) is not None}
               for contact in contacts]
    body = yaml.dump({"contacts": entries}, Dumper=yaml.SafeDumper, allow_unicode=True,
                     sort_keys=False, default_flow_style=False, width=100)
    return roster_yaml([], lang).rsplit("contacts:", 1)[0] + body


@settings(max_examples=300, deadline=None)
@given(st.lists(CONTACT, max_size=12), st.integers(1, 5), st.sampled_from(["zh", "en"]))
def test_libyaml_in_chunks_writes_the_pure_dumpers_bytes(contacts, chunk, lang):
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the fast dumper is missing"
    original = importing.ROSTER_CHUNK
    importing.ROSTER_CHUNK = chunk
    try:
        fast = roster_yaml(contacts, lang)
    finally:
        importing.ROSTER_CHUNK = original
    assert fast.encode() == pure_whole(contacts, lang).encode()
    assert roster_yaml(contacts, lang, dumper=yaml.SafeDumper) == fast
    if "\x85" in fast:  # NEL: the pure dumper's own bytes do not read back the same
        return
    assert (yaml.safe_load(fast) or {}).get("contacts", []) == [
        {k: v for k, v in contact.items() if v is not None} for contact in contacts]


def test_text_and_numbers_skip_the_representer(monkeypatch):
    """The nodes of plain contacts are made directly (the representer is the slow part)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the representer was used")

    contacts = [{"department": "cs-manager", "name": "张伟", "escalation": 1},
                {"department": "仓储部", "name": "刘洋", "mobile": "13800138000"}]
    expected = pure_whole(contacts, "zh")
    monkeypatch.setattr(yaml.representer.BaseRepresenter, "represent", refuse)
    assert roster_yaml(contacts, "zh") == expected
