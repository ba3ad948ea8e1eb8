"""The cache of progress rows: a dashboard read after the first costs no recomputation, and any
write that could change progress (an approval, a submission shown as pending, a plan change,
an assigned value) makes the next read compute afresh."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.domain.periods import Period
from indicators.models import Actual, Target
from indicators.selectors.progress import progress_rows
from indicators.services.actuals import (
    Entry,
    actual_approve,
    actual_create,
    actual_submit,
    actual_update,
)
from tests.conftest import PLAN_FILE, PLAN_SLUG


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PROGRESS_CACHE_SECONDS = 300


def value_of(plan, code, pending=False):
    rows = progress_rows(plan=plan, period=Period.of(2026, 3), include_pending=pending)
    return next(r.progress.value for r in rows if r.indicator.code == code)


def test_a_second_read_costs_no_query(plan, django_assert_num_queries):
    progress_rows(plan=plan, period=Period.of(2026, 3))
    with django_assert_num_queries(0):
        progress_rows(plan=plan, period=Period.of(2026, 3))


def test_an_approval_shows_at_once(plan, clerk_kgj, reviewer):
    assert value_of(plan, "above_scale_enterprises") is None
    indicator = plan.indicators.get(code="above_scale_enterprises")
    entry = Entry(year=2026, quarter=3, value=D(4), source="县统计局")
    actual = actual_create(user=clerk_kgj, indicator=indicator, entry=entry, submit=True)
    assert value_of(plan, "above_scale_enterprises") is None  # submitted, not in force
    assert value_of(plan, "above_scale_enterprises", pending=True) == D(4)
    actual_approve(user=reviewer, actual=actual)
    assert value_of(plan, "above_scale_enterprises") == D(4)


def test_a_plan_change_shows_at_once(plan):
    before = progress_rows(plan=plan, period=Period.of(2026, 3))
    target = Target.objects.get(indicator__plan=plan, indicator__code="gross_output", year=2028)
    target.text, target.value = "70", D(70)
    target.save()
    after = progress_rows(plan=plan, period=Period.of(2026, 3))
    row = next(r for r in after if r.indicator.code == "gross_output")
    assert row.progress.target_value == D(70)
    assert before is not after
    call_command("load_plan", str(PLAN_FILE), stdout=StringIO())  # back as printed
    row = next(
        r for r in progress_rows(plan=plan, period=Period.of(2026, 3))
        if r.indicator.code == "gross_output"
    )  # fmt: skip
    assert row.progress.target_value == D(60)


def test_the_overview_reads_the_cache(leader_client, plan, django_assert_max_num_queries):
    url = reverse("reports:overview", args=[PLAN_SLUG])
    leader_client.get(url, {"year": 2026, "quarter": 3})
    with django_assert_max_num_queries(30) as second:
        assert leader_client.get(url, {"year": 2026, "quarter": 3}).status_code == 200
    tables = " ".join(q["sql"] for q in second.captured_queries)
    assert "indicators_target" not in tables  # the plan's targets were not read again


def test_entering_and_submitting_keep_figures_in_force_cached(
    plan, clerk_kgj, reviewer, django_assert_num_queries
):
    """Clerks entering and submitting all day do not make leaders' pages compute again; the
    rows showing submitted figures as provisional do compute again."""
    period = Period.of(2026, 3)
    progress_rows(plan=plan, period=period)
    progress_rows(plan=plan, period=period, include_pending=True)
    indicator = plan.indicators.get(code="above_scale_enterprises")
    entry = Entry(year=2026, quarter=3, value=D(4), source="县统计局")
    actual = actual_create(user=clerk_kgj, indicator=indicator, entry=entry, submit=True)
    with django_assert_num_queries(0):
        progress_rows(plan=plan, period=period)
    assert value_of(plan, "above_scale_enterprises", pending=True) == D(4)  # computed afresh
    actual_approve(user=reviewer, actual=actual)
    assert value_of(plan, "above_scale_enterprises") == D(4)


def test_a_correction_changes_figures_in_force_only_once_approved(plan, clerk_kgj, reviewer):
    indicator = plan.indicators.get(code="above_scale_enterprises")
    entry = Entry(year=2026, quarter=3, value=D(4), source="县统计局")
    actual = actual_create(user=clerk_kgj, indicator=indicator, entry=entry, submit=True)
    actual = actual_approve(user=reviewer, actual=actual)
    assert value_of(plan, "above_scale_enterprises") == D(4)
    corrected = Entry(year=2026, quarter=3, value=D(5), source="县统计局")
    actual = actual_update(
        user=clerk_kgj, actual=actual, entry=corrected, version=actual.version,
        reason="快报修正", submit=True,
    )  # fmt: skip
    assert value_of(plan, "above_scale_enterprises") == D(4)
    assert value_of(plan, "above_scale_enterprises", pending=True) == D(5)
    actual_approve(user=reviewer, actual=Actual.objects.get(pk=actual.pk))
    assert value_of(plan, "above_scale_enterprises") == D(5)


def test_deleting_a_value_in_force_shows_at_once(plan, clerk_kgj, reviewer):
    indicator = plan.indicators.get(code="above_scale_enterprises")
    entry = Entry(year=2026, quarter=3, value=D(4), source="县统计局")
    actual = actual_create(user=clerk_kgj, indicator=indicator, entry=entry, submit=True)
    actual_approve(user=reviewer, actual=actual)
    assert value_of(plan, "above_scale_enterprises") == D(4)
    Actual.objects.get(pk=actual.pk).delete()
    assert value_of(plan, "above_scale_enterprises") is None


def test_completeness_is_cached_until_a_first_submission(
    plan, clerk_kgj, reviewer, django_assert_num_queries
):
    from datetime import date

    from reports.selectors import completeness

    today = date(2026, 11, 30)
    first = completeness(plan=plan, year=2026, today=today)
    with django_assert_num_queries(0):
        assert completeness(plan=plan, year=2026, today=today) == first
    indicator = plan.indicators.get(code="above_scale_enterprises")
    entry = Entry(year=2026, quarter=3, value=D(4), source="县统计局")
    actual = actual_create(user=clerk_kgj, indicator=indicator, entry=entry)  # a draft
    with django_assert_num_queries(0):
        completeness(plan=plan, year=2026, today=today)
    actual_submit(user=clerk_kgj, actual=actual)
    after = completeness(plan=plan, year=2026, today=today)
    assert after != first
    actual_approve(user=reviewer, actual=Actual.objects.get(pk=actual.pk))  # no first change
    with django_assert_num_queries(0):
        completeness(plan=plan, year=2026, today=today)
