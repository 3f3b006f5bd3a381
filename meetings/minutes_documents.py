"""Protokoll as PDF/A: the internal protokoll (archived at justering) and the public one without sekretess.

Order follows the seeds (003): front page (organ, datum, plats och tid, närvaro, justerare, paragrafer,
underskrifter), the ANSLAG/BEVIS box when posted, every §, then rättelser.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from reporting.documents import DocumentInputError, DocumentParamsForm, PdfDocument, register_document

from . import confidentiality, minutes_selectors
from .document_params import minutes_field, minutes_label, minutes_queryset
from .models import Minutes
from .posting_selectors import verified_on

CONFIDENTIAL_PARAGRAPH_TEXT = "Paragrafen omfattas av sekretess"
CONFIDENTIAL_MARK = "Innehåller sekretessbelagda uppgifter"


def page_footer_text(minutes: Minutes, *, public: bool, paragraphs, what: str = "protokoll") -> str:
    """The line under the boxes on every page: organisation, document, and the sekretess mark where it applies."""
    meeting = minutes.meeting
    text = f"{meeting.committee.organisation.name} – {what} {meeting.committee.name} {meeting.date.isoformat()}"
    if not public and any(confidentiality.is_confidential(p) for p in paragraphs):
        text += f" – {CONFIDENTIAL_MARK}"
    return text


class MinutesParamsForm(DocumentParamsForm):
    minutes = minutes_field()

    def set_organisation(self, organisation) -> None:
        self.fields["minutes"].queryset = minutes_queryset(organisation)

    def clean_minutes(self):
        return self.cleaned_data["minutes"].pk


@register_document
class MinutesDocument(PdfDocument):
    kind = "meetings.minutes"
    title = "Protokoll"
    template_name = "meetings/pdf/minutes.html"
    params_form = MinutesParamsForm
    required_perm = "meetings.view_confidential"
    public = False

    def minutes(self) -> Minutes:
        if not hasattr(self, "_minutes"):
            try:
                self._minutes = minutes_selectors.minutes_full(
                    organisation=self.organisation, pk=int(self.params.get("minutes") or 0)
                )
            except (Minutes.DoesNotExist, ValueError, TypeError) as exc:
                raise DocumentInputError("Protokollet finns inte i organisationen.") from exc
        return self._minutes

    def check_inputs(self) -> None:
        self.minutes()

    def check_access(self, request) -> None:
        """The internal version prints every § in full: only for those who may read this protokoll's sekretess."""
        if not self.public:
            confidentiality.require_may_read(request, self.minutes())

    def get_context(self) -> dict[str, Any]:
        minutes = self.minutes()
        try:
            posting = minutes.posting
        except Minutes.posting.RelatedObjectDoesNotExist:
            posting = None
        paragraphs = list(minutes.paragraphs.all())
        corrections = list(minutes.corrections.all())
        viewer = confidentiality.PUBLIC if self.public else confidentiality.INTERNAL
        if self.public:
            corrections = [c for c in corrections if not viewer.hides(c)]
        return {
            "viewer": viewer,
            "draft": not minutes.is_locked,
            "verified_on": verified_on(minutes),
            "footer_text": page_footer_text(minutes, public=self.public, paragraphs=paragraphs),
            "contains_confidential": any(confidentiality.is_confidential(p) for p in paragraphs),
            "confidential_mark": CONFIDENTIAL_MARK,
            "minutes": minutes,
            "meeting": minutes.meeting,
            "committee": minutes.meeting.committee,
            "paragraphs": paragraphs,
            "corrections": corrections,
            "posting": posting,
            "public": self.public,
            "confidential_text": CONFIDENTIAL_PARAGRAPH_TEXT,
        }

    def subject(self) -> tuple[str, str]:
        minutes = self.minutes()
        return minutes_label(minutes), reverse("minutes:minutes_detail", kwargs={"pk": minutes.pk})

    def filename(self) -> str:
        meeting = self.minutes().meeting
        prefix = "protokoll-offentligt" if self.public else "protokoll"
        return f"{prefix}-{meeting.committee.short_name.lower()}-{meeting.date.isoformat()}.pdf"


@register_document
class PublicMinutesDocument(MinutesDocument):
    """The same protokoll for the public: a confidential § shows only its number and the legal basis."""

    kind = "meetings.minutes_public"
    title = "Protokoll (offentlig version)"
    required_perm = "meetings.view"
    public = True
