"""add_user: creates or updates a user with one role; refuses what it cannot do."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args):
    call_command("add_user", *args, stdout=StringIO())


def test_creates_a_clerk_in_a_department(plan):
    run("wang", "--role", "clerk", "--department", "县科工局", "--password", "s3cret-pass")
    user = get_user_model().objects.get(username="wang")
    assert [g.name for g in user.groups.all()] == ["clerk"]
    assert user.profile.department.name == "县科工局"
    assert user.check_password("s3cret-pass")


def test_rerun_updates_the_user(plan):
    run("wang", "--role", "clerk", "--department", "县科工局", "--password", "s3cret-pass")
    run("wang", "--role", "reviewer")  # an existing user: no prompt, password kept
    user = get_user_model().objects.get(username="wang")
    assert [g.name for g in user.groups.all()] == ["reviewer"]
    assert user.check_password("s3cret-pass")
    assert get_user_model().objects.filter(username="wang").count() == 1


def test_admin_gets_the_admin_site(plan):
    run("boss", "--role", "admin", "--password", "county-admin-2030")
    user = get_user_model().objects.get(username="boss")
    assert user.is_staff and user.is_superuser


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "clerk"), "department|部门"),
        (("--role", "mayor"), "mayor"),
        (("--role", "clerk", "--department", "县不存在局"), "县不存在局"),
    ],
)
def test_refusals(plan, args, message):
    with pytest.raises(CommandError, match=message):
        run("wang", *args)
    assert not get_user_model().objects.filter(username="wang").exists()


def test_refusal_exits_non_zero(plan):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "add_user", "wang", "--role", "clerk"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0


# --- passwords: Django's four validators, asked twice when not given ----------------------


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [
        ("wang", "short-1", "太短"),  # under ten characters
        ("wang", "password123", "太常见"),  # on Django's list of common passwords
        ("wang", "2025093017", "只包含数字"),  # digits only
        ("zhangsanfeng", "zhangsanfeng1", "相似"),  # like the user name
    ],
)
def test_a_weak_password_is_refused_in_chinese(plan, username, password, reason):
    with pytest.raises(CommandError, match=reason) as refusal:
        run(username, "--role", "reviewer", "--password", password)
    assert str(refusal.value).startswith("密码")
    assert not get_user_model().objects.filter(username=username).exists()


def test_a_new_user_without_password_is_asked_twice(plan, monkeypatch):
    answers = iter(["county-review-2030", "county-review-2030"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("wang", "--role", "reviewer")
    assert get_user_model().objects.get(username="wang").check_password("county-review-2030")
    assert next(answers, None) is None  # both prompts were used


def test_two_different_answers_save_nothing(plan, monkeypatch):
    answers = iter(["county-review-2030", "county-review-2031"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="两次"):
        run("wang", "--role", "reviewer")
    assert not get_user_model().objects.filter(username="wang").exists()


def test_a_typed_password_is_checked_too(plan, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "12345678901")
    with pytest.raises(CommandError, match="只包含数字"):
        run("wang", "--role", "reviewer")


def test_no_input_without_a_password_refuses_a_new_user(plan, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("prompted"))
    with pytest.raises(CommandError, match="--password"):
        run("wang", "--role", "reviewer", "--no-input")
    assert not get_user_model().objects.filter(username="wang").exists()


def test_a_wrong_role_is_refused_before_any_prompt(plan, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("prompted"))
    with pytest.raises(CommandError, match="--department"):
        run("wang", "--role", "clerk")
