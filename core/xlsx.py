"""Shared pieces for Excel (.xlsx) imports and exports: the problem a parser reports (row, column, Swedish
message), reading the first sheet of an uploaded file with openpyxl in read-only mode, styling a header and
answering a workbook as a download.

Parsers stay plain functions over bytes that return every problem; the caller imports nothing unless there are
none (all or nothing). `ImportRefused` carries the problems through a service's ValidationError so a view can list
them as a table.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_XLSX = "Filen är inte en Excel-fil (.xlsx). Spara den som Excel-arbetsbok och försök igen."
# Fills: light grey marks a computed cell (never read back), white a cell to fill in.
COMPUTED_FILL = "E7E6E6"
HEADER_FILL = "D9E1F2"


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong in a file. `row` is the sheet's row number (0: the file as a whole); `column` the column's
    heading as the user sees it ("" when the problem is the whole row)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(f"Rad {self.row}")
        if self.column:
            where.append(f"kolumn ”{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRefused(ValidationError):
    """A file refused as a whole; `problems` lists every reason with its row and column."""

    def __init__(self, problems: list[CellProblem]):
        self.problems = sorted(problems, key=lambda p: (p.row, p.column))
        super().__init__([str(problem) for problem in self.problems], code="import")


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # calamine reads every number as a float: 1234 is shown as 1234, not 1234.0
    return "" if value is None else str(value).strip()


def _first_sheet(data: bytes):
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own kinds for a file that is not a workbook
        raise ImportRefused([CellProblem(0, "", NOT_XLSX)]) from exc


def read_rows(data: bytes) -> Iterator[tuple]:
    """The first sheet's rows from A1 as tuples of values (formulas as the result Excel saved; empty cells as
    None). Read with python-calamine, which measured 18 times faster than openpyxl's read-only mode on 10 000
    rows (ADR 0020). Raises ImportRefused when the bytes are not an .xlsx workbook."""
    if not data.startswith(b"PK"):  # an .xlsx is a zip file; anything else is refused before it is parsed
        raise ImportRefused([CellProblem(0, "", NOT_XLSX)])
    sheet = _first_sheet(data)
    for row in sheet.to_python(skip_empty_area=False):
        yield tuple(None if value == "" else value for value in row)


def data_row_count(data: bytes) -> int:
    """Rows below the heading row. Raises ImportRefused when the bytes are not an .xlsx workbook."""
    if not data.startswith(b"PK"):
        raise ImportRefused([CellProblem(0, "", NOT_XLSX)])
    return max(_first_sheet(data).height - 1, 0)


def whole_number(value, *, low: int, high: int) -> int | None:
    """An integer cell (Excel stores 3 as 3.0), or None when the value is not a whole number in [low, high]."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, str):
        raw = value.strip().replace("\u00a0", "").replace(" ", "")
        if not raw.lstrip("-").isdigit():
            return None
        value = int(raw)
    if not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def style_header(sheet, row: int, count: int) -> None:
    from openpyxl.styles import Font, PatternFill

    for column in range(1, count + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)


def workbook_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
