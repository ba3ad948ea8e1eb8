"""What a figure measures (units.py) and how the one check bounds it (validation.py), on
indicators as real county tables write them."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from indicators.domain import units, validation
from indicators.domain.units import AMOUNT, COUNT, RATE_LIKE, SHARE


def check(name, unit, kind, value, *, may_be_negative=False):
    """The value's problems when reported for 2025 as a whole year."""
    rules = validation.Rules(
        kind=kind,
        unit=unit,
        stages=(),
        first_year=2025,
        last_year=2030,
        today=date(2026, 1, 1),
        name=name,
        may_be_negative=may_be_negative,
    )
    report = validation.Report(2025, None, Decimal(value), None, "县统计局")
    return validation.check_report(rules, report).get("value", [])


# name, unit, kind, what it measures, value, accepted
REAL_TABLES = [
    ("常住人口城镇化率", "%", "level", SHARE, "58.3", True),
    ("常住人口城镇化率", "%", "level", SHARE, "100.5", False),
    ("人口自然增长率", "‰", "level", RATE_LIKE, "-1.8", True),
    ("人口出生率", "‰", "level", SHARE, "7.6", True),
    ("人口出生率", "‰", "level", SHARE, "-0.1", False),
    ("每千人口执业(助理)医师数", "人", "level", AMOUNT, "2.45", True),
    ("每千人口执业（助理）医师数", "人", "level", AMOUNT, "2.45", True),
    ("每万人口高价值发明专利拥有量", "件", "level", AMOUNT, "1.3", True),
    ("每千名老年人拥有养老床位数", "张", "level", AMOUNT, "32.5", True),
    ("新建保障性住房", "栋", "cumulative", COUNT, "12.5", False),
    ("新建保障性住房", "栋", "cumulative", COUNT, "12", True),
    ("城镇调查失业率", "%", "level", SHARE, "5.5", True),
    ("地区生产总值增速", "%", "rate", RATE_LIKE, "-3", True),
    ("地区生产总值增速", "%", "level", RATE_LIKE, "-3", True),
    ("单位地区生产总值能耗降低率", "%", "level", RATE_LIKE, "-2.1", True),
    ("研发经费投入强度", "%", "level", RATE_LIKE, "2.3", True),
    ("森林覆盖率", "%", "level", SHARE, "101", False),
    ("森林覆盖率", "%", "level", SHARE, "73.4", True),
    ("空气质量优良天数比率", "%", "level", SHARE, "98.9", True),
    ("城市生活污水集中收集率", "％", "level", SHARE, "-5", False),
    ("数字经济核心产业增加值占GDP比重", "%", "level", SHARE, "6.2", True),
    ("高中阶段毛入学率", "%", "level", RATE_LIKE, "102.3", True),
    ("政府债务率", "%", "level", RATE_LIKE, "118", True),
    ("耕地保有量", "万亩", "level", AMOUNT, "21.65", True),
    ("一般公共预算收入", "亿元", "annual_total", AMOUNT, "-1", False),
    ("一般公共预算收入", "亿元", "annual_total", AMOUNT, "8.73", True),
    ("规上企业数量", "家", "level", COUNT, "5.5", False),
    ("规上企业数量", "家", "level", COUNT, "56", True),
    ("港口集装箱吞吐量", "标准箱", "annual_total", AMOUNT, "1234.5", True),
    ("常住人口", "万人", "level", AMOUNT, "28.46", True),
    ("农村户籍人口", "万户", "level", AMOUNT, "6.3", True),
    ("城乡居民人均可支配收入", "元", "annual_total", AMOUNT, "25318.6", True),
    ("人均住房建筑面积", "平方米", "level", AMOUNT, "-1", False),
    ("重大项目", "项", "cumulative", COUNT, "3", True),
    ("每年培训熟练技工", "人", "annual_total", COUNT, "1000.5", False),
    ("旅游接待人次", "万人次", "annual_total", AMOUNT, "312.8", True),
    ("生产安全事故", "", "zero_event", COUNT, "0.5", False),
    ("生产安全事故", "", "zero_event", COUNT, "1", True),
    ("区域品牌知名度", "", "level", AMOUNT, "3", True),
    # 陆河's own plan (fixtures/luhe-garment-2025-2030.yaml)
    ("全县GDP占比", "%", "level", SHARE, "12.4", True),
    ("规上工业产值占全县规上工业比重", "%", "level", SHARE, "120", False),
    ("产业项目新引进累计数", "个", "cumulative", COUNT, "4.5", False),
    ("从业人员", "万人", "level", AMOUNT, "1.25", True),
    ("产业人均工资", "元/月", "level", AMOUNT, "4850.5", True),
    ("刑事治安警情增速", "%", "rate", RATE_LIKE, "-12.5", True),
    ("刑事治安警情增速", "%", "rate", RATE_LIKE, "-101", False),
    ("净流入人数", "人", "cumulative", COUNT, "-120", False),
]


@pytest.mark.parametrize(
    ("name", "unit", "kind", "measure", "value", "accepted"),
    REAL_TABLES,
    ids=[f"{row[0]} {row[4]}{row[1]}" for row in REAL_TABLES],
)
def test_real_indicators(name, unit, kind, measure, value, accepted):
    assert units.measure_of(unit, name, kind) == measure
    assert (check(name, unit, kind, value) == []) is accepted


def test_a_plain_amount_may_fall_below_zero_when_the_plan_says_so():
    assert check("一般公共预算收入", "亿元", "annual_total", "-1", may_be_negative=True) == []
    assert check("财政收支差额", "标准箱", "level", "-0.5", may_be_negative=True) == []


def test_a_count_the_plan_lets_fall_below_zero_is_still_whole():
    assert check("净流入人数", "人", "cumulative", "-120", may_be_negative=True) == []
    assert check("净流入人数", "人", "cumulative", "-120.5", may_be_negative=True) != []


def test_events_never_fall_below_zero():
    assert check("生产安全事故", "起", "zero_event", "-1", may_be_negative=True) != []


@translation.override("en")
def test_the_messages_name_what_is_wrong():
    assert check("规上企业数量", "家", "level", "5.5") == [
        "A count must be a whole number, 0 or more."
    ]
    assert check("森林覆盖率", "%", "level", "101") == ["A percentage must lie between 0 and 100."]
    assert check("人口出生率", "‰", "level", "1200") == [
        "A share in per mille must lie between 0‰ and 1000‰."
    ]
    assert check("人口自然增长率", "‰", "level", "-150") == [
        "A rate must lie between -100‰ and 1000‰."
    ]
    assert check("地区生产总值增速", "%", "rate", "-150") == [
        "A growth rate must lie between -100% and 1000%."
    ]
    assert check("一般公共预算收入", "亿元", "annual_total", "-1") == [
        "An amount cannot be negative."
    ]


@pytest.mark.parametrize(
    ("unit", "name", "measure"),
    [
        ("", "", AMOUNT),
        ("人/千人", "每千人口执业医师数", AMOUNT),
        ("人/千人", "执业医师", AMOUNT),
        (" 家 ", "规上企业", COUNT),
        ("（家）", "规上企业", COUNT),
        ("万家", "市场主体", AMOUNT),
        ("%", "", RATE_LIKE),
        ("%", "人口自然增长率", RATE_LIKE),
        ("%", "消费对经济增长贡献率", RATE_LIKE),
        ("%", "城镇化率提高", RATE_LIKE),
        ("%", "固定资产投资完成率", RATE_LIKE),
        ("%", "农村自来水普及率", SHARE),
        ("%", "畜禽粪污综合利用比例", SHARE),
        ("%", "新能源汽车销量份额", SHARE),
        ("‰", "婴儿死亡率", SHARE),
        ("个", "平均每村集体经济项目", AMOUNT),
        ("户", "户均养殖头数", AMOUNT),
    ],
)
def test_measure_of_unit_and_name(unit, name, measure):
    assert units.measure_of(unit, name, "level") == measure


def test_the_kind_comes_first():
    assert units.measure_of("%", "城镇化率", "rate") == RATE_LIKE
    assert units.measure_of("万元", "损失", "zero_event") == COUNT


# --- properties -------------------------------------------------------------------------

KINDS = st.sampled_from(["level", "cumulative", "annual_total"])
FIGURES = st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False)
NAMES = st.sampled_from(["规上企业数量", "新建保障性住房", "重大项目", "指标", ""])
AMOUNT_UNITS = st.sampled_from(["元", "万元", "亿元", "万亩", "平方米", "万人", "标准箱", "", "吨"])
SHARE_NAMES = st.sampled_from(["常住人口城镇化率", "森林覆盖率", "全县GDP占比", "城镇调查失业率"])


@given(
    unit=st.sampled_from(sorted(units.COUNT_UNITS)),
    name=NAMES,
    kind=KINDS,
    value=FIGURES.filter(lambda v: v != v.to_integral_value()),
    may_be_negative=st.booleans(),
)
def test_a_count_never_accepts_a_fraction(unit, name, kind, value, may_be_negative):
    assert units.measure_of(unit, name, kind) == COUNT
    assert check(name, unit, kind, value, may_be_negative=may_be_negative) != []


@given(unit=AMOUNT_UNITS, name=NAMES, kind=KINDS, value=FIGURES)
def test_an_amount_is_negative_only_when_the_plan_says_so(unit, name, kind, value):
    assert units.measure_of(unit, name, kind) == AMOUNT
    assert (check(name, unit, kind, value) == []) is (value >= 0)
    assert check(name, unit, kind, value, may_be_negative=True) == []


@given(name=SHARE_NAMES, value=FIGURES, may_be_negative=st.booleans())
def test_a_share_accepts_exactly_0_to_100(name, value, may_be_negative):
    assert units.measure_of("%", name, "level") == SHARE
    accepted = check(name, "%", "level", value, may_be_negative=may_be_negative) == []
    assert accepted is (0 <= value <= 100)


@given(name=st.text(max_size=12), unit=st.text(max_size=6), kind=KINDS)
def test_every_unit_and_name_has_a_measure(name, unit, kind):
    assert units.measure_of(unit, name, kind) in (COUNT, RATE_LIKE, SHARE, AMOUNT)
