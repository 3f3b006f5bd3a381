"""Forms for finance. Plain forms: they validate and hand cleaned_data to a service."""

from __future__ import annotations

from django import forms

from core.models import Organisation
from meetings.case_forms import date_field

from .models import AccountGroup, AccountKind, FiscalYear


class AccountForm(forms.Form):
    code = forms.RegexField(
        label="Kontonummer",
        regex=r"^\d{1,20}$",
        max_length=20,
        error_messages={"invalid": "Kontonumret får bara innehålla siffror.", "required": "Ange kontonumret."},
    )
    name = forms.CharField(label="Kontonamn", max_length=200, error_messages={"required": "Ange kontonamnet."})
    kind = forms.ChoiceField(label="Kontotyp", choices=AccountKind.choices)
    group = forms.ModelChoiceField(
        label="Kontogrupp", queryset=AccountGroup.objects.none(), required=False, empty_label="(ingen)"
    )

    def __init__(self, *args, organisation: Organisation, account=None, **kwargs):
        bound = bool(args and args[0] is not None)
        if account is not None and not bound and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": account.code,
                "name": account.name,
                "kind": account.kind,
                "group": account.group_id,
                "active": account.active,
            }
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = AccountGroup.objects.for_organisation(organisation).order_by("code")
        if account is not None:
            self.fields["active"] = forms.BooleanField(
                label="Aktivt", required=False, help_text="Ett inaktivt konto visas men används inte för nya poster."
            )


class AccountGroupForm(forms.Form):
    code = forms.CharField(label="Kod", max_length=10, error_messages={"required": "Ange gruppens kod."})
    name = forms.CharField(label="Namn", max_length=200, error_messages={"required": "Ange gruppens namn."})


class FiscalYearForm(forms.Form):
    start = date_field("Första dag")
    end = date_field("Sista dag")


class SieUploadForm(forms.Form):
    file = forms.FileField(
        label="SIE-fil",
        help_text="En SIE 4-fil (typ 1–4 eller 4i) från ekonomisystemet, oftast med filändelsen .se eller .si.",
        error_messages={"required": "Välj en fil.", "empty": "Filen är tom."},
    )
    fiscal_year = forms.ModelChoiceField(
        label="Räkenskapsår",
        queryset=FiscalYear.objects.none(),
        required=False,
        empty_label="Enligt filen (#RAR)",
        help_text="Lämna tomt så används filens räkenskapsår; det skapas om det inte finns.",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.for_organisation(organisation).order_by("-start")


class YearChoiceForm(forms.Form):
    ar = forms.ModelChoiceField(label="Räkenskapsår", queryset=FiscalYear.objects.none(), required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ar"].queryset = FiscalYear.objects.for_organisation(organisation).order_by("-start")
        self.fields["ar"].empty_label = None
