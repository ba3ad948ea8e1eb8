"""Reads for the dashboards: the default period, the plan's departments and dimensions,
completeness and overdue values, and an indicator's figures, tasks and values.

Every figure comes from the progress engine (`indicators.selectors.progress.progress_rows`)
and every completeness count from `indicators.selectors.review.completeness`; the shapes the
pages show (cards, tables) are made in `reports.presenters`. Each function costs a fixed
number of queries, whatever the number of indicators."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from indicators import access, cache
from indicators.access import IN_FORCE
from indicators.domain import meanings, periods, progress
from indicators.domain.periods import Figure
from indicators.models import (
    Actual,
    Department,
    Dimension,
    Indicator,
    Plan,
    Responsibility,
    Stage,
    Target,
    TaskIndicator,
)
from indicators.selectors import plans as plan_selectors
from indicators.selectors import progress as progress_selectors
from indicators.selectors import review as review_selectors
from reports import charts


def plan_years(plan: Plan) -> list[int]:
    """The years a dashboard may show: the plan's baseline year to its last milestone year
    (the range the progress API accepts)."""
    return list(range(plan.baseline_year, plan.last_year + 1))


def latest_period(plan: Plan, today: date) -> tuple[int, int | None] | None:
    """The page (year, quarter) of the latest period of the plan's years with an approved
    figure (one query), or None: the quarter that period ends in, a whole-year figure as the
    whole year (it sums up the year, so it comes after the year's last quarter), and never a
    quarter that has not ended yet (a month's figure of a running quarter shows on the last
    ended quarter's page)."""
    years = plan_years(plan)
    stored = (
        Actual.objects.filter(IN_FORCE, indicator__plan=plan, year__range=(years[0], years[-1]))
        .values_list("year", "month", "quarter", "half")
        .distinct()
    )
    found = [
        periods.Period.from_fields(year, month=month, quarter=quarter, half=half)
        for year, month, quarter, half in stored
    ]
    if not found:
        return None
    latest = max(found, key=lambda period: (period.end, period.is_whole_year))
    if latest.is_whole_year:
        return latest.year, None
    page = periods.Period.of(latest.year, latest.quarter)
    ended = periods.last_ended_period(periods.QUARTERLY, today)
    if ended is not None and page.end > ended.end:
        page = ended
    return page.year, page.n


def default_period(plan: Plan, today: date) -> tuple[int, int | None]:
    """What a dashboard shows when no period is asked for: the latest period with approved
    data; without any, the last quarter that has ended (its values are being reported now),
    brought within the plan's years (the first quarter of the plan, or its last year whole)."""
    latest = latest_period(plan, today)
    if latest is not None:
        return latest
    ended = periods.last_ended_period(periods.QUARTERLY, today)
    year, quarter = ended.year, ended.n
    years = plan_years(plan)
    if year < years[0]:
        return years[0], 1
    if year > years[-1]:
        return years[-1], None
    return year, quarter


def dimension_get(*, plan: Plan, pk: int) -> Dimension:
    """The plan's dimension; 404 for another plan's."""
    return get_object_or_404(Dimension, plan=plan, pk=pk)


def plan_departments(plan: Plan) -> dict[str, Department]:
    """The departments with a role for some indicator of the plan, by name, in the county's
    order (one query). Progress rows name departments; this turns a name into a link."""
    departments = Department.objects.filter(responsibilities__indicator__plan=plan).distinct()
    return {department.name: department for department in departments}


def department_get(departments: dict[str, Department], *, pk: int) -> Department:
    """One of the plan's departments (`plan_departments`) by id; 404 for any other."""
    found = next((d for d in departments.values() if d.pk == pk), None)
    if found is None:
        raise Http404("No such department in this plan.")
    return found


def completeness(*, plan: Plan, year: int, today: date) -> list:
    """`review_selectors.completeness` for a year in which values are owed; [] before the first
    tracked year (the baseline year's figures are not owed period by period) and for a year
    that has not begun. 3 queries or none, and none while cached (`indicators.cache`)."""
    if year < plan.first_year or year > today.year:
        return []
    return cache.cached(
        f"completeness:{plan.pk}:{year}:{today.isoformat()}",
        lambda: review_selectors.completeness(plan=plan, year=year, today=today),
        aspects=(cache.FIRST_SUBMITTED,),
    )


@dataclass(frozen=True)
class Overdue:
    """A department's values missing for quarters whose deadline has passed."""

    department: Department
    missing: int
    periods: list[str]  # the quarters concerned, e.g. ["2026年第2季度", "2026年第3季度"]


def overdue_by_department(periods: list) -> list[Overdue]:
    """From completeness: each department with values still missing after the deadline, most
    missing first (no query)."""
    missing: dict[int, int] = defaultdict(int)
    labels: dict[int, list[str]] = defaultdict(list)
    departments: dict[int, Department] = {}
    for period in periods:
        if not period.deadline_passed:
            continue
        for department, tally in period.rows:
            if tally.missing:
                departments[department.pk] = department
                missing[department.pk] += tally.missing
                labels[department.pk].append(period.label)
    result = [Overdue(departments[pk], missing[pk], labels[pk]) for pk in departments]
    return sorted(result, key=lambda o: -o.missing)


def department_tallies(periods: list, department: Department) -> list[dict]:
    """One department's completeness per ended quarter (no query)."""
    return [
        {"period": period, "tally": tally}
        for period in periods
        for row_department, tally in period.rows
        if row_department.pk == department.pk
    ]


@dataclass(frozen=True)
class MissingValue:
    indicator: Indicator
    label: str  # the period
    deadline: date


def department_missing(
    *, plan: Plan, department: Department, year: int, today: date
) -> list[MissingValue]:
    """The values the department reports (`plan_selectors.indicators_reported_by`, the rule of
    completeness) that were never submitted for a period of `year` of the indicator's
    frequency whose deadline has passed, by period then plan order (2 queries, or none before
    the first tracked year)."""
    if year < plan.first_year or year > today.year:
        return []
    reported = plan_selectors.indicators_reported_by(department).filter(plan=plan)
    indicators = list(reported)
    submitted = {
        (pk, periods.Period.from_fields(year, month=month, quarter=quarter, half=half))
        for pk, month, quarter, half in Actual.objects.filter(
            indicator__in=reported.values("pk"), year=year, first_submitted_at__isnull=False
        ).values_list("indicator_id", "month", "quarter", "half")
    }
    owed = [
        (period, indicator)
        for indicator in indicators
        for period in review_selectors.ended_periods(indicator.frequency, year, today)
        if today > period.deadline(plan.deadline_days, plan.annual_deadline)
        and (indicator.pk, period) not in submitted
    ]
    owed.sort(key=lambda pair: (pair[0].end, pair[1].order))
    return [
        MissingValue(
            indicator, period.label(), period.deadline(plan.deadline_days, plan.annual_deadline)
        )
        for period, indicator in owed
    ]


@dataclass(frozen=True)
class IndicatorKey:
    """What keys an indicator's cached page: its id and the ids of the indicators its targets
    refer to (§9.5: their figures judge it), and its name for the page's title."""

    pk: int
    name: str
    references: tuple[int, ...]

    @property
    def indicators(self) -> tuple[int, ...]:
        return (self.pk, *self.references)


def indicator_key(*, plan: Plan, code: str) -> IndicatorKey | None:
    """The key of the plan's indicator with this code (1 query, none while cached); None for
    an unknown code."""

    def find() -> IndicatorKey | None:
        rows = list(
            Indicator.objects.filter(plan=plan, code=code).values_list(
                "pk", "name", "targets__reference_id"
            )
        )
        references = sorted({reference for _pk, _name, reference in rows if reference})
        return IndicatorKey(rows[0][0], rows[0][1], tuple(references)) if rows else None

    return cache.cached(f"indicator-key:{plan.pk}:{code}", find, aspects=(cache.PLANS,))


def indicator_get(*, plan: Plan, code: str) -> Indicator:
    """The plan's indicator with its dimension, stages, targets and departments; 404 for an
    unknown code (4 queries)."""
    indicators = Indicator.objects.select_related("dimension").prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("position")),
        Prefetch(
            "targets",
            queryset=Target.objects.select_related("stage", "reference").order_by("year"),
        ),
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("department").order_by("position", "pk"),
        ),
    )
    return get_object_or_404(indicators, plan=plan, code=code)


def indicator_spec(indicator: Indicator, baseline_year: int) -> progress.IndicatorSpec:
    """The engine's view of a prefetched indicator (`indicator_get`); no query."""
    targets = [progress_selectors.TargetRow.of(t) for t in indicator.targets.all()]
    stages = [stage.label for stage in indicator.stages.all()]
    return progress_selectors.indicator_spec(indicator, baseline_year, targets, stages)


def indicator_departments(indicator: Indicator) -> dict[str, list[Department]]:
    """The departments of a prefetched indicator per role (lead, responsible), in the order
    the plan names them; no query."""
    roles: dict[str, list[Department]] = defaultdict(list)
    for row in indicator.responsibilities.all():
        roles[row.role].append(row.department)
    return roles


def indicator_tasks(indicator: Indicator) -> list[TaskIndicator]:
    """The tasks whose text states the indicator's target, with the clause (one query)."""
    return list(
        TaskIndicator.objects.filter(indicator=indicator)
        .select_related("task__project")
        .order_by("task__project__number", "task__order")
    )


@dataclass(frozen=True)
class IndicatorValueRow:
    """One stored value of the indicator, as the table of values prints it."""

    actual: Actual
    period: str
    in_force: str | None  # the approved figure with its unit; None when none is approved
    working: str | None  # the figure being entered or reviewed, when it differs
    source: str


def indicator_values(indicator: Indicator, user) -> list[IndicatorValueRow]:
    """The indicator's values that `user` may see (`access.actuals_visible_to`), as they may
    see them (`access.shown_to`: only the figure in force, to some), latest period first, a
    whole-year figure before the year's quarters (2–3 queries)."""
    actuals = (
        access.actuals_visible_to(user)
        .filter(indicator=indicator)
        .select_related("stage", "approved_stage", "created_by", "approved_by")
    )
    shown = (access.shown_to(user, actual) for actual in actuals)
    latest_first = sorted(shown, key=lambda a: (a.period.end, a.period.is_whole_year), reverse=True)
    return [_value_row(indicator, actual) for actual in latest_first]


def _value_row(indicator: Indicator, actual: Actual) -> IndicatorValueRow:
    # The actual's own indicator is the page's: no query per row.
    actual.indicator = indicator
    in_force = None
    if actual.in_force:
        in_force = review_selectors.figure(indicator, actual.approved_value, actual.approved_stage)
    working = review_selectors.figure(indicator, actual.value, actual.stage)
    same = (actual.value, actual.stage_id) == (actual.approved_value, actual.approved_stage_id)
    return IndicatorValueRow(
        actual=actual,
        period=actual.period.label(),
        in_force=in_force,
        working=None if actual.in_force and same else working,
        source=actual.approved_source if actual.in_force else actual.source,
    )


def chart_indicator_data(
    indicator: Indicator,
    spec: progress.IndicatorSpec,
    result: progress.Progress,
    figures: list[Figure],
    period: tuple[int, int | None],
) -> charts.IndicatorChartData:
    """The chart's plain data: the same spec, baseline, figures and status as the engine's."""
    return charts.IndicatorChartData(
        spec=spec,
        baseline=result.baseline,
        figures=tuple(figures),
        status=result.status,
        period=period,
        unit=meanings.display_unit(indicator),
    )


def recorded_for(
    indicator: Indicator, assignments=(), judgements=()
) -> progress_selectors.Recorded:
    """What a prefetched indicator's targets are judged by (§9.4–5): its assigned values and
    judgements (read by the caller), and its referenced indicator's figures (one query, for a
    `relative` target only)."""
    reference = next((t.reference for t in indicator.targets.all() if t.reference_id), None)
    return progress_selectors.Recorded(
        assigned={a.year: a.value for a in assignments},
        judgements={j.year: j.met for j in judgements},
        reference=None if reference is None else progress_selectors.indicator_figures(reference),
        reference_kind=None if reference is None else reference.kind,
    )
