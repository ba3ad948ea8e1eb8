"""API of what is recorded beside a plan's table (domain.md §9, point 4), per indicator:

    GET/POST /api/v1/plans/{slug}/indicators/{code}/assignments/  {year, value, document}
    GET/POST /api/v1/plans/{slug}/indicators/{code}/judgements/   {year, met, note}

Anyone who may see the plan reads the lists (another region's plan is 404). Recording is for a
reviewer or an administrator: any other role gets 403 before the body is read, a plan outside
their scope 404; the rest is `indicators.services.targets`, whose refusals read the same as on
the indicator page (400 with a message per field). 201 when the year is recorded for the first
time, 200 when its row is changed.
"""

from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators import access
from indicators.api.actuals import ActingRole, NumberField, api_error
from indicators.api.serializers import PlainDecimalField
from indicators.models import Role
from indicators.selectors import targets as target_selectors
from indicators.services import targets as target_services

RECORDERS = (Role.REVIEWER, Role.ADMIN)


# --- serializers ---------------------------------------------------------------------------


class AssignmentSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = PlainDecimalField()
    document = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username")
    recorded_at = serializers.DateTimeField()


class JudgementSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    met = serializers.BooleanField()
    note = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username")
    recorded_at = serializers.DateTimeField()


# What may be sent. Missing fields are left to the services, so the API gives the pages' words.


class AssignmentFields(serializers.Serializer):
    year = serializers.IntegerField(required=False, allow_null=True)
    value = NumberField(required=False)
    document = serializers.CharField(required=False, allow_blank=True)


class JudgementFields(serializers.Serializer):
    year = serializers.IntegerField(required=False, allow_null=True)
    met = serializers.BooleanField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


# --- views ---------------------------------------------------------------------------------


class TargetRecordApi(APIView):
    """GET: the indicator's rows, by year. POST: record a year (reviewers and administrators)."""

    acting_roles = {"POST": RECORDERS}
    refusal = target_services.NOT_A_REVIEWER
    shown_with: type[serializers.Serializer]  # a row as the list shows it
    body_with: type[serializers.Serializer]  # what a POST may send

    def get_permissions(self):
        return [*super().get_permissions(), ActingRole()]

    def handle_exception(self, exc):
        return super().handle_exception(api_error(exc))

    def rows(self, indicator):
        raise NotImplementedError

    def record(self, user, indicator, data: dict):
        raise NotImplementedError

    def get(self, request: Request, slug: str, code: str) -> Response:
        indicator = self._indicator(request, slug, code)
        return Response(self.shown_with(self.rows(indicator), many=True).data)

    def post(self, request: Request, slug: str, code: str) -> Response:
        indicator = self._indicator(request, slug, code)
        body = self.body_with(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # Whether the year had a row before: 200 for a change, 201 for a first recording.
        known = self.rows(indicator).filter(year=data.get("year")).exists()
        row = self.record(request.user, indicator, data)
        answer = status.HTTP_200_OK if known else status.HTTP_201_CREATED
        return Response(self.shown_with(row).data, status=answer)

    def _indicator(self, request: Request, slug: str, code: str):
        plan = access.plan_for(request.user, slug)
        return target_selectors.indicator_to_record(plan=plan, code=code)


class AssignmentListApi(TargetRecordApi):
    shown_with = AssignmentSerializer
    body_with = AssignmentFields

    def rows(self, indicator):
        return target_selectors.assignments_of(indicator)

    def record(self, user, indicator, data: dict):
        return target_services.assignment_record(
            user=user,
            indicator=indicator,
            year=data.get("year"),
            value=data.get("value"),
            document=data.get("document", ""),
        )


class JudgementListApi(TargetRecordApi):
    shown_with = JudgementSerializer
    body_with = JudgementFields

    def rows(self, indicator):
        return target_selectors.judgements_of(indicator)

    def record(self, user, indicator, data: dict):
        return target_services.judgement_record(
            user=user,
            indicator=indicator,
            year=data.get("year"),
            met=data.get("met"),
            note=data.get("note", ""),
        )
