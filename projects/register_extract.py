"""The registerutdrag: everything held on one participant, as an .xlsx workbook (docs/decisions/0019).

An .xlsx built on request and sent at once, never stored: a PDF would go through the document pipeline, which
keeps the rendered file (reporting.RenderJob), and a copy of personal data kept there would outlive gallring.
A plain function over register_selectors.participant_extract's output.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone

from core.formatting import format_date

HISTORY_TYPES = {"+": "Registrerad", "~": "Ändrad", "-": "Borttagen"}


def _label(value) -> str:
    return "" if value is None else str(value)


def _date(value) -> str:
    return format_date(value) if value else ""


def record_rows(participant, activities: list[str]) -> list[tuple[str, str]]:
    return [
        ("Deltagarkod", participant.code),
        ("Insats", participant.project.name),
        ("Utförare (personuppgiftsansvarig)", participant.organisation.name),
        ("Kön", participant.get_gender_display()),
        ("Samtycke", "Ja" if participant.consent else "Nej (bara kön och startår sparas)"),
        ("Samtycke lämnat", _date(participant.consent_on)),
        ("Startår", str(participant.enrolment_year)),
        ("Födelseår", _label(participant.birth_year)),
        ("Remittent", _label(participant.referrer)),
        ("Högsta utbildningsnivå", _label(participant.education)),
        ("Försörjning vid inskrivning", _label(participant.income_at_entry)),
        ("Inskrivningsdatum", _date(participant.enrolled_on)),
        ("Avslutsdatum", _date(participant.exited_on)),
        ("Avslutsorsak", _label(participant.exit_reason)),
        ("Försörjning vid avslut", _label(participant.income_at_exit)),
        ("Aktiviteter", ", ".join(activities)),
        ("Registrerad", _date(timezone.localtime(participant.created_at))),
        ("Senast ändrad", _date(timezone.localtime(participant.updated_at))),
    ]


def extract_xlsx(extract: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    participant = extract["participant"]
    activities = [str(activity) for activity in participant.activities.all()]
    book = Workbook()
    sheet = book.active
    sheet.title = "Uppgifter"
    sheet.append([f"Registerutdrag för deltagare {participant.code}", ""])
    sheet.append([f"Utskrivet {format_date(timezone.localdate())} ur Paragraf", ""])
    sheet.append(["Uppgift", "Värde"])
    for row in record_rows(participant, activities):
        sheet.append(list(row))
    history = book.create_sheet("Ändringar")
    history.append(["Tidpunkt", "Händelse", "Av", "Kön", "Samtycke", "Födelseår", "Inskriven", "Avslutad"])
    for row in extract["history"]:
        history.append(
            [
                timezone.localtime(row.history_date).strftime("%Y-%m-%d %H:%M"),
                HISTORY_TYPES.get(row.history_type, row.history_type),
                str(row.history_user) if row.history_user else "",
                row.get_gender_display(),
                "Ja" if row.consent else "Nej",
                _label(row.birth_year),
                _date(row.enrolled_on),
                _date(row.exited_on),
            ]
        )
    views = book.create_sheet("Visningar")
    views.append(["Tidpunkt", "Användare", "Händelse"])
    for row in extract["views"]:
        views.append(
            [
                timezone.localtime(row.viewed_at).strftime("%Y-%m-%d %H:%M"),
                str(row.user) if row.user else "(borttagen användare)",
                row.get_action_display(),
            ]
        )
    for ws in (sheet, history, views):
        for cell in ws[3 if ws is sheet else 1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 60 if ws is sheet else 24
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
