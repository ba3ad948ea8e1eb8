"""Dashboard bodies cached for leaders and analysts (reports.cached_pages): a second read renders
only the page's frame; every write that changes what a page shows renders it afresh, and the
page then equals one computed from nothing; clerks and reviewers always get their own page."""

import threading
import time
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import cache
from indicators.models import Form, Target
from indicators.services.actuals import Entry, actual_approve, actual_create
from indicators.services.supervision import supervision_open
from tests.conftest import PLAN_SLUG, TODAY

PERIOD = {"year": 2026, "quarter": 3}
OVERVIEW = reverse("reports:overview", args=[PLAN_SLUG])
# A read from the cache: the session, the user, their role and scope (groups and profile in
# one), the plan, the plans of the navigation bar.
CACHED_READ = 5


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PROGRESS_CACHE_SECONDS = 300


def page_of(code: str) -> str:
    return reverse("reports:indicator", args=[PLAN_SLUG, code])


def main(response) -> str:
    """The page's content without its frame (whose log-out form has a fresh CSRF token)."""
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<main class="content">') : html.index("</main>")]


def fresh(client, url) -> str:
    """The page computed from nothing."""
    django_cache.clear()
    return main(client.get(url, PERIOD))


def approve(plan, clerk, reviewer, code, value, quarter=3):
    indicator = plan.indicators.get(code=code)
    entry = Entry(year=2026, quarter=quarter, value=D(value), source="县统计局")
    actual = actual_create(user=clerk, indicator=indicator, entry=entry, submit=True)
    return actual_approve(user=reviewer, actual=actual)


def test_a_leaders_second_read_renders_only_the_frame(
    leader_client, plan, django_assert_num_queries
):
    for url in (OVERVIEW, page_of("above_scale_enterprises")):
        first = main(leader_client.get(url, PERIOD))
        # session, user, role and scope, plan, the navigation's plans
        with django_assert_num_queries(CACHED_READ):
            second = main(leader_client.get(url, PERIOD))
        assert second == first
        assert first == fresh(leader_client, url)


def test_an_approval_shows_on_the_overview_at_once(leader_client, plan, clerk_kgj, reviewer):
    before = main(leader_client.get(OVERVIEW, PERIOD))
    approve(plan, clerk_kgj, reviewer, "above_scale_enterprises", 4)
    after = main(leader_client.get(OVERVIEW, PERIOD))
    assert after != before
    assert after == fresh(leader_client, OVERVIEW)


def test_an_indicators_page_waits_only_for_its_own_figures(
    leader_client, plan, clerk_kgj, reviewer, django_assert_num_queries
):
    url = page_of("above_scale_enterprises")
    leader_client.get(url, PERIOD)
    approve(plan, clerk_kgj, reviewer, "high_tech_enterprises", 30)  # another indicator
    with django_assert_num_queries(CACHED_READ):
        leader_client.get(url, PERIOD)
    approve(plan, clerk_kgj, reviewer, "above_scale_enterprises", 4)
    response = leader_client.get(url, PERIOD)
    assert '<dd class="value">4' in main(response)
    assert main(response) == fresh(leader_client, url)


def test_a_page_follows_the_indicator_its_target_refers_to(
    leader_client, plan, clerk_kgj, reviewer, django_assert_num_queries
):
    """A relative target (§9.5) is judged by another indicator's figures: their approval
    renders the page afresh."""
    target = Target.objects.filter(
        indicator__plan=plan, indicator__code="hundred_million_enterprises"
    ).first()
    target.form, target.reference = Form.RELATIVE, plan.indicators.get(code="high_tech_enterprises")
    target.save()
    url = page_of("hundred_million_enterprises")
    leader_client.get(url, PERIOD)
    with django_assert_num_queries(CACHED_READ):
        leader_client.get(url, PERIOD)
    approve(plan, clerk_kgj, reviewer, "high_tech_enterprises", 30)
    with CaptureQueriesContext(connection) as read:
        after = main(leader_client.get(url, PERIOD))
    assert len(read.captured_queries) > CACHED_READ  # computed again
    assert after == fresh(leader_client, url)


def test_a_supervision_item_shows_at_once(leader_client, plan, reviewer):
    url = page_of("above_scale_enterprises")
    assert "尽快补报" not in main(leader_client.get(url, PERIOD))
    assert "督办事项" in main(leader_client.get(OVERVIEW, PERIOD))
    supervision_open(
        user=reviewer,
        plan=plan,
        requirement="尽快补报",
        due=TODAY + timedelta(days=10),
        indicator=plan.indicators.get(code="above_scale_enterprises"),
    )
    assert "尽快补报" in main(leader_client.get(url, PERIOD))
    assert main(leader_client.get(OVERVIEW, PERIOD)) == fresh(leader_client, OVERVIEW)


def test_a_renamed_user_shows_at_once(leader_client, plan, clerk_kgj, reviewer):
    url = page_of("above_scale_enterprises")
    approve(plan, clerk_kgj, reviewer, "above_scale_enterprises", 4)
    assert "reviewer" in main(leader_client.get(url, PERIOD))
    reviewer.username = "县府办审核"
    reviewer.save()
    assert "县府办审核" in main(leader_client.get(url, PERIOD))


def test_a_clerks_and_a_reviewers_pages_are_their_own(client, leader, plan, clerk_kgj, reviewer):
    """A draft is the clerk's; a reviewer may open a 督办 item: neither page comes from the
    leaders' cache, nor goes into it."""
    url = page_of("above_scale_enterprises")
    client.force_login(leader)
    leader_page = main(client.get(url, PERIOD))
    indicator = plan.indicators.get(code="above_scale_enterprises")
    entry = Entry(year=2026, quarter=3, value=D(7), source="县统计局")
    actual_create(user=clerk_kgj, indicator=indicator, entry=entry)  # a draft
    client.force_login(clerk_kgj)
    assert "草稿" in main(client.get(url, PERIOD))
    client.force_login(reviewer)
    assert "open-supervision" in main(client.get(url, PERIOD))
    client.force_login(leader)
    again = main(client.get(url, PERIOD))
    assert "草稿" not in again and "open-supervision" not in again
    assert again == leader_page


def test_the_cached_body_holds_nothing_of_its_reader(client, leader, analyst, plan):
    """Each role has its own entry; neither holds a CSRF token or its reader's name."""
    client.force_login(leader)
    leaders = main(client.get(OVERVIEW, PERIOD))
    client.force_login(analyst)
    analysts = main(client.get(OVERVIEW, PERIOD))
    assert analysts == fresh(client, OVERVIEW)
    assert "evaluation/2026.xlsx?quarter=3" in analysts
    for body in (leaders, analysts):
        assert "csrfmiddlewaretoken" not in body
        assert "leader" not in body and "analyst" not in body


def test_each_language_has_its_own_page(leader_client, plan):
    assert "指标" in main(leader_client.get(OVERVIEW, PERIOD))
    leader_client.cookies["django_language"] = "en"
    english = main(leader_client.get(OVERVIEW, PERIOD))
    assert "Indicators by dimension" in english


def test_a_new_day_renders_afresh(leader_client, plan, monkeypatch):
    """督办 colours and what is overdue change at midnight."""
    leader_client.get(OVERVIEW, PERIOD)
    monkeypatch.setattr("indicators.domain.periods.today", lambda: TODAY + timedelta(days=1))
    with CaptureQueriesContext(connection) as read:
        leader_client.get(OVERVIEW, PERIOD)
    assert len(read.captured_queries) > CACHED_READ


def test_a_refused_period_is_rendered_every_time(leader_client, plan):
    for _ in range(2):
        response = leader_client.get(OVERVIEW, {"year": "abc"})
        assert response.status_code == 400
        assert "年份" in response.content.decode()


# --- one computation at a time ------------------------------------------------------------------


def test_a_read_waits_for_another_computing_the_same_entry():
    full_key = f"lucounty:{cache.data_versions([cache.IN_FORCE])}:entry"
    django_cache.add(f"{full_key}:computing", True, timeout=10)  # another request computes
    threading.Timer(0.1, lambda: django_cache.set(full_key, "theirs", timeout=30)).start()
    assert cache.cached("entry", lambda: "mine") == "theirs"


def test_a_read_computes_itself_when_the_other_never_finishes(monkeypatch):
    monkeypatch.setattr(cache, "COMPUTE_WAIT", 0.1)
    full_key = f"lucounty:{cache.data_versions([cache.IN_FORCE])}:entry"
    django_cache.add(f"{full_key}:computing", True, timeout=10)
    assert cache.cached("entry", lambda: "mine") == "mine"
    assert django_cache.get(full_key) == "mine"


def test_a_read_stops_waiting_when_the_other_finishes_without_a_result():
    """An entry may be None (an unknown indicator code): the waiter does not wait out the
    whole delay for a value that will not come."""
    full_key = f"lucounty:{cache.data_versions([cache.IN_FORCE])}:entry"
    django_cache.add(f"{full_key}:computing", True, timeout=10)
    threading.Timer(0.1, lambda: django_cache.delete(f"{full_key}:computing")).start()
    started = time.monotonic()
    assert cache.cached("entry", lambda: "mine") == "mine"
    assert time.monotonic() - started < 2


def test_a_failed_computation_leaves_no_lock():
    def failing():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        cache.cached("entry", failing)
    full_key = f"lucounty:{cache.data_versions([cache.IN_FORCE])}:entry"
    assert django_cache.get(f"{full_key}:computing") is None
