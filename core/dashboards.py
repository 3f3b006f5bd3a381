"""The dashboard: one panel list per user, chosen by the roles held in the current organisation.

Each panel is a small template plus the context a selector gives it; a user with several roles sees the
panels of all of them once, in a fixed order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils import timezone

from meetings.models import Membership

from . import selectors
from .models import Role


@dataclass
class Panel:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


def _my_seats(request: HttpRequest) -> Panel:
    seats = (
        Membership.objects.for_organisation(request.organisation)
        .on(timezone.localdate())
        .filter(person__user=request.user)
        .select_related("committee", "represents")
        .order_by("committee__name")
    )
    return Panel("my_seats", "Mina uppdrag", "core/panels/my_seats.html", {"seats": seats})


def _committees(request: HttpRequest) -> Panel:
    committees = selectors.committees_with_members(organisation=request.organisation, on=timezone.localdate())
    return Panel("committees", "Organ och ledamöter", "core/panels/committees.html", {"committees": committees})


def _members(request: HttpRequest) -> Panel:
    return Panel(
        "federation_members",
        "Förbundets medlemmar",
        "core/panels/federation_members.html",
        {"members": selectors.organisation_members(organisation=request.organisation)},
    )


def _administration(request: HttpRequest) -> Panel:
    counts = selectors.role_counts(organisation=request.organisation)
    return Panel("administration", "Administration", "core/panels/administration.html", {"role_counts": counts})


def _documents(request: HttpRequest) -> Panel | None:
    try:
        from reporting.selectors import recent_jobs_for_user
    except ImportError:
        return None
    jobs = recent_jobs_for_user(organisation=request.organisation, user=request.user, limit=5)
    return Panel("documents", "Senaste dokument", "core/panels/documents.html", {"jobs": jobs})


def _secretary_todo(request: HttpRequest) -> Panel:
    from meetings.todo_selectors import secretary_todos

    todos = secretary_todos(organisation=request.organisation)
    return Panel("secretary_todo", "Att göra", "core/panels/todo.html", {"todos": todos})


def _member_todo(request: HttpRequest) -> Panel:
    from meetings.todo_selectors import member_todos

    todos = member_todos(organisation=request.organisation, user=request.user)
    return Panel("member_todo", "Att göra", "core/panels/todo.html", {"todos": todos})


def _my_projects(request: HttpRequest) -> Panel | None:
    """A deltagaransvarig's own insatser: the only ones they work with."""
    try:
        from projects.models import Project
    except ImportError:
        return None
    projects = Project.objects.for_organisation(request.organisation).filter(staff__user=request.user).order_by("name")
    return Panel("my_projects", "Mina insatser", "core/panels/my_projects.html", {"projects": projects})


AUDIT_PREVIEW = 8


def _audit_log(request: HttpRequest) -> Panel:
    """The newest changes of the granskningslogg, read-only: a bounded number of queries (one per table shown)."""
    from . import audit

    entries = audit.entries_for(audit.change_index(organisation=request.organisation)[:AUDIT_PREVIEW])
    return Panel("audit_log", "Granskningslogg", "core/panels/audit_log.html", {"entries": entries})


def _equity(request: HttpRequest) -> Panel | None:
    """Eget kapital against the recommended maximum, now and at the prognos year end (constant query count)."""
    from finance.equity_selectors import current_equity

    return Panel(
        "equity", "Eget kapital", "core/panels/equity.html", {"row": current_equity(organisation=request.organisation)}
    )


def _annual_reports(request: HttpRequest) -> Panel:
    """The årsredovisningar with a link to their underlag and checksums: what the revisor comes for."""
    from finance.annual_report_selectors import annual_reports

    reports = list(annual_reports(organisation=request.organisation)[:5])
    return Panel("annual_reports", "Årsredovisningar", "core/panels/annual_reports.html", {"reports": reports})


# Which panels each role brings, in display order of the first role that brings them.
ROLE_PANELS = {
    Role.ADMIN: [_administration, _committees],
    Role.SECRETARY: [_secretary_todo, _committees],
    Role.DIRECTOR: [_members, _equity, _committees],
    Role.ECONOMIST: [_members, _equity],
    Role.AUDITOR: [_annual_reports, _audit_log, _members],
    Role.MEMBER: [_member_todo, _my_seats],
    Role.PARTICIPANT_OFFICER: [_my_projects],
}


def dashboard_panels(request: HttpRequest) -> list[Panel]:
    builders = []
    for role in Role.values:
        if role in request.roles:
            builders.extend(builder for builder in ROLE_PANELS[role] if builder not in builders)
    builders.append(_documents)
    is_federation = request.organisation.kind == request.organisation.Kind.FEDERATION
    panels = []
    for builder in builders:
        if builder in (_members, _equity) and not is_federation:
            continue
        panel = builder(request)
        if panel is not None:
            panels.append(panel)
    return panels
