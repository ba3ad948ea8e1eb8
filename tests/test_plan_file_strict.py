"""Strict plan files (docs/plan-file.md): every refusal names its line (YAML) or its cell
(workbook) and says, in Chinese, what is wrong; a refused file writes nothing; and a plan that
loads, whatever forms its targets take, answers on every page."""

from decimal import Decimal as D
from io import BytesIO, StringIO

import openpyxl
import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from indicators.models import Actual, ActualState, Plan
from indicators.planbook import write_workbook

# A valid plan; each case below changes some of its lines, so that the line a problem names
# is the line number written in the test.
BASE = """\
plan:
  slug: strict-plan
  name: 严格检查规划
  region: "441523"
  baseline_year: 2025
  deadline_days: 15
  annual_deadline: 3月31日
departments:
  - name: 县统计局
    kind: bureau
  - name: 县发展改革局
dimensions: [经济发展]
indicators:
  - code: gdp_growth
    dimension: 经济发展
    name: 地区生产总值增速
    unit: "%"
    kind: rate
    binding: false
    baseline: 5.2
    targets:
      - year: 2030
        text: 年均增长6%
  - code: unemployment
    dimension: 经济发展
    name: 城镇调查失业率
    unit: "%"
    kind: level
    direction: lower
    binding: true
    baseline: 4.8
    targets:
      - year: 2030
        text: 控制在5.5%以内
projects:
  - number: 1
    name: 经济发展工程
    tasks:
      - name: 稳增长
        clause: （牵头单位：县发展改革局；责任单位：县统计局）
        lead: [县发展改革局]
        responsible: [县统计局]
        indicators:
          - code: gdp_growth
            clause: 地区生产总值年均增长6%
"""
SLUG = "strict-plan"


def edited(changes: dict[int, str]) -> str:
    """BASE with line N (1-based, as an editor numbers it) replaced by the given text, which
    may be several lines: the lines after it then move down."""
    lines = BASE.splitlines()
    for number in sorted(changes, reverse=True):
        lines[number - 1 : number] = changes[number].splitlines()
    return "\n".join(lines) + "\n"


def snapshot():
    """Every row of every table of the indicators app."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_app_config("indicators").get_models()
    }


def refused(tmp_path, text: str, name: str = "plan.yaml") -> list[str]:
    """The problems load_plan lists for a file of this text, after checking that it wrote
    nothing at all."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return refused_file(path)


def refused_file(path) -> list[str]:
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("load_plan", str(path), stdout=StringIO())
    assert snapshot() == before
    assert not Plan.objects.filter(slug=SLUG).exists()
    heading, *problems = str(caught.value).splitlines()
    assert heading in ("规划文件有以下问题：", "The plan file has problems:")
    return problems


def test_the_base_file_loads(plan, tmp_path):
    """The cases below refuse BASE for their change only."""
    path = tmp_path / "plan.yaml"
    path.write_text(BASE, encoding="utf-8")
    call_command("load_plan", str(path), stdout=StringIO())
    loaded = Plan.objects.get(slug=SLUG)
    assert loaded.indicators.get(code="unemployment").binding is True
    assert loaded.indicators.get(code="gdp_growth").binding is False


# -- unknown keys, at every level -------------------------------------------------------------

SLUG_RULE = "用于网址：只能使用英文字母、数字、- 和 _（如 luhe-15th-five-year）"
PLAN_FIELDS = (
    "slug, name, region, baseline_year, milestone_years, source_document, deadline_days, "
    "annual_deadline, first_tracked_year, example"
)


@pytest.mark.parametrize(
    ("changes", "line", "known"),
    [
        ({7: "  annual_deadline: 3月31日\n  colour: red"}, 8, PLAN_FIELDS),
        ({10: "    kind: bureau\n    colour: red"}, 11, "name, kind"),
        (
            {23: "        text: 年均增长6%\n        colour: red"},
            24,
            "year, text, value, stage, origin, clause",
        ),
        ({37: "    name: 经济发展工程\n    colour: red"}, 38, "number, name, tasks"),
        (
            {41: "        lead: [县发展改革局]\n        colour: red"},
            42,
            "name, text, clause, lead, lead_inferred, responsible, indicators, task_targets",
        ),
        (
            {45: "            clause: 地区生产总值年均增长6%\n            colour: red"},
            46,
            "code, code_or_name, clause",
        ),
        (
            {45: "            clause: 地区生产总值年均增长6%\ncolour: red"},
            46,
            "plan, departments, dimensions, indicators, projects",
        ),
    ],
    ids=["plan", "department", "target", "project", "task", "link", "top"],
)
def test_an_unknown_key_is_refused_at_every_level(plan, tmp_path, changes, line, known):
    assert refused(tmp_path, edited(changes)) == [
        f"第{line}行：未知字段“colour”（可用字段：{known}）"
    ]


def test_a_misspelt_targets_is_refused_not_dropped(plan, tmp_path):
    problems = refused(tmp_path, edited({21: "    targtes:"}))
    assert len(problems) == 1
    assert problems[0].startswith("第21行：未知字段“targtes”（可用字段：code, code_derived, ")
    assert problems[0].endswith(", targets）")


def test_a_key_written_twice_is_refused(plan, tmp_path):
    with translation.override("en"):
        problems = refused(tmp_path, edited({19: "    binding: true\n    binding: false"}))
    assert problems == ["line 20：the field “binding” is written twice"]


# -- wrong types and values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "changed", "problem"),
    [
        (19, "    binding: 预期性", "“binding”须为 true 或 false，不能是“预期性”"),
        (19, '    binding: "true"', "“binding”须为 true 或 false，不能是“true”"),
        (2, "  slug: 陆河服装", "规划代码“陆河服装”" + SLUG_RULE),
        (2, "  slug: luhe garment", "规划代码“luhe garment”" + SLUG_RULE),
        (22, "      - year: 2025", "目标年份必须晚于规划基期年份2025年。"),
        (22, "      - year: 2020", "目标年份必须晚于规划基期年份2025年。"),
        (22, '      - year: "2030"', "“year”须为2026至2100之间的整数，不能是“2030”"),
        (26, "    name: " + "城" * 121, "“name”超过120个字符"),
        (27, "    unit: " + "个" * 21, "“unit”超过20个字符"),
        (31, "    baseline: 4.81234", "“4.81234”超出范围：最多15位整数、4位小数"),
        (31, "    baseline: .inf", "“.inf”不是数字"),
        (31, '    baseline: "4.8"', "“4.8”不是数字"),
        (6, "  deadline_days: -1", "“deadline_days”须为0至365之间的整数，不能是“-1”"),
        (7, "  annual_deadline: 2月30日", "“2月30日”不是形如“3月31日”的日期"),
        (
            28,
            "    kind: stock",
            "kind 取值“stock”无效（可选：level, cumulative, annual_total, "
            "rate, zero_event, milestone）",
        ),  # fmt: skip
    ],
)
def test_a_wrong_value_is_refused_naming_its_line(plan, tmp_path, line, changed, problem):
    assert refused(tmp_path, edited({line: changed})) == [f"第{line}行：{problem}"]


def test_a_non_ascii_indicator_code_is_refused(plan, tmp_path):
    # The task's link to gdp_growth then names no indicator: both are listed.
    assert refused(tmp_path, edited({14: "  - code: 生产总值增速"})) == [
        "第14行：指标须有由英文字母、数字、- 和 _ 组成的代码（如 gdp_growth）",
        "第44行：未知指标“gdp_growth”",
    ]


# -- duplicates and references -------------------------------------------------------------------


def test_duplicate_indicator_codes_are_refused(plan, tmp_path):
    assert refused(tmp_path, edited({24: "  - code: gdp_growth"})) == [
        "第24行：指标代码“gdp_growth”重复"
    ]


def test_duplicate_target_years_are_refused(plan, tmp_path):
    changes = {23: "        text: 年均增长6%\n      - year: 2030\n        text: 年均增长7%"}
    assert refused(tmp_path, edited(changes)) == ["第24行：目标年份“2030”重复"]


def test_a_duplicate_target_year_is_named_by_its_own_line(plan, tmp_path):
    # The first target is refused for its text: the duplicate is still the third one.
    changes = {
        23: "        text: 7%以上左右\n"
        "      - year: 2030\n        text: 年均增长6%\n"
        "      - year: 2030\n        text: 年均增长7%"
    }
    assert refused(tmp_path, edited(changes)) == [
        "第23行：无法识别的目标值“7%以上左右”",
        "第26行：目标年份“2030”重复",
    ]


def test_a_task_naming_an_unknown_indicator_is_refused(plan, tmp_path):
    assert refused(tmp_path, edited({44: "          - code: gross_output"})) == [
        "第44行：未知指标“gross_output”"
    ]


def test_a_task_naming_an_unknown_department_is_refused(plan, tmp_path):
    assert refused(tmp_path, edited({42: "        responsible: [县教育局]"})) == [
        "第42行：未知单位“县教育局”"
    ]


LAST = "            clause: 地区生产总值年均增长6%\n"  # line 45, then lines added after it


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({45: LAST + "  - number: 1\n    name: 第二工程\n    tasks: []"}, "第46行：序号“1”重复"),
        (
            {45: LAST + "  - number: 2\n    name: 经济发展工程\n    tasks: []"},
            "第46行：重点工程“经济发展工程”重复",
        ),
        (
            {45: LAST + "          - code: gdp_growth\n            clause: 稳增长"},
            "第46行：指标“gdp_growth”重复",
        ),
        ({42: "        responsible: [县统计局, 县统计局]"}, "第42行：单位“县统计局”重复"),
        # the lead named again as responsible would lose its role of lead
        ({42: "        responsible: [县发展改革局]"}, "第42行：单位“县发展改革局”重复"),
        ({20: "    baseline: 5.2\n    lead: [县统计局, 县统计局]"}, "第21行：单位“县统计局”重复"),
    ],
    ids=["project number", "project name", "link", "unit", "lead as responsible", "table lead"],
)
def test_what_a_second_mention_would_overwrite_is_refused(plan, tmp_path, changes, problem):
    assert refused(tmp_path, edited(changes)) == [problem]


IN_STEP = {
    28: "    kind: rate",
    29: "    direction: higher",
    34: "        text: 与经济增长基本同步",
}


def test_a_relative_target_without_its_reference_is_refused(plan, tmp_path):
    # No 参照指标 at all: the indicator's first line is named.
    assert refused(tmp_path, edited(IN_STEP)) == [
        "第24行：“与经济增长基本同步”须有同步的参照指标（参照指标：填写其指标代码或名称），不能是“”"
    ]


def test_a_relative_target_with_a_dangling_reference_is_refused(plan, tmp_path):
    changes = {**IN_STEP, 29: "    direction: higher\n    reference: gross_output"}
    assert refused(tmp_path, edited(changes)) == [
        "第30行：“与经济增长基本同步”须有同步的参照指标（参照指标：填写其指标代码或名称），"
        "不能是“gross_output”"
    ]


def test_a_dangling_reference_is_refused_even_without_a_relative_target(plan, tmp_path):
    changes = {29: "    direction: lower\n    reference: gross_output"}
    assert refused(tmp_path, edited(changes)) == ["第30行：未知指标“gross_output”"]


def test_a_relative_target_referring_to_an_indicator_loads(plan, tmp_path):
    for reference in ("gdp_growth", "地区生产总值增速"):  # its code or its printed name
        changes = {**IN_STEP, 29: f"    direction: higher\n    reference: {reference}"}
        path = tmp_path / "plan.yaml"
        path.write_text(edited(changes), encoding="utf-8")
        call_command("load_plan", str(path), stdout=StringIO())
        target = Plan.objects.get(slug=SLUG).indicators.get(code="unemployment").targets.get()
        assert (target.form, target.reference.code) == ("relative", "gdp_growth")


# -- forms that do not fit ---------------------------------------------------------------------

MILESTONE = "    kind: milestone\n    stages: [未命名, 省级命名]"  # one line more from line 28 on


def test_a_stage_not_in_the_stages_is_refused(plan, tmp_path):
    changes = {28: MILESTONE, 29: "    direction: higher", 34: "        stage: 国家级命名"}
    assert refused(tmp_path, edited(changes)) == ["第35行：阶段“国家级命名”不在该指标的阶段列表中"]


def test_a_stage_as_text_must_be_one_of_the_stages(plan, tmp_path):
    changes = {28: MILESTONE, 29: "    direction: higher", 34: "        text: 国家级命名"}
    assert refused(tmp_path, edited(changes)) == [
        "第35行：阶段性指标的目标须为其阶段之一，不能是“国家级命名”"
    ]


def test_a_yearly_rate_on_a_level_indicator_is_refused(plan, tmp_path):
    assert refused(tmp_path, edited({18: "    kind: level"})) == [
        "第23行：“年均增长6%”是年均或累计增速：该指标的类型须为增速"
    ]


def test_zero_events_on_a_level_indicator_is_refused(plan, tmp_path):
    with translation.override("en"):
        problems = refused(tmp_path, edited({34: "        text: 零发生"}))
    assert problems == ["line 34：“零发生” counts events: the indicator's kind must be zero_event"]


def test_a_number_on_a_milestone_indicator_is_refused(plan, tmp_path):
    changes = {28: MILESTONE, 29: "    direction: higher", 34: "        text: 5.5"}
    assert refused(tmp_path, edited(changes)) == [
        "第35行：阶段性指标的目标须为其阶段之一，不能是“5.5”"
    ]


def test_a_direction_contradicting_the_form_is_refused(plan, tmp_path):
    changes = {29: "    direction: higher", 34: "        text: ≤5.5"}
    assert refused(tmp_path, edited(changes)) == [
        "第29行：方向“higher”与目标形式矛盾（应为 lower）"
    ]


def test_an_unreadable_target_is_refused(plan, tmp_path):
    assert refused(tmp_path, edited({34: "        text: 7%以上左右"})) == [
        "第34行：无法识别的目标值“7%以上左右”"
    ]


def test_an_unknown_kind_is_refused_without_judging_its_targets_by_a_guess(plan, tmp_path):
    # 年均增长6% would not fit the default kind (level): only the kind is wrong.
    assert refused(tmp_path, edited({18: "    kind: growth"})) == [
        "第18行：kind 取值“growth”无效（可选：level, cumulative, annual_total, rate, zero_event, "
        "milestone）"
    ]


def test_a_listed_milestone_year_without_targets_is_refused(plan, tmp_path):
    changes = {5: "  baseline_year: 2025\n  milestone_years: [2030, 2035]"}
    with translation.override("en"):
        problems = refused(tmp_path, edited(changes))
    assert problems == ["line 6：no indicator has a target for 2035"]


def test_milestone_years_that_are_not_years_are_refused(plan, tmp_path):
    changes = {5: '  baseline_year: 2025\n  milestone_years: [2030, "2030"]'}
    assert refused(tmp_path, edited(changes)) == ["第6行：milestone_years 须列出有目标的年份：2030"]


def test_every_problem_of_a_file_is_listed_at_once(plan, tmp_path):
    changes = {
        2: "  slug: 陆河服装",
        19: "    binding: 预期性",
        22: "      - year: 2025",
        34: "        text: 7%以上左右",
        42: "        responsible: [县教育局]",
    }
    problems = refused(tmp_path, edited(changes))
    assert len(problems) == 5
    assert sorted(int(p.split("行")[0].removeprefix("第")) for p in problems) == [2, 19, 22, 34, 42]
    assert "第22行：目标年份必须晚于规划基期年份2025年。" in problems
    assert "第34行：无法识别的目标值“7%以上左右”" in problems


# -- the workbook ----------------------------------------------------------------------------


def workbook(tmp_path, text: str = BASE, **cells) -> str:
    """The plan of `text` as a plan workbook, with some cells ("指标!G3") changed."""
    book = write_workbook(yaml.safe_load(text))
    for ref, value in cells.items():
        sheet, cell = ref.split("!")
        book[sheet][cell].value = value
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


def test_the_workbook_layout_of_the_base_plan(plan, tmp_path):
    sheet = openpyxl.load_workbook(workbook(tmp_path))["指标"]
    assert [sheet[f"{column}1"].value for column in "CEGH"] == [
        "指标名称",
        "属性",
        "2030年目标",
        "指标类型",
    ]
    assert (sheet["C3"].value, sheet["E3"].value, sheet["G3"].value) == (
        "城镇调查失业率",
        "约束性",
        "控制在5.5%以内",
    )


def test_an_unreadable_target_cell_is_named_and_nothing_loads(plan, tmp_path):
    path = workbook(tmp_path, **{"指标!G3": "7%以上左右"})
    assert refused_file(path) == ["指标!G3：无法识别的目标值“7%以上左右”"]


def test_an_unknown_binding_word_is_named_by_its_cell(plan, tmp_path):
    path = workbook(tmp_path, **{"指标!E3": "约束"})
    assert refused_file(path) == ["指标!E3：“约束”不在可选值中：约束性、预期性"]


def test_a_target_column_without_targets_is_named_by_its_header(plan, tmp_path):
    text = edited({5: "  baseline_year: 2025\n  milestone_years: [2030, 2035]"})
    with translation.override("en"):
        assert refused_file(workbook(tmp_path, text)) == [
            "指标!H1：no indicator has a target for 2035"
        ]


def test_every_problem_of_a_workbook_is_listed_at_once(plan, tmp_path):
    cells = {
        "规划!B3": "陆河服装",
        "指标!E3": "约束",
        "指标!G3": "7%以上左右",
        "指标!H2": "增长",  # an unknown kind: 年均增长6% is not then judged against a guess
    }
    assert refused_file(workbook(tmp_path, **cells)) == [
        "规划!B3：规划代码只能使用英文字母、数字、“-”和“_”",
        "指标!H2：“增长”不在可选值中：时点值、累计值、年度累计值、增速、零发生、阶段性",
        "指标!E3：“约束”不在可选值中：约束性、预期性",
        "指标!G3：无法识别的目标值“7%以上左右”",
    ]


# -- nothing that loads can make a page fail ---------------------------------------------------

EVERY_FORM = """\
plan:
  slug: every-form
  name: 各种目标形式
  region: "441523"
  baseline_year: 2025
  milestone_years: [2028, 2030, 2035]
  deadline_days: 10
  annual_deadline: 03-31
  first_tracked_year: 2026
departments:
  - {name: 县统计局, kind: bureau}
  - {name: 县发展改革局}
  - {name: 各镇, kind: town}
  - {name: 县总工会, kind: other}
dimensions: [经济发展, 民生福祉, 安全保障]
indicators:
  - code: output
    dimension: 经济发展
    name: 全产业链总产值
    unit: 亿元
    kind: annual_total
    path: geometric
    baseline: 30
    lead: [县发展改革局]
    data_source: [县统计局]
    targets:
      - {year: 2028, value: 60}
      - {year: 2030, text: 100以上}
      - {year: 2035, text: 超过200, origin: text, clause: 到2035年，产业链总产值突破200亿元}
  - code: gdp_growth
    dimension: 经济发展
    name: 地区生产总值增速
    unit: "%"
    kind: rate
    frequency: monthly
    baseline: 5.2
    targets: [{year: 2030, text: 年均增长6%}]
  - code: energy_reduction
    dimension: 经济发展
    name: 单位地区生产总值能源消耗降低
    unit: "%"
    kind: rate
    binding: true
    frequency: annual
    baseline: 3.2
    targets: [{year: 2030, text: 累计13.5%}]
  - code: retail_growth
    dimension: 经济发展
    name: 社会消费品零售总额增速
    unit: "%"
    kind: rate
    frequency: half_yearly
    baseline: 5.8
    targets: [{year: 2030, text: 6—6.5}]
  - code: income_growth
    dimension: 民生福祉
    name: 居民人均可支配收入增速
    unit: "%"
    kind: rate
    tolerance: 0.5
    reference: 地区生产总值增速
    baseline: 5.6
    targets: [{year: 2030, text: 与经济增长基本同步}]
  - code: unemployment
    dimension: 民生福祉
    name: 城镇调查失业率
    unit: "%"
    baseline: 4.8
    targets: [{year: 2030, text: 控制在5.5%以内}]
  - code: urbanisation
    dimension: 民生福祉
    name: 常住人口城镇化率
    unit: "%"
    baseline: 55.3
    targets: [{year: 2028, text: 58±1}, {year: 2030, text: 60左右}]
  - code: population_growth
    dimension: 民生福祉
    name: 人口自然增长率
    unit: ‰
    may_be_negative: true
    baseline: -0.4
    targets: [{year: 2030, text: 保持适度水平}]
  - code: school_places
    dimension: 民生福祉
    name: 累计新增公办中小学学位
    unit: 个
    kind: cumulative
    baseline: null
    baseline_text: "-"
    baseline_note: 规划表基期值为“-”
    targets: [{year: 2030, text: 不少于6000}]
  - code: cultivated_land
    dimension: 安全保障
    name: 耕地保有量
    unit: 万亩
    binding: true
    frequency: annual
    baseline: 13.5
    targets: [{year: 2030, text: 完成市下达任务}]
  - code: brand
    dimension: 安全保障
    name: 区域品牌知名度
    kind: milestone
    stages: [未注册, 成功注册, 省内外知名]
    baseline_text: 未注册
    targets: [{year: 2028, stage: 成功注册}, {year: 2030, text: 省内外知名}]
  - code: accidents
    dimension: 安全保障
    name: 安全生产事故
    unit: 起
    kind: zero_event
    direction: lower
    binding: true
    baseline: 0
    baseline_text: 零发生
    targets: [{year: 2028, text: 零发生}, {year: 2030, value: 0}]
  - code: pollution_days
    dimension: 安全保障
    name: 重污染天数
    unit: 天
    frequency: annual
    baseline: 2
    targets: [{year: 2030, text: <3}]
  - code: untargeted
    dimension: 安全保障
    name: 尚无目标的指标
    unit: 家
    baseline: 3
    reason: 规划未给出目标值
projects:
  - number: 1
    name: 稳增长工程
    tasks:
      - name: 扩大有效投资
        text: 推动重大项目建设。
        clause: （县发展改革局、县统计局、各镇按职责分工负责）
        lead: [县发展改革局]
        lead_inferred: true
        responsible: [县统计局, 各镇]
        indicators:
          - {code: output, clause: 到2030年产业链总产值达到100亿元以上}
          - {code_or_name: 地区生产总值增速, clause: ""}
"""
EVERY_SLUG = "every-form"
FORMS = {
    "plain",
    "at_least",
    "at_most",
    "about",
    "between",
    "per_year",
    "total",
    "assigned",
    "relative",
    "qualitative",
}


@pytest.fixture
def every_form(plan, reviewer, tmp_path):
    path = tmp_path / "every-form.yaml"
    path.write_text(EVERY_FORM, encoding="utf-8")
    call_command("load_plan", str(path), stdout=StringIO())
    loaded = Plan.objects.get(slug=EVERY_SLUG)
    for code, year, quarter, value in [
        ("output", 2026, 3, "35"),
        ("unemployment", 2026, 3, "5.0"),
        ("urbanisation", 2026, 3, "56.1"),
        ("accidents", 2026, 3, "1"),
        ("school_places", 2026, 3, "800"),
        ("energy_reduction", 2026, None, "3.1"),
        ("cultivated_land", 2026, None, "13.6"),
        ("pollution_days", 2026, None, "4"),
        ("income_growth", 2026, 3, "4.9"),
    ]:
        Actual.objects.create(
            indicator=loaded.indicators.get(code=code), year=year, quarter=quarter,
            value=D(value), source="县统计局", state=ActualState.APPROVED,
            approved_value=D(value), approved_source="县统计局",
            created_by=reviewer, updated_by=reviewer, approved_by=reviewer,
        )  # fmt: skip
    return loaded


def answers(client, analyst, urls) -> None:
    client.force_login(analyst)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_plan_of_every_form_loads(every_form):
    assert set(every_form.indicators.values_list("targets__form", flat=True)) - {None} == FORMS


def test_every_indicator_page_the_table_and_the_progress_api_answer(every_form, client, analyst):
    codes = every_form.indicators.values_list("code", flat=True)
    answers(
        client,
        analyst,
        [
            reverse("indicators:indicator-table", args=[EVERY_SLUG]),
            reverse("indicators:task-list", args=[EVERY_SLUG]),
            *(reverse("reports:indicator", args=[EVERY_SLUG, code]) for code in codes),
            f"/api/v1/plans/{EVERY_SLUG}/progress/?year=2026",
            f"/api/v1/plans/{EVERY_SLUG}/progress/?year=2026&quarter=3",
            f"/api/v1/plans/{EVERY_SLUG}/progress/?year=2025",
        ],
    )


# Known gap, outside the plan-file checker: reports/wording.py has no clause for the status
# target_pending (目标待下达), which STATUS_ORDER lists, so the status sentence of these pages
# raises KeyError as soon as one indicator awaits its target (完成市下达任务 with nothing
# assigned, 保持适度水平 not yet judged). Strict: remove the mark once it answers.
def test_the_overview_dashboards_and_evaluation_workbook_answer(every_form, client, analyst):
    dimensions = every_form.dimensions.values_list("pk", flat=True)
    answers(
        client,
        analyst,
        [
            reverse("reports:overview", args=[EVERY_SLUG]),
            reverse("reports:departments", args=[EVERY_SLUG]),
            *(reverse("reports:dimension", args=[EVERY_SLUG, pk]) for pk in dimensions),
            reverse("reports:evaluation-xlsx", args=[EVERY_SLUG, 2025]),
            reverse("reports:evaluation-xlsx", args=[EVERY_SLUG, 2026]),
        ],
    )
    book = client.get(reverse("reports:evaluation-xlsx", args=[EVERY_SLUG, 2026]))
    assert openpyxl.load_workbook(BytesIO(book.content)).sheetnames


def test_a_plan_of_every_form_loads_from_its_workbook_and_a_second_load_changes_nothing(
    plan, tmp_path
):
    path = workbook(tmp_path, EVERY_FORM)
    call_command("load_plan", str(path), stdout=StringIO())
    assert Plan.objects.get(slug=EVERY_SLUG).indicators.count() == 14
    before = snapshot()
    out = StringIO()
    call_command("load_plan", str(path), stdout=out)
    assert "新增 0 条，更新 0 条，删除 0 条" in out.getvalue()
    assert snapshot() == before
