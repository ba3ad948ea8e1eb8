"""Pages. Thin: parse the request, call a selector, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from indicators.access import role_required
from indicators.selectors import plans as plan_selectors


@role_required()
def home(request: HttpRequest) -> HttpResponse:
    plan = plan_selectors.plan_first()
    if plan is None:
        return render(request, "indicators/no_plan.html")
    return redirect("reports:overview", slug=plan.slug)


@role_required()
def indicator_table(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_selectors.plan_get(slug=slug)
    table = plan_selectors.indicator_table(plan=plan)
    return render(request, "indicators/indicator_table.html", {"plan": plan, **table})


@role_required()
def task_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plan_selectors.plan_get(slug=slug)
    tasks = plan_selectors.task_list(plan=plan)
    return render(request, "indicators/task_list.html", {"plan": plan, "tasks": tasks})
