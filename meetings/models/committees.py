"""Committees (organ), their seats over time, and the committee's standard agenda."""

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

    class MajorityRule(models.TextChoices):
        SIMPLE = "simple", "Enkel majoritet"
        QUALIFIED = "qualified", "Kvalificerad majoritet"

    class MajorityFraction(models.TextChoices):
        TWO_THIRDS = "2/3", "2/3"
        THREE_QUARTERS = "3/4", "3/4"
        FOUR_FIFTHS = "4/5", "4/5"

    class MajorityBasis(models.TextChoices):
        PRESENT = "present", "av de närvarande röstberättigade"
        CAST = "cast", "av de avgivna rösterna"

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
    personal_substitutes_only = models.BooleanField(
        "ersättare tjänstgör endast för sin egen ledamot",
        default=False,
        help_text="Sätts t.ex. i ett samordningsförbund där varje medlem väljer en ersättare för sin ledamot.",
    )
    majority_rule = models.CharField(
        "majoritetskrav",
        max_length=20,
        choices=MajorityRule.choices,
        default=MajorityRule.SIMPLE,
        help_text="Enkel majoritet enligt KL 5 kap. 60 §, eller kvalificerad majoritet när förbundsordningen "
        "eller reglementet kräver det.",
    )
    majority_fraction = models.CharField(
        "kvalificerad majoritet",
        max_length=5,
        choices=MajorityFraction.choices,
        default=MajorityFraction.TWO_THIRDS,
        help_text="Andelen ja-röster som krävs vid kvalificerad majoritet.",
    )
    majority_basis = models.CharField(
        "beräkningsgrund",
        max_length=10,
        choices=MajorityBasis.choices,
        default=MajorityBasis.PRESENT,
        help_text="Vad andelen räknas på vid kvalificerad majoritet.",
    )
    quorum = models.PositiveSmallIntegerField(
        "beslutförhet (minsta antal beslutande)",
        null=True,
        blank=True,
        help_text="Lämna tomt för mer än hälften av ledamöterna (KL 6 kap. 27 §).",
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

    @property
    def majority_text(self) -> str:
        """ "enkel majoritet" or "kvalificerad majoritet (minst 2/3 av de närvarande röstberättigade)"."""
        if self.majority_rule != self.MajorityRule.QUALIFIED:
            return "enkel majoritet"
        return f"kvalificerad majoritet (minst {self.majority_fraction} {self.get_majority_basis_display()})"


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

    @property
    def affiliation(self) -> str:
        """Member organisation and party as seed 003 lists them: "Norsjö kommun (S)", "Försäkringskassan", "S"."""
        if self.represents_id and self.party:
            return f"{self.represents.name} ({self.party})"
        if self.represents_id:
            return self.represents.name
        return self.party


class AgendaItemKind(models.TextChoices):
    """What an agenda item is. The order of the choices is also the order new items are placed in."""

    STANDARD = "standard", "Stående punkt"
    CASE = "case", "Ärende"
    EXTRA = "extra", "Extra ärende"
    INFORMATION = "information", "Information"
    DELEGATED_DECISIONS = "delegated_decisions", "Delegationsbeslut"
    COMMUNICATIONS = "communications", "Meddelanden"
    OTHER = "other", "Övriga frågor"


# Where a new item of a kind goes: after the last item whose kind has the same or a lower rank.
AGENDA_KIND_RANK = {
    AgendaItemKind.STANDARD: 0,
    AgendaItemKind.CASE: 1,
    AgendaItemKind.EXTRA: 1,
    AgendaItemKind.INFORMATION: 2,
    AgendaItemKind.DELEGATED_DECISIONS: 3,
    AgendaItemKind.COMMUNICATIONS: 4,
    AgendaItemKind.OTHER: 5,
}


class AgendaTemplateItem(models.Model):
    """One row of a committee's standard agenda (mötets öppnande, val av justerare, …, övriga frågor).

    `meeting_create` copies the rows, in `position` order, into every new meeting of the committee.
    `proposed_clauses` is a list of `att`-clauses ("att godkänna dagordningen").
    """

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="agenda_template", verbose_name="organ"
    )
    position = models.PositiveSmallIntegerField("ordning")
    title = models.CharField("rubrik", max_length=300)
    kind = models.CharField("typ", max_length=30, choices=AgendaItemKind.choices, default=AgendaItemKind.STANDARD)
    description = models.TextField("beskrivning", blank=True)
    proposed_clauses = models.JSONField("förslag till beslut", default=list, blank=True)
    is_active = models.BooleanField("används", default=True)
    history = HistoricalRecords()

    organisation_path = "committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "stående punkt"
        verbose_name_plural = "stående punkter (mall för dagordning)"
        ordering = ["committee", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(position__gte=1), name="agenda_template_position_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
