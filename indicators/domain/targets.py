"""Reading a target cell as a plan table prints it (domain.md §9).

A plan's table prints 60, ≥95, 控制在5.5%以内, 6—6.5, 年均增长6%, 完成市下达任务 or 稳步提高
in the same column. ``read_target`` turns one such cell into a ``TargetText``: the text
exactly as printed (shown wherever the target is shown) plus its form and numbers. It is
pure: no models, no database, no settings; Decimal only, never float.

Choices made where domain.md §9 and the issue are silent (each one is tested in
tests/test_target_text.py):

1. Order of reading: a text equal to one of the indicator's stages wins (even one with
   digits); then 零发生 (plain 0, no stage); then the worded forms (assigned, relative);
   then a text without any digit is qualitative; then the numeric forms. A text with a
   digit that fits no numeric form is refused, never guessed as qualitative.
2. A text with neither a digit nor a letter ("-", "%", "≥") is refused: a dash in a
   target column means "no target", which the caller must handle, not a judgement.
3. One qualifier per number: "7%以上左右", "不低于95以上" and "6—6.5左右" are refused.
4. 超 alone (as in the plan's 超10家) reads as 超过: strict at_least.
5. ‰ is accepted like % (``percent`` stays False: it records % only). The two ends of a
   range, and a value and its ± tolerance, must not print different marks (% against ‰).
6. "T±δ" is the one way a text states a tolerance: about T with tolerance δ > 0.
7. 年均 and 累计 take an unsigned number: the verb (增长 / 增速 / 下降 / 降低) carries the
   sign; 增速 is accepted because the plan itself prints 城乡人均可支配收入年均增速10%.
   They accept a trailing 以上, which says no more than "meets T" already does; any other
   qualifier (左右, 以下, …) is refused. 年均X without a verb is growth, as the issue says.
   累计X without a verb (§9's own example: 单位GDP能耗降低 累计13.5%) leaves ``compound``
   None: the text does not say, the indicator does (its name, its direction), so the
   engine decides rather than this reader guessing growth for an energy-use reduction.
8. Thousands separators are ASCII commas between groups of exactly three digits; a number
   needs a digit before its decimal point (".5" and "5." are refused).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

PLAIN, AT_LEAST, AT_MOST, ABOUT, BETWEEN, PER_YEAR, TOTAL, ASSIGNED, RELATIVE, QUALITATIVE = (
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
FORMS = (PLAIN, AT_LEAST, AT_MOST, ABOUT, BETWEEN, PER_YEAR, TOTAL, ASSIGNED, RELATIVE, QUALITATIVE)
LIMIT_FORMS = (AT_LEAST, AT_MOST, ABOUT, BETWEEN)
GROWTH, REDUCTION = "growth", "reduction"

ZERO_EVENTS = "零发生"
PERCENT_MARKS = ("%", "％")


@dataclass(frozen=True)
class TargetText:
    """One target cell: the printed text and what it asks for (domain.md §9)."""

    text: str
    form: str
    value: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    strict: bool = False
    tolerance: Decimal | None = None
    compound: str | None = None
    stage: str | None = None
    percent: bool = False
    assigned_by: str = ""
    reference: str = ""

    @property
    def direction(self) -> int | None:
        """+1 or −1 when the form itself says which way is better (§9), else None."""
        return {AT_LEAST: 1, AT_MOST: -1}.get(self.form)


class TargetTextError(ValueError):
    """A cell that cannot be read; ``message`` is a translated sentence naming the text."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Numbers --------------------------------------------------------------------------------

_SIGNS = "-−－"
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"


def _number(name: str, signed: bool = True) -> str:
    """A named number with its optional % / ‰ mark, as a regex fragment."""
    sign = f"[{_SIGNS}]?" if signed else ""
    return rf"(?P<{name}>{sign}{_DIGITS})\s*(?P<{name}_mark>[%％‰]?)"


def _decimal(printed: str) -> Decimal:
    """The exact value of a number matched by ``_number``."""
    for sign in _SIGNS:
        printed = printed.replace(sign, "-")
    return Decimal(printed.replace(",", ""))


def _marks(match: re.Match, *names: str) -> list[str]:
    return [match[f"{name}_mark"] for name in names if match[f"{name}_mark"]]


def _percent(match: re.Match, *names: str) -> bool:
    return any(mark in PERCENT_MARKS for mark in _marks(match, *names))


def _same_marks(match: re.Match, *names: str) -> bool:
    """% and ‰ are different units: one number may not print one and the next the other."""
    kinds = {mark in PERCENT_MARKS for mark in _marks(match, *names)}
    return len(kinds) <= 1


def _alternatives(words) -> str:
    """A regex alternation trying longer words first, so 不超过 is not read as 超过."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# Limits: the word decides the form; §9 decides which words include the number. ------------

_BEFORE = {
    "≥": (AT_LEAST, False),
    ">=": (AT_LEAST, False),
    "≧": (AT_LEAST, False),
    ">": (AT_LEAST, True),
    "＞": (AT_LEAST, True),
    "不低于": (AT_LEAST, False),
    "不少于": (AT_LEAST, False),
    "超过": (AT_LEAST, True),
    "超": (AT_LEAST, True),
    "高于": (AT_LEAST, True),
    "≤": (AT_MOST, False),
    "<=": (AT_MOST, False),
    "≦": (AT_MOST, False),
    "<": (AT_MOST, True),
    "＜": (AT_MOST, True),
    "不高于": (AT_MOST, False),
    "不超过": (AT_MOST, False),
    "低于": (AT_MOST, True),
    "不满": (AT_MOST, True),
}
_AFTER = {"以上": (AT_LEAST, False), "以下": (AT_MOST, False), "以内": (AT_MOST, False)}
_RANGE_SEPARATORS = ("——", "—", "–", "-", "－", "~", "～", "〜", "至")
_VERBS = {"增长": GROWTH, "增速": GROWTH, "下降": REDUCTION, "降低": REDUCTION}

_PLAIN_RE = re.compile(_number("value"))
_BEFORE_RE = re.compile(rf"(?P<word>{_alternatives(_BEFORE)})\s*{_number('value')}")
_AFTER_RE = re.compile(rf"{_number('value')}\s*(?P<word>{_alternatives(_AFTER)})")
_CONTROL_RE = re.compile(rf"控制在\s*{_number('value')}\s*(?:以内|以下)")
_ABOUT_RE = re.compile(rf"{_number('value')}\s*左右")
_TOLERANCE_RE = re.compile(rf"{_number('value')}\s*±\s*{_number('tolerance', signed=False)}")
_BETWEEN_RE = re.compile(
    rf"{_number('lower')}\s*(?:{_alternatives(_RANGE_SEPARATORS)})\s*{_number('upper')}"
)
_COMPOUND_RE = re.compile(
    rf"(?P<over>年均|累计)\s*(?P<verb>{_alternatives(_VERBS)})?\s*"
    rf"{_number('value', signed=False)}\s*(?:以上)?"
)
_ASSIGNED_RE = re.compile(r"完成(?P<by>市|省|上级)?下达的?(?:目标任务|任务|目标)")
_RELATIVE_RE = re.compile(r"与(?P<reference>.+?)(?:基本)?同步")


def read_target(text: str, stages: tuple[str, ...] = ()) -> TargetText:
    """Read one cell into its §9 form, or raise TargetTextError rather than guess."""
    text = text.strip()
    if not text:
        raise TargetTextError(_("The target is empty."))
    if text in stages:
        return TargetText(text, PLAIN, stage=text)
    if text == ZERO_EVENTS:
        return TargetText(text, PLAIN, value=Decimal(0))
    for reader in (_read_assigned, _read_relative):
        if found := reader(text):
            return found
    if not any(char.isdigit() for char in text):
        return _read_qualitative(text)
    for reader in _NUMERIC_READERS:
        if found := reader(text):
            return found
    raise _unreadable(text)


def _unreadable(text: str) -> TargetTextError:
    return TargetTextError(_("Cannot read the target “%(text)s”.") % {"text": text})


def _single(text: str, form: str, match: re.Match, **extra) -> TargetText:
    """A form with one number T, matched as the group ``value``."""
    value, percent = _decimal(match["value"]), _percent(match, "value")
    return TargetText(text, form, value=value, percent=percent, **extra)


def _read_qualitative(text: str) -> TargetText:
    """A phrase is a reviewer's judgement; punctuation alone ("-") is no target at all."""
    if not any(char.isalpha() for char in text):
        raise _unreadable(text)
    return TargetText(text, QUALITATIVE)


def _read_assigned(text: str) -> TargetText | None:
    if match := _ASSIGNED_RE.fullmatch(text):
        return TargetText(text, ASSIGNED, assigned_by=match["by"] or "")
    return None


def _read_relative(text: str) -> TargetText | None:
    if match := _RELATIVE_RE.fullmatch(text):
        return TargetText(text, RELATIVE, reference=match["reference"])
    return None


def _read_plain(text: str) -> TargetText | None:
    if match := _PLAIN_RE.fullmatch(text):
        return _single(text, PLAIN, match)
    return None


def _read_limit(text: str) -> TargetText | None:
    """≥95, 不低于95, 95以上, 超过7, 5.5以内, <3: at_least or at_most, strict or not."""
    for pattern, words in ((_BEFORE_RE, _BEFORE), (_AFTER_RE, _AFTER)):
        if match := pattern.fullmatch(text):
            form, strict = words[match["word"]]
            return _single(text, form, match, strict=strict)
    if match := _CONTROL_RE.fullmatch(text):
        return _single(text, AT_MOST, match)
    return None


def _read_about(text: str) -> TargetText | None:
    """6左右 leaves the tolerance to the engine's defaults; 6±0.5 states it."""
    if match := _ABOUT_RE.fullmatch(text):
        return _single(text, ABOUT, match)
    match = _TOLERANCE_RE.fullmatch(text)
    if not match:
        return None
    tolerance = _decimal(match["tolerance"])
    if tolerance <= 0 or not _same_marks(match, "value", "tolerance"):
        raise _unreadable(text)
    value = _decimal(match["value"])
    percent = _percent(match, "value", "tolerance")
    return TargetText(text, ABOUT, value=value, tolerance=tolerance, percent=percent)


def _read_between(text: str) -> TargetText | None:
    """6—6.5 and its many dashes; the lower bound must come first and be lower."""
    match = _BETWEEN_RE.fullmatch(text)
    if not match:
        return None
    lower, upper = _decimal(match["lower"]), _decimal(match["upper"])
    if not _same_marks(match, "lower", "upper"):
        raise _unreadable(text)
    if lower >= upper:
        raise TargetTextError(
            _("The range “%(text)s” must go from the lower number to the higher one.")
            % {"text": text}
        )
    percent = _percent(match, "lower", "upper")
    return TargetText(text, BETWEEN, lower=lower, upper=upper, percent=percent)


def _read_compound(text: str) -> TargetText | None:
    """年均增长6%, 年均下降3%, 累计降低13.5%: a compound yearly rate (§9 step 3)."""
    match = _COMPOUND_RE.fullmatch(text)
    if not match:
        return None
    form = PER_YEAR if match["over"] == "年均" else TOTAL
    compound = _VERBS.get(match["verb"] or "", GROWTH if form == PER_YEAR else None)
    return _single(text, form, match, compound=compound)


_NUMERIC_READERS = (_read_plain, _read_limit, _read_about, _read_between, _read_compound)


def misfit(read: TargetText, kind: str) -> str | None:
    """Why a target's form does not suit the indicator's kind (domain.md §3, §9), or None.

    A compound yearly or total rate only means something for a growth-rate indicator, a stage
    only for a milestone indicator, and a count of events has no target but 零发生, which
    means nothing for any other kind.
    """
    if read.form in (PER_YEAR, TOTAL) and kind != "rate":
        problem = _("“%(text)s” is a yearly or total rate: the indicator's kind must be rate")
    elif kind == "milestone" and read.stage is None:
        problem = _("a milestone indicator's target is one of its stages, not “%(text)s”")
    elif kind != "milestone" and read.stage is not None:
        problem = _("“%(text)s” is a stage: the indicator's kind must be milestone")
    elif kind == "zero_event" and not (read.form == PLAIN and read.value == 0):
        problem = _("a zero-event indicator's target is 零发生 or 0, not “%(text)s”")
    elif kind != "zero_event" and read.text == ZERO_EVENTS and read.stage is None:
        problem = _("“%(text)s” counts events: the indicator's kind must be zero_event")
    else:
        return None
    return problem % {"text": read.text}
