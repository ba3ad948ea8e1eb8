"""Bulk upload pages: download the department's Excel template, upload it filled in.

Thin: the template is built, read, checked and saved by `indicators.uploads`, which saves
through the reporting services (so every rule of the entry form holds here too).
"""

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


class NoTemplate(Exception):
    """The request names a period or department that cannot have a template (400)."""


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

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        reportable = upload_template.reportable_periods(plan)
        self.fields["period"].choices = [
            (_period_value(*p), periods.period_label(*p)) for p in reportable
        ]
        current = periods.last_ended_quarter(periods.today())
        self.fields["period"].initial = _period_value(*current)

    def chosen_period(self) -> tuple[int, int | None]:
        year, quarter = self.cleaned_data["period"].split("-")
        return int(year), int(quarter) or None


def _period_value(year: int, quarter: int | None) -> str:
    return f"{year}-{quarter or 0}"


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
        year, quarter = _period(request, plan)
    except NoTemplate as error:
        context = {"message": str(error)}
        return render(request, "indicators/upload/download_refused.html", context, status=400)
    template = upload_template.template_for(
        plan=plan, department=department, year=year, quarter=quarter
    )
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


def _period(request: HttpRequest, plan: Plan) -> tuple[int, int | None]:
    """?year=&quarter= (0 = the whole year); each defaults to the quarter being reported now."""
    default_year, default_quarter = periods.last_ended_quarter(periods.today())
    try:
        year = int(request.GET.get("year") or default_year)
        quarter = int(request.GET.get("quarter") or default_quarter)
    except ValueError as error:
        raise NoTemplate(_("The year and the quarter must be numbers.")) from error
    period = (year, quarter or None)
    if quarter not in range(5) or period not in upload_template.reportable_periods(plan):
        raise NoTemplate(
            _("There is no template for %(period)s: it is outside the plan or not over yet.")
            % {"period": periods.period_label(*period) if quarter in range(5) else year}
        )
    return period


@role_required(Role.CLERK, Role.ADMIN)
def upload(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    if plan is None:
        return _choose(request)
    form = UploadForm(request.POST or None, request.FILES or None, plan=plan)
    context = {"form": form, **_download_context(request, plan)}
    if request.method != "POST":
        return render(request, PAGE, context)
    if not form.is_valid():
        return render(request, PAGE, context, status=400)
    submit = form.cleaned_data["action"] == SUBMIT
    try:
        filled = upload_reading.read_upload(form.cleaned_data["file"])
        year, quarter = form.chosen_period()
        template = upload_reading.check_upload(
            filled, user=request.user, year=year, quarter=quarter
        )
    except upload_template.UploadRefused as refusal:
        return render(request, PAGE, {**context, "refusal": refusal.message}, status=400)
    outcome = upload_saving.save_rows(
        user=request.user, template=template, filled=filled, submit=submit
    )
    if outcome.errors:
        return render(request, PAGE, {**context, "row_errors": outcome.errors}, status=400)
    _report(request, outcome, submit)
    return redirect(f"{reverse('indicators:upload')}?plan={plan.slug}")


def _download_context(request: HttpRequest, plan: Plan) -> dict:
    """What the download form offers: the years with a period that is over, the quarters (or
    the whole year), and for an administrator the departments (a clerk always gets their own)."""
    is_admin = access.user_role(request.user) == Role.ADMIN
    year, quarter = periods.last_ended_quarter(periods.today())
    quarters = [(q, _("Q%(quarter)s") % {"quarter": q}) for q in (1, 2, 3, 4)]
    return {
        "plan": plan,
        "download_years": sorted(
            {y for y, _q in upload_template.reportable_periods(plan)}, reverse=True
        ),
        "download_quarters": [*quarters, (0, _("whole year"))],
        "default_year": year,
        "default_quarter": quarter,
        "departments": Department.objects.filter(region=plan.region) if is_admin else None,
        "own_department": access.user_department(request.user),
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
