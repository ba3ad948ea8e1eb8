"""python manage.py seed_demo [--plan SLUG] — approved demo values for 2025 and 2026 Q1–Q3.

The values are marked as demo in their source and can be removed with remove_demo; the
table and the statuses it produces are described in indicators/services/demo.py.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.services.demo import DEFAULT_PLAN, demo_plan, demo_seed
from indicators.services.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Enter and approve the demo values of a plan (marked as demo in their source); "
        "a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", default=DEFAULT_PLAN, help="the plan's slug")

    def handle(self, *args, **options):
        try:
            plan = demo_plan(slug=options["plan"])
            report = demo_seed(plan=plan)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "%(plan)s: demo values entered and approved: %(entered)d; "
                "already there: %(present)d."
            )
            % {"plan": plan.slug, "entered": report.entered, "present": report.present}
        )
        if report.supervised:
            self.stdout.write(
                _("Demo supervision items opened: %(count)d.") % {"count": report.supervised}
            )
        if report.not_ended:
            self.stdout.write(
                _("Demo values skipped because their period has not ended yet: %(count)d.")
                % {"count": report.not_ended}
            )
        if report.unknown:
            self.stdout.write(
                _("Skipped demo values of indicators the plan does not have: %(codes)s.")
                % {"codes": ", ".join(report.unknown)}
            )
