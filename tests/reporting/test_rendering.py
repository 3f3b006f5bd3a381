"""The pipeline end to end, in-process: PDF/A-3a output, text, bilagor, SHA-256 and reuse of unchanged inputs."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest
from pypdf import PdfReader

from reporting import rendering
from reporting.documents import OrganisationFactSheet, get_document_class, registered_documents
from reporting.models import RenderJob

from .conftest import FACT_SHEET, pdf_bytes, png_bytes, stored_files, upload

pytestmark = pytest.mark.django_db


def read_output(job: RenderJob) -> bytes:
    with job.output.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> list[str]:
    """The text of each page, runs of white space (line breaks in table cells) made single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def assert_pdf_a_3a(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3"
        assert meta.get("pdfaid:conformance") == "A"
        intents = pdf.Root.get("/OutputIntents")
        assert intents is not None and len(intents) >= 1
        assert intents[0].get("/S") == pikepdf.Name("/GTS_PDFA1")
        assert "/DestOutputProfile" in intents[0]
        descriptors = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name("/FontDescriptor")
        ]
        assert descriptors, "no fonts in the PDF"
        for descriptor in descriptors:
            embedded = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
            assert embedded, f"font {descriptor.get('/FontName')} is not embedded"


def test_fact_sheet_renders_as_pdf_a_with_text_and_checksum(organisation, fact_sheet_data, requester, request_job):
    job = request_job(organisation, requester)

    assert job.status == RenderJob.Status.DONE, job.error
    assert job.progress == 100
    assert job.started_at and job.finished_at
    assert job.filename.startswith("organisationsfakta-ljusnarsbergs-kommun-") and job.filename.endswith(".pdf")
    data = read_output(job)
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == job.output_sha256
    assert len(job.input_fingerprint) == 64
    assert_pdf_a_3a(data)

    text = "\n".join(pdf_text(data))
    for expected in (
        "Ljusnarsbergs kommun",
        "Organisationsfakta",
        "Sida 1 av",
        "Organisationsnummer",
        organisation.org_number,
        "Kommunstyrelsen",
        "Bengt Almqvist",
        "Ordförande",
        "Ersättare",
        "Karin Ek",  # Sven Lind is her personal substitute
        "Sara Skrivare",
        "Nämndsekreterare",
    ):
        assert expected in text, expected


def test_long_document_has_running_header_and_page_numbers(organisation, request_job):
    from tests.factories import CommitteeFactory, MembershipFactory

    for _ in range(12):
        MembershipFactory.create_batch(6, committee=CommitteeFactory(organisation=organisation))
    from core.models import Role
    from tests.factories import user_with_role

    job = request_job(organisation, user_with_role(organisation, Role.ADMIN))
    pages = pdf_text(read_output(job))
    assert len(pages) >= 2
    assert f"Sida 1 av {len(pages)}" in pages[0]
    assert f"Sida 2 av {len(pages)}" in pages[1]
    # From page 2 on the running header names the organisation and the document.
    assert "Ljusnarsbergs kommun" in pages[1] and "Organisationsfakta" in pages[1]


def test_bilagor_pdf_embedded_and_image_printed_on_own_page(organisation, requester, request_job):
    attached = pdf_bytes(pages=2)
    job = request_job(
        organisation,
        requester,
        uploads=[upload("Budget 2025.pdf", attached), upload("karta.png", png_bytes())],
    )
    assert job.status == RenderJob.Status.DONE, job.error
    assert list(job.appendices.values_list("position", "name", "kind")) == [
        (1, "Budget 2025.pdf", "pdf"),
        (2, "karta.png", "image"),
    ]
    data = read_output(job)
    assert_pdf_a_3a(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "Budget 2025.pdf" in pdf.attachments
        assert pdf.attachments["Budget 2025.pdf"].get_file().read_bytes() == attached
        assert "/AF" in pdf.Root
    pages = pdf_text(data)
    bilagor_page = next(index for index, text in enumerate(pages) if "Bilagor till organisationsfakta" in text)
    assert "Budget 2025.pdf" in pages[bilagor_page] and "karta.png" in pages[bilagor_page]
    assert "Bilaga 2: karta.png" in pages[bilagor_page + 1]
    assert len(pages) == bilagor_page + 2


def test_same_inputs_reuse_the_stored_pdf(organisation, fact_sheet_data, requester, request_job, media_root):
    first = request_job(organisation, requester)
    second = request_job(organisation, requester)

    assert second.status == RenderJob.Status.DONE
    assert second.reused_from == first
    assert second.output.name == first.output.name
    assert second.output_sha256 == first.output_sha256
    assert second.input_fingerprint == first.input_fingerprint
    assert len([path for path in stored_files(media_root) if path.suffix == ".pdf"]) == 1

    organisation.name = "Ljusnarsbergs kommun (nytt namn)"
    organisation.save()
    third = request_job(organisation, requester)
    assert third.status == RenderJob.Status.DONE
    assert third.reused_from is None
    assert third.input_fingerprint != first.input_fingerprint
    assert third.output.name != first.output.name
    assert "Ljusnarsbergs kommun (nytt namn)" in pdf_text(read_output(third))[0]
    assert len([path for path in stored_files(media_root) if path.suffix == ".pdf"]) == 2


def test_damaged_stored_pdf_is_not_reused(organisation, requester, request_job):
    first = request_job(organisation, requester)
    with open(first.output.path, "ab") as handle:
        handle.write(b"tampered")
    second = request_job(organisation, requester)
    assert second.status == RenderJob.Status.DONE
    assert second.reused_from is None
    assert second.output.name != first.output.name
    assert hashlib.sha256(read_output(second)).hexdigest() == second.output_sha256


def test_other_organisation_never_reuses_a_file(organisation, other_organisation, request_job):
    from core.models import Role
    from tests.factories import user_with_role

    mine = request_job(organisation, user_with_role(organisation, Role.ADMIN))
    theirs = request_job(other_organisation, user_with_role(other_organisation, Role.ADMIN))
    assert theirs.reused_from is None
    assert theirs.output.name != mine.output.name


def test_print_html_has_no_clock_and_links_only_static_files(organisation, fact_sheet_data):
    document = OrganisationFactSheet(organisation=organisation, params={"on": "2025-03-01"})
    html = rendering.build_html(document)
    assert html == rendering.build_html(document)
    assert "Uppgifter per 2025-03-01" in html
    assert '<html lang="sv">' in html
    assert "/static/css/print.css" in html
    assert "<caption>" in html and 'scope="col"' in html


def test_fingerprint_follows_the_print_stylesheet(organisation, monkeypatch):
    document = OrganisationFactSheet(organisation=organisation, params={"on": "2025-03-01"})
    html = rendering.build_html(document)
    before = rendering.input_fingerprint(kind=FACT_SHEET, html=html)

    real_read_bytes = type(rendering.resolve_static("css/print.css")).read_bytes

    def changed_css(path):
        data = real_read_bytes(path)
        return data + b"\n/* changed */" if path.name == "print.css" else data

    monkeypatch.setattr(type(rendering.resolve_static("css/print.css")), "read_bytes", changed_css)
    assert rendering.input_fingerprint(kind=FACT_SHEET, html=html) != before


def test_every_installed_documents_module_is_registered():
    assert get_document_class(FACT_SHEET) is OrganisationFactSheet
    assert OrganisationFactSheet in registered_documents()
