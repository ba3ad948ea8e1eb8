"""The reviewer's pages: the queue, decisions on it, reporting completeness, a value's history.

Values are created with the reporting services, as the clerks' pages would; the tests then
look at what each user sees and at the database after each request.
"""

import re
from datetime import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from indicators.domain.periods import Period
from indicators.domain.warnings import Explanation
from indicators.models import Actual, Department, Indicator
from indicators.selectors import progress as progress_selectors
from indicators.services.actuals import (
    Entry,
    actual_approve,
    actual_create,
    actual_return,
    actual_submit,
    actual_update,
)
from indicators.services.users import user_set_role
from tests.conftest import PLAN_SLUG

QUEUE = reverse("indicators:review-queue")
DECIDE = reverse("indicators:review-decide")
COMPLETENESS = reverse("indicators:completeness", args=[PLAN_SLUG])
SHANGHAI = ZoneInfo("Asia/Shanghai")

# The 7 indicators 县科工局 reports, in plan order, and the 3 of 县人社局.
KGJ = ["ecommerce_volume", "above_scale_enterprises", "hundred_million_enterprises",
       "wholesale_retail_enterprises", "high_tech_enterprises", "digital_management_adopters",
       "automated_factories"]  # fmt: skip
RSJ = ["employment", "skilled_workers_introduced", "net_inflow"]


def history_url(actual) -> str:
    return reverse("indicators:actual-history", args=[actual.pk])


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(plan__slug=PLAN_SLUG, code=code)


LAGGING = Explanation("企业升规进度慢于预期", "逐户培育升规", "at_risk")


def report(clerk, code, value="3", year=2026, quarter=3, submit=True, **kw) -> Actual:
    """A value entered (and by default submitted) through the service; a submitted one with
    a 滞后说明, which these arbitrary figures need where they lag (domain.md §11)."""
    kw.setdefault("explanation", LAGGING if submit else None)
    entry = Entry(year=year, quarter=quarter, value=D(value), source="县统计局快报", **kw)
    return actual_create(user=clerk, indicator=indicator(code), entry=entry, submit=submit)


def approved(clerk, reviewer, code, **kw) -> Actual:
    return actual_approve(user=reviewer, actual=report(clerk, code, **kw))


def correct(clerk, actual, value, reason="统计局更正", submit=True) -> Actual:
    entry = Entry(year=actual.year, quarter=actual.quarter, value=D(value), source="县统计局年报")
    return actual_update(
        user=clerk, actual=actual, entry=entry, version=actual.version, reason=reason,
        submit=submit,
    )  # fmt: skip


def decide(client, actuals, action="approve", comment="", versions=None, **filters):
    """POST a decision on `actuals`, with the versions the page showed (or `versions`)."""
    data = {"ids": [a.pk for a in actuals], "action": action, "comment": comment, **filters}
    for actual in actuals:
        data[f"version-{actual.pk}"] = (versions or {}).get(actual.pk, actual.version)
    return client.post(DECIDE, data)


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def queue_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-id="(\d+)"', html)]


def cell(html: str, quarter: int, department: str, column: str) -> int:
    """One number of the completeness table."""
    row = re.search(
        rf'<tr[^>]*data-period="2026-Q{quarter}" data-department="{department}">(.*?)</tr>',
        html,
        re.S,
    )
    assert row, (quarter, department)
    return int(re.search(rf'data-col="{column}">(\d+)<', row.group(1)).group(1))


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def admin_user(plan):
    return user_set_role(username="admin1", role="admin", department=None, password="pw-admin1")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


# ---------------------------------------------------------------------------------------------
# Who may do what

ROLES = ["clerk_kgj", "clerk_rsj", "reviewer", "leader", "analyst", "outsider", "admin_user"]


def as_user(request, client, who):
    """Log `client` in as the fixture named `who` ('anonymous': not at all)."""
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [("clerk_kgj", 403), ("clerk_rsj", 403), ("reviewer", 200), ("leader", 403),
     ("analyst", 403), ("outsider", 403), ("admin_user", 200)],
)  # fmt: skip
def test_queue_is_for_reviewers(request, client, plan, who, status):
    assert as_user(request, client, who).get(QUEUE).status_code == status


@pytest.mark.parametrize("who", ["clerk_kgj", "clerk_rsj", "leader", "analyst", "outsider"])
def test_only_reviewers_may_decide(request, client, clerk_kgj, who):
    actual = report(clerk_kgj, "above_scale_enterprises")
    response = decide(as_user(request, client, who), [actual])
    assert response.status_code == 403
    actual.refresh_from_db()
    assert actual.state == "submitted"


@pytest.mark.parametrize("who", ["reviewer", "admin_user"])
def test_reviewer_and_admin_may_decide(request, client, clerk_kgj, who):
    actual = report(clerk_kgj, "above_scale_enterprises")
    response = decide(as_user(request, client, who), [actual])
    assert response.status_code == 302
    actual.refresh_from_db()
    assert actual.state == "approved"


@pytest.mark.parametrize("url", [QUEUE, DECIDE, COMPLETENESS])
def test_anonymous_goes_to_login(client, plan, url):
    response = client.post(url) if url == DECIDE else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_decide_takes_only_posts(reviewer_client):
    assert reviewer_client.get(DECIDE).status_code == 405


@pytest.mark.parametrize(
    ("who", "status"),
    [("clerk_kgj", 200), ("clerk_rsj", 200), ("reviewer", 200), ("leader", 200),
     ("analyst", 200), ("outsider", 403), ("admin_user", 200)],
)  # fmt: skip
def test_completeness_is_for_every_role(request, client, plan, who, status):
    assert as_user(request, client, who).get(COMPLETENESS).status_code == status


@pytest.mark.parametrize(
    ("who", "approved_status", "draft_status"),
    [("clerk_kgj", 200, 200), ("clerk_rsj", 200, 404), ("reviewer", 200, 200),
     ("leader", 200, 404), ("analyst", 200, 404), ("outsider", 403, 403),
     ("admin_user", 200, 200)],
)  # fmt: skip
def test_history_is_for_those_who_may_see_the_value(
    request, client, clerk_kgj, reviewer, who, approved_status, draft_status
):
    figure = approved(clerk_kgj, reviewer, "above_scale_enterprises")
    draft = report(clerk_kgj, "hundred_million_enterprises", submit=False)
    client = as_user(request, client, who)
    assert client.get(history_url(figure)).status_code == approved_status
    assert client.get(history_url(draft)).status_code == draft_status


def test_history_of_anonymous_goes_to_login(client, clerk_kgj):
    actual = report(clerk_kgj, "above_scale_enterprises")
    response = client.get(history_url(actual))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_history_of_a_value_that_does_not_exist_is_404(reviewer_client):
    assert (
        reviewer_client.get(reverse("indicators:actual-history", args=[999999])).status_code == 404
    )


# ---------------------------------------------------------------------------------------------
# The queue


def test_queue_shows_what_a_reviewer_needs(
    reviewer_client, clerk_kgj, clerk_rsj, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("快报.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    entry = Entry(2026, 3, D("3"), None, "县统计局快报", "新增两家")
    enterprises = actual_create(
        user=clerk_kgj, indicator=indicator("above_scale_enterprises"), entry=entry,
        attachment=scan, submit=True,
    )  # fmt: skip
    employment = report(clerk_rsj, "employment", value="2.1")
    draft = report(clerk_kgj, "automated_factories", submit=False)

    html = page(reviewer_client, QUEUE)
    assert queue_ids(html) == [enterprises.pk, employment.pk]  # oldest submission first
    assert draft.pk not in queue_ids(html)
    assert "2 项数值待审核" in html
    seen = ["规上企业数量（家）", "县科工局", "2026年第3季度", "3家", "县统计局快报", "新增两家"]
    # Stored under a random name, an attachment is shown as 附件 and its extension.
    seen += ["附件.pdf", "clerk_kgj", "从业人员（万人）", "县人社局", "2.1万人", "clerk_rsj"]
    for text in seen:
        assert text in html, text
    assert reverse("indicators:attachment", args=[enterprises.pk]) in html
    assert history_url(enterprises) in html
    submitted_at = timezone.localtime(enterprises.submitted_at, SHANGHAI).strftime("%Y-%m-%d %H:%M")
    assert submitted_at in html
    assert "现行数值" not in html


def test_queue_shows_the_figure_in_force_beside_a_correction(reviewer_client, clerk_kgj, reviewer):
    first = approved(clerk_kgj, reviewer, "above_scale_enterprises")
    correct(clerk_kgj, first, "4", reason="统计局更正了口径")
    # A correction saved as a draft and submitted later still shows the reason it was given.
    second = approved(clerk_kgj, reviewer, "automated_factories", value="1")
    second = correct(clerk_kgj, second, "2", reason="漏报一个工厂", submit=False)
    actual_submit(user=clerk_kgj, actual=second)

    html = page(reviewer_client, QUEUE)
    assert html.count('class="correction"') == 2
    assert "4家" in html and "现行数值：3家" in html and "更正理由：统计局更正了口径" in html
    assert "2个" in html and "现行数值：1个" in html and "更正理由：漏报一个工厂" in html


def test_empty_queue_says_so(reviewer_client):
    assert "暂无待审核的数值" in page(reviewer_client, QUEUE)


# ---------------------------------------------------------------------------------------------
# Filters


@pytest.fixture
def spread(clerk_kgj, clerk_rsj):
    """Submitted values of two departments in several periods, by name."""
    return {
        "kgj_2026q3": report(clerk_kgj, "above_scale_enterprises"),
        "kgj_2025q2": report(clerk_kgj, "above_scale_enterprises", year=2025, quarter=2),
        "kgj_2025": report(clerk_kgj, "ecommerce_volume", value="8", year=2025, quarter=None),
        "rsj_2026q3": report(clerk_rsj, "employment", value="2.1"),
    }


def test_filter_by_department(reviewer_client, spread):
    kgj = Department.objects.get(name="县科工局")
    rsj = Department.objects.get(name="县人社局")
    html = page(reviewer_client, QUEUE, department=kgj.pk)
    assert set(queue_ids(html)) == {spread[k].pk for k in ("kgj_2026q3", "kgj_2025q2", "kgj_2025")}
    assert f'<option value="{kgj.pk}" selected>县科工局</option>' in html
    # the decision form carries the filter, to come back to the same view of the queue
    assert f'<input type="hidden" name="department" value="{kgj.pk}">' in html
    assert queue_ids(page(reviewer_client, QUEUE, department=rsj.pk)) == [spread["rsj_2026q3"].pk]


def test_filter_by_period(reviewer_client, spread):
    ids = queue_ids(page(reviewer_client, QUEUE, year=2026, quarter=3))
    assert set(ids) == {spread["kgj_2026q3"].pk, spread["rsj_2026q3"].pk}
    ids = queue_ids(page(reviewer_client, QUEUE, year=2025))  # the whole year: every period of it
    assert set(ids) == {spread["kgj_2025q2"].pk, spread["kgj_2025"].pk}
    ids = queue_ids(page(reviewer_client, QUEUE, year=2025, quarter=0))  # the whole-year figure
    assert ids == [spread["kgj_2025"].pk]
    ids = queue_ids(page(reviewer_client, QUEUE, quarter=2))
    assert ids == [spread["kgj_2025q2"].pk]


@pytest.mark.parametrize(
    ("params", "message"),
    [({"department": "abc"}, "没有这个填报单位"), ({"department": "99999"}, "没有这个填报单位"),
     ({"year": "1999"}, "该年份不在规划期内"), ({"year": "2026; drop"}, "该年份不在规划期内"),
     ({"quarter": "7"}, "请选择第1至4季度或全年数")],
)  # fmt: skip
def test_bad_filter_says_so_in_chinese(reviewer_client, spread, params, message):
    response = reviewer_client.get(QUEUE, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert len(queue_ids(html)) == 4  # the bad filter is dropped, not applied


def test_unknown_parameters_never_reach_the_query(reviewer_client, spread):
    html = page(reviewer_client, QUEUE, indicator__code="employment", state="draft")
    assert len(queue_ids(html)) == 4


def test_decision_leads_back_to_the_filtered_queue(reviewer_client, spread):
    kgj = Department.objects.get(name="县科工局")
    response = decide(reviewer_client, [spread["kgj_2026q3"]], department=kgj.pk, year=2026)
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?department={kgj.pk}&year=2026"


# ---------------------------------------------------------------------------------------------
# Decisions


def test_approve_one(reviewer_client, reviewer, clerk_kgj):
    actual = report(clerk_kgj, "above_scale_enterprises")
    response = decide(reviewer_client, [actual])
    html = reviewer_client.get(response["Location"]).content.decode()
    assert "已通过 1 项数值。" in html
    actual.refresh_from_db()
    assert (actual.state, actual.approved_value, actual.approved_by) == ("approved", D(3), reviewer)
    assert actual.pk not in queue_ids(html)


def test_return_one_with_a_comment(reviewer_client, clerk_kgj):
    actual = report(clerk_kgj, "above_scale_enterprises")
    response = decide(reviewer_client, [actual], action="return", comment="请附统计局快报")
    html = reviewer_client.get(response["Location"]).content.decode()
    assert "已退回 1 项数值。" in html
    actual.refresh_from_db()
    assert (actual.state, actual.review_comment) == ("returned", "请附统计局快报")


def test_return_without_a_comment_changes_nothing(reviewer_client, clerk_kgj):
    actual = report(clerk_kgj, "above_scale_enterprises")
    response = decide(reviewer_client, [actual], action="return", comment="   ")
    html = reviewer_client.get(response["Location"]).content.decode()
    assert "退回须填写审核意见" in html
    actual.refresh_from_db()
    assert (actual.state, actual.version) == ("submitted", 1)


def test_nothing_ticked_says_so(reviewer_client, clerk_kgj):
    response = decide(reviewer_client, [])
    assert "请至少勾选一项数值" in reviewer_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "data",
    [{"ids": ["1"], "action": "delete"}, {"ids": ["x"], "action": "approve", "version-x": "1"},
     {"ids": ["1"], "action": "approve"}],
)  # fmt: skip
def test_a_damaged_form_changes_nothing(reviewer_client, clerk_kgj, data):
    actual = report(clerk_kgj, "above_scale_enterprises")
    data = {k: [str(actual.pk)] if v == ["1"] else v for k, v in data.items()}
    response = reviewer_client.post(DECIDE, data)
    assert response.status_code == 302
    html = reviewer_client.get(response["Location"]).content.decode()
    assert "请选择通过还是退回" in html or "页面已过期" in html
    actual.refresh_from_db()
    assert actual.state == "submitted"


def test_bulk_approve(reviewer_client, clerk_kgj, clerk_rsj):
    actuals = [
        report(clerk_kgj, "above_scale_enterprises"),
        report(clerk_kgj, "automated_factories", value="1"),
        report(clerk_rsj, "employment", value="2.1"),
    ]
    response = decide(reviewer_client, actuals)
    assert "已通过 3 项数值。" in reviewer_client.get(response["Location"]).content.decode()
    states = Actual.objects.filter(pk__in=[a.pk for a in actuals]).values_list("state", flat=True)
    assert list(states) == ["approved"] * 3


def test_bulk_return(reviewer_client, clerk_kgj, clerk_rsj):
    actuals = [report(clerk_kgj, "above_scale_enterprises"), report(clerk_rsj, "employment")]
    decide(reviewer_client, actuals, action="return", comment="来源不清")
    rows = Actual.objects.filter(pk__in=[a.pk for a in actuals])
    assert set(rows.values_list("state", "review_comment")) == {("returned", "来源不清")}


def test_bulk_with_one_stale_value_changes_nothing(reviewer_client, clerk_kgj, reviewer):
    """The reviewer loads the queue; meanwhile a colleague returns one value and its clerk
    submits it again. Deciding on the page as loaded must change nothing at all."""
    first = report(clerk_kgj, "above_scale_enterprises")
    second = report(clerk_kgj, "automated_factories", value="1")
    on_the_page = {first.pk: first.version, second.pk: second.version}
    actual_return(user=reviewer, actual=second, comment="请核实")
    actual_submit(user=clerk_kgj, actual=second)

    response = decide(reviewer_client, [first, second], versions=on_the_page)
    html = reviewer_client.get(response["Location"]).content.decode()
    # which value, and why: the service's message names who changed it
    assert "未作任何更改。自动化生产工厂/车间（个） 2026年第3季度：" in html
    assert "clerk_kgj 于" in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.version, first.approved_value) == ("submitted", 1, None)
    assert (second.state, second.version, second.approved_value) == ("submitted", 3, None)


def test_a_value_no_longer_waiting_is_refused(reviewer_client, clerk_kgj, reviewer):
    actual = approved(clerk_kgj, reviewer, "above_scale_enterprises")
    response = decide(reviewer_client, [actual])
    assert "未作任何更改。" in reviewer_client.get(response["Location"]).content.decode()
    actual.refresh_from_db()
    assert actual.version == 2


def test_approved_value_stays_in_force_during_a_correction(reviewer_client, clerk_kgj, reviewer):
    def shown() -> D:
        rows = progress_selectors.progress_rows(
            plan=actual.indicator.plan, period=Period.of(2026, 3)
        )
        return next(r.progress.value for r in rows if r.indicator.code == "above_scale_enterprises")

    actual = approved(clerk_kgj, reviewer, "above_scale_enterprises", value="3")
    assert shown() == D(3)
    actual = correct(clerk_kgj, actual, "4")
    assert shown() == D(3)  # the correction waits for review: the approved figure stands
    decide(reviewer_client, [actual], action="return", comment="请附更正文件")
    assert shown() == D(3)
    actual.refresh_from_db()
    actual = correct(clerk_kgj, actual, "4", reason="附更正文件")
    decide(reviewer_client, [actual])
    assert shown() == D(4)


# ---------------------------------------------------------------------------------------------
# Completeness


def first_submitted(actual, when):
    Actual.objects.filter(pk=actual.pk).update(first_submitted_at=when)


def test_completeness_counts_on_time_late_and_missing(client, leader, clerk_kgj, reviewer):
    on_deadline_day = approved(clerk_kgj, reviewer, "above_scale_enterprises")
    first_submitted(on_deadline_day, local(2026, 10, 15, 23, 59))  # the deadline day: on time
    late = report(clerk_kgj, "automated_factories", value="1")
    first_submitted(late, local(2026, 10, 16, 0, 1))  # a minute into the next day: late
    early = report(clerk_kgj, "high_tech_enterprises", value="1")
    first_submitted(early, local(2026, 10, 2, 9, 0))
    report(clerk_kgj, "hundred_million_enterprises", submit=False)  # a draft: still missing
    q2 = report(clerk_kgj, "above_scale_enterprises", quarter=2)
    first_submitted(q2, local(2026, 7, 20, 10, 0))

    client.force_login(leader)
    html = page(client, COMPLETENESS)
    assert "2026年第3季度" in html and "2026-10-15" in html
    assert [cell(html, 3, "县科工局", c) for c in ("owed", "on_time", "late", "missing")] == [
        7, 2, 1, 4
    ]  # fmt: skip
    assert [cell(html, 3, "县人社局", c) for c in ("owed", "on_time", "late", "missing")] == [
        3, 0, 0, 3
    ]  # fmt: skip
    assert cell(html, 2, "县科工局", "late") == 1
    assert cell(html, 1, "县科工局", "missing") == 7
    # every department that reports something, and a total per quarter
    for name in ["县科工局", "县投促中心", "县市场监管局", "县人社局", "县政府（金融）"]:
        assert f'data-period="2026-Q3" data-department="{name}"' in html
    assert cell(html, 3, "", "owed") == 7 + 1 + 2 + 3 + 1
    assert cell(html, 3, "", "on_time") == 2
    assert 'data-period="2026-Q4"' not in html  # 2026 Q4 has not ended
    for header in ["应报数", "按时报送", "逾期报送", "未报送", "截止日期"]:
        assert header in html


def test_a_correction_counts_when_first_submitted(client, leader, clerk_kgj, reviewer):
    actual = approved(clerk_kgj, reviewer, "above_scale_enterprises")
    first_submitted(actual, local(2026, 10, 10, 9, 0))
    actual.refresh_from_db()
    correct(clerk_kgj, actual, "4")  # a correction in November does not make it late
    client.force_login(leader)
    html = page(client, COMPLETENESS)
    assert (cell(html, 3, "县科工局", "on_time"), cell(html, 3, "县科工局", "late")) == (1, 0)


def test_completeness_starts_the_year_after_the_baseline(client, analyst, clerk_kgj):
    # The plan's printed baseline sums up 2025: quarterly values are owed from 2026 Q1 on.
    late = report(clerk_kgj, "above_scale_enterprises", year=2026, quarter=1)
    first_submitted(late, local(2026, 5, 1, 9, 0))
    client.force_login(analyst)
    html = page(client, COMPLETENESS, year=2026)
    assert "2026年第1季度" in html and "2026-04-15" in html
    assert cell(html, 1, "县科工局", "late") == 1
    assert '<option value="2025"' not in html
    assert client.get(COMPLETENESS, {"year": 2025}).status_code == 400


def test_completeness_bad_year_says_so(client, analyst):
    client.force_login(analyst)
    for year in ["2031", "abc", "2024"]:
        response = client.get(COMPLETENESS, {"year": year})
        assert response.status_code == 400
        html = response.content.decode()
        assert "请选择规划基期年份至今年之间的年份" in html
        assert "2026年第3季度" in html  # the current year instead


def test_completeness_of_an_unknown_plan_is_404(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("indicators:completeness", args=["nope"])).status_code == 404


# ---------------------------------------------------------------------------------------------
# History


def test_history_lists_every_step(client, clerk_kgj, reviewer):
    actual = report(clerk_kgj, "above_scale_enterprises", value="3")
    actual = actual_return(user=reviewer, actual=actual, comment="来源不清")
    actual = correct(clerk_kgj, actual, "4", reason="")
    actual = actual_approve(user=reviewer, actual=actual)
    actual = correct(clerk_kgj, actual, "5", reason="统计局更正")

    client.force_login(reviewer)
    html = page(client, history_url(actual))
    assert "规上企业数量（家）" in html and "2026年第3季度" in html
    assert "已提交" in html  # the current state
    assert re.search(r'class="in-force">4家', html)  # the figure in force, not the correction
    assert re.search(r'class="working">5家', html)
    steps = re.findall(r'<tr data-version="(\d+)">(.*?)</tr>', html, re.S)
    assert [int(v) for v, _row in steps] == [1, 2, 3, 4, 5]
    rows = [row for _v, row in steps]
    assert "clerk_kgj" in rows[0] and "3" in rows[0]
    # returned: who, the state old → new, the comment as the reason
    assert 'class="who">reviewer<' in rows[1]
    assert re.search(r"状态</span>：<del>已提交</del> → <ins>已退回</ins>", rows[1])
    assert "审核意见" in rows[1] and 'class="why">来源不清<' in rows[1]
    assert re.search(r"数值</span>：<del>3</del> → <ins>4</ins>", rows[2])
    assert re.search(r"生效数值</span>：<del>—</del> → <ins>4</ins>", rows[3])
    assert re.search(r"数值</span>：<del>4</del> → <ins>5</ins>", rows[4])
    assert 'class="why">统计局更正<' in rows[4]
    assert re.search(r"数据来源</span>：<del>县统计局快报</del> → <ins>县统计局年报</ins>", rows[2])
    # times in the county's time zone
    first = actual.history.earliest("history_date").history_date
    assert timezone.localtime(first, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") in rows[0]
    assert reverse("indicators:review-queue") in html  # the way back


def test_history_of_an_approved_value_for_a_leader(client, leader, clerk_kgj, reviewer):
    actual = approved(clerk_kgj, reviewer, "above_scale_enterprises")
    client.force_login(leader)
    html = page(client, history_url(actual))
    assert "3家" in html and "reviewer" in html
    assert COMPLETENESS in html


def test_clerk_of_another_department_cannot_see_a_draft(client, clerk_kgj, clerk_rsj):
    draft = report(clerk_kgj, "above_scale_enterprises", submit=False)
    client.force_login(clerk_rsj)
    assert client.get(history_url(draft)).status_code == 404
    client.force_login(clerk_kgj)
    html = page(client, history_url(draft))
    assert "草稿" in html and "暂无：本期尚无审核通过的数值" in html


# ---------------------------------------------------------------------------------------------
# Query budgets

# The queue: session, user, the user's groups (role check); queue choices: indicators, their
# responsibilities, plans; the user's groups (visibility), the values, the corrections'
# history; the navigation's role and plans, and its 待办 count (values submitted, supervision
# items waiting for the office). Constant in the number of values.
QUEUE_QUERIES = 13


def _fill_queue(clerk_kgj, clerk_rsj, reviewer, size: int) -> None:
    """`size` submitted values across two departments and periods, a third of them
    corrections of approved values."""
    slots = [(c, code, y, q) for y, q in [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1),
             (2026, 2), (2026, 3)] for c, codes in [(clerk_kgj, KGJ[1:]), (clerk_rsj, RSJ[:1])]
             for code in codes]  # fmt: skip
    for n, (clerk, code, year, quarter) in enumerate(slots[:size]):
        if n % 3 == 0:
            actual = approved(clerk, reviewer, code, year=year, quarter=quarter)
            correct(clerk, actual, "3", reason=f"更正{n}")
        else:
            report(clerk, code, year=year, quarter=quarter)


@pytest.mark.parametrize("size", [2, 30])
def test_queue_query_budget(
    reviewer_client, clerk_kgj, clerk_rsj, reviewer, django_assert_max_num_queries, size
):
    _fill_queue(clerk_kgj, clerk_rsj, reviewer, size)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        html = page(reviewer_client, QUEUE)
    assert len(queue_ids(html)) == size


# Completeness: session, user, groups (role check); the plan; the plan's indicators, their
# responsibilities, the year's submitted values; the navigation's plans and role.
COMPLETENESS_QUERIES = 9


@pytest.mark.parametrize("size", [1, 30])
def test_completeness_query_budget(
    client, leader, clerk_kgj, clerk_rsj, reviewer, django_assert_max_num_queries, size
):
    _fill_queue(clerk_kgj, clerk_rsj, reviewer, size)
    client.force_login(leader)
    with django_assert_max_num_queries(COMPLETENESS_QUERIES):
        html = page(client, COMPLETENESS)
    assert cell(html, 3, "县科工局", "owed") == 7
