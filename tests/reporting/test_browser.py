"""The status page in Chromium: htmx polls the progress fragment while the job runs and stops when it ends."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from core.models import Role
from reporting.models import RenderJob
from tests.browser import assert_accessible, login
from tests.factories import user_with_role

from .conftest import make_job

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-lösenord-123"  # tests.factories.UserFactory


def test_status_page_polls_until_the_job_is_done_then_stops(page, organisation):
    user = user_with_role(organisation, Role.SECRETARY)
    job = make_job(organisation, user, status=RenderJob.Status.RUNNING, progress=40)
    login(page, user.username, PASSWORD)
    page.goto(reverse("reporting:job_detail", args=[job.pk]))
    progress = page.locator("progress.job-progress")
    assert progress.get_attribute("value") == "40"
    assert page.get_by_label("Förlopp").count() == 1
    assert page.get_by_role("link", name="Ladda ner PDF").count() == 0

    polls = []
    page.on("request", lambda request: polls.append(request.url) if "/forlopp/" in request.url else None)
    page.wait_for_timeout(1500)
    assert polls, "the page does not poll while the job runs"

    # The worker finishes the job.
    finished = make_job(organisation, user)
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.DONE, progress=100, output=finished.output.name, output_sha256=finished.output_sha256
    )
    page.get_by_role("link", name="Ladda ner PDF").wait_for(timeout=10_000)
    assert page.locator("progress.job-progress").get_attribute("value") == "100"
    assert page.get_by_role("status").get_by_text("Klar").count() >= 1

    polls.clear()
    page.wait_for_timeout(2500)
    assert polls == [], "the page still polls a finished job"
    assert_accessible(page, "jobbsidan")
    assert page.csp_errors == []


def test_failed_job_stops_polling_and_shows_the_error(page, organisation):
    user = user_with_role(organisation, Role.SECRETARY)
    job = make_job(organisation, user, status=RenderJob.Status.QUEUED, progress=0)
    login(page, user.username, PASSWORD)
    page.goto(reverse("reporting:job_detail", args=[job.pk]))
    error = "Bilagan ”budget.pdf” är skadad eller inte en PDF-fil och kunde inte läsas."
    RenderJob.objects.filter(pk=job.pk).update(status=RenderJob.Status.FAILED, error=error)
    page.get_by_text("Bilagan ”budget.pdf” är skadad").wait_for(timeout=10_000)
    assert page.get_by_role("link", name="Ladda ner PDF").count() == 0
    assert_accessible(page, "misslyckat jobb")
