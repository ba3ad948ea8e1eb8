"""Read a plan file into checked plain data: a YAML file (docs/plan-file.md) or the plan
workbook (an .xlsx of the plan's own table, `indicators.planbook`).

Both come in as the same nested mapping and are checked here, once, by one set of rules: every
key is known, every value has its type and fits its database column, targets are read as
printed (domain.md §9), and every reference resolves. No database here: `read_plan_file`
returns a `PlanData` or raises `PlanFileError` listing every problem, each with the line (YAML)
or the cell (workbook) it is about, in Chinese, so a county official can correct the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from indicators import models
from indicators.domain import periods, regions
from indicators.domain import targets as forms

KINDS = ("level", "cumulative", "annual_total", "rate", "zero_event", "milestone")
DIRECTIONS = ("higher", "lower")
PATHS = ("linear", "geometric")
DEPARTMENT_KINDS = ("bureau", "town", "other")
ORIGINS = ("table", "text")
# A table target's clause, unless the file names one: the plan's own heading of its table.
TABLE_CLAUSE = "具体指标表"
# Codes and slugs go into URLs: ASCII letters, digits, - and _ only.
ASCII_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
FIRST_YEAR, LAST_YEAR = 1949, 2100
# "3月31日" as a table prints it, or "03-31".
MONTH_DAY = re.compile(r"^(?:(\d{1,2})月(\d{1,2})日|(\d{1,2})-(\d{1,2}))$")
# Forms whose target is a number to reach or hold (as opposed to a range, a judgement …).
NUMBER_FORMS = (forms.PLAIN, forms.AT_LEAST, forms.AT_MOST, forms.ABOUT)
COMPOUND_FORMS = (forms.PER_YEAR, forms.TOTAL)
# An indicator named for a fall (单位GDP能耗降低) reports the size of the fall.
REDUCTION_WORDS = ("降低", "下降", "减少")

TOP_KEYS = ("plan", "departments", "dimensions", "indicators", "projects")
PLAN_KEYS = (
    "slug",
    "name",
    "region",
    "baseline_year",
    "milestone_years",
    "source_document",
    "deadline_days",
    "annual_deadline",
    "first_tracked_year",
    "example",
)
DEPARTMENT_KEYS = ("name", "kind")
INDICATOR_KEYS = (
    "code",
    "code_derived",
    "dimension",
    "name",
    "unit",
    "kind",
    "direction",
    "path",
    "binding",
    "frequency",
    "may_be_negative",
    "baseline",
    "baseline_text",
    "baseline_note",
    "reason",
    "note",
    "catalogue_code",
    "tolerance",
    "reference",
    "stages",
    "lead",
    "responsible",
    "data_source",
    "targets",
)
TARGET_KEYS = ("year", "text", "value", "stage", "origin", "clause")
PROJECT_KEYS = ("number", "name", "tasks")
# `task_targets`: targets a task's text states for things that are not table indicators, kept
# in the file for the record (docs/decisions.md); nothing is tracked from them.
TASK_KEYS = (
    "name",
    "text",
    "clause",
    "lead",
    "lead_inferred",
    "responsible",
    "indicators",
    "task_targets",
)
LINK_KEYS = ("code", "code_or_name", "clause")


class PlanFileError(Exception):
    """The file cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _DecimalLoader(yaml.SafeLoader):
    """YAML numbers with a fraction become exact Decimals, never floats."""


def _decimal_scalar(loader, node) -> Decimal | str:
    """A YAML float as the exact Decimal it prints; one that has none (.inf, .nan, the
    sexagesimal 1:30.5) stays text, for the checker to refuse as "not a number"."""
    text = loader.construct_scalar(node)
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_scalar)


@dataclass(frozen=True)
class TargetData:
    year: int
    text: str  # the cell exactly as printed
    form: str
    value: Decimal | None
    stage: str | None
    origin: str
    clause: str
    lower: Decimal | None = None
    upper: Decimal | None = None
    strict: bool = False
    tolerance: Decimal | None = None
    compound: str = ""
    reference: str | None = None  # the referenced indicator's code


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
    frequency: str = periods.QUARTERLY
    may_be_negative: bool = False
    baseline_text: str = ""
    catalogue_code: str = ""
    note: str = ""
    code_derived: bool = False
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    data_source: tuple[str, ...] = ()


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
    annual_deadline: tuple[int, int] = (3, 31)
    first_tracked_year: int | None = None
    example: bool = False

    @property
    def derived_codes(self) -> list[str]:
        """Indicator codes the loader made up from the row's position (the table had none)."""
        return [item.code for item in self.indicators if item.code_derived]


def read_plan_file(path: str | Path) -> PlanData:
    """Parse and check a plan file (.yaml/.yml or .xlsx); raise PlanFileError listing every
    problem."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from indicators import planbook  # the workbook reader needs openpyxl only here

        try:
            raw, where = planbook.read_workbook(path)
        except planbook.PlanBookError as exc:
            if exc.raw is None:  # not a workbook of this layout: nothing more to check
                raise PlanFileError(exc.problems) from exc
            # The cells the workbook reader could not read, and every other problem, at once.
            return check_plan(exc.raw, exc.where, exc.problems)
        return check_plan(raw, where)
    raw, where, twice = _read_yaml(path)
    try:
        data = check_plan(raw, where)
    except PlanFileError as exc:
        raise PlanFileError(twice + exc.problems) from exc
    if twice:
        raise PlanFileError(twice)
    return data


def _read_yaml(path: Path) -> tuple[dict, dict[tuple, str], list[str]]:
    """The file's mapping, the line of every key and list item in it, and the keys written
    twice in one mapping (YAML would silently keep the last one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError([_("Cannot read the plan file: %(error)s") % {"error": exc}]) from exc
    try:
        raw = yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 (a SafeLoader)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise PlanFileError(
            [_("The plan file is not valid YAML: %(error)s") % {"error": exc}]
        ) from exc
    if not isinstance(raw, dict):
        raise PlanFileError([_("The plan file must be a YAML mapping.")])
    where: dict[tuple, str] = {}
    twice: list[str] = []
    _lines(node, (), where, twice)
    return raw, where, twice


def _lines(node, path: tuple, where: dict, twice: list[str]) -> None:
    """Record `line N` for every node of the YAML tree, by its path of keys and indexes, and
    a problem for every key that repeats one of its mapping."""
    # A key's line, not its value's: "targets:" names its own line, not its first item's.
    where.setdefault(path, _("line %(line)s") % {"line": node.start_mark.line + 1})
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            line = _("line %(line)s") % {"line": key.start_mark.line + 1}
            if key.value in seen:
                twice.append(
                    f"{line}：" + _("the field “%(key)s” is written twice") % {"key": key.value}
                )
            seen.add(key.value)
            where[(*path, key.value)] = line
            _lines(value, (*path, key.value), where, twice)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), where, twice)


def check_plan(raw: dict, where: dict[tuple, str], earlier: list[str] = ()) -> PlanData:
    """Check a plan's mapping (from YAML or the workbook); raise PlanFileError with every
    problem, each named by its line or cell.

    `earlier`: the problems found while reading the source (the cells of a workbook that could
    not be read), each "place：message". They come first; a problem of the checker at a place
    already named, or at none, follows from one of them and is left out, so that each place
    is named once."""
    reader = _Reader(where, earlier)
    data = reader.plan(raw)
    if reader.problems:
        raise PlanFileError(reader.problems)
    return data


def max_length(model, name: str) -> int:
    """The database column's bound: one home for how long a name or a text may be."""
    return model._meta.get_field(name).max_length


class _Reader:
    """Collects problems instead of stopping at the first one."""

    def __init__(self, where: dict[tuple, str], earlier=()):
        self.where = where
        self.problems: list[str] = list(earlier)
        self.named = {problem.partition("：")[0] for problem in earlier}
        self.target_years: set[int] = set()  # every target's year, read or not

    # --- Messages ---------------------------------------------------------------

    def locate(self, path: tuple) -> str:
        """The line or cell of a path, or of its nearest ancestor the source located."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.where:
                return self.where[path[:end]]
        return ""

    def fail(self, path: tuple, message: str) -> None:
        location = self.locate(path)
        if self.named and (not location or location in self.named):
            return  # follows from a problem of the source already listed there
        self.problems.append(f"{location}：{message}" if location else message)

    # --- Typed values -----------------------------------------------------------

    def mapping(self, value, path: tuple, keys: tuple[str, ...]) -> dict:
        """A mapping with only known keys; a misspelt key would silently drop data."""
        if not isinstance(value, dict):
            self.fail(path, _("expected a mapping of fields here"))
            return {}
        for key in value:
            if key not in keys:
                self.fail(
                    (*path, key),
                    _("unknown field “%(key)s” (known: %(known)s)")
                    % {"key": key, "known": ", ".join(keys)},
                )
        return value

    def items(self, mapping: dict, key: str, path: tuple) -> list:
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail((*path, key), _("“%(key)s” must be a list") % {"key": key})
            return []
        return value

    def text(self, mapping, key, path, *, bound: int, required=False, default="") -> str:
        value = mapping.get(key)
        if value is None or value == "":
            if required:
                self.fail((*path, key), _("missing field “%(key)s”") % {"key": key})
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.fail((*path, key), _("“%(key)s” must be text") % {"key": key})
            return default
        value = str(value).strip()
        if len(value) > bound:
            self.fail(
                (*path, key),
                _("“%(key)s” is longer than %(bound)s characters") % {"key": key, "bound": bound},
            )
        return value

    def integer(self, mapping, key, path, *, low: int, high: int, required=False, default=None):
        value = mapping.get(key)
        if value is None:
            if required:
                self.fail((*path, key), _("missing field “%(key)s”") % {"key": key})
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                (*path, key),
                _("“%(key)s” must be a whole number from %(low)s to %(high)s, not “%(value)s”")
                % {"key": key, "low": low, "high": high, "value": value},
            )
            return default
        return value

    def boolean(self, mapping, key, path, default=False) -> bool:
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.fail(
                (*path, key),
                _("“%(key)s” must be true or false, not “%(value)s”")
                % {"key": key, "value": value},
            )
            return default
        return value

    def choice(self, mapping, key, path, choices: tuple[str, ...], default: str) -> str:
        value = mapping.get(key)
        if value is None:
            return default
        if value not in choices:
            self.fail(
                (*path, key),
                _("unknown %(key)s “%(value)s” (one of %(choices)s)")
                % {"key": key, "value": value, "choices": ", ".join(choices)},
            )
            return default
        return value

    def number(self, mapping, key, path) -> Decimal | None:
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.fail((*path, key), _("“%(value)s” is not a number") % {"value": value})
            return None
        value = Decimal(value)
        if not value.is_finite() or abs(value) >= Decimal("1e15") or value.as_tuple().exponent < -4:
            self.fail(
                (*path, key),
                _("“%(value)s” does not fit: at most 15 digits and 4 decimal places")
                % {"value": value},
            )
            return None
        return value

    def names(self, mapping, key, path, known: set[str], taken=()) -> tuple[str, ...]:
        """A list of department names, each one the plan declares, none twice (nor one of
        `taken`: a task's lead named again as responsible would lose its role)."""
        result = []
        for index, name in enumerate(self.items(mapping, key, path)):
            if not isinstance(name, str) or name not in known:
                self.fail((*path, key, index), _("unknown department “%(name)s”") % {"name": name})
            elif name in result or name in taken:
                self.fail(
                    (*path, key, index),
                    _("duplicate %(what)s “%(value)s”") % {"what": _("department"), "value": name},
                )
            else:
                result.append(name)
        return tuple(result)

    def unique(self, values: list, path: tuple, what: str) -> None:
        """Each value once; an empty one (a missing name or code, refused on its own) is not
        a duplicate."""
        seen = set()
        for index, value in enumerate(values):
            if not value:
                continue
            if value in seen:
                self.fail(
                    (*path, index),
                    _("duplicate %(what)s “%(value)s”") % {"what": what, "value": value},
                )
            seen.add(value)

    # --- The plan ---------------------------------------------------------------

    def plan(self, raw: dict) -> PlanData:
        raw = self.mapping(raw, (), TOP_KEYS)
        head = self.mapping(raw.get("plan"), ("plan",), PLAN_KEYS)
        at = ("plan",)
        baseline_year = self.integer(
            head, "baseline_year", at, low=FIRST_YEAR, high=LAST_YEAR - 1, required=True, default=0
        )
        departments = self.departments(raw)
        dimensions = self.dimensions(raw)
        names = {name for name, _kind in departments}
        indicators = self.indicators(raw, baseline_year, set(dimensions), names)
        projects = tuple(
            self.project(item, ("projects", i), names, indicators)
            for i, item in enumerate(self.items(raw, "projects", ()))
        )
        self.unique([project.number for project in projects], ("projects",), _("number"))
        self.unique([project.name for project in projects], ("projects",), _("project"))
        return PlanData(
            slug=self.slug(head),
            name=self.text(head, "name", at, bound=max_length(models.Plan, "name"), required=True),
            region=self.region_code(head),
            baseline_year=baseline_year,
            milestone_years=self.milestone_years(head, baseline_year, indicators),
            source_document=self.text(
                head, "source_document", at, bound=max_length(models.Plan, "source_document")
            ),
            deadline_days=self.integer(head, "deadline_days", at, low=0, high=365, default=15),
            annual_deadline=self.month_day(head),
            first_tracked_year=self.integer(
                head, "first_tracked_year", at, low=baseline_year + 1, high=LAST_YEAR
            ),
            example=self.boolean(head, "example", at),
            departments=departments,
            dimensions=dimensions,
            indicators=indicators,
            projects=projects,
        )

    def slug(self, head: dict) -> str:
        slug = self.text(
            head, "slug", ("plan",), bound=max_length(models.Plan, "slug"), required=True
        )
        if slug and not ASCII_CODE.match(slug):
            self.fail(
                ("plan", "slug"),
                _(
                    "the plan's code “%(slug)s” goes into web addresses: use ASCII letters, "
                    "digits, "
                    "- and _ only (e.g. luhe-15th-five-year)"
                )
                % {"slug": slug},
            )
        return slug

    def region_code(self, head: dict) -> str:
        """The plan's region by its code, a province's, city's or county's (six digits)."""
        if "county" in head:
            self.fail(
                ("plan", "county"),
                _("“county” is replaced by “region”, the region's code (e.g. 441523)"),
            )
        code = head.get("region")
        code = str(code) if isinstance(code, int) and not isinstance(code, bool) else code
        # A plan belongs to a province, a city or a county (the rules of domain/regions.py).
        if not isinstance(code, str) or regions.level_of(code) in (None, regions.TOWN):
            self.fail(
                ("plan", "region"), _('region must be a six-digit region code, e.g. "441523"')
            )
            return ""
        return code

    def month_day(self, head: dict) -> tuple[int, int]:
        """The date of the year after when annual figures are due: "3月31日" or "03-31"."""
        text = head.get("annual_deadline")
        if text is None:
            return (3, 31)
        match = MONTH_DAY.match(str(text).strip())
        numbers = [int(n) for n in match.groups() if n] if match else []
        try:
            date(2001, *numbers)  # a year without 29 February: the date must exist every year
        except (TypeError, ValueError):
            self.fail(
                ("plan", "annual_deadline"),
                _("“%(text)s” is not a date of the year such as 3月31日") % {"text": text},
            )
            return (3, 31)
        return numbers[0], numbers[1]

    def milestone_years(self, head: dict, baseline_year: int, indicators) -> tuple[int, ...]:
        """Every year that carries a target; a file that lists them must list exactly those
        (a workbook lists its target columns). A refused target still counts for its year:
        its own problem is enough."""
        years = tuple(sorted({t.year for item in indicators for t in item.targets}))
        listed = head.get("milestone_years")
        if listed is None:
            return years
        carried = {year for year in self.target_years if baseline_year < year <= LAST_YEAR}
        whole = isinstance(listed, list) and all(
            isinstance(year, int) and not isinstance(year, bool) for year in listed
        )
        if not whole or len(set(listed)) != len(listed) or not carried <= set(listed):
            self.fail(
                ("plan", "milestone_years"),
                _("milestone_years must list the years that carry targets: %(years)s")
                % {"years": ", ".join(str(year) for year in sorted(carried))},
            )
            return years
        for index, year in enumerate(listed):
            if year not in self.target_years:
                self.fail(
                    ("plan", "milestone_years", index),
                    _("no indicator has a target for %(year)s") % {"year": year},
                )
        return years

    def departments(self, raw: dict) -> tuple[tuple[str, str], ...]:
        result = []
        bound = max_length(models.Department, "name")
        for i, item in enumerate(self.items(raw, "departments", ())):
            path = ("departments", i)
            item = self.mapping(item, path, DEPARTMENT_KEYS)
            name = self.text(item, "name", path, bound=bound, required=True)
            kind = self.choice(item, "kind", path, DEPARTMENT_KINDS, "bureau")
            result.append((name, kind))
        self.unique([name for name, _kind in result], ("departments",), _("department"))
        return tuple(result)

    def dimensions(self, raw: dict) -> tuple[str, ...]:
        bound = max_length(models.Dimension, "name")
        items = self.items(raw, "dimensions", ())
        if not items:
            self.fail(("dimensions",), _("at least one dimension is needed"))
        result = []
        for i, name in enumerate(items):
            if not isinstance(name, str) or not name.strip() or len(name) > bound:
                self.fail(
                    ("dimensions", i),
                    _("a dimension is a name of at most %(bound)s characters") % {"bound": bound},
                )
            else:
                result.append(name.strip())
        self.unique(result, ("dimensions",), _("dimension"))
        return tuple(result)

    # --- Indicators -------------------------------------------------------------

    def indicators(self, raw, baseline_year, dimensions, departments) -> tuple[IndicatorData, ...]:
        items = self.items(raw, "indicators", ())
        mappings = [
            self.mapping(item, ("indicators", i), INDICATOR_KEYS) for i, item in enumerate(items)
        ]
        codes = [str(item.get("code", "")) for item in mappings]
        self.unique(codes, ("indicators",), _("indicator code"))
        lookup = _IndicatorLookup(mappings)
        return tuple(
            self.indicator(item, ("indicators", i), baseline_year, dimensions, departments, lookup)
            for i, item in enumerate(mappings)
        )

    def indicator(self, item, path, baseline_year, dimensions, departments, lookup):
        code = self.text(item, "code", path, bound=max_length(models.Indicator, "code"))
        if not code or not ASCII_CODE.match(code):
            self.fail(
                (*path, "code"),
                _("an indicator needs a code of ASCII letters, digits, - and _ (e.g. gdp_growth)"),
            )
        dimension = self.text(item, "dimension", path, bound=200, required=True)
        if dimension and dimension not in dimensions:
            self.fail((*path, "dimension"), _("unknown dimension “%(name)s”") % {"name": dimension})
        kind = self.choice(item, "kind", path, KINDS, "level")
        # An unknown kind is refused above; its targets are not then judged against a guess.
        known_kind = kind if item.get("kind") in (None, kind) else None
        stages = self.stages(item, path)
        targets = self.targets(item, path, baseline_year, known_kind, stages, lookup, code)
        return IndicatorData(
            code=code,
            dimension=dimension,
            name=self.text(
                item, "name", path, bound=max_length(models.Indicator, "name"), required=True
            ),
            unit=self.text(item, "unit", path, bound=max_length(models.Indicator, "unit")),
            kind=kind,
            direction=self.direction(item, path, targets),
            path=self.choice(item, "path", path, PATHS, "linear"),
            binding=self.boolean(item, "binding", path),
            frequency=self.choice(item, "frequency", path, periods.FREQUENCIES, periods.QUARTERLY),
            may_be_negative=self.boolean(item, "may_be_negative", path),
            baseline=self.baseline(item, path, kind),
            baseline_text=self.text(
                item, "baseline_text", path, bound=max_length(models.Indicator, "baseline_text")
            ),
            baseline_note=self.text(
                item, "baseline_note", path, bound=max_length(models.Indicator, "baseline_note")
            ),
            reason=self.text(item, "reason", path, bound=max_length(models.Indicator, "reason")),
            note=self.text(item, "note", path, bound=max_length(models.Indicator, "note")),
            catalogue_code=self.text(
                item, "catalogue_code", path, bound=max_length(models.Indicator, "catalogue_code")
            ),
            code_derived=self.boolean(item, "code_derived", path),
            stages=stages,
            targets=targets,
            lead=self.names(item, "lead", path, departments),
            responsible=self.names(item, "responsible", path, departments),
            data_source=self.names(item, "data_source", path, departments),
        )

    def baseline(self, item: dict, path: tuple, kind: str) -> Decimal | None:
        """The baseline number; a count of events printed 零发生 had none: 0, not missing."""
        number = self.number(item, "baseline", path)
        if number is None and kind == "zero_event" and item.get("baseline_text") == "零发生":
            return Decimal(0)
        return number

    def stages(self, item: dict, path: tuple) -> tuple[str, ...]:
        bound = max_length(models.Stage, "label")
        result = []
        for i, stage in enumerate(self.items(item, "stages", path)):
            if not isinstance(stage, str) or not stage.strip() or len(stage) > bound:
                self.fail(
                    (*path, "stages", i),
                    _("a stage is a name of at most %(bound)s characters") % {"bound": bound},
                )
            else:
                result.append(stage.strip())
        self.unique(result, (*path, "stages"), _("stage"))
        return tuple(result)

    def direction(self, item: dict, path: tuple, targets) -> str:
        """The table's direction, else the one the targets' form implies, else higher; a
        direction contradicting the form (≥ with 越低越好) is refused (domain.md §9)."""
        implied = {
            t.form: "higher" if t.form == forms.AT_LEAST else "lower"
            for t in targets
            if t.form in (forms.AT_LEAST, forms.AT_MOST)
        }
        if len(set(implied.values())) > 1:
            self.fail((*path, "targets"), _("the targets say both “at least” and “at most”"))
        given = self.choice(item, "direction", path, DIRECTIONS, "")
        wanted = next(iter(implied.values()), None)
        if given and wanted and given != wanted:
            self.fail(
                (*path, "direction"),
                _("the direction “%(given)s” contradicts the target's form (%(wanted)s is better)")
                % {"given": given, "wanted": wanted},
            )
        return given or wanted or "higher"

    def targets(self, item, path, baseline_year, kind, stages, lookup, code):
        read = [
            (i, self.target(target, (*path, "targets", i), baseline_year, kind, stages))
            for i, target in enumerate(self.items(item, "targets", path))
        ]
        result = [(i, t) for i, t in read if t is not None]
        years = set()
        for i, target in result:  # named by its own line, whichever targets before it failed
            if target.year in years:
                self.fail(
                    (*path, "targets", i),
                    _("duplicate %(what)s “%(value)s”")
                    % {"what": _("target year"), "value": target.year},
                )
            years.add(target.year)
        tolerance = self.number(item, "tolerance", path)
        reference = item.get("reference")
        relative = any(t.form == forms.RELATIVE for _i, t in result)
        if reference is not None and not relative and lookup.find(reference) is None:
            # Unused without an “in step with” target, but a dangling name is still a mistake.
            self.fail((*path, "reference"), _("unknown indicator “%(code)s”") % {"code": reference})
        return tuple(
            self.finish_target(target, (*path, "targets", i), item, tolerance, lookup, code)
            for i, target in sorted(result, key=lambda pair: pair[1].year)
        )

    def target(self, item, path, baseline_year, kind, stages) -> TargetData | None:
        item = self.mapping(item, path, TARGET_KEYS)
        year = item.get("year")
        if isinstance(year, int) and not isinstance(year, bool):
            self.target_years.add(year)
        if isinstance(year, int) and not isinstance(year, bool) and year <= baseline_year:
            self.fail(
                (*path, "year"),
                _("The target year must be after the plan's baseline year %(baseline_year)s.")
                % {"baseline_year": baseline_year},
            )
            return None
        year = self.integer(
            item, "year", path, low=baseline_year + 1, high=LAST_YEAR, required=True
        )
        if year is None:
            return None
        read = self.target_text(item, path, stages)
        if read is None:
            return None
        origin = self.choice(item, "origin", path, ORIGINS, "table")
        clause = self.text(item, "clause", path, bound=10_000) or (
            TABLE_CLAUSE if origin == "table" else ""
        )
        if not clause:
            self.fail(path, _("a target from the text needs the clause that states it"))
        problem = forms.misfit(read, kind) if kind else None
        if problem:
            self.fail((*path, "text"), problem)
        return TargetData(
            year=year,
            text=read.text,
            form=read.form,
            value=read.value,
            stage=read.stage,
            origin=origin,
            clause=clause,
            lower=read.lower,
            upper=read.upper,
            strict=read.strict,
            tolerance=read.tolerance,
            compound=read.compound or "",
        )

    def target_text(self, item: dict, path: tuple, stages) -> forms.TargetText | None:
        """The target as printed, read by its form (domain.md §9). A YAML target may give a
        plain `value` or `stage` instead of the text; both must then agree."""
        bound = max_length(models.Target, "text")
        text = self.text(item, "text", path, bound=bound)
        value, stage = self.number(item, "value", path), item.get("stage")
        if value is not None and stage is not None:
            self.fail(path, _("a target needs either a value or a stage, not both"))
            return None
        if stage is not None and stage not in stages:
            self.fail(
                (*path, "stage"), _("stage “%(stage)s” is not in the stages") % {"stage": stage}
            )
            return None
        printed = text or (str(stage) if stage is not None else _printed(value))
        if not printed:
            self.fail(path, _("a target needs its text as printed, a value or a stage"))
            return None
        try:
            read = forms.read_target(printed, stages)
        except forms.TargetTextError as exc:
            self.fail((*path, "text" if text else "value"), str(exc))
            return None
        if (
            text
            and (value is not None or stage is not None)
            and (read.value, read.stage)
            != (
                value,
                stage,
            )
        ):
            self.fail(path, _("the target's text and its value or stage disagree"))
        return read

    def finish_target(self, target, path, item, tolerance, lookup, code) -> TargetData:
        """Apply the indicator's 容差 and 参照指标 to the targets that use them, and read a
        compound rate printed without its verb (累计13.5%) from the indicator's name."""
        changes = {}
        reference = item.get("reference")
        if target.form in COMPOUND_FORMS and not target.compound:
            falls = any(word in str(item.get("name", "")) for word in REDUCTION_WORDS)
            changes["compound"] = forms.REDUCTION if falls else forms.GROWTH
        if target.form in (forms.ABOUT, forms.RELATIVE) and target.tolerance is None:
            changes["tolerance"] = tolerance
        if target.form == forms.RELATIVE:
            found = lookup.find(reference)
            if found is None or found == code:
                self.fail(
                    (*path[:2], "reference"),
                    _(
                        "“%(text)s” needs the indicator it keeps in step with (参照指标: its code "
                        "or name), not “%(reference)s”"
                    )
                    % {"text": target.text, "reference": reference or ""},
                )
            changes["reference"] = found
        return TargetData(**{**target.__dict__, **changes}) if changes else target

    # --- Projects and tasks -----------------------------------------------------

    def project(self, item, path, departments, indicators) -> ProjectData:
        item = self.mapping(item, path, PROJECT_KEYS)
        tasks = tuple(
            self.task(task, (*path, "tasks", i), departments, indicators)
            for i, task in enumerate(self.items(item, "tasks", path))
        )
        self.unique([t.name for t in tasks], (*path, "tasks"), _("task"))
        return ProjectData(
            number=self.integer(item, "number", path, low=1, high=999, required=True, default=0),
            name=self.text(
                item, "name", path, bound=max_length(models.Project, "name"), required=True
            ),
            tasks=tasks,
        )

    def task(self, item, path, departments, indicators) -> TaskData:
        item = self.mapping(item, path, TASK_KEYS)
        clause = self.text(
            item, "clause", path, bound=max_length(models.Task, "clause"), required=True
        )
        lead = self.names(item, "lead", path, departments)
        responsible = self.names(item, "responsible", path, departments, taken=lead)
        for name in lead + responsible:
            if name not in clause:
                self.fail(path, _("“%(name)s” does not appear in the clause") % {"name": name})
        return TaskData(
            name=self.text(
                item, "name", path, bound=max_length(models.Task, "name"), required=True
            ),
            text=self.text(item, "text", path, bound=100_000),
            clause=clause,
            lead=lead,
            lead_inferred=self.boolean(item, "lead_inferred", path),
            responsible=responsible,
            indicators=self.links(item, path, indicators),
        )

    def links(self, item, path, indicators) -> tuple[LinkData, ...]:
        lookup = _IndicatorLookup([{"code": i.code, "name": i.name} for i in indicators])
        result = []
        for i, link in enumerate(self.items(item, "indicators", path)):
            at = (*path, "indicators", i)
            link = self.mapping(link, at, LINK_KEYS)
            wanted = link.get("code", link.get("code_or_name"))
            code = lookup.find(wanted)
            if code is None:
                self.fail(at, _("unknown indicator “%(code)s”") % {"code": wanted})
                continue
            if code in {link.code for link in result}:
                self.fail(
                    at,
                    _("duplicate %(what)s “%(value)s”") % {"what": _("indicator"), "value": code},
                )
                continue
            clause = self.text(link, "clause", at, bound=10_000)
            result.append(LinkData(code=code, clause=clause))
        return tuple(result)


class _IndicatorLookup:
    """Finds an indicator by its code or by its name as printed (the table's 参照指标 and
    关联指标 columns name either)."""

    def __init__(self, items: list[dict]):
        self.codes = {str(i.get("code")) for i in items if i.get("code")}
        self.names = {str(i.get("name")): str(i.get("code")) for i in items if i.get("name")}

    def find(self, wanted) -> str | None:
        if wanted is None:
            return None
        wanted = str(wanted).strip()
        if wanted in self.codes:
            return wanted
        return self.names.get(wanted)


def _printed(value: Decimal | None) -> str:
    """A YAML number as a table prints it: 60 → "60", 8.50 → "8.50" kept as written."""
    return "" if value is None else str(value)
