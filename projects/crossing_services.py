"""The one flow that crosses from the utförare to the förbund (docs/decisions/0013, 0019).

`register_report_submit` is called by the utförare's deltagaransvarig. It computes the period's counts from the
register in the database (register_selectors.register_report_counts) and creates and submits the förbund's
ParticipantReport for the period through the ordinary report services: a new version with a reason when the
period was submitted before. Only counts cross: the report's cells are (row, kön, number); no record, code,
date or field of a participant is passed to, or stored on, the förbund's side.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Organisation, User

from . import report_services
from .models import ParticipantReport, Project
from .register_selectors import RegisterCounts, register_report_counts
from .register_services import check_keeper

REGISTER_SOURCE = "register"


@transaction.atomic
def register_report_submit(
    *,
    organisation: Organisation,
    project: Project,
    actor: User,
    year: int,
    period_number: int = 1,
    reason: str = "",
) -> tuple[ParticipantReport, RegisterCounts]:
    """Compute the period's counts from the utförare's register and submit them as the förbund's report."""
    check_keeper(organisation=organisation, project=project, actor=actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    counts = register_report_counts(project=project, year=year, period_number=period_number)
    versions = ParticipantReport.objects.filter(
        project=project, period_kind=project.report_period, year=year, period_number=period_number
    ).order_by("-version")
    newest = versions.first()
    if newest is None:
        report = report_services.report_create(
            project=project, actor=actor, year=year, period_number=period_number, source=REGISTER_SOURCE
        )
    elif not newest.is_locked:
        report = newest
    else:
        if not (reason or "").strip():
            raise ValidationError(
                {
                    "reason": f"Rapporten för {newest.period_label} är redan inlämnad. "
                    "Ange skälet till den nya versionen."
                }
            )
        report = report_services.report_correct(report=newest, actor=actor, reason=reason, source=REGISTER_SOURCE)
    report = report_services.report_save_counts(
        report=report, actor=actor, values=counts.values, source=REGISTER_SOURCE
    )
    report = report_services.report_submit(report=report, actor=actor)
    return report, counts
