"""Writes for goals, their yearly assessments, NNS indicator results and the deltagaransvariga of an insats.

Every write runs in a transaction and leaves a history row with the acting user (the audit log). A goal's
target names a row of the participant report grid of the insats's own organisation; its label is kept so the
goal still reads the same if the category is renamed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import RoleAssignment, User

from .goal_selectors import target_choices
from .models import Goal, GoalAssessment, IndicatorResult, Project, ProjectStaff
from .project_services import _save


def _clean_target(project: Project, data: dict) -> dict:
    target_key = data.get("target_key") or ""
    comparison = data.get("comparison") or ""
    target_value = data.get("target_value")
    base_key = data.get("base_key") or ""
    if not target_key:
        return {
            "target_key": "",
            "target_label": "",
            "comparison": "",
            "target_value": None,
            "base_key": "",
            "base_label": "",
        }
    labels = dict(target_choices(project=project))
    errors = {}
    if target_key not in labels:
        errors["target_key"] = "Välj vad målet mäts på ur listan."
    if comparison not in Goal.Comparison.values:
        errors["comparison"] = "Välj hur målet jämförs: ett antal deltagare eller en andel."
    if target_value is None:
        errors["target_value"] = "Ange målvärdet (antal deltagare eller procent)."
    elif comparison == Goal.Comparison.SHARE and not (Decimal(0) <= target_value <= Decimal(100)):
        errors["target_value"] = "En andel anges i procent, mellan 0 och 100."
    if comparison == Goal.Comparison.SHARE:
        if not base_key:
            errors["base_key"] = "Ange vad andelen räknas av, t.ex. avslutade deltagare."
        elif base_key not in labels:
            errors["base_key"] = "Välj vad andelen räknas av ur listan."
    else:
        base_key = ""
    if errors:
        raise ValidationError(errors)
    return {
        "target_key": target_key,
        "target_label": labels[target_key],
        "comparison": comparison,
        "target_value": target_value,
        "base_key": base_key,
        "base_label": labels.get(base_key, ""),
    }


def _check_parent(project: Project, parent: Goal | None, goal: Goal | None = None) -> None:
    if parent is None:
        return
    if parent.project_id != project.pk:
        raise ValidationError({"parent": "Ett delmål hör till ett mål i samma insats."})
    if parent.parent_id is not None:
        raise ValidationError({"parent": "Ett delmål kan inte ha egna delmål. Välj ett övergripande mål."})
    if goal is not None and (parent.pk == goal.pk or goal.sub_goals.exists()):
        raise ValidationError({"parent": "Ett mål med delmål kan inte självt bli delmål."})


@transaction.atomic
def goal_create(
    *,
    project: Project,
    actor: User,
    title: str,
    parent: Goal | None = None,
    deadline: dt.date | None = None,
    **target,
) -> Goal:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Skriv målet."})
    _check_parent(project, parent)
    last = project.goals.order_by("-position").values_list("position", flat=True).first() or 0
    goal = Goal(
        project=project,
        parent=parent,
        title=title,
        deadline=deadline,
        position=last + 1,
        **_clean_target(project, target),
    )
    return _save(goal, actor)


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    actor: User,
    title: str,
    parent: Goal | None = None,
    deadline: dt.date | None = None,
    **target,
) -> Goal:
    goal = Goal.objects.select_for_update().select_related("project").get(pk=goal.pk)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Skriv målet."})
    _check_parent(goal.project, parent, goal)
    goal.title, goal.parent, goal.deadline = title, parent, deadline
    for name, value in _clean_target(goal.project, target).items():
        setattr(goal, name, value)
    return _save(goal, actor)


@transaction.atomic
def goal_remove(*, goal: Goal, actor: User) -> None:
    goal._history_user = actor
    goal.delete()


@transaction.atomic
def goal_assess(*, goal: Goal, actor: User, year: int, outcome: str, comment: str = "") -> GoalAssessment:
    """Record (or change) the goal's assessment for one year."""
    if outcome not in GoalAssessment.Outcome.values:
        raise ValidationError({"outcome": "Välj uppfyllt, delvis uppfyllt eller inte uppfyllt."})
    row = GoalAssessment.objects.select_for_update().filter(goal=goal, year=year).first()
    if row is None:
        row = GoalAssessment(goal=goal, year=year)
    row.outcome, row.comment, row.assessed_by = outcome, comment.strip(), actor
    return _save(row, actor)


@transaction.atomic
def indicator_save(
    *, project: Project, actor: User, indicator: str, year: int, value: Decimal, respondents: int | None = None
) -> IndicatorResult:
    """Enter (or correct) one year's result of an NNS indicator for the insats."""
    indicator = " ".join(indicator.split())
    if not indicator:
        raise ValidationError({"indicator": "Ange indikatorns namn."})
    row = IndicatorResult.objects.select_for_update().filter(project=project, indicator__iexact=indicator, year=year)
    row = row.first() or IndicatorResult(project=project, indicator=indicator, year=year)
    row.value, row.respondents = value, respondents
    return _save(row, actor)


@transaction.atomic
def indicator_import(*, project: Project, actor: User, data: bytes, file_name: str = "filen") -> int:
    """Import NNS results from Excel: all rows or none. Every problem is listed with its row and column."""
    from core.validators import check_zip_container

    from .indicator_import import parse

    check_zip_container(data, subject=f"Filen ”{file_name}”")
    rows, errors = parse(data)
    if errors:
        raise ValidationError({"file": errors})
    for row in rows:
        indicator_save(
            project=project,
            actor=actor,
            indicator=row.indicator,
            year=row.year,
            value=row.value,
            respondents=row.respondents,
        )
    return len(rows)


@transaction.atomic
def indicator_remove(*, row: IndicatorResult, actor: User) -> None:
    row._history_user = actor
    row.delete()


# Deltagaransvariga -------------------------------------------------------------------------------------------


@transaction.atomic
def staff_assign(*, project: Project, actor: User, user: User) -> ProjectStaff:
    from core.models import Role

    holds = RoleAssignment.objects.filter(
        user=user, organisation_id=project.organisation_id, role=Role.PARTICIPANT_OFFICER
    ).exists()
    if not holds:
        raise ValidationError({"user": "Användaren har inte rollen deltagaransvarig i organisationen."})
    if ProjectStaff.objects.filter(project=project, user=user).exists():
        raise ValidationError({"user": "Användaren är redan deltagaransvarig för insatsen."})
    return _save(ProjectStaff(project=project, user=user), actor)


@transaction.atomic
def staff_remove(*, row: ProjectStaff, actor: User) -> None:
    row._history_user = actor
    row.delete()
