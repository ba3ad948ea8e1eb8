"""python manage.py restore FILE — rebuild an empty, migrated database and the attachments
from a backup archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.services.backup import backup_restore
from indicators.services.errors import ServiceError


class Command(BaseCommand):
    help = "Restore a backup archive into an empty, migrated database (data and attachments)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by `backup`")

    def handle(self, *args, **options):
        try:
            restored = backup_restore(Path(options["file"]))
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored %(rows)s rows and %(files)s attachments.")
            % {"rows": restored.rows, "files": restored.files}
        )
