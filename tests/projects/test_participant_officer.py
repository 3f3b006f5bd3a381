"""The deltagaransvarig role: their own insatser only (reports, goals' progress, NNS results); every other
insats answers 404; no meetings or finance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from projects import goal_services
from projects.models import IndicatorResult, ParticipantReport, ProjectStaff
from tests.factories import user_with_role

from .factories import director, make_project, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client_for, organisation):
    actor = director(organisation)
    own = make_project(organisation, actor=actor, name="Arbetsmarknadstorget")
    other = make_project(organisation, actor=actor, name="Krafttag")
    client = client_for(organisation, Role.PARTICIPANT_OFFICER)
    ProjectStaff.objects.create(project=own, user=client.user)
    return {"client": client, "own": own, "other": other, "actor": actor, "other_report": make_report(other)}


def test_sees_and_reports_only_their_own_insats(world):
    client, own, other = world["client"], world["own"], world["other"]
    page = client.get(reverse("projects:project_list")).content.decode()
    assert "Arbetsmarknadstorget" in page and "Krafttag" not in page
    assert client.get(reverse("projects:project_detail", args=[own.pk])).status_code == 200
    for name, pk in [
        ("projects:project_detail", other.pk),
        ("projects:report_create", other.pk),
        ("projects:indicator_create", other.pk),
        ("projects:report_detail", world["other_report"].pk),
        ("projects:report_correct", world["other_report"].pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    response = client.post(reverse("projects:report_create", args=[own.pk]), {"year": "2019", "period_number": "1"})
    assert response.status_code == 302
    report = ParticipantReport.objects.get(project=own)
    response = client.post(
        reverse("projects:report_detail", args=[report.pk]), {"c__enrolled__woman": "3", "action": "submit"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_locked
    listing = client.get(reverse("projects:report_list")).content.decode()
    assert "Arbetsmarknadstorget" in listing and "Krafttag" not in listing
    response = client.post(
        reverse("projects:indicator_create", args=[own.pk]), {"indicator": "Upplevelse", "year": "2019", "value": "81"}
    )
    assert response.status_code == 302 and IndicatorResult.objects.get().project == own


def test_cannot_change_the_insats_goals_or_reach_meetings_and_finance(world):
    client, own = world["client"], world["own"]
    goal = goal_services.goal_create(project=own, actor=world["actor"], title="Mål")
    for url in [
        reverse("projects:project_edit", args=[own.pk]),
        reverse("projects:goal_create", args=[own.pk]),
        reverse("projects:goal_assess", args=[goal.pk]),
        reverse("projects:staff_add", args=[own.pk]),
        reverse("projects:project_create"),
        reverse("meetings:committee_list"),
        reverse("agenda:meeting_list"),
        reverse("cases:case_list"),
    ]:
        assert client.get(url).status_code == 403, url
    menu = client.get(reverse("projects:project_list")).content.decode()
    assert reverse("meetings:committee_list") not in menu


def test_director_auditor_and_member_see_every_insats(client_for, organisation, world):
    for role in (Role.DIRECTOR, Role.AUDITOR, Role.MEMBER):
        client = client_for(organisation, role)
        assert client.get(reverse("projects:project_detail", args=[world["other"].pk])).status_code == 200
        assert client.get(reverse("projects:report_detail", args=[world["other_report"].pk])).status_code == 200
    member = client_for(organisation, Role.MEMBER)
    assert member.get(reverse("projects:report_create", args=[world["other"].pk])).status_code == 403


def test_another_organisations_insats_is_404_even_when_assigned(client_for, organisation, other_organisation):
    foreign = make_project(other_organisation)
    client = client_for(organisation, Role.PARTICIPANT_OFFICER)
    ProjectStaff.objects.create(project=foreign, user=client.user)
    assert client.get(reverse("projects:project_detail", args=[foreign.pk])).status_code == 404


def test_the_admin_assigns_and_removes_a_deltagaransvarig(client_for, organisation, world):
    admin = client_for(organisation, Role.ADMIN)
    officer = user_with_role(organisation, Role.PARTICIPANT_OFFICER, first_name="Dana", last_name="Berg")
    plain = user_with_role(organisation, Role.ECONOMIST)
    url = reverse("projects:staff_add", args=[world["other"].pk])
    assert "Dana Berg" in admin.get(url).content.decode()
    response = admin.post(url, {"user": plain.pk})
    assert response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    assert admin.post(url, {"user": officer.pk}).status_code == 302
    row = ProjectStaff.objects.get(user=officer)
    assert row.history.first().history_user == admin.user
    page = admin.get(reverse("projects:project_detail", args=[world["other"].pk])).content.decode()
    assert "Dana Berg" in page
    assert admin.post(reverse("projects:staff_remove", args=[row.pk])).status_code == 302
    assert not ProjectStaff.objects.filter(user=officer).exists()
    director_client = client_for(organisation, Role.DIRECTOR)
    assert director_client.get(url).status_code == 403


def test_the_officers_pages_have_constant_queries(world):
    client, actor = world["client"], world["actor"]
    urls = [reverse("projects:project_list"), reverse("projects:report_list")]
    client.get(urls[0])

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    for index in range(3):
        project = make_project(world["own"].organisation, actor=actor, name=f"Insats {index}")
        ProjectStaff.objects.create(project=project, user=client.user)
        make_report(project, actor=actor)
    assert counts() == before


def test_the_dashboard_lists_their_own_insatser(world):
    page = world["client"].get(reverse("core:dashboard")).content.decode()
    assert "Mina insatser" in page and "Arbetsmarknadstorget" in page and "Krafttag" not in page
