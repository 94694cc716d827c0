"""User-facing strings in Chinese and English, kept as YAML under templates/messages/.

Every file there maps a message key to ``{zh: ..., en: ...}``; placeholders use str.format
syntax. The files are read once, on the first lookup.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from planner.core.errors import Msg, PlannerError

LANGS = ("zh", "en")


@cache
def messages() -> dict[str, dict[str, str]]:
    """Every message: key -> ``{zh, en}``."""
    from importlib.resources import files

    from planner.core.snapshot import load_shipped

    names = sorted(entry.name for entry in (files("planner.templates") / "messages").iterdir()
                   if entry.name.endswith(".yaml"))
    merged: dict[str, dict[str, str]] = {}
    for name in names:
        merged.update(load_shipped("planner.templates", f"messages/{name}"))
    return merged


def t(key: str, lang: str, /, **params: Any) -> str:
    """The message `key` in `lang`, formatted with `params` (else English, else the key);
    a `Msg` parameter (a counted noun, a name) is rendered in `lang` first."""
    entry = messages().get(key)
    if entry is None:
        return key if not params else f"{key} {params}"
    text = entry.get(lang) or entry.get("en") or key
    params = {name: t(value, lang, **value.params) if isinstance(value, Msg) else value
              for name, value in params.items()}
    return text.format(**params)  # also turns the literal {{ }} of messages into { }


def bilingual(value: Any, name: str | None, line: int | None, field: str) -> dict[str, str]:
    """A ``{zh, en}`` text from a data file, both parts non-empty and nothing else; else an
    error naming the file, line and entry."""
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGS
    ):
        raise PlannerError("error.data-missing-translation", file=name, line=line, field=field)
    extra = set(value) - set(LANGS)
    if extra:  # e.g. an unquoted comma in a flow mapping split the English text
        raise PlannerError("error.unknown-key", file=name, line=line,
                           field=f"{field}.{sorted(map(str, extra))[0]}", allowed="zh, en")
    return {lang: value[lang].strip() for lang in LANGS}


def pick(text: Any, lang: str) -> str:
    """The `lang` variant of a ``{zh, en}`` mapping from the data files."""
    if isinstance(text, dict):
        return text.get(lang) or text.get("en") or ""
    return "" if text is None else str(text)


def locale_lang(environ: os._Environ | dict[str, str] | None = None) -> str | None:
    """`zh` when the locale is Chinese, `en` when a locale is set otherwise, None when unset."""
    env = os.environ if environ is None else environ
    value = env.get("LC_ALL") or env.get("LANG") or ""
    if not value:
        return None
    return "zh" if value.lower().startswith("zh") else "en"


def resolve_lang(option: str | None, shop_lang: str | None = None,
                 environ: dict[str, str] | None = None) -> str:
    """--lang, else PLANNER315_LANG, else the shop file, else the locale, else English."""
    env = os.environ if environ is None else environ
    from_env = env.get("PLANNER315_LANG") or None
    if from_env is not None and from_env not in LANGS:
        raise PlannerError("error.lang-env", value=from_env, field="PLANNER315_LANG")
    for candidate in (option, from_env, shop_lang):
        if candidate in LANGS:
            return candidate
    return locale_lang(env) or "en"


def error_location(err: PlannerError, lang: str) -> str:
    """``file:line: field`` of an error (``line 3: field`` without a file)."""
    parts = []
    if err.file:
        file = echoed(str(err.file), PATH_CHARS)
        parts.append(f"{file}:{err.line}" if err.line else file)
    elif err.line:
        parts.append(t("error.at-line", lang, line=err.line))
    if err.field:
        parts.append(echoed(str(err.field), FIELD_CHARS))
    return ": ".join(parts)


def render_error(err: PlannerError, lang: str = "en") -> str:
    """The one line a user sees for `err`: where, then what, in `lang`."""
    params = {name: _param(name, value, lang) for name, value in err.params.items()}
    message = t(err.key, lang, **params)
    where = error_location(err, lang)
    return f"{where}: {message}" if where else message


# How much of what a file or a user gave an error message echoes: a value (what was found
# where something else was expected) briefly, the rest (paths, keys, lists of choices) longer;
# all on one line, control characters shown as escapes.
PATH_CHARS, FIELD_CHARS, PARAM_CHARS = 300, 120, 2_000


def _param(name: str, value: Any, lang: str) -> Any:
    """A message parameter as the message shows it. A list or a mapping from a file is named
    by its kind, never printed (a YAML bomb's value would be megabytes)."""
    if isinstance(value, Msg):
        return t(value, lang, **{key: _param(key, part, lang)
                                 for key, part in value.params.items()})
    if isinstance(value, list | tuple | set | dict):
        return t("value.mapping" if isinstance(value, dict) else "value.list", lang)
    if isinstance(value, str):
        from planner.core.cells import SHOWN_CHARS

        return echoed(value, SHOWN_CHARS if name == "value" else PARAM_CHARS)
    return value


def echoed(text: str, limit: int) -> str:
    """`text` on one line, control characters as escapes, cut to `limit` with "…"."""
    from planner.core.terminal import printable

    text = printable(text, one_line=True)
    return text if len(text) <= limit else text[:limit - 1] + "…"
