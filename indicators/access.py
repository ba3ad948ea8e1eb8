"""Who may see and do what (domain.md §6): the user's role and department, the values they
may see, and the checks that pages and the API ask."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from indicators.models import (
    Actual,
    ActualState,
    Department,
    Profile,
    Role,
)
from indicators.selectors.plans import indicators_reported_by

NO_ROLE = _("Your account has no role on this platform; ask an administrator.")


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
                raise PermissionDenied(NO_ROLE if role is None else None)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def user_role(user) -> str | None:
    """The user's role (its group name), or None for a user without one."""
    if not user.is_authenticated:
        return None
    names = {group.name for group in user.groups.all()}
    return next((role for role in Role.values if role in names), None)


def user_department(user) -> Department | None:
    profile = Profile.objects.filter(user=user).select_related("department").first()
    return profile.department if profile else None


IN_FORCE = Q(approved_value__isnull=False) | Q(approved_stage__isnull=False)


def actuals_visible_to(user) -> QuerySet[Actual]:
    """The values a user may see (domain.md §6): reviewers and administrators everything;
    a clerk their own department's values and every approved figure; leaders and analysts
    approved figures and submissions (not drafts or returned values)."""
    role = user_role(user)
    actuals = Actual.objects.all()
    if role in (Role.REVIEWER, Role.ADMIN):
        return actuals
    if role == Role.CLERK:
        own = indicators_reported_by(user_department(user)).values("pk")
        return actuals.filter(IN_FORCE | Q(indicator__in=own))
    if role in (Role.LEADER, Role.ANALYST):
        return actuals.filter(IN_FORCE | Q(state=ActualState.SUBMITTED))
    return actuals.none()
