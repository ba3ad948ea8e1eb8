"""A county administrator brings in a 十五五 main-indicator table as counties hold it (an Excel
workbook) in a real browser: the preview says what will be added before anything is written,
the confirmed plan shows its targets as printed, and its overview fits the screen — on a
desktop and a phone."""

import pytest

from indicators.models import Indicator, Region
from indicators.services.users import user_set_role
from tests.browser import log_in
from tests.conftest import PLAN_FILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKBOOK = PLAN_FILE.parent / "luhe-15th-five-year-2026-2030.xlsx"


@pytest.fixture
def county_admin(plan):
    region = Region.objects.get(code="441523")
    return user_set_role(
        username="county_admin", role="admin", department=None, password="pw-admin", region=region
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_an_administrator_previews_then_loads_the_plan_workbook(
    page, live_server, county_admin, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "county_admin", "pw-admin")
    page.goto(f"{live_server.url}/plan-files/upload/")
    page.set_input_files("input[type=file]", str(WORKBOOK))
    page.click("button:has-text('预览')")
    assert "尚未写入任何数据" in page.content()
    assert not Indicator.objects.filter(plan__slug="luhe-15th-five-year").exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.click("button:has-text('确认导入')")
    assert Indicator.objects.filter(plan__slug="luhe-15th-five-year").count() == 26
    page.goto(f"{live_server.url}/plans/luhe-15th-five-year/indicators/")
    table = page.content()
    for printed in (
        "年均增长6%",
        "控制在5.5%以内",
        "60左右",
        "完成市下达任务",
        "与经济增长基本同步",
    ):
        assert printed in table
    assert page.locator(".badge.binding").count() >= 5

    page.goto(f"{live_server.url}/plans/luhe-15th-five-year/")
    assert page.locator(".plan-bar .badge.example").inner_text() == "示例数据"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
