"""Ärenden: numbered in configurable series (diarienummer), each with its tjänsteskrivelse."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Organisation, Person
from core.tenancy import OrganisationScopedQuerySet

from .committees import Committee
from .common import Confidential, confidential_constraint, version_field

# The placeholders a series pattern may use. {seq} is required; the others are optional.
PATTERN_FIELDS = {"committee", "year", "seq", "seq4"}
_PLACEHOLDER = re.compile(r"{(\w+)}")


def validate_case_pattern(pattern: str) -> None:
    names = set(_PLACEHOLDER.findall(pattern))
    unknown = sorted(names - PATTERN_FIELDS)
    if unknown:
        raise ValidationError(
            "Mönstret innehåller okända fält: %(fields)s. Tillåtna är {committee}, {year}, {seq} och {seq4}.",
            params={"fields": ", ".join("{" + name + "}" for name in unknown)},
            code="unknown_field",
        )
    if not names & {"seq", "seq4"}:
        raise ValidationError("Mönstret måste innehålla löpnumret {seq} eller {seq4}.", code="no_sequence")
    if "{year}" not in pattern:
        # Numbering restarts every year, so without the year two ärenden would share a number.
        raise ValidationError("Mönstret måste innehålla årtalet {year}.", code="no_year")


class CaseNumberSeries(models.Model):
    """A diarium series, e.g. "{committee} {year}/{seq}" → "SN 2022/40", or "ks {seq4}/{year}" → "ks 0071/2018"."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="case_series", verbose_name="organisation"
    )
    name = models.CharField("namn", max_length=100)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_series",
        verbose_name="organ",
        help_text="Organets förkortning fyller {committee}. Tomt: serien gäller hela organisationen.",
    )
    pattern = models.CharField(
        "mönster",
        max_length=60,
        default="{committee} {year}/{seq}",
        validators=[validate_case_pattern],
        help_text="Fält: {committee} (organets förkortning), {year}, {seq} (löpnummer), {seq4} (fyra siffror).",
    )
    is_active = models.BooleanField("används", default=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "diarieserie"
        verbose_name_plural = "diarieserier"
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="case_series_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def format(self, *, year: int, sequence: int) -> str:
        short_name = self.committee.short_name if self.committee_id else ""
        return self.pattern.format(committee=short_name, year=year, seq=sequence, seq4=f"{sequence:04d}").strip()


class CaseNumberCounter(models.Model):
    """The last number given in a series and year. Locked with SELECT … FOR UPDATE while a number is taken."""

    series = models.ForeignKey(CaseNumberSeries, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    organisation_path = "series__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "diarieräknare"
        verbose_name_plural = "diarieräknare"
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="case_counter_series_year_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_value}"


class Case(Confidential):
    """An ärende. Its number is given once, from its series and year, and never changes or returns."""

    class Status(models.TextChoices):
        OPEN = "open", "Pågående"
        DECIDED = "decided", "Beslutat"
        CLOSED = "closed", "Avslutat"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cases", verbose_name="organisation"
    )
    series = models.ForeignKey(CaseNumberSeries, on_delete=models.PROTECT, related_name="cases", verbose_name="serie")
    year = models.PositiveSmallIntegerField("år")
    sequence = models.PositiveIntegerField("löpnummer")
    case_number = models.CharField("diarienummer", max_length=60)
    title = models.CharField("ärendemening", max_length=300)
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="cases", verbose_name="organ", null=True, blank=True
    )
    handler = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_cases",
        verbose_name="handläggare",
    )
    registered_on = models.DateField("registrerat")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="registrerat av"
    )
    version = version_field()
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "ärende"
        verbose_name_plural = "ärenden"
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "sequence"], name="case_sequence_unique"),
            models.UniqueConstraint(fields=["organisation", "case_number"], name="case_number_unique"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="case_sequence_positive"),
            confidential_constraint("case_confidential_has_basis"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}"


class OfficerReport(models.Model):
    """The tjänsteskrivelse of an ärende: the förslag till beslut as att-clauses and the reasoning behind it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="officer_report", verbose_name="ärende")
    proposed_clauses = models.JSONField(
        "förslag till beslut", default=list, blank=True, help_text="En att-sats per rad, t.ex. ”att godkänna …”."
    )
    summary = models.TextField("sammanfattning", blank=True)
    description = models.TextField("ärendebeskrivning", blank=True)
    financial_impact = models.TextField("ekonomiska konsekvenser", blank=True)
    distribution = models.TextField("beslutet skickas till", blank=True, help_text="En mottagare per rad.")
    handler = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="handläggare"
    )
    signed_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="undertecknas av",
        help_text="Förvaltningschef eller annan chef som ställer sig bakom förslaget.",
    )
    dated_on = models.DateField("datum", null=True, blank=True)
    version = version_field()
    history = HistoricalRecords()

    organisation_path = "case__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "tjänsteskrivelse"
        verbose_name_plural = "tjänsteskrivelser"

    def __str__(self) -> str:
        return f"Tjänsteskrivelse {self.case.case_number}"
