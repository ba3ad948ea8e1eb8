"""python manage.py seed_demo_users [--password P] — one demo user per role, scoped to 陆河县.

For a local trial only (scripts/serve.sh; scripts/start.sh never runs it). Each run gives every
demo user a new random password, printed once; `--password` sets one for all (tests). The users
belong to the group `demo`, so remove_demo deletes them. A user of that name who is not a demo
user (a real one, of this region or another) is left alone, and said so.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.models import Profile, Region, Role
from indicators.services.demo import DEMO_GROUP, demo_user_mark
from indicators.services.users import user_set_role

DEMO_REGION = "441523"  # 陆河县
DEMO_USERS = [
    ("clerk", Role.CLERK, "县科工局"),
    ("clerk_rsj", Role.CLERK, "县人社局"),
    ("reviewer", Role.REVIEWER, None),
    ("leader", Role.LEADER, None),
    ("analyst", Role.ANALYST, None),
    ("admin", Role.ADMIN, None),
]


def new_password() -> str:
    """12 random URL-safe characters: typed by hand during a trial, never stored in the repo."""
    return secrets.token_urlsafe(9)


class Command(BaseCommand):
    help = "Create or reset the demo users of 陆河县 (one per role) with new random passwords."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="one password for every demo user (tests)")

    def handle(self, *args, **options):
        region = Region.objects.filter(code=DEMO_REGION).first()
        if region is None:
            raise CommandError(_("Region %(code)s is not loaded.") % {"code": DEMO_REGION})
        for username, role, department_name in DEMO_USERS:
            refusal = _not_for_demo(username, region)
            if refusal:
                self.stdout.write(refusal % {"user": username})
                continue
            password = options["password"] or new_password()
            department = region.departments.filter(name=department_name).first()
            # The demo administrator is the county's, not the platform's.
            user = user_set_role(
                username=username,
                role=role,
                department=department,
                password=password,
                region=region,
            )
            demo_user_mark(user)
            where = f" · {department_name}" if department_name else ""
            self.stdout.write(f"  {username:<10} {password}   {Role(role).label}{where}")
        self.stdout.write(_("Demo users are ready (user name, password, role)."))
        self.stdout.write(_("The passwords were made up just now and are shown only once."))


def _not_for_demo(username: str, region: Region) -> str | None:
    """Why an existing user of this name must be left alone, if it must: it has another scope
    (another region, or the whole platform), or it is a real user of 陆河县 (not in the demo
    group). The demo never moves, resets or marks a real user."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and profile.region_id != region.pk:
        return _("  %(user)s belongs to another region: left unchanged.")
    if not user.groups.filter(name=DEMO_GROUP).exists():
        return _("  %(user)s exists and is not a demo user: left unchanged.")
    return None
