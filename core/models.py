from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from .fields import DeliverableEmailField
from .tenancy import OrganisationScopedQuerySet
from .validators import validate_org_number


class User(AbstractUser):
    """A person who logs in. What they may do is given per organisation by RoleAssignment."""

    # Where the next login lands: the organisation the user last worked in (core.tenancy).
    last_organisation = models.ForeignKey(
        "Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="senast använda organisation",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login", "last_organisation"])

    class Meta:
        verbose_name = "användare"
        verbose_name_plural = "användare"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "Kommun"
        FEDERATION = "federation", "Samordningsförbund"
        REGION = "region", "Region"
        AGENCY = "agency", "Statlig myndighet"

    name = models.CharField("namn", max_length=200)
    # The organisation's own address on the public anslagstavla (/anslagstavla/<slug>/, KL 8 kap. 9 §).
    slug = models.SlugField(
        "adress på anslagstavlan",
        max_length=60,
        unique=True,
        blank=True,
        help_text="Små bokstäver a–z, siffror och bindestreck, t.ex. lindesbergs-kommun. "
        "Lämna tomt så bildas adressen av namnet.",
    )
    kind = models.CharField("typ", max_length=20, choices=Kind.choices)
    org_number = models.CharField(
        "organisationsnummer",
        max_length=11,
        unique=True,
        validators=[validate_org_number],
        help_text="Tio siffror, NNNNNN-NNNN.",
    )
    street_address = models.CharField("gatuadress", max_length=200, blank=True)
    postal_code = models.CharField("postnummer", max_length=10, blank=True)
    city = models.CharField("ort", max_length=100, blank=True)
    email = DeliverableEmailField("e-post", blank=True)
    website = models.URLField("webbplats", blank=True)
    members = models.ManyToManyField(
        "self",
        through="FederationMember",
        through_fields=("federation", "member"),
        symmetrical=False,
        related_name="federations",
        blank=True,
        verbose_name="medlemmar",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    history = HistoricalRecords()

    organisation_path = "pk"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A derived default, not a flow: every organisation has its address on the anslagstavla.
        if not self.slug:
            self.slug = unique_organisation_slug(self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    @property
    def postal_address(self) -> str:
        return " ".join(part for part in (self.postal_code, self.city) if part)

    @property
    def proposer(self) -> str:
        """Who puts the förslag till beslut: "Förbundschefen" in a samordningsförbund, else "Förvaltningen"."""
        return "Förbundschefen" if self.kind == self.Kind.FEDERATION else "Förvaltningen"


# Paths of the anslagstavla itself (meetings/noticeboard_urls.py): no organisation's address may take them.
RESERVED_SLUGS = frozenset({"arkiv", "sok", "anslag", "kalender", "hantera"})


def unique_organisation_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """The name as an address (å, ä → a, ö → o), with -2, -3 … when another organisation has it already."""
    from django.utils.text import slugify

    base = slugify(name)[:55].strip("-") or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    taken = set(
        Organisation.objects.exclude(pk=exclude_pk).filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class FederationMember(models.Model):
    """A member (kommun, region, Försäkringskassan, Arbetsförmedlingen) of a samordningsförbund."""

    federation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="member_links", verbose_name="förbund"
    )
    member = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="federation_links", verbose_name="medlem"
    )
    joined_on = models.DateField("medlem sedan", null=True, blank=True)
    history = HistoricalRecords()

    organisation_path = "federation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "förbundsmedlem"
        verbose_name_plural = "förbundsmedlemmar"
        ordering = ["member__name"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "member"], name="federation_member_unique"),
            models.CheckConstraint(
                condition=~models.Q(federation=models.F("member")), name="federation_member_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} i {self.federation}"


class Role(models.TextChoices):
    ADMIN = "admin", "Administratör"
    SECRETARY = "secretary", "Nämndsekreterare"
    DIRECTOR = "director", "Förbundschef"
    ECONOMIST = "economist", "Ekonom"
    AUDITOR = "auditor", "Revisor"
    MEMBER = "member", "Ledamot"
    PARTICIPANT_OFFICER = "participant_officer", "Deltagaransvarig"


class RoleAssignment(models.Model):
    """A user's role in one organisation. A user may hold several roles and belong to several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name="användare",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="organisation"
    )
    role = models.CharField("roll", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField("tilldelad", auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "roll"
        verbose_name_plural = "roller"
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} i {self.organisation}"


class Person(models.Model):
    """Someone who appears in the paperwork (ledamot, handläggare, projektledare); may or may not log in."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="people", verbose_name="organisation"
    )
    first_name = models.CharField("förnamn", max_length=100)
    last_name = models.CharField("efternamn", max_length=100)
    title = models.CharField("titel", max_length=150, blank=True)
    email = DeliverableEmailField("e-post", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name="inloggning",
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="person_one_per_user_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
