"""Reads of what is recorded beside a plan's table (domain.md §9, point 4): the values assigned
from above to an `assigned` target (完成市下达任务), and the judgements of a `qualitative` one
(保持适度水平), year by year."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from indicators.models import Assignment, Indicator, Judgement, Plan


def recordable_years(plan: Plan) -> range:
    """The years a value may be assigned or a judgement recorded for: the plan's first tracked
    year (by default the year after the baseline year) to its last target year."""
    return range(plan.first_year, plan.last_year + 1)


def target_forms(indicator: Indicator) -> set[str]:
    """The forms of the indicator's targets (no query when its targets are prefetched)."""
    return {target.form for target in indicator.targets.all()}


def indicator_to_record(*, plan: Plan, code: str) -> Indicator:
    """The plan's indicator with this code, its plan set (one query); 404 for any other."""
    indicator = get_object_or_404(Indicator, plan=plan, code=code)
    indicator.plan = plan  # the plan the caller already holds: no query to read it again
    return indicator


def assignments_of(indicator: Indicator) -> QuerySet[Assignment]:
    """The values assigned to the indicator, by year, with who recorded them (one query)."""
    return (
        Assignment.objects.filter(indicator=indicator)
        .select_related("recorded_by")
        .order_by("year")
    )


def judgements_of(indicator: Indicator) -> QuerySet[Judgement]:
    """The judgements of the indicator, by year, with who recorded them (one query)."""
    return (
        Judgement.objects.filter(indicator=indicator).select_related("recorded_by").order_by("year")
    )
