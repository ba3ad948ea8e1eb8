"""reports/wording.py: the status sentence from status counts, in Chinese and in English.

Pure functions: no database. Chinese is the site's language; English must read well too.
"""

from decimal import Decimal as D

import pytest
from django.utils import translation

from indicators.domain.statuses import empty_counts
from reports import wording


def counts(**given) -> dict[str, int]:
    return {**empty_counts(), **given}


# The counts of the example: 30 indicators.
EXAMPLE = counts(
    achieved_milestone=3, ahead=4, on_track=5, behind=6, far_behind=2, regressing=1, no_data=9
)


def test_the_evaluation_sentence_in_chinese():
    with translation.override("zh-hans"):
        text = wording.status_sentence(EXAMPLE)
    assert text == (
        "30项指标中，已完成阶段目标3项，快于序时进度4项，符合序时进度5项，滞后6项，"
        "严重滞后2项，倒退1项，暂无数据9项。"
    )


def test_the_evaluation_sentence_in_english():
    with translation.override("en"):
        text = wording.status_sentence(EXAMPLE)
    assert text == (
        "Of the 30 indicators, 3 achieved the milestone target, 4 ahead of schedule, "
        "5 on schedule, 6 behind schedule, 2 far behind schedule, 1 regressing "
        "and 9 without data."
    )


def test_the_seven_usual_statuses_are_named_even_at_zero():
    with translation.override("zh-hans"):
        text = wording.status_sentence(counts(on_track=2))
    assert text == (
        "2项指标中，已完成阶段目标0项，快于序时进度0项，符合序时进度2项，滞后0项，"
        "严重滞后0项，倒退0项，暂无数据0项。"
    )


def test_the_other_statuses_only_when_some_indicator_has_them():
    given = counts(achieved_final=1, ahead=1, failed=2, overdue=1, in_progress=3, no_data=1)
    with translation.override("zh-hans"):
        text = wording.status_sentence(given)
    # in report order: 已完成终期目标 first, 未达标/逾期未完成/推进中 after 倒退, 暂无数据 last
    assert text == (
        "9项指标中，已完成终期目标1项，已完成阶段目标0项，快于序时进度1项，符合序时进度0项，"
        "滞后0项，严重滞后0项，倒退0项，未达标2项，逾期未完成1项，推进中3项，暂无数据1项。"
    )
    with translation.override("en"):
        english = wording.status_sentence(given)
    assert english.startswith("Of the 9 indicators, 1 achieved the final target, ")
    assert "0 regressing, 2 missed the target, 1 overdue, 3 in progress and 1 without data." in (
        english
    )
    with translation.override("en"):
        assert len(wording.clauses(counts(on_track=1))) == 7  # none of the four at zero


def test_the_clauses_add_up_to_the_total():
    given = counts(ahead=2, failed=1, in_progress=4)
    with translation.override("en"):
        numbers = [int(clause.split()[0]) for clause in wording.clauses(given)]
    assert sum(numbers) == sum(given.values()) == 7


def test_one_indicator_reads_well_in_english():
    with translation.override("en"):
        text = wording.status_sentence(counts(on_track=1))
    assert text.startswith("Of 1 indicator, 0 achieved the milestone target, ")
    with translation.override("zh-hans"):
        assert wording.status_sentence(counts(on_track=1)).startswith("1项指标中，")


def test_no_indicators():
    with translation.override("zh-hans"):
        assert wording.status_sentence(empty_counts()) == "暂无可汇总的指标。"
    with translation.override("en"):
        assert wording.status_sentence({}) == "There are no indicators to summarise."


@pytest.mark.parametrize(
    ("share", "zh", "en"),
    [
        (D("0.25"), "距2028年目标时间已过 25%", "25% of the time to the 2028 target has passed"),
        (
            D(1) / D(3),
            "距2028年目标时间已过 33.3%",
            "33.3% of the time to the 2028 target has passed",
        ),
        (D(0), "距2028年目标时间已过 0%", "0% of the time to the 2028 target has passed"),
    ],
)
def test_time_progress(share, zh, en):
    with translation.override("zh-hans"):
        assert wording.time_sentence(2028, share) == zh
    with translation.override("en"):
        assert wording.time_sentence(2028, share) == en


def test_time_progress_without_a_milestone():
    with translation.override("zh-hans"):
        assert wording.time_sentence(None, None) == "规划未设定目标年份。"


def test_percent():
    assert wording.percent_shown(None) is None
    assert wording.percent_shown(D("0.769")) == "76.9"
    assert wording.percent_shown(D("1.2")) == "120"
    assert wording.percent_shown(D("-2.14")) == "-214"
