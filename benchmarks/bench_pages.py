"""Time the dashboard pages: the overview and an indicator page, server side.

Run from the repository root:

    .venv/bin/python benchmarks/bench_pages.py [--repeat 30] [--target-ms 150]

Two plans: the 陆河 plan with the demo data (`seed_demo`), and a synthetic plan of 300
indicators with five years (2025–2029) of quarterly approved actuals. Each page is requested
through Django's test client (URL routing, middleware, templates: everything but the network)
as a logged-in leader. Exit status 1 when a page's p95 is over --target-ms.
"""

import argparse
import gc
import sys
import time
from io import StringIO
from pathlib import Path

from harness import ROOT, add_database_options, bench_database, environment_lines, measure, table

SYNTHETIC_SIZE = 300
YEARS = range(2025, 2030)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests of each page")
    parser.add_argument("--target-ms", type=float, default=150, help="p95 budget of a page (ms)")
    add_database_options(parser)
    return parser.parse_args(argv)


def collect_static(tmp: Path) -> None:
    """Serve static files as production does: collected, hashed and compressed (whitenoise)."""
    from django.conf import settings
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp / "static"
    call_command("collectstatic", interactive=False, verbosity=0)


def build() -> tuple[list, object]:
    """Both plans, and a leader to look at them; returns [(label, slug, code)] and the user."""
    from django.core.management import call_command

    from indicators.services.users import user_set_role
    from tests.factories import add_quarterly_actuals, make_synthetic_plan

    quiet = StringIO()
    call_command("load_regions", str(ROOT / "fixtures" / "regions.csv"), stdout=quiet)
    call_command("load_plan", str(ROOT / "fixtures" / "luhe-garment-2025-2030.yaml"), stdout=quiet)
    call_command("seed_demo", stdout=quiet)
    leader = user_set_role(username="bench", role="leader", department=None, password=None)
    synthetic = make_synthetic_plan(SYNTHETIC_SIZE, slug="synthetic")
    add_quarterly_actuals(synthetic, years=YEARS, user=leader)
    plans = [
        ("陆河 + demo", "luhe-garment", "gross_output"),
        ("synthetic 300", "synthetic", "ind0"),
    ]
    return plans, leader


def page(client, url: str):
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    return run


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with bench_database(args) as tmp:
        from django.test import Client

        collect_static(tmp)
        plans, leader = build()
        gc.freeze()  # as lucounty/wsgi.py does once the application is loaded
        setup_s = time.perf_counter() - started
        client = Client()
        client.force_login(leader)
        results = {}
        for label, slug, code in plans:
            results[f"overview, {label}"] = measure(page(client, f"/plans/{slug}/"), args.repeat)
            results[f"indicator page, {label}"] = measure(
                page(client, f"/plans/{slug}/indicators/{code}/"), args.repeat
            )
        print(f"- {args.repeat} timed requests of each page after 1 warm-up, as a leader")
        print(*environment_lines(), sep="\n")
        print(f"- setup (migrate + plans + data): {setup_s:.1f} s\n")
        print(*table(results), sep="\n")
    worst = max(results.items(), key=lambda item: item[1]["p95"])
    if worst[1]["p95"] > args.target_ms:
        print(f"\nFAIL: {worst[0]} p95 {worst[1]['p95']:.1f} ms, over {args.target_ms:g} ms")
        return 1
    print(f"\nOK: every page's p95 within {args.target_ms:g} ms (worst: {worst[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
