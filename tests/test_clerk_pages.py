"""The clerk's pages: 我的填报, the entry form and attachments, as a clerk sees them."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.domain.periods import Period
from indicators.models import Actual, Department, Indicator
from indicators.selectors import progress as progress_selectors
from indicators.services.actuals import (
    Entry,
    actual_approve,
    actual_create,
    actual_return,
    actual_update,
)
from indicators.services.users import user_set_role
from tests.conftest import PLAN_SLUG
from tests.factories import add_quarterly_actuals, make_synthetic_plan

MY = "/reporting/"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def entry_url(code, year=2026, quarter=3, slug=PLAN_SLUG):
    return f"/reporting/{slug}/{code}/{year}{f'-Q{quarter}' if quarter else ''}/"


def indicator(plan, code):
    return Indicator.objects.get(plan=plan, code=code)


def stored(plan, code, year=2026, quarter=3):
    return Actual.objects.filter(indicator__plan=plan, indicator__code=code, year=year,
                                 quarter=quarter).first()  # fmt: skip


def form(value="3", source="县统计局快报", action="draft", **extra):
    return {"value": value, "source": source, "note": "", "action": action, **extra}


def enter(user, plan, code, value="3", year=2026, quarter=3, submit=False, note=""):
    """A value stored through the services, as any route would store it."""
    return actual_create(
        user=user,
        indicator=indicator(plan, code),
        entry=Entry(year, quarter, D(value), None, "县统计局快报", note),
        submit=submit,
    )


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def admin_user(plan):
    return user_set_role(username="admin1", role="admin", department=None, password="pw-admin1")


@pytest.fixture
def kgj(client, clerk_kgj):
    client.force_login(clerk_kgj)
    return client


# --- Who may open the pages ----------------------------------------------------------------


@pytest.mark.parametrize("url", [MY, entry_url("above_scale_enterprises")])
def test_anonymous_goes_to_login(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [MY, entry_url("above_scale_enterprises")])
@pytest.mark.parametrize("who", ["reviewer", "leader", "analyst", "outsider"])
def test_other_roles_are_refused(client, request, url, who):
    assert page(client, request.getfixturevalue(who), url).status_code == 403


def test_clerk_of_the_department_and_admin_get_in(client, clerk_kgj, admin_user):
    for user in (clerk_kgj, admin_user):
        assert page(client, user, MY).status_code == 200
        assert page(client, user, entry_url("above_scale_enterprises")).status_code == 200


def test_clerk_of_another_department_cannot_enter_or_see_the_indicator(client, plan, clerk_rsj):
    assert page(client, clerk_rsj, entry_url("above_scale_enterprises")).status_code == 403
    response = client.post(entry_url("above_scale_enterprises"), form(action="submit"))
    assert response.status_code == 403
    assert stored(plan, "above_scale_enterprises") is None
    html = client.get(MY).content.decode()
    assert "从业人员（万人）" in html
    assert "规上企业数量（家）" not in html


def test_unknown_indicator_or_quarter_is_404(kgj):
    assert kgj.get(entry_url("no_such_thing")).status_code == 404
    assert kgj.get(entry_url("above_scale_enterprises", quarter=5)).status_code == 404


# --- 我的填报 ----------------------------------------------------------------------------------


def test_my_reporting_lists_the_quarter_with_deadline_and_overdue(kgj):
    html = kgj.get(MY).content.decode()
    assert "我的填报" in html
    assert "单位：县科工局" in html
    assert "2026年第3季度" in html and "本期" in html
    assert "报送截止：2026-10-15" in html
    for name in ["规上企业数量（家）", "电子商务交易额（亿元）", "自动化生产工厂/车间（个）"]:
        assert name in html
    assert "从业人员（万人）" not in html
    # Nothing entered and the deadline (2026-10-15) passed on 2026-11-24: all 逾期.
    assert html.count('data-state="overdue"') == html.count("<tr data-code")
    assert "逾期" in html
    # Earlier open quarters, and the 2025 figure standing in for a missing baseline only.
    assert "2026年第2季度" in html and "2026年第1季度" in html
    assert "2025年（全年）" in html
    baseline_section = html.split("2025年（全年）")[1]
    assert "数字化管理系统应用企业（家）" in baseline_section
    assert "规上企业数量（家）" not in baseline_section
    url = entry_url("above_scale_enterprises")
    assert f'href="{url}"' in html


def test_states_and_returned_comment(kgj, plan, clerk_kgj, reviewer):
    enter(clerk_kgj, plan, "above_scale_enterprises")  # a late draft
    enter(clerk_kgj, plan, "hundred_million_enterprises", submit=True)
    approved = enter(clerk_kgj, plan, "high_tech_enterprises", submit=True)
    actual_approve(user=reviewer, actual=approved)
    returned = enter(clerk_kgj, plan, "automated_factories", submit=True)
    actual_return(user=reviewer, actual=returned, comment="请核对统计口径")
    html = kgj.get(MY).content.decode()
    current = html.split("2026年第2季度")[0]
    assert row_state(current, "above_scale_enterprises") == "overdue"
    assert "已存草稿" in current
    assert row_state(current, "hundred_million_enterprises") == "submitted"
    assert row_state(current, "high_tech_enterprises") == "approved"
    assert row_state(current, "automated_factories") == "returned"
    for label in ["已提交", "已通过", "已退回", "退回意见：请核对统计口径"]:
        assert label in current


def row_state(html: str, code: str) -> str:
    return html.split(f'data-code="{code}" data-state="')[1].split('"')[0]


def test_before_the_deadline_missing_and_draft_are_not_overdue(kgj, plan, clerk_kgj, monkeypatch):
    monkeypatch.setattr("indicators.domain.periods.today", lambda: date(2026, 10, 10))
    enter(clerk_kgj, plan, "above_scale_enterprises")
    html = kgj.get(MY).content.decode()
    current = html.split("2026年第2季度")[0]
    assert row_state(current, "above_scale_enterprises") == "draft"
    assert row_state(current, "ecommerce_volume") == "missing"
    assert "草稿" in current and "未填报" in current


def test_earlier_periods_drop_out_once_submitted(kgj, plan, clerk_kgj):
    enter(clerk_kgj, plan, "above_scale_enterprises", quarter=2, submit=True)
    enter(clerk_kgj, plan, "ecommerce_volume", quarter=2)  # a draft: still owed
    html = kgj.get(MY).content.decode()
    q2 = html.split("2026年第2季度")[1].split("2026年第1季度")[0]
    assert 'data-code="above_scale_enterprises"' not in q2
    assert 'data-code="ecommerce_volume"' in q2


def test_admin_sees_every_reporting_department(client, admin_user):
    html = page(client, admin_user, MY).content.decode()
    assert "填报单位" in html
    for name in ["规上企业数量（家）", "从业人员（万人）", "区域品牌知名度", "县市场监管局"]:
        assert name in html
    assert "全产业链总产值（亿元）" not in html  # no department reports it yet


@pytest.mark.parametrize("size", [30, 300])
def test_my_reporting_query_budget(client, db, django_assert_max_num_queries, size):
    synthetic = make_synthetic_plan(size, slug=f"synthetic-{size}")
    clerk = user_set_role(username="clerk_test", role="clerk", password="pw",
                          department=Department.objects.get(name="测试局"))  # fmt: skip
    add_quarterly_actuals(synthetic, years=[2026], user=clerk, state="draft")
    client.force_login(clerk)
    # session, user, role (decorator), role (view), department, indicators (+plan),
    # their responsibilities (+department), the stored values, navigation: role and plans,
    # and its 待办 count (我的填报's three queries again, the open supervision items).
    with django_assert_max_num_queries(14):
        response = client.get(MY)
    assert response.status_code == 200
    assert response.content.decode().count('data-code="ind') >= size


# --- The entry form: what the number means ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "year", "quarter", "text"),
    [
        ("ecommerce_volume", 2026, 3, "1–3季度累计值（亿元）"),
        ("ecommerce_volume", 2026, 1, "1季度累计值（亿元）"),
        ("ecommerce_volume", 2025, 0, "全年累计值（亿元）"),
        ("above_scale_enterprises", 2026, 3, "季末值（家）"),
        ("above_scale_enterprises", 2025, 0, "年末值（家）"),
        ("skilled_workers_introduced", 2026, 3, "截至季末累计值（人）"),
        ("income_growth", 2026, 3, "1–3季度累计增速（%）"),
        ("safety_accidents", 2026, 2, "本季度发生数（起）"),
        ("regional_brand", 2026, 3, "已达到的阶段"),
    ],
)
def test_the_form_says_what_the_number_means(client, admin_user, code, year, quarter, text):
    html = page(client, admin_user, entry_url(code, year, quarter)).content.decode()
    assert text in html
    assert "保存草稿" in html and "提交审核" in html


def test_milestone_offers_its_stages(client, admin_user):
    html = page(client, admin_user, entry_url("regional_brand")).content.decode()
    for stage in ["未注册", "成功注册", "省内外知名"]:
        assert f'<option value="{stage}">{stage}</option>' in html


def test_the_form_shows_unit_baseline_last_value_and_next_target(kgj, plan, clerk_kgj, reviewer):
    actual_approve(user=reviewer, actual=enter(clerk_kgj, plan, "above_scale_enterprises",
                                               "4", quarter=2, submit=True))  # fmt: skip
    html = kgj.get(entry_url("above_scale_enterprises")).content.decode()
    for text in ["单位", "家", "2025年基期", "上期数值", "2026年第2季度：4", "下一目标",
                 "2028年目标：5", "报送截止", "2026-10-15"]:  # fmt: skip
        assert text in html
    missing = kgj.get(entry_url("digital_management_adopters")).content.decode()
    assert "基期值缺失" in missing
    assert "暂无" in missing  # no previous value


# --- Saving ------------------------------------------------------------------------------


def test_draft_then_submit(kgj, plan):
    url = entry_url("above_scale_enterprises")
    response = kgj.post(url, form("3", action="draft"), follow=True)
    assert response.redirect_chain[-1][0] == MY
    assert "已保存草稿：规上企业数量（家），2026年第3季度。" in response.content.decode()
    actual = stored(plan, "above_scale_enterprises")
    assert (actual.state, actual.value, actual.version) == ("draft", D(3), 1)
    assert 'value="3"' in kgj.get(url).content.decode()
    response = kgj.post(url, form("4", action="submit", version=1), follow=True)
    assert "已提交审核：规上企业数量（家），2026年第3季度。" in response.content.decode()
    actual.refresh_from_db()
    assert (actual.state, actual.value, actual.version) == ("submitted", D(4), 2)
    html = kgj.get(url).content.decode()
    assert "该数值已提交，正在等待审核" in html
    assert 'name="action"' not in html  # read-only while waiting for review
    assert reverse("indicators:actual-history", args=[actual.pk]) in html


@pytest.mark.parametrize(("quarter", "label"), [(4, "2026年第4季度"), (0, "2026年（全年）")])
def test_future_period_is_refused(kgj, plan, quarter, label):
    response = kgj.post(entry_url("above_scale_enterprises", 2026, quarter), form())
    assert response.status_code == 200
    assert f"{label}尚未结束，结束后方可填报。" in response.content.decode()
    assert not Actual.objects.filter(indicator__plan=plan).exists()


def test_year_outside_the_plan_is_refused(kgj, plan):
    response = kgj.post(entry_url("above_scale_enterprises", 2024, 3), form())
    assert "规划期为2025年至2035年。" in response.content.decode()  # 2035: targets in the text
    assert not Actual.objects.exists()


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("above_scale_enterprises", form("2.5"), "计数须为不小于0的整数。"),
        ("above_scale_enterprises", form("-1"), "计数须为不小于0的整数。"),
        ("ecommerce_volume", form("-1"), "数额不能为负数。"),
        ("ecommerce_volume", form("abc"), "请输入数字"),
        ("above_scale_enterprises", form(""), "请输入数字。"),
        ("above_scale_enterprises", form("3", source="  "), "请填写数据来源"),
    ],
)
def test_validation_messages_reach_the_page_and_nothing_is_saved(kgj, plan, code, data, message):
    response = kgj.post(entry_url(code), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored(plan, code) is None


def test_wrong_stage_is_refused(client, plan, admin_user):
    client.force_login(admin_user)
    response = client.post(
        entry_url("regional_brand"), {"stage": "家喻户晓", "source": "县市场监管局"}
    )
    assert "请选择以下阶段之一：未注册、成功注册、省内外知名。" in response.content.decode()
    assert stored(plan, "regional_brand") is None
    client.post(entry_url("regional_brand"), {"stage": "成功注册", "source": "县市场监管局"})
    assert stored(plan, "regional_brand").stage.label == "成功注册"


def test_a_running_total_cannot_fall(client, plan, clerk_rsj):
    enter(clerk_rsj, plan, "skilled_workers_introduced", "100", quarter=2)
    client.force_login(clerk_rsj)
    response = client.post(entry_url("skilled_workers_introduced"), form("50"))
    assert "累计值不能减少" in response.content.decode()
    assert stored(plan, "skilled_workers_introduced") is None


def test_a_big_change_needs_a_note(kgj, plan, clerk_kgj):
    enter(clerk_kgj, plan, "above_scale_enterprises", "4", quarter=2)
    url = entry_url("above_scale_enterprises")
    response = kgj.post(url, form("10"))
    assert "与上期相比变化超过50%，请在备注中说明原因。" in response.content.decode()
    assert stored(plan, "above_scale_enterprises") is None
    kgj.post(url, form("10", note="新增6家企业入规"))
    assert stored(plan, "above_scale_enterprises").value == D(10)


def test_correcting_an_approved_value_needs_a_reason_and_keeps_it_in_force(
    kgj, plan, clerk_kgj, reviewer
):
    actual = actual_approve(
        user=reviewer, actual=enter(clerk_kgj, plan, "above_scale_enterprises", submit=True)
    )
    url = entry_url("above_scale_enterprises")
    html = kgj.get(url).content.decode()
    assert "修改理由" in html and "生效数值" in html
    response = kgj.post(url, form("4", action="submit", version=actual.version))
    assert "修改已审核通过的数值须填写修改理由。" in response.content.decode()
    actual.refresh_from_db()
    assert (actual.state, actual.value) == ("approved", D(3))
    kgj.post(url, form("4", action="submit", version=actual.version, reason="统计局更正"))
    actual.refresh_from_db()
    assert (actual.state, actual.value, actual.approved_value) == ("submitted", D(4), D(3))
    rows = progress_selectors.progress_rows(plan=plan, period=Period.of(2026, 3))
    row = next(r for r in rows if r.indicator.code == "above_scale_enterprises")
    assert row.progress.value == D(3)  # the approved figure stays in force


def test_stale_version_names_who_changed_the_value(kgj, plan, clerk_kgj):
    other = user_set_role(username="clerk_kgj2", role="clerk", password="pw",
                          department=Department.objects.get(name="县科工局"))  # fmt: skip
    actual = enter(clerk_kgj, plan, "above_scale_enterprises")
    actual_update(user=other, actual=actual,
                  entry=Entry(2026, 3, D(5), None, "台账"), version=1)  # fmt: skip
    response = kgj.post(entry_url("above_scale_enterprises"), form("4", version=1))
    html = response.content.decode()
    assert "clerk_kgj2" in html and "修改了该数值" in html
    actual.refresh_from_db()
    assert (actual.value, actual.version) == (D(5), 2)


def test_a_form_opened_before_the_value_existed_is_stale(kgj, plan, clerk_kgj):
    enter(clerk_kgj, plan, "above_scale_enterprises", "5")
    response = kgj.post(entry_url("above_scale_enterprises"), form("4"))  # no version
    assert "clerk_kgj" in response.content.decode()
    assert stored(plan, "above_scale_enterprises").value == D(5)


def test_returned_value_shows_the_comment(kgj, plan, clerk_kgj, reviewer):
    actual = enter(clerk_kgj, plan, "above_scale_enterprises", submit=True)
    actual_return(user=reviewer, actual=actual, comment="请附统计局快报截图")
    html = kgj.get(entry_url("above_scale_enterprises")).content.decode()
    assert "审核员已退回" in html and "请附统计局快报截图" in html
    assert 'name="action"' in html  # it can be corrected and submitted again


# --- Attachments --------------------------------------------------------------------------


def upload(content: bytes, name="报告.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a PDF", "附件须为 PDF 文件或图片"),
        (PDF + b"0" * (5 * 1024 * 1024), "附件超过 5 MB"),
    ],
)
def test_attachment_type_and_size_are_checked(kgj, plan, content, message):
    data = form(attachment=upload(content))
    response = kgj.post(entry_url("above_scale_enterprises"), data)
    assert message in response.content.decode()
    assert stored(plan, "above_scale_enterprises") is None


@pytest.mark.parametrize(("content", "name"), [(PDF, "快报.pdf"), (PNG, "截图.png")])
def test_attachment_upload_and_download(kgj, plan, content, name):
    kgj.post(entry_url("above_scale_enterprises"), form(attachment=upload(content, name)))
    actual = stored(plan, "above_scale_enterprises")
    assert actual.attachment
    response = kgj.get(reverse("indicators:attachment", args=[actual.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == content
    assert (
        reverse("indicators:attachment", args=[actual.pk])
        in kgj.get(entry_url("above_scale_enterprises")).content.decode()
    )


@pytest.fixture
def draft_with_attachment(kgj, plan):
    kgj.post(entry_url("above_scale_enterprises"), form(attachment=upload(PDF)))
    return stored(plan, "above_scale_enterprises")


@pytest.mark.parametrize(
    ("who", "status"),
    [("clerk_kgj", 200), ("reviewer", 200), ("clerk_rsj", 404), ("leader", 404),
     ("analyst", 404), ("outsider", 403)],
)  # fmt: skip
def test_attachment_of_a_draft_is_for_its_department_and_reviewers(
    client, request, draft_with_attachment, who, status
):
    url = reverse("indicators:attachment", args=[draft_with_attachment.pk])
    assert page(client, request.getfixturevalue(who), url).status_code == status


def test_attachment_of_a_submission_is_visible_to_leaders(client, plan, leader, clerk_kgj, kgj):
    kgj.post(entry_url("above_scale_enterprises"), form(action="submit", attachment=upload(PDF)))
    url = reverse("indicators:attachment", args=[stored(plan, "above_scale_enterprises").pk])
    assert page(client, leader, url).status_code == 200


def test_attachment_anonymous_and_missing(client, plan, clerk_kgj, draft_with_attachment):
    url = reverse("indicators:attachment", args=[draft_with_attachment.pk])
    client.logout()
    assert client.get(url).status_code == 302
    bare = enter(clerk_kgj, plan, "ecommerce_volume")
    client.force_login(clerk_kgj)
    assert client.get(reverse("indicators:attachment", args=[bare.pk])).status_code == 404
    assert client.get(reverse("indicators:attachment", args=[99999])).status_code == 404
