"""Data safety (domain.md §5–6): history is never rewritten nor orphaned, nobody approves their
own value, those who see only figures in force never see a correction in preparation, and
long texts are bounded everywhere instead of failing in the database.

Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…): there, a reason or a comment
longer than 100 characters used to fail (varchar(100) history reasons, a 500)."""

import importlib
from decimal import Decimal as D

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.domain import validation
from indicators.models import Actual, ActualState, Indicator
from indicators.services.actuals import (
    Entry,
    Invalid,
    NotAllowed,
    actual_approve,
    actual_create,
    actual_return,
    actual_submit,
    actual_update,
)
from indicators.services.users import user_set_role
from indicators.signals import RECORDED_USER
from reports.evaluation import query as evaluation_query
from reports.evaluation import rows as evaluation_rows
from tests.conftest import PLAN_SLUG

CODE = "above_scale_enterprises"  # reported by 县科工局 (clerk_kgj)
SOURCE = "县统计局快报"
OLD_PDF = b"%PDF-1.4 the figure in force"
NEW_PDF = b"%PDF-1.4 the correction"
SECRET = "更正说明：尚未审核"
API = "/api/v1/actuals/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def enterprises(plan):
    return Indicator.objects.get(plan=plan, code=CODE)


@pytest.fixture
def admin_user(plan):
    """A platform administrator (role admin, no region): may enter and review every value."""
    return user_set_role(username="county_admin", role="admin", department=None, password="pw")


def pdf(content: bytes, name="快报.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def entry(value="3", quarter=2, note=""):
    return Entry(2026, quarter, D(value), None, SOURCE, note)


def approved(clerk, reviewer, indicator, value="3", quarter=2) -> Actual:
    """A value entered with an attachment, submitted by `clerk` and approved by `reviewer`."""
    actual = actual_create(
        user=clerk, indicator=indicator, entry=entry(value, quarter), attachment=pdf(OLD_PDF),
        submit=True,
    )  # fmt: skip
    return actual_approve(user=reviewer, actual=actual)


def corrected(actual: Actual, clerk, submit=False) -> Actual:
    """A correction of an approved value, with its own note, reason and attachment."""
    return actual_update(
        user=clerk, actual=actual, entry=entry("4", actual.quarter, note=SECRET),
        version=actual.version, reason="统计局修订", attachment=pdf(NEW_PDF, "修订.pdf"),
        submit=submit,
    )  # fmt: skip


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def download(client, user, actual, **params) -> tuple[int, bytes]:
    client.force_login(user)
    response = client.get(reverse("indicators:attachment", args=[actual.pk]), params)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, body


def snapshot(actual: Actual) -> tuple:
    row = Actual.objects.get(pk=actual.pk)
    return (row.value, row.state, row.approved_value, row.approved_by_id, row.version,
            row.history.count())  # fmt: skip


# --- 1. The admin's history pages are read-only ---------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "admin_user"])
def test_posting_an_admin_history_page_changes_nothing(
    client, request, plan, clerk_kgj, reviewer, enterprises, who
):
    if who == "superuser":
        user = get_user_model().objects.create_superuser("root", password="x")
    else:
        user = request.getfixturevalue("admin_user")
        user.is_staff = True
        user.save()
    actual = approved(clerk_kgj, reviewer, enterprises)
    first = actual.history.earliest("history_date")  # the draft, version 1
    url = f"/admin/indicators/actual/{actual.pk}/history/{first.history_id}/"
    client.force_login(user)
    before = snapshot(actual)
    assert client.get(url).status_code == 200  # reading stays possible
    revert = {"value": "999", "state": "draft", "source": "x", "version": "1",
              "indicator": enterprises.pk, "year": "2026", "quarter": "2"}  # fmt: skip
    assert client.post(url, revert).status_code == 403
    assert snapshot(actual) == before


# --- 2. A user in any history is deactivated, never deleted ---------------------------------


def returned_only_by(reviewer, clerk, indicator) -> Actual:
    """A value whose only trace of `reviewer` is in its history (a return, then the clerk's
    resubmission made the clerk its last changer)."""
    actual = actual_create(user=clerk, indicator=indicator, entry=entry(), submit=True)
    actual = actual_return(user=reviewer, actual=actual, comment="请附快报")
    return actual_submit(user=clerk, actual=actual)


def test_deleting_a_user_in_the_history_is_refused(clerk_kgj, reviewer, enterprises):
    actual = returned_only_by(reviewer, clerk_kgj, enterprises)
    with pytest.raises(ProtectedError), transaction.atomic():
        reviewer.delete()
    assert get_user_model().objects.filter(pk=reviewer.pk).exists()
    assert actual.history.filter(history_user=reviewer).exists()
    with pytest.raises(ProtectedError), transaction.atomic():
        get_user_model().objects.filter(pk=reviewer.pk).delete()
    reviewer.is_active = False  # deactivating stays possible
    reviewer.save()


def test_the_admin_refuses_to_delete_a_user_in_the_history(
    client, clerk_kgj, reviewer, enterprises
):
    returned_only_by(reviewer, clerk_kgj, enterprises)
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    url = reverse("admin:auth_user_delete", args=[reviewer.pk])
    page = client.get(url).content.decode()
    assert str(RECORDED_USER) in page
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200 and str(RECORDED_USER) in response.content.decode()
    bulk = {"action": "delete_selected", "_selected_action": [reviewer.pk], "post": "yes"}
    client.post(reverse("admin:auth_user_changelist"), bulk)
    assert get_user_model().objects.filter(pk=reviewer.pk).exists()


def test_a_user_without_history_can_be_deleted(client, plan):
    root = get_user_model().objects.create_superuser("root", password="x")
    spare = user_set_role(username="spare", role="leader", department=None, password="pw")
    client.force_login(root)
    response = client.post(reverse("admin:auth_user_delete", args=[spare.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=spare.pk).exists()
    user_set_role(username="spare2", role="leader", department=None, password="pw").delete()


# --- 3. Four eyes -----------------------------------------------------------------------------


def own_submission(admin_user, indicator) -> Actual:
    """A value an administrator entered and submitted."""
    return actual_create(user=admin_user, indicator=indicator, entry=entry(), submit=True)


def test_nobody_approves_their_own_value(admin_user, enterprises):
    actual = own_submission(admin_user, enterprises)
    with pytest.raises(NotAllowed) as refusal:
        actual_approve(user=admin_user, actual=actual)
    assert "yourself" in str(refusal.value) or "本人" in str(refusal.value)
    assert Actual.objects.get(pk=actual.pk).state == ActualState.SUBMITTED


def test_nobody_approves_a_value_they_submitted_or_changed(
    clerk_kgj, admin_user, reviewer, enterprises
):
    draft = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry())
    submitted = actual_submit(user=admin_user, actual=draft)  # an administrator submits it
    with pytest.raises(NotAllowed):
        actual_approve(user=admin_user, actual=submitted)
    # a correction the administrator made, then the clerk submitted: still the admin's hand
    actual = actual_approve(user=reviewer, actual=submitted)
    actual = actual_update(user=admin_user, actual=actual, entry=entry("5"),
                           version=actual.version, reason="更正")  # fmt: skip
    actual = actual_submit(user=clerk_kgj, actual=actual)
    with pytest.raises(NotAllowed):
        actual_approve(user=admin_user, actual=actual)
    assert actual_approve(user=reviewer, actual=actual).approved_value == D("5")


def test_a_reviewer_who_returned_a_value_approves_it_later(clerk_kgj, reviewer, enterprises):
    actual = returned_only_by(reviewer, clerk_kgj, enterprises)
    assert actual_approve(user=reviewer, actual=actual).state == ActualState.APPROVED


def test_returning_ones_own_submission_is_allowed(admin_user, enterprises):
    actual = own_submission(admin_user, enterprises)
    assert actual_return(user=admin_user, actual=actual, comment="撤回").state == "returned"


def test_four_eyes_on_the_review_page(client, admin_user, clerk_kgj, reviewer, enterprises):
    own = own_submission(admin_user, enterprises)
    other = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("2", 1), submit=True)
    client.force_login(admin_user)
    for ids in ([own], [other, own]):  # alone, and among others: nothing changes
        data = {"ids": [a.pk for a in ids], "action": "approve", "comment": ""}
        data |= {f"version-{a.pk}": a.version for a in ids}
        response = client.post(reverse("indicators:review-decide"), data)
        assert response.status_code == 302
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert any(own.indicator.printed_name in m for m in shown), shown
        assert Actual.objects.get(pk=own.pk).state == ActualState.SUBMITTED
        assert Actual.objects.get(pk=other.pk).state == ActualState.SUBMITTED


def test_four_eyes_on_the_api(admin_user, reviewer, enterprises):
    own = own_submission(admin_user, enterprises)
    response = api_for(admin_user).post(f"{API}{own.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert Actual.objects.get(pk=own.pk).state == ActualState.SUBMITTED
    assert api_for(reviewer).post(f"{API}{own.pk}/approve/", {}, format="json").status_code == 200


# --- 4. Those who see only figures in force ----------------------------------------------------

FIGURE_ONLY = ["clerk_rsj", "leader", "analyst"]


@pytest.fixture
def correction(clerk_kgj, reviewer, enterprises) -> Actual:
    """An approved 3 (with OLD_PDF) whose draft correction to 4 has a note and NEW_PDF."""
    return corrected(approved(clerk_kgj, reviewer, enterprises), clerk_kgj)


@pytest.mark.parametrize("who", FIGURE_ONLY)
def test_a_draft_correction_is_invisible_on_the_indicator_page(client, request, correction, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("reports:indicator", args=[PLAN_SLUG, CODE])).content.decode()
    row = page[page.index('data-year="2026" data-quarter="2"') :].split("</tr>")[0]
    assert 'data-state="approved"' in page and "3家" in row
    assert "4家" not in row and SECRET not in page


@pytest.mark.parametrize("who", FIGURE_ONLY)
def test_a_draft_correction_is_invisible_in_the_api(request, correction, who):
    api = api_for(request.getfixturevalue(who))
    detail = api.get(f"{API}{correction.pk}/").json()
    listed = next(r for r in api.get(API, {"year": 2026}).json()["results"]
                  if r["id"] == correction.pk)  # fmt: skip
    for data in (detail, listed):
        assert (data["value"], data["state"], data["note"]) == ("3", "approved", "")
        assert data["version"] == correction.version  # nothing else of the working copy
    steps = api.get(f"{API}{correction.pk}/history/").json()
    assert steps[-1]["state"] == "approved"
    assert all(s["reason"] != "统计局修订" for s in steps)


@pytest.mark.parametrize("who", FIGURE_ONLY)
def test_a_draft_correction_is_invisible_in_the_history_page(client, request, correction, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("indicators:actual-history", args=[correction.pk])).content.decode()
    assert "统计局修订" not in page and SECRET not in page and "修订.pdf" not in page
    assert f'data-version="{correction.version}"' not in page


def test_those_who_see_the_working_copy_see_the_correction(request, correction):
    for who in ("clerk_kgj", "reviewer"):
        data = api_for(request.getfixturevalue(who)).get(f"{API}{correction.pk}/").json()
        assert (data["value"], data["note"], data["approved_value"]) == ("4", SECRET, "3")


def test_a_correction_keeps_its_own_attachment_until_approved(
    client, clerk_kgj, reviewer, leader, clerk_rsj, correction
):
    assert download(client, leader, correction) == (200, OLD_PDF)
    assert download(client, clerk_rsj, correction) == (200, OLD_PDF)
    assert download(client, leader, correction, copy="working")[0] == 404
    assert download(client, clerk_kgj, correction) == (200, NEW_PDF)
    assert download(client, clerk_kgj, correction, copy="in-force") == (200, OLD_PDF)
    assert download(client, reviewer, correction, copy="working") == (200, NEW_PDF)
    actual = actual_submit(user=clerk_kgj, actual=correction)
    assert download(client, clerk_rsj, actual) == (200, OLD_PDF)
    actual_approve(user=reviewer, actual=actual)
    assert download(client, clerk_rsj, actual) == (200, NEW_PDF)
    assert download(client, leader, actual) == (200, NEW_PDF)


def test_a_returned_correction_shows_only_the_figure_in_force(
    clerk_kgj, reviewer, leader, correction
):
    actual = actual_submit(user=clerk_kgj, actual=correction)
    actual = actual_return(user=reviewer, actual=actual, comment="请核实修订依据")
    data = api_for(leader).get(f"{API}{actual.pk}/").json()
    assert (data["value"], data["review_comment"], data["state"]) == ("3", "", "approved")


def test_leaders_see_a_submission_as_the_dashboards_switch_does(
    clerk_kgj, leader, clerk_rsj, correction
):
    """Decision: a submitted value is shown to leaders and analysts (marked by its state), as
    the dashboards' include-pending switch shows it; never to another department's clerk."""
    actual = actual_submit(user=clerk_kgj, actual=correction)
    assert api_for(leader).get(f"{API}{actual.pk}/").json()["value"] == "4"
    assert api_for(clerk_rsj).get(f"{API}{actual.pk}/").json()["value"] == "3"


def test_a_value_never_approved_is_invisible_to_another_department(clerk_kgj, clerk_rsj,
                                                                    enterprises):  # fmt: skip
    draft = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(), submit=True)
    assert api_for(clerk_rsj).get(f"{API}{draft.pk}/").status_code == 404


def test_the_evaluation_shows_no_correction_in_preparation(plan, correction):
    query = evaluation_query.parse_query(plan, 2026, 2)
    rows = evaluation_rows.evaluation(plan=plan, query=query).values
    row = next(r for r in rows if r.indicator.startswith("规上企业数量"))
    assert (row.in_force, row.pending) == (D("3"), None)
    assert row.state == str(ActualState.APPROVED.label)


def test_the_data_migration_puts_the_approved_attachment_in_force(clerk_kgj, reviewer, enterprises):
    actual = corrected(approved(clerk_kgj, reviewer, enterprises), clerk_kgj)
    in_force = Actual.objects.get(pk=actual.pk).approved_attachment.name
    Actual.objects.filter(pk=actual.pk).update(approved_attachment="")
    migration = importlib.import_module("indicators.migrations.0008_actual_approved_attachment")
    migration.attachments_in_force(django_apps, None)
    assert Actual.objects.get(pk=actual.pk).approved_attachment.name == in_force != ""


# --- 5–6. Texts of any allowed length, and no longer -------------------------------------------

LONGEST_REASON = "因" * validation.MAX_REASON
LONGEST_NOTE = "注" * validation.MAX_NOTE


def test_the_longest_reason_and_note_save_through_the_page(client, clerk_kgj, reviewer,
                                                           enterprises):  # fmt: skip
    actual = approved(clerk_kgj, reviewer, enterprises)
    client.force_login(clerk_kgj)
    url = f"/reporting/{PLAN_SLUG}/{CODE}/2026-Q2/"
    form = {"value": "4", "source": SOURCE, "note": LONGEST_NOTE, "action": "draft",
            "version": actual.version, "reason": LONGEST_REASON}  # fmt: skip
    too_long = client.post(url, form | {"reason": LONGEST_REASON + "因"})
    assert too_long.status_code == 200
    assert validation.too_long("reason", validation.MAX_REASON) in too_long.content.decode()
    too_long = client.post(url, form | {"note": LONGEST_NOTE + "注"})
    assert validation.too_long("note", validation.MAX_NOTE) in too_long.content.decode()
    assert Actual.objects.get(pk=actual.pk).version == actual.version
    assert client.post(url, form).status_code == 302
    saved = Actual.objects.get(pk=actual.pk)
    assert saved.note == LONGEST_NOTE
    assert saved.history.latest("history_date").history_change_reason == LONGEST_REASON


def test_the_longest_reason_saves_through_the_api(clerk_kgj, reviewer, enterprises):
    actual = approved(clerk_kgj, reviewer, enterprises)
    api, url = api_for(clerk_kgj), f"{API}{actual.pk}/"
    body = {"value": "4", "version": actual.version, "reason": LONGEST_REASON + "因"}
    refused = api.patch(url, body, format="json")
    assert refused.status_code == 400
    assert refused.json()["reason"] == [validation.too_long("reason", validation.MAX_REASON)]
    note = api.patch(url, body | {"reason": "x", "note": LONGEST_NOTE + "注"}, format="json")
    assert note.status_code == 400 and "note" in note.json()
    assert api.patch(url, body | {"reason": LONGEST_REASON}, format="json").status_code == 200


def test_a_return_comment_is_bounded_on_the_api_and_the_service(clerk_kgj, reviewer,
                                                                 enterprises):  # fmt: skip
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(), submit=True)
    url = f"{API}{actual.pk}/return/"
    refused = api_for(reviewer).post(url, {"comment": "不" * 1001}, format="json")
    assert refused.status_code == 400 and "comment" in refused.json()
    assert Actual.objects.get(pk=actual.pk).state == ActualState.SUBMITTED
    ok = api_for(reviewer).post(url, {"comment": "不" * 1000}, format="json")
    assert ok.status_code == 200 and ok.json()["review_comment"] == "不" * 1000


def test_a_too_long_comment_in_a_bulk_return_is_refused_with_a_message(
    client, clerk_kgj, reviewer, enterprises
):
    actuals = [
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("3", q), submit=True)
        for q in (1, 2)
    ]
    client.force_login(reviewer)

    def bulk(comment):
        data = {"ids": [a.pk for a in actuals], "action": "return", "comment": comment}
        data |= {f"version-{a.pk}": a.version for a in actuals}
        return client.post(reverse("indicators:review-decide"), data)

    response = bulk("退" * 1001)
    assert response.status_code == 302
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert validation.too_long("comment", validation.MAX_COMMENT) in shown
    assert {a.state for a in Actual.objects.filter(pk__in=[a.pk for a in actuals])} == {
        ActualState.SUBMITTED
    }
    assert bulk("退" * 1000).status_code == 302
    assert set(Actual.objects.values_list("state", flat=True)) == {ActualState.RETURNED}


def test_a_ten_million_character_note_is_refused(clerk_kgj, enterprises):
    body = {"plan": PLAN_SLUG, "indicator": CODE, "year": 2026, "quarter": 2, "value": "3",
            "source": SOURCE, "note": "长" * 10_000_000}  # fmt: skip
    response = api_for(clerk_kgj).post(API, body, format="json")
    assert response.status_code in (400, 413)
    assert not Actual.objects.exists()


def test_a_ten_million_character_note_is_refused_by_the_services(clerk_kgj, enterprises):
    """Whatever route brings it (the request size limit may refuse it first on the API)."""
    with pytest.raises(Invalid) as refusal:
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(note="长" * 10_000_000))
    assert refusal.value.errors == {"note": [validation.too_long("note", validation.MAX_NOTE)]}
