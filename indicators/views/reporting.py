"""The clerk's pages: 我的填报, the entry form of one indicator and period, attachments.

Thin views: a selector reads (`indicators.selectors.reporting`), the form parses, the reporting
services write and judge. Which periods 我的填报 lists, and when one is 逾期, is written in
`indicators.selectors.reporting`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from indicators import access, attachments
from indicators.access import role_required
from indicators.domain import periods
from indicators.domain.meanings import display_unit, meaning
from indicators.forms import EntryForm
from indicators.models import Actual, ActualState, Role
from indicators.selectors import plans as plan_selectors
from indicators.selectors import reporting as reporting_selectors
from indicators.services import actuals as actual_services


@role_required(Role.CLERK, Role.ADMIN)
def my_reporting(request: HttpRequest) -> HttpResponse:
    is_admin = access.user_role(request.user) == Role.ADMIN
    # An administrator sees every value owed in the plans of their scope.
    every = access.plans_visible_to(request.user) if is_admin else None
    department = access.user_department(request.user)
    today = periods.today()
    listed = reporting_selectors.my_reporting(department=department, every=every, on=today)
    context = {
        "periods": listed,
        "department": department,
        "every": is_admin,
        "today": today,
        "several_plans": len({period.plan.pk for period in listed}) > 1,
    }
    return render(request, "indicators/reporting/my_reporting.html", context)


@role_required(Role.CLERK, Role.ADMIN)
def entry(request: HttpRequest, slug: str, code: str, period: str) -> HttpResponse:
    indicator = reporting_selectors.entry_indicator(
        plan=access.plan_for(request.user, slug), code=code
    )
    period = _own_period(indicator, period)
    if not access.reports(request.user, indicator):
        raise PermissionDenied(_not_yours(indicator))
    actual = reporting_selectors.entry_actual(indicator, period)
    form_args = {"indicator": indicator, "actual": actual, "period": period}
    conflict = None
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, **form_args)
        if form.is_valid():
            try:
                saved = _save(request, form, indicator, actual, period)
            except actual_services.Invalid as exc:
                form.add_service_errors(exc.errors)
            except actual_services.Conflict as exc:
                conflict = str(exc)
            except actual_services.NotAllowed as exc:
                raise PermissionDenied(str(exc)) from exc
            else:
                messages.success(request, _saved_message(saved))
                return redirect("indicators:my-reporting")
    else:
        form = EntryForm(**form_args)
    context = _entry_context(indicator, actual, period) | {
        "form": form,
        "conflict": conflict,
    }
    return render(request, "indicators/reporting/entry.html", context)


def _not_yours(indicator) -> str:
    """Why a clerk may not enter this indicator, and what to do (the 403 page shows it)."""
    departments = plan_selectors.reporting_departments(indicator)
    if not departments:
        return _("No department reports this indicator yet; ask an administrator.")
    return _(
        "This indicator is reported by %(departments)s. To enter it for them, ask an "
        "administrator to change the responsibilities."
    ) % {"departments": "、".join(departments)}


def _own_period(indicator, code: str) -> periods.Period:
    """The period in the address: one of the indicator's own frequency, or the whole year;
    anything else is no page (404). So is a period of year 1 or 9999: the page shows the
    period before and the deadline, which a calendar ending there cannot give."""
    try:
        period = periods.parse_code(code)
    except periods.PeriodError as exc:
        raise Http404 from exc
    if indicator is None or not (period.is_whole_year or period.frequency == indicator.frequency):
        raise Http404
    if not periods.MIN_YEAR < period.year < periods.MAX_YEAR:
        raise Http404
    return period


def _save(request, form: EntryForm, indicator, actual: Actual | None, period) -> Actual:
    """Create or change the value through the services; they raise on any refusal."""
    data = form.cleaned_data
    entry = actual_services.Entry.of(
        period,
        value=data.get("value"),
        stage=data.get("stage") or None,
        source=data["source"],
        note=data["note"],
        explanation=form.explanation(),
    )
    submit = request.POST.get("action") == "submit"
    if actual is None:
        return actual_services.actual_create(
            user=request.user,
            indicator=indicator,
            entry=entry,
            attachment=data["attachment"],
            submit=submit,
        )
    # A form opened before the value existed carries no version: treat it as stale (version 0
    # never matches), so the services name whoever entered the value meanwhile.
    version = data["version"] if data["version"] is not None else 0
    return actual_services.actual_update(
        user=request.user,
        actual=actual,
        entry=entry,
        version=version,
        reason=data.get("reason", ""),
        attachment=data["attachment"],
        submit=submit,
    )


def _saved_message(actual: Actual) -> str:
    names = {
        "indicator": actual.indicator.printed_name,
        "period": actual.period.label(),
    }
    if actual.state == ActualState.SUBMITTED:
        return _("Submitted for review: %(indicator)s, %(period)s.") % names
    return _("Saved as a draft: %(indicator)s, %(period)s.") % names


def _entry_context(indicator, actual: Actual | None, period: periods.Period) -> dict:
    """What the page shows beside the form: the number's meaning and its neighbours."""
    plan = indicator.plan
    return {
        "plan": plan,
        "indicator": indicator,
        "actual": actual,
        "year": period.year,
        "period": period.label(),
        "meaning": meaning(indicator, period),
        "unit": display_unit(indicator),
        "deadline": period.deadline(plan.deadline_days, plan.annual_deadline),
        "previous": reporting_selectors.previous_figure(indicator, period),
        "target": reporting_selectors.next_target(indicator, period.year),
        "departments": plan_selectors.reporting_departments(indicator),
        "read_only": actual is not None and actual.state == ActualState.SUBMITTED,
        "attachment_name": attachments.display_name(actual.attachment) if actual else "",
    }


@role_required()
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A value's attachment, to whoever may see the value (404 for anyone else): by default
    the one they see (`access.shown_to`: the working copy's, or the figure in force's);
    `?copy=in-force` the figure in force's, `?copy=working` the working copy's, which only
    those who see the working copy get (404 for anyone else)."""
    actual = get_object_or_404(
        access.actuals_visible_to(request.user).select_related("approved_by", "approved_stage"),
        pk=pk,
    )
    copy = request.GET.get("copy", "")
    if copy == "in-force":
        file = actual.approved_attachment
    elif copy == "working" and access.sees_working_copy(request.user, actual):
        file = actual.attachment
    elif copy == "":
        file = access.shown_to(request.user, actual).attachment
    else:
        raise Http404
    return attachments.download(file)
