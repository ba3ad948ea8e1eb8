"""python manage.py add_user NAME --role ROLE [--region CODE] [--department NAME] [--password P]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.models import Department, Region, Role
from indicators.services.errors import ServiceError
from indicators.services.users import user_set_role


class Command(BaseCommand):
    help = (
        "Create or update a user with one role and a scope region (none: the whole platform); "
        "a data clerk needs a department, looked up in --region."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--region", help="the scope region's code (e.g. 441523)")
        parser.add_argument(
            "--department", help="the department's name, exactly as the plan writes it"
        )
        parser.add_argument("--password", help="set this password (otherwise it is left unchanged)")

    def handle(self, *args, **options):
        region = self._region(options["region"])
        department = self._department(options["department"], region)
        try:
            user = user_set_role(
                username=options["username"],
                role=options["role"],
                department=department,
                password=options["password"],
                region=region,
            )
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("User %(user)s saved with role %(role)s.")
            % {"user": user.username, "role": options["role"]}
        )

    def _region(self, code: str | None) -> Region | None:
        if not code:
            return None
        region = Region.objects.filter(code=code.strip()).first()
        if region is None:
            raise CommandError(
                _("Unknown region %(code)s: add it first with add_region.") % {"code": code}
            )
        return region

    def _department(self, name: str | None, region: Region | None) -> Department | None:
        """The department of this name in `region`; without a region, the name must be
        unique across regions (every county has a 县人社局)."""
        if not name:
            return None
        found = Department.objects.filter(name=name).select_related("region")
        if region is not None:
            found = found.filter(region=region)
        found = list(found)
        if not found:
            raise CommandError(
                _(
                    "Unknown department “%(name)s”. Load the plan first, "
                    "and write the name exactly as the plan does."
                )
                % {"name": name}
            )
        if len(found) > 1:
            raise CommandError(
                _(
                    "Several regions have a department “%(name)s”: %(regions)s. "
                    "Name one with --region."
                )
                % {"name": name, "regions": "、".join(str(d.region) for d in found)}
            )
        return found[0]
