"""The words of the reports: the status sentence on the overview and the written evaluation
summary, in the style of an evaluation report."""

from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from indicators.domain import progress as p
from indicators.domain import statuses
from indicators.domain.formatting import plain, rounded
from indicators.domain.periods import Period
from indicators.domain.statuses import STATUS_ORDER
from indicators.selectors.progress import status_counts

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
    p.TARGET_PENDING: gettext_lazy("%(count)s awaiting their target"),
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


def explanation_text(explanation) -> str:
    """A 滞后说明 in one line, as pages and the workbook print it (原因：…；措施：…；能否按期完成：
    有风险); empty where there is none."""
    if explanation is None:
        return ""
    will_meet = statuses.WILL_MEET_LABELS.get(explanation.will_meet, explanation.will_meet)
    return _("Cause: %(cause)s; measures: %(measures)s; milestone will be met: %(will_meet)s") % {
        "cause": explanation.cause,
        "measures": explanation.measures,
        "will_meet": will_meet,
    }


def percent_shown(share: Decimal | None) -> str | None:
    """A share (0.25) as a percentage for display ("25"), to one decimal place at most."""
    return None if share is None else rounded(share * 100, 1)


def time_sentence(milestone_year: int | None, share: Decimal | None) -> str:
    """The time progress toward the next milestone (序时进度): "距2028年目标时间已过 25%"."""
    if milestone_year is None or share is None:
        return _("The plan has no milestone year.")
    return _("%(percent)s%% of the time to the %(year)s target has passed") % {
        "percent": percent_shown(share),
        "year": milestone_year,
    }


MAX_NAMED = 10


GOOD = (p.ACHIEVED_FINAL, p.ACHIEVED_MILESTONE, p.AHEAD)


LAGGING = (p.BEHIND, p.FAR_BEHIND, p.REGRESSING)


# At or ahead of schedule: what an evaluation counts as "on course".
ON_COURSE = (*GOOD, p.ON_TRACK)


def evaluation_summary(rows, plan, year: int, quarter: int | None) -> list[str]:
    """The summary's paragraphs for the period (quarter None: the whole year)."""
    if not rows:
        return [status_sentence({})]
    paragraphs = [
        overview(rows, plan, year, quarter),
        good_news(rows),
        lagging(rows),
        safety_and_milestones(rows, year, quarter),
        data_gaps(rows, plan, year, quarter),
    ]
    return [text for text in paragraphs if text]


def half_up(value: Decimal, places: int) -> Decimal:
    """Rounded the way statistical reports round (四舍五入), as the workbook does too."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(share: Decimal) -> str:
    """A share (0.673) as a percentage to one decimal place ("67.3")."""
    return format(half_up(share * 100, 1), "f")


def listed(items) -> str:
    """Every item: 'a, b, c' in English, 'a、b、c' in Chinese ('' for none)."""
    items = list(items)
    if not items:
        return ""
    return reduce(lambda text, item: _("%(list)s, %(item)s") % {"list": text, "item": item}, items)


def enumerate_items(items: list[str]) -> str:
    """Like `listed`, but after MAX_NAMED items only how many more there are."""
    if len(items) > MAX_NAMED:
        return _("%(items)s and %(count)s more") % {
            "items": listed(items[:MAX_NAMED]),
            "count": len(items) - MAX_NAMED,
        }
    return listed(items)


def end_of(year: int, quarter: int | None) -> str:
    """The end of the period: "2026年第3季度末", "2026年末"."""
    if quarter is None:
        return _("the end of %(year)s") % {"year": year}
    return _("the end of %(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}


def lead_phrase(row) -> str:
    """ "lead: 县科工局、县人社局", or that the plan names none."""
    if not row.leads:
        return _("no lead department named")
    return _("lead: %(leads)s") % {"leads": enumerate_items(list(row.leads))}


def item(row, with_progress: bool = True) -> str:
    """An indicator with its lead department and, if asked, how far along the schedule it is:
    "全产业链总产值（为序时进度的66.7%，牵头单位：县科工局）"."""
    details = [lead_phrase(row)]
    status, ratio = row.progress.status, row.progress.ratio
    if with_progress and status == p.REGRESSING:
        details.insert(0, _("moved away from its baseline"))
    elif with_progress and status in (p.AHEAD, p.BEHIND, p.FAR_BEHIND) and ratio is not None:
        details.insert(0, _("%(percent)s%% of the schedule") % {"percent": percent(ratio)})
    joined = reduce(lambda a, b: _("%(first)s; %(second)s") % {"first": a, "second": b}, details)
    return _("%(name)s (%(details)s)") % {"name": row.indicator.name, "details": joined}


def groups(rows, wanted: tuple[str, ...]) -> list[str]:
    """One sentence per status in `wanted` that some indicator has, naming the indicators."""
    sentences = []
    for status in wanted:
        members = [row for row in rows if row.progress.status == status]
        if members:
            sentences.append(
                _("%(status)s (%(count)s): %(items)s.")
                % {
                    "status": statuses.status_label(status),
                    "count": len(members),
                    "items": enumerate_items([item(row) for row in members]),
                }
            )
    return sentences


def join_sentences(sentences: list[str]) -> str:
    """Sentences of one paragraph: a space apart in English, none in Chinese."""
    if not sentences:
        return ""
    return reduce(
        lambda text, s: _("%(first)s %(second)s") % {"first": text, "second": s}, sentences
    )


def overview(rows, plan, year: int, quarter: int | None) -> str:
    """Where the period sits on the plan's calendar, the status counts, the share on course."""
    sentences = []
    milestone, share = p.schedule_position(
        plan.baseline_year, plan.milestone_years, Period.of(year, quarter)
    )
    if milestone is not None:
        sentences.append(
            _(
                "As of %(period)s, %(percent)s%% of the time from the %(start)s baseline to "
                "the %(milestone)s targets has passed."
            )
            % {
                "period": end_of(year, quarter),
                "percent": percent(share),
                "start": plan.baseline_year,
                "milestone": milestone,
            }
        )
    sentences.append(status_sentence(status_counts(rows)))
    on_course = sum(1 for row in rows if row.progress.status in ON_COURSE)
    sentences.append(
        ngettext(
            "%(count)s indicator (%(percent)s%%) has reached its target or is on or ahead of "
            "schedule.",
            "%(count)s indicators (%(percent)s%%) have reached their targets or are on or "
            "ahead of schedule.",
            on_course,
        )
        % {"count": on_course, "percent": percent(Decimal(on_course) / len(rows))}
    )
    return join_sentences(sentences)


def good_news(rows) -> str:
    sentences = groups(rows, GOOD)
    if not sentences:
        return _("No indicator has reached a target or is ahead of schedule yet.")
    return join_sentences(sentences)


def lagging(rows) -> str:
    behind = [row for row in rows if row.progress.status in LAGGING]
    if not behind:
        return _("No indicator is behind schedule.")
    sentences = groups(rows, LAGGING)
    departments = list(dict.fromkeys(lead for row in behind for lead in row.leads))
    if departments:
        sentences.append(
            _("The lead departments concerned (%(departments)s) should speed up the work.")
            % {"departments": enumerate_items(departments)}
        )
    unassigned = sum(1 for row in behind if not row.leads)
    if unassigned:
        sentences.append(
            ngettext(
                "%(count)s of them has no lead department yet; one should be named.",
                "%(count)s of them have no lead department yet; one should be named for each.",
                unassigned,
            )
            % {"count": unassigned}
        )
    return join_sentences(sentences)


def safety_and_milestones(rows, year: int, quarter: int | None) -> str:
    sentences = []
    for row in rows:
        if row.indicator.kind == p.ZERO_EVENT:
            sentences.append(zero_event_sentence(row, year, quarter))
        elif row.indicator.kind == p.MILESTONE:
            sentences.append(milestone_sentence(row))
    return join_sentences(sentences)


def zero_event_sentence(row, year: int, quarter: int | None) -> str:
    progress, period = row.progress, end_of(year, quarter)
    name = row.indicator.name
    if progress.status == p.NO_DATA:
        return _("%(name)s: no figure has been reported up to %(period)s.") % {
            "name": name,
            "period": period,
        }
    if progress.status == p.FAILED:
        count = int(progress.value)
        return ngettext(
            "%(name)s: %(count)s event this year up to %(period)s; the target of none is missed.",
            "%(name)s: %(count)s events this year up to %(period)s; the target of none is missed.",
            count,
        ) % {"name": name, "count": count, "period": period}
    return _("%(name)s: none occurred this year up to %(period)s, as the plan requires.") % {
        "name": name,
        "period": period,
    }


def milestone_sentence(row) -> str:
    progress = row.progress
    values = {
        "name": row.indicator.name,
        "stage": row.stage,
        "year": progress.target_year,
        "target": progress.target_stage,
        "status": statuses.status_label(progress.status),
    }
    if progress.target_stage is None:
        if row.stage is None:
            return _("%(name)s: no stage has been reported (%(status)s).") % values
        return _("%(name)s has reached the stage “%(stage)s” (%(status)s).") % values
    if row.stage is None:
        return (
            _("%(name)s: no stage has been reported; the %(year)s target is “%(target)s”.") % values
        )
    return (
        _(
            "%(name)s has reached the stage “%(stage)s”; the %(year)s target is "
            "“%(target)s” (%(status)s)."
        )
        % values
    )


def data_gaps(rows, plan, year: int, quarter: int | None) -> str:
    """Missing figures, missing baselines, missing lead departments, figures to check."""
    period = end_of(year, quarter)
    sentences = [
        text
        for text in (
            _missing([r for r in rows if r.progress.status == p.NO_DATA], period),
            _no_baseline([r for r in rows if p.BASELINE_MISSING in r.progress.flags], plan),
            _no_lead([r for r in rows if not r.leads]),
            _to_check([r for r in rows if p.CHECK_DATA in r.progress.flags]),
        )
        if text
    ]
    if not sentences:
        return _(
            "Every indicator has a figure up to %(period)s, a baseline and a lead department."
        ) % {"period": period}
    return join_sentences(sentences)


def _missing(rows, period: str) -> str:
    if not rows:
        return ""
    return ngettext(
        "%(count)s indicator has no figure up to %(period)s: %(items)s; its lead "
        "department should report it.",
        "%(count)s indicators have no figure up to %(period)s: %(items)s; their lead "
        "departments should report them.",
        len(rows),
    ) % {"count": len(rows), "period": period, "items": _items(rows)}


def _no_baseline(rows, plan) -> str:
    if not rows:
        return ""
    return ngettext(
        "The plan prints no baseline for %(count)s indicator (%(items)s): the %(year)s "
        "figure stands in for it, or 0 when there is none.",
        "The plan prints no baseline for %(count)s indicators (%(items)s): the "
        "%(year)s figure stands in for each, or 0 when there is none.",
        len(rows),
    ) % {"count": len(rows), "items": _names(rows), "year": plan.baseline_year}


def _no_lead(rows) -> str:
    if not rows:
        return ""
    return ngettext(
        "The plan ties %(count)s indicator to no task, so it has no lead department: "
        "%(items)s; one should be named.",
        "The plan ties %(count)s indicators to no task, so they have no lead "
        "department: %(items)s; one should be named for each.",
        len(rows),
    ) % {"count": len(rows), "items": _names(rows)}


def _to_check(rows) -> str:
    if not rows:
        return ""
    return ngettext(
        "%(count)s indicator is more than %(percent)s%% of the schedule, which often "
        "means a unit or entry error; check the figure: %(items)s.",
        "%(count)s indicators are more than %(percent)s%% of the schedule, which often "
        "means a unit or entry error; check the figures: %(items)s.",
        len(rows),
    ) % {
        "count": len(rows),
        "percent": plain(p.CHECK_DATA_ABOVE * 100),
        "items": _items(rows),
    }


def _items(rows) -> str:
    return enumerate_items([item(row, with_progress=False) for row in rows])


def _names(rows) -> str:
    return enumerate_items([row.indicator.name for row in rows])
