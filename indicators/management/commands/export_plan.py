"""python manage.py export_plan --plan SLUG --out FILE.xlsx — the plan as its plan workbook,
the layout `load_plan` reads: loading the written workbook changes nothing.

The same workbook as /plans/<slug>/plan.xlsx. The file is written whole or not at all (a
temporary file beside it, then renamed).
"""

from io import BytesIO
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.management import exports
from indicators.planbook import write_workbook
from indicators.selectors.planbook import plan_raw


class Command(BaseCommand):
    help = "Write a plan as its plan workbook (.xlsx), which load_plan loads back unchanged."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="the plan's slug, e.g. luhe-garment")
        parser.add_argument("--out", required=True, help="the workbook to write, e.g. plan.xlsx")

    def handle(self, *args, **options):
        out = _output(options["out"])
        plan = exports.plan_named(options["plan"])
        raw = plan_raw(plan)
        content = BytesIO()
        write_workbook(raw).save(content)
        exports.write_whole(out, content.getvalue())
        self.stdout.write(
            _("Written %(file)s: the plan %(plan)s, %(count)s indicators.")
            % {"file": out, "plan": plan.slug, "count": len(raw["indicators"])}
        )


def _output(name: str) -> Path:
    out = Path(name)
    if out.suffix.lower() != ".xlsx":
        raise CommandError(_("The output file must end in .xlsx."))
    return exports.existing_folder(out)
