"""Reads for lägesrapporter: a project's reports with every version, one report, and its economic figures.

`economic_outcome` is the one place the figures of "Ekonomiskt utfall" come from. Today they are the ones typed
into the report; when finance reads them from the ledger (per kostnadsslag and the project's delprojekt codes),
only this function changes, and the editor, the page and the PDF follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet

from core.models import Organisation

from .models import Project, StatusReport


def reports_for_project(*, project: Project) -> QuerySet[StatusReport]:
    """Every version of every period, newest period first, newest version first (one query)."""
    return (
        StatusReport.objects.filter(project=project)
        .select_related("archived_job", "submitted_by")
        .order_by("-period_start", "-period_end", "-revision")
    )


def report_queryset(*, organisation: Organisation) -> QuerySet[StatusReport]:
    return StatusReport.objects.for_organisation(organisation).select_related(
        "project__organisation", "archived_job", "submitted_by", "created_by"
    )


def versions_of(*, report: StatusReport) -> QuerySet[StatusReport]:
    """The report's period in every version, oldest first."""
    return StatusReport.objects.filter(
        project_id=report.project_id, period_start=report.period_start, period_end=report.period_end
    ).order_by("revision")


def as_amount(value) -> Decimal | None:
    """A stored amount (a decimal string) as Decimal; None when it is empty."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@dataclass
class CostRow:
    cost_type: str
    budget: Decimal | None
    outcome: Decimal | None

    @property
    def variance(self) -> Decimal | None:
        """Budget − utfall: positive is money left."""
        if self.budget is None or self.outcome is None:
            return None
        return self.budget - self.outcome


@dataclass
class EconomicOutcome:
    rows: list[CostRow] = field(default_factory=list)
    source: str = "typed"

    @property
    def budget_total(self) -> Decimal:
        return sum((row.budget for row in self.rows if row.budget is not None), start=Decimal(0))

    @property
    def outcome_total(self) -> Decimal:
        return sum((row.outcome for row in self.rows if row.outcome is not None), start=Decimal(0))

    @property
    def variance_total(self) -> Decimal:
        return self.budget_total - self.outcome_total

    @property
    def has_budget(self) -> bool:
        return any(row.budget is not None for row in self.rows)


def economic_outcome(*, report: StatusReport) -> EconomicOutcome:
    """Budget and utfall per kostnadsslag for the report's period, with computed totals (never typed)."""
    rows = [
        CostRow(row.get("cost_type", ""), as_amount(row.get("budget")), as_amount(row.get("outcome")))
        for row in report.cost_rows or []
    ]
    return EconomicOutcome(rows=rows, source="typed")


def period_budget(*, report: StatusReport) -> Decimal | None:
    """The project's budget (financing) for the years the period touches, or None when none is registered."""
    years = range(report.period_start.year, report.period_end.year + 1)
    rows = [row for row in report.project.budget_years.all() if row.year in years]
    if not rows:
        return None
    return sum((row.total for row in rows), start=Decimal(0))


def status_report_context(project: Project) -> dict:
    """What the project page shows of lägesrapporter and the application it came from (two queries)."""
    from .models import ProjectApplication

    return {
        "status_reports": list(reports_for_project(project=project)),
        "project_application": ProjectApplication.objects.filter(project=project)
        .select_related("archived_job")
        .first(),
    }
