"""Bulk upload pages: download the department's Excel template, upload it filled in.

Thin: the template is built, read, checked and saved by `indicators.uploads`, which saves
through the reporting services (so every rule of the entry form holds here too). A template is
for one period: a month, quarter or half lists the department's indicators of that frequency,
the whole year all of them. The period is written as its code (2026-M10, 2026-Q3, 2026-H1,
2026) and read back by the one period parser.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from indicators import access
from indicators.access import role_required
from indicators.domain import periods
from indicators.models import Department, Plan, Role
from indicators.selectors import plans as plan_selectors
from indicators.uploads import reading as upload_reading
from indicators.uploads import saving as upload_saving
from indicators.uploads import template as upload_template

PAGE = "indicators/upload/page.html"
DRAFT, SUBMIT = "draft", "submit"
PERIOD_PARAMS = ("year", "month", "quarter", "half")  # an old link's period, not a code


class NoTemplate(Exception):
    """The request names a period or department that cannot have a template (400)."""


@dataclass(frozen=True)
class Offer:
    """The periods the page offers (newest first) and the one it chooses first."""

    periods: list[periods.Period]
    default: periods.Period | None


def period_choices(offered: list[periods.Period]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods as (code, label) choices, grouped by year (an <optgroup> each)."""
    by_year: dict[str, list[tuple[str, str]]] = {}
    for period in offered:
        by_year.setdefault(str(period.year), []).append((period.code(), period.label()))
    return list(by_year.items())


class UploadForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    file = forms.FileField(label=gettext_lazy("Filled-in template (.xlsx)"))
    action = forms.ChoiceField(
        label=gettext_lazy("Save the values"),
        choices=[
            (DRAFT, gettext_lazy("Save as drafts")),
            (SUBMIT, gettext_lazy("Submit them for review")),
        ],
        widget=forms.RadioSelect,
        initial=DRAFT,
    )

    def __init__(self, *args, offer: Offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(offer.periods)
        if offer.default is not None:
            self.fields["period"].initial = offer.default.code()

    def chosen_period(self) -> periods.Period:
        """The period chosen: one of the codes offered, so it always reads."""
        return periods.parse_code(self.cleaned_data["period"])


def _plan(request: HttpRequest) -> Plan | None:
    """The plan named by ?plan= (404 outside the user's scope); without one, the user's only
    plan, or None when they may see several (they choose) or none."""
    slug = request.GET.get("plan")
    if slug:
        return access.plan_for(request.user, slug)
    plans = list(access.plans_visible_to(request.user).select_related("region")[:2])
    return plans[0] if len(plans) == 1 else None


def _choose(request: HttpRequest) -> HttpResponse:
    """No plan named and several to choose from: the chooser, linking back here per plan."""
    groups = plan_selectors.plans_by_region(access.plans_visible_to(request.user))
    if not groups:
        return render(request, "indicators/no_plan.html")
    context = {"groups": groups, "choose_for": request.path}
    return render(request, "indicators/plan_chooser.html", context)


@role_required(Role.CLERK, Role.ADMIN)
def download_template(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan is None:
        return _choose(request)
    try:
        department = _department(request, plan)
        period = _period(request, plan, department)
        template = upload_template.template_for(plan=plan, department=department, period=period)
        _require_rows(template)
    except NoTemplate as error:
        context = {"message": str(error)}
        return render(request, "indicators/upload/download_refused.html", context, status=400)
    response = HttpResponse(
        upload_template.build_workbook(template), content_type=upload_template.XLSX_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=upload_template.file_name(template)
    )
    return response


def _department(request: HttpRequest, plan: Plan) -> Department:
    """A clerk's own department; an administrator names one (?department=), else their own."""
    own, name = access.user_department(request.user), request.GET.get("department")
    if access.user_role(request.user) != Role.ADMIN:
        if own is None or (name and name != own.name):
            raise PermissionDenied(_("A clerk downloads only their own department's template."))
        return own
    if not name:
        if own is None:
            raise NoTemplate(_("Choose the department whose template you want."))
        return own
    department = upload_template.department_named(plan, name)
    if department is None:
        raise NoTemplate(_("There is no department “%(name)s”.") % {"name": name})
    return department


def _period(request: HttpRequest, plan: Plan, department: Department) -> periods.Period:
    """?period= (a code such as 2026-M10; an old link's ?year=&quarter= is read too), by
    default the period the upload page chooses first; it must be over and within the plan."""
    today = periods.today()
    try:
        if request.GET.get("period"):
            period = periods.parse_code(request.GET["period"])
        elif any(request.GET.get(param) for param in PERIOD_PARAMS):
            period = periods.parse_period(request.GET)
        else:
            frequencies = upload_template.template_frequencies(plan, department)
            period = upload_template.default_period(frequencies, today)
    except periods.PeriodError as error:
        raise NoTemplate(error.message) from error
    if period is None or not upload_template.is_reportable(plan, period, today):
        raise NoTemplate(
            _("There is no template for %(period)s: it is outside the plan or not over yet.")
            % {"period": period.label() if period else "-"}
        )
    return period


def _require_rows(template: upload_template.Template) -> None:
    """A month's, quarter's or half's template needs indicators of that frequency."""
    if template.rows or template.period.is_whole_year:
        return
    raise NoTemplate(
        _(
            "%(department)s reports no %(frequency)s indicators, so there is no template for "
            "%(period)s."
        )
        % {
            "department": template.department.name,
            "frequency": periods.FREQUENCY_LABELS[template.period.frequency],
            "period": template.period.label(),
        }
    )


@role_required(Role.CLERK, Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan is None:
        return _choose(request)
    own = access.user_department(request.user)
    offer = _offer(request, plan, own)
    form = UploadForm(request.POST or None, request.FILES or None, offer=offer)
    context = {"form": form, **_download_context(request, plan, offer, own)}
    if request.method != "POST":
        return render(request, PAGE, context)
    if not form.is_valid():
        return render(request, PAGE, context, status=400)
    submit = form.cleaned_data["action"] == SUBMIT
    try:
        filled = upload_reading.read_upload(form.cleaned_data["file"])
        period = form.chosen_period()
        template = upload_reading.check_upload(filled, user=request.user, period=period)
    except upload_template.UploadRefused as refusal:
        return render(request, PAGE, {**context, "refusal": refusal.message}, status=400)
    outcome = upload_saving.save_rows(
        user=request.user, template=template, filled=filled, submit=submit
    )
    if outcome.errors:
        return render(request, PAGE, {**context, "row_errors": outcome.errors}, status=400)
    _report(request, outcome, submit)
    return redirect(f"{reverse('indicators:upload')}?plan={plan.slug}")


def _offer(request: HttpRequest, plan: Plan, own: Department | None) -> Offer:
    """The periods of the frequencies the clerk's department has (an administrator's: the
    plan's), and the whole years; first the last ended period of the most frequent kind."""
    is_admin = access.user_role(request.user) == Role.ADMIN
    frequencies = upload_template.template_frequencies(plan, None if is_admin else own)
    today = periods.today()
    return Offer(
        upload_template.reportable_periods(plan, frequencies, today),
        upload_template.default_period(frequencies, today),
    )


def _download_context(
    request: HttpRequest, plan: Plan, offer: Offer, own: Department | None
) -> dict:
    """What the download form offers: the periods, and for an administrator the departments
    (a clerk always gets their own)."""
    is_admin = access.user_role(request.user) == Role.ADMIN
    return {
        "plan": plan,
        "download_periods": period_choices(offer.periods),
        "default_period": offer.default.code() if offer.default else "",
        "departments": Department.objects.filter(region=plan.region) if is_admin else None,
        "own_department": own,
    }


def _report(request: HttpRequest, outcome: upload_saving.Outcome, submit: bool) -> None:
    """Tell the clerk what the upload did."""
    if submit:
        text = ngettext(
            "%(count)s value saved and submitted for review.",
            "%(count)s values saved and submitted for review.",
            outcome.saved,
        )
    else:
        text = ngettext(
            "%(count)s value saved as a draft.", "%(count)s values saved as drafts.", outcome.saved
        )
    (messages.success if outcome.saved else messages.warning)(
        request, text % {"count": outcome.saved}
    )
    if outcome.unchanged:
        messages.info(
            request,
            ngettext(
                "%(count)s row repeats the value already there and was left as it is.",
                "%(count)s rows repeat the values already there and were left as they are.",
                outcome.unchanged,
            )
            % {"count": outcome.unchanged},
        )
