"""The one reader of a number a person typed: the entry form, the API and the Excel upload.

A number is read exactly or refused, never guessed. Accepted: an optional minus sign, digits,
and optionally a point followed by digits ("1234", "-6.9", "0.05"), with spaces around it.
Typed with a Chinese input method's full-width characters ("６．９", "－３") it is read the
same, character for character; nothing else is converted (NFKC would read "10²" as 102).

Refused, each with its reason: a comma ("6,9" is 6.9 to some and 69 to others; the upload
alone reads thousands separators in whole groups of three, "1,234,567.5", as text copied
from a printed table has them), spaces or underscores inside ("1 000", "1_000"), a plus sign
("+3" may mean "3 more than before"), a percent or per mille sign (the unit is the
indicator's), exponents ("1e3"), ".5" and "5." (write 0.5 and 5), digits of other scripts,
and text longer than any figure the platform stores.

A number that is already a number (an Excel cell, a JSON number) is taken as it is shown: a
float by its shortest representation, so 0.1 stays 0.1.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_LENGTH = 40  # far more than the 15 digits and 4 places a stored value may have

# Full-width forms a Chinese input method types, and the Unicode minus signs.
_WIDE = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "．": ".",
        "－": "-",
        "−": "-",
        "，": ",",
        "＋": "+",
        "＿": "_",
        "％": "%",
    }
)
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", re.ASCII)
_SPACE_INSIDE = re.compile(r"\S\s+\S")


class NumberError(ValueError):
    """A typed number that cannot be read; `message` says why, for the person who typed it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_number(raw, *, thousands: bool = False) -> Decimal:
    """`raw` (text, an int, a float or a Decimal) as an exact Decimal, or NumberError.
    `thousands`: accept commas that group the integer part in threes (the Excel upload)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise NumberError(_not_a_number(str(raw), _("Enter a number.")))
    if isinstance(raw, str):
        return _read_text(raw, thousands)
    number = Decimal(raw) if isinstance(raw, int | Decimal) else Decimal(repr(raw))
    if not number.is_finite():
        raise NumberError(_not_a_number(str(raw), _("Enter a number.")))
    return number


def _read_text(raw: str, thousands: bool) -> Decimal:
    text = raw.strip()
    if len(text) > MAX_LENGTH:
        raise NumberError(
            _("“%(start)s…” is too long to be a number.") % {"start": text[:MAX_LENGTH]}
        )
    plain = text.translate(_WIDE)
    if _PLAIN.fullmatch(plain):
        return Decimal(plain)
    if thousands and _GROUPED.fullmatch(plain):
        return Decimal(plain.replace(",", ""))
    raise NumberError(_not_a_number(text, _advice(plain, thousands)))


def _advice(text: str, thousands: bool) -> str:
    """Why a text is not a number, in the words that help its writer most."""
    if "," in text:
        if thousands:
            return _(
                "A comma may only separate thousands, in groups of three (1,234,567); write "
                "decimals with a point (6.9)."
            )
        return _("Write it without commas, with a point for decimals (1234567 or 6.9).")
    if _SPACE_INSIDE.search(text) or "_" in text:
        return _("Write the digits without spaces or underscores between them (1000).")
    if text.startswith("+"):
        return _("Write it without a plus sign (a minus sign is fine where a value may fall).")
    if text.endswith(("%", "‰")):
        return _("Write the number alone, without its unit (6.9, not 6.9%).")
    return _("Enter a number.")


def _not_a_number(text: str, advice: str) -> str:
    # The two sentences joined as `reports.wording.join_sentences` joins them (no space in
    # Chinese); the same msgid, so the same translation.
    first = _("“%(text)s” is not a number.") % {"text": text}
    return _("%(first)s %(second)s") % {"first": first, "second": advice}
