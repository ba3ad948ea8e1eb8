"""The plan chooser and the plan pages with many counties: grouped by region, one labelled entry
per plan, and query budgets that do not grow with the number of plans (50 plans, 10 counties)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.services.regions import RegionData, region_save
from indicators.services.users import user_set_role
from tests.factories import make_synthetic_plan

CITY = "610900"  # 安康市, under 陕西省
COUNTIES = ["610902", "610921", "610922", "610923", "610924", "610925", "610926", "610927",
            "610928", "610929"]  # fmt: skip


def _regions():
    region_save(data=RegionData("610000", "陕西省", "province"))
    city, _ = region_save(data=RegionData(CITY, "安康市", "city", "610000"))
    counties = [
        region_save(data=RegionData(code, f"县{code}", "county", CITY))[0] for code in COUNTIES
    ]
    return city, counties


def _plans(count: int):
    """`count` small plans spread over 10 counties of one city, beside 陆河's."""
    city, counties = _regions()
    for n in range(count):
        make_synthetic_plan(3, slug=f"p{n:02d}", region=counties[n % 10])
    return city, counties


@pytest.fixture
def many_plans(plan):
    """50 plans, 5 in each of 10 counties."""
    return _plans(50)


def _leader(name, region):
    return user_set_role(
        username=name, role="leader", department=None, password=None, region=region
    )


def test_a_city_leader_sees_its_counties_plans_grouped_by_region(client, many_plans):
    city, counties = many_plans
    client.force_login(_leader("city", city))
    page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    for county in counties:
        assert county.name in body
    assert body.count('href="/plans/p') == 50 * 2  # the chooser and the navigation menu
    assert "陆河县服装产业" not in body  # another province's plan is not there at all


def test_a_county_user_goes_straight_to_the_only_plan(client, plan):
    _city, counties = _plans(1)
    client.force_login(_leader("county", counties[0]))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("reports:overview", args=["p00"])


def test_every_plan_page_names_its_plan_and_region(client, many_plans):
    _city, counties = many_plans
    client.force_login(_leader("county", counties[3]))
    page = client.get("/plans/p03/")
    assert page.status_code == 200
    assert "Synthetic 3" in page.content.decode()
    assert f"{counties[3].name}（{counties[3].code}）" in page.content.decode()


# Queries of the chooser: session, user, role and scope (groups and profile in one), the visible
# plans with their regions and the regions' parents (the chooser), the plans again (navigation
# menu): 5.
@pytest.mark.parametrize("count", [2, 50])
def test_the_chooser_costs_the_same_for_any_number_of_plans(
    client, plan, django_assert_num_queries, count
):
    city, _counties = _plans(count)
    client.force_login(_leader("city", city))
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    ["/plans/p01/", "/plans/p01/indicators/", "/plans/p01/departments/", "/plans/p01/tasks/"],
)
def test_plan_pages_cost_the_same_with_2_or_50_plans(client, plan, url):
    """A plan page's queries (its own, as listed in tests/test_overview.py and friends, plus
    the user's scope and the navigation's plans) do not grow with the plans around it."""
    city, counties = _plans(2)
    client.force_login(_leader("city", city))
    with_two = queries(client, url)
    for n in range(2, 50):
        make_synthetic_plan(3, slug=f"p{n:02d}", region=counties[n % 10])
    assert queries(client, url) == with_two <= 21


def test_the_plan_bar_keeps_the_dashboards_period(client, plan, leader):
    client.force_login(leader)
    page = client.get(f"/plans/{plan.slug}/?year=2026&quarter=2").content.decode()
    bar = page[
        page.index('class="plan-bar"') : page.index("</nav>", page.index('class="plan-bar"'))
    ]
    assert f'href="/plans/{plan.slug}/departments/?year=2026&amp;quarter=2"' in bar
    assert f'href="/plans/{plan.slug}/completeness/?year=2026"' in bar
