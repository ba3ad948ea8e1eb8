"""The status and warning light of one indicator in one period (domain.md §11): what a
submission would turn the light to once approved, and what an approval did. The same engine
and rules as the dashboards (`progress.evaluate_period`, `warnings.light`), read for one
indicator only, so that a submission or an approval does not evaluate the whole plan."""

from indicators.domain import periods, warnings
from indicators.models import Assignment, Form, Indicator, Judgement, Stage, Target
from indicators.selectors import progress as progress_selectors


def pending_light(indicator: Indicator, period: periods.Period) -> str:
    """The light of `indicator` in `period` (its own period, or a whole year) with submitted
    values counted as provisional (`include_pending`): what a submission turns it to."""
    return warnings.light(
        indicator_status(indicator, period, include_pending=True), indicator.binding
    )


def indicator_status(indicator: Indicator, period: periods.Period, *, include_pending: bool) -> str:
    """The status of `indicator` in `period` as the dashboards compute it, from the figures in
    force or, with `include_pending`, with submitted ones in their place. Queries: targets,
    stages, figures; one more each for assigned values, judgements and a referenced
    indicator's figures, when its targets have those forms."""
    targets = [
        progress_selectors.TargetRow(*fields)
        for fields in Target.objects.filter(indicator=indicator)
        .order_by("year")
        .values_list(*progress_selectors.TARGET_FIELDS[1:])
    ]
    stages = list(
        Stage.objects.filter(indicator=indicator)
        .order_by("position")
        .values_list("label", flat=True)
    )
    baseline_year = indicator.plan.baseline_year
    spec = progress_selectors.indicator_spec(indicator, baseline_year, targets, stages)
    recorded = _recorded(indicator, targets, include_pending)
    figures = progress_selectors.indicator_figures(indicator, include_pending)
    result, _stage, _shown = progress_selectors.evaluate_period(
        spec, figures, period, indicator.frequency, recorded
    )
    return result.status


def _recorded(
    indicator: Indicator, targets: list, include_pending: bool
) -> progress_selectors.Recorded:
    """What the targets' forms are judged by (§9.4–5), read only for the forms present."""
    forms = {target.form for target in targets}
    assigned, judgements = {}, {}
    if Form.ASSIGNED in forms:
        assigned = dict(Assignment.objects.filter(indicator=indicator).values_list("year", "value"))
    if Form.QUALITATIVE in forms:
        judgements = dict(Judgement.objects.filter(indicator=indicator).values_list("year", "met"))
    reference_id = next((t.reference_id for t in targets if t.reference_id), None)
    if reference_id is None:
        return progress_selectors.Recorded(assigned, judgements)
    return progress_selectors.Recorded(
        assigned,
        judgements,
        reference=progress_selectors.indicator_figures(reference_id, include_pending),
        reference_kind=Indicator.objects.values_list("kind", flat=True).get(pk=reference_id),
    )
