"""Insatser and projects of an organisation, their parties, budget and delprojekt, and participant reports.

Aggregate-first (docs/decisions/0013): the förbund holds counts, never participants. A ParticipantReport is a
grid of counts per category × kön stored as rows (ReportCount); totals are computed when read, never stored.
Category lists (åldersgrupp, remittent, …) are data per organisation, seeded with seed 003's labels.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.formatting import MONTHS as MONTHS_SV
from core.models import Organisation
from core.tenancy import OrganisationScopedQuerySet

REPORT_LOCKED_MESSAGE = "Rapporten är inlämnad och låst. Gör en rättelse (en ny version) i stället."
NOT_NEGATIVE = MinValueValidator(0, "Beloppet kan inte vara negativt.")
LOCKED_FIELD_MESSAGE = (
    "{what} kan inte ändras eftersom insatsen redan har deltagarrapporter. Registrera en ny insats i stället."
)


class Gender(models.TextChoices):
    WOMAN = "woman", "Kvinnor"
    MAN = "man", "Män"
    OTHER = "other", "Icke-binär/annat"


GENDERS = [Gender.WOMAN, Gender.MAN, Gender.OTHER]


# Category lists --------------------------------------------------------------------------------------------


class CategoryList(models.Model):
    """One list of labels an organisation reports by (åldersgrupp, remittent, …). Rows are data, editable."""

    class Key(models.TextChoices):
        AGE_GROUP = "age_group", "Åldersgrupp"
        REFERRER = "referrer", "Remittent"
        EDUCATION = "education", "Högsta utbildningsnivå vid inskrivning"
        INCOME_AT_ENTRY = "income_at_entry", "Försörjning vid inskrivning"
        INCOME_AT_EXIT = "income_at_exit", "Försörjning vid avslut"
        EXIT_REASON = "exit_reason", "Avslutsorsak"
        ACTIVITY = "activity", "Aktiviteter"
        STRUCTURAL_ACTIVITY = "structural_activity", "Strukturövergripande aktiviteter"
        TARGET_GROUP = "target_group", "Målgrupper"

    class Basis(models.TextChoices):
        # What a split of this list must sum to, per kön.
        ACTIVE = "active", "Summeras till aktiva deltagare"
        EXITED = "exited", "Summeras till avslutade deltagare"
        AT_MOST_ACTIVE = "at_most_active", "Högst antalet aktiva (en deltagare kan ha flera)"
        NONE = "none", "Ingen summering"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="category_lists", verbose_name="organisation"
    )
    key = models.CharField("lista", max_length=30, choices=Key.choices)
    basis = models.CharField("summering", max_length=20, choices=Basis.choices)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kategorilista"
        verbose_name_plural = "kategorilistor"
        ordering = ["organisation", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="category_list_one_per_key")]

    def __str__(self) -> str:
        return self.get_key_display()

    @property
    def name(self) -> str:
        return self.get_key_display()


class Category(models.Model):
    class Group(models.TextChoices):
        NONE = "", "–"
        OWN = "own", "Egen försörjning"
        PUBLIC = "public", "Offentlig försörjning"

    category_list = models.ForeignKey(
        CategoryList, on_delete=models.CASCADE, related_name="categories", verbose_name="lista"
    )
    label = models.CharField("benämning", max_length=200)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    active = models.BooleanField("används", default=True)
    group = models.CharField("grupp", max_length=10, choices=Group.choices, default="", blank=True)
    # Age groups: the ages a category covers. The target group is 16–64 (lag 2003:1210).
    age_from = models.PositiveSmallIntegerField("ålder från", null=True, blank=True)
    age_to = models.PositiveSmallIntegerField("ålder till", null=True, blank=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "category_list__organisation"

    class Meta:
        verbose_name = "kategori"
        verbose_name_plural = "kategorier"
        ordering = ["category_list", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category_list", "label"], name="category_label_unique_in_list"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def outside_working_age(self) -> bool:
        """An age group reaching below 16 or above 64: a participant there cannot exist."""
        return (self.age_from is not None and self.age_from < 16) or (self.age_to is not None and self.age_to > 64)


# Insatser --------------------------------------------------------------------------------------------------


class Project(models.Model):
    """An insats or project the organisation finances or runs (DOMAIN: insats/projekt → Project)."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinarie samverkan"
        FINSAM = "finsam", "Finsam-projekt"
        ESF = "esf", "ESF-projekt"
        STATE_GRANT = "state_grant", "Statsbidragsprojekt"
        MUNICIPAL = "municipal", "Kommunalt utvecklingsprojekt"

    class Orientation(models.TextChoices):
        INDIVIDUAL = "individual", "Individinriktad"
        STRUCTURAL = "structural", "Strukturövergripande"

    class FollowUp(models.TextChoices):
        REGISTER = "register", "Register i Paragraf"
        MANUAL = "manual", "Antal som anges för hand"

    class Status(models.TextChoices):
        APPLICATION = "application", "Ansökan"
        GRANTED = "granted", "Beviljad"
        ONGOING = "ongoing", "Pågående"
        FINISHED = "finished", "Avslutad"
        REJECTED = "rejected", "Avslagen"

    class ReportPeriod(models.TextChoices):
        MONTH = "month", "Månad"
        TERTIAL = "tertial", "Tertial"
        HALF_YEAR = "half_year", "Halvår"
        YEAR = "year", "Helår"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="projects", verbose_name="organisation"
    )
    name = models.CharField("namn", max_length=200)
    short_name = models.CharField("kortnamn", max_length=40, blank=True)
    kind = models.CharField("typ", max_length=20, choices=Kind.choices)
    orientation = models.CharField(
        "inriktning",
        max_length=20,
        choices=Orientation.choices,
        help_text="En insats med båda inriktningarna registreras som två insatser.",
    )
    specified_orientation = models.CharField("preciserad inriktning", max_length=200, blank=True)
    target_groups = models.ManyToManyField(Category, related_name="projects", blank=True, verbose_name="målgrupper")
    esf_funded = models.BooleanField("ESF-finansiering", default=False)
    follow_up_method = models.CharField(
        "uppföljningsmetod", max_length=20, choices=FollowUp.choices, default=FollowUp.MANUAL
    )
    report_period = models.CharField(
        "rapportperiod", max_length=20, choices=ReportPeriod.choices, default=ReportPeriod.YEAR
    )
    owner_name = models.CharField("projektägare", max_length=200, blank=True)
    executor_name = models.CharField(
        "utförare",
        max_length=200,
        help_text="Organisationen som driver insatsen och är personuppgiftsansvarig för deltagarna.",
    )
    executor_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="executed_projects",
        verbose_name="utförare i Paragraf",
    )
    project_leader = models.CharField("projektledare", max_length=200, blank=True)
    steering_group = models.TextField("styrgrupp", blank=True)
    starts_on = models.DateField("startdatum", null=True, blank=True)
    ends_on = models.DateField("slutdatum", null=True, blank=True)
    purpose = models.TextField("syfte", blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.APPLICATION)
    budgeted_participants = models.PositiveIntegerField("budgeterat antal deltagare", null=True, blank=True)
    created_at = models.DateTimeField("registrerad", auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "insats"
        verbose_name_plural = "insatser"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="project_period_in_order",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_structural(self) -> bool:
        return self.orientation == self.Orientation.STRUCTURAL


class ProjectStatusChange(models.Model):
    """The status history: one row per change, the first when the insats is registered."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes", verbose_name="insats")
    status = models.CharField("status", max_length=20, choices=Project.Status.choices)
    changed_on = models.DateField("från och med")
    note = models.CharField("kommentar", max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="ändrad av"
    )
    created_at = models.DateTimeField("registrerad", auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "project__organisation"

    class Meta:
        verbose_name = "statusändring"
        verbose_name_plural = "statusändringar"
        ordering = ["project", "changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_status_display()} {self.changed_on.isoformat()}"


class ProjectParty(models.Model):
    """A samverkanspartner with its role and contribution."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parties", verbose_name="insats")
    name = models.CharField("part", max_length=200)
    role = models.CharField("roll", max_length=200, blank=True, help_text="T.ex. samverkanspart, medfinansiär.")
    contribution = models.CharField("bidrag", max_length=300, blank=True, help_text="T.ex. personal 50 %.")
    contribution_amount = models.DecimalField("bidrag i kronor", max_digits=14, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "project__organisation"

    class Meta:
        verbose_name = "samverkanspart"
        verbose_name_plural = "samverkanspartner"
        ordering = ["project", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="project_party_unique_name")]

    def __str__(self) -> str:
        return self.name


class BudgetYear(models.Model):
    """The budget of one year and how it is financed. The total is computed, never typed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_years", verbose_name="insats")
    year = models.PositiveSmallIntegerField("år", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    granted_grant = models.DecimalField(
        "beviljat bidrag", max_digits=14, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    co_financing = models.DecimalField(
        "medfinansiering", max_digits=14, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    own_contribution = models.DecimalField(
        "egen insats", max_digits=14, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "project__organisation"

    class Meta:
        verbose_name = "budgetår"
        verbose_name_plural = "budgetår"
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="budget_year_once"),
            models.CheckConstraint(
                condition=models.Q(granted_grant__gte=0)
                & models.Q(co_financing__gte=0)
                & models.Q(own_contribution__gte=0),
                name="budget_year_not_negative",
                violation_error_message="Beloppen kan inte vara negativa.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    @property
    def total(self):
        return self.granted_grant + self.co_financing + self.own_contribution


class SubProject(models.Model):
    """A delprojekt with the project code finance uses as its projekt dimension (seed 000: 7354–7358)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sub_projects", verbose_name="organisation"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sub_projects", verbose_name="insats")
    code = models.CharField("projektkod", max_length=20)
    name = models.CharField("namn", max_length=200)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "delprojekt"
        verbose_name_plural = "delprojekt"
        ordering = ["project", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="sub_project_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# Participant reports ---------------------------------------------------------------------------------------

PERIOD_COUNTS = {"month": 12, "tertial": 3, "half_year": 2, "year": 1}
MONTHS = MONTHS_SV  # the Swedish month names, from core.formatting


def period_bounds(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    months = 12 // PERIOD_COUNTS[kind]
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def period_label(kind: str, year: int, number: int) -> str:
    if kind == "month":
        return f"{MONTHS[number - 1].capitalize()} {year}"
    if kind == "tertial":
        return f"Tertial {number} {year}"
    if kind == "half_year":
        return f"Halvår {number} {year}"
    return f"Helår {year}"


class ParticipantReport(models.Model):
    """One version of an insats's report for one period. Submitted versions are locked; a correction is a new
    version (same period, version + 1) with a reason. Every version stays readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        SUBMITTED = "submitted", "Inlämnad"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports", verbose_name="insats")
    period_kind = models.CharField("periodtyp", max_length=20, choices=Project.ReportPeriod.choices)
    year = models.PositiveSmallIntegerField("år", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    period_number = models.PositiveSmallIntegerField("period", default=1)
    version = models.PositiveSmallIntegerField("version", default=1)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    correction_reason = models.TextField("skäl till rättelse", blank=True)
    comment = models.TextField("kommentar", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="skapad av"
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inlämnad av",
    )
    submitted_at = models.DateTimeField("inlämnad", null=True, blank=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "project__organisation"

    class Meta:
        verbose_name = "deltagarrapport"
        verbose_name_plural = "deltagarrapporter"
        ordering = ["project", "year", "period_kind", "period_number", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_kind", "year", "period_number", "version"], name="report_version_once"
            ),
            models.UniqueConstraint(
                fields=["project", "period_kind", "year", "period_number"],
                condition=models.Q(status="draft"),
                name="report_one_draft_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(version=1) | ~models.Q(correction_reason=""), name="report_correction_has_reason"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.period_label} (version {self.version})"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def period_label(self) -> str:
        return period_label(self.period_kind, self.year, self.period_number)

    @property
    def period_start(self) -> dt.date:
        return period_bounds(self.period_kind, self.year, self.period_number)[0]

    @property
    def period_end(self) -> dt.date:
        return period_bounds(self.period_kind, self.year, self.period_number)[1]


class ReportCount(models.Model):
    """One typed cell of a report grid: a row (base figure or category, for structural insatser also a party)
    and a kön. Totals are never stored. `label` keeps the category's label as it was, so a renamed category
    never changes what a submitted report said."""

    class Row(models.TextChoices):
        CARRIED_OVER = "carried_over", "Inskrivna vid periodens början"
        ENROLLED = "enrolled", "Nyinskrivna under perioden"
        EXITED = "exited", "Avslutade under perioden"
        CATEGORY = "category", "Kategori"
        STRUCTURAL = "structural", "Strukturövergripande"

    report = models.ForeignKey(
        ParticipantReport, on_delete=models.CASCADE, related_name="counts", verbose_name="rapport"
    )
    row = models.CharField("rad", max_length=20, choices=Row.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="kategori"
    )
    party = models.ForeignKey(
        ProjectParty, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="organisation"
    )
    # "enrolled", "cat:12", "struct:12:3": one key per row, so uniqueness needs no nullable columns.
    key = models.CharField("nyckel", max_length=40)
    label = models.CharField("benämning", max_length=300, blank=True)
    gender = models.CharField("kön", max_length=10, choices=Gender.choices)
    value = models.PositiveIntegerField("antal", default=0)

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "report__project__organisation"

    class Meta:
        verbose_name = "antal"
        verbose_name_plural = "antal"
        ordering = ["report", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "key", "gender"], name="report_count_cell_once")]
        indexes = [
            # Statistics sum the non-zero cells of many reports (projects/statistics_selectors.py); a submitted
            # report stores every cell, mostly zeros. Partial and covering: the sums read the index alone.
            models.Index(
                fields=["report", "row", "category", "gender", "value"],
                condition=models.Q(value__gt=0),
                name="report_count_nonzero_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.gender}: {self.value}"


# Goals and NNS indicators ----------------------------------------------------------------------------------


class Goal(models.Model):
    """A mål of an insats, or a delmål (with a parent). An optional measurable target is tied to one row of the
    participant report grid ("enrolled", "active", "exited", "cat:<id>"): at least N participants, or at least
    P % of a base row. Progress is computed from submitted reports only (goal_selectors), never stored."""

    class Comparison(models.TextChoices):
        COUNT = "count", "Minst ett antal deltagare"
        SHARE = "share", "Minst en andel (procent) av ett basvärde"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals", verbose_name="insats")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_goals", verbose_name="delmål till"
    )
    title = models.CharField("mål", max_length=500)
    target_key = models.CharField("mäts på", max_length=40, blank=True)
    target_label = models.CharField("mäts på (benämning)", max_length=300, blank=True)
    comparison = models.CharField("jämförelse", max_length=10, choices=Comparison.choices, blank=True)
    target_value = models.DecimalField(
        "målvärde", max_digits=9, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    base_key = models.CharField("andel av", max_length=40, blank=True)
    base_label = models.CharField("andel av (benämning)", max_length=300, blank=True)
    deadline = models.DateField("senast", null=True, blank=True)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    created_at = models.DateTimeField("registrerat", auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "project__organisation"

    class Meta:
        verbose_name = "mål"
        verbose_name_plural = "mål"
        ordering = ["project", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_measurable(self) -> bool:
        return bool(self.target_key and self.comparison and self.target_value is not None)


class GoalAssessment(models.Model):
    """The yearly assessment of a goal: uppfyllt, delvis uppfyllt or inte uppfyllt, with a comment."""

    class Outcome(models.TextChoices):
        MET = "met", "Uppfyllt"
        PARTLY = "partly", "Delvis uppfyllt"
        NOT_MET = "not_met", "Inte uppfyllt"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="assessments", verbose_name="mål")
    year = models.PositiveSmallIntegerField("år", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    outcome = models.CharField("bedömning", max_length=10, choices=Outcome.choices)
    comment = models.TextField("kommentar", blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="bedömd av"
    )
    updated_at = models.DateTimeField("bedömd", auto_now=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "goal__project__organisation"

    class Meta:
        verbose_name = "måluppfyllelse"
        verbose_name_plural = "måluppfyllelse"
        ordering = ["goal", "-year"]
        constraints = [models.UniqueConstraint(fields=["goal", "year"], name="goal_assessment_once_a_year")]

    def __str__(self) -> str:
        return f"{self.goal} {self.year}: {self.get_outcome_display()}"


class IndicatorResult(models.Model):
    """One yearly result of an NNS indicator survey for an insats, entered by hand. The survey itself stays
    NNS's: Paragraf keeps only the published result (an index or a share) to show the trend."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="indicator_results", verbose_name="insats"
    )
    year = models.PositiveSmallIntegerField("år", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    indicator = models.CharField("indikator", max_length=200)
    value = models.DecimalField("resultat", max_digits=7, decimal_places=2)
    respondents = models.PositiveIntegerField("antal svar", null=True, blank=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "project__organisation"

    class Meta:
        verbose_name = "indikatorresultat"
        verbose_name_plural = "indikatorresultat"
        ordering = ["project", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "indicator", "year"], name="indicator_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class ProjectStaff(models.Model):
    """A deltagaransvarig assigned to an insats: they see and report only the insatser they are assigned to."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="staff", verbose_name="insats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_assignments", verbose_name="användare"
    )
    created_at = models.DateTimeField("tilldelad", auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "project__organisation"

    class Meta:
        verbose_name = "deltagaransvarig"
        verbose_name_plural = "deltagaransvariga"
        ordering = ["project", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="project_staff_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.project}"


# The participant register, inside the utförare only ---------------------------------------------------------
#
# docs/decisions/0019: pseudonymised records kept by the organisation that runs an insats
# (Project.executor_organisation), scoped to that organisation and never to the förbund that owns the insats.
# Only counts leave the register, through projects.crossing_services.register_report_submit.

DEFAULT_RETENTION_YEARS = 2
ANONYMOUS_FIELDS_MESSAGE = (
    "Utan samtycke sparas bara kön och startår. Ta bort övriga uppgifter eller registrera samtycket."
)


class RegisterParticipant(models.Model):
    """One participant of an insats, by pseudonym: no name, no personnummer. The utförare keeps the key from
    code to person in its own systems. Without samtycke only kön and startår are kept (an anonymous participant
    who still counts); the check constraint below refuses anything else."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="register_participants",
        verbose_name="utförare",
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="register_participants", verbose_name="insats"
    )
    code = models.CharField("deltagarkod", max_length=20, help_text="En pseudonym. Aldrig namn eller personnummer.")
    gender = models.CharField("kön", max_length=10, choices=Gender.choices)
    enrolment_year = models.PositiveSmallIntegerField(
        "startår", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    consent = models.BooleanField("samtycke", default=False)
    consent_on = models.DateField("samtycke lämnat", null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        "födelseår", null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    # Categories are the förbund's (the lists the report is counted in), so counts map to ReportCount keys.
    referrer = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="remittent"
    )
    education = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="högsta utbildningsnivå",
    )
    income_at_entry = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="försörjning vid inskrivning",
    )
    enrolled_on = models.DateField("inskrivningsdatum", null=True, blank=True)
    exited_on = models.DateField("avslutsdatum", null=True, blank=True)
    exit_reason = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="avslutsorsak"
    )
    income_at_exit = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="försörjning vid avslut",
    )
    activities = models.ManyToManyField(Category, blank=True, related_name="+", verbose_name="aktiviteter")
    created_at = models.DateTimeField("registrerad", auto_now_add=True)
    updated_at = models.DateTimeField("ändrad", auto_now=True)
    # Gallring removes these history rows too (register_gallring_services), or the data would survive there.
    history = HistoricalRecords(m2m_fields=[activities])
    # Not in the granskningslogg: its history is personal data, shown only in the registerutdrag (view-logged).
    audit_hidden = True

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "deltagare"
        verbose_name_plural = "deltagare"
        ordering = ["project", "code", "pk"]
        indexes = [
            models.Index(fields=["project", "enrolled_on"], name="register_project_enrolled"),
            models.Index(fields=["organisation", "exited_on"], name="register_org_exited"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="register_code_once"),
            models.CheckConstraint(
                condition=models.Q(consent=True)
                | models.Q(
                    birth_year__isnull=True,
                    referrer__isnull=True,
                    education__isnull=True,
                    income_at_entry__isnull=True,
                    enrolled_on__isnull=True,
                    exited_on__isnull=True,
                    exit_reason__isnull=True,
                    income_at_exit__isnull=True,
                    consent_on__isnull=True,
                ),
                name="register_anonymous_keeps_gender_and_year",
                violation_error_message=ANONYMOUS_FIELDS_MESSAGE,
            ),
            models.CheckConstraint(
                condition=models.Q(consent=False) | models.Q(consent_on__isnull=False, enrolled_on__isnull=False),
                name="register_consent_has_dates",
                violation_error_message="Med samtycke behövs datum för samtycket och inskrivningsdatum.",
            ),
            models.CheckConstraint(
                condition=models.Q(exited_on__isnull=True) | models.Q(exited_on__gte=models.F("enrolled_on")),
                name="register_exit_after_entry",
                violation_error_message="Avslutsdatum kan inte ligga före inskrivningsdatum.",
            ),
            models.CheckConstraint(
                condition=models.Q(exited_on__isnull=False)
                | models.Q(exit_reason__isnull=True, income_at_exit__isnull=True),
                name="register_exit_fields_need_exit",
                violation_error_message="Avslutsorsak och försörjning vid avslut anges först när deltagaren avslutas.",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_exited(self) -> bool:
        return self.exited_on is not None

    @property
    def status_label(self) -> str:
        if not self.consent:
            return "Anonym"
        return "Avslutad" if self.is_exited else "Aktiv"


class RegisterStaff(models.Model):
    """Who at the utförare keeps the register of an insats: a deltagaransvarig (or administratör) of the utförare
    organisation. Separate from ProjectStaff, which the förbund keeps for its own reports (ADR 0019)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="register_staff", verbose_name="utförare"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="register_staff", verbose_name="insats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="register_assignments",
        verbose_name="användare",
    )
    created_at = models.DateTimeField("tilldelad", auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "registeransvarig"
        verbose_name_plural = "registeransvariga"
        ordering = ["project", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "project", "user"], name="register_staff_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.project}"


class RegisterViewLog(models.Model):
    """Who saw which participant record when. Removed with the record at gallring."""

    class Action(models.TextChoices):
        VIEW = "view", "Visade uppgifterna"
        EXTRACT = "extract", "Hämtade registerutdrag"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="register_view_logs", verbose_name="utförare"
    )
    participant = models.ForeignKey(
        RegisterParticipant, on_delete=models.CASCADE, related_name="view_logs", verbose_name="deltagare"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="användare"
    )
    action = models.CharField("händelse", max_length=10, choices=Action.choices, default=Action.VIEW)
    viewed_at = models.DateTimeField("tidpunkt", auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "visning av deltagare"
        verbose_name_plural = "visningar av deltagare"
        ordering = ["participant", "-viewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.participant} {self.viewed_at:%Y-%m-%d %H:%M}"


class RegisterRetention(models.Model):
    """How long the organisation keeps a participant record after avslut, from its informationshanteringsplan.
    Without a row the default (DEFAULT_RETENTION_YEARS) applies."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="register_retention", verbose_name="organisation"
    )
    years = models.PositiveSmallIntegerField(
        "gallras år efter avslut",
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(1, "Ange minst 1 år."), MaxValueValidator(50, "Ange högst 50 år.")],
    )
    basis = models.CharField(
        "grund",
        max_length=300,
        blank=True,
        help_text="T.ex. informationshanteringsplanens beslut och paragraf.",
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "gallringsinställning"
        verbose_name_plural = "gallringsinställningar"
        constraints = [
            models.CheckConstraint(condition=models.Q(years__gte=1), name="register_retention_at_least_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.years} år"


class RegisterDisposal(models.Model):
    """One line of the gallringslogg: how many records of an insats were removed, when and by whom (or the
    nightly task). No personal data: no code, no dates of any participant."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="register_disposals", verbose_name="utförare"
    )
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="insats")
    project_name = models.CharField("insats (namn)", max_length=200)
    run_at = models.DateTimeField("gallrat", auto_now_add=True)
    exited_before = models.DateField("avslutade före")
    years = models.PositiveSmallIntegerField("år efter avslut")
    removed = models.PositiveIntegerField("antal gallrade")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="av"
    )
    automatic = models.BooleanField("automatisk", default=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "gallring"
        verbose_name_plural = "gallringslogg"
        ordering = ["-run_at", "project_name", "pk"]

    def __str__(self) -> str:
        return f"{self.project_name}: {self.removed} ({self.run_at:%Y-%m-%d})"


# Register rows from Excel (ADR 0020) ------------------------------------------------------------------------


def register_import_path(instance: RegisterImport, filename: str) -> str:
    # Under MEDIA_ROOT, never served: the file waits there for a background import and is deleted after it.
    import uuid

    from django.utils import timezone

    return f"register_imports/{instance.organisation_id}/{timezone.now():%Y}/{uuid.uuid4()}.xlsx"


from core.import_jobs import ImportJob  # noqa: E402  (appended section; the import stays with its model)


class RegisterImport(ImportJob):
    """One Excel file of register rows imported into the utförare's register of one insats: all or nothing,
    every problem kept with its row and column. Large files run as a background job (status and progress here).
    The row holds no participant data: only counts, the file name and the problems (which name rows, columns
    and at most a participant code)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="register_imports", verbose_name="utförare"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="register_imports", verbose_name="insats"
    )
    file = models.FileField("fil", upload_to=register_import_path, max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="register_imports",
        verbose_name="importerad av",
    )
    created_count = models.PositiveIntegerField("nya deltagare", default=0)
    updated_count = models.PositiveIntegerField("ändrade deltagare", default=0)
    history = HistoricalRecords(excluded_fields=["progress"])

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "registerimport"
        verbose_name_plural = "registerimporter"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def summary(self) -> str:
        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        return (
            f"{count(self.created_count, 'ny deltagare', 'nya deltagare')} och "
            f"{count(self.updated_count, 'ändrad deltagare', 'ändrade deltagare')} i registret."
        )


# Lägesrapporter and projektansökningar (issue 8 points 8 and 9) ---------------------------------------------

STATUS_REPORT_LOCKED_MESSAGE = (
    "Lägesrapporten är inlämnad och låst. Gör en rättelse (en ny version) om något behöver ändras."
)
APPLICATION_LOCKED_MESSAGE = "Ansökan är {status} och kan inte ändras."


class StatusReport(models.Model):
    """One version of a project's lägesrapport for a period, with the sections of seed 000 in its order.

    The repeated sections are lists kept on the row (JSON), so one history row holds the whole report as it was
    and a correction copies it whole: `area_summaries` [{code, heading, text}] per delområde/delprojekt,
    `activities` [{activity, result}], `cost_rows` [{cost_type, budget, outcome}] with amounts as decimal
    strings (read them through status_report_selectors.cost_rows, the one source of the figures).

    `revision` is the report's version number (a correction is revision + 1); `version` is the editor's version
    (core.versioning). A submitted report is locked; its archived PDF/A is `archived_job`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        SUBMITTED = "submitted", "Inlämnad"

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="status_reports", verbose_name="projekt"
    )
    period_start = models.DateField("perioden från")
    period_end = models.DateField("perioden till")
    revision = models.PositiveSmallIntegerField("version", default=1)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    correction_reason = models.TextField("skäl till rättelse", blank=True)
    version = models.PositiveIntegerField("redigeringsversion", default=1, editable=False)
    recipient = models.CharField("mottagare", max_length=200, blank=True, help_text="T.ex. Tillväxtverket.")
    case_reference = models.CharField("ärende-ID", max_length=60, blank=True)
    contact_name = models.CharField("kontaktperson", max_length=200, blank=True)
    contact_email = models.CharField("e-postadress", max_length=200, blank=True)
    contact_phone = models.CharField("telefonnummer", max_length=60, blank=True)
    area_summaries = models.JSONField("sammanfattning av läget", default=list, blank=True)
    activities = models.JSONField("periodens aktiviteter", default=list, blank=True)
    deviations = models.TextField("avvikelser och åtgärder", blank=True)
    work_process = models.TextField("arbetsprocessen", blank=True)
    economy_comment = models.TextField("ekonomiskt utfall, kommentar", blank=True)
    cost_rows = models.JSONField("utfall per kostnadsslag", default=list, blank=True)
    information = models.TextField("informationsinsatser", blank=True)
    other = models.TextField("övrigt", blank=True)
    signed_name = models.CharField("namnförtydligande", max_length=200, blank=True)
    signed_role = models.CharField("roll", max_length=200, blank=True)
    signed_place = models.CharField("ort", max_length=100, blank=True)
    signed_on = models.DateField("datum", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="skapad av"
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inlämnad av",
    )
    submitted_at = models.DateTimeField("inlämnad", null=True, blank=True)
    archived_job = models.ForeignKey(
        "reporting.RenderJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="arkiverad PDF",
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()
    organisation_path = "project__organisation"

    class Meta:
        verbose_name = "lägesrapport"
        verbose_name_plural = "lägesrapporter"
        ordering = ["project", "-period_start", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start", "period_end", "revision"], name="status_report_revision_once"
            ),
            models.UniqueConstraint(
                fields=["project", "period_start", "period_end"],
                condition=models.Q(status="draft"),
                name="status_report_one_draft_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="status_report_period_in_order"
            ),
            models.CheckConstraint(
                condition=models.Q(revision=1) | ~models.Q(correction_reason=""),
                name="status_report_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="status_report_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Lägesrapport {self.project} {self.period_label} (version {self.revision})"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def period_label(self) -> str:
        return f"{self.period_start.isoformat()} – {self.period_end.isoformat()}"


class ProjectApplication(models.Model):
    """A projektansökan with the contents of seeds 001 and 003. Approved, it becomes a Project (one service,
    application_services.application_approve) and is locked, as is a rejected one.

    Lists are kept on the row (JSON), like the lägesrapport's: `parties` [{name, role}], `goals` [{title, parent
    (index of a mål, or None), deadline, target_key, comparison, target_value, base_key}], `timeline` [{activity,
    description, period}], `budget_rows` [{year, cost_type, amount}], `signatures` [{name, role}].
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        SUBMITTED = "submitted", "Inlämnad"
        APPROVED = "approved", "Beviljad"
        REJECTED = "rejected", "Avslagen"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="project_applications", verbose_name="organisation"
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("redigeringsversion", default=1, editable=False)
    name = models.CharField("projektets namn", max_length=200)
    short_name = models.CharField("kortnamn", max_length=40, blank=True)
    kind = models.CharField("typ", max_length=20, choices=Project.Kind.choices, default=Project.Kind.FINSAM)
    orientation = models.CharField(
        "inriktning", max_length=20, choices=Project.Orientation.choices, default=Project.Orientation.INDIVIDUAL
    )
    applied_on = models.DateField("datum", null=True, blank=True)
    recipient = models.CharField("mottagare", max_length=200, blank=True, help_text="Den som ansökan ställs till.")
    applicant = models.CharField("sökande organisation", max_length=300)
    project_owner = models.CharField("projektägare", max_length=300, blank=True)
    project_leader = models.CharField("projektledare", max_length=300, blank=True)
    starts_on = models.DateField("projektstart", null=True, blank=True)
    ends_on = models.DateField("projektslut", null=True, blank=True)
    parties = models.JSONField("parter", default=list, blank=True)
    stakeholders = models.TextField("intressenter", blank=True)
    steering_group = models.TextField("styrgrupp", blank=True)
    background = models.TextField("bakgrund", blank=True)
    purpose = models.TextField("syfte", blank=True)
    target_group = models.TextField("målgrupp", blank=True)
    goals = models.JSONField("mål och delmål", default=list, blank=True)
    organisation_text = models.TextField("organisation", blank=True)
    activity_plan = models.TextField("tids- och aktivitetsplan", blank=True)
    timeline = models.JSONField("tidplan", default=list, blank=True)
    budget_rows = models.JSONField("budget per år", default=list, blank=True)
    budget_comment = models.TextField("budget, kommentar", blank=True)
    follow_up = models.TextField("uppföljning", blank=True)
    evaluation = models.TextField("utvärdering", blank=True)
    future = models.TextField("projektets framtid efter avslut", blank=True)
    signatures = models.JSONField("underskrifter", default=list, blank=True)
    signed_place = models.CharField("ort", max_length=100, blank=True)
    signed_on = models.DateField("underskriftsdatum", null=True, blank=True)
    decided_on = models.DateField("beslutsdatum", null=True, blank=True)
    decision_note = models.TextField("beslut, kommentar", blank=True)
    project = models.OneToOneField(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name="projekt",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="skapad av"
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    submitted_at = models.DateTimeField("inlämnad", null=True, blank=True)
    archived_job = models.ForeignKey(
        "reporting.RenderJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="arkiverad PDF",
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "projektansökan"
        verbose_name_plural = "projektansökningar"
        ordering = ["organisation", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(project__isnull=False),
                name="application_approved_has_project",
            ),
        ]

    def __str__(self) -> str:
        return f"Projektansökan {self.name}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT
