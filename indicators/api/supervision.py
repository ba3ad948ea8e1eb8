"""API of supervision items (督办, domain.md §11): a plan's items and opening one; answering,
closing (办结) and sending one back.

    GET  /api/v1/plans/{slug}/supervisions/?state=&colour=   the plan's items, in due order
    POST /api/v1/plans/{slug}/supervisions/                  {indicator: code | task: id,
                                                               requirement, due: YYYY-MM-DD}
    POST …/supervisions/{id}/respond/   {text, attachment?} (multipart for the attachment)
    POST …/supervisions/{id}/close/     {text?}
    POST …/supervisions/{id}/reopen/    {reason, due?}

An item: {id, indicator (its code, or null for a task's item), task (its id, or null), department
(its name: a plan's departments are all of its region, where names are unique), requirement,
due, state (open / responded / closed), colour (blue / yellow / red, null once closed), opened_by,
opened_at, responses: the department's answers [{text, by, at, attachment (a download URL or
null)}], automatic, period (the period code an item opened by itself is about), closed_by,
closed_at}.

Who: anyone who may see the plan reads its items (another region's plan is 404); reviewers
open, close and send back (403 for other roles); a data clerk of the item's department
answers: to a clerk of another department the item is not there to answer (404), to any other
role it is 403. Every write goes through `indicators.services.supervision`.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators import access
from indicators.domain import periods, warnings
from indicators.models import Indicator, Plan, Role, Supervision, SupervisionState, Task
from indicators.selectors import supervision as supervision_selectors
from indicators.services import supervision as supervision_services

BAD_DATE = gettext_lazy("Give the due date as a date such as 2026-12-31.")


class SupervisionApiView(APIView):
    """The services' refusals as HTTP: Invalid 400 with its field messages, NotAllowed 403."""

    def handle_exception(self, exc):
        if isinstance(exc, supervision_services.Invalid):
            exc = exceptions.ValidationError(exc.errors)
        elif isinstance(exc, supervision_services.NotAllowed):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)


# --- representations -----------------------------------------------------------------------


class ResponseSerializer(serializers.Serializer):
    text = serializers.CharField()
    by = serializers.CharField(source="by.username")
    at = serializers.DateTimeField()
    attachment = serializers.SerializerMethodField()

    def get_attachment(self, step) -> str | None:
        if not step.attachment:
            return None
        item = step.supervision
        return reverse("indicators:supervision-attachment", args=[item.plan.slug, item.pk, step.pk])


class SupervisionSerializer(serializers.Serializer):
    """A `SupervisionRow` (the item with its colour today and its steps prefetched)."""

    id = serializers.IntegerField(source="item.pk")
    indicator = serializers.CharField(source="item.indicator.code", default=None)
    task = serializers.IntegerField(source="item.task_id")
    department = serializers.CharField(source="item.department.name")
    requirement = serializers.CharField(source="item.requirement")
    due = serializers.DateField(source="item.due")
    state = serializers.CharField(source="item.state")
    colour = serializers.CharField()
    opened_by = serializers.CharField(source="item.opened_by.username")
    opened_at = serializers.DateTimeField(source="item.opened_at")
    responses = ResponseSerializer(many=True)
    automatic = serializers.BooleanField(source="item.automatic")
    period = serializers.CharField(source="item.period")
    closed_by = serializers.CharField(source="item.closed_by.username", default=None)
    closed_at = serializers.DateTimeField(source="item.closed_at")


def _shown(plan: Plan, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    """The item as it now stands, read again with what the representation needs."""
    item = supervision_selectors.supervision_get(plan=plan, pk=pk)
    row = supervision_selectors.rows([item], periods.today())[0]
    return Response(SupervisionSerializer(row).data, status=status_code)


# --- input ---------------------------------------------------------------------------------


class ListQuery(serializers.Serializer):
    """The list's filters: only these reach the query, each checked."""

    state = serializers.ChoiceField(
        required=False,
        choices=SupervisionState.values,
        error_messages={
            "invalid_choice": gettext_lazy("The state must be one of: open, responded, closed.")
        },
    )
    colour = serializers.ChoiceField(
        required=False,
        choices=warnings.SUPERVISION_COLOURS,
        error_messages={
            "invalid_choice": gettext_lazy("The colour must be one of: blue, yellow, red.")
        },
    )


class OpenBody(serializers.Serializer):
    """What a reviewer sends to open an item; blank text and a missing date are the services'
    refusals, with their messages."""

    indicator = serializers.CharField(required=False, allow_blank=True, default="")
    task = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        error_messages={"invalid": gettext_lazy("The task must be given by its number (id).")},
    )
    requirement = serializers.CharField(required=False, allow_blank=True, default="")
    due = serializers.DateField(
        required=False, allow_null=True, default=None, error_messages={"invalid": BAD_DATE}
    )

    def validate(self, data: dict) -> dict:
        plan = self.context["plan"]
        if data["indicator"]:
            data["indicator"] = _indicator(plan, data["indicator"])
        if data["task"] is not None:
            data["task"] = _task(plan, data["task"])
        return {**data, "indicator": data["indicator"] or None}


def _indicator(plan: Plan, code: str) -> Indicator:
    found = Indicator.objects.filter(plan=plan, code=code).first()
    if found is None:
        message = gettext_lazy("The plan has no indicator with this code.")
        raise serializers.ValidationError({"indicator": [message]})
    return found


def _task(plan: Plan, pk: int) -> Task:
    found = Task.objects.filter(project__plan=plan, pk=pk).first()
    if found is None:
        raise serializers.ValidationError({"task": [gettext_lazy("The plan has no such task.")]})
    return found


class RespondBody(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False, allow_null=True, default=None)


class CloseBody(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")


class ReopenBody(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    due = serializers.DateField(
        required=False, allow_null=True, default=None, error_messages={"invalid": BAD_DATE}
    )


def _body(serializer_class, request: Request, **context) -> dict:
    body = serializer_class(data=request.data, context=context)
    body.is_valid(raise_exception=True)
    return body.validated_data


# --- views ---------------------------------------------------------------------------------


class SupervisionListApi(SupervisionApiView):
    def get(self, request: Request, slug: str) -> Response:
        plan = access.plan_for(request.user, slug)
        query = ListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = supervision_selectors.plan_supervisions(
            plan=plan, on=periods.today(), with_steps=True, **query.validated_data
        )
        return Response(SupervisionSerializer(found, many=True).data)

    def post(self, request: Request, slug: str) -> Response:
        plan = access.plan_for(request.user, slug)
        supervision_services.require_reviewer(request.user, plan)  # 403 before the body
        data = _body(OpenBody, request, plan=plan)
        item = supervision_services.supervision_open(user=request.user, plan=plan, **data)
        return _shown(plan, item.pk, status.HTTP_201_CREATED)


def _item(request: Request, slug: str, pk: int) -> tuple[Plan, Supervision]:
    plan = access.plan_for(request.user, slug)
    return plan, supervision_selectors.supervision_get(plan=plan, pk=pk)


class SupervisionRespondApi(SupervisionApiView):
    def post(self, request: Request, slug: str, pk: int) -> Response:
        plan, item = _item(request, slug, pk)
        who = access.actor(request.user)
        if who.role == Role.CLERK and not supervision_services.answers(request.user, item):
            raise Http404  # another department's item is not theirs to see as a task
        supervision_services.require_answerer(request.user, item)  # 403 before the body
        data = _body(RespondBody, request)
        supervision_services.supervision_respond(user=request.user, item=item, **data)
        return _shown(plan, pk)


class SupervisionCloseApi(SupervisionApiView):
    def post(self, request: Request, slug: str, pk: int) -> Response:
        plan, item = _item(request, slug, pk)
        supervision_services.require_reviewer(request.user, plan)
        data = _body(CloseBody, request)
        supervision_services.supervision_close(user=request.user, item=item, **data)
        return _shown(plan, pk)


class SupervisionReopenApi(SupervisionApiView):
    def post(self, request: Request, slug: str, pk: int) -> Response:
        plan, item = _item(request, slug, pk)
        supervision_services.require_reviewer(request.user, plan)
        data = _body(ReopenBody, request)
        supervision_services.supervision_reopen(user=request.user, item=item, **data)
        return _shown(plan, pk)
