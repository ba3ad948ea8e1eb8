"""Pages. Thin: parse the request, call a selector, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from indicators import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_first()
    if plan is None:
        return render(request, "indicators/no_plan.html")
    return redirect("indicators:indicator-table", slug=plan.slug)


@login_required
def indicator_table(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.plan_get(slug=slug)
    table = selectors.indicator_table(plan=plan)
    return render(request, "indicators/indicator_table.html", {"plan": plan, **table})


@login_required
def task_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.plan_get(slug=slug)
    tasks = selectors.task_list(plan=plan)
    return render(request, "indicators/task_list.html", {"plan": plan, "tasks": tasks})
