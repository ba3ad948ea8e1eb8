"""The leadership dashboards in a real browser: a leader logs in, sees the overview with a
drawn plotly chart, switches the period, and opens an indicator — on a desktop and a phone."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(plan):
    call_command("seed_demo", stdout=StringIO())
    return plan


@pytest.mark.parametrize("width", [1280, 375])
def test_leader_reads_the_dashboards(page, live_server, demo, leader, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "leader", "pw-leader")
    # home is the overview of the plan, at the latest period with approved data (2026 Q3)
    assert page.url.endswith("/plans/luhe-garment/")
    page.wait_for_selector("svg.main-svg")
    assert "30项指标中" in page.content()
    assert page.locator("select[name=quarter] option[selected]").inner_text() == "第3季度"

    page.select_option("select[name=quarter]", "2")
    page.click(".period-selector button[type=submit]")
    page.wait_for_selector("svg.main-svg")
    assert "quarter=2" in page.url
    assert page.locator("select[name=quarter] option[selected]").inner_text() == "第2季度"

    page.click("article[data-code=gross_output] h3 a")
    page.wait_for_selector("svg.main-svg")
    assert "全产业链总产值（亿元）" in page.content()
    assert "/plans/luhe-garment/indicators/gross_output/" in page.url
    # the page fits a phone: nothing wider than the viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= width
