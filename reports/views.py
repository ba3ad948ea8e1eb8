"""Leadership dashboards: the plan at a glance, one dimension, the departments, one department.

Thin views: read the period (`forms.period_from_params`), ask the selectors, render. Every
figure comes from the progress engine through `indicators.selectors.progress_rows`, so these
pages agree with the progress API for the same period. Any role may read them.

Queries per page, whatever the plan's size (the budgets are tested in tests/test_overview.py
and tests/test_department_pages.py): session, user and role (2–3), the plan (1), the default
period when none is asked for (1), the progress rows (5), and per page: the departments of the
plan (1), completeness (3), a department's missing values (2); plus the navigation (2).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indicators import calendar, progress, selectors
from indicators.models import Plan
from indicators.permissions import role_required
from reports import charts, forms, narrative, summary
from reports import selectors as dashboard
from reports.views_export import EXPORT_ROLES


def _period(request: HttpRequest, plan: Plan) -> forms.Period:
    return forms.period_from_params(
        request.GET, plan, lambda: dashboard.default_period(plan, calendar.today())
    )


def _rows(plan: Plan, period: forms.Period) -> list[selectors.ProgressRow]:
    return selectors.progress_rows(
        plan=plan,
        year=period.year,
        quarter=period.quarter,
        include_pending=period.include_pending,
    )


def _links(plan: Plan, period: forms.Period, departments=None) -> dashboard.Links:
    """Links to indicator and department pages for the same period (1 query for the plan's
    departments unless they are given)."""
    if departments is None:
        departments = dashboard.plan_departments(plan)
    return dashboard.Links(plan.slug, period.query, departments)


def _standing(rows: list[selectors.ProgressRow]) -> dict:
    """The summary sentence, the counts and their chart for a set of progress rows."""
    counts = selectors.status_counts(rows)
    return {
        "summary": summary.status_sentence(counts),
        "counts": dashboard.counts_shown(counts),
        "status_figure": charts.status_counts_figure(counts),
    }


def _render(request, template: str, plan: Plan, period: forms.Period, context: dict):
    """Render a dashboard with its period selector; 400 when a parameter was refused (the page
    still shows, for the default period, with the message)."""
    context = {
        "plan": plan,
        "period": period,
        "period_years": dashboard.plan_years(plan),
        "quarter_choices": forms.quarter_choices(),
        **context,
    }
    return render(request, template, context, status=400 if period.errors else 200)


@role_required()
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.plan_get(slug=slug)
    period = _period(request, plan)
    rows = _rows(plan, period)
    items = dashboard.cards(rows, _links(plan, period))
    periods = dashboard.completeness(plan=plan, year=period.year, today=calendar.today())
    milestone, share = progress.schedule_position(
        plan.baseline_year, plan.milestone_years, period.year, period.quarter
    )
    context = {
        **_standing(rows),
        "time_progress": summary.time_sentence(milestone, share),
        "time_share": summary.percent(share),
        "dimensions": dashboard.by_dimension(items),
        "attention": dashboard.attention(items),
        "overdue": dashboard.overdue_by_department(periods),
        # the annual evaluation's written summary, the same text as the workbook's 评估摘要
        "evaluation_summary": narrative.evaluation_summary(rows, plan, period.year, period.quarter),
        "can_export": selectors.user_role(request.user) in EXPORT_ROLES,
    }
    return _render(request, "reports/overview.html", plan, period, context)


@role_required()
def dimension(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = selectors.plan_get(slug=slug)
    chosen = dashboard.dimension_get(plan=plan, pk=pk)
    period = _period(request, plan)
    # The engine evaluates the whole plan (a fixed cost); the page keeps this dimension's rows.
    rows = [row for row in _rows(plan, period) if row.indicator.dimension_id == chosen.pk]
    context = {
        **_standing(rows),
        "dimension": chosen,
        "cards": dashboard.cards(rows, _links(plan, period)),
    }
    return _render(request, "reports/dimension.html", plan, period, context)


@role_required()
def departments(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.plan_get(slug=slug)
    period = _period(request, plan)
    rows = _rows(plan, period)
    periods = dashboard.completeness(plan=plan, year=period.year, today=calendar.today())
    overdue = dashboard.overdue_by_department(periods)
    table = dashboard.departments_table(rows, dashboard.plan_departments(plan), overdue)
    return _render(request, "reports/departments.html", plan, period, table)


@role_required()
def department(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = selectors.plan_get(slug=slug)
    departments = dashboard.plan_departments(plan)
    chosen = dashboard.department_get(departments, pk=pk)
    period = _period(request, plan)
    today = calendar.today()
    items = dashboard.cards(_rows(plan, period), _links(plan, period, departments))
    lead, shared = dashboard.department_cards(items, chosen.name)
    periods = dashboard.completeness(plan=plan, year=period.year, today=today)
    context = {
        **_standing([item["row"] for item in lead]),
        "department": chosen,
        "lead_cards": lead,
        "shared_cards": shared,
        "tallies": dashboard.department_tallies(periods, chosen),
        "missing": dashboard.department_missing(
            plan=plan, department=chosen, year=period.year, today=today
        ),
    }
    return _render(request, "reports/department.html", plan, period, context)
