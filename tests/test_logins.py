"""Logins, sessions and the API's limits (issue 11): failed logins lock a user name and an
address, a session lasts a working day, the API throttles and answers errors in Chinese."""

import json
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from lucounty.logins import client_ip

LOCKED = "登录失败次数过多，请15分钟后再试，或联系管理员解锁。"


def log_in(client, username, password, address="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- failed logins (django-axes) ----------------------------------------------------------


def test_five_wrong_passwords_lock_the_user_even_with_the_right_one(client, leader):
    for _ in range(4):
        assert log_in(client, "leader", "wrong").status_code == 200  # the form, with an error
    assert log_in(client, "leader", "wrong").status_code == 429  # the fifth locks
    response = log_in(client, "leader", "pw-leader")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert 'href="/accounts/login/"' in response.content.decode()
    assert not logged_in(client)


def test_the_lock_holds_from_another_address(client, leader):
    for _ in range(5):
        log_in(client, "leader", "wrong", address="10.1.1.1")
    response = log_in(client, "leader", "pw-leader", address="10.2.2.2")
    assert response.status_code == 429
    assert not logged_in(client)


def test_other_users_still_log_in_after_a_few_failures_from_their_office(client, leader, reviewer):
    for _ in range(5):
        log_in(client, "leader", "wrong")
    response = log_in(client, "reviewer", "pw-reviewer")
    assert response.status_code == 302
    assert logged_in(client)


def test_many_failures_from_one_address_lock_the_address(client, settings, leader, reviewer):
    # 30 failures over any names (guessing names from one place) lock that address.
    for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        log_in(client, f"guess{number}", "wrong", address="10.9.9.9")
    assert log_in(client, "reviewer", "pw-reviewer", address="10.9.9.9").status_code == 429
    assert log_in(client, "reviewer", "pw-reviewer", address="10.1.1.1").status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, leader):
    for _ in range(4):
        log_in(client, "leader", "wrong")
    assert log_in(client, "leader", "pw-leader").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "leader", "wrong")
    assert log_in(client, "leader", "pw-leader").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, leader):
    for _ in range(5):
        log_in(client, "leader", "wrong")
    # 16 minutes later: move the recorded attempts back rather than wait.
    from datetime import timedelta

    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "leader", "pw-leader").status_code == 302


def test_an_administrator_unlocks_a_user(client, leader):
    from io import StringIO

    from django.core.management import call_command

    for _ in range(5):
        log_in(client, "leader", "wrong")
    call_command("axes_reset_username", "leader", stdout=StringIO())
    assert log_in(client, "leader", "pw-leader").status_code == 302


def test_the_admin_login_is_guarded_too(client, leader):
    for _ in range(5):
        client.post("/admin/login/", {"username": "leader", "password": "wrong"})
    assert log_in(client, "leader", "pw-leader").status_code == 429


def test_api_tokens_are_not_login_attempts(leader):
    """A wrong token is a 401, not a counted login: a token is 40 random hexadecimal digits,
    nothing to guess, and counting them would let anyone lock a user out by name."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    for _ in range(6):
        assert client.get("/api/v1/plans/").status_code == 401
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(
    ("count", "forwarded", "address"),
    [
        (0, "", "10.0.0.5"),  # served directly: the connection's address
        (0, "1.2.3.4", "10.0.0.5"),  # a client's own X-Forwarded-For is ignored
        (1, "192.168.3.7", "192.168.3.7"),  # behind nginx: the address nginx saw
        (1, "6.6.6.6, 192.168.3.7", "192.168.3.7"),  # a forged first entry is not believed
        (2, "192.168.3.7, 10.0.0.2", "192.168.3.7"),  # two proxies
    ],
)
def test_the_client_address(settings, count, forwarded, address):
    settings.PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == address


# --- settings read from the environment ---------------------------------------------------


def settings_in(env: dict) -> dict:
    """Some settings as a fresh process reads them with `env` (settings are read at start)."""
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        "print(json.dumps([s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], "
        "len(s.AUTH_PASSWORD_VALIDATORS)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lucounty.settings", **env},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])  # after any log lines


def test_defaults_a_working_day_and_generous_api_rates():
    age, at_close, limit, cool_off, rates, validators = settings_in({})
    assert (age, at_close, limit, cool_off) == (8 * 3600, True, 5, 0.25)
    assert rates == {"user": "600/min", "anon": "60/min"}
    assert validators == 4


def test_the_environment_sets_them():
    env = {
        "SESSION_HOURS": "2",
        "LOGIN_FAILURE_LIMIT": "3",
        "LOGIN_LOCK_MINUTES": "30",
        "API_USER_RATE": "100/min",
        "API_ANON_RATE": "10/hour",
    }
    age, _, limit, cool_off, rates, _ = settings_in(env)
    assert (age, limit, cool_off) == (2 * 3600, 3, 0.5)
    assert rates == {"user": "100/min", "anon": "10/hour"}


@pytest.mark.parametrize(
    "env",
    [{"SESSION_HOURS": "eight"}, {"API_USER_RATE": "lots"}, {"LOGIN_FAILURE_LIMIT": "50"}],
)
def test_a_bad_value_fails_loudly(env):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lucounty.settings", **env},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


# --- the API: throttled, and its errors in Chinese ----------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    # DRF's throttles read their rates once, at import: patch them where they are kept.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})


def test_a_user_over_the_rate_gets_429_in_chinese(api, plan, low_rates):
    for _ in range(3):
        assert api.get("/api/v1/plans/").status_code == 200
    response = api.get("/api/v1/plans/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("请求过于频繁")
    assert int(response["Retry-After"]) > 0


def test_an_unknown_value_is_not_found_in_chinese(api, plan):
    response = api.get("/api/v1/actuals/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_an_anonymous_call_is_refused_in_chinese(db):
    response = APIClient().get("/api/v1/plans/")
    assert response.status_code == 401
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_a_user_without_role_is_refused_in_chinese(outsider):
    client = APIClient()
    client.force_authenticate(outsider)
    response = client.get("/api/v1/plans/")
    assert response.status_code == 403
    assert response.json() == {"detail": "您的账号尚未分配角色，请联系管理员。"}
