"""The synthetic plan's actuals: one per indicator and quarter, plausible for each kind."""

from itertools import pairwise

import pytest
from django.db.models import F

from indicators.domain.periods import Period
from indicators.models import Actual, ActualState
from indicators.selectors import progress as progress_selectors
from tests.factories import SOURCE, add_quarterly_actuals, make_synthetic_plan

YEARS = range(2025, 2030)


@pytest.fixture
def synthetic(db, leader):
    """A 12-indicator synthetic plan (two of each kind) with 5 years of approved actuals."""
    plan = make_synthetic_plan(12, slug="synthetic-test")
    count = add_quarterly_actuals(plan, years=YEARS, user=leader)
    return plan, count


def test_one_approved_actual_per_indicator_and_quarter(synthetic, leader):
    plan, count = synthetic
    actuals = Actual.objects.filter(indicator__plan=plan)
    assert count == 12 * 4 * len(YEARS) == actuals.count()
    assert set(actuals.values_list("state", "source", "approved_by")) == {
        (ActualState.APPROVED, SOURCE, leader.pk)
    }
    # The figure in force is the value (or stage) entered.
    assert not actuals.exclude(approved_value=F("value")).exclude(stage__isnull=False).exists()
    assert not actuals.exclude(approved_stage=F("stage")).exclude(value__isnull=False).exists()


def test_cumulative_values_never_decrease(synthetic):
    plan, _count = synthetic
    for code in {"ind1", "ind7"}:  # the cumulative indicators (kinds cycle every 6)
        values = list(
            Actual.objects.filter(indicator__plan=plan, indicator__code=code)
            .order_by("year", "quarter")
            .values_list("value", flat=True)
        )
        assert len(values) == 4 * len(YEARS)
        assert all(later >= earlier for earlier, later in pairwise(values))
        assert values[-1] > values[0]


def test_milestone_actuals_have_a_stage_and_no_value(synthetic):
    plan, _count = synthetic
    milestones = Actual.objects.filter(indicator__plan=plan, indicator__kind="milestone")
    assert milestones.count() == 2 * 4 * len(YEARS)
    assert not milestones.filter(stage__isnull=True).exists()
    assert not milestones.filter(value__isnull=False).exists()
    assert not milestones.exclude(stage__indicator=F("indicator")).exists()  # its own ladder


def test_rates_are_percentages_and_zero_events_mostly_zero(synthetic):
    plan, _count = synthetic
    rates = Actual.objects.filter(indicator__plan=plan, indicator__kind="rate")
    assert all(0 <= v <= 100 for v in rates.values_list("value", flat=True))
    events = list(
        Actual.objects.filter(indicator__plan=plan, indicator__kind="zero_event").values_list(
            "value", flat=True
        )
    )
    assert set(events) <= {0, 1}
    assert 0 < sum(events) < len(events) / 4


def test_progress_rows_see_the_actuals(synthetic):
    plan, _count = synthetic
    rows = progress_selectors.progress_rows(plan=plan, period=Period.of(2027, 3))
    assert len(rows) == 12
    statuses = {row.progress.status for row in rows}
    assert statuses != {"no_data"}
    assert "no_data" not in statuses  # every indicator has a value for 2027 Q3
