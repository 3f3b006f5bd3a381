"""A participant report's grid as an Excel file, and a filled-in template read back. Plain functions over the grid
(projects/report_grid.py) and bytes; no database.

Layout (one sheet, the same for the export and the template, so an export of a draft can be filled in and
imported too): column A holds each row's key (hidden), B the section, C the row, D–F the counts per kön, G the
row's total and H what kind of row it is. A1 names the insats and period the file belongs to.

Only the typed cells are read (D–F of the rows marked "Fylls i"). Every total is computed by Paragraf: in an
export as values, in a template as formulas so Excel shows them while the user types; both sit in grey cells
marked "Beräknas". On import a total is never taken from the file: a total cell that holds a value (Excel saves
the formula's result) is checked against the sum of the imported cells, and a disagreement is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.xlsx import COMPUTED_FILL, CellProblem, column_letter, read_rows, style_header, text, whole_number

from .models import GENDERS, Gender
from .report_grid import Grid, GridRow, GridSection

MAX_COUNT = 100_000
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
HEADERS = ["Nyckel", "Avsnitt", "Rad", *(Gender(g).label for g in GENDERS), "Totalt", "Typ"]
GENDER_COLUMNS = {gender: 3 + index for index, gender in enumerate(GENDERS)}  # 0-based: D, E, F
TOTAL_COLUMN = 6
KIND_COLUMN = 7
TYPED = "Fylls i"
COMPUTED = "Beräknas av Paragraf"
ACTIVE_KEY, REMAINING_KEY = "sum:active", "sum:remaining"
ROW_TOTAL = "Totalt"


def file_marker(*, project_id: int, period_kind: str, year: int, period_number: int) -> str:
    return f"paragraf:deltagarrapport:{project_id}:{period_kind}:{year}:{period_number}"


def section_sum_key(section: GridSection) -> str:
    return f"sum:{section.key}"


@dataclass(frozen=True)
class SheetRow:
    key: str
    section: str
    label: str
    cells: dict[str, int] | None  # None: a computed row
    typed: bool


def _sheet_rows(grid: Grid) -> Iterable[tuple[SheetRow, GridRow | None, GridSection | None]]:
    for row in grid.base_rows:
        yield SheetRow(row.key, "Deltagare", row.label, row.cells, True), row, None
    if grid.base_rows:
        for computed, key in ((grid.active, ACTIVE_KEY), (grid.remaining, REMAINING_KEY)):
            yield SheetRow(key, "Deltagare", computed.label, computed.cells, False), computed, None
    for section in grid.sections:
        for row in section.rows:
            yield SheetRow(row.key, section.title, row.label, row.cells, True), row, section
        yield (
            SheetRow(section_sum_key(section), section.title, f"Summa {section.title.lower()}", section.totals, False),
            None,
            section,
        )


def build_workbook(grid: Grid, *, title: str, marker: str, blank: bool) -> bytes:
    """The grid as .xlsx. `blank`: a template (typed cells empty, totals as formulas); otherwise an export with
    the figures and their totals as values computed here."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    from core.xlsx import workbook_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = "Deltagarrapport"
    sheet["A1"] = marker
    sheet["B1"] = title
    sheet["B1"].font = Font(bold=True, size=13)
    sheet["B2"] = (
        "Fyll i de vita cellerna med antal deltagare (heltal). Grå celler räknas ut av Paragraf och läses inte in."
        if blank
        else "Export från Paragraf. Grå celler är summor som Paragraf har räknat ut."
    )
    for index, heading in enumerate(HEADERS, start=1):
        sheet.cell(row=HEADER_ROW, column=index, value=heading)
    style_header(sheet, HEADER_ROW, len(HEADERS))
    grey = PatternFill("solid", fgColor=COMPUTED_FILL)
    italic = Font(italic=True)
    number = 0
    rows_of_section: dict[str, list[int]] = {}
    row_of_key: dict[str, int] = {}
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(MAX_COUNT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ogiltigt antal",
        error=f"Ange ett heltal mellan 0 och {MAX_COUNT}.",
    )
    sheet.add_data_validation(validation)
    for number, (sheet_row, _grid_row, section) in enumerate(_sheet_rows(grid), start=FIRST_ROW):
        row_of_key[sheet_row.key] = number
        sheet.cell(row=number, column=1, value=sheet_row.key)
        sheet.cell(row=number, column=2, value=sheet_row.section)
        sheet.cell(row=number, column=3, value=sheet_row.label)
        letters = {gender: column_letter(index) for gender, index in GENDER_COLUMNS.items()}
        for gender, index in GENDER_COLUMNS.items():
            cell = sheet.cell(row=number, column=index + 1)
            if sheet_row.typed:
                cell.value = None if blank else sheet_row.cells.get(gender, 0)
                cell.protection = Protection(locked=False)
                validation.add(cell.coordinate)
            elif blank:
                letter = letters[gender]
                if sheet_row.key == ACTIVE_KEY:
                    cell.value = f"={letter}{row_of_key['carried_over']}+{letter}{row_of_key['enrolled']}"
                elif sheet_row.key == REMAINING_KEY:
                    cell.value = f"={letter}{row_of_key[ACTIVE_KEY]}-{letter}{row_of_key['exited']}"
                else:
                    members = rows_of_section.get(section.key, [])
                    cell.value = f"=SUM({letter}{members[0]}:{letter}{members[-1]})" if members else 0
            else:
                cell.value = sheet_row.cells.get(gender, 0)
            if not sheet_row.typed:
                cell.fill, cell.font = grey, italic
        total = sheet.cell(row=number, column=TOTAL_COLUMN + 1)
        first, last = column_letter(min(GENDER_COLUMNS.values())), column_letter(max(GENDER_COLUMNS.values()))
        total.value = f"=SUM({first}{number}:{last}{number})" if blank else sum(sheet_row.cells.values())
        total.fill, total.font = grey, italic
        kind = sheet.cell(row=number, column=KIND_COLUMN + 1, value=TYPED if sheet_row.typed else COMPUTED)
        if not sheet_row.typed:
            for column in (2, 3):
                sheet.cell(row=number, column=column).font = Font(italic=True, bold=True)
            kind.fill = grey
        elif section is not None:
            rows_of_section.setdefault(section.key, []).append(number)
    sheet.column_dimensions["A"].hidden = True
    for letter, width in zip("BCDEFGH", (26, 46, 11, 11, 17, 10, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"D{FIRST_ROW}"
    return workbook_bytes(book)


def parse_workbook(data: bytes, grid: Grid, *, marker: str) -> tuple[dict[tuple[str, str], int], list[CellProblem]]:
    """The typed cells of a filled-in file as (cell key, kön) -> count, and every problem with row and column.
    Cells left empty count as 0. Nothing may be imported unless the problem list is empty."""
    problems: list[CellProblem] = []
    rows = read_rows(data)
    typed_keys = {row.key: (section_title, row) for section_title, row in _typed(grid)}
    computed_expected = {}
    values: dict[tuple[str, str], int] = {}
    seen: dict[str, int] = {}
    first = next(rows, None) or ()
    if text(first[0] if first else None) != marker:
        found = text(first[0] if first else None)
        if found.startswith("paragraf:deltagarrapport:"):
            message = "Filen är en mall för en annan insats eller period. Ladda ned mallen för den här rapporten."
        else:
            message = (
                "Filen är inte en rapportmall från Paragraf. Ladda ned mallen från rapportens sida och fyll i den."
            )
        return {}, [CellProblem(1, "", message)]
    header: tuple = ()
    for number, cells in enumerate(rows, start=2):
        if number == HEADER_ROW:
            header = cells
            wanted = [h.lower() for h in HEADERS[1:KIND_COLUMN]]
            got = [text(c).lower() for c in cells[1:KIND_COLUMN]]
            if got != wanted:
                return {}, [
                    CellProblem(
                        HEADER_ROW,
                        "",
                        "rubrikerna har ändrats. Kolumnerna ska vara " + ", ".join(HEADERS[1:KIND_COLUMN]) + ".",
                    )
                ]
            continue
        if number < HEADER_ROW:
            continue
        key = text(cells[0] if cells else None)
        shown = [text(c) for c in cells[1 : TOTAL_COLUMN + 1]]
        if not key:
            if any(shown[2:]):
                problems.append(
                    CellProblem(number, "", "raden finns inte i mallen. Lägg inte till rader; använd mallens rader.")
                )
            continue
        if key in seen:
            problems.append(CellProblem(number, "", f"raden finns redan på rad {seen[key]}."))
            continue
        seen[key] = number
        if key in typed_keys:
            section_title, grid_row = typed_keys[key]
            row_values = {}
            for gender, index in GENDER_COLUMNS.items():
                raw = cells[index] if index < len(cells) else None
                if raw is None or text(raw) == "":
                    row_values[gender] = 0
                    continue
                parsed = whole_number(raw, low=0, high=MAX_COUNT)
                if parsed is None:
                    problems.append(
                        CellProblem(
                            number,
                            HEADERS[index],
                            f"”{text(raw)}” är inte ett heltal mellan 0 och {MAX_COUNT} "
                            f"({_where(section_title, grid_row.label)}).",
                        )
                    )
                    continue
                row_values[gender] = parsed
            for gender, value in row_values.items():
                values[(key, gender)] = value
            computed_expected[key] = (number, cells)
        elif key.startswith("sum:"):
            computed_expected[key] = (number, cells)
        else:
            problems.append(
                CellProblem(
                    number,
                    "",
                    f"raden ”{_where(*shown[:2])}” finns inte i rapporten (kategorin kan ha tagits bort). "
                    "Ladda ned en ny mall.",
                )
            )
    if not header:
        return {}, [CellProblem(HEADER_ROW, "", "rubrikraden saknas. Ladda ned mallen och fyll i den.")]
    for key, (section_title, grid_row) in typed_keys.items():
        if key not in seen:
            problems.append(
                CellProblem(
                    0,
                    "",
                    f"Raden ”{_where(section_title, grid_row.label)}” saknas i filen. Ladda ned en ny mall.",
                )
            )
    if not problems:
        problems.extend(_check_totals(grid, values, computed_expected))
    return values, problems


def _where(section_title: str, label: str) -> str:
    return f"{section_title}, {label}" if section_title else label


def _typed(grid: Grid):
    for row in grid.base_rows:
        yield "", row
    for section in grid.sections:
        for row in section.rows:
            yield section.title, row


def _check_totals(grid: Grid, values, rows_by_key) -> list[CellProblem]:
    """Total cells that hold a figure must agree with the sums of the imported cells; empty ones are skipped."""

    def cells_of(key: str) -> dict[str, int]:
        return {gender: values.get((key, gender), 0) for gender in GENDERS}

    expected: dict[str, dict[str, int]] = {}
    for _title, row in _typed(grid):
        expected[row.key] = cells_of(row.key)
    if grid.base_rows:
        carried, enrolled, exited = cells_of("carried_over"), cells_of("enrolled"), cells_of("exited")
        active = {g: carried[g] + enrolled[g] for g in GENDERS}
        expected[ACTIVE_KEY] = active
        expected[REMAINING_KEY] = {g: active[g] - exited[g] for g in GENDERS}
    for section in grid.sections:
        expected[section_sum_key(section)] = {
            g: sum(values.get((row.key, g), 0) for row in section.rows) for g in GENDERS
        }
    problems = []
    typed_keys = {row.key for _title, row in _typed(grid)}
    for key, (number, cells) in rows_by_key.items():
        sums = expected.get(key)
        if sums is None:
            continue
        # A typed row has only its total computed; a computed row is computed in every column.
        checks = [] if key in typed_keys else [(HEADERS[i], sums[g], i) for g, i in GENDER_COLUMNS.items()]
        checks.append((ROW_TOTAL, sum(sums.values()), TOTAL_COLUMN))
        for heading, value, index in checks:
            raw = cells[index] if index < len(cells) else None
            if raw is None or text(raw) == "":
                continue
            found = whole_number(raw, low=-MAX_COUNT * 10, high=MAX_COUNT * 10)
            if found != value:
                problems.append(
                    CellProblem(
                        number,
                        heading,
                        f"summan i filen (”{text(raw)}”) stämmer inte med de ifyllda cellerna ({value}). Summor "
                        "räknas ut av Paragraf: töm cellen eller rätta antalen.",
                    )
                )
    return problems
