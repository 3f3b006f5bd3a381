"""Forms for diarieserier, ärenden, the tjänsteskrivelse and the internal search.

Plain forms (not ModelForms), so a refused post never changes the object shown on the page. They check what
was typed; the services apply the rules that need the database.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.models import Organisation
from core.versioning import VersionField

from . import case_selectors
from .clauses import clause_errors
from .models import LEGAL_BASIS_HELP, Case, CaseNumberSeries, Committee, OfficerReport, validate_case_pattern

INVALID_DATE = "Skriv datumet som ÅÅÅÅ-MM-DD."
LEGAL_BASIS_MISSING = "Ange sekretessgrund (t.ex. ”OSL 26 kap. 1 §”) när något markeras som sekretess."


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": INVALID_DATE, "required": "Ange ett datum."},
    )


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a textarea, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CommitteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return f"{obj.name} ({obj.short_name})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name}, {obj.title}" if obj.title else obj.full_name


def committee_field(organisation: Organisation, *, label: str = "Organ", required: bool = False, help_text: str = ""):
    return CommitteeChoiceField(
        label=label,
        queryset=case_selectors.organisation_committees(organisation=organisation),
        required=required,
        empty_label="–" if not required else "Välj organ",
        help_text=help_text,
        error_messages={"invalid_choice": "Välj ett organ i listan.", "required": "Välj ett organ."},
    )


def person_field(organisation: Organisation, *, label: str, help_text: str = ""):
    return PersonChoiceField(
        label=label,
        queryset=case_selectors.organisation_people(organisation=organisation),
        required=False,
        empty_label="–",
        help_text=help_text,
        error_messages={"invalid_choice": "Välj en person i listan."},
    )


def handler_field(organisation: Organisation, *, current: int | None = None):
    """Handläggare: staff only (case_selectors.staff_people), keeping an existing choice selectable."""
    return PersonChoiceField(
        label="Handläggare",
        queryset=case_selectors.staff_people(organisation=organisation, include_pk=current),
        required=False,
        empty_label="–",
        error_messages={"invalid_choice": "Välj en person i listan."},
    )


class ConfidentialFieldsMixin:
    """`confidential` + `legal_basis`, and the rule that one needs the other."""

    def add_confidential_fields(self, *, label: str = "Sekretess") -> None:
        self.fields["confidential"] = forms.BooleanField(
            label=label,
            required=False,
            help_text="Innehållet visas aldrig för allmänheten och internt bara för dem som får se sekretess.",
        )
        self.fields["legal_basis"] = forms.CharField(
            label="Sekretessgrund", max_length=200, required=False, help_text=LEGAL_BASIS_HELP
        )

    def clean_confidential_fields(self, cleaned: dict) -> None:
        cleaned["legal_basis"] = (cleaned.get("legal_basis") or "").strip()
        if cleaned.get("confidential") and not cleaned["legal_basis"]:
            self.add_error("legal_basis", LEGAL_BASIS_MISSING)


# Diarieserier -------------------------------------------------------------------------------------------------


class SeriesForm(forms.Form):
    name = forms.CharField(
        label="Namn",
        max_length=100,
        error_messages={"required": "Ange seriens namn, t.ex. ”Socialnämndens diarium”."},
    )
    pattern = forms.CharField(
        label="Mönster",
        max_length=60,
        initial="{committee} {year}/{seq}",
        validators=[validate_case_pattern],
        help_text="Fält: {committee} (organets förkortning), {year} (årtal), {seq} (löpnummer) och {seq4} "
        "(löpnummer med fyra siffror). Exempel: ”{committee} {year}/{seq}” ger SN 2022/41.",
        error_messages={"required": "Ange ett mönster, t.ex. ”{committee} {year}/{seq}”."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    is_active = forms.BooleanField(
        label="Används",
        required=False,
        initial=True,
        help_text="En serie som inte används finns kvar med sina ärenden men kan inte väljas för nya ärenden.",
    )

    def __init__(self, *args, organisation: Organisation, series: CaseNumberSeries | None = None, **kwargs):
        if series is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": series.name,
                "pattern": series.pattern,
                "committee": series.committee_id,
                "is_active": series.is_active,
            }
        super().__init__(*args, **kwargs)
        self.fields["committee"] = committee_field(
            organisation, help_text="Organets förkortning fyller {committee}. Tomt: serien gäller hela organisationen."
        )
        self.order_fields(["name", "committee", "pattern", "is_active"])
        # The live preview (static/js is not needed: htmx reads these attributes).
        for name in ("pattern", "committee"):
            self.fields[name].widget.attrs["aria-describedby"] = "series-preview"


class SeriesPreviewForm(forms.Form):
    """The GET parameters of the live preview: what is typed in the series form so far."""

    pattern = forms.CharField(required=False, max_length=60)
    committee = forms.IntegerField(required=False)
    series = forms.IntegerField(required=False)


# Ärenden ------------------------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    """`?organ=&status=&ar=&q=` on the list of ärenden. Invalid values are ignored, never an error page."""

    q = forms.CharField(label="Sök på diarienummer eller ärendemening", required=False, max_length=200)
    organ = forms.ModelChoiceField(label="Organ", queryset=Committee.objects.none(), required=False, empty_label="Alla")
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alla"), *Case.Status.choices])
    ar = forms.TypedChoiceField(label="År", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = case_selectors.organisation_committees(organisation=organisation)
        years = case_selectors.case_years(organisation=organisation)
        self.fields["ar"].choices = [("", "Alla"), *((year, str(year)) for year in years)]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"committee": data["organ"], "status": data["status"], "year": data["ar"], "text": data["q"]}


class CaseCreateForm(ConfidentialFieldsMixin, forms.Form):
    title = forms.CharField(
        label="Ärendemening",
        max_length=300,
        error_messages={"required": "Skriv ärendemeningen, alltså vad ärendet gäller."},
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        kwargs.setdefault("initial", {"registered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["series"] = forms.ModelChoiceField(
            label="Diarieserie",
            queryset=case_selectors.series_active(organisation=organisation),
            empty_label="Välj serie",
            help_text="Ärendet får nästa lediga nummer i serien för det år det registreras.",
            error_messages={"required": "Välj en diarieserie.", "invalid_choice": "Välj en diarieserie i listan."},
        )
        self.fields["committee"] = committee_field(
            organisation, help_text="Tomt: seriens organ. Det organ som ska besluta i ärendet."
        )
        self.fields["handler"] = handler_field(organisation)
        self.fields["registered_on"] = date_field("Registrerat")
        series = list(self.fields["series"].queryset[:2])
        if len(series) == 1 and "series" not in self.initial:
            self.initial["series"] = series[0].pk  # one diarium: nothing to choose
        self.add_confidential_fields()
        self.order_fields(["series", "title", "committee", "handler", "registered_on", "confidential", "legal_basis"])

    def clean(self):
        cleaned = super().clean()
        self.clean_confidential_fields(cleaned)
        return cleaned


class CaseEditForm(ConfidentialFieldsMixin, forms.Form):
    title = forms.CharField(
        label="Ärendemening",
        max_length=300,
        error_messages={"required": "Skriv ärendemeningen, alltså vad ärendet gäller."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Case.Status.choices,
        error_messages={"required": "Välj en status.", "invalid_choice": "Välj en status i listan."},
    )
    version = VersionField()

    def __init__(self, *args, organisation: Organisation, case: Case, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": case.title,
                "status": case.status,
                "handler": case.handler_id,
                "confidential": case.confidential,
                "legal_basis": case.legal_basis,
                "version": case.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["handler"] = handler_field(organisation, current=case.handler_id)
        self.add_confidential_fields()
        self.order_fields(["title", "handler", "status", "confidential", "legal_basis"])

    def clean(self):
        cleaned = super().clean()
        self.clean_confidential_fields(cleaned)
        return cleaned


# Tjänsteskrivelse ---------------------------------------------------------------------------------------------


class OfficerReportForm(forms.Form):
    proposed_clauses = forms.CharField(
        label="Förslag till beslut",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="En att-sats per rad, t.ex. ”att godkänna den ekonomiska uppföljningen”.",
    )
    summary = forms.CharField(label="Sammanfattning", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    description = forms.CharField(label="Ärendebeskrivning", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    financial_impact = forms.CharField(
        label="Ekonomiska konsekvenser", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    distribution = forms.CharField(
        label="Beslutet skickas till",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="En mottagare per rad, t.ex. ”Förvaltningschef” eller ”Kommunstyrelsen för kännedom”.",
    )
    version = VersionField()

    def __init__(self, *args, organisation: Organisation, report: OfficerReport, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "proposed_clauses": "\n".join(report.proposed_clauses or []),
                "summary": report.summary,
                "description": report.description,
                "financial_impact": report.financial_impact,
                "distribution": report.distribution,
                "handler": report.handler_id,
                "signed_by": report.signed_by_id,
                "dated_on": report.dated_on,
                # 0 when no tjänsteskrivelse is saved yet: a first save by someone else is a conflict too.
                "version": report.version if report.pk else 0,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["handler"] = handler_field(organisation, current=report.handler_id)
        self.fields["signed_by"] = person_field(
            organisation,
            label="Undertecknas av",
            help_text="Förvaltningschef eller annan chef som ställer sig bakom förslaget.",
        )
        self.fields["dated_on"] = date_field("Datum", required=False)

    def clean_proposed_clauses(self) -> list[str]:
        text = self.cleaned_data["proposed_clauses"]
        # Count the lines as the user sees them in the textarea, blank ones included.
        errors = clause_errors(text.splitlines())
        if errors:
            raise forms.ValidationError(errors)
        return lines_of(text)

    def clean_distribution(self) -> str:
        return "\n".join(lines_of(self.cleaned_data["distribution"]))


# Bilagor -----------------------------------------------------------------------------------------------------


class CaseAttachmentForm(ConfidentialFieldsMixin, forms.Form):
    """A bilaga to an ärende. Type and size are checked by meetings.attachments.attachment_add."""

    upload = forms.FileField(
        label="Fil",
        help_text="PDF, Word, Excel, PNG eller JPEG.",
        error_messages={"required": "Välj en fil att ladda upp.", "empty": "Filen är tom."},
    )
    title = forms.CharField(label="Rubrik", max_length=300, required=False, help_text="Tomt: filens namn.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_confidential_fields(label="Bilagan omfattas av sekretess")

    def clean(self):
        cleaned = super().clean()
        self.clean_confidential_fields(cleaned)
        return cleaned


# Sök ----------------------------------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(label="Sökord", required=False, max_length=200)
    diarienummer = forms.CharField(label="Diarienummer", required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fran"] = date_field("Från och med datum", required=False)
        self.fields["till"] = date_field("Till och med datum", required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end and start > end:
            self.add_error("till", "Slutdatumet ligger före startdatumet.")
        return cleaned

    @property
    def has_criteria(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(key) for key in ("q", "diarienummer", "fran", "till"))

    def search_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["q"].strip(),
            "case_number": data["diarienummer"].strip(),
            "date_from": data["fran"],
            "date_to": data["till"],
        }
