"""Every test runs in an empty temporary folder with a neutral environment, so that no test
ever reads or writes a real workspace or depends on the machine's locale."""

from __future__ import annotations

import contextlib
import re

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.core.errors import PlannerError
from planner.core.i18n import render_error


@pytest.fixture(autouse=True)
def isolated(tmp_path, tmp_path_factory, monkeypatch):
    for name in ("PLANNER315_LANG", "PLANNER315_WORKSPACE", "PLANNER315_USER", "LC_ALL",
                 "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run():
    """Invoke the CLI; returns click's Result (exit_code, output, stderr)."""
    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(main, [str(a) for a in args], **kwargs)

    return invoke


@pytest.fixture
def shop_file(tmp_path):
    """Write a shop.yaml from text and return its path."""

    def write(text: str, folder=None):
        path = (folder or tmp_path) / "shop.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@contextlib.contextmanager
def raises_message(pattern: str, lang: str = "en"):
    """Like pytest.raises(PlannerError, match=...), matched against the rendered message."""
    with pytest.raises(PlannerError) as caught:
        yield caught
    message = render_error(caught.value, lang)
    assert re.search(pattern, message), message


def build_plan(*, size: str, year: int, lang: str, shop: str | None = None) -> dict:
    """The plan of a shop of `size` in `year` as the documented JSON (what workbooks get)."""
    from planner.campaign.phases import campaign_windows
    from planner.campaign.plan import build_plan as build
    from planner.present.plan import plan_data

    return plan_data(build(size=size, year=year, windows=campaign_windows(size, year),
                           shop=shop), lang)
