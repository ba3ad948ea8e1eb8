"""Load test: the production server (gunicorn) on PostgreSQL under N readers and M writers.

```bash
.venv/bin/python benchmarks/load.py                                   # 50 readers, 10 writers, 60 s
.venv/bin/python benchmarks/load.py --readers 50 --writers 10 --seconds 60 --no-cache
.venv/bin/python benchmarks/load.py --database-url postgres://postgres@127.0.0.1:5432/postgres \\
    --cache-url redis://127.0.0.1:6379/9
```

It creates its own database on the server (`--bench-db`, dropped at the end), loads the 陆河
plan with its demo figures, and starts gunicorn on 127.0.0.1 with that database and the given
cache (`--no-cache` sets PROGRESS_CACHE_SECONDS=0: neither progress rows nor pages are
cached). Readers fetch the overview, indicator pages
and the progress API as a leader; writers enter values through the API as clerks of four
departments and a reviewer approves each (four eyes). It prints throughput, p50/p95 per route,
errors, and checks that every acknowledged write is in the database, approved, with its
history. Exit status 1 on any error or lost write.
"""

import argparse
import http.cookiejar
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from harness import ROOT, add_database_options, bench_database, environment_lines, percentiles

PLAN = "luhe-garment"
LEADER_PASSWORD = secrets.token_urlsafe(16)
# The random figures may turn a light yellow or red, which needs a 滞后说明 (domain.md §11).
EXPLANATION = {"cause": "压力测试：随机数值", "measures": "无", "will_meet": "at_risk"}
CLERKS = {
    "load_kgj": "县科工局",
    "load_rsj": "县人社局",
    "load_tjj": "县统计局",
    "load_scj": "县市场监管局",
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: 2×cores+1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--cache-url", default="", help="e.g. redis://127.0.0.1:6379/9")
    parser.add_argument("--no-cache", action="store_true", help="PROGRESS_CACHE_SECONDS=0")
    add_database_options(parser)
    args = parser.parse_args(argv)
    if not args.database_url:
        args.database_url = "postgres://postgres@127.0.0.1:5432/postgres"
    return args


def prepare() -> dict[str, str]:
    """The plan, its demo figures and the users; their API tokens by username."""
    from io import StringIO

    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from indicators.models import Department
    from indicators.services.users import user_set_role

    quiet = {"stdout": StringIO()}
    call_command("load_regions", str(ROOT / "fixtures" / "regions.csv"), **quiet)
    call_command("load_plan", str(ROOT / "fixtures" / "luhe-garment-2025-2030.yaml"), **quiet)
    call_command("seed_demo", **quiet)
    users = {"load_leader": ("leader", None), "load_reviewer": ("reviewer", None)}
    users |= {name: ("clerk", dept) for name, dept in CLERKS.items()}
    tokens = {}
    for name, (role, dept) in users.items():
        department = Department.objects.get(region__code="441523", name=dept) if dept else None
        password = LEADER_PASSWORD if name == "load_leader" else None  # pages need a login
        user = user_set_role(username=name, role=role, department=department, password=password)
        tokens[name] = Token.objects.get_or_create(user=user)[0].key
    return tokens


def owed() -> dict[str, list[tuple[str, int, int]]]:
    """Per clerk, (indicator code, year, quarter) slots without a value: one write each."""
    from indicators.models import Actual, Department
    from indicators.selectors.plans import indicators_reported_by

    taken = set(Actual.objects.values_list("indicator__code", "year", "quarter"))
    slots = {}
    for name, dept in CLERKS.items():
        department = Department.objects.get(region__code="441523", name=dept)
        codes = [
            i.code
            for i in indicators_reported_by(department).filter(plan__slug=PLAN)
            if i.kind in ("level", "annual_total", "rate")
        ]
        slots[name] = [
            (code, year, quarter)
            for year, quarter in ((2025, 1), (2025, 2), (2025, 3), (2025, 4), (2025, None))
            for code in codes
            if (code, year, quarter) not in taken
        ]
    return slots


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The benchmark's own database (the harness points Django at it), for the server."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def start_server(args, port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "PROGRESS_CACHE_SECONDS": "0" if args.no_cache or not args.cache_url else "300",
            "API_USER_RATE": "100000/min",
        }
    )
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    env["DATABASE_URL"] = database_url()
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "lucounty.wsgi",
        "-c", str(ROOT / "lucounty" / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
        "-w", str(workers), "--access-logfile", "/dev/null", "--log-level", "warning",
    ]  # fmt: skip
    if args.threads > 1:
        command += ["-k", "gthread", "--threads", str(args.threads)]
    # The server's log goes to a file: a pipe nobody reads fills up and stalls every worker.
    log_path = Path(tempfile.mkdtemp(prefix="lucounty-load-")) / "server.log"
    with log_path.open("wb") as log:  # the server keeps its own copy of the descriptor
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server.log_path = log_path
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start: " + log_path.read_text()[-2000:])


class _Refuse(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urllib then raises HTTPError with the 3xx status


NO_REDIRECTS = urllib.request.build_opener(_Refuse)
SESSION_COOKIE = "sessionid="


def log_in(base: str, username: str, password: str) -> str:
    """Log in through the login page as a browser does; the session cookie ("sessionid=…")."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _Refuse)
    opener.open(base + "/accounts/login/", timeout=30).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    ).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=form)
    request.add_header("Referer", base + "/accounts/login/")
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as exc:  # 302 to the plan: logged in
        if exc.code != 302:
            raise
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        raise SystemExit(f"{username} could not log in")
    return SESSION_COOKIE + session


class Driver:
    """Threads that call the server until the deadline, recording every answer."""

    def __init__(self, base: str, deadline: float):
        self.base, self.deadline = base, deadline
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.first_error: dict[str, str] = {}
        self.acknowledged: list[int] = []
        self.lock = threading.Lock()

    def call(self, route: str, token: str, path: str, body: dict | None = None, method=None):
        """One request: `token` is an API token, or a page's session cookie ("sessionid=…").
        A redirect is not followed: it counts as an error (a page that sends its reader to the
        login page has not been read)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if token.startswith(SESSION_COOKIE):
            request.add_header("Cookie", token)
        else:
            request.add_header("Authorization", f"Token {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        start = time.perf_counter()
        try:
            with NO_REDIRECTS.open(request, timeout=30) as response:
                payload = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            payload, status = exc.read(), exc.code
        except OSError:
            payload, status = b"", 0
        elapsed = time.perf_counter() - start
        with self.lock:
            self.times[route].append(elapsed)
            if status >= 400 or status == 0:
                self.errors[route] += 1
                self.first_error.setdefault(route, f"{status} {payload[:200]!r}")
        return status, payload

    def reader(self, token: str, session: str, codes: list[str]) -> None:
        """A leader: pages with their login session, the progress API with their token."""
        while time.perf_counter() < self.deadline:
            choice = random.random()
            if choice < 0.4:
                self.call("overview", session, f"/plans/{PLAN}/?year=2026&quarter=3")
            elif choice < 0.8:
                code = random.choice(codes)
                self.call(
                    "indicator", session, f"/plans/{PLAN}/indicators/{code}/?year=2026&quarter=3"
                )
            else:
                self.call(
                    "progress API", token, f"/api/v1/plans/{PLAN}/progress/?year=2026&quarter=3"
                )

    def writer(self, token: str, reviewer: str, slots: list) -> None:
        """Enter a value for a free period and have it approved; once the free periods are
        used up, correct an approved value (with a reason) and have that approved."""
        mine: list[list[int]] = []  # [id, version] of values this writer had approved
        while time.perf_counter() < self.deadline:
            value = str(random.randint(1, 9))
            if slots:
                code, year, quarter = slots.pop()
                body = {
                    "plan": PLAN, "indicator": code, "year": year, "quarter": quarter,
                    "value": value, "source": "压力测试", "submit": True,
                    "explanation": EXPLANATION,
                }  # fmt: skip
                status, payload = self.call("enter (API)", token, "/api/v1/actuals/", body)
                expected = 201
            elif mine:
                pk, version = random.choice(mine)
                body = {
                    "value": value,
                    "reason": "压力测试更正",
                    "note": "压力测试：随机数值",  # a change of over 50% needs a note
                    "version": version,
                    "submit": True,
                    "explanation": EXPLANATION,
                }
                status, payload = self.call(
                    "correct (API)", token, f"/api/v1/actuals/{pk}/", body, method="PATCH"
                )
                expected = 200
            else:
                return
            if status != expected:
                continue
            entered = json.loads(payload)
            body = {"version": entered["version"]}
            status, payload = self.call(
                "approve (API)", reviewer, f"/api/v1/actuals/{entered['id']}/approve/", body
            )
            if status == 200:
                approved = json.loads(payload)
                mine = [m for m in mine if m[0] != approved["id"]]
                mine.append([approved["id"], approved["version"]])
                with self.lock:
                    self.acknowledged.append((approved["id"], approved["version"]))


def lost_writes(acknowledged: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Acknowledged approvals (id, version) missing from the history: each approval is a
    history step of that version in state approved."""
    from indicators.models import Actual

    ids = {pk for pk, _version in acknowledged}
    recorded = set(Actual.history.filter(id__in=ids, state="approved").values_list("id", "version"))
    return [write for write in acknowledged if write not in recorded]


def cpu_reference() -> float:
    """Seconds a fixed pure-Python loop takes on this machine: the same code's throughput moves
    with it (a shared or throttled machine), so each run reports it beside its figures."""
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i * i % 7
    return time.perf_counter() - start


def main(argv=None) -> int:
    args = parse_args(argv)
    static = tempfile.TemporaryDirectory(prefix="lucounty-load-static-")
    os.environ["STATIC_ROOT"] = static.name  # the server serves hashed files: collect them
    with static, bench_database(args):
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        tokens = prepare()
        slots = owed()
        from indicators.models import Indicator

        codes = list(Indicator.objects.filter(plan__slug=PLAN).values_list("code", flat=True))
        port = free_port()
        server = start_server(args, port)
        try:
            base = f"http://127.0.0.1:{port}"
            session = log_in(base, "load_leader", LEADER_PASSWORD)
            driver = Driver(base, time.perf_counter() + args.seconds)
            threads = [
                threading.Thread(target=driver.reader, args=(tokens["load_leader"], session, codes))
                for _ in range(args.readers)
            ]
            clerks = list(CLERKS)
            threads += [
                threading.Thread(
                    target=driver.writer,
                    args=(
                        tokens[clerks[i % len(clerks)]],
                        tokens["load_reviewer"],
                        slots[clerks[i % len(clerks)]],
                    ),
                )  # fmt: skip
                for i in range(args.writers)
            ]
            reference = cpu_reference()
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            log = Path(server.log_path)
            if os.environ.get("LOAD_SHOW_SERVER_ERRORS"):
                print(log.read_text()[-6000:])
            log.unlink()
        lost = lost_writes(driver.acknowledged)
        report(args, driver, elapsed, lost, reference)
        return 1 if lost or sum(driver.errors.values()) else 0


def report(args, driver: Driver, elapsed: float, lost: list[int], reference: float) -> None:
    total = sum(len(t) for t in driver.times.values())
    lines = [
        f"- {args.readers} readers, {args.writers} writers, {args.seconds:.0f} s; "
        f"progress cache {'off' if args.no_cache or not args.cache_url else 'on'}"
        + (f" ({args.cache_url})" if args.cache_url else " (no shared cache)"),
        *environment_lines(),
        f"- CPU reference (a 5-million-step Python loop, just before the run): {reference:.2f} s",
        f"- requests: {total} in {elapsed:.1f} s = {total / elapsed:.1f} req/s",
        f"- errors: {sum(driver.errors.values())}; acknowledged writes: "
        f"{len(driver.acknowledged)}, lost: {len(lost)}",
        "",
        "| route | requests | p50 ms | p95 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for route, times in sorted(driver.times.items()):
        p = {name: seconds * 1000 for name, seconds in percentiles(times).items()}
        lines.append(
            f"| {route} | {len(times)} | {p['p50']:.0f} | {p['p95']:.0f} | {p['max']:.0f} "
            f"| {driver.errors[route]} |"
        )
    lines += [f"- first error of {route}: {text}" for route, text in driver.first_error.items()]
    print("\n".join(lines))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
