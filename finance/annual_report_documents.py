"""The årsredovisning as PDF/A-3a (and PDF/UA-1): seed 003's sections in its order, with Swedish headings,
"UTKAST" on every page until it is fastställd. The fastställd one is the archive: the year's imported SIE files
and the Excel ledger extract travel inside it as associated files (reporting.appendices, kind "file").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from reporting.appendices import Appendix
from reporting.documents import DocumentInputError, DocumentParamsForm, PdfDocument, register_document

from . import annual_report_selectors as selectors
from .annual_report_figures import figures_for, render_text
from .annual_report_statements import chapters_for_year
from .models import AnnualReport

SECTIONS = [
    ("summary", "1.1 Sammanfattning av verksamhetsåret"),
    ("about", "1.2 Om förbundet"),
    ("operations", "1.3 Beskrivning av verksamheten"),
    ("goals", "1.4 Måluppfyllelse och resultat"),
    ("board_work", "1.5 Styrelsens arbete under året"),
]


class AnnualReportField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AnnualReport) -> str:
        return f"Årsredovisning {obj.fiscal_year.label} ({obj.get_status_display().lower()})"


class AnnualReportParamsForm(DocumentParamsForm):
    report = AnnualReportField(label="Årsredovisning", queryset=AnnualReport.objects.none())

    def set_organisation(self, organisation) -> None:
        self.fields["report"].queryset = selectors.annual_reports(organisation=organisation)

    def clean_report(self):
        return self.cleaned_data["report"].pk


def _file_appendix(name: str, data: bytes, content_type: str, description: str) -> Appendix:
    import hashlib

    return Appendix(
        name=name,
        data=data,
        kind="file",
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        description=description,
    )


def report_context(report: AnnualReport) -> dict[str, Any]:
    """What the PDF and the page show of the report: texts with their figures, statements, insatser, signatures."""
    from projects.annual_report_selectors import submitted_year_statistics

    statistics = submitted_year_statistics(organisation=report.organisation, year=report.fiscal_year.end.year)
    figures = figures_for(report=report, statistics=statistics)
    return {
        "report": report,
        "fiscal_year": report.fiscal_year,
        "draft": not report.is_final,
        "figures": figures,
        "chair_foreword": render_text(report.chair_foreword, figures),
        "introduction": render_text(report.introduction, figures),
        "sections": [(heading, render_text(getattr(report, name), figures)) for name, heading in SECTIONS],
        "principles": render_text(report.principles, figures),
        "chapters": chapters_for_year(organisation=report.organisation, fiscal_year=report.fiscal_year),
        "statistics": statistics,
        "signatories": selectors.signatories(report=report),
    }


@register_document
class AnnualReportDocument(PdfDocument):
    kind = "finance.annual_report"
    title = "Årsredovisning"
    template_name = "finance/pdf/annual_report.html"
    params_form = AnnualReportParamsForm
    required_perm = "finance.view"

    def report(self) -> AnnualReport:
        if not hasattr(self, "_report"):
            try:
                self._report = selectors.annual_reports(organisation=self.organisation).get(
                    pk=int(self.params.get("report") or 0)
                )
            except (AnnualReport.DoesNotExist, ValueError, TypeError) as exc:
                raise DocumentInputError("Årsredovisningen finns inte i organisationen.") from exc
        return self._report

    def check_inputs(self) -> None:
        self.report()

    def get_context(self) -> dict[str, Any]:
        return report_context(self.report())

    def get_appendices(self) -> list[Appendix]:
        """The fastställd report carries its underlag: each imported file of the year and the ledger extract."""
        report = self.report()
        if not report.is_final:
            return []
        found = []
        for ledger_import in selectors.year_underlag(report=report):
            try:
                with ledger_import.file.open("rb") as handle:
                    data = handle.read()
            except (FileNotFoundError, ValueError) as exc:
                raise DocumentInputError(f"Den importerade filen ”{ledger_import.filename}” saknas.") from exc
            if selectors_sha256(data) != ledger_import.sha256:
                raise DocumentInputError(f"Den importerade filen ”{ledger_import.filename}” har ändrats.")
            content_type = "text/plain" if ledger_import.source != "excel" else EXCEL_TYPE
            found.append(
                _file_appendix(
                    ledger_import.filename,
                    data,
                    content_type,
                    f"Underlag: importerad bokföring ({ledger_import.get_source_display()})",
                )
            )
        if report.ledger_extract:
            with report.ledger_extract.open("rb") as handle:
                data = handle.read()
            if selectors_sha256(data) != report.ledger_extract_sha256:
                raise DocumentInputError("Huvudboksutdraget har ändrats sedan årsredovisningen fastställdes.")
            found.append(
                _file_appendix(
                    f"huvudboksutdrag-{report.fiscal_year.label}.xlsx", data, EXCEL_TYPE, "Underlag: huvudboksutdrag"
                )
            )
        return found

    def filename(self) -> str:
        report = self.report()
        suffix = "" if report.is_final else "-utkast"
        return f"arsredovisning-{report.fiscal_year.label.replace('/', '-')}{suffix}.pdf"

    def subject(self) -> tuple[str, str] | None:
        report = self.report()
        return str(report), reverse("finance:annual_report_detail", kwargs={"pk": report.pk})


EXCEL_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def selectors_sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
