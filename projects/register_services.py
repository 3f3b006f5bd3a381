"""Writes for the participant register at the utförare (docs/decisions/0019): enrol, update, exit, log a view,
assign register staff and set gallring.

Only the organisation that runs the insats (`Project.executor_organisation`, never a samordningsförbund) keeps
records. A participant is a pseudonym: no name and no personnummer, and a code that looks like a personnummer is
refused. Without samtycke only kön and startår are kept: the other fields are emptied here, and the model's check
constraint refuses them anyway. Withdrawing samtycke also removes the earlier history rows that held them.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Organisation, Role, RoleAssignment, User

from .models import (
    Category,
    CategoryList,
    Project,
    RegisterParticipant,
    RegisterRetention,
    RegisterStaff,
    RegisterViewLog,
)

Key = CategoryList.Key
REGISTER_ROLES = (Role.PARTICIPANT_OFFICER, Role.ADMIN)
# Which category list each field takes its value from (the förbund's lists, so counts map to report keys).
FIELD_LISTS = {
    "referrer": Key.REFERRER,
    "education": Key.EDUCATION,
    "income_at_entry": Key.INCOME_AT_ENTRY,
    "income_at_exit": Key.INCOME_AT_EXIT,
    "exit_reason": Key.EXIT_REASON,
}
ENTRY_FIELDS = ("birth_year", "referrer", "education", "income_at_entry", "enrolled_on", "consent_on")
EXIT_FIELDS = ("exited_on", "exit_reason", "income_at_exit")
PERSONNUMMER = re.compile(r"(19|20)?\d{6}[-+ ]?\d{4}")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
NO_REGISTER_MESSAGE = "Insatsen har inget deltagarregister hos er organisation."
WORKING_AGE = (16, 64)


def _check_project(organisation: Organisation, project: Project) -> None:
    if (
        project.executor_organisation_id != organisation.pk
        or organisation.kind == Organisation.Kind.FEDERATION
        or project.follow_up_method != Project.FollowUp.REGISTER
        or project.is_structural
    ):
        raise ValidationError(NO_REGISTER_MESSAGE, code="no_register")


def check_keeper(*, organisation: Organisation, project: Project, actor: User) -> None:
    """The actor keeps this insats's register here: administratör of the utförare, or its deltagaransvarig
    assigned to the insats."""
    _check_project(organisation, project)
    roles = set(RoleAssignment.objects.filter(user=actor, organisation=organisation).values_list("role", flat=True))
    assigned = RegisterStaff.objects.filter(organisation=organisation, project=project, user=actor)
    # The administratör answers for every register; a deltagaransvarig keeps the ones assigned to them.
    if not (Role.ADMIN in roles or (Role.PARTICIPANT_OFFICER in roles and assigned.exists())):
        raise ValidationError("Du för inte deltagarregistret för den här insatsen.", code="not_keeper")


def _new_code(organisation: Organisation) -> str:
    while True:
        code = "D-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not RegisterParticipant.objects.filter(organisation=organisation, code=code).exists():
            return code


def _clean_code(organisation: Organisation, code: str, exclude: int | None = None) -> str:
    code = (code or "").strip().upper()
    if not code:
        return _new_code(organisation)
    if PERSONNUMMER.fullmatch(code.replace(" ", "")) or PERSONNUMMER.search(code):
        raise ValidationError({"code": "Deltagarkoden får inte vara eller innehålla ett personnummer."})
    if not re.fullmatch(r"[A-Z0-9ÅÄÖ_-]{2,20}", code):
        raise ValidationError({"code": "Deltagarkoden får bara ha bokstäver, siffror och bindestreck (2–20 tecken)."})
    taken = RegisterParticipant.objects.filter(organisation=organisation, code=code).exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"code": f"Deltagarkoden {code} finns redan. Välj en annan."})
    return code


def _check_categories(project: Project, data: dict[str, Any], activities: Iterable[Category] | None) -> None:
    errors = {}
    for name, key in FIELD_LISTS.items():
        value = data.get(name)
        if value is None:
            continue
        if value.category_list.organisation_id != project.organisation_id or value.category_list.key != key:
            errors[name] = "Välj ett alternativ ur listan."
    for activity in activities or ():
        if activity.category_list.organisation_id != project.organisation_id or activity.category_list.key != (
            Key.ACTIVITY
        ):
            errors["activities"] = "Välj aktiviteter ur listan."
    if errors:
        raise ValidationError(errors)


def _check_dates(participant: RegisterParticipant) -> None:
    errors = {}
    today = dt.date.today()
    if participant.consent:
        if participant.enrolled_on is None:
            errors["enrolled_on"] = "Ange inskrivningsdatum."
        elif participant.enrolled_on > today:
            errors["enrolled_on"] = "Inskrivningsdatum kan inte ligga i framtiden."
        if participant.consent_on is None:
            errors["consent_on"] = "Ange datum för samtycket."
        elif participant.consent_on > today:
            errors["consent_on"] = "Datum för samtycket kan inte ligga i framtiden."
        if participant.birth_year is not None and participant.enrolled_on is not None:
            age = participant.enrolled_on.year - participant.birth_year
            if not WORKING_AGE[0] <= age <= WORKING_AGE[1]:
                errors["birth_year"] = (
                    f"Deltagaren blir {age} år det år hen skrivs in; insatserna är för 16–64 år (lag 2003:1210)."
                )
    elif not 2000 <= participant.enrolment_year <= today.year:
        errors["enrolment_year"] = f"Ange ett startår mellan 2000 och {today.year}."
    if participant.exited_on is not None:
        if participant.exited_on > today:
            errors["exited_on"] = "Avslutsdatum kan inte ligga i framtiden."
        elif participant.enrolled_on and participant.exited_on < participant.enrolled_on:
            errors["exited_on"] = "Avslutsdatum kan inte ligga före inskrivningsdatum."
    if errors:
        raise ValidationError(errors)


def _strip_without_consent(participant: RegisterParticipant) -> None:
    """An anonymous participant: kön and startår only."""
    if participant.consent:
        participant.enrolment_year = participant.enrolled_on.year if participant.enrolled_on else None
        return
    for name in ENTRY_FIELDS + EXIT_FIELDS:
        setattr(participant, name, None)


def _save(participant: RegisterParticipant, actor: User, activities: Iterable[Category] | None) -> None:
    participant._history_user = actor
    participant.full_clean(exclude=["project", "organisation"], validate_unique=False)
    participant.save()
    if activities is not None:
        participant.activities.set(list(activities) if participant.consent else [])


@transaction.atomic
def participant_enrol(
    *,
    organisation: Organisation,
    project: Project,
    actor: User,
    gender: str,
    consent: bool,
    code: str = "",
    enrolment_year: int | None = None,
    activities: Iterable[Category] = (),
    **data: Any,
) -> RegisterParticipant:
    """Inskrivning. `data`: birth_year, referrer, education, income_at_entry, enrolled_on, consent_on."""
    check_keeper(organisation=organisation, project=project, actor=actor)
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError(f"Okända uppgifter: {', '.join(sorted(unknown))}.")
    _check_categories(project, data, activities)
    participant = RegisterParticipant(
        organisation=organisation,
        project=project,
        code=_clean_code(organisation, code),
        gender=gender,
        consent=bool(consent),
        enrolment_year=enrolment_year or dt.date.today().year,
        **data,
    )
    _strip_without_consent(participant)
    if participant.enrolment_year is None:
        raise ValidationError({"enrolled_on": "Ange inskrivningsdatum."})
    _check_dates(participant)
    _save(participant, actor, activities)
    return participant


def _locked_for_update(participant: RegisterParticipant) -> RegisterParticipant:
    return RegisterParticipant.objects.select_for_update().select_related("project").get(pk=participant.pk)


def _remove_history(participant_ids: Iterable[int]) -> int:
    """Delete every history row (and its activities) of these records: gallring and withdrawn samtycke."""
    ids = list(participant_ids)
    history = RegisterParticipant.history.model
    m2m_history = apps.get_model("projects", "HistoricalRegisterParticipant_activities")
    m2m_history.objects.filter(registerparticipant_id__in=ids).delete()
    m2m_history.objects.filter(history__id__in=ids).delete()
    removed, _ = history.objects.filter(id__in=ids).delete()
    return removed


@transaction.atomic
def participant_update(
    *,
    participant: RegisterParticipant,
    actor: User,
    gender: str,
    consent: bool,
    code: str | None = None,
    enrolment_year: int | None = None,
    activities: Iterable[Category] | None = None,
    **data: Any,
) -> RegisterParticipant:
    """Change what is held. Exit fields are changed with participant_exit. Withdrawing samtycke empties every
    field but kön and startår and removes the history rows that held them."""
    participant = _locked_for_update(participant)
    check_keeper(organisation=participant.organisation, project=participant.project, actor=actor)
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError(f"Okända uppgifter: {', '.join(sorted(unknown))}.")
    _check_categories(participant.project, data, activities)
    withdrawn = participant.consent and not consent
    if code and code.strip().upper() != participant.code:  # left empty: the code stays as it is
        participant.code = _clean_code(participant.organisation, code, exclude=participant.pk)
    participant.gender = gender
    participant.consent = bool(consent)
    for name, value in data.items():
        setattr(participant, name, value)
    if not participant.consent and enrolment_year:
        participant.enrolment_year = enrolment_year
    _strip_without_consent(participant)
    _check_dates(participant)
    if withdrawn:
        _remove_history([participant.pk])
    _save(participant, actor, activities if activities is not None or withdrawn else None)
    return participant


@transaction.atomic
def participant_exit(
    *,
    participant: RegisterParticipant,
    actor: User,
    exited_on: dt.date,
    exit_reason: Category,
    income_at_exit: Category,
) -> RegisterParticipant:
    """Avslut, with avslutsorsak and försörjning vid avslut. Also corrects an earlier avslut."""
    participant = _locked_for_update(participant)
    check_keeper(organisation=participant.organisation, project=participant.project, actor=actor)
    if not participant.consent:
        raise ValidationError(
            "En anonym deltagare (utan samtycke) har inga datum och kan inte avslutas; hen räknas det år hen började."
        )
    errors = {}
    if exited_on is None:
        errors["exited_on"] = "Ange avslutsdatum."
    if exit_reason is None:
        errors["exit_reason"] = "Välj avslutsorsak."
    if income_at_exit is None:
        errors["income_at_exit"] = "Välj försörjning vid avslut."
    if errors:
        raise ValidationError(errors)
    _check_categories(participant.project, {"exit_reason": exit_reason, "income_at_exit": income_at_exit}, None)
    participant.exited_on = exited_on
    participant.exit_reason = exit_reason
    participant.income_at_exit = income_at_exit
    _check_dates(participant)
    _save(participant, actor, None)
    return participant


def participant_view_log(
    *, participant: RegisterParticipant, actor: User, action: str = RegisterViewLog.Action.VIEW
) -> RegisterViewLog:
    """Every view of one record is logged: who, which, when. Written by the view before the record is shown."""
    return RegisterViewLog.objects.create(
        organisation_id=participant.organisation_id, participant=participant, user=actor, action=action
    )


@transaction.atomic
def register_staff_add(*, organisation: Organisation, project: Project, user: User, actor: User) -> RegisterStaff:
    _check_project(organisation, project)
    if not RoleAssignment.objects.filter(user=user, organisation=organisation, role__in=REGISTER_ROLES).exists():
        raise ValidationError(
            {"user": "Användaren måste ha rollen deltagaransvarig eller administratör i er organisation."}
        )
    row, _ = RegisterStaff.objects.get_or_create(organisation=organisation, project=project, user=user, defaults={})
    return row


@transaction.atomic
def register_staff_remove(*, row: RegisterStaff, actor: User) -> None:
    row._history_user = actor
    row.delete()


def retention_years(organisation: Organisation) -> int:
    from .models import DEFAULT_RETENTION_YEARS

    row = RegisterRetention.objects.filter(organisation=organisation).first()
    return row.years if row else DEFAULT_RETENTION_YEARS


@transaction.atomic
def retention_save(*, organisation: Organisation, actor: User, years: int, basis: str = "") -> RegisterRetention:
    row = RegisterRetention.objects.filter(organisation=organisation).first() or RegisterRetention(
        organisation=organisation
    )
    row.years = years
    row.basis = (basis or "").strip()
    row._history_user = actor
    row.full_clean(exclude=["organisation"], validate_unique=False)
    row.save()
    return row
