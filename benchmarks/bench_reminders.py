"""Time send_reminders for 100 departments and 1,000 indicators (issue 12: under 10 s).

Run from the repository root:

    .venv/bin/python benchmarks/bench_reminders.py [--repeat 3] [--target-s 10]
    .venv/bin/python benchmarks/bench_reminders.py \
        --database-url postgres://postgres@127.0.0.1:5432/postgres      # on a PostgreSQL server

A synthetic plan of N indicators (`tests.factories.make_synthetic_plan`) whose leads are spread
over D departments, each with one clerk with an e-mail address; every other department has a
group robot (企业微信 and 钉钉 in turn) answering on 127.0.0.1 (a local HTTP server in a
thread). Approved values for every quarter of 2026, then some taken away, so that on the day
measured (2026-07-12) a department owes: 2026 Q2 of every other indicator (due on 15 July: falling
due), 2026 Q1 of every tenth (overdue), and the 2025 figure of those whose baseline is missing.
Plus one supervision item per five indicators, due from 5 days before to 5 days after the day.
Mail goes to Django's locmem backend.

Measured, each after one warm-up: (a) the first run of the day, sending everything (the
reminder records deleted before each run, untimed); (b) a second run the same day, which sends
nothing new; (c) the gathering alone (`selectors.reminders.reminders_due`). Exit status 1 when
the p95 of (a) is over --target-s.
"""

import argparse
import json
import sys
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import add_database_options, bench_database, environment_lines, measure, table

DAY = date(2026, 7, 12)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measure")
    parser.add_argument("--target-s", type=float, default=10, help="budget of a first run (s)")
    add_database_options(parser)
    return parser.parse_args(argv)


class Robot(BaseHTTPRequestHandler):
    """A group robot that accepts every message, as 企业微信 and 钉钉 answer."""

    received = 0

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        Robot.received += 1
        reply = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def start_robot() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=bench"


def build(args, robot_url: str) -> None:
    """The plan, the departments with their clerks and robots, the values, the items."""
    from django.conf import settings
    from django.utils import timezone

    from indicators.models import Actual, Department, Indicator, Responsibility, Supervision
    from indicators.services.users import user_set_role
    from tests.factories import add_quarterly_actuals, make_synthetic_plan, synthetic_region

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    region = synthetic_region()
    plan = make_synthetic_plan(args.indicators, slug="bench")
    office = user_set_role(username="office", role="reviewer", department=None, password=None)
    departments = Department.objects.bulk_create(
        Department(
            region=region,
            name=f"单位{d:03d}",
            kind="bureau",
            order=d,
            webhook_url=robot_url if d % 2 else "",
            webhook_kind="wecom" if d % 4 == 1 else "dingtalk",
        )
        for d in range(args.departments)
    )
    for department in departments:
        clerk = user_set_role(
            username=f"clerk{department.order:03d}",
            role="clerk",
            department=department,
            password=None,
        )
        clerk.email = f"{clerk.username}@example.org"
        clerk.save()
    indicators = list(Indicator.objects.filter(plan=plan).order_by("order"))
    Responsibility.objects.filter(indicator__plan=plan).delete()
    Responsibility.objects.bulk_create(
        Responsibility(
            indicator=indicator,
            department=departments[n % len(departments)],
            role="lead",
            origin="admin",
        )
        for n, indicator in enumerate(indicators)
    )
    add_quarterly_actuals(plan, years=[2026], user=office)
    Actual.objects.filter(indicator__in=indicators[::2], year=2026, quarter=2).delete()
    Actual.objects.filter(indicator__in=indicators[::10], year=2026, quarter=1).delete()
    now = timezone.now()
    Supervision.objects.bulk_create(
        Supervision(
            plan=plan,
            indicator=indicator,
            department=departments[n % len(departments)],
            requirement="请说明滞后原因，提出整改措施并按期报送",
            due=DAY + timedelta(days=n % 11 - 5),
            opened_by=office,
            opened_at=now,
        )
        for n, indicator in enumerate(indicators[::5])
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    server, robot_url = start_robot()
    try:
        with bench_database(args):
            started = time.perf_counter()
            build(args, robot_url)
            setup_s = time.perf_counter() - started
            return run(args, setup_s)
    finally:
        server.shutdown()
        server.server_close()


def run(args, setup_s: float) -> int:
    from django.core import mail

    from indicators.models import Reminder
    from indicators.selectors.reminders import reminders_due
    from indicators.services.reminders import send_reminders

    def forget():
        Reminder.objects.all().delete()
        mail.outbox = []

    first = send_reminders(day=DAY)
    results = {
        "(a) send_reminders, first run of the day": measure(
            lambda: send_reminders(day=DAY), args.repeat, setup=forget
        ),
        "(b) send_reminders, second run (nothing new)": measure(
            lambda: send_reminders(day=DAY), args.repeat
        ),
        "(c) gathering alone (reminders_due)": measure(lambda: reminders_due(DAY), args.repeat),
    }
    print(
        f"- {args.indicators} indicators, {args.departments} departments (one clerk each; "
        f"{(args.departments + 1) // 2} with a robot), day {DAY}; {args.repeat} timed runs "
        "after 1 warm-up"
    )
    print(
        f"- a first run: {first.departments} departments, {first.items} items, "
        f"{first.emails} e-mails, {first.webhook_messages} robot messages, "
        f"{first.failures} failures; {Reminder.objects.count()} reminder records"
    )
    print(*environment_lines(), sep="\n")
    print(f"- setup (migrate + plan + departments + values + items): {setup_s:.1f} s")
    print()
    print(*table(results), sep="\n")
    worst = results["(a) send_reminders, first run of the day"]["p95"] / 1000
    ok = worst < args.target_s and first.failures == 0
    print()
    print(f"{'PASS' if ok else 'FAIL'}: p95 of (a) {worst:.2f} s (target < {args.target_s} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
