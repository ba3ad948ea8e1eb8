"""Supervision items (督办, domain.md §11): the services' state machine and rules, the item that
opens by itself on an approval turning a binding indicator red, who may do what (roles, regions,
departments, with 404s for what a user may not see), the API's shapes and filters, the pages in
Chinese, and query budgets of the lists.

Every test runs on 2026-11-24 (conftest); colours are computed against that day."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from indicators.models import (
    Actual,
    ActualState,
    Department,
    Indicator,
    Plan,
    Supervision,
    SupervisionAction,
    SupervisionState,
    SupervisionStep,
    Task,
)
from indicators.selectors.history import user_in_history
from indicators.services import actuals as actual_services
from indicators.services import supervision as services
from indicators.services.regions import RegionData, region_save
from indicators.services.users import user_set_role
from tests.conftest import PLAN_SLUG, TODAY

BINDING = "above_scale_enterprises"  # lead 县科工局; baseline 0, 2028 target 5 (level, linear)
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def far(username: str, role: str):
    """A user of 海丰县, a sibling county of 陆河县: 陆河's plan does not exist for them."""
    haifeng, _changed = region_save(data=RegionData("441521", "海丰县", "county", "441500"))
    return user_set_role(
        username=username, role=role, department=None, password="pw", region=haifeng
    )


def indicator(plan, code=BINDING) -> Indicator:
    return Indicator.objects.get(plan=plan, code=code)


def open_item(reviewer, plan, code=BINDING, due=TODAY + timedelta(days=10), **kw) -> Supervision:
    return services.supervision_open(
        user=reviewer,
        plan=plan,
        indicator=indicator(plan, code),
        requirement=kw.pop("requirement", "请说明规上企业数量滞后的原因及整改措施"),
        due=due,
        **kw,
    )


def respond(clerk, item, text="已制定培育计划", attachment=None) -> Supervision:
    return services.supervision_respond(user=clerk, item=item, text=text, attachment=attachment)


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def list_url(slug=PLAN_SLUG) -> str:
    return reverse("api-supervisions", args=[slug])


def step_url(item, action) -> str:
    return reverse(f"api-supervision-{action}", args=[item.plan.slug, item.pk])


# --- the services: the state machine -------------------------------------------------------


def test_open_addresses_the_lead_department_and_records_the_step(plan, reviewer):
    item = open_item(reviewer, plan)
    assert item.department.name == "县科工局"
    assert item.state == SupervisionState.OPEN and not item.automatic
    step = item.steps.get()
    assert (step.action, step.by, step.text) == ("open", reviewer, item.requirement)


def test_open_on_a_task_addresses_its_lead(plan, reviewer):
    task = Task.objects.get(project__plan=plan, name="培育壮大领航企业")
    item = services.supervision_open(
        user=reviewer, plan=plan, task=task, requirement="加快推进", due=TODAY
    )
    assert (item.task, item.indicator, item.department.name) == (task, None, "县科工局")


def test_the_whole_loop_and_every_step_kept(plan, reviewer, clerk_kgj):
    item = open_item(reviewer, plan)
    item = respond(clerk_kgj, item)
    assert item.state == SupervisionState.RESPONDED
    item = services.supervision_reopen(user=reviewer, item=item, reason="措施不具体")
    assert item.state == SupervisionState.OPEN
    item = respond(clerk_kgj, item, "补充了具体措施")
    item = services.supervision_close(user=reviewer, item=item, text="同意办结")
    assert item.state == SupervisionState.CLOSED and item.closed_by == reviewer
    assert item.colour(TODAY) is None
    steps = list(item.steps.values_list("action", "by__username", "text"))
    assert steps == [
        ("open", "reviewer", item.requirement),
        ("respond", "clerk_kgj", "已制定培育计划"),
        ("reopen", "reviewer", "措施不具体"),
        ("respond", "clerk_kgj", "补充了具体措施"),
        ("close", "reviewer", "同意办结"),
    ]
    # A closed item can be sent back, with a new due date; it is then open, without closer.
    new_due = TODAY + timedelta(days=5)
    item = services.supervision_reopen(user=reviewer, item=item, reason="反弹", due=new_due)
    assert (item.state, item.closed_by, item.due) == (SupervisionState.OPEN, None, new_due)


@pytest.mark.parametrize(
    "steps, refused, message",
    [
        ([], "close", "只有已答复的督办事项才能办结。"),
        ([], "reopen", "只有已答复或已办结的督办事项才能退回重办。"),
        (["respond"], "respond", "只有待办理的督办事项才能答复。"),
        (["respond", "close"], "respond", "只有待办理的督办事项才能答复。"),
        (["respond", "close"], "close", "只有已答复的督办事项才能办结。"),
    ],
)
def test_steps_out_of_order_are_refused_in_chinese(plan, reviewer, clerk_kgj, steps, refused,
                                                   message):  # fmt: skip
    item = open_item(reviewer, plan)
    take = {
        "respond": lambda: respond(clerk_kgj, item),
        "close": lambda: services.supervision_close(user=reviewer, item=item),
        "reopen": lambda: services.supervision_reopen(user=reviewer, item=item, reason="再办"),
    }
    for step in steps:
        item = take[step]()
    with pytest.raises(services.Invalid) as refusal:
        take[refused]()
    assert refusal.value.errors == {"state": [message]}


@pytest.mark.parametrize(
    "fields, errors",
    [
        ({"requirement": "  "}, {"requirement": ["请填写督办要求。"]}),
        ({"requirement": "要" * 1001}, {"requirement": ["督办要求过长：最多1000个字符。"]}),
        ({"due": TODAY - timedelta(days=1)}, {"due": ["办理期限不能早于今天。"]}),
        ({"due": None}, {"due": ["办理期限须为日期，如 2026-12-31。"]}),
    ],
)
def test_open_checks_what_was_typed(plan, reviewer, fields, errors):
    with pytest.raises(services.Invalid) as refusal:
        open_item(reviewer, plan, **fields)
    assert refusal.value.errors == errors
    assert not Supervision.objects.exists()


def test_open_needs_a_lead_department(plan, reviewer):
    with pytest.raises(services.Invalid) as refusal:
        open_item(reviewer, plan, code="safety_accidents")  # the table names no lead
    assert "没有牵头单位" in refusal.value.errors["department"][0]


def test_an_answer_needs_text_and_an_accepted_attachment(plan, reviewer, clerk_kgj):
    item = open_item(reviewer, plan)
    with pytest.raises(services.Invalid) as refusal:
        respond(clerk_kgj, item, " ")
    assert refusal.value.errors == {"text": ["请填写答复内容。"]}
    with pytest.raises(services.Invalid) as refusal:
        respond(clerk_kgj, item, "见附件", SimpleUploadedFile("说明.pdf", b"<html>"))
    assert list(refusal.value.errors) == ["attachment"]
    item = respond(clerk_kgj, item, "见附件", SimpleUploadedFile("说明.pdf", PDF))
    step = item.steps.get(action="respond")
    assert step.attachment.name.startswith(f"supervision/{PLAN_SLUG}/")
    assert step.attachment.name.endswith(".pdf")


def test_roles_that_may_not_take_a_step(plan, reviewer, clerk_kgj, clerk_rsj, leader):
    with pytest.raises(services.NotAllowed):
        open_item(clerk_kgj, plan)
    with pytest.raises(services.NotAllowed):
        open_item(leader, plan)
    item = open_item(reviewer, plan)
    for user in (clerk_rsj, reviewer, leader):  # another department's clerk, other roles
        with pytest.raises(services.NotAllowed):
            respond(user, item)
    item = respond(clerk_kgj, item)
    for user in (clerk_kgj, leader):
        with pytest.raises(services.NotAllowed):
            services.supervision_close(user=user, item=item)
        with pytest.raises(services.NotAllowed):
            services.supervision_reopen(user=user, item=item, reason="再办")


def test_a_reviewer_of_another_region_may_not_open(plan, reviewer):
    outside = far("far_reviewer", "reviewer")
    with pytest.raises(services.NotAllowed):
        open_item(outside, plan)


def test_users_in_supervision_steps_cannot_be_deleted(plan, reviewer, clerk_kgj):
    """The steps keep who took them: such a user is only deactivated (the admin's deletion
    page says why, through `user_in_history`; the protected keys refuse it on every route)."""
    item = open_item(reviewer, plan)
    respond(clerk_kgj, item)
    for user in (reviewer, clerk_kgj):
        assert user_in_history(user)
        with pytest.raises(ProtectedError):
            user.delete()


# --- opened by itself on an approval -------------------------------------------------------


def submitted(plan, clerk, value, code=BINDING, quarter=3) -> Actual:
    """A value submitted by the clerk (made directly: the 滞后说明 rules are not this file's)."""
    return Actual.objects.create(
        indicator=indicator(plan, code), year=2026, quarter=quarter, value=Decimal(value),
        source="县统计局", state=ActualState.SUBMITTED, created_by=clerk, updated_by=clerk,
        submitted_at=timezone.now(), first_submitted_at=timezone.now(),
    )  # fmt: skip


def approve(reviewer, actual) -> Actual:
    return actual_services.actual_approve(user=reviewer, actual=actual)


@pytest.fixture
def binding(plan):
    Indicator.objects.filter(plan=plan, code=BINDING).update(binding=True)


def test_an_approval_turning_a_binding_indicator_red_opens_an_item(plan, binding, reviewer,
                                                                   clerk_kgj):  # fmt: skip
    # Q3 2026: V = 5 × 0.75/3 = 1.25; 1 is behind (R 0.8), red for a binding indicator.
    approve(reviewer, submitted(plan, clerk_kgj, "1"))
    item = Supervision.objects.get()
    assert item.automatic and item.period == "2026-Q3"
    assert (item.department.name, item.opened_by, item.state) == ("县科工局", reviewer, "open")
    assert item.due == TODAY + timedelta(days=plan.supervision_days)
    assert "规上企业数量" in item.requirement and "2026年第3季度" in item.requirement
    assert "滞后于序时进度" in item.requirement
    assert item.steps.get().action == SupervisionAction.OPEN
    # Not twice while it is not closed: a later red approval opens nothing more.
    approve(reviewer, submitted(plan, clerk_kgj, "0", quarter=2))
    assert Supervision.objects.count() == 1


def test_a_new_red_approval_opens_again_once_the_item_is_closed(plan, binding, reviewer,
                                                                clerk_kgj):  # fmt: skip
    approve(reviewer, submitted(plan, clerk_kgj, "1"))
    item = respond(clerk_kgj, Supervision.objects.get())
    services.supervision_close(user=reviewer, item=item)
    approve(reviewer, submitted(plan, clerk_kgj, "0", quarter=2))
    assert Supervision.objects.filter(state="open", automatic=True, period="2026-Q2").exists()


@pytest.mark.parametrize(
    "value, why",
    [("1.3", "on track: green"), ("2", "ahead: green")],
)
def test_no_item_when_the_light_is_not_red(plan, binding, reviewer, clerk_kgj, value, why):
    approve(reviewer, submitted(plan, clerk_kgj, value))
    assert not Supervision.objects.exists(), why


def test_no_item_for_a_non_binding_indicator_or_with_the_setting_off(plan, reviewer, clerk_kgj):
    approve(reviewer, submitted(plan, clerk_kgj, "0"))  # far behind, red, but not binding
    assert not Supervision.objects.exists()
    Indicator.objects.filter(plan=plan, code=BINDING).update(binding=True)
    Plan.objects.filter(pk=plan.pk).update(auto_supervise=False)
    approve(reviewer, submitted(plan, clerk_kgj, "0", quarter=2))
    assert not Supervision.objects.exists()


def test_no_item_for_a_binding_indicator_without_a_lead(plan, reviewer, clerk_kgj):
    # 安全生产事故 is binding and has no lead department: red (an accident), but nobody to ask.
    approve(reviewer, submitted(plan, clerk_kgj, "1", code="safety_accidents"))
    assert not Supervision.objects.exists()


# --- the API -------------------------------------------------------------------------------


@pytest.fixture
def items(plan, reviewer, clerk_kgj):
    """Three items of 陆河 on 2026-11-24: red (due yesterday), yellow (due in 3 days, answered),
    and closed."""
    red = open_item(reviewer, plan, due=TODAY)
    Supervision.objects.filter(pk=red.pk).update(due=TODAY - timedelta(days=1))
    yellow = respond(clerk_kgj, open_item(reviewer, plan, due=TODAY + timedelta(days=3)))
    closed = respond(clerk_kgj, open_item(reviewer, plan, due=TODAY + timedelta(days=4)))
    closed = services.supervision_close(user=reviewer, item=closed)
    return {"red": red, "yellow": yellow, "closed": closed}


def test_api_lists_items_with_their_shape(items, leader):
    response = api_client(leader).get(list_url())
    assert response.status_code == 200
    by_id = {row["id"]: row for row in response.json()}
    red = by_id[items["red"].pk]
    assert set(red) >= {
        "id", "indicator", "task", "department", "requirement", "due", "state", "colour",
        "opened_by", "opened_at", "responses",
    }  # fmt: skip
    assert (red["indicator"], red["task"], red["department"]) == (BINDING, None, "县科工局")
    assert (red["due"], red["state"], red["colour"]) == ("2026-11-23", "open", "red")
    assert red["opened_by"] == "reviewer" and red["responses"] == []
    yellow = by_id[items["yellow"].pk]
    assert (yellow["state"], yellow["colour"]) == ("responded", "yellow")
    [answer] = yellow["responses"]
    assert (answer["text"], answer["by"], answer["attachment"]) == (
        "已制定培育计划",
        "clerk_kgj",
        None,
    )
    closed = by_id[items["closed"].pk]
    assert (closed["state"], closed["colour"], closed["closed_by"]) == (
        "closed",
        None,
        "reviewer",
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"state": "open"}, ["red"]),
        ({"state": "responded"}, ["yellow"]),
        ({"state": "closed"}, ["closed"]),
        ({"colour": "red"}, ["red"]),
        ({"colour": "yellow"}, ["yellow"]),
        ({"colour": "blue"}, []),
        ({"state": "responded", "colour": "red"}, []),
    ],
)
def test_api_filters(items, leader, query, expected):
    response = api_client(leader).get(list_url(), query)
    assert [row["id"] for row in response.json()] == [items[name].pk for name in expected]


def test_api_refuses_unknown_filters_in_chinese(items, leader):
    response = api_client(leader).get(list_url(), {"state": "pending", "colour": "green"})
    assert response.status_code == 400
    assert response.json() == {
        "state": ["状态须为 open、responded、closed 之一。"],
        "colour": ["颜色须为 blue、yellow、red 之一。"],
    }


def test_api_colour_follows_the_day(items, leader, monkeypatch):
    # Five days later the yellow item (due 11-27) is past due.
    monkeypatch.setattr("indicators.domain.periods.today", lambda: date(2026, 11, 29))
    response = api_client(leader).get(list_url(), {"colour": "red"})
    assert {row["id"] for row in response.json()} == {items["red"].pk, items["yellow"].pk}


def test_api_opens_on_an_indicator_and_on_a_task(plan, reviewer):
    client = api_client(reviewer)
    body = {"indicator": BINDING, "requirement": "请加快进度", "due": "2026-12-10"}
    response = client.post(list_url(), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["indicator"], data["department"], data["state"], data["colour"]) == (
        BINDING,
        "县科工局",
        "open",
        "blue",
    )
    task = Task.objects.get(project__plan=plan, name="培育壮大领航企业")
    body = {"task": task.pk, "requirement": "请加快进度", "due": "2026-11-26"}
    data = client.post(list_url(), body, format="json").json()
    assert (data["indicator"], data["task"], data["colour"]) == (None, task.pk, "yellow")


@pytest.mark.parametrize(
    "body, errors",
    [
        (
            {"indicator": "nope", "requirement": "x", "due": "2026-12-10"},
            {"indicator": ["该规划没有此代码的指标。"]},
        ),
        (
            {"indicator": BINDING, "requirement": "x", "due": "12/10/2026"},
            {"due": ["办理期限须为日期，如 2026-12-31。"]},
        ),
        (
            {"indicator": BINDING, "requirement": "", "due": "2026-12-10"},
            {"requirement": ["请填写督办要求。"]},
        ),
        (
            {"requirement": "x", "due": "2026-12-10"},
            {"indicator": ["请选择一项指标或一项重点任务（二者选其一）。"]},
        ),
    ],
)
def test_api_open_refusals_in_chinese(plan, reviewer, body, errors):
    response = api_client(reviewer).post(list_url(), body, format="json")
    assert response.status_code == 400
    assert response.json() == errors


def test_api_roles_and_regions(items, reviewer, clerk_kgj, clerk_rsj, leader, outsider):
    body = {"indicator": BINDING, "requirement": "x", "due": "2026-12-10"}
    for user in (clerk_kgj, leader):
        assert api_client(user).post(list_url(), body, format="json").status_code == 403
    assert api_client(outsider).get(list_url()).status_code == 403  # no role at all
    outside = far("far_reviewer", "reviewer")
    assert api_client(outside).get(list_url()).status_code == 404
    assert api_client(outside).post(list_url(), body, format="json").status_code == 404
    red = items["red"]
    assert api_client(outside).post(step_url(red, "respond"), {"text": "x"}).status_code == 404
    # Another department's clerk: the item is not there to answer (404); other roles 403.
    response = api_client(clerk_rsj).post(step_url(red, "respond"), {"text": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}
    for user in (reviewer, leader):
        assert api_client(user).post(step_url(red, "respond"), {"text": "x"}).status_code == 403
    for action in ("close", "reopen"):
        for user in (clerk_kgj, leader):
            response = api_client(user).post(step_url(items["yellow"], action), {"reason": "x"})
            assert response.status_code == 403
            assert response.json()["detail"] == "只有审核员才能发起、办结或退回督办事项。"
    # Clerks of other departments and leaders still read the list.
    assert api_client(clerk_rsj).get(list_url()).status_code == 200


def test_api_walks_the_loop(items, reviewer, clerk_kgj):
    red = items["red"]
    upload = SimpleUploadedFile("整改.pdf", PDF, content_type="application/pdf")
    response = api_client(clerk_kgj).post(
        step_url(red, "respond"), {"text": "已整改", "attachment": upload}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == "responded"
    [answer] = data["responses"]
    assert answer["attachment"].endswith("/attachment/")
    response = api_client(reviewer).post(step_url(red, "reopen"), {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["请说明退回重办的原因。"]}
    response = api_client(reviewer).post(
        step_url(red, "reopen"), {"reason": "不够具体", "due": "2026-12-01"}, format="json"
    )
    assert (response.json()["state"], response.json()["due"]) == ("open", "2026-12-01")
    response = api_client(reviewer).post(step_url(red, "close"), {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"state": ["只有已答复的督办事项才能办结。"]}
    api_client(clerk_kgj).post(step_url(red, "respond"), {"text": "补充"}, format="json")
    response = api_client(reviewer).post(step_url(red, "close"), {"text": "办结"}, format="json")
    assert (response.json()["state"], response.json()["colour"]) == ("closed", None)


# --- pages ---------------------------------------------------------------------------------


def page_url(name, item=None, slug=PLAN_SLUG):
    return reverse(f"indicators:{name}", args=[slug] + ([item.pk] if item else []))


def test_the_plan_list_page_in_chinese_with_filters(client, leader, items):
    client.force_login(leader)
    html = client.get(page_url("supervisions")).content.decode()
    assert "督办事项" in html and "红色：已超期" in html and "黄色：3天内到期" in html
    assert html.count('data-supervision="') == 3
    html = client.get(page_url("supervisions"), {"colour": "red"}).content.decode()
    assert html.count('data-supervision="') == 1 and f'data-supervision="{items["red"].pk}"' in html
    html = client.get(page_url("supervisions"), {"state": "closed"}).content.decode()
    assert html.count('data-supervision="') == 1 and "已办结" in html
    response = client.get(page_url("supervisions"), {"colour": "green"})
    assert response.status_code == 400
    assert "筛选条件无效" in response.content.decode()


def test_the_item_page_offers_each_role_its_form(client, items, reviewer, clerk_kgj, clerk_rsj,
                                                 leader):  # fmt: skip
    red, yellow = items["red"], items["yellow"]
    client.force_login(clerk_kgj)
    html = client.get(page_url("supervision", red)).content.decode()
    assert "提交答复" in html and "办结意见" not in html
    assert "请说明规上企业数量滞后的原因及整改措施" in html and "发起督办" in html
    client.force_login(clerk_rsj)
    assert "提交答复" not in client.get(page_url("supervision", red)).content.decode()
    client.force_login(reviewer)
    html = client.get(page_url("supervision", yellow)).content.decode()
    assert "办结意见" in html and "退回原因" in html and "提交答复" not in html
    client.force_login(leader)
    html = client.get(page_url("supervision", yellow)).content.decode()
    assert "办结意见" not in html and "已制定培育计划" in html


def test_pages_walk_the_loop_with_an_attachment(client, plan, reviewer, clerk_kgj, clerk_rsj,
                                                leader):  # fmt: skip
    client.force_login(reviewer)
    url = page_url("supervision-new") + f"?indicator={BINDING}"
    html = client.get(url).content.decode()
    assert "发起督办" in html and "县科工局" in html
    response = client.post(url, {"requirement": "请加快", "due": "2026-11-20"})
    assert response.status_code == 400 and "办理期限不能早于今天。" in response.content.decode()
    response = client.post(url, {"requirement": "请加快", "due": "2026-12-20"}, follow=True)
    assert "督办事项已发起。" in response.content.decode()
    item = Supervision.objects.get()
    client.force_login(clerk_rsj)
    assert client.post(page_url("supervision-respond", item), {"text": "x"}).status_code == 404
    client.force_login(clerk_kgj)
    upload = SimpleUploadedFile("整改.pdf", PDF, content_type="application/pdf")
    response = client.post(
        page_url("supervision-respond", item), {"text": "已整改", "attachment": upload}, follow=True
    )
    assert "答复已提交" in response.content.decode()
    step = item.steps.get(action="respond")
    download = reverse("indicators:supervision-attachment", args=[PLAN_SLUG, item.pk, step.pk])
    client.force_login(leader)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(far("far_leader", "leader"))
    assert client.get(download).status_code == 404
    assert client.get(page_url("supervision", item)).status_code == 404
    client.force_login(leader)
    assert client.post(page_url("supervision-close", item)).status_code == 403
    client.force_login(reviewer)
    response = client.post(page_url("supervision-close", item), {"text": "好"}, follow=True)
    assert "督办事项已办结。" in response.content.decode()
    item.refresh_from_db()
    assert item.state == SupervisionState.CLOSED


def test_opening_from_a_task_and_who_sees_the_form(client, plan, reviewer, leader):
    task = Task.objects.get(project__plan=plan, name="培育壮大领航企业")
    url = page_url("supervision-new") + f"?task={task.pk}"
    client.force_login(leader)
    assert client.get(url).status_code == 403
    assert "发起督办" not in client.get(page_url("task-list")).content.decode()
    client.force_login(reviewer)
    assert url in client.get(page_url("task-list")).content.decode()
    assert client.get(page_url("supervision-new") + "?task=999999").status_code == 404
    client.post(url, {"requirement": "请推进", "due": "2026-12-01"})
    assert Supervision.objects.get().task == task


def test_indicator_department_and_overview_pages_show_items(client, plan, items, leader,
                                                            reviewer):  # fmt: skip
    client.force_login(leader)
    html = client.get(reverse("reports:indicator", args=[PLAN_SLUG, BINDING])).content.decode()
    assert html.count('data-supervision="') == 3 and "发起督办" not in html
    kgj = Department.objects.get(region=plan.region, name="县科工局")
    rsj = Department.objects.get(region=plan.region, name="县人社局")
    html = client.get(reverse("reports:department", args=[PLAN_SLUG, kgj.pk])).content.decode()
    assert html.count('data-supervision="') == 3
    html = client.get(reverse("reports:department", args=[PLAN_SLUG, rsj.pk])).content.decode()
    assert "该单位暂无督办事项。" in html
    html = client.get(reverse("reports:overview", args=[PLAN_SLUG])).content.decode()
    assert "未办结 2 项" in html and "已超期（红色）1 项" in html
    assert f"{page_url('supervisions')}?colour=red" in html
    assert f'href="{page_url("supervisions")}">督办</a>' in html  # the plan bar
    client.force_login(reviewer)
    html = client.get(reverse("reports:indicator", args=[PLAN_SLUG, BINDING])).content.decode()
    assert f"?indicator={BINDING}" in html


# --- query budgets -------------------------------------------------------------------------


def many_items(plan, reviewer, n):
    """n items of the plan over its led indicators, in every state and colour."""
    led = list(Indicator.objects.filter(plan=plan, responsibilities__role="lead").distinct())
    kgj = Department.objects.get(region=plan.region, name="县科工局")
    states = ("open", "responded", "closed")
    made = Supervision.objects.bulk_create(
        Supervision(
            plan=plan,
            indicator=led[i % len(led)],
            department=kgj,
            requirement=f"要求{i}",
            due=TODAY + timedelta(days=i % 9 - 3),
            state=states[i % 3],
            opened_by=reviewer,
            opened_at=timezone.now(),
        )  # fmt: skip
        for i in range(n)
    )
    SupervisionStep.objects.bulk_create(
        SupervisionStep(supervision=item, action="open", by=reviewer, at=timezone.now())
        for item in made
    )


# The plan's list page, whatever the number of items: session, user, role and scope (3),
# the plan (1), the items with their plan, indicator, task, department and people (1), the
# plan's regions for `reviews` (0: the leader's scope is the whole platform), the navigation's
# plans (1).
@pytest.mark.parametrize("n", [3, 60])
def test_query_budget_of_the_plan_list(client, plan, reviewer, leader, n,
                                       django_assert_num_queries):  # fmt: skip
    many_items(plan, reviewer, n)
    client.force_login(leader)
    with django_assert_num_queries(6):
        response = client.get(page_url("supervisions"))
    assert response.content.decode().count('data-supervision="') == n


# The API's list: the user's role and scope (1; the test client authenticates without a
# query), the plan (1), the items (1) and their steps with who took them (1).
@pytest.mark.parametrize("n", [3, 60])
def test_query_budget_of_the_api_list(plan, reviewer, leader, n, django_assert_num_queries):
    many_items(plan, reviewer, n)
    client = api_client(leader)
    with django_assert_num_queries(4):
        response = client.get(list_url())
    assert len(response.json()) == n


# A department's items on its page: one query (the selector's), whatever their number.
@pytest.mark.parametrize("n", [3, 60])
def test_query_budget_of_the_department_list(plan, reviewer, n, django_assert_num_queries):
    from indicators.selectors import supervision as selectors

    many_items(plan, reviewer, n)
    kgj = Department.objects.get(region=plan.region, name="县科工局")
    with django_assert_num_queries(1):
        found = selectors.department_supervisions(plan=plan, department=kgj, on=TODAY)
        [row.subject for row in found]
    assert len(found) == n
    assert [row.item.state == "closed" for row in found] == sorted(
        row.item.state == "closed" for row in found
    )
    with django_assert_num_queries(1):
        counts = selectors.plan_counts(plan=plan, on=TODAY)
    assert counts.pending == n - n // 3


def test_supervision_admin_is_read_only(client, plan, reviewer):
    item = open_item(reviewer, plan)
    admin = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(admin)
    url = reverse("admin:indicators_supervision_change", args=[item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert client.post(url, {"requirement": "改"}).status_code == 403
    assert client.get(reverse("admin:indicators_supervisionstep_changelist")).status_code == 200
