"""Forms of the participant register. They validate input; register_services writes and enforces the rules
(anonymous without samtycke, working age, categories of the förbund's lists)."""

from __future__ import annotations

import datetime as dt

from django import forms

from core.models import User

from .models import GENDERS, PERIOD_COUNTS, Category, CategoryList, Gender, Project, period_label

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
Key = CategoryList.Key


def _choices(project: Project, key: str):
    return Category.objects.filter(
        category_list__organisation_id=project.organisation_id, category_list__key=key, active=True
    ).order_by("position", "pk")


class ParticipantForm(forms.Form):
    """Inskrivning and changes. Without samtycke only kön and startår are saved."""

    code = forms.CharField(
        label="Deltagarkod",
        max_length=20,
        required=False,
        help_text="En pseudonym som ni kopplar till personen i ert eget system. Lämna tomt så skapas en kod. "
        "Aldrig namn eller personnummer.",
    )
    gender = forms.ChoiceField(
        label="Kön", choices=[(g, Gender(g).label) for g in GENDERS], error_messages={"required": "Välj kön."}
    )
    consent = forms.BooleanField(
        label="Deltagaren har samtyckt till registrering",
        required=False,
        help_text="Utan samtycke sparas bara kön och startår (en anonym deltagare som ändå räknas).",
    )
    consent_on = forms.DateField(label="Datum för samtycket", required=False, widget=DATE_WIDGET)
    enrolment_year = forms.IntegerField(
        label="Startår (utan samtycke)",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Används bara när samtycke saknas; annars räknas det ur inskrivningsdatum.",
    )
    enrolled_on = forms.DateField(label="Inskrivningsdatum", required=False, widget=DATE_WIDGET)
    birth_year = forms.IntegerField(label="Födelseår", required=False, min_value=1900, max_value=2100)
    referrer = forms.ModelChoiceField(label="Remittent", queryset=Category.objects.none(), required=False)
    education = forms.ModelChoiceField(label="Högsta utbildningsnivå", queryset=Category.objects.none(), required=False)
    income_at_entry = forms.ModelChoiceField(
        label="Försörjning vid inskrivning", queryset=Category.objects.none(), required=False
    )
    activities = forms.ModelMultipleChoiceField(
        label="Aktiviteter", queryset=Category.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrer"].queryset = _choices(project, Key.REFERRER)
        self.fields["education"].queryset = _choices(project, Key.EDUCATION)
        self.fields["income_at_entry"].queryset = _choices(project, Key.INCOME_AT_ENTRY)
        self.fields["activities"].queryset = _choices(project, Key.ACTIVITY)
        for name in ("referrer", "education", "income_at_entry"):
            self.fields[name].empty_label = "– välj –"

    def clean(self):
        data = super().clean()
        if data.get("consent"):
            if not data.get("enrolled_on"):
                self.add_error("enrolled_on", "Ange inskrivningsdatum.")
            if not data.get("consent_on"):
                self.add_error("consent_on", "Ange datum för samtycket.")
        elif not data.get("enrolment_year"):
            self.add_error("enrolment_year", "Ange startår för en deltagare utan samtycke.")
        return data


class ExitForm(forms.Form):
    exited_on = forms.DateField(
        label="Avslutsdatum", widget=DATE_WIDGET, error_messages={"required": "Ange avslutsdatum."}
    )
    exit_reason = forms.ModelChoiceField(
        label="Avslutsorsak", queryset=Category.objects.none(), error_messages={"required": "Välj avslutsorsak."}
    )
    income_at_exit = forms.ModelChoiceField(
        label="Försörjning vid avslut",
        queryset=Category.objects.none(),
        error_messages={"required": "Välj försörjning vid avslut."},
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exit_reason"].queryset = _choices(project, Key.EXIT_REASON)
        self.fields["income_at_exit"].queryset = _choices(project, Key.INCOME_AT_EXIT)
        for name in ("exit_reason", "income_at_exit"):
            self.fields[name].empty_label = "– välj –"


class RegisterReportForm(forms.Form):
    """Which period to compute and submit. A period submitted before needs a reason for the new version."""

    period = forms.ChoiceField(label="Period")
    reason = forms.CharField(
        label="Skäl till ny version",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Behövs bara om perioden redan är inlämnad.",
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        kind = project.report_period
        this_year = dt.date.today().year
        first = project.starts_on.year if project.starts_on else this_year - 10
        choices = []
        for year in range(this_year, max(first, 2000) - 1, -1):
            for number in range(PERIOD_COUNTS[kind], 0, -1):
                choices.append((f"{year}-{number}", period_label(kind, year, number)))
        self.fields["period"].choices = choices

    def clean_period(self) -> tuple[int, int]:
        year, number = self.cleaned_data["period"].split("-")
        return int(year), int(number)


class RetentionForm(forms.Form):
    years = forms.IntegerField(
        label="Gallras antal år efter avslut",
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Ange antal år.",
            "min_value": "Ange minst 1 år.",
            "max_value": "Ange högst 50 år.",
        },
        help_text="Enligt er informationshanteringsplan. Utan inställning gallras uppgifterna 2 år efter avslut.",
    )
    basis = forms.CharField(
        label="Grund", max_length=300, required=False, help_text="T.ex. informationshanteringsplanens beslut."
    )


class RegisterStaffForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Användare", queryset=User.objects.none(), error_messages={"required": "Välj en användare."}
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
