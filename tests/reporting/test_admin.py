"""Document jobs in the Django admin: visible to the technical administrator, never editable."""

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import RenderJob
from tests.factories import UserFactory

from .conftest import make_job, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_render_jobs_are_read_only_in_admin(superuser_client, organisation, requester):
    job = make_job(organisation, requester, data=pdf_bytes())
    job.appendices.create(position=1, name="a.pdf", kind="pdf", file="documents/x/a.pdf", sha256="0" * 64, size=3)

    assert superuser_client.get(reverse("admin:reporting_renderjob_changelist")).status_code == 200
    change = superuser_client.get(reverse("admin:reporting_renderjob_change", args=[job.pk]))
    assert change.status_code == 200
    content = change.content.decode()
    assert job.output_sha256 in content and job.output.name in content
    assert "/media-not-served/" not in content  # MEDIA_ROOT is never linked
    assert 'name="_save"' not in content

    assert superuser_client.get(reverse("admin:reporting_renderjob_add")).status_code == 403
    assert superuser_client.post(reverse("admin:reporting_renderjob_change", args=[job.pk]), {}).status_code == 403
    assert superuser_client.get(reverse("admin:reporting_renderjob_delete", args=[job.pk])).status_code == 403
    assert RenderJob.objects.filter(pk=job.pk).exists()
