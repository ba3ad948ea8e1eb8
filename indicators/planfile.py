"""Read a plan file (YAML, see docs/plan-file.md) into checked plain data.

No database here: `read_plan_file` returns a `PlanData` or raises `PlanFileError` with every
problem found, in Chinese, so a county official can correct the file.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from indicators.domain import regions

KINDS = {"level", "cumulative", "annual_total", "rate", "zero_event", "milestone"}
DIRECTIONS = {"higher", "lower"}
PATHS = {"linear", "geometric"}
DEPARTMENT_KINDS = {"bureau", "town", "other"}
ORIGINS = {"table", "text"}
# A table target's clause, unless the file names one: the plan's own heading of its table.
TABLE_CLAUSE = "具体指标表"


class PlanFileError(Exception):
    """The file cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _DecimalLoader(yaml.SafeLoader):
    """YAML numbers with a fraction become exact Decimals, never floats."""


_DecimalLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node))
)


@dataclass(frozen=True)
class TargetData:
    year: int
    value: Decimal | None
    stage: str | None
    origin: str
    clause: str


@dataclass(frozen=True)
class IndicatorData:
    code: str
    dimension: str
    name: str
    unit: str
    kind: str
    direction: str
    path: str
    binding: bool
    baseline: Decimal | None
    baseline_note: str
    reason: str
    stages: tuple[str, ...]
    targets: tuple[TargetData, ...]


@dataclass(frozen=True)
class LinkData:
    code: str
    clause: str


@dataclass(frozen=True)
class TaskData:
    name: str
    text: str
    clause: str
    lead: tuple[str, ...]
    lead_inferred: bool
    responsible: tuple[str, ...]
    indicators: tuple[LinkData, ...]


@dataclass(frozen=True)
class ProjectData:
    number: int
    name: str
    tasks: tuple[TaskData, ...]


@dataclass(frozen=True)
class PlanData:
    slug: str
    name: str
    region: str  # the region's code (GB/T 2260)
    baseline_year: int
    milestone_years: tuple[int, ...]
    source_document: str
    deadline_days: int
    departments: tuple[tuple[str, str], ...]
    dimensions: tuple[str, ...]
    indicators: tuple[IndicatorData, ...]
    projects: tuple[ProjectData, ...] = field(default=())


def read_plan_file(path: str | Path) -> PlanData:
    """Parse and check a plan file; raise PlanFileError listing every problem."""
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_DecimalLoader)  # noqa: S506 (a SafeLoader)
    except OSError as exc:
        raise PlanFileError([_("Cannot read the plan file: %(error)s") % {"error": exc}]) from exc
    except yaml.YAMLError as exc:
        raise PlanFileError(
            [_("The plan file is not valid YAML: %(error)s") % {"error": exc}]
        ) from exc
    if not isinstance(raw, dict):
        raise PlanFileError([_("The plan file must be a YAML mapping.")])
    reader = _Reader()
    data = reader.plan(raw)
    if reader.problems:
        raise PlanFileError(reader.problems)
    return data


def _number(value) -> Decimal | None:
    """YAML ints and Decimals to Decimal; None stays missing."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(value)
    return Decimal(value)


class _Reader:
    """Collects problems instead of stopping at the first one."""

    def __init__(self):
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def require(self, mapping: dict, key: str, where: str, default=None):
        if key not in mapping:
            self.fail(where, _("missing field “%(key)s”") % {"key": key})
            return default
        return mapping[key]

    def plan(self, raw: dict) -> PlanData:
        head = self.require(raw, "plan", "plan", {}) or {}
        departments = self.departments(raw.get("departments") or [])
        dimensions = tuple(raw.get("dimensions") or [])
        if not dimensions:
            self.fail("dimensions", _("at least one dimension is needed"))
        baseline_year = self.require(head, "baseline_year", "plan", 0)
        indicators = tuple(
            self.indicator(item, i, set(dimensions))
            for i, item in enumerate(raw.get("indicators") or [], start=1)
        )
        self.check_unique([ind.code for ind in indicators], "indicators", _("code"))
        names = {name for name, _kind in departments}
        codes = {ind.code for ind in indicators}
        projects = tuple(self.project(item, names, codes) for item in raw.get("projects") or [])
        return PlanData(
            slug=str(self.require(head, "slug", "plan", "")),
            name=str(self.require(head, "name", "plan", "")),
            region=self.region_code(head),
            baseline_year=int(baseline_year),
            milestone_years=tuple(int(y) for y in head.get("milestone_years") or ()),
            source_document=str(head.get("source_document") or ""),
            deadline_days=int(head.get("deadline_days", 15)),
            departments=departments,
            dimensions=dimensions,
            indicators=indicators,
            projects=projects,
        )

    def region_code(self, head: dict) -> str:
        """The plan's region by its code, a province's, city's or county's (six digits)."""
        if "county" in head:
            self.fail(
                "plan", _("“county” is replaced by “region”, the region's code (e.g. 441523)")
            )
        code = self.require(head, "region", "plan", "")
        code = str(code) if isinstance(code, int) and not isinstance(code, bool) else code
        # A plan belongs to a province, a city or a county (the rules of domain/regions.py).
        if not isinstance(code, str) or regions.level_of(code) in (None, regions.TOWN):
            self.fail("plan", _('region must be a six-digit region code, e.g. "441523"'))
            return ""
        return code

    def check_unique(self, values: list, where: str, what: str) -> None:
        seen = set()
        for value in values:
            if value in seen:
                self.fail(
                    where, _("duplicate %(what)s “%(value)s”") % {"what": what, "value": value}
                )
            seen.add(value)

    def departments(self, items: list) -> tuple[tuple[str, str], ...]:
        result = []
        for item in items:
            name, kind = item.get("name"), item.get("kind")
            if kind not in DEPARTMENT_KINDS:
                self.fail(f"departments/{name}", _("unknown kind “%(kind)s”") % {"kind": kind})
            result.append((str(name), str(kind)))
        self.check_unique([name for name, _kind in result], "departments", _("name"))
        return tuple(result)

    def indicator(self, item: dict, position: int, dimensions: set) -> IndicatorData:
        where = f"indicators/{item.get('code', position)}"
        for key, allowed in (("kind", KINDS), ("direction", DIRECTIONS), ("path", PATHS)):
            if item.get(key, "higher" if key == "direction" else "linear") not in allowed:
                self.fail(
                    where, _("unknown %(key)s “%(value)s”") % {"key": key, "value": item.get(key)}
                )
        if item.get("dimension") not in dimensions:
            self.fail(where, _("unknown dimension “%(name)s”") % {"name": item.get("dimension")})
        stages = tuple(str(s) for s in item.get("stages") or ())
        targets = tuple(self.target(t, where, stages) for t in item.get("targets") or ())
        self.check_unique([t.year for t in targets], where, _("target year"))
        return IndicatorData(
            code=str(self.require(item, "code", where, "")),
            dimension=str(item.get("dimension")),
            name=str(self.require(item, "name", where, "")),
            unit=str(item.get("unit") or ""),
            kind=str(item.get("kind")),
            direction=str(item.get("direction", "higher")),
            path=str(item.get("path", "linear")),
            binding=bool(item.get("binding", False)),
            baseline=self.number(item.get("baseline"), where),
            baseline_note=str(item.get("baseline_note") or ""),
            reason=str(item.get("reason") or ""),
            stages=stages,
            targets=targets,
        )

    def number(self, value, where: str) -> Decimal | None:
        try:
            return _number(value)
        except ValueError:
            self.fail(where, _("“%(value)s” is not a number") % {"value": value})
            return None

    def target(self, item: dict, where: str, stages: tuple[str, ...]) -> TargetData:
        where = f"{where}/{item.get('year')}"
        value, stage = self.number(item.get("value"), where), item.get("stage")
        if (value is None) == (stage is None):
            self.fail(where, _("a target needs either a value or a stage, not both"))
        if stage is not None and stage not in stages:
            self.fail(where, _("stage “%(stage)s” is not in the stages") % {"stage": stage})
        if item.get("origin") not in ORIGINS:
            self.fail(where, _("origin must be table or text"))
        clause = item.get("clause") or (TABLE_CLAUSE if item.get("origin") == "table" else "")
        if not clause:
            self.fail(where, _("a target from the text needs the clause that states it"))
        return TargetData(
            year=int(item.get("year") or 0),
            value=value,
            stage=None if stage is None else str(stage),
            origin=str(item.get("origin")),
            clause=str(clause),
        )

    def project(self, item: dict, departments: set, codes: set) -> ProjectData:
        where = f"projects/{item.get('name')}"
        tasks = tuple(self.task(t, where, departments, codes) for t in item.get("tasks") or ())
        self.check_unique([t.name for t in tasks], where, _("task"))
        return ProjectData(
            number=int(item.get("number") or 0), name=str(item.get("name")), tasks=tasks
        )

    def task(self, item: dict, where: str, departments: set, codes: set) -> TaskData:
        where = f"{where}/{item.get('name')}"
        clause = str(self.require(item, "clause", where, ""))
        lead = tuple(str(d) for d in item.get("lead") or ())
        responsible = tuple(str(d) for d in item.get("responsible") or ())
        for name in lead + responsible:
            if name not in departments:
                self.fail(where, _("unknown department “%(name)s”") % {"name": name})
            elif name not in clause:
                self.fail(where, _("“%(name)s” does not appear in the clause") % {"name": name})
        links = tuple(
            LinkData(code=str(link.get("code")), clause=str(link.get("clause") or ""))
            for link in item.get("indicators") or ()
        )
        for link in links:
            if link.code not in codes:
                self.fail(where, _("unknown indicator “%(code)s”") % {"code": link.code})
        return TaskData(
            name=str(item.get("name")),
            text=str(item.get("text") or ""),
            clause=clause,
            lead=lead,
            lead_inferred=bool(item.get("lead_inferred", False)),
            responsible=responsible,
            indicators=links,
        )
