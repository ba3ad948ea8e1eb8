"""python manage.py seed_demo_users — one demo user per role, passwords printed.

For a local trial only: the passwords are fixed so that the README can name them.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from indicators.models import Department, Role
from indicators.services.users import user_set_role

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
    help = "Create or reset the demo users (one per role) with the demo password."

    def handle(self, *args, **options):
        for username, role, department_name in DEMO_USERS:
            department = (
                Department.objects.filter(name=department_name).first() if department_name else None
            )
            user_set_role(
                username=username, role=role, department=department, password=DEMO_PASSWORD
            )
            where = f" · {department_name}" if department_name else ""
            self.stdout.write(f"  {username:<10} {DEMO_PASSWORD}   {Role(role).label}{where}")
        self.stdout.write(_("Demo users are ready (user name, password, role)."))
