"""Reading target cells as plan tables print them (domain.md §9): the pure reader."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.domain.targets import (
    ABOUT,
    ASSIGNED,
    AT_LEAST,
    AT_MOST,
    BETWEEN,
    FORMS,
    GROWTH,
    LIMIT_FORMS,
    PER_YEAR,
    PLAIN,
    QUALITATIVE,
    REDUCTION,
    RELATIVE,
    TOTAL,
    TargetText,
    TargetTextError,
    read_target,
)

STAGES = ("成功注册", "省内外知名")

# (printed cell, the TargetText fields it must read as, apart from the text itself)
PRINTED = [
    # plain numbers, signs and marks
    ("60", dict(form=PLAIN, value=D(60))),
    ("8.5", dict(form=PLAIN, value=D("8.5"))),
    ("-10", dict(form=PLAIN, value=D(-10))),
    ("−10", dict(form=PLAIN, value=D(-10))),
    ("－10", dict(form=PLAIN, value=D(-10))),
    ("-8.6", dict(form=PLAIN, value=D("-8.6"))),
    ("5%", dict(form=PLAIN, value=D(5), percent=True)),
    ("5％", dict(form=PLAIN, value=D(5), percent=True)),
    ("5‰", dict(form=PLAIN, value=D(5))),
    ("1,000", dict(form=PLAIN, value=D(1000))),
    ("12,345.5", dict(form=PLAIN, value=D("12345.5"))),
    ("10000", dict(form=PLAIN, value=D(10000))),
    # stages and zero events
    ("成功注册", dict(form=PLAIN, stage="成功注册")),
    ("省内外知名", dict(form=PLAIN, stage="省内外知名")),
    ("零发生", dict(form=PLAIN, value=D(0))),
    # at_least, inclusive
    ("≥95", dict(form=AT_LEAST, value=D(95))),
    ("≧95", dict(form=AT_LEAST, value=D(95))),
    (">=95", dict(form=AT_LEAST, value=D(95))),
    ("95以上", dict(form=AT_LEAST, value=D(95))),
    ("95%以上", dict(form=AT_LEAST, value=D(95), percent=True)),
    ("不低于95", dict(form=AT_LEAST, value=D(95))),
    ("不少于95", dict(form=AT_LEAST, value=D(95))),
    ("≥ 95%", dict(form=AT_LEAST, value=D(95), percent=True)),
    # at_least, strict
    (">7", dict(form=AT_LEAST, value=D(7), strict=True)),
    ("＞7", dict(form=AT_LEAST, value=D(7), strict=True)),
    ("超过7", dict(form=AT_LEAST, value=D(7), strict=True)),
    ("高于7", dict(form=AT_LEAST, value=D(7), strict=True)),
    ("超10", dict(form=AT_LEAST, value=D(10), strict=True)),
    # at_most, inclusive
    ("≤5.5", dict(form=AT_MOST, value=D("5.5"))),
    ("≦5.5", dict(form=AT_MOST, value=D("5.5"))),
    ("<=5.5", dict(form=AT_MOST, value=D("5.5"))),
    ("5.5以内", dict(form=AT_MOST, value=D("5.5"))),
    ("3以下", dict(form=AT_MOST, value=D(3))),
    ("控制在5.5%以内", dict(form=AT_MOST, value=D("5.5"), percent=True)),
    ("控制在5.5%以下", dict(form=AT_MOST, value=D("5.5"), percent=True)),
    ("不高于5.5", dict(form=AT_MOST, value=D("5.5"))),
    ("不超过5.5", dict(form=AT_MOST, value=D("5.5"))),
    # at_most, strict
    ("<3", dict(form=AT_MOST, value=D(3), strict=True)),
    ("＜3", dict(form=AT_MOST, value=D(3), strict=True)),
    ("低于3", dict(form=AT_MOST, value=D(3), strict=True)),
    ("不满3", dict(form=AT_MOST, value=D(3), strict=True)),
    # about
    ("6左右", dict(form=ABOUT, value=D(6))),
    ("7%左右", dict(form=ABOUT, value=D(7), percent=True)),
    ("60左右", dict(form=ABOUT, value=D(60))),
    ("6±0.5", dict(form=ABOUT, value=D(6), tolerance=D("0.5"))),
    ("6%±0.5%", dict(form=ABOUT, value=D(6), tolerance=D("0.5"), percent=True)),
    # between
    ("6—6.5", dict(form=BETWEEN, lower=D(6), upper=D("6.5"))),
    ("6-6.5", dict(form=BETWEEN, lower=D(6), upper=D("6.5"))),
    ("6~6.5", dict(form=BETWEEN, lower=D(6), upper=D("6.5"))),
    ("6～6.5", dict(form=BETWEEN, lower=D(6), upper=D("6.5"))),
    ("6至6.5", dict(form=BETWEEN, lower=D(6), upper=D("6.5"))),
    ("6–6.5", dict(form=BETWEEN, lower=D(6), upper=D("6.5"))),
    ("6%—6.5%", dict(form=BETWEEN, lower=D(6), upper=D("6.5"), percent=True)),
    ("6—6.5%", dict(form=BETWEEN, lower=D(6), upper=D("6.5"), percent=True)),
    ("3—5", dict(form=BETWEEN, lower=D(3), upper=D(5))),
    ("-10—-5", dict(form=BETWEEN, lower=D(-10), upper=D(-5))),
    # per_year
    ("年均增长6%", dict(form=PER_YEAR, value=D(6), compound=GROWTH, percent=True)),
    ("年均增长6%以上", dict(form=PER_YEAR, value=D(6), compound=GROWTH, percent=True)),
    ("年均6", dict(form=PER_YEAR, value=D(6), compound=GROWTH)),
    ("年均6以上", dict(form=PER_YEAR, value=D(6), compound=GROWTH)),
    ("年均增速10%", dict(form=PER_YEAR, value=D(10), compound=GROWTH, percent=True)),
    ("年均下降3%", dict(form=PER_YEAR, value=D(3), compound=REDUCTION, percent=True)),
    ("年均降低3.2%", dict(form=PER_YEAR, value=D("3.2"), compound=REDUCTION, percent=True)),
    # total
    ("累计降低13.5%", dict(form=TOTAL, value=D("13.5"), compound=REDUCTION, percent=True)),
    ("累计下降13.5%", dict(form=TOTAL, value=D("13.5"), compound=REDUCTION, percent=True)),
    ("累计增长20%", dict(form=TOTAL, value=D(20), compound=GROWTH, percent=True)),
    # §9's 单位GDP能耗降低 累计13.5%: the text does not say which way, the indicator does
    ("累计13.5%", dict(form=TOTAL, value=D("13.5"), percent=True)),
    # assigned
    ("完成市下达任务", dict(form=ASSIGNED, assigned_by="市")),
    ("完成省下达目标", dict(form=ASSIGNED, assigned_by="省")),
    ("完成上级下达的任务", dict(form=ASSIGNED, assigned_by="上级")),
    ("完成下达任务", dict(form=ASSIGNED)),
    ("完成市下达的目标任务", dict(form=ASSIGNED, assigned_by="市")),
    # relative
    ("与经济增长基本同步", dict(form=RELATIVE, reference="经济增长")),
    ("与经济增长同步", dict(form=RELATIVE, reference="经济增长")),
    ("与地区生产总值增长同步", dict(form=RELATIVE, reference="地区生产总值增长")),
    # qualitative
    ("保持适度水平", dict(form=QUALITATIVE)),
    ("稳步提高", dict(form=QUALITATIVE)),
    ("明显改善", dict(form=QUALITATIVE)),
    ("翻一番", dict(form=QUALITATIVE)),
]


@pytest.mark.parametrize(("text", "fields"), PRINTED, ids=[text for text, _ in PRINTED])
def test_every_printed_example_reads_as_its_form(text, fields):
    assert read_target(text, STAGES) == TargetText(text=text, **fields)


def test_only_at_least_and_at_most_imply_a_direction():
    """§9: at_least means higher is better, at_most lower; no other form says."""
    directions = {}
    for text, _fields in PRINTED:
        found = read_target(text, STAGES)
        directions.setdefault(found.form, set()).add(found.direction)
    assert set(directions) == set(FORMS)
    assert directions.pop(AT_LEAST) == {1}
    assert directions.pop(AT_MOST) == {-1}
    assert all(found == {None} for found in directions.values())


def test_forms_and_limit_forms_are_in_the_agreed_order():
    assert FORMS == (
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
    )
    assert LIMIT_FORMS == ("at_least", "at_most", "about", "between")


def test_numbers_are_exact_decimals():
    found = read_target("0.1")
    assert isinstance(found.value, D)
    assert found.value == D("0.1")
    assert read_target("8.50").value == D("8.5")


def test_surrounding_whitespace_is_dropped_and_nothing_else():
    assert read_target("  95以上\u3000\n") == read_target("95以上")
    assert read_target("95 以上").text == "95 以上"
    assert read_target("6 — 6.5").lower == D(6)


def test_a_stage_wins_even_over_digits_and_zero_events():
    assert read_target("5A级", stages=("5A级",)) == TargetText("5A级", PLAIN, stage="5A级")
    assert read_target("零发生", stages=("零发生",)).stage == "零发生"


def test_a_stage_of_another_indicator_is_only_a_judgement():
    assert read_target("成功注册").form == QUALITATIVE


REFUSED = [
    "7%以上左右",  # two qualifiers
    "不低于95以上",
    "6—6.5左右",
    "95以上以下",
    "6,9",  # a comma that is not a thousands separator
    "1,0000",
    "12345,678",
    ".5",
    "5.",
    "1E+3",
    "6—6.5—7",
    "6%—6.5‰",  # different units at the two ends
    "6±0",  # a tolerance must be positive
    "6%±0.5‰",
    "年均增长6%左右",  # 年均 with a qualifier that is not "meets T"
    "年均增长6%以下",
    "年均增长约6%",
    "年均6年",
    "年均增长-6%",  # the verb carries the sign
    "年均−6",
    "累计降低13.5%左右",
    "控制在5.5%",
    "95家以上",  # units belong to the indicator, not the cell
    "达到国家2级标准",
    "６０",  # full-width digits are digits, but not a number this reader knows
    "-",  # a dash is no target at all
    "%",
    "≥",
]


@pytest.mark.parametrize("text", REFUSED)
def test_unreadable_cells_are_refused_naming_the_text(text):
    with pytest.raises(TargetTextError) as caught:
        read_target(text)
    assert text in str(caught.value)
    assert caught.value.message == str(caught.value)


@pytest.mark.parametrize("text", ["6—5", "6-6", "6.5~6", "-5—-10"])
def test_a_range_must_go_from_lower_to_higher(text):
    with pytest.raises(TargetTextError, match=text):
        read_target(text)


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_an_empty_cell_is_refused(text):
    with pytest.raises(TargetTextError, match="目标值为空"):
        read_target(text)


def test_the_error_is_a_value_error():
    assert issubclass(TargetTextError, ValueError)


# Properties ---------------------------------------------------------------------------

numbers = st.integers(0, 4).flatmap(
    lambda places: st.decimals(min_value=-(10**9), max_value=10**9, places=places)
)
positive = st.integers(0, 4).flatmap(
    lambda places: st.decimals(min_value=0, max_value=10**6, places=places)
)


@given(numbers)
def test_any_printed_number_is_plain_and_exact(d):
    assert read_target(f"{d}") == TargetText(f"{d}", PLAIN, value=d)


@given(numbers)
def test_at_least_sign_is_inclusive(d):
    found = read_target(f"≥{d}")
    assert (found.form, found.value, found.strict) == (AT_LEAST, d, False)


@given(numbers)
def test_bu_man_is_a_strict_at_most(d):
    found = read_target(f"不满{d}")
    assert (found.form, found.value, found.strict) == (AT_MOST, d, True)


@given(numbers, numbers)
def test_any_ordered_pair_is_a_range(a, b):
    lower, upper = sorted((a, b))
    text = f"{lower}—{upper}"
    if lower == upper:
        with pytest.raises(TargetTextError):
            read_target(text)
    else:
        found = read_target(text)
        assert (found.form, found.lower, found.upper) == (BETWEEN, lower, upper)


TEMPLATES = [
    "{n}",
    "{n}%",
    "≥{n}",
    ">{n}",
    "≤{n}%",
    "<{n}",
    "{n}以上",
    "{n}%以下",
    "{n}以内",
    "不低于{n}",
    "不少于{n}",
    "不高于{n}",
    "不超过{n}",
    "超过{n}",
    "高于{n}",
    "低于{n}",
    "不满{n}",
    "控制在{n}%以内",
    "{n}左右",
    "{n}%左右",
    "年均增长{p}%",
    "年均{p}以上",
    "年均下降{p}%",
    "累计降低{p}%",
    "累计增长{p}%",
    "累计{p}%",
]
WORDED = ["完成市下达任务", "与经济增长基本同步", "稳步提高", "零发生", "成功注册"]


@st.composite
def printed_cells(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(WORDED))
    template = draw(st.sampled_from(TEMPLATES))
    return template.format(n=draw(numbers), p=draw(positive))


@given(printed_cells())
def test_reading_is_idempotent_and_keeps_the_text(text):
    found = read_target(text, STAGES)
    assert found.text == text
    assert read_target(found.text, STAGES) == found


@given(printed_cells(), st.sampled_from([" ", "\u3000", "\t", "\n"]))
def test_surrounding_whitespace_never_changes_the_reading(text, space):
    assert read_target(space + text + space, STAGES) == read_target(text, STAGES)
