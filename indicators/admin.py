"""Django admin for every model, safe for regional administrators (domain.md §6, §8).

One home, `ScopedAdmin`, holds the rules every admin below follows:

- a platform administrator (a superuser, or an administrator without a region) sees
  everything; a regional administrator sees only the rows whose region, reached through the
  admin's `region_path`, is their region or lies below it. Any other object answers 404 in
  the change, delete and history views, as if it did not exist (access.py);
- drop-downs offer only what the user may choose, and when an existing object is edited,
  only what fits it: the dimensions, tasks and indicators of its plan, the departments of
  its plan's region, the stages of its indicator;
- each admin's form refuses what would contradict another object (another plan's
  dimension, another region's department, a target year not after the baseline year...)
  with a message on the field, in forms and inlines alike. Nothing saved through the admin
  may leave data that makes a page fail; the rules the progress engine enforces when it
  reads a plan (domain/progress.py, point 12) are checked here before anything is saved.

Verbose names come from the models (translated).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators import access, models
from indicators.domain import regions
from indicators.domain import targets as target_forms
from indicators.domain.reminders import webhook_url_allowed
from indicators.models import (
    Actual,
    Department,
    Dimension,
    Indicator,
    Kind,
    Plan,
    Project,
    Region,
    Role,
    Stage,
    Target,
    Task,
)
from indicators.selectors import history as history_selectors
from indicators.signals import RECORDED_USER

# --- Messages (English msgids; the Chinese catalogue translates them) ---------------------

DIMENSION_OF_ANOTHER_PLAN = _(
    "The dimension “%(dimension)s” belongs to another plan; choose one of this plan's dimensions."
)
DEPARTMENT_OF_ANOTHER_REGION = _(
    "The department “%(department)s” belongs to %(region)s, not to the plan's region "
    "%(plan_region)s."
)
TASK_OF_ANOTHER_PLAN = _(
    "The task “%(task)s” belongs to another plan; choose one of this indicator's plan's tasks."
)
INDICATOR_OF_ANOTHER_PLAN = _(
    "The indicator “%(indicator)s” belongs to another plan; choose one of this task's plan's "
    "indicators."
)
TARGET_YEAR_NOT_AFTER_BASELINE = _(
    "The target year must be after the plan's baseline year %(baseline_year)s."
)
REFERENCE_NEEDED = _("A target “in step with” another indicator needs that indicator.")
KIND_FIXED_BY_ACTUALS = _(
    "This indicator already has reported values: it cannot change between milestone stages "
    "and numbers."
)
OUTSIDE_SCOPE = _("%(region)s is outside the regions you administer.")
REGION_REQUIRED = _("Choose a region you administer: an empty region means the whole platform.")
PROFILE_DEPARTMENT_REGION = _(
    "The department “%(department)s” belongs to %(region)s; the scope region must be the same."
)
CLERK_NEEDS_DEPARTMENT = _("A data clerk must belong to a department.")
DEPARTMENT_IN_USE = _(
    "This department already has indicators, tasks or users: it cannot move to another region."
)
WEBHOOK_NOT_HTTP = _(
    "The group robot's address must start with http:// or https:// (as 企业微信 and 钉钉 give it)."
)
BASELINE_NOT_BEFORE_TARGETS = _(
    "The baseline year must be before every target year of the plan; the earliest is %(year)s."
)
MILESTONE_YEARS_INVALID = _(
    "Give the milestone years as a list of different years after the baseline year, e.g. "
    "[2028, 2030]."
)

# --- Who administers what -------------------------------------------------------------


def platform_admin(user) -> bool:
    """A platform administrator: a superuser or an administrator, with no scope region."""
    who = access.actor(user)
    return who.everywhere and (user.is_superuser or who.role == Role.ADMIN)


def in_scope(user, path: str) -> Q:
    """The rows a user may administer, their region reached through `path` ("" for a region
    itself): everything for a platform administrator, nothing for a user without a region."""
    if platform_admin(user):
        return Q()
    region_id = access.actor(user).region_id
    if region_id is None:
        return Q(pk__in=[])
    return access.within(path, region_id)


def administers(user, region_id: int | None) -> bool:
    return platform_admin(user) or access.administers(user, region_id)


def related(obj, name: str):
    """obj.name, or None when obj is None or the foreign key is not set (an unsaved object,
    or a form whose field did not validate)."""
    if obj is None:
        return None
    field = obj._meta.get_field(name)
    if field.is_relation and getattr(obj, field.attname) is None:
        return None
    return getattr(obj, name)


def path_objects(obj, region_path: str) -> dict:
    """The objects on the way from `obj` to its region, by model: for a target, the target,
    its indicator and the indicator's plan."""
    if obj is None:
        return {}
    found = {type(obj): obj}
    for name in region_path.split("__")[:-1] if region_path else ():
        obj = getattr(obj, name)
        found[type(obj)] = obj
    return found


# --- Forms: cross-object consistency --------------------------------------------------


class ScopedForm(forms.ModelForm):
    """The base of every admin form. The admin sets `request` on each request's form class;
    `check` holds a model's own cross-object rules, and every region, department and plan
    chosen must lie within the user's scope."""

    request = None

    def value(self, name: str):
        """The value `name` will be saved with: the cleaned one (an inline's parent for its
        foreign key), or the instance's for a field the form does not edit."""
        if name in self.fields:
            return self.cleaned_data.get(name)
        return related(self.instance, name)

    def clean(self):
        cleaned = super().clean()
        if self.request is not None:
            self.check_scope()
        self.check()
        return cleaned

    def check_scope(self) -> None:
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, Region):
                region_id, region = value.pk, value
            elif isinstance(value, (Department, Plan)):
                region_id, region = value.region_id, value.region
            else:
                continue
            if not administers(self.request.user, region_id):
                self.add_error(name, OUTSIDE_SCOPE % {"region": region})

    def check(self) -> None:
        """A model's own rules; none by default."""


def _department_in_plan_region(form: ScopedForm, plan) -> None:
    department = form.value("department")
    if plan is not None and department is not None and department.region_id != plan.region_id:
        form.add_error(
            "department",
            DEPARTMENT_OF_ANOTHER_REGION
            % {"department": department, "region": department.region, "plan_region": plan.region},
        )


def _years_after(years, baseline: int) -> bool:
    """Whether `years` is a list of different whole years, each after the baseline year (the
    progress engine divides by the time between them)."""
    return (
        isinstance(years, list)
        and all(isinstance(y, int) and not isinstance(y, bool) and y > baseline for y in years)
        and len(set(years)) == len(years)
    )


class PlanForm(ScopedForm):
    def check(self):
        baseline, milestones = self.value("baseline_year"), self.value("milestone_years")
        if (
            baseline is not None
            and "milestone_years" in self.fields
            and milestones is not None
            and not _years_after(milestones, baseline)
        ):
            self.add_error("milestone_years", MILESTONE_YEARS_INVALID)
        plan = self.instance
        if plan.pk is None:
            return
        if baseline is not None:
            earliest = Target.objects.filter(indicator__plan=plan).aggregate(y=Min("year"))["y"]
            if earliest is not None and earliest <= baseline:
                self.add_error("baseline_year", BASELINE_NOT_BEFORE_TARGETS % {"year": earliest})


class DepartmentForm(ScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "webhook_kind" in self.fields:
            # Read only with a robot's address: a department without one needs no choice.
            self.fields["webhook_kind"].required = False

    def clean_webhook_kind(self):
        return self.cleaned_data.get("webhook_kind") or models.WebhookKind.WECOM

    def check(self):
        url = self.value("webhook_url")
        # URLField also takes ftp://; the reminders post only to http(s) robots.
        if url and not webhook_url_allowed(url):
            self.add_error("webhook_url", WEBHOOK_NOT_HTTP)
        department, region = self.instance, self.value("region")
        if department.pk is None or region is None or region.pk == department.region_id:
            return
        if (
            department.responsibilities.exists()
            or department.tasks.exists()
            or department.members.exists()
        ):
            self.add_error("region", DEPARTMENT_IN_USE)


class IndicatorForm(ScopedForm):
    def check(self):
        plan, dimension = self.value("plan"), self.value("dimension")
        if plan is not None and dimension is not None and dimension.plan_id != plan.pk:
            self.add_error("dimension", DIMENSION_OF_ANOTHER_PLAN % {"dimension": dimension})
        kind, indicator = self.value("kind"), self.instance
        if (
            indicator.pk is not None
            and kind is not None
            and (kind == Kind.MILESTONE) != (indicator.kind == Kind.MILESTONE)
            and Actual.objects.filter(indicator=indicator).exists()
        ):
            self.add_error("kind", KIND_FIXED_BY_ACTUALS)


class TargetForm(ScopedForm):
    """A target is typed as the table prints it; its form, numbers and stage are read from the
    text by the one reader of plan tables (domain/targets.py), never typed separately. Target
    years come after the plan's baseline year."""

    class Meta:
        fields = ["indicator", "year", "text", "reference", "tolerance", "origin", "clause"]

    def check(self):
        indicator = self.value("indicator")  # in an inline: the indicator being edited
        if indicator is None:
            return
        plan, year = related(indicator, "plan"), self.value("year")
        if plan is not None and year is not None and year <= plan.baseline_year:
            self.add_error(
                "year", TARGET_YEAR_NOT_AFTER_BASELINE % {"baseline_year": plan.baseline_year}
            )
        reference = self.value("reference")
        if reference is not None and (plan is None or reference.plan_id != plan.pk):
            self.add_error("reference", INDICATOR_OF_ANOTHER_PLAN % {"indicator": reference})
        if self.value("text"):
            self._read_text(indicator, reference)

    def _read_text(self, indicator, reference) -> None:
        stages = tuple(indicator.stages.values_list("label", flat=True)) if indicator.pk else ()
        try:
            read = target_forms.read_target(self.value("text"), stages)
        except target_forms.TargetTextError as exc:
            self.add_error("text", str(exc))
            return
        problem = target_forms.misfit(read, indicator.kind)
        if read.form == target_forms.RELATIVE and reference is None:
            self.add_error("reference", REFERENCE_NEEDED)
        if problem:
            self.add_error("text", problem)
            return
        target = self.instance
        for name in ("form", "value", "lower", "upper", "strict"):
            setattr(target, name, getattr(read, name))
        target.compound = read.compound or ""
        if read.tolerance is not None:
            target.tolerance = read.tolerance
        target.stage = indicator.stages.filter(label=read.stage).first() if read.stage else None


class ResponsibilityForm(ScopedForm):
    def check(self):
        plan = related(self.value("indicator"), "plan")
        _department_in_plan_region(self, plan)
        task = self.value("task")
        if plan is not None and task is not None and task.project.plan_id != plan.pk:
            self.add_error("task", TASK_OF_ANOTHER_PLAN % {"task": task})


def _task_plan(form: ScopedForm):
    return related(related(form.value("task"), "project"), "plan")


class TaskDepartmentForm(ScopedForm):
    def check(self):
        _department_in_plan_region(self, _task_plan(self))


class TaskIndicatorForm(ScopedForm):
    def check(self):
        plan, indicator = _task_plan(self), self.value("indicator")
        if plan is not None and indicator is not None and indicator.plan_id != plan.pk:
            self.add_error("indicator", INDICATOR_OF_ANOTHER_PLAN % {"indicator": indicator})


class ProfileForm(ScopedForm):
    def check(self):
        region, department = self.value("region"), self.value("department")
        if department is not None and (region is None or department.region_id != region.pk):
            self.add_error(
                "department",
                PROFILE_DEPARTMENT_REGION % {"department": department, "region": department.region},
            )
        if region is None and "region" not in self.errors and not self._platform():
            self.add_error("region", REGION_REQUIRED)
        user = self.value("user")
        if (
            department is None
            and "department" not in self.errors
            and user is not None
            and user.groups.filter(name=Role.CLERK).exists()
        ):
            self.add_error("department", CLERK_NEEDS_DEPARTMENT)

    def _platform(self) -> bool:
        return self.request is None or platform_admin(self.request.user)


class RegionForm(ScopedForm):
    """Codes and parents follow GB/T 2260 (domain/regions.py), as region_save checks them."""

    def check(self):
        code, level, parent = self.value("code"), self.value("level"), self.value("parent")
        if code is None or level is None:
            return
        messages = regions.check_code(code, level)
        for message in messages:
            self.add_error("code" if "code" in self.fields else "level", message)
        if not messages and "parent" not in self.errors:
            for message in regions.check_parent(
                code, level, parent.code if parent else None, parent.level if parent else None
            ):
                self.add_error("parent", message)


# --- The admin's one home -----------------------------------------------------------------


class ScopedChoices:
    """Drop-downs limited to the user's scope and to the object being edited."""

    def anchors(self, request) -> dict:
        raise NotImplementedError

    def choices(self, request, model):
        """The queryset a foreign key to `model` offers, or None to keep Django's."""
        user, found = request.user, self.anchors(request)
        plan, indicator = found.get(Plan), found.get(Indicator)
        if model is Region:
            return Region.objects.filter(in_scope(user, ""))
        if model is Department:
            departments = Department.objects.select_related("region")
            if plan is not None:
                return departments.filter(region_id=plan.region_id)
            return departments.filter(in_scope(user, "region"))
        if model is Stage and indicator is not None:
            return Stage.objects.filter(indicator=indicator)
        if model in (Dimension, Indicator, Project) and plan is not None:
            return model.objects.filter(plan=plan)
        if model is Task and plan is not None:
            return Task.objects.filter(project__plan=plan)
        if not self.admin_site.is_registered(model):
            return None
        path = getattr(self.admin_site.get_model_admin(model), "region_path", None)
        return None if path is None else model._default_manager.filter(in_scope(user, path))

    def limited(self, db_field, request, kwargs: dict) -> dict:
        """Django's arguments for a relation's form field, with the choices of `choices`."""
        if "queryset" not in kwargs:
            queryset = self.choices(request, db_field.related_model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self.limited(db_field, request, kwargs)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Department:
            # Every county has a 县统计局: each choice names its region.
            field.label_from_instance = department_label
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self.limited(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def department_label(department: Department) -> str:
    return f"{department.name}（{department.region.name}）"


class ScopedAdmin(ScopedChoices):
    """The base of every ModelAdmin here: rows within the user's region only (404 for any
    other), drop-downs within it, and forms that know the request.

    `region_path` leads from the model to its region ("" for a region itself);
    `fixed_on_change` names the fields that tie an object to its plan or indicator, which
    cannot change once it exists (its dependants would be left in another plan)."""

    region_path = "region"
    fixed_on_change: tuple[str, ...] = ()
    form = ScopedForm

    def get_queryset(self, request):
        return super().get_queryset(request).filter(in_scope(request.user, self.region_path))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def edited(self, request):
        """The object this change view edits (None on an add view), within the scope."""
        match = getattr(request, "resolver_match", None)
        object_id = match.kwargs.get("object_id") if match else None
        if object_id is None:
            return None
        cache = request.__dict__.setdefault("_scoped_admin_objects", {})
        key = (self.model, object_id)
        if key not in cache:
            try:
                cache[key] = self.get_queryset(request).get(pk=unquote(object_id))
            except (self.model.DoesNotExist, ValidationError, ValueError):
                cache[key] = None
        return cache[key]

    def anchors(self, request) -> dict:
        return path_objects(self.edited(request), self.region_path)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [name for name in self.fixed_on_change if name not in fields]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request  # a class made for this request by modelform_factory
        return form


class ScopedInline(ScopedChoices, admin.TabularInline):
    """An inline whose drop-downs fit the parent being edited and whose forms check it."""

    extra = 0
    form = ScopedForm

    def anchors(self, request) -> dict:
        return self.admin_site.get_model_admin(self.parent_model).anchors(request)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.request = request
        return formset


RELATED_ONLY = admin.RelatedOnlyFieldListFilter  # list filters offer only rows in scope


# --- Plans, regions, departments, users ---------------------------------------------------


@admin.register(models.Region)
class RegionAdmin(ScopedAdmin, admin.ModelAdmin):
    """Regions are the platform's: a regional administrator only views those of their
    scope."""

    region_path = ""
    form = RegionForm
    fixed_on_change = ("code",)
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return platform_admin(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return platform_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return platform_admin(request.user) and super().has_delete_permission(request, obj)


@admin.register(models.Plan)
class PlanAdmin(ScopedAdmin, admin.ModelAdmin):
    """A plan never moves to another region: its departments, users and values belong to
    the one it has (services.plans)."""

    form = PlanForm
    fixed_on_change = ("region",)
    list_display = ["name", "slug", "region", "baseline_year"]
    list_filter = [("region", RELATED_ONLY)]


@admin.register(models.Department)
class DepartmentAdmin(ScopedAdmin, admin.ModelAdmin):
    form = DepartmentForm
    list_display = ["name", "kind", "region", "webhook_kind"]
    list_filter = ["kind", ("region", RELATED_ONLY)]


@admin.register(models.Profile)
class ProfileAdmin(ScopedAdmin, admin.ModelAdmin):
    """Profiles are created with their user (add_user); a regional administrator changes the
    scope and department of the users of their region, within it. Only a platform
    administrator adds or deletes one: a user without a profile has the whole platform."""

    form = ProfileForm
    fixed_on_change = ("user",)
    list_display = ["user", "region", "department"]
    list_filter = [("region", RELATED_ONLY)]

    def has_add_permission(self, request):
        return platform_admin(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return platform_admin(request.user) and super().has_delete_permission(request, obj)

    def choices(self, request, model):
        if model is get_user_model():
            return model._default_manager.filter(profile__isnull=True)
        return super().choices(request, model)


# --- A plan's contents ------------------------------------------------------------------


@admin.register(models.Dimension)
class DimensionAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "plan__region"
    fixed_on_change = ("plan",)
    list_display = ["name", "plan", "order"]
    list_filter = [("plan", RELATED_ONLY)]


class StageInline(ScopedInline):
    model = models.Stage


class TargetInline(ScopedInline):
    model = models.Target
    fk_name = "indicator"
    form = TargetForm


class ResponsibilityInline(ScopedInline):
    model = models.Responsibility
    form = ResponsibilityForm


@admin.register(models.Indicator)
class IndicatorAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "plan__region"
    form = IndicatorForm
    fixed_on_change = ("plan",)
    list_display = ["order", "printed_name", "dimension", "kind", "direction", "path", "baseline"]
    list_display_links = ["printed_name"]
    list_filter = [("plan", RELATED_ONLY), ("dimension", RELATED_ONLY), "kind"]
    search_fields = ["name", "code"]
    inlines = [StageInline, TargetInline, ResponsibilityInline]


@admin.register(models.Stage)
class StageAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "indicator__plan__region"
    fixed_on_change = ("indicator",)
    list_display = ["indicator", "position", "label"]


@admin.register(models.Target)
class TargetAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "indicator__plan__region"
    form = TargetForm
    list_display = ["indicator", "year", "text", "form", "origin"]
    list_filter = ["year", "origin"]


@admin.register(models.Responsibility)
class ResponsibilityAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "indicator__plan__region"
    form = ResponsibilityForm
    list_display = ["indicator", "department", "role", "origin"]
    list_filter = ["role", "origin"]


@admin.register(models.Project)
class ProjectAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "plan__region"
    fixed_on_change = ("plan",)
    list_display = ["number", "name", "plan"]


class TaskDepartmentInline(ScopedInline):
    model = models.TaskDepartment
    form = TaskDepartmentForm


class TaskIndicatorInline(ScopedInline):
    model = models.TaskIndicator
    form = TaskIndicatorForm


@admin.register(models.Task)
class TaskAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "project__plan__region"
    fixed_on_change = ("project",)
    list_display = ["name", "project", "order"]
    list_filter = [("project", RELATED_ONLY)]
    inlines = [TaskDepartmentInline, TaskIndicatorInline]


@admin.register(models.TaskDepartment)
class TaskDepartmentAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "task__project__plan__region"
    form = TaskDepartmentForm
    list_display = ["task", "department", "role", "inferred"]


@admin.register(models.TaskIndicator)
class TaskIndicatorAdmin(ScopedAdmin, admin.ModelAdmin):
    region_path = "task__project__plan__region"
    form = TaskIndicatorForm
    list_display = ["task", "indicator"]


class ViewOnly:
    """Rows that change only through a service, which records who, when and why."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Assignment)
class AssignmentAdmin(ViewOnly, ScopedAdmin, admin.ModelAdmin):
    """Recorded on the indicator page or through the API (services.targets)."""

    region_path = "indicator__plan__region"
    list_display = ["indicator", "year", "value", "document", "recorded_by", "recorded_at"]


@admin.register(models.Judgement)
class JudgementAdmin(ViewOnly, ScopedAdmin, admin.ModelAdmin):
    """Recorded on the indicator page or through the API (services.targets)."""

    region_path = "indicator__plan__region"
    list_display = ["indicator", "year", "met", "note", "recorded_by", "recorded_at"]


class ReadOnlyHistory:
    """SimpleHistoryAdmin's page of a past version is a form that reverts the row when posted,
    past every rule of the services (the state, the approver, the version, four eyes) and past
    `ViewOnly`. History is read, never written back: a POST is refused (403), whoever sends it,
    a superuser included."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(models.Actual)
class ActualAdmin(ReadOnlyHistory, ViewOnly, ScopedAdmin, SimpleHistoryAdmin):
    """View only: values change through the reporting services, which keep their history.
    The history pages answer 404 for a value outside the user's region, as the others do."""

    region_path = "indicator__plan__region"
    list_display = ["indicator", "year", "quarter", "value", "stage", "state", "updated_at"]
    list_filter = ["state", "year", "quarter"]

    def _in_scope_or_404(self, request, object_id) -> None:
        """SimpleHistoryAdmin reads history past get_queryset (for deleted rows): only a
        platform administrator may read a row's history unless the row is in their scope."""
        if platform_admin(request.user):
            return
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValidationError, ValueError):
            visible = False
        if not visible:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(models.Supervision)
class SupervisionAdmin(ViewOnly, ScopedAdmin, admin.ModelAdmin):
    """View only: items are opened, answered, closed and sent back through the services
    (indicators.services.supervision), which keep every step."""

    region_path = "plan__region"
    list_display = ["__str__", "department", "due", "state", "automatic", "opened_by"]
    list_filter = ["state", "automatic"]


@admin.register(models.SupervisionStep)
class SupervisionStepAdmin(ViewOnly, ScopedAdmin, admin.ModelAdmin):
    region_path = "supervision__plan__region"
    list_display = ["supervision", "action", "by", "at"]
    list_filter = ["action"]


@admin.register(models.Reminder)
class ReminderAdmin(ViewOnly, ScopedAdmin, admin.ModelAdmin):
    """The reminders sent (send_reminders, services.reminders): what, to whom, when, by which
    channel and whether it failed. Written only by the command."""

    region_path = "department__region"
    list_display = ["day", "department", "kind", "channel", "item", "failed", "sent_at"]
    list_filter = ["day", "kind", "channel", "failed"]


# --- Users --------------------------------------------------------------------------------

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, except that a user who appears in any history is not deleted (the
    confirmation page says why and offers no button; indicators.signals refuses it on every
    other route): deactivate them instead."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        recorded = [user for user in objs if history_selectors.user_in_history(user)]
        if recorded:
            protected = [*protected, *(f"{user}: {RECORDED_USER}" for user in recorded)]
        return deleted, counts, perms_needed, protected
