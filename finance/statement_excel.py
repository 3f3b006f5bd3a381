"""The year-end statements as Excel sheets, as the Bokslut page shows them: driftsredovisning, resultaträkning,
balansräkning, kassaflödesanalys, noter and budget och utfall, each with the previous year.

`add_statement_sheets` writes into a given workbook, so the årsredovisning's stored underlag carries them beside
the huvudbok (one file, one SHA-256); `statements_workbook` is the Bokslut page's own download. Amounts stay
Decimal into the cells, and every total is the selectors' computed figure, never a formula or a copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.xlsx import workbook_bytes

from .statement_selectors import Statement, Statements

KRONOR = "#,##0;-#,##0"
BOLD = Font(bold=True)


def _sheet(workbook: Workbook, title: str, headers: Sequence[str], rows: Sequence[tuple[bool, list]]) -> None:
    """rows: (bold, values). Columns after the first that hold numbers get the kronor format."""
    sheet = workbook.create_sheet(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = BOLD
    for bold, values in rows:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if bold:
                cell.font = BOLD
            if isinstance(cell.value, Decimal | int) and cell.column > 1:
                cell.number_format = KRONOR
    sheet.column_dimensions["A"].width = 48
    for index in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(headers[index - 1]) + 4)
    sheet.freeze_panes = "B2"


def _rows(statement: Statement, columns) -> list[tuple[bool, list]]:
    rows = []
    for row in statement.rows:
        if row.is_heading:
            rows.append((True, [row.label]))
        elif not row.hidden:
            rows.append((row.emphasis, [row.label, *columns(row)]))
    return rows


def add_statement_sheets(workbook: Workbook, statements: Statements) -> None:
    year = statements.fiscal_year.label
    previous = statements.previous_year.label if statements.previous_year else "föregående år"
    _sheet(
        workbook,
        "Driftsredovisning",
        ["Belopp i kr", f"Utfall {year}", f"Aktuell budget {year}", "Avvikelse", f"Bokslut {previous}"],
        _rows(statements.operating, lambda r: [r.current, r.budget, r.deviation, r.previous]),
    )
    plain = ["Belopp i kr", "Not", year, previous]
    for title, statement in (
        ("Resultaträkning", statements.income),
        ("Balansräkning", statements.balance),
        ("Kassaflödesanalys", statements.cash_flow),
    ):
        _sheet(workbook, title, plain, _rows(statement, lambda r: [r.note, r.current, r.previous]))
    notes: list[tuple[bool, list]] = []
    for note in statements.notes:
        notes.append((True, [f"Not {note.number}. {note.title}"]))
        notes += [(False, [row.label, row.current, row.previous]) for row in note.rows if not row.hidden]
        notes.append((True, ["Summa", note.current_total, note.previous_total]))
    _sheet(workbook, "Noter", ["Belopp i kr", year, previous], notes)
    _sheet(
        workbook,
        "Budget och utfall",
        ["Belopp i kr", f"Budget {year}", f"Utfall {year}", "Differens", f"Utfall {previous}"],
        _rows(statements.budget, lambda r: [r.budget, r.current, r.deviation, r.previous]),
    )


def statements_workbook(statements: Statements) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = f"Bokslut {statements.fiscal_year.label}, {statements.organisation.name}"
    workbook.properties.creator = "Paragraf"
    add_statement_sheets(workbook, statements)
    return workbook_bytes(workbook)
