"""Reads for the årsredovisning: the list of years with their report and underlag, the report with everything it
shows (figures, statements, insatser, signatures), each taking the organisation."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from core.models import Organisation

from .annual_report_statements import statements_for_year, validate_year
from .models import AnnualReport, FiscalYear, LedgerImport

__all__ = ["statements_for_year", "validate_year"]


def annual_reports(*, organisation: Organisation) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.for_organisation(organisation).select_related(
        "fiscal_year", "archived_job", "finalised_by"
    )


def underlag_imports() -> Prefetch:
    """The imported files that are the year's underlag: done imports whose file is kept."""
    return Prefetch(
        "ledger_imports",
        queryset=LedgerImport.objects.filter(status=LedgerImport.Status.DONE).exclude(file="").order_by("created_at"),
        to_attr="underlag",
    )


@dataclass
class YearRow:
    fiscal_year: FiscalYear
    report: AnnualReport | None
    imports: list[LedgerImport] = field(default_factory=list)


def year_rows(*, organisation: Organisation) -> list[YearRow]:
    """Every fiscal year, newest first, with its årsredovisning (or None) and its kept import files: 3 queries."""
    years = FiscalYear.objects.for_organisation(organisation).prefetch_related(underlag_imports()).order_by("-start")
    reports = {report.fiscal_year_id: report for report in annual_reports(organisation=organisation)}
    return [YearRow(fiscal_year=year, report=reports.get(year.pk), imports=year.underlag) for year in years]


def year_underlag(*, report: AnnualReport) -> list[LedgerImport]:
    return list(
        LedgerImport.objects.filter(
            organisation_id=report.organisation_id,
            fiscal_year_id=report.fiscal_year_id,
            status=LedgerImport.Status.DONE,
        )
        .exclude(file="")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str


def signatories(*, report: AnnualReport) -> list[Signatory]:
    """The styrelse's ledamöter at the year's end, from meetings (ordförande, vice ordförande, ledamöter); when the
    styrelse is not in Paragraf, the names typed on the report (one per line: "namn, roll")."""
    from meetings.models import Committee, Membership

    seats = (
        Membership.objects.for_organisation(report.organisation)
        .on(report.fiscal_year.end)
        .filter(committee__kind=Committee.Kind.BOARD, committee__parent__isnull=True)
        .exclude(role=Membership.Role.SUBSTITUTE)
        .select_related("person", "committee")
    )
    found = sorted(seats, key=lambda m: (m.committee_id, Membership.ROLE_ORDER[m.role], m.person.last_name))
    if found:
        committee = found[0].committee_id
        return [
            Signatory(f"{m.person.first_name} {m.person.last_name}", m.get_role_display())
            for m in found
            if m.committee_id == committee
        ]
    typed = []
    for line in report.signatories.splitlines():
        if not line.strip():
            continue
        name, _, role = line.partition(",")
        typed.append(Signatory(name.strip(), role.strip() or "Ledamot"))
    return typed
