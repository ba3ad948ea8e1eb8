"""Reads. Every selector returns rows with their related data already fetched, so a page or
an API list costs a fixed number of queries whatever the number of indicators."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from indicators.models import (
    Department,
    Indicator,
    Plan,
    Project,
    Responsibility,
    ResponsibilityRole,
    Role,
    Target,
    Task,
    TaskDepartment,
)


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.all()


def plan_get(*, slug: str) -> Plan:
    return get_object_or_404(Plan, slug=slug)


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
    """Department names per role of a prefetched indicator; the data source defaults to the lead."""
    names = {role: [] for role in ResponsibilityRole.values}
    for row in indicator.responsibilities.all():
        names[row.role].append(row.department.name)
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
