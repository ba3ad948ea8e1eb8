"""From stored entries to a period's value (domain.md §3): the pure derivation."""

from decimal import Decimal as D

import pytest

from indicators.domain.periods import Figure, Period, derive


def e(year, quarter, value=None, stage=None, position=None, provisional=False):
    return Figure(year, quarter, None if value is None else D(value), stage, position, provisional)


@pytest.mark.parametrize("kind", ["level", "cumulative", "annual_total", "rate"])
def test_whole_year_entry_supersedes_q4(kind):
    entries = [e(2026, 4, "10"), e(2026, None, "12")]
    assert derive(kind, entries, Period.of(2026, None)).value == D(12)
    assert derive(kind, entries, Period.of(2026, 4)).value == D(12)


@pytest.mark.parametrize("kind", ["level", "cumulative", "annual_total", "rate"])
def test_whole_year_falls_back_to_q4(kind):
    assert derive(kind, [e(2026, 4, "10")], Period.of(2026, None)).value == D(10)


def test_year_to_date_kinds_take_that_quarters_entry():
    entries = [e(2026, 1, "5"), e(2026, 2, "11"), e(2026, 3, "18")]
    assert derive("annual_total", entries, Period.of(2026, 2)).value == D(11)
    assert derive("rate", entries, Period.of(2026, 3)).value == D(18)
    # a quarter not reported has no value, even though earlier ones were
    assert derive("annual_total", entries, Period.of(2026, 4)).value is None


def test_level_takes_the_quarter_entry_only():
    entries = [e(2026, 1, "5"), e(2025, 3, "4")]
    assert derive("level", entries, Period.of(2026, 1)).value == D(5)
    assert derive("level", entries, Period.of(2026, 2)).value is None


def test_zero_events_sum_the_quarters_up_to_the_period():
    entries = [e(2026, 1, "0"), e(2026, 2, "1"), e(2026, 3, "0"), e(2025, 4, "3")]
    assert derive("zero_event", entries, Period.of(2026, 1)).value == D(0)
    assert derive("zero_event", entries, Period.of(2026, 3)).value == D(1)
    assert derive("zero_event", entries, Period.of(2026, None)).value == D(1)
    assert derive("zero_event", [], Period.of(2026, 2)).value is None


def test_zero_events_whole_year_entry_wins_for_the_year():
    entries = [e(2026, 1, "0"), e(2026, None, "2")]
    assert derive("zero_event", entries, Period.of(2026, None)).value == D(2)
    assert derive("zero_event", entries, Period.of(2026, 1)).value == D(0)


def test_milestone_takes_the_highest_stage_reached_by_then():
    entries = [
        e(2026, 2, stage="成功注册", position=2),
        e(2026, 3, stage="未注册", position=1),
        e(2027, 1, stage="省内外知名", position=3),
    ]
    assert derive("milestone", entries, Period.of(2026, 1)).stage is None
    assert derive("milestone", entries, Period.of(2026, 3)).stage == "成功注册"
    assert derive("milestone", entries, Period.of(2027, 1)).stage == "省内外知名"
    assert derive("milestone", entries, Period.of(2028, None)).stage == "省内外知名"


def test_provisional_follows_the_entries_used():
    assert derive("level", [e(2026, 1, "5", provisional=True)], Period.of(2026, 1)).provisional
    events = [e(2026, 1, "0"), e(2026, 2, "0", provisional=True)]
    assert not derive("zero_event", events, Period.of(2026, 1)).provisional
    assert derive("zero_event", events, Period.of(2026, 2)).provisional


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        derive("weird", [], Period.of(2026, 1))
