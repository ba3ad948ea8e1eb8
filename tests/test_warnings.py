"""Warning lights and supervision colours (domain.md §11): every status, every edge."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.domain import progress as p
from indicators.domain import statuses
from indicators.domain import warnings as w

EXPECTED = {
    p.FAR_BEHIND: (w.RED, w.RED),
    p.REGRESSING: (w.RED, w.RED),
    p.FAILED: (w.RED, w.RED),
    p.OVERDUE: (w.RED, w.RED),
    p.BEHIND: (w.YELLOW, w.RED),  # red only for a binding (约束性) indicator
    p.AHEAD: (w.GREEN, w.GREEN),
    p.ON_TRACK: (w.GREEN, w.GREEN),
    p.ACHIEVED_FINAL: (w.GREEN, w.GREEN),
    p.ACHIEVED_MILESTONE: (w.GREEN, w.GREEN),
    p.IN_PROGRESS: (w.GREEN, w.GREEN),
    p.NO_DATA: (w.GREY, w.GREY),
    p.TARGET_PENDING: (w.GREY, w.GREY),
}


def test_every_status_has_a_light():
    assert set(EXPECTED) == set(statuses.STATUS_ORDER)


@pytest.mark.parametrize("status", sorted(EXPECTED))
def test_light_of_each_status(status):
    expected, binding_expected = EXPECTED[status]
    assert w.light(status, binding=False) == expected
    assert w.light(status, binding=True) == binding_expected


def test_unknown_status_is_refused():
    with pytest.raises(ValueError):
        w.light("nonsense", binding=False)


@given(st.sampled_from(sorted(EXPECTED)), st.booleans())
def test_binding_never_makes_a_light_better(status, binding):
    order = list(w.LIGHTS)
    assert order.index(w.light(status, True)) <= order.index(w.light(status, False))
    assert w.needs_explanation(w.light(status, binding)) == (
        w.light(status, binding) in (w.RED, w.YELLOW)
    )


def test_every_light_and_will_meet_has_a_label_and_colour():
    assert set(statuses.LIGHT_LABELS) == set(w.LIGHTS) == set(statuses.LIGHT_COLOURS)
    assert set(statuses.WILL_MEET_LABELS) == set(w.WILL_MEET)
    assert set(statuses.SUPERVISION_STATE_LABELS) == set(w.SUPERVISION_STATES)
    assert set(statuses.SUPERVISION_COLOUR_LABELS) == set(w.SUPERVISION_COLOURS)
    assert set(statuses.SUPERVISION_COLOURS_HEX) == set(w.SUPERVISION_COLOURS)


DUE = date(2026, 12, 10)


@pytest.mark.parametrize(
    ("today", "colour"),
    [
        (date(2026, 12, 1), w.BLUE),  # 9 days left
        (date(2026, 12, 6), w.BLUE),  # 4 days left: still more than 3
        (date(2026, 12, 7), w.YELLOW),  # 3 days left: within 3 days
        (date(2026, 12, 8), w.YELLOW),  # due date minus 2 days
        (date(2026, 12, 10), w.YELLOW),  # the due date itself is not past due
        (date(2026, 12, 11), w.RED),  # the day after
        (date(2027, 3, 1), w.RED),
    ],
)
def test_supervision_colour_edges(today, colour):
    assert w.supervision_colour(w.OPEN, DUE, today) == colour
    assert w.supervision_colour(w.RESPONDED, DUE, today) == colour


@given(st.dates(), st.integers(-400, 400))
def test_supervision_colour_follows_days_left(due, offset):
    today = due - timedelta(days=offset)
    colour = w.supervision_colour(w.OPEN, due, today)
    assert colour == (w.RED if offset < 0 else w.YELLOW if offset <= 3 else w.BLUE)
    assert w.supervision_colour(w.CLOSED, due, today) is None


def test_explanation_complete_needs_all_three():
    assert w.Explanation("订单下滑", "走访企业", w.WILL_MEET_AT_RISK).complete
    assert not w.Explanation("", "走访企业", w.WILL_MEET_YES).complete
    assert not w.Explanation("订单下滑", "  ", w.WILL_MEET_YES).complete
    assert not w.Explanation("订单下滑", "走访企业", "maybe").complete
    assert not w.NO_EXPLANATION.complete
