"""Reads for finance. Every selector takes the organisation; query counts do not grow with the rows shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from core.models import Organisation

from .models import (
    Account,
    AccountBalance,
    AccountGroup,
    DimensionObject,
    FiscalYear,
    LedgerEntry,
    LedgerImport,
    Voucher,
)

ZERO = Decimal(0)


def account_list(*, organisation: Organisation) -> QuerySet[Account]:
    return Account.objects.for_organisation(organisation).select_related("group").order_by("code")


def account_group_list(*, organisation: Organisation) -> QuerySet[AccountGroup]:
    return AccountGroup.objects.for_organisation(organisation).order_by("code")


def fiscal_year_list(*, organisation: Organisation) -> QuerySet[FiscalYear]:
    return (
        FiscalYear.objects.for_organisation(organisation)
        .annotate(voucher_total=Count("vouchers", distinct=True))
        .order_by("-start")
    )


def import_list(*, organisation: Organisation) -> QuerySet[LedgerImport]:
    return (
        LedgerImport.objects.for_organisation(organisation)
        .select_related("imported_by", "fiscal_year")
        .order_by("-created_at", "-pk")
    )


@dataclass
class AccountFigures:
    account: Account
    opening: Decimal = ZERO
    movement: Decimal = ZERO
    entry_count: int = 0
    stated_closing: Decimal | None = None

    @property
    def closing(self) -> Decimal:
        return self.opening + self.movement

    @property
    def closing_differs(self) -> bool:
        return self.stated_closing is not None and self.stated_closing != self.closing


@dataclass
class YearSummary:
    fiscal_year: FiscalYear
    rows: list[AccountFigures] = field(default_factory=list)

    def _sum(self, kinds, attr: str) -> Decimal:
        return sum((getattr(r, attr) for r in self.rows if r.account.kind in kinds), ZERO)

    @property
    def income(self) -> Decimal:
        return self._sum({"income"}, "movement")

    @property
    def expense(self) -> Decimal:
        return self._sum({"expense"}, "movement")

    @property
    def result(self) -> Decimal:
        """Årets resultat with the sign a reader expects: a surplus positive (SIE books income as kredit, negative)."""
        return -(self.income + self.expense)


def fiscal_year_summary(*, organisation: Organisation, fiscal_year: FiscalYear) -> YearSummary:
    """Per account: ingående balans, the year's movement (from the transactions), utgående balans. Three queries."""
    accounts = {a.pk: a for a in account_list(organisation=organisation)}
    figures: dict[int, AccountFigures] = {}

    def row(account_id: int) -> AccountFigures:
        if account_id not in figures:
            figures[account_id] = AccountFigures(accounts[account_id])
        return figures[account_id]

    balances = AccountBalance.objects.filter(organisation=organisation, fiscal_year=fiscal_year).values_list(
        "account_id", "kind", "amount"
    )
    for account_id, kind, amount in balances:
        if kind == AccountBalance.Kind.OPENING:
            row(account_id).opening = amount
        elif kind == AccountBalance.Kind.CLOSING:
            row(account_id).stated_closing = amount
    sums = (
        LedgerEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .values("account_id")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by()
    )
    for item in sums:
        figures_row = row(item["account_id"])
        figures_row.movement = item["total"] or ZERO
        figures_row.entry_count = item["count"]
    rows = sorted(figures.values(), key=lambda r: r.account.code)
    return YearSummary(fiscal_year=fiscal_year, rows=rows)


def latest_fiscal_year(*, organisation: Organisation) -> FiscalYear | None:
    return FiscalYear.objects.for_organisation(organisation).order_by("-start").first()


def _objects_prefetch() -> Prefetch:
    return Prefetch(
        "dimension_objects",
        queryset=DimensionObject.objects.select_related("dimension").order_by("dimension__sie_number", "code"),
    )


def account_ledger(*, organisation: Organisation, account: Account, fiscal_year: FiscalYear) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year, account=account)
        .select_related("voucher")
        .prefetch_related(_objects_prefetch())
        .order_by("date", "voucher__series", "voucher__number", "pk")
    )


def opening_balance(*, account: Account, fiscal_year: FiscalYear) -> Decimal:
    row = AccountBalance.objects.filter(
        fiscal_year=fiscal_year, account=account, kind=AccountBalance.Kind.OPENING
    ).first()
    return row.amount if row else ZERO


def voucher_detail_queryset(*, organisation: Organisation) -> QuerySet[Voucher]:
    return (
        Voucher.objects.for_organisation(organisation)
        .select_related("fiscal_year", "ledger_import")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=LedgerEntry.objects.select_related("account")
                .prefetch_related(_objects_prefetch())
                .order_by("pk"),
            )
        )
    )


def dimension_list(*, organisation: Organisation, fiscal_year: FiscalYear | None):
    """Dimensions with their objects; each object carries the year's total and number of rows (two queries)."""
    from django.db.models import Q

    from .models import Dimension

    year_filter = Q(entries__fiscal_year=fiscal_year) if fiscal_year is not None else Q(pk__in=[])
    objects = DimensionObject.objects.annotate(
        total=Sum("entries__amount", filter=year_filter), row_count=Count("entries", filter=year_filter)
    ).order_by("code")
    return (
        Dimension.objects.for_organisation(organisation)
        .order_by("sie_number")
        .prefetch_related(Prefetch("items", queryset=objects))
    )


def object_ledger(*, organisation: Organisation, item: DimensionObject, fiscal_year: FiscalYear):
    return (
        LedgerEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year, dimension_objects=item)
        .select_related("voucher", "account")
        .order_by("date", "voucher__series", "voucher__number", "pk")
    )
