#!/usr/bin/env bash
# First README command, a local trial: a virtualenv, the dependencies, the database, 陆河's plans
# (the garment plan with demo figures, and the 十五五 example), the demo users (passwords made up
# now and printed once), then gunicorn on http://127.0.0.1:${PORT:-8000}/. A server is started
# with scripts/start.sh instead, which never creates demo users (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
venv_install requirements.txt

.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/python manage.py load_regions fixtures/regions.csv  # 广东省 › 汕尾市 › 陆河县
.venv/bin/python manage.py load_plan fixtures/luhe-garment-2025-2030.yaml
# A county 十五五 main-indicator table as counties hold it (an Excel workbook; 示例数据).
.venv/bin/python manage.py load_plan fixtures/luhe-15th-five-year-2026-2030.xlsx
.venv/bin/python manage.py seed_demo  # demo figures, marked as such: remove with remove_demo
.venv/bin/python manage.py seed_demo --plan luhe-15th-five-year
.venv/bin/python manage.py seed_demo_users  # new passwords on every run
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8000}" WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
echo "Open http://127.0.0.1:$PORT/ and log in with one of the users above."
exec .venv/bin/gunicorn -c lucounty/gunicorn.conf.py
