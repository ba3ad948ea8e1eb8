"""The read API: shape of every endpoint, plan order, login required, constant query counts."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import PLAN_SLUG

ENDPOINTS = [
    "/api/v1/plans/",
    f"/api/v1/plans/{PLAN_SLUG}/indicators/",
    f"/api/v1/plans/{PLAN_SLUG}/tasks/",
    "/api/v1/departments/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_is_refused(plan, url):
    response = APIClient().get(url)
    assert response.status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_token_authentication_works(plan, leader, url):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=leader).key}")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ENDPOINTS)
def test_session_authentication_works(plan, leader_client, url):
    assert leader_client.get(url).status_code == 200


def test_plans_shape(api):
    assert api.get("/api/v1/plans/").json() == [
        {
            "slug": PLAN_SLUG,
            "name": "陆河县服装产业高质量发展规划（2025—2030年）（征求意见稿）",
            "region": {"code": "441523", "name": "陆河县", "level": "county"},
            "county": "陆河县",
            "baseline_year": 2025,
            "milestone_years": [2028, 2030, 2035],
        }
    ]


def test_indicator_shape(api):
    rows = api.get(f"/api/v1/plans/{PLAN_SLUG}/indicators/").json()
    first = rows[0]
    assert set(first) == {
        "code", "dimension", "name", "unit", "kind", "direction", "path", "binding",
        "frequency", "baseline", "baseline_note", "stages", "targets", "lead_departments",
        "responsible_departments", "data_source_departments",
    }  # fmt: skip
    assert first["frequency"] == "quarterly"
    assert first["targets"][0] == {
        "year": 2028,
        "text": "60",
        "form": "plain",
        "value": "60",
        "lower": None,
        "upper": None,
        "strict": False,
        "tolerance": None,
        "compound": None,
        "reference": None,
        "stage": None,
        "source": "具体指标表",
    }
    assert first["direction"] in {"higher", "lower"}
    assert first["path"] in {"linear", "geometric"}


def test_indicators_in_plan_order(api):
    rows = api.get(f"/api/v1/plans/{PLAN_SLUG}/indicators/").json()
    assert len(rows) == 30
    assert rows[0]["name"] == "全产业链总产值"
    assert rows[-1]["name"] == "信访量增速"


def test_task_shape(api):
    task = api.get(f"/api/v1/plans/{PLAN_SLUG}/tasks/").json()[0]
    assert task == {
        "project": "制造企业培育工程",
        "name": "培育壮大领航企业",
        "lead_departments": [{"name": "县科工局", "inferred": False}],
        "responsible_departments": ["县发展改革局"],
        "indicators": ["above_scale_enterprises", "hundred_million_enterprises"],
        "clause": "（牵头单位：县科工局；责任单位：县发展改革局）",
    }


def test_departments_shape(api):
    rows = api.get("/api/v1/departments/").json()
    assert rows[0] == {"name": "县科工局", "kind": "bureau", "region": "441523"}


def test_unknown_plan_is_404(api):
    assert api.get("/api/v1/plans/nope/indicators/").status_code == 404


@pytest.mark.parametrize("url", ENDPOINTS[1:3])
def test_plan_lists_cost_a_fixed_number_of_queries(api, url, django_assert_max_num_queries):
    # force_authenticate: no session; groups (role) and profile (scope) 2; the plan (with its
    # region) 1; indicators, stages, targets, responsibilities 4 (tasks: tasks, departments,
    # indicators 3).
    with django_assert_max_num_queries(7):
        assert api.get(url).status_code == 200
