#!/usr/bin/env bash
# Second README command: install what the tests need, then run the whole suite.
# The database is DATABASE_URL's (SQLite when unset); extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
venv_install requirements-dev.txt
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
