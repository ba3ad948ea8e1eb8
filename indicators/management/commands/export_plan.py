"""python manage.py export_plan --plan SLUG --out FILE.xlsx — the plan as its plan workbook,
the layout `load_plan` reads: loading the written workbook changes nothing.

The same workbook as /plans/<slug>/plan.xlsx. The file is written whole or not at all (a
temporary file beside it, then renamed).
"""

import os
import tempfile
from io import BytesIO
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.models import Plan
from indicators.planbook import write_workbook
from indicators.selectors.planbook import plan_raw


class Command(BaseCommand):
    help = "Write a plan as its plan workbook (.xlsx), which load_plan loads back unchanged."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="the plan's slug, e.g. luhe-garment")
        parser.add_argument("--out", required=True, help="the workbook to write, e.g. plan.xlsx")

    def handle(self, *args, **options):
        out = _output(options["out"])
        plan = _plan(options["plan"])
        raw = plan_raw(plan)
        content = BytesIO()
        write_workbook(raw).save(content)
        _write(out, content.getvalue())
        self.stdout.write(
            _("Written %(file)s: the plan %(plan)s, %(count)s indicators.")
            % {"file": out, "plan": plan.slug, "count": len(raw["indicators"])}
        )


def _output(name: str) -> Path:
    out = Path(name)
    if out.suffix.lower() != ".xlsx":
        raise CommandError(_("The output file must end in .xlsx."))
    if not out.parent.is_dir():
        raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
    return out


def _plan(slug: str) -> Plan:
    plan = Plan.objects.filter(slug=slug.strip()).first()
    if plan is None:
        known = ", ".join(Plan.objects.order_by("slug").values_list("slug", flat=True)) or "-"
        raise CommandError(
            _("No plan “%(slug)s” is loaded (loaded: %(known)s).") % {"slug": slug, "known": known}
        )
    return plan


def _write(out: Path, content: bytes) -> None:
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
