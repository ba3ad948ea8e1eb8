"""Ready for a server (issue 11): the security headers and the content security policy on the
key pages, a clean `check --deploy` with a server's environment, settings read from the
environment, JSON logs, the cache, gunicorn's settings and scripts/start.sh's refusals."""

import json
import logging
import os
import secrets
import socket
import string
import subprocess
import sys
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from lucounty import settings as project_settings
from lucounty.logging import JsonFormatter
from tests.conftest import PLAN_SLUG

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "plan.example.org"
# Variables that the settings read (and the browser tests' async switch, which check --deploy
# rightly refuses): a test's subprocess starts from none of them.
SETTINGS_VARIABLES = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "HSTS_PRELOAD", "CSRF_TRUSTED_ORIGINS",
    "CACHE_URL", "LOG_LEVEL", "ADMINS", "SERVER_EMAIL", "EMAIL_HOST", "EMAIL_PORT",
    "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "MEDIA_ROOT", "STATIC_ROOT",
    "HOST", "PORT", "WEB_CONCURRENCY", "DATABASE_PREPARE_THRESHOLD",
}  # fmt: skip


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def server_env(**overrides) -> dict:
    """The environment of a server per docs/deploy.md, over this process's (database, PATH)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(DEBUG="false", SECRET_KEY=random_secret_key(), ALLOWED_HOSTS=HOST, HTTPS="true")
    env.update(overrides)
    return env


def run(args, env, timeout=120):
    return subprocess.run(  # noqa: S603 (our own interpreter and scripts)
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def settings_in(env, *names) -> dict:
    """The values of settings `names` when Django starts with `env`."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = run([sys.executable, "-c", code], env={**env, "LOG_LEVEL": "ERROR"})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the content security policy on the key pages ----------------------------------------------


class ScriptCheck(HTMLParser):
    """Collects what a strict script-src would block: inline scripts (a JSON data block is
    not a script) without a nonce, event-handler attributes, javascript: links."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action"} and (value or "").startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script":
            self.scripts += 1
            data_block = attrs.get("type") == "application/json"
            if not attrs.get("src") and not data_block and not attrs.get("nonce"):
                self.problems.append("<script> inline without a nonce")


def key_pages(client, clerk, leader):
    """The login page, then (demo figures loaded, so the charts have data) the overview, an
    indicator page, the indicator table as the leader, and 我的填报 and an entry form as a clerk."""
    yield "login", client.get(reverse("login"))
    call_command("seed_demo", stdout=StringIO())
    client.force_login(leader)
    yield "overview", client.get(reverse("reports:overview", args=[PLAN_SLUG]))
    yield "indicator", client.get(reverse("reports:indicator", args=[PLAN_SLUG, "gross_output"]))
    yield "table", client.get(f"/plans/{PLAN_SLUG}/indicators/")
    client.force_login(clerk)
    yield "my reporting", client.get(reverse("indicators:my-reporting"))
    entry = reverse("indicators:entry", args=[PLAN_SLUG, "above_scale_enterprises", "2026"])
    yield "entry", client.get(entry)


def test_key_pages_send_the_policy_and_run_no_inline_script(client, clerk_kgj, leader):
    for name, response in key_pages(client, clerk_kgj, leader):
        assert response.status_code == 200, name
        policy = response["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "img-src 'self' data:",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ):
            assert directive in policy, (name, directive)
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        check = ScriptCheck()
        check.feed(response.content.decode())
        assert check.problems == [], name
        if name in {"overview", "indicator"}:
            assert check.scripts >= 3, name  # plotly.js, charts.js and a chart's data


# --- check --deploy, HTTPS and the other settings ----------------------------------------------


def test_check_deploy_is_clean_with_a_servers_environment():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], server_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_https_turns_on_the_secure_settings():
    values = settings_in(
        server_env(ALLOWED_HOSTS=f"{HOST},.example.net"),
        "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "CSRF_TRUSTED_ORIGINS",
    )  # fmt: skip
    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_TRUSTED_ORIGINS": [f"https://{HOST}", "https://*.example.net"],
    }


def test_without_https_nothing_claims_it_and_the_local_defaults_hold():
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    values = settings_in(
        env, "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
        "CSRF_TRUSTED_ORIGINS", "DEBUG", "EMAIL_BACKEND", "ADMINS", "CACHES", "MEDIA_ROOT",
    )  # fmt: skip
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SECURE_SSL_REDIRECT"] is values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_TRUSTED_ORIGINS"] == []
    assert values["DEBUG"] is False
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["ADMINS"] == []
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["MEDIA_ROOT"] == str(ROOT / "media")


def test_mail_admins_and_media_come_from_the_environment(tmp_path):
    values = settings_in(
        server_env(
            ADMINS="王工 <wang@example.org>, ops@example.org",
            EMAIL_HOST="smtp.example.org", EMAIL_USE_TLS="true", MEDIA_ROOT=str(tmp_path),
            CSRF_TRUSTED_ORIGINS="https://a.example.org,https://b.example.org",
        ),
        "ADMINS", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "MEDIA_ROOT",
        "CSRF_TRUSTED_ORIGINS", "LOGGING",
    )  # fmt: skip
    assert values["ADMINS"] == [["王工", "wang@example.org"], ["", "ops@example.org"]]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )
    assert values["MEDIA_ROOT"] == str(tmp_path)
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://a.example.org", "https://b.example.org"]
    assert values["LOGGING"]["loggers"]["django.request"]["handlers"] == ["mail_admins"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HTTPS", "maybe"),
        ("LOG_LEVEL", "LOUD"),
        ("CACHE_URL", "memcached://x"),
        ("ADMINS", "wang"),
    ],
)
def test_a_malformed_value_stops_the_start(variable, value):
    result = run(
        [sys.executable, "manage.py", "check"], server_env(**{variable: value}), timeout=60
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr


# --- the cache ---------------------------------------------------------------------------------


def test_the_cache_is_local_memory_unless_cache_url_says_redis(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    assert project_settings.cache_from_env() == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
    }
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    assert project_settings.cache_from_env() == {
        "BACKEND": "lucounty.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1")
    with pytest.raises(ImproperlyConfigured):
        project_settings.cache_from_env()


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_cache_keeps_a_value_through_one_client(monkeypatch):
    from lucounty.redis_cache import RedisCache

    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/15")
    config = project_settings.cache_from_env()
    cache = RedisCache(config["LOCATION"], {"KEY_PREFIX": f"test-{secrets.token_hex(4)}"})
    cache.set("plan", {"slug": PLAN_SLUG}, timeout=30)
    assert cache.get("plan") == {"slug": PLAN_SLUG}
    assert cache.get_many(["plan", "none"]) == {"plan": {"slug": PLAN_SLUG}}
    cache.delete("plan")
    assert cache.get("plan") is None
    # Django's client makes a redis.Redis per call; ours keeps one per connection pool.
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_sessions_are_read_from_a_shared_cache_only():
    """With Redis a session is read from the cache and written through to the database; with a
    per-process cache a logged-out session would stay alive in the other workers."""
    local = settings_in(server_env(), "SESSION_ENGINE")
    assert local["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    shared = settings_in(server_env(CACHE_URL="redis://127.0.0.1:6379/15"), "SESSION_ENGINE")
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements():
    url = "postgres://lucounty@db.example.org:5432/lucounty"
    values = settings_in(server_env(DATABASE_URL=url), "DATABASES")
    options = values["DATABASES"]["default"]["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 2}
    off = settings_in(server_env(DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="0"), "DATABASES")
    assert off["DATABASES"]["default"]["OPTIONS"]["prepare_threshold"] is None
    bad = server_env(DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="often")
    result = run([sys.executable, "manage.py", "check"], bad, timeout=60)
    assert result.returncode != 0 and "DATABASE_PREPARE_THRESHOLD" in result.stderr


# --- logs --------------------------------------------------------------------------------------


def test_a_log_record_is_one_line_of_json():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "失败 %s", ("x",), None
    )
    record.status_code = 500
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"], entry["status"]) == (
        "ERROR",
        "django.request",
        "失败 x",
        500,
    )
    assert "ValueError: boom" in entry["exception"]


def test_a_gunicorn_access_line_carries_its_fields():
    atoms = {"h": "127.0.0.1", "m": "GET", "U": "/accounts/login/", "s": "200", "M": 12}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(m)s", (), None)
    record.args = atoms
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET"
    assert (entry["remote"], entry["path"], entry["status"], entry["duration_ms"]) == (
        "127.0.0.1",
        "/accounts/login/",
        "200",
        12,
    )


# --- gunicorn and scripts/start.sh -------------------------------------------------------------


def test_gunicorn_takes_host_port_and_workers_from_the_environment():
    env = server_env(HOST="0.0.0.0", PORT="8123", WEB_CONCURRENCY="3")  # noqa: S104
    result = run([str(BIN / "gunicorn"), "--print-config", "-c", "lucounty/gunicorn.conf.py"], env)
    assert result.returncode == 0, result.stderr
    config = dict(
        (line.split("=", 1)[0].strip(), line.split("=", 1)[1].strip())
        for line in result.stdout.splitlines()
        if "=" in line
    )
    assert config["bind"] == "['0.0.0.0:8123']"
    assert config["workers"] == "3"
    assert config["wsgi_app"] == "lucounty.wsgi:application"
    assert config["control_socket_disable"] == "True"  # systemd supervises


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"DEBUG": "true"}, "DEBUG"),
        ({"DEBUG": " Yes "}, "DEBUG"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
)
def test_start_refuses_a_debug_or_unconfigured_server(overrides, named):
    result = run(["bash", "scripts/start.sh"], server_env(**overrides), timeout=30)
    assert result.returncode == 1
    assert named in result.stderr
    assert result.stdout == ""  # refused before migrating or starting anything
