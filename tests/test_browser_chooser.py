"""A city's leader in a real browser: the plan chooser lists the city's county plans by region,
the 规划 menu leads to another plan, and every plan page names its plan and region — on a
desktop and a phone."""

import pytest

from indicators.services.regions import RegionData, region_save
from indicators.services.users import user_set_role
from tests.browser import log_in
from tests.factories import make_synthetic_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city_leader(plan):
    """汕尾市's leader, with 陆河's plan and a second county's (海丰县) below the city."""
    haifeng, _changed = region_save(data=RegionData("441521", "海丰县", "county", "441500"))
    make_synthetic_plan(5, slug="haifeng", region=haifeng)
    user = user_set_role(
        username="city",
        role="leader",
        department=None,
        password="pw-city",
        region=plan.region.parent,
    )
    return user


@pytest.mark.parametrize("width", [1280, 375])
def test_city_leader_chooses_a_county_plan(page, live_server, city_leader, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "city", "pw-city")
    assert page.url.rstrip("/") == live_server.url  # two plans: the chooser, not a plan
    assert page.locator(".plan-group h2").all_inner_texts() == [
        "汕尾市 · 海丰县 441521",
        "汕尾市 · 陆河县 441523",
    ]
    page.click(".plan-list >> text=Synthetic 5")
    assert page.url.endswith("/plans/haifeng/")
    assert page.locator(".plan-bar .plan-region").inner_text() == "海丰县（441521）"

    page.click(".plans-menu summary")
    page.click(
        ".plans-menu >> text=陆河县 · 陆河县服装产业高质量发展规划（2025—2030年）（征求意见稿）"
    )
    assert page.url.endswith("/plans/luhe-garment/")
    assert page.locator(".plan-bar .plan-region").inner_text() == "陆河县（441523）"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
