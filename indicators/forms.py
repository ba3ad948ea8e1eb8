"""The clerk's entry form: it parses what was typed; the reporting services judge it.

The form only turns text into values (a number, a stage's name, a file) and checks what the
services cannot see: the attachment's type and size. Every rule about the value itself lives
in `indicators.validation`, reached through `indicators.reporting`, so the page, the API and
the Excel upload give the same answer.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.formatting import plain
from indicators.models import Actual, ActualState, Indicator, Kind

MAX_ATTACHMENT = 5 * 1024 * 1024  # bytes
# The first bytes of the file types an attachment may have (a scan, a photo, a PDF report).
SIGNATURES = (b"%PDF", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
EVENT_UNIT = "起"  # events are counted in 起 even where the plan prints no unit


def display_unit(indicator: Indicator) -> str:
    """The unit a clerk types the number in: % for a growth rate, 起 for events."""
    if indicator.kind == Kind.RATE:
        return "%"
    if indicator.kind == Kind.ZERO_EVENT:
        return indicator.unit or EVENT_UNIT
    return "" if indicator.kind == Kind.MILESTONE else indicator.unit


def meaning(indicator: Indicator, quarter: int | None) -> str:
    """What the number means for the indicator's kind and the period (domain.md §3), with
    its unit: e.g. 1–3季度累计值（亿元）, 季末值（家）, 本季度发生数（起）, 已达到的阶段."""
    text = _meaning(indicator.kind, quarter)
    unit = display_unit(indicator)
    return _("%(meaning)s (%(unit)s)") % {"meaning": text, "unit": unit} if unit else text


def _meaning(kind: str, quarter: int | None) -> str:
    if kind == Kind.MILESTONE:
        return _("Stage reached")
    if quarter is None:
        return str(YEAR_MEANINGS[kind])
    if kind in (Kind.ANNUAL_TOTAL, Kind.RATE):
        if quarter == 1:
            return _("Q1 total") if kind == Kind.ANNUAL_TOTAL else _("Q1 growth")
        if kind == Kind.ANNUAL_TOTAL:
            return _("Year-to-date total, Q1–Q%(quarter)s") % {"quarter": quarter}
        return _("Year-to-date growth, Q1–Q%(quarter)s") % {"quarter": quarter}
    return str(QUARTER_MEANINGS[kind])


QUARTER_MEANINGS = {
    Kind.LEVEL: gettext_lazy("Level at quarter end"),
    Kind.CUMULATIVE: gettext_lazy("Running total at quarter end"),
    Kind.ZERO_EVENT: gettext_lazy("Events in this quarter"),
}
YEAR_MEANINGS = {
    Kind.LEVEL: gettext_lazy("Level at year end"),
    Kind.CUMULATIVE: gettext_lazy("Running total at year end"),
    Kind.ANNUAL_TOTAL: gettext_lazy("Total for the whole year"),
    Kind.RATE: gettext_lazy("Growth over the whole year"),
    Kind.ZERO_EVENT: gettext_lazy("Events in the whole year"),
}


def is_accepted_file(head: bytes) -> bool:
    """Whether a file's first bytes are those of a PDF, PNG, JPEG, GIF or WebP."""
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return is_webp or head.startswith(SIGNATURES)


class EntryForm(forms.Form):
    """One value of one indicator and period. The fields depend on the indicator (a number or
    a stage) and on the stored value (a reason only to change an approved one)."""

    value = forms.DecimalField(
        label=gettext_lazy("Value"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    stage = forms.CharField(label=gettext_lazy("Stage reached"), required=False)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,  # the services say what a missing source means
        max_length=300,
        help_text=gettext_lazy("e.g. 县统计局快报, a department's ledger, a dated news report"),
        widget=forms.TextInput(attrs={"required": True}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed when the value changed by more than half."),
    )
    attachment = forms.FileField(
        label=gettext_lazy("Attachment"),
        required=False,
        help_text=gettext_lazy("Optional: a PDF or an image (PNG, JPEG, GIF, WebP), at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,image/*"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "The approved value stays in force until the reviewer approves the correction."
        ),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, actual: Actual | None, quarter, **kwargs):
        kwargs.setdefault("initial", _initial(actual))
        super().__init__(*args, **kwargs)
        if indicator.kind == Kind.MILESTONE:
            del self.fields["value"]
            labels = [stage.label for stage in indicator.stages.all()]
            choices = [("", _("Choose a stage")), *((label, label) for label in labels)]
            self.fields["stage"].widget = forms.Select(choices=choices)
        else:
            del self.fields["stage"]
            self.fields["value"].label = meaning(indicator, quarter)
        if actual is None or actual.state != ActualState.APPROVED:
            del self.fields["reason"]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if upload.size > MAX_ATTACHMENT:
            raise forms.ValidationError(_("The attachment is larger than 5 MB."))
        head = upload.read(12)
        upload.seek(0)
        if not is_accepted_file(head):
            raise forms.ValidationError(
                _("The attachment must be a PDF or an image (PNG, JPEG, GIF or WebP).")
            )
        return upload

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show the services' messages beside their fields, or above the form for the others
        (the period, the state)."""
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _initial(actual: Actual | None) -> dict:
    """The form's starting values: the stored working copy, if any."""
    if actual is None:
        return {}
    return {
        "value": plain(actual.value),  # "3", not "3.0000"
        "stage": actual.stage.label if actual.stage else "",
        "source": actual.source,
        "note": actual.note,
        "version": actual.version,
    }
