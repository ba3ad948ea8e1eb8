"""Time the annual evaluation workbook (年度评估表) and measure its peak memory.

Run from the repository root:

    .venv/bin/python benchmarks/bench_evaluation.py [--indicators 1000] [--repeat 10]

Two plans, each in the benchmark's own database (see harness.py; the project database is never
touched):
- 陆河 (the plan file) with the demo data (`indicators.services.demo.demo_seed`, through the real
  services, so every value has its history): the workbook of 2026 Q3, now and as of today
  (rebuilt from the history);
  target: p95 of the whole request under --luhe-target-s (1 s);
- a synthetic plan of --indicators indicators (1,000) with five years (2025–2029) of approved
  quarterly values (20 per indicator): the workbook of 2027 Q3; targets: p95 of the whole
  request under --large-target-s (10 s), and peak memory under --memory-target-mb (400 MB).

Memory: the peak of the Python heap during one export of the large plan, measured with
tracemalloc in a run of its own (tracemalloc slows a run down, so timed runs go without it). It
counts every allocation made through Python's allocators, pandas' and numpy's arrays included;
it misses memory that C libraries allocate on their own (lxml, if installed, while openpyxl
writes). The script also prints the process's peak resident set (ru_maxrss) before and after
that run: the rise is an upper bound of what the export added beyond the setup's own peak, and
the absolute figure is the whole process (Python, Django, the test data) at its highest.

Exit status 1 when a target is missed.
"""

import argparse
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable

from harness import ROOT, add_database_options, bench_database, environment_lines, measure, table

LUHE_FILE = ROOT / "fixtures" / "luhe-garment-2025-2030.yaml"
LUHE = "luhe-garment"
LARGE = "bench-evaluation"
LARGE_YEARS = range(2025, 2030)
LARGE_PERIOD = (2027, 3)
LUHE_PERIOD = (2026, 3)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=1000, help="large plan (default 1000)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs, 陆河 (default 10)")
    parser.add_argument(
        "--large-repeat", type=int, default=3, help="timed runs, large plan (default 3)"
    )
    parser.add_argument("--luhe-target-s", type=float, default=1.0)
    parser.add_argument("--large-target-s", type=float, default=10.0)
    parser.add_argument("--memory-target-mb", type=float, default=400.0)
    add_database_options(parser)
    args = parser.parse_args(argv)
    if min(args.indicators, args.repeat, args.large_repeat) < 1:
        parser.error("--indicators, --repeat and --large-repeat must be at least 1")
    return args


def build(indicators: int):
    """陆河 with the demo data, the large synthetic plan, and an analyst to download."""
    from io import StringIO

    from django.core.management import call_command

    from indicators.models import Plan
    from indicators.services.demo import demo_seed
    from indicators.services.users import user_set_role
    from tests.factories import add_quarterly_actuals, make_synthetic_plan

    call_command("load_regions", str(LUHE_FILE.parent / "regions.csv"), stdout=StringIO())
    call_command("load_plan", str(LUHE_FILE), stdout=StringIO())
    luhe = Plan.objects.get(slug=LUHE)
    seeded = demo_seed(plan=luhe).entered
    analyst = user_set_role(username="bench", role="analyst", department=None, password=None)
    large = make_synthetic_plan(indicators, slug=LARGE)
    values = add_quarterly_actuals(large, years=LARGE_YEARS, user=analyst)
    return analyst, seeded, values


def download(user, url: str) -> Callable[[], bytes]:
    """The whole request through Django's test client (URLs, middleware, role, the export)."""
    from django.test import Client

    client = Client()
    client.force_login(user)

    def run() -> bytes:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]}")
        return response.content

    return run


def export(slug: str, year: int, quarter: int) -> Callable[[], bytes]:
    """The export alone, as the command runs it: the reads, then the workbook's bytes."""
    from indicators.models import Plan

    plan = Plan.objects.get(slug=slug)
    from reports.evaluation import query as evaluation_query
    from reports.evaluation import rows as evaluation_rows
    from reports.evaluation import workbook

    query = evaluation_query.parse_query(plan, year, quarter)
    return lambda: workbook.workbook_bytes(evaluation_rows.evaluation(plan=plan, query=query))


def max_rss_mb() -> float:
    """The process's peak resident set so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(run: Callable[[], bytes]) -> dict:
    """One run under tracemalloc: the Python heap's peak, and the process's peak before/after."""
    before = max_rss_mb()
    tracemalloc.start()
    size = len(run())
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = max_rss_mb()
    return {"heap_mb": peak / 2**20, "rss_before": before, "rss_after": after, "bytes": size}


def url(slug: str, period: tuple[int, int], query: str = "") -> str:
    year, quarter = period
    return f"/reports/{slug}/evaluation/{year}.xlsx?quarter={quarter}{query}"


def run_all(args, analyst) -> tuple[dict, dict, dict]:

    luhe, large = url(LUHE, LUHE_PERIOD), url(LARGE, LARGE_PERIOD)
    # As of today: every change so far is rebuilt from the history (a later date is refused).
    from indicators.domain import periods

    as_of = periods.today().isoformat()
    results = {
        f"(a) 陆河 GET {luhe}": measure(download(analyst, luhe), args.repeat),
        f"(b) 陆河 the same, &as_of={as_of}": measure(
            download(analyst, url(LUHE, LUHE_PERIOD, f"&as_of={as_of}")), args.repeat
        ),
        "(c) 陆河 export alone (reads + workbook)": measure(
            export(LUHE, *LUHE_PERIOD), args.repeat
        ),
        f"(d) {args.indicators} indicators GET {large}": measure(
            download(analyst, large), args.large_repeat
        ),
        f"(e) {args.indicators} indicators export alone": measure(
            export(LARGE, *LARGE_PERIOD), args.large_repeat
        ),
    }
    sizes = {
        "陆河": len(download(analyst, luhe)()),
        "large": len(download(analyst, large)()),
    }
    return results, memory(export(LARGE, *LARGE_PERIOD)), sizes


def report(args, seeded: int, values: int, setup_s: float, results, mem, sizes) -> None:
    luhe_period, large_period = "{} Q{}".format(*LUHE_PERIOD), "{} Q{}".format(*LARGE_PERIOD)
    span = f"{LARGE_YEARS[0]}–{LARGE_YEARS[-1]}"
    rise = mem["rss_after"] - mem["rss_before"]
    print(
        f"- 陆河: 30 indicators, {seeded} demo values entered and approved through the "
        f"services; period {luhe_period}; {args.repeat} timed runs after 1 warm-up"
    )
    print(
        f"- large: {args.indicators} indicators, {values} approved quarterly values {span}; "
        f"period {large_period}; {args.large_repeat} timed runs after 1 warm-up"
    )
    print(*environment_lines(), sep="\n")
    print(f"- setup (migrate + plans + values): {setup_s:.1f} s")
    print(f"- workbook size: 陆河 {sizes['陆河'] // 1024} KiB, large {sizes['large'] // 1024} KiB")
    print()
    print(*table(results), sep="\n")
    print()
    print(
        f"Memory, one export of the large plan (e): Python heap peak (tracemalloc) "
        f"{mem['heap_mb']:.0f} MB; process peak RSS (ru_maxrss) {mem['rss_before']:.0f} MB "
        f"before, {mem['rss_after']:.0f} MB after (+{rise:.0f} MB)"
    )


def verdict(args, results: dict, mem: dict) -> int:
    """Print each target's outcome; 1 if any is missed."""
    luhe = next(r for label, r in results.items() if label.startswith("(a)"))["p95"] / 1000
    large = next(r for label, r in results.items() if label.startswith("(d)"))["p95"] / 1000
    checks = [
        ("陆河 workbook, p95 of (a)", luhe, args.luhe_target_s, "s"),
        (f"{args.indicators}-indicator workbook, p95 of (d)", large, args.large_target_s, "s"),
        ("peak memory of (e), tracemalloc", mem["heap_mb"], args.memory_target_mb, "MB"),
    ]
    failed = 0
    print()
    for label, value, target, unit in checks:
        ok = value < target
        failed += not ok
        print(
            f"{'OK' if ok else 'FAIL'}: {label} is {value:.2f} {unit} (target < {target:g} {unit})"
        )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with bench_database(args):
        analyst, seeded, values = build(args.indicators)
        setup_s = time.perf_counter() - started
        results, mem, sizes = run_all(args, analyst)
        report(args, seeded, values, setup_s, results, mem, sizes)
    return verdict(args, results, mem)


if __name__ == "__main__":
    sys.exit(main())
