"""What an indicator's figure measures, read from its unit, its name and its kind.

The check of a reported value (validation.py) bounds a figure by what it measures:

- COUNT: things counted one by one (家, 个, 栋, 起 …): whole numbers.
- RATE_LIKE: a change or a ratio in % or ‰ (增速, 自然增长率, 研发投入强度): may be negative.
- SHARE: a part of a whole in % or ‰ (城镇化率, 森林覆盖率, 占比, 比重): 0 to the whole.
- AMOUNT: everything else (元, 万元, 万亩, 万人, 人 per thousand, unknown units): a quantity.

An unknown or empty unit is an AMOUNT, so a plan is never refused for the unit it uses.
"""

from indicators.domain.progress import RATE, ZERO_EVENT

COUNT, RATE_LIKE, SHARE, AMOUNT = "count", "rate", "share", "amount"

PERCENT, PER_MILLE = "%", "‰"
# Units of things counted one by one. Only the bare word counts: 万人, 万户, 人/千人 and the
# like are amounts (tens of thousands, densities), where decimals are normal.
# fmt: off
COUNT_UNITS = frozenset((
    "家", "个", "人", "户", "栋", "起", "项", "件", "所", "座", "台", "辆", "次", "名",
    "位", "只", "头", "张", "床", "套", "宗", "处", "条", "场", "人次", "户次", "篇",
    "部", "株", "棵", "艘", "间",
))
# A count unit under such a name is a density or an average (每千人口执业医师数 2.45 人).
DENSITY_WORDS = (
    "每千", "每万", "每百", "每十万", "千人口", "万人口", "百人口", "人均", "户均", "平均",
)
# fmt: on
# The share rule: a % or ‰ figure is a SHARE when its name has a SHARE_WORD and neither a
# CHANGE_WORD nor an UNBOUNDED_RATIO; otherwise it is RATE_LIKE.
SHARE_WORDS = ("率", "占比", "比重", "比例", "份额")
# A change of something: may be negative (人口自然增长率, 单位GDP能耗下降率, 增速, 增幅).
CHANGE_WORDS = ("增长", "增速", "增幅", "下降", "降低", "减少", "提高", "提升", "变化", "变动")
# Ratios named 率 that really pass 100%: 债务率, 投资完成率 105%, 毛入学率 102%, 贡献率 −20%.
UNBOUNDED_RATIOS = ("贡献率", "完成率", "债务率", "毛入学率", "周转率")
# Spellings of the same unit found in real tables.
_SPELLINGS = str.maketrans({"％": PERCENT, "（": "", "）": "", "(": "", ")": "", " ": ""})


def measure_of(unit: str, name: str, kind: str) -> str:
    """COUNT, RATE_LIKE, SHARE or AMOUNT: what a figure of this indicator measures."""
    if kind == RATE:  # a growth rate indicator, whatever its name
        return RATE_LIKE
    if kind == ZERO_EVENT:
        return COUNT
    unit = normal_unit(unit)
    if unit in (PERCENT, PER_MILLE):
        return SHARE if is_share(name) else RATE_LIKE
    if unit in COUNT_UNITS and not any(word in name for word in DENSITY_WORDS):
        return COUNT
    return AMOUNT


def normal_unit(unit: str) -> str:
    """The unit without spaces or brackets, with a full-width ％ read as %."""
    return (unit or "").translate(_SPELLINGS)


def is_share(name: str) -> bool:
    """Whether a % or ‰ indicator's name says it is a part of a whole (see SHARE_WORDS)."""
    if any(word in name for word in CHANGE_WORDS + UNBOUNDED_RATIOS):
        return False
    return any(word in name for word in SHARE_WORDS)
