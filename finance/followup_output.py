"""The uppföljning as pygal charts (SVG, shown as an image beside its data table) and as an Excel workbook.

Plain functions over finance.followup_selectors.Followup: nothing here queries the database. Amounts stay Decimal
into the workbook cells; the charts take floats only for drawing (the numbers the reader reads are the table's).
"""

from __future__ import annotations

import base64
import io

from .followup_selectors import MONTHS, Followup, Row

MNKR = 1_000_000


def _style():
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#495057",
        colors=("#0d47a1", "#b26a00", "#2e7d32"),
        font_family="DejaVu Sans, sans-serif",
    )


def _data_uri(chart) -> str:
    svg = chart.render(is_unicode=True).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _config(**extra):
    # No JavaScript: the chart is an <img>, and the page's CSP allows no inline scripts anyway.
    return {"style": _style(), "js": [], "disable_xml_declaration": True, "width": 640, "height": 360, **extra}


def units_chart(report: Followup) -> str:
    """Utfall against periodbudget per verksamhet, in mnkr."""
    import pygal

    chart = pygal.Bar(**_config(legend_at_bottom=True, x_label_rotation=0, truncate_label=18))
    chart.title = f"Utfall och budget {report.period_label} (mnkr)"
    rows = report.units or report.groups
    chart.x_labels = [row.name for row in rows]
    chart.add("Utfall", [float(row.figures.actual / MNKR) for row in rows])
    chart.add("Periodbudget", [float(row.figures.budget / MNKR) for row in rows])
    return _data_uri(chart)


def months_chart(report: Followup) -> str:
    """Accumulated utfall against accumulated budget (and last year) month by month, in mnkr."""
    import pygal

    chart = pygal.Line(**_config(legend_at_bottom=True))
    chart.title = "Ackumulerat utfall och budget per månad (mnkr)"
    chart.x_labels = report.month_names
    figures = report.total.figures
    actual, budget, last_year = [], [], []
    running = [0, 0, 0]
    for month, value, planned, before in figures.month_rows():
        running = [running[0] + value, running[1] + planned, running[2] + before]
        actual.append(float(running[0] / MNKR) if month <= report.last else None)
        budget.append(float(running[1] / MNKR))
        last_year.append(float(running[2] / MNKR))
    chart.add("Utfall", actual)
    chart.add("Budget", budget)
    if report.previous_year is not None:
        chart.add(f"Utfall {report.previous_year.label}", last_year)
    return _data_uri(chart)


HEADERS = [
    "Kod",
    "Namn",
    "Utfall",
    "Periodbudget",
    "Avvikelse",
    "Årsbudget",
    "Förbrukning %",
    "Prognos helår",
    "Avvikelse helår",
    "Utfall förra året",
    "Förändring mot förra året",
    "Kommentar",
]


def _row_values(row: Row) -> list:
    f = row.figures
    return [
        row.code,
        row.name,
        f.actual,
        f.budget,
        f.deviation,
        f.annual_budget,
        f.usage,
        f.forecast,
        f.forecast_deviation,
        f.last_year,
        f.change,
        row.entry.comment if row.entry else None,
    ]


def followup_workbook(report: Followup) -> bytes:
    """Three sheets: per verksamhet, per konto och kontoklass, and month by month. Amounts in kronor."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)

    def sheet_with(title: str, headers: list[str]):
        sheet = workbook.create_sheet(title)
        sheet.append([f"Uppföljning {report.fiscal_year.label}, {report.period_label}, {report.organisation.name}"])
        sheet.append(["Kostnader positiva, intäkter negativa; avvikelse = budget − utfall (positiv är bättre)."])
        sheet.append(headers)
        for cell in sheet[3]:
            cell.font = bold
        sheet.column_dimensions["B"].width = 36
        return sheet

    workbook.remove(workbook.active)
    units = sheet_with(report.unit_label, HEADERS)
    for row in report.units:
        units.append(_row_values(row))
    units.append(_row_values(report.total))
    for cell in units[units.max_row]:
        cell.font = bold

    accounts = sheet_with("Konton", HEADERS[:-1])
    for group in report.groups:
        for child in group.children:
            accounts.append(_row_values(child)[:-1])
        accounts.append(_row_values(group)[:-1])
        for cell in accounts[accounts.max_row]:
            cell.font = bold

    months = sheet_with("Per månad", ["Kod", "Namn", "Slag", *report.month_names, "Summa"])
    for row in [*report.units, report.total] if report.units else [*report.groups, report.total]:
        f = row.figures
        for label, values in (("Utfall", f.actual_months), ("Budget", f.budget_months)):
            months.append([row.code, row.name, label, *values[:MONTHS], sum(values)])
    for sheet in workbook.worksheets:
        for line in sheet.iter_rows(min_row=4, min_col=3):
            for cell in line:
                if not isinstance(cell.value, str) and cell.value is not None:
                    # Förbrukning % (column G of the first two sheets) keeps its decimal.
                    percent = cell.column_letter == "G" and sheet.title != "Per månad"
                    cell.number_format = "0.0" if percent else "# ##0"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
