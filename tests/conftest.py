"""The fixed cast of test users, the 陆河 plan loaded from its file, and the browser."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from indicators.models import Department, Plan
from indicators.services.users import user_set_role
from tests.browser import browser, page  # noqa: F401 (fixtures)

PLAN_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "luhe-garment-2025-2030.yaml"
REGIONS_FILE = PLAN_FILE.parent / "regions.csv"
PLAN_SLUG = "luhe-garment"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests do not run collectstatic, so the manifest storage would have no manifest; a
    deliberately slow password hash only slows the suite down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Query budgets count what a page computes: the cache of progress rows is off, except in
    # tests/test_progress_cache.py, which switches it on.
    settings.PROGRESS_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """The API's throttles count requests in the cache: each test starts uncounted."""
    from django.core.cache import cache

    cache.clear()


def load_luhe_plan():
    call_command("load_regions", str(REGIONS_FILE), stdout=StringIO())
    call_command("load_plan", str(PLAN_FILE), stdout=StringIO())
    return Plan.objects.get(slug=PLAN_SLUG)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the plan once into the test database; each test then runs in a rolled-back
    transaction on top of it."""
    with django_db_blocker.unblock():
        load_luhe_plan()


@pytest.fixture
def plan(db):
    # A transactional test (live server) flushes the tables it ran on: load again then.
    return Plan.objects.filter(slug=PLAN_SLUG).first() or load_luhe_plan()


def _user(username, role, department=None):
    # 陆河's department: other counties loaded by a test have departments of the same name.
    dept = Department.objects.get(region__code="441523", name=department) if department else None
    return user_set_role(username=username, role=role, department=dept, password="pw-" + username)


@pytest.fixture
def clerk_kgj(plan):
    return _user("clerk_kgj", "clerk", "县科工局")


@pytest.fixture
def clerk_rsj(plan):
    return _user("clerk_rsj", "clerk", "县人社局")


@pytest.fixture
def reviewer(plan):
    return _user("reviewer", "reviewer")


@pytest.fixture
def leader(plan):
    return _user("leader", "leader")


@pytest.fixture
def analyst(plan):
    return _user("analyst", "analyst")


@pytest.fixture
def outsider(plan):
    """Logged in, but with no role at all."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("outsider", password="pw-outsider")


@pytest.fixture
def synthetic_300(db, leader):
    """A synthetic plan of 300 indicators (slug "synthetic") with five years of approved
    quarterly actuals: the size at which query budgets must hold."""
    from tests.factories import add_quarterly_actuals, make_synthetic_plan

    plan = make_synthetic_plan(300)
    add_quarterly_actuals(plan, years=range(2025, 2030), user=leader)
    return plan


@pytest.fixture
def api(leader):
    client = APIClient()
    client.force_authenticate(leader)
    return client


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """Reporting rules depend on the date: every test runs on 2026-11-24 (2026 Q3 reportable,
    2026 Q4 and the year 2026 not yet)."""
    monkeypatch.setattr("indicators.domain.periods.today", lambda: TODAY)
