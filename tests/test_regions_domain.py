"""The pure rules for administrative region codes, on real codes from GB/T 2260 and the
statistics bureau's town list. No database: plain values in and out."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from indicators.domain.regions import (
    CITY,
    COUNTY,
    LEVEL_LABELS,
    LEVELS,
    PROVINCE,
    TOWN,
    check_code,
    check_parent,
    check_region,
    level_of,
)

GUANGDONG, SHANWEI, LUHE = "440000", "441500", "441523"  # 广东省 › 汕尾市 › 陆河县
SHAANXI, ANKANG, HANYIN = "610000", "610900", "610921"  # 陕西省 › 安康市 › 汉阴县
HENAN, JIYUAN = "410000", "419001"  # 河南省 › 济源市 (省直辖县级行政单位)
BEIJING, DONGCHENG = "110000", "110101"  # 北京市 › 东城区 (a municipality's district)
DONGGUAN, DONGGUAN_TOWN = "441900", "441900003"  # 东莞市 › 东城街道 (a city without counties)
LUHE_TOWN = "441523100"  # 陆河县 › 河田镇


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English msgids, whatever the site's default language."""
    with translation.override("en"):
        yield


def test_levels_are_ordered_from_the_top():
    assert LEVELS == ("province", "city", "county", "town")


def test_each_level_has_a_label():
    assert {level: str(label) for level, label in LEVEL_LABELS.items()} == {
        "province": "province",
        "city": "city",
        "county": "county",
        "town": "town",
    }


# check_code: accepted


@pytest.mark.parametrize(
    ("code", "level"),
    [
        (GUANGDONG, PROVINCE),
        (SHAANXI, PROVINCE),
        (HENAN, PROVINCE),
        (BEIJING, PROVINCE),
        (SHANWEI, CITY),
        (ANKANG, CITY),
        (DONGGUAN, CITY),
        (LUHE, COUNTY),
        (HANYIN, COUNTY),
        (JIYUAN, COUNTY),
        (DONGCHENG, COUNTY),
        (DONGGUAN_TOWN, TOWN),
        (LUHE_TOWN, TOWN),
    ],
)
def test_real_codes_pass_at_their_level(code, level):
    assert check_code(code, level) == []


# check_code: refused for their shape


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("44000", PROVINCE),  # 5 digits
        ("4400000", PROVINCE),  # 7 digits
        ("44152", COUNTY),
        ("4415230", COUNTY),
        ("44190000", TOWN),  # 8 digits
        ("4419000030", TOWN),  # 10 digits
        (LUHE, TOWN),  # a county's code is not a town's
        ("44A523", COUNTY),  # a letter
        ("4415e3", COUNTY),
        ("４４００００", PROVINCE),  # full-width digits
        ("４４０００", PROVINCE),
        (" 440000", PROVINCE),  # spaces
        ("440000 ", PROVINCE),
        ("4415 23", COUNTY),
        ("44152³", COUNTY),  # a superscript is a digit to str.isdigit
        ("-44152", COUNTY),
        ("", PROVINCE),
    ],
)
def test_malformed_codes_are_refused(code, level):
    [message] = check_code(code, level)
    assert "must be exactly" in message
    assert str(LEVEL_LABELS[level]) in message


def test_a_malformed_code_is_shown_quoted_so_spaces_show():
    [message] = check_code("4415 23", COUNTY)
    assert "“4415 23”" in message


def test_a_code_that_is_not_a_string_is_refused():
    assert check_code(440000, PROVINCE)  # type: ignore[arg-type]
    assert check_code(None, PROVINCE)  # type: ignore[arg-type]


# check_code: refused for their level


@pytest.mark.parametrize("code", [SHANWEI, LUHE, "440100", "441501"])
def test_a_province_code_ends_in_0000(code):
    [message] = check_code(code, PROVINCE)
    assert code in message
    assert "0000" in message


@pytest.mark.parametrize("code", [GUANGDONG, LUHE, HANYIN, JIYUAN])
def test_a_city_code_ends_in_00_but_not_0000(code):
    [message] = check_code(code, CITY)
    assert code in message


@pytest.mark.parametrize("code", [GUANGDONG, SHANWEI, ANKANG, DONGGUAN])
def test_a_county_code_does_not_end_in_00(code):
    [message] = check_code(code, COUNTY)
    assert code in message


@pytest.mark.parametrize("code", ["441900000", "441523000"])
def test_a_town_code_does_not_end_in_000(code):
    [message] = check_code(code, TOWN)
    assert code in message


def test_no_province_is_numbered_00():
    assert check_code("000000", PROVINCE)
    assert check_code("000100", CITY)
    assert check_code("000101", COUNTY)


def test_an_unknown_level_is_named():
    [message] = check_code(GUANGDONG, "village")
    assert "village" in message


@given(st.from_regex(r"[0-9]{2}", fullmatch=True).filter(lambda prefix: prefix != "00"))
def test_any_two_digits_then_0000_is_a_province(prefix):
    assert check_code(prefix + "0000", PROVINCE) == []


@given(st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_a_six_digit_code_fits_exactly_one_level_unless_it_is_00(code):
    fits = [level for level in LEVELS if not check_code(code, level)]
    assert len(fits) == (0 if code.startswith("00") else 1)


# level_of


@pytest.mark.parametrize(
    ("code", "level"),
    [
        (GUANGDONG, PROVINCE),
        (SHANWEI, CITY),
        (LUHE, COUNTY),
        (JIYUAN, COUNTY),
        (DONGGUAN_TOWN, TOWN),
        ("000000", None),
        ("４４００００", None),
        ("44000", None),
    ],
)
def test_level_of_reads_the_level_from_the_zeros(code, level):
    assert level_of(code) == level


# check_parent: accepted


@pytest.mark.parametrize(
    ("code", "level", "parent_code", "parent_level"),
    [
        (SHANWEI, CITY, GUANGDONG, PROVINCE),
        (LUHE, COUNTY, SHANWEI, CITY),
        (ANKANG, CITY, SHAANXI, PROVINCE),
        (HANYIN, COUNTY, ANKANG, CITY),
        (JIYUAN, COUNTY, HENAN, PROVINCE),  # 省直辖县级行政单位
        (DONGCHENG, COUNTY, BEIJING, PROVINCE),  # a municipality's district
        (DONGGUAN, CITY, GUANGDONG, PROVINCE),
        (DONGGUAN_TOWN, TOWN, DONGGUAN, CITY),  # a town directly under a city
        (LUHE_TOWN, TOWN, LUHE, COUNTY),
    ],
)
def test_real_parents_are_accepted(code, level, parent_code, parent_level):
    assert check_parent(code, level, parent_code, parent_level) == []
    assert check_region(code, level, parent_code, parent_level) == []


@pytest.mark.parametrize("parent", [None, ""])
def test_a_province_has_no_parent(parent):
    assert check_parent(GUANGDONG, PROVINCE, parent, None) == []
    assert check_region(GUANGDONG, PROVINCE) == []


# check_parent: refused


@pytest.mark.parametrize(
    ("code", "level", "parent_code", "parent_level"),
    [
        (LUHE, COUNTY, "441521", COUNTY),  # 陆河县 under 海丰县: a county under a county
        (SHANWEI, CITY, "441300", CITY),  # 汕尾市 under 惠州市: a city under a city
        (LUHE_TOWN, TOWN, GUANGDONG, PROVINCE),  # a town under a province
        (SHANWEI, CITY, LUHE, COUNTY),  # upside down
        (GUANGDONG, PROVINCE, "000000", PROVINCE),  # a province under anything
    ],
)
def test_a_level_may_only_sit_under_the_levels_above_it(code, level, parent_code, parent_level):
    [message] = check_parent(code, level, parent_code, parent_level)
    assert code in message
    assert parent_code in message
    assert str(LEVEL_LABELS[level]) in message
    assert str(LEVEL_LABELS[parent_level]) in message


@pytest.mark.parametrize(
    ("code", "level", "parent_code", "parent_level", "prefix"),
    [
        (LUHE, COUNTY, ANKANG, CITY, "6109"),  # 陆河县 is not in 安康市
        (HANYIN, COUNTY, SHANWEI, CITY, "4415"),
        (LUHE, COUNTY, "441300", CITY, "4413"),  # same province, wrong city
        (SHANWEI, CITY, SHAANXI, PROVINCE, "61"),
        (JIYUAN, COUNTY, GUANGDONG, PROVINCE, "44"),
        (DONGGUAN_TOWN, TOWN, SHANWEI, CITY, "4415"),
        (LUHE_TOWN, TOWN, "441521", COUNTY, "441521"),  # 河田镇 is in 陆河县, not 海丰县
    ],
)
def test_a_child_code_starts_with_its_parents_prefix(
    code, level, parent_code, parent_level, prefix
):
    [message] = check_parent(code, level, parent_code, parent_level)
    assert code in message
    assert parent_code in message
    assert prefix in message


@pytest.mark.parametrize(("code", "level"), [(LUHE, COUNTY), (SHANWEI, CITY), (LUHE_TOWN, TOWN)])
@pytest.mark.parametrize("parent", [None, ""])
def test_only_a_province_may_lack_a_parent(code, level, parent):
    [message] = check_parent(code, level, parent, None)
    assert code in message
    assert str(LEVEL_LABELS[level]) in message


def test_a_parent_without_a_level_is_refused():
    [message] = check_parent(LUHE, COUNTY, SHANWEI, None)
    assert SHANWEI in message


def test_an_unknown_parent_level_is_named():
    [message] = check_parent(LUHE, COUNTY, SHANWEI, "prefecture")
    assert "prefecture" in message


# check_region


def test_check_region_reports_a_malformed_parent_and_not_the_relation_it_spoils():
    messages = check_region(LUHE, COUNTY, "４４１５００", CITY)
    assert len(messages) == 1
    assert "must be exactly" in messages[0]


def test_check_region_reports_both_malformed_codes():
    assert len(check_region("44152", COUNTY, "44150", CITY)) == 2


def test_check_region_reports_the_relation_once_the_codes_are_sound():
    [message] = check_region(LUHE, COUNTY, ANKANG, CITY)
    assert "6109" in message


def test_messages_still_name_the_code_when_chinese_is_active():
    """The checks call gettext when they run, so the active language decides; until the Chinese
    catalogue has these msgids it falls back to English, so only the code is asserted."""
    with translation.override("zh-hans"):
        [message] = check_code("44000", PROVINCE)
    assert "44000" in message
