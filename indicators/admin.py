"""Django admin for every model; verbose names come from the models (translated)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators import models


class StageInline(admin.TabularInline):
    model = models.Stage
    extra = 0


class TargetInline(admin.TabularInline):
    model = models.Target
    extra = 0


class ResponsibilityInline(admin.TabularInline):
    model = models.Responsibility
    extra = 0


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "county", "baseline_year"]


@admin.register(models.Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["order", "printed_name", "dimension", "kind", "direction", "path", "baseline"]
    list_display_links = ["printed_name"]
    list_filter = ["plan", "dimension", "kind"]
    search_fields = ["name", "code"]
    inlines = [StageInline, TargetInline, ResponsibilityInline]


@admin.register(models.Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["indicator", "position", "label"]


@admin.register(models.Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "value", "stage", "origin"]
    list_filter = ["year", "origin"]


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "county"]
    list_filter = ["kind", "county"]


class TaskDepartmentInline(admin.TabularInline):
    model = models.TaskDepartment
    extra = 0


class TaskIndicatorInline(admin.TabularInline):
    model = models.TaskIndicator
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "plan"]


@admin.register(models.Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "order"]
    list_filter = ["project"]
    inlines = [TaskDepartmentInline, TaskIndicatorInline]


@admin.register(models.TaskDepartment)
class TaskDepartmentAdmin(admin.ModelAdmin):
    list_display = ["task", "department", "role", "inferred"]


@admin.register(models.TaskIndicator)
class TaskIndicatorAdmin(admin.ModelAdmin):
    list_display = ["task", "indicator"]


@admin.register(models.Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["indicator", "department", "role", "origin"]
    list_filter = ["role", "origin"]


@admin.register(models.Actual)
class ActualAdmin(SimpleHistoryAdmin):
    """View only: values change through the reporting services, which keep their history."""

    list_display = ["indicator", "year", "quarter", "value", "stage", "state", "updated_at"]
    list_filter = ["state", "year", "quarter"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department"]
