"""Synthetic plans of any size, with synthetic actuals, for query budgets and benchmarks."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from indicators.models import (
    Actual,
    ActualState,
    Department,
    Dimension,
    Indicator,
    Kind,
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


def make_synthetic_plan(n: int, slug: str = "synthetic", region: Region | None = None) -> Plan:
    """A plan of n indicators of every kind, 10 dimensions, 2028/2030 targets, a lead each."""
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
    Responsibility.objects.bulk_create(
        Responsibility(indicator=ind, department=department, role="lead", origin="admin")
        for ind in indicators
    )
    return plan


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


def _targets(indicators) -> None:
    milestones = [ind for ind in indicators if ind.kind == "milestone"]
    stages = Stage.objects.bulk_create(
        Stage(indicator=ind, position=p, label=label)
        for ind in milestones
        for p, label in enumerate(["未开始", "阶段一", "阶段二"], start=1)
    )
    by_indicator = {}
    for stage in stages:
        by_indicator.setdefault(stage.indicator_id, []).append(stage)
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
    """One unsaved actual; an approved one also carries its figure in force (approved_*)."""
    actual = Actual(
        indicator=indicator,
        year=year,
        quarter=quarter,
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
    numeric = [t.value for t in targets if t.value is not None]
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
