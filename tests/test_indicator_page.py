"""The indicator page (/plans/<slug>/indicators/<code>/): who may see it, the period it shows,
that its standing agrees with the progress API, its chart, its values, and its query budget.

The page evaluates its one indicator with the engine's pieces rather than the whole plan
(reports.presenters.indicator_page); the first tests check, for every indicator of the plan, that
this gives exactly what `progress_selectors.progress_rows` (the API's source) gives."""

import html
import json
import re
from decimal import Decimal as D

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from indicators.domain.periods import Period
from indicators.domain.statuses import FLAG_LABELS, STATUS_COLOURS, status_label
from indicators.models import Actual, Department, Indicator, Stage, TaskIndicator
from indicators.selectors import progress as progress_selectors
from indicators.services.actuals import Entry, actual_create
from reports import selectors as dashboard
from tests.conftest import PLAN_SLUG

API = f"/api/v1/plans/{PLAN_SLUG}/progress/"
SERIES = {"季度值", "全年值", "基期值", "目标值", "序时进度路径"}


def url(code: str, slug: str = PLAN_SLUG) -> str:
    return reverse("reports:indicator", args=[slug, code])


def report(user, code, year, quarter, value=None, stage=None, state="approved"):
    """A stored value in `state`; an approved one is also the figure in force."""
    indicator = Indicator.objects.get(plan__slug=PLAN_SLUG, code=code)
    stage_row = Stage.objects.get(indicator=indicator, label=stage) if stage else None
    value = None if value is None else D(value)
    in_force = {}
    if state == "approved":
        in_force = {"approved_value": value, "approved_stage": stage_row,
                    "approved_source": "县统计局", "approved_by": user}  # fmt: skip
    return Actual.objects.create(
        indicator=indicator, year=year, quarter=quarter, value=value, stage=stage_row,
        source="县统计局", state=state, created_by=user, updated_by=user, **in_force,
    )  # fmt: skip


def submit(clerk, code, value, year=2026, quarter=3) -> Actual:
    """A value a clerk entered and submitted through the reporting service."""
    indicator = Indicator.objects.get(plan__slug=PLAN_SLUG, code=code)
    entry = Entry(year=year, quarter=quarter, value=D(value), source="县统计局快报")
    return actual_create(user=clerk, indicator=indicator, entry=entry, submit=True)


@pytest.fixture
def values(clerk_kgj, reviewer):
    """Approved values of every kind over 2025–2026, and pending ones (the engine decides the
    statuses)."""
    for quarter, value in ((1, "8"), (2, "17"), (3, "27")):
        report(reviewer, "gross_output", 2026, quarter, value)  # year to date, annualised
    report(reviewer, "gross_output", 2025, None, "30")
    report(reviewer, "cross_border_ecommerce", 2026, 3, "380")
    report(reviewer, "crime_growth", 2026, 3, "-7.6")
    report(reviewer, "above_scale_enterprises", 2026, 3, "5")
    report(reviewer, "gdp_share", 2025, None, "12")  # stands in for the missing baseline
    report(reviewer, "gdp_share", 2026, 3, "13")
    report(reviewer, "safety_accidents", 2026, 1, "0")
    report(reviewer, "safety_accidents", 2026, 2, "1")
    report(reviewer, "regional_brand", 2026, 2, stage="成功注册")
    report(reviewer, "ecommerce_volume", 2026, 2, "5")
    submit(clerk_kgj, "ecommerce_volume", "9")  # 2026 Q3, pending review
    submit(clerk_kgj, "above_scale_enterprises", "1", quarter=2)


def page_of(response) -> str:
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def chart(page: str) -> dict:
    found = re.search(r'<script id="indicator-chart" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def standing(page: str) -> str:
    return re.search(r'<section class="standing status-panel".*?</section>', page, re.S).group(0)


def printed_status(page: str) -> str:
    return re.search(r'<section class="standing status-panel" data-status="(\w+)"', page).group(1)


def printed_flags(page: str) -> list[str]:
    flags = re.search(r'<ul class="flags">(.*?)</ul>', standing(page), re.S)
    if not flags:
        return []
    return [html.unescape(flag) for flag in re.findall(r"<li>(.*?)</li>", flags.group(1))]


def api_rows(api, **params) -> dict:
    response = api.get(API, params)
    assert response.status_code == 200, response.content
    return {row["code"]: row for row in response.json()["indicators"]}


# --- the same answer as the engine over the whole plan --------------------------------------


PERIODS = [(2025, None), (2026, 1), (2026, 2), (2026, 3), (2026, None), (2029, 1)]


@pytest.mark.parametrize("include_pending", [False, True])
def test_every_indicator_evaluates_as_in_progress_rows(plan, values, include_pending):
    indicators = {code: dashboard.indicator_get(plan=plan, code=code)
                  for code in plan.indicators.values_list("code", flat=True)}  # fmt: skip
    for year, quarter in PERIODS:
        rows = progress_selectors.progress_rows(
            plan=plan, period=Period.of(year, quarter), include_pending=include_pending
        )
        for row in rows:
            indicator = indicators[row.indicator.code]
            spec = dashboard.indicator_spec(indicator, plan.baseline_year)
            figures = progress_selectors.indicator_figures(indicator, include_pending)
            result, stage, _shown = progress_selectors.evaluate_period(
                spec,
                figures,
                Period.of(year, quarter),
                indicator.frequency,
                dashboard.recorded_for(indicator),
            )
            assert (result, stage) == (row.progress, row.stage), (row.indicator.code, year, quarter)


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk_kgj", "clerk_rsj", "reviewer", "leader", "analyst"])
def test_every_role_sees_the_page(request, client, plan, who):
    client.force_login(request.getfixturevalue(who))
    page = page_of(client.get(url("gross_output")))
    assert "全产业链总产值（亿元）" in page


def test_a_user_without_a_role_gets_403(client, outsider):
    client.force_login(outsider)
    assert client.get(url("gross_output")).status_code == 403


def test_anonymous_users_go_to_the_login_page(client, plan):
    response = client.get(url("gross_output"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_code_or_plan_is_404(leader_client, plan):
    assert leader_client.get(url("no_such_indicator")).status_code == 404
    assert leader_client.get(url("gross_output", slug="no-such-plan")).status_code == 404


# --- the standing agrees with the progress API ------------------------------------------------

# Every kind, a missing baseline, a lower-is-better rate, a pending value.
CODES = [
    "gross_output", "cross_border_ecommerce", "crime_growth", "above_scale_enterprises",
    "gdp_share", "safety_accidents", "regional_brand", "ecommerce_volume", "average_wage",
]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "api_params"),
    [
        ({"year": 2026, "quarter": 3}, {"year": 2026, "quarter": 3}),
        ({"year": 2026, "quarter": 2}, {"year": 2026, "quarter": 2}),
        ({"year": 2026, "quarter": 0}, {"year": 2026}),
        ({"year": 2026, "quarter": 3, "pending": 1},
         {"year": 2026, "quarter": 3, "include_pending": "true"}),
    ],
)  # fmt: skip
def test_name_status_and_flags_agree_with_the_api(leader_client, api, values, params, api_params):
    rows = api_rows(api, **api_params)
    for code in CODES:
        page = page_of(leader_client.get(url(code), params))
        row = rows[code]
        indicator = Indicator.objects.get(plan__slug=PLAN_SLUG, code=code)
        badge = ' <span class="badge binding" title="约束性指标：必须完成">约束性</span>'
        shown = indicator.printed_name + (badge if indicator.binding else "")
        assert f'<h1 class="indicator-name">{shown}</h1>' in page
        assert printed_status(page) == row["status"], code
        assert f'<span class="status-badge">{row["status_label"]}</span>' in standing(page)
        assert f"--status:#{STATUS_COLOURS[row['status']]}" in standing(page)
        with translation.override("zh-hans"):
            assert printed_flags(page) == [str(FLAG_LABELS[f]) for f in row["flags"]], code
        if row["ratio"] is not None:
            ratio = round(D(row["ratio"]) * 100, 1).normalize()
            assert f'<dd class="ratio">{ratio:f}%</dd>' in page, code


def test_the_worked_example_reads_as_the_plan_would(leader_client, values):
    page = page_of(leader_client.get(url("gross_output"), {"year": 2026, "quarter": 3}))
    panel = standing(page)
    assert "滞后于序时进度" in panel  # 27 by Q3 is 36 a year: R = 0.769
    assert '<dd class="ratio">76.9%</dd>' in panel
    assert "折算全年：36亿元" in panel
    assert '<dd class="expected">37.8亿元</dd>' in panel
    assert '<dd class="target">60亿元</dd>' in panel
    assert '<dd class="time-progress">25%</dd>' in panel  # 2026 Q3 (t = 2025.75) of 2025–2028
    assert "按年初至今累计值折算全年" in printed_flags(page)


# --- the chart --------------------------------------------------------------------------------


def test_the_chart_carries_the_named_series(leader_client, values):
    page = page_of(leader_client.get(url("gross_output"), {"year": 2026, "quarter": 3}))
    figure = chart(page)
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert set(traces) == SERIES
    assert traces["全年值"]["x"] == [2025] and traces["全年值"]["y"] == [30]
    assert traces["季度值"]["y"] == [32, 34, 36]  # annualised, as the engine compares them
    path = dict(zip(traces["序时进度路径"]["x"], traces["序时进度路径"]["y"], strict=True))
    assert path[2025] == 30 and path[2028] == 60 and path[2030] == 100
    assert path[2026.5] < 45  # geometric: below the straight line from 30 to 60
    assert "滞后于序时进度" in figure["layout"]["title"]["text"]
    assert '<div class="chart" data-chart="indicator-chart" style="height:360px"></div>' in page


def test_milestone_and_zero_event_charts(leader_client, values):
    brand = chart(page_of(leader_client.get(url("regional_brand"), {"year": 2026, "quarter": 3})))
    assert brand["layout"]["yaxis"]["ticktext"] == ["未注册", "成功注册", "省内外知名"]
    assert {t["name"] for t in brand["data"]} == {"季度值", "目标值"}
    events = chart(
        page_of(leader_client.get(url("safety_accidents"), {"year": 2026, "quarter": 3}))
    )
    bars = next(t for t in events["data"] if t["name"] == "季度值")
    assert bars["type"] == "bar" and bars["y"] == [0, 1]


def test_scripts_come_from_our_static_files_once(leader_client, values):
    page = page_of(leader_client.get(url("gross_output")))
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]*)\"", page)
    assert sources == [static("vendor/plotly.min.js"), static("js/charts.js")]
    assert all(src.startswith(static("")) for src in sources)
    assert "//cdn" not in page and "https://" not in "".join(sources)
    assert page.count(static("css/dashboard.css")) == 1


# --- the period and the include-pending switch ------------------------------------------------


def test_the_default_period_is_the_latest_with_approved_data(leader_client, values, reviewer):
    page = page_of(leader_client.get(url("gross_output")))
    assert "<h2>2026年第3季度</h2>" in standing(page)
    report(reviewer, "villages_1m", 2026, None, "3")  # a whole-year figure: after Q4
    page = page_of(leader_client.get(url("gross_output")))
    assert "<h2>2026年（全年）</h2>" in standing(page)


def test_the_period_switch(leader_client, values):
    q3 = page_of(leader_client.get(url("above_scale_enterprises"), {"year": 2026, "quarter": 3}))
    q1 = page_of(leader_client.get(url("above_scale_enterprises"), {"year": 2026, "quarter": 1}))
    assert printed_status(q3) == "achieved_milestone" and printed_status(q1) == "no_data"
    assert "<h2>2026年第1季度</h2>" in standing(q1)
    assert '<option value="1" selected>' in q1 and '<option value="2026" selected>' in q1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "年份须为数字，例如 2026。"),
        ({"year": "1999", "quarter": "1"}, "请选择2025年至2035年之间的年份。"),
        ({"year": "2026", "quarter": "7"}, "季度须为 1 至 4，全年数值请用 0。"),
    ],
)
def test_bad_period_parameters_say_so_in_chinese(leader_client, values, params, message):
    response = leader_client.get(url("gross_output"), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<h2>2026年第3季度</h2>" in standing(page)  # the default period instead


def test_the_include_pending_switch(leader_client, values):
    off = page_of(leader_client.get(url("ecommerce_volume"), {"year": 2026, "quarter": 3}))
    on = page_of(
        leader_client.get(url("ecommerce_volume"), {"year": 2026, "quarter": 3, "pending": 1})
    )
    assert printed_status(off) == "no_data"
    assert printed_status(on) != "no_data"
    assert "未经审核" in printed_flags(on)
    assert "已包含待审核（未经审核）数据" in on and "已包含待审核（未经审核）数据" not in off
    assert 'name="pending" value="1" checked' in on
    assert "with-pending" in on and "with-pending" not in off
    # The chart draws the pending value in place, hollow, and says so.
    quarterly = next(t for t in chart(on)["data"] if t["name"] == "季度值")
    assert quarterly["marker"]["symbol"] == ["circle", "circle-open"]
    assert "未经审核" in quarterly["hovertext"][-1]
    assert len(next(t for t in chart(off)["data"] if t["name"] == "季度值")["y"]) == 1


# --- what the page tells about the indicator --------------------------------------------------


def test_departments_tasks_and_links(leader_client, plan, values):
    page = page_of(leader_client.get(url("ecommerce_volume"), {"year": 2026, "quarter": 3}))
    link = TaskIndicator.objects.select_related("task").get(indicator__code="ecommerce_volume")
    assert html.escape(link.clause) in page and link.task.name in page
    leads = re.search(r'<dd class="leads">(.*?)</dd>', page, re.S).group(1)
    kgj = Department.objects.get(name="县科工局")
    department = reverse("reports:department", args=[PLAN_SLUG, kgj.pk])
    assert f'<a href="{department}?year=2026&amp;quarter=3">县科工局</a>' == leads
    responsible = re.search(r'<dd class="responsible">(.*?)</dd>', page, re.S).group(1)
    assert "县交通运输局" in responsible and "县邮政公司" in responsible
    query = "?year=2026&amp;quarter=3"
    assert f'href="{reverse("reports:overview", args=[PLAN_SLUG])}{query}"' in page
    dimension = Indicator.objects.get(plan=plan, code="ecommerce_volume").dimension
    assert f'href="{reverse("reports:dimension", args=[PLAN_SLUG, dimension.pk])}{query}"' in page
    assert "年度累计值（1—N季度累计）" in page  # the kind
    assert '<dd class="baseline">7亿元' in page


def test_the_table_of_values(client, leader, clerk_kgj, values):
    client.force_login(leader)
    page = page_of(client.get(url("ecommerce_volume")))
    rows = dict(re.findall(r'<tr data-year="2026" data-quarter="(\d)" data-state="(\w+)">', page))
    assert rows == {"2": "approved", "3": "submitted"}  # a leader sees submissions too
    approved = Actual.objects.get(indicator__code="ecommerce_volume", quarter=2)
    row = re.search(r'<tr data-year="2026" data-quarter="2".*?</tr>', page, re.S).group(0)
    assert '<td class="num in-force">5亿元</td>' in row
    assert '<td class="source">县统计局</td>' in row
    assert "reviewer" in row  # entered and approved by
    assert reverse("indicators:actual-history", args=[approved.pk]) in row
    pending = re.search(r'<tr data-year="2026" data-quarter="3".*?</tr>', page, re.S).group(0)
    assert '<td class="num in-force">-</td>' in pending
    assert '<td class="num working">9亿元</td>' in pending
    assert "clerk_kgj" in pending


def test_a_correction_under_review_shows_beside_the_figure_in_force(client, leader, reviewer):
    actual = report(reviewer, "employment", 2026, 2, "2.1")
    actual.value, actual.state = D("2.4"), "submitted"
    actual.save()
    client.force_login(leader)
    page = page_of(client.get(url("employment")))
    row = re.search(r'<tr data-year="2026" data-quarter="2".*?</tr>', page, re.S).group(0)
    assert '<td class="num in-force">2.1万人</td>' in row
    assert '<td class="num working">2.4万人</td>' in row


def test_drafts_are_shown_only_to_those_who_may_see_them(client, clerk_kgj, leader):
    indicator = Indicator.objects.get(plan__slug=PLAN_SLUG, code="ecommerce_volume")
    entry = Entry(year=2026, quarter=1, value=D(3), source="台账")
    actual_create(user=clerk_kgj, indicator=indicator, entry=entry, submit=False)
    client.force_login(clerk_kgj)
    assert 'data-state="draft"' in page_of(client.get(url("ecommerce_volume")))
    client.force_login(leader)
    assert 'data-state="draft"' not in page_of(client.get(url("ecommerce_volume")))


def test_the_page_in_english(client, leader, values):
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    page = page_of(client.get(url("gross_output"), {"year": 2026, "quarter": 3}))
    with translation.override("en"):
        assert status_label("behind") in standing(page)
    assert {t["name"] for t in chart(page)["data"]} >= {"Quarterly values", "Expected path"}


# --- constant queries -------------------------------------------------------------------------


# Expected queries, whatever the plan's size: session, user, the user's role (3); the plan; the
# default period (without parameters); the indicator, its stages, targets and departments (4);
# its figures; its tasks; the user's role again and the values they may see (2, and the clerk's
# department for a clerk); the navigation (plans, role): 15 at most, 16 for a clerk. An indicator
# with an `assigned` target adds the list of its assigned values, one with a `qualitative` target
# the list of its judgements (1 each, reports.presenters.target_records, besides what the engine
# reads, reports.selectors.recorded_for), and then a reviewer or administrator with a regional
# scope their regions (1, access.reviews, to offer the forms); the 陆河 plan has no such target:
# tests/test_target_records.py checks those pages stay within this budget, whatever the rows.
@pytest.mark.parametrize("params", [{}, {"year": 2026, "quarter": 3, "pending": 1}])
@pytest.mark.parametrize("who", ["leader", "clerk_kgj"])
def test_query_budget_on_the_luhe_plan(request, client, values, params, who,
                                       django_assert_max_num_queries):  # fmt: skip
    client.force_login(request.getfixturevalue(who))
    for code in ("gross_output", "ecommerce_volume", "regional_brand"):
        with django_assert_max_num_queries(20):
            assert client.get(url(code), params).status_code == 200


@pytest.mark.parametrize("params", [{}, {"year": 2027, "quarter": 2, "pending": 1}])
def test_query_budget_on_a_300_indicator_plan(leader_client, synthetic_300, params,
                                              django_assert_max_num_queries):  # fmt: skip
    for code in ("ind0", "ind4", "ind5", "ind299"):  # a level, a zero event, a milestone
        with django_assert_max_num_queries(20):
            response = leader_client.get(url(code, "synthetic"), params)
        page = page_of(response)
        assert len(re.findall(r'<tr data-year="\d+"', page)) == 20  # 5 years of quarters
    assert {t["name"] for t in chart(page)["data"]} >= {"季度值", "目标值"}
