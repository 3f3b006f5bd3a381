"""The sweeper: no document job is ever stuck or lost.

Run every RENDER_JOB_SWEEP_SECONDS, by Celery beat (task `reporting.sweep_jobs`) where a broker is used, and by
a thread of the development server where tasks run in-process (`reporting.apps`). Each sweep

1. fails, with a Swedish message, every running job whose heartbeat has been silent longer than the hard time
   limit plus a margin and whose message is in no queue: its worker is gone and nothing will deliver it again
   (MESSAGE_POISON when it had already been delivered RENDER_JOB_MAX_DELIVERIES times);
2. sends again every queued job whose message is in no queue RENDER_JOB_RESEND_AFTER_SECONDS after it was
   sent (the send failed, Redis restarted empty, a database was restored), under the same task id.

A message still in the broker (waiting, held for a retry's countdown, or left by a dead worker until the
visibility timeout brings it back) is left alone, so nothing is sent twice and a redelivery gets its chance.
When the broker cannot be read, queued jobs wait for the next sweep and running ones are failed only after
the longer limit of services.stale_after. The claim in services._claim only takes active rows, so even a
doubled message renders once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import services
from .broker import task_ids_in_broker
from .models import RenderJob

logger = logging.getLogger(__name__)

# Rows looked at per sweep and state: a backlog is worked off over a few sweeps, never in one long one.
BATCH = 200


@dataclasses.dataclass
class SweepReport:
    failed: list[int] = dataclasses.field(default_factory=list)
    resent: list[int] = dataclasses.field(default_factory=list)
    broker_known: bool = True


def jobs_sweep(*, broker: bool, now: dt.datetime | None = None) -> SweepReport:
    """One sweep. `broker` False where tasks run in-process: nothing can hold a message there."""
    now = now or timezone.now()
    in_broker = task_ids_in_broker(queue=settings.CELERY_TASK_DEFAULT_QUEUE) if broker else set()
    report = SweepReport(broker_known=in_broker is not None)
    held = in_broker or set()

    limit = services.stale_after(broker_known=report.broker_known)
    lost = (
        RenderJob.objects.filter(status=RenderJob.Status.RUNNING)
        .annotate(alive_at=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(alive_at__lt=now - limit)
        .order_by("alive_at")[:BATCH]
    )
    for job in lost:
        if job.celery_task_id in held:
            continue  # the broker still holds its message: a worker will take it again
        if services.render_job_fail_lost(job=job):
            report.failed.append(job.pk)

    if in_broker is None:
        return report  # cannot tell a lost message from a waiting one: send nothing
    resend_before = now - dt.timedelta(seconds=settings.RENDER_JOB_RESEND_AFTER_SECONDS)
    waiting = (
        RenderJob.objects.filter(status=RenderJob.Status.QUEUED)
        .annotate(sent_at=Coalesce("enqueued_at", "created_at"))
        .filter(sent_at__lt=resend_before)
        .order_by("sent_at")[:BATCH]
    )
    for job in waiting:
        if job.celery_task_id and job.celery_task_id in held:
            continue
        if not _resend(job, broker=broker):
            break  # the broker went away mid-sweep; the next sweep goes on
        report.resent.append(job.pk)
    if report.failed or report.resent:
        logger.info("Svep: %s misslyckade, %s skickade igen", report.failed, report.resent)
    return report


def _resend(job: RenderJob, *, broker: bool) -> bool:
    from config.celery import app

    from .tasks import render_job_task

    if not job.celery_task_id:
        job.celery_task_id = str(uuid.uuid4())
        RenderJob.objects.filter(pk=job.pk, celery_task_id="").update(celery_task_id=job.celery_task_id)
    logger.warning("Dokumentjobb %s låg köat utan meddelande i kön; skickas igen", job.pk)
    if not broker:
        services.render_job_record_enqueue(job_id=job.pk)
        render_job_task.apply(kwargs={"job_id": job.pk}, task_id=job.celery_task_id)
        return True
    try:
        # send_task, not apply_async: it always goes to the broker, also in a worker whose settings run tasks
        # in-process (the test settings do).
        app.send_task(
            render_job_task.name,
            kwargs={"job_id": job.pk},
            task_id=job.celery_task_id,
            queue=settings.CELERY_TASK_DEFAULT_QUEUE,
        )
    except Exception as exc:  # broker down again: leave the row as it is
        services.render_job_record_enqueue(job_id=job.pk, error=f"{type(exc).__name__}: {exc}")
        return False
    services.render_job_record_enqueue(job_id=job.pk)
    return True
