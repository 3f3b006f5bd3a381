"""Kallelse (internal and public) as PDF/A.

The internal kallelse shows every item in full (confidential ones marked "Sekretess enligt …") and is for
those entitled to confidential items; the public one reduces a confidential item to its number and
CONFIDENTIAL_PUBLIC_TEXT and leaves its bilagor (and every confidential bilaga) out entirely.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from reporting.appendices import Appendix, PageImage, pdf_page_count, pdf_page_images
from reporting.documents import DocumentInputError, PdfDocument, register_document

from . import confidentiality
from .agenda_selectors import ItemHandlingar, NumberedAttachment, notice_document_context, notice_handlingar
from .attachments import DOC, DOCX, JPEG, PDF, PNG, XLS, XLSX
from .document_params import MeetingParamsForm, meeting_label
from .minutes_documents import CONFIDENTIAL_MARK
from .models import Attachment, Meeting

logger = logging.getLogger(__name__)


class _NoticeBase(PdfDocument):
    template_name = "meetings/pdf/notice.html"
    params_form = MeetingParamsForm
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

    def subject(self) -> tuple[str, str]:
        meeting = self._meeting()
        return meeting_label(meeting), reverse("agenda:meeting_detail", kwargs={"pk": meeting.pk})

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


# -- Kallelse med handlingar --------------------------------------------------------------------------------

TYPE_NAMES = {DOC: "Word-fil", DOCX: "Word-fil", XLS: "Excel-fil", XLSX: "Excel-fil"}


@dataclass
class PrintedAttachment:
    """A numbered bilaga as the kallelse med handlingar prints it."""

    item_position: int
    numbered: NumberedAttachment
    how: str  # "pages" (a PDF's pages as images), "image", "file" (kept as a separate file) or "missing"
    pages: list[PageImage] = field(default_factory=list)
    page_count: int = 0
    image_url: str = ""
    embedded_name: str = ""
    url: str = ""
    type_name: str = ""

    @property
    def number(self) -> int:
        return self.numbered.number

    @property
    def title(self) -> str:
        return self.numbered.title

    @property
    def anchor(self) -> str:
        return f"punkt-{self.item_position}-bilaga-{self.number}"

    @property
    def truncated(self) -> bool:
        return self.page_count > len(self.pages)


def _attachment_url(attachment: Attachment) -> str:
    return settings.PARAGRAF["BASE_URL"].rstrip("/") + reverse(
        "agenda:attachment_download", kwargs={"pk": attachment.pk}
    )


class _NoticeWithDocumentsBase(_NoticeBase):
    """The kallelse, then per punkt its tjänsteskrivelse and its bilagor (Bilaga 1, 2 …), with bookmarks and
    page numbers in the föredragningslista (seed 002). PDF bilagor are printed as images of their pages and
    embedded unchanged; Word and Excel files are embedded and get a page saying so (docs/decisions/0011)."""

    template_name = "meetings/pdf/notice_documents.html"

    def _prepared(self) -> tuple[list[ItemHandlingar], list[PrintedAttachment], list[Appendix]]:
        if not hasattr(self, "_prepared_cache"):
            handlingar = notice_handlingar(meeting=self._meeting(), public=self.public)
            printed: list[PrintedAttachment] = []
            originals: list[Appendix] = []
            for item in handlingar:
                for numbered in item.attachments:
                    entry, original = self._print(item.position, numbered)
                    printed.append(entry)
                    if original is not None:
                        originals.append(original)
            self._prepared_cache = (handlingar, printed, originals)
        return self._prepared_cache

    def _print(self, position: int, numbered: NumberedAttachment) -> tuple[PrintedAttachment, Appendix | None]:
        attachment = numbered.attachment
        entry = PrintedAttachment(
            item_position=position, numbered=numbered, how="missing", url=_attachment_url(attachment)
        )
        try:
            with attachment.file.open("rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            logger.warning("Bilaga %s saknar fil och skrivs inte ut", attachment.pk)
            return entry, None
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            logger.warning("Bilaga %s har ändrats sedan uppladdningen och skrivs inte ut", attachment.pk)
            return entry, None
        name = f"punkt-{position}-bilaga-{numbered.number}-{attachment.original_name}"
        description = f"Punkt {position}, bilaga {numbered.number}: {attachment.title}"
        if attachment.content_type == PDF:
            try:
                entry.pages = pdf_page_images(data)
                entry.page_count = pdf_page_count(data)
            except (DocumentInputError, pikepdf.PdfError):
                logger.warning("Bilaga %s kunde inte läsas som PDF", attachment.pk)
                return entry, None
            entry.how = "pages"
            entry.embedded_name = name
            return entry, self._appendix(name, data, "pdf", PDF, attachment.sha256, description)
        if attachment.content_type in (PNG, JPEG):
            entry.how = "image"
            entry.image_url = f"data:{attachment.content_type};base64,{base64.b64encode(data).decode('ascii')}"
            return entry, None
        entry.how = "file"
        entry.type_name = TYPE_NAMES.get(attachment.content_type, "fil")
        entry.embedded_name = name
        return entry, self._appendix(name, data, "file", attachment.content_type, attachment.sha256, description)

    @staticmethod
    def _appendix(name, data, kind, content_type, sha256, description) -> Appendix:
        return Appendix(
            name=name, data=data, kind=kind, content_type=content_type, sha256=sha256, description=description
        )

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        handlingar, printed, _originals = self._prepared()
        by_item: dict[int, list[PrintedAttachment]] = {}
        for entry in printed:
            by_item.setdefault(entry.item_position, []).append(entry)
        sections = [{"item": item, "printed": by_item.get(item.position, [])} for item in handlingar]
        anchors = {item.position: item.anchor for item in handlingar}
        for row in context.get("items", []):
            row["anchor"] = anchors.get(row["position"], "")
        if not self.public:
            context["contains_confidential"] = context["contains_confidential"] or any(
                item.confidential or any(a.confidential for a in item.attachments) for item in handlingar
            )
        return {**context, "handlingar": sections, "with_pages": True}

    def get_appendices(self) -> list[Appendix]:
        return list(self._prepared()[2])

    def filename(self) -> str:
        meeting = self._meeting()
        suffix = "-offentlig" if self.public else ""
        committee = slugify(meeting.committee.short_name) or "organ"
        return f"kallelse-med-handlingar-{committee}-{meeting.date.isoformat()}{suffix}.pdf"


@register_document
class NoticeWithDocumentsDocument(_NoticeWithDocumentsBase):
    kind = "meetings.notice_documents"
    title = "Kallelse med handlingar"
    required_perm = "meetings.view_confidential"


@register_document
class PublicNoticeWithDocumentsDocument(_NoticeWithDocumentsBase):
    kind = "meetings.notice_documents_public"
    title = "Kallelse med handlingar, offentlig version"
    required_perm = "meetings.view"
    public = True
