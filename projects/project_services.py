"""Writes for insatser: the insats itself, its status history, parties, budget per year and delprojekt.

Every write runs in a transaction and leaves a history row with the acting user (the audit log). Inriktning,
uppföljningsmetod and ESF-finansiering are what the national follow-up counts an insats by: once the insats
has a participant report they cannot change; a changed insats is registered as a new one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Organisation, User

from .category_services import category_lists_ensure
from .models import (
    LOCKED_FIELD_MESSAGE,
    BudgetYear,
    Category,
    CategoryList,
    ParticipantReport,
    Project,
    ProjectParty,
    ProjectStatusChange,
    SubProject,
)

# Fields of an insats a form may set, besides the target groups.
PROJECT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "orientation",
    "specified_orientation",
    "esf_funded",
    "follow_up_method",
    "report_period",
    "owner_name",
    "executor_name",
    "executor_organisation",
    "project_leader",
    "steering_group",
    "starts_on",
    "ends_on",
    "purpose",
    "budgeted_participants",
)
# Fixed once the insats has reports, with the word the message uses.
LOCKED_FIELDS = {
    "orientation": "Inriktningen",
    "follow_up_method": "Uppföljningsmetoden",
    "esf_funded": "ESF-finansieringen",
}


def _save(row, actor: User | None):
    row.full_clean(validate_unique=False, validate_constraints=False)
    row._history_user = actor
    row.save()
    return row


def _check_target_groups(organisation: Organisation, target_groups) -> list[Category]:
    groups = list(target_groups or [])
    foreign = [
        group
        for group in groups
        if group.category_list.organisation_id != organisation.pk
        or group.category_list.key != CategoryList.Key.TARGET_GROUP
    ]
    if foreign:
        raise ValidationError({"target_groups": "Välj målgrupper ur organisationens lista över målgrupper."})
    return groups


def _check_period(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "Slutdatum kan inte ligga före startdatum."})


def _check_executor(organisation: Organisation, executor_organisation: Organisation | None) -> None:
    if executor_organisation is None or executor_organisation.pk == organisation.pk:
        return
    members = organisation.members.filter(pk=executor_organisation.pk).exists()
    if not members:
        raise ValidationError(
            {
                "executor_organisation": "Utföraren i Paragraf måste vara organisationen själv eller en av dess "
                "medlemmar."
            }
        )


@transaction.atomic
def project_create(*, organisation: Organisation, actor: User, target_groups=(), **data: Any) -> Project:
    category_lists_ensure(organisation=organisation, actor=actor)
    unknown = set(data) - set(PROJECT_FIELDS) - {"status"}
    if unknown:
        raise TypeError(f"Okända fält: {', '.join(sorted(unknown))}")
    _check_period(data.get("starts_on"), data.get("ends_on"))
    _check_executor(organisation, data.get("executor_organisation"))
    groups = _check_target_groups(organisation, target_groups)
    project = Project(organisation=organisation, **data)
    for name in ("name", "short_name", "executor_name", "owner_name", "project_leader", "specified_orientation"):
        setattr(project, name, (getattr(project, name) or "").strip())
    _save(project, actor)
    project.target_groups.set(groups)
    _record_status(project, actor=actor, status=project.status, changed_on=timezone.localdate(), note="Registrerad")
    return project


@transaction.atomic
def project_update(*, project: Project, actor: User, target_groups=(), **data: Any) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    unknown = set(data) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Okända fält: {', '.join(sorted(unknown))}")
    if ParticipantReport.objects.filter(project=project).exists():
        errors = {
            name: LOCKED_FIELD_MESSAGE.format(what=word)
            for name, word in LOCKED_FIELDS.items()
            if name in data and data[name] != getattr(project, name)
        }
        if errors:
            raise ValidationError(errors, code="locked")
    _check_period(data.get("starts_on", project.starts_on), data.get("ends_on", project.ends_on))
    _check_executor(project.organisation, data.get("executor_organisation", project.executor_organisation))
    groups = _check_target_groups(project.organisation, target_groups)
    for name, value in data.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    _save(project, actor)
    project.target_groups.set(groups)
    return project


def _record_status(project: Project, *, actor: User | None, status: str, changed_on: dt.date, note: str):
    change = ProjectStatusChange(
        project=project, status=status, changed_on=changed_on, note=note.strip(), changed_by=actor
    )
    return _save(change, actor)


@transaction.atomic
def project_set_status(
    *, project: Project, actor: User, status: str, changed_on: dt.date, note: str = ""
) -> ProjectStatusChange:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if status not in Project.Status.values:
        raise ValidationError({"status": "Välj en status i listan."})
    if status == project.status:
        raise ValidationError({"status": f"Insatsen har redan status {project.get_status_display().lower()}."})
    last = project.status_changes.order_by("-changed_on", "-pk").first()
    if last is not None and changed_on < last.changed_on:
        raise ValidationError({"changed_on": "Datumet kan inte ligga före den senaste statusändringen i historiken."})
    project.status = status
    _save(project, actor)
    return _record_status(project, actor=actor, status=status, changed_on=changed_on, note=note)


# Parties -----------------------------------------------------------------------------------------------------


def _party_name_free(project: Project, name: str, exclude: int | None = None) -> str:
    name = name.strip()
    if ProjectParty.objects.filter(project=project, name__iexact=name).exclude(pk=exclude).exists():
        raise ValidationError({"name": f"”{name}” är redan samverkanspart i insatsen."})
    return name


@transaction.atomic
def party_create(
    *,
    project: Project,
    actor: User,
    name: str,
    role: str = "",
    contribution: str = "",
    contribution_amount: Decimal | None = None,
) -> ProjectParty:
    name = _party_name_free(project, name)
    last = project.parties.order_by("-position").values_list("position", flat=True).first() or 0
    party = ProjectParty(
        project=project,
        name=name,
        role=role.strip(),
        contribution=contribution.strip(),
        contribution_amount=contribution_amount,
        position=last + 1,
    )
    return _save(party, actor)


@transaction.atomic
def party_update(
    *,
    party: ProjectParty,
    actor: User,
    name: str,
    role: str = "",
    contribution: str = "",
    contribution_amount: Decimal | None = None,
) -> ProjectParty:
    party = ProjectParty.objects.select_for_update().get(pk=party.pk)
    party.name = _party_name_free(party.project, name, exclude=party.pk)
    party.role, party.contribution, party.contribution_amount = role.strip(), contribution.strip(), contribution_amount
    return _save(party, actor)


@transaction.atomic
def party_remove(*, party: ProjectParty, actor: User) -> None:
    from .models import ReportCount

    if ReportCount.objects.filter(party=party).exists():
        raise ValidationError(f"{party.name} finns med i en deltagarrapport och kan inte tas bort.", code="in_report")
    party._history_user = actor
    party.delete()


# Budget per year -------------------------------------------------------------------------------------------


@transaction.atomic
def budget_year_save(
    *,
    project: Project,
    actor: User,
    year: int,
    granted_grant: Decimal,
    co_financing: Decimal,
    own_contribution: Decimal,
) -> BudgetYear:
    """Create or replace the budget of one year."""
    for name, amount in (
        ("granted_grant", granted_grant),
        ("co_financing", co_financing),
        ("own_contribution", own_contribution),
    ):
        if amount is None or amount < 0:
            raise ValidationError({name: "Ange ett belopp som inte är negativt."})
    row = BudgetYear.objects.select_for_update().filter(project=project, year=year).first()
    if row is None:
        row = BudgetYear(project=project, year=year)
    row.granted_grant, row.co_financing, row.own_contribution = granted_grant, co_financing, own_contribution
    return _save(row, actor)


@transaction.atomic
def budget_year_remove(*, row: BudgetYear, actor: User) -> None:
    row._history_user = actor
    row.delete()


# Delprojekt --------------------------------------------------------------------------------------------------


def _code_free(organisation: Organisation, code: str, exclude: int | None = None) -> str:
    code = code.strip()
    if not code:
        raise ValidationError({"code": "Ange en projektkod."})
    clash = (
        SubProject.objects.filter(organisation=organisation, code=code)
        .exclude(pk=exclude)
        .select_related("project")
        .first()
    )
    if clash is not None:
        raise ValidationError({"code": f"Projektkoden {code} används redan av {clash.name} ({clash.project.name})."})
    return code


@transaction.atomic
def sub_project_create(*, project: Project, actor: User, code: str, name: str) -> SubProject:
    code = _code_free(project.organisation, code)
    return _save(SubProject(organisation=project.organisation, project=project, code=code, name=name.strip()), actor)


@transaction.atomic
def sub_project_update(*, sub_project: SubProject, actor: User, code: str, name: str) -> SubProject:
    sub_project = SubProject.objects.select_for_update().get(pk=sub_project.pk)
    sub_project.code = _code_free(sub_project.organisation, code, exclude=sub_project.pk)
    sub_project.name = name.strip()
    return _save(sub_project, actor)


@transaction.atomic
def sub_project_remove(*, sub_project: SubProject, actor: User) -> None:
    sub_project._history_user = actor
    sub_project.delete()
