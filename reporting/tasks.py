"""Celery tasks for document jobs. They take ids, call one service, and record the outcome on the row.

The row is the record (docs/decisions/0002-job-state-on-rows.md): the service writes progress and success,
and `RenderJobTask` writes a failure that escaped the service (retries used up, an unexpected crash), so the
status page never waits for a job that has ended.
"""

from __future__ import annotations

import logging
import random

from celery import Task, shared_task
from celery.exceptions import Retry, SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections, connections

from . import services, sweep_services

logger = logging.getLogger(__name__)

# Backoff between tries: 10, 20, 40, 80, 120, 120, 120, 120 s, each shortened by at most a fifth at random.
# Together at least 504 s: a render outlives a database or broker outage of several minutes.
MAX_RETRIES = 8
RETRY_BACKOFF = 10
RETRY_BACKOFF_MAX = 120
RETRY_JITTER = 0.2


def retry_countdown(retries: int) -> float:
    """Seconds before try number `retries + 2`; the jitter spreads the retries of many jobs apart."""
    base = min(RETRY_BACKOFF_MAX, RETRY_BACKOFF * 2**retries)
    return base * (1 - RETRY_JITTER * random.random())


class RenderJobTask(Task):
    """Base task for jobs on a RenderJob row: a failure ends the row as failed with a Swedish message."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Record a failure the service could not: retries used up, a crash, the hard time limit.

        For the hard time limit Celery calls this in the pool's main process, outside any task (no request id);
        the connection opened for it is closed again so that process holds none.
        """
        job_id = (kwargs or {}).get("job_id", args[0] if args else None)
        if job_id is None:
            return
        if isinstance(exc, TimeLimitExceeded | SoftTimeLimitExceeded):
            logger.error("Dokumentjobb %s nådde tidsgränsen och avbröts", job_id)
            message = services.MESSAGE_TIMEOUT
        elif isinstance(exc, services.TRANSIENT_ERRORS):
            logger.error("Dokumentjobb %s gav upp efter %s försök: %r", job_id, self.request.retries + 1, exc)
            message = services.MESSAGE_TRANSIENT
        else:
            logger.error("Dokumentjobb %s avbröts av ett oväntat fel: %r", job_id, exc)
            message = services.MESSAGE_INTERNAL
        outside_task = self.request.id is None
        if not self.request.is_eager:
            close_old_connections()  # the failure may have been the connection itself
        try:
            services.render_job_fail(job_id=job_id, error=message)
        except services.TRANSIENT_ERRORS:
            # The database is still away; the row stays active and shows as such.
            logger.exception("Dokumentjobb %s kunde inte markeras som misslyckat", job_id)
        finally:
            if outside_task:
                connections.close_all()


@shared_task(
    bind=True,
    base=RenderJobTask,
    name="reporting.render_job",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def render_job_task(self, job_id: int) -> None:
    """Render one RenderJob. Transient errors go back to the queue with backoff; after the last try the
    base class marks the job failed with services.MESSAGE_TRANSIENT."""
    eager = self.request.is_eager
    try:
        services.render_job_run(job_id=job_id, heartbeat=not eager)
    except services.TRANSIENT_ERRORS as exc:
        if not eager:
            # A broken connection must not be reused by the retry (DB_CONN_MAX_AGE may keep it otherwise).
            close_old_connections()
        if self.request.retries >= MAX_RETRIES:
            raise  # on_failure records the failure
        countdown = retry_countdown(self.request.retries)
        try:
            services.render_job_requeue(job_id=job_id, retry_in=countdown)
        except services.TRANSIENT_ERRORS:
            # The database is still away: the row says running until the retry claims it again, and the
            # sweeper leaves it alone while the retry's message waits in the broker.
            logger.warning("Dokumentjobb %s: databasen svarar inte; försöker igen om %.0f s", job_id, countdown)
        try:
            raise self.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES)
        except Retry:
            raise
        except Exception:  # the retry could not be sent: the row is queued, the sweeper sends it again
            logger.warning("Dokumentjobb %s: omförsöket kunde inte läggas i kön; svepet tar det", job_id)


@shared_task(name="reporting.sweep_jobs", ignore_result=True, acks_late=False, time_limit=120, soft_time_limit=100)
def sweep_jobs_task() -> None:
    """Celery beat's every-30-seconds sweep (reporting.sweep_services)."""
    sweep_services.jobs_sweep(broker=True)
