"""The reporting flow in a real browser: a clerk enters and submits a value from 我的填报, a
reviewer approves it from the queue, and the figure comes into force."""

from decimal import Decimal

import pytest

from indicators.models import Actual
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_submits_and_reviewer_approves(page, live_server, plan, clerk_kgj, reviewer):
    log_in(page, live_server, "clerk_kgj", "pw-clerk_kgj")
    page.click("text=我的填报")
    assert "2026年第3季度" in page.content()
    # the row of 规上企业数量 for the current quarter leads to its entry form
    page.click("a[href='/reporting/luhe-garment/above_scale_enterprises/2026-Q3/']")
    assert "季末值（家）" in page.content()
    page.fill("#id_value", "3")
    page.fill("#id_source", "县统计局快报")
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "已提交审核：规上企业数量（家）" in page.content()
    actual = Actual.objects.get(indicator__code="above_scale_enterprises", year=2026, quarter=3)
    assert actual.state == "submitted"

    page.context.clear_cookies()
    log_in(page, live_server, "reviewer", "pw-reviewer")
    page.click("text=待审核")
    assert "规上企业数量（家）" in page.content()
    page.check(f"input[name=ids][value='{actual.pk}']")
    page.click("button[value=approve]")
    page.wait_for_load_state()
    assert "已通过 1 项数值" in page.content()
    actual.refresh_from_db()
    assert (actual.state, actual.approved_value) == ("approved", Decimal(3))
