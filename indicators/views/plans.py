"""Pages. Thin: parse the request, call a selector, render."""

from io import BytesIO

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from indicators import access
from indicators.access import role_required
from indicators.planbook import write_workbook
from indicators.selectors import plans as plan_selectors
from indicators.selectors.planbook import plan_raw
from indicators.uploads.template import XLSX_TYPE


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    """The plan chooser: the plans the user may see, grouped by region; straight to the plan
    when there is only one."""
    groups = plan_selectors.plans_by_region(access.plans_visible_to(request.user))
    plans = [plan for group in groups for plan in group["plans"]]
    if not plans:
        return render(request, "indicators/no_plan.html")
    if len(plans) == 1:
        return redirect("reports:overview", slug=plans[0].slug)
    return render(request, "indicators/plan_chooser.html", {"groups": groups})


@role_required()
def indicator_table(request: HttpRequest, slug: str) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    table = plan_selectors.indicator_table(plan=plan)
    return render(request, "indicators/indicator_table.html", {"plan": plan, **table})


@role_required()
def plan_workbook(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan as its plan workbook (the layout load_plan reads), for anyone who sees it."""
    plan = access.plan_for(request.user, slug)
    content = BytesIO()
    write_workbook(plan_raw(plan)).save(content)
    response = HttpResponse(content.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{plan.slug}.xlsx"
    )
    return response


@role_required()
def task_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    tasks = plan_selectors.task_list(plan=plan)
    return render(request, "indicators/task_list.html", {"plan": plan, "tasks": tasks})
