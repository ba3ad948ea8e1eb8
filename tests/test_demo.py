"""The demo data: seed_demo loads approved, demo-marked values that give every status at 2026 Q3;
remove_demo deletes them and nothing else."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators import access
from indicators.domain import progress
from indicators.domain.periods import Period
from indicators.domain.warnings import Explanation
from indicators.models import Actual, Indicator, Responsibility, Stage, Target
from indicators.selectors import history as history_selectors
from indicators.selectors import progress as progress_selectors
from indicators.services.actuals import Entry, actual_approve, actual_create, actual_update
from indicators.services.demo import DEMO_ENTRY, DEMO_REVIEW, DEMO_ROWS, DEMO_SOURCE

# Every status that can occur at 2026 Q3; `overdue` cannot before 2029 (services/demo.py).
STATUSES_AT_2026_Q3 = {
    progress.ACHIEVED_FINAL,
    progress.ACHIEVED_MILESTONE,
    progress.AHEAD,
    progress.ON_TRACK,
    progress.BEHIND,
    progress.FAR_BEHIND,
    progress.REGRESSING,
    progress.FAILED,
    progress.IN_PROGRESS,
    progress.NO_DATA,
}


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def plan_snapshot(plan):
    """Everything the plan file loaded, as plain values."""
    return [
        list(Indicator.objects.filter(plan=plan).order_by("pk").values()),
        list(Target.objects.filter(indicator__plan=plan).order_by("pk").values()),
        list(Stage.objects.filter(indicator__plan=plan).order_by("pk").values()),
        list(Responsibility.objects.filter(indicator__plan=plan).order_by("pk").values()),
    ]


def real_value(clerk, reviewer, plan, year=2025, quarter=4):
    """规上企业数量 (reported by 县科工局), entered and approved through the services."""
    indicator = Indicator.objects.get(plan=plan, code="above_scale_enterprises")
    # 0 enterprises lags at 2026 Q3 (far_behind): a 滞后说明 is needed there (domain.md §11).
    why = Explanation("尚无企业达到规上标准", "逐户培育升规", "at_risk")
    entry = Entry(year=year, quarter=quarter, value=D(0), source="县统计局快报", explanation=why)
    actual = actual_create(user=clerk, indicator=indicator, entry=entry, submit=True)
    return actual_approve(user=reviewer, actual=actual)


def test_seed_enters_approved_demo_values_with_history(plan):
    out = run("seed_demo")
    assert f"已录入并审核通过演示数据 {len(DEMO_ROWS)} 项" in out
    actuals = Actual.objects.select_related("created_by", "approved_by")
    assert actuals.count() == len(DEMO_ROWS)
    for actual in actuals:
        assert actual.state == "approved"
        assert actual.source == actual.approved_source == DEMO_SOURCE
        assert (actual.created_by.username, actual.approved_by.username) == (
            DEMO_ENTRY,
            DEMO_REVIEW,
        )
        # entered (and submitted), then approved: two recorded steps
        assert [step.reason for step in history_selectors.actual_history(actual)] == [
            "填报",
            "已通过",
        ]


def test_seed_covers_every_status_possible_at_2026_q3(plan):
    run("seed_demo")
    rows = progress_selectors.progress_rows(plan=plan, period=Period.of(2026, 3))
    assert {row.progress.status for row in rows} == STATUSES_AT_2026_Q3
    flags = {flag for row in rows for flag in row.progress.flags}
    assert {progress.CHECK_DATA, progress.BASELINE_MISSING} <= flags
    by_code = {row.indicator.code: row.progress.status for row in rows}
    assert by_code["safety_accidents"] == progress.FAILED
    assert by_code["regional_brand"] == progress.IN_PROGRESS


def test_demo_users_cannot_log_in(plan):
    run("seed_demo")
    users = get_user_model().objects.filter(username__in=[DEMO_ENTRY, DEMO_REVIEW])
    roles = {user.username: access.user_role(user) for user in users}
    assert roles == {DEMO_ENTRY: "admin", DEMO_REVIEW: "reviewer"}
    assert not any(user.has_usable_password() for user in users)


def test_seeding_twice_changes_nothing(plan):
    run("seed_demo")
    before = list(Actual.objects.order_by("pk").values())
    history = Actual.history.count()
    out = run("seed_demo")
    assert f"已录入并审核通过演示数据 0 项；已有数值、未改动 {len(DEMO_ROWS)} 项" in out
    assert list(Actual.objects.order_by("pk").values()) == before
    assert Actual.history.count() == history


def test_seed_leaves_a_period_with_a_real_value_alone(plan, clerk_kgj, reviewer):
    real = real_value(clerk_kgj, reviewer, plan, year=2026, quarter=3)
    run("seed_demo")
    real.refresh_from_db()
    assert (real.approved_value, real.source, real.version) == (D(0), "县统计局快报", 2)
    assert Actual.objects.count() == len(DEMO_ROWS)  # the demo's 2026 Q3 row was skipped


def test_seed_skips_periods_that_have_not_ended(plan, monkeypatch):
    monkeypatch.setattr("indicators.domain.periods.today", lambda: date(2026, 8, 1))
    out = run("seed_demo")
    not_ended = sum(row.period == "2026-Q3" for row in DEMO_ROWS)
    assert f"报告期尚未结束、未录入的演示数据：{not_ended} 项" in out
    assert not Actual.objects.filter(year=2026, quarter=3).exists()


def test_remove_deletes_every_demo_value_and_keeps_the_real_one(plan, clerk_kgj, reviewer):
    run("seed_demo")
    real = real_value(clerk_kgj, reviewer, plan)  # the same indicator as demo values
    snapshot = plan_snapshot(plan)
    out = run("remove_demo")
    assert f"已移除演示数据 {len(DEMO_ROWS)} 项" in out
    assert list(Actual.objects.all()) == [real]
    real.refresh_from_db()
    assert (real.approved_value, real.source, real.created_by) == (D(0), "县统计局快报", clerk_kgj)
    assert plan_snapshot(plan) == snapshot
    # each deletion is recorded in the value's history
    deletions = Actual.history.filter(history_type="-")
    assert deletions.count() == len(DEMO_ROWS)
    assert {d.history_change_reason for d in deletions} == {"演示数据已移除"}
    assert run("remove_demo").count("已移除演示数据 0 项") == 1


def test_remove_keeps_a_demo_value_a_real_clerk_corrected(plan, clerk_kgj):
    run("seed_demo")
    demo = Actual.objects.get(indicator__code="above_scale_enterprises", year=2026, quarter=3)
    entry = Entry(year=2026, quarter=3, value=D(2), source="县统计局快报", note="核实后确认")
    actual_update(user=clerk_kgj, actual=demo, entry=entry, version=demo.version, reason="核实")
    out = run("remove_demo")
    assert f"已移除演示数据 {len(DEMO_ROWS) - 1} 项" in out
    assert "由其他用户填报或修改过而保留的数值：1 项" in out  # its approved figure is still demo
    assert list(Actual.objects.all()) == [demo]


@pytest.mark.parametrize("command", ["seed_demo", "remove_demo"])
def test_refuses_when_the_plan_is_not_loaded(plan, command):
    with pytest.raises(CommandError, match="规划“nowhere”尚未导入.*load_plan"):
        run(command, "--plan", "nowhere")
    assert not Actual.objects.exists()


# --- the trial's demo users (seed_demo_users) ---------------------------------------------------
# Proves: every set-up makes up new passwords and prints them once (none is in the repository);
# the users are marked demo, so remove_demo deletes them; a real user is never taken over.


def printed_passwords(out: str) -> dict[str, str]:
    """user name → password, from seed_demo_users' table."""
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    return {row[0]: row[1] for row in rows if len(row) >= 3}


def test_demo_users_get_new_random_passwords_printed_once(plan):
    first = printed_passwords(run("seed_demo_users"))
    assert set(first) == {"clerk", "clerk_rsj", "reviewer", "leader", "analyst", "admin"}
    assert len(set(first.values())) == 6  # one password per user
    for username, password in first.items():
        user = get_user_model().objects.get(username=username)
        assert user.check_password(password) and len(password) >= 12
        assert user.groups.filter(name="demo").exists()
        assert access.user_role(user) is not None  # the demo group is not a role
    second = printed_passwords(run("seed_demo_users"))
    assert not set(first.values()) & set(second.values())  # a new set-up, new passwords


def test_a_password_may_be_given(plan):
    out = run("seed_demo_users", "--password", "given-pass-2026")
    assert set(printed_passwords(out).values()) == {"given-pass-2026"}
    assert get_user_model().objects.get(username="leader").check_password("given-pass-2026")


def test_a_real_user_of_the_county_is_not_taken_over(plan):
    real = get_user_model().objects.create_user("admin", password="real-admin-pass")
    out = run("seed_demo_users")
    assert "admin 已存在且不是演示用户，未作改动。" in out
    real.refresh_from_db()
    assert real.check_password("real-admin-pass") and not real.groups.exists()


def test_remove_demo_deletes_the_demo_users_and_disables_one_a_record_names(plan):
    run("seed_demo_users")
    clerk = get_user_model().objects.get(username="clerk")
    indicator = Indicator.objects.get(plan=plan, code="above_scale_enterprises")
    entry = Entry(year=2025, quarter=4, value=D(0), source="县统计局快报")
    actual_create(user=clerk, indicator=indicator, entry=entry, submit=True)
    real = get_user_model().objects.create_user("wang", password="wang-pass-2026")
    out = run("remove_demo")
    assert "已删除演示用户：admin, analyst, clerk_rsj, leader, reviewer。" in out
    assert "以下演示用户因有记录引用而保留，但已无法登录：clerk。" in out
    users = get_user_model().objects.filter(username__in=["clerk", "leader", "wang"])
    assert {user.username for user in users} == {"clerk", "wang"}
    clerk.refresh_from_db()
    assert not clerk.is_active and not clerk.has_usable_password()
    assert not clerk.groups.filter(name="demo").exists()
    real.refresh_from_db()
    assert real.is_active and real.check_password("wang-pass-2026")


def test_the_demo_shows_the_monitoring_loop(plan, monkeypatch):
    """Red and yellow lights with their 滞后说明, supervision items open in every colour, and a
    department with overdue values (issue 12)."""
    from indicators.domain import warnings
    from indicators.models import ReminderKind, Supervision
    from indicators.selectors.reminders import reminders_due

    today = date(2026, 11, 30)
    monkeypatch.setattr("indicators.domain.periods.today", lambda: today)
    out = run("seed_demo")
    assert "已发起演示督办事项 3 项。" in out
    rows = progress_selectors.progress_rows(plan=plan, period=Period.of(2026, 3))
    lagging = {row.light for row in rows if row.explanation is not None}
    assert {warnings.RED, warnings.YELLOW} <= lagging
    items = Supervision.objects.filter(plan=plan)
    assert {item.indicator.code: item.colour(today) for item in items} == {
        "ecommerce_volume": warnings.RED,
        "hundred_million_enterprises": warnings.YELLOW,
        "projects_introduced": warnings.BLUE,
    }
    assert all(item.steps.get().action == "open" for item in items)
    overdue = [
        group.department.name
        for group in reminders_due(today)
        if any(item.kind == ReminderKind.OVERDUE for item in group.items)
    ]
    assert overdue == ["县人社局"]
    assert "已发起演示督办事项" not in run("seed_demo")  # a second run opens none

    assert "已删除演示督办事项 3 项。" in run("remove_demo")
    assert not Supervision.objects.filter(plan=plan).exists()
