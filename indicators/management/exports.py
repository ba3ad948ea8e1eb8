"""What the export commands share (export_plan, export_evaluation): the plan named on the
command line, the output folder, and writing a file whole or not at all."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from indicators.models import Plan


def plan_named(slug: str) -> Plan:
    plan = Plan.objects.filter(slug=slug.strip()).first()
    if plan is None:
        known = ", ".join(Plan.objects.order_by("slug").values_list("slug", flat=True)) or "-"
        raise CommandError(
            _("No plan “%(slug)s” is loaded (loaded: %(known)s).") % {"slug": slug, "known": known}
        )
    return plan


def existing_folder(out: Path) -> Path:
    if not out.parent.is_dir():
        raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
    return out


def write_whole(out: Path, content: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then renamed over it."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".export-", suffix=out.suffix)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, out)
    except OSError as error:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise CommandError(
            _("Cannot write %(file)s: %(error)s") % {"file": out, "error": error.strerror}
        ) from error
