"""`audit copy`: every category of the term list found in realistic listings, the classic
false positives not reported, a shop's own terms and allowed phrases honoured."""

from __future__ import annotations

import json

import pytest

HEADER = "商品ID,标题,副标题,详情\n"


def listings(tmp_path, *rows: tuple[str, str, str, str], name="listings.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def findings(run, path, *extra):
    result = run("audit", "copy", path, "--format", "json", *extra)
    assert result.exit_code in (0, 3), result.output
    return result, json.loads(result.stdout)


@pytest.mark.parametrize(("text", "term", "category", "severity"), [
    ("本店最佳选择", "最佳", "absolute", "violation"),
    ("销量第一的保温杯", "销量第一", "absolute", "violation"),
    ("全网唯一正品渠道", "唯一", "absolute", "risk"),
    ("顶级工艺", "顶级", "absolute", "violation"),
    ("极品大红袍", "极品", "absolute", "violation"),
    ("国家级品质", "国家级", "absolute", "violation"),
    ("热卖NO.1", "NO.1", "absolute", "violation"),
    ("热卖ｎｏ．１单品", "ｎｏ．１", "absolute", "violation"),
    ("机关单位特供茶", "特供", "state", "violation"),
    ("国家机关推荐品牌", "国家机关推荐", "state", "violation"),
    ("每天喝可降血压", "降血压", "medical", "violation"),
    ("能够消炎止痛", "消炎", "medical", "violation"),
    ("祛斑精华液", "祛斑", "efficacy", "risk"),
    ("三天见效无效退款", "无效退款", "guarantee", "risk"),
    ("100%有效果", "100%有效", "guarantee", "violation"),
    ("全网最低价清仓", "全网最低价", "price", "violation"),
    ("原价299今日129", "原价", "price", "warning"),
    ("限量秒杀", "秒杀", "urgency", "warning"),
    ("仅此一次的机会", "仅此一次", "urgency", "warning"),
])
def test_every_category_is_found(run, tmp_path, text, term, category, severity):
    path = listings(tmp_path, ("1001", "保温杯", "", text))
    result, data = findings(run, path)
    assert result.exit_code == 3
    found = [(f["term"], f["category"], f["severity"]) for f in data["findings"]]
    assert found == [(term, category, severity)]
    finding = data["findings"][0]
    assert finding["item_id"] == "1001" and finding["field"] == "description"
    assert finding["row"] == 2
    assert f"【{term}】" in finding["context"]
    assert finding["basis"] and finding["suggestion"]


@pytest.mark.parametrize("innocent", [
    "最近上新", "最后一天发货", "第一次购买", "第一时间发货", "唯一性校验码", "首次下单立减",
    "最佳赏味期18个月", "最佳食用期内饮用", "国家级非物质文化遗产技艺", "100%纯棉面料",
    "最多可装20件", "最初的味道",
])
def test_false_positive_traps_are_not_reported(run, tmp_path, innocent):
    path = listings(tmp_path, ("1001", innocent, innocent, innocent))
    result, data = findings(run, path)
    assert data["findings"] == [], data["findings"]
    assert result.exit_code == 0
    assert data["summary"] == {"violation": 0, "risk": 0, "warning": 0}


def test_an_allowed_phrase_shadows_only_itself(run, tmp_path):
    """最佳赏味期 is allowed; 最佳 elsewhere in the same text is still a finding."""
    path = listings(tmp_path, ("1001", "", "", "最佳赏味期一年，最佳口感"))
    _, data = findings(run, path)
    assert [(f["term"], f["context"]) for f in data["findings"]] == [
        ("最佳", "最佳赏味期一年，【最佳】口感")]


def test_each_term_once_per_field_and_every_field(run, tmp_path):
    path = listings(tmp_path, ("1001", "顶级茶 顶级礼盒", "顶级", "顶级顶级"))
    _, data = findings(run, path)
    assert [(f["field"], f["term"]) for f in data["findings"]] == [
        ("title", "顶级"), ("subtitle", "顶级"), ("description", "顶级")]


def test_html_descriptions_are_read_as_text(run, tmp_path):
    html = '"<p style=""color:red"">顶级</p><img src=""a.jpg"">"'
    path = listings(tmp_path, ("1001", "", "", html))
    _, data = findings(run, path)
    assert [f["term"] for f in data["findings"]] == ["顶级"]
    assert "<" not in data["findings"][0]["context"]


def shop_terms(tmp_path, text):
    (tmp_path / "shop.yaml").write_text("name: 示例店\nsize: medium\n", encoding="utf-8")
    (tmp_path / "audit-terms.yaml").write_text(text, encoding="utf-8")


def test_a_shops_own_terms_and_allowed_phrases(run, tmp_path):
    shop_terms(tmp_path, "terms:\n"
               "  - {term: 爆款之王, category: absolute, severity: risk,"
               " suggestion: {zh: 热销款, en: best-seller}}\n"
               "allow: [最佳拍档, 第一批]\n")
    path = listings(tmp_path, ("1001", "爆款之王", "最佳拍档套装", "第一批现货"))
    _, data = findings(run, path, "--workspace", tmp_path)
    assert [(f["term"], f["severity"], f["suggestion"]) for f in data["findings"]] == [
        ("爆款之王", "risk", "best-seller")]
    _, zh = findings(run, path, "--workspace", tmp_path, "--lang", "zh")
    assert zh["findings"][0]["suggestion"] == "热销款"
    assert "广告法" in zh["findings"][0]["basis"]  # the category's basis


@pytest.mark.parametrize(("text", "message"), [
    ("terms:\n  - {term: 王者, category: boasting, severity: risk,"
     " suggestion: {zh: a, en: b}}\n", r"audit-terms.yaml:2: terms.0.category: .*boasting"),
    ("terms:\n  - {term: 王者, category: absolute, severity: fatal,"
     " suggestion: {zh: a, en: b}}\n", r"audit-terms.yaml:2: terms.0.severity: .*fatal"),
    ("terms:\n  - {term: 王者, category: absolute, severity: risk}\n",
     r"audit-terms.yaml:2: terms.0.suggestion"),
    ("terms:\n  - {term: 王者, category: absolute, severity: risk, colour: red,"
     " suggestion: {zh: a, en: b}}\n", r"audit-terms.yaml:2: terms.0.colour"),
    ("words: [a]\n", r"audit-terms.yaml:1: words: unknown key"),
    ("allow: 最佳\n", r"audit-terms.yaml:1: allow"),
])
def test_a_shops_term_file_is_checked(run, tmp_path, text, message):
    import re

    shop_terms(tmp_path, text)
    path = listings(tmp_path, ("1001", "标题", "", ""))
    result = run("audit", "copy", path, "--workspace", tmp_path)
    assert result.exit_code == 1
    assert re.search(message, result.output), result.output


def test_table_is_grouped_by_severity_with_a_summary(run, tmp_path):
    path = listings(tmp_path, ("1001", "顶级好茶", "限时秒杀", "美白"))
    result = run("audit", "copy", path, "--lang", "zh")
    assert result.exit_code == 3
    out = result.stdout
    assert out.index("违规 (1)") < out.index("风险 (1)") < out.index("提醒 (1)")
    assert "依据（绝对化用语（极限词））：《广告法》第九条第三项" in out
    assert out.rstrip().splitlines()[-1] == (
        "文案审核：共 1 行，违规 1，风险 1，提醒 1，无法读取 0 处")
    markdown = run("audit", "copy", path, "--format", "markdown").stdout
    assert "### Violation (1)" in markdown and "| 2 | 1001 | title | 顶级 |" in markdown


def test_a_clean_file_exits_zero(run, tmp_path):
    path = listings(tmp_path, ("1001", "帆布托特包", "通勤百搭", "加厚帆布"))
    result = run("audit", "copy", path)
    assert result.exit_code == 0
    assert "0 violations, 0 risks, 0 warnings" in result.stdout
