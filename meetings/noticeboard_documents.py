"""Intyg om anslag, begäran om lagakraftbevis, protokollsutdrag and anslagsbevis as PDF/A.

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

from core.formatting import format_date, format_day_month_year
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
from .models import FinalityRequest, Minutes, Paragraph, Posting
from .posting_selectors import paragraph_finality, verified_on

CONFIDENTIAL_MARK = "Innehåller sekretessbelagda uppgifter"
_NUMBER_LIST = re.compile(r"^\s*\d+(\s*,\s*\d+)*\s*$")


def _id(params: dict, key: str, what: str) -> int:
    try:
        return int(params.get(key))
    except (TypeError, ValueError) as exc:
        raise DocumentInputError(f"Ange vilken {what} det gäller.") from exc


# -- Intyg om anslag ---------------------------------------------------------------------------------------


class PostingStatementParamsForm(DocumentParamsForm):
    paragraph = paragraph_field()

    def set_organisation(self, organisation) -> None:
        self.fields["paragraph"].queryset = paragraph_queryset(organisation)

    def clean_paragraph(self):
        return self.cleaned_data["paragraph"].pk


@register_document
class PostingStatementDocument(PdfDocument):
    """Intyg om anslag for one §: what the organisation itself can certify, namely when the justering was posted and
    taken down and when the appeal period runs out. Whether the beslut has vunnit laga kraft only the
    förvaltningsrätt can say (lagakraftbevis); the intyg cites its answer when one is registered, and never claims
    laga kraft without it.
    """

    kind = "meetings.posting_statement"
    title = "Intyg om anslag"
    template_name = "meetings/pdf/posting_statement.html"
    params_form = PostingStatementParamsForm
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
        if not paragraph.has_decision:
            raise DocumentInputError(f"§ {paragraph.number} har inget beslut att intyga anslaget för.")
        if self.status().state == "not_posted":
            raise DocumentInputError(f"§ {paragraph.number}: protokollet är inte anslaget.")

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
            "period_ended": status.state not in ("running", "not_posted"),
            "status": status,
        }

    def subject(self) -> tuple[str, str]:
        paragraph = self.paragraph()
        return paragraph_label(paragraph), reverse("minutes:minutes_detail", kwargs={"pk": paragraph.minutes_id})

    def filename(self) -> str:
        paragraph = self.paragraph()
        return f"intyg-om-anslag-{paragraph.committee.short_name.lower()}-{paragraph.year}-par-{paragraph.number}.pdf"


# -- Begäran om lagakraftbevis ------------------------------------------------------------------------------


class FinalityRequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FinalityRequest) -> str:
        return f"Begäran till {obj.court} {format_date(obj.requested_on)} ({minutes_label(obj.minutes)})"


class FinalityRequestParamsForm(DocumentParamsForm):
    request = FinalityRequestChoiceField(
        label="Begäran om lagakraftbevis",
        queryset=FinalityRequest.objects.none(),
        error_messages={"required": "Välj en begäran.", "invalid_choice": "Välj en begäran i listan."},
    )

    def set_organisation(self, organisation) -> None:
        self.fields["request"].queryset = (
            FinalityRequest.objects.for_organisation(organisation)
            .select_related("minutes__meeting__committee")
            .order_by("-pk")
        )

    def clean_request(self):
        return self.cleaned_data["request"].pk


@register_document
class FinalityRequestDocument(PdfDocument):
    """The letter to the förvaltningsrätt asking for lagakraftbevis for chosen §§ (seed 000: Ljusnarsberg's
    "Lagakraftbevis" to Förvaltningsrätten i Karlstad). Goes outside the organisation: a confidential § is named
    by its number only.
    """

    kind = "meetings.finality_request"
    title = "Begäran om lagakraftbevis"
    template_name = "meetings/pdf/finality_request.html"
    params_form = FinalityRequestParamsForm
    required_perm = "meetings.manage_minutes"

    def request(self) -> FinalityRequest:
        if not hasattr(self, "_request"):
            pk = _id(self.params, "request", "begäran")
            found = (
                FinalityRequest.objects.for_organisation(self.organisation)
                .select_related("minutes__meeting__committee")
                .filter(pk=pk)
                .first()
            )
            if found is None:
                raise DocumentInputError("Begäran om lagakraftbevis finns inte.")
            self._request = found
        return self._request

    def items(self) -> list:
        return list(
            self.request()
            .items.select_related("paragraph__agenda_item", "paragraph__case")
            .order_by("paragraph__number")
        )

    def check_inputs(self) -> None:
        self.request()

    def get_context(self) -> dict[str, Any]:
        request = self.request()
        meeting = request.minutes.meeting
        items = self.items()
        for item in items:
            item.paragraph.minutes = request.minutes  # the confidentiality rule reads the meeting: no query
        numbers = [item.paragraph.number for item in items]
        return {
            "viewer": confidentiality.PUBLIC,
            "request": request,
            "meeting": meeting,
            "committee": meeting.committee,
            "items": items,
            "paragraph_text": format_paragraph_list(numbers),
            "meeting_day": format_day_month_year(meeting.date),
            "court_lines": [line.strip() for line in request.court_address.splitlines() if line.strip()],
            "return_lines": [line.strip() for line in request.return_address.splitlines() if line.strip()],
            "contact_lines": [line.strip() for line in request.contact.splitlines() if line.strip()],
        }

    def subject(self) -> tuple[str, str]:
        request = self.request()
        url = reverse("noticeboard:minutes_finality", kwargs={"pk": request.minutes_id})
        return f"Anslag och laga kraft, {minutes_label(request.minutes)}", url

    def filename(self) -> str:
        request = self.request()
        meeting = request.minutes.meeting
        return f"begaran-om-lagakraftbevis-{meeting.committee.short_name.lower()}-{meeting.date}-{request.pk}.pdf"


def format_paragraph_list(numbers: list[int]) -> str:
    """ "§ 242", "§§ 242 och 245", "§§ 71, 73 och 75"."""
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"§ {numbers[0]}"
    return "§§ " + ", ".join(str(n) for n in numbers[:-1]) + f" och {numbers[-1]}"


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
