"""The plan upload page: preview what loading a plan file would do, write nothing until the
administrator confirms, then load exactly the previewed file."""

from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Indicator, Plan, Region, Target
from indicators.planfile import read_plan_file
from indicators.services.plans import plan_load
from indicators.services.regions import RegionData, region_save
from indicators.services.users import user_set_role
from indicators.views import plan_upload
from tests.conftest import PLAN_FILE

URL = reverse("indicators:plan-upload")
WORKBOOK = PLAN_FILE.parent / "luhe-15th-five-year-2026-2030.xlsx"
WORKBOOK_SLUG = "luhe-15th-five-year"


@pytest.fixture(autouse=True)
def kept_dir(tmp_path, monkeypatch):
    """Kept uploads go to the test's own directory."""
    kept = tmp_path / "kept"
    kept.mkdir()
    monkeypatch.setattr(plan_upload, "KEPT_DIR", kept)
    return kept


@pytest.fixture
def luhe_admin(plan):
    region = Region.objects.get(code="441523")
    return user_set_role(
        username="admin_luhe", role="admin", department=None, password="pw", region=region
    )


@pytest.fixture
def superuser(plan):
    return user_set_role(username="root", role="admin", department=None, password="pw")


@pytest.fixture
def haifeng_admin(plan):
    region, _changed = region_save(data=RegionData("441521", "海丰县", "county", "441500"))
    return user_set_role(
        username="admin_haifeng", role="admin", department=None, password="pw", region=region
    )


def logged_in(client, user):
    client.force_login(user)
    return client


def post_file(client, path: Path):
    with path.open("rb") as file:
        return client.post(URL, {"file": file})


def edited_workbook(tmp_path, **cells) -> Path:
    """The bundled workbook with some cells of its 指标 sheet replaced."""
    workbook = openpyxl.load_workbook(WORKBOOK)
    for ref, value in cells.items():
        workbook["指标"][ref] = value
    path = tmp_path / "edited.xlsx"
    workbook.save(path)
    return path


def by_kind(rows, kind):
    return [row for row in rows if row.kind == kind]


def test_preview_lists_the_workbook_and_writes_nothing(client, luhe_admin, kept_dir):
    indicators, targets = Indicator.objects.count(), Target.objects.count()
    response = post_file(logged_in(client, luhe_admin), WORKBOOK)
    assert response.status_code == 200
    changes = response.context["changes"]
    assert changes.new_plan and changes.slug == WORKBOOK_SLUG
    assert len(by_kind(changes.added, "indicator")) == 26
    assert not changes.changed and not changes.deleted
    assert [(t.code, t.text) for t in changes.qualitative] == [
        ("population_natural_growth", "保持适度水平")
    ]
    assert changes.derived_codes == []
    # Nothing written; the file waits server-side under the token the page carries.
    assert (Indicator.objects.count(), Target.objects.count()) == (indicators, targets)
    assert not Plan.objects.filter(slug=WORKBOOK_SLUG).exists()
    token = response.context["token"]
    assert [p.name for p in kept_dir.iterdir()] == [f"{token}.xlsx"]
    page = response.content.decode()
    assert f'data-count="added">{len(changes.added)}<' in page
    assert '<tr data-model="indicator"><td>' in page
    assert 'data-code="population_natural_growth"' in page
    assert f'name="token" value="{token}"' in page


def test_confirm_loads_the_previewed_file(client, luhe_admin, kept_dir):
    client = logged_in(client, luhe_admin)
    token = post_file(client, WORKBOOK).context["token"]
    response = client.post(URL, {"token": token})
    assert response.status_code == 302
    assert response.url == reverse("indicators:indicator-table", args=[WORKBOOK_SLUG])
    assert Indicator.objects.filter(plan__slug=WORKBOOK_SLUG).count() == 26
    [message] = get_messages(response.wsgi_request)
    assert "157" in str(message)  # the LoadReport's count of rows created
    assert list(kept_dir.iterdir()) == []
    # The token is used up: a second confirmation loads nothing.
    again = client.post(URL, {"token": token})
    assert again.status_code == 400
    assert "refusal" in again.context


def test_the_loaded_plan_s_own_file_changes_nothing(client, superuser, kept_dir):
    response = post_file(logged_in(client, superuser), PLAN_FILE)
    assert response.status_code == 200
    changes = response.context["changes"]
    assert not changes.new_plan
    assert (changes.added, changes.changed, changes.deleted) == ([], [], [])
    assert len(by_kind(changes.unchanged, "indicator")) == 30
    assert not changes.report.changed
    # Nothing to load: no button, nothing kept.
    assert "token" not in response.context
    assert list(kept_dir.iterdir()) == []
    assert 'class="nothing-to-load"' in response.content.decode()


def test_an_edited_target_shows_exactly_that_change(client, luhe_admin, tmp_path):
    plan_load(data=read_plan_file(WORKBOOK))
    edited = edited_workbook(tmp_path, G2=160)  # 地区生产总值's 2030 target: 158 → 160
    response = post_file(logged_in(client, luhe_admin), edited)
    changes = response.context["changes"]
    assert changes.added == [] and changes.deleted == []
    [row] = changes.changed
    assert row.kind == "target" and "地区生产总值" in row.label and "2030" in row.label
    shown = {field.name: (field.old, field.new) for field in row.fields}
    assert shown == {"text": ("158", "160"), "value": ("158", "160")}
    page = response.content.decode()
    assert '<del class="old">158</del> → <ins class="new">160</ins>' in page
    target = Target.objects.get(indicator__plan__slug=WORKBOOK_SLUG, indicator__code="gdp")
    assert target.text == "158"  # still as loaded


def test_moved_rows_show_their_old_order(client, luhe_admin, tmp_path):
    """The loader parks reordered rows out of the way; the preview shows the real old order."""
    plan_load(data=read_plan_file(WORKBOOK))
    workbook = openpyxl.load_workbook(WORKBOOK)
    sheet = workbook["指标"]
    row_26 = [cell.value for cell in sheet[26]]
    for column, value in enumerate([cell.value for cell in sheet[27]], start=1):
        sheet.cell(26, column, value)
    for column, value in enumerate(row_26, start=1):
        sheet.cell(27, column, value)
    path = tmp_path / "swapped.xlsx"
    workbook.save(path)
    changes = post_file(logged_in(client, luhe_admin), path).context["changes"]
    orders = {
        row.label.split(" · ")[0]: {f.name: (f.old, f.new) for f in row.fields}["order"]
        for row in by_kind(changes.changed, "indicator")
    }
    assert orders == {"major_safety_accidents": ("25", "26"), "grain_output": ("26", "25")}


def test_codes_derived_from_the_row_are_listed(client, luhe_admin, tmp_path):
    path = edited_workbook(tmp_path, A27=None)  # 粮食产量 without its code
    response = post_file(logged_in(client, luhe_admin), path)
    assert response.context["changes"].derived_codes == ["i26"]
    assert "<code>i26</code>" in response.content.decode()


def test_a_broken_workbook_lists_its_cells_and_writes_nothing(
    client, luhe_admin, tmp_path, kept_dir
):
    path = edited_workbook(tmp_path, I5="越多越好", H4="某种类型")
    response = post_file(logged_in(client, luhe_admin), path)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert any(problem.startswith("指标!I5") for problem in problems)
    assert any(problem.startswith("指标!H4") for problem in problems)
    page = response.content.decode()
    assert page.count('<li class="error">') == len(problems)
    assert "changes" not in response.context
    assert not Plan.objects.filter(slug=WORKBOOK_SLUG).exists()
    assert list(kept_dir.iterdir()) == []


@pytest.mark.parametrize("role", ["clerk_kgj", "leader", "reviewer", "analyst"])
def test_other_roles_get_403(client, request, role):
    client = logged_in(client, request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert post_file(client, WORKBOOK).status_code == 403
    assert not Plan.objects.filter(slug=WORKBOOK_SLUG).exists()


def test_anonymous_users_are_sent_to_log_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_administrators_see_the_page_and_its_link(client, luhe_admin):
    response = logged_in(client, luhe_admin).get(URL)
    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()


def test_another_county_s_admin_cannot_load_luhe_s_plans(client, haifeng_admin, kept_dir):
    client = logged_in(client, haifeng_admin)
    indicators = Indicator.objects.count()
    for path in (WORKBOOK, PLAN_FILE):  # a new plan of 441523; the plan already loaded there
        response = post_file(client, path)
        assert response.status_code == 403
        assert "441523" in response.context["refusal"]
        assert "changes" not in response.context
    assert Indicator.objects.count() == indicators
    assert not Plan.objects.filter(slug=WORKBOOK_SLUG).exists()
    assert list(kept_dir.iterdir()) == []


def test_a_token_works_only_for_its_user(client, luhe_admin, superuser, kept_dir):
    token = post_file(logged_in(client, luhe_admin), WORKBOOK).context["token"]
    other = type(client)()
    other.force_login(superuser)
    # Another session does not hold the token …
    assert other.post(URL, {"token": token}).status_code == 400
    # … and a session holding it for another user does not use it either.
    session = other.session
    session[plan_upload.SESSION_KEY] = {token: {"user": luhe_admin.pk, "suffix": ".xlsx"}}
    session.save()
    assert other.post(URL, {"token": token}).status_code == 400
    assert not Plan.objects.filter(slug=WORKBOOK_SLUG).exists()
    # A path sent by the browser is never a token.
    assert client.post(URL, {"token": "../../etc/passwd"}).status_code == 400


def test_oversize_and_foreign_files_are_refused(client, luhe_admin, kept_dir):
    client = logged_in(client, luhe_admin)
    big = SimpleUploadedFile("plan.xlsx", b"0" * (plan_upload.MAX_BYTES + 1))
    response = client.post(URL, {"file": big})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    csv = SimpleUploadedFile("plan.csv", b"code,name\n")
    assert client.post(URL, {"file": csv}).status_code == 400
    assert list(kept_dir.iterdir()) == []
    assert not Plan.objects.filter(slug=WORKBOOK_SLUG).exists()
