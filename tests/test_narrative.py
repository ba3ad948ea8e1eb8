"""The written evaluation summary (评估摘要): pure paragraphs from progress rows."""

import re
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.utils import translation

from indicators.domain import progress as p
from indicators.domain.periods import Period
from indicators.selectors import progress as progress_selectors
from indicators.selectors.progress import ProgressRow
from indicators.services.demo import demo_seed
from reports import wording
from reports.wording import status_sentence

PLAN = SimpleNamespace(baseline_year=2025, milestone_years=[2028, 2030])


def row(name, status, *, kind="level", ratio=None, leads=("县科工局",), flags=(), value=None,
        stage=None, target_stage=None):  # fmt: skip
    """A progress row as the selector gives it, with only what the narrative reads."""
    progress = p.Progress(
        status=status, value=value, compared_value=value, baseline=None, expected=None,
        target_year=2028, target_value=None, target_stage=target_stage,
        ratio=None if ratio is None else D(ratio), completion=None, time_progress=None,
        flags=tuple(flags),
    )  # fmt: skip
    indicator = SimpleNamespace(name=name, kind=kind)
    return ProgressRow(indicator, progress, stage, list(leads), [])


def summary(rows, year=2026, quarter=3):
    return wording.evaluation_summary(rows, PLAN, year, quarter)


def test_no_rows():
    assert summary([]) == ["暂无可汇总的指标。"]


def test_overview_paragraph():
    rows = [
        row("甲", p.AHEAD, ratio="1.2"),
        row("乙", p.BEHIND, ratio="0.8"),
        row("丙", p.ON_TRACK, ratio="1"),
        row("丁", p.NO_DATA),
    ]
    counts = progress_selectors.status_counts(rows)
    assert summary(rows)[0] == (
        "截至2026年第3季度末，从2025年基期到2028年目标的时间已过25.0%。"
        + status_sentence(counts)
        + "其中，已完成目标或达到、快于序时进度的指标2项，占50.0%。"
    )
    assert summary(rows, quarter=None)[0].startswith(
        "截至2026年末，从2025年基期到2028年目标的时间已过33.3%。"
    )


def test_indicators_ahead_and_lagging_with_their_lead_departments():
    rows = [
        row("甲", p.AHEAD, ratio="1.2"),
        row("戊", p.ACHIEVED_MILESTONE, ratio="4", leads=()),
        row("乙", p.BEHIND, ratio="0.8", leads=("县人社局",)),
        row("己", p.FAR_BEHIND, ratio="0.2345", leads=("县人社局", "各镇")),
        row("丙", p.REGRESSING, ratio="-2.1", leads=()),
    ]
    _overview, good, lagging, *_rest = summary(rows)
    assert good == (
        "已完成阶段目标的指标1项：戊（未明确牵头单位）。"
        "快于序时进度的指标1项：甲（为序时进度的120.0%，牵头单位：县科工局）。"
    )
    assert lagging == (
        "滞后于序时进度的指标1项：乙（为序时进度的80.0%，牵头单位：县人社局）。"
        "严重滞后的指标1项：己（为序时进度的23.5%，牵头单位：县人社局、各镇）。"
        "倒退的指标1项：丙（较基期值倒退，未明确牵头单位）。"
        "请相关牵头单位（县人社局、各镇）加快推进。其中1项尚未明确牵头单位，建议尽快明确。"
    )


def test_long_lists_name_ten_and_count_the_rest():
    rows = [row(f"指标{i}", p.BEHIND, ratio="0.8") for i in range(12)]
    lagging = summary(rows)[2]
    assert "指标9（为序时进度的80.0%，牵头单位：县科工局）等（另有2项未列出）。" in lagging
    assert "指标10" not in lagging


def test_safety_and_milestone_indicators():
    rows = [
        row("安全生产事故", p.FAILED, kind="zero_event", value=D(2)),
        row(
            "区域品牌知名度",
            p.IN_PROGRESS,
            kind="milestone",
            stage="未注册",
            target_stage="成功注册",
        ),  # fmt: skip
    ]
    assert summary(rows)[3] == (
        "安全生产事故：本年度截至2026年第3季度末累计发生2起，未实现零发生目标。"
        "区域品牌知名度目前处于“未注册”阶段，2028年目标为“成功注册”（推进中）。"
    )
    rows = [
        row("安全生产事故", p.ON_TRACK, kind="zero_event", value=D(0)),
        row("区域品牌知名度", p.NO_DATA, kind="milestone", target_stage="成功注册"),
    ]
    assert summary(rows, quarter=None)[3] == (
        "安全生产事故：本年度截至2026年末保持零发生，符合规划要求。"
        "区域品牌知名度尚未报送所处阶段，2028年目标为“成功注册”。"
    )
    no_data = row("安全生产事故", p.NO_DATA, kind="zero_event")
    assert "安全生产事故：截至2026年第3季度末暂无数据。" in summary([no_data])[3]


def test_data_gaps():
    rows = [
        row("甲", p.NO_DATA, leads=("县人社局",), flags=[p.BASELINE_MISSING]),
        row("乙", p.ON_TRACK, ratio="1", leads=(), flags=[p.BASELINE_MISSING]),
        row("丙", p.ACHIEVED_MILESTONE, ratio="4", flags=[p.CHECK_DATA]),
    ]
    assert summary(rows)[-1] == (
        "截至2026年第3季度末，1项指标暂无数据：甲（牵头单位：县人社局），请牵头单位尽快报送。"
        "规划未列基期值的指标2项（甲、乙），评估以2025年实际值代替（无则为0）。"
        "规划未将1项指标关联到重点任务，尚无牵头单位：乙，建议明确牵头单位。"
        "1项指标超过序时进度的150%，可能存在单位或录入错误，请核实数据：丙（牵头单位：县科工局）。"
    )


def test_nothing_to_report():
    rows = [row("甲", p.ON_TRACK, ratio="1"), row("乙", p.ON_TRACK, ratio="1")]
    assert summary(rows)[1:] == [
        "暂无已完成目标或快于序时进度的指标。",
        "暂无滞后于序时进度的指标。",
        "截至2026年第3季度末，所有指标均已报送数据，基期值和牵头单位齐全。",
    ]


def test_english():
    rows = [row("A", p.AHEAD, ratio="1.2"), row("B", p.REGRESSING, ratio="-1", leads=())]
    with translation.override("en"):
        paragraphs = summary(rows)
    assert paragraphs[1] == "Ahead of schedule (1): A (120.0% of the schedule; lead: 县科工局)."
    assert paragraphs[2].startswith(
        "Regressing (1): B (moved away from its baseline; no lead department named)."
    )


@pytest.mark.parametrize("year, quarter", [(2026, 3), (2026, 1), (2025, None)])
def test_demo_summary_is_all_chinese(plan, year, quarter):
    """Every sentence is translated: take out the indicator and department names, and no
    Latin letter is left."""
    demo_seed(plan=plan)
    rows = progress_selectors.progress_rows(plan=plan, period=Period.of(year, quarter))
    paragraphs = wording.evaluation_summary(rows, plan, year, quarter)
    names = sorted({r.indicator.name for r in rows}, key=len, reverse=True)
    for paragraph in paragraphs:
        for name in names:
            paragraph = paragraph.replace(name, "")
        assert not re.search("[A-Za-z]", paragraph), paragraph
    if (year, quarter) == (2026, 3):
        assert len(paragraphs) == 5
        assert status_sentence(progress_selectors.status_counts(rows)) in paragraphs[0]
        assert (
            "安全生产事故：本年度截至2026年第3季度末累计发生1起，未实现零发生目标。"
            in paragraphs[3]
        )
