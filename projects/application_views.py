"""Pages for projektansökningar: the list, the editor (every part on one page, with a version check), the
application as read, submission, the decision (beviljad makes it the project) and the archived PDF.

Reading is for those who see every insats of the organisation (projects.view_all); writing for förbundschef
and administratör (projects.manage). An approved or rejected application refuses every write in the service.
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
from core.versioning import CONFLICT_STATUS, VERSION_MISSING, EditConflict, conflict_response_form
from reporting.views import job_file_response

from . import application_services
from .documents import APPLICATION_SECTIONS
from .models import ProjectApplication
from .status_report_forms import (
    ApplicationForm,
    BudgetFormSet,
    DecisionForm,
    GoalFormSet,
    PartyFormSet,
    SignatureFormSet,
    StatusReportSubmitForm,
    TimelineFormSet,
    goal_target_choices,
)

READ = "projects.view_all"
MANAGE = "projects.manage"


def _queryset(request: HttpRequest):
    return ProjectApplication.objects.for_organisation(request.organisation).select_related(
        "organisation", "project", "archived_job"
    )


def _application(request: HttpRequest, pk: int) -> ProjectApplication:
    return scoped_get_or_404(request, _queryset(request), pk=pk)


@require_safe
@perm_required(READ)
def application_list(request: HttpRequest) -> HttpResponse:
    rows = _queryset(request).order_by("-created_at", "-pk")
    return render(
        request,
        "projects/application_list.html",
        {"applications": rows, "can_manage": has_perm(request, MANAGE)},
    )


def _formsets(data, application: ProjectApplication, choices):
    return {
        "parties": PartyFormSet(data, prefix="party", initial=application.parties),
        "goals": GoalFormSet(data, prefix="goal", initial=application.goals, form_kwargs={"choices": choices}),
        "timeline": TimelineFormSet(data, prefix="timeline", initial=application.timeline),
        "budget": BudgetFormSet(data, prefix="budget", initial=application.budget_rows),
        "signatures": SignatureFormSet(data, prefix="signature", initial=application.signatures),
    }


def _rows(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


def _editor(request: HttpRequest, application: ProjectApplication | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    instance = (
        ProjectApplication.objects.get(pk=application.pk)
        if application
        else ProjectApplication(organisation=request.organisation, applicant=request.organisation.name)
    )
    form = ApplicationForm(data, instance=instance)
    choices = goal_target_choices(request.organisation)
    formsets = _formsets(data, instance, choices)
    conflict, row_errors = None, []
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        values = dict(form.cleaned_data)
        version = values.pop("version")
        if application is not None and version is None:
            form.add_error(None, VERSION_MISSING)
            return render(
                request,
                "projects/application_edit.html",
                {"application": application, "form": form, **formsets, "sections": dict(APPLICATION_SECTIONS)},
                status=400,
            )
        lists = {
            "parties": _rows(formsets["parties"]),
            "goals": _rows(formsets["goals"]),
            "timeline": _rows(formsets["timeline"]),
            "budget_rows": _rows(formsets["budget"]),
            "signatures": _rows(formsets["signatures"]),
        }
        try:
            if application is None:
                application = application_services.application_create(
                    organisation=request.organisation, actor=request.user, **values, **lists
                )
            else:
                application = application_services.application_update(
                    application=application, actor=request.user, version=version, **values, **lists
                )
        except EditConflict as exc:
            conflict_response_form(form, exc)
            conflict = exc
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                row_errors = exc.messages
        else:
            messages.success(request, "Ansökan är sparad.")
            return redirect("projects:application_detail", pk=application.pk)
    status = CONFLICT_STATUS if conflict else (400 if request.method == "POST" else 200)
    context = {
        "application": application,
        "form": form,
        **formsets,
        "conflict": conflict,
        "row_errors": row_errors,
        "sections": dict(APPLICATION_SECTIONS),
    }
    return render(request, "projects/application_edit.html", context, status=status)


@perm_required(MANAGE)
def application_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@perm_required(MANAGE)
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not application.is_editable:
        messages.info(request, "Ansökan är inlämnad och kan inte ändras.")
        return redirect("projects:application_detail", pk=application.pk)
    return _editor(request, application)


@require_safe
@perm_required(READ)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    context = {
        "application": application,
        "sections": dict(APPLICATION_SECTIONS),
        "budget_years": application_services.budget_by_year(application),
        "budget_total": application_services.budget_total(application),
        "can_manage": has_perm(request, MANAGE),
        "submit_form": StatusReportSubmitForm(initial={"version": application.version}),
        "problems": application_services.submit_problems(application) if application.is_editable else [],
    }
    return render(request, "projects/application_detail.html", context)


@require_POST
@perm_required(MANAGE)
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = StatusReportSubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ladda om sidan och försök igen.")
        return redirect("projects:application_detail", pk=application.pk)
    try:
        application_services.application_submit(
            application=application, actor=request.user, version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Ansökan är inlämnad. PDF-filen skapas för arkivet.")
    return redirect("projects:application_detail", pk=application.pk)


@perm_required(MANAGE)
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "approved":
                project = application_services.application_approve(
                    application=application, actor=request.user, decided_on=data["decided_on"], note=data["note"]
                )
            else:
                application_services.application_reject(
                    application=application, actor=request.user, decided_on=data["decided_on"], note=data["note"]
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if data["outcome"] == "approved":
                messages.success(request, f"Ansökan är beviljad och projektet {project.name} är registrerat.")
                return redirect("projects:project_detail", pk=project.pk)
            messages.success(request, "Ansökan är avslagen.")
            return redirect("projects:application_detail", pk=application.pk)
    return render(
        request,
        "projects/application_decide.html",
        {"form": form, "application": application},
        status=form_status(request, form),
    )


@require_safe
@perm_required(READ)
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if application.archived_job is None:
        raise Http404("Ansökan har ingen arkiverad PDF.")
    return job_file_response(application.archived_job)
