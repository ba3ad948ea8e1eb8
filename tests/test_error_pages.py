"""The error pages (issue 11): 400, 403, 404 and 500 in Chinese, each with a way back, and the
two usual refusals saying what to do. Run as on a server (DEBUG off)."""

import pytest
from django.utils import translation

from tests.browser import log_in
from tests.conftest import PLAN_SLUG

pytestmark = pytest.mark.urls("tests.error_urls")

ENTRY = f"/reporting/{PLAN_SLUG}/above_scale_enterprises/2026-Q3/"  # 县科工局 reports it


@pytest.fixture(autouse=True)
def _as_on_a_server(settings):
    settings.DEBUG = False


def html_of(response) -> str:
    return response.content.decode()


def assert_way_back(html: str) -> None:
    assert 'href="/"' in html
    assert "返回首页" in html


def test_404_in_chinese_with_the_navigation(leader_client):
    response = leader_client.get("/no-such-page/", HTTP_REFERER="http://testserver/plans/")
    assert response.status_code == 404
    html = html_of(response)
    assert "页面不存在" in html
    assert_way_back(html)
    assert 'href="http://testserver/plans/"' in html and "返回上一页" in html
    assert 'class="topbar"' in html and "退出" in html  # the site's layout, logged in


def test_404_for_someone_not_logged_in(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in html_of(response)
    assert "返回上一页" not in html_of(response)  # nowhere to go back to


def test_404_of_a_missing_object_does_not_show_djangos_english(leader_client):
    response = leader_client.get(f"/plans/{PLAN_SLUG}/indicators/no_such_code/")
    assert response.status_code == 404
    assert "matches the given query" not in html_of(response)


def test_403_without_a_role_says_to_ask_an_administrator(client, outsider):
    client.force_login(outsider)
    response = client.get("/")
    assert response.status_code == 403
    html = html_of(response)
    assert "您的账号尚未分配角色，请联系管理员。" in html
    assert_way_back(html)


def test_403_of_another_departments_indicator_names_who_reports_it(client, clerk_rsj):
    client.force_login(clerk_rsj)
    response = client.get(ENTRY)
    assert response.status_code == 403
    html = html_of(response)
    assert "该指标由县科工局填报" in html
    assert "请联系管理员调整" in html
    assert_way_back(html)


def test_403_of_a_role_without_the_page_is_general(client, leader):
    client.force_login(leader)
    response = client.get("/reporting/")
    assert response.status_code == 403
    assert "您的角色无权打开此页" in html_of(response)


def test_400_in_chinese(leader_client):
    response = leader_client.get("/test-errors/400/")
    assert response.status_code == 400
    html = html_of(response)
    assert "请求有误" in html
    assert_way_back(html)


def test_500_in_chinese_without_the_request(leader_client):
    leader_client.raise_request_exception = False
    response = leader_client.get("/test-errors/500/")
    assert response.status_code == 500
    html = html_of(response)
    assert "服务器出错" in html
    assert_way_back(html)
    assert 'name="viewport"' in html  # fits a phone


def test_500_page_in_english_when_chosen(leader_client):
    leader_client.cookies["django_language"] = "en"
    leader_client.raise_request_exception = False
    try:
        html = html_of(leader_client.get("/test-errors/500/"))
    finally:
        translation.activate("zh-hans")  # the request left English active in this thread
    assert "Server error" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_404_fits_a_phone(page, live_server, leader):
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server, "leader", "pw-leader")
    response = page.goto(f"{live_server.url}/plans/no-such-plan/indicators/")
    assert response.status == 404
    assert "页面不存在" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("text=返回首页")
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(f"/plans/{PLAN_SLUG}")
