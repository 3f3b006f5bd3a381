"""Which insatser a request may see. A deltagaransvarig without a broader role sees only the insatser they are
assigned to (ProjectStaff); for them every other insats, its reports and goals answer 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from core.permissions import has_perm

from .models import Project


def sees_all(request: HttpRequest) -> bool:
    return has_perm(request, "projects.view_all")


def scope_projects(request: HttpRequest, rows: QuerySet, path: str = "") -> QuerySet:
    """`rows` narrowed to the insatser the user may see; `path` leads from the row to its insats ("project__")."""
    if sees_all(request):
        return rows
    return rows.filter(**{f"{path}staff__user": request.user})


def visible_projects(request: HttpRequest) -> QuerySet[Project]:
    return scope_projects(request, Project.objects.for_organisation(request.organisation))
