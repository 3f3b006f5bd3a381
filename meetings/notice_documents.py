"""Kallelse (internal and public) as PDF/A.

The internal kallelse shows every item in full (confidential ones marked "Sekretess enligt …") and is for
those entitled to confidential items; the public one reduces a confidential item to its number and
CONFIDENTIAL_PUBLIC_TEXT and leaves its bilagor (and every confidential bilaga) out entirely.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify

from reporting.documents import DocumentInputError, PdfDocument, register_document

from . import confidentiality
from .agenda_selectors import notice_document_context
from .minutes_documents import CONFIDENTIAL_MARK
from .models import Meeting


class NoticeParamsForm(forms.Form):
    meeting = forms.IntegerField(label="Sammanträde (id)", min_value=1)


class _NoticeBase(PdfDocument):
    template_name = "meetings/pdf/notice.html"
    params_form = NoticeParamsForm
    public: bool = False

    def _meeting(self) -> Meeting:
        try:
            return (
                Meeting.objects.for_organisation(self.organisation)
                .select_related("committee")
                .get(pk=int(self.params.get("meeting") or 0))
            )
        except (Meeting.DoesNotExist, TypeError, ValueError) as exc:
            raise DocumentInputError("Sammanträdet finns inte i organisationen.") from exc

    def check_inputs(self) -> None:
        self._meeting()

    def check_access(self, request) -> None:
        """The internal version prints every item in full: only for those who may read this meeting's sekretess."""
        if not self.public:
            confidentiality.require_may_read(request, self._meeting())

    def get_context(self) -> dict[str, Any]:
        context = notice_document_context(
            organisation=self.organisation, meeting_id=self._meeting().pk, public=self.public
        )
        items = context.get("items", [])
        contains_confidential = not self.public and any(
            item["confidential"] or any(a["confidential"] for a in item["attachments"]) for item in items
        )
        return {
            **context,
            "viewer": confidentiality.PUBLIC if self.public else confidentiality.INTERNAL,
            "contains_confidential": contains_confidential,
            "confidential_mark": CONFIDENTIAL_MARK,
        }

    def filename(self) -> str:
        meeting = self._meeting()
        suffix = "-offentlig" if self.public else ""
        return f"kallelse-{slugify(meeting.committee.short_name) or 'organ'}-{meeting.date.isoformat()}{suffix}.pdf"


@register_document
class NoticeDocument(_NoticeBase):
    kind = "meetings.notice"
    title = "Kallelse"
    # Shows confidential items in full.
    required_perm = "meetings.view_confidential"


@register_document
class PublicNoticeDocument(_NoticeBase):
    kind = "meetings.notice_public"
    title = "Kallelse, offentlig version"
    required_perm = "meetings.view"
    public = True
