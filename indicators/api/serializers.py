"""API representations. Fields are declared explicitly; decimals go out as plain strings."""

from rest_framework import serializers

from indicators.formatting import plain
from indicators.selectors import departments_by_role


class PlainDecimalField(serializers.Field):
    """A Decimal as an exact string without trailing zeros; null stays null."""

    def to_representation(self, value):
        return plain(value)


class PlanSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    county = serializers.CharField()
    baseline_year = serializers.IntegerField()
    milestone_years = serializers.ListField(child=serializers.IntegerField())


class TargetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = PlainDecimalField()
    stage = serializers.CharField(source="stage.label", default=None)
    source = serializers.SerializerMethodField()

    def get_source(self, target) -> str:
        return target.clause or target.get_origin_display()


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    dimension = serializers.CharField(source="dimension.name")
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    direction = serializers.CharField()
    path = serializers.CharField()
    binding = serializers.BooleanField()
    baseline = PlainDecimalField()
    baseline_note = serializers.CharField()
    stages = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True)
    lead_departments = serializers.SerializerMethodField()
    responsible_departments = serializers.SerializerMethodField()
    data_source_departments = serializers.SerializerMethodField()

    def get_stages(self, indicator) -> list[str]:
        return [stage.label for stage in indicator.stages.all()]

    def _names(self, indicator, role: str) -> list[str]:
        return departments_by_role(indicator)[role]

    def get_lead_departments(self, indicator) -> list[str]:
        return self._names(indicator, "lead")

    def get_responsible_departments(self, indicator) -> list[str]:
        return self._names(indicator, "responsible")

    def get_data_source_departments(self, indicator) -> list[str]:
        return self._names(indicator, "data_source")


class TaskSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.name")
    name = serializers.CharField()
    lead_departments = serializers.SerializerMethodField()
    responsible_departments = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()
    clause = serializers.CharField()

    def get_lead_departments(self, task) -> list[dict]:
        return [
            {"name": td.department.name, "inferred": td.inferred}
            for td in task.departments.all()
            if td.role == "lead"
        ]

    def get_responsible_departments(self, task) -> list[str]:
        return [td.department.name for td in task.departments.all() if td.role == "responsible"]

    def get_indicators(self, task) -> list[str]:
        return [indicator.code for indicator in task.indicators.all()]


class DepartmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
