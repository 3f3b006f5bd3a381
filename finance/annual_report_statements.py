"""The one place the årsredovisning reaches the year-end statements (finance.statement_selectors and
finance.statement_validation, built alongside). Until they are merged this is a thin stand-in with the same
interface, computed from the ledger; nothing else in the årsredovisning imports the statements directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from core.models import Organisation

from .models import AccountBalance, AccountKind, FiscalYear, LedgerEntry

ZERO = Decimal(0)


@dataclass(frozen=True)
class ValidationFailure:
    rule: str
    message: str
    figures: tuple[tuple[str, Decimal], ...] = ()


@dataclass
class StatementLine:
    label: str
    current: Decimal | None
    previous: Decimal | None = None
    note: str = ""
    total: bool = False


@dataclass
class Statement:
    key: str
    title: str
    lines: list[StatementLine] = field(default_factory=list)


def _sum(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or ZERO


def statements_for_year(*, organisation: Organisation, fiscal_year: FiscalYear) -> list[Statement]:
    entries = LedgerEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
    income = -_sum(entries.filter(account__kind=AccountKind.INCOME))
    expense = _sum(entries.filter(account__kind=AccountKind.EXPENSE))
    opening = AccountBalance.objects.filter(fiscal_year=fiscal_year, kind=AccountBalance.Kind.OPENING)
    assets = _sum(opening.filter(account__kind=AccountKind.ASSET)) + _sum(
        entries.filter(account__kind=AccountKind.ASSET)
    )
    return [
        Statement(
            "income_statement",
            "Resultaträkning",
            [
                StatementLine("Verksamhetens intäkter", income),
                StatementLine("Verksamhetens kostnader", -expense),
                StatementLine("Årets resultat", income - expense, total=True),
            ],
        ),
        Statement("balance_sheet", "Balansräkning", [StatementLine("Summa tillgångar", assets, total=True)]),
    ]


def validate_year(*, organisation: Organisation, fiscal_year: FiscalYear) -> list[ValidationFailure]:
    return []


# What the årsredovisning prints: chapters 2–8 of seed 003, each with its tables ----------------------------


@dataclass
class TableRow:
    label: str
    values: list[Decimal | None]
    total: bool = False
    heading: bool = False


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[TableRow]


@dataclass
class Chapter:
    number: int
    heading: str
    tables: list[Table] = field(default_factory=list)
    page_break: bool = False


CHAPTERS = [
    (2, "Driftsredovisning", "operating", True),
    (3, "Resultaträkning", "income_statement", False),
    (4, "Balansräkning", "balance_sheet", True),
    (5, "Kassaflödesanalys", "cash_flow", True),
    (6, "Redovisningsprinciper", "", False),
    (7, "Noter", "notes", True),
    (8, "Eventuella tilläggsupplysningar", "budget_comparison", True),
]


def _tables(statement: Statement, fiscal_year: FiscalYear) -> list[Table]:
    columns = [fiscal_year.label, "Föregående år"]
    rows = [TableRow(line.label, [line.current, line.previous], total=line.total) for line in statement.lines]
    return [Table(f"{statement.title} {fiscal_year.label}, belopp i kronor", columns, rows)]


def chapters_for_year(*, organisation: Organisation, fiscal_year: FiscalYear) -> list[Chapter]:
    statements = {s.key: s for s in statements_for_year(organisation=organisation, fiscal_year=fiscal_year)}
    chapters = []
    for number, heading, key, page_break in CHAPTERS:
        statement = statements.get(key)
        tables = _tables(statement, fiscal_year) if statement is not None else []
        chapters.append(Chapter(number, heading, tables, page_break))
    return chapters
