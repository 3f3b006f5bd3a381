"""The choices a document request offers: sammanträden, protokoll, § and anslag by name, never by id.

Each field is a ModelChoiceField scoped to the organisation in ``DocumentParamsForm.set_organisation``; its
``clean_<name>`` keeps the id, which is what a job stores (and what the buttons on the meeting, protokoll and
anslag pages post). A confidential § is offered by its number only (meetings.confidentiality, the one rule):
the list is the same for everyone who may ask for the document.
"""

from __future__ import annotations

from django import forms

from core.formatting import format_date
from reporting.documents import DocumentParamsForm

from .confidentiality import is_confidential
from .models import Meeting, Minutes, Paragraph, Posting


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.committee.name} {format_date(meeting.date)}"


def minutes_label(minutes: Minutes) -> str:
    return f"Protokoll {meeting_label(minutes.meeting)}"


def paragraph_label(paragraph: Paragraph) -> str:
    title = "" if is_confidential(paragraph) else f" {paragraph.title}"
    return f"§ {paragraph.number}{title} ({meeting_label(paragraph.minutes.meeting)})"


def posting_label(posting: Posting) -> str:
    return f"{minutes_label(posting.minutes)}, anslaget {format_date(posting.posted_on)}"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return meeting_label(obj)


class MinutesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Minutes) -> str:
        return minutes_label(obj)


class ParagraphChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Paragraph) -> str:
        return paragraph_label(obj)


class PostingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Posting) -> str:
        return posting_label(obj)


def _choice_messages(what: str) -> dict[str, str]:
    return {"required": f"Välj {what}.", "invalid_choice": f"Välj {what} i listan."}


def meeting_field() -> MeetingChoiceField:
    return MeetingChoiceField(
        label="Sammanträde",
        queryset=Meeting.objects.none(),
        empty_label="Välj sammanträde",
        error_messages=_choice_messages("ett sammanträde"),
    )


def minutes_field() -> MinutesChoiceField:
    return MinutesChoiceField(
        label="Protokoll",
        queryset=Minutes.objects.none(),
        empty_label="Välj protokoll",
        error_messages=_choice_messages("ett protokoll"),
    )


def paragraph_field() -> ParagraphChoiceField:
    return ParagraphChoiceField(
        label="Paragraf",
        queryset=Paragraph.objects.none(),
        empty_label="Välj paragraf",
        error_messages=_choice_messages("en paragraf"),
        help_text="Paragrafer i protokoll som har anslagits.",
    )


def posting_field() -> PostingChoiceField:
    return PostingChoiceField(
        label="Anslag",
        queryset=Posting.objects.none(),
        empty_label="Välj anslag",
        error_messages=_choice_messages("ett anslag"),
    )


def minutes_queryset(organisation):
    return (
        Minutes.objects.for_organisation(organisation)
        .select_related("meeting__committee")
        .order_by("-meeting__date", "pk")
    )


def paragraph_queryset(organisation):
    return (
        Paragraph.objects.for_organisation(organisation)
        .filter(minutes__posting__isnull=False)
        .select_related("minutes__meeting__committee", "agenda_item", "case")
        .order_by("-minutes__meeting__date", "number")
    )


def posting_queryset(organisation):
    return (
        Posting.objects.for_organisation(organisation)
        .select_related("minutes__meeting__committee")
        .order_by("-posted_on", "pk")
    )


def meeting_queryset(organisation):
    return Meeting.objects.for_organisation(organisation).select_related("committee").order_by("-date", "pk")


class MeetingParamsForm(DocumentParamsForm):
    """One sammanträde, latest first (the kallelse and the kallelse med handlingar)."""

    meeting = meeting_field()

    def set_organisation(self, organisation) -> None:
        self.fields["meeting"].queryset = meeting_queryset(organisation)

    def clean_meeting(self):
        return self.cleaned_data["meeting"].pk
