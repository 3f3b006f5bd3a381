"""Uppföljning: utfall against budget (or last year) for any month range of a fiscal year, rolled up account →
kontoklass → total and verksamhet → total, with the prognos helår (docs/decisions/0023-uppfoljning-och-prognos.md).

Signs are the ledger's, as seeds 000 and 004 print them: kostnader positive, intäkter negative, so a verksamhet's
figure is its nettokostnad. Avvikelse is budget − utfall (and årsbudget − prognos): positive is better than the
budget, negative worse, whatever the kind of account.

The database sums: one grouped query per year for the utfall (account × verksamhet × month), one for the budget
months. What comes back is at most accounts × objects × 12 rows however many ledger rows there are, so the page
costs the same number of queries for a thousand rows as for a hundred thousand. Python only adds those up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, FilteredRelation, Q, QuerySet, Sum

from core.formatting import MONTHS as MONTHS_SV
from core.models import Organisation

from .models import (
    Account,
    AccountGroup,
    AccountKind,
    Budget,
    BudgetMonth,
    Dimension,
    DimensionObject,
    FiscalYear,
    FollowupSettings,
    ForecastEntry,
    LedgerEntry,
)

ZERO = Decimal(0)
MONTHS = 12
RESULT_KINDS = (AccountKind.INCOME, AccountKind.EXPENSE)
MONTH_NAMES = MONTHS_SV  # the Swedish month names, from core.formatting
DEFAULT_PERCENT = Decimal(5)
DEFAULT_AMOUNT = Decimal(100000)


# Months of a fiscal year --------------------------------------------------------------------------------------


def month_start(fiscal_year: FiscalYear, month: int) -> dt.date:
    """The first day of the fiscal year's month 1–12 (a broken year starts in another month than January)."""
    index = fiscal_year.start.month - 1 + month - 1
    return dt.date(fiscal_year.start.year + index // 12, index % 12 + 1, 1)


def month_end(fiscal_year: FiscalYear, month: int) -> dt.date:
    if month >= MONTHS:
        return fiscal_year.end
    return month_start(fiscal_year, month + 1) - dt.timedelta(days=1)


def month_index(fiscal_year: FiscalYear, day: dt.date) -> int:
    return (day.year - fiscal_year.start.year) * 12 + day.month - fiscal_year.start.month + 1


def month_label(fiscal_year: FiscalYear, month: int) -> str:
    """ "maj 2022" for the fiscal year's month."""
    start = month_start(fiscal_year, month)
    return f"{MONTH_NAMES[start.month - 1]} {start.year}"


def short_month(fiscal_year: FiscalYear, month: int) -> str:
    return MONTH_NAMES[month_start(fiscal_year, month).month - 1][:3]


def period_label(fiscal_year: FiscalYear, first: int, last: int) -> str:
    """ "jan–maj" (or "maj" for one month), as the seed's "Budget jan-maj"."""
    if first == last:
        return short_month(fiscal_year, first)
    return f"{short_month(fiscal_year, first)}–{short_month(fiscal_year, last)}"


# Figures ------------------------------------------------------------------------------------------------------


def _months() -> list[Decimal]:
    return [ZERO] * MONTHS


@dataclass
class Figures:
    """One row's twelve months of utfall, budget and last year's utfall; the period is [first, last]."""

    first: int
    last: int
    actual_months: list[Decimal] = field(default_factory=_months)
    budget_months: list[Decimal] = field(default_factory=_months)
    last_year_months: list[Decimal] = field(default_factory=_months)
    forecast_override: Decimal | None = None
    forecast_adjustment: Decimal = ZERO

    def add(self, other: Figures) -> None:
        self.actual_months = [a + b for a, b in zip(self.actual_months, other.actual_months, strict=True)]
        self.budget_months = [a + b for a, b in zip(self.budget_months, other.budget_months, strict=True)]
        self.last_year_months = [a + b for a, b in zip(self.last_year_months, other.last_year_months, strict=True)]
        if other.forecast_override is not None or other.forecast_adjustment:
            self.forecast_adjustment += other.forecast - other.default_forecast

    def _period(self, months: list[Decimal]) -> Decimal:
        return sum(months[self.first - 1 : self.last], ZERO)

    @property
    def actual(self) -> Decimal:
        """Utfall in the period."""
        return self._period(self.actual_months)

    @property
    def budget(self) -> Decimal:
        """Periodbudget."""
        return self._period(self.budget_months)

    @property
    def deviation(self) -> Decimal:
        """Avvikelse against the periodbudget: positive is better than budget."""
        return self.budget - self.actual

    @property
    def last_year(self) -> Decimal:
        """Last year's utfall in the same months."""
        return self._period(self.last_year_months)

    @property
    def change(self) -> Decimal:
        """Against last year: positive is a lower nettokostnad than last year."""
        return self.last_year - self.actual

    @property
    def annual_budget(self) -> Decimal:
        return sum(self.budget_months, ZERO)

    @property
    def usage(self) -> Decimal | None:
        """Förbrukning: utfall as a percentage of the årsbudget (None when there is no årsbudget)."""
        if not self.annual_budget:
            return None
        return (self.actual / self.annual_budget * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def actual_to_date(self) -> Decimal:
        return sum(self.actual_months[: self.last], ZERO)

    @property
    def default_forecast(self) -> Decimal:
        """Utfall so far plus the budget of the months still to come."""
        return self.actual_to_date + sum(self.budget_months[self.last :], ZERO)

    @property
    def forecast(self) -> Decimal:
        """Prognos helår: the entered one where there is one, else the default (plus any entered below it)."""
        if self.forecast_override is not None:
            return self.forecast_override
        return self.default_forecast + self.forecast_adjustment

    @property
    def forecast_deviation(self) -> Decimal:
        """Avvikelse helår: årsbudget − prognos."""
        return self.annual_budget - self.forecast

    @property
    def forecast_deviation_percent(self) -> Decimal | None:
        if not self.annual_budget:
            return None
        return (self.forecast_deviation / abs(self.annual_budget) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def month_rows(self) -> list[tuple[int, Decimal, Decimal, Decimal]]:
        """(month, utfall, budget, last year) for each month of the year."""
        return [(i + 1, self.actual_months[i], self.budget_months[i], self.last_year_months[i]) for i in range(MONTHS)]


@dataclass
class Row:
    """A line of the uppföljning: an account, a kontoklass, a verksamhet or the total."""

    code: str
    name: str
    figures: Figures
    kind: str  # "account", "group", "object", "none", "total"
    pk: int | None = None
    children: list[Row] = field(default_factory=list)
    entry: ForecastEntry | None = None
    large_deviation: bool = False
    drill: str = ""  # the query string of the ledger rows behind it, set by the page for those who may see them

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def unit_key(self) -> str:
        """How the prognos form names this verksamhet or kontoklass."""
        if self.kind == "object":
            return f"objekt:{self.pk}"
        if self.kind == "group" and self.pk is not None:
            return f"grupp:{self.pk}"
        return "ovrigt"

    @property
    def needs_comment(self) -> bool:
        """A large deviation without a comment: the page lists it until the ekonom explains it."""
        return self.large_deviation and self.entry is None

    @property
    def is_overridden(self) -> bool:
        return self.entry is not None and self.entry.amount != self.figures.default_forecast


@dataclass
class Followup:
    organisation: Organisation
    fiscal_year: FiscalYear
    first: int
    last: int
    budget: Budget | None
    previous_year: FiscalYear | None
    dimension: Dimension | None
    units: list[Row]
    groups: list[Row]
    total: Row
    percent_threshold: Decimal
    amount_threshold: Decimal
    only_object: DimensionObject | None = None

    @property
    def period_label(self) -> str:
        return period_label(self.fiscal_year, self.first, self.last)

    @property
    def month_label(self) -> str:
        return month_label(self.fiscal_year, self.last)

    @property
    def unit_label(self) -> str:
        return self.dimension.name if self.dimension else "Kontoklass"

    @property
    def needing_comment(self) -> list[Row]:
        return [row for row in self.units if row.needs_comment]

    @property
    def month_names(self) -> list[str]:
        return [short_month(self.fiscal_year, m) for m in range(1, MONTHS + 1)]

    @property
    def accumulated(self) -> bool:
        return self.first == 1


# Choices ------------------------------------------------------------------------------------------------------


def followup_dimension(*, organisation: Organisation) -> Dimension | None:
    """The dimension the uppföljning is made per: verksamhet, else projekt (the samordningsförbund's insatser)."""
    dimensions = list(Dimension.objects.for_organisation(organisation).filter(kind__in=["activity", "project"]))
    for kind in ("activity", "project"):
        for dimension in sorted(dimensions, key=lambda d: d.sie_number):
            if dimension.kind == kind:
                return dimension
    return None


def followup_budget(*, fiscal_year: FiscalYear) -> Budget | None:
    """The budget followed up: the latest fastställd version, else the latest version."""
    budgets = list(Budget.objects.filter(fiscal_year=fiscal_year).order_by("-number"))
    adopted = [b for b in budgets if b.status == Budget.Status.ADOPTED]
    return (adopted or budgets or [None])[0]


def previous_fiscal_year(fiscal_year: FiscalYear) -> FiscalYear | None:
    return (
        FiscalYear.objects.filter(organisation_id=fiscal_year.organisation_id, end__lt=fiscal_year.start)
        .order_by("-end")
        .first()
    )


def thresholds(*, organisation: Organisation) -> tuple[Decimal, Decimal]:
    row = FollowupSettings.objects.filter(organisation=organisation).first()
    if row is None:
        return DEFAULT_PERCENT, DEFAULT_AMOUNT
    return row.percent_threshold, row.amount_threshold


def report_heading(*, organisation: Organisation, default: str | None = None) -> str:
    row = FollowupSettings.objects.filter(organisation=organisation).first()
    if row is not None and row.report_heading:
        return row.report_heading
    return organisation.name if default is None else default


def is_large(figures: Figures, percent: Decimal, amount: Decimal) -> bool:
    """A prognos deviation above the kronor threshold, or above the percentage of the årsbudget."""
    deviation = abs(figures.forecast_deviation)
    if deviation > amount:
        return True
    budget = abs(figures.annual_budget)
    return bool(budget) and deviation * 100 > percent * budget


# Queries ------------------------------------------------------------------------------------------------------


def _month_sums(field: str, month_filter) -> dict[str, Sum]:
    """Twelve conditional sums, one per fiscal month, so each (account, object) comes back as one row."""
    return {f"m{m}": Sum(field, filter=month_filter(m)) for m in range(1, MONTHS + 1)}


def _actual_rows(fiscal_year: FiscalYear, dimension: Dimension | None):
    """(account_id, object_id, twelve month sums) of the ledger, summed in the database."""
    queryset = LedgerEntry.objects.filter(fiscal_year=fiscal_year, account__kind__in=RESULT_KINDS)
    if dimension is not None:
        queryset = queryset.annotate(
            unit=FilteredRelation("dimension_objects", condition=Q(dimension_objects__dimension=dimension))
        ).values("account_id", object_id=F("unit__id"))
    else:
        queryset = queryset.values("account_id")
    sums = _month_sums(
        "amount",
        lambda m: Q(date__gte=month_start(fiscal_year, m), date__lte=month_end(fiscal_year, m)),
    )
    for row in queryset.annotate(**sums).order_by():
        yield row["account_id"], row.get("object_id"), [row[f"m{m}"] for m in range(1, MONTHS + 1)]


def _budget_rows(budget: Budget):
    queryset = (
        BudgetMonth.objects.filter(line__budget=budget)
        .values(account_id=F("line__account_id"), object_id=F("line__dimension_object_id"))
        .annotate(**_month_sums("amount", lambda m: Q(month=m)))
        .order_by()
    )
    for row in queryset:
        yield row["account_id"], row["object_id"], [row[f"m{m}"] for m in range(1, MONTHS + 1)]


def _group_key(account: Account) -> tuple[str, str, int | None]:
    if account.group is not None:
        return account.group.code, account.group.name, account.group.pk
    return account.code[:1], f"Kontoklass {account.code[:1]}", None


def followup(
    *,
    organisation: Organisation,
    fiscal_year: FiscalYear,
    first: int = 1,
    last: int = MONTHS,
    only_object: DimensionObject | None = None,
) -> Followup:
    """The uppföljning of months first..last; the prognos is the one made in month `last`. A constant number of
    queries (about ten) whatever the size of the ledger."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValueError("Räkenskapsåret hör inte till organisationen.")
    first, last = max(1, min(first, MONTHS)), max(1, min(last, MONTHS))
    first = min(first, last)
    accounts = {
        a.pk: a
        for a in Account.objects.for_organisation(organisation).filter(kind__in=RESULT_KINDS).select_related("group")
    }
    dimension = followup_dimension(organisation=organisation)
    objects = {o.pk: o for o in DimensionObject.objects.filter(dimension=dimension)} if dimension else {}
    budget = followup_budget(fiscal_year=fiscal_year)
    previous = previous_fiscal_year(fiscal_year)
    percent, amount = thresholds(organisation=organisation)

    cells: dict[tuple[int, int | None], Figures] = defaultdict(lambda: Figures(first, last))

    def cell(account_id: int, object_id: int | None) -> Figures | None:
        if account_id not in accounts:
            return None
        return cells[(account_id, object_id if object_id in objects else None)]

    def add_into(rows, attr: str) -> None:
        for account_id, object_id, months in rows:
            target = cell(account_id, object_id)
            if target is not None:
                values = getattr(target, attr)
                setattr(target, attr, [a + (b or ZERO) for a, b in zip(values, months, strict=True)])

    add_into(_actual_rows(fiscal_year, dimension), "actual_months")
    if previous is not None:
        add_into(_actual_rows(previous, dimension), "last_year_months")
    if budget is not None:
        add_into(_budget_rows(budget), "budget_months")

    entries = {
        (e.dimension_object_id, e.account_group_id): e
        for e in ForecastEntry.objects.filter(fiscal_year=fiscal_year, month=last).select_related("updated_by")
    }

    # Verksamheter (or kontoklasser without a dimension): the level the prognos is made on.
    units: dict[tuple, Row] = {}
    if dimension is not None:
        for (_account_id, object_id), figures in cells.items():
            item = objects.get(object_id)
            key = ("object", object_id) if item else ("none", None)
            if key not in units:
                units[key] = (
                    Row(item.code, item.name, Figures(first, last), "object", pk=item.pk)
                    if item
                    else Row("", f"Utan {dimension.name.lower()}", Figures(first, last), "none")
                )
            units[key].figures.add(figures)
        unit_rows = sorted(units.values(), key=lambda r: (r.kind == "none", r.code))
    else:
        unit_rows = []

    # Accounts → kontoklasser.
    groups: dict[str, Row] = {}
    account_rows: dict[int, Row] = {}
    for (account_id, object_id), figures in cells.items():
        if only_object is not None and object_id != only_object.pk:
            continue
        account = accounts[account_id]
        if account_id not in account_rows:
            code, name, group_pk = _group_key(account)
            group = groups.setdefault(code, Row(code, name, Figures(first, last), "group", pk=group_pk))
            row = Row(account.code, account.name, Figures(first, last), "account", pk=account.pk)
            group.children.append(row)
            account_rows[account_id] = row
        account_rows[account_id].figures.add(figures)
    group_rows = sorted(groups.values(), key=lambda r: r.code)
    for group in group_rows:
        group.children.sort(key=lambda r: r.code)
        for child in group.children:
            group.figures.add(child.figures)
    if dimension is None:
        unit_rows = group_rows

    for row in unit_rows:
        key = (row.pk, None) if row.kind == "object" else (None, row.pk if row.kind == "group" else None)
        row.entry = entries.get(key)
        if row.entry is not None:
            row.figures.forecast_override = row.entry.amount
        row.large_deviation = is_large(row.figures, percent, amount)

    total = Row("", "Totalt", Figures(first, last), "total")
    for row in unit_rows if only_object is None and unit_rows else group_rows:
        total.figures.add(row.figures)
    if only_object is not None:
        chosen = next((row for row in unit_rows if row.pk == only_object.pk and row.kind == "object"), None)
        if chosen is not None and chosen.entry is not None:
            total.figures.forecast_override = chosen.entry.amount
    total.large_deviation = is_large(total.figures, percent, amount)
    return Followup(
        organisation=organisation,
        fiscal_year=fiscal_year,
        first=first,
        last=last,
        budget=budget,
        previous_year=previous,
        dimension=dimension,
        units=unit_rows,
        groups=group_rows,
        total=total,
        percent_threshold=percent,
        amount_threshold=amount,
        only_object=only_object,
    )


def group_total(report: Followup) -> Figures:
    """The kontoklass table's total: the accounts' sum, with the prognos as entered per verksamhet."""
    figures = Figures(report.first, report.last)
    for group in report.groups:
        figures.add(group.figures)
    return figures


# Drill-down ---------------------------------------------------------------------------------------------------


def followup_entries(
    *,
    organisation: Organisation,
    fiscal_year: FiscalYear,
    first: int,
    last: int,
    account: Account | None = None,
    group: AccountGroup | None = None,
    account_class: str = "",
    item: DimensionObject | None = None,
    without: Dimension | None = None,
) -> QuerySet[LedgerEntry]:
    """The ledger rows behind a figure of the uppföljning, each with its verifikation."""
    from .selectors import _objects_prefetch

    queryset = LedgerEntry.objects.filter(
        organisation=organisation,
        fiscal_year=fiscal_year,
        account__kind__in=RESULT_KINDS,
        date__gte=month_start(fiscal_year, first),
        date__lte=month_end(fiscal_year, last),
    )
    if account is not None:
        queryset = queryset.filter(account=account)
    if group is not None:
        queryset = queryset.filter(account__group=group)
    if account_class:
        queryset = queryset.filter(account__group__isnull=True, account__code__startswith=account_class)
    if item is not None:
        queryset = queryset.filter(dimension_objects=item)
    if without is not None:
        queryset = queryset.exclude(dimension_objects__dimension=without)
    return (
        queryset.select_related("voucher", "account")
        .prefetch_related(_objects_prefetch())
        .order_by("date", "voucher__series", "voucher__number", "pk")
    )


def forecast_history(*, organisation: Organisation, fiscal_year: FiscalYear, month: int):
    """Every earlier version of the month's prognoser (simple-history), newest first."""
    return (
        ForecastEntry.history.filter(organisation_id=organisation.pk, fiscal_year_id=fiscal_year.pk, month=month)
        .select_related("history_user")
        .order_by("-history_date")
    )
