"""One name per thing: shipped texts use the canonical terms of templates/glossary.yaml.

Every string in the checklists, the templates (playbook, policy, notices, messages, the
commented shop files) and the README is scanned for the synonyms the glossary says to avoid.
English texts carry no Chinese characters; the Chinese content carries no stray English.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECKLISTS = ROOT / "checklists"
TEMPLATES = ROOT / "templates"
GLOSSARY = TEMPLATES / "glossary.yaml"
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def glossary():
    return yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]


def yaml_files():
    files = sorted(CHECKLISTS.glob("*.yaml")) + sorted((CHECKLISTS / "items").glob("*.yaml"))
    files += sorted(TEMPLATES.glob("*.yaml")) + sorted((TEMPLATES / "messages").glob("*.yaml"))
    return [path for path in files if path != GLOSSARY]


def file_lang(path):
    for lang in ("zh", "en"):
        if f".{lang}." in path.name:
            return lang
    return None


def strings(value, lang, where):
    """(text, lang, where) for every string in a parsed YAML value; lang None when unknown."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, key if key in ("zh", "en") else lang, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from strings(item, lang, f"{where}[{number}]")
    elif isinstance(value, str):
        yield value, lang, where


def shipped_texts():
    for path in yaml_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield from strings(data, file_lang(path), path.relative_to(ROOT).as_posix())
    for path in [*sorted(TEMPLATES.glob("shop.*.yaml.txt")), ROOT / "README.md"]:
        yield path.read_text(encoding="utf-8"), file_lang(path), path.relative_to(ROOT).as_posix()


TEXTS = list(shipped_texts())


def test_glossary_shape():
    terms = glossary()
    ids = [term["id"] for term in terms]
    assert len(ids) == len(set(ids))
    for term in terms:
        assert term["zh"] and term["en"], term["id"]
        assert CJK.search(term["zh"]) and not CJK.search(term["en"]), term["id"]
        assert term["gloss"]["zh"] and term["gloss"]["en"], term["id"]
        assert not CJK.search(term["gloss"]["en"]), term["id"]
        assert set(term["avoid"]) == {"zh", "en"}, term["id"]
        for word in term["avoid"]["zh"] + term["avoid"]["en"]:
            assert word not in (term["zh"], term["en"]), term["id"]


def test_the_glossary_names_the_terms_of_issue_11():
    zh = {term["zh"] for term in glossary()}
    assert {"投诉处理单", "首次回复时限", "风控部", "激进型", "静俏型", "惯性型", "统一口径",
            "千牛/旺旺", "绝对化用语"} <= zh


@pytest.mark.parametrize("term", glossary(), ids=lambda term: term["id"])
def test_no_shipped_text_uses_an_avoided_synonym(term):
    found = []
    allow_zh = sorted({term["zh"], *term.get("allow", {}).get("zh", [])}, key=len, reverse=True)
    for text, lang, where in TEXTS:
        if lang in (None, "zh"):
            cleaned = text
            for word in allow_zh:
                cleaned = cleaned.replace(word, "")
            found += [(where, word) for word in term["avoid"]["zh"] if word in cleaned]
        if lang in (None, "en"):
            lowered = text.lower()
            found += [(where, word) for word in term["avoid"]["en"]
                      if re.search(rf"\b{re.escape(word.lower())}\b", lowered)]
    assert not found, f"use {term['zh']!r} / {term['en']!r} instead: {found}"


@pytest.mark.parametrize("term", [term for term in glossary() if term.get("with")],
                         ids=lambda term: term["id"])
def test_a_term_stands_beside_its_companion(term):
    missing = [where for text, lang, where in TEXTS
               if lang in (None, "zh") and term["zh"] in text and term["with"]["zh"] not in text]
    assert not missing, f"{term['zh']} without {term['with']['zh']}: {missing}"


def test_no_chinese_in_english_texts():
    leaks = [(where, text) for text, lang, where in TEXTS if lang == "en" and CJK.search(text)]
    assert not leaks


# Latin letters that belong in Chinese content: SKUs, QQ, VIP, the levels and T+1.
ALLOWED_LATIN = {"SKU", "QQ", "VIP", "I", "II", "III", "T"}
CONTENT = ("checklists/", "templates/playbook.yaml", "templates/policy.yaml",
           "templates/notice.zh.yaml")


def test_no_english_words_in_chinese_content():
    leaks = []
    for text, lang, where in TEXTS:
        if lang != "zh" or not where.startswith(CONTENT) or ".sections[" in where:
            continue
        words = set(re.findall(r"[A-Za-z]+", re.sub(r"\{[a-z_]+\}", "", text)))
        if words - ALLOWED_LATIN:
            leaks.append((where, sorted(words - ALLOWED_LATIN)))
    assert not leaks
