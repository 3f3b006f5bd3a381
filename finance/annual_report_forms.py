"""Forms of the årsredovisning: create for a year, the editor (with its version), fastställ."""

from __future__ import annotations

from django import forms

from core.models import Organisation
from core.versioning import VersionField
from meetings.case_forms import date_field

from .annual_report_figures import FIGURES
from .models import AnnualReport, FiscalYear

TEXT_HELP = (
    "Tom rad börjar ett nytt stycke, en rad som börjar med ”## ” är en underrubrik och ”- ” en punkt i en lista. "
    "Siffror skrivs som uppgifter, t.ex. {{ årets_resultat }}: de hämtas ur bokföringen när sidan eller PDF:en görs."
)


class AnnualReportCreateForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(
        label="Räkenskapsår", queryset=FiscalYear.objects.none(), error_messages={"required": "Välj räkenskapsår."}
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.for_organisation(organisation).filter(
            annual_report__isnull=True
        )


def _text(label: str, rows: int = 8) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows, "class": "annual-text"})
    )


class AnnualReportForm(forms.Form):
    version = VersionField()
    decided_on = date_field("Beslutad av styrelsen (datum)", required=False)
    chair_foreword = _text("Ordförande har ordet", 6)
    introduction = _text("1. Förvaltningsberättelse (inledning)", 4)
    summary = _text("1.1 Sammanfattning av verksamhetsåret")
    about = _text("1.2 Om förbundet")
    operations = _text("1.3 Beskrivning av verksamheten")
    goals = _text("1.4 Måluppfyllelse och resultat")
    board_work = _text("1.5 Styrelsens arbete under året")
    accounting_basis = forms.ChoiceField(label="Redovisningsprincip", choices=AnnualReport.Basis.choices)
    principles = _text("6. Redovisningsprinciper", 5)
    signatories = _text("Styrelsens ledamöter (när styrelsen inte finns i Paragraf)", 4)

    def __init__(self, *args, report: AnnualReport, **kwargs):
        fields = [name for name in self.base_fields if name != "version"]
        initial = {name: getattr(report, name) for name in fields}
        initial["version"] = report.version
        super().__init__(*args, initial=initial, **kwargs)
        self.fields[
            "signatories"
        ].help_text = "En per rad: namn, roll. Finns styrelsen i Paragraf hämtas ledamöterna därifrån."
        self.fields["summary"].help_text = TEXT_HELP
        self.figure_names = list(FIGURES)


class FinaliseForm(forms.Form):
    decided_on = date_field("Beslutad av styrelsen (datum)")
    confirm = forms.BooleanField(
        label="Jag förstår att en fastställd årsredovisning och räkenskapsårets bokföring, budget och siffror inte "
        "kan ändras",
        error_messages={"required": "Bekräfta att årsredovisningen ska fastställas."},
    )
