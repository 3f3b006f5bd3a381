"""Who may see the participant register of an insats (docs/decisions/0019).

Only inside the utförare: the current organisation must be the insats's `executor_organisation` (never a
samordningsförbund) and the user must hold a register role there: a deltagaransvarig sees the insatser they are
assigned to there (RegisterStaff); the utförare's administratör, who assigns the staff and answers for the
register, sees every register it keeps. Everything else, a förbund user above all, gets an empty queryset, so
every register URL answers 404 through `_get_or_404`, also with guessed ids.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from core.permissions import has_perm

from .models import Project, RegisterParticipant

REGISTER = "projects.register"
REGISTER_MANAGE = "projects.register_manage"


def register_projects(request: HttpRequest) -> QuerySet[Project]:
    """The insatser whose register this user keeps in the current organisation (none for any förbund user)."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or not has_perm(request, REGISTER):
        return Project.objects.none()
    if has_perm(request, REGISTER_MANAGE):
        return executed_projects(request)
    return Project.objects.filter(
        executor_organisation=organisation,
        follow_up_method=Project.FollowUp.REGISTER,
        register_staff__organisation=organisation,
        register_staff__user=request.user,
    )


def executed_projects(request: HttpRequest) -> QuerySet[Project]:
    """Every insats the current organisation runs: for the administratör who assigns register staff."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or not has_perm(request, REGISTER_MANAGE):
        return Project.objects.none()
    if organisation.kind == organisation.Kind.FEDERATION:
        return Project.objects.none()  # a förbund keeps no register, whoever is its administratör
    return Project.objects.filter(executor_organisation=organisation, follow_up_method=Project.FollowUp.REGISTER)


def register_participants(request: HttpRequest) -> QuerySet[RegisterParticipant]:
    """Records the user may see: their organisation's, of insatser they are assigned to."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or not has_perm(request, REGISTER):
        return RegisterParticipant.objects.none()
    return RegisterParticipant.objects.for_organisation(organisation).filter(
        project__in=register_projects(request).values("pk")
    )
