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


class FinalityRequestForm(forms.Form):
    """A begäran om lagakraftbevis: which §§, to which förvaltningsrätt, and the letter's sender."""

    paragraphs = forms.TypedMultipleChoiceField(
        label="Paragrafer",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Välj minst en paragraf.", "invalid_choice": "Välj paragrafer i listan."},
    )
    court = forms.CharField(
        label="Förvaltningsrätt",
        max_length=200,
        help_text="T.ex. ”Förvaltningsrätten i Karlstad”.",
        error_messages={"required": "Ange vilken förvaltningsrätt."},
    )
    court_address = forms.CharField(
        label="Domstolens adress",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En rad per adressrad.",
    )
    case_number = forms.CharField(label="Diarienummer", max_length=60, required=False)
    requested_on = _date_field("Datum för begäran", "Tidigast dagen efter att överklagandetiden gått ut.")
    return_address = forms.CharField(
        label="Handlingarna återsänds till",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Adressen dit förvaltningsrätten skickar lagakraftbeviset.",
    )
    signed_name = forms.CharField(
        label="Undertecknas av", max_length=200, error_messages={"required": "Ange vem som undertecknar begäran."}
    )
    signed_title = forms.CharField(label="Titel", max_length=200, required=False)
    contact = forms.CharField(
        label="Kontaktuppgifter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="T.ex. telefon och e-post, en per rad.",
    )

    def __init__(self, *args, paragraphs: list[Paragraph], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraphs"].choices = [
            (p.pk, f"§ {p.number} {p.title}" + (" (sekretess)" if is_confidential(p) else "")) for p in paragraphs
        ]


class FinalityAnswerForm(forms.Form):
    """The förvaltningsrätt's answer to a begäran: date, reference, and the §§ an överklagande had come in for."""

    answered_on = _date_field("Förvaltningsrättens svar är daterat")
    court_reference = forms.CharField(
        label="Målnummer eller referens",
        max_length=100,
        error_messages={"required": "Ange förvaltningsrättens målnummer eller referens."},
    )
    appealed = forms.TypedMultipleChoiceField(
        label="Överklagande har kommit in för",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Kryssa de paragrafer som enligt förvaltningsrätten är överklagade. Övriga har vunnit laga kraft.",
        error_messages={"invalid_choice": "Välj paragrafer i listan."},
    )

    def __init__(self, *args, paragraphs: list[Paragraph], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appealed"].choices = [(p.pk, f"§ {p.number} {p.title}") for p in paragraphs]
