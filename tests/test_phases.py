import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.campaign.items import load_items, select
from planner.campaign.phases import (
    Window,
    campaign_windows,
    default_year,
    derive_size,
    load_campaign,
    tier_windows,
)
from planner.core.errors import PlannerError
from planner.core.i18n import render_error

D = dt.date


def spans(windows):
    return [(w.phase, w.start, w.end) for w in windows]


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        ("large", [(D(2027, 2, 25), D(2027, 3, 10)), (D(2027, 3, 11), D(2027, 3, 20)),
                   (D(2027, 3, 21), D(2027, 4, 10))]),
        ("medium", [(D(2027, 3, 4), D(2027, 3, 12)), (D(2027, 3, 13), D(2027, 3, 18)),
                    (D(2027, 3, 19), D(2027, 3, 31))]),
        ("small", [(D(2027, 3, 6), D(2027, 3, 13)), (D(2027, 3, 14), D(2027, 3, 16)),
                   (D(2027, 3, 17), D(2027, 3, 23))]),
    ],
)
def test_tier_windows(tier, expected):
    windows = tier_windows(tier, 2027)
    assert [(w.start, w.end) for w in windows] == expected
    assert [w.phase for w in windows] == ["prepare", "battle", "aftermath"]


def test_leap_year_does_not_move_month_day_dates():
    assert tier_windows("large", 2028)[0].start == D(2028, 2, 25)
    assert tier_windows("large", 2028)[0].days == 15  # Feb 29 inside prepare


@pytest.mark.parametrize(
    ("orders", "agents", "tier"),
    [(0, 0, "small"), (199, 4, "small"), (200, 0, "medium"), (0, 5, "medium"),
     (1999, 19, "medium"), (2000, 1, "large"), (10, 20, "large"), (None, 30, "large")],
)
def test_derive_size_thresholds(orders, agents, tier):
    assert derive_size(orders, agents) == tier


def test_derive_size_without_figures():
    assert derive_size(None, None) is None


@pytest.mark.parametrize(
    ("today", "year"),
    [(D(2026, 11, 24), 2027), (D(2027, 3, 12), 2027), (D(2027, 4, 10), 2027),
     (D(2027, 4, 11), 2028), (D(2027, 1, 1), 2027), (D(2027, 12, 31), 2028)],
)
def test_default_year_is_next_unfinished_large_campaign(today, year):
    assert default_year(today, lambda y: tier_windows("large", y)[-1].end) == year


def test_override_moves_dates_and_keeps_others():
    windows = campaign_windows("large", 2027, {"prepare": {"start": "02-20"}})
    assert spans(windows)[0] == ("prepare", D(2027, 2, 20), D(2027, 3, 10))
    assert spans(windows)[1] == ("battle", D(2027, 3, 11), D(2027, 3, 20))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"battle": {"start": "03-16"}}, "must contain March 15"),
        ({"battle": {"end": "03-14", "start": "03-11"}}, "must contain March 15"),
        ({"prepare": {"end": "03-12"}}, "overlaps the next phase 'battle'"),
        ({"battle": {"start": "03-10"}}, "overlaps the previous phase 'prepare'"),
        ({"aftermath": {"start": "04-20", "end": "04-11"}}, "after its end"),
        ({"prepare": {"start": "02-30"}}, "not a valid date"),
        ({"harvest": {"start": "02-20"}}, "unknown value 'harvest'"),
        ({"prepare": {"begin": "02-20"}}, "phase override must be"),
    ],
)
def test_invalid_overrides_name_file_and_phase(overrides, message):
    with pytest.raises(PlannerError) as caught:
        campaign_windows("large", 2027, overrides, "myshop.yaml")
    rendered = render_error(caught.value, "en")
    assert rendered.startswith("myshop.yaml")
    assert "phases." in rendered
    assert message in rendered


def test_a_full_date_override_of_another_year_is_ignored():
    overrides = {"prepare": {"start": D(2026, 2, 20)}}
    assert campaign_windows("large", 2027, overrides)[0].start == D(2027, 2, 25)
    assert campaign_windows("large", 2026, overrides)[0].start == D(2026, 2, 20)


def test_feb_29_override_only_in_leap_years():
    assert campaign_windows("large", 2028, {"prepare": {"start": "02-29"}})[0].start == D(
        2028, 2, 29)
    with pytest.raises(PlannerError):
        campaign_windows("large", 2027, {"prepare": {"start": "02-29"}})


# --- Every item's due date lies inside its phase, whatever the tier, year and overrides. ---

@st.composite
def short_overrides(draw):
    """Valid overrides that squeeze phases down to as little as one day."""
    year = draw(st.integers(2000, 2100))
    battle_start = draw(st.integers(1, 15))
    battle_end = draw(st.integers(15, 25))
    prepare_len = draw(st.integers(1, 20))
    aftermath_len = draw(st.integers(1, 25))
    gap = draw(st.integers(0, 2))
    start = D(year, 3, battle_start)
    end = D(year, 3, battle_end)
    prepare_end = start - dt.timedelta(days=1 + gap)
    prepare_start = prepare_end - dt.timedelta(days=prepare_len - 1)
    aftermath_start = end + dt.timedelta(days=1 + gap)
    aftermath_end = aftermath_start + dt.timedelta(days=aftermath_len - 1)
    fmt = "%m-%d"
    overrides = {
        "prepare": {"start": prepare_start.strftime(fmt), "end": prepare_end.strftime(fmt)},
        "battle": {"start": start.strftime(fmt), "end": end.strftime(fmt)},
        "aftermath": {"start": aftermath_start.strftime(fmt),
                      "end": aftermath_end.strftime(fmt)},
    }
    return year, overrides


@given(tier=st.sampled_from(["small", "medium", "large"]), year=st.integers(2000, 2100))
def test_every_due_date_inside_its_phase(tier, year):
    windows = {w.phase: w for w in tier_windows(tier, year)}
    for item in select(load_items(), tier):
        assert windows[item.phase].contains(item.due(windows[item.phase]))


@given(tier=st.sampled_from(["small", "medium", "large"]), case=short_overrides())
def test_due_dates_clamped_into_short_overridden_phases(tier, case):
    year, overrides = case
    windows = {w.phase: w for w in campaign_windows(tier, year, overrides)}
    assert windows["battle"].contains(D(year, 3, 15))
    for item in select(load_items(), tier):
        window = windows[item.phase]
        assert window.contains(item.due(window)), (item.id, window)


@given(start=st.dates(D(2000, 1, 1), D(2100, 12, 1)), length=st.integers(1, 40),
       days=st.integers(0, 100), origin=st.sampled_from(["start", "end"]))
def test_due_rule_clamps(start, length, days, origin):
    item = load_items()[0]
    probe = type(item)(item.id, item.phase, item.category, item.owner, origin, days,
                       item.tiers, item.title, item.detail)
    window = Window("prepare", start, start + dt.timedelta(days=length - 1))
    due = probe.due(window)
    assert window.contains(due)
    if days < length:
        expected = start + dt.timedelta(days=days) if origin == "start" else window.end - \
            dt.timedelta(days=days)
        assert due == expected


def test_campaign_names_exist_in_both_languages():
    campaign = load_campaign()
    for table in (campaign.categories, campaign.owners, campaign.phase_names,
                  campaign.tier_names):
        for names in table.values():
            assert names["zh"] and names["en"]


# --- Cross-checked against pendulum, the reference calendar arithmetic. ---

@given(tier=st.sampled_from(["small", "medium", "large"]), year=st.integers(2000, 2100))
def test_windows_and_due_dates_agree_with_pendulum(tier, year):
    import pendulum

    campaign = load_campaign()
    for window in tier_windows(tier, year):
        start_md, end_md = campaign.tiers[tier][window.phase]
        start = pendulum.date(year, *map(int, start_md.split("-")))
        end = pendulum.date(year, *map(int, end_md.split("-")))
        assert (window.start, window.end) == (start, end)
        assert window.days == (end - start).in_days() + 1
        for item in select(load_items(), tier, phase=window.phase):
            offset = min(item.due_days, window.days - 1)
            expected = start.add(days=offset) if item.due_from == "start" else \
                end.subtract(days=offset)
            if item.repeat:  # a daily duty: the phase's last day
                expected = end
            elif item.due_on is not None:  # that day of the year, clamped into the phase
                wanted = pendulum.date(year, *item.due_on)
                expected = min(max(wanted, start), end)
            assert item.due(window) == expected
