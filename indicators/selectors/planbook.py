"""A plan read from the database as its plan file's raw dict: what the plan workbook writer
(`indicators.planbook.write_workbook`) takes and the plan-file checker accepts, so that a plan
exported as a workbook loads back changing nothing.

Responsibilities come from the table (origin "table") only: those a task gives (origin "task")
follow again from the tasks on loading, and an administrator's (origin "admin") are no part of
the plan file.
"""

from collections import defaultdict
from decimal import Decimal

from indicators.domain import targets as forms
from indicators.domain.formatting import plain
from indicators.models import (
    Dimension,
    Indicator,
    Plan,
    Project,
    Responsibility,
    ResponsibilityOrigin,
    Stage,
    Target,
    Task,
    TaskDepartment,
    TaskIndicator,
    TaskRole,
)

INDICATOR_FIELDS = (
    "code",
    "name",
    "unit",
    "kind",
    "direction",
    "path",
    "binding",
    "frequency",
    "may_be_negative",
    "baseline_text",
    "baseline_note",
    "reason",
    "catalogue_code",
    "note",
)
# The forms whose tolerance, unless their text states one, is the indicator's 容差.
TOLERANT_FORMS = (forms.ABOUT, forms.RELATIVE)


def plan_raw(plan: Plan) -> dict:
    """The plan as the plan file's nested dict (docs/plan-file.md), read in 10 queries
    whatever its size: the plan (+ region code), dimensions, indicators, stages, targets
    (+ stage, referenced indicator), table responsibilities (+ department), projects, tasks,
    task departments (+ department), task links (+ indicator code)."""
    departments = _Departments()
    dimensions = dict(
        Dimension.objects.filter(plan=plan).order_by("order").values_list("pk", "name")
    )
    return {
        "plan": _head(plan),
        "dimensions": list(dimensions.values()),
        "indicators": _indicators(plan, dimensions, departments),
        "projects": _projects(plan, departments),
        "departments": departments.listed(),
    }


class _Departments:
    """The departments the plan names, in their region's order, with their kind."""

    def __init__(self):
        self.seen: dict[str, tuple] = {}

    def name(self, pk: int, name: str, kind: str, order: int) -> str:
        self.seen[name] = (order, pk, kind)
        return name

    def listed(self) -> list[dict]:
        ordered = sorted(self.seen.items(), key=lambda item: item[1][:2])
        return [{"name": name, "kind": kind} for name, (_order, _pk, kind) in ordered]


def _head(plan: Plan) -> dict:
    row = (
        Plan.objects.filter(pk=plan.pk)
        .values(
            "slug",
            "name",
            "region__code",
            "baseline_year",
            "milestone_years",
            "source_document",
            "deadline_days",
            "annual_deadline_month",
            "annual_deadline_day",
            "first_tracked_year",
            "example",
        )
        .get()
    )
    head = {
        "slug": row["slug"],
        "name": row["name"],
        "region": row["region__code"],
        "baseline_year": row["baseline_year"],
        "milestone_years": list(row["milestone_years"]),
        "source_document": row["source_document"],
        "deadline_days": row["deadline_days"],
        "annual_deadline": f"{row['annual_deadline_month']}月{row['annual_deadline_day']}日",
        "example": row["example"],
    }
    if row["first_tracked_year"] is not None:
        head["first_tracked_year"] = row["first_tracked_year"]
    return head


def _indicators(plan: Plan, dimensions: dict, departments: _Departments) -> list[dict]:
    rows = (
        Indicator.objects.filter(plan=plan)
        .order_by("order")
        .values("pk", "dimension_id", "baseline", *INDICATOR_FIELDS)
    )
    stages = _stages(plan)
    targets = _targets(plan)
    roles = _table_roles(plan, departments)
    result = []
    for row in rows:
        pk, dimension_id = row.pop("pk"), row.pop("dimension_id")
        item = {
            **row,
            "dimension": dimensions[dimension_id],
            "baseline": _number(row["baseline"]),
            "stages": stages[pk],
            **roles[pk],
        }
        item.update(_targets_of(targets[pk], tuple(stages[pk])))
        result.append(item)
    return result


def _stages(plan: Plan) -> dict[int, list[str]]:
    stages = defaultdict(list)
    rows = Stage.objects.filter(indicator__plan=plan).order_by("indicator_id", "position")
    for indicator_id, label in rows.values_list("indicator_id", "label"):
        stages[indicator_id].append(label)
    return stages


def _targets(plan: Plan) -> dict[int, list[dict]]:
    rows = (
        Target.objects.filter(indicator__plan=plan)
        .order_by("indicator_id", "year")
        .values(
            "indicator_id",
            "year",
            "text",
            "form",
            "value",
            "stage__label",
            "tolerance",
            "reference__code",
            "origin",
            "clause",
        )
    )
    targets = defaultdict(list)
    for row in rows:
        targets[row.pop("indicator_id")].append(row)
    return targets


def _targets_of(rows: list[dict], stages: tuple[str, ...]) -> dict:
    """The targets as the file has them, and the indicator's 容差 and 参照指标, which the
    loader put on the targets that use them."""
    result = {"targets": [_target(row) for row in rows]}
    for row in rows:
        if row["reference__code"]:
            result["reference"] = row["reference__code"]
        if _tolerance_from_indicator(row, stages):
            result["tolerance"] = _number(row["tolerance"])
    return result


def _tolerance_from_indicator(row: dict, stages: tuple[str, ...]) -> bool:
    """Whether the target's tolerance is the indicator's 容差 (its text states none: 6±0.5
    states one, 60左右 leaves it to the 容差)."""
    if row["form"] not in TOLERANT_FORMS or row["tolerance"] is None:
        return False
    return forms.read_target(row["text"], stages).tolerance is None


def _target(row: dict) -> dict:
    target = {"year": row["year"], "origin": row["origin"], "clause": row["clause"]}
    if row["text"]:
        target["text"] = row["text"]
    elif row["stage__label"]:  # a target saved without its printed text
        target["stage"] = row["stage__label"]
    elif row["value"] is not None:
        target["value"] = _number(row["value"])
    return target


def _table_roles(plan: Plan, departments: _Departments) -> dict[int, dict[str, list[str]]]:
    """The departments the table's columns name per indicator and role, in their order."""
    rows = (
        Responsibility.objects.filter(indicator__plan=plan, origin=ResponsibilityOrigin.TABLE)
        .order_by("indicator_id", "role", "position", "pk")
        .values_list(
            "indicator_id",
            "role",
            "department_id",
            "department__name",
            "department__kind",
            "department__order",
        )
    )
    roles = defaultdict(lambda: {"lead": [], "responsible": [], "data_source": []})
    for indicator_id, role, *department in rows:
        roles[indicator_id][role].append(departments.name(*department))
    return roles


def _projects(plan: Plan, departments: _Departments) -> list[dict]:
    projects = Project.objects.filter(plan=plan).order_by("number")
    tasks = defaultdict(list)
    for task in _tasks(plan, departments):
        tasks[task.pop("project_id")].append(task)
    return [
        {"number": number, "name": name, "tasks": tasks[pk]}
        for pk, number, name in projects.values_list("pk", "number", "name")
    ]


def _tasks(plan: Plan, departments: _Departments) -> list[dict]:
    rows = (
        Task.objects.filter(project__plan=plan)
        .order_by("project_id", "order")
        .values("pk", "project_id", "name", "text", "clause")
    )
    named = defaultdict(list)
    task_departments = (
        TaskDepartment.objects.filter(task__project__plan=plan)
        .order_by("task_id", "position")
        .values_list(
            "task_id",
            "role",
            "inferred",
            "department_id",
            "department__name",
            "department__kind",
            "department__order",
        )
    )
    for task_id, role, inferred, *department in task_departments:
        named[task_id].append((role, inferred, departments.name(*department)))
    links = defaultdict(list)
    task_links = (
        TaskIndicator.objects.filter(task__project__plan=plan)
        .order_by("pk")
        .values_list("task_id", "indicator__code", "clause")
    )
    for task_id, code, clause in task_links:
        links[task_id].append({"code": code, "clause": clause})
    return [_task(row, named[row["pk"]], links[row["pk"]]) for row in rows]


def _task(row: dict, named: list[tuple], links: list[dict]) -> dict:
    return {
        "project_id": row["project_id"],
        "name": row["name"],
        "text": row["text"],
        "clause": row["clause"],
        "lead": [name for role, _inferred, name in named if role == TaskRole.LEAD],
        "lead_inferred": any(inferred for role, inferred, _name in named if role == TaskRole.LEAD),
        "responsible": [name for role, _inferred, name in named if role == TaskRole.RESPONSIBLE],
        "indicators": links,
    }


def _number(value: Decimal | None) -> Decimal | None:
    """A stored decimal as the plan prints it (30, not 30.0000)."""
    return None if value is None else Decimal(plain(value))
