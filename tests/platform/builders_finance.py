"""URL name -> builder of URL kwargs for an object of the given organisation (see url_catalogue.py)."""

import datetime as dt


def _fiscal_year(organisation) -> dict:
    from finance.models import FiscalYear

    year, _ = FiscalYear.objects.get_or_create(
        organisation=organisation, start=dt.date(2019, 1, 1), defaults={"end": dt.date(2019, 12, 31)}
    )
    return {"pk": year.pk}


def _account(organisation) -> dict:
    from finance.models import Account, AccountKind

    account, _ = Account.objects.get_or_create(
        organisation=organisation, code="1930", defaults={"name": "Bank", "kind": AccountKind.ASSET}
    )
    return {"pk": account.pk}


def _import(organisation) -> dict:
    from finance.models import LedgerImport

    job, _ = LedgerImport.objects.get_or_create(
        organisation=organisation,
        sha256="0" * 64,
        defaults={"filename": "bokforing.se", "status": LedgerImport.Status.DONE},
    )
    return {"pk": job.pk}


def _voucher(organisation) -> dict:
    from finance.models import FiscalYear, LedgerImport, Voucher

    year = FiscalYear.objects.get(pk=_fiscal_year(organisation)["pk"])
    job = LedgerImport.objects.get(pk=_import(organisation)["pk"])
    voucher, _ = Voucher.objects.get_or_create(
        organisation=organisation,
        fiscal_year=year,
        ledger_import=job,
        series="A",
        number="1",
        defaults={"date": dt.date(2019, 1, 15), "text": "Medlemsavgift"},
    )
    return {"pk": voucher.pk}


def _dimension(organisation) -> dict:
    from finance.models import Dimension

    dimension, _ = Dimension.objects.get_or_create(
        organisation=organisation, sie_number=6, defaults={"name": "Projekt", "kind": Dimension.Kind.PROJECT}
    )
    return {"pk": dimension.pk}


def _object(organisation) -> dict:
    from finance.models import Dimension, DimensionObject

    dimension = Dimension.objects.get(pk=_dimension(organisation)["pk"])
    item, _ = DimensionObject.objects.get_or_create(
        dimension=dimension, code="AMT", defaults={"name": "Arbetsmarknadstorget"}
    )
    return {"pk": item.pk}


def _budget(organisation) -> dict:
    from finance.models import Budget, FiscalYear

    year = FiscalYear.objects.get(pk=_fiscal_year(organisation)["pk"])
    budget, _ = Budget.objects.get_or_create(organisation=organisation, fiscal_year=year, number=1)
    return {"pk": budget.pk}


def _budget_line(organisation) -> dict:
    from finance.models import Account, Budget, BudgetLine

    budget = Budget.objects.get(pk=_budget(organisation)["pk"])
    account = Account.objects.get(pk=_account(organisation)["pk"])
    line, _ = BudgetLine.objects.get_or_create(budget=budget, account=account, defaults={"amount": 12000})
    return {"pk": line.pk}


def _statement_line(organisation) -> dict:
    from finance.models import StatementLine

    line, _ = StatementLine.objects.get_or_create(
        organisation=organisation,
        key="br_kassa",
        defaults={"statement": "balance", "label": "Kassa och bank", "source": "closing", "accounts": "1900-1999"},
    )
    return {"pk": line.pk}


BUILDERS: dict = {
    "finance:dimension_object_create": _dimension,
    "finance:object_ledger": _object,
    "finance:fiscal_year_detail": _fiscal_year,
    "finance:account_edit": _account,
    "finance:account_ledger": _account,
    "finance:voucher_detail": _voucher,
    "finance:import_detail": _import,
    "finance:import_progress": _import,
    "finance:import_withdraw": _import,
    "finance:contribution_detail": _fiscal_year,
    "finance:contribution_export": _fiscal_year,
    "finance:equity_edit": _fiscal_year,
    "finance:budget_detail": _budget,
    "finance:budget_line_add": _budget,
    "finance:budget_distribute": _budget,
    "finance:budget_revise": _budget,
    "finance:budget_adopt": _budget,
    "finance:budget_export": _budget,
    "finance:budget_import": _budget,
    "finance:budget_line": _budget_line,
    "finance:budget_line_delete": _budget_line,
    "finance:statement_detail": _fiscal_year,
    "finance:statement_figures": _fiscal_year,
    "finance:statement_export": _fiscal_year,
    "finance:statement_line_edit": _statement_line,
    "finance:statement_line_delete": _statement_line,
}


# Årsredovisning (finance.annual_report_views) ------------------------------------------------------------------


def annual_report(organisation) -> dict:
    """A draft årsredovisning of the organisation's 2019 (no ledger: its statements are empty, its PDF renders)."""
    from finance.models import AnnualReport, FiscalYear

    year = FiscalYear.objects.get(pk=_fiscal_year(organisation)["pk"])
    report, _ = AnnualReport.objects.get_or_create(
        organisation=organisation,
        fiscal_year=year,
        defaults={"summary": "Årets resultat blev {{ årets_resultat }}.", "principles": "Kontantmetoden."},
    )
    return {"pk": report.pk}


def finalised_annual_report(organisation) -> dict:
    """A fastställd årsredovisning of 2018 with its stored extract and a finished archive job."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from finance.models import AnnualReport, FiscalYear
    from reporting.models import RenderJob
    from tests.platform.url_catalogue import _done_job

    year, _ = FiscalYear.objects.get_or_create(
        organisation=organisation, start=dt.date(2018, 1, 1), defaults={"end": dt.date(2018, 12, 31)}
    )
    report = AnnualReport.objects.filter(fiscal_year=year).first()
    if report is None:
        report = AnnualReport(
            organisation=organisation,
            fiscal_year=year,
            status=AnnualReport.Status.FINAL,
            finalised_at=timezone.now(),
            archived_job=RenderJob.objects.get(pk=_done_job(organisation)["pk"]),
            ledger_extract_sha256="0" * 64,
        )
        report.ledger_extract.save("huvudbok.xlsx", ContentFile(b"PK"), save=False)
        report.save()
    return {"pk": report.pk}


def _kept_import(organisation) -> dict:
    from django.core.files.base import ContentFile

    from finance.models import LedgerImport

    job = LedgerImport.objects.get(pk=_import(organisation)["pk"])
    if not job.file:
        job.file.save("import.se", ContentFile(b"#FLAGGA 0\r\n"), save=True)
    return {"pk": job.pk}


BUILDERS.update(
    {
        "finance:annual_report_detail": annual_report,
        "finance:annual_report_edit": annual_report,
        "finance:annual_report_finalise": annual_report,
        "finance:annual_report_archive_again": annual_report,
        "finance:annual_report_pdf": finalised_annual_report,
        "finance:annual_report_extract": finalised_annual_report,
        "finance:ledger_import_file": _kept_import,
    }
)
