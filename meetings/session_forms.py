"""Forms of the sammanträdesvy. Defaults are chosen so that only what deviates needs a click: every kallad is
present, every beslutande votes ja until changed, the suggested ersättare steps in for a jävig ledamot."""

from __future__ import annotations

from django import forms

from core.models import Person
from core.versioning import VersionField

from .minutes_forms import PeopleChoiceField, PersonChoiceField
from .models import Ballot, Paragraph, Vote

DEFAULT_QUESTION = "Ordföranden ställer proposition på förslaget mot yrkandet om avslag."
DEFAULT_YES = "bifall till förslaget"
DEFAULT_NO = "bifall till yrkandet om avslag"


class SessionParagraphForm(forms.Form):
    title = forms.CharField(label="Rubrik", max_length=300, error_messages={"required": "Ange en rubrik."})
    body = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    motions = forms.CharField(
        label="Yrkanden",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="T.ex. ”Jari Mehtonen (SD) yrkar avslag.”",
    )
    procedure = forms.CharField(
        label="Propositionsordning",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="T.ex. ”Ordföranden ställer proposition på förslaget och finner att nämnden bifaller det.”",
    )
    decision_kind = forms.ChoiceField(label="Typ av beslut", choices=Paragraph.DecisionKind.choices)
    decision_clauses = forms.CharField(
        label="Beslut",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="En att-sats per rad; varje rad börjar med ”att ”.",
    )
    decision_note = forms.CharField(
        label="Tillägg till beslutet",
        max_length=300,
        required=False,
        help_text="T.ex. vart ärendet hänskjuts eller skälet till återremissen.",
    )
    protocol_notes = forms.CharField(
        label="Protokollsanteckningar", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = VersionField()

    def __init__(self, *args, paragraph: Paragraph, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "title": paragraph.title,
                "body": paragraph.body,
                "motions": paragraph.motions,
                "procedure": paragraph.procedure,
                "decision_kind": paragraph.decision_kind,
                "decision_clauses": "\n".join(paragraph.decision_clauses),
                "decision_note": paragraph.decision_note,
                "protocol_notes": paragraph.protocol_notes,
                "version": paragraph.version,
            }
        prefix = kwargs.pop("prefix", None) or f"p{paragraph.pk}"
        super().__init__(*args, prefix=prefix, **kwargs)


class ChecklistRowForm(forms.Form):
    """One person of the närvaro checklist; saved on every change."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.HiddenInput)
    present = forms.BooleanField(label="Närvarande", required=False)
    from_paragraph = forms.IntegerField(
        label="Från §", min_value=1, required=False, error_messages={"min_value": "Från § ska vara minst 1."}
    )
    to_paragraph = forms.IntegerField(
        label="Till §", min_value=1, required=False, error_messages={"min_value": "Till § ska vara minst 1."}
    )
    substitute = PersonChoiceField(
        label="Ersätts av", queryset=Person.objects.none(), required=False, empty_label="Ingen"
    )

    def __init__(self, *args, people, substitutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["substitute"].queryset = substitutes


class JavForm(forms.Form):
    person = PersonChoiceField(
        label="Jävig", queryset=Person.objects.none(), error_messages={"required": "Välj vem som är jävig."}
    )
    substitute = PersonChoiceField(
        label="Ersättare som tjänstgör i stället",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Ingen",
        help_text="Förvald: personlig ersättare, annars samma parti. Gäller bara den här paragrafen.",
    )
    note = forms.CharField(label="Anteckning", max_length=300, required=False)

    def __init__(self, *args, people, substitutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["substitute"].queryset = substitutes


class QuickVoteForm(forms.Form):
    """Proposition and every beslutande's vote in one form; each starts at ja so only deviations are clicked."""

    question = forms.CharField(
        label="Proposition",
        initial=DEFAULT_QUESTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Skriv propositionen som röstas om."},
    )
    yes_means = forms.CharField(
        label="Ja innebär", max_length=300, initial=DEFAULT_YES, error_messages={"required": "Skriv vad ja innebär."}
    )
    no_means = forms.CharField(
        label="Nej innebär", max_length=300, initial=DEFAULT_NO, error_messages={"required": "Skriv vad nej innebär."}
    )
    casting_vote = forms.ChoiceField(
        label="Ordförandens utslagsröst",
        choices=[("", "Ingen (inte lika röstetal)"), *list(Vote.Outcome.choices)],
        required=False,
        widget=forms.RadioSelect,
        help_text="Krävs bara vid lika många ja- som nej-röster (KL 5 kap. 60 §).",
    )

    def __init__(self, *args, deciders, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_fields = []
        for person in deciders:
            name = f"person_{person.pk}"
            self.fields[name] = forms.ChoiceField(
                label=person.full_name,
                choices=Ballot.Choice.choices,
                widget=forms.RadioSelect,
                initial=Ballot.Choice.YES,
                error_messages={"required": f"Ange ja, nej eller avstår för {person.full_name}."},
            )
            self.person_fields.append((person, name))
        self.order_fields(
            ["question", "yes_means", "no_means", *[name for _, name in self.person_fields], "casting_vote"]
        )

    def ballot_fields(self):
        return [self[name] for _, name in self.person_fields]

    def choices(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[name] for person, name in self.person_fields}


class SessionDissentForm(forms.Form):
    people = PeopleChoiceField(
        label="Reserverar sig",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kryssa i vem som reserverar sig."},
    )
    motivation = forms.CharField(label="Skriftlig motivering", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
