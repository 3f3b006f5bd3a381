"""Writes for ärenden and their tjänsteskrivelse. Each service owns its transaction and names its actor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Organisation, Person, User

from .models import Case, CaseNumberSeries, Committee, OfficerReport
from .numbering import case_number_next

OFFICER_REPORT_FIELDS = {
    "proposed_clauses",
    "summary",
    "description",
    "financial_impact",
    "distribution",
    "handler",
    "signed_by",
    "dated_on",
}


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
    case._history_user = actor
    case.save()
    report = OfficerReport(case=case, handler=handler)
    report._history_user = actor
    report.save()
    return case


@transaction.atomic
def officer_report_update(*, report: OfficerReport, actor: User, data: dict[str, Any]) -> OfficerReport:
    unknown = set(data) - OFFICER_REPORT_FIELDS
    if unknown:
        raise ValueError(f"Okända fält: {sorted(unknown)}")
    _same_organisation(report.case.organisation, handler=data.get("handler"), signed_by=data.get("signed_by"))
    for field, value in data.items():
        setattr(report, field, value)
    report.proposed_clauses = [clause.strip() for clause in report.proposed_clauses if clause and clause.strip()]
    report.full_clean()
    report._history_user = actor
    report.save()
    return report
