"""Bad input is refused with a Swedish message and nothing saved; a job that cannot be rendered says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Role
from reporting import services
from reporting.documents import DocumentInputError
from reporting.models import RenderJob, RenderJobAppendix
from reporting.tasks import render_job_task

from .conftest import FACT_SHEET, pdf_bytes, png_bytes, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("protokoll.pdf", b"%PDF-1.7\nthis is not really a pdf", "Bilagan ”protokoll.pdf” är skadad"),
        ("protokoll.pdf", b"hello", "Bilagan ”protokoll.pdf” är skadad eller inte en PDF-fil"),
        ("bild.png", png_bytes()[:60], "Bilagan ”bild.png” är skadad eller inte en PNG- eller JPEG-bild"),
        ("anteckningar.docx", b"PK\x03\x04", "Bilagan ”anteckningar.docx” har ett filformat som inte stöds"),
    ],
)
def test_unreadable_bilaga_is_refused_and_nothing_saved(organisation, requester, media_root, name, data, message):
    with pytest.raises(DocumentInputError) as caught:
        services.render_job_request(
            organisation=organisation,
            user=requester,
            kind=FACT_SHEET,
            uploads=[upload("ok.pdf", pdf_bytes()), upload(name, data)],
        )
    assert message in caught.value.message
    assert not RenderJob.objects.exists()
    assert not RenderJobAppendix.objects.exists()
    assert stored_files(media_root) == []


def test_corrupt_pdf_upload_through_the_page_shows_the_message(client_for, organisation, media_root):
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(
        reverse("reporting:job_request"),
        {"kind": FACT_SHEET, "appendices": [upload("Budget.pdf", b"%PDF-1.4\n%%EOF garbage")]},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Dokumentet kunde inte beställas." in content
    assert "Bilagan ”Budget.pdf” är skadad eller inte en PDF-fil och kunde inte läsas." in content
    assert 'role="alert"' in content
    assert not RenderJob.objects.exists()
    assert stored_files(media_root) == []


def test_bad_date_is_refused_and_the_input_kept(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(reverse("reporting:job_request"), {"kind": FACT_SHEET, "on": "2025-02-30"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Datum: Fyll i ett giltigt datum." in content
    assert 'value="2025-02-30"' in content  # what was typed is still in the field
    assert not RenderJob.objects.exists()


def test_bad_params_through_the_service(organisation, requester):
    with pytest.raises(DocumentInputError, match="Datum: Fyll i ett giltigt datum"):
        services.render_job_request(organisation=organisation, user=requester, kind=FACT_SHEET, params={"on": "igår"})
    with pytest.raises(DocumentInputError, match="Okänd inställning för organisationsfakta: color"):
        services.render_job_request(organisation=organisation, user=requester, kind=FACT_SHEET, params={"color": "red"})
    with pytest.raises(DocumentInputError, match="Den dokumenttypen finns inte"):
        services.render_job_request(organisation=organisation, user=requester, kind="core.nothing")
    assert not RenderJob.objects.exists()


def test_unknown_kind_through_the_page(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(reverse("reporting:job_request"), {"kind": "core.nothing"})
    assert response.status_code == 400
    assert "Den dokumenttypen finns inte." in response.content.decode()
    assert client.get(reverse("reporting:job_request"), {"kind": "core.nothing"}).status_code == 404
    assert not RenderJob.objects.exists()


def test_bilaga_damaged_in_storage_fails_the_job_with_its_name(client_for, organisation, request_job):
    client = client_for(organisation, Role.SECRETARY)
    job = request_job(organisation, client.user, run=False, uploads=[upload("Budget 2025.pdf", pdf_bytes())])
    assert job.status == RenderJob.Status.QUEUED
    stored = job.appendices.get()
    with open(stored.file.path, "wb") as handle:
        handle.write(b"%PDF-1.7\n overwritten by a disk error")

    render_job_task.apply(kwargs={"job_id": job.pk})

    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED
    assert "Bilagan ”Budget 2025.pdf”" in job.error
    assert not job.output
    assert not job.output_sha256
    content = client.get(reverse("reporting:job_detail", args=[job.pk])).content.decode()
    assert "Dokumentet kunde inte skapas." in content
    assert "Bilagan ”Budget 2025.pdf”" in content
    assert "Ladda ner PDF" not in content
    assert 'value="10"' in content  # progress stays where the failure happened
    assert "hx-get" not in content  # no polling for an ended job


def test_bilaga_missing_from_storage_fails_the_job(organisation, requester, request_job):
    job = request_job(organisation, requester, run=False, uploads=[upload("karta.png", png_bytes())])
    stored = job.appendices.get()
    stored.file.storage.delete(stored.file.name)
    render_job_task.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED
    assert job.error == "Bilagan ”karta.png” saknas i lagringen och kunde inte läsas."


def test_internal_error_fails_the_job_with_a_general_message(organisation, requester, request_job, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr("reporting.services.layout_html", broken)
    job = request_job(organisation, requester)
    assert job.status == RenderJob.Status.FAILED
    assert job.error == services.MESSAGE_INTERNAL
    assert "exploded" not in job.error


def test_broker_down_leaves_the_job_queued_for_the_sweeper(organisation, requester, request_job, monkeypatch):
    """The row is the outbox: a failed send is noted on it, and the job stays queued until the sweeper sends it."""

    def down(*args, **kwargs):
        raise ConnectionRefusedError("redis is away")

    monkeypatch.setattr(render_job_task, "apply_async", down)
    job = request_job(organisation, requester)
    assert job.status == RenderJob.Status.QUEUED
    assert job.enqueue_attempts == 1 and job.enqueued_at is None
    assert "redis is away" in job.last_enqueue_error


def test_document_without_uploads_refuses_bilagor(organisation, requester, monkeypatch):
    from reporting.documents import OrganisationFactSheet

    monkeypatch.setattr(OrganisationFactSheet, "accepts_uploads", False)
    with pytest.raises(DocumentInputError, match="kan inte ha bilagor"):
        services.render_job_request(
            organisation=organisation, user=requester, kind=FACT_SHEET, uploads=[upload("a.pdf", pdf_bytes())]
        )
    assert not RenderJob.objects.exists()


def test_too_large_bilaga_is_refused_before_it_is_read(organisation, requester, settings, media_root):
    settings.PARAGRAF = {**settings.PARAGRAF, "MAX_UPLOAD_BYTES": 1000}
    big = upload("stor.pdf", pdf_bytes() + b"\0" * 2000)
    big.file.close()  # must not be read at all: reading a closed file would raise ValueError
    with pytest.raises(DocumentInputError, match=r"Bilagan ”stor\.pdf” är större än 1000"):
        services.render_job_request(organisation=organisation, user=requester, kind=FACT_SHEET, uploads=[big])
    assert not RenderJob.objects.exists()
    assert stored_files(media_root) == []
