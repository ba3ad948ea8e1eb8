"""gunicorn's settings: `gunicorn -c lucounty/gunicorn.conf.py` (scripts/start.sh, serve.sh).

Everything a server changes comes from the environment: HOST, PORT, WEB_CONCURRENCY,
FORWARDED_ALLOW_IPS (gunicorn's own; 127.0.0.1 by default, the nginx on the same machine).
Access and error lines go to stdout as JSON, like the application's own log.
"""

import os

wsgi_app = "lucounty.wsgi:application"
bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"

# 2 × cores + 1 sync workers, at most 8: each worker holds pandas and plotly (~150 MB).
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))
# The evaluation workbook of a large plan takes a few seconds; 60 s leaves room on a slow disk.
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so that a slow leak never grows without bound. Not too often: a
# new worker spends about a second of CPU loading the application and warming up, which at 1,000
# requests cost a sixth of a core under load (docs/benchmarks.md).
max_requests = 10000
max_requests_jitter = 1000

# systemd supervises and reloads (HUP); gunicorn's control socket would sit in $HOME, shared by
# two instances of one user and unwritable under the unit's ProtectSystem=strict.
control_socket_disable = True

access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
_stdout = {
    "class": "logging.StreamHandler",
    "formatter": "json",
    "stream": "ext://sys.stdout",
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "lucounty.logging.JsonFormatter"}},
    "handlers": {"stdout": _stdout},
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}
