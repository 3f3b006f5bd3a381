"""Forms for committees, memberships and the standard agenda. They check what was typed and nothing more:
the services apply the rules that need the database and raise the messages the views show here."""

from __future__ import annotations

import datetime as dt

from django import forms

from core.formatting import format_date
from core.models import Organisation
from core.validators import validate_deliverable_email

from . import selectors
from .clauses import clause_errors
from .models import AgendaItemKind, AgendaTemplateItem, Committee, Membership

DATE_WIDGET = {"type": "date"}
INVALID_DATE = "Skriv datumet som ÅÅÅÅ-MM-DD."


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        error_messages={"invalid": INVALID_DATE, "required": "Ange ett datum."},
    )


class DayForm(forms.Form):
    """`?datum=ÅÅÅÅ-MM-DD`: the day a committee's members are shown for."""

    datum = date_field("Visa ledamöter och ersättare den", required=False)

    def day(self, default: dt.date) -> dt.date:
        if self.is_bound and self.is_valid() and self.cleaned_data["datum"]:
            return self.cleaned_data["datum"]
        return default


# Committees -------------------------------------------------------------------------------------------------


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        return f"{obj.name} ({obj.short_name})"


class CommitteeForm(forms.Form):
    """A plain form (not a ModelForm), so a refused post never changes the committee shown on the page."""

    def __init__(self, *args, organisation: Organisation, committee: Committee | None = None, **kwargs):
        if committee is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": committee.name,
                "short_name": committee.short_name,
                "kind": committee.kind,
                "parent": committee.parent_id,
                "meetings_public": committee.meetings_public,
                "personal_substitutes_only": committee.personal_substitutes_only,
                "majority_rule": committee.majority_rule,
                "majority_fraction": committee.majority_fraction,
                "majority_basis": committee.majority_basis,
                "quorum": committee.quorum,
                "is_active": committee.is_active,
            }
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.committee = committee
        self.fields.update(
            forms.fields_for_model(
                Committee,
                fields=[
                    "name",
                    "short_name",
                    "kind",
                    "meetings_public",
                    "personal_substitutes_only",
                    "majority_rule",
                    "majority_fraction",
                    "majority_basis",
                    "quorum",
                    "is_active",
                ],
            )
        )
        for name in ("majority_rule", "majority_fraction", "majority_basis"):
            # Not posted (an older form): the model's default, enkel majoritet.
            self.fields[name].required = False
            self.fields[name].error_messages.update({"invalid_choice": "Välj ett alternativ i listan."})
        quorum = Committee._meta.get_field("quorum")
        self.fields["quorum"] = forms.IntegerField(
            label=quorum.verbose_name.capitalize(),
            help_text=quorum.help_text,
            required=False,
            min_value=1,
            max_value=999,
            error_messages={
                "invalid": "Skriv beslutförheten som ett heltal, t.ex. 3.",
                "min_value": "Beslutförheten är minst 1.",
                "max_value": "Beslutförheten kan vara högst 999.",
            },
        )
        self.fields["name"].error_messages["required"] = "Ange organets namn."
        self.fields["short_name"].error_messages["required"] = "Ange en förkortning, t.ex. KS eller SN."
        self.fields["kind"].error_messages.update(
            {"required": "Välj vilken typ av organ det är.", "invalid_choice": "Välj en typ i listan."}
        )
        self.fields["short_name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields[
            "is_active"
        ].help_text = "Ett inaktiverat organ tas inte bort: ledamöter, historik och protokoll finns kvar."
        parents = selectors.organisation_committees(organisation=organisation).order_by("name")
        if committee is not None:
            parents = parents.exclude(pk=committee.pk)
        self.fields["parent"] = ParentChoiceField(
            label="Tillhör",
            queryset=parents,
            required=False,
            empty_label="– (eget organ)",
            help_text="För ett utskott eller en beredning: organet det hör till.",
            error_messages={"invalid_choice": "Välj ett organ i listan."},
        )
        self.order_fields(["name", "short_name", "kind", "parent"])

    def _choice_or_default(self, name: str) -> str:
        return self.cleaned_data.get(name) or Committee._meta.get_field(name).default

    def clean_majority_rule(self) -> str:
        return self._choice_or_default("majority_rule")

    def clean_majority_fraction(self) -> str:
        return self._choice_or_default("majority_fraction")

    def clean_majority_basis(self) -> str:
        return self._choice_or_default("majority_basis")

    def clean_short_name(self) -> str:
        short_name = self.cleaned_data["short_name"].strip()
        clash = selectors.organisation_committees(organisation=self.organisation).filter(short_name__iexact=short_name)
        if self.committee is not None:
            clash = clash.exclude(pk=self.committee.pk)
        other = clash.first()
        if other is not None:
            raise forms.ValidationError(f"Förkortningen {short_name} används redan av {other.name}. Välj en annan.")
        return short_name


# Memberships ------------------------------------------------------------------------------------------------


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name}, {obj.title}" if obj.title else obj.full_name


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        period = f"från {format_date(obj.starts_on)}"
        if obj.ends_on:
            period = f"{format_date(obj.starts_on)} – {format_date(obj.ends_on)}"
        return f"{obj.person.full_name} ({obj.get_role_display().lower()}, {period})"


class PersonFieldsMixin:
    """A person chosen from the organisation's people, or a new one typed in (both is refused)."""

    def add_person_fields(self, organisation: Organisation, *, label: str = "Person") -> None:
        self.fields["person"] = PersonChoiceField(
            label=label,
            queryset=selectors.organisation_people(organisation=organisation),
            required=False,
            empty_label="Välj person",
            error_messages={"invalid_choice": "Välj en person i listan."},
        )
        self.fields["first_name"] = forms.CharField(
            label="Eller ny person: förnamn",
            max_length=100,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
        self.fields["last_name"] = forms.CharField(
            label="Efternamn",
            max_length=100,
            required=False,
            help_text="Fyll i för- och efternamn om personen inte finns i listan.",
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )

    def clean_person_choice(self, cleaned: dict) -> None:
        person = cleaned.get("person")
        first, last = cleaned.get("first_name", ""), cleaned.get("last_name", "")
        if person is not None and (first or last):
            self.add_error("person", "Välj antingen en befintlig person eller skriv in en ny, inte båda.")
        elif person is None and not (first and last) and "person" not in self.errors:
            if first or last:
                self.add_error("last_name" if first else "first_name", "Skriv både förnamn och efternamn.")
            else:
                self.add_error("person", "Välj en person i listan eller skriv in för- och efternamn på en ny person.")


class MembershipForm(PersonFieldsMixin, forms.Form):
    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = committee.organisation
        self.add_person_fields(organisation)
        self.fields["role"] = forms.ChoiceField(
            label="Roll",
            choices=[("", "Välj roll"), *Membership.Role.choices],
            error_messages={"required": "Välj en roll.", "invalid_choice": "Välj en roll i listan."},
        )
        self.fields["party"] = forms.CharField(
            label="Parti", max_length=40, required=False, help_text="Partiets förkortning, t.ex. S, M eller C."
        )
        members = selectors.federation_members(organisation=organisation)
        if organisation.kind == Organisation.Kind.FEDERATION:
            self.fields["represents"] = forms.ModelChoiceField(
                label="Företräder",
                queryset=members,
                required=False,
                empty_label="–",
                help_text="Den medlemsorganisation i förbundet som ledamoten företräder.",
                error_messages={"invalid_choice": "Välj en medlemsorganisation i listan."},
            )
        self.fields["personal_substitute_for"] = SeatChoiceField(
            label="Personlig ersättare för",
            queryset=selectors.personal_substitute_targets(committee=committee),
            required=False,
            empty_label="–",
            help_text="Bara för ersättare: den ledamot ersättaren tjänstgör för.",
            error_messages={"invalid_choice": "Välj en ledamot i listan."},
        )
        self.fields["substitute_order"] = forms.IntegerField(
            label="Ersättarordning",
            required=False,
            min_value=1,
            max_value=999,
            help_text="Bara för ersättare. Lämna tomt för att lägga ersättaren sist.",
            error_messages={"min_value": "Ersättarordningen börjar på 1.", "invalid": "Ange ett heltal."},
        )
        self.fields["starts_on"] = date_field("Från och med")
        self.fields["ends_on"] = date_field("Till och med", required=False, help_text="Lämna tomt om inget slutdatum.")
        self.fields["note"] = forms.CharField(
            label="Anteckning", max_length=200, required=False, help_text="T.ex. vilket beslut som valde personen."
        )

    def clean(self):
        cleaned = super().clean()
        self.clean_person_choice(cleaned)
        return cleaned


class PersonInviteForm(forms.Form):
    """The invitee's e-mail address: added or corrected here, where the register is kept."""

    email = forms.EmailField(
        label="E-postadress",
        max_length=254,
        validators=[validate_deliverable_email],
        help_text="Inbjudan skickas hit. Adressen sparas på personen och används för kallelser och justering.",
        error_messages={"required": "Ange en e-postadress.", "invalid": "Ange en giltig e-postadress."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class MembershipEndForm(forms.Form):
    ends_on = date_field("Sista dag i uppdraget")


class MembershipReplaceForm(PersonFieldsMixin, forms.Form):
    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_person_fields(membership.committee.organisation, label="Efterträdare")
        self.fields["person"].queryset = self.fields["person"].queryset.exclude(pk=membership.person_id)
        self.fields["starts_on"] = date_field(
            "Efterträdaren börjar", help_text="Den som lämnar uppdraget slutar dagen före."
        )
        self.order_fields(["person", "first_name", "last_name", "starts_on"])

    def clean(self):
        cleaned = super().clean()
        self.clean_person_choice(cleaned)
        return cleaned


class SubstituteOrderForm(forms.Form):
    """One number field per substitute in force on the chosen day."""

    def __init__(self, *args, substitutes: list[Membership], **kwargs):
        super().__init__(*args, **kwargs)
        self.substitutes = substitutes
        for substitute in substitutes:
            self.fields[self.key(substitute)] = forms.IntegerField(
                label=substitute.person.full_name,
                min_value=1,
                max_value=999,
                initial=substitute.substitute_order,
                error_messages={
                    "required": "Ange ett nummer.",
                    "min_value": "Ersättarordningen börjar på 1.",
                    "invalid": "Ange ett heltal.",
                },
                widget=forms.NumberInput(attrs={"class": "form-control order-input"}),
            )

    @staticmethod
    def key(substitute: Membership) -> str:
        return f"ordning_{substitute.pk}"

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(self.key(s)) for s in self.substitutes if cleaned.get(self.key(s)) is not None]
        if len(values) != len(set(values)):
            raise forms.ValidationError("Varje ersättare måste ha ett eget nummer (1, 2, 3 …).")
        return cleaned

    def orders(self) -> dict[int, int]:
        return {s.pk: self.cleaned_data[self.key(s)] for s in self.substitutes}

    def rows(self):
        return [(substitute, self[self.key(substitute)]) for substitute in self.substitutes]


# Standard agenda --------------------------------------------------------------------------------------------


class AgendaTemplateItemForm(forms.Form):
    title = forms.CharField(label="Rubrik", max_length=300, error_messages={"required": "Ange en rubrik."})
    kind = forms.ChoiceField(
        label="Typ",
        choices=AgendaItemKind.choices,
        initial=AgendaItemKind.STANDARD,
        error_messages={"invalid_choice": "Välj en typ i listan."},
    )
    description = forms.CharField(label="Beskrivning", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    proposed_clauses = forms.CharField(
        label="Förslag till beslut",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="En att-sats per rad, t.ex. ”att godkänna dagordningen”.",
    )

    @classmethod
    def initial_for(cls, item: AgendaTemplateItem) -> dict:
        return {
            "title": item.title,
            "kind": item.kind,
            "description": item.description,
            "proposed_clauses": "\n".join(item.proposed_clauses or []),
        }

    def clean_proposed_clauses(self) -> list[str]:
        text = self.cleaned_data["proposed_clauses"]
        errors = clause_errors(text)
        if errors:
            raise forms.ValidationError(errors)
        return [line.strip() for line in text.splitlines() if line.strip()]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "upp"), ("down", "ned")])


class ActiveForm(forms.Form):
    is_active = forms.TypedChoiceField(choices=[("1", "används"), ("0", "används inte")], coerce=lambda v: v == "1")
