"""The indicator page: one indicator's standing in a period, its chart, its values, and the
tasks and departments behind it. Any role may read it.

Thin: read the period as every dashboard does (`forms.period_from_params`: ?year=&quarter=
&pending=, by default the latest period with approved data), ask `presenters.indicator_page`,
render. The standing comes from the progress engine, evaluated for this one indicator, so the
page agrees with the progress API for the same period and costs the same whatever the plan's
size. Queries (at most 20 in all, tested in tests/test_indicator_page.py): session, user and
role (3), the plan (1), the default period when none is asked for (1), the indicator with its
stages, targets and departments (4), its figures (1), its tasks (1), the values the user may
see (2–3), its supervision items (1), and the navigation bar (2); for an indicator with an
`assigned` or `qualitative` target, the values assigned from above or the judgements recorded
(1 each) and, for a regional reviewer or administrator, their regions (1) to offer the forms
that record them (`indicators.views.targets`) and the link that opens a supervision item.

For leaders and analysts the page's content comes from the cache while the indicator's figures
and 督办 items and the plan are unchanged (`reports.cached_pages`): 5 queries then (session,
user, role and scope, the plan, the navigation).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indicators import access, cache
from indicators.access import role_required
from indicators.domain import periods
from indicators.selectors import supervision as supervision_selectors
from reports import cached_pages, forms, presenters
from reports import selectors as dashboard


@role_required()
def indicator_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    plan = access.plan_for(request.user, slug)
    period = forms.period_from_params(
        request.GET, plan, lambda: dashboard.default_period(plan, periods.today())
    )
    # Its page changes with its own figures and items, those of the indicators its targets
    # refer to, and the plan; approving another indicator's figure leaves it cached.
    key = None
    if cached_pages.cached_for(request):
        key = dashboard.indicator_key(plan=plan, code=code)
    computed = {}
    body = cached_pages.body(
        request,
        "reports/_indicator_body.html",
        key=f"{plan.pk}:{code}:{period.query}",
        aspects=(cache.PLANS, *key.indicators) if key else (),
        context=lambda: computed.setdefault("context", _context(request, plan, code, period)),
        shared=key is not None and not period.errors,
    )
    title = key.name if key else computed["context"]["indicator"].name
    context = {"plan": plan, "period": period, "title": title, "body": body}
    # A refused parameter still shows the page, for the default period, with the message.
    status = 400 if period.errors else 200
    return render(request, "reports/indicator.html", context, status=status)


def _context(request: HttpRequest, plan, code: str, period: forms.Period) -> dict:
    page = presenters.indicator_page(
        plan=plan,
        code=code,
        user=request.user,
        year=period.year,
        quarter=period.quarter,
        include_pending=period.include_pending,
    )
    return {
        "plan": plan,
        "period": period,
        "period_years": dashboard.plan_years(plan),
        "quarter_choices": forms.quarter_choices(),
        "page": page,
        "indicator": page.indicator,
        "card": page.card,
        "supervisions": supervision_selectors.indicator_supervisions(
            indicator=page.indicator, on=periods.today()
        ),
        "may_supervise": access.reviews(request.user, plan),
    }
