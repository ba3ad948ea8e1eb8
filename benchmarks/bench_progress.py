"""Time the progress computation and the progress API on a large synthetic plan.

Run from the repository root:

    .venv/bin/python benchmarks/bench_progress.py [--indicators 1000] [--repeat 20]

By default everything happens in a throwaway SQLite file in a temporary directory, removed at
the end. With --database-url postgres://…, the server of that URL gets a dedicated database
(--bench-db, default lucounty_bench), created fresh and dropped at the end; the database named
in the URL is never written to. The project database is never touched. Exit status 1 when the
p95 of the computation is over --target-ms.
"""

import argparse
import math
import os
import platform
import secrets
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEARS = range(2025, 2030)  # five years of quarterly actuals
YEAR, QUARTER = 2027, 3  # the period measured
SLUG = "bench"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1000, help="plan size (default 1000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each (default 20)")
    parser.add_argument(
        "--target-ms", type=float, default=500, help="p95 budget of the computation (ms)"
    )
    parser.add_argument(
        "--database-url",
        help="a server to run on instead of a temporary SQLite file, e.g. "
        "postgres://postgres@127.0.0.1:5432/postgres (only --bench-db is written to)",
    )
    parser.add_argument(
        "--bench-db", default="lucounty_bench", help="database created on that server"
    )
    args = parser.parse_args(argv)
    if args.indicators < 1 or args.repeat < 1:
        parser.error("--indicators and --repeat must be at least 1")
    return args


def configure(database_url: str) -> None:
    """Point Django at the benchmark database and start it; nothing else of the environment."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "lucounty.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["DEBUG"] = "false"  # measure without DEBUG's query log
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic: nothing served
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_schema(args: argparse.Namespace) -> Callable[[], None]:
    """Create the benchmark's tables; return what removes the database afterwards.

    SQLite: migrate the temporary file. A server: Django's test-database machinery creates
    the database --bench-db (dropping a leftover one of that name) and migrates it.
    """
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        if args.database_url:
            raise SystemExit("SQLite runs in a temporary file: give --database-url for a server")
        call_command("migrate", verbosity=0, interactive=False)
        return lambda: None
    if args.bench_db == connection.settings_dict["NAME"]:
        raise SystemExit(f"--bench-db {args.bench_db} is the URL's own database: pick another")
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = args.bench_db
    connection.settings_dict.setdefault("TEST", {})["NAME"] = args.bench_db
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


def build(indicators: int):
    """The synthetic plan with five years of approved quarterly actuals, and a leader."""
    from indicators.services import user_set_role
    from indicators.synthetic import add_quarterly_actuals, make_synthetic_plan

    user = user_set_role(username="bench", role="leader", department=None, password=None)
    plan = make_synthetic_plan(indicators, slug=SLUG)
    actuals = add_quarterly_actuals(plan, years=YEARS, user=user)
    return plan, user, actuals


def computation(plan) -> Callable[[], object]:
    """(a) The engine for one period: the rows and the three summaries."""
    from indicators import selectors

    def run():
        rows = selectors.progress_rows(plan=plan, year=YEAR, quarter=QUARTER)
        selectors.status_counts(rows)
        selectors.counts_by_dimension(rows)
        selectors.counts_by_lead(rows)
        return rows

    return run


def api_call(user, expected_rows: int) -> Callable[[], object]:
    """(b) The whole API request through DRF's test client (URLs, middleware, JSON)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    url = f"/api/v1/plans/{SLUG}/progress/?year={YEAR}&quarter={QUARTER}"

    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]}")
        return response

    body = run().json()
    if len(body["indicators"]) != expected_rows:
        raise SystemExit(f"{url} returned {len(body['indicators'])} rows, not {expected_rows}")
    return run


def measure(run: Callable[[], object], repeat: int) -> dict:
    """One warm-up run, the SQL queries of one run, then `repeat` timed runs (ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()
    with CaptureQueriesContext(connection) as captured:
        run()
    queries = len(captured)  # now: the next request's reset_queries empties the log
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return {**percentiles(times), "queries": queries}


def percentiles(times: list[float]) -> dict:
    """p50 (median), p95 (nearest rank: the ⌈0.95·n⌉-th smallest) and max."""
    ordered = sorted(times)
    n = len(ordered)
    median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    return {"p50": median, "p95": ordered[math.ceil(0.95 * n) - 1], "max": ordered[-1]}


def cpus() -> int:
    """What `nproc` prints: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def load_average() -> str:
    """Other work on the machine skews the timings: say how busy it was."""
    try:
        return " / ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:  # not available on this platform
        return "unknown"


def database_label() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"sqlite {cursor.fetchone()[0]} (temporary file)"
        cursor.execute("select version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        return f"{connection.vendor}: {version}, database {connection.settings_dict['NAME']}"


def report(args, actuals: int, setup_s: float, results: dict) -> None:
    """Print the environment and a Markdown table of the results."""
    import django

    span = f"{YEARS[0]}–{YEARS[-1]}"
    print(f"- indicators: {args.indicators}; approved quarterly actuals {span}: {actuals}")
    print(f"- period {YEAR} Q{QUARTER}; {args.repeat} timed runs of each after 1 warm-up")
    print(f"- database: {database_label()}")
    print(f"- nproc: {cpus()}; python {platform.python_version()}; django {django.__version__}")
    print(f"- load average (1/5/15 min) after the runs: {load_average()}")
    print(f"- setup (migrate + plan + actuals): {setup_s:.1f} s")
    print()
    print("| measure | p50 ms | p95 ms | max ms | SQL queries |")
    print("|---|---:|---:|---:|---:|")
    for label, r in results.items():
        print(f"| {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {r['queries']} |")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lucounty-bench-") as tmp:
        configure(args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        started = time.perf_counter()
        drop = create_schema(args)
        try:
            plan, user, actuals = build(args.indicators)
            setup_s = time.perf_counter() - started
            results = {
                "(a) progress_rows + 3 summaries": measure(computation(plan), args.repeat),
                f"(b) GET …/progress/?year={YEAR}&quarter={QUARTER}": measure(
                    api_call(user, args.indicators), args.repeat
                ),
            }
            report(args, actuals, setup_s, results)
        finally:
            drop()
            from django.db import connections

            connections.close_all()
    p95 = results["(a) progress_rows + 3 summaries"]["p95"]
    if p95 > args.target_ms:
        print(f"\nFAIL: p95 of (a) is {p95:.1f} ms, over the {args.target_ms:g} ms target")
        return 1
    print(f"\nOK: p95 of (a) is {p95:.1f} ms, within the {args.target_ms:g} ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
