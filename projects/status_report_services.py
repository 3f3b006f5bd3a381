"""Writes for lägesrapporter (issue 8 point 8): create a period's report, save the editor, submit, correct.

A submitted report is locked: every write here refuses it (STATUS_REPORT_LOCKED_MESSAGE), whatever calls it. A
correction is a new version (revision + 1) of the same period with a reason, starting from the submitted text;
the earlier versions and their archived PDFs stay as they were. The editor carries a version
(core.versioning): a save over a newer one is refused with the other change shown. Submitting asks for the
archived PDF/A in the same transaction (as the protokoll's justering does), rendered after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import User
from core.versioning import bump_version, check_version

from .models import STATUS_REPORT_LOCKED_MESSAGE, Project, StatusReport

logger = logging.getLogger(__name__)

DOCUMENT_KIND = "projects.status_report"
TEXT_FIELDS = (
    "recipient",
    "case_reference",
    "contact_name",
    "contact_email",
    "contact_phone",
    "deviations",
    "work_process",
    "economy_comment",
    "information",
    "other",
    "signed_name",
    "signed_role",
    "signed_place",
)
LIST_FIELDS = ("area_summaries", "activities", "cost_rows")
EDITOR_FIELDS = ("period_start", "period_end", *TEXT_FIELDS, *LIST_FIELDS, "signed_on")
# Carried from the project's latest report into a new period's: who reports to whom.
CARRIED = ("recipient", "case_reference", "contact_name", "contact_email", "contact_phone", "signed_name")
CARRIED += ("signed_role", "signed_place")
MAX_AMOUNT = Decimal("999999999999")


def _locked_row(report: StatusReport) -> StatusReport:
    """The report, locked for this transaction; refused when it is submitted."""
    report = StatusReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    if report.is_locked:
        raise ValidationError(STATUS_REPORT_LOCKED_MESSAGE, code="locked")
    return report


def _save(report: StatusReport, actor: User | None) -> StatusReport:
    report._history_user = actor
    report.save()
    return report


def _check_period(project: Project, start: dt.date | None, end: dt.date | None, exclude: int | None = None) -> None:
    if start is None or end is None:
        raise ValidationError(
            {"period_start" if start is None else "period_end": "Ange periodens första och sista dag."}
        )
    if end < start:
        raise ValidationError({"period_end": "Periodens sista dag kan inte ligga före den första."})
    clash = StatusReport.objects.filter(project=project, period_start=start, period_end=end)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(
            {
                "period_start": "Det finns redan en lägesrapport för perioden. Öppna den, eller rätta den om den "
                "är inlämnad."
            }
        )


@transaction.atomic
def status_report_create(
    *, project: Project, actor: User, period_start: dt.date | None, period_end: dt.date | None
) -> StatusReport:
    """A period's first version as a draft: one summary per delprojekt, and who reports as last time."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _check_period(project, period_start, period_end)
    report = StatusReport(project=project, period_start=period_start, period_end=period_end, created_by=actor)
    previous = StatusReport.objects.filter(project=project).order_by("-period_end", "-revision").first()
    if previous is not None:
        for name in CARRIED:
            setattr(report, name, getattr(previous, name))
        report.cost_rows = [
            {"cost_type": row.get("cost_type", ""), "budget": "", "outcome": ""} for row in previous.cost_rows
        ]
    report.area_summaries = [
        {"code": sub.code, "heading": sub.name, "text": ""} for sub in project.sub_projects.order_by("code")
    ]
    report.full_clean(validate_unique=False, validate_constraints=False)
    return _save(report, actor)


def _text(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


def _amount(value: Any, *, row: int, column: str, errors: list[str]) -> str:
    if value in (None, ""):
        return ""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        errors.append(f"Ekonomiskt utfall, rad {row}, {column}: ”{value}” är inget belopp.")
        return ""
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        errors.append(f"Ekonomiskt utfall, rad {row}, {column}: beloppet är för stort.")
        return ""
    return str(amount.quantize(Decimal("0.01")))


def clean_lists(data: dict[str, Any]) -> dict[str, list[dict]]:
    """The editor's rows as stored: empty rows dropped, amounts as decimal strings. Every error at once."""
    errors: list[str] = []
    areas = [
        {"code": _text(row.get("code")), "heading": _text(row.get("heading")), "text": _text(row.get("text"))}
        for row in data.get("area_summaries") or []
    ]
    for number, row in enumerate(areas, start=1):
        if row["text"] and not row["heading"]:
            errors.append(f"Sammanfattning av läget, rad {number}: ange delområdet (rubriken).")
    areas = [row for row in areas if row["heading"] or row["text"]]
    activities = [
        {"activity": _text(row.get("activity")), "result": _text(row.get("result"))}
        for row in data.get("activities") or []
    ]
    for number, row in enumerate(activities, start=1):
        if row["result"] and not row["activity"]:
            errors.append(f"Periodens aktiviteter, rad {number}: ange aktiviteten.")
    activities = [row for row in activities if row["activity"] or row["result"]]
    costs = []
    for number, row in enumerate(data.get("cost_rows") or [], start=1):
        cost_type = _text(row.get("cost_type"))
        budget = _amount(row.get("budget"), row=number, column="budget", errors=errors)
        outcome = _amount(row.get("outcome"), row=number, column="utfall", errors=errors)
        if not cost_type and not budget and not outcome:
            continue
        if not cost_type:
            errors.append(f"Ekonomiskt utfall, rad {number}: ange kostnadsslaget.")
        costs.append({"cost_type": cost_type, "budget": budget, "outcome": outcome})
    if errors:
        raise ValidationError(errors, code="rows")
    return {"area_summaries": areas, "activities": activities, "cost_rows": costs}


@transaction.atomic
def status_report_update(*, report: StatusReport, actor: User, version: int | None = None, **data: Any) -> StatusReport:
    """Save the editor: every section at once. `version` is the one the form was built from."""
    unknown = set(data) - set(EDITOR_FIELDS)
    if unknown:
        raise TypeError(f"Okända fält: {', '.join(sorted(unknown))}")
    report = _locked_row(report)
    check_version(report, version, what="lägesrapporten", fields=EDITOR_FIELDS, actor=actor)
    start, end = data.get("period_start", report.period_start), data.get("period_end", report.period_end)
    if (start, end) != (report.period_start, report.period_end):
        if report.revision > 1:
            raise ValidationError({"period_start": "En rättelse gäller samma period som den rapport den rättar."})
        _check_period(report.project, start, end, exclude=report.pk)
    report.period_start, report.period_end = start, end
    for name in TEXT_FIELDS:
        if name in data:
            setattr(report, name, _text(data[name]))
    if "signed_on" in data:
        report.signed_on = data["signed_on"]
    lists = clean_lists({name: data.get(name, getattr(report, name)) for name in LIST_FIELDS})
    for name, rows in lists.items():
        setattr(report, name, rows)
    report.full_clean(validate_unique=False, validate_constraints=False)
    bump_version(report)
    return _save(report, actor)


def submit_problems(report: StatusReport) -> list[str]:
    """What must be there before a lägesrapport can be submitted, in Swedish."""
    problems = []
    if not any(row.get("text") for row in report.area_summaries):
        problems.append("Skriv sammanfattningen av läget för minst ett delområde.")
    if not report.signed_name:
        problems.append("Ange namnförtydligande under Underskrift.")
    if report.signed_on is None:
        problems.append("Ange datum under Underskrift.")
    return problems


def _archive(report: StatusReport, actor: User | None) -> None:
    """Ask for the report's archived PDF/A in the caller's transaction; rendered after the commit. A document
    that cannot be made now never stops the submission: the page's button asks again."""
    from reporting.documents import DocumentInputError
    from reporting.services import render_job_request

    try:
        with transaction.atomic():
            job = render_job_request(
                organisation=report.project.organisation, user=actor, kind=DOCUMENT_KIND, params={"report": report.pk}
            )
    except DocumentInputError as exc:
        logger.error("Arkivet för lägesrapport %s kunde inte beställas: %s", report.pk, exc.message)
        return
    StatusReport.objects.filter(pk=report.pk).update(archived_job=job)
    report.archived_job = job


@transaction.atomic
def status_report_submit(*, report: StatusReport, actor: User, version: int | None = None) -> StatusReport:
    """Submit and lock the report, and ask for its archived PDF/A."""
    report = _locked_row(report)
    check_version(report, version, what="lägesrapporten", fields=EDITOR_FIELDS, actor=actor)
    problems = submit_problems(report)
    if problems:
        raise ValidationError(problems, code="incomplete")
    report.status = StatusReport.Status.SUBMITTED
    report.submitted_by, report.submitted_at = actor, timezone.now()
    bump_version(report)
    _save(report, actor)
    _archive(report, actor)
    return report


@transaction.atomic
def status_report_correct(*, report: StatusReport, actor: User, reason: str) -> StatusReport:
    """A new draft version of a submitted report's period, starting from its text. The submitted one stays."""
    report = StatusReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Ange skälet till rättelsen."})
    if not report.is_locked:
        raise ValidationError("Bara en inlämnad lägesrapport kan rättas. Ändra utkastet i stället.", code="draft")
    newest = versions_of_period(report).last()
    if newest.pk != report.pk:
        raise ValidationError(
            f"Det finns redan en nyare version (version {newest.revision}) av rapporten. Rätta den i stället.",
            code="superseded",
        )
    copy = StatusReport(
        project=report.project,
        period_start=report.period_start,
        period_end=report.period_end,
        revision=report.revision + 1,
        correction_reason=reason,
        created_by=actor,
        **{name: getattr(report, name) for name in (*TEXT_FIELDS, *LIST_FIELDS, "signed_on")},
    )
    return _save(copy, actor)


def versions_of_period(report: StatusReport):
    return StatusReport.objects.filter(
        project_id=report.project_id, period_start=report.period_start, period_end=report.period_end
    ).order_by("revision")


@transaction.atomic
def status_report_archive_request(*, report: StatusReport, actor: User | None) -> bool:
    """Ask again for the archived PDF of a submitted report whose archive is missing or failed."""
    report = (
        StatusReport.objects.select_for_update(of=("self",)).select_related("archived_job", "project").get(pk=report.pk)
    )
    job = report.archived_job
    if not report.is_locked or (job is not None and (job.is_done or job.is_active)):
        return False
    _archive(report, actor)
    return True
