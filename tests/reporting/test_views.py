"""The document pages: list, request, status with its polled fragment, download; scoping and roles."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from core.models import Role
from reporting import selectors
from reporting.models import RenderJob

from .conftest import FACT_SHEET, make_job, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def detail_url(job):
    return reverse("reporting:job_detail", args=[job.pk])


def progress_url(job):
    return reverse("reporting:job_progress", args=[job.pk])


def download_url(job):
    return reverse("reporting:job_download", args=[job.pk])


def test_render_button_requests_renders_and_shows_the_finished_job(client_for, organisation, run_on_commit):
    client = client_for(organisation, Role.SECRETARY)
    page = client.get(reverse("core:organisation_detail")).content.decode()
    assert "Skapa faktablad (PDF)" in page
    assert f'action="{reverse("reporting:job_request")}"' in page
    # "Fler val" leads to the request page, where a date and bilagor can be chosen first.
    assert f'href="{reverse("reporting:job_request")}?kind={FACT_SHEET}"' in page

    with run_on_commit():
        response = client.post(reverse("reporting:job_request"), {"kind": FACT_SHEET})
    job = RenderJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(job)
    assert job.requested_by == client.user
    assert job.status == RenderJob.Status.DONE  # in-process tasks in tests

    content = client.get(detail_url(job)).content.decode()
    assert "<h1" in content and "Organisationsfakta" in content
    assert re.search(r'<progress id="job-progress-bar" class="job-progress" max="100" value="100"', content)
    assert "100 % klart" in content
    assert 'for="job-progress-bar"' in content
    assert 'aria-live="polite"' in content
    assert "Ladda ner PDF" in content
    assert job.output_sha256 in content
    assert "hx-get" not in content  # done: nothing to poll


def test_request_with_bilagor_and_date_through_the_page(client_for, organisation, run_on_commit):
    client = client_for(organisation, Role.SECRETARY)
    with run_on_commit():
        response = client.post(
            reverse("reporting:job_request"),
            {"kind": FACT_SHEET, "on": "2025-01-31", "appendices": [upload("Bilaga 1.pdf", pdf_bytes())]},
        )
    job = RenderJob.objects.get()
    assert response.status_code == 302
    assert job.params == {"on": "2025-01-31"}
    assert job.filename.endswith("-2025-01-31.pdf")
    assert job.status == RenderJob.Status.DONE, job.error
    content = client.get(detail_url(job)).content.decode()
    assert "Bilaga 1.pdf" in content
    assert "2025-01-31" in content


def test_request_page_offers_params_and_bilagor(client_for, organisation):
    client = client_for(organisation, Role.MEMBER)
    content = client.get(reverse("reporting:job_request"), {"kind": FACT_SHEET}).content.decode()
    assert 'type="date"' in content and "Datum" in content
    assert 'name="appendices"' in content and "multiple" in content
    assert '<label class="form-label" for="id_appendices">' in content


def test_active_job_page_polls_its_fragment(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    job = make_job(organisation, client.user, status=RenderJob.Status.RUNNING, progress=40)

    content = client.get(detail_url(job)).content.decode()
    assert f'hx-get="{progress_url(job)}"' in content
    assert 'hx-trigger="every 1s"' in content
    assert 'value="40"' in content and "40 % klart" in content
    assert "Ladda ner PDF" not in content

    fragment = client.get(progress_url(job), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="job-progress"')
    assert "<html" not in body and "<h1" not in body
    assert 'hx-trigger="every 1s"' in body
    assert "no-cache" in fragment["Cache-Control"] or "no-store" in fragment["Cache-Control"]

    done = make_job(organisation, client.user)
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.DONE, progress=100, output=done.output.name, output_sha256=done.output_sha256
    )
    body = client.get(progress_url(job)).content.decode()
    assert "hx-get" not in body and "hx-trigger" not in body  # the swap ends the polling
    assert "Ladda ner PDF" in body and 'value="100"' in body


def test_failed_job_shows_its_error(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    job = make_job(organisation, client.user, status=RenderJob.Status.FAILED)
    for url in (detail_url(job), progress_url(job)):
        content = client.get(url).content.decode()
        assert "Dokumentet kunde inte skapas." in content
        assert "Något gick fel." in content
        assert "hx-get" not in content
    assert client.get(download_url(job)).status_code == 404


def test_reused_job_says_so(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    first = make_job(organisation, client.user)
    second = make_job(organisation, client.user, reused_from=first)
    content = client.get(detail_url(second)).content.decode()
    assert "återanvänts" in content
    assert "återanvänts" not in client.get(detail_url(first)).content.decode()


def test_download_is_an_attachment_with_the_job_filename(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    data = pdf_bytes()
    job = make_job(organisation, client.user, data=data)
    response = client.get(download_url(job))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="organisationsfakta-test.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body == data
    assert hashlib.sha256(body).hexdigest() == job.output_sha256


def test_download_of_unfinished_or_lost_file_is_404(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    running = make_job(organisation, client.user, status=RenderJob.Status.RUNNING)
    assert client.get(download_url(running)).status_code == 404
    done = make_job(organisation, client.user)
    done.output.storage.delete(done.output.name)
    assert client.get(download_url(done)).status_code == 404


@pytest.mark.parametrize("role", Role.values)
def test_job_of_another_organisation_is_404(client_for, organisation, other_organisation, role):
    owner = client_for(other_organisation, Role.ADMIN)
    job = make_job(other_organisation, owner.user)
    outsider = client_for(organisation, role)
    for url in (detail_url(job), progress_url(job), download_url(job)):
        assert owner.get(url).status_code == 200, url
        assert outsider.get(url).status_code == 404, url
    assert job.title not in outsider.get(reverse("reporting:job_list")).content.decode()


def test_job_of_another_user_is_hidden_unless_admin(client_for, organisation):
    author = client_for(organisation, Role.SECRETARY)
    job = make_job(organisation, author.user)
    colleague = client_for(organisation, Role.ECONOMIST)
    admin = client_for(organisation, Role.ADMIN)
    for url in (detail_url(job), progress_url(job), download_url(job)):
        assert author.get(url).status_code == 200, url
        assert colleague.get(url).status_code == 404, url
        assert admin.get(url).status_code == 200, url

    assert detail_url(job) not in colleague.get(reverse("reporting:job_list")).content.decode()
    admin_list = admin.get(reverse("reporting:job_list")).content.decode()
    assert detail_url(job) in admin_list
    assert "Beställt av" in admin_list


def test_job_list_shows_own_jobs_and_who_asked_for_admin(client_for, organisation):
    author = client_for(organisation, Role.SECRETARY, first_name="Sara", last_name="Skrivare")
    admin = client_for(organisation, Role.ADMIN)
    mine = make_job(organisation, admin.user)
    theirs = make_job(organisation, author.user)

    own = author.get(reverse("reporting:job_list"))
    assert own.status_code == 200
    assert list(own.context["jobs"]) == [theirs]
    assert "Mina dokument" in own.content.decode()

    everything = admin.get(reverse("reporting:job_list"))
    assert list(everything.context["jobs"]) == [theirs, mine]
    content = everything.content.decode()
    assert "Organisationens dokument" in content and "Sara Skrivare" in content


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_read_only_roles_render_and_download_without_changing_domain_data(
    client_for, organisation, role, run_on_commit
):
    def domain_counts():
        return {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if model._meta.app_label in {"core", "meetings", "projects", "finance"}
        }

    client = client_for(organisation, role)
    before = domain_counts()
    with run_on_commit():
        response = client.post(reverse("reporting:job_request"), {"kind": FACT_SHEET})
    job = RenderJob.objects.get()
    assert response.status_code == 302
    assert job.status == RenderJob.Status.DONE, job.error
    download = client.get(download_url(job))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert domain_counts() == before


def test_pages_are_read_only_and_need_login(client_for, organisation, client):
    owner = client_for(organisation, Role.ADMIN)
    job = make_job(organisation, owner.user)
    for url in (reverse("reporting:job_list"), detail_url(job), progress_url(job), download_url(job)):
        assert owner.post(url, {}).status_code == 405, url
        response = client.get(url)
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"], url
    response = client.post(reverse("reporting:job_request"), {"kind": FACT_SHEET})
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert RenderJob.objects.count() == 1


def test_job_list_query_count_does_not_grow_with_jobs(client_for, organisation, django_assert_max_num_queries):
    admin = client_for(organisation, Role.ADMIN)
    others = [client_for(organisation, Role.SECRETARY).user for _ in range(3)]

    def add_jobs(n):
        for index in range(n):
            user = others[index % len(others)]
            first = make_job(organisation, user)
            make_job(organisation, user, reused_from=first)

    add_jobs(2)
    url = reverse("reporting:job_list")
    with django_assert_max_num_queries(15) as small:
        assert admin.get(url).status_code == 200
    add_jobs(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin.get(url)
    assert len(response.context["jobs"]) == 24


def test_job_detail_query_count_is_small(client_for, organisation, django_assert_max_num_queries):
    client = client_for(organisation, Role.SECRETARY)
    first = make_job(organisation, client.user)
    job = make_job(organisation, client.user, reused_from=first)
    with django_assert_max_num_queries(8):
        assert client.get(detail_url(job)).status_code == 200
    with django_assert_max_num_queries(6):  # the polled fragment: session, user, roles, the job
        assert client.get(progress_url(job)).status_code == 200


def test_recent_jobs_for_user_are_own_newest_first(organisation, other_organisation, requester):
    from tests.factories import user_with_role

    colleague = user_with_role(organisation, Role.ADMIN)
    own = [make_job(organisation, requester) for _ in range(4)]
    make_job(organisation, colleague)
    make_job(other_organisation, requester)
    recent = selectors.recent_jobs_for_user(organisation=organisation, user=requester, limit=3)
    assert recent == list(reversed(own))[:3]


def test_dashboard_lists_recent_documents(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    job = make_job(organisation, client.user)
    content = client.get(reverse("core:dashboard")).content.decode()
    assert detail_url(job) in content


@pytest.mark.django_db
def test_running_job_whose_worker_died_fails_when_its_page_is_read(client_for, organisation, settings):
    import datetime as dt

    from django.utils import timezone

    from reporting.services import MESSAGE_STALE

    client = client_for(organisation, Role.SECRETARY)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    dead = make_job(organisation, client.user, status=RenderJob.Status.RUNNING, started_at=long_ago)
    alive = make_job(organisation, client.user, status=RenderJob.Status.RUNNING, started_at=timezone.now())

    response = client.get(reverse("reporting:job_progress", args=[dead.pk]))
    assert MESSAGE_STALE in response.content.decode()
    dead.refresh_from_db()
    assert dead.status == RenderJob.Status.FAILED

    client.get(reverse("reporting:job_detail", args=[alive.pk]))
    alive.refresh_from_db()
    assert alive.status == RenderJob.Status.RUNNING
