"""Status and flag codes with their labels and colours: the one definition that pages,
charts, the API and the workbook all use. The codes themselves come from the pure engine."""

from django.utils.translation import gettext_lazy as _

from indicators.domain import progress as p
from indicators.domain import warnings as w

# In the order a report lists them: done first, then ahead of schedule down to regressing.
STATUS_ORDER = (
    p.ACHIEVED_FINAL,
    p.ACHIEVED_MILESTONE,
    p.AHEAD,
    p.ON_TRACK,
    p.BEHIND,
    p.FAR_BEHIND,
    p.REGRESSING,
    p.FAILED,
    p.OVERDUE,
    p.IN_PROGRESS,
    p.TARGET_PENDING,
    p.NO_DATA,
)

STATUS_LABELS = {
    p.ACHIEVED_FINAL: _("Final target achieved"),
    p.ACHIEVED_MILESTONE: _("Milestone target achieved"),
    p.AHEAD: _("Ahead of schedule"),
    p.ON_TRACK: _("On schedule"),
    p.BEHIND: _("Behind schedule"),
    p.FAR_BEHIND: _("Far behind schedule"),
    p.REGRESSING: _("Regressing"),
    p.NO_DATA: _("No data"),
    p.FAILED: _("Target missed"),
    p.OVERDUE: _("Overdue"),
    p.IN_PROGRESS: _("In progress"),
    p.TARGET_PENDING: _("Target not yet assigned"),
}

# Fill colours (hex, no '#', as openpyxl wants them); pages and charts prefix '#'.
STATUS_COLOURS = {
    p.ACHIEVED_FINAL: "1B5E20",
    p.ACHIEVED_MILESTONE: "2E7D32",
    p.AHEAD: "43A047",
    p.ON_TRACK: "8BC34A",
    p.BEHIND: "FFB300",
    p.FAR_BEHIND: "F4511E",
    p.REGRESSING: "B71C1C",
    p.NO_DATA: "9E9E9E",
    p.FAILED: "B71C1C",
    p.OVERDUE: "D84315",
    p.IN_PROGRESS: "42A5F5",
    p.TARGET_PENDING: "7E57C2",
}

FLAG_LABELS = {
    p.BASELINE_MISSING: _("baseline missing"),
    p.ANNUALISED: _("annualised from the year to date"),
    p.PROVISIONAL: _("not yet approved"),
    p.CHECK_DATA: _("far ahead of schedule: check the figure"),
    p.INCOMPLETE_YEARS: _("some years have no figure"),
    p.EARLIER_PERIOD: _("the latest figure is of an earlier period"),
}


def flag_label(code: str, period=None) -> str:
    """A flag in words; `earlier_period` names the period the figure is of (数据期：2025年)."""
    if code == p.EARLIER_PERIOD and period is not None:
        return _("data period: %(period)s") % {"period": period.label()}
    return str(FLAG_LABELS[code])


def status_label(code: str) -> str:
    return str(STATUS_LABELS[code])


def empty_counts() -> dict[str, int]:
    """A count for every status, in report order, so every summary has the same keys."""
    return dict.fromkeys(STATUS_ORDER, 0)


# Warning lights (domain.md §11, `warnings.light`): one label and one colour each.
LIGHT_LABELS = {
    w.RED: _("Red light"),
    w.YELLOW: _("Yellow light"),
    w.GREEN: _("Green light"),
    w.GREY: _("Grey light"),
}
LIGHT_COLOURS = {w.RED: "D32F2F", w.YELLOW: "FBC02D", w.GREEN: "388E3C", w.GREY: "9E9E9E"}

WILL_MEET_LABELS = {
    w.WILL_MEET_YES: _("Will be met"),
    w.WILL_MEET_AT_RISK: _("At risk"),
    w.WILL_MEET_NO: _("Will not be met"),
}

SUPERVISION_STATE_LABELS = {
    w.OPEN: _("Open"),
    w.RESPONDED: _("Answered"),
    w.CLOSED: _("Closed"),
}
SUPERVISION_COLOUR_LABELS = {
    w.BLUE: _("Blue: more than 3 days to due"),
    w.YELLOW: _("Yellow: due within 3 days"),
    w.RED: _("Red: past due"),
}
SUPERVISION_COLOURS_HEX = {w.BLUE: "1E88E5", w.YELLOW: "FBC02D", w.RED: "D32F2F"}


def light_label(code: str) -> str:
    return str(LIGHT_LABELS[code])
