import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Organisation, Person
from core.tenancy import OrganisationScopedQuerySet


class Committee(models.Model):
    """A decision-making body: fullmäktige, styrelse, nämnd, utskott or beredning."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Fullmäktige"
        BOARD = "board", "Styrelse"
        COMMITTEE = "committee", "Nämnd"
        SUBCOMMITTEE = "subcommittee", "Utskott"
        PREPARATORY = "preparatory", "Beredning"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="committees", verbose_name="organisation"
    )
    name = models.CharField("namn", max_length=200)
    short_name = models.CharField(
        "förkortning", max_length=20, help_text="Används i diarienummer, t.ex. KS, SN eller VON."
    )
    kind = models.CharField("typ", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcommittees",
        verbose_name="tillhör",
    )
    meetings_public = models.BooleanField(
        "offentliga sammanträden",
        default=False,
        help_text="Nämndernas sammanträden är slutna om inget annat beslutats (KL 6 kap. 25 §).",
    )
    is_active = models.BooleanField("aktiv", default=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "organ"
        verbose_name_plural = "organ"
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "short_name"], name="committee_short_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(OrganisationScopedQuerySet):
    def on(self, day: dt.date) -> "MembershipQuerySet":
        """Memberships in force on a day: the list for any date is reproducible from history."""
        return self.filter(starts_on__lte=day).filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day))


class Membership(models.Model):
    """A seat in a committee for a period. Changes (fyllnadsval) end one row and start another."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Ordförande"
        VICE_CHAIR = "vice_chair", "Vice ordförande"
        MEMBER = "member", "Ledamot"
        SUBSTITUTE = "substitute", "Ersättare"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name="organ")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name="person")
    role = models.CharField("roll", max_length=20, choices=Role.choices)
    party = models.CharField("parti", max_length=40, blank=True)
    represents = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_by",
        verbose_name="representerar",
        help_text="För samordningsförbund: den medlemsorganisation ledamoten företräder.",
    )
    personal_substitute_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_substitutes",
        verbose_name="personlig ersättare för",
    )
    substitute_order = models.PositiveSmallIntegerField("ersättarordning", null=True, blank=True)
    starts_on = models.DateField("från och med")
    ends_on = models.DateField("till och med", null=True, blank=True)
    note = models.CharField("anteckning", max_length=200, blank=True, help_text="T.ex. fyllnadsval 2022-03-01.")
    history = HistoricalRecords()

    organisation_path = "committee__organisation"
    objects = MembershipQuerySet.as_manager()

    ROLE_ORDER = {Role.CHAIR: 0, Role.VICE_CHAIR: 1, Role.MEMBER: 2, Role.SUBSTITUTE: 3}

    class Meta:
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"
        ordering = ["committee", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="membership_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.committee}"

    @property
    def is_substitute(self) -> bool:
        return self.role == self.Role.SUBSTITUTE
