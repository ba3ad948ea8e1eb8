"""Template helpers that present stored values; they never compute progress."""

from django import template
from django.utils.translation import gettext as _

from indicators.domain.formatting import plain

register = template.Library()


@register.simple_tag
def display_value(indicator, value, stage) -> str:
    """A value as the plan prints it: '-' if missing, 零发生 for zero events, a stage's name."""
    if stage is not None:
        return stage.label
    if value is None:
        return "-"
    if indicator.kind == "zero_event" and value == 0:
        return _("None occurred")
    return plain(value)
