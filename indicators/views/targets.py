"""The indicator page's two small forms (domain.md §9, point 4): a value assigned from above
for a year, and the judgement of a qualitative target for a year.

Thin views: read the posted fields, call `indicators.services.targets`, then go back to the
indicator page (the period it showed kept) with a message in the user's language, through the
messages framework: what was recorded, or the services' refusal (nothing was saved).

Reviewers and administrators only (403 for other roles); a plan outside their scope is 404.
Text that is not a number or a year reaches the services as None, so the page and the API
refuse it with the same words.
"""

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators import access
from indicators.access import role_required
from indicators.models import Role
from indicators.selectors import targets as target_selectors
from indicators.services import targets as target_services
from indicators.services.errors import ServiceError

RECORDERS = (Role.REVIEWER, Role.ADMIN)
PERIOD_KEYS = ("year", "quarter", "pending")  # the indicator page's own parameters
MET, NOT_MET = "1", "0"


@role_required(*RECORDERS)
@require_POST
def assignment_record(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    indicator = _indicator(request, slug, code)
    post = request.POST
    year = _integer(post.get("year"))
    try:
        target_services.assignment_record(
            user=request.user,
            indicator=indicator,
            year=year,
            value=_decimal(post.get("value")),
            document=post.get("document", ""),
        )
    except target_services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The value assigned for %(year)s is recorded.") % {"year": year}
        )
    return _back(request, slug, code, "assignments")


@role_required(*RECORDERS)
@require_POST
def judgement_record(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    indicator = _indicator(request, slug, code)
    post = request.POST
    year = _integer(post.get("year"))
    try:
        target_services.judgement_record(
            user=request.user,
            indicator=indicator,
            year=year,
            met={MET: True, NOT_MET: False}.get(post.get("met", "")),
            note=post.get("note", ""),
        )
    except target_services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The judgement for %(year)s is recorded.") % {"year": year})
    return _back(request, slug, code, "judgements")


def _indicator(request: HttpRequest, slug: str, code: str):
    plan = access.plan_for(request.user, slug)
    return target_selectors.indicator_to_record(plan=plan, code=code)


def _back(request: HttpRequest, slug: str, code: str, anchor: str) -> HttpResponse:
    """The indicator page, showing the period it showed (the page checks it again)."""
    kept = {key: request.GET[key] for key in PERIOD_KEYS if request.GET.get(key)}
    query = "?" + urlencode(kept) if kept else ""
    return redirect(reverse("reports:indicator", args=[slug, code]) + query + "#" + anchor)


def _integer(text: str | None) -> int | None:
    text = (text or "").strip()
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    return int(text) if text.isascii() and text.isdigit() else None


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        return None
