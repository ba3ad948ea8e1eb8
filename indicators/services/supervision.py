"""Writes of supervision items (督办, domain.md §11): open, answer, close (办结), send back; and
the item that opens by itself when an approval turns a binding indicator red.

Every route (pages, API, the approval) calls these, so the rules hold everywhere:
- a reviewer (or administrator) of the plan's region opens an item on an indicator or a task,
  for its lead department, with a requirement and a due date not in the past;
- a data clerk of that department answers it (text, optional attachment);
- a reviewer closes an answered item, or sends an answered or closed one back with a reason.
The state moves open → responded → closed, and back to open by a reopen; every step is kept
as a SupervisionStep (who, when, what, the text). Permissions compare ids.
"""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import access, attachments
from indicators.domain import periods, statuses, validation, warnings
from indicators.models import (
    Actual,
    Indicator,
    Plan,
    Responsibility,
    ResponsibilityRole,
    Role,
    Supervision,
    SupervisionAction,
    SupervisionState,
    SupervisionStep,
    Task,
    TaskDepartment,
    TaskRole,
)
from indicators.selectors import lights
from indicators.services.errors import ServiceError

logger = logging.getLogger(__name__)


class NotAllowed(ServiceError):
    """The user's role or department does not allow this step (403)."""


class Invalid(ServiceError):
    """The step is refused; `errors` maps fields to messages (400)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("；".join(m for messages in errors.values() for m in messages))


# The states each step may start from (the state machine of §11).
STARTS = {
    SupervisionAction.RESPOND: (SupervisionState.OPEN,),
    SupervisionAction.CLOSE: (SupervisionState.RESPONDED,),
    SupervisionAction.REOPEN: (SupervisionState.RESPONDED, SupervisionState.CLOSED),
}


WRONG_STATE = {
    SupervisionAction.RESPOND: gettext_lazy("Only an open supervision item can be answered."),
    SupervisionAction.CLOSE: gettext_lazy("Only an answered supervision item can be closed."),
    SupervisionAction.REOPEN: gettext_lazy(
        "Only an answered or closed supervision item can be sent back."
    ),
}


# --- who may act ---------------------------------------------------------------------------


def require_reviewer(user, plan: Plan) -> None:
    if not access.reviews(user, plan):
        raise NotAllowed(_("Only a reviewer may open, close or send back supervision items."))


def answers(user, item: Supervision) -> bool:
    """Whether the user answers this item: a data clerk of its department (ids compared)."""
    who = access.actor(user)
    return who.role == Role.CLERK and who.department_id == item.department_id


def require_answerer(user, item: Supervision) -> None:
    if not answers(user, item):
        raise NotAllowed(
            _("Only a data clerk of the department it is addressed to may answer this item.")
        )


# --- checks of what was typed --------------------------------------------------------------


REQUIRED = {
    "requirement": gettext_lazy("Write the requirement of the supervision item."),
    "text": gettext_lazy("Write the answer to the supervision item."),
    "reason": gettext_lazy("Say why the supervision item is sent back."),
}
TOO_LONG = {
    "requirement": gettext_lazy("The requirement is too long: at most %(limit)s characters."),
    "text": gettext_lazy("The text is too long: at most %(limit)s characters."),
    "reason": gettext_lazy("The reason is too long: at most %(limit)s characters."),
}


def _text(field: str, text: str, limit: int, *, required: bool) -> str:
    """The text stripped; refused when blank (if required) or longer than `limit`."""
    text = (text or "").strip()
    if required and not text:
        raise Invalid({field: [str(REQUIRED[field])]})
    if len(text) > limit:
        raise Invalid({field: [str(TOO_LONG[field]) % {"limit": limit}]})
    return text


def _check_due(due: date | None) -> date:
    if due is None:
        raise Invalid({"due": [_("Give the due date as a date such as 2026-12-31.")]})
    if due < periods.today():
        raise Invalid({"due": [_("The due date cannot be in the past.")]})
    return due


def _check_attachment(upload) -> None:
    if upload is None:
        return
    try:
        attachments.check_attachment(upload)
    except attachments.AttachmentError as error:
        raise Invalid({"attachment": [error.message]}) from error


# --- the lead department -------------------------------------------------------------------


def indicator_lead(indicator: Indicator):
    """The indicator's lead department: the first the plan names as lead; None without one."""
    lead = (
        Responsibility.objects.filter(indicator=indicator, role=ResponsibilityRole.LEAD)
        .select_related("department")
        .order_by("position", "pk")
        .first()
    )
    return lead.department if lead else None


def task_lead(task: Task):
    """The task's lead department (explicit or inferred): the first named; None without one."""
    lead = (
        TaskDepartment.objects.filter(task=task, role=TaskRole.LEAD)
        .select_related("department")
        .order_by("position", "pk")
        .first()
    )
    return lead.department if lead else None


# --- the steps -----------------------------------------------------------------------------


def _step(item: Supervision, action: str, user, text: str = "", attachment=None) -> None:
    SupervisionStep.objects.create(
        supervision=item,
        action=action,
        text=text,
        attachment=attachment or "",
        by=user,
        at=timezone.now(),
    )


def _locked(item: Supervision, action: str) -> Supervision:
    """The item locked until the transaction ends, refused unless its state allows `action`
    (so two reviewers closing at once close it once)."""
    locked = Supervision.objects.select_for_update().get(pk=item.pk)
    if locked.state not in STARTS[action]:
        raise Invalid({"state": [str(WRONG_STATE[action])]})
    return locked


@transaction.atomic
def supervision_open(
    *,
    user,
    plan: Plan,
    requirement: str,
    due: date | None,
    indicator: Indicator | None = None,
    task: Task | None = None,
) -> Supervision:
    """Open an item on an indicator or a task of `plan` for its lead department."""
    require_reviewer(user, plan)
    if (indicator is None) == (task is None):
        raise Invalid({"indicator": [_("Choose either an indicator or a task.")]})
    requirement = _text("requirement", requirement, validation.MAX_REQUIREMENT, required=True)
    due = _check_due(due)
    department = indicator_lead(indicator) if indicator else task_lead(task)
    if department is None:
        raise Invalid(
            {
                "department": [
                    _("It has no lead department to address the item to; ask an administrator.")
                ]
            }
        )
    return _create(plan, indicator, task, department, requirement, due, user)


def _create(plan, indicator, task, department, requirement, due, user, **extra) -> Supervision:
    item = Supervision.objects.create(
        plan=plan,
        indicator=indicator,
        task=task,
        department=department,
        requirement=requirement,
        due=due,
        opened_by=user,
        opened_at=timezone.now(),
        **extra,
    )
    _step(item, SupervisionAction.OPEN, user, requirement)
    return item


@transaction.atomic
def supervision_respond(*, user, item: Supervision, text: str, attachment=None) -> Supervision:
    """The department's answer: text and an optional attachment (a PDF or an image)."""
    require_answerer(user, item)
    text = _text("text", text, validation.MAX_RESPONSE, required=True)
    _check_attachment(attachment)
    item = _locked(item, SupervisionAction.RESPOND)
    item.state = SupervisionState.RESPONDED
    item.save(update_fields=["state"])
    _step(item, SupervisionAction.RESPOND, user, text, attachment)
    return item


@transaction.atomic
def supervision_close(*, user, item: Supervision, text: str = "") -> Supervision:
    """办结: the reviewer accepts the answer; an optional remark is kept with the step."""
    require_reviewer(user, item.plan)
    text = _text("text", text, validation.MAX_RESPONSE, required=False)
    item = _locked(item, SupervisionAction.CLOSE)
    item.state = SupervisionState.CLOSED
    item.closed_by, item.closed_at = user, timezone.now()
    item.save(update_fields=["state", "closed_by", "closed_at"])
    _step(item, SupervisionAction.CLOSE, user, text)
    return item


@transaction.atomic
def supervision_reopen(
    *, user, item: Supervision, reason: str, due: date | None = None
) -> Supervision:
    """Send an answered or closed item back to the department, saying why; it is open again,
    with a new due date when one is given (else the old one, so a late item stays red)."""
    require_reviewer(user, item.plan)
    reason = _text("reason", reason, validation.MAX_REASON, required=True)
    if due is not None:
        _check_due(due)
    item = _locked(item, SupervisionAction.REOPEN)
    item.state = SupervisionState.OPEN
    item.closed_by, item.closed_at = None, None
    item.due = due or item.due
    item.save(update_fields=["state", "closed_by", "closed_at", "due"])
    _step(item, SupervisionAction.REOPEN, user, reason)
    return item


# --- opened by itself ----------------------------------------------------------------------


def auto_open(*, actual: Actual, user) -> Supervision | None:
    """Called by the approval (inside its transaction): when the plan opens items by itself
    and the approved figure leaves a binding indicator red in its own period (the dashboards'
    engine and light), open one for the indicator's lead department, unless one not yet closed
    exists for it. An indicator without a lead department gets none (there is nobody to
    address it to); that is logged."""
    indicator = actual.indicator
    plan = indicator.plan
    if not (plan.auto_supervise and indicator.binding):
        return None
    period = actual.period
    status = lights.indicator_status(indicator, period, include_pending=False)
    if warnings.light(status, indicator.binding) != warnings.RED:
        return None
    # Two approvals of the indicator's values at once would both see no item: the indicator's
    # row, locked until the approval commits, lets one of them open it.
    Indicator.objects.select_for_update().values_list("pk").get(pk=indicator.pk)
    pending = Supervision.objects.filter(indicator=indicator).exclude(state=SupervisionState.CLOSED)
    if pending.exists():
        return None
    department = indicator_lead(indicator)
    if department is None:
        logger.info("No supervision item for %s: it has no lead department", indicator.code)
        return None
    requirement = _auto_requirement(indicator, status, period)
    due = periods.today() + timedelta(days=plan.supervision_days)
    extra = {"automatic": True, "period": period.code()}
    return _create(plan, indicator, None, department, requirement, due, user, **extra)


def _auto_requirement(indicator: Indicator, status: str, period: periods.Period) -> str:
    return _(
        "The binding indicator “%(indicator)s” is %(status)s in %(period)s (red light): "
        "report the causes and the measures taken to catch up."
    ) % {
        "indicator": indicator.name,
        "status": statuses.status_label(status),
        "period": period.label(),
    }
