"""The clerk's entry form: it parses what was typed; the reporting services judge it.

The form only turns text into values (a number, a stage's name, a file) and checks what the
services cannot see: the attachment's type and size. Every rule about the value itself lives
in `indicators.domain.validation`, reached through `indicators.services.actuals`, so the
page, the API and the Excel upload give the same answer.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import attachments
from indicators.domain import numbers, validation, warnings
from indicators.domain.formatting import plain
from indicators.domain.meanings import meaning
from indicators.models import Actual, ActualState, Indicator, Kind, WillMeet

EXPLANATION_FIELDS = ("lag_cause", "lag_measures", "lag_will_meet")


class NumberField(forms.CharField):
    """A typed number, read by the one reader (`domain.numbers.read_number`): exact, or
    refused with the reason ("6,9", "1_000", "+3"); empty is None (the services judge it)."""

    def __init__(self, **kwargs):
        super().__init__(empty_value=None, max_length=None, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text is None:
            return None
        try:
            return numbers.read_number(text)
        except numbers.NumberError as error:
            raise forms.ValidationError(error.message, code="invalid") from error


class EntryForm(forms.Form):
    """One value of one indicator and period. The fields depend on the indicator (a number or
    a stage) and on the stored value (a reason only to change an approved one)."""

    value = NumberField(
        label=gettext_lazy("Value"),
        required=False,
        # Text, not type=number: a browser's number input sends "" for "6,9" and turns the
        # value with the mouse wheel; this way the one reader judges exactly what was typed.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
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
        max_length=validation.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed when the value changed by more than half."),
    )
    attachment = forms.FileField(
        label=gettext_lazy("Attachment"),
        required=False,
        help_text=gettext_lazy("Optional: a PDF or an image (PNG, JPEG, GIF, WebP), at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.gif,.webp"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        max_length=validation.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "The approved value stays in force until the reviewer approves the correction."
        ),
    )
    # The 滞后说明 (domain.md §11): the services say when a submission needs it.
    lag_cause = forms.CharField(
        label=gettext_lazy("Cause of the lag"),
        required=False,
        max_length=validation.MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lag_measures = forms.CharField(
        label=gettext_lazy("Measures taken"),
        required=False,
        max_length=validation.MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lag_will_meet = forms.ChoiceField(
        label=gettext_lazy("Will the milestone still be met?"),
        required=False,
        choices=[("", "---------"), *WillMeet.choices],
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
        for name in ("note", "reason", "lag_cause", "lag_measures"):  # the services' message
            if name in self.fields:
                limit = self.fields[name].max_length
                self.fields[name].error_messages["max_length"] = validation.too_long(name, limit)

    @property
    def entry_fields(self) -> list:
        """The visible fields but the 滞后说明's, which the page groups apart."""
        return [f for f in self.visible_fields() if f.name not in EXPLANATION_FIELDS]

    @property
    def explanation_fields(self) -> list:
        return [self[name] for name in EXPLANATION_FIELDS]

    def explanation(self) -> warnings.Explanation:
        """The 滞后说明 as typed (cleaned)."""
        data = self.cleaned_data
        return warnings.Explanation(data["lag_cause"], data["lag_measures"], data["lag_will_meet"])

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            attachments.check_attachment(upload)
        except attachments.AttachmentError as error:
            raise forms.ValidationError(error.message) from error
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
        "lag_cause": actual.lag_cause,
        "lag_measures": actual.lag_measures,
        "lag_will_meet": actual.lag_will_meet,
        "version": actual.version,
    }
