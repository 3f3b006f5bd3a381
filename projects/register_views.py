"""Pages of the participant register, inside the utförare only (docs/decisions/0019).

Every object is fetched through register_access (object views ask no role first, so no 403 tells a förbund user
that something exists), which yields nothing for anyone but the utförare's assigned
register staff: a förbund user, another organisation or an unassigned colleague gets 404 for every URL here,
also with guessed ids. Every page that shows one record writes a view-log row first.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.models import RoleAssignment, User
from core.permissions import has_perm, perm_required
from core.tenancy import scoped_get_or_404

from . import crossing_services, register_gallring_services, register_selectors, register_services
from .models import GENDERS, ParticipantReport, Project, RegisterParticipant, RegisterStaff, RegisterViewLog
from .register_access import REGISTER, REGISTER_MANAGE, executed_projects, register_participants, register_projects
from .register_extract import extract_xlsx, record_rows
from .register_forms import ExitForm, ParticipantForm, RegisterReportForm, RegisterStaffForm, RetentionForm
from .register_services import REGISTER_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENTRY_FIELDS = ("birth_year", "referrer", "education", "income_at_entry", "enrolled_on", "consent_on")


def _writes(perm: str):
    """A POST from someone without `perm` in the current organisation is refused before any lookup: 403 at the
    utförare (a read-only role there), 404 in a förbund, which has no register to refuse anything about."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method == "POST" and not has_perm(request, perm):
                organisation = getattr(request, "organisation", None)
                if organisation is None or organisation.kind == organisation.Kind.FEDERATION:
                    raise Http404("Hittades inte.")
                raise PermissionDenied("Du har inte behörighet att göra detta.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _get_or_404(rows, pk: int):
    # Not scoped_get_or_404: an insats belongs to the förbund; register_access has already narrowed `rows` to
    # the insatser the current organisation runs and this user keeps.
    try:
        return rows.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Hittades inte.") from exc


def _project(request: HttpRequest, pk: int) -> Project:
    return _get_or_404(register_projects(request).select_related("organisation"), pk)


def _participant(request: HttpRequest, pk: int) -> RegisterParticipant:
    rows = register_participants(request).select_related("project", "organisation")
    return scoped_get_or_404(request, rows, pk=pk)


@require_safe
@perm_required(REGISTER)
def register_home(request: HttpRequest) -> HttpResponse:
    projects = register_projects(request)
    context = {
        "rows": register_selectors.register_projects_summary(projects, request.organisation),
        "can_manage": has_perm(request, REGISTER_MANAGE),
        "executed": executed_projects(request).order_by("name"),
    }
    return render(request, "projects/registerparticipant_home.html", context)


@require_safe
@login_required
def register_list(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    participants = register_selectors.participant_list(project=project, organisation=request.organisation)
    status = request.GET.get("status", "")
    if status == "active":
        participants = participants.filter(exited_on__isnull=True, consent=True)
    elif status == "exited":
        participants = participants.filter(exited_on__isnull=False)
    reports = ParticipantReport.objects.filter(project=project).order_by("-year", "-period_number", "-version")[:12]
    context = {
        "project": project,
        "participants": participants,
        "status": status,
        "report_form": RegisterReportForm(project=project),
        "reports": reports,
    }
    return render(request, "projects/registerparticipant_list.html", context)


def _participant_data(form: ParticipantForm) -> dict:
    data = form.cleaned_data
    result = {
        "code": data.get("code", ""),
        "gender": data["gender"],
        "consent": data.get("consent", False),
        "enrolment_year": data.get("enrolment_year"),
        "activities": data.get("activities") or [],
    }
    if result["consent"]:
        result.update({name: data.get(name) for name in ENTRY_FIELDS})
    return result


@login_required
@_writes(REGISTER)
def participant_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = ParticipantForm(request.POST or None, project=project, initial={"consent": True})
    if request.method == "POST" and form.is_valid():
        try:
            participant = register_services.participant_enrol(
                organisation=request.organisation, project=project, actor=request.user, **_participant_data(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Deltagare {participant.code} är inskriven.")
            return redirect("register:participant_detail", pk=participant.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "project": project, "title": f"Skriv in deltagare i {project.name}"}
    return render(request, "projects/registerparticipant_form.html", context, status=status)


@require_safe
@login_required
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    register_services.participant_view_log(participant=participant, actor=request.user)
    extract = register_selectors.participant_extract(participant=participant)
    activities = [str(activity) for activity in extract["participant"].activities.all()]
    context = {
        "participant": extract["participant"],
        "project": participant.project,
        "rows": record_rows(extract["participant"], activities),
        "views": extract["views"][:20],
        "exit_form": ExitForm(project=participant.project) if participant.consent else None,
    }
    return render(request, "projects/registerparticipant_detail.html", context)


@login_required
@_writes(REGISTER)
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    initial = {
        "code": participant.code,
        "gender": participant.gender,
        "consent": participant.consent,
        "enrolment_year": participant.enrolment_year,
        "activities": list(participant.activities.all()),
        **{name: getattr(participant, name) for name in ENTRY_FIELDS},
    }
    form = ParticipantForm(request.POST or None, project=participant.project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            register_services.participant_update(participant=participant, actor=request.user, **_participant_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Uppgifterna är sparade.")
            return redirect("register:participant_detail", pk=participant.pk)
    else:
        register_services.participant_view_log(participant=participant, actor=request.user)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "project": participant.project,
        "participant": participant,
        "title": f"Ändra deltagare {participant.code}",
    }
    return render(request, "projects/registerparticipant_form.html", context, status=status)


@login_required
@_writes(REGISTER)
def participant_exit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    initial = {
        "exited_on": participant.exited_on,
        "exit_reason": participant.exit_reason_id,
        "income_at_exit": participant.income_at_exit_id,
    }
    form = ExitForm(request.POST or None, project=participant.project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            register_services.participant_exit(participant=participant, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Deltagare {participant.code} är avslutad.")
            return redirect("register:register_list", pk=participant.project_id)
    elif request.method != "POST":
        register_services.participant_view_log(participant=participant, actor=request.user)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "project": participant.project,
        "participant": participant,
        "title": f"Avsluta deltagare {participant.code}",
    }
    return render(request, "projects/registerparticipant_form.html", context, status=status)


@require_safe
@login_required
def participant_extract(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    register_services.participant_view_log(
        participant=participant, actor=request.user, action=RegisterViewLog.Action.EXTRACT
    )
    data = extract_xlsx(register_selectors.participant_extract(participant=participant))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{participant.code}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
@_writes(REGISTER)
def register_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The one action: compute the period's counts and submit them to the förbund (crossing_services)."""
    project = _project(request, pk)
    form = RegisterReportForm(request.POST, project=project)
    if form.is_valid():
        year, number = form.cleaned_data["period"]
        try:
            report, counts = crossing_services.register_report_submit(
                organisation=request.organisation,
                project=project,
                actor=request.user,
                year=year,
                period_number=number,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"Rapporten lämnades inte in: {message}")
        else:
            note = ""
            if counts.omitted:
                note = f" Ej redovisat (uppgift saknas för någon deltagare): {', '.join(counts.omitted)}."
            messages.success(
                request,
                f"Rapporten för {report.period_label} (version {report.version}) är inlämnad till "
                f"{project.organisation.name}.{note}",
            )
    else:
        messages.error(request, "Välj en period.")
    return redirect("register:register_list", pk=project.pk)


@require_safe
@login_required
def register_report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The counts the register gives for a period, before they are submitted (htmx fragment or page)."""
    project = _project(request, pk)
    form = RegisterReportForm(request.GET, project=project)
    counts, rows = None, []
    if form.is_valid():
        year, number = form.cleaned_data["period"]
        counts = register_selectors.register_report_counts(project=project, year=year, period_number=number)
        carried, enrolled, exited = counts.base("carried_over"), counts.base("enrolled"), counts.base("exited")
        active = {gender: carried[gender] + enrolled[gender] for gender in GENDERS}
        remaining = {gender: active[gender] - exited[gender] for gender in GENDERS}
        for label, cells in [
            ("Inskrivna vid periodens början", carried),
            ("Nyinskrivna under perioden", enrolled),
            ("Aktiva under perioden", active),
            ("Avslutade under perioden", exited),
            ("Kvar vid periodens slut", remaining),
        ]:
            values = [cells[gender] for gender in GENDERS]
            rows.append((label, values, sum(values)))
    template = "projects/_registerparticipant_preview.html"
    return render(request, template, {"project": project, "counts": counts, "rows": rows})


@perm_required(REGISTER)
def retention(request: HttpRequest) -> HttpResponse:
    can_manage = has_perm(request, REGISTER_MANAGE)
    years = register_services.retention_years(request.organisation)
    row = request.organisation.register_retention if hasattr(request.organisation, "register_retention") else None
    form = RetentionForm(request.POST or None, initial={"years": years, "basis": row.basis if row else ""})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Du har inte behörighet att göra detta.")
        if form.is_valid():
            register_services.retention_save(organisation=request.organisation, actor=request.user, **form.cleaned_data)
            messages.success(request, "Gallringsinställningen är sparad.")
            return redirect("register:retention")
    due, cutoff, _ = register_gallring_services.due_for_gallring(
        organisation=request.organisation, today=dt.date.today()
    )
    context = {"form": form, "can_manage": can_manage, "years": years, "cutoff": cutoff, "due": due.count()}
    return render(request, "projects/registerretention_form.html", context, status=400 if form.errors else 200)


@require_POST
@perm_required(REGISTER_MANAGE)
def gallring_run(request: HttpRequest) -> HttpResponse:
    rows = register_gallring_services.register_gallring(organisation=request.organisation, actor=request.user)
    removed = sum(row.removed for row in rows)
    messages.success(request, f"Gallringen är klar: {removed} deltagare togs bort." if removed else "Inget att gallra.")
    return redirect("register:disposal_list")


@require_safe
@perm_required(REGISTER)
def disposal_list(request: HttpRequest) -> HttpResponse:
    rows = register_selectors.disposal_log(organisation=request.organisation)
    return render(request, "projects/registerdisposal_list.html", {"rows": rows})


@login_required
@_writes(REGISTER_MANAGE)
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get_or_404(executed_projects(request).select_related("organisation"), pk)
    holders = RoleAssignment.objects.filter(organisation=request.organisation, role__in=REGISTER_ROLES)
    users = User.objects.filter(pk__in=holders.values("user_id")).order_by("last_name", "first_name", "username")
    form = RegisterStaffForm(request.POST or None, users=users)
    if request.method == "POST" and form.is_valid():
        try:
            register_services.register_staff_add(
                organisation=request.organisation, project=project, user=form.cleaned_data["user"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Registeransvarig är tillagd.")
            return redirect("register:staff", pk=project.pk)
    rows = RegisterStaff.objects.for_organisation(request.organisation).filter(project=project).select_related("user")
    context = {"project": project, "form": form, "rows": rows}
    return render(request, "projects/registerstaff_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
@_writes(REGISTER_MANAGE)
def staff_remove(request: HttpRequest, pk: int) -> HttpResponse:
    rows = RegisterStaff.objects.filter(project__in=executed_projects(request).values("pk")).select_related("project")
    row = scoped_get_or_404(request, rows, pk=pk)
    register_services.register_staff_remove(row=row, actor=request.user)
    messages.success(request, "Registeransvarig är borttagen.")
    return redirect("register:staff", pk=row.project_id)
