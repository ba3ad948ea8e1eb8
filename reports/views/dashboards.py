"""Leadership dashboards: the plan at a glance, one dimension, the departments, one department.

Thin views: read the period (`forms.period_from_params`), ask the selectors, render. Every
figure comes from the progress engine through `indicators.selectors.progress.progress_rows`, so
these pages agree with the progress API for the same period. Any role may read them.

Queries per page, whatever the plan's size (the budgets are tested in tests/test_overview.py
and tests/test_department_pages.py): session, user and role (2–3), the plan (1), the default
period when none is asked for (1), the progress rows (5), and per page: the departments of the
plan (1), completeness (3), a department's missing values (2), the plan's open 督办 items for
the departments' ranking (1), the overview's 督办 counts (1), a department's 督办 items (1);
plus the navigation (2). For leaders and analysts the overview's content comes from the cache
while its data is unchanged (`reports.cached_pages`): 5 queries then.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indicators import access, cache
from indicators.access import role_required
from indicators.domain import periods, progress
from indicators.models import Plan
from indicators.selectors import progress as progress_selectors
from indicators.selectors import supervision as supervision_selectors
from reports import cached_pages, charts, forms, presenters, ranking, selectors, wording
from reports.views.export import EXPORT_ROLES


def _period(request: HttpRequest, plan: Plan) -> forms.Period:
    return forms.period_from_params(
        request.GET, plan, lambda: selectors.default_period(plan, periods.today())
    )


def _rows(plan: Plan, period: forms.Period) -> list[progress_selectors.ProgressRow]:
    return progress_selectors.progress_rows(
        plan=plan,
        period=periods.Period.of(period.year, period.quarter),
        include_pending=period.include_pending,
    )


def _links(plan: Plan, period: forms.Period, departments=None) -> presenters.Links:
    """Links to indicator and department pages for the same period (1 query for the plan's
    departments unless they are given)."""
    if departments is None:
        departments = selectors.plan_departments(plan)
    return presenters.Links(plan.slug, period.query, departments)


def _standing(rows: list[progress_selectors.ProgressRow]) -> dict:
    """The summary sentence, the counts and their chart for a set of progress rows."""
    counts = progress_selectors.status_counts(rows)
    return {
        "summary": wording.status_sentence(counts),
        "counts": presenters.counts_shown(counts),
        "lights": progress_selectors.light_counts(rows),
        "status_figure": charts.status_counts_figure(counts),
    }


def _page(plan: Plan, period: forms.Period, context: dict) -> dict:
    """A dashboard's context with its period selector."""
    return {
        "plan": plan,
        "period": period,
        "period_years": selectors.plan_years(plan),
        "quarter_choices": forms.quarter_choices(),
        **context,
    }


def _render(request, template: str, plan: Plan, period: forms.Period, context: dict):
    """Render a dashboard with its period selector; 400 when a parameter was refused (the page
    still shows, for the default period, with the message)."""
    return render(request, template, _page(plan, period, context), status=_status(period))


def _status(period: forms.Period) -> int:
    return 400 if period.errors else 200


@role_required()
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    period = _period(request, plan)
    body = cached_pages.body(
        request,
        "reports/_overview_body.html",
        key=f"{plan.pk}:{period.query}",
        aspects=(
            progress_selectors.rows_aspect(period.include_pending),
            cache.FIRST_SUBMITTED,  # completeness
            cache.SUPERVISION,
            cache.PLANS,
        ),
        context=lambda: _page(plan, period, _overview(request, plan, period)),
        shared=not period.errors,
    )
    # The frame around the content needs only the plan and the period.
    context = {"plan": plan, "period": period, "body": body}
    return render(request, "reports/overview.html", context, status=_status(period))


def _overview(request: HttpRequest, plan: Plan, period: forms.Period) -> dict:
    rows = _rows(plan, period)
    items = presenters.cards(rows, _links(plan, period))
    tallies = selectors.completeness(plan=plan, year=period.year, today=periods.today())
    milestone, share = progress.schedule_position(
        plan.baseline_year, plan.milestone_years, periods.Period.of(period.year, period.quarter)
    )
    return {
        **_standing(rows),
        "time_progress": wording.time_sentence(milestone, share),
        "time_share": wording.percent_shown(share),
        "dimensions": presenters.by_dimension(items),
        "attention": presenters.attention(items),
        "warned": presenters.warned(items),
        "overdue": selectors.overdue_by_department(tallies),
        # the annual evaluation's written summary, the same text as the workbook's 评估摘要
        "evaluation_summary": wording.evaluation_summary(rows, plan, period.year, period.quarter),
        "can_export": access.user_role(request.user) in EXPORT_ROLES,
        "supervision_counts": supervision_selectors.plan_counts(plan=plan, on=periods.today()),
    }


@role_required()
def dimension(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    chosen = selectors.dimension_get(plan=plan, pk=pk)
    period = _period(request, plan)
    # The engine evaluates the whole plan (a fixed cost); the page keeps this dimension's rows.
    rows = [row for row in _rows(plan, period) if row.indicator.dimension_id == chosen.pk]
    context = {
        **_standing(rows),
        "dimension": chosen,
        "cards": presenters.cards(rows, _links(plan, period)),
    }
    return _render(request, "reports/dimension.html", plan, period, context)


@role_required()
def departments(request: HttpRequest, slug: str) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    period = _period(request, plan)
    rows = _rows(plan, period)
    today = periods.today()
    tallies = selectors.completeness(plan=plan, year=period.year, today=today)
    overdue = selectors.overdue_by_department(tallies)
    table = presenters.departments_table(rows, selectors.plan_departments(plan), overdue)
    items = supervision_selectors.supervisions(plans=[plan], open_only=True)
    ranking.add_ranking(table["rows"], rows, tallies, items, today)
    key, reverse = ranking.chosen_sort(request.GET.get("sort"))
    table["rows"] = ranking.ranked(table["rows"], key, reverse)
    table["sorts"] = ranking.sort_links(key, reverse)
    return _render(request, "reports/departments.html", plan, period, table)


@role_required()
def department(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    departments = selectors.plan_departments(plan)
    chosen = selectors.department_get(departments, pk=pk)
    period = _period(request, plan)
    today = periods.today()
    items = presenters.cards(_rows(plan, period), _links(plan, period, departments))
    lead, shared = presenters.department_cards(items, chosen.name)
    tallies = selectors.completeness(plan=plan, year=period.year, today=today)
    context = {
        **_standing([item["row"] for item in lead]),
        "department": chosen,
        "lead_cards": lead,
        "shared_cards": shared,
        "tallies": selectors.department_tallies(tallies, chosen),
        "missing": selectors.department_missing(
            plan=plan, department=chosen, year=period.year, today=today
        ),
        "supervisions": supervision_selectors.department_supervisions(
            plan=plan, department=chosen, on=today
        ),
    }
    return _render(request, "reports/department.html", plan, period, context)
