"""python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run] — the daily reminders
(催报 / 催办): each department's clerks by e-mail, its group robot where one is set. Run it once a
day (docs/deploy.md); running it again the same day sends nothing new. See
indicators/services/reminders.py.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.domain import periods
from indicators.services.reminders import Summary, send_reminders


class Command(BaseCommand):
    help = "Remind each department of values and supervision items falling due or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to remind for, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be sent; send nothing"
        )

    def handle(self, *args, **options):
        summary = send_reminders(day=_day(options["date"]), dry_run=options["dry_run"])
        for preview in summary.previews:
            self.stdout.write(preview)
        self.stdout.write(summary_text(summary))


def _day(raw: str | None) -> date:
    if not raw:
        return periods.today()
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            _("--date must be a day written as YYYY-MM-DD, such as 2026-11-24, not “%(raw)s”.")
            % {"raw": raw}
        ) from None


def summary_text(summary: Summary) -> str:
    facts = {
        "date": summary.day.isoformat(),
        "departments": summary.departments,
        "items": summary.items,
        "emails": summary.emails,
        "messages": summary.webhook_messages,
        "failures": summary.failures,
        "skipped": summary.already_sent,
        "unreachable": summary.unreachable,
    }
    if summary.dry_run:
        text = _(
            "%(date)s (dry run, nothing sent or recorded): %(departments)s departments, "
            "%(items)s items; e-mails to send: %(emails)s, group robot messages to send: "
            "%(messages)s; already sent today: %(skipped)s."
        )
    else:
        text = _(
            "%(date)s: %(departments)s departments, %(items)s items; e-mails sent: %(emails)s, "
            "group robot messages sent: %(messages)s, failures: %(failures)s (tried again on "
            "the next run); already sent today: %(skipped)s."
        )
    lines = [text % facts]
    if summary.unreachable:
        lines.append(
            _(
                "Departments with neither a clerk's e-mail address nor a group robot: "
                "%(unreachable)s."
            )
            % facts
        )
    return "\n".join(lines)
