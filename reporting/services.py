"""Writes for document jobs: request a document, run a job (in the worker), record its failure.

The row is the outbox: a job is committed as queued and sent to the broker after the commit, with short
timeouts; a send that fails leaves the row queued for the sweeper (reporting.sweep_services), which sends it
again. The stages of a run and the progress the status page shows:

    10  claimed by a worker (status running, `deliveries` + 1, heartbeat written)
    40  inputs checked, HTML built, fingerprint computed – a stored PDF with the same fingerprint is reused here
    70  laid out (WeasyPrint's HTML(...).render(), the slow part)
    95  PDF/A written to storage
   100  done

Progress is written with `RenderJob.objects.filter(pk=...).update(...)`, outside any long transaction, so a
poll from the status page sees it at once. Each step writes `heartbeat_at`, and in the worker a small thread
writes it every RENDER_JOB_HEARTBEAT_SECONDS while the slow steps run, so a job whose worker died is told from
one that is only slow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from core.models import Organisation, User

from .appendices import Appendix, appendix_inspect, appendix_name, check_appendix_size
from .documents import DocumentInputError, get_document_class
from .models import RenderJob, RenderJobAppendix, render_job_output_path
from .rendering import build_html, input_fingerprint, layout_html, write_pdf

logger = logging.getLogger(__name__)

# Worth another try later: the database or a connection was briefly away. Bad input never is.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, ConnectionError, TimeoutError)

MESSAGE_INTERNAL = (
    "Dokumentet kunde inte skapas på grund av ett internt fel. Försök igen senare; "
    "kvarstår felet, kontakta systemförvaltningen."
)
MESSAGE_TIMEOUT = "Dokumentet tog för lång tid att skapa och avbröts. Försök igen senare."
MESSAGE_TRANSIENT = "Dokumentet kunde inte skapas just nu på grund av ett tillfälligt fel. Försök igen om en stund."
MESSAGE_STALE = (
    "Dokumentet blev aldrig klart: arbetet avbröts, till exempel för att en server startades om. Begär dokumentet igen."
)
MESSAGE_POISON = (
    "Dokumentet kunde inte skapas: arbetet avbröts varje gång det försöktes ({deliveries} gånger), så det "
    "försöks inte igen. Kontakta systemförvaltningen om felet kvarstår."
)

Status = RenderJob.Status


def _output_storage():
    return RenderJob._meta.get_field("output").storage


def _read_upload(upload: UploadedFile) -> bytes:
    if upload.size is not None:
        # Checked before reading, so a huge upload is not pulled into memory.
        check_appendix_size(name=appendix_name(upload.name or ""), size=upload.size)
    upload.seek(0)
    return upload.read()


def render_job_request(
    *,
    organisation: Organisation,
    user: User,
    kind: str,
    params: Mapping[str, Any] | None = None,
    uploads: Sequence[UploadedFile] = (),
) -> RenderJob:
    """Validate, create a queued job (with its uploaded bilagor) and enqueue it once the transaction commits.

    Raises DocumentInputError (Swedish message) on an unknown kind, bad params or an unreadable bilaga;
    nothing is saved then.
    """
    document_class = get_document_class(kind)
    cleaned = document_class.clean_params(params or {}, organisation=organisation)
    if uploads and not document_class.accepts_uploads:
        raise DocumentInputError(f"{document_class.title} kan inte ha bilagor.")
    appendices = [appendix_inspect(name=upload.name or "", data=_read_upload(upload)) for upload in uploads]
    document = document_class(organisation=organisation, params=cleaned)
    document.check_inputs()

    saved_files: list[str] = []
    try:
        with transaction.atomic():
            job = RenderJob.objects.create(
                organisation=organisation,
                kind=kind,
                title=document_class.title,
                filename=document.filename(),
                params=cleaned,
                requested_by=user,
                # Known before sending, so the row names its task even if the worker starts first.
                celery_task_id=str(uuid.uuid4()),
            )
            for position, appendix in enumerate(appendices, start=1):
                saved_files.append(_save_appendix(job=job, position=position, appendix=appendix))
            transaction.on_commit(partial(_enqueue, job_id=job.pk, task_id=job.celery_task_id))
    except BaseException:
        storage = RenderJobAppendix._meta.get_field("file").storage
        for name in saved_files:
            storage.delete(name)
        raise
    return job


def _save_appendix(*, job: RenderJob, position: int, appendix: Appendix) -> str:
    row = RenderJobAppendix(
        job=job,
        position=position,
        name=appendix.name,
        kind=appendix.kind,
        sha256=appendix.sha256,
        size=appendix.size,
    )
    row.file.save(appendix.name, ContentFile(appendix.data), save=False)
    row.save()
    return row.file.name


def _enqueue(*, job_id: int, task_id: str) -> None:
    """Send the job's task after the commit. A broker that is down or hung costs about two seconds (the
    timeouts in CELERY_BROKER_TRANSPORT_OPTIONS) and leaves the row queued for the sweeper."""
    from .tasks import render_job_task

    try:
        render_job_task.apply_async(kwargs={"job_id": job_id}, task_id=task_id)
    except Exception as exc:  # any broker failure: the row is the outbox, the sweeper sends it again
        logger.warning("Dokumentjobb %s kunde inte läggas i kön (%r); svepet skickar det igen", job_id, exc)
        render_job_record_enqueue(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
    else:
        render_job_record_enqueue(job_id=job_id)


def render_job_record_enqueue(*, job_id: int, error: str = "") -> None:
    """Note a send on the row: when it went out (the sweeper's clock), or why it did not."""
    fields: dict[str, Any] = {"enqueue_attempts": F("enqueue_attempts") + 1, "last_enqueue_error": error[:300]}
    if not error:
        fields["enqueued_at"] = timezone.now()
    try:
        RenderJob.objects.filter(pk=job_id).update(**fields)
    except TRANSIENT_ERRORS:
        logger.exception("Dokumentjobb %s: kunde inte anteckna sändningen", job_id)


def render_job_fail(*, job_id: int, error: str) -> bool:
    """Mark an active job failed with a Swedish message for the user. False if it had already ended."""
    updated = RenderJob.objects.filter(pk=job_id, status__in=RenderJob.ACTIVE_STATUSES).update(
        status=Status.FAILED, error=error, finished_at=timezone.now()
    )
    return bool(updated)


def stale_after(*, broker_known: bool) -> dt.timedelta:
    """How long a running job's heartbeat may be silent before the job counts as lost.

    With the broker's view (the message is in no queue) the hard time limit plus a margin: the limit would
    have ended a live render. Without it (the broker is unreachable, or on the job's page) also the
    visibility timeout, so that a dead worker's message is first given its chance to be delivered again.
    """
    seconds = settings.CELERY_TASK_TIME_LIMIT + settings.RENDER_JOB_STALE_MARGIN_SECONDS
    if not broker_known:
        seconds += settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0)
    return dt.timedelta(seconds=seconds)


def last_sign_of_life(job: RenderJob) -> dt.datetime:
    return job.heartbeat_at or job.started_at or job.created_at


def render_job_fail_lost(*, job: RenderJob) -> bool:
    """Fail a running job that no worker works on any more, with the message that says why."""
    if job.deliveries >= settings.RENDER_JOB_MAX_DELIVERIES:
        error = MESSAGE_POISON.format(deliveries=job.deliveries)
    else:
        error = MESSAGE_STALE
    failed = RenderJob.objects.filter(pk=job.pk, status=Status.RUNNING, heartbeat_at=job.heartbeat_at).update(
        status=Status.FAILED, error=error, finished_at=timezone.now()
    )
    if failed:
        logger.warning("Dokumentjobb %s: inget livstecken sedan %s; markerat som misslyckat", job.pk, job.heartbeat_at)
    return bool(failed)


def render_job_expire_if_stale(*, job: RenderJob) -> RenderJob:
    """Fail a job whose worker died mid-render, so its page stops waiting (the sweeper usually did already).

    Called when the job's page is read. Where tasks run in-process there is no broker to redeliver anything,
    so the short limit applies; otherwise the long one, which leaves the broker's redelivery its chance.
    """
    if job.status != Status.RUNNING:
        return job
    limit = stale_after(broker_known=settings.CELERY_TASK_ALWAYS_EAGER)
    if timezone.now() - last_sign_of_life(job) > limit and render_job_fail_lost(job=job):
        job.refresh_from_db()
    return job


def render_job_requeue(*, job_id: int, retry_in: float = 0) -> None:
    """Back to queued while a retry waits, so the status page does not claim work is going on.

    The try handed the job back, so it does not count as a delivery that killed its worker; `enqueued_at` is
    when the retry's message becomes due, the sweeper's clock for a lost message.
    """
    RenderJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=Status.QUEUED,
        progress=0,
        deliveries=Greatest(F("deliveries") - 1, Value(0)),
        enqueued_at=timezone.now() + dt.timedelta(seconds=retry_in),
    )


def _set_progress(job_id: int, progress: int, **fields: Any) -> None:
    RenderJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        progress=progress, heartbeat_at=timezone.now(), **fields
    )


@contextmanager
def _heartbeat(job_id: int, *, enabled: bool) -> Iterator[None]:
    """Write the job's heartbeat every RENDER_JOB_HEARTBEAT_SECONDS from a thread while the block runs.

    Only in a worker: in-process runs (tests, `make run`) hold the database in the caller's transaction.
    """
    if not enabled:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.RENDER_JOB_HEARTBEAT_SECONDS):
                try:
                    RenderJob.objects.filter(pk=job_id, status=Status.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # a missed beat is not worth ending the render for
                    logger.warning("Dokumentjobb %s: kunde inte skriva livstecken", job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _claim(job_id: int) -> bool:
    """Take the job (queued, or running after a worker died) unless it has already killed too many workers.

    A job over the limit is failed here with MESSAGE_POISON; it is never rendered again.
    """
    now = timezone.now()
    limit = settings.RENDER_JOB_MAX_DELIVERIES
    claimed = RenderJob.objects.filter(pk=job_id, status__in=RenderJob.ACTIVE_STATUSES, deliveries__lt=limit).update(
        status=Status.RUNNING, progress=10, started_at=now, heartbeat_at=now, deliveries=F("deliveries") + 1
    )
    if claimed:
        return True
    over = RenderJob.objects.filter(pk=job_id, status__in=RenderJob.ACTIVE_STATUSES, deliveries__gte=limit).first()
    if over is not None and render_job_fail(job_id=job_id, error=MESSAGE_POISON.format(deliveries=over.deliveries)):
        logger.error("Dokumentjobb %s avbröt arbetaren %s gånger; ges upp", job_id, over.deliveries)
    return False


def _stored_appendices(job: RenderJob) -> list[Appendix]:
    """The job's uploaded bilagor, read back and checked again: stored bytes can be lost or damaged."""
    found = []
    for row in job.appendices.all():
        try:
            with row.file.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, ValueError) as exc:
            raise DocumentInputError(f"Bilagan ”{row.name}” saknas i lagringen och kunde inte läsas.") from exc
        appendix = appendix_inspect(name=row.name, data=data)
        if appendix.sha256 != row.sha256:
            raise DocumentInputError(f"Bilagan ”{row.name}” har ändrats eller skadats sedan den laddades upp.")
        found.append(appendix)
    return found


def _reusable_job(job: RenderJob, fingerprint: str) -> RenderJob | None:
    """A finished job of the same organisation and kind with the same inputs whose file is intact."""
    storage = _output_storage()
    candidates = (
        RenderJob.objects.for_organisation(job.organisation_id)
        .filter(kind=job.kind, input_fingerprint=fingerprint, status=Status.DONE)
        .exclude(pk=job.pk)
        .exclude(output="")
        .order_by("-finished_at", "-pk")[:5]
    )
    for candidate in candidates:
        try:
            with storage.open(candidate.output.name, "rb") as handle:
                intact = hashlib.sha256(handle.read()).hexdigest() == candidate.output_sha256
        except FileNotFoundError:
            continue
        if intact:
            return candidate
        logger.error("Lagrad PDF för dokumentjobb %s stämmer inte med sin SHA-256; skapas på nytt", candidate.pk)
    return None


def _finish(job_id: int, **fields: Any) -> bool:
    updated = RenderJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=Status.DONE, progress=100, finished_at=timezone.now(), error="", **fields
    )
    return bool(updated)


def render_job_run(*, job_id: int, heartbeat: bool = False) -> None:
    """Produce the job's PDF (or reuse an identical stored one). Called by the worker task, with its id.

    Bad input, a timeout or an internal error end the job as failed with a Swedish message and no file.
    Transient errors (database, connections) are re-raised so the task retries with backoff. `heartbeat`
    starts the heartbeat thread (the worker; never in-process).
    """
    if not _claim(job_id):
        logger.info("Dokumentjobb %s är inte längre köat; inget att göra", job_id)
        return
    with _heartbeat(job_id, enabled=heartbeat):
        _render(job_id)


def _render(job_id: int) -> None:
    job = RenderJob.objects.select_related("organisation").get(pk=job_id)
    storage = _output_storage()
    saved_name = ""
    try:
        document = get_document_class(job.kind)(organisation=job.organisation, params=job.params)
        document.check_inputs()
        appendices = [*document.get_appendices(), *_stored_appendices(job)]
        html = build_html(document, appendices=appendices)
        fingerprint = input_fingerprint(kind=job.kind, html=html, appendices=appendices)
        _set_progress(job_id, 40, input_fingerprint=fingerprint)

        source = _reusable_job(job, fingerprint)
        if source is not None:
            _finish(job_id, output=source.output.name, output_sha256=source.output_sha256, reused_from=source)
            logger.info("Dokumentjobb %s återanvände filen från jobb %s", job_id, source.pk)
            return

        laid_out = layout_html(html)
        _set_progress(job_id, 70)
        pdf = write_pdf(laid_out, appendices=appendices)
        saved_name = storage.save(render_job_output_path(job, job.filename), ContentFile(pdf))
        _set_progress(job_id, 95)
        if not _finish(job_id, output=saved_name, output_sha256=hashlib.sha256(pdf).hexdigest()):
            storage.delete(saved_name)  # superseded or cancelled while rendering: keep no orphan file
    except DocumentInputError as exc:
        _discard(storage, saved_name)
        render_job_fail(job_id=job_id, error=exc.message)
    except SoftTimeLimitExceeded:
        _discard(storage, saved_name)
        logger.warning("Dokumentjobb %s nådde tidsgränsen", job_id)
        render_job_fail(job_id=job_id, error=MESSAGE_TIMEOUT)
    except TRANSIENT_ERRORS:
        _discard(storage, saved_name)
        raise
    except Exception:
        _discard(storage, saved_name)
        logger.exception("Dokumentjobb %s (%s) misslyckades", job_id, job.kind)
        render_job_fail(job_id=job_id, error=MESSAGE_INTERNAL)


def _discard(storage, name: str) -> None:
    if name:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Kunde inte ta bort ofullständig fil %s", name)
