"""Forms of the uppföljning: which period and comparison to show, and a prognos with its comment."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from core.models import Organisation

from .followup_selectors import MONTH_NAMES
from .models import DimensionObject, FiscalYear

MONTH_CHOICES = [(i, name.capitalize()) for i, name in enumerate(MONTH_NAMES, start=1)]
COMPARE_CHOICES = [("budget", "Mot budget"), ("forra-aret", "Mot förra året")]


class FollowupForm(forms.Form):
    ar = forms.ModelChoiceField(label="Räkenskapsår", queryset=FiscalYear.objects.none(), required=False)
    fran = forms.TypedChoiceField(label="Från månad", choices=MONTH_CHOICES, coerce=int, required=False)
    till = forms.TypedChoiceField(label="Till och med månad", choices=MONTH_CHOICES, coerce=int, required=False)
    jamfor = forms.ChoiceField(label="Jämför", choices=COMPARE_CHOICES, required=False)
    objekt = forms.ModelChoiceField(
        label="Verksamhet", queryset=DimensionObject.objects.none(), required=False, empty_label="Alla"
    )

    def __init__(self, *args, organisation: Organisation, dimension=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ar"].queryset = FiscalYear.objects.for_organisation(organisation).order_by("-start")
        self.fields["ar"].empty_label = None
        if dimension is not None:
            self.fields["objekt"].queryset = DimensionObject.objects.filter(dimension=dimension).order_by("code")
            self.fields["objekt"].label = f"Kontotabellen för {dimension.name.lower()}"
        else:
            del self.fields["objekt"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        first, last = data.get("fran"), data.get("till")
        if first and last and first > last:
            self.add_error("fran", "Från-månaden kan inte ligga efter till-månaden.")
        return data


class ForecastForm(forms.Form):
    """The amount is typed the Swedish way ("154 300 000", "1 234,50"); the comment is checked by the service, so
    the refusal without one is the service's message."""

    enhet = forms.CharField(widget=forms.HiddenInput)
    amount = forms.CharField(
        label="Prognos helår (kr)",
        help_text="Nettokostnad för helåret, kostnader positiva och intäkter negativa som i tabellen.",
    )
    comment = forms.CharField(
        label="Kommentar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Krävs: vad prognosen bygger på och varför den avviker från budgeten.",
    )

    def clean_amount(self) -> Decimal:
        from .tabular import parse_number

        try:
            return parse_number(self.cleaned_data["amount"])
        except ValueError as exc:
            raise forms.ValidationError(f"”{self.cleaned_data['amount']}” är inget belopp i kronor.") from exc


class FollowupSettingsForm(forms.Form):
    percent_threshold = forms.DecimalField(
        label="Stor avvikelse: procent av årsbudget", min_value=0, max_digits=5, decimal_places=2
    )
    amount_threshold = forms.DecimalField(label="Stor avvikelse: kronor", min_value=0, max_digits=15, decimal_places=2)
    report_heading = forms.CharField(
        label="Rubrik i månadsuppföljningen",
        max_length=200,
        required=False,
        help_text="Nämnden eller förbundet, t.ex. ”Socialnämnd”. Tomt: organisationens namn.",
    )
