"""GET /api/v1/plans/{slug}/progress/: the engine's answer for a period, as users get it."""

from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from indicators.models import Actual, Indicator, Stage
from tests.conftest import PLAN_SLUG
from tests.factories import make_synthetic_plan

URL = f"/api/v1/plans/{PLAN_SLUG}/progress/"


def report(user, code, year, quarter, value=None, stage=None, state="approved"):
    """A stored value in `state`; an approved one is also the figure in force."""
    indicator = Indicator.objects.get(plan__slug=PLAN_SLUG, code=code)
    stage_row = Stage.objects.get(indicator=indicator, label=stage) if stage else None
    value = None if value is None else D(value)
    in_force = {"approved_value": value, "approved_stage": stage_row} if state == "approved" else {}
    return Actual.objects.create(
        indicator=indicator, year=year, quarter=quarter, value=value, stage=stage_row,
        source="县统计局", state=state, created_by=user, updated_by=user, **in_force,
    )  # fmt: skip


def rows_by_code(response):
    assert response.status_code == 200, response.content
    return {row["code"]: row for row in response.json()["indicators"]}


def test_anonymous_gets_401(plan):
    assert APIClient().get(URL, {"year": 2026}).status_code == 401


@pytest.mark.parametrize("who", ["clerk_kgj", "reviewer", "leader", "analyst"])
def test_every_role_may_read(request, who):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(who))
    assert client.get(URL, {"year": 2026}).status_code == 200


def test_a_user_without_a_role_gets_403(outsider):
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(URL, {"year": 2026}).status_code == 403


def test_worked_examples_of_domain_md(api, clerk_kgj):
    report(clerk_kgj, "gross_output", 2026, None, "36")
    report(clerk_kgj, "cross_border_ecommerce", 2026, None, "380")
    report(clerk_kgj, "crime_growth", 2026, None, "-7.6")
    report(clerk_kgj, "above_scale_enterprises", 2026, None, "5")
    rows = rows_by_code(api.get(URL, {"year": 2026}))

    # to the precision domain.md prints
    def printed(row, field, places):
        return round(D(row[field]), places)

    gross, cross, crime = rows["gross_output"], rows["cross_border_ecommerce"], rows["crime_growth"]
    assert (printed(gross, "expected", 2), printed(gross, "ratio", 3)) == (D("37.80"), D("0.769"))
    assert (gross["status"], gross["status_label"]) == ("behind", "滞后于序时进度")
    assert (printed(cross, "expected", 2), printed(cross, "ratio", 2)) == (D("366.67"), D("1.20"))
    assert cross["status"] == "ahead"
    assert (printed(crime, "expected", 3), printed(crime, "ratio", 2)) == (D("-9.067"), D("-2.14"))
    assert crime["status"] == "regressing"
    assert rows["above_scale_enterprises"]["status"] == "achieved_milestone"


def test_shape_and_plan_order(api):
    body = api.get(URL, {"year": 2026, "quarter": 3}).json()
    assert body["plan"] == PLAN_SLUG
    assert body["period"] == {"year": 2026, "month": None, "quarter": 3, "half": None}
    assert body["t"] == 2025.75
    assert [row["code"] for row in body["indicators"]][:3] == [
        "gross_output", "gdp_share", "above_scale_output_share",
    ]  # fmt: skip
    assert len(body["indicators"]) == 30
    row = body["indicators"][0]
    assert set(row) >= {
        "code", "name", "unit", "kind", "value", "compared_value", "baseline", "expected",
        "target", "ratio", "completion", "time_progress", "status", "status_label", "flags",
    }  # fmt: skip
    assert row["target"] == {"year": 2028, "value": "60", "stage": None}
    assert row["time_progress"] == "0.25"


def test_summaries_add_up_to_the_rows(api, clerk_kgj):
    report(clerk_kgj, "gross_output", 2026, None, "36")
    report(clerk_kgj, "safety_accidents", 2026, 1, "1")
    body = api.get(URL, {"year": 2026}).json()
    statuses = [row["status"] for row in body["indicators"]]
    assert body["summary"] == {s: statuses.count(s) for s in body["summary"]}
    assert sum(body["summary"].values()) == 30
    assert body["summary"]["failed"] == 1
    assert [d["dimension"] for d in body["by_dimension"]][0] == "产业规模"
    assert sum(sum(d["counts"].values()) for d in body["by_dimension"]) == 30
    assert sum(sum(d["counts"].values()) for d in body["by_department"]) == 30
    assert body["by_department"][-1]["department"] is None  # the 16 unassigned indicators
    assert sum(body["by_department"][-1]["counts"].values()) == 16


def test_annual_total_year_to_date_is_annualised(api, clerk_kgj):
    report(clerk_kgj, "gross_output", 2026, 2, "18")
    row = rows_by_code(api.get(URL, {"year": 2026, "quarter": 2}))["gross_output"]
    assert (row["value"], row["compared_value"]) == ("18", "36")
    assert row["flags"] == ["annualised"]
    assert round(D(row["expected"]), 2) == D("37.80")  # compared with the schedule at t = 2026


def test_whole_year_entry_supersedes_q4(api, clerk_kgj):
    report(clerk_kgj, "above_scale_enterprises", 2026, 4, "1")
    report(clerk_kgj, "above_scale_enterprises", 2026, None, "2")
    assert rows_by_code(api.get(URL, {"year": 2026}))["above_scale_enterprises"]["value"] == "2"


def test_pending_values_only_when_asked_and_flagged(api, clerk_kgj):
    report(clerk_kgj, "gross_output", 2026, None, "36", state="submitted")
    report(clerk_kgj, "cross_border_ecommerce", 2026, None, "380", state="draft")
    approved_only = rows_by_code(api.get(URL, {"year": 2026}))
    assert approved_only["gross_output"]["status"] == "no_data"
    pending = rows_by_code(api.get(URL, {"year": 2026, "include_pending": 1}))
    assert pending["gross_output"]["status"] == "behind"
    assert "provisional" in pending["gross_output"]["flags"]
    assert pending["cross_border_ecommerce"]["status"] == "no_data"  # drafts never count


def test_missing_baseline_uses_the_baseline_years_actual(api, clerk_kgj):
    report(clerk_kgj, "gdp_share", 2025, None, "1")
    report(clerk_kgj, "gdp_share", 2026, None, "1.5")
    row = rows_by_code(api.get(URL, {"year": 2026}))["gdp_share"]
    assert row["baseline"] == "1"
    assert "baseline_missing" in row["flags"]


def test_milestone_stage_reached(api, clerk_kgj):
    report(clerk_kgj, "regional_brand", 2026, 2, stage="成功注册")
    row = rows_by_code(api.get(URL, {"year": 2026, "quarter": 3}))["regional_brand"]
    assert (row["stage"], row["status"]) == ("成功注册", "achieved_milestone")


def test_baseline_year_is_a_valid_period(api):
    body = api.get(URL, {"year": 2025}).json()
    assert body["indicators"][0]["time_progress"] == "0"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "year"),
        ({"year": 2024}, "year"),
        ({"year": "x"}, "year"),
        ({"year": 2026, "quarter": 5}, "quarter"),
    ],
)
def test_bad_periods_get_400_in_chinese(api, params, field):
    response = api.get(URL, params)
    assert response.status_code == 400
    message = response.json()[field][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize("size", [30, 300])
def test_query_count_does_not_grow_with_the_plan(leader, django_assert_max_num_queries, size):
    plan = make_synthetic_plan(size)
    client = APIClient()
    client.force_authenticate(leader)
    # user's groups (role check), profile (scope), plan, indicators, stages, targets,
    # responsibilities, actuals
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/plans/{plan.slug}/progress/", {"year": 2026})
    assert len(response.json()["indicators"]) == size


def test_a_correction_under_review_leaves_the_approved_figure_in_force(api, clerk_kgj):
    actual = report(clerk_kgj, "gross_output", 2026, None, "36")
    actual.value, actual.state = D("50"), "submitted"  # a correction, submitted, not approved
    actual.save()
    assert rows_by_code(api.get(URL, {"year": 2026}))["gross_output"]["value"] == "36"
    pending = rows_by_code(api.get(URL, {"year": 2026, "include_pending": "true"}))
    assert pending["gross_output"]["value"] == "50"
