"""Time left until a deadline, or how late, in words a person reads at a glance:
"还剩 2 小时 10 分" / "2 h 10 min left", "已超时 1 天" / "1 day late".

pendulum splits the span (imported here only, by the commands that show it to a person: it
costs about 0.1 s); the words are in the messages (``time.*``).
"""

from __future__ import annotations

from planner.core.i18n import t


def span_text(minutes: int, lang: str) -> str:
    """`minutes` (not negative) as its two largest units: days and hours, hours and
    minutes, or minutes."""
    import pendulum

    span = pendulum.duration(minutes=minutes)
    parts = [("days", span.days), ("hours", span.hours), ("minutes", span.minutes)]
    while len(parts) > 1 and parts[0][1] == 0:
        parts.pop(0)
    shown = [(unit, count) for unit, count in parts[:2] if count or unit == parts[0][0]]
    return " ".join(
        t(f"time.{unit}.{'one' if count == 1 else 'other'}", lang, count=count)
        for unit, count in shown)


def time_left(minutes_left: int | None, lang: str) -> str:
    """"2 h 10 min left" before the deadline, "1 day late" after it, "" once answered."""
    if minutes_left is None:
        return ""
    if minutes_left < 0:
        return t("time.late", lang, span=span_text(-minutes_left, lang))
    return t("time.left", lang, span=span_text(minutes_left, lang))
