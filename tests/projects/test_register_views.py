"""The participant register's pages: only the utförare's assigned staff see records; every förbund user, another
organisation and an unassigned colleague get 404 on every record URL, also with guessed ids; every view is
logged; the registerutdrag holds everything; the crossing is seen from both sides."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Role
from projects.models import ParticipantReport, RegisterViewLog
from tests.factories import OrganisationFactory, user_with_role

from .register_factories import also_role, enrol, exit_, make_register_world

pytestmark = pytest.mark.django_db

FEDERATION_ROLES = [Role.ADMIN, Role.DIRECTOR, Role.ECONOMIST, Role.AUDITOR, Role.MEMBER, Role.PARTICIPANT_OFFICER]


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    world = make_register_world()
    world.participant = enrol(world, code="AMT-0001", birth_year=1996)
    exit_(world, world.participant, exited_on=dt.date(2019, 9, 1))
    world.other = enrol(world, gender="man", code="AMT-0002")
    return world


def record_urls(world) -> list[str]:
    pk, project = world.participant.pk, world.project.pk
    return [
        reverse("register:register_list", args=[project]),
        reverse("register:participant_enrol", args=[project]),
        reverse("register:report_preview", args=[project]) + "?period=2019-1",
        reverse("register:staff", args=[project]),
        reverse("register:participant_detail", args=[pk]),
        reverse("register:participant_edit", args=[pk]),
        reverse("register:participant_exit", args=[pk]),
        reverse("register:participant_extract", args=[pk]),
        # Guessed ids: one past the last record and project.
        reverse("register:participant_detail", args=[pk + 1000]),
        reverse("register:register_list", args=[project + 1000]),
    ]


@pytest.mark.parametrize("role", FEDERATION_ROLES)
def test_every_federation_user_gets_404_on_every_record_url(world, role):
    client = client_of(user_with_role(world.federation, role))
    for url in record_urls(world):
        assert client.get(url).status_code == 404, (role, url)
    for name, pk in [("register:register_report", world.project.pk), ("register:staff", world.project.pk)]:
        assert client.post(reverse(name, args=[pk]), {"period": "2019-1"}).status_code == 404
    assert not RegisterViewLog.objects.exists()


@pytest.mark.parametrize(
    "who", ["other organisation", "unassigned colleague", "auditor at the executor", "assigned but no role"]
)
def test_nobody_else_at_or_outside_the_executor_sees_records(world, who):
    from projects.models import RegisterStaff

    if who == "other organisation":
        user = user_with_role(OrganisationFactory(), Role.PARTICIPANT_OFFICER)
    elif who == "unassigned colleague":
        user = user_with_role(world.kommun, Role.PARTICIPANT_OFFICER)
    elif who == "auditor at the executor":
        user = user_with_role(world.kommun, Role.AUDITOR)
    else:
        user = user_with_role(world.kommun, Role.ECONOMIST)
        RegisterStaff.objects.create(organisation=world.kommun, project=world.project, user=user)
    client = client_of(user)
    for url in record_urls(world)[:8]:
        assert client.get(url).status_code == 404, (who, url)


def test_the_keeper_sees_the_list_and_each_view_is_logged(world):
    client = client_of(world.keeper)
    page = client.get(reverse("register:register_list", args=[world.project.pk])).content.decode()
    assert "AMT-0001" in page and "AMT-0002" in page
    assert not RegisterViewLog.objects.exists()  # the list is not a view of one record
    assert "1996" not in page  # the list shows no födelseår or other field
    detail = client.get(reverse("register:participant_detail", args=[world.participant.pk]))
    assert detail.status_code == 200 and "1996" in detail.content.decode()
    client.get(reverse("register:participant_edit", args=[world.participant.pk]))
    logs = list(RegisterViewLog.objects.values_list("participant_id", "user_id", "action"))
    assert logs == [(world.participant.pk, world.keeper.pk, "view")] * 2


def test_the_register_extract_holds_everything_and_is_logged(world):
    client = client_of(world.keeper)
    client.get(reverse("register:participant_detail", args=[world.participant.pk]))
    response = client.get(reverse("register:participant_extract", args=[world.participant.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Uppgifter", "Ändringar", "Visningar"]
    record = {row[0]: row[1] for row in book["Uppgifter"].iter_rows(min_row=4, values_only=True)}
    assert record["Deltagarkod"] == "AMT-0001" and record["Födelseår"] == "1996"
    assert record["Avslutsorsak"] == "Arbete" and record["Avslutsdatum"] == "2019-09-01"
    assert [row[1] for row in book["Ändringar"].iter_rows(min_row=2, values_only=True)] == ["Registrerad", "Ändrad"]
    views = [row[2] for row in book["Visningar"].iter_rows(min_row=2, values_only=True)]
    assert views == ["Hämtade registerutdrag", "Visade uppgifterna"]


def test_enrol_and_exit_through_the_pages(world):
    client = client_of(world.keeper)
    url = reverse("register:participant_enrol", args=[world.project.pk])
    bad = client.post(url, {"gender": "woman", "consent": "on", "code": "19900101-1234"})
    assert bad.status_code == 400 and "Ange inskrivningsdatum" in bad.content.decode()
    response = client.post(
        url,
        {
            "gender": "other",
            "consent": "on",
            "consent_on": "2019-03-01",
            "enrolled_on": "2019-03-01",
            "birth_year": "2000",
            "referrer": world.cat("referrer", "Kommun").pk,
        },
    )
    assert response.status_code == 302
    new = world.project.register_participants.get(gender="other")
    response = client.post(
        reverse("register:participant_exit", args=[new.pk]),
        {
            "exited_on": "2019-11-01",
            "exit_reason": world.cat("exit_reason", "Studier").pk,
            "income_at_exit": world.cat("income_at_exit", "Studiestöd/Studiemedel").pk,
        },
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.exited_on == dt.date(2019, 11, 1)


def test_the_crossing_from_both_sides(world):
    keeper = client_of(world.keeper)
    response = keeper.post(reverse("register:register_report", args=[world.project.pk]), {"period": "2019-1"})
    assert response.status_code == 302
    report = ParticipantReport.objects.get(project=world.project)
    assert report.is_locked
    # The förbund sees the submitted counts, and nothing of any record, on every page it has.
    chief = client_of(world.director)
    pages = [
        reverse("projects:project_list"),
        reverse("projects:project_detail", args=[world.project.pk]),
        reverse("projects:report_list"),
        reverse("projects:report_detail", args=[report.pk]),
        reverse("core:dashboard"),
    ]
    federation_admin = client_of(user_with_role(world.federation, Role.ADMIN))
    kommun_admin = client_of(user_with_role(world.kommun, Role.ADMIN))
    seen = [(chief, url) for url in pages] + [
        (federation_admin, reverse("core:audit_list")),
        # Not even the executor's own granskningslogg holds record history (the registerutdrag does).
        (kommun_admin, reverse("core:audit_list")),
    ]
    for client, url in seen:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in ("AMT-0001", "AMT-0002", "1996", "deltagarregister/deltagare"):
            assert secret not in page, (url, secret)
    grid_page = chief.get(reverse("projects:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="report-grid"' in grid_page and "kan inte anges för hand" in grid_page
    # …and cannot type one in or correct it by hand.
    response = chief.post(reverse("projects:report_create", args=[world.project.pk]), {"year": 2020})
    assert ParticipantReport.objects.filter(project=world.project).count() == 1
    # The keeper's list names the submitted report.
    assert "version 1" in keeper.get(reverse("register:register_list", args=[world.project.pk])).content.decode()


def test_a_user_in_both_organisations_sees_the_register_only_in_the_executor(world):
    also_role(world.keeper, world.federation, Role.PARTICIPANT_OFFICER)
    client = client_of(world.keeper)
    session = client.session
    session["current_organisation_id"] = world.federation.pk
    session.save()
    # In the förbund nothing is found; the middleware follows the link into the kommun where it exists.
    response = client.get(reverse("register:participant_detail", args=[world.participant.pk]))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_retention_and_gallring_pages(world):
    admin = user_with_role(world.kommun, Role.ADMIN)
    client = client_of(admin)
    response = client.post(reverse("register:retention"), {"years": "0"})
    assert response.status_code == 400 and "minst 1 år" in response.content.decode()
    assert client.post(reverse("register:retention"), {"years": "1", "basis": "IHP"}).status_code == 302
    keeper = client_of(world.keeper)
    assert keeper.post(reverse("register:retention"), {"years": "5"}).status_code == 403
    assert client.post(reverse("register:gallring_run")).status_code == 302
    log = client.get(reverse("register:disposal_list")).content.decode()
    assert world.project.name in log and "AMT-0001" not in log


def test_register_pages_keep_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for number in range(30):
        enrol(world, code=f"X-{number:03}", enrolled_on=dt.date(2019, 1 + number % 12, 1))
    client = client_of(world.keeper)
    with django_assert_max_num_queries(20):
        client.get(reverse("register:register_list", args=[world.project.pk]))
    with django_assert_max_num_queries(20):
        client.get(reverse("register:report_preview", args=[world.project.pk]) + "?period=2019-1")
    with django_assert_max_num_queries(25):
        client.get(reverse("register:participant_detail", args=[world.participant.pk]))


def test_the_executors_administrator_sees_every_register_and_assigns_staff(world):
    admin = user_with_role(world.kommun, Role.ADMIN)
    officer = user_with_role(world.kommun, Role.PARTICIPANT_OFFICER)
    client = client_of(admin)
    home = client.get(reverse("register:register_home")).content.decode()
    assert world.project.name in home and "Registeransvariga" in home
    assert client.get(reverse("register:participant_detail", args=[world.participant.pk])).status_code == 200
    assert client_of(officer).get(reverse("register:register_list", args=[world.project.pk])).status_code == 404
    response = client.post(reverse("register:staff", args=[world.project.pk]), {"user": officer.pk})
    assert response.status_code == 302
    assert client_of(officer).get(reverse("register:register_list", args=[world.project.pk])).status_code == 200
    # A user without a register role at the kommun cannot be assigned.
    economist = user_with_role(world.kommun, Role.ECONOMIST)
    response = client.post(reverse("register:staff", args=[world.project.pk]), {"user": economist.pk})
    assert response.status_code == 400
