"""The written summary of where a set of indicators stands, in the style of an evaluation report:
"30项指标中，已完成阶段目标3项，快于序时进度2项，……，暂无数据5项。"

Pure: status counts (from the progress engine, via `selectors.status_counts`) in, text out. No
ORM, no request; only gettext, so the same counts read in Chinese or in English.

Which statuses the sentence names, in the report order of `statuses.STATUS_ORDER`:
- the seven of the usual evaluation sentence (已完成阶段目标, 快于序时进度, 符合序时进度, 滞后,
  严重滞后, 倒退, 暂无数据) always, zeros included: "倒退0项" is itself a finding, and successive
  reports then list the same items;
- 已完成终期目标, 未达标, 逾期未完成 and 推进中 only when at least one indicator has that status:
  they belong to particular kinds of indicator (zero events, milestone stages) or to the end of
  the plan, and "0项" of them would only lengthen the sentence.
Every clause is one translatable message with a %(count)s placeholder (the sentence says "滞后",
not the longer status label "滞后于序时进度"), and the clauses are joined by translatable
separators, so no word order is fixed in code.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from indicators import progress as p
from indicators.formatting import rounded
from indicators.statuses import STATUS_ORDER

# One clause per status; English reads "…, 4 on schedule, 2 behind schedule, …".
CLAUSES = {
    p.ACHIEVED_FINAL: gettext_lazy("%(count)s achieved the final target"),
    p.ACHIEVED_MILESTONE: gettext_lazy("%(count)s achieved the milestone target"),
    p.AHEAD: gettext_lazy("%(count)s ahead of schedule"),
    p.ON_TRACK: gettext_lazy("%(count)s on schedule"),
    p.BEHIND: gettext_lazy("%(count)s behind schedule"),
    p.FAR_BEHIND: gettext_lazy("%(count)s far behind schedule"),
    p.REGRESSING: gettext_lazy("%(count)s regressing"),
    p.FAILED: gettext_lazy("%(count)s missed the target"),
    p.OVERDUE: gettext_lazy("%(count)s overdue"),
    p.IN_PROGRESS: gettext_lazy("%(count)s in progress"),
    p.NO_DATA: gettext_lazy("%(count)s without data"),
}

# Named even when none has them (see the module docstring).
ALWAYS_NAMED = frozenset(
    {p.ACHIEVED_MILESTONE, p.AHEAD, p.ON_TRACK, p.BEHIND, p.FAR_BEHIND, p.REGRESSING, p.NO_DATA}
)


def clauses(counts: dict[str, int]) -> list[str]:
    """The sentence's clauses, in report order (see the module docstring for which ones)."""
    return [
        str(CLAUSES[status]) % {"count": counts.get(status, 0)}
        for status in STATUS_ORDER
        if status in ALWAYS_NAMED or counts.get(status, 0)
    ]


def join(items: list[str]) -> str:
    """'a, b and c' in English, 'a，b，c' in Chinese: both separators are translated."""
    if len(items) < 2:
        return "".join(items)
    head = pgettext("list separator", ", ").join(items[:-1])
    return pgettext("list", "%(items)s and %(last)s") % {"items": head, "last": items[-1]}


def status_sentence(counts: dict[str, int]) -> str:
    """The summary of a set of indicators from its status counts ("30项指标中，……。").

    The total is the sum of the counts, so the clauses always add up to it.
    """
    total = sum(counts.values())
    if not total:
        return _("There are no indicators to summarise.")
    text = ngettext(
        "Of %(total)s indicator, %(clauses)s.",
        "Of the %(total)s indicators, %(clauses)s.",
        total,
    )
    return text % {"total": total, "clauses": join(clauses(counts))}


def percent(share: Decimal | None) -> str | None:
    """A share (0.25) as a percentage for display ("25"), to one decimal place at most."""
    return None if share is None else rounded(share * 100, 1)


def time_sentence(milestone_year: int | None, share: Decimal | None) -> str:
    """The time progress toward the next milestone (序时进度): "距2028年目标时间已过 25%"."""
    if milestone_year is None or share is None:
        return _("The plan has no milestone year.")
    return _("%(percent)s%% of the time to the %(year)s target has passed") % {
        "percent": percent(share),
        "year": milestone_year,
    }
