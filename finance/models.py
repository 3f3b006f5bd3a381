"""Fiscal years, the kontoplan, dimensions and the imported ledger (utfall).

Money is Decimal (15 digits, 2 places). Every row belongs to one organisation, directly or through its fiscal
year. The kontoplan, dimensions, fiscal years and imports keep simple-history; the imported rows themselves
(verifikationer, transaktioner, saldon) do not: they are never edited, only imported with their LedgerImport,
whose history says who imported which file (by SHA-256) and when (docs/decisions/0015-sie-import.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import Organisation
from core.tenancy import OrganisationScopedQuerySet

MONEY = {"max_digits": 15, "decimal_places": 2}


class FiscalYear(models.Model):
    """Räkenskapsår. Usually the calendar year; a broken year is allowed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="fiscal_years", verbose_name="organisation"
    )
    start = models.DateField("första dag")
    end = models.DateField("sista dag")
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "räkenskapsår"
        verbose_name_plural = "räkenskapsår"
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "start"], name="fiscal_year_unique_start"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="fiscal_year_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}/{self.end.year}"

    def contains(self, day) -> bool:
        return self.start <= day <= self.end


class AccountKind(models.TextChoices):
    INCOME = "income", "Intäkt"
    EXPENSE = "expense", "Kostnad"
    ASSET = "asset", "Tillgång"
    LIABILITY = "liability", "Skuld"
    EQUITY = "equity", "Eget kapital"


BALANCE_KINDS = (AccountKind.ASSET, AccountKind.LIABILITY, AccountKind.EQUITY)


class AccountGroup(models.Model):
    """A kontoklass or kontogrupp heading: 50 LÖNER ARBETAD TID, 3 Verksamhetens intäkter."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="account_groups", verbose_name="organisation"
    )
    code = models.CharField("kod", max_length=10)
    name = models.CharField("namn", max_length=200)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kontogrupp"
        verbose_name_plural = "kontogrupper"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="account_group_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Account(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="accounts", verbose_name="organisation"
    )
    code = models.CharField("kontonummer", max_length=20)
    name = models.CharField("kontonamn", max_length=200)
    kind = models.CharField("kontotyp", max_length=10, choices=AccountKind.choices)
    group = models.ForeignKey(
        AccountGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="kontogrupp",
    )
    active = models.BooleanField("aktivt", default=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "konto"
        verbose_name_plural = "konton"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="account_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_balance_account(self) -> bool:
        return self.kind in BALANCE_KINDS


class Dimension(models.Model):
    """A way to split the ledger: ansvar, verksamhet, projekt (SIE #DIM)."""

    class Kind(models.TextChoices):
        RESPONSIBILITY = "responsibility", "Ansvar"
        ACTIVITY = "activity", "Verksamhet"
        PROJECT = "project", "Projekt"
        OTHER = "other", "Annan"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dimensions", verbose_name="organisation"
    )
    kind = models.CharField("slag", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    name = models.CharField("namn", max_length=100)
    sie_number = models.PositiveSmallIntegerField(
        "dimensionsnummer i SIE", help_text="1 är kostnadsställe/ansvar och 6 projekt i SIE-standarden."
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "dimension"
        verbose_name_plural = "dimensioner"
        ordering = ["sie_number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sie_number"], name="dimension_unique_sie_number")
        ]

    def __str__(self) -> str:
        return self.name


class DimensionObject(models.Model):
    """One value of a dimension: ansvar 10 Kansli, projekt AMT Arbetsmarknadstorget (SIE #OBJEKT)."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items", verbose_name="dimension")
    code = models.CharField("kod", max_length=40)
    name = models.CharField("namn", max_length=200, blank=True)
    history = HistoricalRecords()

    organisation_path = "dimension__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "objekt"
        verbose_name_plural = "objekt"
        ordering = ["dimension__sie_number", "code"]
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="dimension_object_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


def ledger_import_path(instance: LedgerImport, filename: str) -> str:
    # Under MEDIA_ROOT, never served: the file waits there for a background import.
    return f"ledger_imports/{instance.organisation_id}/{timezone.now():%Y}/{uuid.uuid4()}.se"


class LedgerImport(models.Model):
    """One imported file (SIE, later Excel/CSV): what it was, who imported it, and what came of it.

    The file's SHA-256 is unique per organisation among imports that were neither refused nor taken back, so the
    same file can never be imported twice (the constraint holds also when two uploads race). A later export of the
    same year may replace an import (its rows go, the row stays as "Ersatt"); an import may be taken back
    ("Borttagen"), after which the same file may be imported again.
    """

    class Source(models.TextChoices):
        SIE = "sie", "SIE"
        EXCEL = "excel", "Excel"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        QUEUED = "queued", "Köad"
        RUNNING = "running", "Pågår"
        DONE = "done", "Importerad"
        FAILED = "failed", "Avvisad"
        REPLACED = "replaced", "Ersatt"
        WITHDRAWN = "withdrawn", "Borttagen"

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ledger_imports", verbose_name="organisation"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_imports",
        verbose_name="räkenskapsår",
    )
    source = models.CharField("källa", max_length=10, choices=Source.choices, default=Source.SIE)
    filename = models.CharField("filnamn", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("storlek (byte)", default=0)
    file = models.FileField("fil", upload_to=ledger_import_path, max_length=255, blank=True)
    encoding = models.CharField("teckenkodning", max_length=40, blank=True)
    sie_type = models.CharField("SIE-typ", max_length=4, blank=True)
    program = models.CharField("program", max_length=200, blank=True)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("förlopp (%)", default=0)
    errors = models.JSONField("fel", default=list, blank=True)
    warnings = models.JSONField("upplysningar", default=list, blank=True)
    mapping = models.JSONField(
        "kolumner", default=dict, blank=True, help_text="Excel och CSV: vilken kolumn som gav vilket fält."
    )
    voucher_count = models.PositiveIntegerField("verifikationer", default=0)
    entry_count = models.PositiveIntegerField("transaktioner", default=0)
    account_count = models.PositiveIntegerField("nya konton", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="ledger_imports",
        verbose_name="importerad av",
    )
    created_at = models.DateTimeField("uppladdad", default=timezone.now)
    finished_at = models.DateTimeField("klar", null=True, blank=True)
    replace_previous = models.BooleanField(
        "ersätter tidigare import", default=False, help_text="Ersätter räkenskapsårets tidigare importerade bokföring."
    )
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced", verbose_name="ersatt av"
    )
    history = HistoricalRecords(excluded_fields=["progress"])

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "import av bokföring"
        verbose_name_plural = "importer av bokföring"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sha256"],
                condition=~models.Q(status__in=["failed", "withdrawn"]),
                name="ledger_import_file_once",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100), name="ledger_import_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display().lower()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def encoding_label(self) -> str:
        from .sie import ENCODING_LABELS

        return ENCODING_LABELS.get(self.encoding, self.encoding)


class ColumnMapping(models.Model):
    """Which column of an organisation's Excel or CSV ledger export holds which field, saved for the next file."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="ledger_column_mapping", verbose_name="organisation"
    )
    columns = models.JSONField("kolumner", default=dict, blank=True)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kolumnmappning"
        verbose_name_plural = "kolumnmappningar"

    def __str__(self) -> str:
        return f"Kolumner för import, {self.organisation}"


class Voucher(models.Model):
    """Verifikation: one booking event with its transaktioner, which together sum to zero."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vouchers", verbose_name="organisation"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="vouchers", verbose_name="räkenskapsår"
    )
    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="vouchers", verbose_name="import"
    )
    series = models.CharField("serie", max_length=20, blank=True)
    number = models.CharField("verifikationsnummer", max_length=40, blank=True)
    date = models.DateField("verifikationsdatum")
    text = models.CharField("text", max_length=500, blank=True)
    registered_on = models.DateField("registreringsdatum", null=True, blank=True)
    source_line = models.PositiveIntegerField("rad i filen", default=0)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "verifikation"
        verbose_name_plural = "verifikationer"
        ordering = ["date", "series", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "series", "number"],
                condition=~models.Q(number=""),
                name="voucher_unique_number",
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "date"], name="voucher_year_date_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.series} {self.number}".strip() or f"rad {self.source_line}"


class LedgerEntry(models.Model):
    """Transaktion: an amount on an account (debet positive, kredit negative), with its dimension objects."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ledger_entries", verbose_name="organisation"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="ledger_entries", verbose_name="räkenskapsår"
    )
    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="entries", verbose_name="import"
    )
    voucher = models.ForeignKey(
        Voucher, on_delete=models.CASCADE, null=True, blank=True, related_name="entries", verbose_name="verifikation"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", verbose_name="konto")
    amount = models.DecimalField("belopp", **MONEY)
    date = models.DateField("datum")
    text = models.CharField("text", max_length=500, blank=True)
    quantity = models.DecimalField("kvantitet", max_digits=15, decimal_places=4, null=True, blank=True)
    added_afterwards = models.BooleanField(
        "tillagd i efterhand", default=False, help_text="#RTRANS: raden lades till efter att verifikationen skapats."
    )
    dimension_objects = models.ManyToManyField(
        DimensionObject, related_name="entries", blank=True, verbose_name="objekt"
    )
    source_line = models.PositiveIntegerField("rad i filen", default=0)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "transaktion"
        verbose_name_plural = "transaktioner"
        ordering = ["date", "voucher_id", "pk"]
        indexes = [models.Index(fields=["fiscal_year", "account", "date"], name="entry_year_account_idx")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.account.code} {self.amount}"


class AccountBalance(models.Model):
    """Ingående balans, utgående balans or årets resultat of one account in one fiscal year (SIE #IB/#UB/#RES)."""

    class Kind(models.TextChoices):
        OPENING = "opening", "Ingående balans"
        CLOSING = "closing", "Utgående balans"
        RESULT = "result", "Årets resultat"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="account_balances", verbose_name="organisation"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="balances", verbose_name="räkenskapsår"
    )
    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="balances", verbose_name="import"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="balances", verbose_name="konto")
    kind = models.CharField("slag", max_length=10, choices=Kind.choices)
    amount = models.DecimalField("saldo", **MONEY)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "saldo"
        verbose_name_plural = "saldon"
        ordering = ["fiscal_year", "account__code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "account", "kind"], name="account_balance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.account.code} {self.fiscal_year}: {self.amount}"


class PeriodBalance(models.Model):
    """Periodsaldo (SIE #PSALDO): the month's movement on an account, in total or for one dimension object."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="period_balances", verbose_name="organisation"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="period_balances", verbose_name="räkenskapsår"
    )
    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="period_balances", verbose_name="import"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="period_balances", verbose_name="konto")
    period = models.DateField("period", help_text="Månadens första dag.")
    dimension_object = models.ForeignKey(
        DimensionObject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="period_balances",
        verbose_name="objekt",
    )
    amount = models.DecimalField("saldo", **MONEY)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "periodsaldo"
        verbose_name_plural = "periodsaldon"
        ordering = ["fiscal_year", "account__code", "period"]

    def __str__(self) -> str:
        return f"{self.account.code} {self.period:%Y-%m}: {self.amount}"


# Medlemsbidrag and eget kapital (issue 9, points 5 and 6) -------------------------------------------------------


class ContributionAllocation(models.Model):
    """The year's tilldelade medel of a samordningsförbund, split between its members (finance/contributions.py)."""

    class Unit(models.IntegerChoices):
        KRONA = 1, "Hela kronor"
        THOUSAND = 1000, "Hela tusental kronor"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contribution_allocations", verbose_name="organisation"
    )
    fiscal_year = models.OneToOneField(
        FiscalYear, on_delete=models.CASCADE, related_name="contribution_allocation", verbose_name="räkenskapsår"
    )
    total = models.DecimalField("tilldelade medel totalt", **MONEY)
    rounding_unit = models.PositiveIntegerField("avrundning", choices=Unit.choices, default=Unit.KRONA)
    state_name = models.CharField("statens del betalas av", max_length=200, default="Staten genom Försäkringskassan")
    region_name = models.CharField("regionen", max_length=200, default="Regionen")
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "medlemsbidrag"
        verbose_name_plural = "medlemsbidrag"
        ordering = ["-fiscal_year__start"]

    def __str__(self) -> str:
        return f"Medlemsbidrag {self.fiscal_year}"


class ContributionMunicipality(models.Model):
    """One kommun's share of the kommuner's quarter (e.g. its people of working age)."""

    allocation = models.ForeignKey(
        ContributionAllocation, on_delete=models.CASCADE, related_name="municipalities", verbose_name="medlemsbidrag"
    )
    name = models.CharField("kommun", max_length=200)
    share = models.DecimalField("andel", max_digits=14, decimal_places=4)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    history = HistoricalRecords()

    organisation_path = "allocation__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kommunens andel"
        verbose_name_plural = "kommunernas andelar"
        ordering = ["allocation", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.share})"


class EquityYear(models.Model):
    """Eget kapital of one fiscal year, typed where the ledger is not in Paragraf (finance/equity_selectors.py)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="equity_years", verbose_name="organisation"
    )
    fiscal_year = models.OneToOneField(
        FiscalYear, on_delete=models.CASCADE, related_name="equity", verbose_name="räkenskapsår"
    )
    opening = models.DecimalField(
        "eget kapital vid årets ingång",
        null=True,
        blank=True,
        help_text="Lämna tomt för att ta föregående års utgående eget kapital eller den importerade ingående balansen.",
        **MONEY,
    )
    result = models.DecimalField(
        "årets resultat",
        null=True,
        blank=True,
        help_text="Används bara när räkenskapsårets bokföring inte är importerad.",
        **MONEY,
    )
    forecast_result = models.DecimalField(
        "prognos för årets resultat", null=True, blank=True, help_text="Prognos vid årets slut.", **MONEY
    )
    allocated = models.DecimalField(
        "tilldelade medel",
        null=True,
        blank=True,
        help_text="Lämna tomt för att ta årets medlemsbidrag totalt.",
        **MONEY,
    )
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "eget kapital"
        verbose_name_plural = "eget kapital"
        ordering = ["-fiscal_year__start"]

    def __str__(self) -> str:
        return f"Eget kapital {self.fiscal_year}"


class EquityLimitStep(models.Model):
    """One step of the recommended maximum eget kapital: up to upper_bound tilldelade medel, at most max_share %."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="equity_limit_steps", verbose_name="organisation"
    )
    upper_bound = models.DecimalField(
        "tilldelade medel upp till", null=True, blank=True, help_text="Tomt: och däröver.", **MONEY
    )
    max_share = models.DecimalField("högst andel (%)", max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "steg för rekommenderat eget kapital"
        verbose_name_plural = "steg för rekommenderat eget kapital"
        ordering = ["organisation", models.F("upper_bound").asc(nulls_last=True)]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_share__gte=0, max_share__lte=100), name="equity_limit_share_0_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.upper_bound or 'däröver'}: {self.max_share} %"


# Budget (issue 9, point 3) ----------------------------------------------------------------------------------


class Budget(models.Model):
    """One version of a fiscal year's budget: the ursprunglig (number 1) and any reviderad ones (2, 3, …).

    Amounts follow the ledger's sign (intäkter negative, kostnader positive) so budget and utfall compare directly.
    A fastställd budget is locked: every write in finance.budget_services refuses it.
    """

    class Kind(models.TextChoices):
        ORIGINAL = "original", "Ursprunglig"
        REVISED = "revised", "Reviderad"

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        ADOPTED = "adopted", "Fastställd"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="budgets", verbose_name="organisation"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="budgets", verbose_name="räkenskapsår"
    )
    kind = models.CharField("version", max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    number = models.PositiveSmallIntegerField("versionsnummer", default=1)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField("fastställd den", null=True, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions", verbose_name="kopia av"
    )
    created_at = models.DateTimeField("skapad", default=timezone.now)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "budget"
        verbose_name_plural = "budgetar"
        ordering = ["-fiscal_year__start", "number"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "number"], name="budget_unique_version")]

    def __str__(self) -> str:
        return f"Budget {self.fiscal_year.label}, {self.version_label}"

    @property
    def version_label(self) -> str:
        if self.kind == self.Kind.ORIGINAL:
            return "ursprunglig"
        return f"reviderad {self.number - 1}" if self.number > 2 else "reviderad"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.ADOPTED


class BudgetLine(models.Model):
    """The annual amount of one account (and optionally one dimension object) with its twelve months."""

    class Distribution(models.TextChoices):
        EVEN = "even", "Jämnt över månaderna"
        PATTERN = "pattern", "Som förra årets utfall"
        CUSTOM = "custom", "Egen fördelning"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines", verbose_name="budget")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="budget_lines", verbose_name="konto")
    dimension_object = models.ForeignKey(
        DimensionObject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name="objekt",
    )
    amount = models.DecimalField("årsbelopp", **MONEY)
    distribution = models.CharField(
        "fördelning", max_length=10, choices=Distribution.choices, default=Distribution.EVEN
    )
    history = HistoricalRecords()

    organisation_path = "budget__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "budgetrad"
        verbose_name_plural = "budgetrader"
        ordering = ["account__code", "dimension_object__code", "pk"]

    def __str__(self) -> str:
        return f"{self.account.code} {self.dimension_object or ''}".strip()


class BudgetMonth(models.Model):
    """One month's share of a budget line; month 1 is the fiscal year's first month. The twelve sum to the line."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="months", verbose_name="budgetrad")
    month = models.PositiveSmallIntegerField("månad")
    amount = models.DecimalField("belopp", **MONEY)
    history = HistoricalRecords()

    organisation_path = "line__budget__organisation"
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "budgetmånad"
        verbose_name_plural = "budgetmånader"
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="budget_month_unique"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="budget_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.line} månad {self.month}: {self.amount}"


# Year-end statements (issue 9, point 7) ---------------------------------------------------------------------


class StatementLine(models.Model):
    """One line of a year-end statement or note, and where its figure comes from (finance/statement_selectors.py).

    An account line sums the accounts in its ranges ("3000-3899, 3990"); a total sums other lines by key (a leading
    minus subtracts); a change line is how much other lines moved since the previous year; a previous line is their
    previous-year figure. `sign` turns the ledger's sign (debet positive) into the one printed: −1 shows intäkter,
    eget kapital and skulder positive. A note line belongs to note `note_number` and sums with the other lines of
    that note to the statement line named in `explains`.
    """

    class Statement(models.TextChoices):
        OPERATING = "operating", "Driftsredovisning"
        INCOME = "income", "Resultaträkning"
        BALANCE = "balance", "Balansräkning"
        CASH_FLOW = "cash_flow", "Kassaflödesanalys"
        NOTE = "note", "Noter"
        BUDGET = "budget", "Sammanställning av budget och utfall"

    class Source(models.TextChoices):
        HEADING = "heading", "Rubrik (inget belopp)"
        MOVEMENT = "movement", "Kontonas rörelse under året"
        CLOSING = "closing", "Kontonas utgående balans"
        OPENING = "opening", "Kontonas ingående balans"
        TOTAL = "total", "Summa av andra rader"
        CHANGE = "change", "Förändring sedan föregående år"
        PREVIOUS = "previous", "Föregående års belopp"
        TYPED = "typed", "Bara inskrivet belopp (annars 0)"

    class Role(models.TextChoices):
        NONE = "", "–"
        RESULT = "result", "Årets resultat"
        CONTRIBUTIONS = "contributions", "Intäkter som medlemsbidragen förklarar"
        CASH = "cash", "Kassa och bank"
        ASSETS_TOTAL = "assets_total", "Summa tillgångar"
        EQUITY_OPENING = "equity_opening", "Eget kapital vid årets ingång"
        EQUITY_RESULT = "equity_result", "Eget kapital: årets resultat"
        EQUITY_TOTAL = "equity_total", "Summa eget kapital (utgående)"
        EQUITY_LIABILITIES_TOTAL = "equity_liabilities_total", "Summa eget kapital, avsättningar och skulder"
        CASH_FLOW_END = "cash_flow_end", "Likvida medel vid årets slut"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="statement_lines", verbose_name="organisation"
    )
    statement = models.CharField("uppställning", max_length=12, choices=Statement.choices)
    key = models.SlugField("nyckel", max_length=40, help_text="Används när andra rader summerar eller hänvisar hit.")
    label = models.CharField("text", max_length=200)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    source = models.CharField("belopp från", max_length=10, choices=Source.choices, default=Source.MOVEMENT)
    accounts = models.CharField(
        "konton", max_length=300, blank=True, help_text="Kontonummer och intervall, t.ex. 3000-3899, 3990."
    )
    refs = models.CharField(
        "rader", max_length=300, blank=True, help_text="Nycklar till andra rader, t.ex. rr_intakter -rr_kostnader."
    )
    sign = models.SmallIntegerField("tecken", choices=[(1, "Som i bokföringen"), (-1, "Omvänt")], default=1)
    note_number = models.PositiveSmallIntegerField("not", null=True, blank=True)
    explains = models.SlugField(
        "noten förklarar raden", max_length=40, blank=True, help_text="Nyckeln till raden i uppställningen."
    )
    role = models.CharField("roll i kontrollerna", max_length=30, choices=Role.choices, blank=True, default="")
    emphasis = models.BooleanField("fetstil", default=False)
    hide_if_zero = models.BooleanField("visa inte när beloppet är noll båda åren", default=False)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "rad i bokslutet"
        verbose_name_plural = "rader i bokslutet"
        ordering = ["statement", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="statement_line_unique_key")]

    def __str__(self) -> str:
        return f"{self.get_statement_display()}: {self.label}"


class StatementFigure(models.Model):
    """A figure typed in for a year whose ledger is not in Paragraf (as from the previous årsredovisning)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="statement_figures", verbose_name="organisation"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="statement_figures", verbose_name="räkenskapsår"
    )
    line = models.ForeignKey(StatementLine, on_delete=models.CASCADE, related_name="figures", verbose_name="rad")
    amount = models.DecimalField("belopp", **MONEY)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "inskrivet belopp"
        verbose_name_plural = "inskrivna belopp"
        ordering = ["fiscal_year", "line"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "line"], name="statement_figure_unique")]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.line.key}: {self.amount}"


# Årsredovisning (issue 9, point 8) ------------------------------------------------------------------------------


def annual_report_file_path(instance: AnnualReport, filename: str) -> str:
    # Under MEDIA_ROOT, never served directly: finance.annual_report_views hands the files out.
    return f"annual_reports/{instance.organisation_id}/{uuid.uuid4()}.xlsx"


class AnnualReport(models.Model):
    """The årsredovisning of one fiscal year: the förvaltningsberättelse's texts as written, and nothing computed.

    Figures inside the texts are placeholders ({{ årets_resultat }}) filled from the data when the page or the PDF
    is made (finance.annual_report_figures); the statements come from the ledger. A finalised årsredovisning is
    locked: every write in finance.annual_report_services refuses it, and finance.locks.year_locked makes the
    fiscal year's imports, budget and typed figures refuse as well (docs/decisions/0025-annual-report-lock.md).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Utkast"
        FINAL = "final", "Fastställd"

    class Basis(models.TextChoices):
        CASH = "cash", "Kontantmetoden"
        ACCRUAL = "accrual", "Bokföringsmässiga grunder"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="annual_reports", verbose_name="organisation"
    )
    fiscal_year = models.OneToOneField(
        FiscalYear, on_delete=models.PROTECT, related_name="annual_report", verbose_name="räkenskapsår"
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    decided_on = models.DateField("beslutad av styrelsen", null=True, blank=True)
    chair_foreword = models.TextField("Ordförande har ordet", blank=True)
    introduction = models.TextField("1. Förvaltningsberättelse (inledning)", blank=True)
    summary = models.TextField("1.1 Sammanfattning av verksamhetsåret", blank=True)
    about = models.TextField("1.2 Om förbundet", blank=True)
    operations = models.TextField("1.3 Beskrivning av verksamheten", blank=True)
    goals = models.TextField("1.4 Måluppfyllelse och resultat", blank=True)
    board_work = models.TextField("1.5 Styrelsens arbete under året", blank=True)
    accounting_basis = models.CharField("redovisningsprincip", max_length=10, choices=Basis.choices, default=Basis.CASH)
    principles = models.TextField("6. Redovisningsprinciper", blank=True)
    signatories = models.TextField(
        "styrelsens ledamöter (inskrivna)",
        blank=True,
        help_text="En per rad: namn, roll. Används bara när styrelsens ledamöter inte finns i Paragraf.",
    )
    finalised_at = models.DateTimeField("fastställd", null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="fastställd av",
    )
    archived_job = models.ForeignKey(
        "reporting.RenderJob",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="arkiverad PDF",
    )
    ledger_extract = models.FileField(
        "huvudboksutdrag (Excel)", upload_to=annual_report_file_path, max_length=255, blank=True
    )
    ledger_extract_sha256 = models.CharField("SHA-256 för huvudboksutdraget", max_length=64, blank=True)
    version = models.PositiveIntegerField("version", default=1, editable=False)
    history = HistoricalRecords()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "årsredovisning"
        verbose_name_plural = "årsredovisningar"
        ordering = ["-fiscal_year__start"]
        constraints = [
            # A finalised årsredovisning always says when; a draft never claims to be finalised.
            models.CheckConstraint(
                condition=(models.Q(status="final") & models.Q(finalised_at__isnull=False))
                | (models.Q(status="draft") & models.Q(finalised_at__isnull=True)),
                name="annual_report_final_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Årsredovisning {self.fiscal_year.label}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL
