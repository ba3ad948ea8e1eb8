"""Synthetic plans of any size, for query budgets and benchmarks."""

from decimal import Decimal

from indicators.models import Department, Dimension, Indicator, Plan, Responsibility, Stage, Target

KINDS = ["level", "cumulative", "annual_total", "rate", "zero_event", "milestone"]


def make_synthetic_plan(n: int, slug: str = "synthetic") -> Plan:
    """A plan of n indicators of every kind, 10 dimensions, 2028/2030 targets, a lead each."""
    plan = Plan.objects.create(
        name=f"Synthetic {n}", slug=slug, county="测试县", baseline_year=2025,
        milestone_years=[2028, 2030],
    )  # fmt: skip
    dimensions = Dimension.objects.bulk_create(
        Dimension(plan=plan, name=f"维度{d}", order=d) for d in range(1, 11)
    )
    department = Department.objects.create(county="测试县", name="测试局", kind="bureau")
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            dimension=dimensions[i % 10],
            code=f"ind{i}",
            name=f"指标{i}",
            unit="家",
            order=i + 1,
            kind=KINDS[i % 6],
            baseline=None if i % 7 == 0 else Decimal(10 + i),
        )  # fmt: skip
        for i in range(n)
    )
    _targets(indicators)
    Responsibility.objects.bulk_create(
        Responsibility(indicator=ind, department=department, role="lead", origin="admin")
        for ind in indicators
    )
    return plan


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
                value = Decimal(0) if ind.kind == "zero_event" else Decimal(20 + 10 * k + ind.order)
                rows.append(Target(indicator=ind, year=year, value=value, origin="table"))
    Target.objects.bulk_create(rows)
