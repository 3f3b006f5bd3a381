"""The state of a large file import that runs as a background job, kept on its own row (ADR 0002, 0015):
status, progress, every problem (row, column, message) and what it wrote. The import page polls the row with
htmx (templates/core/_import_progress.html) while it is queued or running.

The pattern of finance.LedgerImport, made generic so other imports share it (projects.RegisterImport; ADR 0020):
progress is written with an UPDATE outside the import's write transaction so the polling page sees it; the
write itself is one transaction (all or nothing). The job is sent after the commit; where tasks run in-process
(no Redis: `make run`), it runs in a thread of the web process so the page still shows its progress.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, models
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_STORED_PROBLEMS = 1000
MESSAGE_INTERNAL = "Importen avbröts av ett oväntat fel. Ingenting importerades. Kontakta systemförvaltningen."
MESSAGE_NOT_SENT = (
    "Importen kunde inte lämnas till bakgrundsarbetet. Ingenting importerades. Ladda upp filen igen om en stund."
)


class ImportJob(models.Model):
    """Fields every background import row has. Subclasses add the organisation, the target and the file."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Köad"
        RUNNING = "running", "Pågår"
        DONE = "done", "Importerad"
        FAILED = "failed", "Avvisad"

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    filename = models.CharField("filnamn", max_length=255)
    size = models.PositiveBigIntegerField("storlek (byte)", default=0)
    row_count = models.PositiveIntegerField("rader i filen", default=0)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("förlopp (%)", default=0)
    errors = models.JSONField("fel", default=list, blank=True)
    created_at = models.DateTimeField("uppladdad", default=timezone.now)
    finished_at = models.DateTimeField("klar", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def summary(self) -> str:
        """What the import wrote, in Swedish (shown when it is done)."""
        return ""


def job_progress(model: type[ImportJob], pk: int, value: int) -> None:
    # An UPDATE of its own (autocommit), so the polling page sees it; no history row for progress.
    model.objects.filter(pk=pk, status__in=model.ACTIVE_STATUSES).update(progress=max(0, min(value, 99)))


def job_fail(model: type[ImportJob], pk: int, problems: list[dict]) -> None:
    """Mark the job refused with its problems (at most MAX_STORED_PROBLEMS kept). A finished job is left alone."""
    shown = problems[:MAX_STORED_PROBLEMS]
    if len(problems) > MAX_STORED_PROBLEMS:
        shown.append({"row": 0, "column": "", "message": f"… och {len(problems) - MAX_STORED_PROBLEMS} fel till."})
    job = model.objects.filter(pk=pk).first()
    if job is None or job.status not in model.ACTIVE_STATUSES:
        return
    job.status, job.errors, job.progress, job.finished_at = model.Status.FAILED, shown, 100, timezone.now()
    if hasattr(job, "file") and job.file:
        job.file.storage.delete(job.file.name)
        job.file = ""
    job._history_user = getattr(job, "imported_by", None)
    job.save()


def job_enqueue(send: Callable[[], None], run: Callable[[], None], *, on_error: Callable[[], None]) -> None:
    """Hand a committed job to the background: `send` queues the Celery task; with tasks run in-process
    (IMPORT_JOBS_IN_THREAD) `run` goes to a thread instead, so the request answers at once and the page polls."""
    if getattr(settings, "IMPORT_JOBS_IN_THREAD", False):
        threading.Thread(target=_in_thread, args=(run, on_error), daemon=True).start()
        return
    try:
        send()
    except Exception as exc:  # broker away: the job says so instead of staying queued forever
        logger.warning("Importjobbet kunde inte läggas i kön: %r", exc)
        on_error()


def _in_thread(run: Callable[[], None], on_error: Callable[[], None]) -> None:
    close_old_connections()
    try:
        run()
    except Exception:
        logger.exception("Importjobbet avbröts av ett oväntat fel")
        on_error()
    finally:
        connection.close()
