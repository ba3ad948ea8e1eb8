"""Reads for progress: the period's figures of a plan (constant queries) evaluated by the
pure engine into progress rows."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from indicators import cache
from indicators.domain import periods, progress, statuses, warnings
from indicators.models import (
    Actual,
    ActualState,
    Assignment,
    Compound,
    Form,
    Indicator,
    Judgement,
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
    targets: list = ()  # TargetRow, by year: the printed text of each target
    period: periods.Period | None = None  # the period the figure is of
    explanation: warnings.Explanation | None = None  # the 滞后说明 of the figure shown (§11)

    @property
    def light(self) -> str:
        """The warning light (domain.md §11): red, yellow, green or grey."""
        return warnings.light(self.progress.status, self.indicator.binding)

    @property
    def target_text(self) -> str | None:
        """The current milestone's target as the plan prints it."""
        year = self.progress.target_year
        return next((t.text for t in self.targets if t.year == year), None)


ENTRY_FIELDS = (
    "indicator_id", "year", "quarter", "state", "value", "stage__label", "stage__position",
    "approved_value", "approved_stage__label", "approved_stage__position", "month", "half",
    "lag_cause", "lag_measures", "lag_will_meet",
    "approved_lag_cause", "approved_lag_measures", "approved_lag_will_meet",
)  # fmt: skip


def actual_entries(
    *, plan: Plan, year: int, include_pending: bool = False, as_of=None, earlier=()
) -> dict[int, list[periods.Figure]]:
    """Entries that can shape the period's values, per indicator id, in one query.

    That is every entry of the year and of the year before (an annual or half-yearly
    indicator's latest period may lie there, §10), of the baseline year (for a missing
    baseline), and of earlier years for milestone indicators (the highest stage reached so
    far) and for the indicator ids in `earlier` (compound yearly rates, §9). Each entry is
    the figure in force (approved); with `include_pending`, a submitted figure replaces it and
    is marked provisional. Drafts and returned values never count. With `as_of` (a datetime),
    the values are those recorded in the history as they stood at that moment.
    """
    relevant = (
        Q(year__in=(year - 1, year))
        # the baseline year's figure stands in for a missing baseline only
        | Q(year=plan.baseline_year, indicator__baseline__isnull=True)
        | Q(indicator__kind=Kind.MILESTONE, year__lt=year)
        | Q(indicator_id__in=list(earlier), year__lt=year)
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
    returned values never count. Each figure carries its own 滞后说明: the one submitted with
    it, or the one in force."""
    _ind, year, quarter, state, value, label, position, a_value, a_label, a_position, *rest = row
    month, half, *lag = rest
    if include_pending and state == ActualState.SUBMITTED:
        return periods.Figure(
            year, quarter, value, label, position, True, month, half, _explanation(*lag[:3])
        )
    if a_value is not None or a_label is not None:
        return periods.Figure(
            year, quarter, a_value, a_label, a_position, False, month, half, _explanation(*lag[3:])
        )
    return None


def _explanation(cause: str, measures: str, will_meet: str) -> warnings.Explanation | None:
    """A stored 滞后说明, or None where there is none."""
    if not (cause or measures or will_meet):
        return None
    return warnings.Explanation(cause, measures, will_meet)


def shown_explanation(kind: str, figures, period: periods.Period) -> warnings.Explanation | None:
    """The 滞后说明 beside a period's status: that of the latest figure making the period's
    value (`periods.chosen`: the period's own figure, the latest event counted, the figure of
    the stage reached)."""
    picked = periods.chosen(kind, figures, period)
    latest = max(picked, key=lambda f: f.period.end, default=None)
    return latest.explanation if latest else None


def indicator_figures(indicator, include_pending: bool = False) -> list[periods.Figure]:
    """Every period's figure that counts for one indicator (a model or its id), every year
    (one query): the figure in force, or with `include_pending` a submitted one in its place,
    marked provisional (`counted_figure`, the engine's own rule)."""
    rows = Actual.objects.filter(indicator=indicator).values_list(*ENTRY_FIELDS)
    figures = (counted_figure(row, include_pending) for row in rows)
    return [figure for figure in figures if figure is not None]


# A target as the engine needs it, read in one query for a whole plan.
TARGET_FIELDS = (
    "indicator_id", "year", "value", "stage__label", "form", "lower", "upper", "strict",
    "tolerance", "compound", "reference_id", "text",
)  # fmt: skip


@dataclass(frozen=True)
class TargetRow:
    year: int
    value: Decimal | None
    stage: str | None
    form: str = Form.PLAIN
    lower: Decimal | None = None
    upper: Decimal | None = None
    strict: bool = False
    tolerance: Decimal | None = None
    compound: str = ""
    reference_id: int | None = None
    text: str = ""

    @classmethod
    def of(cls, target: Target) -> "TargetRow":
        """From a Target with its stage selected (the indicator page's prefetch)."""
        return cls(
            target.year, target.value, target.stage.label if target.stage else None,
            target.form, target.lower, target.upper, target.strict, target.tolerance,
            target.compound, target.reference_id, target.text,
        )  # fmt: skip

    def goal(self) -> progress.Goal:
        return progress.Goal(
            year=self.year,
            form=self.form,
            value=self.value,
            lower=self.lower,
            upper=self.upper,
            strict=self.strict,
            tolerance=self.tolerance,
            compound=-1 if self.compound == Compound.REDUCTION else 1,
        )


@dataclass(frozen=True)
class Recorded:
    """What a target's form is judged by, beside the indicator's own figures (§9.4–5): the
    years' assigned values and judgements, and the referenced indicator's figures."""

    assigned: dict[int, Decimal]
    judgements: dict[int, bool]
    reference: list[periods.Figure] | None = None
    reference_kind: str | None = None


NOTHING_RECORDED = Recorded({}, {})
JUDGED = (Form.ASSIGNED, Form.QUALITATIVE)
COMPOUND = (Form.PER_YEAR, Form.TOTAL)


@dataclass
class _PlanParts:
    """A plan's indicators (with dimension) and their targets, stages and departments as
    plain values grouped by indicator id: the cheap shape for evaluating many indicators."""

    indicators: list[Indicator]
    targets: dict[int, list[TargetRow]]
    stages: dict[int, list[str]]
    roles: dict[int, dict[str, list[str]]]
    assigned: dict[int, dict[int, Decimal]]
    judgements: dict[int, dict[int, bool]]

    def forms(self, wanted) -> set[int]:
        return {i for i, rows in self.targets.items() if any(r.form in wanted for r in rows)}


def _plan_parts(plan: Plan) -> _PlanParts:
    """Four queries whatever the plan's size (two more when a target is assigned or judged);
    only the indicators become model objects."""
    indicators = list(
        Indicator.objects.filter(plan=plan).select_related("dimension").order_by("order")
    )
    targets, stages, pairs = defaultdict(list), defaultdict(list), defaultdict(list)
    for ind_id, *fields in (
        Target.objects.filter(indicator__plan=plan).order_by("year").values_list(*TARGET_FIELDS)
    ):
        targets[ind_id].append(TargetRow(*fields))
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
    parts = _PlanParts(indicators, targets, stages, roles, defaultdict(dict), defaultdict(dict))
    if parts.forms(JUDGED):
        for ind_id, year, value in Assignment.objects.filter(indicator__plan=plan).values_list(
            "indicator_id", "year", "value"
        ):
            parts.assigned[ind_id][year] = value
        for ind_id, year, met in Judgement.objects.filter(indicator__plan=plan).values_list(
            "indicator_id", "year", "met"
        ):
            parts.judgements[ind_id][year] = met
    return parts


def indicator_spec(
    indicator: Indicator, baseline_year: int, targets: list[TargetRow], stages: list[str]
) -> progress.IndicatorSpec:
    """The engine's plain view of an indicator, its targets and stages."""
    return progress.IndicatorSpec(
        kind=indicator.kind,
        direction=1 if indicator.direction == "higher" else -1,
        geometric=indicator.path == "geometric",
        binding=indicator.binding,
        baseline_year=baseline_year,
        baseline=indicator.baseline,
        goals=tuple(t.goal() for t in targets if t.stage is None),
        stages=tuple(stages),
        stage_targets=tuple((t.year, t.stage) for t in targets if t.stage is not None),
        in_points=indicator.unit.strip() in ("%", "％", "‰"),
    )


def shown_period(frequency: str, page: periods.Period) -> periods.Period:
    """The indicator's own period a page shows (§10): its latest that has ended by the end of
    the page's period (a monthly one the quarter's last month, an annual one the last whole
    year)."""
    return periods.latest_ended(frequency, page) or page


def evaluate_period(
    spec: progress.IndicatorSpec,
    figures,
    page: periods.Period,
    frequency: str = periods.QUARTERLY,
    recorded: Recorded = NOTHING_RECORDED,
) -> tuple[progress.Progress, str | None, periods.Period]:
    """One indicator on a page for a period: its own period's value from the figures
    (domain.md §3, §10), the baseline year's as a stand-in for a missing baseline, what its
    target's form is judged by (§9), then the engine; the stage reached; and the period shown
    (flagged `earlier_period` when it ended before the page's)."""
    figures = list(figures)
    period = shown_period(frequency, page)
    year = period.year
    current = periods.derive(spec.kind, figures, period)
    base = (
        periods.derive(spec.kind, figures, periods.Period.whole_year(spec.baseline_year)).value
        if spec.baseline is None
        else None
    )
    observation = progress.Observation(
        value=current.value,
        stage=current.stage,
        provisional=current.provisional,
        baseline_year_value=base,
        earlier_rates=_earlier_rates(spec, figures, year),
        assigned=recorded.assigned.get(year),
        judgement=recorded.judgements.get(year),
        reference_value=_reference_value(recorded, period),
        earlier_period=periods.is_earlier(period, page),
    )
    return progress.evaluate(spec, period, observation), current.stage, period


def _earlier_rates(spec: progress.IndicatorSpec, figures, year: int) -> tuple:
    """The whole-year rates of the years between the baseline year and the period's year, for
    a compound target (§9.3); nothing for any other."""
    if not any(goal.form in COMPOUND for goal in spec.goals):
        return ()
    return tuple(
        (earlier, periods.derive(spec.kind, figures, periods.Period.whole_year(earlier)).value)
        for earlier in range(spec.baseline_year + 1, year)
    )


def _reference_value(recorded: Recorded, period: periods.Period) -> Decimal | None:
    """The referenced indicator's value for the same period (§9.5)."""
    if recorded.reference is None:
        return None
    return periods.derive(recorded.reference_kind, recorded.reference, period).value


def rows_aspect(include_pending: bool) -> str:
    """The data version progress rows depend on: figures in force, or all figures when
    submitted ones count as provisional (`indicators.cache`)."""
    return cache.ANY if include_pending else cache.IN_FORCE


def progress_rows(
    *,
    plan: Plan,
    period: periods.Period,
    include_pending: bool = False,
    as_of=None,
) -> list[ProgressRow]:
    """`plan_progress` through the cache (`indicators.cache`): computed once per data version,
    then read back by every dashboard, API call and export of the same period. A page as it
    stood at a past moment (`as_of`) is computed every time."""
    if as_of is not None:
        return plan_progress(plan=plan, period=period, include_pending=include_pending, as_of=as_of)
    key = f"progress:{plan.pk}:{period.code()}:{int(include_pending)}"
    return cache.cached(
        key,
        lambda: plan_progress(plan=plan, period=period, include_pending=include_pending),
        aspects=(rows_aspect(include_pending),),
    )


def plan_progress(
    *,
    plan: Plan,
    period: periods.Period,
    include_pending: bool = False,
    as_of=None,
) -> list[ProgressRow]:
    """Every indicator of the plan, in plan order, evaluated on a page for the period (as the
    values stood at `as_of`, a datetime, when given): each shows its own latest period ended
    by then (§10).

    Queries: 4 for the plan's parts (6 when a target is assigned or judged) and 1 for the
    entries, whatever the plan's size.
    """
    parts = _plan_parts(plan)
    entries = actual_entries(
        plan=plan,
        year=period.year,
        include_pending=include_pending,
        as_of=as_of,
        earlier=parts.forms(COMPOUND),
    )
    kinds = {indicator.pk: indicator.kind for indicator in parts.indicators}
    rows = []
    for indicator in parts.indicators:
        targets = parts.targets[indicator.pk]
        spec = indicator_spec(indicator, plan.baseline_year, targets, parts.stages[indicator.pk])
        reference = next((t.reference_id for t in targets if t.reference_id), None)
        recorded = Recorded(
            assigned=parts.assigned[indicator.pk],
            judgements=parts.judgements[indicator.pk],
            reference=None if reference is None else entries.get(reference, []),
            reference_kind=kinds.get(reference),
        )
        figures = entries.get(indicator.pk, ())
        result, stage, shown = evaluate_period(spec, figures, period, indicator.frequency, recorded)
        roles = parts.roles[indicator.pk]
        rows.append(
            ProgressRow(
                indicator=indicator,
                progress=result,
                stage=stage,
                leads=roles[ResponsibilityRole.LEAD],
                responsible=roles[ResponsibilityRole.RESPONSIBLE],
                targets=targets,
                period=shown,
                explanation=shown_explanation(indicator.kind, figures, shown),
            )
        )
    return rows


def status_counts(rows: Iterable[ProgressRow]) -> dict[str, int]:
    counts = statuses.empty_counts()
    for row in rows:
        counts[row.progress.status] += 1
    return counts


def light_counts(rows: Iterable[ProgressRow]) -> dict[str, int]:
    """How many rows show each warning light, every light named, the worst first."""
    counts = dict.fromkeys(warnings.LIGHTS, 0)
    for row in rows:
        counts[row.light] += 1
    return counts


def flag_counts(rows: Iterable[ProgressRow]) -> dict[str, int]:
    """How many rows carry each flag, every flag named (0 when none has it)."""
    counts = dict.fromkeys(progress.FLAGS, 0)
    for row in rows:
        for flag in row.progress.flags:
            counts[flag] += 1
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
