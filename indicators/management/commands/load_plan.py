"""python manage.py load_plan FILE — create or update a plan from its workbook (.xlsx) or YAML
file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.planfile import PlanFileError, read_plan_file
from indicators.services.errors import ServiceError
from indicators.services.plans import plan_load


class Command(BaseCommand):
    help = (
        "Create or update a plan from a plan workbook (.xlsx) or file (.yaml); "
        "a second load changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="path to the plan file, e.g. fixtures/luhe-garment-2025-2030.yaml"
        )

    def handle(self, *args, **options):
        try:
            data = read_plan_file(options["file"])
            plan, report = plan_load(data=data)
        except PlanFileError as exc:
            raise CommandError(
                _("The plan file has problems:") + "\n" + "\n".join(exc.problems)
            ) from exc
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(plan)s: %(created)d created, %(updated)d updated, %(deleted)d deleted.")
            % {
                "plan": plan.slug,
                "created": report.created,
                "updated": report.updated,
                "deleted": report.deleted,
            }
        )
        if data.derived_codes:
            self.stdout.write(
                _(
                    "These indicators had no code; codes were made up from their row position "
                    "(give them codes in the file if rows may move): %(codes)s"
                )
                % {"codes": "、".join(data.derived_codes)}
            )
