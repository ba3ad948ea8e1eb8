"""python manage.py add_region CODE NAME --level LEVEL [--parent CODE]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.domain import regions
from indicators.services.errors import ServiceError
from indicators.services.regions import RegionData, region_save


class Command(BaseCommand):
    help = "Create or update one region (GB/T 2260 code); its parent must exist already."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("name")
        parser.add_argument("--level", required=True, choices=regions.LEVELS)
        parser.add_argument("--parent", help="the parent region's code")

    def handle(self, *args, **options):
        data = RegionData(options["code"], options["name"], options["level"], options["parent"])
        try:
            region, changed = region_save(data=data)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        message = _("Region %(region)s saved.") if changed else _("Region %(region)s unchanged.")
        self.stdout.write(message % {"region": region})
