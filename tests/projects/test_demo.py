import io

import pytest

from core.demo import FEDERATION, seed_core
from projects import report_selectors
from projects.demo import FIGURES_2019, INSATSER, _categories, _values, seed_projects
from projects.models import CategoryList, ParticipantReport, Project, RegisterParticipant, SubProject

pytestmark = pytest.mark.django_db


def test_demo_holds_the_nine_insatser_with_submitted_reports_that_add_up():
    seed_core()
    seed_projects(stdout=io.StringIO())
    seed_projects(stdout=io.StringIO())  # idempotent
    projects = Project.objects.filter(organisation__name=FEDERATION)
    assert projects.count() == len(INSATSER) == 9
    reports = ParticipantReport.objects.filter(project__in=projects)
    assert reports.count() == 9 and all(report.is_locked for report in reports)
    exited = {}
    reasons = 0
    for report in reports.select_related("project"):
        grid, errors = report_selectors.report_grid(report=report)
        assert errors == [], (report.project.name, errors)
        if not grid.structural:
            exited[report.project.name] = grid.base("exited")
            section = next(s for s in grid.sections if s.key == CategoryList.Key.EXIT_REASON)
            reasons += section.total
    amt = next(r for r in reports if r.project.name == "Arbetsmarknadstorget")
    grid, _ = report_selectors.report_grid(report=amt)
    assert grid.active.cells == {"woman": 44, "man": 68, "other": 2}
    # Arbetsmarknadstorget's report was computed from Skellefteå kommun's register and submitted from there,
    # and holds exactly the figures the demo held before the register (every split, every kön).
    assert amt.project.follow_up_method == Project.FollowUp.REGISTER
    assert amt.submitted_by.username == "deltagaransvarig"
    register = RegisterParticipant.objects.filter(project=amt.project)
    assert register.count() == 114 and set(register.values_list("organisation__name", flat=True)) == {
        "Skellefteå kommun"
    }
    stored = {(c.key, c.gender): c.value for c in amt.counts.all() if c.value}
    expected = {
        key: value
        for key, value in _values(FIGURES_2019["Arbetsmarknadstorget"], _categories(amt.project.organisation)).items()
        if value
    }
    assert stored == expected
    # Seed 003's table: 150 avslutade, of which 11 (Påfart) only as "arbete/studier".
    assert sum(sum(cells.values()) for cells in exited.values()) == 150
    assert reasons == 139
    assert list(SubProject.objects.values_list("code", flat=True).order_by("code")) == [
        "7354",
        "7355",
        "7356",
        "7357",
        "7358",
    ]
