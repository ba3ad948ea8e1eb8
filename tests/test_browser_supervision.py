"""The supervision loop in a real browser (issue 12): a clerk finds a 督办 item on 待办 and
answers it; the reviewer finds the answer on 待办 and closes it (办结) — on a desktop and a
phone."""

from datetime import timedelta

import pytest

from indicators.domain import periods
from indicators.models import Supervision
from indicators.services.supervision import supervision_open
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUIREMENT = "电子商务交易额滞后：请报送原因分析和推进措施。"
ANSWER = "已约谈三家电商企业，12月新增直播基地一个，预计年底追回进度。"


def fits(page, width: int) -> bool:
    """Nothing on the page is wider than the viewport."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_clerk_answers_from_todo_and_reviewer_closes(
    page, live_server, plan, clerk_kgj, reviewer, width
):
    page.set_viewport_size({"width": width, "height": 900})
    item = supervision_open(
        user=reviewer, plan=plan, requirement=REQUIREMENT,
        indicator=plan.indicators.get(code="ecommerce_volume"),
        due=periods.today() + timedelta(days=2),
    )  # fmt: skip

    log_in(page, live_server, "clerk_kgj", "pw-clerk_kgj")
    page.click("a.todo-link")
    assert "/todo/" in page.url
    row = page.locator(f"li[data-item='supervision:{item.pk}']")
    assert "黄色" in row.inner_text()  # due in 2 days
    assert fits(page, width)
    row.locator("a").first.click()
    page.wait_for_load_state()
    assert REQUIREMENT in page.content()
    page.fill("#respond-text", ANSWER)
    page.click("#respond button[type=submit]")
    page.wait_for_load_state()
    assert ANSWER in page.content()
    assert "已答复" in page.content()
    assert fits(page, width)
    item.refresh_from_db()
    assert item.state == "responded"

    page.context.clear_cookies()
    log_in(page, live_server, "reviewer", "pw-reviewer")
    page.click("a.todo-link")
    page.locator(f"li[data-item='supervision:{item.pk}'] a").first.click()
    page.wait_for_load_state()
    assert ANSWER in page.content()
    page.fill("#close-text", "措施具体，同意办结。")
    page.click("#close button[type=submit]")
    page.wait_for_load_state()
    assert "已办结" in page.content()
    assert fits(page, width)
    item = Supervision.objects.get(pk=item.pk)
    assert (item.state, item.closed_by_id) == ("closed", reviewer.pk)
    assert [step.action for step in item.steps.all()] == ["open", "respond", "close"]
