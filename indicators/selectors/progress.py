"""Reads for progress: the period's figures of a plan (constant queries) evaluated by the
pure engine into progress rows."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from indicators.domain import periods, progress, statuses
from indicators.models import (
    Actual,
    ActualState,
    Indicator,
    Kind,
    Plan,
    Responsibility,
    ResponsibilityRole,
    Stage,
    Target,
)
from indicators.selectors.plans import _roles


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
