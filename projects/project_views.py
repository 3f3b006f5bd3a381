"""Pages for insatser: the list, one insats with its parts, and the forms that change them.

Thin views: permission, scoped object (another organisation's id is a 404), form, one service, redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import category_services, goal_selectors, project_selectors, project_services, report_selectors
from .access import scope_projects
from .forms import (
    BudgetYearForm,
    CategoryForm,
    PartyForm,
    ProjectForm,
    StatusForm,
    SubProjectForm,
)
from .models import BudgetYear, Category, CategoryList, Project, ProjectParty, SubProject
from .status_report_selectors import status_report_context

VIEW = "projects.view"
MANAGE = "projects.manage"
REPORT = "projects.report"


def _project(request: HttpRequest, pk: int) -> Project:
    """The insats if the user may see it (a deltagaransvarig: only their own); otherwise a 404."""
    return scoped_get_or_404(request, scope_projects(request, Project.objects.select_related("organisation")), pk=pk)


@require_safe
@perm_required(VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    orientation = request.GET.get("inriktning", "")
    status = status if status in Project.Status.values else ""
    orientation = orientation if orientation in Project.Orientation.values else ""
    rows = scope_projects(
        request,
        project_selectors.project_list(organisation=request.organisation, status=status, orientation=orientation),
    )
    context = {
        "projects": rows,
        "can_manage": has_perm(request, MANAGE),
        "can_statistics": has_perm(request, "projects.statistics"),
        "can_finsam": has_perm(request, "projects.finsam"),
        "can_see_applications": has_perm(request, "projects.view_all"),
        "statuses": Project.Status.choices,
        "orientations": Project.Orientation.choices,
        "status": status,
        "orientation": orientation,
    }
    return render(request, "projects/project_list.html", context)


@require_safe
@perm_required(VIEW)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = scoped_get_or_404(
        request,
        scope_projects(request, project_selectors.project_detail_queryset(organisation=request.organisation)),
        pk=pk,
    )
    can_manage = has_perm(request, MANAGE)
    budget_years = list(project.budget_years.all())
    context = {
        "project": project,
        "can_manage": can_manage,
        "can_report": has_perm(request, REPORT),
        "can_manage_staff": has_perm(request, "projects.manage_staff"),
        "goals": goal_selectors.goal_progress(project=project),
        "indicators": goal_selectors.indicator_trend(project=project),
        "reports": report_selectors.reports_for_project(project=project),
        "budget_years": budget_years,
        "budget_total": sum((row.total for row in budget_years), start=0),
        **status_report_context(project),
    }
    return render(request, "projects/project_detail.html", context)


def _project_form(request: HttpRequest, project: Project | None) -> HttpResponse:
    locked = project is not None and project_selectors.has_reports(project=project)
    initial = {"target_groups": list(project.target_groups.all())} if project else None
    form = ProjectForm(
        request.POST or None, instance=project, initial=initial, organisation=request.organisation, locked=locked
    )
    if request.method == "POST" and form.is_valid():
        try:
            if project is None:
                project = project_services.project_create(
                    organisation=request.organisation, actor=request.user, **form.service_data()
                )
            else:
                project = project_services.project_update(project=project, actor=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Insatsen är sparad.")
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project, "locked": locked})


@perm_required(MANAGE)
def project_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # The insats form offers the organisation's målgrupper: make sure its lists exist.
        category_services.category_lists_ensure(organisation=request.organisation, actor=request.user)
    return _project_form(request, None)


@perm_required(MANAGE)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Edits go through a fresh instance: a failed form must not leave changed values on the object it shows.
    return _project_form(request, _project(request, pk))


def _simple_form(request, *, form, title, project, save, saved_message, back=None) -> HttpResponse:
    """A small form page: on a valid POST the save callable runs the service; its errors show on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved_message)
            return redirect(back or "projects:project_detail", pk=project.pk)
    return render(request, "projects/simple_form.html", {"form": form, "title": title, "project": project})


@perm_required(MANAGE)
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return _simple_form(
        request,
        form=StatusForm(request.POST or None),
        title="Ändra status",
        project=project,
        save=lambda data: project_services.project_set_status(project=project, actor=request.user, **data),
        saved_message="Statusen är ändrad.",
    )


@perm_required(MANAGE)
def party_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return _simple_form(
        request,
        form=PartyForm(request.POST or None),
        title="Ny samverkanspart",
        project=project,
        save=lambda data: project_services.party_create(project=project, actor=request.user, **data),
        saved_message="Samverkansparten är sparad.",
    )


@perm_required(MANAGE)
def party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    party = scoped_get_or_404(request, ProjectParty.objects.select_related("project"), pk=pk)
    return _simple_form(
        request,
        form=PartyForm(request.POST or None, instance=ProjectParty.objects.get(pk=party.pk)),
        title=f"Ändra {party.name}",
        project=party.project,
        save=lambda data: project_services.party_update(party=party, actor=request.user, **data),
        saved_message="Samverkansparten är sparad.",
    )


@require_POST
@perm_required(MANAGE)
def party_remove(request: HttpRequest, pk: int) -> HttpResponse:
    party = scoped_get_or_404(request, ProjectParty.objects.select_related("project"), pk=pk)
    try:
        project_services.party_remove(party=party, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{party.name} är borttagen.")
    return redirect("projects:project_detail", pk=party.project_id)


@perm_required(MANAGE)
def budget_year_save(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return _simple_form(
        request,
        form=BudgetYearForm(request.POST or None),
        title="Budget för ett år",
        project=project,
        save=lambda data: project_services.budget_year_save(project=project, actor=request.user, **data),
        saved_message="Budgeten är sparad.",
    )


@require_POST
@perm_required(MANAGE)
def budget_year_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = scoped_get_or_404(request, BudgetYear, pk=pk)
    project_services.budget_year_remove(row=row, actor=request.user)
    messages.success(request, f"Budgeten för {row.year} är borttagen.")
    return redirect("projects:project_detail", pk=row.project_id)


@perm_required(MANAGE)
def sub_project_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return _simple_form(
        request,
        form=SubProjectForm(request.POST or None),
        title="Nytt delprojekt",
        project=project,
        save=lambda data: project_services.sub_project_create(project=project, actor=request.user, **data),
        saved_message="Delprojektet är sparat.",
    )


@perm_required(MANAGE)
def sub_project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sub_project = scoped_get_or_404(request, SubProject.objects.select_related("project"), pk=pk)
    return _simple_form(
        request,
        form=SubProjectForm(request.POST or None, instance=SubProject.objects.get(pk=sub_project.pk)),
        title=f"Ändra delprojekt {sub_project.code}",
        project=sub_project.project,
        save=lambda data: project_services.sub_project_update(sub_project=sub_project, actor=request.user, **data),
        saved_message="Delprojektet är sparat.",
    )


@require_POST
@perm_required(MANAGE)
def sub_project_remove(request: HttpRequest, pk: int) -> HttpResponse:
    sub_project = scoped_get_or_404(request, SubProject, pk=pk)
    project_services.sub_project_remove(sub_project=sub_project, actor=request.user)
    messages.success(request, f"Delprojekt {sub_project.code} är borttaget.")
    return redirect("projects:project_detail", pk=sub_project.project_id)


# Category lists ----------------------------------------------------------------------------------------------


@require_safe
@perm_required(VIEW)
def category_list(request: HttpRequest) -> HttpResponse:
    lists = project_selectors.category_lists(organisation=request.organisation)
    return render(request, "projects/category_list.html", {"lists": lists, "can_manage": has_perm(request, MANAGE)})


@require_POST
@perm_required(MANAGE)
def category_lists_seed(request: HttpRequest) -> HttpResponse:
    category_services.category_lists_ensure(organisation=request.organisation, actor=request.user)
    messages.success(request, "Standardlistorna finns nu.")
    return redirect("projects:category_list")


def _category_page(request, *, form, title, save) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Kategorin är sparad.")
            return redirect("projects:category_list")
    return render(request, "projects/simple_form.html", {"form": form, "title": title, "project": None})


@perm_required(MANAGE)
def category_create(request: HttpRequest, pk: int) -> HttpResponse:
    category_list = scoped_get_or_404(request, CategoryList, pk=pk)
    form = CategoryForm(request.POST or None, age_group=category_list.key == CategoryList.Key.AGE_GROUP)
    return _category_page(
        request,
        form=form,
        title=f"Ny kategori i {category_list.name.lower()}",
        save=lambda data: category_services.category_create(category_list=category_list, actor=request.user, **data),
    )


@perm_required(MANAGE)
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = scoped_get_or_404(request, Category.objects.select_related("category_list"), pk=pk)
    form = CategoryForm(
        request.POST or None,
        instance=Category.objects.get(pk=category.pk),
        age_group=category.category_list.key == CategoryList.Key.AGE_GROUP,
    )
    return _category_page(
        request,
        form=form,
        title=f"Ändra kategori ”{category.label}”",
        save=lambda data: category_services.category_update(
            category=category, actor=request.user, **{"active": True, **data}
        ),
    )
