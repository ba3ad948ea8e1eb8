"""The plan workbook (indicators/planbook.py): the bundled example, the round trip, every
parsing rule and every refusal with its cell."""

import zipfile
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from indicators.planbook import PlanBookError, read_workbook, task_clause, write_workbook

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "luhe-15th-five-year-2026-2030.xlsx"

PLAN_ROWS = [
    ["项目", "内容"],
    ["规划名称", "测试规划"],
    ["规划代码", "test-plan"],
    ["行政区划代码", "441523"],
    ["基期年份", 2025],
]
HEADER = ["指标维度", "指标名称", "2030年目标"]


def book(indicators=None, plan=None, tasks=None, units=None, sheets=None) -> BytesIO:
    """A workbook of the given sheets; a cell is a value or (value, number_format)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    tables = {"规划": PLAN_ROWS if plan is None else plan}
    tables["指标"] = indicators if indicators is not None else [HEADER, ["经济", "GDP", 1]]
    if tasks is not None:
        tables["重点任务"] = tasks
    if units is not None:
        tables["单位"] = units
    tables.update(sheets or {})
    for title, rows in tables.items():
        sheet = workbook.create_sheet(title)
        for row_number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column)
                if isinstance(value, tuple):
                    cell.value, cell.number_format = value
                else:
                    cell.value = value
    return saved(workbook)


def saved(workbook) -> BytesIO:
    data = BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def indicators_of(*rows, header=HEADER) -> list[dict]:
    return read_workbook(book([header, *rows]))[0]["indicators"]


def problems(data) -> list[str]:
    with override("en"), pytest.raises(PlanBookError) as caught:
        read_workbook(data)
    return caught.value.problems


def round_trip(raw: dict) -> tuple[dict, dict]:
    return read_workbook(saved(write_workbook(raw)))


# -- the example ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    return read_workbook(EXAMPLE)


def test_example_plan(example):
    raw, where = example
    assert raw["plan"] == {
        "name": "陆河县国民经济和社会发展第十五个五年规划纲要主要指标（示例数据）",
        "slug": "luhe-15th-five-year",
        "region": "441523",
        "baseline_year": 2025,
        "milestone_years": [2030],
        "deadline_days": 15,
        "annual_deadline": "3月31日",
        "first_tracked_year": 2026,
        "source_document": "示例数据：按县级十五五规划纲要主要指标表的常见形式编制，数值为虚构",
        "example": True,
    }
    assert where[("plan", "name")] == "规划!B2"
    assert where[("plan", "slug")] == "规划!B3"
    assert where[("plan", "example")] == "规划!B10"
    assert where[("plan", "milestone_years", 0)] == "指标!G1"


def test_example_table(example):
    raw, _where = example
    indicators = raw["indicators"]
    assert 22 <= len(indicators) <= 26
    assert raw["dimensions"] == ["经济发展", "创新驱动", "民生福祉", "绿色生态", "安全保障"]
    assert {item["kind"] for item in indicators} == {
        "level",
        "cumulative",
        "annual_total",
        "rate",
        "zero_event",
        "milestone",
    }
    assert {item["frequency"] for item in indicators} == {
        "monthly",
        "quarterly",
        "half_yearly",
        "annual",
    }
    texts = {item["targets"][0]["text"] for item in indicators}
    for text in (
        "年均增长6%",
        ">7",
        "≥95",
        "60左右",
        "控制在5.5%以内",
        "6—6.5",
        "累计降低13.5%",
        "完成市下达任务",
        "与经济增长基本同步",
        "保持适度水平",
        "158",
        "零发生",
        "国家级命名",
    ):
        assert text in texts
    assert all(len(item["targets"]) == 1 for item in indicators)
    binding = {item["name"] for item in indicators if item["binding"]}
    assert {
        "单位地区生产总值能源消耗降低",
        "耕地保有量",
        "空气质量优良天数比率",
        "森林覆盖率",
    } <= binding
    assert "单位地区生产总值二氧化碳排放降低" in binding
    assert all(item["code"].isascii() and "code_derived" not in item for item in indicators)
    units = {item["unit"] for item in indicators}
    assert {"%", "‰", "亿元", "万元", "元", "万亩", "人", "年", "个"} <= units


def test_example_indicators(example):
    raw, where = example
    by_code = {item["code"]: item for item in raw["indicators"]}
    assert by_code["gdp_growth"] == {
        "code": "gdp_growth",
        "dimension": "经济发展",
        "name": "地区生产总值增速",
        "unit": "%",
        "binding": False,
        "baseline": Decimal("5.2"),
        "baseline_text": "5.2",
        "kind": "rate",
        "direction": "higher",
        "path": "linear",
        "frequency": "quarterly",
        "stages": [],
        "lead": ["县发展改革局"],
        "responsible": [],
        "data_source": ["县统计局"],
        "targets": [{"year": 2030, "text": "年均增长6%", "origin": "table"}],
    }
    assert by_code["disposable_income_growth"]["reference"] == "gdp_growth"
    assert by_code["disposable_income_growth"]["tolerance"] == Decimal("0.5")
    assert by_code["population_natural_growth"]["unit"] == "‰"
    assert "direction" not in by_code["population_natural_growth"]
    assert by_code["doctors_per_thousand"]["name"] == "每千人口执业（助理）医师数"
    assert by_code["doctors_per_thousand"]["baseline"] == Decimal("2.45")
    assert by_code["urban_unemployment_rate"]["direction"] == "lower"
    assert by_code["ecological_demonstration"] == {
        "code": "ecological_demonstration",
        "dimension": "绿色生态",
        "name": "生态文明建设示范区创建",
        "unit": "",
        "binding": False,
        "baseline": None,
        "baseline_text": "省级命名",
        "kind": "milestone",
        "direction": "higher",
        "path": "linear",
        "frequency": "annual",
        "stages": ["未命名", "省级命名", "国家级命名"],
        "lead": ["市生态环境局陆河分局"],
        "responsible": [],
        "data_source": ["市生态环境局陆河分局"],
        "targets": [{"year": 2030, "text": "国家级命名", "origin": "table"}],
    }
    safety = by_code["major_safety_accidents"]
    assert (safety["kind"], safety["binding"], safety["baseline"]) == ("zero_event", True, None)
    assert (safety["baseline_text"], safety["direction"]) == ("零发生", "lower")
    places = by_code["public_school_places"]
    assert (places["kind"], places["baseline"], places["baseline_text"]) == (
        "cumulative",
        None,
        "-",
    )
    # gdp_growth is the second indicator, on row 3
    assert where[("indicators", 1, "targets", 0)] == "指标!G3"
    assert where[("indicators", 1, "unit")] == "指标!D3"
    assert where[("indicators", 1, "code")] == "指标!A3"
    assert where[("indicators", 1, "dimension")] == "指标!B2"  # printed on the group's first row
    assert where[("dimensions", 1)] == "指标!B9"


def test_example_tasks_and_units(example):
    raw, where = example
    assert [project["name"] for project in raw["projects"]] == [
        "科技创新能力提升工程",
        "生态环境保护工程",
    ]
    task = raw["projects"][0]["tasks"][0]
    assert task == {
        "name": "培育壮大高新技术企业",
        "text": (
            "建立高新技术企业培育库，实施“小升高”培育行动，落实研发费用加计扣除等政策。"
            "到2030年，全县高新技术企业达到40家。"
        ),
        "clause": "（牵头单位：县科工局；责任单位：县财政局、县市场监管局）",
        "lead": ["县科工局"],
        "lead_inferred": False,
        "responsible": ["县财政局", "县市场监管局"],
        "indicators": [
            {"code_or_name": "high_tech_enterprises", "clause": ""},
            {"code_or_name": "rd_intensity", "clause": ""},
        ],
    }
    assert where[("projects", 1, "tasks", 1, "indicators", 1)] == "重点任务!F5"
    names = [department["name"] for department in raw["departments"]]
    assert names[0] == "县统计局"
    for name in (
        "县发展改革局",
        "县林业局",
        "县应急管理局",
        "市生态环境局陆河分局",
        "县卫生健康局",
    ):
        assert name in names
    assert {department["kind"] for department in raw["departments"]} == {"bureau"}
    assert where[("departments", 0)] == "单位!A2"


def test_example_round_trip(example):
    raw, where = example
    assert round_trip(raw) == (raw, where)


# -- round trip -----------------------------------------------------------------------------


def test_round_trip_of_every_cell_form():
    data = book(
        [
            ["序号", "指标名称", "单位", "基期值", "2030年", "指标维度", "2028年目标", "指标代码"],
            [1, "A率（%）", None, ("0.955", "@"), (0.96, "0%"), "一", 60, None],
            [2, "B", "—", "4.80", "≥95", None, 8.5, "b"],
            [3, "C（累计）", "-", "0.30000000000000004", "=1", "二", "060", None],
            [6, "F", "件", 12345678901234567, "1e3", None, -0.0, None],
            [4, "D", "家", ("4.8%", "@"), ("-5%", "@"), "一", 1e20, "d"],
            [5, "E", "元", (0.048, "0.0%"), 30, None, None, None],
        ]
    )
    raw, where = read_workbook(data)
    assert raw["plan"]["milestone_years"] == [2028, 2030]
    assert raw["dimensions"] == ["一", "二"]
    assert round_trip(raw)[0] == raw
    # texts Excel could take for a formula or a shortened number stay text
    raw["indicators"][0]["targets"][0]["text"] = "=SUM(A1:A2)"
    raw["indicators"][1]["baseline_text"] = "12345678901234567.5"
    raw["indicators"][1]["baseline"] = Decimal("12345678901234567.5")
    assert round_trip(raw)[0] == raw


def test_round_trip_of_a_plan_file_shaped_dict():
    """A raw dict from a YAML file (value/stage targets, no printed texts) writes too."""
    raw = {
        "plan": {"name": "P", "slug": "p", "region": "441523", "baseline_year": 2025},
        "dimensions": ["D"],
        "indicators": [
            {
                "code": "x",
                "dimension": "D",
                "name": "X",
                "unit": "家",
                "kind": "milestone",
                "baseline": Decimal("30"),
                "stages": ["a", "b"],
                "targets": [
                    {"year": 2028, "value": Decimal("5.5"), "origin": "table"},
                    {"year": 2030, "stage": "b", "origin": "table"},
                ],
            }
        ],
        "projects": [
            {
                "number": 1,
                "name": "P1",
                "tasks": [{"name": "T", "indicators": [{"code": "x", "clause": "c"}]}],
            }
        ],
    }
    back = round_trip(raw)[0]
    item = back["indicators"][0]
    assert (item["baseline"], item["baseline_text"]) == (Decimal("30"), "30")
    assert [t["text"] for t in item["targets"]] == ["5.5", "b"]
    # the link's clause, which the 关联指标 column cannot hold, comes back from 关联条款
    assert back["projects"][0]["tasks"][0]["indicators"] == [{"code_or_name": "x", "clause": "c"}]


def test_written_layout():
    raw = read_workbook(EXAMPLE)[0]
    workbook = load_workbook(saved(write_workbook(raw)))
    assert workbook.sheetnames == ["规划", "指标", "重点任务", "单位"]
    sheet = workbook["指标"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:7] == [
        "指标代码",
        "指标维度",
        "指标名称",
        "单位",
        "属性",
        "基期值",
        "2030年目标",
    ]
    assert headers[7:] == [
        "指标类型",
        "方向",
        "路径",
        "填报频率",
        "容差",
        "参照指标",
        "阶段",
        "牵头单位",
        "责任单位",
        "数据来源单位",
        "目录代码",
        "说明",
    ]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= 20
    assert [sheet.cell(row=r, column=2).value for r in (2, 3)] == ["经济发展", None]
    assert (sheet["E2"].value, sheet["H2"].value, sheet["K2"].value) == (
        "预期性",
        "年度累计值",
        "季度",
    )
    assert (sheet["F2"].value, sheet["G2"].value) == (118, 158)  # numbers, not text
    assert [cell.value for cell in workbook["重点任务"][1]] == [
        "工程",
        "任务",
        "内容",
        "牵头单位",
        "责任单位",
        "关联指标",
    ]
    assert [cell.value for cell in workbook["单位"][1]] == ["单位名称", "类型"]
    assert workbook["规划"]["A3"].value == "规划代码"


def test_written_percent_cell_is_a_percent_number():
    raw = read_workbook(book([HEADER, ["一", "A", ("95.5%", "@")]]))[0]
    sheet = load_workbook(saved(write_workbook(raw)))["指标"]
    assert (sheet["G2"].value, sheet["G2"].number_format) == (0.955, "0.0%")


# -- the 规划 sheet ---------------------------------------------------------------------------


def test_plan_defaults_and_number_region():
    rows = [["内容", "项目"], ["规划名称", "规划名称"]]  # columns in any order
    rows = [
        ["内容", "项目"],
        ["测试规划", "规划名称"],
        ["test_plan", "规划代码"],
        [441523, "行政区划代码"],
        [2025.0, "基期年份"],
    ]
    raw, where = read_workbook(book(plan=rows))
    assert raw["plan"] == {
        "name": "测试规划",
        "slug": "test_plan",
        "region": "441523",
        "baseline_year": 2025,
        "milestone_years": [2030],
        "deadline_days": 15,
        "annual_deadline": "3月31日",
        "example": False,
    }
    assert where[("plan", "region")] == "规划!A4"
    assert raw["departments"] == [] and raw["projects"] == []


def test_plan_optional_items():
    rows = [
        *PLAN_ROWS,
        ["填报截止天数", "20"],
        ["年度数据截止", datetime(2026, 4, 30)],
        ["开始跟踪年份", "2027年"],
        ["来源文件", " 县政府文件 "],
        ["示例数据", "否"],
    ]
    plan = read_workbook(book(plan=rows))[0]["plan"]
    assert (plan["deadline_days"], plan["annual_deadline"]) == (20, "4月30日")
    assert (plan["first_tracked_year"], plan["source_document"]) == (2027, "县政府文件")
    assert plan["example"] is False
    rows[-1] = ["示例数据", "是"]
    assert read_workbook(book(plan=rows))[0]["plan"]["example"] is True


def test_plan_refusals():
    rows = [
        ["项目", "内容"],
        ["规划名称", "测试"],
        ["规划代码", "陆河-规划"],
        ["行政区划代码", "441523"],
        ["基期年份", "二〇二五"],
        ["示例数据", "可能"],
        ["规划名称", "又一个"],
        ["负责人", "张三"],
        [None, "孤立的值"],
    ]
    found = problems(book(plan=rows))
    assert found[0].startswith("规划!B3：") and "plan code" in found[0]
    assert any(p.startswith("规划!B5：") and "whole number" in p for p in found)
    assert any(p.startswith("规划!B6：") and "是 or 否" in p for p in found)
    assert any(p.startswith("规划!A7：") and "twice" in p for p in found)
    assert any(p.startswith("规划!A8：") and "unknown item “负责人”" in p for p in found)
    assert any(p.startswith("规划!A9：") for p in found)


def test_plan_missing_items_and_columns():
    found = problems(book(plan=[["项目", "内容"], ["规划名称", "测试"], ["规划代码", None]]))
    assert "规划!B3：the plan needs its “规划代码”" in found
    assert "规划：the plan needs its “行政区划代码”" in found
    assert "规划：the plan needs its “基期年份”" in found
    found = problems(book(plan=[["项目", "值"], ["规划名称", "测试"]]))
    assert "规划!B1：unknown column “值”; the columns are: 项目、内容" in found
    assert "规划!1:1：missing column “内容”" in found


# -- the 指标 sheet: columns -------------------------------------------------------------------


def test_defaults_when_optional_columns_are_absent():
    assert indicators_of(["经济", "地区生产总值", 100]) == [
        {
            "code": "i01",
            "code_derived": True,
            "dimension": "经济",
            "name": "地区生产总值",
            "unit": "",
            "binding": False,
            "baseline": None,
            "baseline_text": "",
            "kind": "level",
            "path": "linear",
            "frequency": "quarterly",
            "stages": [],
            "lead": [],
            "responsible": [],
            "data_source": [],
            "targets": [{"year": 2030, "text": "100", "origin": "table"}],
        }
    ]


def test_every_column_in_any_order():
    header = [
        "说明",
        "目录代码",
        "数据来源单位",
        "责任单位",
        "牵头单位",
        "阶段",
        "参照指标",
        "容差",
        "填报频率",
        "路径",
        "方向",
        "指标类型",
        "2030年目标",
        "基期值",
        "属性",
        "单位",
        "指标名称",
        "指标维度",
        "指标代码",
    ]
    row = [
        " 备注 ",
        "GDP01",
        "县统计局",
        "县人社局，县财政局",
        "县发展改革局",
        None,
        "gdp",
        0.5,
        "月度",
        "几何",
        "越低越好",
        "增速",
        "年均增长6%",
        5.2,
        "约束性",
        "%",
        " 增速 ",
        "经济",
        "growth",
    ]
    raw, where = read_workbook(book([header, row]))
    assert raw["indicators"] == [
        {
            "code": "growth",
            "dimension": "经济",
            "name": "增速",
            "unit": "%",
            "binding": True,
            "baseline": Decimal("5.2"),
            "baseline_text": "5.2",
            "kind": "rate",
            "direction": "lower",
            "path": "geometric",
            "frequency": "monthly",
            "tolerance": Decimal("0.5"),
            "reference": "gdp",
            "stages": [],
            "lead": ["县发展改革局"],
            "responsible": ["县人社局", "县财政局"],
            "data_source": ["县统计局"],
            "catalogue_code": "GDP01",
            "note": "备注",
            "targets": [{"year": 2030, "text": "年均增长6%", "origin": "table"}],
        }
    ]
    assert where[("indicators", 0, "unit")] == "指标!P2"
    assert where[("indicators", 0, "targets", 0)] == "指标!M2"
    assert where[("indicators", 0, "responsible", 1)] == "指标!D2"
    assert where[("indicators", 0, "baseline")] == "指标!N2"
    assert where[("indicators", 0)] == "指标!Q2"


def test_header_variants_and_ignored_columns():
    header = ["序号", "指标 维度", "指标名称", "2025年基期", "2030年 目标值", "2028年"]
    item = indicators_of([1, "经济", "A", 30, 60, 45], header=header)[0]
    assert item["baseline"] == 30
    assert item["targets"] == [
        {"year": 2028, "text": "45", "origin": "table"},
        {"year": 2030, "text": "60", "origin": "table"},
    ]


def test_dimension_as_the_row_above():
    raw = read_workbook(
        book(
            [
                HEADER,
                ["经济", "A", 1],
                [None, "B", 1],
                [None, None, None],  # blank rows are skipped
                ["民生", "C", 1],
                [None, "D", 1],
                ["经济", "E", 1],
            ]
        )
    )[0]
    assert [item["dimension"] for item in raw["indicators"]] == [
        "经济",
        "经济",
        "民生",
        "民生",
        "经济",
    ]
    assert raw["dimensions"] == ["经济", "民生"]
    assert [item["code"] for item in raw["indicators"]] == ["i01", "i02", "i03", "i04", "i05"]


@pytest.mark.parametrize(
    ("printed", "unit", "name", "expected_unit"),
    [
        ("城镇调查失业率（%）", None, "城镇调查失业率", "%"),
        ("城镇调查失业率(%)", None, "城镇调查失业率", "%"),
        (
            "生产性服务企业引育数（设计、物流等）（家）",
            None,
            "生产性服务企业引育数（设计、物流等）",
            "家",
        ),
        ("亿元以上企业（家） ", "", "亿元以上企业", "家"),
        ("城镇调查失业率（%）", "%", "城镇调查失业率（%）", "%"),  # 单位 given: name as printed
        ("能耗降低（累计）", "—", "能耗降低（累计）", ""),  # "—": no unit, name not split
        ("区域品牌知名度", None, "区域品牌知名度", ""),
    ],
)
def test_name_and_unit(printed, unit, name, expected_unit):
    item = indicators_of(
        ["一", printed, unit, 1], header=["指标维度", "指标名称", "单位", "2030年"]
    )[0]
    assert (item["name"], item["unit"]) == (name, expected_unit)


def test_unit_split_from_the_name_without_a_unit_column():
    raw, where = read_workbook(book([HEADER, ["一", "城镇调查失业率（%）", 5]]))
    assert raw["indicators"][0]["unit"] == "%"
    assert where[("indicators", 0, "unit")] == "指标!B2"


@pytest.mark.parametrize(
    ("printed", "binding"), [("约束性", True), ("预期性", False), (None, False), (" 约束性 ", True)]
)
def test_binding(printed, binding):
    header = ["指标维度", "指标名称", "属性", "2030年"]
    assert indicators_of(["一", "A", printed, 1], header=header)[0]["binding"] is binding


@pytest.mark.parametrize(
    ("cell", "baseline", "text"),
    [
        (30, Decimal("30"), "30"),
        (2.45, Decimal("2.45"), "2.45"),
        (-1.8, Decimal("-1.8"), "-1.8"),
        ("−1.8", Decimal("-1.8"), "−1.8"),
        (1e-7, Decimal("0.0000001"), "0.0000001"),
        (1e20, Decimal("100000000000000000000"), "100000000000000000000"),
        ("30", Decimal("30"), "30"),
        ("-", None, "-"),
        ("—", None, "—"),
        (None, None, ""),
        ("零发生", None, "零发生"),
        ("成功注册", None, "成功注册"),
        ("4.8%", Decimal("4.8"), "4.8%"),
        ((0.955, "0.0%"), Decimal("95.5"), "95.5%"),
        ((1, "0%"), Decimal("100"), "100%"),
        ((0.955, '0.000"%"'), Decimal("0.955"), "0.955"),  # a quoted % does not scale
    ],
)
def test_baseline(cell, baseline, text):
    header = ["指标维度", "指标名称", "基期值", "2030年"]
    item = indicators_of(["一", "A", cell, 1], header=header)[0]
    assert (item["baseline"], item["baseline_text"]) == (baseline, text)
    assert item["baseline"] is None or isinstance(item["baseline"], Decimal)


def test_targets_in_year_order_as_printed():
    header = ["指标维度", "指标名称", "2035年", "2030年目标", "2028年目标"]
    rows = [
        ["一", "A", None, 60, 8.5],
        ["一", "B", "≥95", (0.95, "0%"), None],
        ["一", "C", None, None, None],
    ]
    items = indicators_of(*rows, header=header)
    assert [(t["year"], t["text"]) for t in items[0]["targets"]] == [(2028, "8.5"), (2030, "60")]
    assert [(t["year"], t["text"]) for t in items[1]["targets"]] == [(2030, "95%"), (2035, "≥95")]
    assert items[2]["targets"] == []
    assert {t["origin"] for t in items[0]["targets"]} == {"table"}


@pytest.mark.parametrize(
    ("column", "printed", "key", "value"),
    [
        ("指标类型", "时点值", "kind", "level"),
        ("指标类型", "累计值", "kind", "cumulative"),
        ("指标类型", "年度累计值", "kind", "annual_total"),
        ("指标类型", "增速", "kind", "rate"),
        ("指标类型", "零发生", "kind", "zero_event"),
        ("指标类型", "阶段性", "kind", "milestone"),
        ("指标类型", "annual_total", "kind", "annual_total"),
        ("指标类型", None, "kind", "level"),
        ("方向", "越高越好", "direction", "higher"),
        ("方向", "越低越好", "direction", "lower"),
        ("方向", "lower", "direction", "lower"),
        ("路径", "线性", "path", "linear"),
        ("路径", "几何", "path", "geometric"),
        ("路径", "geometric", "path", "geometric"),
        ("路径", None, "path", "linear"),
        ("填报频率", "月度", "frequency", "monthly"),
        ("填报频率", "季度", "frequency", "quarterly"),
        ("填报频率", "半年", "frequency", "half_yearly"),
        ("填报频率", "年度", "frequency", "annual"),
        ("填报频率", "half_yearly", "frequency", "half_yearly"),
        ("填报频率", None, "frequency", "quarterly"),
        ("容差", 0.5, "tolerance", Decimal("0.5")),
        ("容差", "1", "tolerance", Decimal("1")),
        ("参照指标", "gdp_growth", "reference", "gdp_growth"),
        ("阶段", "未注册→成功注册→省内外知名", "stages", ["未注册", "成功注册", "省内外知名"]),
        ("阶段", "未注册 -> 成功注册", "stages", ["未注册", "成功注册"]),
        ("阶段", None, "stages", []),
        ("牵头单位", "县科工局、县发展改革局", "lead", ["县科工局", "县发展改革局"]),
        ("责任单位", "A，B,C；D", "responsible", ["A", "B", "C", "D"]),
        ("数据来源单位", "县统计局", "data_source", ["县统计局"]),
        ("目录代码", "gdp", "catalogue_code", "gdp"),
        ("说明", "注", "note", "注"),
        ("指标代码", "x-1_y", "code", "x-1_y"),
    ],
)
def test_column_values(column, printed, key, value):
    item = indicators_of(["一", "A", 1, printed], header=[*HEADER, column])[0]
    assert item[key] == value


@pytest.mark.parametrize(
    "column", ["方向", "容差", "参照指标", "目录代码", "说明"], ids=lambda c: c
)
def test_blank_optional_cells_leave_their_key_out(column):
    item = indicators_of(["一", "A", 1, None], header=[*HEADER, column])[0]
    assert not {"direction", "tolerance", "reference", "catalogue_code", "note"} & set(item)


def test_derived_codes_follow_the_position():
    items = indicators_of(
        ["一", "A", 1, "a"], ["一", "B", 1, None], ["一", "C", 1, "c"], header=[*HEADER, "指标代码"]
    )
    assert [(item["code"], item.get("code_derived")) for item in items] == [
        ("a", None),
        ("i02", True),
        ("c", None),
    ]


# -- the 指标 sheet: refusals -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "printed", "words"),
    [
        ("属性", "重要", "约束性、预期性"),
        ("指标类型", "存量", "时点值、累计值"),
        ("方向", "越多越好", "越高越好、越低越好"),
        ("路径", "指数", "线性、几何"),
        ("填报频率", "每周", "月度、季度、半年、年度"),
    ],
)
def test_unknown_words_are_refused_with_their_cell(column, printed, words):
    found = problems(book([[*HEADER, column], ["一", "A", 1, printed]]))
    assert len(found) == 1
    assert found[0].startswith(f"指标!D2：“{printed}” is not one of: {words}")


@pytest.mark.parametrize("code", ["GDP", "gdp growth", "增速", "a.b"])
def test_bad_codes_are_refused(code):
    found = problems(book([[*HEADER, "指标代码"], ["一", "A", 1, code]]))
    assert found == [
        "指标!D2：the indicator code may use only small letters a–z, digits, “-” and “_”"
    ]


def test_bad_tolerance_is_refused():
    found = problems(book([[*HEADER, "容差"], ["一", "A", 1, "半个点"]]))
    assert found == ["指标!D2：“半个点” is not a number"]


def test_header_refusals():
    found = problems(book([["指标维度", "名称", "目标", "单位", "单位"], ["一", "A", 1, "%", "%"]]))
    assert "指标!B1：unknown column “名称”; the columns are: " in found[0]
    assert found[1].startswith("指标!C1：unknown column “目标”")
    assert "指标!E1：column “单位” appears twice" in found
    assert "指标!1:1：missing column “指标名称”" in found
    assert "指标!1:1：the table needs a target column, headed like “2030年目标”" in found


def test_repeated_target_year_and_headerless_values_are_refused():
    found = problems(book([[*HEADER, "2030年", None], ["一", "A", 1, 2, "x"]]))
    assert found == ["指标!D1：column “2030年” appears twice", "指标!E2：this column has no header"]


def test_row_refusals():
    found = problems(book([HEADER, [None, "A", 1], ["一", None, 5], ["一", "B", 1]]))
    assert found == [
        "指标!A2：the first indicator needs its 指标维度",
        "指标!B3：this row has no 指标名称",
    ]


def test_every_problem_at_once():
    rows = [["项目", "内容"], ["规划名称", "测试"], ["规划代码", "测试"], ["行政区划代码", 441523]]
    data = book(
        [[*HEADER, "属性", "甲"], ["一", "A", 1, "重要", None]],
        plan=rows,
        units=[["单位名称", "类型"], ["县统计局", "局"]],
    )
    found = problems(data)
    assert [problem.split("：")[0] for problem in found] == [
        "规划!B3",
        "规划",
        "指标!E1",
        "指标!D2",
        "单位!B2",
    ]


# -- files and sheets -------------------------------------------------------------------------


def test_not_xlsx_is_refused():
    assert problems(BytesIO("指标,名称\n".encode())) == [
        "This is not an Excel workbook (.xlsx): save the table as .xlsx and try again."
    ]
    other_zip = BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    other_zip.seek(0)
    assert len(problems(other_zip)) == 1
    assert problems(b"\xd0\xcf\x11\xe0 an old .xls")[0].startswith("This is not an Excel")


def test_missing_file_and_sheets(tmp_path):
    assert problems(tmp_path / "nothing.xlsx")[0].startswith("Cannot read the workbook")
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    assert problems(saved(workbook)) == [
        "规划：the workbook has no sheet of this name",
        "指标：the workbook has no sheet of this name",
    ]


def test_reads_a_path_bytes_and_extra_sheets(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(book(sheets={"说明": [["填表说明"]]}).getvalue())
    assert read_workbook(path)[0] == read_workbook(str(path))[0]
    assert read_workbook(path.read_bytes())[0]["indicators"][0]["name"] == "GDP"


def test_messages_are_translatable():
    with override("en"):
        message = problems(book([HEADER, [None, "A", 1]]))[0]
    assert message == "指标!A2：the first indicator needs its 指标维度"


# -- 重点任务 and 单位 -------------------------------------------------------------------------


TASK_HEADER = ["工程", "任务", "内容", "牵头单位", "责任单位", "关联指标"]


def test_tasks():
    tasks = [
        TASK_HEADER,
        ["产业工程", "任务一", " 正文 ", "县科工局", "县发展改革局、县财政局", "gdp、地区生产总值"],
        [None, "任务二", None, "县科工局", None, None],
        ["民生工程", "任务三", "正文", None, "各镇", "gdp"],
        ["产业工程", "任务四", None, None, None, None],
    ]
    raw, where = read_workbook(book(tasks=tasks))
    assert [(p["number"], p["name"]) for p in raw["projects"]] == [(1, "产业工程"), (2, "民生工程")]
    first, second, fourth = raw["projects"][0]["tasks"]
    assert first == {
        "name": "任务一",
        "text": "正文",
        "clause": "（牵头单位：县科工局；责任单位：县发展改革局、县财政局）",
        "lead": ["县科工局"],
        "lead_inferred": False,
        "responsible": ["县发展改革局", "县财政局"],
        "indicators": [
            {"code_or_name": "gdp", "clause": ""},
            {"code_or_name": "地区生产总值", "clause": ""},
        ],
    }
    assert (second["clause"], second["responsible"], second["indicators"]) == (
        "（牵头单位：县科工局）",
        [],
        [],
    )
    assert (fourth["name"], fourth["clause"]) == ("任务四", "")
    assert raw["projects"][1]["tasks"][0]["clause"] == "（责任单位：各镇）"
    assert where[("projects", 0, "tasks", 1)] == "重点任务!B3"
    assert where[("projects", 0, "tasks", 0, "responsible", 1)] == "重点任务!E2"
    assert where[("projects", 1, "name")] == "重点任务!A4"
    assert raw["departments"] == [
        {"name": "县科工局", "kind": "bureau"},
        {"name": "县发展改革局", "kind": "bureau"},
        {"name": "县财政局", "kind": "bureau"},
        {"name": "各镇", "kind": "town"},
    ]


def test_task_clause():
    assert task_clause(["A"], ["B", "C"]) == "（牵头单位：A；责任单位：B、C）"
    assert task_clause([], []) == ""


def test_task_refusals():
    tasks = [[*TASK_HEADER, "备注"], [None, "任务", None, None, None, None, None]]
    found = problems(book(tasks=tasks))
    assert found[0].startswith("重点任务!G1：unknown column “备注”")
    assert found[1] == "重点任务!A2：the first task needs its 工程"
    found = problems(book(tasks=[TASK_HEADER, ["工程", None, "正文"]]))
    assert found == ["重点任务!B2：this row has no 任务"]
    found = problems(book(tasks=[["工程", "内容"], ["工程", "正文"]]))
    assert found == ["重点任务!1:1：missing column “任务”"]


def test_empty_optional_sheets():
    raw = read_workbook(book(tasks=[], units=[]))[0]
    assert (raw["projects"], raw["departments"]) == ([], [])


def test_units_listed_then_named():
    indicators = [
        [*HEADER, "牵头单位", "责任单位", "数据来源单位"],
        ["一", "A", 1, "县科工局", "河田镇、县人社局", "县统计局"],
        ["一", "B", 1, "县人社局", "各镇", "县统计局"],
    ]
    units = [
        ["类型", "单位名称"],
        ["其他", "县总工会"],
        [None, "县统计局"],
        ["镇", "新田"],
        ["town", "螺溪镇"],
        [None, None],
        [None, "东坑镇"],
    ]
    raw, where = read_workbook(book(indicators, units=units))
    assert raw["departments"] == [
        {"name": "县总工会", "kind": "other"},
        {"name": "县统计局", "kind": "bureau"},
        {"name": "新田", "kind": "town"},
        {"name": "螺溪镇", "kind": "town"},
        {"name": "东坑镇", "kind": "town"},
        {"name": "县科工局", "kind": "bureau"},
        {"name": "河田镇", "kind": "town"},
        {"name": "县人社局", "kind": "bureau"},
        {"name": "各镇", "kind": "town"},
    ]
    assert where[("departments", 0, "kind")] == "单位!A2"
    assert where[("departments", 4)] == "单位!B7"
    assert where[("departments", 6)] == "指标!E2"  # where 河田镇 is first named


def test_unit_refusals():
    units = [["单位名称", "类型", "电话"], ["县统计局", "局", None], ["县统计局", None, None]]
    units.append([None, "镇", None])
    found = problems(book(units=units))
    assert found[0].startswith("单位!C1：unknown column “电话”")
    assert found[1] == "单位!B2：“局” is not one of: 县直部门、镇、其他"
    assert found[2] == "单位!A3：unit “县统计局” appears twice"
    assert found[3] == "单位!A4：this row has no 单位名称"
    assert problems(book(units=[["类型"], ["镇"]])) == ["单位!1:1：missing column “单位名称”"]


# -- what a plan file records beside its table: 目标出处, 关联条款 and the optional columns ----


def records_raw() -> dict:
    """A plan file's dict with everything its printed table has no place for."""
    return {
        "plan": {"name": "P", "slug": "p", "region": "441523", "baseline_year": 2025},
        "departments": [{"name": "县科工局", "kind": "bureau"}, {"name": "各镇", "kind": "town"}],
        "dimensions": ["D"],
        "indicators": [
            {
                "code": "output",
                "dimension": "D",
                "name": "总产值",
                "unit": "亿元",
                "baseline": Decimal("30"),
                "baseline_text": "",  # the number itself
                "baseline_note": "统计年鉴",
                "reason": "按年度累计",
                "may_be_negative": True,
                "targets": [
                    {"year": 2030, "text": "100", "origin": "table", "clause": "具体指标表"},
                    {
                        "year": 2035,
                        "text": "200",
                        "origin": "text",
                        "clause": "到2035年突破200亿元",
                    },
                ],
            },
            {
                "code": "accidents",
                "dimension": "D",
                "name": "安全生产事故",
                "kind": "zero_event",
                "baseline": Decimal("0"),
                "baseline_text": "零发生",
                "targets": [{"year": 2030, "text": "零发生", "origin": "table", "clause": "表二"}],
            },
        ],
        "projects": [
            {
                "number": 1,
                "name": "工程一",
                "tasks": [
                    {
                        "name": "任务一",
                        "text": "到2030年总产值100亿元。",
                        "clause": "（县科工局,各镇按职责分工负责）",
                        "lead": ["县科工局"],
                        "lead_inferred": True,
                        "responsible": ["各镇"],
                        "indicators": [
                            {"code_or_name": "output", "clause": "到2030年总产值100亿元"},
                            {"code_or_name": "accidents", "clause": ""},
                        ],
                    }
                ],
            }
        ],
    }


def test_records_round_trip():
    raw = records_raw()
    back, where = round_trip(raw)
    output, accidents = back["indicators"]
    assert (output["baseline"], output["baseline_text"]) == (Decimal("30"), "")
    assert (accidents["baseline"], accidents["baseline_text"]) == (Decimal("0"), "零发生")
    assert (output["baseline_note"], output["reason"]) == ("统计年鉴", "按年度累计")
    assert output["may_be_negative"] is True and "may_be_negative" not in accidents
    assert output["targets"] == [
        {"year": 2030, "text": "100", "origin": "table"},  # the checker's default clause
        {"year": 2035, "text": "200", "origin": "text", "clause": "到2035年突破200亿元"},
    ]
    assert accidents["targets"] == [
        {"year": 2030, "text": "零发生", "origin": "table", "clause": "表二"}
    ]
    task = back["projects"][0]["tasks"][0]
    assert (task["clause"], task["lead_inferred"]) == ("（县科工局,各镇按职责分工负责）", True)
    assert task["indicators"] == [
        {"code_or_name": "output", "clause": "到2030年总产值100亿元"},
        {"code_or_name": "accidents", "clause": ""},
    ]
    assert where[("indicators", 0, "targets", 1, "clause")] == "目标出处!D2"
    assert where[("indicators", 1, "targets", 0, "origin")] == "目标出处!C3"
    assert where[("projects", 0, "tasks", 0, "indicators", 0, "clause")] == "关联条款!D2"
    assert where[("indicators", 1, "baseline_text")] == "指标!G3"
    assert round_trip(back)[0] == back


def test_records_written_layout():
    workbook = load_workbook(saved(write_workbook(records_raw())))
    assert workbook.sheetnames == ["规划", "指标", "重点任务", "单位", "目标出处", "关联条款"]
    sheet = workbook["指标"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[5:9] == ["基期值", "基期值原文", "2030年目标", "2035年目标"]
    assert headers[-3:] == ["基期说明", "类型依据", "可为负数"]
    assert [(row[5], row[6]) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        (30, None),  # the number, printed as it is
        (0, "零发生"),
    ]
    tasks = workbook["重点任务"]
    assert [cell.value for cell in tasks[1]][-2:] == ["部门条款", "推定牵头"]
    assert [cell.value for cell in tasks[2]][-2:] == ["（县科工局,各镇按职责分工负责）", "是"]
    assert [[cell.value for cell in row] for row in workbook["目标出处"]] == [
        ["指标代码", "年份", "出处", "条款"],
        ["output", 2035, "规划文本", "到2035年突破200亿元"],
        ["accidents", 2030, "指标表", "表二"],
    ]
    assert [[cell.value for cell in row] for row in workbook["关联条款"]] == [
        ["工程", "任务", "关联指标", "条款"],
        ["工程一", "任务一", "output", "到2030年总产值100亿元"],
    ]


def test_a_clause_the_columns_make_is_not_written():
    raw = records_raw()
    task = raw["projects"][0]["tasks"][0]
    task.update(clause="（牵头单位：县科工局；责任单位：各镇）", lead_inferred=False)
    workbook = load_workbook(saved(write_workbook(raw)))
    assert [cell.value for cell in workbook["重点任务"][1]] == TASK_HEADER
    assert round_trip(raw)[0]["projects"][0]["tasks"][0]["clause"] == task["clause"]


def test_target_sources_by_code_or_name():
    sources = [
        ["年份", "指标代码", "条款", "出处"],
        [2030, "GDP", "到2030年达到1", None],  # by name; blank 出处: the plan's text
        ["2030年", "b", "表二", "指标表"],
    ]
    indicators = [[*HEADER, "指标代码"], ["一", "GDP", 1, "a"], ["一", "B", 2, "b"]]
    raw = read_workbook(book(indicators, sheets={"目标出处": sources}))[0]
    assert [item["targets"] for item in raw["indicators"]] == [
        [{"year": 2030, "text": "1", "origin": "text", "clause": "到2030年达到1"}],
        [{"year": 2030, "text": "2", "origin": "table", "clause": "表二"}],
    ]


def test_target_source_refusals():
    sources = [
        ["指标代码", "年份", "出处", "条款"],
        ["x", 2030, "规划文本", "c"],
        ["i01", 2035, "规划文本", "c"],
        ["i01", 2030, "报告", "c"],
        ["i01", 2030, "规划文本", "c"],
        ["i01", "明年", None, "c"],
    ]
    found = problems(book(sheets={"目标出处": sources}))
    assert found == [
        "目标出处!A2：unknown indicator “x”",
        "目标出处!B3：the 指标 sheet prints no 2035 target for “i01”",
        "目标出处!C4：“报告” is not one of: 指标表、规划文本",
        "目标出处!B5：this target appears twice",
        "目标出处!B6：“明年” is not a whole number",
    ]
    assert problems(book(sheets={"目标出处": [["指标代码", "条款"]]})) == [
        "目标出处!1:1：missing column “年份”"
    ]


def test_link_clause_refusals():
    tasks = [TASK_HEADER, ["工程", "任务", None, None, None, "i01"]]
    links = [
        ["工程", "任务", "关联指标", "条款"],
        ["工程", "任务", "GDP", "c"],  # i01 by its name
        ["工程", "任务", "i01", "c"],
        ["工程", "别的任务", "i01", "c"],
        ["工程", "任务", "i02", "c"],
    ]
    found = problems(book(tasks=tasks, sheets={"关联条款": links}))
    assert found == [
        "关联条款!C3：this link appears twice",
        "关联条款!B4：the 重点任务 sheet has no task “别的任务” under the 工程 “工程”",
        "关联条款!C5：“i02” is not in the task's 关联指标",
    ]


def test_baseline_apart_refusals():
    header = [*HEADER, "基期值", "基期值原文", "可为负数"]
    found = problems(book([header, ["一", "A", 1, "零发生", "零发生", "也许"]]))
    assert found == [
        "指标!D2：“零发生” is not a number; the baseline as printed goes in 基期值原文",
        "指标!F2：“也许” is not one of: 是、否",
    ]
    item = indicators_of(["一", "A", 1, "-", "—", "否"], header=header)[0]
    assert (item["baseline"], item["baseline_text"], item["may_be_negative"]) == (None, "—", False)


def test_task_records_read():
    tasks = [
        [*TASK_HEADER, "推定牵头", "部门条款"],
        ["工程", "任务", None, "县科工局", "各镇", None, "是", "（县科工局、各镇按职责分工负责）"],
        [None, "任务二", None, "县科工局", None, None, None, None],
    ]
    first, second = read_workbook(book(tasks=tasks))[0]["projects"][0]["tasks"]
    assert (first["clause"], first["lead_inferred"]) == ("（县科工局、各镇按职责分工负责）", True)
    assert (second["clause"], second["lead_inferred"]) == ("（牵头单位：县科工局）", False)
