"""The Celery task: ids only, retries for transient errors with backoff, the outcome always on the row."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError

from core.models import Role
from reporting import services
from reporting.models import RenderJob
from reporting.tasks import MAX_RETRIES, render_job_task
from tests.factories import user_with_role

from .conftest import FACT_SHEET, make_job


def test_task_options():
    assert render_job_task.acks_late is True
    assert render_job_task.reject_on_worker_lost is True
    assert render_job_task.soft_time_limit == django_settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert render_job_task.time_limit == django_settings.CELERY_TASK_TIME_LIMIT
    assert render_job_task.soft_time_limit < render_job_task.time_limit
    assert render_job_task.max_retries == MAX_RETRIES == 8


def test_retries_span_more_than_five_minutes_of_outage(monkeypatch):
    from reporting import tasks

    monkeypatch.setattr(tasks.random, "random", lambda: 0.999999)  # the shortest countdowns the jitter allows
    shortest = [tasks.retry_countdown(retries) for retries in range(MAX_RETRIES)]
    assert sum(shortest) >= 5 * 60, shortest
    # Each wait stays well below the visibility timeout, so a retry held by a worker is never redelivered.
    assert (
        max(shortest) <= tasks.RETRY_BACKOFF_MAX < django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )


@pytest.mark.django_db
def test_transient_error_is_retried_then_the_job_fails_with_the_transient_message(
    organisation, requester, request_job, monkeypatch
):
    job = request_job(organisation, requester, run=False)
    seen = []

    def flaky(*, job_id, heartbeat=False):
        # Claims the job as the real service does, then loses the database.
        seen.append(RenderJob.objects.get(pk=job_id).status)
        RenderJob.objects.filter(pk=job_id).update(status=RenderJob.Status.RUNNING, progress=10)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "render_job_run", flaky)
    result = render_job_task.apply(kwargs={"job_id": job.pk})

    assert len(seen) == 1 + MAX_RETRIES
    # Between tries the job went back to queued, so the status page does not claim work is going on.
    assert seen == [RenderJob.Status.QUEUED] * (1 + MAX_RETRIES)
    assert result.failed()
    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED
    assert job.error == services.MESSAGE_TRANSIENT
    assert job.finished_at is not None


@pytest.mark.django_db
def test_transient_error_then_success(organisation, requester, request_job, monkeypatch):
    job = request_job(organisation, requester, run=False)
    real_run = services.render_job_run
    calls = []

    def once_flaky(*, job_id, heartbeat=False):
        calls.append(job_id)
        if len(calls) == 1:
            raise ConnectionResetError("broker hiccup")
        real_run(job_id=job_id, heartbeat=heartbeat)

    monkeypatch.setattr(services, "render_job_run", once_flaky)
    render_job_task.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert len(calls) == 2
    assert job.status == RenderJob.Status.DONE, job.error
    with job.output.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == job.output_sha256


@pytest.mark.django_db
def test_unexpected_crash_outside_the_service_is_recorded_on_the_row(organisation, requester, request_job, monkeypatch):
    job = request_job(organisation, requester, run=False)

    def crash(*, job_id, heartbeat=False):
        raise MemoryError("out of memory")

    monkeypatch.setattr(services, "render_job_run", crash)
    render_job_task.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED
    assert job.error == services.MESSAGE_INTERNAL


@pytest.mark.django_db
def test_finished_job_is_not_touched_again(organisation, requester, request_job):
    job = request_job(organisation, requester)
    assert job.status == RenderJob.Status.DONE
    before = (job.output.name, job.output_sha256, job.finished_at)
    render_job_task.apply(kwargs={"job_id": job.pk})  # a redelivered message
    job.refresh_from_db()
    assert (job.output.name, job.output_sha256, job.finished_at) == before
    assert job.status == RenderJob.Status.DONE


@pytest.mark.django_db
def test_timeout_fails_the_job_with_its_message(organisation, requester, request_job, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(html):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "layout_html", slow)
    job = request_job(organisation, requester)
    assert job.status == RenderJob.Status.FAILED
    assert job.error == services.MESSAGE_TIMEOUT


@pytest.mark.django_db
def test_request_names_the_task_on_the_row(organisation, requester, request_job, monkeypatch):
    sent = []
    monkeypatch.setattr(render_job_task, "apply_async", lambda **kwargs: sent.append(kwargs))
    job = request_job(organisation, requester)
    assert sent == [{"kwargs": {"job_id": job.pk}, "task_id": job.celery_task_id}]
    assert job.status == RenderJob.Status.QUEUED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_a_fact_sheet(settings, organisation):
    """Sends the job to the Celery worker .ci/run starts (same database and MEDIA_ROOT) and waits for it."""
    from config import celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # Celery read the setting once, at import
    try:
        user = user_with_role(organisation, Role.ADMIN)
        # No surrounding transaction: on_commit sends the task to the broker at once.
        job = services.render_job_request(organisation=organisation, user=user, kind=FACT_SHEET)
        deadline = time.monotonic() + 60
        seen = set()
        while time.monotonic() < deadline:
            job.refresh_from_db()
            seen.add(job.status)
            if not job.is_active:
                break
            time.sleep(0.25)
    finally:
        celery_app.conf.task_always_eager = previous

    assert job.status == RenderJob.Status.DONE, f"status {job.status}, fel: {job.error!r}, sett: {seen}"
    assert job.progress == 100
    with job.output.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == job.output_sha256


@pytest.mark.django_db(transaction=True)
def test_hard_time_limit_is_recorded_on_the_row(organisation, requester):
    from celery.exceptions import TimeLimitExceeded

    job = make_job(organisation, requester, status=RenderJob.Status.RUNNING, progress=70)
    # What the pool's main process calls after it killed the child (celery.worker.request.Request.on_timeout).
    render_job_task.on_failure(TimeLimitExceeded(300), "task-id", (), {"job_id": job.pk}, None)
    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED
    assert job.error == services.MESSAGE_TIMEOUT
