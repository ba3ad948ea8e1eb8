"""The reporting services: the rules every route shares."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from indicators import access
from indicators.domain.periods import Period
from indicators.models import Actual, Indicator
from indicators.selectors import history as history_selectors
from indicators.selectors import plans as plan_selectors
from indicators.selectors import progress as progress_selectors
from indicators.services.actuals import (
    Conflict,
    Entry,
    Invalid,
    NotAllowed,
    actual_approve,
    actual_create,
    actual_return,
    actual_submit,
    actual_update,
)


@pytest.fixture
def enterprises(plan):
    """规上企业数量: reported by 县科工局 (lead of 培育壮大领航企业)."""
    return Indicator.objects.get(plan=plan, code="above_scale_enterprises")


def entry(value="3", year=2026, quarter=3, **kw):
    return Entry(year=year, quarter=quarter, value=D(value), source="县统计局快报", **kw)


def test_clerk_enters_submits_and_reviewer_approves(clerk_kgj, reviewer, enterprises):
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry())
    assert (actual.state, actual.version) == ("draft", 1)
    actual = actual_submit(user=clerk_kgj, actual=actual, version=1)
    actual = actual_approve(user=reviewer, actual=actual, version=2)
    assert (actual.state, actual.approved_value, actual.approved_by) == ("approved", D(3), reviewer)


def test_other_department_and_other_roles_are_refused(clerk_rsj, leader, reviewer, enterprises):
    for user in (clerk_rsj, leader, reviewer):
        with pytest.raises(NotAllowed):
            actual_create(user=user, indicator=enterprises, entry=entry())
    assert not Actual.objects.exists()


def test_clerk_cannot_approve(clerk_kgj, enterprises):
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(), submit=True)
    with pytest.raises(NotAllowed):
        actual_approve(user=clerk_kgj, actual=actual)


def test_future_period_is_refused(clerk_kgj, enterprises):
    with pytest.raises(Invalid) as info:
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(quarter=4))
    assert "year" in info.value.errors
    with pytest.raises(Invalid):
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(quarter=None))


def test_second_value_for_a_period_is_refused(clerk_kgj, enterprises):
    actual_create(user=clerk_kgj, indicator=enterprises, entry=entry())
    with pytest.raises(Invalid):
        actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("4"))
    assert Actual.objects.count() == 1


def test_stale_version_names_who_changed_it(clerk_kgj, enterprises):
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry())
    actual_update(user=clerk_kgj, actual=actual, entry=entry("4"), version=1)
    with pytest.raises(Conflict, match="clerk_kgj"):
        actual_update(user=clerk_kgj, actual=actual, entry=entry("5"), version=1)
    actual.refresh_from_db()
    assert actual.value == D(4)


def test_correction_needs_a_reason_and_keeps_the_approved_figure(clerk_kgj, reviewer, enterprises):
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(), submit=True)
    actual = actual_approve(user=reviewer, actual=actual)
    with pytest.raises(Invalid) as info:
        actual_update(user=clerk_kgj, actual=actual, entry=entry("4"), version=actual.version)
    assert "reason" in info.value.errors
    actual = actual_update(
        user=clerk_kgj, actual=actual, entry=entry("4"), version=actual.version,
        reason="统计局更正", submit=True,
    )  # fmt: skip
    assert (actual.state, actual.value, actual.approved_value) == ("submitted", D(4), D(3))
    actual = actual_return(user=reviewer, actual=actual, comment="请附更正文件")
    assert (actual.state, actual.approved_value) == ("returned", D(3))


def test_history_records_every_step(clerk_kgj, reviewer, enterprises):
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(), submit=True)
    actual = actual_return(user=reviewer, actual=actual, comment="来源不清")
    steps = history_selectors.actual_history(actual)
    assert [s.who for s in steps] == ["clerk_kgj", "reviewer"]
    assert steps[-1].reason == "来源不清"
    assert ("state", "状态", "submitted", "returned") in steps[-1].changes


def test_as_of_rebuilds_the_past(clerk_kgj, reviewer, enterprises, plan):
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry(), submit=True)
    actual_approve(user=reviewer, actual=actual)
    moment = timezone.now()
    actual = Actual.objects.get(pk=actual.pk)
    actual = actual_update(user=clerk_kgj, actual=actual, entry=entry("4"), version=actual.version,
                           reason="更正", submit=True)  # fmt: skip
    actual_approve(user=reviewer, actual=actual)
    then = history_selectors.actuals_as_of(plan=plan, moment=moment)
    assert [r.approved_value for r in then] == [D(3)]
    assert history_selectors.actuals_as_of(plan=plan, moment=moment - timedelta(days=1)) == []


def test_reported_by_follows_the_lead_unless_a_data_source_is_named(plan, enterprises):
    from indicators.models import Department, Responsibility

    kgj, rsj = Department.objects.get(name="县科工局"), Department.objects.get(name="县人社局")
    assert enterprises in plan_selectors.indicators_reported_by(kgj)
    Responsibility.objects.create(
        indicator=enterprises, department=rsj, role="data_source", origin="admin"
    )
    assert enterprises not in plan_selectors.indicators_reported_by(kgj)
    assert enterprises in plan_selectors.indicators_reported_by(rsj)


def test_visibility_by_role(clerk_kgj, clerk_rsj, reviewer, leader, enterprises):
    draft = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry())
    assert draft in access.actuals_visible_to(clerk_kgj)
    assert draft in access.actuals_visible_to(reviewer)
    assert draft not in access.actuals_visible_to(clerk_rsj)
    assert draft not in access.actuals_visible_to(leader)
    actual_submit(user=clerk_kgj, actual=draft)
    approved = actual_approve(user=reviewer, actual=draft)
    assert approved in access.actuals_visible_to(clerk_rsj)
    assert approved in access.actuals_visible_to(leader)


def test_progress_as_of_a_past_moment(clerk_kgj, reviewer, enterprises, plan):
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry("2"), submit=True)
    actual = actual_approve(user=reviewer, actual=actual)
    moment = timezone.now()
    actual = actual_update(user=clerk_kgj, actual=actual, entry=entry("4"), version=actual.version,
                           reason="更正", submit=True)  # fmt: skip
    actual_approve(user=reviewer, actual=actual)

    def figure(**kw):
        rows = progress_selectors.progress_rows(plan=plan, period=Period.of(2026, 3), **kw)
        return next(r.progress.value for r in rows if r.indicator.code == enterprises.code)

    assert figure() == D(4)
    assert figure(as_of=moment) == D(2)
    assert figure(as_of=moment - timedelta(days=1)) is None
