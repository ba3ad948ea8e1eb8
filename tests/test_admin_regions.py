"""A safe admin: a regional administrator manages only their region; drop-downs offer only
what fits; cross-object inconsistencies are refused with a message on the field; nothing saved
through the admin makes a page fail.

Two counties of their own (陆河县 under 汕尾市, 广东省; 汉阴县 under 安康市, 陕西省), each with a
plan, a dimension, an indicator and a department of the same name: every check compares ids.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from indicators import admin as safe_admin
from indicators.models import (
    Actual,
    Department,
    Dimension,
    Indicator,
    Plan,
    Profile,
    Project,
    Region,
    Responsibility,
    Stage,
    Target,
    Task,
)
from indicators.services.regions import RegionData, region_save
from indicators.services.users import user_set_role

CHAINS = {
    "luhe": [
        ("440000", "广东省", "province", None),
        ("441500", "汕尾市", "city", "440000"),
        ("441523", "陆河县", "county", "441500"),
    ],
    "hanyin": [
        ("610000", "陕西省", "province", None),
        ("610900", "安康市", "city", "610000"),
        ("610921", "汉阴县", "county", "610900"),
    ],
}
DEPARTMENT = "县安全测试局"  # the same name in both counties


def _county(key: str) -> SimpleNamespace:
    for code, name, level, parent in CHAINS[key]:
        region = region_save(data=RegionData(code, name, level, parent))[0]
    plan = Plan.objects.create(
        name=f"{region.name}安全测试规划",
        slug=f"safe-{key}",
        region=region,
        baseline_year=2025,
        milestone_years=[2028, 2030],
    )
    dimension = Dimension.objects.create(plan=plan, name="产业规模", order=1)
    indicator = Indicator.objects.create(
        plan=plan, dimension=dimension, code="output", name="产值", unit="亿元", order=1,
        kind="level",
    )  # fmt: skip
    department = Department.objects.create(region=region, name=DEPARTMENT, kind="bureau")
    leader = user_set_role(
        username=f"leader_{key}", role="leader", department=None, password=None, region=region
    )
    return SimpleNamespace(
        region=region,
        plan=plan,
        dimension=dimension,
        indicator=indicator,
        department=department,
        profile=leader.profile,
    )


@pytest.fixture
def world(db):
    return SimpleNamespace(luhe=_county("luhe"), hanyin=_county("hanyin"))


@pytest.fixture
def platform_admin(world):
    return user_set_role(username="platform_admin", role="admin", department=None, password=None)


@pytest.fixture
def luhe_admin(world):
    return user_set_role(
        username="luhe_admin",
        role="admin",
        department=None,
        password=None,
        region=world.luhe.region,
    )


@pytest.fixture
def as_platform(client, platform_admin):
    client.force_login(platform_admin)
    return client


@pytest.fixture
def as_luhe(client, luhe_admin):
    client.force_login(luhe_admin)
    return client


def url(model: str, pk=None, view: str = "change") -> str:
    if pk is None:
        return f"/admin/indicators/{model}/{view}/".replace("/change/", "/")
    return f"/admin/indicators/{model}/{pk}/{view}/"


def form_data(response) -> dict:
    """What the browser would post back for the page as it was served: the main form and every
    inline formset with its management form."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.initial_forms:
            add(form)
    return data


def message(response, text, **params) -> str:
    """A message as the page showed it, in the language the request used."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return str(text % params) if params else str(text)


def errors(response) -> dict:
    return response.context["adminform"].form.errors


def inline_errors(response, prefix: str) -> list:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.errors
    raise AssertionError(f"no inline {prefix}")


def overview_still_opens(client, plan, platform_admin):
    client.force_login(platform_admin)
    assert client.get(f"/plans/{plan.slug}/").status_code == 200


def chosen(response, field: str):
    return set(response.context["adminform"].form.fields[field].queryset)


# --- A regional administrator sees their region only --------------------------------------


def _under_luhe(region: Region | None) -> bool:
    return region is not None and region.code.startswith("441523")


@pytest.mark.parametrize(
    ("model", "key", "region_of"),
    [
        ("plan", "plan", lambda plan: plan.region),
        ("department", "department", lambda department: department.region),
        ("indicator", "indicator", lambda indicator: indicator.plan.region),
        ("profile", "profile", lambda profile: profile.region),
    ],
)
def test_regional_admin_lists_only_their_county(as_luhe, world, model, key, region_of):
    response = as_luhe.get(url(model))
    assert response.status_code == 200
    rows = list(response.context["cl"].queryset)
    assert getattr(world.luhe, key) in rows
    assert getattr(world.hanyin, key) not in rows
    assert all(_under_luhe(region_of(row)) for row in rows)


@pytest.mark.parametrize("key", ["plan", "department", "indicator", "profile", "dimension"])
def test_another_countys_pages_answer_404(as_luhe, world, key):
    other = getattr(world.hanyin, key)
    for view in ("change", "delete", "history"):
        assert as_luhe.get(url(key, other.pk, view)).status_code == 404, view
    assert as_luhe.get(url(key, getattr(world.luhe, key).pk)).status_code == 200


def test_another_countys_actual_and_its_history_answer_404(as_luhe, world, platform_admin):
    actuals = {
        key: Actual.objects.create(
            indicator=getattr(world, key).indicator,
            year=2026,
            quarter=1,
            value=1,
            source="test",
            created_by=platform_admin,
            updated_by=platform_admin,
        )
        for key in ("luhe", "hanyin")
    }
    rows = list(as_luhe.get(url("actual")).context["cl"].queryset)
    assert actuals["luhe"] in rows and actuals["hanyin"] not in rows
    assert as_luhe.get(url("actual", actuals["hanyin"].pk, "history")).status_code == 404
    assert as_luhe.get(url("actual", actuals["hanyin"].pk)).status_code == 404
    assert as_luhe.get(url("actual", actuals["luhe"].pk, "history")).status_code == 200
    assert as_luhe.get(url("actual", view="add")).status_code == 403


def test_platform_admin_sees_both_counties(as_platform, world):
    for model, key in [("plan", "plan"), ("indicator", "indicator"), ("department", "department")]:
        rows = list(as_platform.get(url(model)).context["cl"].queryset)
        assert getattr(world.luhe, key) in rows and getattr(world.hanyin, key) in rows
    assert as_platform.get(url("plan", world.hanyin.plan.pk)).status_code == 200
    regions = list(as_platform.get(url("region")).context["cl"].queryset)
    assert world.luhe.region in regions and world.hanyin.region in regions


# --- Drop-downs --------------------------------------------------------------------------


def test_a_department_choice_names_its_region(as_platform, world):
    # Both counties have a 县安全测试局: the platform admin's drop-down tells them apart.
    page = as_platform.get(url("responsibility", view="add"))
    assert page.status_code == 200
    assert f"{DEPARTMENT}（陆河县）" in page.content.decode()
    assert f"{DEPARTMENT}（汉阴县）" in page.content.decode()


def test_regional_drop_downs_offer_only_their_county(as_luhe, world):
    luhe, hanyin = world.luhe, world.hanyin
    page = as_luhe.get(url("indicator", view="add"))
    assert luhe.plan in chosen(page, "plan") and hanyin.plan not in chosen(page, "plan")
    assert luhe.dimension in chosen(page, "dimension")
    assert hanyin.dimension not in chosen(page, "dimension")

    page = as_luhe.get(url("department", view="add"))
    assert chosen(page, "region") == {luhe.region}  # not the city above, not another county

    page = as_luhe.get(url("responsibility", view="add"))
    assert luhe.department in chosen(page, "department")
    assert hanyin.department not in chosen(page, "department")

    page = as_luhe.get(url("profile", luhe.profile.pk))
    assert chosen(page, "region") == {luhe.region}
    assert hanyin.department not in chosen(page, "department")


def test_an_indicators_drop_downs_fit_its_plan(as_platform, world):
    """Even for a platform administrator, an indicator's page offers its own plan's dimensions,
    and its inlines the departments of its plan's region and its own stages."""
    luhe, hanyin = world.luhe, world.hanyin
    Stage.objects.create(indicator=luhe.indicator, position=1, label="注册")
    Stage.objects.create(indicator=hanyin.indicator, position=1, label="注册")
    page = as_platform.get(url("indicator", luhe.indicator.pk))
    assert chosen(page, "dimension") == {luhe.dimension}
    inlines = {
        i.formset.prefix: i.formset.empty_form for i in page.context["inline_admin_formsets"]
    }
    departments = set(inlines["responsibilities"].fields["department"].queryset)
    assert departments == set(Department.objects.filter(region=luhe.region))
    assert luhe.department in departments and hanyin.department not in departments
    references = set(inlines["targets"].fields["reference"].queryset)
    assert luhe.indicator in references and hanyin.indicator not in references


# --- Inconsistencies are refused -----------------------------------------------------------


def test_another_plans_dimension_is_refused(as_platform, world, platform_admin):
    luhe, hanyin = world.luhe, world.hanyin
    # Adding: the drop-down offers every plan's dimensions; the form names the problem.
    page = as_platform.get(url("indicator", view="add"))
    data = form_data(page) | {
        "plan": luhe.plan.pk,
        "dimension": hanyin.dimension.pk,
        "code": "new",
        "name": "新指标",
        "order": 2,
        "kind": "level",
    }
    response = as_platform.post(url("indicator", view="add"), data)
    assert response.status_code == 200
    expected = message(
        response, safe_admin.DIMENSION_OF_ANOTHER_PLAN, dimension=hanyin.dimension.name
    )
    assert errors(response)["dimension"] == [expected]
    assert expected in response.content.decode()
    assert not Indicator.objects.filter(plan=luhe.plan, code="new").exists()

    # Changing: the drop-down only holds the plan's own dimensions, so it refuses too.
    page = as_platform.get(url("indicator", luhe.indicator.pk))
    data = form_data(page) | {"dimension": hanyin.dimension.pk, "name": "改名"}
    response = as_platform.post(url("indicator", luhe.indicator.pk), data)
    assert response.status_code == 200 and "dimension" in errors(response)
    luhe.indicator.refresh_from_db()
    assert (luhe.indicator.dimension, luhe.indicator.name) == (luhe.dimension, "产值")
    overview_still_opens(as_platform, luhe.plan, platform_admin)


def test_another_regions_department_is_refused(as_platform, world, platform_admin):
    luhe, hanyin = world.luhe, world.hanyin
    data = {
        "indicator": luhe.indicator.pk,
        "department": hanyin.department.pk,
        "role": "lead",
        "origin": "admin",
        "position": 1,
    }
    response = as_platform.post(url("responsibility", view="add"), data)
    assert response.status_code == 200
    expected = message(
        response,
        safe_admin.DEPARTMENT_OF_ANOTHER_REGION,
        department=DEPARTMENT,
        region=hanyin.region,
        plan_region=luhe.region,
    )
    assert errors(response)["department"] == [expected]
    assert not Responsibility.objects.filter(indicator=luhe.indicator).exists()

    # The same department as an inline of the indicator is refused as well.
    page = as_platform.get(url("indicator", luhe.indicator.pk))
    data = form_data(page) | {
        "responsibilities-TOTAL_FORMS": 1,
        "responsibilities-0-department": hanyin.department.pk,
        "responsibilities-0-role": "lead",
        "responsibilities-0-origin": "admin",
        "responsibilities-0-position": 1,
    }
    response = as_platform.post(url("indicator", luhe.indicator.pk), data)
    assert response.status_code == 200
    assert "department" in inline_errors(response, "responsibilities")[0]
    assert not Responsibility.objects.filter(indicator=luhe.indicator).exists()

    # A department of the plan's own region is accepted.
    data["responsibilities-0-department"] = luhe.department.pk
    assert as_platform.post(url("indicator", luhe.indicator.pk), data).status_code == 302
    assert Responsibility.objects.get(indicator=luhe.indicator).department == luhe.department
    overview_still_opens(as_platform, luhe.plan, platform_admin)


def test_a_target_year_not_after_the_baseline_is_refused(as_platform, world, platform_admin):
    luhe = world.luhe
    # As an inline of the indicator.
    page = as_platform.get(url("indicator", luhe.indicator.pk))
    data = form_data(page) | {
        "targets-TOTAL_FORMS": 1,
        "targets-0-year": 2025,
        "targets-0-value": "10",
        "targets-0-origin": "table",
    }
    response = as_platform.post(url("indicator", luhe.indicator.pk), data)
    assert response.status_code == 200
    expected = message(response, safe_admin.TARGET_YEAR_NOT_AFTER_BASELINE, baseline_year=2025)
    assert inline_errors(response, "targets")[0]["year"] == [expected]
    assert expected in response.content.decode()
    assert not Target.objects.filter(indicator=luhe.indicator).exists()
    overview_still_opens(as_platform, luhe.plan, platform_admin)

    # Changing an existing target's year to the baseline year.
    target = Target.objects.create(indicator=luhe.indicator, year=2028, value=10, origin="table")
    page = as_platform.get(url("target", target.pk))
    response = as_platform.post(url("target", target.pk), form_data(page) | {"year": 2025})
    assert response.status_code == 200
    assert errors(response)["year"] == [expected]
    target.refresh_from_db()
    assert target.year == 2028
    overview_still_opens(as_platform, luhe.plan, platform_admin)


def test_a_target_is_read_from_its_text_and_must_fit_the_indicator(as_platform, world):
    """The admin types a target as the table prints it; the form is read from the text, and a
    text that cannot be read, a stage for a level indicator or another plan's reference is
    refused with a message on its field."""
    luhe, hanyin = world.luhe, world.hanyin
    data = {"indicator": luhe.indicator.pk, "year": 2028, "origin": "table"}
    response = as_platform.post(url("target", view="add"), data | {"text": "7%以上左右"})
    assert response.status_code == 200
    assert errors(response)["text"] == ["无法识别的目标值“7%以上左右”"]
    Stage.objects.create(indicator=luhe.indicator, position=1, label="注册")
    response = as_platform.post(url("target", view="add"), data | {"text": "注册"})
    assert errors(response)["text"] == ["“注册”是阶段：该指标的类型须为阶段性"]
    response = as_platform.post(
        url("target", view="add"),
        data | {"text": "与经济增长基本同步", "reference": hanyin.indicator.pk},
    )
    assert "reference" in errors(response)
    assert not Target.objects.filter(indicator=luhe.indicator).exists()


def test_a_tasks_departments_and_indicators_come_from_its_plan(as_platform, world):
    luhe, hanyin = world.luhe, world.hanyin
    project = Project.objects.create(plan=luhe.plan, number=1, name="测试工程")
    task = Task.objects.create(project=project, order=1, name="测试任务", text="…", clause="…")
    data = {"task": task.pk, "department": hanyin.department.pk, "role": "lead", "position": 1}
    response = as_platform.post(url("taskdepartment", view="add"), data)
    assert response.status_code == 200
    assert errors(response)["department"] == [
        message(
            response,
            safe_admin.DEPARTMENT_OF_ANOTHER_REGION,
            department=DEPARTMENT,
            region=hanyin.region,
            plan_region=luhe.region,
        )
    ]
    data = {"task": task.pk, "indicator": hanyin.indicator.pk, "clause": "…"}
    response = as_platform.post(url("taskindicator", view="add"), data)
    assert response.status_code == 200
    assert errors(response)["indicator"] == [
        message(response, safe_admin.INDICATOR_OF_ANOTHER_PLAN, indicator=hanyin.indicator)
    ]
    # As inlines of the task, the drop-downs hold the plan's own only, and refuse the rest.
    page = as_platform.get(url("task", task.pk))
    data = form_data(page) | {
        "departments-TOTAL_FORMS": 1,
        "departments-0-department": hanyin.department.pk,
        "departments-0-role": "lead",
        "departments-0-position": 1,
        "taskindicator_set-TOTAL_FORMS": 1,
        "taskindicator_set-0-indicator": hanyin.indicator.pk,
        "taskindicator_set-0-clause": "…",
    }
    response = as_platform.post(url("task", task.pk), data)
    assert response.status_code == 200
    assert "department" in inline_errors(response, "departments")[0]
    assert "indicator" in inline_errors(response, "taskindicator_set")[0]
    assert not task.departments.exists() and not task.indicators.exists()


def test_what_pages_rely_on_does_not_change_underneath_them(as_platform, world, platform_admin):
    """A department with responsibilities stays in its region; an indicator with reported
    values keeps numbers or stages; a plan stays in its region."""
    luhe = world.luhe
    Responsibility.objects.create(
        indicator=luhe.indicator, department=luhe.department, role="lead", origin="admin"
    )
    page = as_platform.get(url("department", luhe.department.pk))
    data = form_data(page) | {"region": world.hanyin.region.pk}
    response = as_platform.post(url("department", luhe.department.pk), data)
    assert errors(response)["region"] == [message(response, safe_admin.DEPARTMENT_IN_USE)]
    Actual.objects.create(
        indicator=luhe.indicator,
        year=2026,
        quarter=1,
        value=1,
        source="test",
        created_by=platform_admin,
        updated_by=platform_admin,
    )
    page = as_platform.get(url("indicator", luhe.indicator.pk))
    response = as_platform.post(
        url("indicator", luhe.indicator.pk), form_data(page) | {"kind": "milestone"}
    )
    assert errors(response)["kind"] == [message(response, safe_admin.KIND_FIXED_BY_ACTUALS)]
    assert (
        "region" not in as_platform.get(url("plan", luhe.plan.pk)).context["adminform"].form.fields
    )
    luhe.department.refresh_from_db()
    luhe.indicator.refresh_from_db()
    assert (luhe.department.region, luhe.indicator.kind) == (luhe.region, "level")
    overview_still_opens(as_platform, luhe.plan, platform_admin)


def test_a_plans_years_stay_consistent(as_platform, world, platform_admin):
    luhe = world.luhe
    Target.objects.create(indicator=luhe.indicator, year=2028, value=10, origin="table")
    page = as_platform.get(url("plan", luhe.plan.pk))
    response = as_platform.post(
        url("plan", luhe.plan.pk), form_data(page) | {"baseline_year": 2028}
    )
    assert response.status_code == 200
    assert errors(response)["baseline_year"] == [
        message(response, safe_admin.BASELINE_NOT_BEFORE_TARGETS, year=2028)
    ]
    response = as_platform.post(
        url("plan", luhe.plan.pk), form_data(page) | {"milestone_years": "[2025, 2030]"}
    )
    assert errors(response)["milestone_years"] == [
        message(response, safe_admin.MILESTONE_YEARS_INVALID)
    ]
    luhe.plan.refresh_from_db()
    assert (luhe.plan.baseline_year, luhe.plan.milestone_years) == (2025, [2028, 2030])
    overview_still_opens(as_platform, luhe.plan, platform_admin)


def test_a_profiles_department_and_region_agree(as_platform, world):
    luhe, hanyin = world.luhe, world.hanyin
    page = as_platform.get(url("profile", hanyin.profile.pk))
    data = form_data(page) | {"department": luhe.department.pk}
    response = as_platform.post(url("profile", hanyin.profile.pk), data)
    assert response.status_code == 200
    assert errors(response)["department"] == [
        message(
            response,
            safe_admin.PROFILE_DEPARTMENT_REGION,
            department=DEPARTMENT,
            region=luhe.region,
        )
    ]
    assert Profile.objects.get(pk=hanyin.profile.pk).department is None


def test_a_regional_admin_cannot_widen_a_users_scope(as_luhe, world):
    luhe, hanyin = world.luhe, world.hanyin
    page = as_luhe.get(url("profile", luhe.profile.pk))
    for change, field in [({"region": ""}, "region"), ({"region": hanyin.region.pk}, "region")]:
        response = as_luhe.post(url("profile", luhe.profile.pk), form_data(page) | change)
        assert response.status_code == 200 and field in errors(response)
    response = as_luhe.post(url("profile", luhe.profile.pk), form_data(page) | {"region": ""})
    assert errors(response)["region"] == [message(response, safe_admin.REGION_REQUIRED)]
    assert Profile.objects.get(pk=luhe.profile.pk).region == luhe.region
    # Nor add or delete a profile: a user without one has the whole platform.
    assert as_luhe.get(url("profile", view="add")).status_code == 403
    assert (
        as_luhe.post(url("profile", luhe.profile.pk, "delete"), {"post": "yes"}).status_code == 403
    )
    assert Profile.objects.filter(pk=luhe.profile.pk).exists()


# --- Regions ---------------------------------------------------------------------------------


def test_a_regional_admin_cannot_add_or_change_a_region(as_luhe, world):
    count = Region.objects.count()
    data = {"code": "441523100", "name": "河田镇", "level": "town", "parent": world.luhe.region.pk}
    assert as_luhe.get(url("region", view="add")).status_code == 403
    assert as_luhe.post(url("region", view="add"), data).status_code == 403
    assert Region.objects.count() == count
    # They view the regions of their scope, read-only, and no other.
    rows = list(as_luhe.get(url("region")).context["cl"].queryset)
    assert world.luhe.region in rows and all(_under_luhe(region) for region in rows)
    luhe_page = url("region", world.luhe.region.pk)
    assert as_luhe.get(luhe_page).status_code == 200
    assert as_luhe.post(luhe_page, {"name": "改名"}).status_code == 403
    assert as_luhe.get(url("region", world.luhe.region.parent_id)).status_code == 404
    assert as_luhe.get(url("region", world.hanyin.region.pk)).status_code == 404


def test_a_platform_admin_adds_regions_by_the_code_rules(as_platform, world):
    data = {"code": "441523100", "name": "河田镇", "level": "town", "parent": world.luhe.region.pk}
    response = as_platform.post(
        url("region", view="add"), data | {"parent": world.hanyin.region.pk}
    )
    assert response.status_code == 200 and "parent" in errors(response)
    assert as_platform.post(url("region", view="add"), data).status_code == 302
    assert Region.objects.get(code="441523100").parent == world.luhe.region


def test_a_regional_admin_manages_their_county(as_luhe, world):
    """What they may do, they can: add a department to their county and a target to its
    plan; the department lands in their county and the overview still opens."""
    luhe = world.luhe
    data = {"region": luhe.region.pk, "name": "县新设局", "kind": "bureau", "order": 0}
    assert as_luhe.post(url("department", view="add"), data).status_code == 302
    assert Department.objects.get(name="县新设局").region == luhe.region
    data = {"indicator": luhe.indicator.pk, "year": 2028, "text": "12以上", "origin": "table"}
    assert as_luhe.post(url("target", view="add"), data).status_code == 302
    saved = Target.objects.get(indicator=luhe.indicator, year=2028)
    assert (saved.text, saved.form, saved.value) == ("12以上", "at_least", Decimal(12))
    assert as_luhe.get(f"/plans/{luhe.plan.slug}/").status_code == 200
