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
    run("wang", "--role", "clerk", "--department", "县科工局")
    run("wang", "--role", "reviewer")
    user = get_user_model().objects.get(username="wang")
    assert [g.name for g in user.groups.all()] == ["reviewer"]
    assert get_user_model().objects.filter(username="wang").count() == 1


def test_admin_gets_the_admin_site(plan):
    run("boss", "--role", "admin")
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
