"""Reads for the reviewer's pages: the queue of submissions, reporting completeness and a
value's history. Each returns plain rows with everything fetched in a fixed number of queries,
whatever the number of values.

How completeness counts (domain.md §5). For every quarter that has ended, a department owes one
value for each indicator of the plan it reports (its data source, by default its lead; an
indicator with two reporting departments is owed by both, and one value settles it for both).
A value counts at its `first_submitted_at`, whatever happened to it afterwards: an approved
value, a value returned and submitted again, or an approved value corrected later all count
when they were first submitted. It is *on time* when that moment falls on or before the
deadline day (until the end of that day in the county's time zone, `settings.TIME_ZONE`),
*late* after it, and *missing* when it was never submitted (no value, or a draft only).
Whole-year figures are not owed quarterly and are not counted.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import access, attachments
from indicators.domain import periods
from indicators.models import (
    Actual,
    ActualState,
    Department,
    Indicator,
    Kind,
    Plan,
    Responsibility,
    Stage,
    WillMeet,
)
from indicators.selectors import history as history_selectors
from indicators.selectors import plans as plan_selectors
from indicators.templatetags.indicator_tags import display_value

# ---------------------------------------------------------------------------------------------
# Who reports what


def _with_responsibilities(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    return indicators.prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("department").order_by("position", "pk"),
        )
    )


def reporting_map(indicators: Iterable[Indicator]) -> dict[int, list[Department]]:
    """Per indicator id, the departments that report it, as rows.

    The rule is `plan_selectors.reporting_departments` (the data source, by default the lead); the
    indicators must come with their responsibilities prefetched (`_with_responsibilities`).
    """
    result = {}
    for indicator in indicators:
        rows = {r.department.name: r.department for r in indicator.responsibilities.all()}
        result[indicator.pk] = [
            rows[name] for name in plan_selectors.reporting_departments(indicator)
        ]
    return result


def _departments_in(reporters: dict[int, list[Department]]) -> list[Department]:
    """Every department that reports at least one indicator, in the county's order."""
    unique = {d.pk: d for departments in reporters.values() for d in departments}
    return sorted(unique.values(), key=lambda d: (d.region_id, d.order, d.pk))


# ---------------------------------------------------------------------------------------------
# The queue's filters: whitelisted choices, never raw parameters in a query

FILTER_KEYS = ("department", "year", "quarter")


@dataclass(frozen=True)
class QueueChoices:
    """What the queue can be filtered by, and who reports each indicator (for the rows)."""

    departments: list[Department]
    years: list[int]
    quarters: list[tuple[int, str]]
    reporters: dict[int, list[Department]]


@dataclass(frozen=True)
class QueueFilters:
    department: Department | None = None
    year: int | None = None
    quarter: int | None = None  # 1–4, or periods.WHOLE_YEAR for whole-year figures; None: any
    errors: tuple[str, ...] = ()

    def params(self) -> dict[str, str]:
        """The filters as query parameters (only those set), to link or redirect back."""
        values = {
            "department": self.department.pk if self.department else None,
            "year": self.year,
            "quarter": self.quarter,
        }
        return {key: str(value) for key, value in values.items() if value is not None}


def queue_choices(user) -> QueueChoices:
    """The departments that report something in the plans the user may see, those plans'
    years and the quarters (3 queries)."""
    plans = access.plans_visible_to(user)
    reporters = reporting_map(_with_responsibilities(Indicator.objects.filter(plan__in=plans)))
    years = set()
    for first, milestones in plans.values_list("baseline_year", "milestone_years"):
        years.update(range(first, max([first, *milestones]) + 1))
    quarters = [(q, _("Q%(quarter)s") % {"quarter": q}) for q in (1, 2, 3, 4)]
    quarters.append((periods.WHOLE_YEAR, _("Whole-year figure")))
    return QueueChoices(_departments_in(reporters), sorted(years), quarters, reporters)


def queue_filters(params: Mapping[str, str], choices: QueueChoices) -> QueueFilters:
    """Read the filters from query parameters, keeping only values offered in `choices`;
    a value not offered is dropped with a message saying so."""
    errors: list[str] = []

    def pick(key: str, allowed: dict, message: str):
        raw = (params.get(key) or "").strip()
        if raw and raw not in allowed:
            errors.append(message)
        return allowed.get(raw)

    department = pick(
        "department",
        {str(d.pk): d for d in choices.departments},
        _("There is no such reporting department; showing every department."),
    )
    year = pick(
        "year",
        {str(y): y for y in choices.years},
        _("That year is outside the plans; showing every year."),
    )
    quarter = pick(
        "quarter",
        {str(q): q for q, _label in choices.quarters},
        _("Choose a quarter from 1 to 4 or the whole-year figure; showing every period."),
    )
    return QueueFilters(department, year, quarter, tuple(errors))


# ---------------------------------------------------------------------------------------------
# The queue


@dataclass(frozen=True)
class QueueRow:
    """One submitted value as the reviewer sees it. `in_force` and `reason` are set for a
    correction of an approved value: the figure still in force and why it is being changed."""

    actual: Actual
    departments: list[str]
    period: str
    submitted: str
    in_force: str | None = None
    reason: str = ""
    attachment_name: str = ""


def figure(indicator: Indicator, value: Decimal | None, stage: Stage | None) -> str:
    """A value with its unit as the plan prints it ('3家', '2.5亿元', a stage's name)."""
    shown = display_value(indicator, value, stage)
    is_number = stage is None and value is not None
    if is_number and indicator.unit and not (indicator.kind == Kind.ZERO_EVENT and value == 0):
        return f"{shown}{indicator.unit}"
    return shown


def submitted_actuals(*, user, filters: QueueFilters) -> QuerySet[Actual]:
    """Values waiting for review that `user` may see, filtered, oldest submission first."""
    actuals = (
        access.actuals_visible_to(user)
        .filter(state=ActualState.SUBMITTED)
        .select_related("indicator__plan", "stage", "approved_stage", "updated_by")
    )
    if filters.department is not None:
        reported = plan_selectors.indicators_reported_by(filters.department).values("pk")
        actuals = actuals.filter(indicator__in=reported)
    if filters.year is not None:
        actuals = actuals.filter(year=filters.year)
    if filters.quarter == periods.WHOLE_YEAR:
        actuals = actuals.filter(month__isnull=True, quarter__isnull=True, half__isnull=True)
    elif filters.quarter is not None:
        actuals = actuals.filter(_ending_in_quarter(filters.quarter))
    return actuals.order_by("submitted_at", "pk")


def _ending_in_quarter(quarter: int) -> Q:
    """Values of a period that ends in the quarter: the quarter itself, its months, and the
    half-year that ends with it (Q2: H1, Q4: H2)."""
    months = range(3 * quarter - 2, 3 * quarter + 1)
    ending = Q(quarter=quarter) | Q(month__in=months)
    return ending | Q(half=quarter // 2) if quarter % 2 == 0 else ending


def correction_reasons(actual_ids: Iterable[int]) -> dict[int, str]:
    """For each value reopened after an approval, the reason given when it was reopened.

    That is the step right after its latest approved step, not simply the latest step: a
    correction may be saved as a draft and submitted later, or returned and submitted again,
    and those later steps carry their own words ("submitted", the reviewer's comment).
    One query over the values' history.
    """
    records = (
        Actual.history.filter(id__in=list(actual_ids))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "state", "history_change_reason")
    )
    reasons: dict[int, str] = {}
    just_approved: set[int] = set()
    for pk, state, reason in records:
        if state == ActualState.APPROVED:
            just_approved.add(pk)
            reasons.pop(pk, None)
        elif pk in just_approved:
            just_approved.discard(pk)
            reasons[pk] = reason or ""
    return reasons


def queue_rows(*, user, filters: QueueFilters, choices: QueueChoices) -> list[QueueRow]:
    """The queue's rows (2 queries: the values, and the history of the corrections among them)."""
    actuals = list(submitted_actuals(user=user, filters=filters))
    reasons = correction_reasons(a.pk for a in actuals if a.in_force) if actuals else {}
    rows = []
    for actual in actuals:
        indicator = actual.indicator
        correction = actual.in_force
        rows.append(
            QueueRow(
                actual=actual,
                departments=[d.name for d in choices.reporters.get(indicator.pk, [])],
                period=actual.period.label(),
                submitted=figure(indicator, actual.value, actual.stage),
                in_force=(
                    figure(indicator, actual.approved_value, actual.approved_stage)
                    if correction
                    else None
                ),
                reason=reasons.get(actual.pk, "") if correction else "",
                attachment_name=attachment_name(actual.attachment),
            )
        )
    return rows


def attachment_name(attachment) -> str:
    """How an attachment is named to people (附件.pdf: it is stored under a random name)."""
    return attachments.display_name(attachment)


# ---------------------------------------------------------------------------------------------
# Reporting completeness


@dataclass(frozen=True)
class Tally:
    owed: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.owed + other.owed,
            self.on_time + other.on_time,
            self.late + other.late,
            self.missing + other.missing,
        )


@dataclass(frozen=True)
class CompletenessPeriod:
    """One ended period of one frequency: its deadline and each reporting department's tally
    for the indicators reported at that frequency."""

    period: periods.Period
    label: str
    deadline: date
    deadline_passed: bool
    rows: list[tuple[Department, Tally]] = field(default_factory=list)

    @property
    def total(self) -> Tally:
        return sum((tally for _department, tally in self.rows), Tally())


def completeness_years(plan: Plan, today: date) -> list[int]:
    """The plan's years in which a period can have ended, from its first tracked year on (the
    same periods 我的填报 asks for)."""
    return list(range(plan.first_year, min(today.year, plan.last_year) + 1))


def completeness_year(raw: str, years: list[int], today: date) -> tuple[int | None, str]:
    """The year to show and an error message: the current year (or the latest year with an
    ended quarter) unless the user chose another year offered in `years`."""
    default = min(today.year, years[-1]) if years else None
    raw = (raw or "").strip()
    if not raw:
        return default, ""
    if raw.isdigit() and int(raw) in years:
        return int(raw), ""
    return default, _("Choose a year from the plan's baseline year to this year.")


def ended_periods(frequency: str, year: int, today: date) -> list[periods.Period]:
    """The periods of `frequency` in `year` that have ended by `today`, oldest first."""
    first = periods.first_period(frequency, year)
    return periods.periods_owed(frequency, first, today, year)


def due_by(period: periods.Period, plan: Plan) -> datetime:
    """The first moment after the deadline day, in the county's time zone."""
    day = period.deadline(plan.deadline_days, plan.annual_deadline) + timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def tally(owed: Iterable[int], first_submitted: Mapping[int, datetime], limit: datetime) -> Tally:
    """Count the owed indicator ids by when their value was first submitted (pure)."""
    owed = list(owed)
    on_time = sum(1 for i in owed if i in first_submitted and first_submitted[i] < limit)
    late = sum(1 for i in owed if i in first_submitted and first_submitted[i] >= limit)
    return Tally(len(owed), on_time, late, len(owed) - on_time - late)


def completeness(*, plan: Plan, year: int, today: date) -> list[CompletenessPeriod]:
    """Per ended period of `year` of each frequency the plan's indicators are reported at,
    each reporting department's tally (3 queries: indicators, their responsibilities, the
    year's submitted values)."""
    indicators = list(_with_responsibilities(Indicator.objects.filter(plan=plan)))
    reporters = reporting_map(indicators)
    frequency = {indicator.pk: indicator.frequency for indicator in indicators}
    owed: dict[tuple, list[int]] = defaultdict(list)  # (department id, frequency) → ids
    for indicator_id, departments in reporters.items():
        for department in departments:
            owed[department.pk, frequency[indicator_id]].append(indicator_id)
    departments = _departments_in(reporters)
    submitted: dict[periods.Period, dict[int, datetime]] = defaultdict(dict)
    for indicator_id, month, quarter, half, when in Actual.objects.filter(
        indicator__plan=plan, year=year, first_submitted_at__isnull=False
    ).values_list("indicator_id", "month", "quarter", "half", "first_submitted_at"):
        period = periods.Period.from_fields(year, month=month, quarter=quarter, half=half)
        submitted[period][indicator_id] = when
    tallies = []
    for kind in periods.FREQUENCIES:
        if kind not in frequency.values():
            continue
        for period in ended_periods(kind, year, today):
            deadline = period.deadline(plan.deadline_days, plan.annual_deadline)
            limit = due_by(period, plan)
            rows = [
                (department, tally(owed[department.pk, kind], submitted[period], limit))
                for department in departments
                if owed[department.pk, kind]
            ]
            tallies.append(
                CompletenessPeriod(period, period.label(), deadline, today > deadline, rows)
            )
    return tallies


# ---------------------------------------------------------------------------------------------
# A value's history


@dataclass(frozen=True)
class ShownStep:
    """One history step ready to print: old and new as the reader understands them."""

    when: datetime
    who: str
    why: str
    version: int
    changes: list[tuple[str, str, str]]  # (label, old, new)


def actual_for_history(*, user, pk: int) -> Actual:
    """The value, if `user` may see it (access.actuals_visible_to); 404 otherwise."""
    actuals = access.actuals_visible_to(user).select_related(
        "indicator__plan", "stage", "approved_stage", "approved_by"
    )
    return get_object_or_404(actuals, pk=pk)


def history_steps(actual: Actual, user) -> list[ShownStep]:
    """The steps of `actual`'s history that `user` may see (`history_seen_by`), oldest first,
    with states by their labels and attachments by their file names."""
    return [
        ShownStep(
            when=step.when,
            who=step.who,
            why=step.reason,
            version=step.version,
            changes=[
                (label, _shown(name, old), _shown(name, new))
                for name, label, old, new in step.changes
            ],
        )
        for step in history_selectors.history_seen_by(user, actual)
    ]


def _shown(name: str, text: str) -> str:
    if not text:
        return ""
    if name == "state" and text in ActualState.values:
        return str(ActualState(text).label)
    if name in ("attachment", "approved_attachment"):
        return _("Attachment") + attachments.extension(text)
    if name in ("lag_will_meet", "approved_lag_will_meet") and text in WillMeet.values:
        return str(WillMeet(text).label)
    return text
