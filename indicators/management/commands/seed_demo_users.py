"""python manage.py seed_demo_users — one demo user per role, scoped to 陆河县, passwords printed.

For a local trial only: the passwords are fixed so that the README can name them. A user of that
name who already belongs to another region is left alone (never moved), and said so.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.models import Profile, Region, Role
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
DEMO_PASSWORD = "lucounty-demo"


class Command(BaseCommand):
    help = "Create or reset the demo users of 陆河县 (one per role) with the demo password."

    def handle(self, *args, **options):
        region = Region.objects.filter(code=DEMO_REGION).first()
        if region is None:
            raise CommandError(_("Region %(code)s is not loaded.") % {"code": DEMO_REGION})
        for username, role, department_name in DEMO_USERS:
            if _elsewhere(username, region):
                self.stdout.write(
                    _("  %(user)s belongs to another region: left unchanged.") % {"user": username}
                )
                continue
            department = region.departments.filter(name=department_name).first()
            # The demo administrator is the county's, not the platform's.
            user_set_role(
                username=username,
                role=role,
                department=department,
                password=DEMO_PASSWORD,
                region=region,
            )
            where = f" · {department_name}" if department_name else ""
            self.stdout.write(f"  {username:<10} {DEMO_PASSWORD}   {Role(role).label}{where}")
        self.stdout.write(_("Demo users are ready (user name, password, role)."))


def _elsewhere(username: str, region: Region) -> bool:
    """Whether a user of this name exists with another scope (another region, or the whole
    platform): the demo never moves a real user."""
    profile = Profile.objects.filter(user__username=username).first()
    return profile is not None and profile.region_id != region.pk
