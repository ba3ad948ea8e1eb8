"""The clerk's entry form: it parses what was typed; the reporting services judge it.

The form only turns text into values (a number, a stage's name, a file) and checks what the
services cannot see: the attachment's type and size. Every rule about the value itself lives
in `indicators.domain.validation`, reached through `indicators.services.actuals`, so the
page, the API and the Excel upload give the same answer.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.domain.formatting import plain
from indicators.domain.meanings import meaning
from indicators.models import Actual, ActualState, Indicator, Kind

MAX_ATTACHMENT = 5 * 1024 * 1024  # bytes
# The first bytes of the file types an attachment may have (a scan, a photo, a PDF report).
SIGNATURES = (b"%PDF", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


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

    def __init__(self, *args, indicator: Indicator, actual: Actual | None, period, **kwargs):
        kwargs.setdefault("initial", _initial(actual))
        super().__init__(*args, **kwargs)
        if indicator.kind == Kind.MILESTONE:
            del self.fields["value"]
            labels = [stage.label for stage in indicator.stages.all()]
            choices = [("", _("Choose a stage")), *((label, label) for label in labels)]
            self.fields["stage"].widget = forms.Select(choices=choices)
        else:
            del self.fields["stage"]
            self.fields["value"].label = meaning(indicator, period)
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
