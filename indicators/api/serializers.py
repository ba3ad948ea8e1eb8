"""API representations. Fields are declared explicitly; decimals go out as plain strings."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from indicators.domain import periods, statuses
from indicators.domain.formatting import plain, rounded
from indicators.selectors import progress as progress_selectors
from indicators.selectors.plans import departments_by_role


class PlainDecimalField(serializers.Field):
    """A Decimal as an exact string without trailing zeros; null stays null."""

    def to_representation(self, value):
        return plain(value)


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.CharField(source="parent.code", default=None)


class PlanRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    region = PlanRegionSerializer()
    # The region's name, kept for clients written before regions (it was the county's name).
    county = serializers.CharField(source="region.name")
    baseline_year = serializers.IntegerField()
    milestone_years = serializers.ListField(child=serializers.IntegerField())


class TargetSerializer(serializers.Serializer):
    """A target as printed (`text`) and as read (domain.md §9)."""

    year = serializers.IntegerField()
    text = serializers.CharField()
    form = serializers.CharField()
    value = PlainDecimalField()
    lower = PlainDecimalField()
    upper = PlainDecimalField()
    strict = serializers.BooleanField()
    tolerance = PlainDecimalField()
    compound = serializers.CharField(default=None)
    reference = serializers.CharField(source="reference.code", default=None)
    stage = serializers.CharField(source="stage.label", default=None)
    source = serializers.SerializerMethodField()

    def to_representation(self, target) -> dict:
        data = super().to_representation(target)
        data["compound"] = data["compound"] or None  # stored blank: not a compound rate
        return data

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
    frequency = serializers.CharField()
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
    region = serializers.CharField(source="region.code")


class PeriodFields(serializers.Serializer):
    """A period as the API writes it: `year` and at most one of `month`, `quarter`, `half`
    (none: the whole year; `quarter=0` too). Read by the one parser, `periods.parse_period`,
    so the API answers with the same messages as the pages and the upload."""

    year = serializers.CharField(required=False, allow_blank=True)
    month = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    quarter = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    half = serializers.CharField(required=False, allow_blank=True, allow_null=True)

    def validate(self, data: dict) -> dict:
        data = super().validate(data)
        try:
            data["period"] = periods.parse_period(data)
        except periods.PeriodError as exc:
            raise serializers.ValidationError({exc.field: [exc.message]}) from exc
        return data


class PeriodQuerySerializer(PeriodFields):
    """The period asked for: a year of the plan and at most one of month, quarter, half,
    optionally with pending values."""

    include_pending = serializers.BooleanField(required=False, default=False)

    def validate(self, data: dict) -> dict:
        data = super().validate(data)
        plan, year = self.context["plan"], data["period"].year
        if not plan.baseline_year <= year <= plan.last_year:
            raise serializers.ValidationError(
                {"year": [_("The plan runs from %(first)s to %(last)s.")
                          % {"first": plan.baseline_year, "last": plan.last_year}]}
            )  # fmt: skip
        return data


class ProgressRowSerializer(serializers.Serializer):
    """One indicator's standing; computed numbers rounded to 6 places, stored ones exact."""

    def to_representation(self, row) -> dict:
        ind, p = row.indicator, row.progress
        return {
            "code": ind.code,
            "name": ind.name,
            "unit": ind.unit,
            "kind": ind.kind,
            "value": plain(p.value),
            "stage": row.stage,
            "compared_value": rounded(p.compared_value),
            "baseline": rounded(p.baseline),
            "expected": rounded(p.expected),
            "period": {
                "year": row.period.year,
                "frequency": row.period.frequency,
                "n": row.period.n,
            },
            "target": {
                "year": p.target_year,
                "value": plain(p.target_value),
                "stage": p.target_stage,
            },
            "target_text": row.target_text,
            "form": p.form,
            "holding": p.holding,
            "binding": ind.binding,
            "ratio": rounded(p.ratio),
            "completion": rounded(p.completion),
            "time_progress": rounded(p.time_progress),
            "status": p.status,
            "status_label": statuses.status_label(p.status),
            "flags": list(p.flags),
            "lead_departments": row.leads,
            "warning": row.light,
            "warning_label": statuses.light_label(row.light),
            "explanation": explanation_payload(row.explanation),
        }


def explanation_payload(explanation) -> dict | None:
    """A 滞后说明 as the API writes it (`will_meet`: yes, at_risk or no), or None."""
    if explanation is None:
        return None
    return {
        "cause": explanation.cause,
        "measures": explanation.measures,
        "will_meet": explanation.will_meet,
    }


def progress_payload(plan, query: dict, rows: list) -> dict:
    """The progress API's body: the rows in plan order and their status counts."""
    period = query["period"]
    return {
        "plan": plan.slug,
        "period": {"year": period.year, **period.fields},
        "include_pending": query["include_pending"],
        "t": float(period.t),
        "indicators": ProgressRowSerializer(rows, many=True).data,
        "summary": progress_selectors.status_counts(rows),
        "warnings": progress_selectors.light_counts(rows),
        "flags": progress_selectors.flag_counts(rows),
        "by_dimension": progress_selectors.counts_by_dimension(rows),
        "by_department": progress_selectors.counts_by_lead(rows),
    }
