import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from projects import goal_selectors, goal_services, report_services
from projects.models import CategoryList, Goal, GoalAssessment, IndicatorResult

from .factories import ACTIVITY, cat_key, director, make_project, make_report

pytestmark = pytest.mark.django_db
EXIT = CategoryList.Key.EXIT_REASON


def _submitted(project, actor, *, year=2019, enrolled=20, exited=8, to_work=6, mapped=15):
    organisation = project.organisation
    to_work = min(to_work, exited)
    values = {
        ("enrolled", "woman"): enrolled,
        ("exited", "woman"): exited,
        (cat_key(organisation, ACTIVITY, "Kartläggning"), "woman"): mapped,
        (cat_key(organisation, EXIT, "Arbete"), "woman"): to_work,
        (cat_key(organisation, EXIT, "Studier"), "woman"): exited - to_work,
    }
    report = make_report(project, actor=actor, year=year, values=values)
    return report_services.report_submit(report=report, actor=actor)


def _count_goal(project, actor, key, value=20, **extra):
    return goal_services.goal_create(
        project=project,
        actor=actor,
        title="Minst 20 deltagare med kartläggning",
        target_key=key,
        comparison=Goal.Comparison.COUNT,
        target_value=Decimal(value),
        **extra,
    )


def test_progress_counts_only_submitted_reports_and_their_newest_version(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    mapped = cat_key(organisation, ACTIVITY, "Kartläggning")
    _count_goal(project, actor, mapped)
    first = _submitted(project, actor, mapped=15)
    # A draft never counts.
    make_report(project, actor=actor, year=2020, values={("enrolled", "woman"): 30, (mapped, "woman"): 25})
    [item] = goal_selectors.goal_progress(project=project)
    assert item.value == 15 and item.reports == 1 and not item.reached
    assert item.percent_of_target == 75
    # A correction replaces the first version once submitted; while a draft, the first version still counts.
    correction = report_services.report_correct(report=first, actor=actor, reason="Fel antal")
    report_services.report_save_counts(
        report=correction, actor=actor, values={("enrolled", "woman"): 22, (mapped, "woman"): 21}
    )
    assert goal_selectors.goal_progress(project=project)[0].value == 15
    report_services.report_submit(report=correction, actor=actor)
    [item] = goal_selectors.goal_progress(project=project)
    assert item.value == 21 and item.reached and item.reports == 1


def test_share_goal_and_deadline(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    to_work = cat_key(organisation, EXIT, "Arbete")
    goal = goal_services.goal_create(
        project=project,
        actor=actor,
        title="Minst 75 % till arbete",
        target_key=to_work,
        comparison=Goal.Comparison.SHARE,
        target_value=Decimal(75),
        base_key="exited",
        deadline=dt.date(2019, 12, 31),
    )
    assert goal.target_label.endswith("Arbete") and goal.base_label == "Avslutade under perioden"
    _submitted(project, actor, year=2019, exited=8, to_work=6)
    _submitted(project, actor, year=2020, exited=2, to_work=2)  # after the deadline: not counted
    [item] = goal_selectors.goal_progress(project=project)
    assert (item.numerator, item.denominator, item.value) == (6, 8, Decimal("75.0"))
    assert item.reached


def test_active_counts_a_participant_once_over_periods(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    _count_goal(project, actor, "active", value=50)
    _submitted(project, actor, year=2019, enrolled=20, exited=0)
    report = make_report(
        project, actor=actor, year=2020, values={("carried_over", "woman"): 20, ("enrolled", "woman"): 10}
    )
    report_services.report_submit(report=report, actor=actor)
    assert goal_selectors.goal_progress(project=project)[0].value == 30


def test_target_is_checked_and_delmal_nest_one_level(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    with pytest.raises(ValidationError) as error:
        goal_services.goal_create(
            project=project,
            actor=actor,
            title="Mål",
            target_key="cat:999999",
            comparison="count",
            target_value=Decimal(1),
        )
    assert "target_key" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        goal_services.goal_create(
            project=project, actor=actor, title="Mål", target_key="exited", comparison="share", target_value=Decimal(75)
        )
    assert "base_key" in error.value.message_dict
    main = goal_services.goal_create(project=project, actor=actor, title="Övergripande mål")
    sub = goal_services.goal_create(project=project, actor=actor, title="Delmål", parent=main)
    with pytest.raises(ValidationError):
        goal_services.goal_create(project=project, actor=actor, title="Del av delmål", parent=sub)
    other = make_project(organisation, actor=actor, name="Annan insats")
    with pytest.raises(ValidationError):
        goal_services.goal_create(project=other, actor=actor, title="Fel insats", parent=main)
    [item] = goal_selectors.goal_progress(project=project)
    assert [s.goal for s in item.sub_goals] == [sub]
    assert not item.measurable and item.value is None
    assert main.history.first().history_user == actor


def test_one_assessment_per_year_with_comment(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    goal = goal_services.goal_create(project=project, actor=actor, title="Mål")
    goal_services.goal_assess(goal=goal, actor=actor, year=2019, outcome="partly", comment="Nästan")
    goal_services.goal_assess(goal=goal, actor=actor, year=2019, outcome="met", comment="Uppfyllt i december")
    goal_services.goal_assess(goal=goal, actor=actor, year=2020, outcome="not_met")
    rows = list(GoalAssessment.objects.filter(goal=goal))
    assert [(r.year, r.outcome) for r in rows] == [(2020, "not_met"), (2019, "met")]
    with pytest.raises(ValidationError):
        goal_services.goal_assess(goal=goal, actor=actor, year=2021, outcome="maybe")


def test_indicator_trend_table(organisation):
    actor = director(organisation)
    project = make_project(organisation, actor=actor)
    goal_services.indicator_save(project=project, actor=actor, indicator="Upplevelse", year=2019, value=Decimal(80))
    goal_services.indicator_save(project=project, actor=actor, indicator="upplevelse", year=2019, value=Decimal(82))
    goal_services.indicator_save(project=project, actor=actor, indicator="Samverkan", year=2020, value=Decimal(70))
    assert IndicatorResult.objects.count() == 2
    trend = goal_selectors.indicator_trend(project=project)
    assert trend.years == [2019, 2020]
    assert [(name, [c and c.value for c in cells]) for name, cells in trend.rows] == [
        ("Samverkan", [None, Decimal(70)]),
        ("Upplevelse", [Decimal(82), None]),
    ]


def test_goal_pages_show_progress_in_text_and_keep_input_on_error(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    project = make_project(organisation, actor=client.user)
    mapped = cat_key(organisation, ACTIVITY, "Kartläggning")
    response = client.post(
        reverse("projects:goal_create", args=[project.pk]),
        {"title": "Minst 75 % till arbete", "target_key": mapped, "comparison": "share", "target_value": "75"},
    )
    assert response.status_code == 200
    assert "Ange vad andelen räknas av" in response.content.decode()
    assert "Minst 75 % till arbete" in response.content.decode()
    response = client.post(
        reverse("projects:goal_create", args=[project.pk]),
        {
            "title": "Minst 20 deltagare med kartläggning",
            "target_key": mapped,
            "comparison": "count",
            "target_value": "20",
            "deadline": "2019-12-31",
        },
    )
    assert response.status_code == 302
    _submitted(project, client.user, mapped=15)
    goal = Goal.objects.get()
    response = client.post(
        reverse("projects:goal_assess", args=[goal.pk]), {"year": "2019", "outcome": "partly", "comment": "15 av 20"}
    )
    assert response.status_code == 302
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "Utfall: 15 deltagare av målet 20" in page
    assert 'aria-valuenow="75"' in page
    assert "2019: Delvis uppfyllt" in page and "15 av 20" in page


def test_goal_progress_queries_are_constant(client_for, organisation):
    client = client_for(organisation, Role.DIRECTOR)
    project = make_project(organisation, actor=client.user)
    mapped = cat_key(organisation, ACTIVITY, "Kartläggning")
    url = reverse("projects:project_detail", args=[project.pk])
    _count_goal(project, client.user, mapped)
    _submitted(project, client.user, year=2019)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for year in (2020, 2021, 2022):
        _submitted(project, client.user, year=year)
        main = _count_goal(project, client.user, "exited", deadline=dt.date(year, 12, 31))
        sub = goal_services.goal_create(project=project, actor=client.user, title="Delmål", parent=main)
        goal_services.goal_assess(goal=sub, actor=client.user, year=year, outcome="met")
        goal_services.indicator_save(project=project, actor=client.user, indicator="Upplevelse", year=year, value=80)
    assert count() == before


def _xlsx(rows) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_indicator_import_is_all_or_nothing_with_every_error_named(client_for, organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(organisation, Role.DIRECTOR)
    project = make_project(organisation, actor=client.user)
    url = reverse("projects:indicator_import", args=[project.pk])
    header = ["Indikator", "År", "Resultat", "Antal svar"]
    bad = _xlsx(
        [
            header,
            ["Indikator 7", 2018, "48,5", 18],
            ["Indikator 7", "förra året", "abc", 20],
            ["Indikator 5", 2019, 49, None],
        ]
    )
    response = client.post(url, {"file": SimpleUploadedFile("nns.xlsx", bad)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Rad 3, kolumn ”År”" in page and "Rad 3, kolumn ”Resultat”" in page
    assert not IndicatorResult.objects.exists()
    good = _xlsx(
        [header, ["Indikator 7", 2018, "48,5", 18], ["Indikator 7", 2019, 50, 20], ["Indikator 5", 2019, 49, None]]
    )
    response = client.post(url, {"file": SimpleUploadedFile("nns.xlsx", good)})
    assert response.status_code == 302
    trend = goal_selectors.indicator_trend(project=project)
    assert trend.years == [2018, 2019]
    assert [[c and c.value for c in cells] for _, cells in trend.rows] == [
        [None, Decimal(49)],
        [Decimal("48.5"), Decimal(50)],
    ]
    response = client.post(url, {"file": SimpleUploadedFile("nns.csv", b"a;b")})
    assert response.status_code == 400 and "inte en Excel-fil" in response.content.decode()
