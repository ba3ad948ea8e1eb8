"""python manage.py add_user USERNAME --role ROLE [--department NAME] [--password P]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.models import Department, Role
from indicators.services.errors import ServiceError
from indicators.services.users import user_set_role


class Command(BaseCommand):
    help = "Create or update a user with one role; a data clerk needs a department."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument(
            "--department", help="the department's name, exactly as the plan writes it"
        )
        parser.add_argument("--password", help="set this password (otherwise it is left unchanged)")

    def handle(self, *args, **options):
        department = None
        if options["department"]:
            department = Department.objects.filter(name=options["department"]).first()
            if department is None:
                raise CommandError(
                    _(
                        "Unknown department “%(name)s”. Load the plan first, "
                        "and write the name exactly as the plan does."
                    )
                    % {"name": options["department"]}
                )
        try:
            user = user_set_role(
                username=options["username"],
                role=options["role"],
                department=department,
                password=options["password"],
            )
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("User %(user)s saved with role %(role)s.")
            % {"user": user.username, "role": options["role"]}
        )
