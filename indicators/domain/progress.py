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
from dataclasses import dataclass
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
)

# Flags shown beside a status, never instead of it; always reported in this order.
BASELINE_MISSING = "baseline_missing"
ANNUALISED = "annualised"
PROVISIONAL = "provisional"
CHECK_DATA = "check_data"
FLAGS = (BASELINE_MISSING, ANNUALISED, PROVISIONAL, CHECK_DATA)

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


def period_time(year: int, quarter: int | None) -> Decimal:
    """Return t = y − 1 + q/4 for a quarter; t = y for the whole year (as for Q4)."""
    _check_quarter(quarter)
    q = 4 if quarter is None else quarter
    return Decimal(year - 1) + Decimal(q) / 4


def compared_time(kind: str, year: int, quarter: int | None) -> Decimal:
    """Return the time at which a value of this kind meets the schedule.

    An annualised year-to-date total and a year-to-date rate describe the whole year, so
    they are compared at t = y; levels and running totals at the elapsed t.
    """
    if kind in WHOLE_YEAR_KINDS:
        _check_quarter(quarter)
        return Decimal(year)
    return period_time(year, quarter)


def _check_quarter(quarter: int | None) -> None:
    """Reject anything but a quarter 1–4 or None (the whole year)."""
    if quarter not in (None, 1, 2, 3, 4):
        raise ValueError(f"quarter must be 1, 2, 3, 4 or None (whole year), not {quarter!r}")


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


def annualise(kind: str, value: Decimal, quarter: int | None) -> tuple[Decimal, bool]:
    """Return (A, annualised): an annual_total's year-to-date total scaled to a year.

    Only an ``annual_total`` in quarters 1–3 is scaled (A = YTD·4/q); every other value
    is already comparable with the schedule.
    """
    _check_quarter(quarter)
    if kind == ANNUAL_TOTAL and quarter in (1, 2, 3):
        with localcontext(_CONTEXT):
            return value * 4 / quarter, True
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
class IndicatorSpec:
    """What the engine needs to know about one indicator (no ORM objects)."""

    kind: str
    direction: int  # +1 higher is better, −1 lower is better
    geometric: bool  # the indicator's path: geometric (compound) or linear
    binding: bool  # 约束性: on track only from R ≥ 1.00
    baseline_year: int
    baseline: Decimal | None  # None = missing ("-" in the plan)
    # Numeric targets (year, value), sorted by year.
    targets: tuple[tuple[int, Decimal], ...] = ()
    # Milestone kind: the ordered stages, and the (year, stage) targets sorted by year.
    stages: tuple[str, ...] = ()
    stage_targets: tuple[tuple[int, str], ...] = ()

    def __post_init__(self) -> None:
        """Check the spec once, here, so that evaluate() never fails on it later."""
        if self.kind not in KINDS:
            raise ValueError(f"unknown indicator kind {self.kind!r}; expected one of {KINDS}")
        if isinstance(self.direction, bool) or self.direction not in (1, -1):
            raise ValueError(f"direction must be +1 or -1, not {self.direction!r}")
        baseline = _optional_decimal(self.baseline, "baseline")
        targets = tuple((year, _decimal(value, f"target {year}")) for year, value in self.targets)
        object.__setattr__(self, "baseline", baseline)
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "stages", tuple(self.stages))
        object.__setattr__(self, "stage_targets", tuple(self.stage_targets))
        _check_target_years(self.baseline_year, [year for year, _ in self.targets])
        _check_target_years(self.baseline_year, [year for year, _ in self.stage_targets])
        _check_kind_fits_targets(self)


@dataclass(frozen=True)
class Observation:
    """The value of one indicator for one period, as derived per domain.md §3."""

    value: Decimal | None = None  # YTD for annual_total/rate, YTD count for zero_event
    stage: str | None = None  # milestone kind: the highest stage reached by then
    provisional: bool = False  # includes a submitted, not yet approved value
    baseline_year_value: Decimal | None = None  # used only when the baseline is missing

    def __post_init__(self) -> None:
        """Accept Decimal or int; refuse floats, which would make results inexact."""
        object.__setattr__(self, "value", _optional_decimal(self.value, "value"))
        object.__setattr__(
            self,
            "baseline_year_value",
            _optional_decimal(self.baseline_year_value, "baseline_year_value"),
        )


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
    """Numeric kinds take numeric targets; the milestone kind takes stages."""
    if spec.kind != MILESTONE:
        if spec.stage_targets:
            raise ValueError(f"a {spec.kind} indicator takes numeric targets, not stage targets")
        return
    if spec.targets:
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


def evaluate(spec: IndicatorSpec, year: int, quarter: int | None, obs: Observation) -> Progress:
    """Return the progress of one indicator in a period (quarter None = whole year)."""
    t = period_time(year, quarter)
    with localcontext(_CONTEXT):
        if spec.kind == MILESTONE:
            return _evaluate_milestone(spec, t, obs)
        if spec.kind == ZERO_EVENT:
            return _evaluate_zero_event(spec, t, obs)
        return _evaluate_numeric(spec, year, quarter, obs)


def _milestone_index(years: Sequence[int], t: Decimal) -> int | None:
    """Return k: the first milestone year ≥ t, the last one once t is past them all."""
    if not years:
        return None
    return next((k for k, year in enumerate(years) if year >= t), len(years) - 1)


def _current_target(targets: Sequence[tuple[int, object]], t: Decimal) -> tuple:
    """Return (Y_k, T_k) of the current milestone, or (None, None) without targets."""
    k = _milestone_index([year for year, _ in targets], t)
    return (None, None) if k is None else targets[k]


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
    baseline_year: int, milestone_years: Sequence[int], year: int, quarter: int | None
) -> tuple[int | None, Decimal | None]:
    """The plan's next milestone year and τ, the share of the time to it that has elapsed
    (序时进度) at the end of the period: what a dashboard shows as "距2028年目标时间已过 X%"."""
    t = period_time(year, quarter)
    years = sorted(milestone_years)
    k = _milestone_index(years, t)
    if k is None:
        return None, None
    with localcontext(_CONTEXT):
        return years[k], _time_progress(baseline_year, years, t)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """Return numerator/denominator, or None where the ratio is undefined."""
    return None if denominator == 0 else numerator / denominator


def _evaluate_numeric(
    spec: IndicatorSpec, year: int, quarter: int | None, obs: Observation
) -> Progress:
    """Evaluate a level, cumulative, annual_total or rate indicator."""
    baseline, flags = _effective_baseline(spec, obs)
    schedule = _schedule(spec, year, quarter, baseline)
    if obs.value is None:
        return Progress(
            status=NO_DATA,
            value=None,
            compared_value=None,
            ratio=None,
            completion=None,
            flags=flags,
            **schedule,
        )
    compared, annualised = annualise(spec.kind, obs.value, quarter)
    ratio = _ratio(compared - baseline, schedule["expected"] - baseline)
    target = schedule["target_value"]
    completion = None if target is None else _ratio(compared - baseline, target - baseline)
    return Progress(
        status=_numeric_status(spec, compared, baseline, ratio, target),
        value=obs.value,
        compared_value=compared,
        ratio=ratio,
        completion=completion,
        flags=flags + _value_flags(annualised, obs.provisional, ratio),
        **schedule,
    )


def _schedule(spec: IndicatorSpec, year: int, quarter: int | None, baseline: Decimal) -> dict:
    """Return what the schedule asks of a period: B, V, the current milestone and τ.

    It is reported whether or not a value was entered, so a report can show what was
    expected even where nothing was.
    """
    t = period_time(year, quarter)
    years = [y for y, _ in spec.targets]
    target_year, target_value = _current_target(spec.targets, t)
    anchors = [(spec.baseline_year, baseline), *spec.targets]
    at = compared_time(spec.kind, year, quarter)
    return {
        "baseline": baseline,
        "expected": expected_value(anchors, at, spec.geometric),
        "target_year": target_year,
        "target_value": target_value,
        "target_stage": None,
        "time_progress": _time_progress(spec.baseline_year, years, t),
    }


def _numeric_status(
    spec: IndicatorSpec,
    compared: Decimal,
    baseline: Decimal,
    ratio: Decimal | None,
    target_value: Decimal | None,
) -> str:
    """Return the first matching status of domain.md §4's table for a numeric value."""
    d = spec.direction
    if spec.targets and d * (compared - spec.targets[-1][1]) >= 0:
        return ACHIEVED_FINAL
    if target_value is not None and d * (compared - target_value) >= 0:
        return ACHIEVED_MILESTONE
    if ratio is None:
        # V = B: the schedule asks for no change, so holding the baseline is on track.
        return ON_TRACK if d * (compared - baseline) >= 0 else REGRESSING
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
    target_year, target_value = _current_target(spec.targets, t)
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
        time_progress=_time_progress(spec.baseline_year, [year for year, _ in spec.targets], t),
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
