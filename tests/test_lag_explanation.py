"""The 滞后说明 (domain.md §11) on the input side: a submission that turns its indicator's
warning light yellow or red needs the cause, the measures and whether the milestone will still
be met, on the entry form, the API and the Excel upload; it is kept with the value and its
history, shown to the reviewer, and comes into force on approval.

Worked by hand (§4) for 规上企业数量 (above_scale_enterprises, 县科工局, level, B 0 in 2025,
T_2028 5, not binding) at 2026 Q3: t = 2025.75, V = 5 · 0.75/3 = 1.25, R = A/1.25:
- A 0 → R 0 → far_behind → red;
- A 1 → R 0.80 → behind → yellow (red once the indicator is binding: behind of a binding
  indicator is red);
- A 2 → R 1.60 → ahead → green.
安全生产事故 (safety_accidents, zero_event, binding): 1 event in 2026 → failed → red.
"""

from decimal import Decimal as D
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.domain import validation
from indicators.domain.periods import Period
from indicators.domain.warnings import NO_EXPLANATION, Explanation
from indicators.models import Actual, Department, Indicator
from indicators.selectors import progress as progress_selectors
from indicators.selectors.lights import pending_light
from indicators.services.actuals import (
    Entry,
    Invalid,
    actual_approve,
    actual_create,
    actual_submit,
    actual_update,
)
from indicators.services.demo import DEMO_ROWS
from indicators.services.users import user_set_role
from indicators.uploads import template as upload_template
from tests.conftest import PLAN_FILE, PLAN_SLUG

FIFTEENTH = PLAN_FILE.parent / "luhe-15th-five-year-2026-2030.xlsx"
Q3 = Period.of(2026, 3)
SOURCE = "县统计局快报"
WHY = Explanation("两家企业营收未达规上标准", "对接企业逐户帮扶，年底前完成升规申报", "at_risk")
LONG = "滞" * (validation.MAX_EXPLANATION + 1)
API = "/api/v1/actuals/"
ENTRY = f"/reporting/{PLAN_SLUG}/above_scale_enterprises/2026-Q3/"
UPLOAD = reverse("indicators:upload")
TEMPLATE = reverse("indicators:upload-template")
COL = {key: index + 1 for key, index in upload_template.COLUMN_INDEX.items()}

# What a Chinese user reads.
RED = "该数值将使指标亮红灯，提交时须填写滞后说明。"
YELLOW = "该数值将使指标亮黄灯，提交时须填写滞后说明。"
NO_CAUSE = "滞后说明：请填写滞后原因。"
NO_MEASURES = "滞后说明：请填写整改措施。"
NO_WILL_MEET = "滞后说明：请选择能否按期完成（能/有风险/不能）。"
CAUSE_TOO_LONG = f"滞后说明：滞后原因过长，最多{validation.MAX_EXPLANATION}个字符。"
MEASURES_TOO_LONG = f"滞后说明：整改措施过长，最多{validation.MAX_EXPLANATION}个字符。"


@pytest.fixture
def enterprises(plan):
    return Indicator.objects.select_related("plan").get(plan=plan, code="above_scale_enterprises")


@pytest.fixture
def admin(plan):
    return user_set_role(username="admin1", role="admin", department=None, password="pw-admin1")


def entry(value, explanation=None, **kw) -> Entry:
    return Entry.of(Q3, value=D(value), source=SOURCE, explanation=explanation, **kw)


def light_on_dashboard(plan, code: str) -> str:
    """The light the dashboards show with submitted values counted."""
    rows = progress_selectors.plan_progress(plan=plan, period=Q3, include_pending=True)
    return next(row.light for row in rows if row.indicator.code == code)


# --- the services: the one rule --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status", "light"),
    [("0", "far_behind", "red"), ("1", "behind", "yellow"), ("2", "ahead", "green")],
)
def test_the_light_is_the_dashboards_own(plan, clerk_kgj, enterprises, value, status, light):
    actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(value, WHY), submit=True)
    rows = progress_selectors.plan_progress(plan=plan, period=Q3, include_pending=True)
    row = next(r for r in rows if r.indicator.code == "above_scale_enterprises")
    assert (row.progress.status, row.light) == (status, light)
    assert pending_light(enterprises, Q3) == light


@pytest.mark.parametrize(("value", "headline"), [("0", RED), ("1", YELLOW)])
def test_a_lagging_submission_without_explanation_is_refused(
    clerk_kgj, enterprises, value, headline
):
    with pytest.raises(Invalid) as refusal:
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(value), submit=True)
    assert refusal.value.errors == {
        "explanation": [headline],
        "lag_cause": [NO_CAUSE],
        "lag_measures": [NO_MEASURES],
        "lag_will_meet": [NO_WILL_MEET],
    }
    assert not Actual.objects.exists()  # rolled back
    assert not Actual.history.exists()


def test_the_refusal_names_only_what_is_missing(clerk_kgj, enterprises):
    partial = Explanation("两家企业营收未达规上标准", " ", "")
    with pytest.raises(Invalid) as refusal:
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("0", partial), submit=True)
    assert set(refusal.value.errors) == {"explanation", "lag_measures", "lag_will_meet"}


def test_a_complete_explanation_is_accepted_and_kept(clerk_kgj, enterprises):
    actual = actual_create(
        user=clerk_kgj, indicator=enterprises, entry=entry("0", WHY), submit=True
    )
    actual.refresh_from_db()
    assert actual.state == "submitted"
    assert (actual.lag_cause, actual.lag_measures, actual.lag_will_meet) == (
        WHY.cause,
        WHY.measures,
        "at_risk",
    )
    assert actual.approved_lag_cause == ""  # in force only once approved


def test_green_needs_none_and_a_draft_never(clerk_kgj, enterprises):
    green = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("2"), submit=True)
    assert green.state == "submitted"
    draft = actual_create(
        user=clerk_kgj, indicator=enterprises, entry=Entry.of(Period.of(2026, 2), value=D(0),
                                                              source=SOURCE)
    )  # fmt: skip
    assert draft.state == "draft"


def test_an_explanation_given_when_not_needed_is_kept(clerk_kgj, enterprises):
    actual = actual_create(
        user=clerk_kgj, indicator=enterprises, entry=entry("2", WHY), submit=True
    )
    actual.refresh_from_db()
    assert actual.lag_cause == WHY.cause


def test_binding_behind_is_red(plan, clerk_kgj, enterprises):
    """R 0.80 is behind; for a binding (约束性) indicator that is a red light."""
    Indicator.objects.filter(pk=enterprises.pk).update(binding=True)
    enterprises.refresh_from_db()
    with pytest.raises(Invalid) as refusal:
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("1"), submit=True)
    assert refusal.value.errors["explanation"] == [RED]
    actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("1", WHY), submit=True)
    assert light_on_dashboard(plan, "above_scale_enterprises") == "red"


def test_an_event_of_a_binding_zero_event_indicator_is_red(plan, admin):
    accidents = Indicator.objects.get(plan=plan, code="safety_accidents")
    with pytest.raises(Invalid) as refusal:
        actual_create(user=admin, indicator=accidents, entry=entry("1"), submit=True)
    assert refusal.value.errors["explanation"] == [RED]
    none = actual_create(user=admin, indicator=accidents, entry=entry("0"), submit=True)
    assert none.state == "submitted"  # no event: on_track, green


def test_submitting_a_draft_needs_it_too(clerk_kgj, enterprises):
    draft = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("0"))
    with pytest.raises(Invalid):
        actual_submit(user=clerk_kgj, actual=draft, version=draft.version)
    draft.refresh_from_db()
    assert (draft.state, draft.version) == ("draft", 1)  # nothing changed
    submitted = actual_submit(user=clerk_kgj, actual=draft, version=1, explanation=WHY)
    assert (submitted.state, submitted.lag_will_meet) == ("submitted", "at_risk")


def test_a_draft_keeps_its_explanation_until_changed(clerk_kgj, enterprises):
    draft = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("0", WHY))
    # An update without an explanation (None) keeps the stored one, which the submission uses.
    updated = actual_update(
        user=clerk_kgj, actual=draft, entry=entry("0", note="复核"), version=1, submit=True
    )
    assert (updated.state, updated.lag_cause) == ("submitted", WHY.cause)


def test_clearing_the_explanation_of_a_lagging_value_is_refused(clerk_kgj, enterprises):
    draft = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("1", WHY))
    with pytest.raises(Invalid):
        actual_update(
            user=clerk_kgj, actual=draft, entry=entry("1", NO_EXPLANATION), version=1, submit=True
        )


@pytest.mark.parametrize(
    ("explanation", "field", "message"),
    [
        (Explanation(LONG, "措施", "no"), "lag_cause", CAUSE_TOO_LONG),
        (Explanation("原因", LONG, "no"), "lag_measures", MEASURES_TOO_LONG),
    ],
)
def test_the_texts_are_bounded_even_in_a_draft(clerk_kgj, enterprises, explanation, field, message):
    with pytest.raises(Invalid) as refusal:
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("2", explanation))
    assert refusal.value.errors == {field: [message]}
    at_limit = Explanation("滞" * validation.MAX_EXPLANATION, "措施", "no")
    assert actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("2", at_limit))


def test_approval_brings_it_into_force_and_history_keeps_it(
    client, clerk_kgj, reviewer, enterprises
):
    actual = actual_create(
        user=clerk_kgj, indicator=enterprises, entry=entry("0", WHY), submit=True
    )
    actual = actual_approve(user=reviewer, actual=actual)
    actual.refresh_from_db()
    assert (
        actual.approved_lag_cause,
        actual.approved_lag_measures,
        actual.approved_lag_will_meet,
    ) == (WHY.cause, WHY.measures, "at_risk")
    # A correction with another explanation leaves the one in force until it is approved.
    better = Explanation("统计口径调整后仍有两家未达标", "加快培育", "no")
    corrected = actual_update(
        user=clerk_kgj, actual=actual, entry=entry("1", better), version=actual.version,
        reason="统计局更正", submit=True,
    )  # fmt: skip
    corrected.refresh_from_db()
    assert (corrected.lag_cause, corrected.approved_lag_cause) == (better.cause, WHY.cause)
    causes = list(actual.history.order_by("history_id").values_list("lag_cause", flat=True))
    assert causes == [WHY.cause, WHY.cause, better.cause]
    # The history page names the change of the explanation, 能否按期完成 by its label.
    client.force_login(reviewer)
    page = client.get(reverse("indicators:actual-history", args=[actual.pk])).content.decode()
    assert "滞后说明" in page
    assert better.cause in page
    assert "有风险" in page and "不能" in page


# --- the entry form -------------------------------------------------------------------------


def form_data(value="0", action="submit", **fields) -> dict:
    return {"value": value, "source": SOURCE, "note": "", "action": action, **fields}


WHY_FIELDS = {"lag_cause": WHY.cause, "lag_measures": WHY.measures, "lag_will_meet": "at_risk"}


def test_the_form_offers_the_three_fields(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    page = client.get(ENTRY).content.decode()
    assert "<legend>滞后说明</legend>" in page
    for label in ("滞后原因", "整改措施", "能否按期完成"):
        assert label in page
    assert '<option value="at_risk">有风险</option>' in page
    assert '<option value="yes">能</option>' in page and '<option value="no">不能</option>' in page


def test_the_form_refuses_a_lagging_submission_naming_the_fields(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    response = client.post(ENTRY, form_data("0"))
    page = response.content.decode()
    assert response.status_code == 200
    for message in (RED, NO_CAUSE, NO_MEASURES, NO_WILL_MEET):
        assert message in page
    assert not Actual.objects.exists()
    # A draft needs none.
    assert client.post(ENTRY, form_data("0", action="draft")).status_code == 302


def test_the_form_refuses_a_yellow_one_too(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    page = client.post(ENTRY, form_data("1", lag_cause=WHY.cause)).content.decode()
    assert YELLOW in page and NO_MEASURES in page and NO_CAUSE not in page
    assert not Actual.objects.exists()


def test_the_form_accepts_it_and_shows_it_afterwards(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    response = client.post(ENTRY, form_data("0", **WHY_FIELDS))
    assert response.status_code == 302
    actual = Actual.objects.get()
    assert (actual.state, actual.lag_cause, actual.lag_will_meet) == (
        "submitted",
        WHY.cause,
        "at_risk",
    )
    page = client.get(ENTRY).content.decode()  # submitted: the page reads it back
    assert WHY.cause in page and WHY.measures in page and "有风险" in page


def test_the_form_shows_the_working_copys_explanation(client, clerk_kgj, enterprises):
    actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("0", WHY))
    client.force_login(clerk_kgj)
    page = client.get(ENTRY).content.decode()
    assert f"{WHY.cause}</textarea>" in page
    assert '<option value="at_risk" selected>有风险</option>' in page


def test_the_form_bounds_the_texts(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    page = client.post(ENTRY, form_data("2", lag_cause=LONG)).content.decode()
    assert CAUSE_TOO_LONG in page
    page = client.post(ENTRY, form_data("2", lag_measures=LONG)).content.decode()
    assert MEASURES_TOO_LONG in page
    assert not Actual.objects.exists()


# --- the API --------------------------------------------------------------------------------


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def body(value="0", **changes) -> dict:
    return {
        "plan": PLAN_SLUG,
        "indicator": "above_scale_enterprises",
        "year": 2026,
        "quarter": 3,
        "value": value,
        "source": SOURCE,
        **changes,
    }


WHY_JSON = {"cause": WHY.cause, "measures": WHY.measures, "will_meet": "at_risk"}


@pytest.mark.parametrize(("value", "headline"), [("0", RED), ("1", YELLOW)])
def test_the_api_refuses_a_lagging_submission(clerk_kgj, enterprises, value, headline):
    response = api_as(clerk_kgj).post(API, body(value, submit=True), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "explanation": {
            "non_field_errors": [headline],
            "cause": [NO_CAUSE],
            "measures": [NO_MEASURES],
            "will_meet": [NO_WILL_MEET],
        }
    }
    assert not Actual.objects.exists()


def test_the_api_accepts_and_returns_it(clerk_kgj, leader, reviewer, enterprises):
    clerk = api_as(clerk_kgj)
    response = clerk.post(API, body("0", submit=True, explanation=WHY_JSON), format="json")
    assert response.status_code == 201
    assert response.json()["explanation"] == WHY_JSON
    pk = response.json()["id"]
    approved = api_as(reviewer).post(f"{API}{pk}/approve/", {}, format="json").json()
    # A correction in preparation: a leader sees the figure in force and its explanation.
    draft = {"version": approved["version"], "reason": "更正", "explanation": {"cause": "新"}}
    assert clerk.patch(f"{API}{pk}/", draft, format="json").json()["explanation"]["cause"] == "新"
    assert api_as(leader).get(f"{API}{pk}/").json()["explanation"] == WHY_JSON


def test_the_api_takes_it_on_change_and_submit(clerk_kgj, enterprises):
    api = api_as(clerk_kgj)
    created = api.post(API, body("0", explanation={"cause": "原因"}), format="json").json()
    assert created["explanation"] == {"cause": "原因", "measures": "", "will_meet": None}
    pk = created["id"]
    # Left out, the stored one stays: the submission still lacks the measures.
    refused = api.post(f"{API}{pk}/submit/", {"version": 1}, format="json")
    assert refused.status_code == 400
    assert refused.json()["explanation"]["measures"] == [NO_MEASURES]
    assert "cause" not in refused.json()["explanation"]
    changed = api.patch(f"{API}{pk}/", {"version": 1, "explanation": WHY_JSON}, format="json")
    assert changed.json()["explanation"] == WHY_JSON
    cleared = api.patch(f"{API}{pk}/", {"version": 2, "explanation": None}, format="json")
    assert cleared.json()["explanation"] is None
    submitted = api.post(
        f"{API}{pk}/submit/", {"version": 3, "explanation": WHY_JSON}, format="json"
    )
    assert submitted.status_code == 200
    assert (submitted.json()["state"], submitted.json()["explanation"]) == ("submitted", WHY_JSON)


def test_the_api_needs_none_for_green(clerk_kgj, enterprises):
    response = api_as(clerk_kgj).post(API, body("2", submit=True), format="json")
    assert (response.status_code, response.json()["explanation"]) == (201, None)


@pytest.mark.parametrize(
    ("explanation", "errors"),
    [
        ({**WHY_JSON, "cause": LONG}, {"cause": [CAUSE_TOO_LONG]}),
        ({**WHY_JSON, "measures": LONG}, {"measures": [MEASURES_TOO_LONG]}),
        ({**WHY_JSON, "will_meet": "maybe"}, {"will_meet": [NO_WILL_MEET]}),
    ],
)
def test_the_api_checks_the_explanation(clerk_kgj, enterprises, explanation, errors):
    response = api_as(clerk_kgj).post(API, body("2", explanation=explanation), format="json")
    assert response.status_code == 400
    assert response.json() == {"explanation": errors}
    assert not Actual.objects.exists()


def test_a_binding_limit_broken_in_the_fifteenth_plan_needs_it(plan):
    """空气质量优良天数比率 of the 十五五 example: binding, ≥95 (a limit held every month);
    94.2 in October 2026 breaks it → failed → red."""
    call_command("load_plan", str(FIFTEENTH), stdout=StringIO())
    department = Department.objects.get(region__code="441523", name="市生态环境局陆河分局")
    clerk = user_set_role(username="clerk_sthj", role="clerk", department=department, password="x")
    air = {"plan": "luhe-15th-five-year", "indicator": "air_quality_good_days", "year": 2026,
           "month": 10, "value": "94.2", "source": "生态环境监测站", "submit": True}  # fmt: skip
    refused = api_as(clerk).post(API, air, format="json")
    assert refused.status_code == 400
    assert refused.json()["explanation"]["non_field_errors"] == [RED]
    held = api_as(clerk).post(API, {**air, "month": 9, "value": "96.7"}, format="json")
    assert (held.status_code, held.json()["explanation"]) == (201, None)  # ≥95: green
    explained = {**air, "explanation": {**WHY_JSON, "cause": "10月下旬区域性臭氧污染"}}
    assert api_as(clerk).post(API, explained, format="json").status_code == 201


# --- the Excel upload -----------------------------------------------------------------------


def download(client) -> bytes:
    response = client.get(TEMPLATE, {"period": "2026-Q3"})
    assert response.status_code == 200
    return response.content


def row_of(sheet, code: str) -> int:
    return next(n for n in range(2, sheet.max_row + 1) if sheet.cell(n, COL["code"]).value == code)


def fill(content: bytes, values: dict[str, dict]) -> tuple[bytes, dict[str, int]]:
    """The template filled in ({code: {column key: value}}) and each code's row."""
    book = openpyxl.load_workbook(BytesIO(content))
    sheet = book.worksheets[0]
    rows = {}
    for code, cells in values.items():
        rows[code] = row_of(sheet, code)
        for key, value in cells.items():
            sheet.cell(rows[code], COL[key], value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue(), rows


def upload(client, content: bytes, action="submit"):
    file = SimpleUploadedFile("模板.xlsx", content, content_type=upload_template.XLSX_TYPE)
    return client.post(UPLOAD, {"period": "2026-Q3", "action": action, "file": file})


def row_errors(page: str, row: int) -> str:
    """The error rows of the page for one Excel row, as text."""
    start = page.index(f'<tr data-row="{row}">')
    end = page.rindex(f'<tr data-row="{row}">')
    return page[start : page.index("</tr>", end)]


def test_the_template_has_the_three_columns_prefilled(client, clerk_kgj, enterprises):
    actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("0", WHY))
    client.force_login(clerk_kgj)
    sheet = openpyxl.load_workbook(BytesIO(download(client))).worksheets[0]
    headers = [sheet.cell(1, COL[key]).value for key in ("lag_cause", "lag_measures",
                                                          "lag_will_meet")]  # fmt: skip
    assert headers == ["滞后原因", "整改措施", "能否按期完成（能/有风险/不能）"]
    number = row_of(sheet, "above_scale_enterprises")
    cells = [sheet.cell(number, COL[key]).value for key in ("lag_cause", "lag_will_meet")]
    assert cells == [WHY.cause, "有风险"]
    assert sheet.cell(number, COL["lag_cause"]).protection.locked is False
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"能,有风险,不能"' in lists


def test_the_upload_refuses_lagging_rows_naming_row_and_column(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    content, rows = fill(
        download(client),
        {
            "above_scale_enterprises": {"value": 0, "source": SOURCE},  # red
            # 限上批发和零售企业 B 2: 1 falls below the baseline → regressing → red.
            "wholesale_retail_enterprises": {"value": 1, "source": SOURCE},
            "high_tech_enterprises": {"value": 1, "source": SOURCE},  # achieved: green
        },
    )
    response = upload(client, content)
    page = response.content.decode()
    assert response.status_code == 400
    assert not Actual.objects.exists()  # all or nothing, as every upload
    red = row_errors(page, rows["above_scale_enterprises"])
    for text in (RED, NO_CAUSE, NO_MEASURES, NO_WILL_MEET, "滞后原因", "整改措施"):
        assert text in red
    assert RED in row_errors(page, rows["wholesale_retail_enterprises"])
    assert f'<tr data-row="{rows["high_tech_enterprises"]}">' not in page


def test_the_upload_refuses_a_yellow_row(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    content, rows = fill(
        download(client),
        {"above_scale_enterprises": {"value": 1, "source": SOURCE, "lag_cause": WHY.cause}},
    )
    page = upload(client, content).content.decode()
    errors = row_errors(page, rows["above_scale_enterprises"])
    assert YELLOW in errors and NO_MEASURES in errors and NO_CAUSE not in errors
    assert not Actual.objects.exists()


def test_the_upload_accepts_rows_with_it(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    content, _rows = fill(
        download(client),
        {
            "above_scale_enterprises": {
                "value": 0, "source": SOURCE, "lag_cause": WHY.cause,
                "lag_measures": WHY.measures, "lag_will_meet": "有风险",
            },
            "high_tech_enterprises": {"value": 1, "source": SOURCE},
        },
    )  # fmt: skip
    response = upload(client, content)
    assert response.status_code == 302
    saved = Actual.objects.get(indicator=enterprises)
    assert (saved.state, saved.lag_cause, saved.lag_measures, saved.lag_will_meet) == (
        "submitted",
        WHY.cause,
        WHY.measures,
        "at_risk",
    )
    assert Actual.objects.get(indicator__code="high_tech_enterprises").lag_cause == ""


def test_the_upload_saves_a_lagging_draft_without_it(client, clerk_kgj, enterprises):
    client.force_login(clerk_kgj)
    content, _rows = fill(
        download(client), {"above_scale_enterprises": {"value": 0, "source": SOURCE}}
    )
    assert upload(client, content, action="draft").status_code == 302
    assert Actual.objects.get().state == "draft"


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"lag_cause": LONG}, "滞后原因", CAUSE_TOO_LONG),
        ({"lag_measures": LONG}, "整改措施", MEASURES_TOO_LONG),
        ({"lag_will_meet": "也许"}, "能否按期完成（能/有风险/不能）",
         "滞后说明：能否按期完成须填写能、有风险、不能之一。"),
    ],
)  # fmt: skip
def test_the_upload_checks_the_cells(client, clerk_kgj, enterprises, cells, column, message):
    client.force_login(clerk_kgj)
    content, rows = fill(
        download(client), {"above_scale_enterprises": {"value": 2, "source": SOURCE, **cells}}
    )
    response = upload(client, content, action="draft")
    errors = row_errors(response.content.decode(), rows["above_scale_enterprises"])
    assert response.status_code == 400
    assert column in errors and message in errors
    assert not Actual.objects.exists()


# --- what the reviewer sees -----------------------------------------------------------------


def test_the_review_queue_shows_it(client, clerk_kgj, reviewer, enterprises):
    actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("0", WHY), submit=True)
    client.force_login(reviewer)
    page = client.get(reverse("indicators:review-queue")).content.decode()
    assert "<th>滞后说明</th>" in page
    assert WHY.cause in page and WHY.measures in page and "有风险" in page


def test_the_query_budget_of_the_light(enterprises, django_assert_num_queries):
    # targets, stages, the indicator's figures (its plan is already selected).
    with django_assert_num_queries(3):
        assert pending_light(enterprises, Q3) == "grey"


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_shows_red_and_yellow_lights_with_explanations(plan):
    call_command("seed_demo", stdout=StringIO())
    assert Actual.objects.count() == len(DEMO_ROWS)
    rows = progress_selectors.plan_progress(plan=plan, period=Q3)
    lagging = [r for r in rows if r.light in ("red", "yellow")]
    assert {r.light for r in lagging} == {"red", "yellow"}
    for row in lagging:
        shown = Actual.objects.get(indicator=row.indicator, year=2026, quarter=3)
        assert shown.approved_lag_cause and shown.approved_lag_measures, row.indicator.code
        assert shown.approved_lag_will_meet in ("yes", "at_risk", "no")
    # A green period carries none: the demo explains exactly where the services ask.
    green = next(r for r in rows if r.indicator.code == "above_scale_enterprises")
    assert green.light == "green"
    assert Actual.objects.get(indicator=green.indicator, year=2026, quarter=3).lag_cause == ""
