"""The evaluation's rows as plain data: one query builds them, the workbook writes them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from indicators.domain import periods, progress, warnings
from indicators.models import (
    Actual,
    ActualState,
    Form,
    Kind,
    Plan,
    Project,
    Target,
    TaskRole,
)
from indicators.selectors import plans as plan_selectors
from indicators.selectors import progress as progress_selectors
from reports import wording
from reports.evaluation.query import Query, end_of_day


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the 指标完成情况 sheet: the plan's columns, then what the engine says."""

    dimension: str
    name: str  # as the plan prints it, unit included
    unit: str
    kind: str
    baseline: Decimal | None
    baseline_text: str  # as printed where it is not a number ("-", 零发生, a stage)
    binding: bool
    targets: tuple[tuple[Decimal | None, str | None], ...]  # (value, stage) per table year
    value: Decimal | None  # the period's value (year to date for annual totals)
    stage: str | None  # milestone kind: the stage reached
    compared_value: Decimal | None  # after annualisation
    expected: Decimal | None
    ratio: Decimal | None
    completion: Decimal | None
    target_year: int | None
    status: str
    flags: tuple[str, ...]
    leads: tuple[str, ...]
    responsible: tuple[str, ...]
    sources: tuple[str, ...]  # where the period's value comes from
    period: periods.Period | None = None  # the indicator's own period shown (§10)
    light: str = warnings.GREY  # the warning light (§11)
    explanation: str = ""  # the 滞后说明 of the figure shown, in one line


@dataclass(frozen=True)
class TaskRow:
    project: str
    name: str
    leads: tuple[tuple[str, bool], ...]  # (department, inferred)
    responsible: tuple[str, ...]
    indicators: tuple[tuple[str, str], ...]  # (printed name, status)


@dataclass(frozen=True)
class ValueRow:
    """One stored value of the year, for the 季度数据 sheet."""

    order: int  # the indicator's position in the plan, for sorting
    dimension: str
    indicator: str
    unit: str
    kind: str
    year: int
    period: str  # the period in words (2026年3月, 2026年第1季度, 2026年（全年）)
    period_order: int  # periods in time order, a whole-year figure after its year's last period
    in_force: Decimal | str | None  # a number, or a stage's name
    pending: Decimal | str | None  # a submitted figure awaiting review
    state: str
    source: str
    entered_by: str
    approved_by: str
    entered_at: datetime | None
    submitted_at: datetime | None
    approved_at: datetime | None


@dataclass(frozen=True)
class Evaluation:
    plan_name: str
    county: str
    baseline_year: int
    query: Query
    table_years: tuple[int, ...]
    milestone_year: int | None  # the plan's next milestone year at the end of the period
    time_progress: Decimal | None  # the share of the time to it that has passed
    generated_at: datetime
    indicators: list[IndicatorRow]
    by_dimension: list[dict]
    by_lead: list[dict]
    tasks: list[TaskRow]
    values: list[ValueRow]
    summary: list[str] = field(default_factory=list)


def evaluation(*, plan: Plan, query: Query) -> Evaluation:
    """Everything the workbook shows, as plain rows (11 queries; see the module docstring)."""
    moment = end_of_day(query.as_of) if query.as_of else None
    rows = progress_selectors.progress_rows(
        plan=plan, period=periods.Period.of(query.year, query.quarter), as_of=moment
    )
    targets = table_targets(plan)
    years = tuple(sorted({year for per_year in targets.values() for year in per_year}))
    stored = stored_values(plan=plan, year=query.year, moment=moment)
    milestone_year, share = progress.schedule_position(
        plan.baseline_year, plan.milestone_years, periods.Period.of(query.year, query.quarter)
    )
    return Evaluation(
        plan_name=plan.name,
        county=plan.region.name,
        baseline_year=plan.baseline_year,
        query=query,
        table_years=years,
        milestone_year=milestone_year,
        time_progress=share,
        generated_at=timezone.localtime(),
        indicators=[indicator_row(r, targets, years, stored, query) for r in rows],
        by_dimension=progress_selectors.counts_by_dimension(rows),
        by_lead=progress_selectors.counts_by_lead(rows),
        tasks=task_rows(plan, rows),
        values=value_rows(rows, stored, query.year),
        summary=wording.evaluation_summary(rows, plan, query.year, query.quarter),
    )


def table_targets(plan: Plan) -> dict[int, dict[int, tuple[Decimal | None, str | None]]]:
    """The targets the plan's table prints, per indicator id and year: (value, stage), where
    a target of another form than a plain number is its text as printed (≥95, 年均增长6%)."""
    targets: dict[int, dict] = defaultdict(dict)
    for ind_id, year, value, stage, text, form in Target.objects.filter(
        indicator__plan=plan, origin="table"
    ).values_list("indicator_id", "year", "value", "stage__label", "text", "form"):
        plain_number = form == Form.PLAIN and stage is None and text != "零发生"
        targets[ind_id][year] = (value, None) if plain_number else (None, stage or text)
    return targets


def indicator_row(row, targets, years, stored, query: Query) -> IndicatorRow:
    """A progress row with the plan's printed targets and the sources of the period's value."""
    ind, p = row.indicator, row.progress
    own = targets.get(ind.pk, {})
    return IndicatorRow(
        dimension=ind.dimension.name,
        name=ind.printed_name,
        unit=ind.unit,
        kind=ind.kind,
        baseline=ind.baseline,
        baseline_text=ind.baseline_text,
        binding=ind.binding,
        targets=tuple(own.get(year, (None, None)) for year in years),
        value=p.value,
        stage=row.stage,
        compared_value=p.compared_value,
        expected=p.expected,
        ratio=p.ratio,
        completion=p.completion,
        target_year=p.target_year,
        status=p.status,
        flags=p.flags,
        period=row.period,
        leads=tuple(row.leads),
        responsible=tuple(row.responsible),
        sources=period_sources(ind.kind, stored.get(ind.pk, []), row.period),
        light=row.light,
        explanation=wording.explanation_text(row.explanation),
    )


VALUE_FIELDS = (
    "id", "indicator_id", "year", "month", "quarter", "half", "state", "value", "stage__label",
    "source",
    "approved_value", "approved_stage__label", "approved_stage__position", "approved_source",
    "created_by__username", "approved_by__username", "created_at", "submitted_at",
    "approved_at",
)  # fmt: skip


def stored_values(*, plan: Plan, year: int, moment: datetime | None) -> dict[int, list[dict]]:
    """The plan's stored values that can shape the year, per indicator id (1 query): every
    value of the year, and earlier ones of milestone indicators (the stage reached so far).
    With `moment`, each value as it stood then, rebuilt from its history."""
    relevant = Q(year=year) | Q(indicator__kind=Kind.MILESTONE, year__lt=year)
    if moment is None:
        records = Actual.objects.filter(relevant, indicator__plan=plan).values(*VALUE_FIELDS)
    else:
        records = _records_at(Actual.history.filter(relevant, indicator__plan=plan), moment)
    by_indicator: dict[int, list[dict]] = defaultdict(list)
    for record in records:
        by_indicator[record["indicator_id"]].append(record)
    return by_indicator


def _records_at(history, moment: datetime) -> list[dict]:
    """The latest history record of each value at `moment`, unless it was a deletion."""
    records = (
        history.filter(history_date__lte=moment)
        .order_by("id", "-history_date", "-history_id")
        .values("history_type", *VALUE_FIELDS)
    )
    latest: dict[int, dict] = {}
    for record in records:
        latest.setdefault(record["id"], record)
    return [r for r in latest.values() if r["history_type"] != "-"]


def _in_force(record: dict) -> bool:
    return record["approved_value"] is not None or record["approved_stage__label"] is not None


def _period(record: dict) -> periods.Period:
    return periods.Period.from_fields(
        record["year"], month=record["month"], quarter=record["quarter"], half=record["half"]
    )


def _sort_key(record: dict) -> int:
    """Periods in time order; a whole-year figure comes after the year's last period."""
    period = _period(record)
    return period.end.toordinal() * 2 + period.is_whole_year


def period_sources(kind: str, records: list[dict], period: periods.Period | None) -> tuple:
    """The sources of the figures in force that make the period's value, chosen by the
    engine's own derivation (`periods.chosen`, domain.md §3): the period's own figure (the
    whole-year figure before the year's last period's); for zero events every period
    counted; for a milestone, the figure reporting the stage reached."""
    if period is None:
        return ()
    pairs = [(_figure(r), r) for r in sorted(records, key=_sort_key) if _in_force(r)]
    picked = {id(f) for f in periods.chosen(kind, [f for f, _r in pairs], period)}
    chosen = [r for f, r in pairs if id(f) in picked]
    return tuple(dict.fromkeys(r["approved_source"] for r in chosen if r["approved_source"]))


def _figure(record: dict) -> periods.Figure:
    """The figure in force of a stored record, as the engine's derivation reads it."""
    period = _period(record)
    return periods.Figure(
        period.year, record["quarter"], record["approved_value"],
        record["approved_stage__label"], record["approved_stage__position"], False,
        record["month"], record["half"],
    )  # fmt: skip


def value_rows(rows, stored: dict[int, list[dict]], year: int) -> list[ValueRow]:
    """The year's values that have a figure in force or await review, in plan order. Every
    role that exports sees submissions (the dashboards' switch, domain.md §5), so a submitted
    figure shows beside the one in force; a correction in preparation (a draft, a returned
    value) does not show at all: its row is the figure in force, as approved."""
    result = []
    for row in rows:
        ind = row.indicator
        for record in sorted(stored.get(ind.pk, []), key=_sort_key):
            submitted = record["state"] == ActualState.SUBMITTED
            if record["year"] != year or not (_in_force(record) or submitted):
                continue
            result.append(_value_row(ind, record, submitted))
    return result


def _value_row(ind, record: dict, submitted: bool) -> ValueRow:
    return ValueRow(
        order=ind.order,
        dimension=ind.dimension.name,
        indicator=ind.printed_name,
        unit=ind.unit,
        kind=ind.kind,
        year=record["year"],
        period=_period(record).label(),
        period_order=_sort_key(record),
        in_force=record["approved_stage__label"] or record["approved_value"],
        pending=(record["stage__label"] or record["value"]) if submitted else None,
        state=str(ActualState(record["state"] if submitted else ActualState.APPROVED).label),
        source=record["approved_source"] if _in_force(record) else record["source"],
        entered_by=record["created_by__username"] or "",
        approved_by=record["approved_by__username"] or "",
        entered_at=record["created_at"],
        submitted_at=record["submitted_at"],
        approved_at=record["approved_at"],
    )


def task_rows(plan: Plan, rows) -> list[TaskRow]:
    """The plan's projects and tasks in order, with their departments and the statuses of the
    indicators they state targets for (4 queries). A project without tasks still shows."""
    status = {row.indicator.pk: row.progress.status for row in rows}
    tasks = defaultdict(list)
    for task in plan_selectors.task_list(plan=plan):
        tasks[task.project_id].append(task)
    result = []
    for project in Project.objects.filter(plan=plan).order_by("number"):
        for task in tasks[project.pk] or [None]:
            result.append(_task_row(project, task, status))
    return result


def _task_row(project, task, status: dict[int, str]) -> TaskRow:
    if task is None:
        return TaskRow(project.name, "", (), (), ())
    departments = list(task.departments.all())
    return TaskRow(
        project=project.name,
        name=task.name,
        leads=tuple(
            (d.department.name, d.inferred) for d in departments if d.role == TaskRole.LEAD
        ),
        responsible=tuple(d.department.name for d in departments if d.role == TaskRole.RESPONSIBLE),
        indicators=tuple(
            (i.printed_name, status.get(i.pk, progress.NO_DATA)) for i in task.indicators.all()
        ),
    )
