"""Display of stored numbers: one place that decides how a Decimal reads."""

from decimal import ROUND_HALF_EVEN, Decimal


def plain(value: Decimal | None) -> str | None:
    """A decimal as the plan prints it: no trailing zeros, no exponent ("30", "5.2", "-8.6")."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def rounded(value: Decimal | None, places: int = 6) -> str | None:
    """A computed decimal for display or the API: half-even to `places`, then `plain`."""
    if value is None:
        return None
    return plain(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))
