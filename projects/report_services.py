"""Writes for participant reports: create a period's report, enter its counts, submit it, correct it.

A submitted report is locked: every write here refuses it (REPORT_LOCKED_MESSAGE). A correction is a new
version of the same period, with a reason, starting from the submitted figures; the earlier versions stay as
they were and readable. Every write leaves a history row on the report with the acting user.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import User
from core.xlsx import ImportRefused

from . import report_selectors
from .category_services import category_lists_ensure
from .models import (
    GENDERS,
    PERIOD_COUNTS,
    REPORT_LOCKED_MESSAGE,
    Category,
    ParticipantReport,
    Project,
    ProjectParty,
    ReportCount,
    period_label,
)
from .report_excel import parse_workbook
from .report_grid import Grid

MAX_COUNT = 100_000
# Reports of an insats followed up with the register are computed there, never typed at the förbund.
REGISTER_ONLY_MESSAGE = (
    "Insatsen följs upp med register hos utföraren. Rapporten räknas fram ur registret och lämnas in därifrån; "
    "den kan inte fyllas i för hand."
)
MANUAL, REGISTER = "manual", "register"


def _check_source(project: Project, source: str) -> None:
    if project.follow_up_method == Project.FollowUp.REGISTER and source != REGISTER:
        raise ValidationError(REGISTER_ONLY_MESSAGE, code="register_only")


def _ensure_editable(report: ParticipantReport) -> ParticipantReport:
    """The report, locked for this transaction; refused when it is submitted."""
    report = ParticipantReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    if report.is_locked:
        raise ValidationError(REPORT_LOCKED_MESSAGE, code="locked")
    return report


def _touch(report: ParticipantReport, actor: User) -> ParticipantReport:
    report._history_user = actor
    report.save()
    return report


@transaction.atomic
def report_create(
    *, project: Project, actor: User, year: int, period_number: int = 1, source: str = MANUAL
) -> ParticipantReport:
    """The first version of a period's report, as a draft. The period kind is the insats's rapportperiod.
    `source` is "register" only from crossing_services; a register insats refuses any other."""
    _check_source(project, source)
    category_lists_ensure(organisation=project.organisation, actor=actor)
    kind = project.report_period
    if not 1 <= period_number <= PERIOD_COUNTS[kind]:
        raise ValidationError({"period_number": f"Välj en period mellan 1 och {PERIOD_COUNTS[kind]}."})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Ange ett år mellan 2000 och 2100."})
    label = period_label(kind, year, period_number)
    if ParticipantReport.objects.filter(
        project=project, period_kind=kind, year=year, period_number=period_number
    ).exists():
        raise ValidationError(
            {"year": f"Det finns redan en rapport för {label}. Öppna den, eller gör en rättelse om den är inlämnad."}
        )
    report = ParticipantReport(
        project=project, period_kind=kind, year=year, period_number=period_number, version=1, created_by=actor
    )
    report._history_user = actor
    report.save()
    return report


def _cell_rows(report: ParticipantReport, grid: Grid, values: Mapping[tuple[str, str], int]) -> list[ReportCount]:
    categories = {
        c.pk: c
        for c in Category.objects.filter(pk__in={row.category_id for row in grid.typed_rows() if row.category_id})
    }
    parties = {p.pk: p for p in ProjectParty.objects.filter(project=report.project)}
    section_titles = {}
    for section in grid.sections:
        for row in section.rows:
            section_titles[row.key] = section.title
    rows = []
    for grid_row in grid.typed_rows():
        if grid_row.key.startswith("cat:"):
            kind, label = ReportCount.Row.CATEGORY, grid_row.label
        elif grid_row.key.startswith("struct:"):
            kind, label = ReportCount.Row.STRUCTURAL, f"{section_titles[grid_row.key]} – {grid_row.label}"
        else:
            kind, label = grid_row.key, grid_row.label
        for gender in GENDERS:
            rows.append(
                ReportCount(
                    report=report,
                    row=kind,
                    category=categories.get(grid_row.category_id) if grid_row.category_id else None,
                    party=parties.get(grid_row.party_id) if grid_row.party_id else None,
                    key=grid_row.key,
                    label=label,
                    gender=gender,
                    value=int(values.get((grid_row.key, gender), 0) or 0),
                )
            )
    return rows


@transaction.atomic
def report_save_counts(
    *,
    report: ParticipantReport,
    actor: User,
    values: Mapping[tuple[str, str], int],
    comment: str | None = None,
    source: str = MANUAL,
) -> ParticipantReport:
    """Replace the draft's typed cells. `values`: (cell key, kön) -> count; keys outside the grid are refused.
    Totals are never taken from the caller: they are computed whenever the grid is read."""
    report = _ensure_editable(report)
    _check_source(report.project, source)
    grid, _ = report_selectors.report_grid(report=report)
    allowed = grid.keys()
    errors = []
    for (key, gender), value in values.items():
        if key not in allowed or gender not in GENDERS:
            errors.append(f"Okänd cell i rapporten: {key}.")
        elif value is None or int(value) < 0 or int(value) > MAX_COUNT:
            errors.append(f"Antalet måste vara ett heltal mellan 0 och {MAX_COUNT}.")
    if errors:
        raise ValidationError(sorted(set(errors)), code="invalid")
    ReportCount.objects.filter(report=report).delete()
    ReportCount.objects.bulk_create(_cell_rows(report, grid, values))
    if comment is not None:
        report.comment = comment.strip()
    return _touch(report, actor)


@transaction.atomic
def report_import_xlsx(*, report: ParticipantReport, actor: User, data: bytes) -> ParticipantReport:
    """Replace the draft's typed cells with those of a filled-in template (.xlsx). All or nothing: any problem
    refuses the whole file with every problem listed (ImportRefused, row and column each). Totals in the file are
    never read as figures, only checked. A submitted report refuses the import like every other write."""
    report = _ensure_editable(report)
    grid, _ = report_selectors.report_grid(report=report)
    values, problems = parse_workbook(data, grid, marker=report_selectors.report_file_marker(report))
    if problems:
        raise ImportRefused(problems)
    return report_save_counts(report=report, actor=actor, values=values)


@transaction.atomic
def report_submit(*, report: ParticipantReport, actor: User) -> ParticipantReport:
    """Lock the report after its checks pass. Refused with every impossible figure listed otherwise."""
    report = _ensure_editable(report)
    grid, errors = report_selectors.report_grid(report=report)
    if errors:
        raise ValidationError(errors, code="impossible")
    values = {(row.key, gender): value for row in grid.typed_rows() for gender, value in row.cells.items()}
    # Store every cell of the grid as it was seen, zeros included, so the locked report shows exactly that.
    ReportCount.objects.filter(report=report).delete()
    ReportCount.objects.bulk_create(_cell_rows(report, grid, values))
    report.status = ParticipantReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    return _touch(report, actor)


@transaction.atomic
def report_correct(*, report: ParticipantReport, actor: User, reason: str, source: str = MANUAL) -> ParticipantReport:
    """A new draft version of a submitted report's period, starting from its figures."""
    report = ParticipantReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    _check_source(report.project, source)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Ange skälet till rättelsen."})
    if not report.is_locked:
        raise ValidationError("Rapporten är inte inlämnad än; ändra den direkt i stället.", code="draft")
    versions = report_selectors.report_versions(report=report)
    if versions.filter(status=ParticipantReport.Status.DRAFT).exists():
        raise ValidationError("Det finns redan en påbörjad rättelse för perioden. Öppna den i stället.", code="draft")
    newest = versions.first()
    if newest.pk != report.pk:
        raise ValidationError(
            f"Rätta den senaste versionen (version {newest.version}), inte en äldre.", code="not_latest"
        )
    correction = ParticipantReport(
        project=report.project,
        period_kind=report.period_kind,
        year=report.year,
        period_number=report.period_number,
        version=report.version + 1,
        correction_reason=reason,
        comment=report.comment,
        created_by=actor,
    )
    correction._history_user = actor
    correction.save()
    copies = [
        ReportCount(
            report=correction,
            row=row.row,
            category_id=row.category_id,
            party_id=row.party_id,
            key=row.key,
            label=row.label,
            gender=row.gender,
            value=row.value,
        )
        for row in ReportCount.objects.filter(report=report)
    ]
    ReportCount.objects.bulk_create(copies)
    return correction
