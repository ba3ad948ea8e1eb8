"""python manage.py backup --out DIR — one archive of the database (history included) and the
attachments; prints its path."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from indicators.services.backup import backup_write


class Command(BaseCommand):
    help = "Write one archive holding the database (history included) and the attachments."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the directory to write the archive in")

    def handle(self, *args, **options):
        path = backup_write(Path(options["out"]))
        self.stdout.write(_("Backup written: %(path)s") % {"path": path})
