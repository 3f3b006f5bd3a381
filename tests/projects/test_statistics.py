"""Participant statistics: built only from the newest submitted version of each period, every total the sum of
its parts, periods chosen within the year, the roles that see it, a deltagaransvarig's own insatser only,
another organisation's insats a 404, the Excel export, and a query count that does not grow with the data."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Role
from projects import report_services
from projects.models import GENDERS, CategoryList, Project, ProjectStaff
from projects.statistics_selectors import Selection, statistics

from .factories import cat_key, director, make_project, make_report

pytestmark = pytest.mark.django_db
K = CategoryList.Key


def _values(organisation, carried=(0, 0, 0), enrolled=(0, 0, 0), exited=(0, 0, 0), **splits):
    """Cell values: base rows as (kvinnor, män, annat); splits as {list key: {label: triple}}."""
    values = {}
    for row, triple in (("carried_over", carried), ("enrolled", enrolled), ("exited", exited)):
        values.update({(row, g): n for g, n in zip(GENDERS, triple, strict=True)})
    for key, split in splits.items():
        for label, triple in split.items():
            cell = cat_key(organisation, key, label)
            values.update({(cell, g): n for g, n in zip(GENDERS, triple, strict=True)})
    return values


def _submitted(project, actor, year=2019, period_number=1, **figures):
    report = make_report(project, actor=actor, year=year, period_number=period_number)
    report = report_services.report_save_counts(
        report=report, actor=actor, values=_values(project.organisation, **figures)
    )
    return report_services.report_submit(report=report, actor=actor)


def _stats(organisation, **selection):
    selection = {"year_from": 2019, "year_to": 2019, **selection}
    project = selection.pop("project", None)
    return statistics(
        organisation=organisation,
        projects=Project.objects.for_organisation(organisation),
        selection=Selection(**selection, project_id=project.pk if project else None),
        project=project,
    )


@pytest.fixture
def world(organisation):
    actor = director(organisation)
    amt = make_project(organisation, actor=actor, name="Arbetsmarknadstorget", budgeted_participants=20)
    mysam = make_project(organisation, actor=actor, name="MySam", short_name="MySam")
    exit_split = {K.INCOME_AT_EXIT: {"Lön/Arbete": (2, 1, 0), "Försörjningsstöd": (1, 1, 0)}}
    reasons = {K.EXIT_REASON: {"Arbete": (2, 1, 0), "Försörjningsstöd": (1, 1, 0)}}
    _submitted(
        amt,
        actor,
        carried=(4, 6, 0),
        enrolled=(3, 2, 1),
        exited=(3, 2, 0),
        **{K.AGE_GROUP: {"16 - 29 år": (7, 8, 1)}, **exit_split, **reasons},
    )
    _submitted(mysam, actor, carried=(1, 1, 0), enrolled=(2, 0, 0), exited=(0, 1, 0))
    # A draft never counts.
    make_report(mysam, actor=actor, year=2020)
    return {"actor": actor, "amt": amt, "mysam": mysam}


def test_totals_are_the_sums_of_their_parts(world, organisation):
    stats = _stats(organisation)
    (year,) = stats.year_rows
    assert year.active == {"woman": 10, "man": 9, "other": 1}
    assert year.active_total == 20 == sum(row.participants for row in stats.project_rows)
    assert year.exited_total == 6
    assert year.outcome.own == 3 and year.outcome.public == 2 and year.outcome.unreported == 1
    assert [(reason.label, count) for reason, count, _share in year.outcome.reason_rows] == [
        ("Arbete", 3),
        ("Studier", 0),
    ]
    for table in stats.tables:
        assert table.total == sum(row.total for row in table.rows)
        for gender in GENDERS:
            assert table.totals[gender] == sum(row.cells[gender] for row in table.rows)
    age = next(t for t in stats.tables if t.key == K.AGE_GROUP)
    assert age.totals == {"woman": 7, "man": 8, "other": 1}
    assert age.unreported == {"woman": 3, "man": 1, "other": 0}  # MySam did not split by age
    amt_row = next(r for r in stats.project_rows if r.project == world["amt"])
    assert amt_row.participants == 16 and amt_row.budget_share == 80
    assert year.budgeted == 20 and year.budgeted_active == 16


def test_only_the_newest_submitted_version_counts(world, organisation):
    actor = world["actor"]
    mysam_report = world["mysam"].reports.get(year=2019)
    second = report_services.report_correct(report=mysam_report, actor=actor, reason="Två till vid årets början")
    values = _values(organisation, carried=(3, 1, 0), enrolled=(2, 0, 0), exited=(0, 1, 0))
    second = report_services.report_save_counts(report=second, actor=actor, values=values)
    report_services.report_submit(report=second, actor=actor)
    third = report_services.report_correct(report=second, actor=actor, reason="Utkast som inte lämnas in")
    report_services.report_save_counts(report=third, actor=actor, values=_values(organisation, carried=(50, 50, 0)))
    stats = _stats(organisation, project=world["mysam"])
    assert stats.year_rows[0].active == {"woman": 5, "man": 1, "other": 0}
    # 2020 holds only a draft: nothing.
    assert _stats(organisation, year_from=2020, year_to=2020).has_figures is False


def test_periods_within_the_year_and_year_over_year(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor, name="Tertialinsats", report_period=Project.ReportPeriod.TERTIAL)
    _submitted(project, actor, period_number=1, carried=(5, 5, 0), enrolled=(1, 0, 0), exited=(1, 0, 0))
    _submitted(project, actor, period_number=2, carried=(5, 5, 0), enrolled=(2, 2, 0))
    _submitted(project, actor, year=2020, period_number=1, carried=(7, 7, 0), enrolled=(1, 1, 0))
    whole = _stats(organisation)
    # Aktiva: the first tertial's inskrivna plus every nyinskrivna, nobody twice.
    assert whole.year_rows[0].active == {"woman": 8, "man": 7, "other": 0}
    first_half = _stats(organisation, period="h1")  # T1 lies within januari–juni, T2 (maj–augusti) does not
    assert first_half.year_rows[0].active == {"woman": 6, "man": 5, "other": 0}
    assert _stats(organisation, period="t2").year_rows[0].active == {"woman": 7, "man": 7, "other": 0}
    both = _stats(organisation, year_from=2019, year_to=2020)
    assert [row.year for row in both.year_rows] == [2019, 2020]
    assert [row.active_total for row in both.year_rows] == [15, 16]
    assert both.totals.active_total == 17  # 2019's first inskrivna (10) + every nyinskrivna (5 + 2)
    assert both.several_periods


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTOR, 200),
        (Role.ADMIN, 200),
        (Role.ECONOMIST, 200),
        (Role.AUDITOR, 200),
        (Role.MEMBER, 200),
        (Role.SECRETARY, 403),
    ],
)
def test_who_sees_the_statistics(world, organisation, client_for, role, status):
    client = client_for(organisation, role)
    assert client.get(reverse("projects:statistics")).status_code == status
    assert client.get(reverse("projects:statistics_export")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTOR, 200),
        (Role.ADMIN, 200),
        (Role.ECONOMIST, 200),
        (Role.AUDITOR, 200),
        (Role.MEMBER, 403),
        (Role.PARTICIPANT_OFFICER, 403),
        (Role.SECRETARY, 403),
    ],
)
def test_who_sees_the_registreringsunderlag(world, organisation, client_for, role, status):
    client = client_for(organisation, role)
    assert client.get(reverse("projects:finsam")).status_code == status
    assert client.get(reverse("projects:finsam_export")).status_code == status


def test_another_organisations_insats_is_a_404(world, client_for, organisation, other_organisation):
    foreign = make_project(other_organisation, name="Främmande insats")
    client = client_for(organisation, Role.DIRECTOR)
    url = reverse("projects:statistics")
    assert client.get(url, {"insats": foreign.pk}).status_code == 404
    assert client.get(reverse("projects:statistics_export"), {"insats": foreign.pk}).status_code == 404
    assert client.get(url, {"insats": "inte-ett-id"}).status_code == 404
    page = client.get(url, {"insats": world["amt"].pk}).content.decode()
    assert "Främmande insats" not in page


def test_a_participant_officer_sees_only_their_own_insatser(world, client_for, organisation):
    client = client_for(organisation, Role.PARTICIPANT_OFFICER)
    ProjectStaff.objects.create(project=world["amt"], user=client.user)
    url = reverse("projects:statistics")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Arbetsmarknadstorget" in page and "MySam" not in page
    assert [row.project for row in response.context["stats"].project_rows] == [world["amt"]]
    assert response.context["stats"].year_rows[0].active_total == 16
    assert client.get(url, {"insats": world["mysam"].pk}).status_code == 404


def test_the_excel_export_holds_the_same_tables(world, client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    response = client.get(reverse("projects:statistics_export"), {"fran": 2019, "till": 2019})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="deltagarstatistik-2019.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Per år", "Per insats", "Åldersgrupp"]
    years = list(book["Per år"].iter_rows(values_only=True))
    assert years[1][:8] == (2019, 10, 9, 1, 20, 8, 6, 3)
    assert years[1][8] == pytest.approx(0.5)  # egen försörjning 3 of 6 avslutade
    per_insats = {row[0]: row for row in book["Per insats"].iter_rows(min_row=2, values_only=True)}
    assert per_insats["Arbetsmarknadstorget"][2:8] == (7, 8, 1, 16, 20, 0.8)
    age = list(book["Åldersgrupp"].iter_rows(values_only=True))
    assert ("Summa", 7, 8, 1, 16) in age and ("Ej redovisade", 3, 1, 0, 4) in age


def test_the_page_shows_the_figures_with_charts_beside_the_tables(world, client_for, organisation):
    client = client_for(organisation, Role.MEMBER)
    page = client.get(reverse("projects:statistics"), {"fran": 2019, "till": 2019}).content.decode()
    assert page.count('src="data:image/svg+xml;base64,') >= 3
    assert 'data-testid="statistics-years"' in page and 'data-testid="statistics-projects"' in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(world, client_for, organisation, django_assert_max_num_queries):
    client = client_for(organisation, Role.DIRECTOR)
    urls = [
        (reverse("projects:statistics"), {"fran": 2015, "till": 2024}),
        (reverse("projects:statistics_export"), {"fran": 2015, "till": 2024}),
        (reverse("projects:finsam"), {"ar": 2019}),
    ]
    client.get(urls[0][0])
    small = [_count(client, url, params) for url, params in urls]
    actor = world["actor"]
    for index in range(4):
        project = make_project(organisation, actor=actor, name=f"Insats {index}", budgeted_participants=5)
        for year in (2017, 2018, 2019):
            _submitted(project, actor, year=year, carried=(1, 1, 0), enrolled=(1, 0, 0), exited=(1, 0, 0))
    large = [_count(client, url, params) for url, params in urls]
    assert small == large
    with django_assert_max_num_queries(20):
        client.get(*urls[0])
    with django_assert_max_num_queries(40):
        client.get(*urls[2])


def test_an_organisation_without_insatser_gets_empty_pages(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    assert "Det finns inga inlämnade rapporter" in client.get(reverse("projects:statistics")).content.decode()
    assert client.get(reverse("projects:statistics_export")).status_code == 200
    assert client.get(reverse("projects:finsam")).status_code == 200
    assert client.get(reverse("projects:finsam_export")).status_code == 200
