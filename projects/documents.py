"""Lägesrapport and projektansökan as PDF/A (issue 8 points 8 and 9).

The lägesrapport follows seed 000 (the lägesrapport to Tillväxtverket): the project's facts, then sammanfattning
av läget per delområde, periodens aktiviteter with results and next steps, avvikelser, arbetsprocessen,
ekonomiskt utfall per kostnadsslag, informationsinsatser, övrigt, underskrift. The projektansökan follows seeds
001 and 003: sökande and parter, styrgrupp, bakgrund, syfte, målgrupp, mål och delmål, organisation, tids- och
aktivitetsplan, budget per år, uppföljning, utvärdering, underskrift.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reporting.documents import DocumentInputError, DocumentParamsForm, PdfDocument, register_document

from . import status_report_selectors
from .access import scope_projects
from .application_services import budget_by_year, budget_total
from .models import ProjectApplication, StatusReport

# The sections in seed 000's order: (anchor, heading). The page, the editor and the PDF share it.
STATUS_REPORT_SECTIONS = [
    ("lage", "Sammanfattning av läget"),
    ("aktiviteter", "Sammanfattning av periodens aktiviteter"),
    ("avvikelser", "Avvikelse gällande periodens aktiviteter"),
    ("arbetsprocessen", "Arbetsprocessen kopplat till periodens aktiviteter"),
    ("ekonomi", "Ekonomiskt utfall för redovisad period"),
    ("information", "Informationsinsatser"),
    ("ovrigt", "Övrigt"),
    ("underskrift", "Underskrift"),
]
APPLICATION_SECTIONS = [
    ("sokande", "Sökande och projektledning"),
    ("parter", "Parter"),
    ("styrgrupp", "Styrgrupp"),
    ("bakgrund", "Bakgrund"),
    ("syfte", "Syfte"),
    ("malgrupp", "Målgrupp"),
    ("mal", "Mål och delmål"),
    ("organisation", "Organisation"),
    ("tidplan", "Tids- och aktivitetsplan"),
    ("budget", "Planerad budget"),
    ("uppfoljning", "Uppföljning"),
    ("utvardering", "Utvärdering"),
    ("underskrift", "Underskrift"),
]


class StatusReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StatusReport) -> str:
        return f"{obj.project.name}, {obj.period_label} (version {obj.revision})"


class StatusReportParamsForm(DocumentParamsForm):
    report = StatusReportChoiceField(
        label="Lägesrapport",
        queryset=StatusReport.objects.none(),
        empty_label="Välj lägesrapport",
        error_messages={"required": "Välj en lägesrapport.", "invalid_choice": "Välj en lägesrapport i listan."},
    )

    def set_organisation(self, organisation) -> None:
        self.fields["report"].queryset = status_report_selectors.report_queryset(organisation=organisation).order_by(
            "project__name", "-period_start", "-revision"
        )

    def clean_report(self):
        return self.cleaned_data["report"].pk


@register_document
class StatusReportDocument(PdfDocument):
    kind = "projects.status_report"
    title = "Lägesrapport"
    template_name = "projects/pdf/status_report.html"
    params_form = StatusReportParamsForm
    # The document list names every report of the organisation: only for those who see every insats. A
    # deltagaransvarig downloads the archived PDF of their own insatser from the report's page.
    required_perm = "projects.view_all"

    def report(self) -> StatusReport:
        if not hasattr(self, "_report"):
            try:
                self._report = (
                    status_report_selectors.report_queryset(organisation=self.organisation)
                    .prefetch_related("project__budget_years")
                    .get(pk=int(self.params.get("report") or 0))
                )
            except (StatusReport.DoesNotExist, ValueError, TypeError) as exc:
                raise DocumentInputError("Lägesrapporten finns inte i organisationen.") from exc
        return self._report

    def check_inputs(self) -> None:
        self.report()

    def check_access(self, request) -> None:
        """A deltagaransvarig sees only the projects they are assigned to."""
        report = self.report()
        if not scope_projects(request, StatusReport.objects.filter(pk=report.pk), "project__").exists():
            raise PermissionDenied

    def get_context(self) -> dict[str, Any]:
        report = self.report()
        return {
            "report": report,
            "project": report.project,
            "draft": not report.is_locked,
            "economy": status_report_selectors.economic_outcome(report=report),
            "period_budget": status_report_selectors.period_budget(report=report),
            "sections": dict(STATUS_REPORT_SECTIONS),
        }

    def subject(self) -> tuple[str, str]:
        report = self.report()
        return str(report), reverse("projects:status_report_detail", kwargs={"pk": report.pk})

    def filename(self) -> str:
        report = self.report()
        return (
            f"lagesrapport-{report.project.short_name.lower() or report.project.pk}-"
            f"{report.period_start.isoformat()}-v{report.revision}.pdf"
        ).replace(" ", "-")


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProjectApplication) -> str:
        return f"{obj.name} ({obj.get_status_display().lower()})"


class ApplicationParamsForm(DocumentParamsForm):
    application = ApplicationChoiceField(
        label="Projektansökan",
        queryset=ProjectApplication.objects.none(),
        empty_label="Välj projektansökan",
        error_messages={"required": "Välj en projektansökan.", "invalid_choice": "Välj en ansökan i listan."},
    )

    def set_organisation(self, organisation) -> None:
        self.fields["application"].queryset = ProjectApplication.objects.for_organisation(organisation).order_by(
            "name", "pk"
        )

    def clean_application(self):
        return self.cleaned_data["application"].pk


@register_document
class ApplicationDocument(PdfDocument):
    kind = "projects.application"
    title = "Projektansökan"
    template_name = "projects/pdf/application.html"
    params_form = ApplicationParamsForm
    required_perm = "projects.view_all"

    def application(self) -> ProjectApplication:
        if not hasattr(self, "_application"):
            try:
                self._application = (
                    ProjectApplication.objects.for_organisation(self.organisation)
                    .select_related("organisation", "project")
                    .get(pk=int(self.params.get("application") or 0))
                )
            except (ProjectApplication.DoesNotExist, ValueError, TypeError) as exc:
                raise DocumentInputError("Projektansökan finns inte i organisationen.") from exc
        return self._application

    def check_inputs(self) -> None:
        self.application()

    def get_context(self) -> dict[str, Any]:
        application = self.application()
        return {
            "application": application,
            "draft": application.status == ProjectApplication.Status.DRAFT,
            "budget_years": budget_by_year(application),
            "budget_total": budget_total(application),
            "sections": dict(APPLICATION_SECTIONS),
        }

    def subject(self) -> tuple[str, str]:
        application = self.application()
        return str(application), reverse("projects:application_detail", kwargs={"pk": application.pk})

    def filename(self) -> str:
        from django.utils.text import slugify

        application = self.application()
        return f"projektansokan-{slugify(application.name) or application.pk}.pdf"
