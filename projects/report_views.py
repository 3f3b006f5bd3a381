"""Pages for participant reports: the grid (entry while a draft, read-only once submitted), submission with the
checks listed, corrections as new versions, and the versions of a period.

A submitted report refuses every write: the views answer with the service's message, never a changed report.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404
from core.xlsx import ImportRefused, xlsx_response

from . import report_selectors, report_services
from .access import scope_projects
from .forms import CorrectionForm, ReportCreateForm, XlsxUploadForm, cell_name, parse_grid
from .models import GENDERS, Gender, ParticipantReport, Project
from .project_views import REPORT, VIEW


def _report(request: HttpRequest, pk: int) -> ParticipantReport:
    rows = scope_projects(request, ParticipantReport.objects.select_related("project", "submitted_by"), "project__")
    return scoped_get_or_404(request, rows, pk=pk)


@require_safe
@perm_required(VIEW)
def report_list(request: HttpRequest) -> HttpResponse:
    reports = scope_projects(request, report_selectors.report_list(organisation=request.organisation), "project__")
    return render(request, "projects/report_list.html", {"reports": reports})


@perm_required(REPORT)
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = scoped_get_or_404(request, scope_projects(request, Project.objects.all()), pk=pk)
    form = ReportCreateForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_services.report_create(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Rapporten för {report.period_label} är skapad. Fyll i antalen.")
            return redirect("projects:report_detail", pk=report.pk)
    return render(
        request, "projects/simple_form.html", {"form": form, "title": "Ny deltagarrapport", "project": project}
    )


def _grid_context(grid, typed: dict[str, str] | None = None) -> dict:
    """The grid's rows with the input name and shown value of each cell (what was typed, after an error)."""
    typed = typed or {}

    def cells(row):
        return [
            {
                "name": cell_name(row.key, gender),
                "value": typed.get(cell_name(row.key, gender), row.cells.get(gender, 0)),
                "gender": gender,
                "gender_label": Gender(gender).label,
            }
            for gender in GENDERS
        ]

    return {
        "base_rows": [{"row": row, "cells": cells(row)} for row in grid.base_rows],
        "sections": [
            {"section": section, "rows": [{"row": row, "cells": cells(row)} for row in section.rows]}
            for section in grid.sections
        ],
    }


@perm_required(VIEW)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    can_manage = has_perm(request, REPORT)
    # A register insats's report is computed at the utförare (crossing_services), never typed here.
    editable = can_manage and not report.is_locked and report.project.follow_up_method != Project.FollowUp.REGISTER
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Du har inte behörighet att göra detta.")
        return _report_post(request, report)
    grid, errors = report_selectors.report_grid(report=report)
    return _render_report(request, report, grid, errors=errors if editable else [], editable=editable)


def _render_report(request, report, grid, *, errors, editable, input_errors=(), typed=None, status=200):
    versions = report_selectors.report_versions(report=report)
    newest = versions.first()
    context = {
        "report": report,
        "project": report.project,
        "grid": grid,
        "rows": _grid_context(grid, typed),
        "errors": errors,
        "input_errors": list(input_errors),
        "editable": editable,
        "can_manage": has_perm(request, REPORT),
        "versions": versions,
        "is_newest": newest is not None and newest.pk == report.pk,
        "genders": [Gender(gender).label for gender in GENDERS],
    }
    return render(request, "projects/report_detail.html", context, status=status)


def _report_post(request: HttpRequest, report: ParticipantReport) -> HttpResponse:
    grid, _ = report_selectors.report_grid(report=report)
    if report.is_locked:
        messages.error(request, report_services.REPORT_LOCKED_MESSAGE)
        return redirect("projects:report_detail", pk=report.pk)
    values, input_errors, typed = parse_grid(grid, request.POST)
    if input_errors:
        return _render_report(
            request, report, grid, errors=[], editable=True, input_errors=input_errors, typed=typed, status=400
        )
    try:
        report = report_services.report_save_counts(
            report=report, actor=request.user, values=values, comment=request.POST.get("comment", "")
        )
        if request.POST.get("action") == "submit":
            report_services.report_submit(report=report, actor=request.user)
    except ValidationError as exc:
        grid, errors = report_selectors.report_grid(report=report)
        if not errors:
            errors = exc.messages
        messages.error(request, "Rapporten lämnades inte in. Rätta uppgifterna nedan.")
        return _render_report(request, report, grid, errors=errors, editable=True, status=400)
    if request.POST.get("action") == "submit":
        messages.success(request, "Rapporten är inlämnad och låst.")
    else:
        messages.success(request, "Antalen är sparade.")
    return redirect("projects:report_detail", pk=report.pk)


@perm_required(REPORT)
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = report_services.report_correct(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Version {correction.version} är skapad. Ändra antalen och lämna in den.")
            return redirect("projects:report_detail", pk=correction.pk)
    title = f"Rätta rapporten för {report.period_label}"
    return render(request, "projects/simple_form.html", {"form": form, "title": title, "project": report.project})


@require_safe
@perm_required(VIEW)
def report_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Any version as .xlsx, submitted ones too: its figures and the totals computed by Paragraf."""
    report = _report(request, pk)
    data, filename = report_selectors.report_xlsx(report=report, blank=False)
    return xlsx_response(data, filename)


@require_safe
@perm_required(REPORT)
def report_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A blank template of the draft's grid to fill in and import."""
    report = _report(request, pk)
    if report.is_locked:
        messages.error(request, report_services.REPORT_LOCKED_MESSAGE)
        return redirect("projects:report_detail", pk=report.pk)
    data, filename = report_selectors.report_xlsx(report=report, blank=True)
    return xlsx_response(data, filename)


@perm_required(REPORT)
def report_import(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = XlsxUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and report.is_locked:
        messages.error(request, report_services.REPORT_LOCKED_MESSAGE)
        return redirect("projects:report_detail", pk=report.pk)
    if request.method == "POST" and form.is_valid():
        try:
            report_services.report_import_xlsx(report=report, actor=request.user, data=form.cleaned_data["file"].read())
        except ImportRefused as exc:
            problems = exc.problems
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Antalen är inlästa från filen och summorna uträknade. Kontrollera rapporten och lämna in den."
            )
            return redirect("projects:report_detail", pk=report.pk)
    context = {"form": form, "report": report, "project": report.project, "problems": problems}
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/report_import.html", context, status=status)
