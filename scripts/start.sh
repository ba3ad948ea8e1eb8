#!/usr/bin/env bash
# Production start (docs/deploy.md): migrate, collect the static files, then gunicorn on
# ${HOST:-127.0.0.1}:${PORT:-8000} with ${WEB_CONCURRENCY} workers (lucounty/gunicorn.conf.py).
# Settings come from the environment (systemd: EnvironmentFile=/etc/lucounty.env). It refuses
# to start with DEBUG on or without SECRET_KEY and ALLOWED_HOSTS, and never creates demo users.
# The virtualenv is built beforehand (docs/deploy.md), so that a restart needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."

refuse() {
  echo "scripts/start.sh: $*" >&2
  exit 1
}

case "$(printf '%s' "${DEBUG:-false}" | tr '[:upper:]' '[:lower:]' | tr -d '[:space:]')" in
  1 | true | yes | on) refuse "DEBUG is on: a server never runs with DEBUG (unset it or DEBUG=false)." ;;
esac
[ -n "${SECRET_KEY:-}" ] || refuse "SECRET_KEY is not set (50 random characters; docs/deploy.md)."
[ -n "${ALLOWED_HOSTS:-}" ] || refuse "ALLOWED_HOSTS is not set (the server's host name)."
[ -x .venv/bin/gunicorn ] \
  || refuse "no .venv with gunicorn: python3.11 -m venv .venv && .venv/bin/pip install -r requirements.txt"

.venv/bin/python manage.py check --deploy --fail-level ERROR
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py collectstatic --no-input -v0
exec .venv/bin/gunicorn -c lucounty/gunicorn.conf.py
