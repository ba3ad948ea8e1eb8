"""Writes of users: their role, scope region and department (domain.md §6, §8)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from indicators import access
from indicators.models import Department, Profile, Region, Role
from indicators.services.errors import ServiceError


def _scope(role: str, department: Department | None, region: Region | None) -> Region | None:
    """A clerk's scope is their department's region; anyone else's is the region given (none:
    the whole platform)."""
    if role != Role.CLERK:
        return region
    if department is None:
        raise ServiceError(_("A data clerk must belong to a department (--department)."))
    if region is not None and region.pk != department.region_id:
        raise ServiceError(
            _("The department %(department)s belongs to %(region)s, not %(other)s.")
            % {"department": department.name, "region": department.region, "other": region}
        )
    return department.region


def user_role_scope(*, role: str, department: Department | None, region: Region | None):
    """The scope region a user of this role would get; ServiceError if the role is unknown or
    does not fit the department and region (add_user asks before prompting for a password)."""
    if role not in Role.values:
        raise ServiceError(
            _("Unknown role “%(role)s”; choose one of: %(roles)s")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    return _scope(role, department, region)


def _admin_group(role: str) -> Group:
    """The role's group; a regional administrator uses the admin site through the group's
    permissions on this app (a platform administrator is a superuser)."""
    group = Group.objects.get_or_create(name=role)[0]
    if role == Role.ADMIN:  # set each time, so that models added since are granted too
        group.permissions.set(Permission.objects.filter(content_type__app_label="indicators"))
    return group


@transaction.atomic
def user_set_role(
    *,
    username: str,
    role: str,
    department: Department | None,
    password: str | None,
    region: Region | None = None,
):
    """Create or update a user with exactly one role (a group), a scope region and, for
    clerks, a department. An administrator with no region administers the whole platform.

    The password is not checked against AUTH_PASSWORD_VALIDATORS here: add_user checks what a
    person types, while the tests and the demo set short fixed passwords through this."""
    scope = user_role_scope(role=role, department=department, region=region)
    user, _created = get_user_model().objects.get_or_create(username=username)
    if password:
        user.set_password(password)
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN and scope is None
    user.save()
    user.groups.set([_admin_group(role)])
    Profile.objects.update_or_create(
        user=user,
        defaults={"department": department if role == Role.CLERK else None, "region": scope},
    )
    access.forget(user)
    return user
