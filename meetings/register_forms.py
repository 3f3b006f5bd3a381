"""Forms for the delegationsbeslut and meddelanden registers. Plain forms: a refused post changes nothing."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.models import Organisation

from . import case_selectors
from .case_forms import ConfidentialFieldsMixin, committee_field, date_field
from .models import Case, Communication, DelegatedDecision


class CaseNumberField(forms.CharField):
    """An ärende given by its diarienummer (a list of every ärende would not scale); resolved in the form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Ärende (diarienummer)")
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("help_text", "Frivilligt. T.ex. ”SN 2022/41”.")
        super().__init__(**kwargs)


class RegisterRowForm(ConfidentialFieldsMixin, forms.Form):
    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["committee"] = committee_field(
            organisation, label="Anmäls till", required=True, help_text="Det organ som beslutet anmäls till."
        )
        self.fields["case"] = CaseNumberField()
        self.add_confidential_fields()

    def clean_case(self) -> Case | None:
        number = (self.cleaned_data.get("case") or "").strip()
        if not number:
            return None
        case = case_selectors.case_by_number(organisation=self.organisation, case_number=number)
        if case is None:
            raise forms.ValidationError(f"Det finns inget ärende med diarienumret {number}.")
        return case

    def clean(self):
        cleaned = super().clean()
        self.clean_confidential_fields(cleaned)
        return cleaned


def _initial(row, names: list[str]) -> dict:
    initial = {name: getattr(row, name) for name in names}
    initial["committee"] = row.committee_id
    initial["case"] = row.case.case_number if row.case_id else ""
    return initial


class DelegatedDecisionForm(RegisterRowForm):
    FIELDS = ["decided_on", "delegate", "delegation_point", "decision", "confidential", "legal_basis"]

    def __init__(self, *args, organisation: Organisation, row: DelegatedDecision | None = None, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = _initial(row, self.FIELDS) if row else {"decided_on": timezone.localdate()}
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["decided_on"] = date_field("Beslutsdatum")
        self.fields["delegate"] = forms.CharField(
            label="Delegat",
            max_length=200,
            help_text="Den som fattade beslutet, t.ex. ”Socialsekreterare Anna Berg”.",
            error_messages={"required": "Ange vem som fattade beslutet."},
        )
        self.fields["delegation_point"] = forms.CharField(
            label="Punkt i delegationsordningen",
            max_length=50,
            help_text="T.ex. ”3.1.4”.",
            error_messages={"required": "Ange punkten i delegationsordningen."},
        )
        self.fields["decision"] = forms.CharField(
            label="Beslut",
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": "Beskriv beslutet."},
        )
        self.order_fields(["decided_on", "delegate", "delegation_point", "decision", "committee", "case"])


class CommunicationForm(RegisterRowForm):
    FIELDS = ["received_on", "sender", "subject", "confidential", "legal_basis"]

    def __init__(self, *args, organisation: Organisation, row: Communication | None = None, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = _initial(row, self.FIELDS) if row else {"received_on": timezone.localdate()}
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["received_on"] = date_field("Inkom")
        self.fields["sender"] = forms.CharField(
            label="Avsändare", max_length=200, error_messages={"required": "Ange avsändaren."}
        )
        self.fields["subject"] = forms.CharField(
            label="Ämne", max_length=300, error_messages={"required": "Ange vad meddelandet gäller."}
        )
        self.order_fields(["received_on", "sender", "subject", "committee", "case"])


class RegisterFilterForm(forms.Form):
    """`?organ=&ej_anmalda=1&q=` on the register lists; invalid values are ignored."""

    q = forms.CharField(label="Sök", required=False, max_length=200)
    organ = forms.ModelChoiceField(label="Anmäls till", queryset=None, required=False, empty_label="Alla")
    ej_anmalda = forms.BooleanField(label="Bara ej anmälda", required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = case_selectors.organisation_committees(organisation=organisation)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"committee": data["organ"], "unreported": data["ej_anmalda"], "text": data["q"]}
