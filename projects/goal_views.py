"""Pages for the goals of an insats (mål and delmål with their targets and yearly assessments), its NNS
indicator results and its deltagaransvariga. Thin views: permission, scoped object, form, one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import perm_required
from core.tenancy import scoped_get_or_404

from . import goal_services
from .access import scope_projects
from .forms import AssessmentForm, GoalForm, IndicatorForm, IndicatorImportForm, StaffForm
from .models import Goal, IndicatorResult, ProjectStaff
from .project_views import MANAGE, REPORT, _project, _simple_form

MANAGE_STAFF = "projects.manage_staff"


def _goal(request: HttpRequest, pk: int) -> Goal:
    rows = scope_projects(request, Goal.objects.select_related("project", "parent"), "project__")
    return scoped_get_or_404(request, rows, pk=pk)


def _goal_page(request, *, form, title, project, save) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Målet är sparat.")
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/simple_form.html", {"form": form, "title": title, "project": project})


@perm_required(MANAGE)
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    initial = {"parent": request.GET.get("delmal_till")} if request.GET.get("delmal_till") else None
    return _goal_page(
        request,
        form=GoalForm(request.POST or None, project=project, initial=initial),
        title="Nytt mål",
        project=project,
        save=lambda data: goal_services.goal_create(project=project, actor=request.user, **data),
    )


@perm_required(MANAGE)
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    initial = {
        "title": goal.title,
        "parent": goal.parent_id,
        "target_key": goal.target_key,
        "comparison": goal.comparison,
        "target_value": goal.target_value,
        "base_key": goal.base_key,
        "deadline": goal.deadline,
    }
    return _goal_page(
        request,
        form=GoalForm(request.POST or None, project=goal.project, goal=goal, initial=initial),
        title="Ändra mål",
        project=goal.project,
        save=lambda data: goal_services.goal_update(goal=goal, actor=request.user, **data),
    )


@require_POST
@perm_required(MANAGE)
def goal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    goal_services.goal_remove(goal=goal, actor=request.user)
    messages.success(request, "Målet är borttaget.")
    return redirect("projects:project_detail", pk=goal.project_id)


@perm_required(MANAGE)
def goal_assess(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    return _simple_form(
        request,
        form=AssessmentForm(request.POST or None),
        title=f"Bedöm måluppfyllelse: {goal.title}",
        project=goal.project,
        save=lambda data: goal_services.goal_assess(goal=goal, actor=request.user, **data),
        saved_message="Bedömningen är sparad.",
    )


@perm_required(REPORT)
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return _simple_form(
        request,
        form=IndicatorForm(request.POST or None),
        title="Resultat från NNS indikatorenkät",
        project=project,
        save=lambda data: goal_services.indicator_save(project=project, actor=request.user, **data),
        saved_message="Indikatorresultatet är sparat.",
    )


@perm_required(REPORT)
def indicator_import(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = IndicatorImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = goal_services.indicator_import(
                project=project, actor=request.user, data=upload.read(), file_name=upload.name
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{count} indikatorresultat är importerade.")
            return redirect("projects:project_detail", pk=project.pk)
    context = {"form": form, "title": "Importera NNS-resultat från Excel", "project": project}
    return render(request, "projects/simple_form.html", context, status=400 if form.errors else 200)


@require_POST
@perm_required(REPORT)
def indicator_remove(request: HttpRequest, pk: int) -> HttpResponse:
    rows = scope_projects(request, IndicatorResult.objects.all(), "project__")
    row = scoped_get_or_404(request, rows, pk=pk)
    goal_services.indicator_remove(row=row, actor=request.user)
    messages.success(request, f"Resultatet för {row.indicator} {row.year} är borttaget.")
    return redirect("projects:project_detail", pk=row.project_id)


@perm_required(MANAGE_STAFF)
def staff_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return _simple_form(
        request,
        form=StaffForm(request.POST or None, project=project),
        title=f"Deltagaransvarig för {project.name}",
        project=project,
        save=lambda data: goal_services.staff_assign(project=project, actor=request.user, **data),
        saved_message="Den deltagaransvariga är tillagd.",
    )


@require_POST
@perm_required(MANAGE_STAFF)
def staff_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = scoped_get_or_404(request, ProjectStaff.objects.select_related("user"), pk=pk)
    goal_services.staff_remove(row=row, actor=request.user)
    messages.success(request, "Den deltagaransvariga är borttagen från insatsen.")
    return redirect("projects:project_detail", pk=row.project_id)
