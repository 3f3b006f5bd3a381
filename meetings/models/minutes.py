"""Protokoll: attendance, continuously numbered paragraphs, votes, justering, anslag and laga kraft.

Once every signatory has approved (`Minutes.verified_at` set) the protokoll is locked: services refuse every
change and a correction is a separate, visible `Correction`. A paragraph can be locked earlier on its own
(omedelbar justering).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import Person
from core.tenancy import OrganisationScopedQuerySet

from .agenda import AgendaItem, Meeting
from .cases import Case
from .committees import Committee
from .common import Confidential, confidential_constraint, version_field


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        IN_VERIFICATION = "in_verification", "Skickat för justering"
        VERIFIED = "verified", "Justerat"

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name="sammanträde"
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    verification_place = models.CharField("justeringens plats", max_length=200, blank=True)
    verification_date = models.DateField("justeringens dag", null=True, blank=True)
    secretary = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="sekreterare"
    )
    sent_for_verification_at = models.DateTimeField("skickat för justering", null=True, blank=True)
    verified_at = models.DateTimeField("justerat", null=True, blank=True)
    archived_job = models.ForeignKey(
        "reporting.RenderJob",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="arkiverad PDF",
    )
    version = version_field()
    history = HistoricalRecords()

    organisation_path = "meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "protokoll"
        verbose_name_plural = "protokoll"
        ordering = ["-meeting__date"]
        constraints = [
            # A verified protokoll always says when; a draft never claims to be verified.
            models.CheckConstraint(
                condition=~models.Q(status="verified") | models.Q(verified_at__isnull=False),
                name="minutes_verified_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(status="verified") | models.Q(verified_at__isnull=True),
                name="minutes_time_only_when_verified",
            ),
        ]

    def __str__(self) -> str:
        return f"Protokoll {self.meeting}"

    @property
    def is_locked(self) -> bool:
        return self.verified_at is not None


class ParagraphCounter(models.Model):
    """The last § number given in a committee and calendar year; locked FOR UPDATE while a number is taken."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="paragraph_counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    organisation_path = "committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "paragrafräknare"
        verbose_name_plural = "paragrafräknare"
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="paragraph_counter_committee_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}: § {self.last_number}"


class Paragraph(Confidential):
    """A § of the protokoll. Numbers run on per committee and calendar year, unique, with no gaps."""

    class DecisionKind(models.TextChoices):
        # How the beslut is written: att-satser, a standard formula, or no beslut at all (mötets öppnande, upprop).
        CLAUSES = "clauses", "Beslut i att-satser"
        AS_PROPOSED = "as_proposed", "Beslutar enligt förslaget"
        NOTED = "noted", "Informationen noteras"
        REFERRED = "referred", "Hänskjuter ärendet"
        RETURNED = "returned", "Återremiss"
        TABLED = "tabled", "Bordläggning"
        NONE = "none", "Inget beslut (endast text)"

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="paragraphs", verbose_name="protokoll")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+", verbose_name="organ")
    year = models.PositiveSmallIntegerField("år")
    number = models.PositiveIntegerField("paragraf")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="paragraphs", verbose_name="punkt"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="paragraphs", verbose_name="ärende"
    )
    title = models.CharField("rubrik", max_length=300)
    body = models.TextField("text", blank=True, help_text="Ärendets beredning och vad som sades.")
    motions = models.TextField("yrkanden", blank=True)
    procedure = models.TextField("propositionsordning", blank=True)
    decision_clauses = models.JSONField("beslut", default=list, blank=True, help_text="En att-sats per rad.")
    decision_kind = models.CharField("typ av beslut", max_length=20, choices=DecisionKind.choices, default="clauses")
    decision_note = models.CharField(
        "tillägg till beslutet",
        max_length=300,
        blank=True,
        help_text="T.ex. vart ärendet hänskjuts eller skälet till återremissen.",
    )
    protocol_notes = models.TextField("protokollsanteckningar", blank=True)
    distribution = models.TextField("expediering", blank=True, help_text="En mottagare per rad.")
    immediately_verified_at = models.DateTimeField("omedelbart justerad", null=True, blank=True)
    version = version_field()
    history = HistoricalRecords()

    organisation_path = "committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "paragraf"
        verbose_name_plural = "paragrafer"
        ordering = ["committee", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "number"], name="paragraph_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="paragraph_number_positive"),
            confidential_constraint("paragraph_confidential_has_basis"),
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"

    @property
    def is_locked(self) -> bool:
        return self.immediately_verified_at is not None or self.minutes.is_locked

    @property
    def has_decision(self) -> bool:
        """A beslut that can be appealed or certified: not a § of text only, and att-satser when that is the kind."""
        if self.decision_kind == self.DecisionKind.NONE:
            return False
        return self.decision_kind != self.DecisionKind.CLAUSES or bool(self.decision_clauses)

    @property
    def keeps_case_open(self) -> bool:
        """Återremiss and bordläggning leave the ärende open for a later meeting."""
        return self.decision_kind in (self.DecisionKind.RETURNED, self.DecisionKind.TABLED)

    @property
    def is_confidential(self) -> bool:
        """Marked sekretess itself, or its agenda item or ärende is: the one test every public output uses.

        Load with select_related("agenda_item", "case") where many are read; PUBLIC_PARAGRAPH is the same rule
        as a query.
        """
        return (
            self.confidential
            or bool(self.agenda_item_id and self.agenda_item.confidential)
            or bool(self.case_id and self.case.confidential)
        )


# A § is public only when neither it, its agenda item nor its ärende is marked sekretess (Paragraph.is_confidential).
PUBLIC_PARAGRAPH = (
    models.Q(confidential=False)
    & (models.Q(agenda_item__isnull=True) | models.Q(agenda_item__confidential=False))
    & (models.Q(case__isnull=True) | models.Q(case__confidential=False))
)


class Attendance(models.Model):
    """Who took part, in which capacity, and for which § when not for the whole meeting."""

    class Capacity(models.TextChoices):
        DECISION_MAKER = "decision_maker", "Beslutande"
        SERVING_SUBSTITUTE = "serving_substitute", "Tjänstgörande ersättare"
        SUBSTITUTE = "substitute", "Ersättare (ej tjänstgörande)"
        OFFICIAL = "official", "Tjänsteperson"
        OTHER = "other", "Övrig deltagare"

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attendances", verbose_name="protokoll")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="person")
    capacity = models.CharField("deltar som", max_length=20, choices=Capacity.choices)
    replaces = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ersätter",
        help_text="För tjänstgörande ersättare: den ledamot som ersätts.",
    )
    role_text = models.CharField(
        "roll eller företräder", max_length=200, blank=True, help_text="T.ex. ”ordförande”, ”(S)” eller ”Förbundschef”."
    )
    from_paragraph = models.PositiveIntegerField("från §", null=True, blank=True)
    to_paragraph = models.PositiveIntegerField("till §", null=True, blank=True)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    history = HistoricalRecords()

    organisation_path = "minutes__meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "närvaro"
        verbose_name_plural = "närvaro"
        ordering = ["minutes", "capacity", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_paragraph__isnull=True)
                | models.Q(to_paragraph__isnull=True)
                | models.Q(to_paragraph__gte=models.F("from_paragraph")),
                name="attendance_paragraph_range_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(replaces__isnull=True) | models.Q(capacity="serving_substitute"),
                name="attendance_only_substitutes_replace",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_capacity_display()}"

    def covers(self, number: int) -> bool:
        """Whether this attendance includes § `number`."""
        return (self.from_paragraph is None or number >= self.from_paragraph) and (
            self.to_paragraph is None or number <= self.to_paragraph
        )


class Vote(models.Model):
    """A votering on one question of a §: each beslutande's ja / nej / avstår, the chair's casting vote on a tie."""

    class Outcome(models.TextChoices):
        YES = "yes", "Ja"
        NO = "no", "Nej"

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="votes", verbose_name="paragraf")
    position = models.PositiveSmallIntegerField("ordning", default=1)
    question = models.TextField("proposition", help_text="T.ex. ”Ja för bifall till förvaltningens förslag”.")
    yes_means = models.CharField("ja innebär", max_length=300)
    no_means = models.CharField("nej innebär", max_length=300)
    casting_vote = models.CharField(
        "ordförandens utslagsröst",
        max_length=3,
        choices=Outcome.choices,
        blank=True,
        help_text="Bara vid lika röstetal.",
    )
    history = HistoricalRecords()

    organisation_path = "paragraph__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "votering"
        verbose_name_plural = "voteringar"
        ordering = ["paragraph", "position", "pk"]

    def __str__(self) -> str:
        return f"Votering {self.position} i {self.paragraph}"


class Ballot(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", "Ja"
        NO = "no", "Nej"
        ABSTAIN = "abstain", "Avstår"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots", verbose_name="votering")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="beslutande")
    choice = models.CharField("röst", max_length=10, choices=Choice.choices)
    history = HistoricalRecords()

    organisation_path = "vote__paragraph__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "röst"
        verbose_name_plural = "röster"
        ordering = ["vote", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="ballot_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class Dissent(models.Model):
    """A reservation against the beslut of a §, optionally with a written motivation."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="dissents", verbose_name="paragraf")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="reserverar sig")
    motivation = models.TextField("skriftlig motivering", blank=True)
    history = HistoricalRecords()

    organisation_path = "paragraph__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "reservation"
        verbose_name_plural = "reservationer"
        ordering = ["paragraph", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["paragraph", "person"], name="dissent_one_per_person")]

    def __str__(self) -> str:
        return f"Reservation av {self.person}"


class Recusal(models.Model):
    """Jäv: the person left the room and is not counted as beslutande for this §."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="recusals", verbose_name="paragraf")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="jävig")
    note = models.CharField("anteckning", max_length=300, blank=True)
    wording = models.TextField(
        "lydelse i protokollet",
        blank=True,
        help_text="Sekreterarens formulering; tom ger ”NN anmäler jäv och deltar inte i handläggningen.”",
    )
    substitute_attendance = models.OneToOneField(
        "Attendance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recusal",
        verbose_name="tjänstgörande ersättare i paragrafen",
    )
    history = HistoricalRecords()

    organisation_path = "paragraph__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "jäv"
        verbose_name_plural = "jäv"
        ordering = ["paragraph", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["paragraph", "person"], name="recusal_one_per_person")]

    def __str__(self) -> str:
        return f"Jäv: {self.person}"

    @property
    def text(self) -> str:
        """The sentence the protokoll prints first in the §: the secretary's wording, or the standard one."""
        if self.wording.strip():
            return " ".join(self.wording.split())
        sentence = f"{self.person.full_name} anmäler jäv och deltar inte i handläggningen"
        sentence += f" ({self.note})." if self.note else "."
        if self.substitute_attendance_id:
            sentence += f" {self.substitute_attendance.person.full_name} tjänstgör i stället i paragrafen."
        return sentence


class Signatory(models.Model):
    """Who signs the protokoll and, once they have, when, how and from where.

    `method` names the means of signing ("inloggning" now); an e-signature service such as BankID adds its own
    method and stores its reference in `evidence`, without changing the flow.
    """

    class Role(models.TextChoices):
        CHAIR = "chair", "Ordförande"
        VERIFIER = "verifier", "Justerare"
        SECRETARY = "secretary", "Sekreterare"

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="signatories", verbose_name="protokoll")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="person")
    role = models.CharField("roll", max_length=10, choices=Role.choices)
    signed_at = models.DateTimeField("godkänt", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField("metod", max_length=30, blank=True)
    ip_address = models.GenericIPAddressField("ip-adress", null=True, blank=True)
    user_agent = models.CharField("webbläsare", max_length=300, blank=True)
    evidence = models.JSONField("underlag", default=dict, blank=True)
    history = HistoricalRecords()

    organisation_path = "minutes__meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "undertecknare"
        verbose_name_plural = "undertecknare"
        ordering = ["minutes", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["minutes", "person", "role"], name="signatory_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display().lower()})"


class Correction(models.Model):
    """A rättelse of a locked protokoll: a visible addition with its reason; the original text stays."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="corrections", verbose_name="protokoll")
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", verbose_name="paragraf"
    )
    reason = models.TextField("skäl")
    text = models.TextField("rättelse")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("gjord", default=timezone.now)
    history = HistoricalRecords()

    organisation_path = "minutes__meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "rättelse"
        verbose_name_plural = "rättelser"
        ordering = ["minutes", "created_at"]

    def __str__(self) -> str:
        return f"Rättelse {self.created_at:%Y-%m-%d}"


class Posting(models.Model):
    """The anslag of a justerat protokoll on the digital anslagstavla."""

    minutes = models.OneToOneField(Minutes, on_delete=models.PROTECT, related_name="posting", verbose_name="protokoll")
    posted_on = models.DateField("anslaget sätts upp")
    taken_down_on = models.DateField("anslaget tas ned")
    storage_place = models.CharField("förvaringsplats för protokollet", max_length=300)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    organisation_path = "minutes__meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "anslag"
        verbose_name_plural = "anslag"
        ordering = ["-posted_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taken_down_on__gt=models.F("posted_on")), name="posting_taken_down_after_posted"
            ),
        ]

    def __str__(self) -> str:
        return f"Anslag {self.minutes.meeting}"


class Appeal(models.Model):
    """An överklagande (laglighetsprövning) registered against a §: it stops the § from vinna laga kraft."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="appeals", verbose_name="paragraf")
    received_on = models.DateField("inkom")
    appellant = models.CharField("klagande", max_length=300, blank=True)
    court = models.CharField("domstol", max_length=200, blank=True, default="Förvaltningsrätten")
    note = models.TextField("anteckning", blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    organisation_path = "paragraph__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "överklagande"
        verbose_name_plural = "överklaganden"
        ordering = ["paragraph", "received_on"]

    def __str__(self) -> str:
        return f"Överklagande av {self.paragraph}"


class FinalityRequest(models.Model):
    """A Begäran om lagakraftbevis: a letter to the förvaltningsrätt for chosen §§ of a justerat protokoll.

    Only the court knows whether a beslut was appealed (KL 13 kap.); the answer is registered per § on
    `FinalityRequestItem`, and only an answer saying no appeal came in lets a § show "Vunnit laga kraft".
    """

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="finality_requests", verbose_name="protokoll"
    )
    court = models.CharField("förvaltningsrätt", max_length=200, help_text="T.ex. ”Förvaltningsrätten i Karlstad”.")
    court_address = models.TextField("domstolens adress", blank=True, help_text="En rad per adressrad.")
    case_number = models.CharField("diarienummer", max_length=60, blank=True)
    return_address = models.TextField(
        "handlingarna återsänds till", blank=True, help_text="Adressen dit domstolen skickar lagakraftbeviset."
    )
    signed_name = models.CharField("undertecknas av", max_length=200)
    signed_title = models.CharField("titel", max_length=200, blank=True)
    contact = models.TextField("kontaktuppgifter", blank=True, help_text="T.ex. telefon och e-post, en per rad.")
    requested_on = models.DateField("daterad")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("registrerad", default=timezone.now)
    history = HistoricalRecords()

    organisation_path = "minutes__meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "begäran om lagakraftbevis"
        verbose_name_plural = "begäranden om lagakraftbevis"
        ordering = ["minutes", "requested_on", "pk"]

    def __str__(self) -> str:
        return f"Begäran om lagakraftbevis {self.requested_on.isoformat()}, {self.minutes.meeting}"

    @property
    def is_answered(self) -> bool:
        """The court's answer is registered for every § (reads the prefetched items)."""
        return all(item.is_answered for item in self.items.all())


class FinalityRequestItem(models.Model):
    """One § of a begäran om lagakraftbevis, and the court's answer for it once registered."""

    request = models.ForeignKey(FinalityRequest, on_delete=models.CASCADE, related_name="items", verbose_name="begäran")
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.PROTECT, related_name="finality_items", verbose_name="paragraf"
    )
    answered_on = models.DateField("förvaltningsrättens svar", null=True, blank=True)
    court_reference = models.CharField("målnummer eller referens", max_length=100, blank=True)
    appeal_received = models.BooleanField("överklagande har kommit in", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    organisation_path = "request__minutes__meeting__committee__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "paragraf i begäran om lagakraftbevis"
        verbose_name_plural = "paragrafer i begäran om lagakraftbevis"
        ordering = ["request", "paragraph__number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "paragraph"], name="finality_item_unique"),
            # An answer has a date and says whether an appeal came in; no answer says neither.
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True, appeal_received__isnull=True)
                | models.Q(answered_on__isnull=False, appeal_received__isnull=False),
                name="finality_item_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} i {self.request}"

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None
