"""Optimistic locking under a real race: two connections save the same version of a value at
the same moment. PostgreSQL only: SQLite serialises writers, so there is no race to lose."""

import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from indicators.models import Actual, Department, Indicator, Plan
from indicators.services.actuals import Conflict, Entry, Invalid, actual_create, actual_update
from indicators.services.users import user_set_role
from tests.conftest import PLAN_SLUG, load_luhe_plan

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: two connections racing"
)


@pytest.fixture(scope="module", autouse=True)
def _plan_back_afterwards(django_db_blocker):
    """A transactional test empties every table when it ends; put the plan back once the
    module is done, so that later tests find it loaded as `django_db_setup` left it."""
    yield
    with django_db_blocker.unblock():
        if not Plan.objects.filter(slug=PLAN_SLUG).exists():
            load_luhe_plan()


def _race(actual_pk: int, version: int, attempts: dict) -> dict:
    """Run each (user, value) of `attempts` in its own thread and connection: all load the
    value, wait for each other, then save it at version `version` together."""
    barrier = threading.Barrier(len(attempts))
    outcome: dict = {}

    def attempt(user, value):
        try:
            actual = Actual.objects.get(pk=actual_pk)
            assert actual.version == version
            barrier.wait(timeout=10)
            entry = Entry(actual.year, actual.quarter, D(value), None, "县统计局快报", "")
            actual_update(user=user, actual=actual, entry=entry, version=version)
            outcome[user.username] = "saved"
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            outcome[user.username] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=attempt, args=item) for item in attempts.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome


@pytest.mark.django_db(transaction=True)
def test_two_connections_saving_the_same_version(plan, clerk_kgj):
    kgj = Department.objects.get(name="县科工局")
    other = user_set_role(username="clerk_kgj2", role="clerk", department=kgj, password="pw")
    enterprises = Indicator.objects.get(plan=plan, code="above_scale_enterprises")
    entry = Entry(2026, 3, D("3"), None, "县统计局快报", "")
    actual = actual_create(user=clerk_kgj, indicator=enterprises, entry=entry)

    outcome = _race(actual.pk, actual.version, {clerk_kgj: "4", other: "5"})

    assert sorted(map(type, outcome.values()), key=str) == sorted([str, Conflict], key=str), outcome
    winner = next(name for name, result in outcome.items() if result == "saved")
    loser = next(result for result in outcome.values() if isinstance(result, Conflict))
    assert winner in str(loser)  # the refusal names who saved first
    actual.refresh_from_db()
    assert actual.value == {"clerk_kgj": D(4), "clerk_kgj2": D(5)}[winner]
    assert (actual.version, actual.updated_by.username) == (2, winner)
    assert actual.history.count() == 2  # entered, then the winner's change: one new step


@pytest.mark.django_db(transaction=True)
def test_two_connections_entering_the_same_period(plan, clerk_kgj):
    """Both see no value for the period and both insert one: the unique constraint lets one
    through, and the other must get the services' refusal (400), not a database error (500)."""
    kgj = Department.objects.get(name="县科工局")
    other = user_set_role(username="clerk_kgj2", role="clerk", department=kgj, password="pw")
    enterprises = Indicator.objects.get(plan=plan, code="above_scale_enterprises")
    barrier = threading.Barrier(2)
    outcome: dict = {}

    def attempt(user, value):
        try:
            barrier.wait(timeout=10)
            entry = Entry(2026, 3, D(value), None, "县统计局快报", "")
            actual_create(user=user, indicator=enterprises, entry=entry)
            outcome[user.username] = "saved"
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            outcome[user.username] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=a) for a in ((clerk_kgj, "3"), (other, "4"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    refused = [r for r in outcome.values() if r != "saved"]
    assert len(outcome) == 2 and len(refused) == 1, outcome
    assert isinstance(refused[0], Invalid | Conflict), outcome
    assert Actual.objects.filter(indicator=enterprises, year=2026, quarter=3).count() == 1
