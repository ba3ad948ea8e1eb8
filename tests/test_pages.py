"""The first pages: login, the plan's indicator table, the tasks page, the language switch."""

import re

import pytest
from django.urls import reverse

from tests.conftest import PLAN_SLUG
from tests.factories import make_synthetic_plan

TABLE_URL = f"/plans/{PLAN_SLUG}/indicators/"
TASKS_URL = f"/plans/{PLAN_SLUG}/tasks/"


def rows(html: str) -> list[str]:
    return re.findall(r'<tr[^>]*data-code="([^"]+)"', html)


@pytest.mark.parametrize("url", ["/", TABLE_URL, TASKS_URL])
def test_anonymous_goes_to_login(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_login_then_home_shows_the_overview(client, plan, leader):
    response = client.post(
        reverse("login"), {"username": "leader", "password": "pw-leader"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/plans/{PLAN_SLUG}/"
    assert "30项指标中" in response.content.decode()


def test_wrong_password_says_so(client, plan, leader):
    response = client.post(reverse("login"), {"username": "leader", "password": "nope"})
    assert "用户名或密码错误" in response.content.decode()


def test_indicator_table_prints_the_plan(leader_client):
    html = leader_client.get(TABLE_URL).content.decode()
    assert len(rows(html)) == 30
    for header in [
        "指标维度",
        "指标名称",
        "2025年基期",
        "2028年目标",
        "2030年目标",
        "牵头单位",
        "责任单位",
    ]:
        assert f">{header}<" in html
    # dimension cells span their rows, as in the plan's table
    assert re.search(r'rowspan="7"[^>]*>企业培育<', html)
    assert "生产性服务企业引育数（设计、物流等）（家）" in html
    assert "省内外知名" in html and "零发生" in html


def test_unassigned_indicators_are_marked(leader_client):
    html = leader_client.get(TABLE_URL).content.decode()
    assert html.count('class="unassigned"') == 16
    assert "16项指标尚无牵头单位" in html


def test_tasks_page_lists_every_task_with_inferred_leads(leader_client):
    html = leader_client.get(TASKS_URL).content.decode()
    assert html.count('class="task"') == 19
    assert "县政府（金融）" in html
    assert html.count("推定") >= 7


def test_language_switch_to_english(leader_client):
    response = leader_client.post(
        "/i18n/setlang/", {"language": "en", "next": TABLE_URL}, follow=True
    )
    html = response.content.decode()
    assert "Lead department" in html
    assert "全产业链总产值（亿元）" in html  # plan data stays as printed


@pytest.mark.parametrize("size", [30, 300])
def test_table_query_count_is_constant(client, leader, django_assert_max_num_queries, size):
    plan = make_synthetic_plan(size)
    client.force_login(leader)
    # session, user, groups (role), nav plans, plan, indicators, stages, targets, responsibilities
    with django_assert_max_num_queries(10):
        response = client.get(f"/plans/{plan.slug}/indicators/")
    assert len(rows(response.content.decode())) == size


def test_chinese_even_for_an_english_browser(leader_client):
    html = leader_client.get(TABLE_URL, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "牵头单位" in html


@pytest.mark.parametrize("url", [TABLE_URL, TASKS_URL])
def test_a_user_without_a_role_gets_403(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 403
