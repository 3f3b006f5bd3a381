"""Forms for finance. Plain forms: they validate and hand cleaned_data to a service."""

from __future__ import annotations

from django import forms

from core.models import Organisation
from meetings.case_forms import date_field

from .models import AccountGroup, AccountKind, Dimension, FiscalYear


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
    replace_previous = forms.BooleanField(
        label="Ersätt räkenskapsårets tidigare import",
        required=False,
        help_text="För en ny export av hela året hittills: den bokföring som tidigare importerats för räkenskapsåret "
        "tas bort och ersätts av den här filen, men bara om filen kan importeras.",
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
        self.fields["ar"].widget.attrs["class"] = "form-select"


class TabularUploadForm(forms.Form):
    """An Excel or CSV ledger export and which column holds what; the columns are kept for the next file."""

    file = forms.FileField(
        label="Fil (Excel eller CSV)",
        help_text="En .xlsx-fil (första bladet) eller en CSV-fil med semikolon, tabb eller komma. Första raden ska "
        "innehålla kolumnrubrikerna.",
        error_messages={"required": "Välj en fil.", "empty": "Filen är tom."},
    )
    fiscal_year = forms.ModelChoiceField(
        label="Räkenskapsår",
        queryset=FiscalYear.objects.none(),
        error_messages={"required": "Välj räkenskapsår."},
    )
    replace_previous = forms.BooleanField(
        label="Ersätt räkenskapsårets tidigare import",
        required=False,
        help_text="För en ny export av hela året hittills: den bokföring som tidigare importerats för räkenskapsåret "
        "tas bort och ersätts av den här filen, men bara om filen kan importeras.",
    )

    HELP = {
        "date": "Obligatorisk. Datum som 2019-01-31, 20190131 eller 31.01.2019.",
        "account": "Obligatorisk. Kontonumret; kontot måste finnas i kontoplanen.",
        "amount": "Belopp med tecken (debet positivt, kredit negativt), t.ex. 1 234,50 eller −14,0. Lämna tomt om "
        "filen har en debet- och en kreditkolumn.",
        "debit": "Används om belopp lämnas tomt.",
        "credit": "Används om belopp lämnas tomt.",
        "voucher": "Frivillig. Rader med samma verifikationsnummer blir en verifikation, som måste balansera.",
    }

    def __init__(self, *args, organisation: Organisation, columns: dict[str, str], **kwargs):
        from .tabular import FIELDS

        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.for_organisation(organisation).order_by("-start")
        for name, label in FIELDS.items():
            self.fields[f"column_{name}"] = forms.CharField(
                label=f"Kolumn för {label.lower()}",
                required=False,
                max_length=100,
                initial=columns.get(name, ""),
                help_text=self.HELP.get(name, "Frivillig."),
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("column_date"):
            self.add_error("column_date", "Ange kolumnen för datum.")
        if not cleaned.get("column_account"):
            self.add_error("column_account", "Ange kolumnen för konto.")
        if not cleaned.get("column_amount") and not (cleaned.get("column_debit") or cleaned.get("column_credit")):
            self.add_error("column_amount", "Ange kolumnen för belopp, eller kolumnerna för debet och kredit.")
        return cleaned

    def columns(self) -> dict[str, str]:
        from .tabular import FIELDS

        return {name: self.cleaned_data.get(f"column_{name}", "") for name in FIELDS}


class KontoplanImportForm(forms.Form):
    file = forms.FileField(
        label="Fil med kontoplan",
        help_text="En SIE-fil (kontona i #KONTO och #KTYP), eller en Excel- eller CSV-fil vars första rad har "
        "kolumnerna Konto och Namn, och gärna Typ (intäkt, kostnad, tillgång, skuld, eget kapital) och Grupp.",
        error_messages={"required": "Välj en fil.", "empty": "Filen är tom."},
    )


class DimensionForm(forms.Form):
    name = forms.CharField(label="Namn", max_length=100, error_messages={"required": "Ange dimensionens namn."})
    kind = forms.ChoiceField(label="Slag", choices=Dimension.Kind.choices)
    sie_number = forms.IntegerField(
        label="Dimensionsnummer i SIE",
        min_value=1,
        max_value=999,
        help_text="1 är ansvar/kostnadsställe och 6 projekt i SIE-standarden; egna dimensioner från 20.",
        error_messages={"required": "Ange dimensionsnumret.", "invalid": "Ange ett heltal."},
    )


class DimensionObjectForm(forms.Form):
    code = forms.CharField(label="Kod", max_length=40, error_messages={"required": "Ange objektets kod."})
    name = forms.CharField(label="Namn", max_length=200, required=False)
