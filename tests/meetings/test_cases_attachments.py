"""Bilagor to an ärende, uploaded from the ärende's page through meetings.attachments.attachment_add."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Role
from meetings import case_services
from meetings.models import Attachment
from tests.factories import CommitteeFactory, user_with_role

from .factories import CaseNumberSeriesFactory


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def case_of(organisation):
    secretary = user_with_role(organisation, Role.SECRETARY)
    series = CaseNumberSeriesFactory(committee=CommitteeFactory(organisation=organisation, short_name="SN"))

    def make(**kwargs):
        return case_services.case_register(
            organisation=organisation,
            actor=secretary,
            series=series,
            title="Uppföljning",
            registered_on=dt.date(2022, 6, 1),
            **kwargs,
        )

    return make


@pytest.mark.django_db
def test_upload_stores_the_bilaga_and_lists_it(client_for, organisation, case_of):
    case = case_of()
    client = client_for(organisation, Role.SECRETARY)
    upload = SimpleUploadedFile("diagram.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("cases:attachment_add", args=[case.pk]), {"upload": upload, "title": "Diagram över utfallet"}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.case, attachment.title, attachment.uploaded_by) == (case, "Diagram över utfallet", client.user)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Diagram över utfallet" in page


@pytest.mark.django_db
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_saved(client_for, organisation, case_of):
    case = case_of()
    client = client_for(organisation, Role.SECRETARY)
    fake = SimpleUploadedFile("protokoll.pdf", b"inte en pdf", content_type="application/pdf")
    response = client.post(reverse("cases:attachment_add", args=[case.pk]), {"upload": fake, "title": "Min rubrik"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "protokoll.pdf" in text  # the message names the file
    assert 'value="Min rubrik"' in text
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_bilaga_to_a_confidential_case_is_confidential_and_hidden_without_the_right(client_for, organisation, case_of):
    case = case_of(confidential=True, legal_basis="OSL 26 kap. 1 §")
    client = client_for(organisation, Role.SECRETARY)
    upload = SimpleUploadedFile("bild.png", png_bytes(), content_type="image/png")
    client.post(reverse("cases:attachment_add", args=[case.pk]), {"upload": upload, "title": "Utredning"})
    attachment = Attachment.objects.get()
    assert (attachment.confidential, attachment.legal_basis) == (True, "OSL 26 kap. 1 §")

    open_case = case_of()
    upload = SimpleUploadedFile("bild.png", png_bytes(), content_type="image/png")
    client.post(
        reverse("cases:attachment_add", args=[open_case.pk]),
        {"upload": upload, "title": "Hemlig bilaga", "confidential": "on", "legal_basis": "OSL 21 kap. 1 §"},
    )
    economist = client_for(organisation, Role.ECONOMIST).get(reverse("cases:case_detail", args=[open_case.pk]))
    assert "Hemlig bilaga" not in economist.content.decode()
    assert "Hemlig bilaga" in client.get(reverse("cases:case_detail", args=[open_case.pk])).content.decode()


@pytest.mark.django_db
def test_confidential_bilaga_needs_a_legal_basis(client_for, organisation, case_of):
    case = case_of()
    client = client_for(organisation, Role.SECRETARY)
    upload = SimpleUploadedFile("bild.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("cases:attachment_add", args=[case.pk]), {"upload": upload, "title": "X", "confidential": "on"}
    )
    assert "Ange sekretessgrund" in response.content.decode()
    assert not Attachment.objects.exists()
