"""The loaded 陆河 plan, checked through the API against values typed from the plan text.

Every expected value below was typed by hand from
/work/shared/plan/luhe-garment-plan-2025-2030.txt (the 具体指标 table, the 2035 sentences
and the 重点工程 section). Nothing here is read from the fixture file.
"""

from decimal import Decimal

import pytest

PLANS_URL = "/api/v1/plans/"
INDICATORS_URL = "/api/v1/plans/luhe-garment/indicators/"
TASKS_URL = "/api/v1/plans/luhe-garment/tasks/"
DEPARTMENTS_URL = "/api/v1/departments/"

# The 具体指标 table, row by row, as printed:
# (指标维度, 指标名称 with its unit, 2025年基期, 2028年目标, 2030年目标).
PLAN_TABLE = [
    ("产业规模", "全产业链总产值（亿元）", "30", "60", "100"),
    ("产业规模", "全县GDP占比（%）", "-", "2", "5"),
    ("产业规模", "规上工业产值占全县规上工业比重（%）", "0", "2", "5"),
    ("产业规模", "电子商务交易额（亿元）", "7", "30", "50"),
    ("企业培育", "规上企业数量（家）", "0", "5", "10"),
    ("企业培育", "亿元以上企业（家）", "0", "2", "5"),
    ("企业培育", "限上批发和零售企业（家）", "2", "15", "40"),
    ("企业培育", "高新技术企业（家）", "0", "1", "3"),
    ("企业培育", "跨境电商主体（家）", "300", "500", "800"),
    ("企业培育", "相关市场主体总数（家）", "900", "1400", "2000"),
    ("企业培育", "乡贤企业数（家）", "30", "100", "200"),
    ("招商引资", "产业项目新引进累计数（个）", "4", "23", "50"),
    ("招商引资", "生产性服务企业引育数（设计、物流等）（家）", "0", "10", "30"),
    ("就业带动", "从业人员（万人）", "2", "3", "5"),
    ("就业带动", "县外引进熟练工累计（人）", "-", "3000", "5000"),
    ("就业带动", "中级以上职业技能人才（人）", "-", "500", "1500"),
    ("就业带动", "特殊群体就业数（人）", "60", "200", "400"),
    ("就业带动", "产业人均工资（元/月）", "4500", "5500", "7500"),
    ("品牌建设", "自主品牌数量（个）", "2", "5", "10"),
    ("品牌建设", "区域品牌知名度", "-", "成功注册", "省内外知名"),
    ("数字化水平", "数字化管理系统应用企业（家）", "-", "5", "10"),
    ("数字化水平", "自动化生产工厂/车间（个）", "0", "3", "5"),
    ("人口与收入", "城乡人均可支配收入增速（%）", "5.2", "8", "10"),
    ("人口与收入", "净流入人数（人）", "-", "3000", "10000"),
    ("集体经济", "30万元以上行政村数量（个）", "21", "90", "128"),
    ("集体经济", "50万元以上行政村数量（个）", "8", "10", "40"),
    ("集体经济", "100万元以上行政村数量（个）", "2", "5", "15"),
    ("安全生产", "安全生产事故", "零发生", "零发生", "零发生"),
    ("社会治理", "刑事治安警情增速（%）", "-8.6", "-10", "-10"),
    ("社会治理", "信访量增速（%）", "-15.1", "-20", "-25"),
]

MILESTONE_STAGES = {"成功注册", "省内外知名"}


def _dec(value):
    return None if value is None else Decimal(value)


def _printed_name(indicator):
    if indicator["unit"]:
        return f"{indicator['name']}（{indicator['unit']}）"
    return indicator["name"]


def _expected_number(cell):
    """What a numeric cell of the table must be stored as."""
    if cell == "-":
        return None
    if cell == "零发生":
        return Decimal("0")
    return Decimal(cell)


def _target(indicator, year):
    matches = [t for t in indicator["targets"] if t["year"] == year]
    assert len(matches) == 1, (indicator["name"], year, indicator["targets"])
    return matches[0]


def _assert_target_cell(indicator, year, cell):
    target = _target(indicator, year)
    if cell in MILESTONE_STAGES:
        assert target["stage"] == cell, (indicator["name"], year)
        assert target["value"] is None, (indicator["name"], year)
    else:
        assert _dec(target["value"]) == _expected_number(cell), (indicator["name"], year)


@pytest.fixture
def indicators(api):
    response = api.get(INDICATORS_URL)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def by_name(indicators):
    """Indicators keyed by their printed name (name + unit)."""
    return {_printed_name(i): i for i in indicators}


@pytest.fixture
def tasks(api):
    response = api.get(TASKS_URL)
    assert response.status_code == 200
    return response.json()


# --- the 具体指标 table -----------------------------------------------------------------


def test_indicator_table_matches_plan_row_by_row(indicators):
    assert len(indicators) == 30
    for row, indicator in zip(PLAN_TABLE, indicators, strict=True):
        dimension, printed_name, baseline, t2028, t2030 = row
        assert indicator["dimension"] == dimension, printed_name
        assert _printed_name(indicator) == printed_name
        assert _dec(indicator["baseline"]) == _expected_number(baseline), printed_name
        _assert_target_cell(indicator, 2028, t2028)
        _assert_target_cell(indicator, 2030, t2030)


def test_dimensions_in_plan_order(indicators):
    seen = []
    for indicator in indicators:
        if indicator["dimension"] not in seen:
            seen.append(indicator["dimension"])
    assert seen == [
        "产业规模",
        "企业培育",
        "招商引资",
        "就业带动",
        "品牌建设",
        "数字化水平",
        "人口与收入",
        "集体经济",
        "安全生产",
        "社会治理",
    ]


def test_unit_is_the_last_parenthesised_part(by_name):
    service = by_name["生产性服务企业引育数（设计、物流等）（家）"]
    assert service["name"] == "生产性服务企业引育数（设计、物流等）"
    assert service["unit"] == "家"
    assert by_name["产业人均工资（元/月）"]["unit"] == "元/月"
    assert by_name["区域品牌知名度"]["unit"] == ""
    assert by_name["安全生产事故"]["unit"] == ""


def test_dash_baselines_are_missing_not_zero(by_name):
    for printed_name in [
        "全县GDP占比（%）",
        "县外引进熟练工累计（人）",
        "中级以上职业技能人才（人）",
        "区域品牌知名度",
        "数字化管理系统应用企业（家）",
        "净流入人数（人）",
    ]:
        assert by_name[printed_name]["baseline"] is None, printed_name


# --- 2035 targets from the text --------------------------------------------------------


def test_2035_targets_stated_in_the_text(by_name):
    expected = {
        "全产业链总产值（亿元）": ("200", "200亿元"),
        "电子商务交易额（亿元）": ("100", "100亿元"),
        "限上批发和零售企业（家）": ("80", "80家"),
    }
    for printed_name, (value, fragment) in expected.items():
        target = _target(by_name[printed_name], 2035)
        assert _dec(target["value"]) == Decimal(value), printed_name
        assert fragment in target["source"], (printed_name, target["source"])
        assert "2035" in target["source"], (printed_name, target["source"])


def test_2035_target_sources_quote_the_plan(by_name):
    assert "产业链总产值突破200亿元" in (_target(by_name["全产业链总产值（亿元）"], 2035)["source"])
    assert "电子商务交易额超100亿元" in (_target(by_name["电子商务交易额（亿元）"], 2035)["source"])
    assert "批零服装企业80家以上" in (_target(by_name["限上批发和零售企业（家）"], 2035)["source"])


def test_only_three_indicators_have_a_2035_target(by_name):
    with_2035 = {
        name for name, i in by_name.items() if any(t["year"] == 2035 for t in i["targets"])
    }
    assert with_2035 == {
        "全产业链总产值（亿元）",
        "电子商务交易额（亿元）",
        "限上批发和零售企业（家）",
    }
    for name, indicator in by_name.items():
        years = [t["year"] for t in indicator["targets"]]
        assert years[:2] == [2028, 2030], name


# --- kinds, directions, paths -----------------------------------------------------------


@pytest.mark.parametrize(
    ("printed_name", "kind", "direction"),
    [
        ("刑事治安警情增速（%）", "rate", "lower"),
        ("信访量增速（%）", "rate", "lower"),
        ("城乡人均可支配收入增速（%）", "rate", "higher"),
        ("全产业链总产值（亿元）", "annual_total", "higher"),
        ("电子商务交易额（亿元）", "annual_total", "higher"),
        ("产业项目新引进累计数（个）", "cumulative", "higher"),
        ("县外引进熟练工累计（人）", "cumulative", "higher"),
        ("净流入人数（人）", "cumulative", "higher"),
        ("安全生产事故", "zero_event", "lower"),
        ("区域品牌知名度", "milestone", "higher"),
        ("规上企业数量（家）", "level", "higher"),
        ("从业人员（万人）", "level", "higher"),
        ("全县GDP占比（%）", "level", "higher"),
        ("产业人均工资（元/月）", "level", "higher"),
    ],
)
def test_indicator_kind_and_direction(by_name, printed_name, kind, direction):
    indicator = by_name[printed_name]
    assert indicator["kind"] == kind
    assert indicator["direction"] == direction


def test_annual_totals_follow_a_geometric_path(by_name):
    assert by_name["全产业链总产值（亿元）"]["path"] == "geometric"
    assert by_name["电子商务交易额（亿元）"]["path"] == "geometric"


# --- non-numeric indicators -------------------------------------------------------------


def test_regional_brand_is_a_milestone_indicator(by_name):
    brand = by_name["区域品牌知名度"]
    assert brand["kind"] == "milestone"
    assert brand["baseline"] is None
    assert brand["stages"][-2:] == ["成功注册", "省内外知名"]
    assert brand["stages"][0] == "未注册"
    assert [(t["year"], t["value"], t["stage"]) for t in brand["targets"]] == [
        (2028, None, "成功注册"),
        (2030, None, "省内外知名"),
    ]


def test_safety_accidents_is_zero_everywhere(by_name):
    accidents = by_name["安全生产事故"]
    assert accidents["kind"] == "zero_event"
    assert accidents["direction"] == "lower"
    assert _dec(accidents["baseline"]) == Decimal("0")
    assert [(t["year"], _dec(t["value"])) for t in accidents["targets"]] == [
        (2028, Decimal("0")),
        (2030, Decimal("0")),
    ]


# --- departments -------------------------------------------------------------------------

ALL_DEPARTMENTS = {
    "县科工局",
    "县发展改革局",
    "县政务和数据局",
    "县投促中心",
    "县市场监管局",
    "县人社局",
    "各镇",
    "县统计局",
    "县总工会",
    "县交通运输局",
    "县邮政公司",
    "陆河高新区管委会",
    "县政府（金融）",
    "县农业农村局",
    "县自然资源局",
    "县教育局",
    "县工商联",
    "县委宣传部",
    "县文广旅体局",
    "市生态环境局陆河分局",
    "县住房城乡建设局",
    "县财政局",
}


def test_the_22_departments_named_in_the_plan(api):
    response = api.get(DEPARTMENTS_URL)
    assert response.status_code == 200
    names = [d["name"] for d in response.json()]
    assert len(names) == 22
    assert len(set(names)) == 22
    assert set(names) == ALL_DEPARTMENTS


def test_towns_and_the_finance_office_are_units(api):
    kinds = {d["name"]: d["kind"] for d in api.get(DEPARTMENTS_URL).json()}
    assert kinds["各镇"] == "town"
    assert [name for name, kind in kinds.items() if kind == "town"] == ["各镇"]
    assert "县政府（金融）" in kinds
    assert "县政府(金融)" not in kinds


# --- the 重点工程 tasks ----------------------------------------------------------------------

# (工程, 任务, 牵头单位, inferred, 责任单位 in printed order).
PLAN_TASKS = [
    ("制造企业培育工程", "培育壮大领航企业", "县科工局", False, ["县发展改革局"]),
    (
        "制造企业培育工程",
        "加快数字转型升级",
        "县科工局",
        False,
        ["县政务和数据局", "县发展改革局"],
    ),
    ("制造企业培育工程", "建设智能示范工厂", "县科工局", False, ["县发展改革局"]),
    (
        "电商企业培育工程",
        "培育壮大电商主体",
        "县科工局",
        False,
        ["县投促中心", "县市场监管局", "县人社局", "各镇"],
    ),
    (
        "贸易市场多元发展工程",
        "深耕线下实体市场",
        "县科工局",
        False,
        ["县统计局", "县总工会"],
    ),
    (
        "贸易市场多元发展工程",
        "壮大线上市场规模",
        "县科工局",
        False,
        ["县交通运输局", "县市场监管局", "县邮政公司"],
    ),
    (
        "现代物流网络建设工程",
        "建设高效集约物流",
        "县交通运输局",
        False,
        ["县发展改革局", "县科工局", "陆河高新区管委会", "县邮政公司", "各镇"],
    ),
    (
        "构建全产业链生态工程",
        "加快建链补链强链",
        "县投促中心",
        False,
        ["县科工局", "县发展改革局", "陆河高新区管委会", "各镇"],
    ),
    (
        "构建全产业链生态工程",
        "推进产业集聚发展",
        "县政府（金融）",
        True,
        [
            "县科工局",
            "陆河高新区管委会",
            "县发展改革局",
            "县农业农村局",
            "县自然资源局",
            "县人社局",
            "各镇",
        ],
    ),
    (
        "产业设计研发提升工程",
        "强化企业自主创新",
        "县科工局",
        False,
        ["县发展改革局", "县人社局", "县市场监管局"],
    ),
    (
        "产业设计研发提升工程",
        "提升协同创新能力",
        "县科工局",
        True,
        ["县教育局", "县人社局", "县市场监管局"],
    ),
    (
        "产业设计研发提升工程",
        "建设公共服务平台",
        "县科工局",
        True,
        ["县发展改革局", "县市场监管局", "县人社局", "县工商联", "县政务和数据局"],
    ),
    (
        "特色品牌文化提升工程",
        "提升品牌质量标准",
        "县市场监管局",
        True,
        ["县委宣传部", "县科工局"],
    ),
    (
        "特色品牌文化提升工程",
        "打造特色服装文化",
        "县文广旅体局",
        True,
        ["县委宣传部", "县市场监管局", "县农业农村局", "县科工局"],
    ),
    (
        "特色品牌文化提升工程",
        "营造浓厚文化氛围",
        "县委宣传部",
        True,
        ["县文广旅体局", "县科工局", "县人社局"],
    ),
    (
        "要素保障助力发展工程",
        "大力推动节能环保",
        "市生态环境局陆河分局",
        True,
        ["县发展改革局", "县科工局", "县自然资源局", "陆河高新区管委会"],
    ),
    (
        "要素保障助力发展工程",
        "推进用地集约利用",
        "县自然资源局",
        False,
        ["县发展改革局", "县科工局", "县住房城乡建设局", "陆河高新区管委会", "各镇"],
    ),
    (
        "要素保障助力发展工程",
        "强化企业用工对接",
        "县人社局",
        False,
        ["县教育局", "县总工会", "各镇"],
    ),
    (
        "要素保障助力发展工程",
        "健全政策帮扶机制",
        "县财政局",
        True,
        ["县科工局", "县发展改革局", "县政务和数据局"],
    ),
]


def test_tasks_match_plan_in_order(tasks):
    assert len(tasks) == 19
    for expected, task in zip(PLAN_TASKS, tasks, strict=True):
        project, name, lead, inferred, responsible = expected
        assert task["name"] == name
        assert task["project"] == project, name
        assert task["lead_departments"] == [{"name": lead, "inferred": inferred}], name
        assert task["responsible_departments"] == responsible, name


def test_eight_projects_in_plan_order(tasks):
    projects = []
    for task in tasks:
        if task["project"] not in projects:
            projects.append(task["project"])
    assert projects == [
        "制造企业培育工程",
        "电商企业培育工程",
        "贸易市场多元发展工程",
        "现代物流网络建设工程",
        "构建全产业链生态工程",
        "产业设计研发提升工程",
        "特色品牌文化提升工程",
        "要素保障助力发展工程",
    ]


def test_inferred_leads_are_exactly_the_joint_clauses(tasks):
    for task in tasks:
        joint = "按职责分工负责" in task["clause"]
        assert [d["inferred"] for d in task["lead_departments"]] == [joint], task["name"]


def test_every_task_department_is_a_known_unit(tasks):
    for task in tasks:
        for lead in task["lead_departments"]:
            assert lead["name"] in ALL_DEPARTMENTS, task["name"]
        for name in task["responsible_departments"]:
            assert name in ALL_DEPARTMENTS, task["name"]


# --- indicator <-> task links ------------------------------------------------------------

# 指标 (printed name) -> the task whose text states its target.
PLAN_LINKS = {
    "规上企业数量（家）": "培育壮大领航企业",
    "亿元以上企业（家）": "培育壮大领航企业",
    "数字化管理系统应用企业（家）": "加快数字转型升级",
    "自动化生产工厂/车间（个）": "建设智能示范工厂",
    "限上批发和零售企业（家）": "深耕线下实体市场",
    "电子商务交易额（亿元）": "壮大线上市场规模",
    "产业项目新引进累计数（个）": "加快建链补链强链",
    "相关市场主体总数（家）": "推进产业集聚发展",
    "高新技术企业（家）": "强化企业自主创新",
    "自主品牌数量（个）": "提升品牌质量标准",
    "区域品牌知名度": "提升品牌质量标准",
    "从业人员（万人）": "强化企业用工对接",
    "县外引进熟练工累计（人）": "强化企业用工对接",
    "净流入人数（人）": "强化企业用工对接",
}

UNASSIGNED = {
    "全产业链总产值（亿元）",
    "全县GDP占比（%）",
    "规上工业产值占全县规上工业比重（%）",
    "跨境电商主体（家）",
    "乡贤企业数（家）",
    "生产性服务企业引育数（设计、物流等）（家）",
    "中级以上职业技能人才（人）",
    "特殊群体就业数（人）",
    "产业人均工资（元/月）",
    "城乡人均可支配收入增速（%）",
    "30万元以上行政村数量（个）",
    "50万元以上行政村数量（个）",
    "100万元以上行政村数量（个）",
    "安全生产事故",
    "刑事治安警情增速（%）",
    "信访量增速（%）",
}


def test_links_and_unassigned_cover_all_30_rows():
    assert len(PLAN_LINKS) == 14
    assert len(UNASSIGNED) == 16
    assert set(PLAN_LINKS) | UNASSIGNED == {row[1] for row in PLAN_TABLE}


def test_linked_indicators_take_departments_from_their_task(by_name):
    tasks_by_name = {t[1]: t for t in PLAN_TASKS}
    for printed_name, task_name in PLAN_LINKS.items():
        _, _, lead, _, responsible = tasks_by_name[task_name]
        indicator = by_name[printed_name]
        assert indicator["lead_departments"] == [lead], printed_name
        assert sorted(indicator["responsible_departments"]) == sorted(responsible), printed_name
        assert indicator["data_source_departments"] == [lead], printed_name


def test_named_leads_of_linked_indicators(by_name):
    assert by_name["规上企业数量（家）"]["lead_departments"] == ["县科工局"]
    assert by_name["规上企业数量（家）"]["responsible_departments"] == ["县发展改革局"]
    assert by_name["亿元以上企业（家）"]["lead_departments"] == ["县科工局"]
    assert by_name["产业项目新引进累计数（个）"]["lead_departments"] == ["县投促中心"]
    assert by_name["相关市场主体总数（家）"]["lead_departments"] == ["县政府（金融）"]
    assert by_name["自主品牌数量（个）"]["lead_departments"] == ["县市场监管局"]
    assert by_name["区域品牌知名度"]["lead_departments"] == ["县市场监管局"]
    assert by_name["从业人员（万人）"]["lead_departments"] == ["县人社局"]


def test_tasks_list_the_indicators_their_text_states(tasks, indicators):
    name_of_code = {i["code"]: _printed_name(i) for i in indicators}
    linked = {}
    for task in tasks:
        for code in task["indicators"]:
            linked[name_of_code[code]] = task["name"]
    assert linked == PLAN_LINKS


def test_unassigned_indicators_have_no_departments(by_name):
    for printed_name in UNASSIGNED:
        indicator = by_name[printed_name]
        assert indicator["lead_departments"] == [], printed_name
        assert indicator["responsible_departments"] == [], printed_name
        assert indicator["data_source_departments"] == [], printed_name


# --- plans --------------------------------------------------------------------------------


def test_list_of_plans(api):
    response = api.get(PLANS_URL)
    assert response.status_code == 200
    plans = response.json()
    assert len(plans) == 1
    plan = plans[0]
    assert plan["slug"] == "luhe-garment"
    assert plan["county"] == "陆河县"
    assert plan["baseline_year"] == 2025
    assert plan["milestone_years"] == [2028, 2030, 2035]
    assert "陆河县服装产业高质量发展" in plan["name"]
    assert "征求意见稿" in plan["name"]
