"""Synthetic plans of any size, with synthetic actuals, for query budgets and benchmarks."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from indicators.domain import targets as forms
from indicators.domain.formatting import plain
from indicators.domain.periods import FREQUENCIES, QUARTERLY, Period, first_period
from indicators.models import (
    Actual,
    ActualState,
    Assignment,
    Department,
    Dimension,
    Direction,
    Indicator,
    Judgement,
    Kind,
    Path,
    Plan,
    Region,
    Responsibility,
    Stage,
    Target,
)
from indicators.services.regions import RegionData, region_save

KINDS = ["level", "cumulative", "annual_total", "rate", "zero_event", "milestone"]


# A real county-level chain for synthetic plans, apart from 陆河's: 湖北省 › 武汉市 › 江岸区.
SYNTHETIC_REGIONS = [
    RegionData("420000", "湖北省", "province"),
    RegionData("420100", "武汉市", "city", "420000"),
    RegionData("420102", "江岸区", "county", "420100"),
]


def synthetic_region() -> Region:
    """The county-level region synthetic plans belong to (created on first use)."""
    for data in SYNTHETIC_REGIONS:
        region, _changed = region_save(data=data)
    return region


def make_synthetic_plan(
    n: int,
    slug: str = "synthetic",
    region: Region | None = None,
    *,
    mixed: bool = False,
    recorded_by=None,
) -> Plan:
    """A plan of n indicators of every kind, 10 dimensions, 2028/2030 targets, a lead each.

    By default every indicator is quarterly and every target a plain number (or a stage).
    With `mixed`, the indicators also cycle through every reporting frequency and every
    target form of domain.md §9 (`MIXED`), and half of the assigned and qualitative ones get
    assigned values and judgements for 2026 and 2027, recorded by `recorded_by` (a user made
    for it when None); see `_mixed_indicators`.
    """
    region = region or synthetic_region()
    plan = Plan.objects.create(
        name=f"Synthetic {n}", slug=slug, region=region, baseline_year=2025,
        milestone_years=[2028, 2030],
    )  # fmt: skip
    dimensions = Dimension.objects.bulk_create(
        Dimension(plan=plan, name=f"维度{d}", order=d) for d in range(1, 11)
    )
    department, _new = Department.objects.get_or_create(
        region=region, name="测试局", defaults={"kind": "bureau"}
    )
    if mixed:
        indicators = _mixed_indicators(plan, dimensions, n)
        _mixed_targets(indicators, recorded_by or _recorder())
        _leads(indicators, department)
        return plan
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            dimension=dimensions[i % 10],
            code=f"ind{i}",
            name=f"指标{i}",
            unit="家",
            order=i + 1,
            kind=KINDS[i % 6],
            baseline=None if i % 7 == 0 else _baseline(KINDS[i % 6], i),
        )  # fmt: skip
        for i in range(n)
    )
    _targets(indicators)
    _leads(indicators, department)
    return plan


def _leads(indicators, department: Department) -> None:
    Responsibility.objects.bulk_create(
        Responsibility(indicator=ind, department=department, role="lead", origin="admin")
        for ind in indicators
    )


def _baseline(kind: str, i: int) -> Decimal:
    """Growth rates are percentages (a few %); other kinds grow with their position."""
    return Decimal(5 + i % 3) if kind == "rate" else Decimal(10 + i)


def _target(kind: str, k: int, order: int) -> Decimal:
    """The k-th milestone's target: 零发生 for events, a higher rate, or a larger level."""
    if kind == "zero_event":
        return Decimal(0)
    if kind == "rate":
        return Decimal(6 + 2 * k + order % 3)
    return Decimal(20 + 10 * k + order)


def _ladders(indicators) -> dict[int, list[Stage]]:
    """Three stages for each milestone indicator, by indicator id."""
    milestones = [ind for ind in indicators if ind.kind == "milestone"]
    stages = Stage.objects.bulk_create(
        Stage(indicator=ind, position=p, label=label)
        for ind in milestones
        for p, label in enumerate(["未开始", "阶段一", "阶段二"], start=1)
    )
    by_indicator = {}
    for stage in stages:
        by_indicator.setdefault(stage.indicator_id, []).append(stage)
    return by_indicator


def _targets(indicators) -> None:
    by_indicator = _ladders(indicators)
    rows = []
    for ind in indicators:
        for k, year in enumerate([2028, 2030], start=1):
            if ind.kind == "milestone":
                rows.append(
                    Target(indicator=ind, year=year, stage=by_indicator[ind.pk][k], origin="table")
                )
            else:
                value = _target(ind.kind, k, ind.order)
                rows.append(Target(indicator=ind, year=year, value=value, origin="table"))
    Target.objects.bulk_create(rows)


# --- Mixed plans: every frequency and every target form (domain.md §9, §10) ------------

# (kind, form, unit) cycled by position: each of §9's forms, printed as a plan table prints
# it (see `_mixed_text`). The plain numbers come in three kinds; 零发生 and the stage ladder
# are plain targets of the zero_event and milestone kinds.
MIXED = (
    (Kind.LEVEL, "plain", "家"),
    (Kind.CUMULATIVE, "plain", "个"),
    (Kind.ANNUAL_TOTAL, "at_least", "亿元"),  # ≥T
    (Kind.RATE, "at_least_strict", "%"),  # >T
    (Kind.LEVEL, "at_most", "%"),  # ≤T, direction lower
    (Kind.LEVEL, "at_most_control", "%"),  # 控制在T%以内, direction lower
    (Kind.LEVEL, "about", "%"),  # T左右
    (Kind.RATE, "between", "%"),  # L—U
    (Kind.RATE, "per_year", "%"),  # 年均增长T%
    (Kind.RATE, "total", "%"),  # 累计降低T%
    (Kind.LEVEL, "assigned", "万亩"),  # 完成市下达任务
    (Kind.RATE, "relative", "%"),  # 与经济增长基本同步, 参照 the per_year indicator before it
    (Kind.LEVEL, "qualitative", "‰"),  # 保持适度水平
    (Kind.ZERO_EVENT, "zero_event", "起"),  # 零发生
    (Kind.MILESTONE, "milestone", ""),  # 阶段一, 阶段二 of the ladder
)
MIXED_YEARS = (2028, 2030)
RECORDED_YEARS = (2026, 2027)  # assigned values and judgements, for half of those targets
_REFERENCE_OFFSET = 3  # a relative indicator's position minus its reference's (per_year)


def _mixed_frequency(i: int) -> str:
    """Every frequency within each cycle of `MIXED`, and each variant of the cycle meets every
    frequency over four cycles."""
    cycle, position = divmod(i, len(MIXED))
    return FREQUENCIES[(position + cycle) % len(FREQUENCIES)]


def _mixed_indicators(plan: Plan, dimensions: list[Dimension], n: int) -> list[Indicator]:
    """n indicators cycling through `MIXED` and every frequency. A relative indicator keeps
    its reference's frequency, so that their periods meet."""
    rows = []
    for i in range(n):
        kind, variant, unit = MIXED[i % len(MIXED)]
        frequency = _mixed_frequency(i)
        if variant == "relative":
            frequency = _mixed_frequency(i - _REFERENCE_OFFSET)
        rows.append(
            Indicator(
                plan=plan,
                dimension=dimensions[i % 10],
                code=f"ind{i}",
                name=f"指标{i}",
                unit=unit,
                order=i + 1,
                kind=kind,
                direction=Direction.LOWER if variant.startswith("at_most") else Direction.HIGHER,
                path=Path.GEOMETRIC if kind == Kind.ANNUAL_TOTAL else Path.LINEAR,
                binding=i % 3 == 0,
                frequency=frequency,
                baseline=None if i % 7 == 0 else _mixed_baseline(variant, i),
            )
        )
    return Indicator.objects.bulk_create(rows)


def _mixed_baseline(variant: str, i: int) -> Decimal:
    """A baseline that sometimes already meets a limit (a limit to hold) and sometimes not."""
    if variant == "zero_event":
        return Decimal(0)
    if variant.startswith("at_most"):
        return Decimal(5 + i % 3)  # 5, 6 or 7 against ≤5.5 / ≤5
    if variant == "about":
        return Decimal(50 + i % 10)
    if variant in ("at_least_strict", "between", "per_year", "total", "relative"):
        return Decimal(5 + i % 3)  # a rate, in %
    if variant == "qualitative":
        return Decimal("1.6")
    return Decimal(10 + i)


def _mixed_text(variant: str, k: int, order: int) -> str:
    """The k-th milestone's target (k = 1, 2) as a plan table prints it."""
    level = 20 + 10 * k + order
    if variant == "plain":
        return str(level)
    if variant == "at_least":
        return f"≥{level}"
    if variant == "at_least_strict":
        return f">{6 + k + order % 3}"
    if variant == "at_most":
        return f"≤{plain(Decimal(6) - Decimal('0.5') * k)}"
    if variant == "at_most_control":
        return f"控制在{plain(Decimal(6) - Decimal('0.5') * k)}%以内"
    if variant == "about":
        return f"{52 + 2 * k + order % 5}左右"
    if variant == "between":
        low = Decimal(5 + k + order % 3)
        return f"{plain(low)}—{plain(low + Decimal('0.5'))}"
    if variant == "per_year":
        return f"年均增长{6 + order % 3}%"
    if variant == "total":
        return f"累计降低{plain(Decimal('13.5') + order % 3)}%"
    if variant == "assigned":
        return "完成市下达任务"
    if variant == "relative":
        return "与经济增长基本同步"
    if variant == "qualitative":
        return "保持适度水平"
    if variant == "zero_event":
        return forms.ZERO_EVENTS
    return ("阶段一", "阶段二")[k - 1]


def _mixed_targets(indicators: list[Indicator], recorded_by) -> None:
    """Each indicator's two targets, read from their printed text as the plan file reads them
    (`read_target`); a reference for relative ones; assigned values and judgements."""
    ladders = _ladders(indicators)
    rows, assigned, judged = [], [], []
    for i, ind in enumerate(indicators):
        variant = MIXED[i % len(MIXED)][1]
        labels = tuple(stage.label for stage in ladders.get(ind.pk, ()))
        stages = {stage.label: stage for stage in ladders.get(ind.pk, ())}
        reference = indicators[i - _REFERENCE_OFFSET] if variant == "relative" else None
        for k, year in enumerate(MIXED_YEARS, start=1):
            read = forms.read_target(_mixed_text(variant, k, ind.order), labels)
            rows.append(
                Target(
                    indicator=ind,
                    year=year,
                    text=read.text,
                    form=read.form,
                    value=read.value,
                    lower=read.lower,
                    upper=read.upper,
                    strict=read.strict,
                    tolerance=Decimal("0.5") if variant == "relative" else read.tolerance,
                    compound=read.compound or "",
                    reference=reference,
                    stage=stages.get(read.stage),
                    origin="table",
                )
            )
        if variant == "assigned" and (i // len(MIXED)) % 2 == 0:
            base = ind.baseline or Decimal(10)
            assigned += [
                Assignment(
                    indicator=ind,
                    year=year,
                    value=base + offset,
                    document="市下达文件（演示）",
                    recorded_by=recorded_by,
                )
                for offset, year in enumerate(RECORDED_YEARS, start=1)
            ]
        if variant == "qualitative" and (i // len(MIXED)) % 2 == 0:
            judged += [
                Judgement(
                    indicator=ind,
                    year=year,
                    met=(i + year) % 3 != 0,
                    note="演示评定",
                    recorded_by=recorded_by,
                )
                for year in RECORDED_YEARS
            ]
    Target.objects.bulk_create(rows)
    Assignment.objects.bulk_create(assigned)
    Judgement.objects.bulk_create(judged)


def _recorder():
    """Who records a synthetic plan's assigned values and judgements, when no one is given."""
    user, _new = get_user_model().objects.get_or_create(username="synthetic-recorder")
    return user


# --- Quarterly actuals ----------------------------------------------------------------

SOURCE = "演示数据"  # synthetic data: never mistake it for a real report
# How fast each indicator moves along its schedule, cycled by plan order so that every kind
# meets every pace: far behind, behind, on track, ahead, well ahead.
PACES = (Decimal("0.5"), Decimal("0.8"), Decimal("1.0"), Decimal("1.1"), Decimal("1.3"))
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Course:
    """Where one indicator starts, where it heads and how fast: all its values derive from it."""

    kind: str
    order: int
    start: Decimal  # the baseline, or a stand-in where the plan has none
    goal: Decimal  # the last numeric target, or a stand-in without one
    baseline_year: int
    span: int  # years from the baseline year to the last target
    pace: Decimal
    stages: tuple[Stage, ...]  # milestone kind: the ladder, in order

    def share(self, t: Decimal) -> Decimal:
        """The share of the way from start to goal covered at time t (0 up to the baseline)."""
        return self.pace * max(t - self.baseline_year, Decimal(0)) / self.span


def add_quarterly_actuals(
    plan: Plan, *, years: Iterable[int], user, state: str = ActualState.APPROVED
) -> int:
    """Add one actual per indicator of `plan`, per quarter of each of `years`; return the count.

    Values are plausible for each kind and deterministic (no randomness): each indicator moves
    from its baseline towards its last target at its own pace (`PACES`). A milestone indicator
    without stages gets no actuals, since an actual needs a value or a stage. The rows are
    bulk-created, so no history (simple-history) is written for them.
    """
    if state not in ActualState.values:
        raise ValueError(f"state must be one of {ActualState.values}, not {state!r}")
    years = list(years)
    stamps = _stamps(user, state)
    indicators = Indicator.objects.filter(plan=plan).prefetch_related("targets", "stages")
    rows = []
    for indicator in indicators.order_by("order"):
        course = _course(indicator, plan)
        for year in years:
            for quarter in (1, 2, 3, 4):
                reading = _reading(course, year, quarter)
                if reading is not None:
                    rows.append(_actual(indicator, year, quarter, reading, state, stamps))
    Actual.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _actual(indicator: Indicator, year: int, quarter: int, reading: dict, state, stamps) -> Actual:
    """One unsaved actual of a quarter (see `_period_actual`)."""
    return _period_actual(indicator, Period(year, QUARTERLY, quarter), reading, state, stamps)


def _period_actual(indicator: Indicator, period: Period, reading: dict, state, stamps) -> Actual:
    """One unsaved actual; an approved one also carries its figure in force (approved_*)."""
    actual = Actual(
        indicator=indicator,
        year=period.year,
        **period.fields,
        source=SOURCE,
        state=state,
        **reading,
        **stamps,
    )
    if state == ActualState.APPROVED:
        actual.approved_value = reading.get("value")
        actual.approved_stage = reading.get("stage")
        actual.approved_source = SOURCE
    return actual


def _stamps(user, state: str) -> dict:
    """Who entered the values, and the submission and approval the state implies."""
    now = timezone.now()
    stamps = {"created_by": user, "updated_by": user}
    if state in (ActualState.SUBMITTED, ActualState.APPROVED):
        stamps |= {"submitted_at": now, "first_submitted_at": now}
    if state == ActualState.APPROVED:
        stamps |= {"approved_by": user, "approved_at": now}
    return stamps


def _course(indicator: Indicator, plan: Plan) -> Course:
    """The course of a prefetched indicator, from its baseline, targets and stages."""
    targets = sorted(indicator.targets.all(), key=lambda t: t.year)
    numeric = [_number(t) for t in targets if _number(t) is not None]
    if indicator.baseline is not None:
        start = indicator.baseline
    elif indicator.kind == Kind.CUMULATIVE:
        start = Decimal(0)  # a running total starts from nothing
    else:
        start = numeric[0] / 2 if numeric else Decimal(10)
    last_year = targets[-1].year if targets else max(plan.baseline_year + 5, *plan.milestone_years)
    return Course(
        kind=indicator.kind,
        order=indicator.order,
        start=start,
        goal=numeric[-1] if numeric else start * Decimal("1.5"),
        baseline_year=plan.baseline_year,
        span=max(last_year - plan.baseline_year, 1),
        pace=PACES[indicator.order % len(PACES)],
        stages=tuple(sorted(indicator.stages.all(), key=lambda s: s.position)),
    )


def _number(target: Target) -> Decimal | None:
    """The number a target heads for: its value, or the middle of its range (L—U)."""
    if target.value is None and target.lower is not None and target.upper is not None:
        return (target.lower + target.upper) / 2
    return target.value


def _reading(course: Course, year: int, quarter: int) -> dict | None:
    """The actual's value (or stage) for one quarter, as model fields; None for no actual."""
    t = Decimal(year - 1) + Decimal(quarter) / 4  # elapsed time at the end of the quarter
    if course.kind == Kind.MILESTONE:
        return _milestone_stage(course, t)
    if course.kind == Kind.ZERO_EVENT:
        return {"value": Decimal(_event(course.order, year, quarter))}
    if course.kind == Kind.LEVEL:
        value = course.start + (course.goal - course.start) * course.share(t)
    elif course.kind == Kind.CUMULATIVE:
        value = course.start + max(course.goal - course.start, Decimal(0)) * course.share(t)
    elif course.kind == Kind.ANNUAL_TOTAL:
        value = _annual_level(course, year) * quarter / 4  # year to date
    else:
        value = _rate(course, year, quarter)
    return {"value": value.quantize(CENT)}


def _annual_level(course: Course, year: int) -> Decimal:
    """A yearly total (or rate) for the whole of `year`, never negative."""
    level = course.start + (course.goal - course.start) * course.share(Decimal(year))
    return max(level, Decimal(0))


def _rate(course: Course, year: int, quarter: int) -> Decimal:
    """A year-to-date percentage: the year's rate, a little lower early in the year."""
    rate = _annual_level(course, year) - Decimal(4 - quarter) / 2
    return min(max(rate, Decimal(0)), HUNDRED)


def _event(order: int, year: int, quarter: int) -> int:
    """Events in a quarter for a zero_event indicator: mostly 0, now and then 1."""
    return 1 if (7 * order + year + 5 * quarter) % 23 == 0 else 0


def _milestone_stage(course: Course, t: Decimal) -> dict | None:
    """The highest stage reached at time t, climbing the ladder with the share covered."""
    if not course.stages:
        return None
    last = len(course.stages) - 1
    index = min(int(course.share(t) * last), last)
    return {"stage": course.stages[index]}


# --- Actuals at each indicator's own frequency (domain.md §10) ---------------------------


def add_actuals(
    plan: Plan, *, years: Iterable[int], user, state: str = ActualState.APPROVED
) -> int:
    """Add one actual per indicator of `plan` per period of its own frequency in each of
    `years` (12 a year for a monthly indicator, 4 quarterly, 2 half-yearly, 1 whole-year
    figure for an annual one); return the count.

    The values follow the same courses as `add_quarterly_actuals` (which adds quarters
    whatever the frequency), read at each period's time t; a year-to-date total or rate
    covers the period's share of the year. Bulk-created: no history is written.
    """
    if state not in ActualState.values:
        raise ValueError(f"state must be one of {ActualState.values}, not {state!r}")
    years = list(years)
    stamps = _stamps(user, state)
    indicators = Indicator.objects.filter(plan=plan).prefetch_related("targets", "stages")
    rows = []
    for indicator in indicators.order_by("order"):
        course = _course(indicator, plan)
        for year in years:
            for period in _periods_of_year(indicator.frequency, year):
                reading = _period_reading(course, period)
                if reading is not None:
                    rows.append(_period_actual(indicator, period, reading, state, stamps))
    Actual.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _periods_of_year(frequency: str, year: int) -> list[Period]:
    """The year's periods of `frequency`, in order (the whole year for an annual one)."""
    period, result = first_period(frequency, year), []
    while period.year == year:
        result.append(period)
        period = period.next()
    return result


def _period_reading(course: Course, period: Period) -> dict | None:
    """An actual's value (or stage) for any period, as model fields; None for no actual."""
    if course.kind == Kind.MILESTONE:
        return _milestone_stage(course, period.t)
    if course.kind == Kind.ZERO_EVENT:
        return {"value": Decimal(_event(course.order, period.year, period.n or 0))}
    if course.kind == Kind.LEVEL:
        value = course.start + (course.goal - course.start) * course.share(period.t)
    elif course.kind == Kind.CUMULATIVE:
        value = course.start + max(course.goal - course.start, Decimal(0)) * course.share(period.t)
    elif course.kind == Kind.ANNUAL_TOTAL:
        value = _annual_level(course, period.year) * period.fraction  # year to date
    else:
        rate = _annual_level(course, period.year) - 2 * (1 - period.fraction)
        value = min(max(rate, Decimal(0)), HUNDRED)
    return {"value": value.quantize(CENT)}
