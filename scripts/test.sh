#!/usr/bin/env bash
# Second README command: install what the tests need, then run the whole suite.
# The database is DATABASE_URL's (SQLite when unset); extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
source scripts/_browser.sh
venv_install requirements-dev.txt
ensure_chromium || echo "Chromium could not be installed: browser tests will be skipped." >&2
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
