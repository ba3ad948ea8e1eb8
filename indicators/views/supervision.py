"""Pages of supervision items (督办, domain.md §11): a plan's list (filtered by state and
colour), one item with its steps and the forms of its next step, the form that opens one on an
indicator or a task, and a step's attachment.

Thin: parse the request, call `indicators.selectors.supervision` or
`indicators.services.supervision`, render or go back with a message. Anyone who may see the
plan reads its items (404 otherwise); reviewers open, close and send back (403 for other
roles); a data clerk of the item's department answers it (to a clerk of another department the
form's target is 404, to any other role 403).
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators import access, attachments
from indicators.access import role_required
from indicators.domain import periods, statuses, warnings
from indicators.models import Indicator, Plan, Role, Supervision, SupervisionState, Task
from indicators.selectors import supervision as supervision_selectors
from indicators.services import supervision as supervision_services
from indicators.services.errors import ServiceError

REVIEWERS = (Role.REVIEWER, Role.ADMIN)


# --- the list ------------------------------------------------------------------------------


def _choice(request: HttpRequest, key: str, allowed) -> tuple[str | None, bool]:
    """A filter's value if it is one of `allowed` (None: every item), and whether it was
    refused."""
    value = request.GET.get(key, "")
    if not value:
        return None, False
    return (value, False) if value in allowed else (None, True)


@role_required()
def supervision_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    state, bad_state = _choice(request, "state", SupervisionState.values)
    colour, bad_colour = _choice(request, "colour", warnings.SUPERVISION_COLOURS)
    if bad_state or bad_colour:
        messages.error(request, _("Unknown filter value: every item is shown."))
    rows = supervision_selectors.plan_supervisions(
        plan=plan, on=periods.today(), state=state, colour=colour
    )
    context = {
        "plan": plan,
        "rows": rows,
        "state": state or "",
        "colour": colour or "",
        "states": statuses.SUPERVISION_STATE_LABELS.items(),
        "colours": statuses.SUPERVISION_COLOUR_LABELS.items(),
        "may_open": access.reviews(request.user, plan),
    }
    status = 400 if bad_state or bad_colour else 200
    return render(request, "indicators/supervision/list.html", context, status=status)


# --- one item ------------------------------------------------------------------------------


@role_required()
def supervision_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    item = supervision_selectors.supervision_get(plan=plan, pk=pk)
    row = supervision_selectors.rows([item], periods.today())[0]
    reviews = access.reviews(request.user, plan)
    state = item.state
    context = {
        "plan": plan,
        "row": row,
        "item": item,
        "steps": item.steps.all(),
        "may_respond": state == SupervisionState.OPEN
        and supervision_services.answers(request.user, item),
        "may_close": reviews and state == SupervisionState.RESPONDED,
        "may_reopen": reviews and state != SupervisionState.OPEN,
    }
    return render(request, "indicators/supervision/detail.html", context)


def _item(request: HttpRequest, slug: str, pk: int) -> Supervision:
    plan = access.plan_for(request.user, slug)
    return supervision_selectors.supervision_get(plan=plan, pk=pk)


def _step(request: HttpRequest, item: Supervision, write, done: str) -> HttpResponse:
    """Take a step through the services; back to the item with what happened."""
    try:
        write()
    except supervision_services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("indicators:supervision", slug=item.plan.slug, pk=item.pk)


@role_required()
@require_POST
def supervision_respond(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _item(request, slug, pk)
    who = access.actor(request.user)
    if who.role == Role.CLERK and not supervision_services.answers(request.user, item):
        raise Http404  # another department's item is not there for them to answer
    return _step(
        request,
        item,
        lambda: supervision_services.supervision_respond(
            user=request.user,
            item=item,
            text=request.POST.get("text", ""),
            attachment=request.FILES.get("attachment"),
        ),
        _("Your answer is recorded; the office will close the item or send it back."),
    )


@role_required(*REVIEWERS)
@require_POST
def supervision_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _item(request, slug, pk)
    return _step(
        request,
        item,
        lambda: supervision_services.supervision_close(
            user=request.user, item=item, text=request.POST.get("text", "")
        ),
        _("The supervision item is closed."),
    )


@role_required(*REVIEWERS)
@require_POST
def supervision_reopen(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _item(request, slug, pk)
    return _step(
        request,
        item,
        lambda: supervision_services.supervision_reopen(
            user=request.user,
            item=item,
            reason=request.POST.get("reason", ""),
            due=_date(request.POST.get("due")),
        ),
        _("The supervision item is sent back to the department."),
    )


@role_required()
def supervision_attachment(request: HttpRequest, slug: str, pk: int, step: int) -> FileResponse:
    """A step's attachment, to whoever may see the item (404 for anyone else); always a
    download, as a value's attachment is."""
    plan = access.plan_for(request.user, slug)
    taken = supervision_selectors.step_get(plan=plan, pk=pk, step_pk=step)
    return attachments.download(taken.attachment)


# --- opening one ---------------------------------------------------------------------------


def _subject(plan: Plan, params) -> tuple[Indicator | None, Task | None]:
    """The indicator (?indicator=code) or task (?task=id) of the plan to open an item on;
    404 when neither names one of the plan's."""
    code, task_id = params.get("indicator", ""), params.get("task", "")
    if code:
        return get_object_or_404(Indicator, plan=plan, code=code), None
    if task_id.isascii() and task_id.isdigit():
        return None, get_object_or_404(Task, project__plan=plan, pk=int(task_id))
    raise Http404


@role_required(*REVIEWERS)
def supervision_new(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the form (requirement, due date) for ?indicator=code or ?task=id. POST: open the
    item, then show it; a refusal shows the form again with the message (400)."""
    plan = access.plan_for(request.user, slug)
    if not access.reviews(request.user, plan):
        raise PermissionDenied
    indicator, task = _subject(plan, request.GET)
    lead = (
        supervision_services.indicator_lead(indicator)
        if indicator
        else supervision_services.task_lead(task)
    )
    context = {"plan": plan, "indicator": indicator, "task": task, "lead": lead}
    if request.method != "POST":
        return render(request, "indicators/supervision/new.html", context)
    try:
        item = supervision_services.supervision_open(
            user=request.user,
            plan=plan,
            indicator=indicator,
            task=task,
            requirement=request.POST.get("requirement", ""),
            due=_date(request.POST.get("due")),
        )
    except ServiceError as exc:
        context.update(error=str(exc), posted=request.POST)
        return render(request, "indicators/supervision/new.html", context, status=400)
    messages.success(request, _("The supervision item is opened."))
    return redirect("indicators:supervision", slug=plan.slug, pk=item.pk)


def _date(text: str | None) -> date | None:
    """A date typed as YYYY-MM-DD (the date input's format); None for anything else, which
    the services refuse with their message."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None
