"""The demo's lägesrapport (seed 000) and projektansökan (seed 001), made through the services; idempotent."""

import io
from decimal import Decimal

import pytest

from core.demo import LJUSNARSBERG, seed_core
from projects import goal_selectors, status_report_selectors
from projects.demo import LJUSNARSBERG_PROJECT, seed_projects
from projects.demo_documents import APPLICATION_NAME, COSTS_TOTAL
from projects.models import Project, ProjectApplication, StatusReport

pytestmark = pytest.mark.django_db


def test_demo_holds_the_submitted_2019_report_and_the_approved_application(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_core()
    with django_capture_on_commit_callbacks(execute=True):
        seed_projects(stdout=io.StringIO())
    seed_projects(stdout=io.StringIO())  # idempotent
    report = StatusReport.objects.get(project__name=LJUSNARSBERG_PROJECT)
    assert report.is_locked and report.archived_job.is_done and report.archived_job.output
    assert [row["code"] for row in report.area_summaries] == ["7354", "7355", "7356", "7357", "7358"]
    assert all(row["text"] for row in report.area_summaries)
    assert status_report_selectors.economic_outcome(report=report).outcome_total == Decimal(COSTS_TOTAL)

    application = ProjectApplication.objects.get(organisation__name=LJUSNARSBERG, name=APPLICATION_NAME)
    assert application.status == ProjectApplication.Status.APPROVED and application.archived_job.is_done
    project = Project.objects.get(pk=application.project_id)
    assert project.status == Project.Status.GRANTED
    assert [(b.year, b.granted_grant) for b in project.budget_years.all()] == [
        (2011, Decimal("830000.00")),
        (2012, Decimal("830000.00")),
        (2013, Decimal("830000.00")),
    ]
    goals = goal_selectors.goal_progress(project=project)
    assert len(goals) == 4
    targets = [(sub.goal.comparison, sub.goal.target_value) for sub in goals[0].sub_goals]
    assert targets == [("count", Decimal("20")), ("count", Decimal("20")), ("share", Decimal("75"))]
    assert goals[3].sub_goals[0].goal.title.startswith("En modell för att arbeta med individers självkänsla")
    assert ProjectApplication.objects.count() == 1 and StatusReport.objects.count() == 1
