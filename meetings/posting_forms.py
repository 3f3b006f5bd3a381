"""Forms for anslag, överklagande and protokollsutdrag. They check shape; the services check the rules."""

from __future__ import annotations

from django import forms

from .confidentiality import is_confidential
from .models import Paragraph

DATE_WIDGET = {"type": "date"}


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={"invalid": "Ange ett datum som ÅÅÅÅ-MM-DD.", "required": "Ange ett datum."},
    )


class PostingForm(forms.Form):
    posted_on = _date_field("Anslaget sätts upp", "Senast andra dagen efter justeringen.")
    taken_down_on = _date_field("Anslaget tas ned", "Tidigast tre veckor efter att anslaget satts upp.")
    storage_place = forms.CharField(
        label="Förvaringsplats för protokollet",
        max_length=300,
        error_messages={"required": "Ange var protokollet förvaras."},
    )


class AppealForm(forms.Form):
    received_on = _date_field("Överklagandet inkom")
    appellant = forms.CharField(
        label="Klagande",
        max_length=300,
        required=False,
        help_text="Valfritt. Visas bara internt.",
    )
    court = forms.CharField(label="Domstol", max_length=200, initial="Förvaltningsrätten")
    note = forms.CharField(label="Anteckning", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExtractForm(forms.Form):
    """Which §§ of the protokoll go into the protokollsutdrag."""

    paragraphs = forms.TypedMultipleChoiceField(
        label="Paragrafer",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Välj minst en paragraf till utdraget."},
    )

    def __init__(self, *args, paragraphs: list[Paragraph], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraphs"].choices = [
            (p.number, f"§ {p.number} {p.title}" + (" (sekretess)" if is_confidential(p) else "")) for p in paragraphs
        ]
