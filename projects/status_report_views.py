"""Pages for lägesrapporter: create a period's report, the editor (every section on one page, with a version
check), the report as read (every version listed), submission, correction and the archived PDF.

Thin views: permission, scoped object (another organisation's id is a 404), form, one service. A submitted
report refuses every write in the service; the views only show the service's message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors, form_status
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404
from core.versioning import CONFLICT_STATUS, EditConflict, conflict_response_form
from reporting.views import job_file_response

from . import status_report_selectors, status_report_services
from .access import scope_projects
from .documents import STATUS_REPORT_SECTIONS
from .models import STATUS_REPORT_LOCKED_MESSAGE, Project, StatusReport
from .status_report_forms import (
    ActivityFormSet,
    AreaFormSet,
    CorrectionForm,
    CostFormSet,
    StatusReportCreateForm,
    StatusReportForm,
    StatusReportSubmitForm,
)

VIEW = "projects.view"
MANAGE = "projects.manage"


def _report(request: HttpRequest, pk: int) -> StatusReport:
    rows = scope_projects(
        request, status_report_selectors.report_queryset(organisation=request.organisation), "project__"
    )
    return scoped_get_or_404(request, rows, pk=pk)


@perm_required(MANAGE)
def status_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = scoped_get_or_404(request, scope_projects(request, Project.objects.all()), pk=pk)
    form = StatusReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = status_report_services.status_report_create(
                project=project, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Lägesrapporten för {report.period_label} är skapad. Skriv den här.")
            return redirect("projects:status_report_edit", pk=report.pk)
    return render(
        request,
        "projects/simple_form.html",
        {"form": form, "title": "Ny lägesrapport", "project": project},
        status=form_status(request, form),
    )


@require_safe
@perm_required(VIEW)
def status_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    context = {
        "report": report,
        "project": report.project,
        "versions": list(status_report_selectors.versions_of(report=report)),
        "economy": status_report_selectors.economic_outcome(report=report),
        "sections": dict(STATUS_REPORT_SECTIONS),
        "can_manage": has_perm(request, MANAGE),
        "submit_form": StatusReportSubmitForm(initial={"version": report.version}),
        "problems": [] if report.is_locked else status_report_services.submit_problems(report),
    }
    return render(request, "projects/statusreport_detail.html", context)


def _formsets(data, report: StatusReport):
    return {
        "areas": AreaFormSet(data, prefix="area", initial=report.area_summaries),
        "activities": ActivityFormSet(data, prefix="activity", initial=report.activities),
        "costs": CostFormSet(data, prefix="cost", initial=report.cost_rows),
    }


def _rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


@perm_required(MANAGE)
def status_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if report.is_locked:
        messages.info(request, STATUS_REPORT_LOCKED_MESSAGE)
        return redirect("projects:status_report_detail", pk=report.pk)
    data = request.POST if request.method == "POST" else None
    form = StatusReportForm(data, instance=StatusReport.objects.get(pk=report.pk))
    formsets = _formsets(data, report)
    conflict, row_errors = None, []
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        values = dict(form.cleaned_data)
        version = values.pop("version")
        if report.revision > 1:
            values.pop("period_start", None), values.pop("period_end", None)
        try:
            status_report_services.status_report_update(
                report=report,
                actor=request.user,
                version=version,
                area_summaries=_rows(formsets["areas"]),
                activities=_rows(formsets["activities"]),
                cost_rows=_rows(formsets["costs"]),
                **values,
            )
        except EditConflict as exc:
            conflict_response_form(form, exc)
            conflict = exc
        except ValidationError as exc:
            if getattr(exc, "code", None) == "rows" or not hasattr(exc, "error_dict"):
                row_errors = exc.messages
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, "Lägesrapporten är sparad.")
            return redirect("projects:status_report_detail", pk=report.pk)
    status = CONFLICT_STATUS if conflict else (400 if request.method == "POST" else 200)
    context = {
        "report": report,
        "project": report.project,
        "form": form,
        **formsets,
        "conflict": conflict,
        "row_errors": row_errors,
        "sections": dict(STATUS_REPORT_SECTIONS),
    }
    return render(request, "projects/statusreport_edit.html", context, status=status)


@require_POST
@perm_required(MANAGE)
def status_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = StatusReportSubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("version", ["Ladda om sidan och försök igen."])))
        return redirect("projects:status_report_detail", pk=report.pk)
    try:
        status_report_services.status_report_submit(
            report=report, actor=request.user, version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Lägesrapporten är inlämnad och låst. PDF-filen skapas för arkivet.")
    return redirect("projects:status_report_detail", pk=report.pk)


@perm_required(MANAGE)
def status_report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = status_report_services.status_report_correct(
                report=report, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Version {new.revision} är skapad som utkast. Gör rättelsen och lämna in.")
            return redirect("projects:status_report_edit", pk=new.pk)
    return render(
        request,
        "projects/simple_form.html",
        {"form": form, "title": f"Rätta lägesrapporten {report.period_label}", "project": report.project},
        status=form_status(request, form),
    )


@require_safe
@perm_required(VIEW)
def status_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The archived PDF/A of a submitted version, for everyone who may read the report."""
    report = _report(request, pk)
    if report.archived_job is None:
        raise Http404("Lägesrapporten har ingen arkiverad PDF.")
    return job_file_response(report.archived_job)


@require_POST
@perm_required(MANAGE)
def status_report_archive(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if status_report_services.status_report_archive_request(report=report, actor=request.user):
        messages.success(request, "PDF-filen beställs igen. Det tar en liten stund.")
    else:
        messages.info(request, "PDF-filen finns redan eller håller på att skapas.")
    return redirect("projects:status_report_detail", pk=report.pk)
