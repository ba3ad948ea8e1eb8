"""The write API for reported values: who may do what by every route, each refusal of the
services reaching the API as a status with its message, history, filters and query budgets."""

import re
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from indicators.domain.warnings import Explanation
from indicators.models import Actual, Department, Indicator
from indicators.services.actuals import Entry, actual_approve, actual_create, actual_submit
from indicators.services.users import user_set_role
from tests.conftest import PLAN_SLUG

URL = "/api/v1/actuals/"
CJK = re.compile("[\u4e00-\u9fff]")


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def indicator(plan, code) -> Indicator:
    return Indicator.objects.get(plan=plan, code=code)


LAGGING = Explanation("企业升规进度慢于预期", "逐户培育升规", "at_risk")


def store(user, ind, value="3", year=2026, quarter=3, *, state="draft", reviewer=None, note=""):
    """A stored value through the services, taken to `state` (submitted or approved)."""
    submit = state != "draft"
    # A submission whose value lags needs a 滞后说明 (domain.md §11): these figures are arbitrary.
    why = LAGGING if submit else None
    entry = Entry(year, quarter, D(value), None, "县统计局快报", note, explanation=why)
    actual = actual_create(user=user, indicator=ind, entry=entry, submit=submit)
    if state == "approved":
        actual = actual_approve(user=reviewer, actual=actual)
    return actual


def body(**changes) -> dict:
    """A valid new value for 规上企业数量 (reported by 县科工局), 2026 Q3."""
    data = {
        "plan": PLAN_SLUG,
        "indicator": "above_scale_enterprises",
        "year": 2026,
        "quarter": 3,
        "value": "3",
        "source": "县统计局快报",
        "note": "",
    }
    return {**data, **changes}


@pytest.fixture
def enterprises(plan):
    return indicator(plan, "above_scale_enterprises")


@pytest.fixture
def clerk_kgj2(plan):
    """A second clerk of 县科工局, to race the first."""
    kgj = Department.objects.get(name="县科工局")
    return user_set_role(username="clerk_kgj2", role="clerk", department=kgj, password="pw")


@pytest.fixture
def clerk_scj(plan):
    """A clerk of 县市场监管局, which reports 区域品牌知名度 (a milestone)."""
    scj = Department.objects.get(name="县市场监管局")
    return user_set_role(username="clerk_scj", role="clerk", department=scj, password="pw")


# --- the role × action matrix ----------------------------------------------------------------

ROLES = ("clerk_kgj", "clerk_rsj", "reviewer", "leader", "analyst", "outsider", "anonymous")

# clerk_kgj reports 规上企业数量; clerk_rsj is a clerk of another department.
# Reads of a value the user may not see are 404; a write by the wrong role or department is 403.
MATRIX = {
    #                       own  other  revw  leadr anlst  outs  anon
    "list":                (200,  200,  200,  200,  200,  403,  401),
    "create":              (201,  403,  403,  403,  403,  403,  401),
    "detail of a draft":   (200,  404,  200,  404,  404,  403,  401),
    "detail of submitted": (200,  404,  200,  200,  200,  403,  401),
    "detail of approved":  (200,  200,  200,  200,  200,  403,  401),
    # another department's draft is not there for a clerk: 404 (leaders and analysts never
    # write: their role is refused first, 403)
    "change":              (200,  404,  403,  403,  403,  403,  401),
    "submit":              (200,  404,  403,  403,  403,  403,  401),
    "approve":             (403,  403,  200,  403,  403,  403,  401),
    "return":              (403,  403,  200,  403,  403,  403,  401),
    "history of a draft":  (200,  404,  200,  404,  404,  403,  401),
    "history of approved": (200,  200,  200,  200,  200,  403,  401),
}  # fmt: skip


# action: (the state of the value it acts on, or None for no value; method; URL after the
# value's; body, with the value's version filled in)
ACTIONS = {
    "list":                (None, "get", None, None),
    "create":              (None, "post", None, body()),
    "detail of a draft":   ("draft", "get", "", None),
    "detail of submitted": ("submitted", "get", "", None),
    "detail of approved":  ("approved", "get", "", None),
    "change":              ("draft", "patch", "", {"value": "4"}),
    "submit":              ("draft", "post", "submit/", {}),
    "approve":             ("submitted", "post", "approve/", {}),
    "return":              ("submitted", "post", "return/", {"comment": "请核实"}),
    "history of a draft":  ("draft", "get", "history/", None),
    "history of approved": ("approved", "get", "history/", None),
}  # fmt: skip


def _request(action, clerk, reviewer, ind):
    """(method, url, body) of an action, with the value it acts on stored first."""
    state, method, suffix, data = ACTIONS[action]
    if state is None:
        return method, URL, data
    actual = store(clerk, ind, state=state, reviewer=reviewer)
    if data is not None:
        data = {**data, "version": actual.version}
    return method, f"{URL}{actual.pk}/{suffix}", data


CELLS = [
    (action, role, code)
    for action, codes in MATRIX.items()
    for role, code in zip(ROLES, codes, strict=True)
]


@pytest.mark.parametrize(("action", "role", "expected"), CELLS)
def test_role_action_matrix(request, clerk_kgj, reviewer, enterprises, action, role, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    method, url, data = _request(action, clerk_kgj, reviewer, enterprises)
    before = list(Actual.objects.values_list("pk", "version", "state"))
    response = getattr(client_for(user), method)(url, data, format="json")
    assert response.status_code == expected, response.content
    if expected >= 400:  # a refusal changes nothing
        assert list(Actual.objects.values_list("pk", "version", "state")) == before


def test_refusals_say_why_in_chinese(clerk_rsj, leader, outsider, enterprises):
    assert client_for(outsider).get(URL).json() == {
        "detail": "您的账号尚未分配角色，请联系管理员。"
    }
    # The wrong role is refused before the body is read, the wrong department by the service:
    # the same refusal, in the same words.
    by_role = client_for(leader).post(URL, body(), format="json").json()["detail"]
    by_department = client_for(clerk_rsj).post(URL, body(), format="json").json()["detail"]
    assert by_role == by_department and CJK.search(by_role)
    assert client_for(leader).post(URL, {}, format="json").status_code == 403
    assert client_for().get(URL).status_code == 401


# --- entering a value ------------------------------------------------------------------------


def test_create_returns_the_new_draft(clerk_kgj):
    response = client_for(clerk_kgj).post(URL, body(note="含新入规2家"), format="json")
    assert response.status_code == 201
    data = response.json()
    actual = Actual.objects.get()
    assert data == {
        "id": actual.pk,
        "plan": PLAN_SLUG,
        "indicator": "above_scale_enterprises",
        "indicator_name": "规上企业数量（家）",
        "unit": "家",
        "kind": "level",
        "year": 2026,
        "month": None,
        "quarter": 3,
        "half": None,
        "period": "2026年第3季度",
        "value": "3",
        "stage": None,
        "source": "县统计局快报",
        "note": "含新入规2家",
        "attachment": None,
        "attachment_in_force": None,
        "state": "draft",
        "state_label": "草稿",
        "version": 1,
        "review_comment": "",
        "approved_value": None,
        "approved_stage": None,
        "approved_source": "",
        "approved_by": None,
        "approved_at": None,
        "created_by": "clerk_kgj",
        "created_at": data["created_at"],
        "updated_by": "clerk_kgj",
        "updated_at": data["updated_at"],
        "first_submitted_at": None,
        "submitted_at": None,
        "explanation": None,
    }
    assert data["created_at"].startswith("2")


def test_create_and_submit_at_once(clerk_kgj):
    response = client_for(clerk_kgj).post(URL, body(submit=True), format="json")
    assert (response.status_code, response.json()["state"]) == (201, "submitted")
    assert response.json()["submitted_at"] is not None


def test_create_a_milestone_stage(clerk_scj, plan):
    data = body(indicator="regional_brand", value=None, stage="未注册")
    response = client_for(clerk_scj).post(URL, data, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["stage"], response.json()["value"]) == ("未注册", None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"plan": "no-such-plan"}, "plan", "未知规划“no-such-plan”。"),
        ({"indicator": "no_such_code"}, "indicator", "该规划没有此代码的指标。"),
    ],
)
def test_unknown_plan_or_indicator(clerk_kgj, changes, field, message):
    response = client_for(clerk_kgj).post(URL, body(**changes), format="json")
    assert (response.status_code, response.json()) == (400, {field: [message]})


# case: (clerk, indicator, the 2026 Q2 value before, what is sent, the field refused)
ENT, WORKERS, BRAND = "above_scale_enterprises", "skilled_workers_introduced", "regional_brand"
NO_SUCH_STAGE = {"value": None, "stage": "家喻户晓"}
REFUSALS = {
    "future quarter 2026 Q4":   ("clerk_kgj", ENT, None, {"quarter": 4}, "year"),
    "whole year 2026":          ("clerk_kgj", ENT, None, {"quarter": None}, "year"),
    "count not whole":          ("clerk_kgj", ENT, None, {"value": "2.5"}, "value"),
    "negative count":           ("clerk_kgj", ENT, None, {"value": "-1"}, "value"),
    "no value":                 ("clerk_kgj", ENT, None, {"value": None}, "value"),
    "cumulative falling":       ("clerk_rsj", WORKERS, "100", {"value": "90"}, "value"),
    "over 50% without a note":  ("clerk_kgj", ENT, "2", {"value": "4"}, "note"),
    "missing source":           ("clerk_kgj", ENT, None, {"source": ""}, "source"),
    "unknown stage":            ("clerk_scj", BRAND, None, NO_SUCH_STAGE, "stage"),
    "year before the plan":     ("clerk_kgj", ENT, None, {"year": 2024}, "year"),
    "year after the plan":      ("clerk_kgj", ENT, None, {"year": 2036}, "year"),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSALS)
def test_each_validation_refusal_is_a_400_with_its_field(request, plan, case):
    clerk_name, code, previous, changes, field = REFUSALS[case]
    clerk = request.getfixturevalue(clerk_name)
    if previous is not None:  # the 2026 Q2 value the Q3 one is checked against
        store(clerk, indicator(plan, code), previous, quarter=2)
    count = Actual.objects.count()
    data = body(indicator=code, **changes)
    response = client_for(clerk).post(URL, data, format="json")
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert messages and all(CJK.search(m) for m in messages), messages
    assert Actual.objects.count() == count


def test_plan_years_message(clerk_kgj):
    response = client_for(clerk_kgj).post(URL, body(year=2036), format="json")
    assert response.json() == {"year": ["规划期为2025年至2035年。"]}


def test_the_note_answers_the_big_change(clerk_kgj, enterprises):
    store(clerk_kgj, enterprises, "2", quarter=2)
    response = client_for(clerk_kgj).post(URL, body(value="4", note="2家企业新入规"), format="json")
    assert response.status_code == 201


def test_second_value_for_the_same_period(clerk_kgj, enterprises):
    store(clerk_kgj, enterprises)
    response = client_for(clerk_kgj).post(URL, body(value="4"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"year"}
    assert Actual.objects.get().value == D(3)


def test_missing_period_fields_are_required(clerk_kgj):
    data = body()
    del data["year"]  # without month, quarter or half a period is the whole year; not so a year
    response = client_for(clerk_kgj).post(URL, data, format="json")
    assert (response.status_code, set(response.json())) == (400, {"year"})


def test_two_kinds_of_period_are_refused(clerk_kgj):
    data = body() | {"month": 9}
    response = client_for(clerk_kgj).post(URL, data, format="json")
    assert response.status_code == 400
    assert response.json() == {"period": ["月份、季度、半年最多填写一项。"]}


# --- changing a value ------------------------------------------------------------------------


def test_change_keeps_the_fields_not_sent(clerk_kgj, enterprises):
    actual = store(clerk_kgj, enterprises, note="快报")
    response = client_for(clerk_kgj).patch(
        f"{URL}{actual.pk}/", {"value": "4", "note": "快报更正", "version": 1}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["value"], data["note"], data["source"], data["version"]) == (
        "4",
        "快报更正",
        "县统计局快报",
        2,
    )
    response = client_for(clerk_kgj).patch(
        f"{URL}{actual.pk}/", {"source": "县科工局台账", "version": 2}, format="json"
    )
    assert (response.json()["value"], response.json()["note"]) == ("4", "快报更正")


def test_change_needs_the_version(clerk_kgj, enterprises):
    actual = store(clerk_kgj, enterprises)
    response = client_for(clerk_kgj).patch(f"{URL}{actual.pk}/", {"value": "4"}, format="json")
    assert (response.status_code, set(response.json())) == (400, {"version"})
    actual.refresh_from_db()
    assert (actual.value, actual.version) == (D(3), 1)


def test_change_is_validated_like_an_entry(clerk_kgj, enterprises):
    actual = store(clerk_kgj, enterprises)
    url = f"{URL}{actual.pk}/"
    response = client_for(clerk_kgj).patch(url, {"value": "2.5", "version": 1}, format="json")
    assert (response.status_code, set(response.json())) == (400, {"value"})


def test_stale_version_is_a_409_naming_who_changed_it(clerk_kgj, clerk_kgj2, enterprises):
    actual = store(clerk_kgj, enterprises)
    url = f"{URL}{actual.pk}/"
    first = client_for(clerk_kgj2).patch(url, {"value": "4", "version": 1}, format="json")
    assert first.status_code == 200
    second = client_for(clerk_kgj).patch(url, {"value": "5", "version": 1}, format="json")
    assert second.status_code == 409
    actual.refresh_from_db()
    when = date_format(timezone.localtime(actual.updated_at), "Y-m-d H:i")
    detail = second.json()["detail"]
    assert "clerk_kgj2" in detail and when in detail and CJK.search(detail)
    assert (actual.value, actual.version, actual.updated_by) == (D(4), 2, clerk_kgj2)


def test_correcting_an_approved_value(clerk_kgj, reviewer, enterprises, api):
    actual = store(clerk_kgj, enterprises, state="approved", reviewer=reviewer)
    url = f"{URL}{actual.pk}/"
    clerk = client_for(clerk_kgj)
    no_reason = clerk.patch(url, {"value": "4", "version": actual.version}, format="json")
    assert (no_reason.status_code, set(no_reason.json())) == (400, {"reason"})

    response = clerk.patch(
        url, {"value": "4", "version": actual.version, "reason": "统计局更正"}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["state"], data["value"], data["approved_value"]) == ("draft", "4", "3")
    assert _progress_value(api) == "3"  # the approved figure stays in force …

    clerk.post(f"{url}submit/", {}, format="json")
    assert _progress_value(api) == "3"
    client_for(reviewer).post(f"{url}approve/", {}, format="json")
    assert _progress_value(api) == "4"  # … until the correction is approved


def _progress_value(api) -> str:
    rows = api.get(f"/api/v1/plans/{PLAN_SLUG}/progress/?year=2026&quarter=3").json()
    return next(r["value"] for r in rows["indicators"] if r["code"] == "above_scale_enterprises")


def test_a_submitted_value_cannot_be_changed(clerk_kgj, enterprises):
    actual = store(clerk_kgj, enterprises, state="submitted")
    url = f"{URL}{actual.pk}/"
    data = {"value": "4", "version": actual.version}
    response = client_for(clerk_kgj).patch(url, data, format="json")
    assert (response.status_code, set(response.json())) == (400, {"state"})


def test_unknown_value_is_404(clerk_kgj, reviewer):
    assert client_for(reviewer).get(f"{URL}999999/").status_code == 404
    response = client_for(clerk_kgj).patch(f"{URL}999999/", {"version": 1}, format="json")
    assert response.status_code == 404


# --- submit, approve, return -----------------------------------------------------------------


def test_transitions_and_their_refusals(clerk_kgj, reviewer, enterprises):
    actual = store(clerk_kgj, enterprises)
    url = f"{URL}{actual.pk}/"
    clerk, review = client_for(clerk_kgj), client_for(reviewer)

    def state_of(response, code=200):
        assert response.status_code == code, response.content
        return response.json()["state"] if code == 200 else set(response.json())

    assert state_of(review.post(f"{url}approve/", {}), 400) == {"state"}  # a draft
    assert state_of(review.post(f"{url}return/", {"comment": "x"}), 400) == {"state"}
    assert state_of(clerk.post(f"{url}submit/", {"version": 1})) == "submitted"
    assert state_of(clerk.post(f"{url}submit/", {}), 400) == {"state"}  # already submitted
    assert state_of(review.post(f"{url}return/", {}), 400) == {"comment"}
    assert state_of(review.post(f"{url}return/", {"comment": "   "}), 400) == {"comment"}
    assert review.post(f"{url}approve/", {"version": 1}).status_code == 409  # stale

    returned = review.post(f"{url}return/", {"comment": "请附快报", "version": 2})
    assert (state_of(returned), returned.json()["review_comment"]) == ("returned", "请附快报")
    assert state_of(clerk.post(f"{url}submit/", {})) == "submitted"
    approved = review.post(f"{url}approve/", {})
    data = approved.json()
    assert (state_of(approved), data["approved_value"], data["approved_by"]) == (
        "approved",
        "3",
        "reviewer",
    )
    assert data["review_comment"] == ""
    assert state_of(review.post(f"{url}approve/", {}), 400) == {"state"}


def test_stale_submit_is_a_409(clerk_kgj, clerk_kgj2, enterprises):
    actual = store(clerk_kgj, enterprises)
    client_for(clerk_kgj2).patch(f"{URL}{actual.pk}/", {"value": "4", "version": 1}, format="json")
    response = client_for(clerk_kgj).post(f"{URL}{actual.pk}/submit/", {"version": 1})
    assert response.status_code == 409
    assert "clerk_kgj2" in response.json()["detail"]


# --- history ---------------------------------------------------------------------------------


def test_history_lists_every_step(clerk_kgj, reviewer, enterprises):
    clerk, review = client_for(clerk_kgj), client_for(reviewer)
    pk = clerk.post(URL, body(), format="json").json()["id"]
    url = f"{URL}{pk}/"
    clerk.post(f"{url}submit/", {})
    review.post(f"{url}return/", {"comment": "请附快报"})
    clerk.patch(url, {"value": "4", "note": "快报修订", "version": 3}, format="json")
    clerk.post(f"{url}submit/", {})
    review.post(f"{url}approve/", {})
    clerk.patch(url, {"value": "5", "version": 6, "reason": "统计局更正"}, format="json")

    steps = client_for(reviewer).get(f"{url}history/").json()
    assert [(s["who"], s["action"], s["state"], s["version"]) for s in steps] == [
        ("clerk_kgj", "created", "draft", 1),
        ("clerk_kgj", "changed", "submitted", 2),
        ("reviewer", "changed", "returned", 3),
        ("clerk_kgj", "changed", "draft", 4),
        ("clerk_kgj", "changed", "submitted", 5),
        ("reviewer", "changed", "approved", 6),
        ("clerk_kgj", "changed", "draft", 7),
    ]
    assert steps[2]["reason"] == "请附快报"
    assert steps[6]["reason"] == "统计局更正"
    assert {"field": "value", "label": "数值", "old": "3", "new": "4"} in steps[3]["changes"]
    assert {"field": "value", "label": "数值", "old": "4", "new": "5"} in steps[6]["changes"]
    assert {"field": "state", "label": "状态", "old": "submitted", "new": "returned"} in steps[2][
        "changes"
    ]
    assert {"field": "approved_value", "label": "生效数值", "old": "", "new": "4"} in steps[5][
        "changes"
    ]
    assert all(s["when"] for s in steps)


# --- the list --------------------------------------------------------------------------------


@pytest.fixture
def stored(plan, clerk_kgj, clerk_rsj, reviewer, enterprises):
    """县科工局: 规上企业数量 2025 whole year (approved), 2026 Q2 (approved), 2026 Q3 (draft),
    电子商务交易额 2026 Q3 (submitted); 县人社局: 从业人员 2026 Q3 (draft)."""
    return {
        "whole_2025": store(clerk_kgj, enterprises, "2", 2025, None, state="approved",
                            reviewer=reviewer),
        "q2": store(clerk_kgj, enterprises, "2", quarter=2, state="approved", reviewer=reviewer),
        "q3": store(clerk_kgj, enterprises, "3", note="新入规1家"),
        "ecommerce": store(clerk_kgj, indicator(plan, "ecommerce_volume"), "5", state="submitted"),
        "employment": store(clerk_rsj, indicator(plan, "employment"), "2"),
    }  # fmt: skip


def _ids(client, query="") -> list[int]:
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_list_in_plan_order_then_period(stored, reviewer):
    s = {name: actual.pk for name, actual in stored.items()}
    # 电子商务交易额 (4th in the plan) before 规上企业数量 (5th); a whole year after its Q4.
    assert _ids(client_for(reviewer)) == [
        s["ecommerce"], s["whole_2025"], s["q2"], s["q3"], s["employment"]
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"?plan={PLAN_SLUG}", ["ecommerce", "whole_2025", "q2", "q3", "employment"]),
        ("?year=2026&quarter=3", ["ecommerce", "q3", "employment"]),
        ("?year=2025", ["whole_2025"]),
        ("?year=2025&quarter=0", ["whole_2025"]),
        ("?year=2026&quarter=2", ["q2"]),
        ("?department=县人社局", ["employment"]),
        ("?department=县科工局&state=approved", ["whole_2025", "q2"]),
        ("?state=submitted", ["ecommerce"]),
        ("?state=draft&year=2026", ["q3", "employment"]),
        ("?ignored=1", ["ecommerce", "whole_2025", "q2", "q3", "employment"]),
    ],
)
def test_list_filters(stored, reviewer, query, expected):
    assert _ids(client_for(reviewer), query) == [stored[name].pk for name in expected]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?year=abc", "year", "年份须为数字，例如 2026。"),
        ("?year=0", "year", "年份须为数字，例如 2026。"),
        ("?year=2026&quarter=5", "quarter", "季度须为 1 至 4，全年数值请用 0。"),
        ("?year=2026&quarter=year", "quarter", "季度须为 1 至 4，全年数值请用 0。"),
        ("?year=2026&quarter=-1", "quarter", "季度须为 1 至 4，全年数值请用 0。"),
        ("?quarter=2", "year", "年份须为数字，例如 2026。"),
        ("?year=2026&month=13", "month", "月份须为1至12。"),
        (
            "?state=deleted",
            "state",
            "状态须为以下之一：draft（草稿）、submitted（已提交）、approved（已通过）、returned（已退回）。",
        ),
        ("?plan=nope", "plan", "未知规划“nope”。"),
        ("?department=县外单位", "department", "没有名为“县外单位”的单位。"),
    ],
)
def test_bad_filters_are_400_in_chinese(plan, reviewer, query, field, message):
    response = client_for(reviewer).get(f"{URL}{query}")
    assert (response.status_code, response.json()) == (400, {field: [message]})


def test_who_sees_what(stored, clerk_kgj, clerk_rsj, leader, analyst):
    s = {name: actual.pk for name, actual in stored.items()}
    # 县人社局's clerk: its own draft and 县科工局's approved figures, not 县科工局's drafts.
    assert _ids(client_for(clerk_rsj)) == [s["whole_2025"], s["q2"], s["employment"]]
    assert _ids(client_for(clerk_kgj)) == [
        s["ecommerce"], s["whole_2025"], s["q2"], s["q3"]
    ]  # fmt: skip
    for user in (leader, analyst):  # approved figures and submissions
        assert _ids(client_for(user)) == [s["ecommerce"], s["whole_2025"], s["q2"]]
    rsj = client_for(clerk_rsj)
    assert rsj.get(f"{URL}{s['q3']}/").status_code == 404
    assert rsj.get(f"{URL}{s['q3']}/history/").status_code == 404
    assert rsj.get(f"{URL}{s['q2']}/").json()["approved_value"] == "2"


def _fill(clerk, plan, count: int) -> None:
    """`count` values of 县科工局 across its indicators and the periods already over."""
    codes = ["above_scale_enterprises", "hundred_million_enterprises",
             "wholesale_retail_enterprises", "high_tech_enterprises", "ecommerce_volume",
             "digital_management_adopters", "automated_factories"]  # fmt: skip
    periods = [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2025, None),
               (2026, 1), (2026, 2), (2026, 3)]  # fmt: skip
    slots = [(code, year, quarter) for code in codes for year, quarter in periods][:count]
    for code, year, quarter in slots:
        store(clerk, indicator(plan, code), "3", year, quarter, note="台账")


def test_pagination(plan, clerk_kgj, reviewer):
    _fill(clerk_kgj, plan, 56)
    client = client_for(reviewer)
    first = client.get(URL).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (56, 50, None)
    assert first["next"].endswith("?page=2")
    second = client.get(f"{URL}?page=2").json()
    assert len(second["results"]) == 6
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])
    assert client.get(f"{URL}?page=3").status_code == 404


@pytest.mark.parametrize("count", [3, 50])
@pytest.mark.parametrize("role", ["reviewer", "clerk_kgj", "clerk_rsj"])
def test_list_query_budget(request, plan, clerk_kgj, django_assert_max_num_queries, count, role):
    _fill(clerk_kgj, plan, count)
    client = client_for(request.getfixturevalue(role))
    # role for the permission, role again and (a clerk) the department for what is visible,
    # the plan and the department of the filters, the count, the page with everything joined.
    with django_assert_max_num_queries(7):
        response = client.get(f"{URL}?plan={PLAN_SLUG}&department=县科工局&year=2025")
    assert response.status_code == 200
    # 县人社局's clerk sees none of 县科工局's drafts.
    expected = 0 if role == "clerk_rsj" else Actual.objects.filter(year=2025).count()
    assert len(response.json()["results"]) == expected


@pytest.mark.parametrize("steps", [1, 8])
def test_history_query_budget(clerk_kgj, enterprises, django_assert_max_num_queries, steps):
    actual = store(clerk_kgj, enterprises)
    for version in range(1, steps):
        actual = _patch_note(clerk_kgj, actual, version)
    client = client_for(clerk_kgj)
    # role for the permission; role and department for what is visible; the value; its history.
    with django_assert_max_num_queries(5):
        response = client.get(f"{URL}{actual.pk}/history/")
    assert len(response.json()) == steps


def _patch_note(clerk, actual, version):
    response = client_for(clerk).patch(
        f"{URL}{actual.pk}/", {"note": f"第{version}次核对", "version": version}, format="json"
    )
    assert response.status_code == 200
    return Actual.objects.get(pk=actual.pk)


def test_detail_query_budget(clerk_kgj, reviewer, enterprises, django_assert_max_num_queries):
    actual = store(clerk_kgj, enterprises, state="approved", reviewer=reviewer)
    client = client_for(reviewer)
    with django_assert_max_num_queries(3):  # role twice (permission, visibility), the value
        assert client.get(f"{URL}{actual.pk}/").status_code == 200


def test_submit_via_api_after_services(clerk_kgj, enterprises):
    """A value entered by another route (the services) is the same value to the API."""
    actual = actual_submit(user=clerk_kgj, actual=store(clerk_kgj, enterprises))
    response = client_for(clerk_kgj).get(f"{URL}{actual.pk}/")
    assert (response.json()["state"], response.json()["version"]) == ("submitted", 2)
