import json
import re
from importlib.resources import files

import pytest
from conftest import raises_message

from planner.complaints.playbook import CUSTOMER_TYPES, load_playbook, parse_playbook
from planner.core.errors import PlannerError
from planner.core.i18n import render_error, t
from planner.core.yamlio import parse_yaml

CJK = re.compile(r"[\u4e00-\u9fff]")
SCRIPT_FAMILIES = ["listening", "respect", "expectation", "confirm", "choices", "action",
                   "callback"]


def all_texts(book):
    for entry in book["customer_types"]:
        yield from (value for key, value in entry.items() if key != "id")
    for script in book["scripts"]:
        yield script["name"]
        yield from script["lines"]
    yield from book["principles"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_playbook_shape_and_language(lang):
    book = load_playbook(lang)
    assert [entry["id"] for entry in book["customer_types"]] == list(CUSTOMER_TYPES)
    for entry in book["customer_types"]:
        assert set(entry) == {"id", "name", "signs", "approach", "how", "words"}
    assert [script["id"] for script in book["scripts"]][:len(SCRIPT_FAMILIES)] == SCRIPT_FAMILIES
    assert all(2 <= len(script["lines"]) <= 4 for script in book["scripts"])
    assert len(book["principles"]) >= 5
    texts = list(all_texts(book))
    assert all(isinstance(text, str) and text for text in texts)
    if lang == "zh":
        assert all(CJK.search(text) for text in texts)
    else:
        assert not any(CJK.search(text) for text in texts)


def test_principles_cover_the_rules_of_answering():
    principles = " ".join(load_playbook("en")["principles"])
    for words in ("Feelings first", "Explain", "Apologise", "Coordinate", "Sanction",
                  "Correct", "another department", "not be the one complained about"):
        assert words in principles


def test_filter_by_customer_type():
    book = load_playbook("zh", "habitual")
    assert [entry["id"] for entry in book["customer_types"]] == ["habitual"]
    assert "认可" in book["customer_types"][0]["words"]
    assert len(book["scripts"]) == len(load_playbook("zh")["scripts"])
    with raises_message("unknown value 'angry'"):
        load_playbook("en", "angry")


GOOD = """\
customer_types:
  - id: quiet
    name: {zh: 静, en: Quiet}
    signs: {zh: 甲, en: a}
    approach: {zh: 乙, en: b}
    how: {zh: 丙, en: c}
    words: {zh: 丁, en: d}
scripts:
  - id: listening
    name: {zh: 听, en: Listen}
    lines:
      - {zh: 一, en: one}
      - {zh: 二, en: two}
principles:
  - {zh: 先情后理, en: Feelings first}
"""


def test_parse_a_valid_file():
    book = parse_playbook(parse_yaml(GOOD, "book.yaml"), "book.yaml")
    assert book["scripts"][0]["lines"][1] == {"zh": "二", "en": "two"}


@pytest.mark.parametrize(("old", "new", "line", "field", "words"), [
    ("words: {zh: 丁, en: d}", "words: {zh: 丁}", 7, "customer_types.quiet.words",
     "missing translation"),
    ("      - {zh: 二, en: two}", "      - {zh: 二, en: ''}", 13, "scripts.listening.lines[2]",
     "missing translation"),
    ("  - {zh: 先情后理, en: Feelings first}", "  - {en: Feelings first}", 15,
     "principles[1]", "missing translation"),
    ("  - id: quiet", "  - id: shy", 2, "customer_types.shy", "unknown value 'shy'"),
])
def test_playbook_errors_name_file_line_and_entry(old, new, line, field, words):
    with pytest.raises(PlannerError) as caught:
        parse_playbook(parse_yaml(GOOD.replace(old, new), "book.yaml"), "book.yaml")
    err = caught.value
    assert (err.file, err.line, err.field) == ("book.yaml", line, field)
    assert words in render_error(err)


# --- the command ----------------------------------------------------------------------------

def test_cli_table_in_both_languages(run):
    zh = run("playbook", "--lang", "zh")
    en = run("playbook", "--lang", "en")
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    assert "投诉应答手册" in zh.output and "激进型" in zh.output and "答复原则" in zh.output
    assert "Complaint answer playbook" in en.output and "Habitual" in en.output
    assert "Words that help" in en.output and "Call back" in en.output


def test_cli_json_and_type_filter(run):
    result = run("playbook", "--type", "aggressive", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [entry["id"] for entry in data["customer_types"]] == ["aggressive"]
    assert data == load_playbook("en", "aggressive")


def test_cli_markdown(run):
    result = run("playbook", "--format", "markdown", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 投诉应答手册")
    assert "## 应答话术" in result.output and "### 回访" in result.output
    assert "| 类型 | 表现 |" in result.output


def test_cli_bad_type_is_a_usage_error(run):
    result = run("playbook", "--type", "angry")
    assert result.exit_code == 2
    assert "angry" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scripts_techniques_and_disputes_each_under_their_heading(run, lang):
    book = load_playbook(lang)
    kinds = [script["kind"] for script in book["scripts"]]
    assert kinds.count(None) == 7 and "technique" in kinds and "dispute" in kinds
    text = run("playbook", "--lang", lang).output
    headings = [t(key, lang) for key in ("playbook.scripts", "playbook.techniques",
                                          "playbook.disputes", "playbook.principles")]
    places = [text.index(f"\n{heading}\n") for heading in headings]
    assert places == sorted(places)
    for script in book["scripts"]:
        group = {None: 0, "technique": 1, "dispute": 2}[script["kind"]]
        assert places[group] < text.index(f"[{script['name']}]") < places[group + 1]
    markdown = run("playbook", "--lang", lang, "--format", "markdown").output
    assert [line[3:] for line in markdown.splitlines() if line.startswith("## ")][1:] == headings


def test_the_notice_reminds_of_the_answer_scripts_only():
    from planner.export.notice import reminders_from_playbook

    book = load_playbook("en")
    reminders = "\n".join(reminders_from_playbook(book, "en"))
    for script in book["scripts"]:
        assert (script["name"] in reminders) == (script["kind"] is None), script["id"]


def test_an_unknown_kind_is_named():
    text = (files("planner.templates") / "playbook.yaml").read_text(encoding="utf-8")
    text = text.replace("    kind: technique", "    kind: [technique]", 1)
    line = text[: text.index("kind: [technique]")].count("\n") + 1
    with raises_message(rf"playbook.yaml:{line}: scripts\.vent\.kind: wrong type"):
        parse_playbook(parse_yaml(text, "playbook.yaml"), "playbook.yaml")
