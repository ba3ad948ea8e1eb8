"""python manage.py export_evaluation --plan SLUG --year 2026 [--quarter 3] [--as-of 2026-10-20]
--out FILE — the annual evaluation workbook (FILE.xlsx) or its sheet 1 as CSV (FILE.csv), for
scheduled runs. The same workbook as /reports/<slug>/evaluation/<year>.xlsx.

Every refusal is a clear message in the interface language and a non-zero exit status; the
file is written whole or not at all (a temporary file beside it, then renamed).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.domain import periods
from indicators.management import exports
from reports.evaluation import query as evaluation_query
from reports.evaluation import rows as evaluation_rows
from reports.evaluation import workbook

WRITERS = {".xlsx": workbook.workbook_bytes, ".csv": workbook.csv_bytes}


class Command(BaseCommand):
    help = (
        "Write a plan's annual evaluation workbook (.xlsx) or its first sheet as CSV (.csv) "
        "for a year, optionally a quarter and an as-of date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="", help="the plan's slug, e.g. luhe-garment")
        parser.add_argument("--year", default="", help="the year evaluated, e.g. 2026")
        parser.add_argument("--quarter", default="", help="1–4; leave out for the whole year")
        parser.add_argument(
            "--as-of", dest="as_of", default="", help="YYYY-MM-DD: the values as they stood then"
        )
        parser.add_argument("--out", default="", help="the file to write: .xlsx or .csv")

    def handle(self, *args, **options):
        out = _output(options)
        plan = exports.plan_named(options["plan"])
        try:
            query = evaluation_query.parse_query(
                plan, options["year"], options["quarter"], options["as_of"]
            )
        except evaluation_query.BadQuery as error:
            raise CommandError(str(error)) from error
        ev = evaluation_rows.evaluation(plan=plan, query=query)
        exports.write_whole(out, WRITERS[out.suffix.lower()](ev))
        self.stdout.write(
            _("Written %(file)s: %(count)s indicators, %(period)s.")
            % {
                "file": out,
                "count": len(ev.indicators),
                "period": periods.Period.of(query.year, query.quarter).label(),
            }
        )


def _output(options) -> Path:
    missing = [flag for flag in ("plan", "year", "out") if not str(options[flag]).strip()]
    if missing:
        raise CommandError(
            _("Give %(options)s, e.g. --plan luhe-garment --year 2026 --out 评估表.xlsx.")
            % {"options": ", ".join(f"--{flag}" for flag in missing)}
        )
    out = Path(options["out"])
    if out.suffix.lower() not in WRITERS:
        raise CommandError(_("The output file must end in .xlsx or .csv."))
    return exports.existing_folder(out)
