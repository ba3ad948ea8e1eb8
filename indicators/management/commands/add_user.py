"""python manage.py add_user NAME --role ROLE [--region CODE] [--department NAME] [--password P]

A new user without --password is asked for one twice (not echoed); the password must pass
AUTH_PASSWORD_VALIDATORS (ten characters, not common, not all digits, not like the name).
"""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.models import Department, Region, Role
from indicators.services.errors import ServiceError
from indicators.services.users import user_role_scope, user_set_role


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
        parser.add_argument(
            "--password",
            help="set this password (otherwise a new user is asked for one, and an existing "
            "user's is left unchanged)",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="never prompt: a new user then needs --password",
        )

    def handle(self, *args, **options):
        username = options["username"]
        region = self._region(options["region"])
        department = self._department(options["department"], region)
        try:
            # Refuse a wrong role or scope before asking for a password.
            user_role_scope(role=options["role"], department=department, region=region)
            password = self._password(username, options["password"], options["interactive"])
            user = user_set_role(
                username=username,
                role=options["role"],
                department=department,
                password=password,
                region=region,
            )
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("User %(user)s saved with role %(role)s.")
            % {"user": user.username, "role": options["role"]}
        )

    def _password(self, username: str, given: str | None, interactive: bool) -> str | None:
        """The password to set, checked: the one given, or for a new user one typed twice."""
        user = get_user_model().objects.filter(username=username).first()
        if given is None and user is not None:
            return None  # an existing user keeps their password
        if given is None and not interactive:
            raise CommandError(_("A new user needs a password: give --password."))
        password = given if given is not None else self._ask()
        try:
            validate_password(password, user or get_user_model()(username=username))
        except ValidationError as exc:
            raise CommandError(
                _("Password refused: %(reasons)s") % {"reasons": " ".join(exc.messages)}
            ) from exc
        return password

    def _ask(self) -> str:
        password = getpass.getpass(_("Password for the new user: "))
        if password != getpass.getpass(_("The same password again: ")):
            raise CommandError(_("The two passwords differ; nothing was saved."))
        return password

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
