"""Gallring of the participant register (docs/decisions/0019): records whose avslut is older than the
organisation's retention (RegisterRetention, default DEFAULT_RETENTION_YEARS) are removed for good, with their
view log, their activities and every history row (otherwise the data would survive in the history table).
An anonymous participant has no avslut kept: its startår's last day counts as its avslut.

Submitted reports are untouched: they hold counts copied at submission, not references to records. Each run
writes the gallringslogg: per insats the number removed, when, and by whom (or the nightly task). No personal
data goes into the log.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q

from core.models import Organisation, User

from .models import RegisterDisposal, RegisterParticipant
from .register_services import _remove_history, retention_years


def cutoff_for(today: dt.date, years: int) -> dt.date:
    """The date before which an avslut is old enough: `years` before today (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due_for_gallring(*, organisation: Organisation, today: dt.date):
    years = retention_years(organisation)
    cutoff = cutoff_for(today, years)
    due = Q(exited_on__lt=cutoff) | Q(enrolled_on__isnull=True, enrolment_year__lt=cutoff.year)
    return RegisterParticipant.objects.for_organisation(organisation).filter(due), cutoff, years


@transaction.atomic
def register_gallring(
    *, organisation: Organisation, actor: User | None = None, today: dt.date | None = None
) -> list[RegisterDisposal]:
    """Remove the organisation's records due for gallring; one gallringslogg row per insats with any removed."""
    today = today or dt.date.today()
    due, cutoff, years = due_for_gallring(organisation=organisation, today=today)
    per_project = list(due.values("project_id", "project__name").annotate(n=Count("pk")).order_by("project__name"))
    if not per_project:
        return []
    ids = list(due.values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        # The delete writes "-" history rows; they go with the rest of the history just after.
        RegisterParticipant.objects.filter(pk__in=chunk).delete()
        _remove_history(chunk)
    return [
        RegisterDisposal.objects.create(
            organisation=organisation,
            project_id=row["project_id"],
            project_name=row["project__name"],
            exited_before=cutoff,
            years=years,
            removed=row["n"],
            actor=actor,
            automatic=actor is None,
        )
        for row in per_project
    ]


def register_gallring_all(*, today: dt.date | None = None) -> int:
    """The nightly run (projects.tasks): every organisation keeping a register. Returns how many were removed."""
    removed = 0
    organisation_ids = RegisterParticipant.objects.values_list("organisation_id", flat=True).distinct()
    for organisation in Organisation.objects.filter(pk__in=list(organisation_ids)):
        removed += sum(row.removed for row in register_gallring(organisation=organisation, today=today))
    return removed
