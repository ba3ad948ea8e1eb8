"""Values assigned from above and qualitative judgements (domain.md §9, point 4): recorded for a
year by a reviewer or an administrator whose scope holds the plan, with history, through the
services (indicators/services/targets.py), the API (indicators/api/targets.py) and the indicator
page's forms (indicators/views/targets.py); listed on the indicator page.

The 陆河 plan has no such target, so the tests add two indicators to it: 耕地保有量 (完成市下达任务
in 2028 and 2030) and 生态环境质量 (保持适度水平, 2030)."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from rest_framework.test import APIClient

from indicators.models import Assignment, Indicator, Judgement, Region, Target
from indicators.services import targets as services
from indicators.services.users import user_set_role
from tests.conftest import PLAN_SLUG
from tests.factories import synthetic_region

ASSIGNED, QUALITATIVE = "farmland", "ecology"
DOCUMENT = "汕府〔2027〕12号"
NOTE = "空气、水质指标均保持稳定"


# --- the cast and the indicators --------------------------------------------------------------


def _indicator(plan, code, name, unit, order, targets) -> Indicator:
    indicator = Indicator.objects.create(
        plan=plan, dimension=plan.dimensions.first(), code=code, name=name, unit=unit,
        order=order, kind="level", baseline=D("21.5") if unit else None,
    )  # fmt: skip
    for year, form, text in targets:
        Target.objects.create(indicator=indicator, year=year, form=form, text=text, origin="table")
    return indicator


@pytest.fixture
def farmland(plan) -> Indicator:
    return _indicator(
        plan, ASSIGNED, "耕地保有量", "万亩", 900,
        [(2028, "assigned", "完成市下达任务"), (2030, "assigned", "完成市下达任务")],
    )  # fmt: skip


@pytest.fixture
def ecology(plan) -> Indicator:
    return _indicator(
        plan, QUALITATIVE, "生态环境质量", "", 901, [(2030, "qualitative", "保持适度水平")]
    )


@pytest.fixture
def admin(plan):
    return user_set_role(username="admin", role="admin", department=None, password="pw-admin")


@pytest.fixture
def county_reviewer(plan):
    """A reviewer whose scope is 陆河县 itself (not the whole platform)."""
    region = Region.objects.get(code="441523")
    return user_set_role(
        username="luhe_reviewer", role="reviewer", department=None, password="pw", region=region
    )


@pytest.fixture
def stranger(plan):
    """A reviewer of another county (江岸区): 陆河's plan does not exist for them."""
    return user_set_role(
        username="jiangan_reviewer",
        role="reviewer",
        department=None,
        password="pw",
        region=synthetic_region(),
    )


def assign(user, indicator, year=2027, value="21.6", document=DOCUMENT) -> Assignment:
    value = value if value is None or isinstance(value, D) else D(value)
    return services.assignment_record(
        user=user, indicator=indicator, year=year, value=value, document=document
    )


def judge(user, indicator, year=2027, met=True, note=NOTE) -> Judgement:
    return services.judgement_record(user=user, indicator=indicator, year=year, met=met, note=note)


def refusal(call, *args, **kwargs) -> dict[str, list[str]]:
    """The fields the services refuse, with their English messages."""
    with translation.override("en"), pytest.raises(services.Invalid) as caught:
        call(*args, **kwargs)
    return caught.value.errors


# --- the services -----------------------------------------------------------------------------


def test_a_reviewer_records_an_assigned_value(reviewer, farmland):
    row = assign(reviewer, farmland, document=f"  {DOCUMENT} ")
    row.refresh_from_db()
    assert (row.year, row.value, row.document, row.recorded_by) == (
        2027, D("21.6"), DOCUMENT, reviewer
    )  # fmt: skip
    assert row.recorded_at is not None
    (step,) = row.history.all()
    assert (step.history_type, step.history_user, step.value) == ("+", reviewer, D("21.6"))


def test_recording_a_year_again_changes_its_row_and_history_keeps_the_old_one(
    reviewer, admin, farmland
):
    first = assign(reviewer, farmland)
    second = assign(admin, farmland, value="22", document="汕府〔2027〕30号")
    assert second.pk == first.pk
    assert Assignment.objects.filter(indicator=farmland).count() == 1
    second.refresh_from_db()
    assert (second.value, second.recorded_by) == (D("22"), admin)
    newest, oldest = second.history.all()  # newest first
    assert (oldest.value, oldest.document, oldest.history_user) == (D("21.6"), DOCUMENT, reviewer)
    assert (newest.history_type, newest.value, newest.history_user) == ("~", D("22"), admin)


def test_a_reviewer_records_a_judgement_and_changes_it(reviewer, ecology):
    row = judge(reviewer, ecology, met=True, note=f" {NOTE} ")
    assert (row.met, row.note) == (True, NOTE)
    changed = judge(reviewer, ecology, met=False, note="PM2.5 年均浓度上升")
    assert changed.pk == row.pk
    assert [step.met for step in changed.history.order_by("history_id")] == [True, False]


def test_administrators_and_county_reviewers_may_record(admin, county_reviewer, plan, farmland):
    assign(admin, farmland, year=2026)
    assign(county_reviewer, farmland, year=2027)
    county_admin = user_set_role(
        username="luhe_admin", role="admin", department=None, password="pw", region=plan.region
    )
    assign(county_admin, farmland, year=2028)
    assert list(farmland.assignments.values_list("year", flat=True)) == [2026, 2027, 2028]


@pytest.mark.parametrize("who", ["clerk_kgj", "leader", "analyst", "stranger"])
def test_other_roles_and_other_counties_may_not_record(request, who, farmland, ecology):
    user = request.getfixturevalue(who)
    with translation.override("en"):
        for call in (lambda: assign(user, farmland), lambda: judge(user, ecology)):
            with pytest.raises(services.NotAllowed, match="Only a reviewer or an administrator"):
                call()
    assert not Assignment.objects.exists() and not Judgement.objects.exists()


def test_only_an_indicator_with_a_target_of_the_form(reviewer, plan, farmland, ecology):
    gross_output = Indicator.objects.get(plan=plan, code="gross_output")
    for indicator in (gross_output, ecology):
        (message,) = refusal(assign, reviewer, indicator)["indicator"]
        assert "no target assigned from above" in message
    (message,) = refusal(judge, reviewer, farmland)["indicator"]
    assert "no qualitative target" in message


@pytest.mark.parametrize("year", [None, 2025, 2036, True])
def test_the_year_must_be_one_the_plan_tracks(reviewer, farmland, ecology, year):
    message = "The year must be one the plan tracks, 2026 to 2035."
    assert refusal(assign, reviewer, farmland, year=year) == {"year": [message]}
    assert refusal(judge, reviewer, ecology, year=year) == {"year": [message]}


def test_the_plans_first_tracked_year_and_last_target_year_bound_the_years(
    reviewer, plan, farmland
):
    plan.first_tracked_year = 2027
    plan.save()
    farmland.plan = plan
    assert "2027 to 2035" in refusal(assign, reviewer, farmland, year=2026)["year"][0]
    assign(reviewer, farmland, year=2027)
    assign(reviewer, farmland, year=2035)  # the plan's last milestone year


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "Enter the assigned value as a number."),
        (D("NaN"), "Enter the assigned value as a number."),
        ("21.6", None),
        (D("1e15"), "This number is too large."),
        (D("-1e15"), "This number is too large."),
        ("999999999999999.9999", None),
        ("21.65432", "Use at most 4 decimal places."),
        ("-3.5", None),  # what the value measures is the assigning level's business
    ],
)
def test_the_value_has_the_bounds_of_a_reported_value(reviewer, farmland, value, message):
    if message is None:
        assert assign(reviewer, farmland, value=value).value == D(value)
    else:
        assert refusal(assign, reviewer, farmland, value=value) == {"value": [message]}


def test_the_document_is_required_and_bounded_by_its_column(reviewer, farmland):
    limit = Assignment._meta.get_field("document").max_length
    missing = "Name the document that assigned the value (its title and number)."
    assert refusal(assign, reviewer, farmland, document="   ") == {"document": [missing]}
    errors = refusal(assign, reviewer, farmland, document="文" * (limit + 1))
    assert errors == {"document": [f"The document's name is too long: at most {limit} characters."]}
    assert assign(reviewer, farmland, document=f" {'文' * limit} ").document == "文" * limit


def test_the_judgement_needs_met_and_a_bounded_note(reviewer, ecology):
    limit = Judgement._meta.get_field("note").max_length
    assert refusal(judge, reviewer, ecology, met=None) == {
        "met": ["Say whether the target was met or not."]
    }
    assert set(refusal(judge, reviewer, ecology, met="yes")) == {"met"}
    assert refusal(judge, reviewer, ecology, note=" ") == {
        "note": ["Write a note saying what the judgement rests on."]
    }
    assert refusal(judge, reviewer, ecology, note="x" * (limit + 1)) == {
        "note": [f"The note is too long: at most {limit} characters."]
    }
    assert judge(reviewer, ecology, met=False, note="x" * limit).met is False


def test_every_refused_field_is_named_at_once_and_nothing_is_saved(reviewer, farmland):
    errors = refusal(assign, reviewer, farmland, year=2040, value=None, document="")
    assert set(errors) == {"year", "value", "document"}
    assert not Assignment.objects.exists()


# --- the API ----------------------------------------------------------------------------------


def api_url(code: str, what: str, slug: str = PLAN_SLUG) -> str:
    return f"/api/v1/plans/{slug}/indicators/{code}/{what}/"


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_records_then_changes_an_assigned_value(reviewer, farmland):
    api = client_of(reviewer)
    body = {"year": 2027, "value": "21.6", "document": DOCUMENT}
    created = api.post(api_url(ASSIGNED, "assignments"), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json() | {"recorded_at": None} == {
        "year": 2027, "value": "21.6", "document": DOCUMENT, "recorded_by": "reviewer",
        "recorded_at": None,
    }  # fmt: skip
    changed = api.post(api_url(ASSIGNED, "assignments"), body | {"value": 22.5}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["value"] == "22.5"
    assert Assignment.objects.get(indicator=farmland).history.count() == 2


def test_the_api_records_a_judgement(admin, ecology):
    api = client_of(admin)
    body = {"year": 2027, "met": False, "note": NOTE}
    response = api.post(api_url(QUALITATIVE, "judgements"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json() | {"recorded_at": None} == {
        "year": 2027, "met": False, "note": NOTE, "recorded_by": "admin", "recorded_at": None,
    }  # fmt: skip
    again = api.post(api_url(QUALITATIVE, "judgements"), body | {"met": True}, format="json")
    assert (again.status_code, again.json()["met"]) == (200, True)


def test_anyone_who_sees_the_plan_reads_the_lists_by_year(reviewer, leader, farmland, ecology):
    assign(reviewer, farmland, year=2028, value="21.7", document="二号文")
    assign(reviewer, farmland, year=2027)
    judge(reviewer, ecology, year=2026, met=False, note="未达到")
    api = client_of(leader)
    listed = api.get(api_url(ASSIGNED, "assignments"))
    assert listed.status_code == 200
    rows = listed.json()
    assert [(r["year"], r["value"], r["document"]) for r in rows] == [
        (2027, "21.6", DOCUMENT), (2028, "21.7", "二号文")
    ]  # fmt: skip
    assert set(rows[0]) == {"year", "value", "document", "recorded_by", "recorded_at"}
    assert rows[0]["recorded_by"] == "reviewer" and rows[0]["recorded_at"]
    judgements = api.get(api_url(QUALITATIVE, "judgements")).json()
    assert [(r["year"], r["met"], r["note"]) for r in judgements] == [(2026, False, "未达到")]
    assert set(judgements[0]) == {"year", "met", "note", "recorded_by", "recorded_at"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": "21.6", "document": DOCUMENT}, "year"),
        ({"year": 2025, "value": "21.6", "document": DOCUMENT}, "year"),
        ({"year": "soon", "value": "21.6", "document": DOCUMENT}, "year"),
        ({"year": 2027, "document": DOCUMENT}, "value"),
        ({"year": 2027, "value": "lots", "document": DOCUMENT}, "value"),
        ({"year": 2027, "value": "1e15", "document": DOCUMENT}, "value"),
        ({"year": 2027, "value": "1.23456", "document": DOCUMENT}, "value"),
        ({"year": 2027, "value": "21.6"}, "document"),
        ({"year": 2027, "value": "21.6", "document": "  "}, "document"),
        ({"year": 2027, "value": "21.6", "document": "文" * 301}, "document"),
    ],
)
def test_bad_input_is_400_naming_the_field(reviewer, farmland, body, field):
    response = client_of(reviewer).post(api_url(ASSIGNED, "assignments"), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2027, "note": NOTE}, "met"),
        ({"year": 2027, "met": "perhaps", "note": NOTE}, "met"),
        ({"year": 2027, "met": True}, "note"),
        ({"year": 2040, "met": True, "note": NOTE}, "year"),
    ],
)
def test_bad_judgements_are_400_naming_the_field(reviewer, ecology, body, field):
    response = client_of(reviewer).post(api_url(QUALITATIVE, "judgements"), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_an_indicator_without_the_form_is_400(reviewer, plan, farmland):
    body = {"year": 2027, "met": True, "note": NOTE}
    response = client_of(reviewer).post(api_url(ASSIGNED, "judgements"), body, format="json")
    assert (response.status_code, list(response.json())) == (400, ["indicator"])


@pytest.mark.parametrize("who", ["clerk_kgj", "leader", "analyst"])
def test_other_roles_get_403_on_post(request, who, farmland, ecology):
    api = client_of(request.getfixturevalue(who))
    assert api.get(api_url(ASSIGNED, "assignments")).status_code == 200
    body = {"year": 2027, "value": "21.6", "document": DOCUMENT}
    response = api.post(api_url(ASSIGNED, "assignments"), body, format="json")
    assert response.status_code == 403
    body = {"year": 2027, "met": True, "note": NOTE}
    assert api.post(api_url(QUALITATIVE, "judgements"), body, format="json").status_code == 403
    assert not Assignment.objects.exists() and not Judgement.objects.exists()


def test_another_county_gets_404(stranger, reviewer, farmland, ecology):
    assign(reviewer, farmland)
    api = client_of(stranger)
    for what, code, body in (
        ("assignments", ASSIGNED, {"year": 2027, "value": "1", "document": DOCUMENT}),
        ("judgements", QUALITATIVE, {"year": 2027, "met": True, "note": NOTE}),
    ):
        assert api.get(api_url(code, what)).status_code == 404
        assert api.post(api_url(code, what), body, format="json").status_code == 404
    assert Assignment.objects.get().value == D("21.6")


def test_an_unknown_indicator_is_404(reviewer, farmland):
    api = client_of(reviewer)
    assert api.get(api_url("no-such-code", "assignments")).status_code == 404
    assert api.get(api_url(ASSIGNED, "assignments", slug="no-such-plan")).status_code == 404


# --- the indicator page -----------------------------------------------------------------------


def page_url(code: str) -> str:
    return reverse("reports:indicator", args=[PLAN_SLUG, code])


def record_url(code: str, what: str) -> str:
    return reverse(f"indicators:{what}-record", args=[PLAN_SLUG, code])


def test_the_page_lists_assigned_values_and_judgements(client, leader, reviewer, farmland, ecology):
    assign(reviewer, farmland, year=2027)
    judge(reviewer, ecology, year=2027, met=False, note=NOTE)
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    page = client.get(page_url(ASSIGNED))
    assert page.status_code == 200
    for text in ("Targets assigned from above", DOCUMENT, "21.6万亩", 'data-record-year="2027"'):
        assert text in page.content.decode()
    assert 'id="judgements"' not in page.content.decode()  # the indicator has no such target
    page = client.get(page_url(QUALITATIVE)).content.decode()
    for text in ("Judgements of the qualitative target", NOTE, "Not met", 'data-met="0"'):
        assert text in page
    assert 'id="assignments"' not in page


def test_the_lists_say_when_nothing_is_recorded(client, leader, farmland):
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    page = client.get(page_url(ASSIGNED)).content.decode()
    assert "No value has been assigned from above yet." in page


def test_an_indicator_without_such_targets_has_neither_section(client, reviewer, plan):
    client.force_login(reviewer)
    page = client.get(page_url("gross_output")).content.decode()
    assert 'id="assignments"' not in page and 'id="judgements"' not in page


def test_a_reviewer_sees_the_forms_and_others_do_not(client, reviewer, leader, clerk_kgj, farmland):
    action = record_url(ASSIGNED, "assignment")
    client.force_login(reviewer)
    assert action in client.get(page_url(ASSIGNED)).content.decode()
    for user in (leader, clerk_kgj):
        client.force_login(user)
        page = client.get(page_url(ASSIGNED)).content.decode()
        assert 'id="assignments"' in page and action not in page


def test_the_form_records_and_goes_back_to_the_page(client, reviewer, farmland):
    client.force_login(reviewer)
    period = "?year=2026&quarter=3"
    body = {"year": "2028", "value": "21.8", "document": DOCUMENT}
    response = client.post(record_url(ASSIGNED, "assignment") + period, body)
    assert response.status_code == 302
    assert response["Location"] == page_url(ASSIGNED) + period + "#assignments"
    row = Assignment.objects.get(indicator=farmland)
    assert (row.year, row.value, row.recorded_by) == (2028, D("21.8"), reviewer)
    page = client.get(response["Location"]).content.decode()
    with translation.override("zh-hans"):
        done = translation.gettext("The value assigned for %(year)s is recorded.") % {"year": 2028}
    assert escape(done) in page and DOCUMENT in page


def test_the_judgement_form_records(client, admin, ecology):
    client.force_login(admin)
    body = {"year": "2027", "met": "1", "note": NOTE}
    response = client.post(record_url(QUALITATIVE, "judgement"), body)
    assert response.status_code == 302
    assert response["Location"] == page_url(QUALITATIVE) + "#judgements"
    assert Judgement.objects.get(indicator=ecology).met is True


@pytest.mark.parametrize(
    ("body", "msgid"),
    [
        ({"year": "2025", "value": "1", "document": DOCUMENT},
         "The year must be one the plan tracks, %(first)s to %(last)s."),
        ({"year": "2027", "value": "很多", "document": DOCUMENT},
         "Enter the assigned value as a number."),
        ({"year": "2027", "value": "1", "document": " "},
         "Name the document that assigned the value (its title and number)."),
    ],
)  # fmt: skip
def test_a_refusal_is_shown_on_the_page_in_the_users_language(
    client, reviewer, farmland, body, msgid
):
    client.force_login(reviewer)
    response = client.post(record_url(ASSIGNED, "assignment"), body, follow=True)
    assert response.status_code == 200
    with translation.override("zh-hans"):
        message = translation.gettext(msgid) % {"first": 2026, "last": 2035}
    assert escape(message) in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_judgement_without_a_verdict_is_refused_on_the_page(client, reviewer, ecology):
    client.force_login(reviewer)
    response = client.post(record_url(QUALITATIVE, "judgement"), {"year": "2027", "note": NOTE})
    assert response.status_code == 302
    assert not Judgement.objects.exists()


@pytest.mark.parametrize("who", ["clerk_kgj", "leader", "analyst"])
def test_other_roles_get_403_from_the_forms(request, client, who, farmland, ecology):
    client.force_login(request.getfixturevalue(who))
    body = {"year": "2027", "value": "1", "document": DOCUMENT}
    assert client.post(record_url(ASSIGNED, "assignment"), body).status_code == 403
    body = {"year": "2027", "met": "1", "note": NOTE}
    assert client.post(record_url(QUALITATIVE, "judgement"), body).status_code == 403
    assert not Assignment.objects.exists() and not Judgement.objects.exists()


def test_another_countys_reviewer_gets_404_from_the_forms_and_the_page(client, stranger, farmland):
    client.force_login(stranger)
    body = {"year": "2027", "value": "1", "document": DOCUMENT}
    assert client.post(record_url(ASSIGNED, "assignment"), body).status_code == 404
    assert client.get(page_url(ASSIGNED)).status_code == 404
    assert not Assignment.objects.exists()


def test_the_forms_take_only_posts(client, reviewer, farmland):
    client.force_login(reviewer)
    assert client.get(record_url(ASSIGNED, "assignment")).status_code == 405


# --- constant queries -------------------------------------------------------------------------


def _page_queries(client, code: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url(code), {"year": 2027, "quarter": 0}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["leader", "reviewer", "county_reviewer"])
def test_the_page_costs_the_same_with_one_or_many_records(
    request, client, reviewer, who, farmland, ecology
):
    client.force_login(request.getfixturevalue(who))
    assign(reviewer, farmland, year=2026)
    judge(reviewer, ecology, year=2026)
    few = _page_queries(client, ASSIGNED), _page_queries(client, QUALITATIVE)
    for year in range(2027, 2036):
        assign(reviewer, farmland, year=year)
        judge(reviewer, ecology, year=year)
    assert (_page_queries(client, ASSIGNED), _page_queries(client, QUALITATIVE)) == few
    assert max(few) <= 20  # tests/test_indicator_page.py's budget
