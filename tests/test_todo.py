"""The 待办 page (domain.md §11): what the reminders would tell each user, each line linking
to where it is done; the navigation's count; a clerk never sees another department's items."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from indicators import access
from indicators.models import Actual, ActualState, Department, Supervision, SupervisionState
from indicators.selectors.todo import todo_count
from indicators.services.users import user_set_role
from tests.conftest import TODAY
from tests.factories import make_synthetic_plan, synthetic_region

TODO = "/todo/"


@pytest.fixture
def synthetic(plan):
    """Two quarterly indicators led by 测试局; 2026 Q3 is due on 29 November (5 days after
    TODAY), 2026 Q1 and Q2 are overdue, and so is ind0's 2025 figure (its baseline is missing)."""
    synthetic = make_synthetic_plan(2, slug="todo")
    synthetic.deadline_days = 60
    synthetic.save()
    return synthetic


@pytest.fixture
def bureau(synthetic):
    return Department.objects.get(region=synthetic.region, name="测试局")


@pytest.fixture
def clerk(bureau):
    return user_set_role(username="clerk_test", role="clerk", department=bureau, password="pw")


def other_clerk():
    other = Department.objects.create(region=synthetic_region(), name="别的局", kind="bureau")
    return user_set_role(username="clerk_other", role="clerk", department=other, password="pw")


def supervise(plan, department, due: date, by, state=SupervisionState.OPEN, text="请整改"):
    return Supervision.objects.create(
        plan=plan, indicator=plan.indicators.first(), department=department, requirement=text,
        due=due, state=state, opened_by=by, opened_at=timezone.now(),
    )  # fmt: skip


def value(indicator, quarter: int, state: str, by, **fields):
    now = timezone.now()
    return Actual.objects.create(
        indicator=indicator, year=2026, quarter=quarter, value=1, source="台账", state=state,
        created_by=by, updated_by=by, submitted_at=now, first_submitted_at=now, **fields,
    )  # fmt: skip


def html(client, user) -> str:
    client.force_login(user)
    response = client.get(TODO)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, anchor: str) -> str:
    found = re.search(rf'<section class="todo" id="{anchor}">(.*?)</section>', page, re.S)
    return found.group(1) if found else ""


def nav_count(page: str) -> int | None:
    found = re.search(r'<span class="badge todo-count">(\d+)</span>', page)
    return int(found.group(1)) if found else None


# --- A clerk ------------------------------------------------------------------------------


def test_a_clerk_sees_values_owed_overdue_returned_and_items_to_answer(
    client, synthetic, bureau, clerk, reviewer
):
    ind0, ind1 = synthetic.indicators.order_by("order")
    value(ind1, 2, ActualState.RETURNED, clerk, review_comment="口径有误，请核实")
    value(ind1, 1, ActualState.SUBMITTED, clerk)
    item = supervise(synthetic, bureau, TODAY + timedelta(days=2), reviewer)
    page = html(client, clerk)
    assert "<h1>待办</h1>" in page

    overdue = section(page, "overdue")
    assert "<h2>逾期未报</h2>" in overdue
    assert 'href="/reporting/todo/ind0/2026-Q1/"' in overdue
    assert "2025年（全年）" in overdue and "报送截止：2026-03-31" in overdue
    assert "ind1/2026-Q1" not in page  # submitted: the reviewer's turn

    returned = section(page, "returned")
    assert "<h2>被退回的数值</h2>" in returned and "退回意见：口径有误，请核实" in returned
    assert 'href="/reporting/todo/ind1/2026-Q2/"' in returned

    owed = section(page, "owed")
    assert "<h2>待报送的数值</h2>" in owed and owed.count("即将到期") == 2
    assert "报送截止：2026-11-29" in owed

    answer = section(page, "to-answer")
    assert "<h2>待答复的督办事项</h2>" in answer and "请整改" in answer
    assert f'href="/plans/todo/supervisions/{item.pk}/"' in answer
    assert 'data-colour="yellow"' in answer
    # Q1–Q3 of ind0 and Q3 of ind1, the 2025 figure, Q2 returned, the supervision item.
    assert nav_count(page) == 7


def test_a_clerk_never_sees_another_departments_items(client, synthetic, bureau, clerk, reviewer):
    supervise(synthetic, bureau, TODAY - timedelta(days=1), reviewer, text="测试局的督办")
    value(synthetic.indicators.first(), 2, ActualState.RETURNED, clerk, review_comment="退回意见")
    page = html(client, other_clerk())
    assert "测试局的督办" not in page and "退回意见" not in page and "ind0" not in page
    assert "暂无待办" in page
    assert nav_count(page) is None


def test_answered_and_closed_items_are_not_the_clerks_to_do(
    client, synthetic, bureau, clerk, reviewer
):
    supervise(synthetic, bureau, TODAY, reviewer, SupervisionState.RESPONDED, "已答复的")
    supervise(synthetic, bureau, TODAY, reviewer, SupervisionState.CLOSED, "已办结的")
    page = html(client, clerk)
    assert "已答复的" not in page and "已办结的" not in page


# --- A reviewer ---------------------------------------------------------------------------


def test_a_reviewer_sees_values_to_review_items_to_close_and_red_ones(
    client, synthetic, bureau, clerk, reviewer
):
    value(synthetic.indicators.first(), 3, ActualState.SUBMITTED, clerk)
    answered = supervise(synthetic, bureau, TODAY + timedelta(days=9), reviewer,
                         SupervisionState.RESPONDED, "已答复待办结")  # fmt: skip
    red = supervise(synthetic, bureau, TODAY - timedelta(days=2), reviewer, text="超期未答复")
    supervise(synthetic, bureau, TODAY + timedelta(days=9), reviewer, text="蓝色的不用管")
    page = html(client, reviewer)

    review = section(page, "to-review")
    assert "<h2>待审核的数值</h2>" in review and "指标0（家） · 2026年第3季度" in review
    assert 'href="/review/?year=2026"' in review and "clerk_test 于" in review
    close = section(page, "to-close")
    assert "已答复待办结" in close and f"/plans/todo/supervisions/{answered.pk}/" in close
    reds = section(page, "red")
    assert "超期未答复" in reds and 'data-colour="red"' in reds
    assert f"/plans/todo/supervisions/{red.pk}/" in reds
    assert "蓝色的不用管" not in page
    assert nav_count(page) == 3


def test_a_reviewer_of_another_region_sees_nothing_of_this_plan(
    client, synthetic, bureau, clerk, reviewer
):
    value(synthetic.indicators.first(), 3, ActualState.SUBMITTED, clerk)
    supervise(synthetic, bureau, TODAY - timedelta(days=2), reviewer, text="超期未答复")
    luhe_reviewer = user_set_role(username="luhe_reviewer", role="reviewer", department=None,
                                  password="pw", region=bureau.region.__class__.objects.get(
                                      code="441523"))  # fmt: skip
    page = html(client, luhe_reviewer)
    assert "超期未答复" not in page and "指标0" not in page


# --- Those who only read ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "analyst"])
def test_leaders_and_analysts_get_counts_and_an_explanation(
    request, client, synthetic, bureau, clerk, reviewer, role
):
    value(synthetic.indicators.first(), 3, ActualState.SUBMITTED, clerk)
    supervise(synthetic, bureau, TODAY - timedelta(days=2), reviewer)
    supervise(synthetic, bureau, TODAY + timedelta(days=9), reviewer)
    page = html(client, request.getfixturevalue(role))
    assert "您的角色在此没有待办事项" in page
    assert "待审核的数值：1 项" in page
    assert "未办结的督办事项：2 项" in page and "其中已超期（红色）：1 项" in page
    assert '<section class="todo"' not in page
    assert nav_count(page) is None
    assert 'href="/todo/"' in page  # the link is there, without a count


def test_without_a_role_the_page_is_refused(client, outsider):
    client.force_login(outsider)
    assert client.get(TODO).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(TODO)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Query budgets ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 60])
def test_the_clerks_page_costs_the_same_at_any_size(
    client, plan, reviewer, size, django_assert_num_queries
):
    synthetic = make_synthetic_plan(size, slug=f"todo-{size}")
    bureau = Department.objects.get(region=synthetic.region, name="测试局")
    clerk = user_set_role(username="clerk_size", role="clerk", department=bureau, password="pw")
    for indicator in synthetic.indicators.all()[: size // 3]:
        supervise(synthetic, bureau, TODAY, reviewer)
        value(indicator, 2, ActualState.RETURNED, clerk)
    client.force_login(clerk)
    # session, user; role and scope (groups and profile in one); the page: 我的填报's indicators
    # (+plan), their responsibilities, their values, the department's open supervision items;
    # the navigation's plans (its 待办 count is the page's).
    with django_assert_num_queries(8):
        page = client.get(TODO).content.decode()
    assert page.count("data-item=") == nav_count(page) > size


@pytest.mark.parametrize("size", [3, 60])
def test_the_reviewers_page_costs_the_same_at_any_size(
    client, plan, reviewer, size, django_assert_num_queries
):
    synthetic = make_synthetic_plan(size, slug=f"todo-{size}")
    bureau = Department.objects.get(region=synthetic.region, name="测试局")
    clerk = user_set_role(username="clerk_size", role="clerk", department=bureau, password="pw")
    for indicator in synthetic.indicators.all()[: size // 3]:
        supervise(synthetic, bureau, TODAY - timedelta(days=1), reviewer)
        value(indicator, 2, ActualState.SUBMITTED, clerk)
    client.force_login(reviewer)
    # session, user; role and scope (one query); the page: the submitted values (+plan,
    # stage, who), the supervision items waiting for the office; the navigation's plans (its
    # 待办 count is the page's).
    with django_assert_num_queries(6):
        page = client.get(TODO).content.decode()
    assert page.count("data-item=") == nav_count(page) == 2 * (size // 3)


# --- The navigation's count ---------------------------------------------------------------


def test_every_page_shows_the_clerks_count_beside_the_link(
    client, synthetic, bureau, clerk, reviewer
):
    supervise(synthetic, bureau, TODAY + timedelta(days=2), reviewer)
    client.force_login(clerk)
    page = client.get("/reporting/").content.decode()
    assert re.search(r'<a href="/todo/" class="todo-link">待办 <span class="badge todo-count">'
                     r"8</span></a>", page)  # fmt: skip
    assert nav_count(html(client, clerk)) == 8


@pytest.mark.parametrize("size", [3, 60])
def test_the_count_costs_the_same_at_any_size(plan, reviewer, size, django_assert_num_queries):
    synthetic = make_synthetic_plan(size, slug=f"todo-{size}")
    bureau = Department.objects.get(region=synthetic.region, name="测试局")
    clerk = user_set_role(username="clerk_size", role="clerk", department=bureau, password="pw")
    for indicator in synthetic.indicators.all()[: size // 3]:
        supervise(synthetic, bureau, TODAY - timedelta(days=1), reviewer)
        value(indicator, 2, ActualState.SUBMITTED, clerk)
    for user in (clerk, reviewer):
        access.actor(user)  # the role and scope, read once per request by every page
    # A clerk: 我的填报's indicators (+plan), their responsibilities, their values; the
    # department's open supervision items.
    with django_assert_num_queries(4):
        assert todo_count(clerk, TODAY) > size
    # A reviewer: two counts, the values submitted and the items waiting for the office.
    with django_assert_num_queries(2):
        assert todo_count(reviewer, TODAY) == 2 * (size // 3)
