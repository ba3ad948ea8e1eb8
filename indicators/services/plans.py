"""Writes of a plan: loading a checked plan file in place, in one transaction; and the preview
of such a load (the same load, rolled back), listing what it would add, change and leave."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Field, Model, ProtectedError
from django.utils.translation import gettext as _

from indicators.domain import targets as target_forms
from indicators.domain.formatting import plain
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


@dataclass(frozen=True)
class FieldChange:
    """One field a load would change, its values as shown to people."""

    name: str  # the field's name, e.g. "text"
    label: str  # its verbose name, e.g. "target as printed"
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    """One row a load would add, change, leave alone or delete."""

    kind: str  # the model's name, e.g. "indicator"
    model: str  # its verbose name, for headings
    label: str  # the row as people know it (its natural key)
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class QualitativeTarget:
    """A target read as `qualitative` (a phrase without a number), for a person to confirm."""

    code: str
    name: str
    year: int
    text: str


@dataclass
class PlanChanges:
    """What loading a plan file would do, row by row, before anything is written."""

    slug: str
    name: str
    region: str
    new_plan: bool
    report: LoadReport  # the counts the load would report
    added: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: list[RowChange] = field(default_factory=list)
    deleted: list[RowChange] = field(default_factory=list)
    qualitative: list[QualitativeTarget] = field(default_factory=list)
    derived_codes: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # the models' names, in the load's order

    @property
    def summary(self) -> list[dict]:
        """Per model, in the order of the load: how many rows are added, changed, unchanged
        and deleted."""
        outcomes = ("added", "changed", "unchanged", "deleted")
        rows = {kind: {"kind": kind, **dict.fromkeys(outcomes, 0)} for kind in self.kinds}
        for outcome in outcomes:
            for row in getattr(self, outcome):
                rows[row.kind]["model"] = row.model
                rows[row.kind][outcome] += 1
        return list(rows.values())

    @property
    def added_groups(self) -> list[tuple[str, list[RowChange]]]:
        return _grouped(self.added)

    @property
    def unchanged_groups(self) -> list[tuple[str, list[RowChange]]]:
        return _grouped(self.unchanged)


def _grouped(rows: list[RowChange]) -> list[tuple[str, list[RowChange]]]:
    """Rows by model (their verbose name), models in the order the load meets them."""
    groups: dict[str, list[RowChange]] = {}
    for row in rows:
        groups.setdefault(row.model, []).append(row)
    return list(groups.items())


class _Sync:
    """Create-or-update rows by natural key, counting what really changed; and, for a preview,
    recording every row (added, changed with its old and new values, unchanged, deleted).

    Saving only changed fields keeps a second load of the same file a true no-op.
    """

    def __init__(self, record: bool = False):
        self.report = LoadReport()
        self.record = record
        self.rows: dict[str, list[RowChange]] = {
            "added": [],
            "changed": [],
            "unchanged": [],
            "deleted": [],
        }
        self.kinds: dict[str, None] = {}  # the models met, in order (a set that keeps it)
        # Orders as they were before `make_room` parked them: (model, pk) -> {field: value}.
        self.parked: dict[tuple[type[Model], int], dict] = {}
        self.created: set[tuple[type[Model], int]] = set()  # (model, pk) of the rows added

    def is_new(self, obj: Model) -> bool:
        """Whether this load added the row: nothing else can hang from it yet."""
        return (type(obj), obj.pk) in self.created

    def row(self, model: type[Model], lookup: dict, values: dict, parent_new=False) -> Model:
        """The row of this natural key, added or updated to `values`. `parent_new`: the row
        belongs to a row this load added, so it cannot exist yet and is not looked up."""
        # Every lookup is a unique natural key: no ordering needed (the models' default
        # orderings join the parents' tables).
        obj = None if parent_new else model.objects.filter(**lookup).order_by().first()
        if obj is None:
            self.report.created += 1
            obj = model.objects.create(**lookup, **values)
            self.created.add((model, obj.pk))
            self._note("added", obj)
            return obj
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        before = {name: self._before(obj, name) for name in changed}
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
            self.report.updated += 1
        self._note("changed" if changed else "unchanged", obj, before)
        return obj

    def _before(self, obj: Model, name: str):
        return self.parked.get((type(obj), obj.pk), {}).get(name, getattr(obj, name))

    def _note(self, outcome: str, obj: Model, before: dict | None = None) -> None:
        if not self.record:
            return
        fields = tuple(
            FieldChange(
                name=name,
                label=str(_field(obj, name).verbose_name),
                old=_shown(_field(obj, name), old),
                new=_shown(_field(obj, name), getattr(obj, name)),
            )
            for name, old in (before or {}).items()
        )
        meta = type(obj)._meta
        self.kinds.setdefault(meta.model_name)
        self.rows[outcome].append(
            RowChange(meta.model_name, str(meta.verbose_name_plural), _label(obj), fields)
        )

    def make_room(self, queryset, key: str, field: str, wanted: dict) -> None:
        """Park rows whose unique order changes out of the way before the real orders land.

        Reordering in place would otherwise clash with a unique (parent, order) constraint; the
        parking values sit above any real order and below the small-integer limit.
        """
        rows = queryset.values_list("pk", key, field)
        moving = [(pk, current) for pk, name, current in rows if wanted.get(name) != current]
        for slot, (pk, current) in enumerate(moving):
            self.parked.setdefault((queryset.model, pk), {})[field] = current
            queryset.filter(pk=pk).update(**{field: 30_000 + slot})

    def prune(self, queryset, keep_ids: set) -> None:
        """Delete the rows of `queryset` that the file no longer holds."""
        stale = queryset.exclude(pk__in=keep_ids)
        if self.record:
            for obj in stale:
                self._note("deleted", obj)
        try:
            self.report.deleted += stale.delete()[0]
        except ProtectedError as exc:
            names = ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])
            raise ServiceError(
                _("The file drops rows that reported values still use (%(names)s); not loaded.")
                % {"names": names}
            ) from exc


def _field(obj: Model, name: str) -> Field:
    return type(obj)._meta.get_field(name)


def _differs(obj: Model, name: str, value) -> bool:
    """Whether the field holds another value; a foreign key is compared by its id, without
    fetching the row it points to."""
    model_field = _field(obj, name)
    if model_field.many_to_one and (value is None or isinstance(value, Model)):
        return getattr(obj, model_field.attname) != (None if value is None else value.pk)
    return getattr(obj, name) != value


def _label(obj: Model) -> str:
    """A row as people know it: an indicator by its code and name, a stage with its
    indicator (stage labels repeat), anything else as it prints itself."""
    if isinstance(obj, Indicator):
        return f"{obj.code} · {obj}"
    if isinstance(obj, Stage):
        return f"{obj.indicator} · {obj}"
    return str(obj)


def _shown(model_field: Field, value) -> str:
    """A field's value as text for the preview ("" for none)."""
    if value is None:
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


@transaction.atomic
def plan_load(*, data: PlanData) -> tuple[Plan, LoadReport]:
    """Create or update a plan from checked plan-file data, in place.

    Actuals are never deleted: an indicator or stage that has actuals and is missing from the
    file makes the whole load fail and roll back.
    """
    sync = _Sync()
    plan = _load(sync, data)
    return plan, sync.report


def plan_preview(*, data: PlanData) -> PlanChanges:
    """What `plan_load` would do with this data, row by row, without writing anything: the
    same load runs inside a transaction that is always rolled back. Also the targets read as
    qualitative (for a person to confirm) and the indicator codes derived from row positions.

    Raises ServiceError where the load would (an unknown region, a dropped row still in use).
    """
    sync = _Sync(record=True)
    new_plan = not Plan.objects.filter(slug=data.slug).exists()
    with transaction.atomic():
        plan = _load(sync, data)
        region = str(plan.region)
        transaction.set_rollback(True)
    return PlanChanges(
        slug=data.slug,
        name=data.name,
        region=region,
        new_plan=new_plan,
        report=sync.report,
        **sync.rows,
        qualitative=[
            QualitativeTarget(item.code, item.name, target.year, target.text)
            for item in data.indicators
            for target in item.targets
            if target.form == target_forms.QUALITATIVE
        ],
        derived_codes=data.derived_codes,
        kinds=list(sync.kinds),
    )


def _load(sync: _Sync, data: PlanData) -> Plan:
    """The load itself, inside the caller's transaction."""
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
    return plan


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
    new = sync.is_new(indicator)  # a new indicator has no stages to move or delete
    wanted = {label: pos for pos, label in enumerate(item.stages, start=1)}
    if not new:
        sync.make_room(indicator.stages.all(), "label", "position", wanted)
    stages = {
        label: sync.row(Stage, {"indicator": indicator, "label": label}, {"position": pos}, new)
        for pos, label in enumerate(item.stages, start=1)
    }
    if not new:
        sync.prune(indicator.stages.all(), {s.pk for s in stages.values()})
    return indicator


def _load_targets(sync, indicator: Indicator, item: IndicatorData, indicators) -> None:
    """The indicator's targets, once every indicator exists (a `relative` target refers to
    another one, which may come later in the table)."""
    # The indicator's stages are now exactly the file's (`_load_indicator`): none to read when
    # the file lists none.
    stages = {stage.label: stage for stage in indicator.stages.all()} if item.stages else {}
    new = sync.is_new(indicator)  # then it has no targets yet but those added here
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
            new,
        )
        for t in item.targets
    ]
    if not new:
        sync.prune(indicator.targets.all(), {t.pk for t in targets})


def _load_project(sync, plan, project: ProjectData, departments, indicators) -> Project:
    saved = sync.row(Project, {"plan": plan, "number": project.number}, {"name": project.name})
    wanted = {task.name: order for order, task in enumerate(project.tasks, start=1)}
    if not sync.is_new(saved):  # a new project has no tasks to move
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
    new = sync.is_new(saved)  # then it has no departments or links yet but those added here
    named = [(name, TaskRole.LEAD, task.lead_inferred) for name in task.lead]
    named += [(name, TaskRole.RESPONSIBLE, False) for name in task.responsible]
    rows = [
        sync.row(
            TaskDepartment,
            {"task": saved, "department": departments[name]},
            {"role": role, "inferred": inferred, "position": position},
            new,
        )
        for position, (name, role, inferred) in enumerate(named, start=1)
    ]
    if not new:
        sync.prune(saved.departments.all(), {r.pk for r in rows})
    links = [
        sync.row(
            TaskIndicator,
            {"task": saved, "indicator": indicators[link.code]},
            {"clause": link.clause},
            new,
        )
        for link in task.indicators
    ]
    if not new:
        sync.prune(TaskIndicator.objects.filter(task=saved), {r.pk for r in links})
    return saved


def _table_responsibilities(sync: _Sync, data: PlanData, departments, indicators) -> set:
    """The table's 牵头单位, 责任单位 and 数据来源单位 columns, as printed, in their order."""
    keep = set()
    for item in data.indicators:
        new = sync.is_new(indicators[item.code])  # then it has no responsibilities yet
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
                    new,
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
    links = (
        TaskIndicator.objects.filter(task__project__plan=plan)
        .select_related("task")
        .prefetch_related("task__departments")
    )
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
