"""Time loading a large plan workbook (.xlsx): the first load, and a second load of the same file.

Run from the repository root:

    .venv/bin/python benchmarks/bench_planbook.py [--indicators 300] [--repeat 10]

The workbook is synthetic (`raw_plan`): N indicators in 10 dimensions with every target
form of domain.md §9 (plain, ≥ / 以上 / >, ≤ / 控制在…以内, 左右, a—b, 年均增长X%,
累计降低X%, 完成市下达任务, 与…同步 with its 参照指标, 保持适度水平, 零发生, a stage
ladder), every reporting frequency, units, 约束性 and 预期性, 20 departments as 牵头单位 /
责任单位 / 数据来源单位, 2028 and 2030 targets, and 重点任务 linked to indicators;
`indicators.planbook.write_workbook` writes it to a temporary .xlsx.

Measured, each read and checked by `read_plan_file` and loaded by `plan_load`:
- (a) the first load, into an empty database (the region list loaded beforehand; before each run
  the plan and its departments are deleted again, untimed);
- (b) a second load of the same file, which changes nothing;
- (c) `read_plan_file` alone (openpyxl and the checks), the part of (a) and (b) before the
  database.

By default everything happens in a throwaway SQLite file in a temporary directory, removed at
the end. With --database-url postgres://…, the server of that URL gets a dedicated database
(--bench-db, default lucounty_bench), created fresh and dropped at the end; the database named
in the URL is never written to. The project database is never touched. Exit status 1 when the
p95 of (a) or (b) is over --target-ms.
"""

import argparse
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from pathlib import Path

from harness import (
    ROOT,
    add_database_options,
    bench_database,
    environment_lines,
    measure,
    peak_memory,
    table,
)

REGIONS_FILE = ROOT / "fixtures" / "regions.csv"
REGION = "441523"  # 陆河县, in fixtures/regions.csv
SLUG = "bench-planbook"
BASELINE_YEAR = 2025
TARGET_YEARS = (2028, 2030)
FREQUENCIES = ("monthly", "quarterly", "half_yearly", "annual")

DIMENSIONS = (
    "经济发展", "创新驱动", "产业升级", "开放合作", "民生福祉",
    "教育文化", "卫生健康", "绿色生态", "城乡建设", "安全保障",
)  # fmt: skip
DEPARTMENTS = (
    "县发展改革局", "县统计局", "县科工局", "县财政局", "县人社局", "县教育局", "县卫生健康局",
    "县住房城乡建设局", "县农业农村局", "县自然资源局", "县林业局", "县水务局", "县交通运输局",
    "县商务局", "县文化广电旅游体育局", "县应急管理局", "县市场监管局", "市生态环境局陆河分局",
    "河田镇", "水唇镇",
)  # fmt: skip
STATISTICS = "县统计局"
LADDER = ("未开始", "省级命名", "国家级命名")


def _n(value) -> str:
    """A number as a plan prints it: no trailing zeros, no exponent."""
    return format(Decimal(value).normalize(), "f")


# Every row of a plan table this benchmark prints, cycled by position: (name, kind, unit,
# direction, the 2028 and 2030 targets as printed for position i). The forms are those of
# domain.md §9; `raw_plan` adds the 参照指标 and 容差 where a form needs them.
VARIANTS = (
    ("企业数", "level", "家", "higher", lambda k, i: str(20 + 10 * k + i)),
    ("累计建成项目", "cumulative", "个", "higher", lambda k, i: str(100 * k + i)),
    ("营业收入", "annual_total", "亿元", "higher", lambda k, i: _n(Decimal(i) / 10 + 50 * k)),
    ("达标率", "level", "%", "higher", lambda k, i: f"≥{90 + k + i % 4}"),
    ("税收收入", "annual_total", "亿元", "higher", lambda k, i: f"{_n(5 + k + i % 3)}.8以上"),
    ("工业增加值增速", "rate", "%", "higher", lambda k, i: f">{6 + k}"),
    ("不良率", "level", "%", "lower", lambda k, i: f"≤{_n(Decimal('6.5') - k)}"),
    ("调查失业率", "level", "%", "lower", lambda k, i: f"控制在{_n(6 - Decimal(k) / 2)}%以内"),
    ("城镇化率", "level", "%", "higher", lambda k, i: f"{55 + 2 * k + i % 5}左右"),
    ("零售总额增速", "rate", "%", "higher", lambda k, i: f"{5 + k}—{5 + k}.5"),
    ("生产总值增速", "rate", "%", "higher", lambda k, i: f"年均增长{6 + i % 3}%"),
    ("单位生产总值能耗降低", "rate", "%", "higher", lambda k, i: f"累计降低{13 + i % 3}.5%"),
    ("耕地保有量", "level", "万亩", "higher", lambda k, i: "完成市下达任务"),
    ("居民收入增速", "rate", "%", "higher", lambda k, i: "与经济增长基本同步"),
    ("人口自然增长率", "level", "‰", None, lambda k, i: "保持适度水平"),
    ("较大安全事故", "zero_event", "起", "lower", lambda k, i: "零发生"),
    ("示范区创建", "milestone", "", "higher", lambda k, i: LADDER[k]),
)
# Positions in VARIANTS: 左右 states its 容差 on every other row; a relative row refers to the
# per_year row before it (参照指标) with a 容差 of 0.5.
ABOUT, PER_YEAR, RELATIVE = 8, 10, 13


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=300, help="plan size (default 300)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each (default 10)")
    parser.add_argument(
        "--target-ms", type=float, default=5000, help="p95 budget of (a) and (b) (ms)"
    )
    add_database_options(parser)
    args = parser.parse_args(argv)
    if args.indicators < 1 or args.repeat < 1:
        parser.error("--indicators and --repeat must be at least 1")
    return args


# --- The workbook ---------------------------------------------------------------------------


def raw_plan(n: int) -> dict:
    """The plan file's raw dict (as `planbook.read_workbook` returns it) for n indicators."""
    indicators = [_indicator(i, n) for i in range(n)]
    return {
        "plan": {
            "name": f"基准测试规划（{n}个指标，合成数据）",
            "slug": SLUG,
            "region": REGION,
            "baseline_year": BASELINE_YEAR,
            "milestone_years": list(TARGET_YEARS),
            "deadline_days": 15,
            "annual_deadline": "3月31日",
            "first_tracked_year": BASELINE_YEAR + 1,
            "source_document": "合成数据：benchmarks/bench_planbook.py",
            "example": True,
        },
        "departments": [
            {"name": name, "kind": "town" if name.endswith("镇") else "bureau"}
            for name in DEPARTMENTS
        ],
        "dimensions": list(DIMENSIONS),
        "indicators": indicators,
        "projects": _projects(indicators),
    }


def _indicator(i: int, n: int) -> dict:
    """Row i: its variant's form, a frequency (every one within each cycle of the variants and,
    over four cycles, every one for each variant), in dimension blocks as tables print them."""
    cycle, position = divmod(i, len(VARIANTS))
    name, kind, unit, direction, target = VARIANTS[position]
    baseline = _baseline(kind, unit, direction, i)
    lead = DEPARTMENTS[i % len(DEPARTMENTS)]
    others = [d for d in DEPARTMENTS if d not in (lead, STATISTICS)]
    item = {
        "code": f"ind{i:04d}",
        "dimension": DIMENSIONS[i * len(DIMENSIONS) // n],
        "name": f"{name}{i}",
        "unit": unit,
        "binding": i % 3 == 0,
        "baseline": baseline,
        "baseline_text": _baseline_text(kind, baseline),
        "kind": kind,
        "path": "geometric" if kind == "annual_total" else "linear",
        "frequency": FREQUENCIES[(position + cycle) % len(FREQUENCIES)],
        "stages": list(LADDER) if kind == "milestone" else [],
        "lead": [lead],
        "responsible": others[i % 7 : i % 7 + i % 3],  # none, one or two
        "data_source": [STATISTICS] if i % 2 == 0 else [],
        "targets": [
            {"year": year, "text": target(k, i), "origin": "table"}
            for k, year in enumerate(TARGET_YEARS, start=1)
        ],
    }
    if direction:
        item["direction"] = direction
    if position == RELATIVE:
        item["reference"] = f"ind{i - RELATIVE + PER_YEAR:04d}"
        item["tolerance"] = Decimal("0.5")
        item["note"] = "与生产总值增速相差不超过0.5个百分点视为同步"
    if position == ABOUT and i % 2:
        item["tolerance"] = Decimal("0.5")
    return {key: value for key, value in item.items() if value is not None}


def _baseline(kind: str, unit: str, direction: str | None, i: int) -> Decimal | None:
    if kind in ("zero_event", "milestone") or i % 11 == 0:
        return None  # printed as a word, or missing
    if kind == "rate":
        return Decimal(50 + i % 30) / 10
    if unit == "%":
        return Decimal(48 + i % 10) if direction == "higher" else Decimal(45 + i % 30) / 10
    return Decimal(10 + i)


def _baseline_text(kind: str, baseline: Decimal | None) -> str:
    if kind == "zero_event":
        return "零发生"
    if kind == "milestone":
        return LADDER[0]
    return "-" if baseline is None else _n(baseline)


def _projects(indicators: list[dict]) -> list[dict]:
    """Ten 重点工程 of three tasks each, every task linked to two indicators."""
    from indicators.planbook import task_clause

    projects = []
    for p in range(10):
        tasks = []
        for t in range(3):
            number = 3 * p + t
            lead = [DEPARTMENTS[number % len(DEPARTMENTS)]]
            responsible = [DEPARTMENTS[(number + 5) % len(DEPARTMENTS)]]
            linked = [indicators[(7 * number + j) % len(indicators)]["code"] for j in (0, 1)]
            tasks.append(
                {
                    "name": f"任务{p + 1}-{t + 1}",
                    "text": f"实施第{p + 1}项工程的第{t + 1}项任务，到2030年全面完成。",
                    "clause": task_clause(lead, responsible),
                    "lead": lead,
                    "lead_inferred": False,
                    "responsible": responsible,
                    "indicators": [
                        {"code_or_name": code, "clause": ""} for code in dict.fromkeys(linked)
                    ],
                }
            )
        projects.append({"number": p + 1, "name": f"重点工程{p + 1}", "tasks": tasks})
    return projects


def write_file(n: int, directory: Path) -> tuple[Path, float]:
    """The workbook of `raw_plan(n)`, saved in `directory`; and the seconds writing took."""
    from indicators.planbook import write_workbook

    started = time.perf_counter()
    path = directory / f"{SLUG}-{n}.xlsx"
    write_workbook(raw_plan(n)).save(path)
    return path, time.perf_counter() - started


# --- The loads ------------------------------------------------------------------------------


def load_regions() -> None:
    from django.core.management import call_command

    call_command("load_regions", str(REGIONS_FILE), stdout=StringIO())


def empty_database() -> None:
    """Delete the plan and its departments: the database as before the first load (regions
    only). Targets first: they protect the stages and the indicators they refer to."""
    from indicators.models import Department, Indicator, Plan, Target

    Target.objects.filter(indicator__plan__slug=SLUG).delete()
    Indicator.objects.filter(plan__slug=SLUG).delete()
    Plan.objects.filter(slug=SLUG).delete()
    Department.objects.filter(region__code=REGION).delete()


def load(path: Path, first: bool) -> Callable[[], object]:
    """Read, check and load the file; refuse an outcome other than the one expected."""
    from indicators.planfile import read_plan_file
    from indicators.services.plans import plan_load

    def run():
        _plan, report = plan_load(data=read_plan_file(path))
        if first and (report.updated or report.deleted or not report.created):
            raise SystemExit(f"the first load was not a first load: {report}")
        if not first and report.changed:
            raise SystemExit(f"the second load changed the plan: {report}")
        return report

    return run


def read_only(path: Path) -> Callable[[], object]:
    from indicators.planfile import read_plan_file

    return lambda: read_plan_file(path)


def check_loaded(n: int) -> str:
    """What the load wrote, refusing a plan without every form and frequency."""
    from collections import Counter

    from indicators.models import Department, Indicator, Responsibility, Target, Task

    forms = Counter(
        Target.objects.filter(indicator__plan__slug=SLUG).values_list("form", flat=True)
    )
    frequencies = Counter(
        Indicator.objects.filter(plan__slug=SLUG).values_list("frequency", flat=True)
    )
    indicators = sum(frequencies.values())
    if indicators != n or (n >= len(VARIANTS) * 4 and (len(forms) < 10 or len(frequencies) < 4)):
        raise SystemExit(f"loaded {indicators} indicators, forms {forms}, {frequencies}")
    return (
        f"{indicators} indicators ("
        + ", ".join(f"{name} {count}" for name, count in sorted(frequencies.items()))
        + f"), {sum(forms.values())} targets ("
        + ", ".join(f"{name} {count}" for name, count in sorted(forms.items()))
        + f"), {Department.objects.filter(region__code=REGION).count()} departments, "
        f"{Responsibility.objects.filter(indicator__plan__slug=SLUG).count()} responsibilities, "
        f"{Task.objects.filter(project__plan__slug=SLUG).count()} tasks"
    )


# --- Report ---------------------------------------------------------------------------------


def report(args, path: Path, write_s: float, setup_s: float, loaded: str, results, mem) -> None:
    rise = mem["rss_after"] - mem["rss_before"]
    size = path.stat().st_size // 1024
    print(f"- workbook: {args.indicators} indicators, {size} KiB, written in {write_s:.1f} s")
    print(f"- loaded: {loaded}")
    print(f"- {args.repeat} timed runs of each after 1 warm-up")
    print(*environment_lines(), sep="\n")
    print(f"- setup (migrate + regions + workbook): {setup_s:.1f} s")
    print()
    print(*table(results), sep="\n")
    print()
    print(
        f"Memory, one first load (a): Python heap peak (tracemalloc) {mem['heap_mb']:.0f} MB; "
        f"process peak RSS (ru_maxrss) {mem['rss_before']:.0f} MB before, "
        f"{mem['rss_after']:.0f} MB after (+{rise:.0f} MB)"
    )


def verdict(args, results: dict) -> int:
    failed = 0
    print()
    for label, result in results.items():
        if label.startswith(("(a)", "(b)")):
            ok = result["p95"] <= args.target_ms
            failed += not ok
            print(
                f"{'OK' if ok else 'FAIL'}: p95 of {label.split()[0]} is {result['p95']:.0f} ms "
                f"({'within' if ok else 'over'} the {args.target_ms:g} ms target)"
            )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with bench_database(args) as tmp:
        load_regions()
        path, write_s = write_file(args.indicators, tmp)
        setup_s = time.perf_counter() - started
        first, second = load(path, first=True), load(path, first=False)
        results = {
            "(a) first load: read_plan_file + plan_load, empty database": measure(
                first, args.repeat, setup=empty_database
            ),
        }
        loaded = check_loaded(args.indicators)
        results["(b) second load of the same file (no change)"] = measure(second, args.repeat)
        results["(c) read_plan_file alone"] = measure(read_only(path), args.repeat)
        empty_database()
        mem = peak_memory(first)
        report(args, path, write_s, setup_s, loaded, results, mem)
    return verdict(args, results)


if __name__ == "__main__":
    sys.exit(main())
