"""Lagakraftbevis, protokollsutdrag and anslagsbevis as PDF/A.

Each document fetches its object scoped to the job's organisation; a missing or foreign id is a Swedish
DocumentInputError, never another organisation's data. Nothing here prints the current time (see
reporting.documents): the dates come from the anslag and the date rules.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone

from reporting.documents import DocumentInputError, DocumentParamsForm, PdfDocument, register_document

from . import confidentiality, dates, minutes_selectors
from .document_params import (
    minutes_field,
    minutes_label,
    minutes_queryset,
    paragraph_field,
    paragraph_label,
    paragraph_queryset,
    posting_field,
    posting_label,
    posting_queryset,
)
from .minutes_documents import CONFIDENTIAL_PARAGRAPH_TEXT, page_footer_text
from .models import Minutes, Paragraph, Posting
from .posting_selectors import paragraph_finality, verified_on

CONFIDENTIAL_MARK = "Innehåller sekretessbelagda uppgifter"
_NUMBER_LIST = re.compile(r"^\s*\d+(\s*,\s*\d+)*\s*$")


def _id(params: dict, key: str, what: str) -> int:
    try:
        return int(params.get(key))
    except (TypeError, ValueError) as exc:
        raise DocumentInputError(f"Ange vilken {what} det gäller.") from exc


# -- Lagakraftbevis -----------------------------------------------------------------------------------------


class FinalityParamsForm(DocumentParamsForm):
    paragraph = paragraph_field()

    def set_organisation(self, organisation) -> None:
        self.fields["paragraph"].queryset = paragraph_queryset(organisation)

    def clean_paragraph(self):
        return self.cleaned_data["paragraph"].pk


@register_document
class FinalityCertificateDocument(PdfDocument):
    """Lagakraftbevis for one §: the beslut has vunnit laga kraft since nobody appealed in time."""

    kind = "meetings.finality_certificate"
    title = "Lagakraftbevis"
    template_name = "meetings/pdf/finality_certificate.html"
    params_form = FinalityParamsForm
    required_perm = "meetings.view"

    def paragraph(self) -> Paragraph:
        if not hasattr(self, "_paragraph"):
            pk = _id(self.params, "paragraph", "paragraf")
            found = (
                Paragraph.objects.for_organisation(self.organisation)
                .select_related("minutes__meeting__committee", "minutes__posting", "agenda_item", "case")
                .filter(pk=pk)
                .first()
            )
            if found is None:
                raise DocumentInputError("Paragrafen finns inte.")
            self._paragraph = found
        return self._paragraph

    def status(self):
        return paragraph_finality(paragraph=self.paragraph(), today=timezone.localdate())

    def check_inputs(self) -> None:
        paragraph = self.paragraph()
        status = self.status()
        if status.state == "not_posted":
            raise DocumentInputError(f"§ {paragraph.number} har inte vunnit laga kraft: protokollet är inte anslaget.")
        if status.state == "appealed":
            raise DocumentInputError(
                f"§ {paragraph.number} har inte vunnit laga kraft: beslutet överklagades {status.appealed_on}."
            )
        if status.state == "running":
            raise DocumentInputError(
                f"§ {paragraph.number} har inte vunnit laga kraft: överklagandetiden löper till "
                f"{status.appeal_last_day}."
            )

    def get_context(self) -> dict[str, Any]:
        self.check_inputs()
        paragraph = self.paragraph()
        status = self.status()
        return {
            # A certificate that goes to anyone: a confidential § is shown as to the public, whoever asked.
            "viewer": confidentiality.PUBLIC,
            "paragraph": paragraph,
            "meeting": paragraph.minutes.meeting,
            "posting": paragraph.minutes.posting,
            "appeal_last_day": status.appeal_last_day,
            "final_on": status.final_on,
        }

    def subject(self) -> tuple[str, str]:
        paragraph = self.paragraph()
        return paragraph_label(paragraph), reverse("minutes:minutes_detail", kwargs={"pk": paragraph.minutes_id})

    def filename(self) -> str:
        paragraph = self.paragraph()
        return f"lagakraftbevis-{paragraph.committee.short_name.lower()}-{paragraph.year}-par-{paragraph.number}.pdf"


# -- Protokollsutdrag ---------------------------------------------------------------------------------------


class ExtractParamsForm(DocumentParamsForm):
    minutes = minutes_field()
    paragraphs = forms.CharField(
        label="Paragrafer", max_length=500, help_text="Paragrafnummer åtskilda med kommatecken, t.ex. 71,73."
    )

    def clean_paragraphs(self):
        value = self.cleaned_data["paragraphs"]
        if not _NUMBER_LIST.match(value):
            raise forms.ValidationError("Skriv paragrafnumren åtskilda med kommatecken, t.ex. 71,73.")
        numbers = sorted({int(part) for part in value.split(",")})
        return ",".join(str(number) for number in numbers)

    def set_organisation(self, organisation) -> None:
        self.fields["minutes"].queryset = minutes_queryset(organisation)

    def clean_minutes(self):
        return self.cleaned_data["minutes"].pk


@register_document
class ExtractDocument(PdfDocument):
    """Protokollsutdrag: the protokoll header and the chosen §§, certified with an Utdragsbestyrkande.

    An internal document (requested by the secretary); it may include a confidential § and then says so on
    every page's header.
    """

    kind = "meetings.extract"
    title = "Protokollsutdrag"
    template_name = "meetings/pdf/extract.html"
    params_form = ExtractParamsForm
    required_perm = "meetings.manage_minutes"

    def minutes(self) -> Minutes:
        if not hasattr(self, "_minutes"):
            pk = _id(self.params, "minutes", "protokoll")
            try:
                # Loaded as the protokoll loads it, so every § carries the same votering, jäv and reservationer.
                self._minutes = minutes_selectors.minutes_full(organisation=self.organisation, pk=pk)
            except Minutes.DoesNotExist as exc:
                raise DocumentInputError("Protokollet finns inte.") from exc
        return self._minutes

    def numbers(self) -> list[int]:
        raw = str(self.params.get("paragraphs") or "")
        if not _NUMBER_LIST.match(raw):
            raise DocumentInputError("Välj minst en paragraf till utdraget.")
        return sorted({int(part) for part in raw.split(",")})

    def paragraphs(self) -> list[Paragraph]:
        if not hasattr(self, "_paragraphs"):
            numbers = set(self.numbers())
            found = [p for p in self.minutes().paragraphs.all() if p.number in numbers]
            missing = sorted(numbers - {p.number for p in found})
            if missing:
                listed = ", ".join(f"§ {n}" for n in missing)
                raise DocumentInputError(f"Protokollet har inte {listed}.")
            self._paragraphs = found
        return self._paragraphs

    def check_access(self, request) -> None:
        """An internal document with the chosen §§ in full: for those who may read the protokoll's sekretess."""
        confidentiality.require_may_read(request, self.minutes())

    def check_inputs(self) -> None:
        minutes = self.minutes()
        if not minutes.is_locked:
            raise DocumentInputError("Protokollet är inte justerat. Ett utdrag kan göras först efter justeringen.")
        self.paragraphs()

    def get_context(self) -> dict[str, Any]:
        self.check_inputs()
        minutes = self.minutes()
        paragraphs = self.paragraphs()
        return {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "committee": minutes.meeting.committee,
            "paragraphs": paragraphs,
            "draft": not minutes.is_locked,
            "verified_on": verified_on(minutes),
            "footer_text": page_footer_text(minutes, public=False, paragraphs=paragraphs, what="protokollsutdrag"),
            "viewer": confidentiality.INTERNAL,
            "contains_confidential": any(confidentiality.is_confidential(p) for p in paragraphs),
            "confidential_mark": CONFIDENTIAL_MARK,
            "confidential_text": CONFIDENTIAL_PARAGRAPH_TEXT,
        }

    def subject(self) -> tuple[str, str]:
        minutes = self.minutes()
        return minutes_label(minutes), reverse("minutes:minutes_detail", kwargs={"pk": minutes.pk})

    def filename(self) -> str:
        minutes = self.minutes()
        numbers = "-".join(str(n) for n in self.numbers())
        committee = minutes.meeting.committee.short_name.lower()
        return f"protokollsutdrag-{committee}-{minutes.meeting.date}-par-{numbers}.pdf"


# -- Anslagsbevis -------------------------------------------------------------------------------------------


class PostingParamsForm(DocumentParamsForm):
    posting = posting_field()

    def set_organisation(self, organisation) -> None:
        self.fields["posting"].queryset = posting_queryset(organisation)

    def clean_posting(self):
        return self.cleaned_data["posting"].pk


@register_document
class PostingCertificateDocument(PdfDocument):
    """Bevis om anslag: that the justering was announced on the anslagstavla, with the dates and förvaringsplats."""

    kind = "meetings.posting_certificate"
    title = "Bevis om anslag"
    template_name = "meetings/pdf/posting_certificate.html"
    params_form = PostingParamsForm
    required_perm = "meetings.view"

    def posting(self) -> Posting:
        if not hasattr(self, "_posting"):
            pk = _id(self.params, "posting", "anslag")
            found = (
                Posting.objects.for_organisation(self.organisation)
                .select_related("minutes__meeting__committee", "minutes__secretary")
                .filter(pk=pk)
                .first()
            )
            if found is None:
                raise DocumentInputError("Anslaget finns inte.")
            self._posting = found
        return self._posting

    def check_inputs(self) -> None:
        self.posting()

    def get_context(self) -> dict[str, Any]:
        posting = self.posting()
        return {
            "posting": posting,
            "meeting": posting.minutes.meeting,
            "appeal_last_day": dates.appeal_last_day(posting.posted_on),
        }

    def subject(self) -> tuple[str, str]:
        posting = self.posting()
        return posting_label(posting), reverse("noticeboard:posting_detail", kwargs={"pk": posting.pk})

    def filename(self) -> str:
        meeting = self.posting().minutes.meeting
        return f"anslagsbevis-{meeting.committee.short_name.lower()}-{meeting.date}.pdf"
