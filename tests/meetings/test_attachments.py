"""Bilagor: the type is decided by the content, bad uploads change nothing, downloads respect sekretess."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Role
from meetings.attachments import (
    DOC,
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLS,
    XLSX,
    attachment_add,
    attachment_inspect,
    attachment_remove,
)
from meetings.models import Attachment
from tests.factories import CommitteeFactory, MembershipFactory, user_with_role
from tests.meetings.factories import AgendaItemFactory

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def pdf_bytes(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer, static_id=True)  # the same bytes every time: tests compare checksums
    return buffer.getvalue()


def ooxml_bytes(main_type: str, part: str = "/word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="{part}" ContentType="{main_type}"/></Types>',
        )
        package.writestr(part.lstrip("/"), "<document/>")
    return buffer.getvalue()


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (11, 61, 107)).save(buffer, format=fmt)
    return buffer.getvalue()


OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def make_attachment(organisation, *, confidential: bool = False, item=None) -> Attachment:
    """A stored bilaga of an agenda item of the organisation (also used by the scoping builders)."""
    if item is None:
        item = AgendaItemFactory(meeting__committee=CommitteeFactory(organisation=organisation), position=1)
    return attachment_add(
        organisation=organisation,
        actor=user_with_role(organisation, Role.SECRETARY),
        upload=upload("underlag.pdf", pdf_bytes()),
        title="Underlag",
        agenda_item=item,
        confidential=confidential,
        legal_basis="OSL 26 kap. 1 §" if confidential else "",
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("beslut.pdf", pdf_bytes(), PDF),
        ("Tjänsteskrivelse.DOCX", ooxml_bytes(WORD_MAIN), DOCX),
        ("budget.xlsx", ooxml_bytes(EXCEL_MAIN, "/xl/workbook.xml"), XLSX),
        ("gammal.doc", OLE2, DOC),
        ("gammal.xls", OLE2, XLS),
        ("karta.png", image_bytes("PNG"), PNG),
        ("foto.jpg", image_bytes("JPEG"), JPEG),
        ("foto.jpeg", image_bytes("JPEG"), JPEG),
    ],
)
def test_accepted_types_by_content(name, data, expected):
    assert attachment_inspect(name, data) == expected


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.exe", b"MZ\x90\x00" + b"\0" * 100, "Filen ”x.exe” har ett format som inte stöds. Tillåtna: PDF, Word"),
        ("virus.pdf", b"MZ\x90\x00" + b"\0" * 100, "Filen ”virus.pdf” är inte en giltig PDF-fil"),
        ("trasig.pdf", b"%PDF-1.7\n garbage", "Filen ”trasig.pdf” är inte en giltig PDF-fil"),
        ("trasig.docx", b"PK\x03\x04 not really a zip", "Filen ”trasig.docx” är inte en giltig Word-fil"),
        # A spreadsheet renamed .docx: the package's main part gives it away.
        ("fel.docx", ooxml_bytes(EXCEL_MAIN, "/xl/workbook.xml"), "Filen ”fel.docx” är inte en giltig Word-fil"),
        ("makro.docx", ooxml_bytes("application/vnd.ms-word.document.macroEnabled.main+xml"), "giltig Word-fil"),
        ("gammal.doc", b"just text", "Filen ”gammal.doc” är inte en giltig Word-fil"),
        ("bild.png", image_bytes("JPEG"), "Filen ”bild.png” är inte en giltig PNG-fil"),
        ("bild.jpg", image_bytes("JPEG")[:60], "Filen ”bild.jpg” är inte en giltig JPEG-fil"),
        ("tom.pdf", b"", "Filen ”tom.pdf” är tom."),
        ("C:\\Users\\x\\skript.sh", b"#!/bin/sh", "Filen ”skript.sh” har ett format som inte stöds."),
    ],
)
def test_refused_with_a_message_naming_the_file(name, data, message):
    with pytest.raises(ValidationError) as caught:
        attachment_inspect(name, data)
    assert message in caught.value.messages[0]


def test_too_large_is_refused(settings):
    settings.PARAGRAF = {**settings.PARAGRAF, "MAX_UPLOAD_BYTES": 1000}
    with pytest.raises(ValidationError) as caught:
        attachment_inspect("stor.pdf", b"%PDF-" + b"0" * 1000)
    assert "Filen ”stor.pdf” är större än" in caught.value.messages[0]


@pytest.mark.django_db
class TestAttachmentAdd:
    def test_stores_privately_with_checksum(self, organisation, media_root):
        import hashlib

        attachment = make_attachment(organisation)
        attachment.refresh_from_db()
        data = pdf_bytes()
        assert attachment.original_name == "underlag.pdf"
        assert attachment.content_type == PDF
        assert attachment.size == len(data)
        assert attachment.sha256 == hashlib.sha256(data).hexdigest()
        assert attachment.file.name.startswith(f"meetings/{organisation.pk}/")
        assert "underlag" not in attachment.file.name  # the original name is on the row only
        assert len(stored_files(media_root)) == 1
        assert attachment.history.first().history_user is not None

    @pytest.mark.parametrize(
        ("name", "data"),
        [("x.pdf", b"MZ\x90\x00" + b"\0" * 100), ("trasig.docx", b"PK\x03\x04junk"), ("stor.pdf", b"%PDF-" * 400)],
    )
    def test_bad_upload_changes_nothing(self, organisation, media_root, settings, name, data):
        settings.PARAGRAF = {**settings.PARAGRAF, "MAX_UPLOAD_BYTES": 1500}
        item = AgendaItemFactory(meeting__committee=CommitteeFactory(organisation=organisation), position=1)
        with pytest.raises(ValidationError):
            attachment_add(
                organisation=organisation,
                actor=user_with_role(organisation, Role.SECRETARY),
                upload=upload(name, data),
                agenda_item=item,
            )
        assert Attachment.objects.count() == 0
        assert Attachment.history.count() == 0
        assert stored_files(media_root) == []

    def test_confidential_needs_legal_basis_and_saves_nothing(self, organisation, media_root):
        item = AgendaItemFactory(meeting__committee=CommitteeFactory(organisation=organisation), position=1)
        with pytest.raises(ValidationError) as caught:
            attachment_add(
                organisation=organisation,
                actor=user_with_role(organisation, Role.SECRETARY),
                upload=upload("a.pdf", pdf_bytes()),
                agenda_item=item,
                confidential=True,
            )
        assert "Ange sekretessgrund" in caught.value.message_dict["legal_basis"][0]
        assert stored_files(media_root) == []

    def test_bilaga_of_confidential_item_is_confidential(self, organisation):
        item = AgendaItemFactory(
            meeting__committee=CommitteeFactory(organisation=organisation),
            position=1,
            confidential=True,
            legal_basis="OSL 26 kap. 1 §",
        )
        attachment = make_attachment(organisation, item=item)
        assert attachment.confidential and attachment.legal_basis == "OSL 26 kap. 1 §"

    def test_other_organisations_item_is_refused(self, organisation, other_organisation, media_root):
        item = AgendaItemFactory(meeting__committee=CommitteeFactory(organisation=other_organisation), position=1)
        with pytest.raises(ValidationError):
            make_attachment(organisation, item=item)
        assert stored_files(media_root) == []

    def test_remove_deletes_row_and_file(self, organisation, media_root, django_capture_on_commit_callbacks):
        attachment = make_attachment(organisation)
        with django_capture_on_commit_callbacks(execute=True):
            attachment_remove(attachment=attachment, actor=user_with_role(organisation, Role.SECRETARY))
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []


@pytest.mark.django_db
class TestViews:
    def test_upload_form_keeps_input_and_says_what_is_wrong(self, client_for, organisation, media_root):
        item = AgendaItemFactory(meeting__committee=CommitteeFactory(organisation=organisation), position=1)
        client = client_for(organisation, Role.SECRETARY)
        url = reverse("agenda:attachment_upload", args=[item.pk])
        response = client.post(url, {"file": upload("x.exe", b"MZ" * 10), "title": "Mitt underlag"})
        assert response.status_code == 400
        text = response.content.decode()
        assert "Filen ”x.exe” har ett format som inte stöds." in text
        assert 'value="Mitt underlag"' in text
        assert Attachment.objects.count() == 0

    def test_upload_and_download(self, client_for, organisation):
        item = AgendaItemFactory(meeting__committee=CommitteeFactory(organisation=organisation), position=1)
        client = client_for(organisation, Role.SECRETARY)
        response = client.post(
            reverse("agenda:attachment_upload", args=[item.pk]), {"file": upload("Beslut.pdf", pdf_bytes())}
        )
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.title == "Beslut"
        download = client.get(reverse("agenda:attachment_download", args=[attachment.pk]))
        assert download.status_code == 200
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Type"] == PDF
        assert 'attachment; filename="Beslut.pdf"' in download["Content-Disposition"]
        assert b"".join(download.streaming_content) == pdf_bytes()

    def test_confidential_download_needs_view_confidential(self, client_for, organisation):
        attachment = make_attachment(organisation, confidential=True)
        url = reverse("agenda:attachment_download", args=[attachment.pk])
        assert client_for(organisation, Role.ECONOMIST).get(url).status_code == 404
        # A ledamot reads sekretess only of a committee where they hold a seat (docs/decisions/0006).
        member = client_for(organisation, Role.MEMBER)
        assert member.get(url).status_code == 404
        MembershipFactory(committee=attachment.agenda_item.meeting.committee, person__user=member.user)
        assert member.get(url).status_code == 200

    def test_bilaga_of_confidential_item_hidden_from_economist(self, client_for, organisation):
        item = AgendaItemFactory(
            meeting__committee=CommitteeFactory(organisation=organisation),
            position=1,
            confidential=True,
            legal_basis="OSL 26 kap. 1 §",
        )
        attachment = make_attachment(organisation, item=item)
        Attachment.objects.filter(pk=attachment.pk).update(confidential=False, legal_basis="")
        url = reverse("agenda:attachment_download", args=[attachment.pk])
        assert client_for(organisation, Role.ECONOMIST).get(url).status_code == 404
