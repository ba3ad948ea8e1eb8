"""Reads for the dashboards: the default period, the plan's departments, and the progress rows
shaped for the pages (cards, lists that need attention, departments' overdue values).

Every figure comes from the progress engine (`indicators.selectors.progress_rows`) and every
completeness count from `indicators.selectors_review.completeness`; this module only picks,
groups and formats what they return. Each function costs a fixed number of queries, whatever
the number of indicators.

Functions prefixed `indicator_` and `chart_` belong to the indicator page and the charts.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import (
    calendar,
    meanings,
    progress,
    selectors,
    selectors_review,
    statuses,
)
from indicators.formatting import plain, rounded
from indicators.models import (
    Actual,
    Department,
    Dimension,
    Indicator,
    Kind,
    Plan,
    Responsibility,
    ResponsibilityRole,
    Stage,
    Target,
    TaskIndicator,
)
from indicators.periods import Figure
from indicators.selectors import IN_FORCE, ProgressRow
from reports import charts
from reports.summary import percent

# ---------------------------------------------------------------------------------------------
# The period


def plan_years(plan: Plan) -> list[int]:
    """The years a dashboard may show: the plan's baseline year to its last milestone year
    (the range the progress API accepts)."""
    return list(range(plan.baseline_year, max([plan.baseline_year, *plan.milestone_years]) + 1))


def latest_period(plan: Plan) -> tuple[int, int | None] | None:
    """The latest period of the plan's years with an approved figure (one query), or None.

    Periods are ordered in time, and a whole-year figure of year y counts as the period right
    after y's Q4: it is reported once the year is over, and it sums up the whole year.
    """
    years = plan_years(plan)
    return (
        Actual.objects.filter(IN_FORCE, indicator__plan=plan, year__range=(years[0], years[-1]))
        .order_by("-year", F("quarter").desc(nulls_first=True))
        .values_list("year", "quarter")
        .first()
    )


def default_period(plan: Plan, today: date) -> tuple[int, int | None]:
    """What a dashboard shows when no period is asked for: the latest period with approved
    data; without any, the last quarter that has ended (its values are being reported now),
    brought within the plan's years (the first quarter of the plan, or its last year whole)."""
    latest = latest_period(plan)
    if latest is not None:
        return latest
    year, quarter = calendar.last_ended_quarter(today)
    years = plan_years(plan)
    if year < years[0]:
        return years[0], 1
    if year > years[-1]:
        return years[-1], None
    return year, quarter


# ---------------------------------------------------------------------------------------------
# The plan's dimensions and departments


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


# ---------------------------------------------------------------------------------------------
# Cards: one indicator's standing, formatted once for every page


def _ink(colour: str) -> str:
    """Dark or white text, whichever reads better on the status colour (hex, no '#')."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return "1f2933" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "ffffff"


STATUS_INK = {status: _ink(colour) for status, colour in statuses.STATUS_COLOURS.items()}


def shown(indicator: Indicator, value: Decimal | None, places: int | None = None) -> str | None:
    """A number with its unit as a reader expects it ("36亿元", "5.2%", 零发生); computed
    numbers (expected values) are rounded to `places`."""
    if value is None:
        return None
    if indicator.kind == Kind.ZERO_EVENT and value == 0:
        return _("None occurred")
    text = plain(value) if places is None else rounded(value, places)
    return f"{text}{indicator.unit}"


class Card(TypedDict):
    """An indicator's standing in a period, ready to print: texts, status and colours.

    A plain dict rather than an object: a page prints hundreds of cards, and the template
    engine finds a dict's keys at once where an attribute costs it a failed lookup first.
    """

    row: ProgressRow
    code: str
    name: str
    dimension: Dimension
    status: str
    label: str
    colour: str  # hex without '#', from statuses.STATUS_COLOURS
    ink: str  # text colour on `colour`
    value: str | None  # the value with its unit, or the stage reached
    annualised: str | None  # the whole-year equivalent of a year-to-date total
    annualised_note: str | None  # the same, as a note ("折算全年：36亿元")
    expected_label: str
    expected: str | None
    ratio: str | None  # R as a percentage ("76.9")
    flags: list[str]
    provisional: bool  # includes a submitted, not yet approved value
    baseline_missing: bool
    url: str  # the indicator page, for the same period
    leads: list[str]
    lead_links: list[tuple[str, str | None]]  # (name, url of its page)
    responsible: list[str]


class Links:
    """Links from a dashboard to indicator and department pages, keeping the period's query.

    A page may link hundreds of indicators: each kind of link is reversed once, and the code
    or id is then put in its place (reversing every link took a third of a 300-card page).
    """

    def __init__(self, slug: str, query: str, departments: dict[str, Department] | None = None):
        self._indicator = reverse("reports:indicator", args=[slug, "0"])[:-2]
        self._department = reverse("reports:department", args=[slug, 0])[:-2]
        self._query = f"?{query}" if query else ""
        self._departments = departments or {}

    def indicator(self, code: str) -> str:
        return f"{self._indicator}{code}/{self._query}"

    def department(self, pk: int) -> str:
        return f"{self._department}{pk}/{self._query}"

    def lead(self, name: str) -> str | None:
        """A lead department's page, when the department is known by that name."""
        department = self._departments.get(name)
        return self.department(department.pk) if department else None


def card(row: ProgressRow, links: Links) -> Card:
    """Format one progress row (no query)."""
    ind, p = row.indicator, row.progress
    if ind.kind == Kind.MILESTONE:
        value = row.stage
        expected_label = _("%(year)s target") % {"year": p.target_year} if p.target_year else ""
        expected = p.target_stage
    else:
        value = shown(ind, p.value)
        expected_label = _("Expected by schedule")
        expected = shown(ind, p.expected, 2)
    annualised = shown(ind, p.compared_value, 2) if progress.ANNUALISED in p.flags else None
    return Card(
        row=row,
        code=ind.code,
        name=ind.name,
        dimension=ind.dimension,
        status=p.status,
        label=statuses.status_label(p.status),
        colour=statuses.STATUS_COLOURS[p.status],
        ink=STATUS_INK[p.status],
        value=value,
        annualised=annualised,
        annualised_note=_("whole year: %(value)s") % {"value": annualised} if annualised else None,
        expected_label=expected_label,
        expected=expected,
        ratio=percent(p.ratio),
        flags=[str(statuses.FLAG_LABELS[flag]) for flag in p.flags],
        provisional=progress.PROVISIONAL in p.flags,
        baseline_missing=progress.BASELINE_MISSING in p.flags,
        url=links.indicator(ind.code),
        leads=row.leads,
        lead_links=[(name, links.lead(name)) for name in row.leads],
        responsible=row.responsible,
    )


def cards(rows: list[ProgressRow], links: Links) -> list[Card]:
    return [card(row, links) for row in rows]


def counts_shown(counts: dict[str, int]) -> list[dict]:
    """Status counts in report order with label and colours, for a legend or a list."""
    return [
        {
            "status": status,
            "label": statuses.status_label(status),
            "colour": statuses.STATUS_COLOURS[status],
            "ink": STATUS_INK[status],
            "count": count,
        }
        for status, count in counts.items()
    ]


def by_dimension(items: list[Card]) -> list[dict]:
    """Cards grouped by dimension, in plan order, with each dimension's counts."""
    groups: dict[int, dict] = {}
    for item in items:
        dimension = item["dimension"]
        group = groups.setdefault(dimension.pk, {"dimension": dimension, "cards": []})
        group["cards"].append(item)
    for group in groups.values():
        group["counts"] = selectors.status_counts(c["row"] for c in group["cards"])
    return list(groups.values())


# ---------------------------------------------------------------------------------------------
# What needs attention

# The statuses a leader must act on, in the order the overview lists them.
ATTENTION = (progress.REGRESSING, progress.FAR_BEHIND, progress.FAILED, progress.OVERDUE)


def attention(items: list[Card]) -> dict:
    """The overview's lists: indicators by worrying status (only statuses that occur), and
    the gaps in the plan itself (no lead department, no baseline)."""
    by_status = defaultdict(list)
    for item in items:
        by_status[item["status"]].append(item)
    return {
        "statuses": [
            {
                "status": status,
                "label": statuses.status_label(status),
                "colour": statuses.STATUS_COLOURS[status],
                "ink": STATUS_INK[status],
                "cards": by_status[status],
            }
            for status in ATTENTION
            if by_status[status]
        ],
        "without_lead": [item for item in items if not item["leads"]],
        "without_baseline": [item for item in items if item["baseline_missing"]],
    }


# ---------------------------------------------------------------------------------------------
# Reporting: completeness and overdue values


def completeness(*, plan: Plan, year: int, today: date) -> list:
    """`selectors_review.completeness` for a year in which values are owed; [] before the first
    reporting year (the baseline year's figures are not owed quarterly) and for a year with no
    ended quarter yet. 3 queries or none."""
    if year < selectors.first_reporting_year(plan) or not selectors_review.ended_quarters(
        year, today
    ):
        return []
    return selectors_review.completeness(plan=plan, year=year, today=today)


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
    label: str  # the quarter
    deadline: date


def department_missing(
    *, plan: Plan, department: Department, year: int, today: date
) -> list[MissingValue]:
    """The values the department reports (`selectors.indicators_reported_by`, the rule of
    completeness) that were never submitted for a quarter of `year` whose deadline has passed,
    by quarter then plan order (2 queries, or none before the first reporting year)."""
    if year < selectors.first_reporting_year(plan):
        return []
    quarters = [
        quarter
        for quarter in selectors_review.ended_quarters(year, today)
        if today > calendar.deadline(year, quarter, plan.deadline_days)
    ]
    if not quarters:
        return []
    reported = selectors.indicators_reported_by(department).filter(plan=plan)
    indicators = list(reported)
    submitted = set(
        Actual.objects.filter(
            indicator__in=reported.values("pk"),
            year=year,
            quarter__in=quarters,
            first_submitted_at__isnull=False,
        ).values_list("indicator_id", "quarter")
    )
    return [
        MissingValue(
            indicator,
            calendar.period_label(year, quarter),
            calendar.deadline(year, quarter, plan.deadline_days),
        )
        for quarter in quarters
        for indicator in indicators
        if (indicator.pk, quarter) not in submitted
    ]


# ---------------------------------------------------------------------------------------------
# Departments


def department_rows(
    rows: list[ProgressRow], departments: dict[str, Department], overdue: list[Overdue]
) -> list[dict]:
    """Per department of the plan: its counts as lead (`selectors.counts_by_lead`), how many
    indicators it shares as responsible, and its overdue values; lead departments first in
    plan order, then the others in the county's order, and last the indicators without a lead
    (department None). No query."""
    responsible: dict[str, int] = defaultdict(int)
    for row in rows:
        for name in row.responsible:
            responsible[name] += 1
    missing = {o.department.pk: o.missing for o in overdue}
    result, seen = [], set()
    for group in selectors.counts_by_lead(rows):
        name = group["department"]
        seen.add(name)
        result.append(_department_row(name, group["counts"], departments, responsible, missing))
    for name in departments:
        if name not in seen:
            counts = statuses.empty_counts()
            result.append(_department_row(name, counts, departments, responsible, missing))
    # counts_by_lead puts the indicators without a lead last; keep them last
    result.sort(key=lambda r: r["department"] is None)
    return result


def _department_row(name, counts, departments, responsible, missing) -> dict:
    department = departments.get(name) if name else None
    return {
        "department": department,
        "name": name,
        "counts": counts,
        "lead": sum(counts.values()),
        "responsible": responsible.get(name, 0) if name else 0,
        "missing": missing.get(department.pk, 0) if department else 0,
    }


def departments_table(
    rows: list[ProgressRow], departments: dict[str, Department], overdue: list[Overdue]
) -> dict:
    """The departments page's table: a column for each status some department has (a narrower
    table on a phone), in report order, and per row (`department_rows`) its counts in them."""
    table = department_rows(rows, departments, overdue)
    used = {status for row in table for status, count in row["counts"].items() if count}
    columns = [c for c in counts_shown(statuses.empty_counts()) if c["status"] in used]
    for row in table:
        row["cells"] = [(c["status"], row["counts"][c["status"]]) for c in columns]
    return {"columns": columns, "rows": table}


def department_cards(items: list[Card], name: str) -> tuple[list[Card], list[Card]]:
    """A department's indicators: those it leads, and those it shares as responsible."""
    lead = [item for item in items if name in item["leads"]]
    shared = [item for item in items if name in item["responsible"]]
    return lead, shared


# ---------------------------------------------------------------------------------------------
# The indicator page (functions prefixed indicator_ and chart_)
#
# One indicator, evaluated on its own with the engine's pieces (`selectors.indicator_spec`,
# `periods.derive`, `progress.evaluate`) the way `selectors.progress_rows` evaluates each
# indicator of a plan, so the page agrees with the progress API (tests/test_indicator_page.py
# checks it) while its cost does not grow with the plan: about ten queries in all.


def indicator_get(*, plan: Plan, code: str) -> Indicator:
    """The plan's indicator with its dimension, stages, targets and departments; 404 for an
    unknown code (4 queries)."""
    indicators = Indicator.objects.select_related("dimension").prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("position")),
        Prefetch("targets", queryset=Target.objects.select_related("stage").order_by("year")),
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("department").order_by("position", "pk"),
        ),
    )
    return get_object_or_404(indicators, plan=plan, code=code)


def indicator_spec(indicator: Indicator, baseline_year: int) -> progress.IndicatorSpec:
    """The engine's view of a prefetched indicator (`indicator_get`); no query."""
    targets = [
        (t.year, t.value, t.stage.label if t.stage else None) for t in indicator.targets.all()
    ]
    stages = [stage.label for stage in indicator.stages.all()]
    return selectors.indicator_spec(indicator, baseline_year, targets, stages)


def indicator_figures(indicator: Indicator, include_pending: bool = False) -> list[Figure]:
    """Every period's figure that counts for the indicator, every year (one query): the
    figure in force, or with `include_pending` a submitted one in its place, marked
    provisional; the rule is `selectors.counted_figure`, the engine's own."""
    rows = Actual.objects.filter(indicator=indicator).values_list(*selectors.ENTRY_FIELDS)
    figures = (selectors.counted_figure(row, include_pending) for row in rows)
    return [figure for figure in figures if figure is not None]


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
    """The indicator's values that `user` may see (`selectors.actuals_visible_to`), latest
    period first, a whole-year figure before the year's quarters (2–3 queries)."""
    actuals = (
        selectors.actuals_visible_to(user)
        .filter(indicator=indicator)
        .select_related("stage", "approved_stage", "created_by", "approved_by")
        .order_by("-year", F("quarter").desc(nulls_first=True))
    )
    return [_value_row(indicator, actual) for actual in actuals]


def _value_row(indicator: Indicator, actual: Actual) -> IndicatorValueRow:
    # The actual's own indicator is the page's: no query per row.
    actual.indicator = indicator
    in_force = None
    if actual.in_force:
        in_force = selectors_review.figure(indicator, actual.approved_value, actual.approved_stage)
    working = selectors_review.figure(indicator, actual.value, actual.stage)
    same = (actual.value, actual.stage_id) == (actual.approved_value, actual.approved_stage_id)
    return IndicatorValueRow(
        actual=actual,
        period=calendar.period_label(actual.year, actual.quarter),
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


@dataclass(frozen=True)
class IndicatorPage:
    """Everything the indicator page shows, read and evaluated."""

    indicator: Indicator
    card: Card  # the standing, formatted as on the other dashboards
    progress: progress.Progress
    completion: str | None  # C_k as a percentage
    time_progress: str | None  # τ as a percentage
    target: str | None  # the current milestone's target, with its unit
    baseline: str | None  # the plan's baseline with its unit; None where the plan has none
    targets: list[tuple[int, str]]  # every target: (year, value with its unit, or stage)
    leads: list[Department]
    responsible: list[Department]
    tasks: list[TaskIndicator]
    values: list[IndicatorValueRow]
    figure: dict  # the plotly figure (reports.charts.indicator_figure)


def indicator_page(
    *, plan: Plan, code: str, user, year: int, quarter: int | None, include_pending: bool
) -> IndicatorPage:
    """The indicator page for a period: 4 queries for the indicator, 1 for its figures, 1
    for its tasks and 2–3 for the values the user may see, whatever the plan's size."""
    indicator = indicator_get(plan=plan, code=code)
    spec = indicator_spec(indicator, plan.baseline_year)
    figures = indicator_figures(indicator, include_pending)
    result, stage = selectors.evaluate_period(spec, figures, year, quarter)
    roles = indicator_departments(indicator)
    leads, responsible = roles[ResponsibilityRole.LEAD], roles[ResponsibilityRole.RESPONSIBLE]
    row = ProgressRow(
        indicator=indicator,
        progress=result,
        stage=stage,
        leads=[d.name for d in leads],
        responsible=[d.name for d in responsible],
    )
    data = chart_indicator_data(indicator, spec, result, figures, (year, quarter))
    return IndicatorPage(
        indicator=indicator,
        # The page links its departments itself; the card gives the standing's texts.
        card=card(row, Links(plan.slug, "", {d.name: d for d in leads})),
        progress=result,
        completion=percent(result.completion),
        time_progress=percent(result.time_progress),
        target=result.target_stage or shown(indicator, result.target_value),
        baseline=shown(indicator, indicator.baseline),
        targets=[
            (t.year, t.stage.label if t.stage else shown(indicator, t.value))
            for t in indicator.targets.all()
        ],
        leads=leads,
        responsible=responsible,
        tasks=indicator_tasks(indicator),
        values=indicator_values(indicator, user),
        figure=charts.indicator_figure(data),
    )
