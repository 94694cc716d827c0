"""The one exception type the core raises for user mistakes.

A `PlannerError` carries a message key and its parameters rather than a finished sentence, so
that the CLI can render it in the user's language. The location (file, line or row, field) is
kept apart from the message and always printed first, so every error reads the same way:
``shop.yaml:12: phases.battle: the battle must contain March 15``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Msg(str):
    """A message key used as a parameter of another message: translated when rendered, so
    that no English word ends up inside a Chinese sentence."""

    params: dict[str, Any]

    def __new__(cls, key: str, **params: Any) -> Msg:
        text = super().__new__(cls, key)
        text.params = params
        return text


def row_numbers(numbers: Sequence[int], most: int = 10) -> Msg:
    """Rows of a file by their numbers, as a message says them: "row 3", "rows 3, 5"; the
    first `most` and how many more, so that an error stays one readable line."""
    shown = ", ".join(map(str, numbers[:most]))
    if len(numbers) > most:
        shown += f" … (+{len(numbers) - most})"
    return Msg(f"unit.row-numbers.{'one' if len(numbers) == 1 else 'other'}", rows=shown)


def counted(unit: str, count: int) -> Msg:
    """`count` with its noun in the number it takes: "1 contact", "3 contacts", "3 人"
    (the ``unit.<unit>.one`` and ``.other`` messages)."""
    return Msg(f"unit.{unit}.{'one' if count == 1 else 'other'}", count=f"{count:,}")


class PlannerError(Exception):
    """A user mistake or bad data: rendered as one line, exit code 1, no traceback."""

    def __init__(
        self,
        key: str,
        /,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(key)
        self.key = key
        self.file = file
        self.line = line
        self.field = field
        self.params = params

    def located(self, *, file: str | None = None, line: int | None = None,
                field: str | None = None) -> PlannerError:
        """Fill in location parts that the raiser did not know (returns self)."""
        self.file = self.file or file
        self.line = self.line or line
        self.field = self.field or field
        return self

    def __str__(self) -> str:
        """The key and its parameters: for logs and tracebacks, not for users (they get
        `planner.core.i18n.render_error` in their language)."""
        where = ":".join(str(part) for part in (self.file, self.line, self.field) if part)
        return f"{where}: {self.key} {self.params}" if where else f"{self.key} {self.params}"


class UsageProblem(PlannerError):
    """A mistake in how the command was called (a missing choice that data decides, such as
    the shop size): the command line shows it as a usage error, exit code 2."""
