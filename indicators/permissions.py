"""Who may do what (domain.md §6): one check for pages and one for the API, both by role."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from indicators.selectors import user_role

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
