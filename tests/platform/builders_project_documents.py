"""URL builders for lägesrapporter and projektansökningar (merged into builders_projects.BUILDERS)."""


def _status_report(organisation) -> dict:
    from tests.projects.document_factories import make_status_report

    return {"pk": make_status_report(organisation).pk}


def _application(organisation) -> dict:
    from tests.projects.document_factories import make_application

    return {"pk": make_application(organisation).pk}


def _archived(organisation, row) -> None:
    """A finished archive job on the row, as the worker leaves it (no rendering)."""
    from reporting.models import RenderJob
    from tests.platform.url_catalogue import _done_job

    row.archived_job = RenderJob.objects.get(pk=_done_job(organisation)["pk"])
    row.save(update_fields=["archived_job"])


def _submitted_report(organisation) -> dict:
    from projects import status_report_services
    from tests.projects.document_factories import make_status_report
    from tests.projects.factories import director

    report = make_status_report(organisation)
    report = status_report_services.status_report_submit(report=report, actor=director(organisation))
    _archived(organisation, report)
    return {"pk": report.pk}


def _submitted_application(organisation) -> dict:
    from tests.projects.document_factories import make_application

    application = make_application(organisation, status="submitted")
    _archived(organisation, application)
    return {"pk": application.pk}


def _project(organisation) -> dict:
    from tests.projects.factories import make_project

    return {"pk": make_project(organisation, name="Projekt med lägesrapport").pk}


BUILDERS: dict = {
    "projects:status_report_create": _project,
    **{f"projects:status_report_{name}": _status_report for name in ("detail", "edit", "submit", "correct", "archive")},
    "projects:status_report_pdf": _submitted_report,
    "projects:application_pdf": _submitted_application,
    **{f"projects:application_{name}": _application for name in ("detail", "edit", "submit", "decide")},
}
