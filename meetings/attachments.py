"""Bilagor: checked type and size, stored privately with their SHA-256.

The type is decided by the content, not the name alone: the file name's suffix says what the file claims
to be, and the bytes must prove it (a PDF header that pikepdf can open, an Office Open XML package whose
[Content_Types].xml names the right main part, an OLE2 compound file for legacy Word and Excel, a PNG or
JPEG image that Pillow can verify and decode). Anything else is refused with a Swedish message naming the
file, and nothing is stored.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from functools import partial
from pathlib import PurePosixPath

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

from core.models import Organisation, User
from core.validators import check_image_pixels, check_not_html, check_zip_container

from .confidentiality import is_confidential
from .confidentiality import legal_basis as owner_legal_basis
from .models import AgendaItem, Attachment, Case

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PNG = "image/png"
JPEG = "image/jpeg"

# Suffix -> the content type the bytes must prove.
SUFFIX_TYPES = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".doc": DOC,
    ".xls": XLS,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
}
# The main part an Office Open XML package must declare (macro-enabled variants are refused).
OOXML_MAIN_PARTS = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
TYPE_LABELS = {PDF: "PDF", DOCX: "Word", DOC: "Word", XLSX: "Excel", XLS: "Excel", PNG: "PNG", JPEG: "JPEG"}
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# [Content_Types].xml is a few KB; reading more than this from it means the package lies about its size.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
ALLOWED_TEXT = "Tillåtna: PDF, Word, Excel, PNG och JPEG."


def max_upload_bytes() -> int:
    return settings.PARAGRAF["MAX_UPLOAD_BYTES"]


def clean_file_name(name: str) -> str:
    """The file name without any folder a browser sent with it."""
    return PurePosixPath((name or "").replace("\\", "/")).name or "namnlös fil"


def check_size(*, name: str, size: int) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            f"Filen ”{name}” är större än {filesizeformat(limit)}. Dela upp den eller komprimera den.",
            code="too_large",
        )
    if size == 0:
        raise ValidationError(f"Filen ”{name}” är tom.", code="empty")


def attachment_inspect(name: str, data: bytes) -> str:
    """The content type of an acceptable bilaga. Raises ValidationError (Swedish, naming the file) otherwise."""
    name = clean_file_name(name)
    check_size(name=name, size=len(data))
    expected = SUFFIX_TYPES.get(PurePosixPath(name).suffix.lower())
    if expected is None:
        raise ValidationError(f"Filen ”{name}” har ett format som inte stöds. {ALLOWED_TEXT}", code="unsupported")
    label = TYPE_LABELS[expected]
    broken = ValidationError(
        f"Filen ”{name}” är inte en giltig {label}-fil: innehållet stämmer inte med filnamnet eller filen är skadad.",
        code="invalid",
    )
    # Bombs and polyglots (core.validators, shared by every upload path) before anything is parsed or decoded.
    subject = f"Filen ”{name}”"
    check_not_html(data, subject=subject)
    if expected == PDF:
        _check_pdf(name, data, broken)
    elif expected in OOXML_MAIN_PARTS:
        check_zip_container(data, subject=subject)
        _check_ooxml(data, OOXML_MAIN_PARTS[expected], broken)
    elif expected in {DOC, XLS}:
        if not data.startswith(OLE2_MAGIC):
            raise broken
    else:
        check_image_pixels(data, subject=subject)
        _check_image(data, "PNG" if expected == PNG else "JPEG", broken)
    return expected


def _check_pdf(name: str, data: bytes, broken: ValidationError) -> None:
    if b"%PDF-" not in data[:1024]:
        raise broken
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise broken
    except pikepdf.PasswordError as exc:
        raise ValidationError(
            f"Filen ”{name}” är lösenordsskyddad. Ta bort lösenordet och ladda upp filen igen.", code="encrypted"
        ) from exc
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        raise broken from exc


def _check_ooxml(data: bytes, main_part: str, broken: ValidationError) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise broken
            with package.open(info) as part:  # bounded: the declared size may be a lie
                raw = part.read(MAX_CONTENT_TYPES_BYTES + 1)
            if len(raw) > MAX_CONTENT_TYPES_BYTES:
                raise broken
            content_types = raw.decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError) as exc:
        raise broken from exc
    if f'ContentType="{main_part}"' not in content_types:
        raise broken


def _check_image(data: bytes, image_format: str, broken: ValidationError) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() does not notice a truncated file; decoding it does
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise broken from exc
    if found != image_format:
        raise broken


def read_upload(upload: UploadedFile) -> bytes:
    """The upload's bytes; a too large one is refused before it is read into memory."""
    name = clean_file_name(upload.name or "")
    if upload.size is not None:
        check_size(name=name, size=upload.size)
    upload.seek(0)
    return upload.read()


def _owner_checks(*, organisation: Organisation, agenda_item: AgendaItem | None, case: Case | None) -> None:
    if agenda_item is None and case is None:
        raise ValidationError("En bilaga måste höra till en punkt på dagordningen eller ett ärende.", code="no_owner")
    if agenda_item is not None and agenda_item.meeting.committee.organisation_id != organisation.pk:
        raise ValidationError("Punkten hör inte till organisationen.", code="other_organisation")
    if case is not None and case.organisation_id != organisation.pk:
        raise ValidationError("Ärendet hör inte till organisationen.", code="other_organisation")


def _delete_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.exception("Bilagefilen %s kunde inte tas bort", name)


def attachment_add(
    *,
    organisation: Organisation,
    actor: User,
    upload: UploadedFile,
    title: str = "",
    agenda_item: AgendaItem | None = None,
    case: Case | None = None,
    confidential: bool = False,
    legal_basis: str = "",
) -> Attachment:
    """Check and store a bilaga privately with its SHA-256. Nothing is saved (row or file) when it fails.

    A bilaga to a confidential agenda item or ärende is confidential too, on the same legal basis.
    """
    from .agenda_services import ensure_agenda_editable

    _owner_checks(organisation=organisation, agenda_item=agenda_item, case=case)
    name = clean_file_name(upload.name or "")
    data = read_upload(upload)
    content_type = attachment_inspect(name, data)
    owner = agenda_item or case
    if owner is not None and is_confidential(owner) and not confidential:
        confidential, legal_basis = True, owner_legal_basis(owner)
    legal_basis = (legal_basis or "").strip()
    if confidential and not legal_basis:
        raise ValidationError(
            {"legal_basis": "Ange sekretessgrund (t.ex. ”OSL 26 kap. 1 §”) när bilagan markeras som sekretess."},
            code="no_legal_basis",
        )
    storage = Attachment._meta.get_field("file").storage
    stored: list[str] = []
    try:
        with transaction.atomic():
            # The owner's row locked FOR UPDATE before the last position is read: two uploads to the same
            # punkt or ärende at once then take turns and get distinct positions (the constraints guard it too).
            if agenda_item is not None:
                ensure_agenda_editable(agenda_item.meeting)
                AgendaItem.objects.select_for_update().filter(pk=agenda_item.pk).first()
                siblings = Attachment.objects.filter(agenda_item=agenda_item)
            else:
                Case.objects.select_for_update().filter(pk=case.pk).first()
                siblings = Attachment.objects.filter(case=case, agenda_item__isnull=True)
            position = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
            attachment = Attachment(
                organisation=organisation,
                agenda_item=agenda_item,
                case=case,
                position=position,
                title=(title or "").strip() or PurePosixPath(name).stem or name,
                original_name=name,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor,
                confidential=confidential,
                legal_basis=legal_basis if confidential else "",
            )
            attachment.full_clean(exclude=["file"])
            attachment.file.save(name, ContentFile(data), save=False)
            stored.append(attachment.file.name)
            attachment._history_user = actor
            attachment.save()
    except BaseException:
        for stored_name in stored:
            _delete_file(storage, stored_name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    """Remove a bilaga; its file goes once the removal is committed."""
    from .agenda_services import ensure_agenda_editable

    if attachment.agenda_item_id:
        ensure_agenda_editable(attachment.agenda_item.meeting)
    storage = attachment.file.storage
    name = attachment.file.name
    attachment._history_user = actor
    attachment.delete()
    transaction.on_commit(partial(_delete_file, storage, name), robust=True)


def attachment_is_confidential(attachment: Attachment) -> bool:
    """Confidential itself, or through the agenda item or ärende it belongs to (meetings.confidentiality)."""
    return is_confidential(attachment)
