import pytest

from planner.campaign.items import load_items, parse_items, select
from planner.campaign.phases import load_campaign
from planner.core.errors import PlannerError
from planner.core.i18n import render_error
from planner.core.yamlio import parse_yaml

GOOD = """\
items:
  - id: prepare.copy.ad-law
    phase: prepare
    category: listing-copy
    owner: operations
    due: {from: start, days: 2}
    tiers: [small, large]
    title: {zh: 标题, en: Title}
    detail: {zh: 说明, en: Detail}
"""


def parse(text, name="items/x.yaml"):
    return parse_items(parse_yaml(text, name), name, load_campaign())


def test_parses_a_valid_item():
    [item] = parse(GOOD)
    assert item.id == "prepare.copy.ad-law"
    assert (item.due_from, item.due_days, item.tiers) == ("start", 2, ("small", "large"))
    assert item.title == {"zh": "标题", "en": "Title"}


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("phase: prepare", "phase: harvest", 3, "unknown value 'harvest'"),
        ("category: listing-copy", "category: copy", 4, "unknown value 'copy'"),
        ("owner: operations", "owner: ceo", 5, "unknown value 'ceo'"),
        ("tiers: [small, large]", "tiers: [tiny]", 7, "unknown value 'tiny'"),
        ("title: {zh: 标题, en: Title}", "title: {zh: 标题}", 8, "missing translation"),
        ("title: {zh: 标题, en: Title}", "title: {zh: 标题, en: Title, two}", 8, "unknown key"),
        ("detail: {zh: 说明, en: Detail}", "detail: {zh: '', en: Detail}", 9,
         "missing translation"),
        ("due: {from: start, days: 2}", "due: {from: middle, days: 2}", 6, "unknown value"),
        ("due: {from: start, days: 2}", "due: {from: start, days: -1}", 6, "due rule"),
        ("id: prepare.copy.ad-law", "id: battle.copy.ad-law", 2, "must start with its phase"),
        ("id: prepare.copy.ad-law", "id: Prepare Copy", 2, "invalid id"),
        ("    owner: operations\n", "    owner: operations\n    colour: red\n", 6,
         "unknown key"),
    ],
)
def test_invalid_items_name_file_line_and_item(old, new, line, message):
    text = GOOD.replace(old, new)
    with pytest.raises(PlannerError) as caught:
        parse(text)
    rendered = render_error(caught.value, "en")
    assert rendered.startswith(f"items/x.yaml:{line}: "), rendered
    assert message in rendered


def test_duplicate_id_is_an_error():
    text = GOOD + GOOD.split("items:\n", 1)[1]
    with pytest.raises(PlannerError) as caught:
        parse(text)
    assert "items/x.yaml:10: prepare.copy.ad-law: duplicate id" in render_error(caught.value, "en")


def test_errors_render_in_chinese():
    with pytest.raises(PlannerError) as caught:
        parse(GOOD.replace("owner: operations", "owner: ceo"))
    assert "未知取值“ceo”" in render_error(caught.value, "zh")


def test_yaml_syntax_error_names_line():
    with pytest.raises(PlannerError) as caught:
        parse("items:\n  - id: [unclosed\n")
    assert render_error(caught.value, "en").startswith("items/x.yaml:3: YAML syntax error")


# --- The shipped content. ---

def test_shipped_content_size():
    items = load_items()
    large, medium, small = (select(items, tier) for tier in ("large", "medium", "small"))
    assert len(large) >= 40
    assert len(small) < len(medium) < len(large)
    for tier_items in (large, medium, small):
        assert {item.phase for item in tier_items} == {"prepare", "battle", "aftermath"}


def test_shipped_content_covers_every_category_and_owner():
    items = load_items()
    campaign = load_campaign()
    assert {item.category for item in items} == set(campaign.categories)
    assert {item.owner for item in items} == set(campaign.owners)


def test_shipped_ids_are_unique_and_texts_bilingual():
    items = load_items()
    assert len({item.id for item in items}) == len(items)
    for item in items:
        assert item.title["zh"] != item.title["en"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in item.title["zh"])


def test_filters():
    items = load_items()
    prepare = select(items, "large", phase="prepare")
    assert prepare and all(item.phase == "prepare" for item in prepare)
    ops = select(items, "large", owner="operations", category="listing-copy")
    assert ops and all(i.owner == "operations" and i.category == "listing-copy" for i in ops)


def test_an_id_repeated_in_another_file_names_that_file_and_line():
    campaign = load_campaign()
    seen: set[str] = set()
    parse_items(parse_yaml(GOOD, "items/a.yaml"), "items/a.yaml", campaign, seen)
    with pytest.raises(PlannerError) as caught:
        parse_items(parse_yaml(GOOD, "items/b.yaml"), "items/b.yaml", campaign, seen)
    assert render_error(caught.value, "en") == "items/b.yaml:2: prepare.copy.ad-law: duplicate id"
