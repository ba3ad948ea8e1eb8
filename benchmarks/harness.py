"""What the benchmark scripts share: a throwaway database, timing, and the environment line.

Each script runs from the repository root as `.venv/bin/python benchmarks/<script>.py`; by
default in a temporary SQLite file, or with --database-url on a dedicated database of that
server (--bench-db, created fresh and dropped at the end). The project database is never
touched.
"""

import argparse
import math
import os
import platform
import resource
import secrets
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_database_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        help="a server to run on instead of a temporary SQLite file, e.g. "
        "postgres://postgres@127.0.0.1:5432/postgres (only --bench-db is written to)",
    )
    parser.add_argument(
        "--bench-db", default="lucounty_bench", help="database created on that server"
    )


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


@contextmanager
def bench_database(args: argparse.Namespace):
    """A throwaway database for one benchmark run (see `create_schema`); yields a temporary
    directory, removed with the database at the end."""
    with tempfile.TemporaryDirectory(prefix="lucounty-bench-") as tmp:
        configure(args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        drop = create_schema(args)
        try:
            yield Path(tmp)
        finally:
            drop()
            from django.db import connections

            connections.close_all()


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


def measure(
    run: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None
) -> dict:
    """One warm-up run, the SQL queries of one run, then `repeat` timed runs (ms).

    `setup`, when given, runs before each of them, untimed and outside the query count (to
    bring the database back to the state each run starts from)."""
    prepare = setup or (lambda: None)
    prepare()
    run()
    prepare()
    queries = count_queries(run)
    times = []
    for _ in range(repeat):
        prepare()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return {**percentiles(times), "queries": queries}


def count_queries(run: Callable[[], object]) -> int:
    """The SQL statements one run sends on the default connection (no cap on how many, unlike
    the 9,000 that Django's query log keeps)."""
    from django.db import connection

    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        run()
    return count


def max_rss_mb() -> float:
    """The process's peak resident set so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_memory(run: Callable[[], object]) -> dict:
    """One run under tracemalloc (in a run of its own: it slows Python down): the peak of the
    Python heap during it, and the process's peak resident set before and after.

    tracemalloc sees what goes through Python's allocators, not what C libraries allocate on
    their own; the rise of ru_maxrss bounds what the run added beyond the earlier peak."""
    before = max_rss_mb()
    tracemalloc.start()
    try:
        run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"heap_mb": peak / 2**20, "rss_before": before, "rss_after": max_rss_mb()}


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


def environment_lines() -> list[str]:
    """Where the figures were measured: database, CPUs, versions, how busy the machine was."""
    import django

    return [
        f"- database: {database_label()}",
        f"- nproc: {cpus()}; python {platform.python_version()}; django {django.__version__}",
        f"- load average (1/5/15 min) after the runs: {load_average()}",
    ]


def table(results: dict) -> list[str]:
    """A Markdown table of measured results (from `measure`)."""
    lines = ["| measure | p50 ms | p95 ms | max ms | SQL queries |", "|---|---:|---:|---:|---:|"]
    for label, r in results.items():
        lines.append(
            f"| {label} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {r['queries']} |"
        )
    return lines
