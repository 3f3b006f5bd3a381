"""Forms for lägesrapporter and projektansökningar: one editor page each, the main form plus a formset per list
(delområden, aktiviteter, kostnadsslag; parter, mål, tidplan, budget, underskrifter). They validate; the
services write. An emptied row is dropped when saved."""

from __future__ import annotations

from django import forms

from core.versioning import VersionField

from .goal_selectors import target_choices
from .models import Goal, Project, ProjectApplication, StatusReport

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EXTRA_ROWS = 2


def _textarea(rows: int = 4):
    return forms.Textarea(attrs={"rows": rows})


class StatusReportCreateForm(forms.Form):
    period_start = forms.DateField(
        label="Perioden från", widget=DATE_WIDGET, error_messages={"required": "Ange periodens första dag."}
    )
    period_end = forms.DateField(
        label="Perioden till", widget=DATE_WIDGET, error_messages={"required": "Ange periodens sista dag."}
    )


class StatusReportForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = StatusReport
        fields = [
            "period_start",
            "period_end",
            "recipient",
            "case_reference",
            "contact_name",
            "contact_email",
            "contact_phone",
            "deviations",
            "work_process",
            "economy_comment",
            "information",
            "other",
            "signed_on",
            "signed_place",
            "signed_name",
            "signed_role",
        ]
        widgets = {
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "signed_on": DATE_WIDGET,
            "deviations": _textarea(5),
            "work_process": _textarea(6),
            "economy_comment": _textarea(4),
            "information": _textarea(4),
            "other": _textarea(3),
        }
        labels = {
            "deviations": "Avvikelser och åtgärder",
            "work_process": "Arbetsprocessen kopplat till periodens aktiviteter",
            "economy_comment": "Kommentar till det ekonomiska utfallet",
            "information": "Informationsinsatser",
        }
        help_texts = {
            "deviations": "Avvikelser från beslutade aktiviteter och vilka åtgärder som vidtagits eller ska vidtas.",
            "economy_comment": "Följer aktiviteterna budgeten? Om inte: hur och varför, och kräver det en justering?",
            "information": "Hur ni har informerat om vem som medfinansierar insatsen (ange gärna webbadress).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version
        if self.instance.revision > 1:
            # A correction reports the same period as the version it corrects.
            for name in ("period_start", "period_end"):
                self.fields[name].disabled = True


class AreaForm(forms.Form):
    code = forms.CharField(label="Delprojekt (projektkod)", required=False, max_length=20)
    heading = forms.CharField(label="Delområde", required=False, max_length=200)
    text = forms.CharField(label="Sammanfattning", required=False, widget=_textarea(5))


class ActivityForm(forms.Form):
    activity = forms.CharField(
        label="Genomförd aktivitet enligt beslutad aktivitetsplan", required=False, widget=_textarea(3)
    )
    result = forms.CharField(label="Resultat av aktiviteten och nästa steg", required=False, widget=_textarea(4))


class CostForm(forms.Form):
    cost_type = forms.CharField(label="Kostnadsslag", required=False, max_length=200)
    # Typed as text so that "1 750 000" and "847,6" are read as the user meant (the service parses and names
    # the row of anything that is not an amount).
    budget = forms.CharField(label="Budget (kr)", required=False, max_length=30)
    outcome = forms.CharField(label="Utfall (kr)", required=False, max_length=30)


AreaFormSet = forms.formset_factory(AreaForm, extra=1)
ActivityFormSet = forms.formset_factory(ActivityForm, extra=EXTRA_ROWS)
CostFormSet = forms.formset_factory(CostForm, extra=EXTRA_ROWS)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="Skäl till rättelsen",
        widget=_textarea(3),
        error_messages={"required": "Ange skälet till rättelsen."},
    )


class StatusReportSubmitForm(forms.Form):
    version = VersionField()


# Projektansökan --------------------------------------------------------------------------------------------


class ApplicationForm(forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = ProjectApplication
        fields = [
            "name",
            "short_name",
            "kind",
            "orientation",
            "applied_on",
            "recipient",
            "applicant",
            "project_owner",
            "project_leader",
            "starts_on",
            "ends_on",
            "stakeholders",
            "steering_group",
            "background",
            "purpose",
            "target_group",
            "organisation_text",
            "activity_plan",
            "budget_comment",
            "follow_up",
            "evaluation",
            "future",
            "signed_place",
            "signed_on",
        ]
        widgets = {
            "applied_on": DATE_WIDGET,
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "signed_on": DATE_WIDGET,
            "project_leader": _textarea(2),
            "project_owner": forms.TextInput(),
            "stakeholders": _textarea(3),
            "steering_group": _textarea(4),
            "background": _textarea(8),
            "purpose": _textarea(6),
            "target_group": _textarea(3),
            "organisation_text": _textarea(6),
            "activity_plan": _textarea(6),
            "budget_comment": _textarea(3),
            "follow_up": _textarea(4),
            "evaluation": _textarea(4),
            "future": _textarea(3),
        }
        error_messages = {
            "name": {"required": "Ange projektets namn."},
            "applicant": {"required": "Ange sökande organisation."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version


class PartyRowForm(forms.Form):
    name = forms.CharField(label="Part", required=False, max_length=200)
    role = forms.CharField(label="Roll", required=False, max_length=200)


class GoalRowForm(forms.Form):
    title = forms.CharField(label="Mål", required=False, widget=_textarea(2))
    is_sub = forms.BooleanField(label="Delmål (till närmast föregående mål)", required=False)
    deadline = forms.DateField(label="Senast", required=False, widget=DATE_WIDGET)
    target_key = forms.ChoiceField(label="Mäts på", required=False)
    comparison = forms.ChoiceField(label="Jämförelse", required=False, choices=[("", "–"), *Goal.Comparison.choices])
    target_value = forms.DecimalField(label="Målvärde", required=False, min_value=0, decimal_places=1)
    base_key = forms.ChoiceField(label="Andel av", required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", "– inget mätbart mål –"), *choices]
        self.fields["target_key"].choices = options
        self.fields["base_key"].choices = [("", "–"), *choices]


class TimelineRowForm(forms.Form):
    activity = forms.CharField(label="Aktivitet", required=False, max_length=200)
    description = forms.CharField(label="Beskrivning", required=False, widget=_textarea(2))
    period = forms.CharField(label="Period", required=False, max_length=60, help_text="T.ex. 2020-08-31 – 2021-02-28")


class BudgetRowForm(forms.Form):
    year = forms.IntegerField(label="År", required=False, min_value=2000, max_value=2100)
    cost_type = forms.CharField(label="Kostnadsslag", required=False, max_length=200)
    amount = forms.CharField(label="Belopp (kr)", required=False, max_length=30)


class SignatureRowForm(forms.Form):
    name = forms.CharField(label="Namnförtydligande", required=False, max_length=200)
    role = forms.CharField(label="Roll", required=False, max_length=200)


PartyFormSet = forms.formset_factory(PartyRowForm, extra=EXTRA_ROWS)
GoalFormSet = forms.formset_factory(GoalRowForm, extra=EXTRA_ROWS)
TimelineFormSet = forms.formset_factory(TimelineRowForm, extra=EXTRA_ROWS)
BudgetFormSet = forms.formset_factory(BudgetRowForm, extra=EXTRA_ROWS)
SignatureFormSet = forms.formset_factory(SignatureRowForm, extra=1)


def goal_target_choices(organisation) -> list[tuple[str, str]]:
    return target_choices(project=Project(organisation=organisation))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Beslut",
        choices=[("approved", "Beviljad"), ("rejected", "Avslagen")],
        widget=forms.RadioSelect,
        error_messages={"required": "Välj beviljad eller avslagen."},
    )
    decided_on = forms.DateField(
        label="Beslutsdatum", widget=DATE_WIDGET, error_messages={"required": "Ange beslutsdatum."}
    )
    note = forms.CharField(label="Kommentar", required=False, widget=_textarea(3))
