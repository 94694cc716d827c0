"""Chinese all the way through: Click's own words, names typed in Chinese, one id per role."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import click
import pytest

from planner.cli.translate import early_lang
from planner.core.i18n import messages

# Messages Click raises for a programmer's mistake, never for a user's.
PROGRAMMER_ERRORS = ("Arguments take exactly", "Boolean option", "Could not determine name",
                     "No options defined", "d")


def click_messages():
    folder = Path(click.__file__).parent
    found = set()
    for path in folder.glob("*.py"):
        if path.name.startswith("_win"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "ngettext")):
                for arg in node.args[:2 if node.func.id == "ngettext" else 1]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
    return {text for text in found - {"Show this message and exit."}  # always bilingual
            if not any(text == p or text.startswith(p + " ") for p in PROGRAMMER_ERRORS)}


def test_every_message_click_marks_for_translation_has_chinese():
    catalogue = {entry["en"] for key, entry in messages().items() if key.startswith("click.")}
    assert click_messages() - catalogue == set()


def only_line(result, code=2):
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if line.startswith(("Error", "错误"))]


@pytest.mark.parametrize(("args", "expected"), [
    (["check", "--lang", "zh"], "错误：缺少参数 'ITEMS...'。"),
    (["plan", "--sise", "large", "--lang", "zh"],
     "错误：没有这个选项：'--sise'。是不是要输入 '--size'？"),
    (["plan", "extra", "--lang", "zh"], "错误：多出了参数（extra）"),
    (["complaint", "lisst", "--lang", "zh"], "错误：没有这个命令：'lisst'。是不是要输入 'list'？"),
    (["skip", "prepare.promo.prizes", "--lang", "zh"], "错误：缺少选项 '--reason' / '-r'。"),
    (["status", "--year", "1999", "--lang", "zh"],
     "错误：'--year' / '-y' 的值无效：1999 不在范围 2000<=x<=2100 内。"),
    (["log", "--limit", "abc", "--lang", "zh"],
     "错误：'--limit' / '-n' 的值无效：'abc' 不是有效的整数。"),
    (["status", "--year", "abc", "--lang", "zh"],
     "错误：'--year' / '-y' 的值无效：'abc' 不是有效的整数。"),
])
def test_usage_errors_in_chinese(run, args, expected):
    assert only_line(run(*args)) == [expected]


def test_usage_errors_stay_english_in_english(run):
    assert only_line(run("check", "--lang", "en")) == ["Error: Missing argument 'ITEMS...'."]
    assert only_line(run("log", "--limit", "abc", "--lang", "en")) == [
        "Error: Invalid value for '--limit' / '-n': 'abc' is not a valid integer range."]
    assert only_line(run("plan", "--sise", "large", "--lang", "en")) == [
        "Error: No such option '--sise'. Did you mean '--size'?"]


def test_chinese_punctuation_of_what_click_joins():
    """Click ends a missing parameter with "." and joins a suggestion with " " itself."""
    from planner.cli.translate import tidy

    assert tidy("缺少参数 'FILE'.") == "缺少参数 'FILE'。"
    assert tidy("缺少选项 '--category' / '-c'. 可选：\n\tquality") == (
        "缺少选项 '--category' / '-c'。可选：\n\tquality")
    assert tidy("没有这个选项：'--x'。 是不是要输入 '--y'？") == (
        "没有这个选项：'--x'。是不是要输入 '--y'？")
    assert tidy("'a. b' 不是有效的整数。") == "'a. b' 不是有效的整数。"


def test_help_headings_and_command_list_in_chinese(run):
    result = run("--lang", "zh", "--help", prog_name="planner315")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("用法：planner315 [OPTIONS] COMMAND [ARGS]...")
    assert "\n选项：\n" in out and "\n命令：\n" in out
    assert "  check      将检查项标记为已完成\n" in out
    assert "Usage:" not in out and "Commands:" not in out
    sub = run("complaint", "--help", "--lang", "zh").output
    assert "  add       登记投诉" in sub and "命令：" in sub
    usage_error = run("--lang", "zh", "check", prog_name="planner315").output
    assert usage_error.startswith("用法：planner315 check [OPTIONS] ITEMS...\n")
    english = run("--lang", "en", "--help", prog_name="planner315").output
    assert english.startswith("Usage: planner315 [OPTIONS]") and "\nOptions:\n" in english


def test_command_language_comes_from_the_top_level_option(run, shop_file):
    shop_file("size: large\n")
    assert only_line(run("--lang", "zh", "check")) == ["错误：缺少参数 'ITEMS...'。"]
    result = run("--lang", "zh", "checklist", "--phase", "prepare")
    assert result.exit_code == 0 and "备战" in result.output


def test_language_from_env_then_shop_file_then_locale(run, shop_file, monkeypatch):
    shop_file("size: large\nlang: zh\n")
    assert only_line(run("check")) == ["错误：缺少参数 'ITEMS...'。"]
    monkeypatch.setenv("PLANNER315_LANG", "en")
    assert only_line(run("check")) == ["Error: Missing argument 'ITEMS...'."]
    assert early_lang([], {"LANG": "zh_CN.UTF-8"}) in ("zh", "en")  # the shop file wins here
    assert early_lang(["-w", "/nonexistent"], {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert early_lang(["--lang=en"], {"PLANNER315_LANG": "zh"}) == "en"
    assert early_lang(["-lzh"], {}) == "zh"


def test_every_command_has_a_summary():
    from planner.cli import COMMANDS

    for name in COMMANDS:
        assert f"cli.command.{name}" in messages(), name


# --- names as the output shows them ---------------------------------------------------------


def test_checklist_owner_and_category_by_chinese_name(run, shop_file):
    shop_file("size: large\n")
    by_id = run("checklist", "--owner", "operations", "-f", "json")
    by_name = run("checklist", "--owner", "运营部", "-f", "json")
    assert by_id.exit_code == 0 and by_id.output == by_name.output
    by_category = run("checklist", "-c", "促销与奖品", "-f", "json")
    assert json.loads(by_category.output) == json.loads(
        run("checklist", "-c", "promotion", "-f", "json").output)
    assert run("checklist", "--phase", "备战", "-f", "json").exit_code == 0
    assert run("plan", "--size", "大型店铺", "-f", "json").exit_code == 0


def test_a_wrong_name_lists_the_choices_with_both_names(run, shop_file):
    shop_file("size: large\n")
    line = only_line(run("checklist", "--owner", "运营", "--lang", "zh"))[0]
    assert "未知取值“运营”" in line and "、operations（运营部 / Operations）、" in line
    line = only_line(run("complaint", "add", "-c", "质量", "-s", "x", "--lang", "en"))[0]
    assert "quality (商品质量 / Product quality)" in line


def test_complaints_by_chinese_category_status_and_role(run, shop_file):
    shop_file("size: large\n")
    added = run("complaint", "add", "-c", "商品质量", "-s", "裂纹", "--vip",
                "--received", "2026-11-20 10:00", "-f", "json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["complaint"]["category"] == "quality"
    assert run("complaint", "update", "TS-2026-0001", "--status", "处理中").exit_code == 0
    listed = run("complaint", "list", "--status", "处理中", "--owner", "客服主管",
                 "--level", "III 级", "-f", "json")
    assert [c["number"] for c in json.loads(listed.output)] == ["TS-2026-0001"]
    assert run("playbook", "--type", "激进型").exit_code == 0


# --- one id per role ------------------------------------------------------------------------


def test_the_cs_supervisor_is_the_cs_manager(run, shop_file):
    shop_file("size: large\n")
    result = run("complaint", "triage", "-c", "quality", "--vip", "-f", "json")
    assert json.loads(result.output)["handler"] == "cs-manager"
    old = run("checklist", "--owner", "cs-supervisor", "-f", "json")
    assert old.output == run("checklist", "--owner", "cs-manager", "-f", "json").output
    run("complaint", "add", "-c", "quality", "-s", "x", "--vip", "--received", "2026-11-20 10:00")
    listed = run("complaint", "list", "--owner", "cs-supervisor", "-f", "json")
    assert [c["handler"] for c in json.loads(listed.output)] == ["cs-manager"]


def test_a_shops_own_policy_with_the_old_role_id_still_loads(run, shop_file, tmp_path):
    from importlib.resources import files

    shop_file("size: large\n")
    shipped = (files("planner.templates") / "policy.yaml").read_text(encoding="utf-8")
    old = shipped.replace("  cs-manager: {zh: 客服主管/经理", "  cs-supervisor: {zh: 客服主管/经理")
    old = old.replace("handler: cs-manager", "handler: cs-supervisor")
    assert "cs-manager" not in old.split("categories:")[0].split("roles:")[1]
    (tmp_path / "policy.yaml").write_text(old, encoding="utf-8")
    result = run("complaint", "triage", "-c", "quality", "--vip", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["handler"] == "cs-manager"


def test_saved_complaints_of_the_old_role_id_move_to_the_one_id(run, shop_file, tmp_path):
    from conftest import old_database, v3_complaint

    from planner.workspace.layout import DB_FILE

    shop_file("size: large\n")
    old_database(tmp_path / DB_FILE, 3, complaints=[
        v3_complaint(1, "2026-11-20T10:00:00+08:00", level="III", handler="cs-supervisor",
                     rule="same-day")])
    listed = run("complaint", "list", "--owner", "cs-manager", "-f", "json")
    assert listed.exit_code == 0, listed.output
    assert [c["handler"] for c in json.loads(listed.output)] == ["cs-manager"]


# --- a group typed without its command -------------------------------------------------------


@pytest.mark.parametrize("group", ["complaint", "export", "import", "audit"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_group_without_its_command_prints_its_help_as_help(run, group, lang):
    """Click answers `planner315 complaint` with the group's help (exit 2): on many lines,
    as --help writes it, not squashed onto one line with its line breaks shown as \\x0a."""
    result = run("--lang", lang, group)
    assert result.exit_code == 2
    assert "\\x0a" not in result.output
    help_text = run("--lang", lang, group, "--help").output
    assert result.output.strip() == help_text.strip()


def test_chinese_command_summaries_are_whole_chinese_sentences(run):
    """The command lists of the groups' --help in Chinese: the Chinese paragraph (not an
    English one that quotes a Chinese word), cut at a sentence's end, never inside brackets."""
    import re

    for group in ("complaint", "export", "import", "roster", "audit"):
        out = run("--lang", "zh", group, "--help").output
        entries: list[str] = []  # a command's summary, with the lines it wraps onto
        for line in filter(None, out.split("命令：\n", 1)[1].splitlines()):
            if line.startswith("   "):
                entries[-1] += line.strip()
            else:
                entries.append(line.split(None, 1)[1])
        for summary in entries:
            assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", summary), summary
            assert summary.count("（") == summary.count("）"), summary
    complaint = run("complaint", "--help", "--lang", "zh").output
    assert "  approve   客服主管审批解决方案\n" in complaint
    assert "  copy        检查标题、副标题和详情中的极限词、违规宣传用语，给出依据和修改建议\n" in (
        run("--lang", "zh", "audit", "--help").output)


def help_pages():
    from planner.cli import main

    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        yield [name]
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                yield [name, sub]


def test_chinese_help_text_is_joined_and_wrapped_as_chinese(run):
    """A docstring's Chinese paragraph keeps no space where its source line broke
    ("编码， 其他编码"), and wraps at the help's width counting a Chinese character as two
    columns."""
    import re

    from planner.present.text import width

    cjk = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    for lang in ("zh", "en"):
        for path in help_pages():
            out = run("--lang", lang, *path, "--help").output
            for line in out.splitlines():
                assert not re.search(f"{cjk} {cjk}", line), (path, line)
                assert width(line) <= 80 or line.startswith("    planner315 "), (path, line)
    out = run("--lang", "zh", "roster", "import", "--help").output
    assert "GBK 编码，其他编码（如繁体的 big5）用" in re.sub(r"\n *", "", out)


def test_version_in_the_users_language(run):
    from planner import __version__

    assert run("--lang", "zh", "--version").output == f"planner315，版本 {__version__}\n"
    assert run("--lang", "en", "-V").output == f"planner315, version {__version__}\n"


@pytest.mark.parametrize("group", ["complaint", "export", "import", "roster", "audit"])
def test_every_group_takes_the_language_before_its_command(run, group):
    result = run(group, "--lang", "zh", "--help")
    assert result.exit_code == 0, result.output
    assert "\n命令：\n" in result.output
