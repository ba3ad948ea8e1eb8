"""python manage.py load_regions FILE.csv — a list of regions (代码, 名称, 级别, 上级代码)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.services.errors import ServiceError
from indicators.services.regions import read_region_list, regions_load


class Command(BaseCommand):
    help = "Create or update the regions of a CSV list (parents first); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            saved, changed = regions_load(items=read_region_list(options["path"]))
        except (ServiceError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(saved)d regions read, %(changed)d added or changed.")
            % {"saved": saved, "changed": changed}
        )
