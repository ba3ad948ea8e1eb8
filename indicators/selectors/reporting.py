"""Reads for the clerk's pages: 我的填报 (what a department owes) and the entry form's facts.

Which periods 我的填报 lists (the department "owes" a value for a period, domain.md §10):
- for each frequency its indicators are reported at (month, quarter, half-year, year), the
  current period of that frequency, `periods.last_ended_period(frequency, today)`, always,
  for every indicator of that frequency (when the period lies within the plan's years);
- every earlier ended period of the indicator's frequency from the plan's first tracked
  period (`Plan.first_year`, by default the year after the baseline year, whose printed
  baseline sums it up), and every ended year's whole-year figure (the statistics bureau's
  年报, due on the plan's annual date of the next year) from that year on, for every indicator;
- the baseline year's whole-year figure for an indicator whose baseline the plan leaves
  missing ("-"), when its progress would use one (level, annual_total, rate: domain.md §4);
  a `cumulative` indicator starts at 0 instead, and the other kinds use no baseline figure.
An earlier period is listed only while it is still open for the department: no value yet, a
draft, or a value returned by the reviewer. Submitted and approved values are done there.

A period is 逾期 (overdue) when its deadline (`periods.deadline`) has passed and the
department has not yet submitted it: nothing entered, or a draft never submitted (shown as
逾期 with "已存草稿"). A returned value was submitted in time or not, but it is the reviewer's
turn that sent it back: it shows 已退回 with the reviewer's comment, never 逾期; a draft
correcting an approved figure is not overdue either, since a figure stands for the period.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from indicators.domain import periods
from indicators.domain.formatting import plain
from indicators.models import (
    Actual,
    ActualState,
    Department,
    Indicator,
    Kind,
    Plan,
    Responsibility,
    ResponsibilityRole,
    Target,
)
from indicators.selectors.plans import indicators_reported_by, reporting_departments

MISSING = "missing"
OVERDUE = "overdue"
OPEN_STATES = {None, ActualState.DRAFT, ActualState.RETURNED}
# Kinds whose progress falls back on the baseline year's figure when the baseline is missing.
NEEDS_BASELINE_FIGURE = {Kind.LEVEL, Kind.ANNUAL_TOTAL, Kind.RATE}


@dataclass(frozen=True)
class ReportingRow:
    """One indicator in one period, as 我的填报 shows it."""

    indicator: Indicator
    state: str  # missing, draft, submitted, approved, returned, or overdue
    has_draft: bool  # overdue with a draft saved
    shown: str | None  # the working copy's value or stage
    comment: str  # the reviewer's comment on a returned value
    departments: list[str]


@dataclass
class ReportingPeriod:
    """A period of one plan and the rows the department owes in it."""

    plan: Plan
    period: periods.Period
    current: bool
    deadline: date
    rows: list[ReportingRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.period.label()

    @property
    def code(self) -> str:
        """The period as the entry page's address writes it."""
        return self.period.code()


def reported_indicators(
    department: Department | None, *, every: QuerySet[Plan] | None
) -> QuerySet[Indicator]:
    """The department's indicators, or (`every`: the plans an administrator may see) every
    indicator of those plans that has a reporting department; with plan and departments (2
    queries)."""
    if every is not None:
        roles = (ResponsibilityRole.LEAD, ResponsibilityRole.DATA_SOURCE)
        indicators = Indicator.objects.filter(
            plan__in=every, responsibilities__role__in=roles
        ).distinct()
    else:
        indicators = indicators_reported_by(department)
    responsibilities = Responsibility.objects.select_related("department").order_by(
        "position", "pk"
    )
    return (
        indicators.select_related("plan")
        .prefetch_related(Prefetch("responsibilities", queryset=responsibilities))
        .order_by("plan__slug", "order")
    )


def owed_periods(plan: Plan, frequencies: set[str], on: date) -> list[tuple[periods.Period, bool]]:
    """The periods of `plan` 我的填报 may list on `on` for indicators of these frequencies,
    as (period, current): the current period of each frequency first, then the earlier ones
    newest first (see the module docstring)."""
    listed: list[tuple[periods.Period, bool]] = []
    earlier: set[periods.Period] = set()
    for frequency in periods.FREQUENCIES:
        if frequency not in frequencies:
            continue
        current = periods.last_ended_period(frequency, on)
        if current is not None and plan.baseline_year <= current.year <= plan.last_year:
            listed.append((current, True))
        first = periods.first_period(frequency, plan.first_year)
        owed = periods.periods_owed(frequency, first, on, plan.last_year)
        earlier |= {period for period in owed if period != current}
    ended_years = range(plan.first_year, min(on.year, plan.last_year + 1))
    earlier |= {periods.Period.whole_year(y) for y in ended_years if y < on.year}
    if periods.Period.whole_year(plan.baseline_year).has_ended(on):
        earlier.add(periods.Period.whole_year(plan.baseline_year))
    taken = {period for period, _current in listed}
    newest_first = sorted(earlier - taken, key=lambda p: (p.end, p.is_whole_year), reverse=True)
    return listed + [(period, False) for period in newest_first]


def _owes(indicator: Indicator, period: periods.Period, current: bool) -> bool:
    """Whether the department owes this indicator's value for the period at all: a period of
    its own frequency, or a whole year's figure (the statistics bureau's 年报)."""
    if not (period.is_whole_year or period.frequency == indicator.frequency):
        return False
    if current or period.year >= indicator.plan.first_year:
        return True
    return (
        period.is_whole_year
        and indicator.baseline is None
        and indicator.kind in NEEDS_BASELINE_FIGURE
    )


def _stored(indicators: list[Indicator], first_year: int) -> dict[tuple, dict]:
    """The stored values of the indicators from `first_year` on, by (indicator id, period), as
    plain rows (1 query)."""
    rows = Actual.objects.filter(
        indicator__in=[i.pk for i in indicators], year__gte=first_year
    ).values(
        "indicator_id", "year", "month", "quarter", "half", "state", "value", "stage__label",
        "review_comment", "first_submitted_at", "approved_value", "approved_stage_id",
    )  # fmt: skip
    return {
        (r["indicator_id"], periods.Period.from_fields(
            r["year"], month=r["month"], quarter=r["quarter"], half=r["half"])): r
        for r in rows
    }  # fmt: skip


def my_reporting(
    *, department: Department | None, every: QuerySet[Plan] | None = None, on: date
) -> list[ReportingPeriod]:
    """What the department owes on `on`, per plan and period (3 queries whatever the number of
    indicators: indicators with plan, their departments, their stored values)."""
    indicators = list(reported_indicators(department, every=every))
    by_plan: dict[Plan, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_plan[indicator.plan].append(indicator)
    first_year = min((plan.baseline_year for plan in by_plan), default=on.year)
    stored = _stored(indicators, first_year)
    result = []
    for plan, plan_indicators in by_plan.items():
        frequencies = {indicator.frequency for indicator in plan_indicators}
        for period, current in owed_periods(plan, frequencies, on):
            section = ReportingPeriod(
                plan=plan,
                period=period,
                current=current,
                deadline=period.deadline(plan.deadline_days, plan.annual_deadline),
            )
            section.rows = _rows(plan_indicators, period, section, stored, on)
            if section.rows:
                result.append(section)
    return result


def _rows(indicators, period: periods.Period, section: ReportingPeriod, stored, on: date):
    rows = []
    for indicator in indicators:
        if not _owes(indicator, period, section.current):
            continue
        actual = stored.get((indicator.pk, period))
        state = actual["state"] if actual else None
        if section.current or state in OPEN_STATES:
            rows.append(_row(indicator, actual, on > section.deadline))
    return rows


def _row(indicator: Indicator, actual: dict | None, late: bool) -> ReportingRow:
    """A row's state: the stored state, or 未填报; 逾期 past the deadline while the department
    has submitted nothing for the period and no figure stands for it."""
    if actual is None:
        state, has_draft = (OVERDUE if late else MISSING), False
    else:
        never_submitted = actual["first_submitted_at"] is None
        in_force = actual["approved_value"] is not None or actual["approved_stage_id"] is not None
        has_draft = late and never_submitted and not in_force
        state = OVERDUE if has_draft else actual["state"]
    return ReportingRow(
        indicator=indicator,
        state=state,
        has_draft=has_draft,
        shown=_shown(actual),
        comment=actual["review_comment"] if actual and state == ActualState.RETURNED else "",
        departments=reporting_departments(indicator),
    )


def _shown(actual: dict | None) -> str | None:
    if actual is None:
        return None
    return actual["stage__label"] or plain(actual["value"])


# --- The entry form's facts ---------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A value to show beside the form: its period, its value or stage, and whether it is
    the approved figure (in force) or only the latest entry."""

    period: periods.Period
    value: Decimal | None
    stage: object  # a Stage (with .label) or None
    in_force: bool

    @property
    def label(self) -> str:
        return self.period.label()


def entry_indicator(*, plan: Plan, code: str) -> Indicator | None:
    """The indicator with its plan, stages, targets and departments (4 queries)."""
    return (
        Indicator.objects.filter(plan=plan, code=code)
        .select_related("plan")
        .prefetch_related(
            "stages",
            Prefetch("targets", queryset=Target.objects.select_related("stage").order_by("year")),
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("department").order_by(
                    "position", "pk"
                ),
            ),
        )
        .first()
    )


def entry_actual(indicator: Indicator, period: periods.Period) -> Actual | None:
    """The stored value of the period, with the people and stages the page names."""
    return (
        Actual.objects.filter(indicator=indicator, year=period.year, **period.fields)
        .select_related("updated_by", "approved_by", "stage", "approved_stage")
        .first()
    )


def previous_figure(indicator: Indicator, period: periods.Period) -> Figure | None:
    """The previous period's figure in force, or else its latest entry (None without one)."""
    before = period.previous()
    actual = (
        Actual.objects.filter(indicator=indicator, year=before.year, **before.fields)
        .select_related("stage", "approved_stage")
        .first()
    )
    if actual is None:
        return None
    if actual.in_force:
        return Figure(before, actual.approved_value, actual.approved_stage, True)
    return Figure(before, actual.value, actual.stage, False)


def next_target(indicator: Indicator, year: int) -> Target | None:
    """The first target of a prefetched indicator in `year` or later."""
    return next((t for t in indicator.targets.all() if t.year >= year), None)
