"""Upload bombs and polyglots are refused on every upload path, from headers alone, with nothing saved."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Role
from meetings import case_services
from meetings.attachments import attachment_inspect
from meetings.models import Attachment
from reporting.appendices import appendix_inspect
from reporting.documents import DocumentInputError
from reporting.models import RenderJob
from tests.factories import CommitteeFactory, user_with_role
from tests.meetings.factories import CaseNumberSeriesFactory

from . import upload_bombs

ROOT = Path(__file__).resolve().parents[2]
HTML_BEFORE_HEADER = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"


@pytest.fixture(scope="module")
def docx_450mb(tmp_path_factory) -> bytes:
    return upload_bombs.docx_bomb(tmp_path_factory.mktemp("bombs") / "bomb.docx", unpacked_mb=450)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def refusal(name: str, data: bytes) -> tuple[str, str]:
    """The messages of both upload paths (ärende/agenda bilaga, document bilaga) for the same file."""
    with pytest.raises(ValidationError) as attachment:
        attachment_inspect(name, data)
    with pytest.raises(DocumentInputError) as appendix:
        appendix_inspect(name=name, data=data)
    return attachment.value.messages[0], appendix.value.message


# --- Images ---------------------------------------------------------------------------------------------------


def test_png_claiming_144_megapixels_is_refused_from_its_header():
    data = upload_bombs.png_bomb(12_000, 12_000)
    assert len(data) < 2000
    on_case, on_document = refusal("karta.png", data)
    assert on_case.startswith("Filen ”karta.png” är en för stor bild")
    assert on_document.startswith("Bilagan ”karta.png” är en för stor bild")
    assert "högst 40 megapixel" in on_case


def test_image_over_our_limit_but_under_pillows_names_its_size():
    on_case, on_document = refusal("foto.png", upload_bombs.png_bomb(8000, 6250))  # 50 MP
    for message in (on_case, on_document):
        assert "8000 × 6250 bildpunkter (50 megapixel)" in message
        assert "högst 40 megapixel" in message


def test_jpeg_claiming_200_megapixels_is_refused():
    on_case, on_document = refusal("bild.jpg", upload_bombs.jpeg_claiming(20_000, 10_000))
    assert "för stor bild" in on_case and "för stor bild" in on_document


def test_pixel_limit_is_a_setting(settings):
    settings.PARAGRAF = {**settings.PARAGRAF, "MAX_IMAGE_PIXELS": 199}
    image = upload_bombs.png_bomb(20, 10, complete=True)
    refusal("liten.png", image)
    settings.PARAGRAF = {**settings.PARAGRAF, "MAX_IMAGE_PIXELS": 200}
    assert attachment_inspect("liten.png", image) == "image/png"
    assert appendix_inspect(name="liten.png", data=image).kind == "image"


def test_pillow_itself_refuses_far_larger_images_everywhere():
    """Set at start-up, so images decoded elsewhere (WeasyPrint) are bounded too."""
    assert django_settings.PARAGRAF["MAX_IMAGE_PIXELS"] == Image.MAX_IMAGE_PIXELS


MEASURE = """
import io, json, os, resource, sys
import django
django.setup()
from reporting.appendices import appendix_inspect
from reporting.documents import DocumentInputError
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    appendix_inspect(name="karta.png", data=data)
    outcome = "accepted"
except DocumentInputError as exc:
    outcome = exc.message
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "rise_kb": after - before}))
"""


def test_refusing_a_complete_144_megapixel_png_costs_no_memory(tmp_path):
    """The complete bomb decodes to 432 MB; before the header check the peak memory rose by about 550 MB."""
    path = tmp_path / "karta.png"
    path.write_bytes(upload_bombs.png_bomb(12_000, 12_000, complete=True))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", MEASURE, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert "för stor bild" in measured["outcome"]
    assert measured["rise_kb"] < 20 * 1024, measured


# --- Office files (zip packages) ------------------------------------------------------------------------------


def test_docx_that_unpacks_to_450_mb_is_refused(docx_450mb):
    assert len(docx_450mb) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        attachment_inspect("Tjänsteskrivelse.docx", docx_450mb)
    message = caught.value.messages[0]
    assert message.startswith("Filen ”Tjänsteskrivelse.docx” packas upp till 450,0\xa0MB")
    assert "högst 100,0\xa0MB" in message


def test_docx_packed_more_than_the_ratio_is_refused():
    data = upload_bombs.docx({"word/media/blank.xml": b"\0" * (5 * 1024 * 1024)})
    with pytest.raises(ValidationError) as caught:
        attachment_inspect("Protokoll.docx", data)
    assert caught.value.code == "compression_ratio"
    assert "packad mer än 100 gånger" in caught.value.messages[0]


def test_docx_with_too_many_parts_is_refused(settings):
    settings.PARAGRAF = {**settings.PARAGRAF, "MAX_ARCHIVE_ENTRIES": 10}
    data = upload_bombs.docx({f"word/part{i}.xml": b"<p/>" for i in range(9)})
    with pytest.raises(ValidationError) as caught:
        attachment_inspect("Många.docx", data)
    assert "består av 11 delar; högst 10 tillåts" in caught.value.messages[0]
    settings.PARAGRAF = {**settings.PARAGRAF, "MAX_ARCHIVE_ENTRIES": 11}
    assert attachment_inspect("Många.docx", data).endswith("document")


def test_docx_whose_parts_overlap_is_refused():
    with pytest.raises(ValidationError) as caught:
        attachment_inspect("Överlapp.docx", upload_bombs.docx_with_overlapping_parts())
    assert "delar överlappar varandra" in caught.value.messages[0]


def test_ordinary_office_and_image_files_still_pass():
    text = ("<w:p><w:r><w:t>Nämnden beslutar att godkänna budgeten.</w:t></w:r></w:p>" * 200).encode()
    assert attachment_inspect("Budget.docx", upload_bombs.docx({"word/styles.xml": text})).endswith("document")
    assert attachment_inspect("bild.jpg", upload_bombs.jpeg_claiming(16, 16)) == "image/jpeg"
    assert appendix_inspect(name="bild.png", data=upload_bombs.png_bomb(300, 200, complete=True)).kind == "image"


# --- HTML/PDF polyglots ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        upload_bombs.pdf(prefix=HTML_BEFORE_HEADER),
        upload_bombs.pdf(prefix=b"   \n<p>hej</p>\n"),
        upload_bombs.pdf(comment=b"<html><script>alert(1)</script>"),
        upload_bombs.pdf(comment=b"<SVG onload=alert(1)>"),
        upload_bombs.pdf(prefix="<html>".encode("utf-16-le")),
    ],
    ids=["html-before-header", "tag-before-header", "script-after-header", "svg-after-header", "utf16-html"],
)
def test_pdf_that_is_also_html_is_refused(data):
    on_case, on_document = refusal("Beslut.pdf", data)
    assert on_case.startswith("Filen ”Beslut.pdf” innehåller HTML-kod")
    assert on_document.startswith("Bilagan ”Beslut.pdf” innehåller HTML-kod")


def test_plain_pdf_passes():
    assert attachment_inspect("Beslut.pdf", upload_bombs.pdf()) == "application/pdf"
    assert appendix_inspect(name="Beslut.pdf", data=upload_bombs.pdf()).kind == "pdf"


# --- Through the pages: nothing is saved ----------------------------------------------------------------------


@pytest.mark.django_db
def test_case_bilaga_bombs_are_refused_by_the_page_and_nothing_is_saved(
    client_for, organisation, media_root, docx_450mb
):
    secretary = user_with_role(organisation, Role.SECRETARY)
    series = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation, short_name="SN"))
    case = case_services.case_register(
        organisation=organisation, actor=secretary, series=series, title="Budget", registered_on=dt.date(2025, 3, 1)
    )
    client = client_for(organisation, Role.SECRETARY)
    bombs = [
        ("karta.png", upload_bombs.png_bomb(), "för stor bild"),
        ("Tjänsteskrivelse.docx", docx_450mb, "packas upp till"),
        ("Beslut.pdf", upload_bombs.pdf(prefix=HTML_BEFORE_HEADER), "innehåller HTML-kod"),
    ]
    for name, data, what in bombs:
        upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
        response = client.post(reverse("cases:attachment_add", args=[case.pk]), {"upload": upload, "title": "X"})
        text = response.content.decode()
        assert response.status_code in {200, 400}, name
        assert f"”{name}”" in text and what in text, name
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_read_only_revisor_cannot_order_a_document_with_a_bomb(client_for, organisation, media_root):
    client = client_for(organisation, Role.AUDITOR)
    bomb = SimpleUploadedFile("karta.png", upload_bombs.png_bomb(), content_type="image/png")
    response = client.post(
        reverse("reporting:job_request"), {"kind": "core.organisation_factsheet", "appendices": [bomb]}
    )
    assert response.status_code in {200, 400}
    assert "Bilagan ”karta.png” är en för stor bild" in response.content.decode()
    assert not RenderJob.objects.exists()
    assert stored_files(media_root) == []
