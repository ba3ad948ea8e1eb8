"""Reads. Every selector returns rows with their related data already fetched, so a page or
an API list costs a fixed number of queries whatever the number of indicators."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from indicators import periods, progress, statuses
from indicators.formatting import plain
from indicators.models import (
    Actual,
    ActualState,
    Department,
    Indicator,
    Kind,
    Plan,
    Profile,
    Project,
    Responsibility,
    ResponsibilityRole,
    Role,
    Stage,
    Target,
    Task,
    TaskDepartment,
)


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.all()


def plan_get(*, slug: str) -> Plan:
    return get_object_or_404(Plan, slug=slug)


def first_reporting_year(plan: Plan) -> int:
    """Quarterly values are owed from the year after the baseline year: the plan's printed
    baseline already sums up the baseline year (its figures may still be entered)."""
    return plan.baseline_year + 1


def plan_first() -> Plan | None:
    return Plan.objects.order_by("pk").first()


def indicator_tree(*, plan: Plan) -> QuerySet[Indicator]:
    """The plan's indicators in plan order, with dimension, stages, targets and departments.

    Queries: indicators (+dimension), stages, targets (+stage), responsibilities (+department).
    """
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("dimension")
        .prefetch_related(
            "stages",
            Prefetch("targets", queryset=Target.objects.select_related("stage")),
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.select_related("department").order_by(
                    "position", "pk"
                ),
            ),
        )
        .order_by("order")
    )


def departments_by_role(indicator: Indicator) -> dict[str, list[str]]:
    """Department names per role of a prefetched indicator (see `_roles`)."""
    return _roles((row.role, row.department.name) for row in indicator.responsibilities.all())


_ROLE_VALUES = tuple(ResponsibilityRole.values)  # an enum property: read once, not per row


def _roles(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(role, department) pairs to names per role; the data source defaults to the lead."""
    names = {role: [] for role in _ROLE_VALUES}
    for role, name in pairs:
        names[role].append(name)
    if not names[ResponsibilityRole.DATA_SOURCE]:
        names[ResponsibilityRole.DATA_SOURCE] = list(names[ResponsibilityRole.LEAD])
    return names


def task_list(*, plan: Plan) -> QuerySet[Task]:
    """The plan's tasks in order, with project, departments and linked indicators (3 queries)."""
    return (
        Task.objects.filter(project__plan=plan)
        .select_related("project")
        .prefetch_related(
            Prefetch(
                "departments",
                queryset=TaskDepartment.objects.select_related("department").order_by("position"),
            ),
            Prefetch("indicators", queryset=Indicator.objects.order_by("order")),
        )
        .order_by("project__number", "order")
    )


def project_list(*, plan: Plan) -> QuerySet[Project]:
    return Project.objects.filter(plan=plan).order_by("number")


def department_list(*, county: str | None = None) -> QuerySet[Department]:
    departments = Department.objects.all()
    return departments.filter(county=county) if county else departments


def user_role(user) -> str | None:
    """The user's role (its group name), or None for a user without one."""
    if not user.is_authenticated:
        return None
    names = {group.name for group in user.groups.all()}
    return next((role for role in Role.values if role in names), None)


def table_years(indicators) -> list[int]:
    """The milestone years the plan's own table prints as columns (targets of origin `table`)."""
    return sorted({t.year for i in indicators for t in i.targets.all() if t.origin == "table"})


def indicator_table(*, plan: Plan) -> dict:
    """The plan's indicator table as the plan prints it, grouped by dimension, in plan order."""
    indicators = list(indicator_tree(plan=plan))
    years = table_years(indicators)
    groups: list[dict] = []
    for indicator in indicators:
        if not groups or groups[-1]["dimension"] != indicator.dimension:
            groups.append({"dimension": indicator.dimension, "rows": []})
        targets = {t.year: t for t in indicator.targets.all()}
        roles = departments_by_role(indicator)
        groups[-1]["rows"].append(
            {
                "indicator": indicator,
                "targets": [targets.get(year) for year in years],
                "leads": roles["lead"],
                "responsible": roles["responsible"],
            }
        )
    unassigned = [i for i in indicators if not departments_by_role(i)["lead"]]
    return {"years": years, "groups": groups, "unassigned": unassigned, "count": len(indicators)}


@dataclass(frozen=True)
class ProgressRow:
    """One indicator's standing in a period: the indicator (prefetched) and what the engine says."""

    indicator: Indicator
    progress: progress.Progress
    stage: str | None  # the milestone stage reached, for milestone indicators
    leads: list[str]
    responsible: list[str]


ENTRY_FIELDS = (
    "indicator_id", "year", "quarter", "state", "value", "stage__label", "stage__position",
    "approved_value", "approved_stage__label", "approved_stage__position",
)  # fmt: skip


def actual_entries(
    *, plan: Plan, year: int, include_pending: bool = False, as_of=None
) -> dict[int, list[periods.Figure]]:
    """Entries that can shape the period's values, per indicator id, in one query.

    That is every entry of the year, of the baseline year (for a missing baseline), and of
    earlier years for milestone indicators (the highest stage reached so far). Each entry is
    the figure in force (approved); with `include_pending`, a submitted figure replaces it and
    is marked provisional. Drafts and returned values never count. With `as_of` (a datetime),
    the values are those recorded in the history as they stood at that moment.
    """
    relevant = (
        Q(year=year)
        # the baseline year's figure stands in for a missing baseline only
        | Q(year=plan.baseline_year, indicator__baseline__isnull=True)
        | Q(indicator__kind=Kind.MILESTONE, year__lt=year)
    )
    if as_of is None:
        rows = Actual.objects.filter(relevant, indicator__plan=plan).values_list(*ENTRY_FIELDS)
    else:
        rows = _rows_as_of(Actual.history.filter(relevant, indicator__plan=plan), as_of)
    entries: dict[int, list[periods.Figure]] = defaultdict(list)
    for row in rows:
        figure = counted_figure(row, include_pending)
        if figure is not None:
            entries[row[0]].append(figure)
    return entries


def _rows_as_of(history: QuerySet, moment) -> list[tuple]:
    """The latest history record of each value at `moment` (as an `ENTRY_FIELDS` tuple),
    unless it was a deletion."""
    records = (
        history.filter(history_date__lte=moment)
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "history_type", *ENTRY_FIELDS)
    )
    latest: dict[int, tuple] = {}
    for record in records:
        latest.setdefault(record[0], record)
    return [r[2:] for r in latest.values() if r[1] != "-"]


def counted_figure(row: tuple, include_pending: bool) -> periods.Figure | None:
    """The figure that counts for one stored row (an `ENTRY_FIELDS` tuple: tuples, not dicts,
    because a dashboard reads thousands), or None: the figure in force; with
    `include_pending`, a submitted figure in its place, marked provisional. Drafts and
    returned values never count."""
    _ind, year, quarter, state, value, label, position, a_value, a_label, a_position = row
    if include_pending and state == ActualState.SUBMITTED:
        return periods.Figure(year, quarter, value, label, position, provisional=True)
    if a_value is not None or a_label is not None:
        return periods.Figure(year, quarter, a_value, a_label, a_position)
    return None


@dataclass
class _PlanParts:
    """A plan's indicators (with dimension) and their targets, stages and departments as
    plain values grouped by indicator id: the cheap shape for evaluating many indicators."""

    indicators: list[Indicator]
    targets: dict[int, list[tuple[int, Decimal | None, str | None]]]
    stages: dict[int, list[str]]
    roles: dict[int, dict[str, list[str]]]


def _plan_parts(plan: Plan) -> _PlanParts:
    """Four queries whatever the plan's size; only the indicators become model objects."""
    indicators = list(
        Indicator.objects.filter(plan=plan).select_related("dimension").order_by("order")
    )
    targets, stages, pairs = defaultdict(list), defaultdict(list), defaultdict(list)
    for ind_id, year, value, stage in (
        Target.objects.filter(indicator__plan=plan)
        .order_by("year")
        .values_list("indicator_id", "year", "value", "stage__label")
    ):
        targets[ind_id].append((year, value, stage))
    for ind_id, label in (
        Stage.objects.filter(indicator__plan=plan)
        .order_by("position")
        .values_list("indicator_id", "label")
    ):
        stages[ind_id].append(label)
    for ind_id, role, name in (
        Responsibility.objects.filter(indicator__plan=plan)
        .order_by("position", "pk")
        .values_list("indicator_id", "role", "department__name")
    ):
        pairs[ind_id].append((role, name))
    roles = {ind.pk: _roles(pairs[ind.pk]) for ind in indicators}
    return _PlanParts(indicators, targets, stages, roles)


def indicator_spec(
    indicator: Indicator, baseline_year: int, targets: list, stages: list[str]
) -> progress.IndicatorSpec:
    """The engine's plain view of an indicator, its (year, value, stage) targets and stages."""
    return progress.IndicatorSpec(
        kind=indicator.kind,
        direction=1 if indicator.direction == "higher" else -1,
        geometric=indicator.path == "geometric",
        binding=indicator.binding,
        baseline_year=baseline_year,
        baseline=indicator.baseline,
        targets=tuple((year, value) for year, value, _stage in targets if value is not None),
        stages=tuple(stages),
        stage_targets=tuple((year, stage) for year, _value, stage in targets if stage is not None),
    )


def evaluate_period(
    spec: progress.IndicatorSpec, figures, year: int, quarter: int | None
) -> tuple[progress.Progress, str | None]:
    """One indicator in one period: its value from the figures (domain.md §3), the baseline
    year's as a stand-in for a missing baseline, then the engine; and the stage reached."""
    current = periods.derive(spec.kind, figures, year, quarter)
    base = (
        periods.derive(spec.kind, figures, spec.baseline_year, None).value
        if spec.baseline is None
        else None
    )
    observation = progress.Observation(
        value=current.value,
        stage=current.stage,
        provisional=current.provisional,
        baseline_year_value=base,
    )
    return progress.evaluate(spec, year, quarter, observation), current.stage


def progress_rows(
    *,
    plan: Plan,
    year: int,
    quarter: int | None = None,
    include_pending: bool = False,
    as_of=None,
) -> list[ProgressRow]:
    """Every indicator of the plan, in plan order, evaluated for the period (as the values
    stood at `as_of`, a datetime, when given).

    Queries: 4 for the plan's parts and 1 for the entries, whatever the plan's size.
    """
    parts = _plan_parts(plan)
    entries = actual_entries(plan=plan, year=year, include_pending=include_pending, as_of=as_of)
    rows = []
    for indicator in parts.indicators:
        own = entries.get(indicator.pk, ())
        current = periods.derive(indicator.kind, own, year, quarter)
        base = periods.derive(indicator.kind, own, plan.baseline_year, None)
        observation = progress.Observation(
            value=current.value,
            stage=current.stage,
            provisional=current.provisional,
            baseline_year_value=base.value,
        )
        spec = indicator_spec(
            indicator, plan.baseline_year, parts.targets[indicator.pk], parts.stages[indicator.pk]
        )
        roles = parts.roles[indicator.pk]
        rows.append(
            ProgressRow(
                indicator=indicator,
                progress=progress.evaluate(spec, year, quarter, observation),
                stage=current.stage,
                leads=roles[ResponsibilityRole.LEAD],
                responsible=roles[ResponsibilityRole.RESPONSIBLE],
            )
        )
    return rows


def status_counts(rows: Iterable[ProgressRow]) -> dict[str, int]:
    counts = statuses.empty_counts()
    for row in rows:
        counts[row.progress.status] += 1
    return counts


def counts_by_dimension(rows: list[ProgressRow]) -> list[dict]:
    """Status counts per dimension, in plan order."""
    groups: dict[str, list[ProgressRow]] = defaultdict(list)
    for row in rows:
        groups[row.indicator.dimension.name].append(row)
    return [{"dimension": name, "counts": status_counts(group)} for name, group in groups.items()]


def counts_by_lead(rows: list[ProgressRow]) -> list[dict]:
    """Status counts per lead department, in order of first appearance; indicators without a
    lead come last under None, so the counts add up to the plan's total."""
    groups: dict[str | None, list[ProgressRow]] = defaultdict(list)
    for row in rows:
        for lead in row.leads:
            groups[lead].append(row)
    unassigned = [row for row in rows if not row.leads]
    result = [
        {"department": name, "counts": status_counts(group)} for name, group in groups.items()
    ]
    if unassigned:
        result.append({"department": None, "counts": status_counts(unassigned)})
    return result


def user_department(user) -> Department | None:
    profile = Profile.objects.filter(user=user).select_related("department").first()
    return profile.department if profile else None


def reporting_departments(indicator: Indicator) -> list[str]:
    """The departments that report an indicator: its data source, by default its lead."""
    return departments_by_role(indicator)[ResponsibilityRole.DATA_SOURCE]


@dataclass(frozen=True)
class HistoryStep:
    """One recorded change of a value: who, when, what changed (old → new) and why."""

    when: object
    who: str
    kind: str  # "+" created, "~" changed
    reason: str
    changes: list[tuple[str, str, str, str]]  # (field, label, old, new)
    state: str
    version: int


# The fields a history step reports, in the order a reader wants them.
HISTORY_FIELDS = ["value", "stage", "source", "note", "attachment", "state", "review_comment",
                  "approved_value", "approved_stage"]  # fmt: skip


def actual_history(actual: Actual) -> list[HistoryStep]:
    """Every step of a value's history, oldest first (one query for the records)."""
    records = list(
        actual.history.select_related("history_user", "stage", "approved_stage").order_by(
            "history_date", "history_id"
        )
    )
    steps, previous = [], None
    for record in records:
        steps.append(_history_step(record, previous))
        previous = record
    return steps


def _history_step(record, previous) -> HistoryStep:
    changes = []
    for name in HISTORY_FIELDS:
        new = _shown(record, name)
        old = _shown(previous, name) if previous is not None else ""
        if new != old:
            label = str(Actual._meta.get_field(name).verbose_name)
            changes.append((name, label, old, new))
    return HistoryStep(
        when=record.history_date,
        who=record.history_user.get_username() if record.history_user else "",
        kind=record.history_type,
        reason=record.history_change_reason or "",
        changes=changes,
        state=record.state,
        version=record.version,
    )


def _shown(record, name: str) -> str:
    """A field of a history record as text ('' when empty)."""
    value = getattr(record, name)
    if value is None or value == "":
        return ""
    if name in ("value", "approved_value"):
        return plain(value)
    return str(value)


def actuals_as_of(*, plan: Plan, moment) -> list:
    """Every value of the plan as it stood at `moment` (historical records, one query).

    Each item is the history record in force then: the latest change at or before `moment`,
    unless that change was a deletion. It has the Actual's fields (value, approved_value, …).
    """
    records = (
        Actual.history.filter(indicator__plan=plan, history_date__lte=moment)
        .order_by("id", "-history_date", "-history_id")
        .select_related("stage", "approved_stage")
    )
    latest = {}
    for record in records:
        latest.setdefault(record.id, record)
    return [r for r in latest.values() if r.history_type != "-"]


def indicators_reported_by(department: Department | None) -> QuerySet[Indicator]:
    """The indicators a department reports: where it is the data source, or the lead when no
    data source is named (the same rule as `reporting_departments`)."""
    if department is None:
        return Indicator.objects.none()
    named_source = Responsibility.objects.filter(role=ResponsibilityRole.DATA_SOURCE)
    as_source = Q(
        responsibilities__role=ResponsibilityRole.DATA_SOURCE,
        responsibilities__department=department,
    )
    as_lead = Q(
        responsibilities__role=ResponsibilityRole.LEAD,
        responsibilities__department=department,
    ) & ~Q(pk__in=named_source.values("indicator_id"))
    return Indicator.objects.filter(as_source | as_lead).distinct().order_by("plan", "order")


IN_FORCE = Q(approved_value__isnull=False) | Q(approved_stage__isnull=False)


def actuals_visible_to(user) -> QuerySet[Actual]:
    """The values a user may see (domain.md §6): reviewers and administrators everything;
    a clerk their own department's values and every approved figure; leaders and analysts
    approved figures and submissions (not drafts or returned values)."""
    role = user_role(user)
    actuals = Actual.objects.all()
    if role in (Role.REVIEWER, Role.ADMIN):
        return actuals
    if role == Role.CLERK:
        own = indicators_reported_by(user_department(user)).values("pk")
        return actuals.filter(IN_FORCE | Q(indicator__in=own))
    if role in (Role.LEADER, Role.ANALYST):
        return actuals.filter(IN_FORCE | Q(state=ActualState.SUBMITTED))
    return actuals.none()
