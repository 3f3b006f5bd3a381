"""Background document jobs: what was asked for, how far it got and where the PDF is stored.

RenderJob has no HistoricalRecords on purpose: its rows change many times per render (status, progress) and
that churn is not domain data. Who asked for what and when is on the row itself (requested_by, created_at,
started_at, finished_at), and a finished job is never edited again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from core.models import Organisation
from core.tenancy import OrganisationScopedQuerySet


def _private_path(organisation_id: int, suffix: str, folder: str = "") -> str:
    # Files live under MEDIA_ROOT, which is never served directly; only job_download hands them out.
    parts = ["documents", str(organisation_id), f"{timezone.now():%Y}"]
    if folder:
        parts.append(folder)
    parts.append(f"{uuid.uuid4()}{suffix}")
    return "/".join(parts)


def render_job_output_path(instance: RenderJob, filename: str) -> str:
    return _private_path(instance.organisation_id, ".pdf")


def appendix_path(instance: RenderJobAppendix, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return _private_path(instance.job.organisation_id, suffix, folder="bilagor")


class RenderJob(models.Model):
    """One request for one PDF document. The worker moves it from queued to done or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Köad"
        RUNNING = "running", "Pågår"
        DONE = "done", "Klar"
        FAILED = "failed", "Misslyckades"

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="render_jobs", verbose_name="organisation"
    )
    kind = models.CharField("dokumenttyp", max_length=100)
    title = models.CharField("dokument", max_length=200)
    filename = models.CharField("filnamn", max_length=200)
    params = models.JSONField("parametrar", default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("förlopp (%)", default=0)
    error = models.TextField("felmeddelande", blank=True)
    output = models.FileField("fil", upload_to=render_job_output_path, max_length=255, blank=True)
    output_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    input_fingerprint = models.CharField(
        "indatafingeravtryck",
        max_length=64,
        blank=True,
        help_text="SHA-256 av dokumenttyp, färdig HTML och bilagor; samma värde betyder samma dokument.",
    )
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reused_by",
        verbose_name="återanvänd från",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="render_jobs",
        verbose_name="beställd av",
    )
    created_at = models.DateTimeField("beställd", default=timezone.now)
    started_at = models.DateTimeField("startad", null=True, blank=True)
    finished_at = models.DateTimeField("klar", null=True, blank=True)
    celery_task_id = models.CharField("uppgifts-id", max_length=255, blank=True)
    # The row is the outbox (docs/decisions/0002-job-state-on-rows.md): what the sweeper needs to resend a lost
    # message, fail a render whose worker died, and stop a job that kills every worker it reaches.
    heartbeat_at = models.DateTimeField("senaste livstecken", null=True, blank=True)
    deliveries = models.PositiveSmallIntegerField(
        "leveranser",
        default=0,
        help_text="Gånger en arbetare tagit jobbet utan att lämna tillbaka det; för många betyder att jobbet "
        "får arbetaren att krascha.",
    )
    enqueued_at = models.DateTimeField("lagt i kön", null=True, blank=True)
    enqueue_attempts = models.PositiveSmallIntegerField("försök att lägga i kön", default=0)
    last_enqueue_error = models.CharField("senaste köfel", max_length=300, blank=True)

    organisation_path = "organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "dokumentjobb"
        verbose_name_plural = "dokumentjobb"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "kind", "input_fingerprint"], name="renderjob_reuse_idx"),
            models.Index(fields=["organisation", "requested_by", "-created_at"], name="renderjob_user_list_idx"),
            # The sweeper reads the few active jobs every 30 s.
            models.Index(
                fields=["status", "created_at"],
                name="renderjob_active_idx",
                condition=models.Q(status__in=["queued", "running"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100), name="renderjob_progress_0_100"
            ),
            # A done job always points at a file; a failed one always says why.
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(output=""), name="renderjob_done_has_file"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(error=""), name="renderjob_failed_has_error"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()}), {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def seems_stalled(self) -> bool:
        """Running, but no heartbeat for three beats: its worker died; a redelivery or the sweeper will end it."""
        if self.status != self.Status.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at
        silence = dt.timedelta(seconds=3 * settings.RENDER_JOB_HEARTBEAT_SECONDS + 10)
        return last is not None and timezone.now() - last > silence


class RenderJobAppendix(models.Model):
    """A file (bilaga) uploaded with a job: a PDF embedded in the result, or an image printed as a page."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        IMAGE = "image", "Bild"

    job = models.ForeignKey(RenderJob, on_delete=models.CASCADE, related_name="appendices", verbose_name="jobb")
    position = models.PositiveSmallIntegerField("ordning")
    name = models.CharField("filnamn", max_length=200)
    kind = models.CharField("typ", max_length=10, choices=Kind.choices)
    file = models.FileField("fil", upload_to=appendix_path, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("storlek (byte)")

    organisation_path = "job__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "bilaga"
        verbose_name_plural = "bilagor"
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="renderjob_appendix_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name
