"""Write API for reported values: enter, list, change, submit, approve, return, history.

Every write goes through `indicators.services.actuals`, so the API refuses exactly what the
pages and the upload refuse; this module only parses input, maps the services' errors to HTTP and
presents the result. Who may *see* a value is `access.actuals_visible_to` (a value the user
may not see is 404); who may *act* is the services' rule (403), checked by role before the
body is read so that a wrong role gets 403 whatever it sends.

A value carries its 滞后说明 (domain.md §11) as `explanation`: `{cause, measures, will_meet}`
with `will_meet` one of `yes`, `at_risk`, `no` (null when not chosen), or null when it has
none. Writes take the same object (a key left out is empty); leaving `explanation` out keeps
the stored one, and null clears it. A submission that turns the indicator's light yellow or
red without a complete one is refused (400): `{"explanation": {"non_field_errors": [...],
"cause": [...], ...}}`, naming what is missing.

Filters of the list: `plan` (slug), `year` (every value of that year), or a period: `year`
and one of `month`, `quarter`, `half` (`quarter=0`: the whole-year figures), read by the one
parser `periods.parse_period`; `department` (name of the reporting department), `state`.
"""

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators import access
from indicators.api.serializers import PeriodFields, PlainDecimalField
from indicators.domain import numbers, periods, validation, warnings
from indicators.domain.formatting import plain
from indicators.models import Actual, ActualState, Department, Indicator, Plan, Role
from indicators.selectors import history as history_selectors
from indicators.selectors import plans as plan_selectors
from indicators.services import actuals as actual_services

REPORTERS = (Role.CLERK, Role.ADMIN)
REVIEWERS = (Role.REVIEWER, Role.ADMIN)
PERIOD_PARAMS = ("month", "quarter", "half")


# --- errors -------------------------------------------------------------------------------


class VersionConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Someone changed this value after you opened it.")
    default_code = "conflict"


def api_error(exc: Exception) -> Exception:
    """The one mapping of the services' refusals to HTTP: Invalid 400 (with its field messages),
    NotAllowed 403, Conflict 409 (its message names who changed the value and when)."""
    if isinstance(exc, actual_services.Invalid):
        return exceptions.ValidationError(_nested_explanation(exc.errors))
    if isinstance(exc, actual_services.NotAllowed):
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, actual_services.Conflict):
        return VersionConflict(str(exc))
    return exc


# The services' fields of a 滞后说明, and where the API puts their messages.
EXPLANATION_KEYS = {
    "explanation": "non_field_errors",
    "lag_cause": "cause",
    "lag_measures": "measures",
    "lag_will_meet": "will_meet",
}


def _nested_explanation(errors: dict) -> dict:
    """The services' messages with those of the 滞后说明 under `explanation`, as the body
    sends it."""
    nested = {k: v for k, v in errors.items() if k not in EXPLANATION_KEYS}
    explained = {EXPLANATION_KEYS[k]: v for k, v in errors.items() if k in EXPLANATION_KEYS}
    if explained:
        nested["explanation"] = explained
    return nested


class ActingRole(BasePermission):
    """The roles a view's write needs (`acting_roles`, with the refusal in `refusal`); reads
    and views without them pass. The department is the services' check, after this one."""

    def has_permission(self, request, view) -> bool:
        roles = getattr(view, "acting_roles", {}).get(request.method)
        if roles is None or access.user_role(request.user) in roles:
            return True
        self.message = view.refusal
        return False


class ActualApiView(APIView):
    """Base of this module's views: the default permissions, the acting role, and the
    services' errors turned into responses."""

    acting_roles: dict[str, tuple[str, ...]] = {}
    # The services' own words, so a refusal reads the same whichever check makes it.
    refusal = gettext_lazy("Only a data clerk of the reporting department may enter this value.")

    def get_permissions(self):
        return [*super().get_permissions(), ActingRole()]

    def handle_exception(self, exc):
        return super().handle_exception(api_error(exc))


# --- reads (this module's selectors) ------------------------------------------------------


def with_related(actuals: QuerySet[Actual]) -> QuerySet[Actual]:
    """Everything a representation shows, in the same query as the values."""
    return actuals.select_related(
        "indicator__plan", "stage", "approved_stage", "created_by", "updated_by", "approved_by"
    )


def plan_named(user, slug: str) -> Plan | None:
    """A plan the user may see; another region's plan is unknown to them."""
    return access.plans_visible_to(user).filter(slug=slug).first()


def indicator_coded(plan: Plan, code: str) -> Indicator | None:
    return Indicator.objects.filter(plan=plan, code=code).first()


def department_named(user, name: str, plan: Plan | None) -> list[Department]:
    """The departments of this name the user may see, in the plan's region when one is named
    (names repeat across counties)."""
    departments = access.departments_visible_to(user).filter(name=name)
    return list(departments.filter(region=plan.region) if plan else departments)


def actual_for(user, pk: int) -> Actual:
    """A value the user may see, or 404."""
    return get_object_or_404(with_related(access.actuals_visible_to(user)), pk=pk)


def actual_to_act_on(user, pk: int) -> Actual:
    """A value to write to, among those the user may see (404 otherwise); whether they may
    change it is the services' call."""
    return get_object_or_404(with_related(access.actuals_visible_to(user)), pk=pk)


def actual_list(user, filters: dict) -> QuerySet[Actual]:
    """The values the user may see, filtered, in plan order, then year and quarter (the
    whole year after its fourth quarter)."""
    actuals = with_related(access.actuals_visible_to(user))
    if "plan" in filters:
        actuals = actuals.filter(indicator__plan=filters["plan"])
    if "period" in filters:
        period = filters["period"]
        actuals = actuals.filter(year=period.year, **period.fields)
    elif "year" in filters:
        actuals = actuals.filter(year=filters["year"])
    if "department" in filters:
        reported = plan_selectors.indicators_reported_by(filters["department"]).values("pk")
        actuals = actuals.filter(indicator__in=reported)
    if "state" in filters:
        actuals = actuals.filter(state=filters["state"])
    return actuals.order_by(
        "indicator__plan__slug",
        "indicator__order",
        "year",
        F("month").asc(nulls_last=True),
        F("quarter").asc(nulls_last=True),
        F("half").asc(nulls_last=True),
    )


# --- serializers ---------------------------------------------------------------------------


class ActualSerializer(serializers.Serializer):
    """A value: its working copy, its state and version, and the figure in force; to a user
    who sees only figures in force (`access.shown_to`, the user in the context), the figure in
    force in place of the working copy."""

    id = serializers.IntegerField()
    plan = serializers.CharField(source="indicator.plan.slug")
    indicator = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.printed_name")
    unit = serializers.CharField(source="indicator.unit")
    kind = serializers.CharField(source="indicator.kind")
    year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True)
    quarter = serializers.IntegerField(allow_null=True)
    half = serializers.IntegerField(allow_null=True)
    period = serializers.SerializerMethodField()
    value = PlainDecimalField()
    stage = serializers.CharField(source="stage.label", default=None)
    source = serializers.CharField()
    note = serializers.CharField()
    attachment = serializers.SerializerMethodField()
    attachment_in_force = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    version = serializers.IntegerField()
    review_comment = serializers.CharField()
    approved_value = PlainDecimalField()
    approved_stage = serializers.CharField(source="approved_stage.label", default=None)
    approved_source = serializers.CharField()
    approved_by = serializers.CharField(source="approved_by.username", default=None)
    approved_at = serializers.DateTimeField()
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    updated_by = serializers.CharField(source="updated_by.username")
    updated_at = serializers.DateTimeField()
    first_submitted_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField()
    explanation = serializers.SerializerMethodField()

    def to_representation(self, actual):
        return super().to_representation(access.shown_to(self.context["user"], actual))

    def get_period(self, actual) -> str:
        return actual.period.label()

    def get_explanation(self, actual) -> dict | None:
        """The 滞后说明 the user sees (the working copy's, or the one in force), or None."""
        if not (actual.lag_cause or actual.lag_measures or actual.lag_will_meet):
            return None
        return {
            "cause": actual.lag_cause,
            "measures": actual.lag_measures,
            "will_meet": actual.lag_will_meet or None,
        }

    def get_attachment(self, actual) -> str | None:
        # The page route serves it, with the same visibility rule.
        return reverse("indicators:attachment", args=[actual.pk]) if actual.attachment else None

    def get_attachment_in_force(self, actual) -> str | None:
        if not actual.approved_attachment:
            return None
        return reverse("indicators:attachment", args=[actual.pk]) + "?copy=in-force"


class BoundedText(serializers.CharField):
    """A text of at most `limit` characters, refused with the services' message naming it."""

    def __init__(self, field: str, limit: int, **kwargs):
        super().__init__(max_length=limit, **kwargs)
        self.what = field

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and len(data.strip()) > self.max_length:
            raise serializers.ValidationError(validation.too_long(self.what, self.max_length))
        return super().run_validation(data)


class NumberField(serializers.Field):
    """Any number: a JSON number, or text read by the one reader of a typed number
    (`domain.numbers.read_number`), so "6,9", "1_000" or "+3" are refused as on the pages;
    its range and places are the one validation's business."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_internal_value(self, data):
        try:
            return numbers.read_number(data)
        except numbers.NumberError as error:
            raise serializers.ValidationError(error.message) from error

    def to_representation(self, value):
        return plain(value)


class ExplanationFields(serializers.Serializer):
    """A 滞后说明 as sent: texts within their bound; whether `will_meet` is one of yes, at_risk,
    no and whether the whole is needed are the services' call."""

    cause = BoundedText(
        "lag_cause", validation.MAX_EXPLANATION, required=False, allow_blank=True, default=""
    )
    measures = BoundedText(
        "lag_measures", validation.MAX_EXPLANATION, required=False, allow_blank=True, default=""
    )
    will_meet = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="")

    def to_internal_value(self, data) -> warnings.Explanation:
        fields = super().to_internal_value(data)
        return warnings.Explanation(fields["cause"], fields["measures"], fields["will_meet"] or "")


def explanation_sent(data: dict) -> warnings.Explanation | None:
    """The 滞后说明 of a body: None when left out (the stored one stays), empty when null."""
    if "explanation" not in data:
        return None
    return data["explanation"] or warnings.NO_EXPLANATION


class EntryFields(serializers.Serializer):
    """What a clerk enters. Missing source or value are left to the services, so the API
    gives the same messages as the pages."""

    value = NumberField(required=False)
    stage = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True, max_length=300)
    note = BoundedText("note", validation.MAX_NOTE, required=False, allow_blank=True)
    explanation = ExplanationFields(required=False, allow_null=True)
    submit = serializers.BooleanField(required=False, default=False)


class CreateSerializer(EntryFields, PeriodFields):
    plan = serializers.SlugField()
    indicator = serializers.SlugField()

    def validate(self, data: dict) -> dict:
        data = super().validate(data)
        plan = plan_named(self.context["user"], data["plan"])
        if plan is None:
            raise serializers.ValidationError(
                {"plan": [_("Unknown plan “%(plan)s”.") % {"plan": data["plan"]}]}
            )
        data["indicator"] = indicator_coded(plan, data["indicator"])
        if data["indicator"] is None:
            raise serializers.ValidationError(
                {"indicator": [_("The plan has no indicator with this code.")]}
            )
        return data

    def entry(self) -> actual_services.Entry:
        data = self.validated_data
        return actual_services.Entry.of(
            data["period"],
            value=data.get("value"),
            stage=data.get("stage") or None,
            source=data.get("source", ""),
            note=data.get("note", ""),
            explanation=explanation_sent(data),
        )


class ChangeSerializer(EntryFields):
    version = serializers.IntegerField(min_value=0)
    reason = BoundedText(
        "reason", validation.MAX_REASON, required=False, allow_blank=True, default=""
    )

    def entry(self, actual: Actual) -> actual_services.Entry:
        """The change merged into the current working copy: fields not sent keep their values."""
        data = self.validated_data
        current_stage = actual.stage.label if actual.stage else None
        return actual_services.Entry.of(
            actual.period,
            value=data.get("value", actual.value),
            stage=data.get("stage", current_stage) or None,
            source=data.get("source", actual.source),
            note=data.get("note", actual.note),
            explanation=explanation_sent(data),
        )


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class SubmitSerializer(VersionSerializer):
    explanation = ExplanationFields(required=False, allow_null=True)


class ReturnSerializer(VersionSerializer):
    # Blank is the services' refusal, with their message.
    comment = BoundedText(
        "comment", validation.MAX_COMMENT, required=False, allow_blank=True, default=""
    )


def _message(text):
    """The same message for a filter's every kind of bad value."""
    return {key: text for key in ("invalid", "min_value", "max_value", "max_string_length")}


class ListQuerySerializer(serializers.Serializer):
    """The list's filters: only these reach the query, each checked."""

    plan = serializers.SlugField(required=False)
    year = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=9999,
        error_messages=_message(gettext_lazy("The year must be a number such as 2026.")),
    )
    month = serializers.CharField(required=False)
    quarter = serializers.CharField(required=False)
    half = serializers.CharField(required=False)
    department = serializers.CharField(required=False)
    state = serializers.ChoiceField(
        required=False,
        choices=ActualState.values,
        error_messages={
            "invalid_choice": gettext_lazy(
                "The state must be one of: draft, submitted, approved, returned."
            )
        },
    )

    def validate_plan(self, slug: str) -> Plan:
        plan = plan_named(self.context["user"], slug)
        if plan is None:
            raise serializers.ValidationError(_("Unknown plan “%(plan)s”.") % {"plan": slug})
        return plan

    def validate(self, data: dict) -> dict:
        """A period when one of month, quarter, half is given (the one parser's messages);
        the department is looked up within the plan's region (or the user's regions)."""
        if any(name in data for name in PERIOD_PARAMS):
            try:
                data["period"] = periods.parse_period(data)
            except periods.PeriodError as exc:
                raise serializers.ValidationError({exc.field: [exc.message]}) from exc
        if "department" in data:
            data["department"] = self._department(data["department"], data.get("plan"))
        return data

    def _department(self, name: str, plan: Plan | None) -> Department:
        found = department_named(self.context["user"], name, plan)
        if len(found) == 1:
            return found[0]
        message = (
            _("Several regions have a department “%(name)s”: name the plan too.")
            if found
            else _("No department is called “%(name)s”.")
        )
        raise serializers.ValidationError({"department": [message % {"name": name}]})


class HistoryStepSerializer(serializers.Serializer):
    ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

    def to_representation(self, step) -> dict:
        return {
            "when": serializers.DateTimeField().to_representation(step.when),
            "who": step.who,
            "action": self.ACTIONS[step.kind],
            "reason": step.reason,
            "state": step.state,
            "state_label": str(ActualState(step.state).label),
            "version": step.version,
            "changes": [
                {"field": field, "label": label, "old": old, "new": new}
                for field, label, old, new in step.changes
            ],
        }


# --- views ---------------------------------------------------------------------------------


class ActualPagination(PageNumberPagination):
    page_size = 50


def _shown(user, actual: Actual, status_code: int = status.HTTP_200_OK) -> Response:
    """The value as it now stands (reloaded with what the representation needs)."""
    actual = with_related(Actual.objects.all()).get(pk=actual.pk)
    return Response(ActualSerializer(actual, context={"user": user}).data, status=status_code)


class ActualListApi(ActualApiView):
    """GET: the values the user may see, filtered and paginated. POST: enter a new value."""

    acting_roles = {"POST": REPORTERS}

    def get(self, request: Request) -> Response:
        query = ListQuerySerializer(data=request.query_params, context={"user": request.user})
        query.is_valid(raise_exception=True)
        actuals = actual_list(request.user, query.validated_data)
        paginator = ActualPagination()
        page = paginator.paginate_queryset(actuals, request, view=self)
        shown = ActualSerializer(page, many=True, context={"user": request.user})
        return paginator.get_paginated_response(shown.data)

    def post(self, request: Request) -> Response:
        body = CreateSerializer(data=request.data, context={"user": request.user})
        body.is_valid(raise_exception=True)
        actual = actual_services.actual_create(
            user=request.user,
            indicator=body.validated_data["indicator"],
            entry=body.entry(),
            submit=body.validated_data["submit"],
        )
        return _shown(request.user, actual, status.HTTP_201_CREATED)


class ActualDetailApi(ActualApiView):
    """GET: one value the user may see. PATCH: change its working copy (version required)."""

    acting_roles = {"PATCH": REPORTERS}

    def get(self, request: Request, pk: int) -> Response:
        actual = actual_for(request.user, pk)
        return Response(ActualSerializer(actual, context={"user": request.user}).data)

    def patch(self, request: Request, pk: int) -> Response:
        actual = actual_to_act_on(request.user, pk)
        body = ChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actual = actual_services.actual_update(
            user=request.user,
            actual=actual,
            entry=body.entry(actual),
            version=body.validated_data["version"],
            reason=body.validated_data["reason"],
            submit=body.validated_data["submit"],
        )
        return _shown(request.user, actual)


class ActualSubmitApi(ActualApiView):
    acting_roles = {"POST": REPORTERS}

    def post(self, request: Request, pk: int) -> Response:
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actual = actual_services.actual_submit(
            user=request.user,
            actual=actual_to_act_on(request.user, pk),
            version=body.validated_data.get("version"),
            explanation=explanation_sent(body.validated_data),
        )
        return _shown(request.user, actual)


class ActualApproveApi(ActualApiView):
    acting_roles = {"POST": REVIEWERS}
    refusal = gettext_lazy("Only a reviewer may approve or return values.")

    def post(self, request: Request, pk: int) -> Response:
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actual = actual_services.actual_approve(
            user=request.user,
            actual=actual_to_act_on(request.user, pk),
            version=body.validated_data.get("version"),
        )
        return _shown(request.user, actual)


class ActualReturnApi(ActualApiView):
    acting_roles = {"POST": REVIEWERS}
    refusal = gettext_lazy("Only a reviewer may approve or return values.")

    def post(self, request: Request, pk: int) -> Response:
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actual = actual_services.actual_return(
            user=request.user,
            actual=actual_to_act_on(request.user, pk),
            comment=body.validated_data["comment"],
            version=body.validated_data.get("version"),
        )
        return _shown(request.user, actual)


class ActualHistoryApi(ActualApiView):
    """Every step of a value the user may see, oldest first: who, when, old → new, why (up
    to its approval for a user who sees only figures in force)."""

    def get(self, request: Request, pk: int) -> Response:
        steps = history_selectors.history_seen_by(request.user, actual_for(request.user, pk))
        return Response(HistoryStepSerializer(steps, many=True).data)
