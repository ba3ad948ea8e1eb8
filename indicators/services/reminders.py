"""Send the daily reminders (催报 / 催办, domain.md §11): per department, one e-mail to its
clerks and one message to its group robot (企业微信 or 钉钉) where an administrator set one.

What is reminded of is `selectors.reminders.reminders_due`. At most one successful sending per
department, item, kind, channel and day: a second run the same day sends nothing new. Every
sending is recorded (`Reminder`, one row per item); a failure (the mail server, a robot's HTTP
error, timeout or non-zero errcode) is logged and recorded as failed, never stops the others,
and is tried again on the next run.
"""

import json
import logging
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.domain import reminders as rules
from indicators.models import Department, Reminder, ReminderChannel, ReminderKind
from indicators.selectors.reminders import (
    DepartmentItems,
    Item,
    clerk_addresses,
    reminders_due,
    sent_on,
)

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 5  # seconds: a robot that does not answer must not hold up the others
REQUIREMENT_SHOWN = 80  # characters of a supervision item's requirement in a message

HEADINGS = {
    ReminderKind.OVERDUE: gettext_lazy("Values overdue"),
    ReminderKind.DUE_SOON: gettext_lazy("Values falling due"),
    ReminderKind.SUPERVISION_OVERDUE: gettext_lazy("Supervision items past due (red)"),
    ReminderKind.SUPERVISION_DUE: gettext_lazy("Supervision items due within 3 days (yellow)"),
}


@dataclass
class Summary:
    """What a run did (or, dry, would do)."""

    day: date
    dry_run: bool
    departments: int = 0
    items: int = 0
    emails: int = 0  # sent (dry: to send)
    webhook_messages: int = 0  # sent (dry: to send)
    failures: int = 0  # e-mails and robot messages that failed
    already_sent: int = 0  # (item, channel) pairs already delivered that day, skipped
    unreachable: int = 0  # departments with no clerk's e-mail and no robot
    previews: list[str] = field(default_factory=list)


def send_reminders(*, day: date, dry_run: bool = False) -> Summary:
    """Remind every department of what `day` brings; with `dry_run`, only say what would be
    sent (nothing is sent or recorded). Messages are in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        gathered = reminders_due(day)
        addresses = clerk_addresses([group.department.pk for group in gathered])
        sent = sent_on(day)
        summary = Summary(day, dry_run, len(gathered), sum(len(g.items) for g in gathered))
        for group in gathered:
            recipients = addresses.get(group.department.pk, [])
            if not recipients and not group.department.webhook_url:
                summary.unreachable += 1
            _by_email(group, recipients, sent, summary)
            _by_robot(group, sent, summary)
        return summary


def _pending(group: DepartmentItems, channel: str, sent: set, summary: Summary) -> list[Item]:
    """The department's items this channel has not yet delivered today."""
    pending = [
        item
        for item in group.items
        if (group.department.pk, item.key, item.kind, channel) not in sent
    ]
    summary.already_sent += len(group.items) - len(pending)
    return pending


# --- E-mail -------------------------------------------------------------------------------


def _by_email(group: DepartmentItems, recipients: list[str], sent: set, summary: Summary):
    if not recipients:
        return
    items = _pending(group, ReminderChannel.EMAIL, sent, summary)
    if not items:
        return
    subject = _("Reminders for %(department)s, %(date)s: %(count)s items") % {
        "department": group.department.name,
        "date": summary.day.isoformat(),
        "count": len(items),
    }
    body = email_text(group.department, items, summary.day)
    if summary.dry_run:
        summary.previews.append(_preview(_("E-mail"), ", ".join(recipients), f"{subject}\n{body}"))
        summary.emails += 1
        return
    error = _mail(subject, body, recipients)
    _record(group.department, items, ReminderChannel.EMAIL, ", ".join(recipients), summary, error)
    summary.emails += not error


def email_text(department: Department, items: list[Item], day: date) -> str:
    """The e-mail's body: a greeting, the items under their headings, where to act."""
    lines = [_("%(department)s:") % {"department": department.name}, ""]
    lines.append(_("Please attend to the following (as of %(date)s).") % {"date": day})
    for heading, group in _by_kind(items):
        lines += ["", str(heading)] + [f"- {item_line(item, day)}" for item in group]
    lines += ["", *_where_to_act(), _("This message was sent automatically.")]
    return "\n".join(lines)


def _mail(subject: str, body: str, recipients: list[str]) -> str:
    """Send one e-mail; what went wrong, or "" (Django's mail settings: EMAIL_*)."""
    try:
        EmailMessage(subject, body, to=recipients).send()
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("reminder e-mail to %s failed: %s", ", ".join(recipients), exc)
        return str(exc) or exc.__class__.__name__
    return ""


# --- Group robots -------------------------------------------------------------------------


def _by_robot(group: DepartmentItems, sent: set, summary: Summary):
    department = group.department
    if not department.webhook_url:
        return
    channel = department.webhook_kind
    items = _pending(group, channel, sent, summary)
    title = _("Reminders for %(department)s, %(date)s") % {
        "department": department.name,
        "date": summary.day.isoformat(),
    }
    render = _robot_render(title, summary.day)
    address = rules.webhook_address(department.webhook_url)
    for part in rules.in_parts(items, render) if items else []:
        text = render(part)
        if summary.dry_run:
            label = str(ReminderChannel(channel).label)
            summary.previews.append(_preview(label, address, text))
            summary.webhook_messages += 1
            continue
        error = _post(department, rules.webhook_payload(channel, title, text))
        _record(department, part, channel, address, summary, error)
        summary.webhook_messages += not error


def _robot_render(title: str, day: date) -> Callable[[list[Item]], str]:
    """How a robot's markdown message of some items reads (the same for 企业微信 and 钉钉:
    the subset of markdown both show)."""

    def render(items: list[Item]) -> str:
        lines = [f"### {title}"]
        for heading, group in _by_kind(items):
            lines += ["", f"**{heading}**"] + [f"- {item_line(item, day)}" for item in group]
        where = _where_to_act()
        return "\n".join(lines + ([""] + where if where else []))

    return render


def _post(department: Department, payload: dict) -> str:
    """POST a message to the department's robot; what went wrong, or ""."""
    url = department.webhook_url
    if not rules.webhook_url_allowed(url):
        error = "not an http(s) address"
    else:
        error = _post_json(url, payload)
    if error:
        # The address's key lets anyone post to the group: the log names the department.
        logger.warning("reminder to the group robot of %s failed: %s", department.name, error)
    return error


def _post_json(url: str, payload: dict) -> str:
    """POST JSON to an address `_post` has checked is http(s); what went wrong, or ""."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            reply = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:  # refused, unknown host, timed out
        return str(getattr(exc, "reason", exc)) or exc.__class__.__name__
    return rules.reply_error(reply)


# --- The wording, shared by both channels -------------------------------------------------


def _by_kind(items: list[Item]):
    """(heading, items) in the order of HEADINGS, leaving out kinds without items."""
    for kind, heading in HEADINGS.items():
        group = [item for item in items if item.kind == kind]
        if group:
            yield heading, group


def item_line(item: Item, day: date) -> str:
    """One line about one item, as messages and the records say it."""
    days = abs((item.deadline - day).days)
    if item.supervision is not None:
        return _supervision_line(item, days)
    facts = {
        "plan": item.plan.name,
        "indicator": item.subject,
        "period": item.period.label(),
        "deadline": item.deadline.isoformat(),
        "days": days,
    }
    if item.kind == ReminderKind.OVERDUE:
        line = _(
            "%(plan)s · %(indicator)s · %(period)s: was due %(deadline)s, days overdue: %(days)s"
        )
    else:
        line = _("%(plan)s · %(indicator)s · %(period)s: due %(deadline)s, days left: %(days)s")
    line %= facts
    if item.returned:
        line += _(" (returned by the reviewer: correct it and submit it again)")
    return line


def _supervision_line(item: Item, days: int) -> str:
    # The line goes on after the requirement: its own closing punctuation would double up.
    requirement = item.supervision.requirement.strip().replace("\n", " ").rstrip("。；;.，,")
    if len(requirement) > REQUIREMENT_SHOWN:
        requirement = requirement[:REQUIREMENT_SHOWN] + "…"
    facts = {
        "plan": item.plan.name,
        "subject": item.subject,
        "requirement": requirement,
        "due": item.deadline.isoformat(),
        "days": days,
    }
    if item.kind == ReminderKind.SUPERVISION_OVERDUE:
        line = _("%(plan)s · %(subject)s: %(requirement)s; was due %(due)s, days overdue: %(days)s")
    else:
        line = _("%(plan)s · %(subject)s: %(requirement)s; due %(due)s, days left: %(days)s")
    return line % facts


def _where_to_act() -> list[str]:
    """Where to act: the 待办 page, when the site's address is known (SITE_URL)."""
    site = getattr(settings, "SITE_URL", "")
    if not site:
        return [_("Log in to the platform and open your to-do list.")]
    return [_("Your to-do list: %(url)s") % {"url": site + reverse("indicators:todo")}]


def _preview(channel: str, to: str, text: str) -> str:
    return _("[%(channel)s → %(to)s]") % {"channel": channel, "to": to} + "\n" + text + "\n"


# --- The record ---------------------------------------------------------------------------


def _record(department, items, channel, recipients, summary, error: str) -> None:
    """One Reminder row per item sent (or tried) by one channel."""
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            department=department,
            kind=item.kind,
            item=item.key,
            day=summary.day,
            channel=channel,
            recipients=recipients,
            text=item_line(item, summary.day),
            sent_at=now,
            failed=bool(error),
            error=error[:300],
        )
        for item in items
    )
    if error:
        summary.failures += 1
