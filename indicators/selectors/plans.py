"""Reads of a plan: its indicators, tasks and departments, with related rows fetched."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from indicators.models import (
    Indicator,
    Plan,
    Project,
    Responsibility,
    ResponsibilityRole,
    Target,
    Task,
    TaskDepartment,
)


def plans_by_region(plans: QuerySet[Plan]) -> list[dict]:
    """Plans grouped by their region, regions by code, plans by name (one query)."""
    groups: dict[int, dict] = {}
    for plan in plans.select_related("region__parent").order_by("region__code", "name"):
        group = groups.setdefault(plan.region_id, {"region": plan.region, "plans": []})
        group["plans"].append(plan)
    return list(groups.values())


def indicator_tree(*, plan: Plan) -> QuerySet[Indicator]:
    """The plan's indicators in plan order, with dimension, stages, targets and departments.

    Queries: indicators (+dimension), stages, targets (+stage), responsibilities (+department).
    """
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("dimension")
        .prefetch_related(
            "stages",
            Prefetch("targets", queryset=Target.objects.select_related("stage", "reference")),
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


def reporting_departments(indicator: Indicator) -> list[str]:
    """The departments that report an indicator: its data source, by default its lead."""
    return departments_by_role(indicator)[ResponsibilityRole.DATA_SOURCE]


def indicators_reported_by(department) -> QuerySet[Indicator]:
    """The indicators a department (a Department or its id) reports: where it is the data
    source, or the lead when no data source is named (the rule of `reporting_departments`)."""
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
