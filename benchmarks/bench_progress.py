"""Time the progress computation and the progress API on a large synthetic plan.

Run from the repository root:

    .venv/bin/python benchmarks/bench_progress.py [--indicators 1000] [--repeat 20] [--mixed]

By default everything happens in a throwaway SQLite file in a temporary directory, removed at
the end. With --database-url postgres://…, the server of that URL gets a dedicated database
(--bench-db, default lucounty_bench), created fresh and dropped at the end; the database named
in the URL is never written to. The project database is never touched. Exit status 1 when the
p95 of the computation is over --target-ms.

With --mixed, the plan's indicators cycle through every reporting frequency and every target
form (domain.md §9, §10), with assigned values, judgements and references, and the actuals are
stored at each indicator's own frequency (monthly, quarterly, half-yearly, whole years).
"""

import argparse
import sys
import time
from collections.abc import Callable

from harness import add_database_options, bench_database, environment_lines, measure, table

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
        "--mixed",
        action="store_true",
        help="every frequency and target form, actuals at each indicator's own frequency",
    )
    add_database_options(parser)
    args = parser.parse_args(argv)
    if args.indicators < 1 or args.repeat < 1:
        parser.error("--indicators and --repeat must be at least 1")
    return args


def build(indicators: int, mixed: bool = False):
    """The synthetic plan with five years of approved actuals, and a leader: quarterly; with
    `mixed`, every frequency and target form, each indicator's actuals at its own frequency."""
    from indicators.services.users import user_set_role
    from tests.factories import add_actuals, add_quarterly_actuals, make_synthetic_plan

    user = user_set_role(username="bench", role="leader", department=None, password=None)
    if mixed:
        plan = make_synthetic_plan(indicators, slug=SLUG, mixed=True, recorded_by=user)
        actuals = add_actuals(plan, years=YEARS, user=user)
    else:
        plan = make_synthetic_plan(indicators, slug=SLUG)
        actuals = add_quarterly_actuals(plan, years=YEARS, user=user)
    return plan, user, actuals


def computation(plan) -> Callable[[], object]:
    """(a) The engine for one period: the rows and the three summaries."""

    from indicators.domain.periods import Period
    from indicators.selectors import progress as progress_selectors

    def run():
        rows = progress_selectors.progress_rows(plan=plan, period=Period.of(YEAR, QUARTER))
        progress_selectors.status_counts(rows)
        progress_selectors.counts_by_dimension(rows)
        progress_selectors.counts_by_lead(rows)
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


def report(args, actuals: int, setup_s: float, results: dict) -> None:
    """Print the environment and a Markdown table of the results."""
    span = f"{YEARS[0]}–{YEARS[-1]}"
    if args.mixed:
        print(
            f"- indicators: {args.indicators}, mixed: {mixed_summary()}; approved actuals {span} "
            f"at each indicator's own frequency: {actuals}"
        )
    else:
        print(f"- indicators: {args.indicators}; approved quarterly actuals {span}: {actuals}")
    print(f"- period {YEAR} Q{QUARTER}; {args.repeat} timed runs of each after 1 warm-up")
    print(*environment_lines(), sep="\n")
    print(f"- setup (migrate + plan + actuals): {setup_s:.1f} s")
    print()
    print(*table(results), sep="\n")


def mixed_summary() -> str:
    """How many indicators of each frequency and targets of each form the plan has."""
    from collections import Counter

    from indicators.models import Assignment, Indicator, Judgement, Target

    plan = {"plan__slug": SLUG}
    frequencies = Counter(Indicator.objects.filter(**plan).values_list("frequency", flat=True))
    target_forms = Counter(
        Target.objects.filter(indicator__plan__slug=SLUG).values_list("form", flat=True)
    )
    recorded = {"indicator__plan__slug": SLUG}
    return (
        "frequencies "
        + ", ".join(f"{name} {count}" for name, count in sorted(frequencies.items()))
        + "; target forms "
        + ", ".join(f"{name} {count}" for name, count in sorted(target_forms.items()))
        + f"; {Assignment.objects.filter(**recorded).count()} assigned values, "
        f"{Judgement.objects.filter(**recorded).count()} judgements"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with bench_database(args):
        plan, user, actuals = build(args.indicators, args.mixed)
        setup_s = time.perf_counter() - started
        results = {
            "(a) progress_rows + 3 summaries": measure(computation(plan), args.repeat),
            f"(b) GET …/progress/?year={YEAR}&quarter={QUARTER}": measure(
                api_call(user, args.indicators), args.repeat
            ),
        }
        report(args, actuals, setup_s, results)
    p95 = results["(a) progress_rows + 3 summaries"]["p95"]
    if p95 > args.target_ms:
        print(f"\nFAIL: p95 of (a) is {p95:.1f} ms, over the {args.target_ms:g} ms target")
        return 1
    print(f"\nOK: p95 of (a) is {p95:.1f} ms, within the {args.target_ms:g} ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
