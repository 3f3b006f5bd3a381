"""Forms for the protokoll editor. They check what was typed; the rules that need the database live in
meetings.minutes_services, whose Swedish messages the views put back on these forms."""

from __future__ import annotations

from django import forms

from core.models import Person
from core.versioning import VersionField

from .clauses import clause_errors
from .models import Attendance, Ballot, Minutes, Paragraph, Vote

DATE_WIDGET = {"type": "date"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name}{f', {obj.title}' if obj.title else ''}"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class MinutesFrontForm(forms.Form):
    verification_place = forms.CharField(label="Justeringens plats", max_length=200, required=False)
    verification_date = forms.DateField(
        label="Justeringens dag",
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={"invalid": "Skriv datumet som ÅÅÅÅ-MM-DD."},
    )
    secretary = PersonChoiceField(label="Sekreterare", queryset=Person.objects.none(), required=False)
    version = VersionField()

    def __init__(self, *args, people, minutes: Minutes | None = None, **kwargs):
        if minutes is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "verification_place": minutes.verification_place,
                "verification_date": minutes.verification_date,
                "secretary": minutes.secretary_id,
                "version": minutes.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = people


class AttendanceForm(forms.Form):
    person = PersonChoiceField(label="Person", queryset=Person.objects.none())
    capacity = forms.ChoiceField(label="Deltar som", choices=Attendance.Capacity.choices)
    replaces = PersonChoiceField(
        label="Ersätter",
        queryset=Person.objects.none(),
        required=False,
        help_text="Bara för tjänstgörande ersättare: den ledamot som ersätts.",
    )
    role_text = forms.CharField(
        label="Roll eller företräder",
        max_length=200,
        required=False,
        help_text="Lämna tomt för att hämta parti eller medlemsorganisation från uppdraget (tjänsteperson: titeln).",
    )
    from_paragraph = forms.IntegerField(label="Från §", min_value=1, required=False)
    to_paragraph = forms.IntegerField(
        label="Till §", min_value=1, required=False, help_text="Tomt om personen deltog hela sammanträdet."
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["replaces"].queryset = people


class SignatoriesForm(forms.Form):
    chair = PersonChoiceField(label="Ordförande", queryset=Person.objects.none())
    verifiers = PeopleChoiceField(
        label="Justerare",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="En eller flera bland de beslutande.",
        error_messages={"required": "Ange minst en justerare."},
    )
    secretary = PersonChoiceField(
        label="Sekreterare",
        queryset=Person.objects.none(),
        help_text="Skriver under protokollet som sekreterare. Förvalt: du själv.",
        error_messages={"required": "Välj sekreterare."},
    )

    def __init__(self, *args, people, deciding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = deciding
        self.fields["verifiers"].queryset = deciding
        self.fields["secretary"].queryset = people


class ParagraphAddForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label="Punkt på dagordningen",
        queryset=None,
        required=False,
        empty_label="Ingen – fri paragraf",
        help_text="Rubrik, ärende, förslag till beslut och sekretess följer med från punkten.",
    )
    title = forms.CharField(label="Rubrik", max_length=300, required=False)

    def __init__(self, *args, agenda_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = agenda_items

    def clean(self):
        data = super().clean()
        if not data.get("agenda_item") and not (data.get("title") or "").strip():
            self.add_error("title", "Ange en rubrik eller välj en punkt på dagordningen.")
        return data


class ParagraphForm(forms.Form):
    title = forms.CharField(label="Rubrik", max_length=300)
    body = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    motions = forms.CharField(label="Yrkanden", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    procedure = forms.CharField(label="Propositionsordning", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decision_kind = forms.ChoiceField(
        label="Typ av beslut",
        choices=Paragraph.DecisionKind.choices,
        initial=Paragraph.DecisionKind.CLAUSES,
        required=False,
        help_text="Att-satser, ett standardbeslut (”beslutar enligt förslaget”, ”Informationen noteras”, "
        "hänskjuter, återremiss, bordläggning) eller ingen beslutsformulering (t.ex. mötets öppnande, upprop).",
        error_messages={"invalid_choice": "Välj typ av beslut i listan.", "required": "Välj typ av beslut."},
    )
    decision_clauses = forms.CharField(
        label="Beslut",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="En att-sats per rad; varje rad börjar med ”att ”. Vid ”beslutar enligt förslaget” står "
        "förslagets att-satser här (de hämtas från dagordningen om rutan är tom).",
    )
    decision_note = forms.CharField(
        label="Tillägg till beslutet",
        max_length=300,
        required=False,
        help_text="Vid hänskjutande: till vilket organ (t.ex. ”kommunstyrelsen”). Vid återremiss: motiveringen. "
        "Vid bordläggning: t.ex. till vilket sammanträde.",
    )
    protocol_notes = forms.CharField(
        label="Protokollsanteckningar", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    distribution = forms.CharField(
        label="Beslutet skickas till",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="En mottagare per rad.",
    )
    confidential = forms.BooleanField(label="Sekretess", required=False)
    legal_basis = forms.CharField(
        label="Sekretessgrund", max_length=200, required=False, help_text="T.ex. ”OSL 26 kap. 1 §”."
    )
    version = VersionField()

    def __init__(self, *args, paragraph: Paragraph | None = None, **kwargs):
        if paragraph is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": paragraph.title,
                "body": paragraph.body,
                "motions": paragraph.motions,
                "procedure": paragraph.procedure,
                "decision_kind": paragraph.decision_kind,
                "decision_clauses": "\n".join(paragraph.decision_clauses),
                "decision_note": paragraph.decision_note,
                "protocol_notes": paragraph.protocol_notes,
                "distribution": paragraph.distribution,
                "confidential": paragraph.confidential,
                "legal_basis": paragraph.legal_basis,
                "version": paragraph.version,
            }
        super().__init__(*args, **kwargs)

    def clean_decision_kind(self) -> str | None:
        # Not posted (an older form): the kind saved stays.
        return self.cleaned_data.get("decision_kind") or None

    def clean_decision_clauses(self) -> str:
        text = self.cleaned_data.get("decision_clauses", "")
        errors = clause_errors(text)
        if errors:
            raise forms.ValidationError(errors)
        return text

    def clean(self):
        data = super().clean()
        if data.get("confidential") and not (data.get("legal_basis") or "").strip():
            self.add_error("legal_basis", "Ange sekretessgrund (t.ex. ”OSL 26 kap. 1 §”) när paragrafen är sekretess.")
        return data


class DataOptionsSelect(forms.Select):
    """A select whose options carry a data attribute per value (e.g. the standard jäv sentence for the person)."""

    def __init__(self, *args, option_data: dict | None = None, data_name: str = "data-text", **kwargs):
        super().__init__(*args, **kwargs)
        self.option_data = option_data or {}
        self.data_name = data_name

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = getattr(value, "value", value)
        if key in self.option_data:
            option["attrs"][self.data_name] = self.option_data[key]
        return option


class RecusalForm(forms.Form):
    """Jäv: who, the ersättare who tjänstgör in the §, and the sentence the protokoll prints first in the §."""

    person = PersonChoiceField(
        label="Jävig ledamot",
        queryset=Person.objects.none(),
        error_messages={"required": "Välj vem som anmäler jäv.", "invalid_choice": "Välj en beslutande i listan."},
    )
    substitute = PersonChoiceField(
        label="Ersättare som tjänstgör i paragrafen",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Ingen – platsen står tom",
        help_text="En närvarande ersättare som går in för den jäviga i just denna paragraf.",
        error_messages={"invalid_choice": "Välj en närvarande ersättare i listan."},
    )
    wording = forms.CharField(
        label="Lydelse i protokollet",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Skrivs först i paragrafen. Lämna tomt för ”Anna Andersson (S) anmäler jäv och deltar inte i "
        "handläggningen.” (med ersättaren och skälet när de är ifyllda).",
    )
    note = forms.CharField(
        label="Anteckning (skäl)", required=False, max_length=300, help_text="T.ex. ”delägare i bolaget”."
    )

    def __init__(self, *args, people, substitutes=None, wordings: dict | None = None, **kwargs):
        """`substitutes`: the present ersättare; None (no ersättare at the meeting) leaves the field out.

        `wordings` maps a person's id to the standard jäv sentence; paragraf.js fills it into Lydelse i
        protokollet when the person is chosen (and adds the ersättare), so the secretary edits a prefilled text.
        """
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].widget = DataOptionsSelect(
            attrs={"data-wording-target": self.add_prefix("wording")}, option_data=wordings, data_name="data-wording"
        )
        self.fields["person"].widget.choices = self.fields["person"].choices
        if substitutes is None:
            del self.fields["substitute"]
        else:
            self.fields["substitute"].queryset = substitutes
            self.fields["substitute"].widget.attrs["data-wording-substitute"] = self.add_prefix("wording")


class PersonNoteForm(forms.Form):
    """Jäv (with a note) or reservation (with a motivation) for one person of the §."""

    person = PersonChoiceField(label="Person", queryset=Person.objects.none())
    note = forms.CharField(label="Anteckning", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people, note_label: str = "Anteckning", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["note"].label = note_label


class VoteForm(forms.Form):
    question = forms.CharField(label="Proposition", widget=forms.Textarea(attrs={"rows": 2}))
    yes_means = forms.CharField(label="Ja innebär", max_length=300)
    no_means = forms.CharField(label="Nej innebär", max_length=300)


class BallotForm(forms.Form):
    """One radio group ja / nej / avstår per beslutande of the §, and the utslagsröst for a tie."""

    casting_vote = forms.ChoiceField(
        label="Ordförandens utslagsröst",
        choices=[("", "Ingen (inte lika röstetal)"), *list(Vote.Outcome.choices)],
        required=False,
        widget=forms.RadioSelect,
        help_text="Krävs bara vid lika många ja- som nej-röster (KL 5 kap. 60 §).",
    )

    def __init__(self, *args, deciders, vote: Vote, casting_allowed: bool = True, **kwargs):
        """`casting_allowed=False` under kvalificerad majoritet: no utslagsröst there (docs/decisions/0009)."""
        super().__init__(*args, **kwargs)
        existing = {b.person_id: b.choice for b in vote.ballots.all()}
        self.person_fields = []
        for person in deciders:
            name = f"person_{person.pk}"
            self.fields[name] = forms.ChoiceField(
                label=person.full_name,
                choices=Ballot.Choice.choices,
                widget=forms.RadioSelect,
                initial=existing.get(person.pk),
                error_messages={"required": f"Ange ja, nej eller avstår för {person.full_name}."},
            )
            self.person_fields.append((person, name))
        self.fields["casting_vote"].initial = vote.casting_vote
        # Radio groups after the voters, the casting vote last.
        self.order_fields([name for _, name in self.person_fields] + ["casting_vote"])
        if not casting_allowed:
            del self.fields["casting_vote"]

    def choices(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[name] for person, name in self.person_fields}


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Ordförande och justerare har godkänt paragrafen vid sammanträdet",
        error_messages={"required": "Bekräfta att ordförande och justerare har godkänt paragrafen."},
    )


class CorrectionForm(forms.Form):
    paragraph = forms.ModelChoiceField(
        label="Paragraf", queryset=Paragraph.objects.none(), required=False, empty_label="Hela protokollet"
    )
    reason = forms.CharField(label="Skäl", widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label="Rättelse", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, paragraphs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].queryset = paragraphs
        self.fields["reason"].error_messages["required"] = "Ange skälet till rättelsen."
        self.fields["text"].error_messages["required"] = "Skriv vad som rättas."


class SignForm(forms.Form):
    """Approving as a signatory asks for the password again, and the TOTP code when the user has turned it on."""

    password = forms.CharField(
        label="Ditt lösenord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Skriv ditt lösenord för att godkänna."},
    )

    def __init__(self, *args, needs_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_code:
            self.fields["token"] = forms.CharField(
                label="Kod från appen för tvåstegsverifiering",
                max_length=8,
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
                error_messages={"required": "Skriv koden som appen visar."},
            )
