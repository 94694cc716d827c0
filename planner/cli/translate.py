"""Click's own words (usage errors, help headings) in the user's language.

Click marks its messages for gettext (``_("Usage:")``, ``ngettext(...)``). This module puts
a look-up of its own in their place, in every Click module that has one: the English message
is the key, its Chinese is the ``zh`` of the ``click.*`` entries of
templates/messages/cli.yaml. English costs nothing: the message is returned as it is, and the
catalogue is read only when Chinese is wanted.

The language of the words Click prints before any option is processed (a "No such option"
comes from the parser) is guessed from the command line first: `early_lang` finds --lang as
the command would, else PLANNER315_LANG, else the `lang:` of the shop file the command would
find, else the locale. Once a command has opened its workspace, what it settled on wins.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from planner.core.limits import MAX_YAML_BYTES

LANGS = ("zh", "en")
# Click modules that call gettext; each keeps `_` / `ngettext` as a module global.
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "shell_completion",
                 "termui", "types", "utils", "_termui_impl")
# Option help that Click writes for us: bilingual in either language, as every other option's
# help is (and Click keeps the help option of a command once made, whatever the language).
ALWAYS_BOTH = {"Show this message and exit.": "Show this message and exit / 显示帮助并退出."}

_state = {"lang": "en"}


def set_lang(lang: str) -> None:
    """The language of Click's messages from now on (this process)."""
    _state["lang"] = lang if lang in LANGS else "en"


def active_lang() -> str:
    return _state["lang"]


@cache
def catalogue() -> dict[str, str]:
    """English message of Click -> Chinese."""
    from planner.core.i18n import messages

    return {entry["en"]: entry["zh"] for key, entry in messages().items()
            if key.startswith("click.")}


class _Chinese(str):
    """A Chinese message of Click's, finished when Click fills it in: the words Click puts in
    untranslated (the name of a number type) in Chinese, and the punctuation Click writes
    around a message it built (the error's text) made full-width."""

    def format(self, /, *args: object, **params: object) -> str:
        number_type = params.get("number_type")
        if isinstance(number_type, str):
            params["number_type"] = catalogue().get(number_type, number_type)
        message = params.get("message")
        if isinstance(message, str):
            params["message"] = tidy(message)
        return str.format(self, *args, **params)


# Click writes "{missing}{param_hint}.{extra}" and "{message} {did_you_mean}" itself.
_MISSING_STOP = re.compile(r"^(缺少\S*(?: '[^'\n]*'(?: / '[^'\n]*')*)?)\.(?: |$)")
_SUGGESTION_SPACE = re.compile(r"([。？]) (?=（?是不是要输入)")


class Later(str):
    """A message of Click's that Click reads before any language is known (the version
    option's, made when the module is imported): translated when Click fills it in."""

    def __mod__(self, values: object) -> str:
        return str.__mod__(gettext(str.__str__(self)), values)


def tidy(message: str) -> str:
    """A Chinese usage error with the ASCII punctuation Click joins its parts with made
    full-width: "缺少参数 'FILE'." → "缺少参数 'FILE'。",
    "…'。 是不是要输入" → "…'。是不是要输入"."""
    message = _MISSING_STOP.sub(r"\1。", message, count=1)
    return _SUGGESTION_SPACE.sub(r"\1", message)


def gettext(message: str) -> str:
    if message in ALWAYS_BOTH:
        return ALWAYS_BOTH[message]
    if _state["lang"] == "en":
        return message
    found = catalogue().get(message)
    return message if found is None else _Chinese(found)


def ngettext(singular: str, plural: str, count: int) -> str:
    return gettext(singular if count == 1 else plural)


# --- help text with Chinese in it ---------------------------------------------------------

# A character after or before which a line break of the source is no space: Chinese, and the
# full-width and typographic punctuation Chinese text uses.
_CHINESE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026"
_HAS_CHINESE = re.compile(f"[{_CHINESE}]")
_ENDS_CHINESE = re.compile(f"[{_CHINESE}]$")
_click_wrap_text: list = []  # Click's own wrap_text, once replaced


def joined(lines: Sequence[str]) -> str:
    """The lines of a paragraph as one line: a space where a line broke, none between two
    Chinese characters ("GBK 编码，" + "其他编码" → "GBK 编码，其他编码")."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text and not (_ENDS_CHINESE.search(text) and _HAS_CHINESE.match(line)):
            text += " "
        text += line
    return text


def wrap_text(text: str, width: int = 78, initial_indent: str = "",
              subsequent_indent: str = "", preserve_paragraphs: bool = False) -> str:
    """Click's wrap_text (help text and option help), for text with Chinese in it joined as
    Chinese and wrapped counting a Chinese character as two columns (Click counts one)."""
    click_wrap = _click_wrap_text[0]
    if not _HAS_CHINESE.search(text):
        return click_wrap(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    from planner.present.text import wrap

    paragraphs: list[tuple[int, list[str]]] = []  # as Click splits them: at empty lines
    for line in text.expandtabs().splitlines() if preserve_paragraphs else [text]:
        if not line:
            paragraphs.append((0, []))
        elif not paragraphs or not paragraphs[-1][1]:
            paragraphs[-1:] = [(len(line) - len(line.lstrip()), [line])]
        else:
            paragraphs[-1][1].append(line)
    out = []
    for indent, lines in paragraphs:
        if not lines:
            continue
        if lines[0].strip() == "\b" or not _HAS_CHINESE.search("".join(lines)):
            out.append(click_wrap("\n".join(lines), width, initial_indent, subsequent_indent,
                                  preserve_paragraphs))
            continue
        first, rest = initial_indent + " " * indent, subsequent_indent + " " * indent
        room = max(width - max(len(first), len(rest)), 10)
        body, extra = _EXTRA.match(joined(lines)).groups()  # "[必填]" is never split
        wrapped = wrap(body, room)
        if extra and term_width(wrapped[-1]) + 2 + term_width(extra) <= room:
            wrapped[-1] += "  " + extra
        elif extra:
            wrapped.append(extra)
        out.append("\n".join((rest if n else first) + line for n, line in enumerate(wrapped)))
    return "\n\n".join(out)


# What Click puts after an option's help: "  [默认：table]", "  [必填]", "  [2000<=x<=2100]".
_EXTRA = re.compile(r"(.*?)(?:\s+(\[[^\[\]]*\]))?$", re.DOTALL)


def _full_width_colons(formatter: type) -> None:
    """Help headings ("选项：") and the usage line ("用法：planner315 …") end with a
    full-width colon in Chinese; Click writes an ASCII one after the heading itself."""
    write_heading, write_usage = formatter.write_heading, formatter.write_usage

    def heading(self: Any, name: str) -> None:
        if _state["lang"] != "zh":
            return write_heading(self, name)
        self.write(f"{'':>{self.current_indent}}{name}：\n")

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None and _state["lang"] == "zh":
            prefix = gettext("Usage:")  # "用法：", no space after a full-width colon
        write_usage(self, prog, args, prefix)

    formatter.write_heading, formatter.write_usage = heading, usage


def term_width(text: str) -> int:
    """Click's term_len in terminal columns: a Chinese character takes two."""
    if text.isascii():
        from click._compat import term_len

        return term_len(text)
    from planner.present.text import width

    return width(text)


def install() -> None:
    """Put our look-up into Click's modules, and our wrap_text into its help formatter
    (once; idempotent)."""
    import importlib
    import sys

    import click.formatting

    if not _click_wrap_text:
        _click_wrap_text.append(click.formatting.wrap_text)
        click.formatting.wrap_text = wrap_text
        click.formatting.term_len = term_width  # the options' column, "用法：" before usage
        _full_width_colons(click.formatting.HelpFormatter)

    for name in CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            if name == "_termui_impl":
                continue  # loaded only for pagers and progress bars; rarely matters
            try:
                module = importlib.import_module(f"click.{name}")
            except ImportError:  # a module a later Click renamed
                continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


# --- guessing the language from the command line ----------------------------------------

_LANG_LINE = re.compile(r"^lang\s*:\s*[\"']?(zh|en)[\"']?\s*(?:#.*)?$", re.MULTILINE)


def _option_value(args: Sequence[str], long: str, short: str | None = None) -> str | None:
    """The value of the last ``--long V``, ``--long=V``, ``-s V`` or ``-sV`` before ``--``."""
    found = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        following = args[index + 1] if index + 1 < len(args) else None
        if arg == long or (short and arg == short):
            found = following
        elif arg.startswith(long + "="):
            found = arg[len(long) + 1:]
        elif short and arg.startswith(short) and len(arg) > len(short) and arg[1] != "-":
            found = arg[len(short):]
    return found


def _shop_lang(args: Sequence[str], environ: dict[str, str] | os._Environ) -> str | None:
    """The `lang:` of the shop file the command would read, without parsing any YAML."""
    shop = _option_value(args, "--shop")
    folder = _option_value(args, "--workspace", "-w") or environ.get("PLANNER315_WORKSPACE")
    candidates: list[Path] = []
    if shop:
        candidates.append(Path(shop))
    elif folder:
        candidates.append(Path(folder) / "shop.yaml")
    else:
        try:
            here = Path.cwd()
        except OSError:
            return None
        candidates += [path / "shop.yaml" for path in (here, *here.parents)]
    for path in candidates:
        try:
            if path.is_file():
                with open(path, "rb") as stream:  # no further than any reader of it goes
                    text = stream.read(MAX_YAML_BYTES).decode("utf-8", errors="replace")
                match = _LANG_LINE.search(text)
                return match.group(1) if match else None
        except OSError:
            return None
    return None


def early_lang(args: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """The language a command line will run in, as far as it can be told before parsing:
    --lang, else PLANNER315_LANG, else the shop file's lang, else the locale, else English."""
    from planner.core.i18n import locale_lang

    env = os.environ if environ is None else environ
    option = _option_value(args, "--lang", "-l")
    if option in LANGS:
        return option
    from_env = env.get("PLANNER315_LANG")
    if from_env in LANGS:
        return from_env
    return _shop_lang(args, env) or locale_lang(env) or "en"
