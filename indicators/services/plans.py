"""Writes of a plan: loading a checked plan file in place, in one transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _

from indicators.models import (
    Department,
    Dimension,
    Indicator,
    Plan,
    Project,
    Region,
    Responsibility,
    ResponsibilityOrigin,
    ResponsibilityRole,
    Stage,
    Target,
    Task,
    TaskDepartment,
    TaskIndicator,
    TaskRole,
)
from indicators.planfile import IndicatorData, PlanData, ProjectData, TaskData
from indicators.services.errors import ServiceError


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


class _Sync:
    """Create-or-update rows by natural key, counting what really changed.

    Saving only changed fields keeps a second load of the same file a true no-op.
    """

    def __init__(self):
        self.report = LoadReport()

    def row(self, model: type[Model], lookup: dict, values: dict) -> Model:
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            self.report.created += 1
            return model.objects.create(**lookup, **values)
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
            self.report.updated += 1
        return obj

    def make_room(self, queryset, key: str, field: str, wanted: dict) -> None:
        """Park rows whose unique order changes out of the way before the real orders land.

        Reordering in place would otherwise clash with a unique (parent, order) constraint; the
        parking values sit above any real order and below the small-integer limit.
        """
        rows = queryset.values_list("pk", key, field)
        moving = [pk for pk, name, current in rows if wanted.get(name) != current]
        for slot, pk in enumerate(moving):
            queryset.filter(pk=pk).update(**{field: 30_000 + slot})

    def prune(self, queryset, keep_ids: set) -> None:
        """Delete the rows of `queryset` that the file no longer holds."""
        stale = queryset.exclude(pk__in=keep_ids)
        try:
            self.report.deleted += stale.delete()[0]
        except ProtectedError as exc:
            names = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
            raise ServiceError(
                _("The file drops rows that reported values still use (%(names)s); not loaded.")
                % {"names": names}
            ) from exc


@transaction.atomic
def plan_load(*, data: PlanData) -> tuple[Plan, LoadReport]:
    """Create or update a plan from checked plan-file data, in place.

    Actuals are never deleted: an indicator or stage that has actuals and is missing from the
    file makes the whole load fail and roll back.
    """
    sync = _Sync()
    region = _plan_region(data)
    plan = sync.row(
        Plan,
        {"slug": data.slug},
        {
            "name": data.name,
            "region": region,
            "baseline_year": data.baseline_year,
            "milestone_years": list(data.milestone_years),
            "source_document": data.source_document,
            "deadline_days": data.deadline_days,
            "annual_deadline_month": data.annual_deadline[0],
            "annual_deadline_day": data.annual_deadline[1],
            "first_tracked_year": data.first_tracked_year,
            "example": data.example,
        },
    )
    departments = _load_departments(sync, data, region)
    sync.make_room(
        Dimension.objects.filter(plan=plan),
        "name",
        "order",
        {name: order for order, name in enumerate(data.dimensions, start=1)},
    )
    sync.make_room(
        Indicator.objects.filter(plan=plan),
        "code",
        "order",
        {item.code: order for order, item in enumerate(data.indicators, start=1)},
    )
    dimensions = {
        name: sync.row(Dimension, {"plan": plan, "name": name}, {"order": order})
        for order, name in enumerate(data.dimensions, start=1)
    }
    indicators = {
        item.code: _load_indicator(sync, plan, item, order, dimensions)
        for order, item in enumerate(data.indicators, start=1)
    }
    for item in data.indicators:
        _load_targets(sync, indicators[item.code], item, indicators)
    sync.prune(Indicator.objects.filter(plan=plan), {i.pk for i in indicators.values()})
    sync.prune(Dimension.objects.filter(plan=plan), {d.pk for d in dimensions.values()})
    task_ids = set()
    project_ids = set()
    for project in data.projects:
        saved = _load_project(sync, plan, project, departments, indicators)
        project_ids.add(saved.pk)
        task_ids |= set(saved.tasks.values_list("pk", flat=True))
    sync.prune(Task.objects.filter(project__plan=plan), task_ids)
    sync.prune(Project.objects.filter(plan=plan), project_ids)
    table = _table_responsibilities(sync, data, departments, indicators)
    _derive_responsibilities(sync, plan, table)
    return plan, sync.report


def _plan_region(data: PlanData) -> Region:
    """The region the file names, which must exist; a plan never moves to another region (its
    departments, users and values belong to the one it has)."""
    region = Region.objects.filter(code=data.region).first()
    if region is None:
        raise ServiceError(
            _("Unknown region %(code)s: add it first (add_region or load_regions); not loaded.")
            % {"code": data.region}
        )
    current = Plan.objects.filter(slug=data.slug).exclude(region=region).first()
    if current is not None:
        raise ServiceError(
            _("The plan “%(slug)s” belongs to %(region)s, not %(other)s; not loaded.")
            % {"slug": data.slug, "region": current.region, "other": region}
        )
    return region


def _load_departments(sync: _Sync, data: PlanData, region: Region) -> dict[str, Department]:
    """The plan's departments, each looked up by name within the plan's region. A department
    serves every plan of its region, so a new one comes after the region's others and an
    existing one keeps its place (two plans listing units in other orders never swap them)."""
    existing = set(Department.objects.filter(region=region).values_list("name", flat=True))
    last = Department.objects.filter(region=region).count()
    result = {}
    for name, kind in data.departments:
        values = {"kind": kind}
        if name not in existing:
            last += 1
            values["order"] = last
        result[name] = sync.row(Department, {"region": region, "name": name}, values)
    return result


def _load_indicator(sync, plan, item: IndicatorData, order, dimensions) -> Indicator:
    indicator = sync.row(
        Indicator,
        {"plan": plan, "code": item.code},
        {
            "dimension": dimensions[item.dimension],
            "name": item.name,
            "unit": item.unit,
            "order": order,
            "kind": item.kind,
            "direction": item.direction,
            "path": item.path,
            "binding": item.binding,
            "frequency": item.frequency,
            "may_be_negative": item.may_be_negative,
            "baseline": item.baseline,
            "baseline_text": item.baseline_text,
            "baseline_note": item.baseline_note,
            "reason": item.reason,
            "catalogue_code": item.catalogue_code,
            "note": item.note,
        },
    )
    wanted = {label: pos for pos, label in enumerate(item.stages, start=1)}
    sync.make_room(indicator.stages.all(), "label", "position", wanted)
    stages = {
        label: sync.row(Stage, {"indicator": indicator, "label": label}, {"position": pos})
        for pos, label in enumerate(item.stages, start=1)
    }
    sync.prune(indicator.stages.all(), {s.pk for s in stages.values()})
    return indicator


def _load_targets(sync, indicator: Indicator, item: IndicatorData, indicators) -> None:
    """The indicator's targets, once every indicator exists (a `relative` target refers to
    another one, which may come later in the table)."""
    stages = {stage.label: stage for stage in indicator.stages.all()}
    targets = [
        sync.row(
            Target,
            {"indicator": indicator, "year": t.year},
            {
                "text": t.text,
                "form": t.form,
                "value": t.value,
                "lower": t.lower,
                "upper": t.upper,
                "strict": t.strict,
                "tolerance": t.tolerance,
                "compound": t.compound,
                "reference": indicators[t.reference] if t.reference else None,
                "stage": stages.get(t.stage),
                "origin": t.origin,
                "clause": t.clause,
            },
        )
        for t in item.targets
    ]
    sync.prune(indicator.targets.all(), {t.pk for t in targets})


def _load_project(sync, plan, project: ProjectData, departments, indicators) -> Project:
    saved = sync.row(Project, {"plan": plan, "number": project.number}, {"name": project.name})
    wanted = {task.name: order for order, task in enumerate(project.tasks, start=1)}
    sync.make_room(saved.tasks.all(), "name", "order", wanted)
    for order, task in enumerate(project.tasks, start=1):
        _load_task(sync, saved, task, order, departments, indicators)
    return saved


def _load_task(sync, project, task: TaskData, order, departments, indicators) -> Task:
    saved = sync.row(
        Task,
        {"project": project, "name": task.name},
        {"order": order, "text": task.text, "clause": task.clause},
    )
    named = [(name, TaskRole.LEAD, task.lead_inferred) for name in task.lead]
    named += [(name, TaskRole.RESPONSIBLE, False) for name in task.responsible]
    rows = [
        sync.row(
            TaskDepartment,
            {"task": saved, "department": departments[name]},
            {"role": role, "inferred": inferred, "position": position},
        )
        for position, (name, role, inferred) in enumerate(named, start=1)
    ]
    sync.prune(saved.departments.all(), {r.pk for r in rows})
    links = [
        sync.row(
            TaskIndicator,
            {"task": saved, "indicator": indicators[link.code]},
            {"clause": link.clause},
        )
        for link in task.indicators
    ]
    sync.prune(TaskIndicator.objects.filter(task=saved), {r.pk for r in links})
    return saved


def _table_responsibilities(sync: _Sync, data: PlanData, departments, indicators) -> set:
    """The table's 牵头单位, 责任单位 and 数据来源单位 columns, as printed, in their order."""
    keep = set()
    for item in data.indicators:
        named = [(ResponsibilityRole.LEAD, item.lead)]
        named += [(ResponsibilityRole.RESPONSIBLE, item.responsible)]
        named += [(ResponsibilityRole.DATA_SOURCE, item.data_source)]
        for role, names in named:
            for position, name in enumerate(names, start=1):
                row = sync.row(
                    Responsibility,
                    {
                        "indicator_id": indicators[item.code].pk,
                        "department_id": departments[name].pk,
                        "role": role,
                    },
                    {
                        "origin": ResponsibilityOrigin.TABLE,
                        "task": None,
                        "note": "",
                        "position": position,
                    },
                )
                keep.add(row.pk)
    return keep


def _derive_responsibilities(sync: _Sync, plan: Plan, table: set) -> None:
    """An indicator's lead and responsible units follow from the table where it names them,
    else from the task that states its target."""
    keep = set(table)
    taken = set(
        Responsibility.objects.filter(pk__in=table).values_list(
            "indicator_id", "department_id", "role"
        )
    )
    links = TaskIndicator.objects.filter(task__project__plan=plan).select_related("task")
    for link in links:
        for td in link.task.departments.all():
            role = (
                ResponsibilityRole.LEAD
                if td.role == TaskRole.LEAD
                else ResponsibilityRole.RESPONSIBLE
            )
            if (link.indicator_id, td.department_id, role) in taken:
                continue
            row = sync.row(
                Responsibility,
                {
                    "indicator_id": link.indicator_id,
                    "department_id": td.department_id,
                    "role": role,
                },
                {
                    "origin": ResponsibilityOrigin.TASK,
                    "task": link.task,
                    "note": link.clause,
                    "position": td.position,
                },
            )
            keep.add(row.pk)
    loaded = Responsibility.objects.filter(
        indicator__plan=plan,
        origin__in=[ResponsibilityOrigin.TASK, ResponsibilityOrigin.TABLE],
    )
    sync.prune(loaded, keep)
