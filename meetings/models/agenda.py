"""Sammanträden, their föredragningslista, bilagor and every issued kallelse."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import Person
from core.tenancy import OrganisationScopedQuerySet

from .cases import Case
from .committees import AgendaItemKind, Committee
from .common import Confidential, confidential_constraint, version_field


class Meeting(models.Model):
    """One sammanträde of a committee."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planerat"
        # What the secretary records. Justerat, anslaget and arkiverat follow from the protokoll, its anslag and
        # its archive, and are never stored here: `stage` reads them (one source of truth).
        NOTICE_ISSUED = "notice_issued", "Kallelse skickad"
        HELD = "held", "Genomfört"
        CANCELLED = "cancelled", "Inställt"

    class Stage(models.TextChoices):
        """Where the meeting stands in its cycle, as lists and pages show it (see `stage`)."""

        PLANNED = "planned", "Planerat"
        NOTICE_ISSUED = "notice_issued", "Kallelse skickad"
        HELD = "held", "Genomfört"
        VERIFIED = "verified", "Justerat"
        POSTED = "posted", "Anslaget"
        ARCHIVED = "archived", "Arkiverat"
        CANCELLED = "cancelled", "Inställt"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name="organ")
    date = models.DateField("datum")
    start_time = models.TimeField("starttid")
    end_time = models.TimeField("sluttid", null=True, blank=True)
    place = models.CharField("plats", max_length=300)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PLANNED)
    is_public = models.BooleanField(
        "offentligt sammanträde", default=False, help_text="Nämnders sammanträden är slutna om inget annat beslutats."
    )
    notice_revision = models.PositiveSmallIntegerField(
        "kallelseversion", default=0, help_text="0 innan kallelsen skickats; 2 och uppåt är reviderade kallelser."
    )
    notice_note = models.TextField(
        "meddelande i kallelsen", blank=True, help_text="T.ex. att förhindrad ledamot själv kallar sin ersättare."
    )
    cancelled_at = models.DateTimeField("inställt", null=True, blank=True)
    cancellation_reason = models.TextField("skäl till att sammanträdet ställdes in", blank=True)
    cancellation_emailed_at = models.DateTimeField("kallade underrättade om inställt", null=True, blank=True)
    history = HistoricalRecords()

    organisation_path = "committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "sammanträde"
        verbose_name_plural = "sammanträden"
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True) | models.Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.date.isoformat()}"

    @property
    def stage(self) -> str:
        """Planerat → kallelse skickad → genomfört → justerat → anslaget → arkiverat, or inställt.

        Justerat: the protokoll is locked. Anslaget: its anslag is up (from the day posted). Arkiverat: the anslag
        has been taken down and the archived PDF/A is made. Load with select_related("minutes__posting",
        "minutes__archived_job") where many are shown; otherwise up to three queries.
        """
        if self.status == self.Status.CANCELLED:
            return self.Stage.CANCELLED
        try:
            minutes = self.minutes
        except ObjectDoesNotExist:
            minutes = None
        if minutes is not None and minutes.verified_at is not None:
            try:
                posting = minutes.posting
            except ObjectDoesNotExist:
                posting = None
            today = timezone.localdate()
            if posting is None or posting.posted_on > today:
                return self.Stage.VERIFIED
            job = minutes.archived_job if minutes.archived_job_id else None
            if posting.taken_down_on < today and job is not None and job.is_done:
                return self.Stage.ARCHIVED
            return self.Stage.POSTED
        return self.Stage(self.status)

    @property
    def stage_label(self) -> str:
        return self.Stage(self.stage).label

    @property
    def year(self) -> int:
        return self.date.year


class AgendaItem(Confidential):
    """A numbered point of the föredragningslista. Ärende items bring their title, number and förslag along."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name="sammanträde"
    )
    position = models.PositiveSmallIntegerField("nummer")
    kind = models.CharField("typ", max_length=30, choices=AgendaItemKind.choices, default=AgendaItemKind.CASE)
    title = models.CharField("rubrik", max_length=300)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items", verbose_name="ärende"
    )
    description = models.TextField("beskrivning", blank=True)
    proposed_clauses = models.JSONField("förslag till beslut", default=list, blank=True)
    presenter = models.CharField("föredragande", max_length=200, blank=True)
    version = version_field()
    history = HistoricalRecords()

    organisation_path = "meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "punkt på dagordningen"
        verbose_name_plural = "punkter på dagordningen"
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(position__gte=1), name="agenda_item_position_positive"),
            confidential_constraint("agenda_item_confidential_has_basis"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def case_number(self) -> str:
        return self.case.case_number if self.case_id else ""

    @property
    def is_confidential(self) -> bool:
        """Marked sekretess itself or through its ärende (marked later, say): either way it never goes public."""
        return self.confidential or bool(self.case_id and self.case.confidential)


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never served directly (MEDIA_ROOT is private); the original name is kept on the row, not in the path.
    import uuid

    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"meetings/{instance.organisation_id}/{timezone.now():%Y}/{uuid.uuid4()}{suffix}"


class Attachment(Confidential):
    """A bilaga to an agenda item or to an ärende: checked type and size, stored with its SHA-256."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="meeting_attachments", verbose_name="organisation"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments", verbose_name="punkt"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments", verbose_name="ärende"
    )
    position = models.PositiveSmallIntegerField("ordning", default=1)
    title = models.CharField("rubrik", max_length=300)
    file = models.FileField("fil", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("filnamn", max_length=255)
    content_type = models.CharField("filtyp", max_length=100)
    size = models.PositiveBigIntegerField("storlek (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="uppladdad av"
    )
    uploaded_at = models.DateTimeField("uppladdad", default=timezone.now)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "bilaga"
        verbose_name_plural = "bilagor"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agenda_item__isnull=False) | models.Q(case__isnull=False),
                name="attachment_belongs_somewhere",
            ),
            confidential_constraint("attachment_confidential_has_basis"),
            # One position per punkt, and per ärende for the ärende's own bilagor (those without a punkt).
            models.UniqueConstraint(
                fields=["agenda_item", "position"],
                condition=models.Q(agenda_item__isnull=False),
                name="attachment_position_unique_per_item",
            ),
            models.UniqueConstraint(
                fields=["case", "position"],
                condition=models.Q(agenda_item__isnull=True, case__isnull=False),
                name="attachment_position_unique_per_case",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeIssue(models.Model):
    """One sending of the kallelse: the first (revision 1) or a revised one, with who sent it and what changed."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="notice_issues", verbose_name="sammanträde"
    )
    revision = models.PositiveSmallIntegerField("version")
    issued_at = models.DateTimeField("skickad", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="skickad av"
    )
    changes = models.TextField("ändringar sedan förra versionen", blank=True)
    history = HistoricalRecords()

    organisation_path = "meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "utskickad kallelse"
        verbose_name_plural = "utskickade kallelser"
        ordering = ["meeting", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "revision"], name="notice_issue_revision_unique"),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="notice_issue_revision_positive"),
        ]

    def __str__(self) -> str:
        return f"Kallelse {self.meeting}, version {self.revision}"


class NoticeRecipient(models.Model):
    """Who a kallelse went to, as the memberships stood when it was sent."""

    class Category(models.TextChoices):
        MEMBER = "member", "Ledamot"
        SUBSTITUTE = "substitute", "Ersättare"
        FOR_INFORMATION = "for_information", "För kännedom"

    notice = models.ForeignKey(
        NoticeIssue, on_delete=models.CASCADE, related_name="recipients", verbose_name="kallelse"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="person")
    category = models.CharField("kallad som", max_length=20, choices=Category.choices)
    email = models.EmailField("e-post", blank=True)
    notified_at = models.DateTimeField("e-post skickad", null=True, blank=True)
    history = HistoricalRecords()

    organisation_path = "notice__meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kallad"
        verbose_name_plural = "kallade"
        ordering = ["notice", "category", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="notice_recipient_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_category_display().lower()})"
