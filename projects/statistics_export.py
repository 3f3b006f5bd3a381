"""The statistics and the registreringsunderlag as Excel workbooks: plain functions over the selectors' output,
the same tables as the pages, figures as numbers (shares as fractions formatted as percent)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import GENDERS, Gender
from .statistics_selectors import Statistics, total

GENDER_HEADERS = [Gender(gender).label for gender in GENDERS]
PERCENT = "0.0 %"
BOLD = Font(bold=True)


def _fraction(value: Decimal | None):
    return None if value is None else value / 100


def _sheet(workbook: Workbook, title: str, headers: list[str], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    # Excel allows 31 characters and no []:*?/\ in a sheet name.
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "B2"
    return sheet


def _finish(sheet, percent_columns: tuple[int, ...] = ()) -> None:
    for column in percent_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = PERCENT
    sheet.column_dimensions["A"].width = 48
    for index in range(2, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16


def _bold_last(sheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def statistics_workbook(*, stats: Statistics, organisation_name: str) -> bytes:
    workbook = Workbook()
    reasons = stats.reasons
    headers = [
        "År",
        *[f"Aktiva, {label.lower()}" for label in GENDER_HEADERS],
        "Aktiva totalt",
        "Nyinskrivna",
        "Avslutade",
        "Egen försörjning vid avslut",
        "Andel egen försörjning",
        "Offentlig försörjning vid avslut",
        "Andel offentlig försörjning",
        *[f"Andel {reason.label.lower()}" for reason in reasons],
        "Budgeterat antal deltagare",
        "Aktiva i insatser med budgeterat antal",
    ]
    sheet = _sheet(workbook, "Per år", headers, first=True)
    for row in stats.year_rows:
        sheet.append(
            [
                row.year,
                *[row.active[g] for g in GENDERS],
                row.active_total,
                total(row.enrolled),
                total(row.exited),
                row.outcome.own,
                _fraction(row.outcome.own_share),
                row.outcome.public,
                _fraction(row.outcome.public_share),
                *[_fraction(value) for _reason, _count, value in row.outcome.reason_shares(reasons)],
                row.budgeted,
                row.budgeted_active if row.budgeted is not None else None,
            ]
        )
    _finish(sheet, (9, 11, *range(12, 12 + len(reasons))))
    sheet.column_dimensions["A"].width = 10

    headers = [
        "Insats",
        "Inriktning",
        *[f"Deltagare, {label.lower()}" for label in GENDER_HEADERS],
        "Deltagare totalt",
        "Budgeterat antal deltagare",
        "Andel av budgeterat",
        "Avslutade",
        "Andel egen försörjning vid avslut",
        "Andel offentlig försörjning vid avslut",
        *[f"Andel {reason.label.lower()}" for reason in reasons],
    ]
    sheet = _sheet(workbook, "Per insats", headers)
    for row in stats.project_rows:
        cells = row.structural if row.project.is_structural else row.active
        sheet.append(
            [
                row.project.name,
                row.project.get_orientation_display(),
                *[cells[g] for g in GENDERS],
                row.participants,
                row.project.budgeted_participants,
                _fraction(row.budget_share),
                total(row.exited),
                _fraction(row.outcome.own_share),
                _fraction(row.outcome.public_share),
                *[_fraction(value) for _reason, _count, value in row.outcome.reason_shares(reasons)],
            ]
        )
    _finish(sheet, (8, 10, 11, *range(12, 12 + len(reasons))))

    for table in stats.tables:
        sheet = _sheet(workbook, table.title, [table.title, *GENDER_HEADERS, "Totalt"])
        for row in table.rows:
            sheet.append([row.category.label, *[row.cells[g] for g in GENDERS], row.total])
        sheet.append(["Summa", *[table.totals[g] for g in GENDERS], table.total])
        _bold_last(sheet)
        if table.unreported is not None:
            sheet.append(["Ej redovisade", *[table.unreported[g] for g in GENDERS], table.unreported_total])
        _finish(sheet)

    sheet = _sheet(workbook, "Strukturövergripande", ["Aktivitet", "Organisation", *GENDER_HEADERS, "Totalt"])
    for row in stats.structural_rows:
        sheet.append([row.activity, row.organisation, *[row.cells[g] for g in GENDERS], row.total])
    _finish(sheet)
    sheet.column_dimensions["B"].width = 32

    info = workbook.create_sheet("Om urvalet")
    info.append([organisation_name])
    info.append([f"Deltagarstatistik {stats.selection.label}"])
    info.append(["Insats: " + (stats.project.name if stats.project else "alla insatser")])
    info.append(["Byggd enbart av inlämnade rapporter: den senaste inlämnade versionen av varje period räknas."])
    info.append(["Aktiva: inskrivna vid första periodens början plus alla nyinskrivna under urvalet."])
    info.column_dimensions["A"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
