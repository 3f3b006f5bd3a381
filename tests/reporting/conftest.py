"""Fixtures for the document pipeline: a private MEDIA_ROOT per test, bilagor as bytes, a requested job."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Role
from meetings.models import Membership
from reporting import services
from reporting.models import RenderJob
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, user_with_role

FACT_SHEET = "core.organisation_factsheet"


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path) -> Path:
    """Each test writes its files to a folder of its own, so "no file was saved" can be checked.

    Not for the real-worker test: the worker process reads and writes the MEDIA_ROOT of the environment.
    """
    if request.node.get_closest_marker("worker"):
        return Path(settings.MEDIA_ROOT)
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def pdf_bytes(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def png_bytes(size=(40, 30), colour=(11, 61, 107)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def fact_sheet_data(organisation):
    """A committee with a chair, a member, a substitute who is personal substitute for the member."""
    committee = CommitteeFactory(organisation=organisation, name="Kommunstyrelsen", short_name="KS")
    MembershipFactory(
        committee=committee,
        role=Membership.Role.CHAIR,
        party="S",
        person=PersonFactory(organisation=organisation, first_name="Bengt", last_name="Almqvist"),
    )
    member = MembershipFactory(
        committee=committee,
        role=Membership.Role.MEMBER,
        party="C",
        person=PersonFactory(organisation=organisation, first_name="Karin", last_name="Ek"),
    )
    MembershipFactory(
        committee=committee,
        role=Membership.Role.SUBSTITUTE,
        party="C",
        substitute_order=1,
        personal_substitute_for=member,
        person=PersonFactory(organisation=organisation, first_name="Sven", last_name="Lind"),
    )
    return committee


@pytest.fixture
def requester(organisation):
    return user_with_role(organisation, Role.SECRETARY, first_name="Sara", last_name="Skrivare")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """with run_on_commit(): ... – runs what the code enqueued on commit (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def request_job(django_capture_on_commit_callbacks):
    """request_job(organisation, user, run=True, **kwargs) -> the job, rendered in-process when run is True."""

    def make(organisation, user, *, run: bool = True, kind: str = FACT_SHEET, **kwargs) -> RenderJob:
        with django_capture_on_commit_callbacks(execute=run):
            job = services.render_job_request(organisation=organisation, user=user, kind=kind, **kwargs)
        job.refresh_from_db()
        return job

    return make


def make_job(organisation, user, *, status: str = RenderJob.Status.DONE, data: bytes = b"%PDF-1.7\n% test\n", **fields):
    """A job row as the worker leaves it, without rendering (fast, for views and selectors)."""
    import hashlib

    from django.core.files.base import ContentFile

    job = RenderJob(
        organisation=organisation,
        kind=FACT_SHEET,
        title="Organisationsfakta",
        filename="organisationsfakta-test.pdf",
        requested_by=user,
        status=status,
        progress=100 if status == RenderJob.Status.DONE else fields.pop("progress", 40),
        error="Något gick fel." if status == RenderJob.Status.FAILED else "",
        **fields,
    )
    if status == RenderJob.Status.DONE:
        job.output_sha256 = hashlib.sha256(data).hexdigest()
        job.output.save("out.pdf", ContentFile(data), save=False)
    job.save()
    return job
