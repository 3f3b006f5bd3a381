"""NNS indicator results from an Excel file: one row per indicator and year, columns Indikator, År, Resultat and
(optionally) Antal svar. A pure function over bytes; every problem is listed with its row and column, and the
caller imports nothing unless there are none."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

COLUMNS = {"indicator": "Indikator", "year": "År", "value": "Resultat", "respondents": "Antal svar"}
REQUIRED = ("indicator", "year", "value")
MAX_ROWS = 1000


@dataclass(frozen=True)
class IndicatorRow:
    row: int
    indicator: str
    year: int
    value: Decimal
    respondents: int | None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def parse(data: bytes) -> tuple[list[IndicatorRow], list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not .xlsx
        return [], ["Filen är inte en Excel-fil (.xlsx)."]
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {}
    names = [_text(cell).lower() for cell in header]
    for key, title in COLUMNS.items():
        if title.lower() in names:
            positions[key] = names.index(title.lower())
    missing = [COLUMNS[key] for key in REQUIRED if key not in positions]
    if missing:
        return [], [f"Rad 1: kolumnen ”{name}” saknas." for name in missing]
    found: list[IndicatorRow] = []
    errors: list[str] = []
    seen: dict[tuple[str, int], int] = {}
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(f"Filen har fler än {MAX_ROWS} rader; dela upp den.")
            break

        def cell(key, cells=cells):
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        if all(_text(value) == "" for value in cells):
            continue
        indicator = " ".join(_text(cell("indicator")).split())
        problems = []
        if not indicator:
            problems.append(f"Rad {number}, kolumn ”Indikator”: ange indikatorns namn.")
        year = None
        try:
            year = int(Decimal(_text(cell("year"))))
            if not 2000 <= year <= 2100:
                raise ValueError
        except (InvalidOperation, ValueError):
            problems.append(f"Rad {number}, kolumn ”År”: ”{_text(cell('year'))}” är inte ett år mellan 2000 och 2100.")
        value = None
        raw = _text(cell("value")).replace("\u00a0", "").replace(" ", "").replace(",", ".").rstrip("%")
        try:
            value = Decimal(raw)
            if not value.is_finite() or abs(value) >= 100000:
                raise InvalidOperation
            value = value.quantize(Decimal("0.01"))
        except InvalidOperation:
            problems.append(f"Rad {number}, kolumn ”Resultat”: ”{_text(cell('value'))}” är inte ett tal.")
        respondents = None
        if _text(cell("respondents")):
            try:
                respondents = int(Decimal(_text(cell("respondents"))))
                if respondents < 0:
                    raise ValueError
            except (InvalidOperation, ValueError):
                problems.append(
                    f"Rad {number}, kolumn ”Antal svar”: ”{_text(cell('respondents'))}” är inte ett heltal."
                )
        if not problems:
            key = (indicator.lower(), year)
            if key in seen:
                problems.append(f"Rad {number}: {indicator} {year} finns redan på rad {seen[key]}.")
            seen[key] = number
        if problems:
            errors.extend(problems)
        else:
            found.append(IndicatorRow(number, indicator, year, value, respondents))
    book.close()
    if not found and not errors:
        errors.append("Filen har inga rader med resultat.")
    return found, errors
