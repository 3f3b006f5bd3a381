"""What the årsredovisning reads from projects: submitted reports only, counts per kön, nothing without reports."""

import pytest

from projects import report_services
from projects.annual_report_selectors import submitted_year_statistics
from projects.models import Gender

from .factories import director, make_project, make_report

pytestmark = pytest.mark.django_db


def test_only_submitted_reports_count_and_there_is_nothing_without_them(organisation):
    assert submitted_year_statistics(organisation=organisation, year=2019).insatser == []
    project = make_project(organisation)
    values = {
        ("carried_over", "woman"): 10,
        ("enrolled", "woman"): 5,
        ("exited", "woman"): 3,
        ("carried_over", "man"): 8,
        ("enrolled", "man"): 4,
        ("exited", "man"): 2,
    }
    report = make_report(project, values=values)
    assert submitted_year_statistics(organisation=organisation, year=2019).insatser == []  # a draft is no figure
    report_services.report_submit(report=report, actor=director(organisation))
    statistics = submitted_year_statistics(organisation=organisation, year=2019)
    [insats] = statistics.insatser
    assert insats.participants == {Gender.WOMAN: 15, Gender.MAN: 12, Gender.OTHER: 0}
    assert (insats.participants_total, insats.exited_total) == (27, 5)
    assert statistics.participants_total == 27 and statistics.exited_total == 5
    assert submitted_year_statistics(organisation=organisation, year=2020).insatser == []
