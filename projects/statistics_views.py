"""The statistics page and its Excel export, and the registreringsunderlag for Uppföljning Finsam.

Thin views: permission, the choice read from the query string (an insats the user may not see is a 404), one
selector, render. The statistics read only submitted reports (projects/statistics_selectors.py).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import finsam_selectors, statistics_charts, statistics_export
from .access import visible_projects
from .models import GENDERS, Gender
from .statistics_selectors import PERIODS, Selection, report_years, statistics
from .statistics_selectors import ordered as _ordered

STATISTICS = "projects.statistics"
FINSAM = "projects.finsam"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_YEARS = 30


def _year(value: str | None) -> int | None:
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _selection(request: HttpRequest, years_hint: list[int]):
    """The choice from the query string; the newest year with submitted reports when none is given."""
    project = None
    raw = request.GET.get("insats", "")
    if raw:
        project = scoped_get_or_404(request, visible_projects(request), pk=raw)
    default = years_hint[0] if years_hint else dt.date.today().year
    year_to = _year(request.GET.get("till")) or default
    year_from = _year(request.GET.get("fran")) or year_to
    if year_from > year_to:
        year_from, year_to = year_to, year_from
    year_from = max(year_from, year_to - MAX_YEARS + 1)
    period = request.GET.get("period", "year")
    period = period if period in PERIODS else "year"
    return Selection(year_from, year_to, period, project.pk if project else None), project


def _statistics(request: HttpRequest):
    projects = visible_projects(request)
    years = report_years(projects=projects)
    selection, project = _selection(request, years)
    stats = statistics(organisation=request.organisation, projects=projects, selection=selection, project=project)
    return stats, years


def _charts(stats) -> dict:
    charts = {
        "years": statistics_charts.by_gender(
            [str(r.year) for r in stats.year_rows], [r.active for r in stats.year_rows]
        ),
        "outcome": statistics_charts.series(
            [str(r.year) for r in stats.year_rows],
            [
                ("Egen försörjning", [r.outcome.own for r in stats.year_rows]),
                ("Offentlig försörjning", [r.outcome.public for r in stats.year_rows]),
                ("Ingen offentlig försörjning eller okänd", [r.outcome.other for r in stats.year_rows]),
                ("Ej redovisad", [r.outcome.unreported for r in stats.year_rows]),
            ],
        ),
    }
    budgeted = [r for r in stats.project_rows if r.project.budgeted_participants is not None]
    if budgeted:
        charts["budget"] = statistics_charts.series(
            [r.project.short_name or r.project.name for r in budgeted],
            [
                ("Budgeterat", [r.project.budgeted_participants for r in budgeted]),
                ("Faktiskt", [r.participants for r in budgeted]),
            ],
            horizontal=True,
        )
    charts["tables"] = {
        table.key: statistics_charts.by_gender(
            [row.category.label for row in table.rows], [row.cells for row in table.rows], horizontal=True
        )
        for table in stats.tables
        if table.total
    }
    return charts


@require_safe
@perm_required(STATISTICS)
def statistics_page(request: HttpRequest) -> HttpResponse:
    stats, years = _statistics(request)
    query = request.GET.urlencode()
    charts = _charts(stats) if stats.has_figures else {}
    context = {
        "stats": stats,
        "years": years,
        "periods": [(key, label) for key, (label, _first, _last) in PERIODS.items()],
        "genders": [(g, Gender(g).label) for g in GENDERS],
        "charts": charts,
        "tables": [(table, charts.get("tables", {}).get(table.key)) for table in stats.tables],
        "query": query,
        "can_finsam": has_perm(request, FINSAM),
        "totals": stats.totals,
    }
    return render(request, "projects/statistics_page.html", context)


@require_safe
@perm_required(STATISTICS)
def statistics_export_view(request: HttpRequest) -> HttpResponse:
    stats, _years = _statistics(request)
    data = statistics_export.statistics_workbook(stats=stats, organisation_name=request.organisation.name)
    response = HttpResponse(data, content_type=XLSX)
    name = f"deltagarstatistik-{stats.selection.year_from}"
    if stats.selection.year_to != stats.selection.year_from:
        name += f"-{stats.selection.year_to}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _finsam(request: HttpRequest):
    years = finsam_selectors.underlag_years(organisation=request.organisation)
    year = _year(request.GET.get("ar")) or (years[0] if years else dt.date.today().year)
    return finsam_selectors.underlag(organisation=request.organisation, year=year), years


@require_safe
@perm_required(FINSAM)
def finsam_page(request: HttpRequest) -> HttpResponse:
    underlag, years = _finsam(request)
    individual, structural = _ordered(underlag.individual_totals), _ordered(underlag.structural_totals)
    sections = [
        ("Individinriktade insatser", underlag.individual, individual, sum(individual), "individual"),
        ("Strukturövergripande insatser", underlag.structural, structural, sum(structural), "structural"),
    ]
    context = {
        "underlag": underlag,
        "years": years,
        "genders": [(g, Gender(g).label) for g in GENDERS],
        "sections": sections,
        "structural_rows": underlag.structural_detail,
        "finance_rows": underlag.finance_rows,
    }
    return render(request, "projects/statistics_finsam.html", context)


@require_safe
@perm_required(FINSAM)
def finsam_export(request: HttpRequest) -> HttpResponse:
    underlag, _years = _finsam(request)
    data = finsam_selectors.underlag_workbook(underlag=underlag, organisation_name=request.organisation.name)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="registreringsunderlag-finsam-{underlag.year}.xlsx"'
    return response
