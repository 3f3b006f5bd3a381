"""URL builders for lägesrapporter and projektansökningar (merged into builders_projects.BUILDERS)."""


def _status_report(organisation) -> dict:
    from tests.projects.document_factories import make_status_report

    return {"pk": make_status_report(organisation).pk}


def _application(organisation) -> dict:
    from tests.projects.document_factories import make_application

    return {"pk": make_application(organisation).pk}


def _project(organisation) -> dict:
    from tests.projects.factories import make_project

    return {"pk": make_project(organisation, name="Projekt med lägesrapport").pk}


BUILDERS: dict = {
    "projects:status_report_create": _project,
    **{
        f"projects:status_report_{name}": _status_report
        for name in ("detail", "edit", "submit", "correct", "pdf", "archive")
    },
    **{f"projects:application_{name}": _application for name in ("detail", "edit", "submit", "decide", "pdf")},
}
