"""The one place the årsredovisning reaches the year-end statements (finance.statement_selectors and
finance.statement_validation) and turns them into the chapters 2–8 that seed 003 prints, each table with the
year and the year before. Nothing else in the årsredovisning imports the statements directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.models import Organisation

from .models import FiscalYear
from .statement_selectors import Statement, Statements, statements_for_year
from .statement_validation import ValidationFailure, validate_year

__all__ = ["ValidationFailure", "chapters_for_year", "statements_for_year", "validate_year"]


@dataclass
class TableRow:
    label: str
    values: list[Decimal | None]
    total: bool = False
    heading: bool = False
    note: int | None = None


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[TableRow]
    notes: bool = False  # a "Not" column before the amounts


@dataclass
class Chapter:
    number: int
    heading: str
    tables: list[Table] = field(default_factory=list)
    page_break: bool = False


def _year(statements: Statements) -> tuple[str, str]:
    previous = statements.previous_year.label if statements.previous_year else "Föregående år"
    return statements.fiscal_year.label, previous


def _plain(statement: Statement, statements: Statements) -> Table:
    year, previous = _year(statements)
    rows = [
        TableRow(row.label, [], heading=True)
        if row.is_heading
        else TableRow(row.label, [row.current, row.previous], total=row.emphasis, note=row.note)
        for row in statement.rows
    ]
    return Table(f"{statement.title} {year} och {previous}, belopp i kronor", [year, previous], rows, notes=True)


def _operating(statement: Statement, statements: Statements) -> Table:
    year, previous = _year(statements)
    columns = [f"Utfall {year}", f"Aktuell budget {year}", "Avvikelse utfall – budget", f"Bokslut {previous}"]
    rows = [
        TableRow(row.label, [], heading=True)
        if row.is_heading
        else TableRow(row.label, [row.current, row.budget, row.deviation, row.previous], total=row.emphasis)
        for row in statement.rows
    ]
    return Table(f"{statement.title} {year}, belopp i kronor", columns, rows)


def _budget(statement: Statement, statements: Statements) -> Table:
    year, _previous = _year(statements)
    columns = [f"Budget {year}", f"Utfall {year}", "Differens"]
    rows = [
        TableRow(row.label, [], heading=True)
        if row.is_heading
        else TableRow(row.label, [row.budget, row.current, row.deviation], total=row.emphasis)
        for row in statement.rows
    ]
    return Table(f"Sammanställning av budget och utfall {year}, belopp i kronor", columns, rows)


def _notes(statements: Statements) -> list[Table]:
    year, previous = _year(statements)
    tables = []
    for note in statements.notes:
        rows = [TableRow(row.label, [row.current, row.previous]) for row in note.rows if not row.is_heading]
        rows.append(TableRow("Summa", [note.current_total, note.previous_total], total=True))
        tables.append(Table(f"Not {note.number}. {note.title}", [year, previous], rows))
    return tables


def chapters_for_year(*, organisation: Organisation, fiscal_year: FiscalYear) -> list[Chapter]:
    """Chapters 2–8 of the årsredovisning (6, redovisningsprinciper, is text and has no table)."""
    statements = statements_for_year(organisation=organisation, fiscal_year=fiscal_year)
    return [
        Chapter(2, "Driftsredovisning", [_operating(statements.operating, statements)], page_break=True),
        Chapter(3, "Resultaträkning", [_plain(statements.income, statements)]),
        Chapter(4, "Balansräkning", [_plain(statements.balance, statements)], page_break=True),
        Chapter(5, "Kassaflödesanalys", [_plain(statements.cash_flow, statements)], page_break=True),
        Chapter(6, "Redovisningsprinciper"),
        Chapter(7, "Noter", _notes(statements), page_break=True),
        Chapter(8, "Eventuella tilläggsupplysningar", [_budget(statements.budget, statements)], page_break=True),
    ]
