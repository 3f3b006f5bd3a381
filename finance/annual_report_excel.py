"""The Excel ledger extract that goes with an årsredovisning: the year's transaktioner and every account's
ingående balans, rörelse and utgående balans, one sheet each, then the year's statements
(finance.statement_excel). `build_workbook` is a plain function over rows (no database); `ledger_extract` reads
them and builds it. Amounts stay Decimal into the cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.models import Organisation
from core.xlsx import workbook_bytes

from .models import AccountBalance, FiscalYear, LedgerEntry
from .statement_excel import add_statement_sheets
from .statement_selectors import Statements, statements_for_year

AMOUNT_FORMAT = "#,##0.00;-#,##0.00"
# Fixed document times: the workbook says nothing about when it was made (its SHA-256 is kept when stored).
FIXED_TIME = dt.datetime(2000, 1, 1)


@dataclass(frozen=True)
class EntryRow:
    date: dt.date
    voucher: str
    account: str
    account_name: str
    text: str
    amount: Decimal
    objects: str


@dataclass(frozen=True)
class BalanceRow:
    account: str
    account_name: str
    opening: Decimal
    movement: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.movement


def _sheet(workbook: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence], money: set[int]):
    sheet = workbook.create_sheet(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index in money:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = AMOUNT_FORMAT
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 4)
    sheet.freeze_panes = "A2"
    return sheet


def build_workbook(
    *, title: str, entries: Sequence[EntryRow], balances: Sequence[BalanceRow], statements: Statements | None = None
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "Paragraf"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    _sheet(
        workbook,
        "Huvudbok",
        ["Datum", "Verifikation", "Konto", "Kontonamn", "Text", "Belopp", "Objekt"],
        ((e.date, e.voucher, e.account, e.account_name, e.text, e.amount, e.objects) for e in entries),
        money={6},
    )
    _sheet(
        workbook,
        "Saldon",
        ["Konto", "Kontonamn", "Ingående balans", "Årets rörelse", "Utgående balans"],
        ((b.account, b.account_name, b.opening, b.movement, b.closing) for b in balances),
        money={3, 4, 5},
    )
    if statements is not None and statements.has_mapping:
        add_statement_sheets(workbook, statements)
    return workbook_bytes(workbook)


def extract_rows(*, organisation: Organisation, fiscal_year: FiscalYear) -> tuple[list[EntryRow], list[BalanceRow]]:
    entries = (
        LedgerEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .select_related("account", "voucher")
        .prefetch_related("dimension_objects")
        .order_by("date", "voucher__series", "voucher__number", "pk")
    )
    rows = [
        EntryRow(
            date=entry.date,
            voucher=entry.voucher.label if entry.voucher_id else "",
            account=entry.account.code,
            account_name=entry.account.name,
            text=entry.text or (entry.voucher.text if entry.voucher_id else ""),
            amount=entry.amount,
            objects=", ".join(str(item) for item in entry.dimension_objects.all()),
        )
        for entry in entries
    ]
    opening = {
        (code, name): amount
        for code, name, amount in AccountBalance.objects.filter(
            fiscal_year=fiscal_year, kind=AccountBalance.Kind.OPENING
        ).values_list("account__code", "account__name", "amount")
    }
    movement = {
        (code, name): total
        for code, name, total in LedgerEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
        .values_list("account__code", "account__name")
        .annotate(total=Sum("amount"))
        .values_list("account__code", "account__name", "total")
    }
    balances = [
        BalanceRow(code, name, opening.get((code, name), Decimal(0)), movement.get((code, name), Decimal(0)))
        for code, name in sorted(set(opening) | set(movement))
    ]
    return rows, balances


def ledger_extract(*, organisation: Organisation, fiscal_year: FiscalYear) -> bytes:
    """The huvudbok, the saldon and the year's statements (as fastställda) in one workbook."""
    entries, balances = extract_rows(organisation=organisation, fiscal_year=fiscal_year)
    return build_workbook(
        title=f"Huvudboksutdrag och bokslut {fiscal_year.label}, {organisation.name}",
        entries=entries,
        balances=balances,
        statements=statements_for_year(organisation=organisation, fiscal_year=fiscal_year),
    )
