"""The plan workbook: a county's main indicator table in Excel, read into the plan file's raw
dict and written back.

Four sheets: 规划 (项目 | 内容), 指标 (one row per indicator, headers matched by their text,
columns in any order), 重点任务 and 单位 (both optional). `read_workbook` returns the same nested
dict a YAML plan file gives (docs/plan-file.md) together with `where`, the cell each value came
from, so the plan-file checker can name cells in its messages; or it raises PlanBookError
listing every problem, each "指标!G7：…". `write_workbook` writes the same layout, so that a
workbook read, written and read again gives the same dict. No database here.

A plan file records a little more than its printed table; so that a plan written from the
database loads back unchanged, the layout has optional places for it, which the writer adds
only for a plan that needs them: the sheets 目标出处 (a target stated in the plan's text: its
origin and clause) and 关联条款 (the clause of a task's text that states a linked indicator's
target), the 指标 columns 基期值原文, 基期说明, 类型依据 and 可为负数, and the 重点任务 columns
部门条款 and 推定牵头.
"""

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.cells import put
from indicators.domain.formatting import plain
from indicators.planfile import TABLE_CLAUSE
from indicators.uploads.safety import UnsafeWorkbook, check_workbook

PLAN_SHEET, INDICATOR_SHEET, TASK_SHEET, UNIT_SHEET = "规划", "指标", "重点任务", "单位"
TARGET_SOURCE_SHEET, LINK_SHEET = "目标出处", "关联条款"

# A plan table has tens of rows; reading stops here, so that a small file that unpacks to
# millions of rows cannot tie up the server.
MAX_ROWS = 2000
MAX_COLUMNS = 100

# The words a county table prints, mapped to the plan file's codes (writing uses the first).
KIND_WORDS = {
    "时点值": "level",
    "累计值": "cumulative",
    "年度累计值": "annual_total",
    "增速": "rate",
    "零发生": "zero_event",
    "阶段性": "milestone",
}
DIRECTION_WORDS = {"越高越好": "higher", "越低越好": "lower"}
PATH_WORDS = {"线性": "linear", "几何": "geometric"}
FREQUENCY_WORDS = {"月度": "monthly", "季度": "quarterly", "半年": "half_yearly", "年度": "annual"}
BINDING_WORDS = {"约束性": True, "预期性": False}
UNIT_KIND_WORDS = {"县直部门": "bureau", "镇": "town", "其他": "other"}
YES_NO_WORDS = {"是": True, "否": False}
ORIGIN_WORDS = {"指标表": "table", "规划文本": "text"}

DEFAULT_DEADLINE_DAYS = 15
DEFAULT_ANNUAL_DEADLINE = "3月31日"

# A baseline printed as one of these is missing (never 0).
MISSING_MARKS = {"", "-", "－", "—", "——", "–", "/"}
# A unit cell printed as one of these: the indicator has no unit (and its name is not split).
NO_UNIT_MARKS = {"-", "－", "—", "——", "–", "/", "无"}

UNIT_SEPARATORS = re.compile(r"[、，,；;\n]+")
STAGE_SEPARATORS = re.compile(r"→|->")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# The last parenthesised part of a printed name: 生产性服务企业引育数（设计、物流等）（家） → 家.
NAME_AND_UNIT = re.compile(r"(?P<name>.+?)\s*[（(](?P<unit>[^（）()]+)[）)]")
TARGET_HEADER = re.compile(r"(?P<year>\d{4})年(?:目标值?)?")
BASELINE_HEADER = re.compile(r"(?:\d{4}年)?基期值?")
SLUG = re.compile(r"[A-Za-z0-9_-]+")
CODE = re.compile(r"[a-z0-9_-]+")
WHOLE = re.compile(r"(?P<number>\d+)\s*[年天日]?")


class PlanBookError(Exception):
    """The workbook cannot be read; `problems` lists every reason, each with its cell. When
    its sheets could be read, `raw` and `where` are what was read (a cell that could not be
    read left as printed or out), so that the plan-file checker can add its own problems."""

    def __init__(self, problems: list[str], raw: dict | None = None, where=None):
        self.problems = problems
        self.raw = raw
        self.where = where or {}
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Column:
    """A column of a sheet, declared once for reading and writing."""

    header: str
    key: str
    width: int
    choices: tuple[str, ...] = ()  # offered as a drop-down list in the written workbook


PLAN_COLUMNS = (Column("项目", "item", 16), Column("内容", "value", 60))

# (项目, key) in the order the 规划 sheet is written.
PLAN_ITEMS = (
    ("规划名称", "name"),
    ("规划代码", "slug"),
    ("行政区划代码", "region"),
    ("基期年份", "baseline_year"),
    ("填报截止天数", "deadline_days"),
    ("年度数据截止", "annual_deadline"),
    ("开始跟踪年份", "first_tracked_year"),
    ("来源文件", "source_document"),
    ("示例数据", "example"),
)
REQUIRED_PLAN_ITEMS = ("规划名称", "规划代码", "行政区划代码", "基期年份")

# The 指标 sheet: these, with the target columns ("2030年目标") after 基期值.
INDICATOR_HEAD = (
    Column("指标代码", "code", 16),
    Column("指标维度", "dimension", 10),
    Column("指标名称", "name", 32),
    Column("单位", "unit", 8),
    Column("属性", "binding", 8, tuple(BINDING_WORDS)),
    Column("基期值", "baseline", 12),
)
INDICATOR_TAIL = (
    Column("指标类型", "kind", 11, tuple(KIND_WORDS)),
    Column("方向", "direction", 10, tuple(DIRECTION_WORDS)),
    Column("路径", "path", 8, tuple(PATH_WORDS)),
    Column("填报频率", "frequency", 10, tuple(FREQUENCY_WORDS)),
    Column("容差", "tolerance", 8),
    Column("参照指标", "reference", 16),
    Column("阶段", "stages", 24),
    Column("牵头单位", "lead", 18),
    Column("责任单位", "responsible", 24),
    Column("数据来源单位", "data_source", 16),
    Column("目录代码", "catalogue_code", 12),
    Column("说明", "note", 40),
)
# With this column, 基期值 holds the number and 基期值原文 the baseline as printed (blank: the
# number itself), for a baseline printed otherwise than as its number (零发生 for 0).
BASELINE_PRINTED = Column("基期值原文", "baseline_printed", 12)
# What a plan file records of an indicator beside its table.
INDICATOR_RECORDS = (
    Column("基期说明", "baseline_note", 24),
    Column("类型依据", "reason", 40),
    Column("可为负数", "may_be_negative", 8, tuple(YES_NO_WORDS)),
)
TARGET_WIDTH = 16
# Headers a county table often has that mean a known column (None: a column to ignore).
INDICATOR_ALIASES = {"序号": None, "基期": "baseline"}

TASK_COLUMNS = (
    Column("工程", "project", 20),
    Column("任务", "name", 24),
    Column("内容", "text", 60),
    Column("牵头单位", "lead", 18),
    Column("责任单位", "responsible", 28),
    Column("关联指标", "indicators", 28),
)
# 部门条款: the department clause as printed (blank: the one 牵头单位 and 责任单位 make);
# 推定牵头 是: the clause names no 牵头单位, and its first unit leads.
TASK_RECORDS = (
    Column("部门条款", "clause", 40),
    Column("推定牵头", "lead_inferred", 8, tuple(YES_NO_WORDS)),
)
TARGET_SOURCE_COLUMNS = (
    Column("指标代码", "indicator", 16),
    Column("年份", "year", 8),
    Column("出处", "origin", 10, tuple(ORIGIN_WORDS)),
    Column("条款", "clause", 80),
)
LINK_COLUMNS = (
    Column("工程", "project", 20),
    Column("任务", "task", 24),
    Column("关联指标", "indicator", 16),
    Column("条款", "clause", 80),
)
UNIT_COLUMNS = (Column("单位名称", "name", 24), Column("类型", "kind", 10, tuple(UNIT_KIND_WORDS)))


# ---------------------------------------------------------------------------------------------
# Cells as printed


@dataclass(frozen=True)
class Cell:
    """One cell: where it is ("指标!G7"), its value and its text as Excel prints it."""

    ref: str
    value: object
    text: str


def _number_text(value: int | float, number_format: str | None) -> str:
    """A number as printed: the shortest exact decimal, ×100 with "%" in a percent format."""
    number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if _is_percent_format(number_format):
        return plain(number * 100) + "%"
    return plain(number)


def _is_percent_format(number_format: str | None) -> bool:
    # A "%" in quotes or after a backslash is printed literally; only a bare one scales.
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format or "")


def _printed(value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _number_text(value, number_format)
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


class Sheet:
    """A sheet's cells by (row, column), 1-based; cells past a row's end are empty."""

    def __init__(self, name: str, rows: list[tuple]):
        self.name = name
        self.rows = rows  # each a tuple of (value, number_format)
        self.width = max((len(row) for row in rows), default=0)

    def cell(self, row: int, column: int) -> Cell:
        ref = f"{self.name}!{get_column_letter(column)}{row}"
        cells = self.rows[row - 1] if row <= len(self.rows) else ()
        value, number_format = cells[column - 1] if column <= len(cells) else (None, None)
        return Cell(ref, value, _printed(value, number_format))

    def is_blank(self, row: int) -> bool:
        return all(not self.cell(row, c).text for c in range(1, self.width + 1))


def _decimal(text: str) -> Decimal | None:
    """A printed number ("30", "-1.8", "4.8%", "2‰") as an exact Decimal, else None."""
    text = text.replace("−", "-").replace("％", "%").strip()
    if text.endswith(("%", "‰")):
        text = text[:-1].rstrip()
    return Decimal(text) if NUMBER.fullmatch(text) else None


def _split(text: str, separators: re.Pattern) -> list[str]:
    return [part.strip() for part in separators.split(text) if part.strip()]


def _words(mapping: dict) -> str:
    return "、".join(mapping)


# ---------------------------------------------------------------------------------------------
# Reading


def read_workbook(path_or_file) -> tuple[dict, dict[tuple, str]]:
    """Read a plan workbook into (raw, where); raise PlanBookError listing every problem."""
    workbook = _open(path_or_file)
    try:
        sheets = {
            name.strip(): _sheet(name.strip(), workbook[name]) for name in workbook.sheetnames
        }
    finally:
        workbook.close()
    reader = _Reader()
    raw = reader.book(sheets)
    if reader.problems:
        raise PlanBookError(reader.problems, raw or None, reader.where)
    return raw, reader.where


def _open(path_or_file):
    try:
        if isinstance(path_or_file, bytes | bytearray):
            data = bytes(path_or_file)
        elif hasattr(path_or_file, "read"):
            data = path_or_file.read()
        else:
            data = Path(path_or_file).read_bytes()
    except OSError as error:
        raise PlanBookError(
            [_("Cannot read the workbook: %(error)s") % {"error": error}]
        ) from error
    not_xlsx = _("This is not an Excel workbook (.xlsx): save the table as .xlsx and try again.")
    if not zipfile.is_zipfile(BytesIO(data)):  # an .xlsx is a zip; .xls, .csv or text is not
        raise PlanBookError([not_xlsx])
    try:
        check_workbook(data)  # a zip bomb is refused before openpyxl unpacks anything
    except UnsafeWorkbook as error:
        raise PlanBookError([error.message]) from error
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        # openpyxl reports a zip that is not a workbook (a .docx, a broken file) with many
        # exception types; each means the same thing to the user.
        raise PlanBookError([not_xlsx]) from error


def _sheet(name: str, worksheet) -> Sheet:
    worksheet.reset_dimensions()  # some writers record a wrong size; read what is there
    rows = [
        _trimmed(tuple((cell.value, getattr(cell, "number_format", None)) for cell in row))
        for row in worksheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
    ]
    while rows and not rows[-1]:
        rows.pop()
    return Sheet(name, rows)


def _trimmed(cells: tuple) -> tuple:
    """A row without its empty cells at the end."""
    end = len(cells)
    while end and cells[end - 1][0] in (None, ""):
        end -= 1
    return cells[:end]


class _Header:
    """A sheet's header row: which column holds which key, and the target columns' years."""

    def __init__(self, columns: dict[str, int], years: dict[int, int], cells: dict):
        self.columns = columns  # key → column number
        self.years = years  # target year → column number
        self.cells = cells  # key or year → the header cell


class _Reader:
    """Collects every problem instead of stopping at the first one, and where values came from."""

    def __init__(self):
        self.problems: list[str] = []
        self.where: dict[tuple, str] = {}
        self.units: dict[str, str] = {}  # every unit named, in order → the cell first naming it

    def fail(self, ref: str, message: str) -> None:
        self.problems.append(f"{ref}：{message}")

    def book(self, sheets: dict[str, Sheet]) -> dict:
        for name in (PLAN_SHEET, INDICATOR_SHEET):
            if name not in sheets:
                self.fail(name, _("the workbook has no sheet of this name"))
        if self.problems:
            return {}
        plan = self.plan(sheets[PLAN_SHEET])
        dimensions, indicators, years = self.indicators(sheets[INDICATOR_SHEET])
        plan["milestone_years"] = years
        if TARGET_SOURCE_SHEET in sheets:
            self.target_sources(sheets[TARGET_SOURCE_SHEET], indicators)
        projects = self.projects(sheets[TASK_SHEET]) if TASK_SHEET in sheets else []
        if LINK_SHEET in sheets:
            self.link_clauses(sheets[LINK_SHEET], projects, indicators)
        listed = self.departments(sheets[UNIT_SHEET]) if UNIT_SHEET in sheets else []
        return {
            "plan": plan,
            "departments": self.with_named_units(listed),
            "dimensions": dimensions,
            "indicators": indicators,
            "projects": projects,
        }

    def check_rows(self, sheet: Sheet) -> None:
        if len(sheet.rows) > MAX_ROWS:
            self.fail(sheet.name, _("more than %(rows)s rows") % {"rows": MAX_ROWS})

    def header(self, sheet: Sheet, columns: tuple[Column, ...], aliases=None, targets=False):
        """Match row 1 with the known headers; refuse unknown and repeated ones."""
        known = {column.header: column.key for column in columns} | (aliases or {})
        keys, years, cells = {}, {}, {}
        for number in range(1, sheet.width + 1):
            cell = sheet.cell(1, number)
            text = re.sub(r"\s+", "", cell.text)
            year = TARGET_HEADER.fullmatch(text) if targets else None
            if not text:
                self.check_empty_column(sheet, number)
            elif year:
                self.add_column(years, int(year["year"]), number, cell, cells)
            elif text in known or (targets and BASELINE_HEADER.fullmatch(text)):
                key = known.get(text, "baseline")
                if key is not None:
                    self.add_column(keys, key, number, cell, cells)
            else:
                headers = "、".join(column.header for column in columns)
                self.fail(
                    cell.ref,
                    _("unknown column “%(header)s”; the columns are: %(headers)s")
                    % {"header": cell.text, "headers": headers},
                )
        return _Header(keys, dict(sorted(years.items())), cells)

    def add_column(self, found: dict, key, number: int, cell: Cell, cells: dict) -> None:
        if key in found:
            self.fail(cell.ref, _("column “%(header)s” appears twice") % {"header": cell.text})
        else:
            found[key], cells[key] = number, cell

    def check_empty_column(self, sheet: Sheet, number: int) -> None:
        for row in range(2, len(sheet.rows) + 1):
            cell = sheet.cell(row, number)
            if cell.text:
                self.fail(cell.ref, _("this column has no header"))
                return

    def require_columns(self, sheet: Sheet, header: _Header, keys_and_headers) -> bool:
        missing = [text for key, text in keys_and_headers if key not in header.columns]
        for text in missing:
            self.fail(f"{sheet.name}!1:1", _("missing column “%(header)s”") % {"header": text})
        return not missing

    def data_rows(self, sheet: Sheet):
        self.check_rows(sheet)
        return (
            row for row in range(2, min(len(sheet.rows), MAX_ROWS) + 1) if not sheet.is_blank(row)
        )

    # -- 规划 ------------------------------------------------------------------------------

    def plan(self, sheet: Sheet) -> dict:
        header = self.header(sheet, PLAN_COLUMNS)
        if not self.require_columns(sheet, header, [("item", "项目"), ("value", "内容")]):
            return {}
        keys = dict(PLAN_ITEMS)
        found: dict[str, Cell] = {}
        values = {}
        for row in self.data_rows(sheet):
            item = sheet.cell(row, header.columns["item"])
            value = sheet.cell(row, header.columns["value"])
            if not item.text:
                self.fail(item.ref, _("this row has a value but no item name"))
            elif item.text not in keys:
                self.fail(
                    item.ref,
                    _("unknown item “%(item)s”; the items are: %(items)s")
                    % {"item": item.text, "items": "、".join(keys)},
                )
            elif item.text in found:
                self.fail(item.ref, _("item “%(item)s” appears twice") % {"item": item.text})
            else:
                found[item.text] = value
                values.update(self.plan_value(keys[item.text], value))
        for item in REQUIRED_PLAN_ITEMS:
            if item not in found or not found[item].text:
                ref = found[item].ref if item in found else sheet.name
                self.fail(ref, _("the plan needs its “%(item)s”") % {"item": item})
        defaults = {
            "deadline_days": DEFAULT_DEADLINE_DAYS,
            "annual_deadline": DEFAULT_ANNUAL_DEADLINE,
            "example": False,
        }
        return {key: values[key] for key in keys.values() if key in values} | {
            key: default for key, default in defaults.items() if key not in values
        }

    def plan_value(self, key: str, cell: Cell) -> dict:
        """The item's value by its own reader (`plan_<key>`, else text); blank: nothing."""
        self.where[("plan", key)] = cell.ref
        if not cell.text:
            return {}
        return {key: getattr(self, f"plan_{key}", self.plan_text)(cell)}

    def plan_text(self, cell: Cell) -> str:
        return cell.text

    def plan_slug(self, cell: Cell) -> str:
        if not SLUG.fullmatch(cell.text):
            self.fail(
                cell.ref, _("the plan code may use only letters A–Z and a–z, digits, “-” and “_”")
            )
        return cell.text

    def plan_region(self, cell: Cell) -> str:
        return cell.text  # a number cell 441523 is printed "441523"; the checker checks it

    def plan_baseline_year(self, cell: Cell) -> int | None:
        return self.whole(cell)

    plan_deadline_days = plan_first_tracked_year = plan_baseline_year

    def plan_annual_deadline(self, cell: Cell) -> str:
        if isinstance(cell.value, datetime | date):  # Excel turns a typed "3/31" into a date
            return f"{cell.value.month}月{cell.value.day}日"
        return cell.text

    def plan_example(self, cell: Cell) -> bool:
        if isinstance(cell.value, bool):
            return cell.value
        if cell.text not in YES_NO_WORDS:
            self.fail(cell.ref, _("write 是 or 否"))
        return YES_NO_WORDS.get(cell.text, False)

    def whole(self, cell: Cell) -> int | None:
        match = WHOLE.fullmatch(cell.text)
        if match is None:
            self.fail(cell.ref, _("“%(value)s” is not a whole number") % {"value": cell.text})
            return None
        return int(match["number"])

    # -- 指标 ------------------------------------------------------------------------------

    def indicators(self, sheet: Sheet) -> tuple[list[str], list[dict], list[int]]:
        columns = INDICATOR_HEAD + (BASELINE_PRINTED,) + INDICATOR_TAIL + INDICATOR_RECORDS
        header = self.header(sheet, columns, INDICATOR_ALIASES, targets=True)
        required = self.require_columns(
            sheet, header, [("name", "指标名称"), ("dimension", "指标维度")]
        )
        if not header.years:
            self.fail(
                f"{sheet.name}!1:1", _("the table needs a target column, headed like “2030年目标”")
            )
        for position, year in enumerate(header.years):
            self.where[("plan", "milestone_years", position)] = header.cells[year].ref
        if not required:
            return [], [], list(header.years)
        dimensions: dict[str, str] = {}
        indicators: list[dict] = []
        dimension: Cell | None = None
        for row in self.data_rows(sheet):
            cells = {key: sheet.cell(row, number) for key, number in header.columns.items()}
            if cells["dimension"].text:
                dimension = cells["dimension"]
            elif dimension is None and not indicators:
                self.fail(cells["dimension"].ref, _("the first indicator needs its 指标维度"))
            if not cells["name"].text:
                self.fail(cells["name"].ref, _("this row has no 指标名称"))
                continue
            targets = {year: sheet.cell(row, number) for year, number in header.years.items()}
            index = len(indicators)
            indicators.append(self.indicator(index, cells, dimension, targets))
            if dimension is not None:
                dimensions.setdefault(dimension.text, dimension.ref)
        for position, ref in enumerate(dimensions.values()):
            self.where[("dimensions", position)] = ref
        return list(dimensions), indicators, list(header.years)

    def indicator(self, index: int, cells: dict, dimension: Cell | None, targets: dict) -> dict:
        path = ("indicators", index)
        self.where[path] = cells["name"].ref
        for key, cell in cells.items():
            self.where[(*path, key)] = cell.ref
        printed = cells.get("baseline_printed", cells.get("baseline"))
        if printed is not None:
            self.where[(*path, "baseline_text")] = printed.ref
        item = self.code(index, cells)
        item["dimension"] = dimension.text if dimension is not None else ""
        if dimension is not None:
            self.where[(*path, "dimension")] = dimension.ref
        item.update(self.name_and_unit(path, cells))
        item["binding"] = self.choice(cells.get("binding"), BINDING_WORDS, False, codes=False)
        item.update(self.baseline(cells.get("baseline"), cells.get("baseline_printed")))
        item["kind"] = self.choice(cells.get("kind"), KIND_WORDS, "level")
        direction = self.choice(cells.get("direction"), DIRECTION_WORDS, None)
        if direction is not None:
            item["direction"] = direction
        item["path"] = self.choice(cells.get("path"), PATH_WORDS, "linear")
        item["frequency"] = self.choice(cells.get("frequency"), FREQUENCY_WORDS, "quarterly")
        item.update(self.optional(cells))
        item["stages"] = self.listed(path, "stages", cells.get("stages"), STAGE_SEPARATORS)
        for key in ("lead", "responsible", "data_source"):
            item[key] = self.listed(path, key, cells.get(key), UNIT_SEPARATORS, units=True)
        item.update(self.texts(cells, ("catalogue_code", "note", "baseline_note", "reason")))
        negative = cells.get("may_be_negative")
        if negative is not None and negative.text:
            item["may_be_negative"] = self.choice(negative, YES_NO_WORDS, False, codes=False)
        item["targets"] = self.targets(path, targets)
        return item

    def code(self, index: int, cells: dict) -> dict:
        cell = cells.get("code")
        if cell is None or not cell.text:
            if cell is None:
                self.where[("indicators", index, "code")] = cells["name"].ref
            return {"code": f"i{index + 1:02d}", "code_derived": True}
        if not CODE.fullmatch(cell.text):
            self.fail(
                cell.ref,
                _("the indicator code may use only small letters a–z, digits, “-” and “_”"),
            )
        return {"code": cell.text}

    def name_and_unit(self, path: tuple, cells: dict) -> dict:
        name, unit = cells["name"].text, cells.get("unit")
        if unit is not None and unit.text:
            return {"name": name, "unit": "" if unit.text in NO_UNIT_MARKS else unit.text}
        match = NAME_AND_UNIT.fullmatch(name)
        if match is None:
            return {"name": name, "unit": ""}
        self.where[(*path, "unit")] = cells["name"].ref
        return {"name": match["name"], "unit": match["unit"].strip()}

    def choice(self, cell: Cell | None, words: dict, default, codes: bool = True):
        """A word of `words` (or, when `codes`, its code) → the code; blank → default; an
        unknown word stays as printed (refused here, and then not guessed at by the checker)."""
        if cell is None or not cell.text:
            return default
        if cell.text in words:
            return words[cell.text]
        if codes and cell.text in words.values():
            return cell.text
        self.fail(
            cell.ref,
            _("“%(value)s” is not one of: %(choices)s")
            % {"value": cell.text, "choices": _words(words)},
        )
        return cell.text

    def baseline(self, cell: Cell | None, printed: Cell | None = None) -> dict:
        """The baseline and its text as printed: both from 基期值, or, with a 基期值原文
        column, the number from 基期值 and the text from 基期值原文."""
        text = cell.text if cell is not None else ""
        number = None if text in MISSING_MARKS else _decimal(text)
        if printed is None:
            return {"baseline": number, "baseline_text": text}
        if number is None and text not in MISSING_MARKS:
            self.fail(
                cell.ref,
                _("“%(value)s” is not a number; the baseline as printed goes in 基期值原文")
                % {"value": text},
            )
        return {"baseline": number, "baseline_text": printed.text}

    def optional(self, cells: dict) -> dict:
        item = {}
        tolerance = cells.get("tolerance")
        if tolerance is not None and tolerance.text:
            item["tolerance"] = _decimal(tolerance.text)
            if item["tolerance"] is None:
                self.fail(
                    tolerance.ref, _("“%(value)s” is not a number") % {"value": tolerance.text}
                )
        item.update(self.texts(cells, ("reference",)))
        return item

    def texts(self, cells: dict, keys: tuple[str, ...]) -> dict:
        return {key: cells[key].text for key in keys if key in cells and cells[key].text}

    def listed(self, path, key, cell: Cell | None, separators, units=False) -> list[str]:
        if cell is None:
            return []
        names = _split(cell.text, separators)
        for position, name in enumerate(names):
            self.where[(*path, key, position)] = cell.ref
            if units:
                self.units.setdefault(name, cell.ref)
        return names

    def targets(self, path: tuple, cells: dict[int, Cell]) -> list[dict]:
        targets = []
        for year, cell in cells.items():
            if cell.text:
                self.where[(*path, "targets", len(targets))] = cell.ref
                targets.append({"year": year, "text": cell.text, "origin": "table"})
        return targets

    # -- 重点任务 ---------------------------------------------------------------------------

    def projects(self, sheet: Sheet) -> list[dict]:
        if not sheet.rows:
            return []
        header = self.header(sheet, TASK_COLUMNS + TASK_RECORDS)
        if not self.require_columns(sheet, header, [("project", "工程"), ("name", "任务")]):
            return []
        projects: dict[str, dict] = {}
        project: Cell | None = None
        for row in self.data_rows(sheet):
            cells = {key: sheet.cell(row, number) for key, number in header.columns.items()}
            if cells["project"].text:
                project = cells["project"]
            elif project is None:
                self.fail(cells["project"].ref, _("the first task needs its 工程"))
                continue
            if not cells["name"].text:
                self.fail(cells["name"].ref, _("this row has no 任务"))
                continue
            self.add_task(projects, project, cells)
        return list(projects.values())

    def add_task(self, projects: dict, project: Cell, cells: dict) -> None:
        if project.text not in projects:
            path = ("projects", len(projects))
            self.where[path] = self.where[(*path, "name")] = project.ref
            projects[project.text] = {
                "number": len(projects) + 1,
                "name": project.text,
                "tasks": [],
            }
        entry = projects[project.text]
        path = ("projects", entry["number"] - 1, "tasks", len(entry["tasks"]))
        self.where[path] = cells["name"].ref
        for key, cell in cells.items():
            if key != "project":
                self.where[(*path, key)] = cell.ref
        lead = self.listed(path, "lead", cells.get("lead"), UNIT_SEPARATORS, units=True)
        responsible = self.listed(
            path, "responsible", cells.get("responsible"), UNIT_SEPARATORS, units=True
        )
        links = self.listed(path, "indicators", cells.get("indicators"), UNIT_SEPARATORS)
        clause = cells.get("clause")
        entry["tasks"].append(
            {
                "name": cells["name"].text,
                "text": cells["text"].text if "text" in cells else "",
                "clause": clause.text if clause and clause.text else task_clause(lead, responsible),
                "lead": lead,
                "lead_inferred": self.choice(
                    cells.get("lead_inferred"), YES_NO_WORDS, False, codes=False
                ),
                "responsible": responsible,
                "indicators": [{"code_or_name": link, "clause": ""} for link in links],
            }
        )

    # -- 目标出处 and 关联条款 -----------------------------------------------------------------

    def target_sources(self, sheet: Sheet, indicators: list[dict]) -> None:
        """Each row says where the plan states a target the 指标 sheet prints: its origin
        (blank: the plan's text) and the clause that states it."""
        if not sheet.rows:
            return
        header = self.header(sheet, TARGET_SOURCE_COLUMNS)
        required = [("indicator", "指标代码"), ("year", "年份"), ("clause", "条款")]
        if not self.require_columns(sheet, header, required):
            return
        positions = _indicator_positions(indicators)
        seen = set()
        for row in self.data_rows(sheet):
            cells = {key: sheet.cell(row, number) for key, number in header.columns.items()}
            found = self.source_target(cells, indicators, positions)
            if found in seen:
                self.fail(cells["year"].ref, _("this target appears twice"))
            elif found is not None:
                seen.add(found)
                self.add_source(("indicators", *found), indicators, cells)

    def source_target(self, cells: dict, indicators: list[dict], positions: dict):
        """(indicator, target) positions of a 目标出处 row; None when it names none."""
        indicator = cells["indicator"]
        index = positions.get(indicator.text)
        if index is None:
            self.fail(indicator.ref, _("unknown indicator “%(code)s”") % {"code": indicator.text})
            return None
        year = self.whole(cells["year"])
        targets = indicators[index]["targets"]
        position = next((p for p, target in enumerate(targets) if target["year"] == year), None)
        if year is not None and position is None:
            self.fail(
                cells["year"].ref,
                _("the 指标 sheet prints no %(year)s target for “%(code)s”")
                % {"year": year, "code": indicator.text},
            )
        return None if position is None else (index, "targets", position)

    def add_source(self, path: tuple, indicators: list[dict], cells: dict) -> None:
        target = indicators[path[1]]["targets"][path[3]]
        target["origin"] = self.choice(cells.get("origin"), ORIGIN_WORDS, "text")
        if "origin" in cells:
            self.where[(*path, "origin")] = cells["origin"].ref
        self.where[(*path, "clause")] = cells["clause"].ref
        if cells["clause"].text:
            target["clause"] = cells["clause"].text

    def link_clauses(self, sheet: Sheet, projects: list[dict], indicators: list[dict]) -> None:
        """Each row gives the clause of a task's text that states the target of an indicator
        its 关联指标 names."""
        if not sheet.rows:
            return
        header = self.header(sheet, LINK_COLUMNS)
        required = [
            ("project", "工程"),
            ("task", "任务"),
            ("indicator", "关联指标"),
            ("clause", "条款"),
        ]
        if not self.require_columns(sheet, header, required):
            return
        tasks = {
            (project["name"], task["name"]): (p, t)
            for p, project in enumerate(projects)
            for t, task in enumerate(project["tasks"])
        }
        positions = _indicator_positions(indicators)
        seen = set()
        for row in self.data_rows(sheet):
            cells = {key: sheet.cell(row, number) for key, number in header.columns.items()}
            found = self.linked(cells, projects, tasks, positions)
            if found in seen:
                self.fail(cells["indicator"].ref, _("this link appears twice"))
            elif found is not None:
                seen.add(found)
                p, t, k = found
                clause = cells["clause"]
                projects[p]["tasks"][t]["indicators"][k]["clause"] = clause.text
                self.where[("projects", p, "tasks", t, "indicators", k, "clause")] = clause.ref

    def linked(self, cells: dict, projects: list[dict], tasks: dict, positions: dict):
        """(project, task, link) positions of a 关联条款 row; None when it names none."""
        project, task, indicator = cells["project"], cells["task"], cells["indicator"]
        if (project.text, task.text) not in tasks:
            self.fail(
                task.ref,
                _("the 重点任务 sheet has no task “%(task)s” under the 工程 “%(project)s”")
                % {"task": task.text, "project": project.text},
            )
            return None
        p, t = tasks[(project.text, task.text)]
        wanted = positions.get(indicator.text, indicator.text)
        for k, link in enumerate(projects[p]["tasks"][t]["indicators"]):
            if positions.get(link["code_or_name"], link["code_or_name"]) == wanted:
                return p, t, k
        self.fail(
            indicator.ref,
            _("“%(indicator)s” is not in the task's 关联指标") % {"indicator": indicator.text},
        )
        return None

    # -- 单位 ------------------------------------------------------------------------------

    def departments(self, sheet: Sheet) -> list[dict]:
        if not sheet.rows:
            return []
        header = self.header(sheet, UNIT_COLUMNS)
        if not self.require_columns(sheet, header, [("name", "单位名称")]):
            return []
        departments: dict[str, dict] = {}
        for row in self.data_rows(sheet):
            cells = {key: sheet.cell(row, number) for key, number in header.columns.items()}
            name = cells["name"]
            if not name.text:
                self.fail(name.ref, _("this row has no 单位名称"))
            elif name.text in departments:
                self.fail(name.ref, _("unit “%(name)s” appears twice") % {"name": name.text})
            else:
                path = ("departments", len(departments))
                self.where[path] = self.where[(*path, "name")] = name.ref
                kind = self.choice(cells.get("kind"), UNIT_KIND_WORDS, default_unit_kind(name.text))
                if "kind" in cells:
                    self.where[(*path, "kind")] = cells["kind"].ref
                departments[name.text] = {"name": name.text, "kind": kind}
        return list(departments.values())

    def with_named_units(self, listed: list[dict]) -> list[dict]:
        """The 单位 sheet's units, then every other unit the plan names, in order named."""
        departments = list(listed)
        known = {department["name"] for department in listed}
        for name, ref in self.units.items():
            if name not in known:
                self.where[("departments", len(departments))] = ref
                departments.append({"name": name, "kind": default_unit_kind(name)})
        return departments


def _indicator_positions(indicators: list[dict]) -> dict[str, int]:
    """An indicator's position by its code or its name (a code wins over a name)."""
    positions = {}
    for position, item in enumerate(indicators):
        positions.setdefault(item["name"], position)
    for position, item in enumerate(indicators):
        positions[item["code"]] = position
    return positions


def default_unit_kind(name: str) -> str:
    """A unit's kind when the 单位 sheet does not say: a town's name ends with 镇 (各镇 too)."""
    return "town" if name.endswith("镇") else "bureau"


def task_clause(lead: list[str], responsible: list[str]) -> str:
    """The department clause as plans print it: （牵头单位：A；责任单位：B、C）."""
    parts = []
    if lead:
        parts.append("牵头单位：" + "、".join(lead))
    if responsible:
        parts.append("责任单位：" + "、".join(responsible))
    return f"（{'；'.join(parts)}）" if parts else ""


# ---------------------------------------------------------------------------------------------
# Writing


def write_workbook(raw: dict) -> Workbook:
    """The plan as a workbook of this layout (the four sheets, then 目标出处 and 关联条款 for
    a plan that has rows for them), ready to save."""
    workbook = Workbook()
    plan = raw.get("plan") or {}
    _write_table(workbook.active, PLAN_SHEET, PLAN_COLUMNS, _plan_rows(plan))
    columns, rows = _indicator_table(raw)
    _write_table(workbook.create_sheet(), INDICATOR_SHEET, columns, rows)
    columns, rows = _task_table(raw)
    _write_table(workbook.create_sheet(), TASK_SHEET, columns, rows)
    _write_table(workbook.create_sheet(), UNIT_SHEET, UNIT_COLUMNS, _unit_rows(raw))
    records = (
        (TARGET_SOURCE_SHEET, TARGET_SOURCE_COLUMNS, _target_source_rows(raw)),
        (LINK_SHEET, LINK_COLUMNS, _link_rows(raw)),
    )
    for title, columns, rows in records:
        if rows:
            _write_table(workbook.create_sheet(), title, columns, rows)
    return workbook


def _write_table(sheet, title: str, columns, rows: list[list]) -> None:
    sheet.title = title
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=column.header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    for row_number, row in enumerate(rows, start=2):
        for number, value in enumerate(row, start=1):
            _put(sheet.cell(row=row_number, column=number), value)
    sheet.freeze_panes = "A2"
    _add_choices(sheet, columns, len(rows))


def _put(cell, value) -> None:
    """A value, or a printed text (`_as_cell`) as the number or text Excel reads back."""
    if value == "" or value is None:
        return
    if isinstance(value, str):
        value, number_format = _as_cell(value)
        put(cell, value)  # a text starting with "=", "+", "@"… stays text, not a formula
        cell.number_format = number_format
    else:
        put(cell, value)


def _add_choices(sheet, columns, count: int) -> None:
    last = max(count + 1, 200)
    for number, column in enumerate(columns, start=1):
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            letter = get_column_letter(number)
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)


def _as_cell(text: str) -> tuple[object, str]:
    """The cell that prints `text`: a number where the text is one (percent format for
    "95.5%"), else the text itself, so that reading it back gives `text` again."""
    number = _excel_number(text)
    if number is not None:
        return number, "General"
    if text.endswith("%") and _excel_number(text[:-1]) is not None:
        decimals = len(text[:-1].partition(".")[2])
        fraction = _excel_number(plain(Decimal(text[:-1]) / 100))
        percent_format = "0." + "0" * decimals + "%" if decimals else "0%"
        if fraction is not None and _number_text(fraction, percent_format) == text:
            return fraction, percent_format
    return text, "@"


def _excel_number(text: str) -> int | float | None:
    """The int or float Excel stores for a canonical printed number; None if there is none."""
    if not NUMBER.fullmatch(text) or plain(Decimal(text)) != text:
        return None
    number = Decimal(text)
    value = int(number) if number == number.to_integral_value() else float(number)
    # openpyxl stores numbers with 16 significant digits; more stay text, to stay exact.
    return value if Decimal(format(value, ".16g")) == number else None


def _plan_rows(plan: dict) -> list[list]:
    values = {
        "deadline_days": DEFAULT_DEADLINE_DAYS,
        "annual_deadline": DEFAULT_ANNUAL_DEADLINE,
        **plan,
        "example": "是" if plan.get("example") else "否",
    }
    return [[item, _text(values.get(key))] for item, key in PLAN_ITEMS]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def _indicator_table(raw: dict) -> tuple[tuple[Column, ...], list[list]]:
    indicators = raw.get("indicators") or []
    years = sorted(
        set((raw.get("plan") or {}).get("milestone_years") or ())
        | {int(target["year"]) for item in indicators for target in item.get("targets") or ()}
    )
    targets = tuple(Column(f"{year}年目标", year, TARGET_WIDTH) for year in years)
    apart = any(_baseline_apart(item) for item in indicators)
    every = [_indicator_values(item, apart) for item in indicators]
    records = tuple(c for c in INDICATOR_RECORDS if any(values[c.key] for values in every))
    head = INDICATOR_HEAD + ((BASELINE_PRINTED,) if apart else ())
    columns = head + targets + INDICATOR_TAIL + records
    rows, dimension = [], None
    for item, values in zip(indicators, every, strict=True):
        if item.get("dimension") == dimension:
            values["dimension"] = ""  # printed on the first row of its group only
        dimension = item.get("dimension")
        values.update({target["year"]: _target_text(target) for target in item.get("targets", ())})
        rows.append([values.get(column.key, "") for column in columns])
    return columns, rows


def _baseline_apart(item: dict) -> bool:
    """Whether the baseline as printed does not read as its number (零发生 for 0, or a text
    left blank for a number): then 基期值 holds the number and 基期值原文 the text."""
    text = item.get("baseline_text")
    if text is None:
        return False
    text = str(text).strip()
    read = None if text in MISSING_MARKS else _decimal(text)
    baseline = item.get("baseline")
    return read != (None if baseline is None else Decimal(str(baseline)))


def _indicator_values(item: dict, baseline_apart: bool = False) -> dict:
    unit = item.get("unit") or ""
    if not unit and NAME_AND_UNIT.fullmatch(item["name"]):
        unit = "—"  # else the name's last parenthesised part would be read as its unit
    number = _text(item.get("baseline"))
    baseline_text = item.get("baseline_text")
    if baseline_text is None:
        baseline_text = number
    return {
        "code": "" if item.get("code_derived") else item.get("code", ""),
        "dimension": item.get("dimension", ""),
        "name": item["name"],
        "unit": unit,
        "binding": _word(BINDING_WORDS, bool(item.get("binding"))),
        "baseline": number if baseline_apart else baseline_text,
        "baseline_printed": baseline_text,
        "kind": _word(KIND_WORDS, item.get("kind")),
        "direction": _word(DIRECTION_WORDS, item.get("direction")),
        "path": _word(PATH_WORDS, item.get("path")),
        "frequency": _word(FREQUENCY_WORDS, item.get("frequency")),
        "tolerance": _text(item.get("tolerance")),
        "reference": item.get("reference", ""),
        "stages": "→".join(item.get("stages") or ()),
        "lead": "、".join(item.get("lead") or ()),
        "responsible": "、".join(item.get("responsible") or ()),
        "data_source": "、".join(item.get("data_source") or ()),
        "catalogue_code": item.get("catalogue_code", ""),
        "note": item.get("note", ""),
        "baseline_note": item.get("baseline_note", ""),
        "reason": item.get("reason", ""),
        "may_be_negative": "是" if item.get("may_be_negative") else "",
    }


def _word(words: dict, code) -> str:
    """The table's word for a code (the code itself if the words have none)."""
    for word, value in words.items():
        if value == code:
            return word
    return "" if code is None else str(code)


def _target_text(target: dict) -> str:
    """The cell as printed; a YAML target without one prints its value or stage."""
    if target.get("text") is not None:
        return str(target["text"])
    if target.get("value") is not None:
        return _text(Decimal(str(target["value"])))
    return str(target.get("stage") or "")


def _task_table(raw: dict) -> tuple[tuple[Column, ...], list[list]]:
    every = [
        _task_values(project, position, task)
        for project in raw.get("projects") or ()
        for position, task in enumerate(project.get("tasks") or ())
    ]
    columns = TASK_COLUMNS + tuple(
        c for c in TASK_RECORDS if any(values[c.key] for values in every)
    )
    return columns, [[values[column.key] for column in columns] for values in every]


def _task_values(project: dict, position: int, task: dict) -> dict:
    lead, responsible = list(task.get("lead") or ()), list(task.get("responsible") or ())
    clause = task.get("clause") or ""
    return {
        "project": project["name"] if position == 0 else "",
        "name": task["name"],
        "text": task.get("text", ""),
        "lead": "、".join(lead),
        "responsible": "、".join(responsible),
        "indicators": "、".join(_link_name(link) for link in task.get("indicators") or ()),
        # written only where the clause is not the one the two columns make
        "clause": "" if clause == task_clause(lead, responsible) else clause,
        "lead_inferred": "是" if task.get("lead_inferred") else "",
    }


def _link_name(link: dict) -> str:
    return link.get("code_or_name", link.get("code", ""))


def _target_source_rows(raw: dict) -> list[list]:
    """A row per target stated elsewhere than in the table, or with a clause of its own."""
    rows = []
    for item in raw.get("indicators") or ():
        for target in item.get("targets") or ():
            origin, clause = target.get("origin") or "table", target.get("clause") or ""
            if origin != "table" or clause not in ("", TABLE_CLAUSE):
                word = _word(ORIGIN_WORDS, origin)
                rows.append([item.get("code", ""), int(target["year"]), word, clause])
    return rows


def _link_rows(raw: dict) -> list[list]:
    """A row per task link that has its clause."""
    return [
        [project["name"], task["name"], _link_name(link), link["clause"]]
        for project in raw.get("projects") or ()
        for task in project.get("tasks") or ()
        for link in task.get("indicators") or ()
        if link.get("clause")
    ]


def _unit_rows(raw: dict) -> list[list]:
    return [
        [department["name"], _word(UNIT_KIND_WORDS, department.get("kind"))]
        for department in raw.get("departments") or ()
    ]
