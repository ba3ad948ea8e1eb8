"""python manage.py remove_demo [--plan SLUG] — delete the demo values seed_demo entered, and
the trial's demo users (seed_demo_users).

Only values the demo clerk entered with the demo source, and that no one else has changed
since, are deleted; real values stay. A demo user whose name a record keeps stays for that
record but can no longer log in. See indicators/services/demo.py.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.services.demo import DEFAULT_PLAN, demo_plan, demo_remove, demo_users_remove
from indicators.services.errors import ServiceError


class Command(BaseCommand):
    help = "Delete a plan's demo values (seed_demo) and the demo users; real values stay."

    def add_arguments(self, parser):
        parser.add_argument("--plan", default=DEFAULT_PLAN, help="the plan's slug")

    def handle(self, *args, **options):
        try:
            plan = demo_plan(slug=options["plan"])
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        report = demo_remove(plan=plan)
        self.stdout.write(
            _("%(plan)s: demo values removed: %(count)d.")
            % {"plan": plan.slug, "count": report.removed}
        )
        if report.supervisions:
            self.stdout.write(
                _("Demo supervision items removed: %(count)d.") % {"count": report.supervisions}
            )
        if report.kept:
            self.stdout.write(
                _(
                    "Values kept because other users entered or changed them, although their "
                    "source still says demo: %(count)d."
                )
                % {"count": report.kept}
            )
        self._remove_users()

    def _remove_users(self):
        users = demo_users_remove()
        if users.deleted:
            self.stdout.write(
                _("Demo users deleted: %(names)s.") % {"names": ", ".join(users.deleted)}
            )
        if users.disabled:
            self.stdout.write(
                _("Demo users kept because records name them, no longer able to log in: %(names)s.")
                % {"names": ", ".join(users.disabled)}
            )
