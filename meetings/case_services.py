"""Writes for ärenden and their tjänsteskrivelse. Each service owns its transaction and names its actor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Organisation, Person, User
from core.versioning import bump_version, check_version

from .clauses import clean_clauses
from .models import Case, CaseNumberSeries, Committee, OfficerReport, validate_case_pattern
from .numbering import case_number_next

CASE_EDITOR_FIELDS = ("title", "handler", "status", "confidential", "legal_basis")
OFFICER_REPORT_EDITOR = (
    "proposed_clauses",
    "summary",
    "description",
    "financial_impact",
    "distribution",
    "handler",
    "signed_by",
    "dated_on",
)
OFFICER_REPORT_FIELDS = set(OFFICER_REPORT_EDITOR)


def _same_organisation(organisation: Organisation, **objects: Any) -> None:
    """Refuse a related object of another organisation (a form should never offer one; this is the guard)."""
    for label, obj in objects.items():
        if obj is None:
            continue
        owner = getattr(obj, "organisation_id", None)
        if owner is None and hasattr(obj, "committee"):
            owner = obj.committee.organisation_id
        if owner != organisation.pk:
            raise ValidationError({label: "Välj ett alternativ i listan."}, code="other_organisation")


# Diarieserier -------------------------------------------------------------------------------------------------


def series_preview(*, pattern: str, committee: Committee | None, year: int, sequence: int) -> str:
    """The diarienummer a pattern gives (raises the pattern's ValidationError when it is not usable)."""
    validate_case_pattern(pattern)
    return CaseNumberSeries(pattern=pattern, committee=committee).format(year=year, sequence=sequence)


def _check_series(series: CaseNumberSeries) -> None:
    """Name unique in the organisation; never the same numbers as another series (the numbers would clash)."""
    _same_organisation(series.organisation, committee=series.committee)
    series.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    others = CaseNumberSeries.objects.for_organisation(series.organisation).select_related("committee")
    if series.pk:
        others = others.exclude(pk=series.pk)
    if others.filter(name__iexact=series.name).exists():
        raise ValidationError({"name": f"Det finns redan en diarieserie som heter {series.name}."}, code="name_taken")
    sample = series.format(year=2000, sequence=1)
    for other in others:
        if other.format(year=2000, sequence=1) == sample:
            raise ValidationError(
                {
                    "pattern": f"Serien skulle ge samma diarienummer som serien {other.name} (t.ex. "
                    f"{series.format(year=timezone.localdate().year, sequence=1)}). Ändra mönstret eller organet."
                },
                code="same_numbers",
            )


@transaction.atomic
def series_create(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    pattern: str,
    committee: Committee | None = None,
    is_active: bool = True,
) -> CaseNumberSeries:
    series = CaseNumberSeries(
        organisation=organisation, name=name.strip(), pattern=pattern.strip(), committee=committee, is_active=is_active
    )
    _check_series(series)
    series._history_user = actor
    series.save()
    return series


@transaction.atomic
def series_update(
    *,
    series: CaseNumberSeries,
    actor: User,
    name: str,
    pattern: str,
    committee: Committee | None = None,
    is_active: bool = True,
) -> CaseNumberSeries:
    """Change a series. Numbers already given stay as they are; the next ärende gets the new pattern."""
    series = CaseNumberSeries.objects.select_for_update().get(pk=series.pk)
    series.name, series.pattern, series.committee, series.is_active = (
        name.strip(),
        pattern.strip(),
        committee,
        is_active,
    )
    _check_series(series)
    series._history_user = actor
    series.save()
    return series


# Ärenden ------------------------------------------------------------------------------------------------------


@transaction.atomic
def case_register(
    *,
    organisation: Organisation,
    actor: User,
    series: CaseNumberSeries,
    title: str,
    committee: Committee | None = None,
    handler: Person | None = None,
    registered_on: dt.date | None = None,
    confidential: bool = False,
    legal_basis: str = "",
) -> Case:
    """Register an ärende: it takes the next diarienummer of its series for the year it is registered in."""
    _same_organisation(organisation, series=series, committee=committee, handler=handler)
    # The series as it is now (its pattern may have changed since the caller read it).
    series = CaseNumberSeries.objects.select_related("committee").get(pk=series.pk)
    if not series.is_active:
        raise ValidationError({"series": "Diarieserien används inte längre. Välj en annan serie."}, code="inactive")
    registered_on = registered_on or timezone.localdate()
    case = Case(
        organisation=organisation,
        series=series,
        year=registered_on.year,
        title=title.strip(),
        committee=committee or series.committee,
        handler=handler,
        registered_on=registered_on,
        confidential=confidential,
        legal_basis=legal_basis.strip(),
        created_by=actor,
        # Placeholders until the number is taken; full_clean must pass before the counter moves.
        sequence=1,
        case_number="-",
    )
    case.full_clean(exclude=["sequence", "case_number"], validate_unique=False, validate_constraints=False)
    case.sequence, case.case_number = case_number_next(series=series, year=registered_on.year)
    if Case.objects.filter(organisation=organisation, case_number=case.case_number).exists():
        # Raised inside the transaction, so the counter moves back with it and no gap is left.
        raise ValidationError(
            {
                "series": f"Diarienumret {case.case_number} finns redan i en annan serie. Ändra seriens mönster "
                "så att serierna ger olika nummer."
            },
            code="number_taken",
        )
    case._history_user = actor
    case.save()
    report = OfficerReport(case=case, handler=handler)
    report._history_user = actor
    report.save()
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    actor: User,
    title: str,
    status: str,
    handler: Person | None = None,
    confidential: bool = False,
    legal_basis: str = "",
    version: int | None = None,
) -> Case:
    """Change what an ärende is called and where it stands. Its number, series and year never change.

    `version` is the one the form was built from (see core.versioning).
    """
    _same_organisation(case.organisation, handler=handler)
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_version(case, version, what=f"ärende {case.case_number}", fields=CASE_EDITOR_FIELDS, actor=actor)
    case.title, case.status, case.handler = title.strip(), status, handler
    case.confidential, case.legal_basis = confidential, legal_basis.strip()
    case.full_clean(validate_unique=False, validate_constraints=False)
    bump_version(case)
    case._history_user = actor
    case.save()
    return case


@transaction.atomic
def officer_report_update(
    *, report: OfficerReport, actor: User, data: dict[str, Any], version: int | None = None
) -> OfficerReport:
    """Save the tjänsteskrivelse. `version` is the one the form was built from (see core.versioning)."""
    unknown = set(data) - OFFICER_REPORT_FIELDS
    if unknown:
        raise ValueError(f"Okända fält: {sorted(unknown)}")
    _same_organisation(report.case.organisation, handler=data.get("handler"), signed_by=data.get("signed_by"))
    # The ärende locked first, so that even the first save of a new tjänsteskrivelse has one winner; then the
    # row as saved now, so that the check and the write see the same version (0: the form saw no row yet).
    given = report
    case = Case.objects.select_for_update().get(pk=report.case_id)
    saved = OfficerReport.objects.select_for_update().filter(case=case).first()
    if saved is not None:
        check_version(
            saved,
            version,
            what=f"tjänsteskrivelsen i ärende {case.case_number}",
            fields=OFFICER_REPORT_EDITOR,
            actor=actor,
        )
        report = saved
    for field, value in data.items():
        setattr(report, field, value)
    report.proposed_clauses = clean_clauses(report.proposed_clauses or [], field="proposed_clauses")
    report.full_clean()
    if report.pk:
        bump_version(report)
    report._history_user = actor
    report.save()
    if given is not report:
        # The caller's copy shows what is saved now, as it did when the service wrote on it directly.
        for field in OfficerReport._meta.concrete_fields:
            setattr(given, field.attname, getattr(report, field.attname))
        given._state.adding = False
    return given
