"""Warning lights, lag explanations and the colour of a supervision item (domain.md §11).

Pure rules: a status and the indicator's binding in, a light out; a supervision item's state,
due date and today in, its colour out. Labels and display colours live in `statuses`.
"""

from dataclasses import dataclass
from datetime import date

from indicators.domain import progress as p

RED, YELLOW, GREEN, GREY = "red", "yellow", "green", "grey"
LIGHTS = (RED, YELLOW, GREEN, GREY)  # the order a report lists them: the worst first

_RED_STATUSES = {p.FAR_BEHIND, p.REGRESSING, p.FAILED, p.OVERDUE}
_GREEN_STATUSES = {p.AHEAD, p.ON_TRACK, p.ACHIEVED_FINAL, p.ACHIEVED_MILESTONE, p.IN_PROGRESS}
_GREY_STATUSES = {p.NO_DATA, p.TARGET_PENDING}


def light(status: str, binding: bool) -> str:
    """The warning light of an indicator in a period (§11): red for far behind, regressing,
    failed, overdue, and behind when the indicator is binding (约束性); yellow for behind;
    green on or ahead of schedule, achieved or in progress; grey without a figure or target."""
    if status in _RED_STATUSES:
        return RED
    if status == p.BEHIND:
        return RED if binding else YELLOW
    if status in _GREEN_STATUSES:
        return GREEN
    if status in _GREY_STATUSES:
        return GREY
    raise ValueError(f"unknown status {status!r}")


def needs_explanation(colour: str) -> bool:
    """A value that turns the light yellow or red is submitted with a 滞后说明 (§11)."""
    return colour in (RED, YELLOW)


# Whether the milestone will still be met, as the clerk judges it (能 / 有风险 / 不能).
WILL_MEET_YES, WILL_MEET_AT_RISK, WILL_MEET_NO = "yes", "at_risk", "no"
WILL_MEET = (WILL_MEET_YES, WILL_MEET_AT_RISK, WILL_MEET_NO)


@dataclass(frozen=True)
class Explanation:
    """A 滞后说明: the cause (原因), the measures (措施) and whether the milestone will still be
    met (one of `WILL_MEET`)."""

    cause: str
    measures: str
    will_meet: str

    @property
    def complete(self) -> bool:
        return bool(self.cause.strip() and self.measures.strip() and self.will_meet in WILL_MEET)


NO_EXPLANATION = Explanation("", "", "")

# A supervision item's states and colours (§11). The colour is computed, never stored.
OPEN, RESPONDED, CLOSED = "open", "responded", "closed"
SUPERVISION_STATES = (OPEN, RESPONDED, CLOSED)
BLUE = "blue"
SUPERVISION_COLOURS = (RED, YELLOW, BLUE)  # the worst first
WARN_DAYS = 3  # yellow within this many days of the due date


def supervision_colour(state: str, due: date, today: date) -> str | None:
    """Blue while open and more than 3 days from due, yellow within 3 days (the due date
    included), red past due; None once closed. An item answered but not yet closed (responded)
    keeps its colour: it is still the department's until the office closes it."""
    if state == CLOSED:
        return None
    days_left = (due - today).days
    if days_left < 0:
        return RED
    if days_left <= WARN_DAYS:
        return YELLOW
    return BLUE
