"""The departments page (/plans/<slug>/departments/) and one department's page: who may see
them, their counts against the progress API, reporting completeness and overdue values.

Today is 2026-11-24 (tests/conftest.py): the deadlines of 2026 Q1–Q3 have passed.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.models import Department
from reports import wording
from tests.conftest import PLAN_SLUG
from tests.factories import make_synthetic_plan
from tests.test_overview import (
    api_body,
    assert_scripts_are_ours,
    card_statuses,
    printed_counts,
    printed_summary,
    report,
    submitted,
)

DEPARTMENTS = reverse("reports:departments", args=[PLAN_SLUG])
SHANGHAI = ZoneInfo("Asia/Shanghai")

# The indicators 县科工局 leads (it also reports them: no other data source is named).
KGJ = ["ecommerce_volume", "above_scale_enterprises", "hundred_million_enterprises",
       "wholesale_retail_enterprises", "high_tech_enterprises", "digital_management_adopters",
       "automated_factories"]  # fmt: skip
# ... and those it shares as a responsible department.
KGJ_SHARED = ["market_entities", "projects_introduced", "own_brands", "regional_brand"]


def department_url(name: str, slug: str = PLAN_SLUG) -> str:
    department = Department.objects.get(name=name)
    return reverse("reports:department", args=[slug, department.pk])


def table_rows(page: str) -> dict[str, dict]:
    """The departments table: per department name ('' for no lead), its printed cells."""
    rows = {}
    for name, body in re.findall(r'<tr data-department="([^"]*)"[^>]*>(.*?)</tr>', page, re.S):
        cells = dict(re.findall(r'data-status="(\w+)">(\d+)<', body))
        cols = dict(re.findall(r'data-col="(\w+)">(\d*)<', body))
        rows[name] = {"statuses": {k: int(v) for k, v in cells.items()}, **cols}
    return rows


# --- who may see the pages -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk_kgj", "reviewer", "leader", "analyst"])
def test_every_role_sees_the_department_pages(request, client, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(DEPARTMENTS).status_code == 200
    assert client.get(department_url("县科工局")).status_code == 200


def test_a_user_without_a_role_gets_403(client, outsider):
    client.force_login(outsider)
    assert client.get(DEPARTMENTS).status_code == 403
    assert client.get(department_url("县科工局")).status_code == 403


def test_anonymous_users_go_to_the_login_page(client, plan):
    for url in (DEPARTMENTS, department_url("县科工局")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_department_without_a_role_in_the_plan_is_404(leader_client, plan):
    make_synthetic_plan(12, slug="other")  # its 测试局 leads only the other plan's indicators
    assert leader_client.get(department_url("测试局")).status_code == 404
    unknown = reverse("reports:department", args=[PLAN_SLUG, 99999])
    assert leader_client.get(unknown).status_code == 404
    assert leader_client.get(department_url("测试局", "other")).status_code == 200


# --- the departments page ------------------------------------------------------------------------


def test_the_departments_table_agrees_with_the_api(leader_client, api, clerk_kgj):
    report(clerk_kgj, "above_scale_enterprises", 2026, 3, "5")
    report(clerk_kgj, "ecommerce_volume", 2026, 3, "1")
    report(clerk_kgj, "employment", 2026, 3, "2.1")
    page = leader_client.get(DEPARTMENTS, {"year": 2026, "quarter": 3}).content.decode()
    rows = table_rows(page)
    for group in api_body(api, year=2026, quarter=3)["by_department"]:
        row = rows[group["department"] or ""]
        nonzero = {status: count for status, count in group["counts"].items() if count}
        assert {s: c for s, c in row["statuses"].items() if c} == nonzero
        assert int(row["lead"]) == sum(group["counts"].values())
    assert int(rows["县科工局"]["lead"]) == 7
    assert int(rows[""]["lead"]) == 16  # the indicators without a lead: a row of their own
    assert "未明确牵头单位" in page
    assert int(rows["县科工局"]["responsible"]) == 4
    # values overdue: 7 indicators × 2026 Q1–Q3, none submitted
    assert int(rows["县科工局"]["missing"]) == 21
    # departments that only share indicators have a row too, and a link
    assert int(rows["县发展改革局"]["lead"]) == 0
    assert f'href="{department_url("县科工局")}?year=2026&amp;quarter=3"' in page


def test_the_departments_page_keeps_the_period_and_its_switches(leader_client, clerk_kgj):
    submitted(clerk_kgj, "above_scale_enterprises", "5")
    page = leader_client.get(DEPARTMENTS, {"year": 2026, "quarter": 3}).content.decode()
    assert table_rows(page)["县科工局"]["statuses"].get("achieved_milestone", 0) == 0
    page = leader_client.get(DEPARTMENTS, {"year": 2026, "quarter": 3, "pending": 1}).content
    page = page.decode()
    assert table_rows(page)["县科工局"]["statuses"]["achieved_milestone"] == 1
    assert "已包含待审核（未经审核）数据" in page
    response = leader_client.get(DEPARTMENTS, {"year": "20x6"})
    assert response.status_code == 400
    assert "年份须为数字，例如 2026。" in response.content.decode()


# --- one department ------------------------------------------------------------------------------


def test_a_department_page_lists_its_indicators(leader_client, api, clerk_kgj):
    report(clerk_kgj, "above_scale_enterprises", 2026, 3, "5")
    page = leader_client.get(department_url("县科工局"), {"year": 2026, "quarter": 3}).content
    page = page.decode()
    lead, shared = page.split("作为责任单位参与的指标")
    api_rows = {r["code"]: r["status"] for r in api_body(api, year=2026, quarter=3)["indicators"]}
    assert card_statuses(lead) == {code: api_rows[code] for code in KGJ}
    assert card_statuses(shared) == {code: api_rows[code] for code in KGJ_SHARED}
    counts = printed_counts(page)
    assert sum(counts.values()) == 7 and counts["achieved_milestone"] == 1
    with translation.override("zh-hans"):
        assert printed_summary(page) == wording.status_sentence(counts)
    assert printed_summary(page).startswith("7项指标中，已完成阶段目标1项，")
    assert_scripts_are_ours(page)


def test_a_department_page_shows_completeness_and_overdue_values(leader_client, clerk_kgj):
    # 县科工局 submits one value of Q3 on time, and one of Q2 late; the rest never comes
    on_time = submitted(clerk_kgj, "above_scale_enterprises", "5", quarter=3)
    late = submitted(clerk_kgj, "ecommerce_volume", "1", quarter=2)
    on_time.__class__.objects.filter(pk=on_time.pk).update(
        first_submitted_at=datetime(2026, 10, 10, 9, tzinfo=SHANGHAI)
    )
    late.__class__.objects.filter(pk=late.pk).update(
        first_submitted_at=datetime(2026, 7, 20, 9, tzinfo=SHANGHAI)
    )
    page = leader_client.get(department_url("县科工局"), {"year": 2026, "quarter": 3}).content
    page = page.decode()
    tallies = {
        quarter: dict(re.findall(r'data-col="(\w+)">(\d+)<', body))
        for quarter, body in re.findall(r'<tr data-period="2026-Q(\d)">(.*?)</tr>', page, re.S)
    }
    assert tallies["1"] == {"owed": "7", "on_time": "0", "late": "0", "missing": "7"}
    assert tallies["2"] == {"owed": "7", "on_time": "0", "late": "1", "missing": "6"}
    assert tallies["3"] == {"owed": "7", "on_time": "1", "late": "0", "missing": "6"}
    overdue = page.split("逾期未报数据")[1]
    missing = re.findall(r'<li data-code="(\w+)">.*?· (\d{4}年第\d季度) ·', overdue)
    assert len(missing) == 19
    assert ("above_scale_enterprises", "2026年第3季度") not in missing
    assert ("ecommerce_volume", "2026年第2季度") not in missing  # late, but submitted
    assert ("ecommerce_volume", "2026年第3季度") in missing
    assert "截止2026-10-15" in overdue


def test_nothing_is_owed_for_the_baseline_year(leader_client):
    page = leader_client.get(department_url("县科工局"), {"year": 2025}).content.decode()
    assert "本单位2025年暂无应报的季度数据。" in page
    assert "无逾期未报数据。" in page


def test_the_department_page_in_english(leader_client):
    leader_client.cookies["django_language"] = "en"
    page = leader_client.get(department_url("县科工局"), {"year": 2026, "quarter": 3}).content
    assert printed_summary(page.decode()).startswith("Of the 7 indicators, 0 achieved ")


# --- no script from elsewhere; constant queries --------------------------------------------------


def test_no_external_script_host(leader_client, plan):
    for url in (DEPARTMENTS, department_url("县科工局")):
        assert_scripts_are_ours(leader_client.get(url).content.decode())


# Expected queries: session, user, role; the plan; the plan's departments; the default period
# (without parameters); the progress rows (5); completeness (3); a department's missing values
# (2: the indicators it reports, their submissions); the navigation (plans, role).
@pytest.mark.parametrize("params", [{}, {"year": 2026, "quarter": 3, "pending": 1}])
def test_query_budget_on_the_luhe_plan(leader_client, clerk_kgj, params,
                                       django_assert_max_num_queries):  # fmt: skip
    report(clerk_kgj, "above_scale_enterprises", 2026, 3, "5")
    for url in (DEPARTMENTS, department_url("县科工局")):
        with django_assert_max_num_queries(20):
            assert leader_client.get(url, params).status_code == 200


@pytest.mark.parametrize("params", [{}, {"year": 2026, "quarter": 3, "pending": 1}])
def test_query_budget_on_a_300_indicator_plan(leader_client, synthetic_300, params,
                                              django_assert_max_num_queries):  # fmt: skip
    urls = (
        reverse("reports:departments", args=["synthetic"]),
        department_url("测试局", "synthetic"),
    )
    for url in urls:
        with django_assert_max_num_queries(20):
            response = leader_client.get(url, params)
        assert response.status_code == 200
    assert len(card_statuses(response.content.decode())) == 300  # it leads every indicator
