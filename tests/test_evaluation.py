"""The annual evaluation workbook (年度评估表) and its CSV: the bytes are reopened with openpyxl and
checked against the plan's own table (typed here from the plan text) and the progress API."""

import csv
import io
import zipfile
from datetime import datetime
from decimal import Decimal as D
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from indicators.domain.periods import Period
from indicators.domain.statuses import STATUS_COLOURS, STATUS_LABELS, STATUS_ORDER
from indicators.models import Actual, Indicator, Plan
from indicators.selectors import progress as progress_selectors
from indicators.services.actuals import Entry, actual_approve, actual_create, actual_update
from indicators.services.demo import demo_seed
from indicators.services.users import user_set_role
from reports import wording
from reports.evaluation import workbook
from tests.factories import add_quarterly_actuals, make_synthetic_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")
XLSX = "/reports/luhe-garment/evaluation/2026.xlsx"
CSV = "/reports/luhe-garment/evaluation/2026.csv"
SHEETS = ["指标完成情况", "分维度汇总", "分部门汇总", "重点任务", "季度数据", "评估摘要"]
HEADER_2026_Q3 = [
    "指标维度", "指标名称", "2025年基期", "2028年目标", "2030年目标", "2026年第3季度实际值",
    "序时进度要求值", "与序时进度比", "阶段目标完成进度", "状态", "牵头单位", "责任单位",
    "数据来源", "备注", "属性", "预警", "滞后说明",
]  # fmt: skip
# Column numbers (1-based) of sheet 1.
NAME, BASELINE, ACTUAL, EXPECTED, RATIO, COMPLETION, STATUS, SOURCE = 2, 3, 6, 7, 8, 9, 10, 13

# The plan's 具体指标 table, typed from the plan text: dimension, name as printed, 2025年基期,
# 2028年目标, 2030年目标 ("-" where the plan prints a dash; stages and 零发生 as printed).
PLAN_TABLE = [
    ("产业规模", "全产业链总产值（亿元）", 30, 60, 100),
    ("产业规模", "全县GDP占比（%）", "-", 2, 5),
    ("产业规模", "规上工业产值占全县规上工业比重（%）", 0, 2, 5),
    ("产业规模", "电子商务交易额（亿元）", 7, 30, 50),
    ("企业培育", "规上企业数量（家）", 0, 5, 10),
    ("企业培育", "亿元以上企业（家）", 0, 2, 5),
    ("企业培育", "限上批发和零售企业（家）", 2, 15, 40),
    ("企业培育", "高新技术企业（家）", 0, 1, 3),
    ("企业培育", "跨境电商主体（家）", 300, 500, 800),
    ("企业培育", "相关市场主体总数（家）", 900, 1400, 2000),
    ("企业培育", "乡贤企业数（家）", 30, 100, 200),
    ("招商引资", "产业项目新引进累计数（个）", 4, 23, 50),
    ("招商引资", "生产性服务企业引育数（设计、物流等）（家）", 0, 10, 30),
    ("就业带动", "从业人员（万人）", 2, 3, 5),
    ("就业带动", "县外引进熟练工累计（人）", "-", 3000, 5000),
    ("就业带动", "中级以上职业技能人才（人）", "-", 500, 1500),
    ("就业带动", "特殊群体就业数（人）", 60, 200, 400),
    ("就业带动", "产业人均工资（元/月）", 4500, 5500, 7500),
    ("品牌建设", "自主品牌数量（个）", 2, 5, 10),
    ("品牌建设", "区域品牌知名度", "-", "成功注册", "省内外知名"),
    ("数字化水平", "数字化管理系统应用企业（家）", "-", 5, 10),
    ("数字化水平", "自动化生产工厂/车间（个）", 0, 3, 5),
    ("人口与收入", "城乡人均可支配收入增速（%）", 5.2, 8, 10),
    ("人口与收入", "净流入人数（人）", "-", 3000, 10000),
    ("集体经济", "30万元以上行政村数量（个）", 21, 90, 128),
    ("集体经济", "50万元以上行政村数量（个）", 8, 10, 40),
    ("集体经济", "100万元以上行政村数量（个）", 2, 5, 15),
    ("安全生产", "安全生产事故", "零发生", "零发生", "零发生"),
    ("社会治理", "刑事治安警情增速（%）", -8.6, -10, -10),
    ("社会治理", "信访量增速（%）", -15.1, -20, -25),
]
INJECTION = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture
def demo(plan):
    """The 陆河 plan with the demo values (2025 and 2026 Q1–Q3, through the real services)."""
    demo_seed(plan=plan)
    return plan


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def open_workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == workbook.XLSX_TYPE
    return load_workbook(io.BytesIO(response.content))


def table_rows(ws):
    """The data rows of sheet 1: from row 2 down to the first empty name."""
    rows = []
    for row in ws.iter_rows(min_row=2):
        if row[NAME - 1].value is None:
            break
        rows.append(row)
    return rows


def row_named(wb, name: str):
    return next(r for r in table_rows(wb["指标完成情况"]) if r[NAME - 1].value == name)


def number(value) -> D:
    assert isinstance(value, int | float), f"{value!r} is not a number"
    return D(str(value))


def places(number_format: str) -> int:
    """The decimal places a cell shows (percentages: of the underlying fraction)."""
    if number_format.endswith("%"):
        return len(number_format.split(".")[1]) + 1 if "." in number_format else 2
    return len(number_format.split(".")[1]) if "." in number_format else 0


# --- Structure --------------------------------------------------------------------------------


def test_sheets_and_header(demo, analyst_client):
    wb = open_workbook(analyst_client.get(XLSX + "?quarter=3"))
    assert wb.sheetnames == SHEETS
    ws = wb["指标完成情况"]
    assert [c.value for c in ws[1]] == HEADER_2026_Q3
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:Q31"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    whole_year = open_workbook(analyst_client.get(XLSX))["指标完成情况"]
    assert whole_year.cell(row=1, column=ACTUAL).value == "2026年实际值"


def test_one_row_per_indicator_in_plan_order_as_the_plan_prints_it(demo, analyst_client):
    ws = open_workbook(analyst_client.get(XLSX + "?quarter=3"))["指标完成情况"]
    rows = table_rows(ws)
    assert len(rows) == 30
    dimension = None
    for row, (dim, name, baseline, t2028, t2030) in zip(rows, PLAN_TABLE, strict=True):
        dimension = row[0].value or dimension  # merged: the value sits in the first cell
        assert (dimension, row[NAME - 1].value) == (dim, name)
        for cell, printed in zip(row[BASELINE - 1 : BASELINE + 2], (baseline, t2028, t2030),
                                 strict=True):  # fmt: skip
            assert cell.value == printed, (name, cell.coordinate)
            # numbers are numbers, text is text
            assert isinstance(cell.value, str) == isinstance(printed, str)


def test_number_formats_by_unit(demo, analyst_client):
    ws = open_workbook(analyst_client.get(XLSX + "?quarter=3"))["指标完成情况"]
    formats = {row[NAME - 1].value: row for row in table_rows(ws)}
    assert formats["全产业链总产值（亿元）"][ACTUAL - 1].number_format == "0.00"
    assert formats["全县GDP占比（%）"][ACTUAL - 1].number_format == "0.0"
    assert formats["规上企业数量（家）"][ACTUAL - 1].number_format == "0"
    # the schedule asks for fractions of a count: shown with two decimals
    assert formats["规上企业数量（家）"][EXPECTED - 1].number_format == "0.00"
    assert formats["规上企业数量（家）"][RATIO - 1].number_format == "0.0%"
    assert formats["从业人员（万人）"][ACTUAL - 1].value == 2.26


def test_merged_dimension_cells(demo, analyst_client):
    ws = open_workbook(analyst_client.get(XLSX + "?quarter=3"))["指标完成情况"]
    expected, row = set(), 2
    for dimension in dict.fromkeys(dim for dim, *_rest in PLAN_TABLE):
        size = sum(1 for dim, *_rest in PLAN_TABLE if dim == dimension)
        assert ws.cell(row=row, column=1).value == dimension
        if size > 1:
            expected.add(f"A{row}:A{row + size - 1}")
        row += size
    merged = {str(r) for r in ws.merged_cells.ranges if str(r).startswith("A") and r.max_col == 1}
    assert merged == expected


@pytest.mark.parametrize("year, quarter", [(2026, 3), (2026, 1), (2025, None)])
def test_figures_equal_the_progress_api(demo, analyst_client, api, year, quarter):
    query = f"?quarter={quarter}" if quarter else ""
    api_query = f"?year={year}" + (f"&quarter={quarter}" if quarter else "")
    body = api.get(f"/api/v1/plans/luhe-garment/progress/{api_query}").json()
    wb = open_workbook(analyst_client.get(f"/reports/luhe-garment/evaluation/{year}.xlsx{query}"))
    rows = table_rows(wb["指标完成情况"])
    assert len(rows) == len(body["indicators"]) == 30
    for row, api_row in zip(rows, body["indicators"], strict=True):
        assert row[STATUS - 1].value == api_row["status_label"]
        check_actual(row[ACTUAL - 1], api_row)
        check_computed(row[EXPECTED - 1], api_row["expected"], api_row["kind"])
        check_computed(row[RATIO - 1], api_row["ratio"], api_row["kind"])
        check_computed(row[COMPLETION - 1], api_row["completion"], api_row["kind"])


def check_actual(cell, api_row):
    """A stored figure: exactly the API's value ("-" when none; 零发生; a stage's name)."""
    if api_row["stage"] is not None:
        assert cell.value == api_row["stage"]
    elif api_row["value"] is None:
        assert cell.value == "-"
    elif api_row["kind"] == "zero_event" and D(api_row["value"]) == 0:
        assert cell.value == "零发生"
    else:
        assert number(cell.value) == D(api_row["value"])


def check_computed(cell, api_value, kind):
    """A computed figure: the API's, to the precision the cell shows."""
    if api_value is None:
        assert cell.value == "-"
    elif kind == "zero_event" and D(api_value) == 0:
        assert cell.value == "零发生"
    else:
        tolerance = D(5) * D(10) ** -(places(cell.number_format) + 1)
        assert abs(number(cell.value) - D(api_value)) <= tolerance, cell.coordinate


def test_status_cells_are_filled_in_the_status_colour(demo, analyst_client):
    ws = open_workbook(analyst_client.get(XLSX + "?quarter=3"))["指标完成情况"]
    code_of = {str(label): code for code, label in STATUS_LABELS.items()}
    seen = set()
    for row in table_rows(ws):
        cell = row[STATUS - 1]
        code = code_of[cell.value]
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb[-6:] == STATUS_COLOURS[code]
        seen.add(code)
    assert len(seen) >= 9  # the demo gives every status that can occur at 2026 Q3
    legend = {c.value: c.fill.fgColor.rgb[-6:] for c in ws["B"] if c.value in code_of}
    assert {code_of[label]: rgb for label, rgb in legend.items()} == {
        code: STATUS_COLOURS[code] for code in STATUS_ORDER
    }


# --- Other sheets -----------------------------------------------------------------------------


def test_summary_sheets_count_every_indicator_with_a_chart(demo, analyst_client):
    wb = open_workbook(analyst_client.get(XLSX + "?quarter=3"))
    rows = progress_selectors.progress_rows(plan=demo, period=Period.of(2026, 3))
    for name, groups in (
        ("分维度汇总", progress_selectors.counts_by_dimension(rows)),
        ("分部门汇总", progress_selectors.counts_by_lead(rows)),
    ):
        ws = wb[name]
        assert [c.value for c in ws[1]][1:-1] == [str(STATUS_LABELS[s]) for s in STATUS_ORDER]
        body = list(ws.iter_rows(min_row=2, max_row=len(groups) + 1, values_only=True))
        assert [r[1:-1] for r in body] == [
            tuple(g["counts"][s] for s in STATUS_ORDER) for g in groups
        ]
        assert sum(r[-1] for r in body) == 30
        assert len(ws._charts) == 1
    assert wb["分部门汇总"].cell(
        row=len(progress_selectors.counts_by_lead(rows)) + 1, column=1
    ).value == ("未明确")


def test_key_tasks(demo, analyst_client):
    ws = open_workbook(analyst_client.get(XLSX + "?quarter=3"))["重点任务"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[1]]
    assert len(rows) == 19
    projects = [r[0] for r in rows if r[0]]
    assert len(projects) == 8
    by_task = {r[1]: r for r in rows}
    assert by_task["推进产业集聚发展"][2] == "县政府（金融）（推定）"  # an inferred lead, marked
    assert by_task["培育壮大领航企业"][2] == "县科工局"
    assert by_task["培育壮大领航企业"][3] == "县发展改革局"
    assert by_task["培育壮大领航企业"][4].splitlines() == [
        "规上企业数量（家）：快于序时进度",
        "亿元以上企业（家）：严重滞后",
    ]


def test_quarterly_data_lists_the_years_values(demo, analyst_client, clerk_kgj):
    wb = open_workbook(analyst_client.get(XLSX + "?quarter=3"))
    ws = wb["季度数据"]
    header = [c.value for c in ws[1]]
    assert header == ["指标维度", "指标名称", "报告期", "生效数值", "待审核值", "状态", "数据来源",
                      "填报人", "审核人", "填报时间", "提交时间", "审核时间"]  # fmt: skip
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == Actual.objects.filter(year=2026).count()
    first = rows[0]
    assert first[1:7] == ("全产业链总产值（亿元）", "2026年第1季度", 7.9, None, "已通过",
                          "演示数据（非真实统计）")  # fmt: skip
    assert (first[7], first[8]) == ("demo_entry", "demo_review")
    assert isinstance(first[9], datetime)
    brand = [r for r in rows if r[1] == "区域品牌知名度"]
    assert [r[3] for r in brand] == ["未注册"] * 3


def test_no_email_addresses_or_internal_ids(demo, analyst_client, clerk_kgj, reviewer):
    for user in (clerk_kgj, reviewer):
        user.email = f"{user.username}@example.org"
        user.save()
    indicator = Indicator.objects.get(plan=demo, code="above_scale_enterprises")
    actual = Actual.objects.get(indicator=indicator, year=2026, quarter=3)
    entry = Entry(2026, 3, D(2), source="县统计局", note="复核")
    actual = actual_update(user=clerk_kgj, actual=actual, entry=entry, version=actual.version,
                           reason="更正", submit=True)  # fmt: skip
    actual_approve(user=reviewer, actual=actual)
    wb = open_workbook(analyst_client.get(XLSX + "?quarter=3"))
    texts = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not [t for t in texts if "@example.org" in t]
    assert "demo_entry" in texts and "reviewer" in texts  # user names: who entered, who approved
    assert not [h for ws in wb for h in ws[1] if h.value and "ID" in str(h.value).upper()]


def test_summary_sheet_is_the_written_summary(demo, analyst_client):
    ws = open_workbook(analyst_client.get(XLSX + "?quarter=3"))["评估摘要"]
    rows = progress_selectors.progress_rows(plan=demo, period=Period.of(2026, 3))
    paragraphs = wording.evaluation_summary(rows, demo, 2026, 3)
    assert [c.value for c in ws["A"][3:]] == paragraphs
    assert ws["A1"].value == (
        "陆河县服装产业高质量发展规划（2025—2030年）（征求意见稿）实施情况评估（2026年第3季度）"
    )
    assert "30项指标中" in paragraphs[0]


# --- Safety -----------------------------------------------------------------------------------


@pytest.fixture
def injected(demo, clerk_kgj, reviewer):
    """A source that Excel would run as a formula, entered and approved through the services;
    and a negative figure, which must stay a number."""
    indicator = Indicator.objects.get(plan=demo, code="above_scale_enterprises")
    actual = Actual.objects.get(indicator=indicator, year=2026, quarter=3)
    entry = Entry(year=2026, quarter=3, value=D(2), source=INJECTION, note="复核")
    actual = actual_update(user=clerk_kgj, actual=actual, entry=entry, version=actual.version,
                           reason="来源更正", submit=True)  # fmt: skip
    actual_approve(user=reviewer, actual=actual)
    return indicator


def test_formula_injection_in_the_workbook(injected, analyst_client):
    response = analyst_client.get(XLSX + "?quarter=3")
    wb = open_workbook(response)
    row = next(
        r for r in table_rows(wb["指标完成情况"]) if r[NAME - 1].value == "规上企业数量（家）"
    )
    cell = row[SOURCE - 1]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (INJECTION, "s", True)
    data = next(r for r in wb["季度数据"].iter_rows(min_row=2) if r[6].value == INJECTION)
    assert (data[6].data_type, data[6].quotePrefix) == ("s", True)
    # no formula anywhere in the file
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode()
    # negative numbers stay numbers
    crime = next(r for r in table_rows(wb["指标完成情况"]) if r[NAME - 1].value.startswith("刑事"))
    assert (crime[BASELINE - 1].value, crime[BASELINE - 1].data_type) == (-8.6, "n")
    assert (crime[ACTUAL - 1].value, crime[ACTUAL - 1].data_type) == (-7.6, "n")


def test_formula_injection_in_the_csv(injected, analyst_client):
    lines = list(
        csv.reader(io.StringIO(analyst_client.get(CSV + "?quarter=3").content.decode("utf-8-sig")))
    )
    row = next(r for r in lines if r[1] == "规上企业数量（家）")
    assert row[SOURCE - 1] == "'" + INJECTION
    crime = next(r for r in lines if r[1] == "刑事治安警情增速（%）")
    assert crime[BASELINE - 1 : ACTUAL] == ["-8.6", "-10.0", "-10.0", "-7.6"]
    assert next(r for r in lines if r[1] == "全县GDP占比（%）")[BASELINE - 1] == "-"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_risky_text_is_never_a_formula(text):
    from openpyxl import Workbook

    cell = Workbook().active["A1"]
    workbook.put(cell, text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert workbook.csv_text(text, "General") == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    from openpyxl import Workbook

    cell = Workbook().active["A1"]
    workbook.put(cell, D("-8.6"))
    assert (cell.data_type, cell.quotePrefix) == ("n", False)
    assert workbook.csv_text(D("-8.6"), "0.0") == "-8.6"
    assert workbook.csv_text("-", "General") == "-"
    assert workbook.csv_text("县统计局", "General") == "县统计局"
    assert workbook.csv_text(D("0.6667"), "0.0%") == "66.7%"


# --- As of a date -----------------------------------------------------------------------------


def at(day: int, hour: int = 10, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, second, micro, tzinfo=SHANGHAI)


@pytest.fixture
def corrected(plan, clerk_kgj, reviewer):
    """规上企业数量 2026 Q3: 2 approved on 15 October; corrected to 4 and approved later.
    Returns a function that moves the correction's history records to a given moment."""
    indicator = Indicator.objects.get(plan=plan, code="above_scale_enterprises")
    entry = Entry(year=2026, quarter=3, value=D(2), source="县统计局快报")
    actual = actual_create(user=clerk_kgj, indicator=indicator, entry=entry, submit=True)
    actual = actual_approve(user=reviewer, actual=actual)
    Actual.history.filter(id=actual.pk).update(history_date=at(15))
    first = set(Actual.history.filter(id=actual.pk).values_list("history_id", flat=True))
    entry = Entry(year=2026, quarter=3, value=D(4), source="县统计局年报")
    actual = actual_update(user=clerk_kgj, actual=actual, entry=entry, version=actual.version,
                           reason="统计局更正", submit=True)  # fmt: skip
    actual_approve(user=reviewer, actual=actual)

    def correction_at(moment: datetime) -> None:
        Actual.history.filter(id=actual.pk).exclude(history_id__in=first).update(
            history_date=moment
        )

    correction_at(datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI))
    return correction_at


def figure(client, query: str):
    wb = open_workbook(client.get(XLSX + query))
    row = next(
        r for r in table_rows(wb["指标完成情况"]) if r[NAME - 1].value == "规上企业数量（家）"
    )
    return row[ACTUAL - 1].value, row[SOURCE - 1].value, wb


def test_as_of_rebuilds_the_earlier_figures(corrected, analyst_client):
    assert figure(analyst_client, "?quarter=3")[:2] == (4, "县统计局年报")
    value, source, wb = figure(analyst_client, "?quarter=3&as_of=2026-10-20")
    assert (value, source) == (2, "县统计局快报")
    data = [r for r in wb["季度数据"].iter_rows(min_row=2, values_only=True)]
    assert [(r[1], r[3], r[5]) for r in data] == [("规上企业数量（家）", 2, "已通过")]
    assert "2026-10-20" in wb["评估摘要"]["A2"].value
    assert figure(analyst_client, "?quarter=3&as_of=2026-10-14")[0] == "-"


def test_as_of_keeps_every_change_of_that_day_and_none_after(corrected, analyst_client):
    corrected(at(20, 23, 59, 59, 999999))
    assert figure(analyst_client, "?quarter=3&as_of=2026-10-20")[0] == 4
    corrected(at(21, 0, 0))
    assert figure(analyst_client, "?quarter=3&as_of=2026-10-20")[0] == 2


def test_as_of_in_the_file_name(corrected, analyst_client):
    response = analyst_client.get(XLSX + "?quarter=3&as_of=2026-10-20")
    name = quote("年度评估表-陆河县-2026Q3-截至2026-10-20.xlsx")
    assert f"filename*=utf-8''{name}" in response["Content-Disposition"]


# --- Who, and what may be asked ----------------------------------------------------------------


def test_file_name(plan, analyst_client):
    response = analyst_client.get(XLSX)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("年度评估表-陆河县-2026.xlsx")
    )


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_who_may_download(client, plan, url, clerk_kgj, outsider, reviewer, leader, analyst):
    admin = user_set_role(username="admin1", role="admin", department=None, password="pw")
    for user in (analyst, reviewer, leader, admin):
        client.force_login(user)
        assert client.get(url).status_code == 200, user.username
    for user in (clerk_kgj, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403, user.username
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize(
    "url, message",
    [
        ("/reports/luhe-garment/evaluation/2024.xlsx", "请选择2025年至2035年之间的年份。"),
        ("/reports/luhe-garment/evaluation/2036.csv", "请选择2025年至2035年之间的年份。"),
        (XLSX + "?quarter=5", "季度须为 1 至 4，全年数值请用 0。"),
        (XLSX + "?quarter=Q3", "季度须为 1 至 4，全年数值请用 0。"),
        (CSV + "?as_of=2026-13-01", "截至日期请写作“年-月-日”（YYYY-MM-DD），如 2026-10-20。"),
        (XLSX + "?as_of=20261020", "截至日期请写作“年-月-日”（YYYY-MM-DD），如 2026-10-20。"),
        (XLSX + "?as_of=2026-11-25", "截至日期不能晚于今天。"),
    ],
)
def test_bad_parameters_are_refused_in_chinese(plan, analyst_client, url, message):
    response = analyst_client.get(url)
    assert response.status_code == 400
    assert response.content.decode() == message


def test_a_plan_without_indicators_still_exports(plan, analyst_client):
    Plan.objects.create(name="空规划", slug="empty", region=plan.region, baseline_year=2025,
                        milestone_years=[2028])  # fmt: skip
    wb = open_workbook(analyst_client.get("/reports/empty/evaluation/2026.xlsx"))
    assert wb.sheetnames == SHEETS
    assert wb["指标完成情况"]["A2"].value is None
    assert wb["评估摘要"]["A4"].value == "暂无可汇总的指标。"
    csv_lines = analyst_client.get("/reports/empty/evaluation/2026.csv").content.decode("utf-8-sig")
    assert csv_lines.splitlines() == [",".join(HEADER_2026_Q3[:3] + ["2026年实际值"] +
                                               HEADER_2026_Q3[6:])]  # fmt: skip


def test_unknown_plan_is_404(plan, analyst_client):
    assert analyst_client.get("/reports/nope/evaluation/2026.xlsx").status_code == 404


def test_whole_year_is_quarter_empty_or_0(plan, analyst_client):
    for query in ("", "?quarter=", "?quarter=0"):
        ws = open_workbook(analyst_client.get(XLSX + query))["指标完成情况"]
        assert ws.cell(row=1, column=ACTUAL).value == "2026年实际值"


# --- The CSV ----------------------------------------------------------------------------------


def shown(cell) -> str:
    """What Excel shows in a sheet-1 cell, written independently of the code under test."""
    value, fmt = cell.value, cell.number_format
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if fmt == "0.0%":
        return f"{D(str(value)) * 100:.1f}%"
    if fmt in ("0", "0.0", "0.00"):
        return f"{D(str(value)):.{places(fmt)}f}"
    return str(value)


def test_csv_is_utf8_with_bom_and_matches_sheet_1(demo, analyst_client):
    response = analyst_client.get(CSV + "?quarter=3")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith(quote("年度评估表-陆河县-2026Q3.csv"))
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    ws = open_workbook(analyst_client.get(XLSX + "?quarter=3"))["指标完成情况"]
    assert lines[0] == HEADER_2026_Q3
    assert len(lines) == 31
    dimension = None
    for line, row in zip(lines[1:], table_rows(ws), strict=True):
        dimension = row[0].value or dimension
        assert line == [dimension, *(shown(cell) for cell in row[1:])]


# --- Query budget -----------------------------------------------------------------------------

# session, user, role and scope (one query) 3; the plan 1; progress rows 5 (indicators, targets,
# stages, responsibilities, entries); table targets 1; the year's values 1; projects 1;
# tasks 1 (their departments and indicators are prefetched only when there are tasks: +2 for
# 陆河).
QUERIES_WITHOUT_TASKS = 13


@pytest.mark.parametrize("size", [30, 300])
def test_query_count_is_constant(client, analyst, size):
    plan = make_synthetic_plan(size, slug=f"synthetic-{size}")
    add_quarterly_actuals(plan, years=[2025, 2026], user=analyst)
    client.force_login(analyst)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/reports/{plan.slug}/evaluation/2026.xlsx?quarter=3")
    assert response.status_code == 200
    assert len(queries) == QUERIES_WITHOUT_TASKS
    ws = load_workbook(io.BytesIO(response.content))["指标完成情况"]
    assert ws.max_row > size


def test_query_budget_with_tasks_and_history(demo, analyst_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES_WITHOUT_TASKS + 2):
        analyst_client.get(XLSX + "?quarter=3&as_of=2026-11-24")
    assert Plan.objects.count() == 1
