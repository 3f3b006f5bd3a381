"""Writes for projektansökningar (issue 8 point 9): create, save the editor, submit, and the decision.

An application is edited while it is an utkast; submitted it waits for the decision; approved
(`application_approve`, the one service that turns an application into a project) it becomes a Project with
status beviljad, its parties, its mål with delmål and measurable targets, and its budget per year; approved or
rejected it is locked, and every write here refuses it. The editor carries a version (core.versioning).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Organisation, User
from core.versioning import bump_version, check_version

from . import goal_services, project_services
from .category_services import category_lists_ensure
from .goal_selectors import target_choices
from .models import APPLICATION_LOCKED_MESSAGE, Goal, Project, ProjectApplication

logger = logging.getLogger(__name__)

DOCUMENT_KIND = "projects.application"
TEXT_FIELDS = (
    "name",
    "short_name",
    "recipient",
    "applicant",
    "project_owner",
    "project_leader",
    "stakeholders",
    "steering_group",
    "background",
    "purpose",
    "target_group",
    "organisation_text",
    "activity_plan",
    "budget_comment",
    "follow_up",
    "evaluation",
    "future",
    "signed_place",
)
CHOICE_FIELDS = ("kind", "orientation")
DATE_FIELDS = ("applied_on", "starts_on", "ends_on", "signed_on")
LIST_FIELDS = ("parties", "goals", "timeline", "budget_rows", "signatures")
EDITOR_FIELDS = (*TEXT_FIELDS, *CHOICE_FIELDS, *DATE_FIELDS, *LIST_FIELDS)
Status = ProjectApplication.Status


def _locked_row(application: ProjectApplication, *, allowed=(Status.DRAFT,)) -> ProjectApplication:
    application = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in allowed:
        raise ValidationError(
            APPLICATION_LOCKED_MESSAGE.format(status=application.get_status_display().lower()), code="locked"
        )
    return application


def _save(application: ProjectApplication, actor: User | None) -> ProjectApplication:
    application._history_user = actor
    application.save()
    return application


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def clean_lists(organisation: Organisation, data: dict[str, Any]) -> dict[str, list[dict]]:
    """The editor's rows as stored (empty rows dropped), every problem listed with its section and row."""
    errors: list[str] = []
    parties = []
    for number, row in enumerate(data.get("parties") or [], start=1):
        name, role = _text(row.get("name")), _text(row.get("role"))
        if not name and not role:
            continue
        if not name:
            errors.append(f"Parter, rad {number}: ange partens namn.")
        elif name.lower() in {p["name"].lower() for p in parties}:
            errors.append(f"Parter, rad {number}: {name} finns redan med.")
        parties.append({"name": name, "role": role})

    labels = dict(target_choices(project=Project(organisation=organisation)))
    goals: list[dict] = []
    for number, row in enumerate(data.get("goals") or [], start=1):
        title = _text(row.get("title"))
        target_key = _text(row.get("target_key"))
        comparison = _text(row.get("comparison"))
        value = _decimal(row.get("target_value"))
        base_key = _text(row.get("base_key"))
        deadline = _date(row.get("deadline"))
        if not title:
            if target_key or value is not None:
                errors.append(f"Mål och delmål, rad {number}: skriv målet.")
            continue
        is_sub = bool(row.get("is_sub"))
        if is_sub and not any(not goal["is_sub"] for goal in goals):
            errors.append(
                f"Mål och delmål, rad {number}: ett delmål står under det mål det hör till; skriv målet först."
            )
        if target_key:
            if target_key not in labels:
                errors.append(f"Mål och delmål, rad {number}: välj vad målet mäts på ur listan.")
            if comparison not in Goal.Comparison.values:
                errors.append(f"Mål och delmål, rad {number}: välj ett antal deltagare eller en andel.")
            if value is None:
                errors.append(f"Mål och delmål, rad {number}: ange målvärdet.")
            elif comparison == Goal.Comparison.SHARE and not Decimal(0) <= value <= Decimal(100):
                errors.append(f"Mål och delmål, rad {number}: en andel anges i procent, mellan 0 och 100.")
            if comparison == Goal.Comparison.SHARE and base_key not in labels:
                errors.append(f"Mål och delmål, rad {number}: ange vad andelen räknas av.")
        goals.append(
            {
                "title": title,
                "is_sub": is_sub,
                "deadline": deadline.isoformat() if deadline else "",
                "target_key": target_key,
                "target_label": labels.get(target_key, ""),
                "comparison": comparison if target_key else "",
                "target_value": str(value) if target_key and value is not None else "",
                "base_key": base_key if target_key and comparison == Goal.Comparison.SHARE else "",
                "base_label": labels.get(base_key, "") if comparison == Goal.Comparison.SHARE else "",
            }
        )

    timeline = []
    for row in data.get("timeline") or []:
        item = {key: _text(row.get(key)) for key in ("activity", "description", "period")}
        if any(item.values()):
            timeline.append(item)

    budget = []
    for number, row in enumerate(data.get("budget_rows") or [], start=1):
        cost_type, year, amount = _text(row.get("cost_type")), row.get("year"), row.get("amount")
        if not cost_type and year in (None, "") and amount in (None, ""):
            continue
        parsed = _decimal(amount)
        try:
            year_number = int(year)
        except (TypeError, ValueError):
            year_number = 0
        if not 2000 <= year_number <= 2100:
            errors.append(f"Budget, rad {number}: ange ett år mellan 2000 och 2100.")
        if not cost_type:
            errors.append(f"Budget, rad {number}: ange kostnadsslaget.")
        if parsed is None or parsed < 0:
            errors.append(f"Budget, rad {number}: ange ett belopp som inte är negativt.")
        budget.append(
            {
                "year": year_number,
                "cost_type": cost_type,
                "amount": str(parsed.quantize(Decimal("0.01"))) if parsed is not None else "",
            }
        )

    signatures = []
    for row in data.get("signatures") or []:
        item = {"name": _text(row.get("name")), "role": _text(row.get("role"))}
        if any(item.values()):
            signatures.append(item)
    if errors:
        raise ValidationError(errors, code="rows")
    return {"parties": parties, "goals": goals, "timeline": timeline, "budget_rows": budget, "signatures": signatures}


def _apply(application: ProjectApplication, data: dict[str, Any]) -> None:
    for name in TEXT_FIELDS:
        if name in data:
            setattr(application, name, _text(data[name]))
    for name in (*CHOICE_FIELDS, *DATE_FIELDS):
        if name in data:
            setattr(application, name, data[name])
    if application.starts_on and application.ends_on and application.ends_on < application.starts_on:
        raise ValidationError({"ends_on": "Projektslut kan inte ligga före projektstart."})
    lists = clean_lists(
        application.organisation, {name: data.get(name, getattr(application, name)) for name in LIST_FIELDS}
    )
    for name, rows in lists.items():
        setattr(application, name, rows)
    if not application.name:
        raise ValidationError({"name": "Ange projektets namn."})
    if not application.applicant:
        raise ValidationError({"applicant": "Ange sökande organisation."})
    application.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def application_create(*, organisation: Organisation, actor: User, **data: Any) -> ProjectApplication:
    unknown = set(data) - set(EDITOR_FIELDS)
    if unknown:
        raise TypeError(f"Okända fält: {', '.join(sorted(unknown))}")
    category_lists_ensure(organisation=organisation, actor=actor)
    application = ProjectApplication(organisation=organisation, created_by=actor)
    _apply(application, data)
    return _save(application, actor)


@transaction.atomic
def application_update(
    *, application: ProjectApplication, actor: User, version: int | None = None, **data: Any
) -> ProjectApplication:
    unknown = set(data) - set(EDITOR_FIELDS)
    if unknown:
        raise TypeError(f"Okända fält: {', '.join(sorted(unknown))}")
    application = _locked_row(application)
    check_version(application, version, what="ansökan", fields=EDITOR_FIELDS, actor=actor)
    _apply(application, data)
    bump_version(application)
    return _save(application, actor)


def submit_problems(application: ProjectApplication) -> list[str]:
    problems = []
    for name, label in (("background", "bakgrund"), ("purpose", "syfte"), ("target_group", "målgrupp")):
        if not getattr(application, name):
            problems.append(f"Skriv ansökans {label}.")
    if not application.goals:
        problems.append("Ange minst ett mål.")
    if not application.budget_rows:
        problems.append("Ange budgeten per år.")
    return problems


def _archive(application: ProjectApplication, actor: User | None) -> None:
    from reporting.documents import DocumentInputError
    from reporting.services import render_job_request

    try:
        with transaction.atomic():
            job = render_job_request(
                organisation=application.organisation,
                user=actor,
                kind=DOCUMENT_KIND,
                params={"application": application.pk},
            )
    except DocumentInputError as exc:
        logger.error("Arkivet för projektansökan %s kunde inte beställas: %s", application.pk, exc.message)
        return
    ProjectApplication.objects.filter(pk=application.pk).update(archived_job=job)
    application.archived_job = job


@transaction.atomic
def application_submit(
    *, application: ProjectApplication, actor: User, version: int | None = None
) -> ProjectApplication:
    """Submit the application as it is: it is no longer edited, and its PDF/A is made for the archive."""
    application = _locked_row(application)
    check_version(application, version, what="ansökan", fields=EDITOR_FIELDS, actor=actor)
    problems = submit_problems(application)
    if problems:
        raise ValidationError(problems, code="incomplete")
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    bump_version(application)
    _save(application, actor)
    _archive(application, actor)
    return application


def _decision_date(application: ProjectApplication, decided_on: dt.date | None) -> dt.date:
    if decided_on is None:
        raise ValidationError({"decided_on": "Ange beslutsdatum."})
    if application.applied_on and decided_on < application.applied_on:
        raise ValidationError({"decided_on": "Beslutet kan inte vara fattat före ansökans datum."})
    return decided_on


@transaction.atomic
def application_approve(
    *, application: ProjectApplication, actor: User, decided_on: dt.date | None, note: str = ""
) -> Project:
    """Beviljad: the application becomes the project, with parties, mål and delmål, and budget per year."""
    application = _locked_row(application, allowed=(Status.SUBMITTED,))
    decided_on = _decision_date(application, decided_on)
    organisation = application.organisation
    if Project.objects.filter(organisation=organisation, name=application.name).exists():
        raise ValidationError(
            f"Det finns redan en insats som heter ”{application.name}”. Byt namn på den innan ansökan beviljas."
        )
    project = project_services.project_create(
        organisation=organisation,
        actor=actor,
        name=application.name,
        short_name=application.short_name,
        kind=application.kind,
        orientation=application.orientation,
        owner_name=application.project_owner or application.applicant,
        executor_name=application.applicant,
        executor_organisation=organisation,
        project_leader=application.project_leader,
        steering_group=application.steering_group,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        purpose=application.purpose,
        status=Project.Status.GRANTED,
    )
    for party in application.parties:
        project_services.party_create(project=project, actor=actor, name=party["name"], role=party["role"])
    parent = None
    for row in application.goals:
        target = {
            "target_key": row["target_key"],
            "comparison": row["comparison"],
            "target_value": _decimal(row["target_value"]),
            "base_key": row["base_key"],
        }
        goal = goal_services.goal_create(
            project=project,
            actor=actor,
            title=row["title"],
            parent=parent if row["is_sub"] else None,
            deadline=_date(row["deadline"]),
            **target,
        )
        if not row["is_sub"]:
            parent = goal
    years: dict[int, Decimal] = defaultdict(Decimal)
    for row in application.budget_rows:
        years[int(row["year"])] += Decimal(row["amount"])
    for year, amount in sorted(years.items()):
        project_services.budget_year_save(
            project=project,
            actor=actor,
            year=year,
            granted_grant=amount,
            co_financing=Decimal(0),
            own_contribution=Decimal(0),
        )
    application.status = Status.APPROVED
    application.project = project
    application.decided_on, application.decision_note = decided_on, _text(note)
    bump_version(application)
    _save(application, actor)
    return project


@transaction.atomic
def application_reject(
    *, application: ProjectApplication, actor: User, decided_on: dt.date | None, note: str = ""
) -> ProjectApplication:
    application = _locked_row(application, allowed=(Status.SUBMITTED,))
    application.decided_on = _decision_date(application, decided_on)
    application.decision_note = _text(note)
    application.status = Status.REJECTED
    bump_version(application)
    return _save(application, actor)


def budget_by_year(application: ProjectApplication) -> list[tuple[int, list[dict], Decimal]]:
    """(year, rows, computed total) in year order."""
    rows: dict[int, list[dict]] = defaultdict(list)
    for row in application.budget_rows:
        rows[int(row["year"])].append({**row, "amount": Decimal(row["amount"])})
    return [(year, items, sum((r["amount"] for r in items), start=Decimal(0))) for year, items in sorted(rows.items())]


def budget_total(application: ProjectApplication) -> Decimal:
    return sum((Decimal(row["amount"]) for row in application.budget_rows), start=Decimal(0))
