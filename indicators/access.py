"""Who may see and do what (domain.md §6, §8): the one home that pages, the API, the upload,
exports, attachments and the admin all ask.

A user has a role (a Django group), a scope region (none: the whole platform) and, for a
clerk, a department whose region is their scope. A user sees the plans of their scope region
and of the regions below it, and nothing of a sibling's or a parent's. Every check compares
ids, never names: every county has a 县人社局. What a user may not see answers 404, as if it
did not exist; what they may see but not do answers 403.
"""

import copy
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from indicators.models import (
    Actual,
    ActualState,
    Department,
    Indicator,
    Plan,
    Region,
    Role,
)
from indicators.selectors.plans import indicators_reported_by

NO_ROLE = _("Your account has no role on this platform; ask an administrator.")
REVIEWERS = (Role.REVIEWER, Role.ADMIN)
# Regions nest at most four deep (province › city › county › town): a region and the three
# levels below it are reached through at most three parent links.
DEPTH = 3


@dataclass(frozen=True)
class Actor:
    """What access needs to know of a user, read once per request."""

    role: str | None
    region_id: int | None  # the scope; None: the whole platform
    department_id: int | None  # a clerk's department

    @property
    def everywhere(self) -> bool:
        return self.region_id is None


NOBODY = Actor(None, None, None)


def actor(user) -> Actor:
    """The user's role, scope and department (one query, then cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return NOBODY
    cached = getattr(user, "_lucounty_actor", None)
    if cached is None:
        # One row per group (one row without any), each with the profile's fields, if any.
        rows = list(
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list(
                "groups__name", "profile__id", "profile__region_id", "profile__department_id"
            )
        )
        names = {name for name, *_profile in rows}
        role = next((role for role in Role.values if role in names), None)
        profile = next(((region, dept) for _n, pk, region, dept in rows if pk is not None), None)
        if profile is None and not user.is_superuser:
            # No profile, no scope: a user made outside add_user sees nothing until given one,
            # rather than the whole platform.
            role = None
        cached = Actor(role, *(profile or (None, None)))
        user._lucounty_actor = cached
    return cached


def forget(user) -> None:
    """Drop what is cached on the user after their role or scope changed."""
    user.__dict__.pop("_lucounty_actor", None)
    user.__dict__.pop("_lucounty_regions", None)
    user.__dict__.pop("_lucounty_reported", None)
    user.__dict__.pop("_lucounty_reported", None)


def user_role(user) -> str | None:
    """The user's role (its group name), or None for a user without one."""
    return actor(user).role


def user_department(user) -> Department | None:
    department_id = actor(user).department_id
    return Department.objects.filter(pk=department_id).first() if department_id else None


def within(field: str, region_id: int) -> Q:
    """Rows whose region (reached through `field`, e.g. "region" or "indicator__plan__region";
    "" for regions themselves) is `region_id` or lies below it."""
    links = [field] if field else []
    query = Q()
    for depth in range(DEPTH + 1):
        path = "__".join(links + ["parent"] * depth)
        query |= Q(**{f"{path}_id" if path else "pk": region_id})
    return query


def _scoped(queryset: QuerySet, field: str, user) -> QuerySet:
    who = actor(user)
    if who.role is None:
        return queryset.none()
    return queryset if who.everywhere else queryset.filter(within(field, who.region_id))


# --- What a user may see ------------------------------------------------------------------


def regions_visible_to(user) -> QuerySet[Region]:
    """The user's scope region and every region below it."""
    return _scoped(Region.objects.all(), "", user)


def _region_ids(user) -> frozenset[int]:
    """The ids of the regions in the user's scope (one query, then cached on the user), so
    that checking many values of one request costs no query each."""
    cached = getattr(user, "_lucounty_regions", None)
    if cached is None:
        cached = frozenset(regions_visible_to(user).values_list("pk", flat=True))
        user._lucounty_regions = cached
    return cached


def _in_scope(user, region_id: int | None) -> bool:
    who = actor(user)
    if who.role is None:
        return False
    return who.everywhere or region_id in _region_ids(user)


def plans_visible_to(user) -> QuerySet[Plan]:
    """The plans of the user's scope region and of the regions below it."""
    return _scoped(Plan.objects.all(), "region", user)


def plan_for(user, slug: str) -> Plan:
    """The plan with this slug if the user may see it; 404 otherwise (another region's plan
    does not exist for them)."""
    return get_object_or_404(plans_visible_to(user).select_related("region"), slug=slug)


def departments_visible_to(user) -> QuerySet[Department]:
    return _scoped(Department.objects.select_related("region"), "region", user)


def department_in(region: Region, name: str) -> Department | None:
    """A department by its name, always within a region (names repeat across counties)."""
    return Department.objects.filter(region=region, name=name).first()


IN_FORCE = Q(approved_value__isnull=False) | Q(approved_stage__isnull=False)


def actuals_visible_to(user) -> QuerySet[Actual]:
    """The values a user may see (domain.md §6), within their scope: reviewers and
    administrators every value; a clerk their own department's values and every approved
    figure; leaders and analysts approved figures and submissions (not drafts or returns)."""
    who = actor(user)
    actuals = _scoped(Actual.objects.all(), "indicator__plan__region", user)
    if who.role in REVIEWERS:
        return actuals
    if who.role == Role.CLERK:
        own = indicators_reported_by(who.department_id).values("pk")
        return actuals.filter(IN_FORCE | Q(indicator__in=own))
    if who.role in (Role.LEADER, Role.ANALYST):
        return actuals.filter(IN_FORCE | Q(state=ActualState.SUBMITTED))
    return actuals.none()


def _reported_ids(user) -> frozenset[int]:
    """The ids of the indicators a clerk's department reports (one query, then cached)."""
    cached = getattr(user, "_lucounty_reported", None)
    if cached is None:
        reported = indicators_reported_by(actor(user).department_id).values_list("pk", flat=True)
        cached = frozenset(reported)
        user._lucounty_reported = cached
    return cached


def sees_working_copy(user, actual: Actual) -> bool:
    """Whether the user sees the value's working copy, among the values they may see
    (`actuals_visible_to`): its value, stage, source, note, attachment, state, the reviewer's
    comment and every step of its history.

    Reviewers and administrators do, and the clerks of the reporting department; leaders and
    analysts while it is submitted (the dashboards' switch shows submissions too, marked as
    unverified, domain.md §5). Everyone else sees only the figure in force: its value, source
    and attachment, and the history up to its approval (`shown_to`), never a correction in
    preparation, its note or the reviewer's comment on it.
    """
    who = actor(user)
    if who.role in REVIEWERS:
        return True
    if who.role == Role.CLERK:
        return actual.indicator_id in _reported_ids(user)
    if who.role in (Role.LEADER, Role.ANALYST):
        return actual.state == ActualState.SUBMITTED
    return False


def shown_to(user, actual: Actual) -> Actual:
    """The value as `user` may see it: the value itself for those who see the working copy
    (`sees_working_copy`); for anyone else an unsaved copy whose working fields are the figure
    in force (value or stage, source, attachment, 滞后说明, approved by and at), in the
    approved state, without note or comment. Never save what this returns."""
    if sees_working_copy(user, actual):
        return actual
    shown = copy.copy(actual)
    shown.value, shown.stage_id = actual.approved_value, actual.approved_stage_id
    if actual.approved_stage_id is not None:
        shown.stage = actual.approved_stage
    shown.source, shown.note, shown.review_comment = actual.approved_source, "", ""
    shown.lag_cause, shown.lag_measures, shown.lag_will_meet = (
        actual.approved_lag_cause,
        actual.approved_lag_measures,
        actual.approved_lag_will_meet,
    )
    shown.attachment = actual.approved_attachment.name
    shown.state = ActualState.APPROVED
    shown.updated_by_id, shown.updated_at = actual.approved_by_id, actual.approved_at
    if actual.approved_by_id is not None:
        shown.updated_by = actual.approved_by
    return shown


# --- What a user may do -------------------------------------------------------------------


def may_see_plan(user, plan: Plan) -> bool:
    return _in_scope(user, plan.region_id)


def reports(user, indicator: Indicator) -> bool:
    """Whether the user enters this indicator's values: a clerk of a reporting department, or
    an administrator whose scope holds the plan."""
    who = actor(user)
    if who.role == Role.ADMIN:
        return may_see_plan(user, indicator.plan)
    # The department's ids, read once per request and kept for `sees_working_copy`.
    return who.role == Role.CLERK and indicator.pk in _reported_ids(user)


def reviews(user, plan: Plan) -> bool:
    """Whether the user approves and returns this plan's values: a reviewer or an
    administrator whose scope holds the plan."""
    return actor(user).role in REVIEWERS and may_see_plan(user, plan)


def administers(user, region_id: int | None) -> bool:
    """Whether the user administers this region: a platform administrator everything, a
    regional one their region and the regions below it."""
    return actor(user).role == Role.ADMIN and _in_scope(user, region_id)


# --- The checks pages and the API ask -----------------------------------------------------


class HasRole(BasePermission):
    """Any of the platform's roles (or only `roles`, when a view sets them)."""

    message = NO_ROLE

    def has_permission(self, request, view) -> bool:
        allowed = getattr(view, "roles", None)
        role = user_role(request.user)
        return role is not None and (allowed is None or role in allowed)


def role_required(*roles: str):
    """Page decorator: log in first; then 403 unless the user has one of `roles` (any role
    when none are named)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            role = user_role(request.user)
            if role is None or (roles and role not in roles):
                # No message for a role without the page: the 403 page then says so in general.
                raise PermissionDenied(NO_ROLE) if role is None else PermissionDenied()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
