"""Rules for Chinese administrative region codes (行政区划代码). Pure: plain values in and out.

Province, city and county codes follow GB/T 2260: six digits, two for the province, two for the
city, two for the county, so a code's zeros say its level (440000 广东省, 441500 汕尾市,
441523 陆河县). Town codes (乡镇, GB/T 10114 as used in the statistics bureau's list) add three
digits to the county's code: nine digits in all.

The hierarchy is not a strict ladder, and these rules allow the two real exceptions:
  - a county may sit directly under a province: the districts of the four municipalities
    (东城区 110101 under 北京市 110000) and the 省直辖县级行政单位 (济源市 419001 under 河南省
    410000). The statistics bureau's placeholders (110100 市辖区, 419000 省直辖县级行政区划)
    are not regions in the Ministry of Civil Affairs' list, so nothing here requires them;
  - a town may sit directly under a city that has no counties (东莞市 441900, 中山市 442000,
    儋州市 460400, 嘉峪关市 620200), e.g. 441900003 under 东莞市.

Each check returns a list of messages for a person, empty when all is well, so a form or an
import can show every problem at once instead of stopping at the first.
"""

from typing import Final, Literal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

Level = Literal["province", "city", "county", "town"]

PROVINCE: Final = "province"
CITY: Final = "city"
COUNTY: Final = "county"
TOWN: Final = "town"
LEVELS: Final[tuple[str, ...]] = (PROVINCE, CITY, COUNTY, TOWN)

# Lazy, because this is read at import time, before any language is active. The context keeps
# these msgids apart from the plain "county" the catalogue already has for a plan's county
# (县（区）); as levels they read 省级, 市级, 县级, 乡镇级.
LEVEL_LABELS: Final = {
    PROVINCE: pgettext_lazy("region level", "province"),
    CITY: pgettext_lazy("region level", "city"),
    COUNTY: pgettext_lazy("region level", "county"),
    TOWN: pgettext_lazy("region level", "town"),
}

CODE_LENGTHS: Final = {PROVINCE: 6, CITY: 6, COUNTY: 6, TOWN: 9}

# The levels a region of each level may sit directly under (see the module docstring).
PARENT_LEVELS: Final = {
    PROVINCE: (),
    CITY: (PROVINCE,),
    COUNTY: (CITY, PROVINCE),
    TOWN: (COUNTY, CITY),
}

# How many leading digits of a parent's code its children share: a province's first two, a
# city's first four, a county's whole six.
SIGNIFICANT_DIGITS: Final = {PROVINCE: 2, CITY: 4, COUNTY: 6}


def check_code(code: str, level: str) -> list[str]:
    """Why `code` cannot be the code of a region of `level`; empty when it can.

    Only the shape is judged, not whether the region exists: that needs the national list.
    """
    if level not in LEVELS:
        return [_unknown_level(level)]
    length = CODE_LENGTHS[level]
    if not _is_ascii_digits(code, length):
        return [
            _("The code %(code)s of a %(level)s must be exactly %(length)d digits 0-9.")
            % {"code": _shown(code), "level": LEVEL_LABELS[level], "length": length}
        ]
    if code.startswith("00"):
        return [
            _("The code %(code)s starts with 00: no province has that number.") % {"code": code}
        ]
    return _level_shape(code, level)


def check_parent(
    code: str, level: str, parent_code: str | None, parent_level: str | None
) -> list[str]:
    """Why the region (`code`, `level`) cannot sit directly under (`parent_code`,
    `parent_level`); empty when it can. No parent (None or "") is allowed for a province only.

    Judges the relation alone: run check_code on both codes as well (check_region does both).
    """
    if level not in LEVELS:
        return [_unknown_level(level)]
    if parent_level is not None and parent_level not in LEVELS:
        return [_unknown_level(parent_level)]
    names = {
        "code": _shown(code),
        "level": LEVEL_LABELS[level],
        "parent": _shown(parent_code),
        "parent_level": LEVEL_LABELS.get(parent_level, ""),
    }
    if not parent_code:
        if level == PROVINCE:
            return []
        return [_("The %(level)s %(code)s needs a parent: only a province has none.") % names]
    if parent_level is None:
        return [_("The parent %(parent)s of %(code)s has no level.") % names]
    if level == PROVINCE:
        return [
            _("The province %(code)s cannot sit under the %(parent_level)s %(parent)s.") % names
        ]
    if parent_level not in PARENT_LEVELS[level]:
        return [
            _("A %(level)s (%(code)s) cannot sit under a %(parent_level)s (%(parent)s).") % names
        ]
    prefix = parent_code[: SIGNIFICANT_DIGITS[parent_level]]
    if not code.startswith(prefix):
        return [
            _(
                "The %(level)s %(code)s cannot sit under the %(parent_level)s %(parent)s: "
                "its code must start with %(prefix)s."
            )
            % {**names, "prefix": prefix}
        ]
    return []


def check_region(
    code: str, level: str, parent_code: str | None = None, parent_level: str | None = None
) -> list[str]:
    """All the messages for one region and its parent: its code, the parent's code, and the
    relation (judged only once both codes are well formed, so one typo gives one message)."""
    messages = check_code(code, level)
    if parent_code:
        messages += check_code(parent_code, parent_level) if parent_level else []
    if not messages:
        messages = check_parent(code, level, parent_code, parent_level)
    return messages


def level_of(code: str) -> str | None:
    """The one level whose shape `code` fits, or None: the zeros decide it, which is what lets
    an import take a bare code list (a 6-digit code ending in 0000 can only be a province)."""
    return next((level for level in LEVELS if not check_code(code, level)), None)


def _level_shape(code: str, level: str) -> list[str]:
    """The level-specific rule on a code already known to be the right number of digits."""
    names = {"code": code}
    if level == PROVINCE and not code.endswith("0000"):
        return [_("The province code %(code)s must end in 0000.") % names]
    if level == CITY and (not code.endswith("00") or code.endswith("0000")):
        return [_("The city code %(code)s must end in 00 but not in 0000.") % names]
    if level == COUNTY and code.endswith("00"):
        return [_("The county code %(code)s must not end in 00.") % names]
    if level == TOWN and code.endswith("000"):
        return [_("The town code %(code)s must not end in 000.") % names]
    return []


def _is_ascii_digits(code: object, length: int) -> bool:
    """True for exactly `length` characters 0–9. str.isdigit alone would let full-width
    digits (４４００００) and superscripts through, which no database lookup would match."""
    return isinstance(code, str) and len(code) == length and code.isascii() and code.isdigit()


def _shown(code: object) -> str:
    """A code as a person should see it in a message: as it is when plain digits, otherwise
    quoted, so that spaces, blanks and look-alike characters show."""
    if isinstance(code, str) and code.isascii() and code.isdigit():
        return code
    return f"“{code if code is not None else ''}”"


def _unknown_level(level: object) -> str:
    return _("Unknown region level %(level)s.") % {"level": _shown(level)}
