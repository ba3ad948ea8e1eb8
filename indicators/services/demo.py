"""Demo data for the 陆河 plan: approved values for 2025 and 2026 Q1–Q3, so that a newcomer
sees a living dashboard (`manage.py seed_demo`), and their removal (`manage.py remove_demo`).

Every figure below is invented. Each one is stored with the source DEMO_SOURCE
(演示数据（非真实统计）) and goes through the real write services: the demo clerk `demo_entry`
enters and submits it (`reporting.actual_create(..., submit=True)`), the demo reviewer
`demo_review` approves it (`reporting.actual_approve`), so every value has the same checks
(validation, the 50%-change note, the 滞后说明 of a value that turns its light yellow or red:
`DEMO_EXPLANATIONS`) and the same history as a real one. `demo_entry` has the
administrator role because `access.reports` lets an administrator report every indicator,
including the 16 the plan links to no department; both users have unusable passwords.

The figures are chosen to be plausible for the plan (units, baselines, targets and kinds: an
annual total is a year-to-date total, a running total never falls, rates are in %, 安全生产事故
counts the events of each quarter, 区域品牌知名度 is a stage) and so that at 2026 Q3, the
period the overview shows by default, the statuses cover every one that can occur then:
achieved_final, achieved_milestone, ahead, on_track, behind, far_behind, regressing, failed,
in_progress and no_data, with the flags check_data and baseline_missing beside some. The
comment above each indicator's rows gives the engine's arithmetic at 2026 Q3 (t = 2025.75 for
levels and running totals; t = 2026 for annual totals and rates, domain.md §4).

`overdue` cannot occur in the demo: only 区域品牌知名度 can be overdue, and its first stage
target (成功注册) is due in 2028, so it becomes overdue from 2029 Q1 at the earliest. It is
left out rather than faked.

Seeding is idempotent: a period that already has a value (demo or real) is skipped, so a
second run changes nothing, and a real value is never overwritten. Removal deletes only the
values the demo clerk entered with the demo source and that no one else has changed since; a
real value stays, even for the same indicator. Deleting keeps the values' history (a
deletion record, reason "demo data removed"), and the two demo users stay, because that
history names them.
"""

from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.access import user_role
from indicators.domain import periods
from indicators.domain.warnings import Explanation
from indicators.models import Actual, Indicator, Kind, Plan, Role, Supervision, SupervisionStep
from indicators.selectors.supervision import supervisions
from indicators.services.actuals import Entry, Invalid, actual_approve, actual_create
from indicators.services.errors import ServiceError
from indicators.services.supervision import supervision_open
from indicators.services.users import user_set_role

DEMO_SOURCE = "演示数据（非真实统计）"
DEMO_ENTRY = "demo_entry"  # enters and submits every demo value
DEMO_REVIEW = "demo_review"  # approves them
DEMO_USERS = ((DEMO_ENTRY, Role.ADMIN), (DEMO_REVIEW, Role.REVIEWER))
DEFAULT_PLAN = "luhe-garment"


class Row(NamedTuple):
    code: str
    period: str  # "2025": the whole year; "2026-Q3": a quarter
    figure: str  # a number, or the stage reached for a milestone indicator
    note: str = ""


# fmt: off
DEMO_ROWS = [
    # 产业规模 ---------------------------------------------------------------------------------
    # 全产业链总产值（亿元）annual_total, geometric 30→60 (2028). 2025 quarters are year-to-date;
    # the statistics bureau's whole-year figure supersedes the Q4 flash estimate.
    # 2026 Q3: YTD 26.4 → 35.2 a year; V 37.80; R 0.67 → behind (annualised).
    Row("gross_output", "2025-Q1", "6.6"),
    Row("gross_output", "2025-Q2", "14.2"),
    Row("gross_output", "2025-Q3", "22.0"),
    Row("gross_output", "2025-Q4", "29.6"),
    Row("gross_output", "2025", "30"),
    Row("gross_output", "2026-Q1", "7.9"),
    Row("gross_output", "2026-Q2", "17.1"),
    Row("gross_output", "2026-Q3", "26.4"),
    # 全县GDP占比（%）level, baseline missing ("-"): the 2025 figure 1.2 stands in for it.
    # 2026 Q3: 1.4; V 1.4; R 1.00 → on_track, baseline_missing.
    Row("gdp_share", "2025", "1.2"),
    Row("gdp_share", "2026-Q1", "1.2"),
    Row("gdp_share", "2026-Q2", "1.3"),
    Row("gdp_share", "2026-Q3", "1.4"),
    # 规上工业产值占全县规上工业比重（%）level 0→2. 2026 Q3: 0.6; V 0.5; R 1.20 → ahead.
    Row("above_scale_output_share", "2025", "0"),
    Row("above_scale_output_share", "2026-Q1", "0"),
    Row("above_scale_output_share", "2026-Q2", "0.3", "首家服装企业纳入规上工业统计"),
    Row("above_scale_output_share", "2026-Q3", "0.6", "第二家服装企业升规入统"),
    # 电子商务交易额（亿元）annual_total, geometric 7→30.
    # 2026 Q3: YTD 6.9 → 9.2 a year; V 11.37; R 0.50 → far_behind (annualised).
    Row("ecommerce_volume", "2025-Q1", "1.5"),
    Row("ecommerce_volume", "2025-Q2", "3.3"),
    Row("ecommerce_volume", "2025-Q3", "5.0"),
    Row("ecommerce_volume", "2025-Q4", "7.0"),
    Row("ecommerce_volume", "2026-Q1", "2.0"),
    Row("ecommerce_volume", "2026-Q2", "4.4"),
    Row("ecommerce_volume", "2026-Q3", "6.9"),
    # 企业培育 ---------------------------------------------------------------------------------
    # 规上企业数量（家）0→5. 2026 Q3: 2; V 1.25; R 1.60 → ahead, check_data.
    Row("above_scale_enterprises", "2025", "0"),
    Row("above_scale_enterprises", "2026-Q1", "0"),
    Row("above_scale_enterprises", "2026-Q2", "1", "首家服装企业升规"),
    Row("above_scale_enterprises", "2026-Q3", "2", "第二家服装企业升规"),
    # 亿元以上企业（家）0→2. 2026 Q3: 0; V 0.5; R 0 → far_behind.
    Row("hundred_million_enterprises", "2025", "0"),
    Row("hundred_million_enterprises", "2026-Q1", "0"),
    Row("hundred_million_enterprises", "2026-Q2", "0"),
    Row("hundred_million_enterprises", "2026-Q3", "0"),
    # 限上批发和零售企业（家）2→15. 2026 Q3: 5; V 5.25; R 0.92 → behind.
    Row("wholesale_retail_enterprises", "2025", "2"),
    Row("wholesale_retail_enterprises", "2026-Q1", "3"),
    Row("wholesale_retail_enterprises", "2026-Q2", "4"),
    Row("wholesale_retail_enterprises", "2026-Q3", "5"),
    # 高新技术企业（家）0→1. 2026 Q3: 1 ≥ T2028 → achieved_milestone, check_data (R 4).
    Row("high_tech_enterprises", "2025", "0"),
    Row("high_tech_enterprises", "2026-Q1", "0"),
    Row("high_tech_enterprises", "2026-Q2", "0"),
    Row("high_tech_enterprises", "2026-Q3", "1", "一家服装企业通过高新技术企业认定"),
    # 跨境电商主体（家）300→500. 2026 Q3: 352; V 350; R 1.04 → on_track.
    Row("cross_border_ecommerce", "2025", "300"),
    Row("cross_border_ecommerce", "2026-Q1", "318"),
    Row("cross_border_ecommerce", "2026-Q2", "335"),
    Row("cross_border_ecommerce", "2026-Q3", "352"),
    # 相关市场主体总数（家）900→1400. 2026 Q3: 1060; V 1025; R 1.28 → ahead.
    Row("market_entities", "2025", "900"),
    Row("market_entities", "2026-Q1", "960"),
    Row("market_entities", "2026-Q2", "1010"),
    Row("market_entities", "2026-Q3", "1060"),
    # 乡贤企业数（家）30→100. 2026 Q3: 46; V 47.5; R 0.91 → behind.
    Row("xiangxian_enterprises", "2025", "30"),
    Row("xiangxian_enterprises", "2026-Q1", "36"),
    Row("xiangxian_enterprises", "2026-Q2", "41"),
    Row("xiangxian_enterprises", "2026-Q3", "46"),
    # 招商引资 ---------------------------------------------------------------------------------
    # 产业项目新引进累计数（个）cumulative 4→23. 2026 Q3: 8; V 8.75; R 0.84 → behind.
    Row("projects_introduced", "2025", "4"),
    Row("projects_introduced", "2026-Q1", "5"),
    Row("projects_introduced", "2026-Q2", "7"),
    Row("projects_introduced", "2026-Q3", "8"),
    # 生产性服务企业引育数（设计、物流等）（家）cumulative 0→10. 2026 Q3: 3; V 2.5; R 1.20 → ahead.
    Row("producer_service_enterprises", "2025", "0"),
    Row("producer_service_enterprises", "2026-Q1", "1"),
    Row("producer_service_enterprises", "2026-Q2", "2", "新引进一家服装设计工作室"),
    Row("producer_service_enterprises", "2026-Q3", "3"),
    # 就业带动 ---------------------------------------------------------------------------------
    # 从业人员（万人）level 2→3. 2026 Q3: 2.26; V 2.25; R 1.04 → on_track.
    Row("employment", "2025", "2"),
    Row("employment", "2026-Q1", "2.08"),
    Row("employment", "2026-Q2", "2.17"),
    Row("employment", "2026-Q3", "2.26"),
    # 县外引进熟练工累计（人）cumulative, baseline missing: counted from 0 in 2026 (no flag).
    # 2026 Q3: 760; V 750; R 1.01 → on_track.
    Row("skilled_workers_introduced", "2026-Q1", "380"),
    Row("skilled_workers_introduced", "2026-Q2", "560"),
    Row("skilled_workers_introduced", "2026-Q3", "760"),
    # 中级以上职业技能人才（人）: left empty → no_data, baseline_missing.
    # 特殊群体就业数（人）level 60→200. 2026 Q3: 68; V 95; R 0.23 → far_behind.
    Row("special_groups_employed", "2025", "60"),
    Row("special_groups_employed", "2026-Q1", "62"),
    Row("special_groups_employed", "2026-Q2", "65"),
    Row("special_groups_employed", "2026-Q3", "68"),
    # 产业人均工资（元/月）level, geometric 4500→5500. 2026 Q3: 4680; V 4731; R 0.78 → behind.
    Row("average_wage", "2025", "4500"),
    Row("average_wage", "2026-Q1", "4560"),
    Row("average_wage", "2026-Q2", "4620"),
    Row("average_wage", "2026-Q3", "4680"),
    # 品牌建设 ---------------------------------------------------------------------------------
    # 自主品牌数量（个）2→5. 2026 Q3: 3; V 2.75; R 1.33 → ahead.
    Row("own_brands", "2025", "2"),
    Row("own_brands", "2026-Q1", "2"),
    Row("own_brands", "2026-Q2", "3"),
    Row("own_brands", "2026-Q3", "3"),
    # 区域品牌知名度 milestone: still 未注册 (成功注册 is due in 2028) → in_progress.
    Row("regional_brand", "2025", "未注册"),
    Row("regional_brand", "2026-Q1", "未注册"),
    Row("regional_brand", "2026-Q2", "未注册"),
    Row("regional_brand", "2026-Q3", "未注册", "区域品牌集体商标注册申请已获受理，尚待核准"),
    # 数字化水平 -------------------------------------------------------------------------------
    # 数字化管理系统应用企业（家）level, baseline missing: the 2025 figure 1 stands in for it.
    # 2026 Q3: 2; V 2; R 1.00 → on_track, baseline_missing.
    Row("digital_management_adopters", "2025", "1"),
    Row("digital_management_adopters", "2026-Q1", "1"),
    Row("digital_management_adopters", "2026-Q2", "2", "一家企业上线智能吊挂及生产管理系统"),
    Row("digital_management_adopters", "2026-Q3", "2"),
    # 自动化生产工厂/车间（个）0→3. 2026 Q3: 1; V 0.75; R 1.33 → ahead.
    Row("automated_factories", "2025", "0"),
    Row("automated_factories", "2026-Q1", "0"),
    Row("automated_factories", "2026-Q2", "1", "首个自动化裁剪车间投产"),
    Row("automated_factories", "2026-Q3", "1"),
    # 人口与收入 -------------------------------------------------------------------------------
    # 城乡人均可支配收入增速（%）rate 5.2→8. 2026 Q3: 4.8, below the baseline; V 6.13;
    # R −0.43 → regressing.
    Row("income_growth", "2025", "5.2"),
    Row("income_growth", "2026-Q1", "5.6"),
    Row("income_growth", "2026-Q2", "5.1"),
    Row("income_growth", "2026-Q3", "4.8"),
    # 净流入人数（人）: left empty (an annual population statistic) → no_data.
    # 集体经济 ---------------------------------------------------------------------------------
    # 30万元以上行政村数量（个）21→90. 2026 Q3: 38; V 38.25; R 0.99 → on_track.
    Row("villages_300k", "2025", "21"),
    Row("villages_300k", "2026-Q1", "21"),
    Row("villages_300k", "2026-Q2", "30"),
    Row("villages_300k", "2026-Q3", "38"),
    # 50万元以上行政村数量（个）8→10. 2026 Q3: 10 ≥ T2028 → achieved_milestone, check_data (R 4).
    Row("villages_500k", "2025", "8"),
    Row("villages_500k", "2026-Q1", "8"),
    Row("villages_500k", "2026-Q2", "9"),
    Row("villages_500k", "2026-Q3", "10"),
    # 100万元以上行政村数量（个）2→5. 2026 Q3: 3; V 2.75; R 1.33 → ahead.
    Row("villages_1m", "2025", "2"),
    Row("villages_1m", "2026-Q1", "2"),
    Row("villages_1m", "2026-Q2", "2"),
    Row("villages_1m", "2026-Q3", "3"),
    # 安全生产 ---------------------------------------------------------------------------------
    # 安全生产事故 zero_event, events per quarter: one in 2026 Q2 → 1 so far in 2026 → failed.
    Row("safety_accidents", "2025-Q1", "0"),
    Row("safety_accidents", "2025-Q2", "0"),
    Row("safety_accidents", "2025-Q3", "0"),
    Row("safety_accidents", "2025-Q4", "0"),
    Row("safety_accidents", "2026-Q1", "0"),
    Row(
        "safety_accidents", "2026-Q2", "1", "一家制衣厂发生一起机械伤害事故（1人轻伤），已责令整改"
    ),
    Row("safety_accidents", "2026-Q3", "0"),
    # 社会治理 ---------------------------------------------------------------------------------
    # 刑事治安警情增速（%）rate, lower is better, −8.6→−10. 2026 Q3: −7.6; V −9.07;
    # R −2.14 → regressing.
    Row("crime_growth", "2025", "-8.6"),
    Row("crime_growth", "2026-Q1", "-9.8"),
    Row("crime_growth", "2026-Q2", "-8.4"),
    Row("crime_growth", "2026-Q3", "-7.6"),
    # 信访量增速（%）rate, lower is better, −15.1→−20 (2028)→−25 (2030). 2026 Q3: −26.3
    # ≤ −25 → achieved_final, check_data (R 6.9).
    Row("petition_growth", "2025", "-15.1"),
    Row("petition_growth", "2026-Q1", "-22.4"),
    Row("petition_growth", "2026-Q2", "-24.8"),
    Row("petition_growth", "2026-Q3", "-26.3"),
]
# fmt: on


@dataclass
class SeedReport:
    entered: int = 0  # values entered and approved now
    present: int = 0  # rows skipped: the period already had a value
    not_ended: int = 0  # rows skipped: the period is not over yet, so it cannot be reported
    unknown: list[str] = field(default_factory=list)  # codes the plan does not have
    supervised: int = 0  # supervision items opened now (DEMO_SUPERVISIONS)


@dataclass
class RemoveReport:
    removed: int = 0
    kept: int = 0  # values with the demo source that someone else has changed since
    supervisions: int = 0  # the demo reviewer's supervision items no one else has acted on


# The 十五五 example (示例数据): a few periods of each frequency, so its dashboards show the
# forms of domain.md §9 at work — a yearly average (年均增长6%), limits held (≤5.5, ≥95) and one
# broken, a range being reached (6—6.5), a figure in step with another (与经济增长基本同步),
# annualised year-to-date totals, a half-year count and an annual indicator shown with its
# latest year (earlier_period).
# fmt: off
EXAMPLE_ROWS = [
    Row("gdp", "2026-Q1", "28.9"),
    Row("gdp", "2026-Q2", "60.1"),
    Row("gdp", "2026-Q3", "91.8"),
    Row("gdp_growth", "2026-Q1", "5.8"),
    Row("gdp_growth", "2026-Q2", "6.1"),
    Row("gdp_growth", "2026-Q3", "6.3"),
    Row("industrial_value_added_growth", "2026-M07", "6.9"),
    Row("industrial_value_added_growth", "2026-M08", "7.2"),
    Row("industrial_value_added_growth", "2026-M09", "7.4"),
    Row("industrial_value_added_growth", "2026-M10", "7.1"),
    Row("retail_sales_growth", "2026-M08", "6.0"),
    Row("retail_sales_growth", "2026-M09", "6.2"),
    Row("retail_sales_growth", "2026-M10", "6.4"),
    Row("budget_revenue", "2026-M08", "3.9"),
    Row("budget_revenue", "2026-M09", "4.4"),
    Row("budget_revenue", "2026-M10", "4.9"),
    Row("urbanisation_rate", "2025", "55.3"),
    Row("high_tech_enterprises", "2026-H1", "25"),
    Row("disposable_income_growth", "2026-Q1", "5.9"),
    Row("disposable_income_growth", "2026-Q2", "5.8"),
    Row("disposable_income_growth", "2026-Q3", "5.6"),
    Row("urban_unemployment_rate", "2026-Q1", "4.9"),
    Row("urban_unemployment_rate", "2026-Q2", "5.1"),
    Row("urban_unemployment_rate", "2026-Q3", "5.0"),
    Row("urban_new_jobs", "2026-M08", "1720"),
    Row("urban_new_jobs", "2026-M09", "1950"),
    Row("urban_new_jobs", "2026-M10", "2180"),
    Row("air_quality_good_days", "2026-M08", "98.4"),
    Row("air_quality_good_days", "2026-M09", "96.7"),
    Row("air_quality_good_days", "2026-M10", "94.2", "10月下旬受区域性臭氧污染影响，优良天数减少"),
    Row("major_safety_accidents", "2026-Q1", "0"),
    Row("major_safety_accidents", "2026-Q2", "0"),
    Row("major_safety_accidents", "2026-Q3", "0"),
    Row("public_school_places", "2026-H1", "1200"),
]
# fmt: on
ROWS_BY_PLAN = {DEFAULT_PLAN: DEMO_ROWS, "luhe-15th-five-year": EXAMPLE_ROWS}


# The demo clerk's 滞后说明 for each indicator whose figures lag somewhere (invented, like the
# figures): given with each lagging period's value, none with the others (`_submitted`).
# fmt: off
DEMO_EXPLANATIONS = {
    # 服装产业 (luhe-garment)
    "gross_output": Explanation(
        "受外贸订单回落及两家重点企业技改停产影响，全产业链产值增长慢于规划进度",
        "推动技改企业尽快复产满产，开展“稳订单拓市场”专项行动，组织企业参加广交会等展会接单",
        "at_risk"),
    "gdp_share": Explanation(
        "一季度为服装生产淡季，产业产值占全县比重阶段性偏低",
        "跟踪重点企业二季度订单排产，推动新投产项目尽快达产",
        "yes"),
    "above_scale_output_share": Explanation(
        "年初尚无服装企业纳入规上工业统计，规上产值为零",
        "建立升规入统培育库，对年营收接近2000万元的企业逐一帮扶申报",
        "yes"),
    "ecommerce_volume": Explanation(
        "本地电商主体规模偏小，直播电商基地尚未建成运营，交易额增长远低于年均增速要求",
        "加快建设直播电商产业园，引进头部电商服务机构，全年开展电商人才培训不少于10期",
        "no"),
    "above_scale_enterprises": Explanation(
        "企业升规入统集中在年中申报，一季度尚无企业升规",
        "对营收接近规上标准的企业实行“一企一策”培育，协助完善财务核算",
        "yes"),
    "hundred_million_enterprises": Explanation(
        "本地服装企业规模普遍偏小，尚无年产值超亿元企业",
        "引进服装龙头企业落户，支持骨干企业兼并重组、扩能增产",
        "at_risk"),
    "wholesale_retail_enterprises": Explanation(
        "限上入库标准较高，部分商贸企业销售额未达入库标准",
        "建立限上商贸企业培育库，推动个体工商户转企、小升规",
        "at_risk"),
    "high_tech_enterprises": Explanation(
        "企业研发投入不足，高新技术企业申报尚在评审中",
        "联合科技服务机构辅导申报，落实研发费用加计扣除政策",
        "yes"),
    "xiangxian_enterprises": Explanation(
        "乡贤回乡投资意向转化落地较慢，部分项目仍在选址",
        "举办乡贤招商恳谈会，落实回乡投资用地、税费优惠政策",
        "at_risk"),
    "projects_introduced": Explanation(
        "招商项目签约后落地周期较长，两个项目仍在洽谈阶段",
        "实行重点项目专班跟踪服务，加快签约项目注册落地",
        "at_risk"),
    "special_groups_employed": Explanation(
        "适合残疾人、脱贫劳动力等特殊群体的岗位开发不足，企业吸纳意愿不强",
        "开发帮扶车间和居家就业岗位，落实吸纳就业补贴和社保补贴",
        "no"),
    "average_wage": Explanation(
        "服装企业利润空间收窄，工资增长放缓",
        "推动企业技能等级认定与薪酬挂钩，落实稳岗返还和技能提升补贴",
        "at_risk"),
    "own_brands": Explanation(
        "品牌注册和培育周期较长，一季度无新增自主品牌",
        "指导企业申请商标注册，组织企业参加服装博览会推介品牌",
        "yes"),
    "digital_management_adopters": Explanation(
        "企业数字化改造资金压力较大，系统上线进度慢于计划",
        "落实数字化转型补助，组织服务商上门免费诊断",
        "yes"),
    "automated_factories": Explanation(
        "自动化裁剪车间设备安装调试尚未完成",
        "督促设备供应商加快安装调试，确保二季度投产",
        "yes"),
    "income_growth": Explanation(
        "服装企业订单减少，务工收入增长放缓，居民收入增速低于上年",
        "稳定产业就业岗位，拓宽居民增收渠道，落实各项惠民补贴",
        "no"),
    "villages_300k": Explanation(
        "村集体经营性收入多在下半年入账，上半年统计偏低",
        "盘活村集体闲置资产，发展物业经济和来料加工",
        "yes"),
    "villages_500k": Explanation(
        "村集体经营性收入多在下半年入账，一季度暂无新增",
        "推动强村公司运营，加快村级增收项目建设",
        "yes"),
    "villages_1m": Explanation(
        "村集体增收项目仍处建设期，尚未产生收益",
        "推动强村公司运营，加快增收项目建设和招租",
        "yes"),
    "safety_accidents": Explanation(
        "一家制衣厂设备安全防护缺失，发生一起机械伤害事故（1人轻伤）",
        "责令涉事企业停产整改，开展服装行业安全生产专项检查，加强员工安全培训",
        "no"),
    "crime_growth": Explanation(
        "电信网络诈骗等新型警情上升，警情降幅收窄",
        "开展反诈宣传进企业进村居，加强重点区域巡逻防控",
        "at_risk"),
    # 十五五规划 (luhe-15th-five-year)
    "gdp": Explanation(
        "一季度工业生产淡季，重点项目尚未投产，地区生产总值累计增长慢于规划进度",
        "加快重点项目建设投产，推动规上工业企业满产，落实促消费政策",
        "at_risk"),
    "disposable_income_growth": Explanation(
        "经营性收入增长放缓，工资性收入增幅回落",
        "落实稳就业促增收政策，扩大以工代赈，提高农村居民财产性收入",
        "at_risk"),
    "air_quality_good_days": Explanation(
        "10月下旬受区域性臭氧污染影响，优良天数减少",
        "加强挥发性有机物排放企业监管和扬尘治理，落实污染天气应急减排措施",
        "yes"),
}
# fmt: on


class DemoItem(NamedTuple):
    """A supervision item the demo reviewer opens (domain.md §11), dated as a month of use
    would leave it: opened `opened_days_ago`, due `due_in_days` from today (negative: past
    due), so the lists show every colour."""

    code: str
    requirement: str
    opened_days_ago: int
    due_in_days: int


# fmt: off
DEMO_SUPERVISIONS = {
    DEFAULT_PLAN: (
        DemoItem("ecommerce_volume",
                 "电子商务交易额连续两个季度远低于序时进度：请县科工局报送滞后原因分析，"
                 "明确年底前直播电商基地引进计划和责任人。", 20, -5),
        DemoItem("hundred_million_enterprises",
                 "亿元以上服装企业培育进度滞后：请县科工局列出2026年重点培育企业名单及帮扶措施，"
                 "按期报送。", 8, 2),
        DemoItem("projects_introduced",
                 "引进服装产业项目数低于序时进度：请县投促中心报送在谈项目清单和落地时间表。",
                 1, 15),
    ),
}
# fmt: on


def demo_plan(*, slug: str) -> Plan:
    """The plan to seed or clean, or a clear refusal when it is not loaded."""
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise ServiceError(
            _(
                "The plan “%(slug)s” is not loaded: load it first with "
                "python manage.py load_plan FILE."
            )
            % {"slug": slug}
        )
    return plan


@transaction.atomic
def demo_seed(*, plan: Plan, rows=None) -> SeedReport:
    """Enter and approve the demo rows the plan has no value for yet (all or nothing); the
    plan's own rows (`ROWS_BY_PLAN`) unless `rows` are given.

    A row the services refuse (the plan was changed so that the figure no longer fits) stops
    the seeding with the indicator, the period and the reason, and nothing is saved.
    """
    rows = ROWS_BY_PLAN.get(plan.slug, ()) if rows is None else rows
    entry_user, review_user = (_demo_user(name, role, plan) for name, role in DEMO_USERS)
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan).select_related("plan")}
    filled = Actual.objects.filter(indicator__plan=plan)
    present = {
        (code, periods.Period.from_fields(year, month=month, quarter=quarter, half=half))
        for code, year, month, quarter, half in filled.values_list(
            "indicator__code", "year", "month", "quarter", "half"
        )
    }
    report = SeedReport()
    today = periods.today()
    for row in rows:
        indicator = indicators.get(row.code)
        period = periods.parse_code(row.period)
        if indicator is None:
            if row.code not in report.unknown:
                report.unknown.append(row.code)
        elif (row.code, period) in present:
            report.present += 1
        elif not period.has_ended(today):
            report.not_ended += 1
        else:
            _enter(indicator, _entry(indicator, row), entry_user, review_user)
            report.entered += 1
    report.supervised = _supervise(plan, indicators, review_user)
    return report


def _supervise(plan: Plan, indicators: dict[str, Indicator], review_user) -> int:
    """Open the plan's demo supervision items through the service (so each has its opening
    step), unless the indicator already has one open, then date them back as a month of use
    would leave them: the service itself only opens items due today or later."""
    opened = 0
    today = periods.today()
    for item in DEMO_SUPERVISIONS.get(plan.slug, ()):
        indicator = indicators.get(item.code)
        if indicator is None or supervisions(indicator=indicator, open_only=True).exists():
            continue
        supervision = supervision_open(
            user=review_user, plan=plan, indicator=indicator, requirement=item.requirement,
            due=today + timedelta(days=max(item.due_in_days, 0)),
        )  # fmt: skip
        opened_at = timezone.now() - timedelta(days=item.opened_days_ago)
        Supervision.objects.filter(pk=supervision.pk).update(
            opened_at=opened_at, due=today + timedelta(days=item.due_in_days)
        )
        SupervisionStep.objects.filter(supervision=supervision).update(at=opened_at)
        opened += 1
    return opened


def _entry(indicator: Indicator, row: Row) -> Entry:
    if indicator.kind == Kind.MILESTONE:
        figure = {"stage": row.figure}
    else:
        figure = {"value": Decimal(row.figure)}
    period = periods.parse_code(row.period)
    return Entry.of(period, source=DEMO_SOURCE, note=row.note, **figure)


def _enter(indicator: Indicator, entry: Entry, entry_user, review_user) -> None:
    try:
        actual = _submitted(indicator, entry, entry_user)
    except ServiceError as exc:
        raise ServiceError(
            _("Demo value %(code)s %(period)s refused: %(reason)s")
            % {
                "code": indicator.code,
                "period": entry.period.label(),
                "reason": exc,
            }
        ) from exc
    actual_approve(user=review_user, actual=actual)


def _submitted(indicator: Indicator, entry: Entry, user) -> Actual:
    """Enter and submit the value. Where it turns the light yellow or red the services ask
    for a 滞后说明 (domain.md §11), and the demo clerk gives the indicator's, as a clerk would:
    so an explanation stands exactly beside the lagging periods, by the services' own rule."""
    try:
        return actual_create(user=user, indicator=indicator, entry=entry, submit=True)
    except Invalid as refusal:
        explanation = DEMO_EXPLANATIONS.get(indicator.code)
        if "explanation" not in refusal.errors or explanation is None:
            raise
    explained = replace(entry, explanation=explanation)
    return actual_create(user=user, indicator=indicator, entry=explained, submit=True)


def _demo_user(username: str, role: str, plan: Plan):
    """The demo user, created with the role in the plan's region and an unusable password if
    need be; a user who already has the role is left exactly as it is."""
    user = get_user_model().objects.filter(username=username).first()
    if user is not None and user_role(user) == role:
        return user
    user = user_set_role(
        username=username, role=role, department=None, password=None, region=plan.region
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def demo_values(*, plan: Plan) -> QuerySet[Actual]:
    """The plan's demo values: entered by the demo clerk with the demo source, and changed
    since by the demo users only. A value someone else has changed is theirs now: it stays."""
    return Actual.objects.filter(
        indicator__plan=plan,
        created_by__username=DEMO_ENTRY,
        source__startswith=DEMO_SOURCE,
        updated_by__username__in=[name for name, _role in DEMO_USERS],
    ).filter(Q(approved_by__isnull=True) | Q(approved_by__username=DEMO_REVIEW))


@transaction.atomic
def demo_remove(*, plan: Plan) -> RemoveReport:
    """Delete the plan's demo values, one by one so that each deletion is recorded in the
    value's history (by the demo clerk, reason "demo data removed")."""
    remover = get_user_model().objects.filter(username=DEMO_ENTRY).first()
    report = RemoveReport()
    for actual in demo_values(plan=plan):
        actual._history_user = remover  # simple-history: who
        actual._change_reason = _("demo data removed")  # simple-history: why
        actual.delete()
        report.removed += 1
    marked = Q(source__startswith=DEMO_SOURCE) | Q(approved_source__startswith=DEMO_SOURCE)
    report.kept = Actual.objects.filter(marked, indicator__plan=plan).count()
    report.supervisions = _remove_supervisions(plan)
    return report


def _remove_supervisions(plan: Plan) -> int:
    """Delete the demo reviewer's supervision items (those the demo opened and those its
    approvals opened by themselves) on which no one else has taken a step."""
    others = SupervisionStep.objects.exclude(by__username=DEMO_REVIEW)
    items = Supervision.objects.filter(plan=plan, opened_by__username=DEMO_REVIEW).exclude(
        pk__in=others.values("supervision_id")
    )
    ids = list(items.values_list("pk", flat=True))
    SupervisionStep.objects.filter(supervision_id__in=ids).delete()
    Supervision.objects.filter(pk__in=ids).delete()
    return len(ids)


# The trial's users (seed_demo_users: one per role, passwords made up at set-up) belong to the
# group DEMO_GROUP besides their role, so that remove_demo can find them; a user given a role
# with add_user afterwards leaves the group (user_set_role sets the groups anew).
DEMO_GROUP = "demo"


def demo_user_mark(user) -> None:
    """Mark a user as one of the trial's demo users."""
    group, _created = Group.objects.get_or_create(name=DEMO_GROUP)
    user.groups.add(group)


@dataclass
class DemoUsersReport:
    deleted: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)  # named by records: kept, cannot log in


def demo_users_remove() -> DemoUsersReport:
    """Delete the trial's demo users. One whose name a record keeps (a value they entered or
    approved) stays, for that record, but can no longer log in and leaves the group."""
    report = DemoUsersReport()
    for user in get_user_model().objects.filter(groups__name=DEMO_GROUP).order_by("username"):
        try:
            with transaction.atomic():
                user.delete()
            report.deleted.append(user.username)
        except ProtectedError:
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
            user.groups.remove(Group.objects.get(name=DEMO_GROUP))
            report.disabled.append(user.username)
    return report
