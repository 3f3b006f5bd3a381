"""Document jobs: the list, requesting a document, the status page with its progress fragment, the download.

Thin views: permission through core.permissions, reads through reporting.selectors, the one write through
reporting.services.render_job_request. A job another user asked for, or of another organisation, is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import has_perm, perm_required, require_perm

from . import selectors, services
from .documents import (
    DocumentInputError,
    DocumentParamsForm,
    PdfDocument,
    build_params_form,
    get_document_class,
    registered_documents,
)
from .forms import RenderRequestForm, params_from_post
from .models import RenderJob

JOBS_PER_PAGE = 25


def _see_all(request: HttpRequest) -> bool:
    return has_perm(request, "reporting.view_all_jobs")


def _job_or_404(request: HttpRequest, pk: int) -> RenderJob:
    try:
        return selectors.job_for_user(
            organisation=request.organisation, user=request.user, see_all=_see_all(request), pk=pk
        )
    except RenderJob.DoesNotExist as exc:
        raise Http404("Dokumentet hittades inte.") from exc


def _document_entry(document_class: type[PdfDocument]) -> dict[str, Any]:
    return {
        "kind": document_class.kind,
        "title": document_class.title,
        "label": f"Skapa {document_class.title.lower()} (PDF)",
        "accepts_uploads": document_class.accepts_uploads,
        # Nothing to choose on the request page: the button alone will do.
        "no_options": document_class.params_form is None and not document_class.accepts_uploads,
    }


def _params_form(request: HttpRequest, document_class: type[PdfDocument], data=None):
    if document_class.params_form is None:
        return None
    initial = {key: value for key, value in request.GET.items() if key != "kind"} if data is None else None
    return build_params_form(
        document_class, organisation=request.organisation, data=data, initial=initial, auto_id="id_param_%s"
    )


@require_safe
@perm_required("reporting.view")
def job_list(request: HttpRequest) -> HttpResponse:
    see_all = _see_all(request)
    jobs = selectors.jobs_for_list(organisation=request.organisation, user=request.user, see_all=see_all)
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("sida"))
    documents = [_document_entry(cls) for cls in registered_documents() if has_perm(request, cls.required_perm)]
    context = {"page": page, "jobs": page.object_list, "see_all": see_all, "documents": documents}
    return render(request, "reporting/job_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@perm_required("reporting.render")
def job_request(request: HttpRequest) -> HttpResponse:
    """GET: the request form for one document type (params, bilagor). POST: request it, then its status page.

    An input the document cannot use (bad params, an unreadable bilaga) re-renders the form with the Swedish
    message and what was typed; nothing is saved then.
    """
    is_post = request.method == "POST"
    data = request.POST if is_post else request.GET
    kind = data.get("kind", "")
    try:
        document_class = get_document_class(kind)
    except DocumentInputError as exc:
        if not is_post:
            raise Http404("Den dokumenttypen finns inte.") from exc
        return render(request, "reporting/job_request.html", {"error": exc.message}, status=400)
    require_perm(request, document_class.required_perm)

    params = params_from_post(data) if is_post else {}
    form = RenderRequestForm(data=data, files=request.FILES) if is_post else RenderRequestForm(initial={"kind": kind})
    context = {
        "document": _document_entry(document_class),
        "form": form,
        "params_form": _params_form(request, document_class, data=params if is_post else None),
        "had_uploads": bool(request.FILES),
    }
    if not is_post:
        return render(request, "reporting/job_request.html", context)

    if not form.is_valid():
        context["error"] = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return render(request, "reporting/job_request.html", context, status=400)
    _check_access(request, document_class, params)
    try:
        job = services.render_job_request(
            organisation=request.organisation,
            user=request.user,
            kind=kind,
            params=params,
            uploads=form.cleaned_data["appendices"],
        )
    except DocumentInputError as exc:
        context["error"] = exc.message
        return render(request, "reporting/job_request.html", context, status=400)
    return redirect("reporting:job_detail", pk=job.pk)


def _check_access(request: HttpRequest, document_class: type[PdfDocument], params: dict) -> None:
    """The document's own access check for these inputs (PermissionDenied). Bad inputs are left to the service."""
    try:
        cleaned = document_class.clean_params(params, organisation=request.organisation)
        document_class(organisation=request.organisation, params=cleaned).check_access(request)
    except DocumentInputError:
        return


@require_safe
@never_cache
@perm_required("reporting.view")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.render_job_expire_if_stale(job=_job_or_404(request, pk))
    context = {
        "job": job,
        "appendices": selectors.job_appendices(job=job),
        "params": _params_display(job),
        "subject": _subject(job),
    }
    return render(request, "reporting/job_detail.html", context)


def _subject(job: RenderJob) -> tuple[str, str] | None:
    """(label, URL) of the sammanträde, protokoll or § the job was made for; None when gone or not one object."""
    try:
        return get_document_class(job.kind)(organisation=job.organisation, params=job.params).subject()
    except DocumentInputError:
        return None


@require_safe
@never_cache
@perm_required("reporting.view")
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment the job page polls (htmx, every second while the job is queued or running)."""
    job = services.render_job_expire_if_stale(job=_job_or_404(request, pk))
    return render(request, "reporting/job_detail.html#progress", {"job": job})


@require_safe
@perm_required("reporting.view")
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    return job_file_response(_job_or_404(request, pk))


def job_file_response(job: RenderJob) -> FileResponse:
    """The job's PDF as a download; 404 while it is not done or when the file is gone. Check access first."""
    if not job.is_done or not job.output:
        raise Http404("Dokumentet är inte klart.")
    try:
        handle = job.output.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Filen saknas.") from exc
    response = FileResponse(handle, as_attachment=True, filename=job.filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _params_display(job: RenderJob) -> list[tuple[str, Any]]:
    """The job's params as (label, value) for the status page, labelled by the document's params form; a chosen
    sammanträde, protokoll or § by its readable name, never its id."""
    try:
        document_class = get_document_class(job.kind)
    except DocumentInputError:
        return [(key, value) for key, value in job.params.items()]
    if document_class.params_form is None:
        return list(job.params.items())
    form = build_params_form(document_class, organisation=job.organisation)
    rows = []
    for key, value in job.params.items():
        field = form.fields.get(key)
        shown = form.choice_label(key, value) if isinstance(form, DocumentParamsForm) else None
        if shown is None and field is not None and isinstance(field, forms.ModelChoiceField):
            shown = "finns inte längre"
        rows.append((field.label if field is not None else key, value if shown is None else shown))
    return rows
