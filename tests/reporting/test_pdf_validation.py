"""Every document type is valid PDF/A-3a, and PDF/UA-1 (tagged, accessible) as well, checked with the
page-validation package (issue 7, point 14). The public ones (offentligt protokoll, offentlig kallelse, bevis om
anslag, intyg om anslag, begäran om lagakraftbevis: what the anslagstavla and the public get) must pass
PDF/UA-1; today every document does.

The documents are made for the confidential world of the confidentiality matrix (votering, reservation, jäv,
sekretess, anslag), with the params the matrix asks for them with, so a new document type without params there
fails there and here.
"""

from __future__ import annotations

import io
import struct
import zlib

import page
import pikepdf
import pytest

from reporting import rendering
from reporting.appendices import appendix_inspect
from reporting.documents import get_document_class, registered_documents
from tests.meetings.confidential_world import build_world
from tests.meetings.test_confidentiality_matrix import DOCUMENT_PARAMS

pytestmark = pytest.mark.django_db

PUBLIC_DOCUMENTS = {
    "meetings.minutes_public",
    "meetings.notice_public",
    "meetings.notice_documents_public",
    "meetings.posting_certificate",
    "meetings.posting_statement",
    "meetings.finality_request",
}


def _failures(data: bytes, profile: str) -> list[str]:
    report = page.validate_pdf_bytes(data, profile=profile)
    return [] if report.is_compliant else [f"{f.rule_id}: {f.message}" for f in report.failures]


def _render(document, appendices=()) -> bytes:
    html = rendering.build_html(document, appendices=appendices)
    return rendering.write_pdf(rendering.layout_html(html), appendices=appendices)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\x20\x60\xa0" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _pdf_appendix() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def test_public_documents_are_registered_types():
    assert {cls.kind for cls in registered_documents()} >= PUBLIC_DOCUMENTS


def test_every_document_type_is_pdf_a_3a_and_the_public_ones_pdf_ua_1(organisation):
    world = build_world(organisation)
    problems = {}
    checked = set()
    for cls in registered_documents():
        for params in DOCUMENT_PARAMS[cls.kind](world):
            cleaned = cls.clean_params(params, organisation=world.organisation)
            document = cls(organisation=world.organisation, params=cleaned)
            document.check_inputs()
            data = _render(document, document.get_appendices())
            # PDF/UA-1 is required of the public ones; the internal ones are held to it as well.
            for profile in ("3a", "ua1"):
                failures = _failures(data, profile)
                if failures:
                    problems[(cls.kind, str(params), profile, cls.kind in PUBLIC_DOCUMENTS)] = failures
            checked.add(cls.kind)
    assert checked == {cls.kind for cls in registered_documents()}
    assert not problems, problems


def test_bilagor_keep_the_document_valid(organisation):
    """Image bilagor get a page each and PDF bilagor travel as associated files (PDF/A-3): still valid."""
    appendices = [
        appendix_inspect(name="karta.png", data=_png()),
        appendix_inspect(name="avtal.pdf", data=_pdf_appendix()),
    ]
    document = get_document_class("core.organisation_factsheet")(organisation=organisation, params={"on": "2024-01-31"})
    data = _render(document, appendices)
    assert _failures(data, "3a") == []
    assert _failures(data, "ua1") == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "avtal.pdf" in pdf.attachments


def test_the_metadata_stream_is_uncompressed_and_says_pdf_a_3a_and_pdf_ua_1(organisation):
    document = get_document_class("core.organisation_factsheet")(organisation=organisation, params={"on": "2024-01-31"})
    data = _render(document)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        metadata = pdf.Root.Metadata
        assert "/Filter" not in metadata.stream_dict
        xmp = metadata.read_raw_bytes()
        assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="A"' in xmp and b'pdfuaid:part="1"' in xmp
        assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.Lang == "sv"


def test_a_stream_ending_in_a_line_feed_is_wrapped_and_decodes_the_same():
    """finish_pdf's guard against validators that misread /Length when the data ends in an EOL."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    content = b"q Q\n"
    raw = zlib.compress(content)
    while raw[-1] not in (10, 13):  # find a content whose deflated form ends in CR or LF
        content += b" "
        raw = zlib.compress(content)
    stream = pikepdf.Stream(pdf, raw)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = pdf.make_indirect(stream)
    rendering._hex_wrap_if_ending_in_eol(stream)
    assert stream.read_raw_bytes()[-1:] == b">"
    assert list(stream.Filter) == [pikepdf.Name.ASCIIHexDecode, pikepdf.Name.FlateDecode]
    assert stream.read_bytes() == content
