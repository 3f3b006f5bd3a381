"""Pages of the årsredovisning: the list of years with their årsredovisning and underlag (the revisor's page too),
the report, its editor, fastställ, and the downloads with their SHA-256 checksums.

Thin views: permission, scoped object (404 for another organisation's), form, one service. The revisor reads and
downloads only: every write view needs finance.manage, and the list and downloads answer GET only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404
from core.versioning import CONFLICT_STATUS, EditConflict, conflict_response_form
from reporting.views import job_file_response

from . import annual_report_selectors as selectors
from . import annual_report_services as services
from .annual_report_documents import EXCEL_TYPE, report_context
from .annual_report_forms import AnnualReportCreateForm, AnnualReportForm, FinaliseForm
from .models import AnnualReport, LedgerImport

VIEW = "finance.view"
MANAGE = "finance.manage"


def _report(request: HttpRequest, pk: int) -> AnnualReport:
    return scoped_get_or_404(request, selectors.annual_reports(organisation=request.organisation), pk=pk)


def _download(handle, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@perm_required(VIEW)
def annual_report_list(request: HttpRequest) -> HttpResponse:
    """Every year's årsredovisning and underlag with their checksums: the ekonom's start and the revisor's page."""
    can_manage = has_perm(request, MANAGE)
    context = {
        "rows": selectors.year_rows(organisation=request.organisation),
        "can_manage": can_manage,
        "form": AnnualReportCreateForm(organisation=request.organisation) if can_manage else None,
    }
    return render(request, "finance/annual_report_list.html", context)


@require_POST
@perm_required(MANAGE)
def annual_report_create(request: HttpRequest) -> HttpResponse:
    form = AnnualReportCreateForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        try:
            report = services.annual_report_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{report} är skapad med förvaltningsberättelsens rubriker. Skriv texterna.")
            return redirect("finance:annual_report_edit", pk=report.pk)
    context = {"rows": selectors.year_rows(organisation=request.organisation), "can_manage": True, "form": form}
    return render(request, "finance/annual_report_list.html", context, status=400)


@require_safe
@perm_required(VIEW)
def annual_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    can_manage = has_perm(request, MANAGE) and not report.is_final
    context = {
        **report_context(report),
        "can_manage": can_manage,
        "may_archive": has_perm(request, MANAGE),
        "underlag": selectors.year_underlag(report=report),
        "failures": [],
        "finalise_form": None,
    }
    if can_manage:
        context["failures"] = [
            services.failure_text(f)
            for f in selectors.validate_year(organisation=request.organisation, fiscal_year=report.fiscal_year)
        ]
        context["finalise_form"] = FinaliseForm(initial={"decided_on": report.decided_on})
    return render(request, "finance/annual_report_detail.html", context)


@perm_required(MANAGE)
def annual_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if report.is_final:
        messages.info(request, services.LOCKED)
        return redirect("finance:annual_report_detail", pk=report.pk)
    form = AnnualReportForm(request.POST or None, report=report)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.annual_report_update(report=report, actor=request.user, version=version, **data)
        except EditConflict as exc:
            conflict_response_form(form, exc)
            conflict = exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{report} är sparad.")
            return redirect("finance:annual_report_detail", pk=report.pk)
    status = CONFLICT_STATUS if conflict else (400 if request.method == "POST" else 200)
    figures = report_context(report)["figures"]
    context = {"form": form, "report": report, "conflict": conflict, "figures": figures.values()}
    return render(request, "finance/annual_report_form.html", context, status=status)


@require_POST
@perm_required(MANAGE)
def annual_report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("finance:annual_report_detail", pk=report.pk)
    try:
        services.annual_report_finalise(report=report, actor=request.user, decided_on=form.cleaned_data["decided_on"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"{report} är fastställd och låst. Arkivexemplaret (PDF/A med underlagen bifogade) skapas nu."
        )
    return redirect("finance:annual_report_detail", pk=report.pk)


@require_POST
@perm_required(MANAGE)
def annual_report_archive_again(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        services.annual_report_archive_again(report=report, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Arkivexemplaret beställs igen.")
    return redirect("finance:annual_report_detail", pk=report.pk)


@require_safe
@perm_required(VIEW)
def annual_report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The archived PDF/A of a fastställd årsredovisning, for everyone who reads finance (the revisor above all)."""
    report = _report(request, pk)
    if report.archived_job is None:
        raise Http404("Årsredovisningen är inte arkiverad.")
    return job_file_response(report.archived_job)


@require_safe
@perm_required(VIEW)
def annual_report_extract(request: HttpRequest, pk: int) -> FileResponse:
    """The Excel ledger extract stored when the årsredovisning was fastställd (its SHA-256 is on the list)."""
    report = _report(request, pk)
    if not report.ledger_extract:
        raise Http404("Huvudboksutdraget finns inte.")
    try:
        handle = report.ledger_extract.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Filen saknas.") from exc
    name = f"huvudboksutdrag-{report.fiscal_year.label.replace('/', '-')}.xlsx"
    return _download(handle, filename=name, content_type=EXCEL_TYPE)


@require_safe
@perm_required(VIEW)
def ledger_import_file(request: HttpRequest, pk: int) -> FileResponse:
    """An imported file exactly as uploaded (the SIE file of the year), with the SHA-256 recorded at upload."""
    queryset = LedgerImport.objects.filter(status=LedgerImport.Status.DONE).exclude(file="")
    ledger_import = scoped_get_or_404(request, queryset, pk=pk)
    try:
        handle = ledger_import.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Filen saknas.") from exc
    content_type = EXCEL_TYPE if ledger_import.source == LedgerImport.Source.EXCEL else "application/octet-stream"
    return _download(handle, filename=ledger_import.filename, content_type=content_type)
