"""Excel for the participant register, inside the utförare only (ADR 0019, 0020): the template, the import of
filled-in rows (large files as a background job with a progress bar) and the export of the register.

Every insats and import is fetched through register_access (the register's own rule): anyone but the utförare's
assigned register staff, a förbund user above all, gets 404 for every URL here, also with guessed ids.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from core.forms import add_service_errors
from core.permissions import has_perm
from core.tenancy import scoped_get_or_404
from core.xlsx import ImportRefused, xlsx_response

from . import register_import_services
from .forms import XlsxUploadForm
from .models import Project, RegisterImport
from .register_access import REGISTER, register_projects


def _project(request: HttpRequest, pk: int) -> Project:
    # register_projects is already narrowed to insatser this organisation runs (the insats row itself belongs to
    # the förbund, so the usual organisation scope does not apply to it).
    return get_object_or_404(register_projects(request).select_related("organisation"), pk=pk)


def _job(request: HttpRequest, pk: int) -> RegisterImport:
    rows = RegisterImport.objects.filter(project__in=register_projects(request).values("pk")).select_related(
        "project", "imported_by"
    )
    return scoped_get_or_404(request, rows, pk=pk)


@require_safe
@login_required
def register_template(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    data, filename = register_import_services.register_xlsx(
        organisation=request.organisation, project=project, blank=True
    )
    return xlsx_response(data, filename)


@require_safe
@login_required
def register_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The insats's whole register as .xlsx, in the template's columns (so it can be edited and imported)."""
    project = _project(request, pk)
    data, filename = register_import_services.register_xlsx(
        organisation=request.organisation, project=project, blank=False
    )
    return xlsx_response(data, filename)


@login_required
def register_import(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST" and not has_perm(request, REGISTER):
        # A write refused by role before any lookup (revisor, ledamot, förbundschef): it tells nothing of ids.
        raise PermissionDenied("Du har inte behörighet att göra detta.")
    project = _project(request, pk)
    form = XlsxUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = register_import_services.register_import_upload(
                organisation=request.organisation,
                project=project,
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
            )
        except ImportRefused as exc:
            problems = exc.problems
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("projects:register_import_detail", pk=job.pk)
    recent = RegisterImport.objects.for_organisation(request.organisation).filter(project=project)[:5]
    context = {
        "form": form,
        "project": project,
        "problems": problems,
        "recent": recent,
        "threshold": register_import_services.inline_rows(),
    }
    return render(
        request, "projects/registerimport_form.html", context, status=400 if request.method == "POST" else 200
    )


@require_safe
@login_required
def register_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "projects/registerimport_detail.html", {"job": job, "project": job.project})


@require_safe
@login_required
def register_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment the import page polls (htmx, every second while queued or running)."""
    job = _job(request, pk)
    context = {"job": job, "poll_url": request.path}
    return render(request, "core/_import_progress.html", context)
