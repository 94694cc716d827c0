"""The values of a contact: phone numbers as people type them, shifts as date ranges."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from planner.core.cells import cell_text, shown
from planner.core.errors import PlannerError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)
_PHONE_NOISE = re.compile(r"[\s\-.()]")
_EXTENSION = re.compile(r"^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
_INTERNATIONAL = re.compile(r"^(?:\+|00)86[\s\-]*")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = (r"(?:(?P<{p}y>\d{{4}})[-/年])?(?P<{p}m>\d{{1,2}})[-/月](?P<{p}d>\d{{1,2}})日?")
# A shift names the battle days it covers as dates ("03-11", "3月12日") or ranges ("3/11~3/15",
# "03-11 至 03-13"); times such as "09:00-18:00" are not dates (no digit or ':' around them).
_SHIFT_DATES = re.compile(
    r"(?<![\d:])" + _DATE.format(p="a")
    + r"(?:\s*(?:~|～|至|到|—|–|--|-|to)\s*" + _DATE.format(p="b") + r")?(?![\d:])")


def normalise_mobile(value: Any) -> str:
    """``+86 138-0013-8000`` -> ``13800138000``; raises PlannerError on anything else."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    digits = _PHONE_NOISE.sub("", _INTERNATIONAL.sub("", text))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if _MOBILE.match(digits):
        return digits
    if _SCIENTIFIC.match(text):
        raise PlannerError("error.roster-phone-scientific", value=shown(text))
    raise PlannerError("error.roster-mobile", value=shown(text))


def normalise_landline(value: Any) -> str:
    """``(0571) 8765 4321 转 8001`` -> ``0571-87654321-8001``; raises PlannerError otherwise."""
    original = cell_text(value)
    text = unicodedata.normalize("NFKC", original).strip()
    extension = None
    match = _EXTENSION.match(text)
    if match:
        text, extension = match.group(1), match.group(2)
    international = _INTERNATIONAL.match(text) is not None
    text = _INTERNATIONAL.sub("", text)
    if international and not text.startswith("0"):
        text = "0" + text
    groups = [g for g in re.split(r"[\s\-.()]+", text) if g]
    if not groups or not all(g.isdigit() for g in groups):
        raise PlannerError("error.roster-landline", value=shown(original))
    if len(groups) == 1:
        digits = groups[0]
        size = 3 if digits[:2] in ("01", "02") else 4
        area, local = digits[:size], digits[size:]
    else:
        area, rest = groups[0], groups[1:]
        if len(rest) >= 2 and len(rest[0]) in (7, 8) and extension is None:
            local, extension = rest[0], "".join(rest[1:])
        else:
            local = "".join(rest)
    if not (re.fullmatch(r"0\d{2,3}", area) and re.fullmatch(r"\d{7,8}", local)
            and (extension is None or re.fullmatch(r"\d{1,6}", extension))):
        raise PlannerError("error.roster-landline", value=shown(original))
    return f"{area}-{local}" + (f"-{extension}" if extension else "")


def mask_mobile(value: str | None) -> str | None:
    """``13800138000`` -> ``138****8000`` (other text unchanged)."""
    if value and _MOBILE.match(value):
        return f"{value[:3]}****{value[7:]}"
    return value


def shift_days(shift: str | None, year: int) -> list[tuple[dt.date, dt.date]] | None:
    """The date ranges a shift names in `year`; None when it names none (it covers every day).

    Raises PlannerError for a date that does not exist (in `year`, for a date without one).
    """
    if not shift:
        return None
    spans = []
    for match in _SHIFT_DATES.finditer(shift):
        start = _shift_date(match, "a", year)
        end = _shift_date(match, "b", year) if match.group("bm") else start
        spans.append((min(start, end), max(start, end)))
    return spans or None


def _shift_date(match: re.Match[str], prefix: str, year: int) -> dt.date:
    year = int(match.group(f"{prefix}y") or year)
    month, day = int(match.group(f"{prefix}m")), int(match.group(f"{prefix}d"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        if (month, day) == (2, 29):
            raise PlannerError("error.roster-shift-leap", value=shown(match.group(0)),
                               year=year) from None
        raise PlannerError("error.roster-shift-date", value=shown(match.group(0))) from None


def shift_label(shift: str | None) -> str:
    """The shift without its dates: ``03-11~03-15 早班 9:00-18:00`` -> ``早班 9:00-18:00``."""
    if not shift:
        return ""
    return re.sub(r"^[\s,，;；、]+|[\s,，;；、]+$", "", _SHIFT_DATES.sub(" ", shift)).strip()
