"""Settings for lucounty.

Everything that differs between a laptop and a server comes from the environment, with safe
local defaults; a malformed value fails loudly with ImproperlyConfigured.
"""

import os
import secrets
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment; anything but a clear yes/no is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no, not {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A per-checkout random key kept in a git-ignored file, so no default key is ever shared."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def env_int(name: str, default: int) -> int:
    """Read a whole number from the environment; anything else is an error."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_admins(name: str) -> list[tuple[str, str]]:
    """Read "Name <a@b>, Other <c@d>" (or bare addresses) as Django's ADMINS."""
    raw = os.environ.get(name, "")
    admins = [(n, a) for n, a in getaddresses([raw]) if n or a]
    for admin_name, address in admins:
        if "@" not in address:
            raise ImproperlyConfigured(f"{name}: {admin_name or address!r} has no e-mail address")
    return admins


def https_origins(hosts: list[str]) -> list[str]:
    """The https origins of ALLOWED_HOSTS (".example.org" → "https://*.example.org")."""
    return [f"https://*{host}" if host.startswith(".") else f"https://{host}" for host in hosts]


def cache_from_env() -> dict:
    """CACHE_URL: redis://host:port/db (Django's RedisCache, `lucounty.redis_cache`) or, unset,
    a per-process local-memory cache (enough for one worker on a laptop and for the tests)."""
    url = os.environ.get("CACHE_URL", "").strip()
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "lucounty.redis_cache.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL must be redis://host:port/db or empty, not {url!r}")


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# Behind a TLS-terminating proxy (nginx; docs/deploy.md). The proxy must overwrite
# X-Forwarded-Proto with its own scheme, or a client could claim https.
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Preloading is a promise to browser vendors that is slow to take back: the county's to make.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", False)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS",
    ",".join(https_origins([h for h in ALLOWED_HOSTS if h != "*"])) if HTTPS else "",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# check --deploy warns while preload is off (security.W021); off is the deliberate default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "simple_history",
    "csp",
    "indicators",
    "reports",
]
# History reasons (a change's reason, a reviewer's return comment) are text, not varchar(100):
# a long reason must not fail on PostgreSQL. Their length is bounded in domain/validation.py.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lucounty.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lucounty.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "indicators.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "lucounty.wsgi.application"


def database_from_env() -> dict:
    """DATABASE_URL (postgres://… or sqlite:///…) or a SQLite file in the project directory."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets dashboards read while a clerk writes; IMMEDIATE avoids lock-upgrade deadlocks.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
        }
        config["CONN_MAX_AGE"] = 0
    else:
        # PostgreSQL plans a query of many joins for longer than it runs it: bind parameters on
        # the server, and let psycopg prepare a statement a connection has run twice (planned
        # once per connection, which lives CONN_MAX_AGE). DATABASE_PREPARE_THRESHOLD=0 turns
        # preparing off, as a transaction-pooling PgBouncer in front of the server needs.
        threshold = env_int("DATABASE_PREPARE_THRESHOLD", 2)
        config["OPTIONS"] = {
            "server_side_binding": True,
            "prepare_threshold": threshold if threshold > 0 else None,
        }
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js comes from the installed plotly package, never from a CDN or the repo
    "reports.finders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Attachments: served only through the permission-checked view, never by the web server.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    # Token first: an anonymous API call then gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "indicators.access.HasRole",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
}

# --- Production: cache, uploads, CSP, logging, mail (issue 11; docs/deploy.md) ---------------
CACHES = {"default": cache_from_env()}
# Only a shared cache (Redis) hears of a write made by another worker process.
SHARED_CACHE = CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"
# A plan's progress rows for a period, and dashboard pages, are cached this long (0: off), and
# dropped at once by any write that could change them (indicators/cache.py); off by default
# without a shared cache.
PROGRESS_CACHE_SECONDS = int(
    os.environ.get("PROGRESS_CACHE_SECONDS", "300" if SHARED_CACHE else "0")
)

# Request bodies: the upload views cap a file at 5 MB; any other body (forms, API JSON) at 6 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# django-csp 4: scripts only from our own static files (no inline script, no handler
# attribute; tests/test_production.py checks the pages). Inline styles stay allowed: plotly.js
# styles its charts inline and the status cards set --status on the element.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR: {LOG_LEVEL!r}")

ADMINS = env_admins("ADMINS")  # "Name <a@b>, …": mailed the traceback of every server error
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "lucounty@localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", SERVER_EMAIL)
EMAIL_SUBJECT_PREFIX = "[lucounty] "
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587 if env_bool("EMAIL_USE_TLS", False) else 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Without a mail server, mail is written to the console (the log) rather than lost silently.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# The site's address (https://plan.example.org): the daily reminders (send_reminders) link to
# the 待办 page with it; unset, they tell people to log in instead.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")

# One JSON object per line on stdout (journald keeps it); server errors also mailed to ADMINS.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "lucounty.logging.JsonFormatter"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's default handlers (console in DEBUG, mail_admins): all goes to root.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {
            "handlers": ["mail_admins"] if ADMINS else [],
            "level": LOG_LEVEL,
            "propagate": True,
        },
    },
}

# --- Logins, passwords, sessions (issue 11) ----------------------------------------------------
# Failed logins (django-axes, lucounty/logins.py): a user name is locked for LOGIN_LOCK_MINUTES
# after LOGIN_FAILURE_LIMIT wrong passwords, from wherever they came; an address after
# LOGIN_ADDRESS_FAILURE_LIMIT, whatever the names (an office shares one address). An
# administrator unlocks early with `manage.py axes_reset_username NAME`.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before checking
    "django.contrib.auth.backends.ModelBackend",
]
AXES_VERBOSE = False  # no banner on every manage.py start in the JSON logs
AXES_HANDLER = "lucounty.logins.CountyAxesHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
if not 0 < AXES_FAILURE_LIMIT <= LOGIN_ADDRESS_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT must be positive and at most LOGIN_ADDRESS_FAILURE_LIMIT"
    )
AXES_COOLOFF_TIME = env_int("LOGIN_LOCK_MINUTES", 15) / 60  # hours, as axes reads a number
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lucounty.logins.locked_out"
# Behind PROXY_COUNT reverse proxies (nginx: 1) the client's address is read from
# X-Forwarded-For, which the proxy must append to; directly exposed, REMOTE_ADDR.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "lucounty.logins.client_ip"

# Django's four validators, at least 10 characters; add_user applies them (not the service,
# whose callers include the tests and the demo).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "lucounty.logins.MinimumLengthValidator",  # Django's, its message in Chinese
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A login lasts a working day (SESSION_HOURS) and ends when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# With a shared cache, a session is read from it and written through to the database (one query
# less per page). Without one the database alone holds sessions: a per-process cache would keep
# a session alive in the other workers after logging out.
if SHARED_CACHE:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def env_rate(name: str, default: str) -> str:
    """Read a DRF throttle rate such as 600/min from the environment."""
    raw = os.environ.get(name, "").strip() or default
    number, _slash, period = raw.partition("/")
    if not (number.isdigit() and period[:1] in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(f"{name} must look like 600/min or 60/hour, not {raw!r}")
    return raw


# The API: requests per user (429 beyond; every API view needs a login, which DRF checks
# before throttles, so the anonymous rate only guards a view that would allow anonymous calls).
# Errors in the user's language (indicators/api/errors.py).
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "rest_framework.throttling.UserRateThrottle",
    "rest_framework.throttling.AnonRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "user": env_rate("API_USER_RATE", "600/min"),
    "anon": env_rate("API_ANON_RATE", "60/min"),
}
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "indicators.api.errors.exception_handler"
