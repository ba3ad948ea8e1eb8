"""Reviewers' pages: the queue of submitted values and the decision on them (approve or
return, one or many at once), reporting completeness per department and quarter, and the
history of one value. Reads come from `indicators.selectors.review`; every decision goes through
`actual_services.actual_approve` / `actual_return`.

How completeness counts a value (the rule is spelt out in `indicators.selectors.review`): a
department owes one value per ended quarter for each indicator it reports; a value counts as
submitted at its `first_submitted_at`, whatever its state now (an approved value, or one returned
and submitted again, counts at its first submission), on time until the end of the deadline day in
the county's time zone, late after it, and missing if it was never submitted (a draft only)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from indicators import access
from indicators.access import role_required
from indicators.domain import periods
from indicators.models import Actual, Role
from indicators.selectors import review as review_selectors
from indicators.services import actuals as actual_services
from indicators.services.errors import ServiceError

REVIEWERS = (Role.REVIEWER, Role.ADMIN)
APPROVE, RETURN = "approve", "return"


@role_required(*REVIEWERS)
def queue(request: HttpRequest) -> HttpResponse:
    choices = review_selectors.queue_choices(request.user)
    filters = review_selectors.queue_filters(request.GET, choices)
    rows = review_selectors.queue_rows(user=request.user, filters=filters, choices=choices)
    context = {"choices": choices, "filters": filters, "rows": rows}
    status = 400 if filters.errors else 200
    return render(request, "indicators/review/queue.html", context, status=status)


class _Refused(Exception):
    """A decision that cannot be carried out; its message says why (nothing was changed)."""


@dataclass(frozen=True)
class _Decision:
    action: str
    versions: dict[int, int]  # value id → the version the reviewer saw on the page
    comment: str


def _decision(post) -> _Decision:
    """Read the form: the ticked values with their versions, the action and the comment."""
    action, comment = post.get("action", ""), post.get("comment", "").strip()
    if action not in (APPROVE, RETURN):
        raise _Refused(_("Choose whether to approve or to return the values."))
    ids = post.getlist("ids")
    if not ids:
        raise _Refused(_("Tick at least one value."))
    versions = {}
    for raw in ids:
        version = post.get(f"version-{raw}", "")
        if not (raw.isdigit() and version.isdigit()):
            raise _Refused(_("The page is out of date; reload it and decide again."))
        versions[int(raw)] = int(version)
    if action == RETURN and not comment:
        raise _Refused(
            _("Write a comment saying why the values are returned; nothing was changed.")
        )
    return _Decision(action, versions, comment)


def _carry_out(user, decision: _Decision) -> int:
    """Decide every value in one transaction: if any one fails, none changes."""
    visible = access.actuals_visible_to(user).select_related("indicator__plan")
    actuals = visible.in_bulk(list(decision.versions))
    with transaction.atomic():
        for pk, version in sorted(decision.versions.items()):
            actual = actuals.get(pk)
            if actual is None:
                raise _Refused(_("A value you ticked no longer exists; nothing was changed."))
            try:
                if decision.action == APPROVE:
                    actual_services.actual_approve(user=user, actual=actual, version=version)
                else:
                    actual_services.actual_return(
                        user=user, actual=actual, comment=decision.comment, version=version
                    )
            except ServiceError as error:
                period = actual.period.label()
                what = f"{actual.indicator.printed_name} {period}"
                raise _Refused(
                    _("Nothing was changed. %(value)s: %(reason)s")
                    % {"value": what, "reason": error}
                ) from error
    return len(decision.versions)


def _done(action: str, count: int) -> str:
    if action == APPROVE:
        text = ngettext("%(counter)s value approved.", "%(counter)s values approved.", count)
    else:
        text = ngettext("%(counter)s value returned.", "%(counter)s values returned.", count)
    return text % {"counter": count}


@role_required(*REVIEWERS)
@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    # Back to the queue as it was filtered; the queue validates the parameters again.
    kept = {k: request.POST[k] for k in review_selectors.FILTER_KEYS if request.POST.get(k)}
    back = reverse("indicators:review-queue") + ("?" + urlencode(kept) if kept else "")
    try:
        decision = _decision(request.POST)
        count = _carry_out(request.user, decision)
    except _Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _done(decision.action, count))
    return redirect(back)


@role_required()
def completeness(request: HttpRequest, slug: str) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    today = periods.today()
    years = review_selectors.completeness_years(plan, today)
    year, error = review_selectors.completeness_year(request.GET.get("year", ""), years, today)
    tallies = review_selectors.completeness(plan=plan, year=year, today=today) if year else []
    context = {"plan": plan, "years": years, "year": year, "error": error, "periods": tallies}
    return render(
        request, "indicators/review/completeness.html", context, status=400 if error else 200
    )


def _back_link(user, actual: Actual) -> tuple[str, str]:
    """Where the reader most likely came from, by role."""
    role = access.user_role(user)
    if role in REVIEWERS:
        return reverse("indicators:review-queue"), _("Back to the review queue")
    if role == Role.CLERK:
        return reverse("indicators:my-reporting"), _("Back to my reporting")
    plan = actual.indicator.plan
    return reverse("indicators:completeness", args=[plan.slug]), _("Back to reporting completeness")


@role_required()
def history(request: HttpRequest, pk: int) -> HttpResponse:
    actual = review_selectors.actual_for_history(user=request.user, pk=pk)
    steps = review_selectors.history_steps(actual, request.user)
    actual = access.shown_to(request.user, actual)  # only the figure in force, to some
    indicator = actual.indicator
    back_url, back_label = _back_link(request.user, actual)
    context = {
        "actual": actual,
        "period": actual.period.label(),
        "working": review_selectors.figure(indicator, actual.value, actual.stage),
        "in_force": (
            review_selectors.figure(indicator, actual.approved_value, actual.approved_stage)
            if actual.in_force
            else None
        ),
        "steps": steps,
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "indicators/review/history.html", context)
