"""Writes for the årsredovisning: create (seed 003's sections as headings), save the texts (with the editor's
version), finalise (validation, lock, archive). A finalised årsredovisning is refused by every write here, and
finance.locks.year_locked refuses the year's ledger, budget and typed figures from then on.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.models import Organisation, User
from core.versioning import bump_version, check_version

from .annual_report_figures import FIGURES, unknown_placeholders
from .annual_report_statements import ValidationFailure, validate_year
from .models import AnnualReport, FiscalYear

ARCHIVE_KIND = "finance.annual_report"
LOCKED = "Årsredovisningen är fastställd och kan inte ändras."

# The förvaltningsberättelse's sections, in seed 003's order, with its subheadings prefilled ("## " lines).
TEXT_FIELDS = ["chair_foreword", "introduction", "summary", "about", "operations", "goals", "board_work"]
EDITOR_FIELDS = [*TEXT_FIELDS, "accounting_basis", "principles", "signatories", "decided_on"]
DEFAULT_TEXTS = {
    "chair_foreword": "",
    "introduction": (
        "Årsredovisningen innehåller en översiktlig redogörelse av resultat och verksamhetsutveckling samt en "
        "redovisning av det ekonomiska utfallet för budgetåret."
    ),
    "summary": (
        "Årets resultat blev {{ årets_resultat }} och det egna kapitalet vid årets slut {{ eget_kapital_utgående }}."
    ),
    "about": "\n\n".join(
        f"## {heading}"
        for heading in (
            "1.2.1 Organisation",
            "1.2.2 Historik",
            "1.2.3 Lagrum",
            "1.2.4 Uppdrag",
            "1.2.5 Finansiering/Medlemsavgifter",
            "1.2.6 Verksamhetsidé och vision",
        )
    ),
    "operations": "## 1.3.1 Målgrupper\n\n## 1.3.2 Insatser",
    "goals": (
        "## 1.4.1 Uppföljning och resultat för individinriktade insatser\n\n"
        "## 1.4.2 Uppföljning och resultat för strukturövergripande insatser\n\n"
        "## 1.4.3 Ekonomiska resultat\n\n"
        "Förbundet visar ett resultat om {{ årets_resultat }} och det egna kapitalet vid årets slut är "
        "{{ eget_kapital_utgående }}."
    ),
    "board_work": "## Organisation\n\n## Ledamöter\n\n## Ersättare\n\n## Beredningsgruppen\n\n## Kansliet",
}
PRINCIPLES = {
    AnnualReport.Basis.CASH: (
        "Samordningsförbundets årsredovisning är upprättad utifrån lagen om finansiell samordning och lagen "
        "(2018:597) om kommunal bokföring och redovisning i tillämpliga delar.\n\n"
        "Samordningsförbundet använder kontantmetoden vid bokföring och redovisning av räkenskaper: inkomster och "
        "utgifter bokförs när in- och utbetalning sker."
    ),
    AnnualReport.Basis.ACCRUAL: (
        "Samordningsförbundets årsredovisning är upprättad utifrån lagen om finansiell samordning och lagen "
        "(2018:597) om kommunal bokföring och redovisning i tillämpliga delar.\n\n"
        "Redovisningen sker enligt bokföringsmässiga grunder: intäkter och kostnader hänförs till det år de "
        "avser, oavsett när betalningen sker."
    ),
}


class FinaliseRefused(ValidationError):
    """The year's validation failed: each failure, with its numbers, is on `failures`."""

    def __init__(self, failures: list[ValidationFailure]):
        self.failures = list(failures)
        lines = [failure_text(failure) for failure in self.failures]
        super().__init__(
            ["Årsredovisningen kan inte fastställas förrän kontrollerna går igenom:", *lines], code="validation"
        )


def failure_text(failure: ValidationFailure) -> str:
    """The failure as the ekonom reads it: the statements' message names the year and its numbers."""
    return failure.message


def _save(report: AnnualReport, actor: User | None) -> AnnualReport:
    report._history_user = actor
    report.save()
    return report


def _lock(report: AnnualReport) -> AnnualReport:
    locked = AnnualReport.objects.select_for_update().select_related("fiscal_year", "organisation").get(pk=report.pk)
    if locked.is_final:
        raise ValidationError(LOCKED, code="final")
    return locked


@transaction.atomic
def annual_report_create(*, organisation: Organisation, actor: User, fiscal_year: FiscalYear) -> AnnualReport:
    """A draft årsredovisning for the year, with seed 003's sections as headings."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValidationError({"fiscal_year": "Räkenskapsåret hör inte till organisationen."})
    FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if AnnualReport.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError({"fiscal_year": f"Räkenskapsår {fiscal_year} har redan en årsredovisning."})
    report = AnnualReport(
        organisation=organisation,
        fiscal_year=fiscal_year,
        principles=PRINCIPLES[AnnualReport.Basis.CASH],
        **DEFAULT_TEXTS,
    )
    return _save(report, actor)


def _check_texts(texts: dict[str, str]) -> None:
    errors = {}
    for name, text in texts.items():
        unknown = unknown_placeholders(text)
        if unknown:
            known = ", ".join(FIGURES)
            errors[name] = (
                f"Okänd uppgift i texten: {', '.join('{{ ' + u + ' }}' for u in unknown)}. Välj bland: {known}."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def annual_report_update(
    *,
    report: AnnualReport,
    actor: User,
    version: int | None,
    chair_foreword: str,
    introduction: str,
    summary: str,
    about: str,
    operations: str,
    goals: str,
    board_work: str,
    accounting_basis: str,
    principles: str,
    signatories: str,
    decided_on: dt.date | None,
) -> AnnualReport:
    """Save the texts. Refused when finalised; an EditConflict when someone saved after the form was opened."""
    report = _lock(report)
    check_version(
        report, version, what=f"årsredovisningen {report.fiscal_year.label}", fields=EDITOR_FIELDS, actor=actor
    )
    texts = {
        "chair_foreword": chair_foreword,
        "introduction": introduction,
        "summary": summary,
        "about": about,
        "operations": operations,
        "goals": goals,
        "board_work": board_work,
        "principles": principles,
    }
    _check_texts(texts)
    if accounting_basis not in AnnualReport.Basis.values:
        raise ValidationError({"accounting_basis": "Välj kontantmetoden eller bokföringsmässiga grunder."})
    for name, text in texts.items():
        setattr(report, name, text.replace("\r\n", "\n").strip())
    report.accounting_basis = accounting_basis
    report.signatories = signatories.replace("\r\n", "\n").strip()
    report.decided_on = decided_on
    bump_version(report)
    return _save(report, actor)


@transaction.atomic
def annual_report_finalise(
    *, report: AnnualReport, actor: User | None, decided_on: dt.date | None = None
) -> AnnualReport:
    """Fastställ: the year's validation must pass (FinaliseRefused lists each failure with its numbers); then
    the report and its year lock, the Excel ledger extract is stored with its SHA-256, and the final PDF/A (with
    the SIE files and the extract embedded) is ordered as the archive, written with the lock."""
    from reporting.documents import DocumentInputError
    from reporting.services import render_job_request

    from .annual_report_excel import ledger_extract

    report = _lock(report)
    failures = validate_year(organisation=report.organisation, fiscal_year=report.fiscal_year)
    if failures:
        raise FinaliseRefused(failures)
    data = ledger_extract(organisation=report.organisation, fiscal_year=report.fiscal_year)
    report.ledger_extract.save(f"huvudbok-{report.fiscal_year.label}.xlsx", ContentFile(data), save=False)
    name = report.ledger_extract.name
    report.ledger_extract_sha256 = hashlib.sha256(data).hexdigest()
    report.status = AnnualReport.Status.FINAL
    report.finalised_at = timezone.now()
    report.finalised_by = actor
    if decided_on is not None:
        report.decided_on = decided_on
    bump_version(report)
    try:
        _save(report, actor)
        job = render_job_request(
            organisation=report.organisation, user=actor, kind=ARCHIVE_KIND, params={"report": report.pk}
        )
    except DocumentInputError as exc:
        report.ledger_extract.storage.delete(name)
        raise ValidationError(exc.message) from exc
    except BaseException:
        report.ledger_extract.storage.delete(name)
        raise
    AnnualReport.objects.filter(pk=report.pk).update(archived_job=job)
    report.archived_job = job
    return report


@transaction.atomic
def annual_report_archive_again(*, report: AnnualReport, actor: User | None):
    """Order the archive PDF again when the first render failed (the report stays as it is)."""
    from reporting.models import RenderJob
    from reporting.services import render_job_request

    report = AnnualReport.objects.select_for_update(of=("self",)).select_related("archived_job").get(pk=report.pk)
    if not report.is_final:
        raise ValidationError("Bara en fastställd årsredovisning arkiveras.")
    if report.archived_job is not None and report.archived_job.status != RenderJob.Status.FAILED:
        return report.archived_job
    job = render_job_request(
        organisation=report.organisation, user=actor, kind=ARCHIVE_KIND, params={"report": report.pk}
    )
    AnnualReport.objects.filter(pk=report.pk).update(archived_job=job)
    return job
