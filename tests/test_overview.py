"""The overview (/plans/<slug>/) and dimension pages: who may see them, the period they show,
and that what they print agrees with the progress API for the same period.

Approved values are made either through the reporting services (a clerk submits, the reviewer
approves) or stored directly with their figure in force, as tests/test_progress_api.py does.
"""

import html
import re
from decimal import Decimal as D

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from indicators.domain.periods import Period
from indicators.domain.warnings import Explanation
from indicators.models import Actual, Dimension, Indicator, Stage
from indicators.services.actuals import Entry, actual_approve, actual_create
from reports import wording
from tests.conftest import PLAN_SLUG
from tests.factories import make_synthetic_plan

OVERVIEW = reverse("reports:overview", args=[PLAN_SLUG])
API = f"/api/v1/plans/{PLAN_SLUG}/progress/"


# --- helpers shared with tests/test_department_pages.py ------------------------------------------


def report(user, code, year, quarter, value=None, stage=None, state="approved", slug=PLAN_SLUG):
    """A stored value in `state`; an approved one is also the figure in force."""
    indicator = Indicator.objects.get(plan__slug=slug, code=code)
    stage_row = Stage.objects.get(indicator=indicator, label=stage) if stage else None
    value = None if value is None else D(value)
    in_force = {"approved_value": value, "approved_stage": stage_row} if state == "approved" else {}
    return Actual.objects.create(
        indicator=indicator, year=year, quarter=quarter, value=value, stage=stage_row,
        source="县统计局", state=state, created_by=user, updated_by=user, **in_force,
    )  # fmt: skip


WHY = Explanation("订单不足", "走访重点企业", "at_risk")


def submitted(clerk, code, value, year=2026, quarter=3) -> Actual:
    """A value a clerk entered and submitted through the reporting service, with a 滞后说明
    (needed when the value lags, kept when it does not)."""
    indicator = Indicator.objects.get(plan__slug=PLAN_SLUG, code=code)
    entry = Entry(
        year=year, quarter=quarter, value=D(value), source="县统计局快报", explanation=WHY
    )
    return actual_create(user=clerk, indicator=indicator, entry=entry, submit=True)


def card(page: str, code: str) -> str:
    """The card of one indicator, as printed."""
    return re.search(rf'<article [^>]*data-code="{code}".*?</article>', page, re.S).group(0)


def card_statuses(page: str) -> dict[str, str]:
    """Status per indicator code, as the cards print it."""
    found = re.findall(r'<article class="status-card[^"]*"[^>]*data-code="([^"]+)" '
                       r'data-status="([^"]+)"', page)  # fmt: skip
    return dict(found)


def printed_counts(page: str) -> dict[str, int]:
    found = re.findall(r'<li data-status="(\w+)" data-count="(\d+)"', page)
    return {status: int(count) for status, count in found}


def printed_summary(page: str) -> str:
    return html.unescape(re.search(r'<p class="summary">(.*?)</p>', page, re.S).group(1))


def api_body(api, **params) -> dict:
    response = api.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def script_sources(page: str) -> list[str]:
    return re.findall(r"<script[^>]*\ssrc=\"([^\"]*)\"", page)


def assert_scripts_are_ours(page: str) -> None:
    """Every script comes from our own static files: nothing from a CDN or another host."""
    for src in script_sources(page):
        assert src.startswith(static("")), src
    assert "//cdn" not in page and "https://" not in "".join(script_sources(page))


@pytest.fixture
def worked_examples(clerk_kgj):
    """Approved 2026 Q3 values covering several statuses (the engine decides which)."""
    report(clerk_kgj, "gross_output", 2026, 3, "27")  # year to date, annualised to 36
    report(clerk_kgj, "cross_border_ecommerce", 2026, 3, "380")
    report(clerk_kgj, "crime_growth", 2026, 3, "-7.6")
    report(clerk_kgj, "above_scale_enterprises", 2026, 3, "5")
    report(clerk_kgj, "employment", 2026, 3, "2.1")
    report(clerk_kgj, "safety_accidents", 2026, 3, "1")


# --- who may see the pages -----------------------------------------------------------------------


def dimension_url(plan, order=1) -> str:
    dimension = Dimension.objects.get(plan=plan, order=order)
    return reverse("reports:dimension", args=[plan.slug, dimension.pk])


@pytest.mark.parametrize("who", ["clerk_kgj", "reviewer", "leader", "analyst"])
def test_every_role_sees_the_overview_and_a_dimension(request, client, plan, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(OVERVIEW).status_code == 200
    assert client.get(dimension_url(plan)).status_code == 200


def test_a_user_without_a_role_gets_403(client, plan, outsider):
    client.force_login(outsider)
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(dimension_url(plan)).status_code == 403


def test_anonymous_users_go_to_the_login_page(client, plan):
    for url in (OVERVIEW, dimension_url(plan)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_unknown_plan_and_another_plans_dimension_are_404(leader_client, plan):
    other = make_synthetic_plan(12, slug="other")
    foreign = Dimension.objects.filter(plan=other).first()
    assert leader_client.get("/plans/nope/").status_code == 404
    url = reverse("reports:dimension", args=[PLAN_SLUG, foreign.pk])
    assert leader_client.get(url).status_code == 404


# --- what the overview says agrees with the progress API -----------------------------------------


def test_summary_counts_and_cards_agree_with_the_api(leader_client, api, worked_examples):
    page = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3}).content.decode()
    body = api_body(api, year=2026, quarter=3)
    assert printed_counts(page) == body["summary"]
    with translation.override("zh-hans"):
        expected = wording.status_sentence(body["summary"])
    assert printed_summary(page) == expected
    assert expected.startswith("30项指标中，已完成阶段目标1项，快于序时进度1项，")
    assert card_statuses(page) == {row["code"]: row["status"] for row in body["indicators"]}
    # the statuses the worked examples were chosen for (the engine decides them)
    assert card_statuses(page)["crime_growth"] == "regressing"
    assert card_statuses(page)["safety_accidents"] == "failed"


def test_the_default_period_is_the_latest_with_approved_data(leader_client, api, clerk_kgj):
    report(clerk_kgj, "employment", 2026, 1, "2.1")
    report(clerk_kgj, "employment", 2026, 2, "2.2")
    report(clerk_kgj, "gross_output", 2025, None, "30")
    page = leader_client.get(OVERVIEW).content.decode()
    assert "<h2>2026年第2季度</h2>" in page
    assert printed_counts(page) == api_body(api, year=2026, quarter=2)["summary"]
    assert re.search(r'<option value="2"\s+selected>第2季度</option>', page)


def test_a_whole_year_figure_counts_after_the_fourth_quarter(leader_client, clerk_kgj):
    report(clerk_kgj, "employment", 2025, 4, "2.0")
    report(clerk_kgj, "gross_output", 2025, None, "30")
    page = leader_client.get(OVERVIEW).content.decode()
    assert "<h2>2025年（全年）</h2>" in page


def test_without_approved_data_the_last_ended_quarter(leader_client, clerk_kgj):
    submitted(clerk_kgj, "above_scale_enterprises", "5", quarter=2)  # not approved: ignored
    page = leader_client.get(OVERVIEW).content.decode()
    assert "<h2>2026年第3季度</h2>" in page  # today is 2026-11-24


def test_time_progress_toward_the_next_milestone(leader_client):
    page = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3}).content.decode()
    assert "距2028年目标时间已过 25%" in page  # t = 2025.75: 0.75 of the 3 years from 2025
    page = leader_client.get(OVERVIEW, {"year": 2029, "quarter": 0}).content.decode()
    assert "距2030年目标时间已过 50%" in page


def test_the_period_switch_changes_the_figures(leader_client, api, clerk_kgj):
    report(clerk_kgj, "above_scale_enterprises", 2026, 2, "0")
    report(clerk_kgj, "above_scale_enterprises", 2026, 3, "5")
    q2 = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 2}).content.decode()
    q3 = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3}).content.decode()
    assert card_statuses(q2)["above_scale_enterprises"] == "far_behind"
    assert card_statuses(q3)["above_scale_enterprises"] == "achieved_milestone"
    assert printed_counts(q2) == api_body(api, year=2026, quarter=2)["summary"]
    assert printed_counts(q3) == api_body(api, year=2026, quarter=3)["summary"]
    assert printed_summary(q2) != printed_summary(q3)
    assert "距2028年目标时间已过 16.7%" in q2
    # the whole year of 2026 has no quarterly value of its own: no data for a level indicator?
    whole = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 0}).content.decode()
    assert printed_counts(whole) == api_body(api, year=2026)["summary"]


def test_the_include_pending_switch(leader_client, api, clerk_kgj):
    submitted(clerk_kgj, "above_scale_enterprises", "5")
    plain = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3}).content.decode()
    assert card_statuses(plain)["above_scale_enterprises"] == "no_data"
    assert "已包含待审核（未经审核）数据" not in plain
    assert 'class="dashboard with-pending"' not in plain

    response = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3, "pending": 1})
    page = response.content.decode()
    assert card_statuses(page)["above_scale_enterprises"] == "achieved_milestone"
    assert '<p class="pending-banner" role="status">已包含待审核（未经审核）数据</p>' in page
    assert 'class="dashboard with-pending"' in page
    provisional = r'class="status-card provisional"[^>]*data-code="above_scale_enterprises"'
    assert re.search(provisional, page)
    assert "未经审核" in page  # the card's provisional flag
    assert 'name="pending" value="1" checked' in page
    body = api_body(api, year=2026, quarter=3, include_pending="true")
    assert printed_counts(page) == body["summary"]
    # the switch is kept on the links between the dashboards
    assert "pending=1" in page


def test_a_value_approved_through_the_services_counts_without_the_switch(
    leader_client, api, clerk_kgj, reviewer
):
    actual_approve(user=reviewer, actual=submitted(clerk_kgj, "above_scale_enterprises", "5"))
    response = leader_client.get(OVERVIEW)  # the default period is now 2026 Q3
    page = response.content.decode()
    assert "<h2>2026年第3季度</h2>" in page
    assert card_statuses(page)["above_scale_enterprises"] == "achieved_milestone"
    assert printed_counts(page) == api_body(api, year=2026, quarter=3)["summary"]
    assert "pending-banner" not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "年份须为数字，例如 2026。"),
        ({"year": "1999", "quarter": "2"}, "请选择2025年至2035年之间的年份。"),
        ({"year": "2026", "quarter": "5"}, "季度须为 1 至 4，全年数值请用 0。"),
        ({"year": "2026", "quarter": "-1"}, "季度须为 1 至 4，全年数值请用 0。"),
        ({"year": "2026年"}, "年份须为数字，例如 2026。"),
        ({"year": "２０２６"}, "年份须为数字，例如 2026。"),
        ({"year": "²"}, "年份须为数字，例如 2026。"),
        ({"year": "2026", "quarter": "³"}, "季度须为 1 至 4，全年数值请用 0。"),
    ],
)
def test_bad_period_parameters_show_the_default_period(leader_client, clerk_kgj, params, message):
    report(clerk_kgj, "employment", 2026, 2, "2.2")
    response = leader_client.get(OVERVIEW, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "现显示2026年第2季度的数据。" in page
    assert "<h2>2026年第2季度</h2>" in page


def test_a_bad_pending_value_is_off_with_a_message(leader_client):
    response = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3, "pending": "yes"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“含待审核数据”开关只能为 1（开）或 0（关）" in page
    assert "<h2>2026年第3季度</h2>" in page
    assert "pending-banner" not in page


# --- what the overview shows ---------------------------------------------------------------------


def test_the_overview_lists_what_needs_attention(leader_client, worked_examples):
    page = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3}).content.decode()
    regressing = re.search(r'data-status="regressing">(.*?)</div>', page, re.S).group(1)
    assert "刑事治安警情增速" in regressing and "未明确" in regressing  # no lead department
    failed = re.search(r'data-status="failed">(.*?)</div>', page, re.S).group(1)
    assert "安全生产事故" in failed
    without_lead = re.search(r'data-list="without-lead">(.*?)</div>', page, re.S).group(1)
    assert without_lead.count("<li ") == 16
    without_baseline = re.search(r'data-list="without-baseline">(.*?)</div>', page, re.S)
    codes = re.findall(r'data-code="([^"]+)"', without_baseline.group(1))
    # as the engine flags them: a running total without a baseline starts from 0, unflagged
    assert codes == ["gdp_share", "skilled_talents", "digital_management_adopters"]
    # values overdue: every reporting department owes 2026 Q1–Q3, all past their deadline
    overdue = re.findall(r'data-department="([^"]+)" data-missing="(\d+)"', page)
    assert ("县科工局", "21") in overdue and ("县人社局", "9") in overdue
    kgj = re.search(r'data-department="县科工局".*?</li>', page, re.S).group(0)
    department = reverse("reports:department", args=[PLAN_SLUG, 0])[:-2]
    assert department in kgj


def test_the_grid_by_dimension(leader_client, plan, worked_examples):
    page = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3}).content.decode()
    for dimension in Dimension.objects.filter(plan=plan):
        assert f'href="{reverse("reports:dimension", args=[PLAN_SLUG, dimension.pk])}?' in page
    assert len(card_statuses(page)) == 30
    # the card of a value: its unit, the expected value, the ratio, the status colour
    cross = card(page, "cross_border_ecommerce")
    assert "380家" in cross and "350家" in cross and "160%" in cross and "快于序时进度" in cross
    assert "--status:#43A047" in cross
    assert reverse("reports:indicator", args=[PLAN_SLUG, "cross_border_ecommerce"]) in cross
    gross = card(page, "gross_output")
    assert "27亿元" in gross and "折算全年：36亿元" in gross


def test_the_overview_in_english(leader_client, worked_examples):
    leader_client.cookies["django_language"] = "en"
    page = leader_client.get(OVERVIEW, {"year": 2026, "quarter": 3}).content.decode()
    assert printed_summary(page).startswith("Of the 30 indicators, 1 achieved the milestone ")
    assert "25% of the time to the 2028 target has passed" in page


def test_the_dimension_page(leader_client, api, plan, worked_examples):
    dimension = Dimension.objects.get(plan=plan, name="企业培育")
    url = reverse("reports:dimension", args=[PLAN_SLUG, dimension.pk])
    page = leader_client.get(url, {"year": 2026, "quarter": 3}).content.decode()
    codes = set(dimension.indicators.values_list("code", flat=True))
    rows = [r for r in api_body(api, year=2026, quarter=3)["indicators"] if r["code"] in codes]
    assert card_statuses(page) == {row["code"]: row["status"] for row in rows}
    counts = printed_counts(page)
    assert sum(counts.values()) == len(rows) == 7
    with translation.override("zh-hans"):
        assert printed_summary(page) == wording.status_sentence(counts)
    assert printed_summary(page).startswith("7项指标中，已完成阶段目标1项，快于序时进度1项，")


# --- no script from elsewhere; constant queries --------------------------------------------------


def test_no_external_script_host(leader_client, plan, worked_examples):
    for url in (OVERVIEW, dimension_url(plan)):
        page = leader_client.get(url).content.decode()
        assert script_sources(page), url  # plotly.js is included
        assert_scripts_are_ours(page)


# Expected queries, whatever the plan's size: session, user, the user's role; the plan; the
# default period (without parameters); the progress rows (4 for the plan's parts, 1 for the
# values); the plan's departments; completeness (3); the navigation (plans, role).
@pytest.mark.parametrize("params", [{}, {"year": 2026, "quarter": 3, "pending": 1}])
def test_query_budget_on_the_luhe_plan(leader_client, plan, worked_examples, params,
                                       django_assert_max_num_queries):  # fmt: skip
    for url in (OVERVIEW, dimension_url(plan)):
        with django_assert_max_num_queries(20):
            assert leader_client.get(url, params).status_code == 200


@pytest.mark.parametrize("params", [{}, {"year": 2027, "quarter": 2, "pending": 1}])
def test_query_budget_on_a_300_indicator_plan(leader_client, synthetic_300, params,
                                              django_assert_max_num_queries):  # fmt: skip
    for url in (reverse("reports:overview", args=["synthetic"]), dimension_url(synthetic_300, 3)):
        with django_assert_max_num_queries(20):
            response = leader_client.get(url, params)
        assert response.status_code == 200
    assert len(card_statuses(response.content.decode())) == 30  # a tenth in each dimension
    overview = leader_client.get(reverse("reports:overview", args=["synthetic"]), params)
    assert len(card_statuses(overview.content.decode())) == 300


def test_overview_shows_the_evaluation_summary_and_export_links(client, plan, analyst, clerk_kgj):
    from django.utils.html import escape as html_escape

    client.force_login(analyst)
    html = client.get(f"/plans/{plan.slug}/?year=2026&quarter=3").content.decode()
    from indicators.selectors import progress as engine

    rows = engine.progress_rows(plan=plan, period=Period.of(2026, 3))
    for paragraph in wording.evaluation_summary(rows, plan, 2026, 3):
        assert html_escape(paragraph) in html
    assert f"/reports/{plan.slug}/evaluation/2026.xlsx?quarter=3" in html
    client.force_login(clerk_kgj)  # clerks may not export: no link
    assert "evaluation/2026.xlsx" not in client.get(f"/plans/{plan.slug}/").content.decode()
