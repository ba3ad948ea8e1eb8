"""Writes of users: their role and department."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import (
    Department,
    Profile,
    Role,
)
from indicators.services.errors import ServiceError


@transaction.atomic
def user_set_role(*, username: str, role: str, department: Department | None, password: str | None):
    """Create or update a user with exactly one role (a group) and, for clerks, a department."""
    if role not in Role.values:
        raise ServiceError(
            _("Unknown role “%(role)s”; choose one of: %(roles)s")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    if role == Role.CLERK and department is None:
        raise ServiceError(_("A data clerk must belong to a department (--department)."))
    user, _created = get_user_model().objects.get_or_create(username=username)
    if password:
        user.set_password(password)
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    Profile.objects.update_or_create(user=user, defaults={"department": department})
    return user
