"""Delegationsbeslut and meddelanden: registered as they come, reported to the next meeting as an agenda item."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Organisation
from core.tenancy import OrganisationScopedQuerySet

from .agenda import AgendaItem
from .cases import Case
from .committees import Committee
from .common import Confidential, confidential_constraint


class DelegatedDecision(Confidential):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="delegated_decisions", verbose_name="organisation"
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="delegated_decisions", verbose_name="anmäls till"
    )
    decided_on = models.DateField("beslutsdatum")
    delegate = models.CharField("delegat", max_length=200)
    delegation_point = models.CharField("punkt i delegationsordningen", max_length=50)
    decision = models.TextField("beslut")
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegated_decisions",
        verbose_name="ärende",
    )
    reported_in = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegated_decisions",
        verbose_name="anmält vid",
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "delegationsbeslut"
        verbose_name_plural = "delegationsbeslut"
        ordering = ["-decided_on", "pk"]
        constraints = [confidential_constraint("delegated_decision_confidential_has_basis")]

    def __str__(self) -> str:
        return f"{self.decided_on.isoformat()} {self.delegation_point}: {self.decision[:60]}"


class Communication(Confidential):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="communications", verbose_name="organisation"
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="communications", verbose_name="anmäls till"
    )
    received_on = models.DateField("inkom")
    sender = models.CharField("avsändare", max_length=200)
    subject = models.CharField("ämne", max_length=300)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="communications", verbose_name="ärende"
    )
    reported_in = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communications",
        verbose_name="anmält vid",
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "meddelande"
        verbose_name_plural = "meddelanden"
        ordering = ["-received_on", "pk"]
        constraints = [confidential_constraint("communication_confidential_has_basis")]

    def __str__(self) -> str:
        return f"{self.received_on.isoformat()} {self.sender}: {self.subject}"
