"""The progress engine: expected path, ratio to schedule, completion and status.

This is the pure core of domain.md §3–4: plain values in, plain values out. It imports
nothing from Django, reads no settings and touches no database, so every rule can be
tested exhaustively. All arithmetic is Decimal under one fixed local context (28
significant digits, half-even), so results do not depend on the caller's context and are
identical on every run. Nothing is rounded for display here; presenters do that.

Choices made where domain.md is silent (each one is tested in tests/test_progress.py):

1. Milestones are the indicator's own target years: its numeric targets, or its stage
   targets for the ``milestone`` kind. The current milestone k is the first target year
   Y_k ≥ t, where t is the elapsed time of the period (``period_time``), for every kind.
   Once t is past the last target year, k is the last one and τ = 1.
2. τ = (t − Y_{k−1})/(Y_k − Y_{k−1}) with Y_{k−1} = the baseline year for k = 1, clamped
   to [0, 1]: a quarter of the baseline year itself (t before Y_0) has τ = 0, not a
   negative share of time.
3. V is evaluated at ``compared_time``: t = y for ``annual_total`` and ``rate`` whatever
   the quarter, the elapsed t for the other kinds. Before Y_0 the path is B; after the
   last target year it holds at the last target.
4. A geometric path is geometric segment by segment: only a segment whose two ends are
   both > 0 compounds; any other segment (a zero baseline, a zero or negative target) is
   linear. At every anchor year the path equals the anchor's value exactly.
5. An indicator with no targets at all: the schedule asks for no change (V = B), so
   the status is ``on_track`` if d·(A − B) ≥ 0 and ``regressing`` otherwise; the
   target, τ, R and C are None.
6. R is reported for ``achieved_*`` statuses too; it is None only when V = B. C_k is
   None when T_k = B (no progress is asked for, so there is no share of it). No
   division by zero can happen anywhere.
7. ``check_data`` is raised whenever R > 1.5, beside any status, ``achieved_*`` too
   (reaching the 2028 target in 2026 is the "far ahead of schedule" it warns of).
8. ``provisional`` is raised only when there is a value (a stage, for ``milestone``).
   ``baseline_missing`` is raised even when there is no value, since B still shapes the
   expected value reported beside ``no_data``.
9. ``no_data`` rows still report B, V, the current milestone and τ, so a report can show
   what was expected even where nothing was entered.
10. ``zero_event``: expected is 0 (零发生); R and C are None; the missing-baseline rule
    applies as for any non-cumulative kind; a negative count is a data error
    (ValueError).
11. ``milestone``: stages have no numeric baseline, so B, V, R and C are None and
    ``baseline_missing`` is never raised. An indicator with stages but no stage targets
    is ``in_progress`` once a stage is reported. "A milestone year before t" means
    strictly before the elapsed t: a 2028 stage is overdue from 2029 Q1, not in 2028 Q4.
12. A malformed spec (unknown kind, direction other than ±1, float numbers, target years
    not strictly increasing after the baseline year, a target stage not in the ladder)
    raises when the spec is built, so ``evaluate`` itself never fails on a valid spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from itertools import pairwise

# Status codes. Labels and colours live in statuses.py; these are the stable keys.
ACHIEVED_FINAL = "achieved_final"
ACHIEVED_MILESTONE = "achieved_milestone"
AHEAD = "ahead"
ON_TRACK = "on_track"
BEHIND = "behind"
FAR_BEHIND = "far_behind"
REGRESSING = "regressing"
NO_DATA = "no_data"
FAILED = "failed"
OVERDUE = "overdue"
IN_PROGRESS = "in_progress"
TARGET_PENDING = "target_pending"
STATUS_CODES = (
    ACHIEVED_FINAL,
    ACHIEVED_MILESTONE,
    AHEAD,
    ON_TRACK,
    BEHIND,
    FAR_BEHIND,
    REGRESSING,
    NO_DATA,
    FAILED,
    OVERDUE,
    IN_PROGRESS,
    TARGET_PENDING,
)

# Flags shown beside a status, never instead of it; always reported in this order.
BASELINE_MISSING = "baseline_missing"
ANNUALISED = "annualised"
PROVISIONAL = "provisional"
CHECK_DATA = "check_data"
INCOMPLETE_YEARS = "incomplete_years"
EARLIER_PERIOD = "earlier_period"
FLAGS = (BASELINE_MISSING, ANNUALISED, PROVISIONAL, CHECK_DATA, INCOMPLETE_YEARS, EARLIER_PERIOD)

# Target forms (domain.md §9); the codes are domain.targets.FORMS, repeated here so the engine
# stays free of Django.
PLAIN = "plain"
AT_LEAST = "at_least"
AT_MOST = "at_most"
ABOUT = "about"
BETWEEN = "between"
PER_YEAR = "per_year"
TOTAL = "total"
ASSIGNED = "assigned"
RELATIVE = "relative"
QUALITATIVE = "qualitative"
GOAL_FORMS = (
    PLAIN,
    AT_LEAST,
    AT_MOST,
    ABOUT,
    BETWEEN,
    PER_YEAR,
    TOTAL,
    ASSIGNED,
    RELATIVE,
    QUALITATIVE,
)
# Forms that become a limit to hold once the baseline already meets them (§9, point 1).
LIMIT_FORMS = (AT_LEAST, AT_MOST, ABOUT, BETWEEN)
COMPOUND_FORMS = (PER_YEAR, TOTAL)
# Forms judged against something recorded beside the plan: an assignment, a judgement or
# another indicator's value.
JUDGED_FORMS = (ASSIGNED, RELATIVE, QUALITATIVE)
# The 左右 tolerance when the plan states none: half a point for rates in % or ‰, else 5%.
ABOUT_POINTS = Decimal("0.5")
ABOUT_SHARE = Decimal("0.05")

# Kinds of indicator (domain.md §3).
LEVEL = "level"
CUMULATIVE = "cumulative"
ANNUAL_TOTAL = "annual_total"
RATE = "rate"
ZERO_EVENT = "zero_event"
MILESTONE = "milestone"
KINDS = (LEVEL, CUMULATIVE, ANNUAL_TOTAL, RATE, ZERO_EVENT, MILESTONE)

# These kinds describe the whole year at any quarter: they meet the schedule at t = y.
WHOLE_YEAR_KINDS = (ANNUAL_TOTAL, RATE)

# Lower edges of the status bands on R (domain.md §4); a band includes its lower edge.
AHEAD_FROM = Decimal("1.05")
ON_TRACK_FROM = Decimal("0.95")
ON_TRACK_FROM_BINDING = Decimal("1.00")
BEHIND_FROM = Decimal("0.60")
FAR_BEHIND_FROM = Decimal(0)
CHECK_DATA_ABOVE = Decimal("1.5")

# One fixed context for every computation, so results never depend on the caller's.
_CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

_ZERO = Decimal(0)
_ONE = Decimal(1)


# --- Time ---------------------------------------------------------------------------
#
# A period is any object with `year`, `n` (None for a whole year), `per_year` (12, 4, 2 or 1)
# and `t` (domain.md §10): `indicators.domain.periods.Period`, the one home for periods. The
# engine reads those attributes only, so it stays free of Django.


def compared_time(kind: str, period) -> Decimal:
    """Return the time at which a value of this kind meets the schedule.

    An annualised year-to-date total and a year-to-date rate describe the whole year, so
    they are compared at t = y; levels and running totals at the elapsed t.
    """
    return Decimal(period.year) if kind in WHOLE_YEAR_KINDS else period.t


def _year_end(period) -> bool:
    """Whether the period closes its year (a whole year, December, Q4 or H2)."""
    return period.n is None or period.n == period.per_year


# --- Expected path ------------------------------------------------------------------


def expected_value(
    anchors: Sequence[tuple[int | Decimal, Decimal]], t: Decimal, geometric: bool
) -> Decimal:
    """Return V(t) on the path through anchors [(Y_0, B), (Y_1, T_1), …] sorted by year.

    Before Y_0 the path is B; after the last anchor it holds at the last target.
    """
    if not anchors:
        raise ValueError("an expected path needs at least the baseline anchor (Y_0, B)")
    years = [year for year, _ in anchors]
    if years != sorted(years):
        raise ValueError(f"anchors must be sorted by year, got years {years}")
    with localcontext(_CONTEXT):
        if t <= anchors[0][0]:
            return Decimal(anchors[0][1])
        # Half-open segments [Y_a, Y_b) skip zero-length ones: no division by zero.
        for (ya, va), (yb, vb) in pairwise(anchors):
            if ya <= t < yb:
                return _segment_value(ya, Decimal(va), yb, Decimal(vb), t, geometric)
        return Decimal(anchors[-1][1])


def _segment_value(ya, va: Decimal, yb, vb: Decimal, t: Decimal, geometric: bool) -> Decimal:
    """Return V(t) on one segment: compound growth if both ends are > 0, else linear."""
    if geometric and va > 0 and vb > 0:
        return va * (vb / va) ** ((t - ya) / (yb - ya))
    # Multiply before dividing so that exact schedules (300 over 3 years) stay exact.
    return va + (vb - va) * (t - ya) / (yb - ya)


# --- Compared value and baseline ----------------------------------------------------


def annualise(kind: str, value: Decimal, period) -> tuple[Decimal, bool]:
    """Return (A, annualised): an annual_total's year-to-date total scaled to a year.

    Only an ``annual_total`` before its year's last period is scaled (A = YTD·12/n, ·4/n or
    ·2/n); every other value is already comparable with the schedule.
    """
    if kind == ANNUAL_TOTAL and not _year_end(period):
        with localcontext(_CONTEXT):
            return value * period.per_year / period.n, True
    return value, False


def _effective_baseline(spec: IndicatorSpec, obs: Observation) -> tuple[Decimal, tuple[str, ...]]:
    """Return the B to use and its flags, applying the missing-baseline rule.

    A running total starts from nothing, so a missing cumulative baseline is simply 0.
    For other kinds a missing baseline is a gap in the plan: use the baseline year's
    actual when there is one, else 0, and flag it so no one mistakes it for the plan's.
    """
    if spec.baseline is not None:
        return spec.baseline, ()
    if spec.kind == CUMULATIVE:
        return _ZERO, ()
    if obs.baseline_year_value is not None:
        return obs.baseline_year_value, (BASELINE_MISSING,)
    return _ZERO, (BASELINE_MISSING,)


# --- Plain values in and out --------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """One target as the engine reads it (domain.md §9): its year, form and numbers.

    `value` is T (plain, at_least, at_most, about, per_year, total); `lower`/`upper` bound a
    `between`; `tolerance` is δ of `about` and `relative` (None: the default); `compound` is +1
    for growth and −1 for a reduction (per_year, total)."""

    year: int
    form: str = PLAIN
    value: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    strict: bool = False
    tolerance: Decimal | None = None
    compound: int = 1

    def __post_init__(self) -> None:
        if self.form not in GOAL_FORMS:
            raise ValueError(f"unknown target form {self.form!r}; expected one of {GOAL_FORMS}")
        for name in ("value", "lower", "upper", "tolerance"):
            object.__setattr__(self, name, _optional_decimal(getattr(self, name), name))
        needs_value = self.form in (PLAIN, AT_LEAST, AT_MOST, ABOUT, PER_YEAR, TOTAL)
        if needs_value and self.value is None:
            raise ValueError(f"a {self.form} target needs a value")
        if self.form == BETWEEN and not (
            self.lower is not None and self.upper is not None and self.lower < self.upper
        ):
            raise ValueError("a between target needs lower < upper")
        if self.compound not in (1, -1):
            raise ValueError(f"compound must be +1 or -1, not {self.compound!r}")
        if self.tolerance is not None and self.tolerance < 0:
            raise ValueError("a tolerance cannot be negative")


@dataclass(frozen=True)
class IndicatorSpec:
    """What the engine needs to know about one indicator (no ORM objects)."""

    kind: str
    direction: int  # +1 higher is better, −1 lower is better
    geometric: bool  # the indicator's path: geometric (compound) or linear
    binding: bool  # 约束性: on track only from R ≥ 1.00
    baseline_year: int
    baseline: Decimal | None  # None = missing ("-" in the plan)
    # Plain numeric targets (year, value), sorted by year: shorthand for plain goals.
    targets: tuple[tuple[int, Decimal], ...] = ()
    # Milestone kind: the ordered stages, and the (year, stage) targets sorted by year.
    stages: tuple[str, ...] = ()
    stage_targets: tuple[tuple[int, str], ...] = ()
    # Targets of any form (§9), sorted by year; when empty, the plain `targets` above.
    goals: tuple[Goal, ...] = ()
    # The unit is % or ‰: 左右 then means within half a point.
    in_points: bool = False

    def __post_init__(self) -> None:
        """Check the spec once, here, so that evaluate() never fails on it later."""
        if self.kind not in KINDS:
            raise ValueError(f"unknown indicator kind {self.kind!r}; expected one of {KINDS}")
        if isinstance(self.direction, bool) or self.direction not in (1, -1):
            raise ValueError(f"direction must be +1 or -1, not {self.direction!r}")
        baseline = _optional_decimal(self.baseline, "baseline")
        targets = tuple((year, _decimal(value, f"target {year}")) for year, value in self.targets)
        goals = tuple(self.goals)
        if goals and targets:
            raise ValueError("give targets either as plain (year, value) pairs or as goals")
        object.__setattr__(self, "baseline", baseline)
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "goals", goals)
        # Not a field, so that dataclasses.replace(spec, targets=…) keeps working.
        object.__setattr__(
            self, "all_goals", goals or tuple(Goal(year, PLAIN, value) for year, value in targets)
        )
        object.__setattr__(self, "stages", tuple(self.stages))
        object.__setattr__(self, "stage_targets", tuple(self.stage_targets))
        _check_target_years(self.baseline_year, [goal.year for goal in self.all_goals])
        _check_target_years(self.baseline_year, [year for year, _ in self.stage_targets])
        _check_kind_fits_targets(self)


@dataclass(frozen=True)
class Observation:
    """The value of one indicator for one period, as derived per domain.md §3, and what its
    target's form compares it with (§9)."""

    value: Decimal | None = None  # YTD for annual_total/rate, YTD count for zero_event
    stage: str | None = None  # milestone kind: the highest stage reached by then
    provisional: bool = False  # includes a submitted, not yet approved value
    baseline_year_value: Decimal | None = None  # used only when the baseline is missing
    # per_year/total: the whole-year rates of the years Y₀+1 … y−1 (None: no figure).
    earlier_rates: tuple[tuple[int, Decimal | None], ...] = ()
    assigned: Decimal | None = None  # assigned: the value assigned for the period's year
    judgement: bool | None = None  # qualitative: 达到 (True), 未达到 (False), or none yet
    reference_value: Decimal | None = None  # relative: the referenced indicator's value
    earlier_period: bool = False  # the value is of the indicator's latest earlier period

    def __post_init__(self) -> None:
        """Accept Decimal or int; refuse floats, which would make results inexact."""
        for name in ("value", "baseline_year_value", "assigned", "reference_value"):
            object.__setattr__(self, name, _optional_decimal(getattr(self, name), name))
        rates = tuple(
            (year, _optional_decimal(rate, f"rate {year}")) for year, rate in self.earlier_rates
        )
        object.__setattr__(self, "earlier_rates", rates)


@dataclass(frozen=True)
class Progress:
    """The engine's answer for one indicator and period; presenters only format it."""

    status: str
    value: Decimal | None  # the observation's value as given
    compared_value: Decimal | None  # A, after annualisation
    baseline: Decimal | None  # the effective B used (after the missing-baseline rule)
    expected: Decimal | None  # V(t_compared)
    target_year: int | None  # Y_k, the current milestone
    target_value: Decimal | None  # T_k (numeric kinds)
    target_stage: str | None  # T_k (milestone kind)
    ratio: Decimal | None  # R
    completion: Decimal | None  # C_k
    time_progress: Decimal | None  # τ
    flags: tuple[str, ...]
    form: str = PLAIN  # the current target's form
    holding: bool = False  # the target is a limit to hold, not a goal to reach (§9)


def _decimal(value, what: str) -> Decimal:
    """Return value as a finite Decimal; ints are exact, floats and text are refused."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal or an int, not {type(value).__name__}")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value}")
    return value


def _optional_decimal(value, what: str) -> Decimal | None:
    """Like _decimal, but None (missing) stays None: missing is never 0."""
    return None if value is None else _decimal(value, what)


def _check_target_years(baseline_year: int, years: list[int]) -> None:
    """Target years must come after the baseline year, strictly increasing."""
    if any(later <= earlier for earlier, later in pairwise([baseline_year, *years])):
        raise ValueError(
            f"target years must be strictly increasing and after the baseline year "
            f"{baseline_year}, got {years}"
        )


def _check_kind_fits_targets(spec: IndicatorSpec) -> None:
    """Numeric kinds take numeric targets; the milestone kind takes stages; a compound rate
    only fits a rate, and a count of events only 零发生."""
    if spec.kind != MILESTONE:
        if spec.stage_targets:
            raise ValueError(f"a {spec.kind} indicator takes numeric targets, not stage targets")
        if spec.kind != RATE and any(g.form in COMPOUND_FORMS for g in spec.all_goals):
            raise ValueError("a yearly or total rate target needs a rate indicator")
        if spec.kind == ZERO_EVENT and any(g.form != PLAIN for g in spec.all_goals):
            raise ValueError("a zero_event indicator's targets are plain (零发生)")
        return
    if spec.all_goals:
        raise ValueError("a milestone indicator takes stage targets, not numeric targets")
    if len(set(spec.stages)) != len(spec.stages):
        raise ValueError(f"stages must be distinct, got {spec.stages}")
    for year, stage in spec.stage_targets:
        _stage_index(spec, stage, f"the {year} target")


def _stage_index(spec: IndicatorSpec, stage: str, what: str = "the reported stage") -> int:
    """Return the position of a stage on the ladder, or say clearly why not."""
    if stage not in spec.stages:
        raise ValueError(f"{what} {stage!r} is not one of the indicator's stages {spec.stages}")
    return spec.stages.index(stage)


# --- Evaluation ---------------------------------------------------------------------


def evaluate(spec: IndicatorSpec, period, obs: Observation) -> Progress:
    """Return the progress of one indicator in a period (see "Time" for what a period is)."""
    t = period.t
    with localcontext(_CONTEXT):
        if spec.kind == MILESTONE:
            result = _evaluate_milestone(spec, t, obs)
        elif spec.kind == ZERO_EVENT:
            result = _evaluate_zero_event(spec, t, obs)
        else:
            result = _evaluate_numeric(spec, period, obs)
    if obs.earlier_period:
        return replace(result, flags=_ordered((*result.flags, EARLIER_PERIOD)))
    return result


def _ordered(flags) -> tuple[str, ...]:
    return tuple(flag for flag in FLAGS if flag in flags)


def _milestone_index(years: Sequence[int], t: Decimal) -> int | None:
    """Return k: the first milestone year ≥ t, the last one once t is past them all."""
    if not years:
        return None
    return next((k for k, year in enumerate(years) if year >= t), len(years) - 1)


def _current_target(targets: Sequence[tuple[int, object]], t: Decimal) -> tuple:
    """Return (Y_k, T_k) of the current milestone, or (None, None) without targets."""
    k = _milestone_index([year for year, _ in targets], t)
    return (None, None) if k is None else targets[k]


def _current_goal(spec: IndicatorSpec, t: Decimal) -> Goal | None:
    k = _milestone_index([goal.year for goal in spec.all_goals], t)
    return None if k is None else spec.all_goals[k]


def _time_progress(baseline_year: int, years: Sequence[int], t: Decimal) -> Decimal | None:
    """Return τ: the elapsed share of the time from the previous milestone to Y_k."""
    k = _milestone_index(years, t)
    if k is None:
        return None
    start = baseline_year if k == 0 else years[k - 1]
    share = (t - start) / (years[k] - start)
    # Before the baseline year nothing has elapsed; past the last target it all has.
    return min(max(share, _ZERO), _ONE)


def schedule_position(
    baseline_year: int, milestone_years: Sequence[int], period
) -> tuple[int | None, Decimal | None]:
    """The plan's next milestone year and τ, the share of the time to it that has elapsed
    (序时进度) at the end of the period: what a dashboard shows as "距2028年目标时间已过 X%"."""
    years = sorted(milestone_years)
    k = _milestone_index(years, period.t)
    if k is None:
        return None, None
    with localcontext(_CONTEXT):
        return years[k], _time_progress(baseline_year, years, period.t)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """Return numerator/denominator, or None where the ratio is undefined."""
    return None if denominator == 0 else numerator / denominator


# --- Numeric kinds: the forms of §9 -------------------------------------------------


def _evaluate_numeric(spec: IndicatorSpec, period, obs: Observation) -> Progress:
    """Evaluate a level, cumulative, annual_total or rate indicator by its target's form."""
    baseline, flags = _effective_baseline(spec, obs)
    goal = _current_goal(spec, period.t)
    if goal is not None and goal.form in JUDGED_FORMS:
        return _evaluate_judged(spec, goal, period, obs, baseline, flags)
    if goal is not None and goal.form in COMPOUND_FORMS:
        return _evaluate_compound(spec, goal, period, obs, baseline, flags)
    if goal is not None and goal.form in LIMIT_FORMS and _reached(spec, goal, baseline):
        return _evaluate_limit(spec, goal, period, obs, baseline, flags)
    return _evaluate_path(spec, goal, period, obs, baseline, flags)


def _reached(spec: IndicatorSpec, goal: Goal, value: Decimal) -> bool | None:
    """The form's "reached" test of §9, or None for a form that has none (a compound rate,
    an assignment, a judgement, a reference)."""
    if goal.form == PLAIN:
        return spec.direction * (value - goal.value) >= 0
    if goal.form == AT_LEAST:
        return value > goal.value if goal.strict else value >= goal.value
    if goal.form == AT_MOST:
        return value < goal.value if goal.strict else value <= goal.value
    if goal.form == ABOUT:
        return abs(value - goal.value) <= _about_tolerance(spec, goal)
    if goal.form == BETWEEN:
        return goal.lower <= value <= goal.upper
    return None


def _about_tolerance(spec: IndicatorSpec, goal: Goal) -> Decimal:
    """δ of 左右: as the plan states it, else half a point (% and ‰), else 5% of |T|."""
    if goal.tolerance is not None:
        return goal.tolerance
    return ABOUT_POINTS if spec.in_points else ABOUT_SHARE * abs(goal.value)


def _anchor(goal: Goal, baseline: Decimal) -> Decimal | None:
    """The value the path heads for: T, or a range's bound on the baseline's side."""
    if goal.form == BETWEEN:
        return goal.lower if baseline < goal.lower else goal.upper
    return goal.value if goal.form in (PLAIN, *LIMIT_FORMS) else None


def _blank(status: str, obs: Observation, baseline, flags, goal: Goal | None, **schedule):
    """A result without a path: V, R and C are null (a limit, a judged or pending target)."""
    has_value = obs.value is not None
    return Progress(
        status=status,
        value=obs.value,
        compared_value=obs.value,
        baseline=baseline,
        expected=None,
        target_year=None if goal is None else goal.year,
        target_value=None if goal is None else goal.value,
        target_stage=None,
        ratio=None,
        completion=None,
        time_progress=schedule.get("time_progress"),
        flags=flags + _value_flags(False, obs.provisional and has_value, None),
        form=PLAIN if goal is None else goal.form,
        holding=schedule.get("holding", False),
    )


def _evaluate_limit(spec, goal: Goal, period, obs, baseline, flags) -> Progress:
    """§9.1: the baseline already meets the target, so it is a limit to hold every period."""
    tau = _tau(spec, period)
    if obs.value is None:
        return _blank(NO_DATA, obs, baseline, flags, goal, holding=True, **tau)
    compared, annualised = annualise(spec.kind, obs.value, period)
    status = ON_TRACK if _reached(spec, goal, compared) else FAILED
    result = _blank(status, obs, baseline, flags, goal, holding=True, **tau)
    if annualised:
        return replace(result, compared_value=compared, flags=_ordered((*result.flags, ANNUALISED)))
    return result


def _tau(spec: IndicatorSpec, period) -> dict:
    years = [goal.year for goal in spec.all_goals]
    return {"time_progress": _time_progress(spec.baseline_year, years, period.t)}


def _evaluate_judged(spec, goal: Goal, period, obs, baseline, flags) -> Progress:
    """§9.4–5: an assigned value, a reviewer's judgement or another indicator's value decides
    the period; without it the target is still pending (目标待下达)."""
    tau = _tau(spec, period)
    if goal.form == QUALITATIVE and obs.judgement is not None:
        status = ON_TRACK if obs.judgement else FAILED
        return _blank(status, obs, baseline, flags, goal, holding=True, **tau)
    if obs.value is None:
        return _blank(NO_DATA, obs, baseline, flags, goal, **tau)
    if goal.form == QUALITATIVE:
        return _blank(TARGET_PENDING, obs, baseline, flags, goal, **tau)
    if goal.form == ASSIGNED:
        if obs.assigned is None:
            return _blank(TARGET_PENDING, obs, baseline, flags, goal, **tau)
        met = spec.direction * (obs.value - obs.assigned) >= 0
        result = _blank(
            ON_TRACK if met else FAILED, obs, baseline, flags, goal, holding=True, **tau
        )
        return replace(result, target_value=obs.assigned)
    if obs.reference_value is None:
        return _blank(TARGET_PENDING, obs, baseline, flags, goal, **tau)
    allowed = goal.tolerance if goal.tolerance is not None else _ZERO
    met = spec.direction * (obs.value - obs.reference_value) >= -allowed
    return _blank(ON_TRACK if met else FAILED, obs, baseline, flags, goal, holding=True, **tau)


def _evaluate_compound(spec, goal: Goal, period, obs, baseline, flags) -> Progress:
    """§9.3: compound yearly rates. The whole-year rates of the years before stand with the
    period's own year-to-date rate for its year; years without a figure are skipped."""
    tau = _tau(spec, period)
    if obs.value is None:
        return _blank(NO_DATA, obs, baseline, flags, goal, **tau)
    rates = [rate for year, rate in obs.earlier_rates if year < period.year and rate is not None]
    wanted = period.year - spec.baseline_year - 1
    incomplete = len(rates) < wanted
    rates.append(obs.value)
    s, target = goal.compound, goal.value / 100
    product = _ONE
    for rate in rates:
        product *= 1 + s * rate / 100
    achieved = s * (product - 1)
    m = len(rates)
    if goal.form == PER_YEAR:
        required = s * ((1 + s * target) ** m - 1)
        final = s * ((1 + s * target) ** (goal.year - spec.baseline_year) - 1)
        reached = s * (product ** (_ONE / m) - 1) >= target if product > 0 else False
    else:
        elapsed = Decimal(period.year - spec.baseline_year) / (goal.year - spec.baseline_year)
        required = s * ((1 + s * target) ** elapsed - 1)
        final = s * ((1 + s * target) - 1)
        reached = achieved >= target
    ratio = _ratio(achieved, required)
    if reached and period.year == goal.year and _year_end(period):
        status = ACHIEVED_FINAL if goal is spec.all_goals[-1] else ACHIEVED_MILESTONE
    elif ratio is None:
        status = ON_TRACK if achieved >= 0 else REGRESSING
    else:
        status = _ratio_band(ratio, spec.binding)
    extra = (INCOMPLETE_YEARS,) if incomplete else ()
    return Progress(
        status=status,
        value=obs.value,
        compared_value=obs.value,
        baseline=baseline,
        expected=None,
        target_year=goal.year,
        target_value=goal.value,
        target_stage=None,
        ratio=ratio,
        completion=_ratio(achieved, final),
        flags=_ordered(flags + _value_flags(False, obs.provisional, ratio) + extra),
        form=goal.form,
        **tau,
    )


def _evaluate_path(spec, goal: Goal | None, period, obs, baseline, flags) -> Progress:
    """§4 (and §9.2 for a limit not yet met): progress along the path from B to T."""
    schedule = _schedule(spec, period, baseline)
    form = PLAIN if goal is None else goal.form
    if obs.value is None:
        return Progress(
            status=NO_DATA,
            value=None,
            compared_value=None,
            ratio=None,
            completion=None,
            flags=flags,
            form=form,
            **schedule,
        )
    compared, annualised = annualise(spec.kind, obs.value, period)
    ratio = _ratio(compared - baseline, schedule["expected"] - baseline)
    target = schedule["target_value"]
    completion = None if target is None else _ratio(compared - baseline, target - baseline)
    return Progress(
        status=_path_status(spec, goal, compared, baseline, ratio),
        value=obs.value,
        compared_value=compared,
        ratio=ratio,
        completion=completion,
        flags=flags + _value_flags(annualised, obs.provisional, ratio),
        form=form,
        **schedule,
    )


def _schedule(spec: IndicatorSpec, period, baseline: Decimal) -> dict:
    """Return what the schedule asks of a period: B, V, the current milestone and τ.

    It is reported whether or not a value was entered, so a report can show what was
    expected even where nothing was. The path runs through the targets that have a value to
    head for.
    """
    anchors = target_anchors(spec, baseline)
    goal = _current_goal(spec, period.t)
    return {
        "baseline": baseline,
        "expected": expected_value(
            [(spec.baseline_year, baseline), *anchors],
            compared_time(spec.kind, period),
            spec.geometric,
        ),
        "target_year": None if goal is None else goal.year,
        "target_value": None if goal is None else _anchor(goal, baseline),
        "target_stage": None,
        **_tau(spec, period),
    }


def target_anchors(spec: IndicatorSpec, baseline: Decimal) -> list[tuple[int, Decimal]]:
    """The (year, value) points the expected path heads for after (Y₀, B): each target that
    has a value to reach (a range by its bound on the baseline's side)."""
    anchors = [(goal.year, _anchor(goal, baseline)) for goal in spec.all_goals]
    return [(year, value) for year, value in anchors if value is not None]


def _path_status(
    spec: IndicatorSpec,
    goal: Goal | None,
    compared: Decimal,
    baseline: Decimal,
    ratio: Decimal | None,
) -> str:
    """Return the first matching status of domain.md §4's table, with each target's own
    "reached" test (§9.2)."""
    if spec.all_goals and _reached(spec, spec.all_goals[-1], compared):
        return ACHIEVED_FINAL
    if goal is not None and _reached(spec, goal, compared):
        return ACHIEVED_MILESTONE
    if ratio is None:
        # V = B: the schedule asks for no change, so holding the baseline is on track.
        return ON_TRACK if spec.direction * (compared - baseline) >= 0 else REGRESSING
    return _ratio_band(ratio, spec.binding)


def _ratio_band(ratio: Decimal, binding: bool) -> str:
    """Return the status band holding R; a binding target is on track only from 1.00."""
    if ratio >= AHEAD_FROM:
        return AHEAD
    if ratio >= (ON_TRACK_FROM_BINDING if binding else ON_TRACK_FROM):
        return ON_TRACK
    if ratio >= BEHIND_FROM:
        return BEHIND
    if ratio >= FAR_BEHIND_FROM:
        return FAR_BEHIND
    return REGRESSING


def _value_flags(annualised: bool, provisional: bool, ratio: Decimal | None) -> tuple[str, ...]:
    """Return the flags that depend on the reported value, in FLAGS order."""
    flags = []
    if annualised:
        flags.append(ANNUALISED)
    if provisional:
        flags.append(PROVISIONAL)
    if ratio is not None and ratio > CHECK_DATA_ABOVE:
        flags.append(CHECK_DATA)
    return tuple(flags)


def _evaluate_zero_event(spec: IndicatorSpec, t: Decimal, obs: Observation) -> Progress:
    """Evaluate a zero_event indicator: any event in the year so far fails 零发生."""
    baseline, flags = _effective_baseline(spec, obs)
    goal = _current_goal(spec, t)
    target_year, target_value = (None, None) if goal is None else (goal.year, goal.value)
    if obs.value is not None:
        flags += _value_flags(False, obs.provisional, None)
    return Progress(
        status=_zero_event_status(obs.value),
        value=obs.value,
        compared_value=obs.value,
        baseline=baseline,
        expected=_ZERO,  # the schedule asks for no event at all, every period
        target_year=target_year,
        target_value=target_value,
        target_stage=None,
        ratio=None,
        completion=None,
        time_progress=_time_progress(spec.baseline_year, [goal.year for goal in spec.all_goals], t),
        flags=flags,
    )


def _zero_event_status(count: Decimal | None) -> str:
    """Return on_track for no event so far this year, failed for any."""
    if count is None:
        return NO_DATA
    if count < 0:
        raise ValueError(f"a count of events cannot be negative, got {count}")
    return ON_TRACK if count == 0 else FAILED


def _evaluate_milestone(spec: IndicatorSpec, t: Decimal, obs: Observation) -> Progress:
    """Evaluate a milestone indicator from the highest stage reached by the period."""
    target_year, target_stage = _current_target(spec.stage_targets, t)
    provisional = obs.provisional and obs.stage is not None
    return Progress(
        status=_milestone_status(spec, t, obs.stage, target_stage),
        value=obs.value,
        compared_value=None,
        baseline=None,  # a ladder of stages has no numeric baseline, path or ratio
        expected=None,
        target_year=target_year,
        target_value=None,
        target_stage=target_stage,
        ratio=None,
        completion=None,
        time_progress=_time_progress(
            spec.baseline_year, [year for year, _ in spec.stage_targets], t
        ),
        flags=(PROVISIONAL,) if provisional else (),
    )


def _milestone_status(
    spec: IndicatorSpec, t: Decimal, stage: str | None, target_stage: str | None
) -> str:
    """Return the milestone status: achieved, overdue or in progress (domain.md §4)."""
    if stage is None:
        return NO_DATA
    reached = _stage_index(spec, stage)
    if target_stage is None:
        return IN_PROGRESS  # stages without targets: nothing can be achieved or late
    if reached >= _stage_index(spec, spec.stage_targets[-1][1]):
        return ACHIEVED_FINAL
    if reached >= _stage_index(spec, target_stage):
        return ACHIEVED_MILESTONE
    # A stage due strictly before now and still not reached is overdue.
    if any(year < t and reached < _stage_index(spec, due) for year, due in spec.stage_targets):
        return OVERDUE
    return IN_PROGRESS
