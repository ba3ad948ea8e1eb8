"""The annual evaluation workbook (年度评估表, domain.md §7): plain rows in, .xlsx or .csv bytes
out. The rows come from `reports.evaluation.rows`; nothing here reads the database or computes a
status: every figure is the progress engine's, rounded for display only.

Each sheet's columns are declared once (`Column`: header, width, number format, getter); widths,
formats, headers and the CSV all come from those lists.

Choices where the issue is silent (also in docs: the lead engineer records them):
- Numbers are numbers. Formats by unit: 亿元 and 万人 two decimals, % one decimal, counts (家,
  个, 人) and 元/月 whole; other units as Excel's General. The value the schedule asks for
  (序时进度要求值) of a count keeps two decimals (1.25家 is what the schedule asks, rounding it
  to 1 would hide why 1家 is behind). Computed figures are stored rounded to what the cell
  shows (half up, 四舍五入), so the workbook, its CSV and a reader's calculator agree; stored
  figures (baseline, targets, actual values) are written exactly.
- 与序时进度比 and 阶段目标完成进度 are percentages with one decimal (0.769 shown as 76.9%).
- Missing is "-", zero events 零发生 and milestone stages by name, as the plan prints them and
  as the pages show them (`display_value`); so 零发生 is text where the plan prints it.
- The page header carries the title, so row 1 is the column header (frozen, filtered and
  repeated on every printed page); the colour legend and the notes sit below the table.
- The CSV is sheet 1's table as Excel's own "save as CSV" writes it: the text each cell shows,
  with the dimension repeated on every row (a CSV has no merged cells), in UTF-8 with a BOM.
- Text that Excel could read as a formula (starting with = + - @, a tab or a carriage return) is
  stored as text with Excel's quote prefix in the workbook and behind a ' in the CSV, by
  `indicators.cells`, the one helper of every workbook the platform writes; the lone "-" that
  marks a missing value cannot be a formula and is left as it is in the CSV.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO, StringIO

import pandas as pd
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from indicators.cells import csv_field, put
from indicators.domain import periods
from indicators.domain import progress as p
from indicators.domain.formatting import plain
from indicators.domain.statuses import (
    LIGHT_COLOURS,
    STATUS_COLOURS,
    STATUS_ORDER,
    flag_label,
    light_label,
    status_label,
)
from reports.evaluation.rows import Evaluation, IndicatorRow, TaskRow, ValueRow
from reports.wording import half_up, join_sentences, listed, percent

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

MISSING = "-"
GENERAL = "General"
PERCENT = "0.0%"
DATETIME = "yyyy-mm-dd hh:mm"
UNIT_FORMATS = {
    "亿元": "0.00", "万人": "0.00", "%": "0.0", "元/月": "0", "家": "0", "个": "0", "人": "0",
}  # fmt: skip
COUNTS = frozenset({"家", "个", "人"})
DECIMALS = {"0": 0, "0.0": 1, "0.00": 2}  # the places each number format shows
PLACES = {**DECIMALS, PERCENT: 3}  # a computed figure is stored rounded to these (else 4)

HEADER_FILL = PatternFill("solid", fgColor="E3E8EE")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="center")
NUMBER = Alignment(horizontal="right", vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP = Alignment(wrap_text=True, vertical="top")


# --- Cells ------------------------------------------------------------------------------------


def csv_text(value, number_format: str) -> str:
    """What a cell shows, for the CSV: numbers in the cell's format, risky text behind a '."""
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_field(value, keep=(MISSING,))
    number = Decimal(str(value))
    if number_format == PERCENT:
        return format(half_up(number * 100, 1), "f") + "%"
    if number_format in DECIMALS:
        return format(half_up(number, DECIMALS[number_format]), "f")
    return plain(number)


def printed(kind: str, value: Decimal | None, stage: str | None = None):
    """A stored figure as the plan prints it: a stage's name, "-" if missing, 零发生 for no
    events, otherwise the number itself."""
    if stage is not None:
        return stage
    if value is None:
        return MISSING
    if kind == p.ZERO_EVENT and value == 0:
        return _("None occurred")
    return Decimal(plain(value))


def computed(value: Decimal | None, number_format: str):
    """A computed figure rounded to what its cell shows; "-" when there is none."""
    return MISSING if value is None else half_up(value, PLACES.get(number_format, 4))


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def on_colour(colour: str) -> Font:
    """White text on a dark fill, black on a light one (relative luminance)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 140
    return Font(color="FFFFFF" if dark else "000000", bold=True)


COLOURS = {*STATUS_COLOURS.values(), *LIGHT_COLOURS.values()}
FILLS = {colour: fill(colour) for colour in COLOURS}
FONTS = {colour: on_colour(colour) for colour in COLOURS}


# --- Columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    number_format: str | Callable[[object], str]  # a format, or one per row
    getter: Callable[[object], object]
    colour: Callable[[object], str | None] | None = None  # a fill per row

    def format_for(self, row) -> str:
        fmt = self.number_format
        return fmt(row) if callable(fmt) else fmt


def value_format(row) -> str:
    return UNIT_FORMATS.get(row.unit, GENERAL)


def expected_format(row) -> str:
    return "0.00" if row.unit in COUNTS else value_format(row)


def _expected(row: IndicatorRow):
    if row.kind == p.ZERO_EVENT and row.expected is not None:
        return printed(row.kind, row.expected)
    return computed(row.expected, expected_format(row))


def _target(index: int) -> Callable[[IndicatorRow], object]:
    return lambda row: printed(row.kind, *row.targets[index])


def _remarks(row: IndicatorRow) -> str:
    """The flags in words; an annualised figure says what the year comes to."""
    words = []
    for flag in row.flags:
        text = flag_label(flag, row.period)
        if flag == p.ANNUALISED and row.compared_value is not None:
            shown = csv_text(half_up(row.compared_value, 2), "0.00")
            text = _("%(flag)s (%(value)s)") % {"flag": text, "value": shown}
        words.append(text)
    return listed(words)


def actual_header(year: int, quarter: int | None) -> str:
    if quarter is None:
        return _("%(year)s actual") % {"year": year}
    return _("%(year)s Q%(quarter)s actual") % {"year": year, "quarter": quarter}


def indicator_columns(ev: Evaluation) -> list[Column]:
    """Sheet 1: the plan's table (指标维度 … 2030年目标), then the evaluation's columns."""
    targets = [
        Column(_("%(year)s target") % {"year": year}, 11, value_format, _target(i))
        for i, year in enumerate(ev.table_years)
    ]
    return [
        Column(_("Dimension"), 10, GENERAL, lambda r: r.dimension),
        Column(_("Indicator"), 34, GENERAL, lambda r: r.name),
        Column(
            _("%(year)s baseline") % {"year": ev.baseline_year},
            11,
            value_format,
            lambda r: r.baseline_text or printed(r.kind, r.baseline),
        ),
        *targets,
        Column(
            actual_header(ev.query.year, ev.query.quarter),
            12,
            value_format,
            lambda r: printed(r.kind, r.value, r.stage),
        ),
        Column(_("Value required by schedule"), 12, expected_format, _expected),
        Column(_("Compared with schedule"), 11, PERCENT, lambda r: computed(r.ratio, PERCENT)),
        Column(
            _("Completion of the milestone target"),
            12,
            PERCENT,
            lambda r: computed(r.completion, PERCENT),
        ),
        Column(
            _("Status"),
            14,
            GENERAL,
            lambda r: status_label(r.status),
            colour=lambda r: STATUS_COLOURS[r.status],
        ),
        Column(_("Lead department"), 16, GENERAL, lambda r: listed(r.leads) or _("Unassigned")),
        Column(_("Responsible departments"), 24, GENERAL, lambda r: listed(r.responsible)),
        Column(_("Data source"), 22, GENERAL, lambda r: listed(r.sources)),
        Column(_("Remarks"), 30, GENERAL, _remarks),
        Column(_("Attribute"), 9, GENERAL, lambda r: _("binding") if r.binding else _("expected")),
        # Added after the plan's and the evaluation's columns, so tools that read those by
        # position still find them where they were.
        Column(
            _("Warning"),
            8,
            GENERAL,
            lambda r: light_label(r.light),
            colour=lambda r: LIGHT_COLOURS[r.light],
        ),
        Column(_("Lag explanation"), 40, GENERAL, lambda r: r.explanation or None),
    ]


def _lead(name: str, inferred: bool) -> str:
    return _("%(name)s (inferred)") % {"name": name} if inferred else name


def _linked(row: TaskRow) -> str:
    return "\n".join(
        _("%(name)s: %(status)s") % {"name": name, "status": status_label(status)}
        for name, status in row.indicators
    )


def task_columns() -> list[Column]:
    """Sheet 重点任务: one row per task, the project merged across its tasks."""
    return [
        Column(_("Key project"), 20, GENERAL, lambda r: r.project),
        Column(_("Key task"), 20, GENERAL, lambda r: r.name),
        Column(
            _("Lead department"), 20, GENERAL, lambda r: listed([_lead(*lead) for lead in r.leads])
        ),
        Column(_("Responsible departments"), 36, GENERAL, lambda r: listed(r.responsible)),
        Column(_("Linked indicators and their status"), 50, GENERAL, _linked),
    ]


def _figure(row, field: str):
    """A stored figure of the quarterly data: a number, a stage's name, or nothing."""
    value = getattr(row, field)
    return Decimal(plain(value)) if isinstance(value, Decimal) else value


def value_columns() -> list[Column]:
    """Sheet 季度数据: every value of the year in long form (rows of the pandas frame)."""
    return [
        Column(_("Dimension"), 10, GENERAL, lambda r: r.dimension),
        Column(_("Indicator"), 34, GENERAL, lambda r: r.indicator),
        Column(_("Period"), 16, GENERAL, lambda r: r.period),
        Column(_("Value in force"), 12, value_format, lambda r: _figure(r, "in_force")),
        Column(_("Value awaiting review"), 12, value_format, lambda r: _figure(r, "pending")),
        Column(_("State"), 9, GENERAL, lambda r: r.state),
        Column(_("Data source"), 26, GENERAL, lambda r: r.source),
        Column(_("Entered by"), 12, GENERAL, lambda r: r.entered_by),
        Column(_("Approved by"), 12, GENERAL, lambda r: r.approved_by),
        Column(_("Entered at"), 17, DATETIME, lambda r: r.entered_at),
        Column(_("Submitted at"), 17, DATETIME, lambda r: r.submitted_at),
        Column(_("Approved at"), 17, DATETIME, lambda r: r.approved_at),
    ]


# --- Sheets ------------------------------------------------------------------------------------


def write_header(ws, columns: list[Column], row: int = 1) -> None:
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=index)
        put(cell, column.header)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTRE
        ws.column_dimensions[get_column_letter(index)].width = column.width


def write_rows(ws, columns: list[Column], rows, first: int = 2) -> int:
    """Write one line per row from `first`; return the last line written."""
    number = first - 1
    for number, row in enumerate(rows, start=first):
        for index, column in enumerate(columns, start=1):
            value = column.getter(row)
            if value is None:
                continue  # an empty cell needs no style (and a large sheet has many)
            cell = ws.cell(row=number, column=index)
            put(cell, value)
            number_format = column.format_for(row)
            if number_format != GENERAL:
                cell.number_format = number_format
            cell.alignment = WRAP if isinstance(value, str) else NUMBER
            colour = column.colour(row) if column.colour else None
            if colour:
                cell.fill, cell.font = FILLS[colour], FONTS[colour]
    return number


def merge_runs(ws, values: list[str], column: int, first: int = 2) -> None:
    """Merge each run of equal values down a column (the plan's merged 指标维度 cells)."""
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or values[end] != values[start]:
            if end - start > 1:
                ws.merge_cells(
                    start_row=first + start, end_row=first + end - 1,
                    start_column=column, end_column=column,
                )  # fmt: skip
            ws.cell(row=first + start, column=column).alignment = CENTRE
            start = end


def print_setup(ws, title: str, title_rows: str | None = "1:1") -> None:
    """A4 landscape, one page wide, the header row on every page, the title in the header."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    # Excel refuses a header longer than 255 characters (codes included).
    ws.oddHeader.center.text = title.replace("&", "&&")[:200]
    ws.oddFooter.center.text = _("Page &P of &N")


def period_label(ev: Evaluation) -> str:
    return periods.Period.of(ev.query.year, ev.query.quarter).label()


def title(ev: Evaluation) -> str:
    return _("%(plan)s: implementation evaluation, %(period)s") % {
        "plan": ev.plan_name,
        "period": period_label(ev),
    }


def basis(ev: Evaluation) -> str:
    """Which figures the workbook shows: in force now, or rebuilt as of a past date."""
    if ev.query.as_of:
        return _(
            "Figures in force (approved) at the end of %(date)s, rebuilt from the history of "
            "every value."
        ) % {"date": ev.query.as_of.isoformat()}
    return _("Figures in force (approved) when the workbook was made (%(moment)s).") % {
        "moment": date_format(ev.generated_at, "Y-m-d H:i")
    }


def notes(ev: Evaluation) -> list[str]:
    lines = [
        join_sentences([_("Period: %(period)s.") % {"period": period_label(ev)}, basis(ev)]),
        _(
            "Compared with schedule = (actual − baseline) ÷ (value required by schedule − "
            "baseline); completion of the milestone target = (actual − baseline) ÷ (target of "
            "the next milestone year − baseline). Annual totals are annualised from the year to "
            "date before they are compared."
        ),
        _(
            "Where the plan prints no baseline, the %(year)s figure stands in for it (0 when "
            "there is none); running totals start from 0."
        )
        % {"year": ev.baseline_year},
    ]
    if ev.milestone_year is not None and ev.time_progress is not None:
        lines.insert(
            1,
            _("Time progress: %(percent)s%% of the time to the %(year)s targets has passed.")
            % {"percent": percent(ev.time_progress), "year": ev.milestone_year},
        )
    return lines


def write_legend(ws, line: int) -> int:
    """The status colours below the table; return the last line used."""
    put(ws.cell(row=line, column=1), _("Status colours"))
    ws.cell(row=line, column=1).font = BOLD
    for offset, status in enumerate(STATUS_ORDER):
        cell = ws.cell(row=line + offset, column=2)
        put(cell, status_label(status))
        cell.fill, cell.font = fill(STATUS_COLOURS[status]), on_colour(STATUS_COLOURS[status])
    return line + len(STATUS_ORDER) - 1


def write_notes(ws, line: int, texts: list[str], width: int) -> None:
    put(ws.cell(row=line, column=1), _("Notes"))
    ws.cell(row=line, column=1).font = BOLD
    for offset, text in enumerate(texts, start=1):
        ws.merge_cells(start_row=line + offset, end_row=line + offset, start_column=1,
                       end_column=width)  # fmt: skip
        cell = ws.cell(row=line + offset, column=1)
        put(cell, text)
        cell.alignment = TOP
        ws.row_dimensions[line + offset].height = 30


def indicator_sheet(ws, ev: Evaluation) -> None:
    """Sheet 1, 指标完成情况: the plan's table and the evaluation, one row per indicator."""
    columns = indicator_columns(ev)
    write_header(ws, columns)
    last = write_rows(ws, columns, ev.indicators)
    merge_runs(ws, [row.dimension for row in ev.indicators], column=1)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last, 1)}"
    legend_end = write_legend(ws, last + 2)
    write_notes(ws, legend_end + 2, notes(ev), len(columns))
    print_setup(ws, title(ev))


def counts_table(ev: Evaluation, groups: list[dict], key: str) -> list[list]:
    """Rows of status counts: the group's name, one count per status, the total."""
    rows = []
    for group in groups:
        name = group[key] if group[key] is not None else _("Unassigned")
        counts = [group["counts"].get(status, 0) for status in STATUS_ORDER]
        rows.append([name, *counts, sum(counts)])
    return rows


def counts_sheet(ws, ev: Evaluation, groups: list[dict], key: str, heading: str) -> None:
    """分维度汇总 / 分部门汇总: counts by status with a native stacked bar chart."""
    header = [heading, *(status_label(s) for s in STATUS_ORDER), _("Total")]
    for index, text in enumerate(header, start=1):
        cell = ws.cell(row=1, column=index)
        put(cell, text)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTRE
        ws.column_dimensions[get_column_letter(index)].width = 18 if index == 1 else 9
    for offset, status in enumerate(STATUS_ORDER, start=2):
        colour = STATUS_COLOURS[status]
        ws.cell(row=1, column=offset).fill = fill(colour)
        ws.cell(row=1, column=offset).font = on_colour(colour)
    rows = counts_table(ev, groups, key)
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            put(ws.cell(row=number, column=index), value)
    ws.freeze_panes = "B2"
    if rows:
        ws.add_chart(bar_chart(ws, rows, heading), f"A{len(rows) + 4}")
    print_setup(ws, title(ev))


def bar_chart(ws, rows: list[list], heading: str) -> BarChart:
    """Horizontal stacked bars, one per group, one coloured segment per status present."""
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = _("Indicators by status: %(heading)s") % {"heading": heading}
    # The first group at the top, as in the table; the value axis then crosses the category
    # axis at its last category, i.e. stays at the bottom.
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.axPos, chart.y_axis.axPos, chart.y_axis.crosses = "l", "b", "max"
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    for offset, status in enumerate(STATUS_ORDER, start=2):
        if any(values[offset - 1] for values in rows):
            data = Reference(ws, min_col=offset, min_row=1, max_row=len(rows) + 1)
            chart.add_data(data, titles_from_data=True)
            chart.series[-1].graphicalProperties.solidFill = STATUS_COLOURS[status]
            chart.series[-1].graphicalProperties.line.solidFill = STATUS_COLOURS[status]
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
    chart.width, chart.height = 24, max(7.5, 0.7 * len(rows) + 3)
    return chart


def task_sheet(ws, ev: Evaluation) -> None:
    """重点任务: the projects and tasks with their departments and linked indicators."""
    columns = task_columns()
    write_header(ws, columns)
    last = write_rows(ws, columns, ev.tasks)
    merge_runs(ws, [row.project for row in ev.tasks], column=1)
    for line in range(2, last + 1):
        ws.cell(row=line, column=len(columns)).alignment = TOP
    ws.freeze_panes = "C2"
    note = _(
        "(inferred): the plan names the units jointly; the first-named unit leads by convention."
    )
    write_notes(ws, last + 2, [note], len(columns))
    print_setup(ws, title(ev))


def values_frame(values: list[ValueRow]) -> pd.DataFrame:
    """The year's values as a pandas frame in plan order, periods in time order, with the
    period in words and the times in the county's time zone (Excel has no time zones)."""
    frame = pd.DataFrame([vars(row) for row in values], columns=list(ValueRow.__annotations__))
    frame = frame.sort_values(["order", "period_order"], kind="stable")
    zone = str(timezone.get_default_timezone())
    for name in ("entered_at", "submitted_at", "approved_at"):
        local = pd.to_datetime(frame[name], utc=True).dt.tz_convert(zone).dt.tz_localize(None)
        frame[name] = local.astype(object).where(local.notna(), None)
    return frame


def values_sheet(ws, ev: Evaluation) -> None:
    """季度数据: every value of the year in long form, built with pandas."""
    columns = value_columns()
    write_header(ws, columns)
    frame = values_frame(ev.values)
    last = write_rows(ws, columns, frame.itertuples(index=False))
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last, 1)}"
    print_setup(ws, title(ev))


def summary_sheet(ws, ev: Evaluation) -> None:
    """评估摘要: the written summary, one paragraph per row."""
    ws.column_dimensions["A"].width = 110
    put(ws.cell(row=1, column=1), title(ev))
    ws.cell(row=1, column=1).font = TITLE_FONT
    put(ws.cell(row=2, column=1), basis(ev))
    for number, paragraph in enumerate(ev.summary, start=4):
        cell = ws.cell(row=number, column=1)
        put(cell, paragraph)
        cell.alignment = TOP
        # Excel does not grow a row to fit wrapped text written by a program: about 55 CJK
        # characters fit on a line of this width, at 15 points a line.
        ws.row_dimensions[number].height = 15 * (len(paragraph) // 55 + 1) + 6
    print_setup(ws, title(ev), title_rows=None)


# --- The workbook and the CSV ------------------------------------------------------------------


def sheet_names() -> list[str]:
    return [
        _("Indicator progress"),
        _("By dimension"),
        _("By department"),
        _("Key tasks"),
        _("Quarterly data"),
        _("Evaluation summary"),
    ]


def build_workbook(ev: Evaluation) -> Workbook:
    workbook = Workbook()
    names = sheet_names()
    sheets = [workbook.active, *(workbook.create_sheet() for _name in names[1:])]
    for sheet, name in zip(sheets, names, strict=True):
        sheet.title = name
    indicator_sheet(sheets[0], ev)
    counts_sheet(sheets[1], ev, ev.by_dimension, "dimension", _("Dimension"))
    counts_sheet(sheets[2], ev, ev.by_lead, "department", _("Lead department"))
    task_sheet(sheets[3], ev)
    values_sheet(sheets[4], ev)
    summary_sheet(sheets[5], ev)
    workbook.properties.title = title(ev)
    workbook.properties.creator = ev.county
    return workbook


def workbook_bytes(ev: Evaluation) -> bytes:
    buffer = BytesIO()
    build_workbook(ev).save(buffer)
    return buffer.getvalue()


def csv_bytes(ev: Evaluation) -> bytes:
    """Sheet 1's table as CSV (UTF-8 with a BOM, so that Excel reads the Chinese)."""
    columns = indicator_columns(ev)
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_text(column.header, GENERAL) for column in columns])
    for row in ev.indicators:
        writer.writerow(
            [csv_text(column.getter(row), column.format_for(row)) for column in columns]
        )
    return out.getvalue().encode("utf-8-sig")


def file_name(ev: Evaluation, extension: str) -> str:
    """年度评估表-陆河县-2026.xlsx; 2026Q3 for a quarter; -截至2026-10-20 for an as-of date."""
    period = f"{ev.query.year}Q{ev.query.quarter}" if ev.query.quarter else str(ev.query.year)
    name = _("Annual evaluation-%(county)s-%(period)s") % {"county": ev.county, "period": period}
    if ev.query.as_of:
        name += "-" + _("as of %(date)s") % {"date": ev.query.as_of.isoformat()}
    return f"{name}.{extension}"
