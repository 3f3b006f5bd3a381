"""Forms for sammanträden, the agenda editor, bilagor and the kallelse. They validate; services write."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from core.versioning import VersionField

from .agenda_services import LEGAL_BASIS_REQUIRED
from .attachments import max_upload_bytes
from .clauses import clause_errors
from .models import LEGAL_BASIS_HELP, AgendaItemKind, Case, Committee

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ADDABLE_KINDS = [
    (AgendaItemKind.CASE, "Ärende"),
    (AgendaItemKind.EXTRA, "Extra ärende"),
    (AgendaItemKind.INFORMATION, "Information"),
    (AgendaItemKind.OTHER, "Övriga frågor"),
    (AgendaItemKind.STANDARD, "Stående punkt"),
    (AgendaItemKind.DELEGATED_DECISIONS, "Delegationsbeslut"),
    (AgendaItemKind.COMMUNICATIONS, "Meddelanden"),
]


def clauses_from_text(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MeetingFilterForm(forms.Form):
    committee = forms.ModelChoiceField(
        label="Organ",
        queryset=Committee.objects.none(),
        required=False,
        empty_label="Alla organ",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class MeetingForm(forms.Form):
    committee = forms.ModelChoiceField(label="Organ", queryset=Committee.objects.none())
    date = forms.DateField(label="Datum", widget=DATE_INPUT, help_text="ÅÅÅÅ-MM-DD")
    start_time = forms.TimeField(label="Starttid", widget=TIME_INPUT, help_text="TT:MM")
    end_time = forms.TimeField(label="Sluttid", widget=TIME_INPUT, required=False, help_text="Valfri.")
    place = forms.CharField(label="Plats", max_length=300)
    is_public = forms.TypedChoiceField(
        label="Offentligt eller slutet sammanträde",
        choices=[("", "Enligt organets inställning"), ("1", "Offentligt"), ("0", "Slutet")],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        help_text="Nämnders sammanträden är slutna om inget annat beslutats (KL 6 kap. 25 §).",
    )
    notice_note = forms.CharField(
        label="Meddelande i kallelsen",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="T.ex. att en ledamot som är förhindrad själv kallar sin ersättare.",
    )

    def __init__(self, *args, committees, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        if editing:
            # A meeting stays with its committee: the § numbers and the agenda belong to it.
            del self.fields["committee"]
            self.fields["is_public"].choices = [("1", "Offentligt"), ("0", "Slutet")]
            self.fields["is_public"].required = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "Sluttiden måste vara senare än starttiden.")
        return cleaned


class AgendaItemForm(forms.Form):
    """Add (with kind and ärende) or edit (without) an agenda item."""

    kind = forms.ChoiceField(label="Typ av punkt", choices=ADDABLE_KINDS)
    case = forms.ModelChoiceField(
        label="Ärende",
        queryset=Case.objects.none(),
        required=False,
        empty_label="Välj ärende …",
        help_text="Rubrik, diarienummer, förslag till beslut och sekretess hämtas från ärendet.",
    )
    title = forms.CharField(label="Rubrik", max_length=300, required=False)
    presenter = forms.CharField(label="Föredragande", max_length=200, required=False)
    description = forms.CharField(label="Beskrivning", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    proposed_clauses = forms.CharField(
        label="Förslag till beslut",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="En att-sats per rad, t.ex. ”att godkänna dagordningen”.",
    )
    confidential = forms.BooleanField(label="Sekretess", required=False)
    legal_basis = forms.CharField(label="Sekretessgrund", max_length=200, required=False, help_text=LEGAL_BASIS_HELP)
    version = VersionField()

    def __init__(self, *args, cases=None, adding: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.adding = adding
        if adding:
            self.fields["case"].queryset = cases if cases is not None else Case.objects.none()
            self.fields["case"].label_from_instance = lambda case: f"{case.case_number} {case.title}"
            self.fields["title"].help_text = "Tomt för ett ärende: ärendemeningen används."
            self.fields["proposed_clauses"].help_text += " Tomt för ett ärende: tjänsteskrivelsens förslag används."
            del self.fields["version"]  # a new item has no version yet
        else:
            del self.fields["kind"]
            del self.fields["case"]
            self.fields["title"].required = True

    def clean_proposed_clauses(self):
        text = self.cleaned_data.get("proposed_clauses", "")
        errors = clause_errors(text)
        if errors:
            raise forms.ValidationError(errors)
        return clauses_from_text(text)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confidential") and not (cleaned.get("legal_basis") or "").strip():
            self.add_error("legal_basis", LEGAL_BASIS_REQUIRED)
        if self.adding:
            kind, case = cleaned.get("kind"), cleaned.get("case")
            if kind == AgendaItemKind.CASE and case is None and "case" not in self.errors:
                self.add_error("case", "Välj vilket ärende punkten gäller.")
            if not case and not (cleaned.get("title") or "").strip() and "title" not in self.errors:
                self.add_error("title", "Skriv en rubrik för punkten.")
        return cleaned


class CasesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, case: Case) -> str:
        return f"{case.case_number} {case.title}"


class AgendaCasesForm(forms.Form):
    """Several open ärenden at once; those whose tjänsteskrivelse proposes a beslut come ticked."""

    cases = CasesChoiceField(
        label="Ärenden",
        queryset=Case.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kryssa för minst ett ärende.", "invalid_choice": "Välj ärenden i listan."},
    )

    def __init__(self, *args, cases: list[Case], **kwargs):
        kwargs.setdefault("initial", {"cases": [case.pk for case in cases if case.ready]})
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.fields["cases"].queryset = Case.objects.filter(pk__in=[case.pk for case in cases]).order_by(
            "year", "sequence"
        )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "upp"), ("down", "ned")])


class ReorderForm(forms.Form):
    """The new order as the item ids, top first (field "item" repeated)."""

    def __init__(self, data=None):
        super().__init__(data)
        self.item_ids: list[int] = []

    def clean(self):
        values = self.data.getlist("item") if hasattr(self.data, "getlist") else []
        try:
            self.item_ids = [int(value) for value in values]
        except ValueError as exc:
            raise forms.ValidationError("Ordningen innehåller ett ogiltigt id.") from exc
        if not self.item_ids:
            raise forms.ValidationError("Ordningen saknas.")
        return super().clean()


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Fil",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.png,.jpg,.jpeg"},
        ),
    )
    title = forms.CharField(label="Rubrik", max_length=300, required=False, help_text="Tomt: filnamnet används.")
    confidential = forms.BooleanField(label="Sekretess", required=False)
    legal_basis = forms.CharField(label="Sekretessgrund", max_length=200, required=False, help_text=LEGAL_BASIS_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"PDF, Word, Excel, PNG eller JPEG, högst {filesizeformat(max_upload_bytes())}."
        self.fields["file"].error_messages["required"] = "Välj en fil att ladda upp."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confidential") and not (cleaned.get("legal_basis") or "").strip():
            self.add_error(
                "legal_basis", "Ange sekretessgrund (t.ex. ”OSL 26 kap. 1 §”) när bilagan markeras som sekretess."
            )
        return cleaned


class NoticeIssueForm(forms.Form):
    for_information = forms.ModelMultipleChoiceField(
        label="För kännedom",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Personer som får kallelsen utan att vara kallade, t.ex. förvaltningschef eller revisor.",
    )
    changes = forms.CharField(
        label="Vad har ändrats sedan förra kallelsen?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, people, revised: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["for_information"].queryset = people
        self.revised = revised
        if revised:
            self.fields["changes"].required = True
            self.fields["changes"].error_messages["required"] = (
                "Beskriv kort vad som har ändrats sedan förra kallelsen."
            )
            self.fields["changes"].help_text = (
                "Förifyllt med det som ändrats sedan förra kallelsen; ändra texten vid behov. Texten står i "
                "e-postmeddelandet och i den offentliga kallelsen, så en punkt med sekretess nämns bara med nummer."
            )
        else:
            del self.fields["changes"]


class MeetingCancelForm(forms.Form):
    """Confirm that the sammanträde is inställt; optionally tell the kallade by e-mail."""

    reason = forms.CharField(
        label="Skäl (valfritt)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visas på sammanträdets sida och i e-postmeddelandet till de kallade.",
    )
    notify = forms.BooleanField(
        label="Meddela de kallade med e-post att sammanträdet är inställt", required=False, initial=True
    )
    confirm = forms.BooleanField(
        label="Ja, ställ in sammanträdet",
        error_messages={"required": "Kryssa i rutan för att bekräfta att sammanträdet ställs in."},
    )
