"""Forms for insatser, their parts and participant reports. They validate; the services write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q

from core.models import Organisation

from . import project_selectors
from .models import (
    GENDERS,
    LOCKED_FIELD_MESSAGE,
    PERIOD_COUNTS,
    BudgetYear,
    Category,
    Project,
    ProjectParty,
    SubProject,
    period_label,
)
from .project_services import LOCKED_FIELDS, PROJECT_FIELDS
from .report_grid import GENDER_WORDS, Grid
from .report_services import MAX_COUNT

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    target_groups = forms.ModelMultipleChoiceField(
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Målgrupper",
    )

    class Meta:
        model = Project
        fields = list(PROJECT_FIELDS)
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "steering_group": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "steering_group": "En person eller funktion per rad.",
            "follow_up_method": "Register i Paragraf förs hos utföraren; förbundet får bara antal.",
            "report_period": "Hur ofta insatsens deltagarrapporter lämnas.",
        }
        error_messages = {
            "name": {"required": "Ange insatsens namn."},
            "kind": {"required": "Välj typ av insats."},
            "orientation": {"required": "Välj inriktning."},
            "executor_name": {"required": "Ange utföraren."},
        }

    def __init__(self, *args, organisation: Organisation, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = project_selectors.target_group_choices(organisation=organisation)
        if self.instance.pk:
            self.fields["target_groups"].queryset = Category.objects.filter(
                Q(pk__in=self.fields["target_groups"].queryset.values("pk"))
                | Q(pk__in=self.instance.target_groups.values("pk"))
            ).order_by("position", "pk")
        self.fields["executor_organisation"].queryset = Organisation.objects.filter(
            Q(pk=organisation.pk) | Q(federations=organisation)
        ).distinct()
        self.fields[
            "executor_organisation"
        ].help_text = "Fyll i när utföraren själv använder Paragraf: organisationen själv eller en av medlemmarna."
        self.fields["ends_on"].error_messages["invalid"] = "Ange slutdatum som ÅÅÅÅ-MM-DD."
        self.fields["starts_on"].error_messages["invalid"] = "Ange startdatum som ÅÅÅÅ-MM-DD."
        if locked:
            for name, word in LOCKED_FIELDS.items():
                self.fields[name].disabled = True
                self.fields[name].help_text = LOCKED_FIELD_MESSAGE.format(what=word)

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS}
        data["target_groups"] = list(self.cleaned_data["target_groups"])
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Ny status", choices=Project.Status.choices)
    changed_on = forms.DateField(
        label="Från och med", widget=DATE_WIDGET, error_messages={"invalid": "Ange datum som ÅÅÅÅ-MM-DD."}
    )
    note = forms.CharField(label="Kommentar", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"changed_on": dt.date.today()})
        super().__init__(*args, **kwargs)


class PartyForm(forms.ModelForm):
    class Meta:
        model = ProjectParty
        fields = ["name", "role", "contribution", "contribution_amount"]
        error_messages = {"name": {"required": "Ange partens namn."}}


class BudgetYearForm(forms.ModelForm):
    class Meta:
        model = BudgetYear
        fields = ["year", "granted_grant", "co_financing", "own_contribution"]
        help_texts = {"year": "Finns året redan ersätts dess budget."}
        error_messages = {"year": {"required": "Ange år."}}

    def validate_unique(self):
        pass  # an existing year is replaced (budget_year_save)


class SubProjectForm(forms.ModelForm):
    class Meta:
        model = SubProject
        fields = ["code", "name"]
        error_messages = {"code": {"required": "Ange en projektkod."}, "name": {"required": "Ange ett namn."}}

    def validate_unique(self):
        pass  # the service names the delprojekt that already has the code


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    period_number = forms.TypedChoiceField(label="Period", coerce=int)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        kind = project.report_period
        self.fields["period_number"].choices = [
            (number, period_label(kind, 2000, number).replace(" 2000", ""))
            for number in range(1, PERIOD_COUNTS[kind] + 1)
        ]
        self.fields["year"].error_messages = {"required": "Ange år.", "invalid": "Ange år med fyra siffror."}
        self.fields["year"].initial = dt.date.today().year


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="Skäl till rättelsen",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Ange skälet till rättelsen."},
    )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["label", "group", "age_from", "age_to", "active"]
        error_messages = {"label": {"required": "Ange en benämning."}}

    def validate_unique(self):
        pass

    def __init__(self, *args, age_group: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not age_group:
            del self.fields["age_from"]
            del self.fields["age_to"]
        if not self.instance.pk:
            del self.fields["active"]


# The report grid ---------------------------------------------------------------------------------------------


def cell_name(key: str, gender: str) -> str:
    return f"c__{key}__{gender}"


def parse_grid(grid: Grid, data) -> tuple[dict[tuple[str, str], int], list[str], dict[str, str]]:
    """The typed cells of a posted grid: (values, errors naming row and column, what was typed by field name)."""
    values: dict[tuple[str, str], int] = {}
    errors: list[str] = []
    typed: dict[str, str] = {}
    for section_title, row in _rows_with_titles(grid):
        for gender in GENDERS:
            name = cell_name(row.key, gender)
            raw = (data.get(name) or "").strip()
            typed[name] = raw
            if raw == "":
                values[(row.key, gender)] = 0
                continue
            try:
                number = int(raw)
            except ValueError:
                number = -1
            if not 0 <= number <= MAX_COUNT:
                where = f"{section_title}, {row.label}" if section_title else row.label
                errors.append(f"{where}, {GENDER_WORDS[gender]}: ange ett heltal mellan 0 och {MAX_COUNT}.")
                continue
            values[(row.key, gender)] = number
    return values, errors, typed


def _rows_with_titles(grid: Grid):
    for row in grid.base_rows:
        yield "", row
    for section in grid.sections:
        for row in section.rows:
            yield section.title, row


# Goals, assessments, NNS indicators and deltagaransvariga ----------------------------------------------------


class GoalForm(forms.Form):
    title = forms.CharField(label="Mål", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    parent = forms.ModelChoiceField(
        queryset=None, required=False, label="Delmål till", empty_label="Inget – ett övergripande mål"
    )
    target_key = forms.ChoiceField(label="Mäts på", required=False, help_text="Lämna tomt för ett mål som inte mäts.")
    comparison = forms.ChoiceField(label="Jämförelse", required=False)
    target_value = forms.DecimalField(
        label="Målvärde",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=1,
        help_text="Antal deltagare, eller procent för en andel.",
    )
    base_key = forms.ChoiceField(label="Andel av", required=False, help_text="Bara för en andel, t.ex. avslutade.")
    deadline = forms.DateField(label="Senast", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, project, goal=None, **kwargs):
        from .goal_selectors import target_choices
        from .models import Goal

        super().__init__(*args, **kwargs)
        parents = Goal.objects.filter(project=project, parent__isnull=True)
        if goal is not None:
            parents = parents.exclude(pk=goal.pk)
        self.fields["parent"].queryset = parents.order_by("position", "pk")
        choices = [("", "–"), *target_choices(project=project)]
        self.fields["target_key"].choices = choices
        self.fields["base_key"].choices = choices
        self.fields["comparison"].choices = [("", "–"), *list(Goal.Comparison.choices)]


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    outcome = forms.ChoiceField(label="Bedömning", widget=forms.RadioSelect)
    comment = forms.CharField(label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from .models import GoalAssessment

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = GoalAssessment.Outcome.choices


class IndicatorForm(forms.Form):
    indicator = forms.CharField(label="Indikator", max_length=200, help_text="T.ex. Individens upplevelse av insatsen.")
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    value = forms.DecimalField(label="Resultat", max_digits=7, decimal_places=2, help_text="Index eller procent.")
    respondents = forms.IntegerField(label="Antal svar", required=False, min_value=0)


class IndicatorImportForm(forms.Form):
    MAX_BYTES = 2 * 1024 * 1024
    file = forms.FileField(
        label="Excel-fil (.xlsx)",
        help_text="Första raden: Indikator, År, Resultat och (om du vill) Antal svar. En rad per indikator och år. "
        "Finns något fel importeras ingenting och varje fel listas med rad och kolumn.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"Filen ”{upload.name}” är inte en Excel-fil (.xlsx).")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(f"Filen ”{upload.name}” är större än 2 MB.")
        return upload


class StaffForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label="Deltagaransvarig", empty_label="Välj användare")

    def __init__(self, *args, project, **kwargs):
        from .goal_selectors import staff_candidates

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_candidates(project=project)
        self.fields["user"].label_from_instance = lambda user: user.get_full_name() or user.username


class XlsxUploadForm(forms.Form):
    """One filled-in template (.xlsx). The parser lists every problem in the file; this only checks the file."""

    MAX_BYTES = 20 * 1024 * 1024
    file = forms.FileField(
        label="Ifylld mall (.xlsx)",
        help_text="Finns något fel i filen importeras ingenting, och varje fel visas med rad och kolumn.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"Filen ”{upload.name}” är inte en Excel-fil (.xlsx).")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(f"Filen ”{upload.name}” är större än 20 MB.")
        return upload
