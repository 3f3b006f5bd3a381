"""The agenda editor pages: lists, forms that keep input, moves with and without JavaScript, query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings.models import AgendaTemplateItem, Meeting
from tests.factories import CommitteeFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.meetings.test_attachments import make_attachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")


@pytest.fixture
def secretary(client_for, organisation):
    return client_for(organisation, Role.SECRETARY)


def titles(meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def test_meeting_list_upcoming_past_and_filter(secretary, committee, organisation):
    other = CommitteeFactory(organisation=organisation, name="Kommunstyrelsen")
    today = timezone.localdate()
    MeetingFactory(committee=committee, date=today + dt.timedelta(days=7), place="Framtida rummet")
    MeetingFactory(committee=committee, date=today - dt.timedelta(days=7), place="Gamla rummet")
    MeetingFactory(committee=other, date=today + dt.timedelta(days=3), place="KS-salen")
    page = secretary.get(reverse("agenda:meeting_list")).content.decode()
    upcoming, past = page.split("Tidigare</h2>")
    assert "Framtida rummet" in upcoming and "KS-salen" in upcoming and "Gamla rummet" in past
    filtered = secretary.get(reverse("agenda:meeting_list"), {"committee": committee.pk}).content.decode()
    assert "KS-salen" not in filtered and "Framtida rummet" in filtered


def test_create_copies_template_and_keeps_input_on_error(secretary, committee):
    AgendaTemplateItem.objects.create(committee=committee, position=1, title="Mötets öppnande")
    url = reverse("agenda:meeting_create")
    data = {
        "committee": committee.pk,
        "date": "2022-06-16",
        "start_time": "09:00",
        "end_time": "08:00",
        "place": "Näset, kommunhuset",
    }
    response = secretary.post(url, data)
    assert response.status_code == 400  # refused, like every refused form
    text = response.content.decode()
    assert "Sluttiden måste vara senare än starttiden." in text
    assert 'value="Näset, kommunhuset"' in text
    assert Meeting.objects.count() == 0

    response = secretary.post(url, {**data, "end_time": "12:00"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("agenda:meeting_detail", args=[meeting.pk])
    assert titles(meeting) == ["Mötets öppnande"]
    assert meeting.is_public is False


def test_edit_meeting(secretary, committee):
    meeting = MeetingFactory(committee=committee)
    url = reverse("agenda:meeting_edit", args=[meeting.pk])
    assert secretary.get(url).status_code == 200
    response = secretary.post(
        url, {"date": "2019-11-29", "start_time": "10:00", "place": "Nytt rum", "is_public": "1", "notice_note": ""}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.place, meeting.is_public) == (dt.date(2019, 11, 29), "Nytt rum", True)


def test_add_item_form_messages_and_kept_input(secretary, committee):
    meeting = MeetingFactory(committee=committee)
    url = reverse("agenda:agenda_item_add", args=[meeting.pk])
    assert secretary.get(url, {"typ": "information"}).status_code == 200
    response = secretary.post(
        url,
        {
            "kind": "information",
            "title": "Information om lokaler",
            "proposed_clauses": "att notera informationen\nlägga till handlingarna",
            "confidential": "on",
            "legal_basis": "",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400  # refused, like every refused form
    assert "Rad 2 börjar inte med ”att ”: ”lägga till handlingarna”." in text
    assert "Ange sekretessgrund (t.ex. ”OSL 26 kap. 1 §”) när punkten markeras som sekretess." in text
    assert 'value="Information om lokaler"' in text
    assert "att notera informationen" in text
    assert not meeting.agenda_items.exists()

    response = secretary.post(
        url, {"kind": "information", "title": "Information om lokaler", "proposed_clauses": "att notera informationen"}
    )
    assert response.status_code == 302
    assert meeting.agenda_items.get().proposed_clauses == ["att notera informationen"]
    assert secretary.post(url, {"kind": "case"}).content.decode().count("Välj vilket ärende punkten gäller.") == 2


def test_edit_item(secretary, committee):
    item = AgendaItemFactory(meeting=MeetingFactory(committee=committee), position=1, title="Gammal")
    url = reverse("agenda:agenda_item_edit", args=[item.pk])
    assert "Gammal" in secretary.get(url).content.decode()
    response = secretary.post(
        url,
        {
            "title": "Ny rubrik",
            "proposed_clauses": "att godkänna",
            "confidential": "on",
            "legal_basis": "OSL 26 kap. 1 §",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.confidential, item.legal_basis) == ("Ny rubrik", True, "OSL 26 kap. 1 §")


class TestMoves:
    @pytest.fixture
    def meeting(self, committee):
        meeting = MeetingFactory(committee=committee)
        for position, title in enumerate(["A", "B", "C"], start=1):
            AgendaItemFactory(meeting=meeting, position=position, title=title)
        return meeting

    def test_move_without_javascript_redirects_to_the_item(self, secretary, meeting):
        b = meeting.agenda_items.get(title="B")
        response = secretary.post(reverse("agenda:agenda_item_move", args=[b.pk]), {"direction": "up"})
        assert response.status_code == 302
        assert response["Location"].endswith(f"?flyttad={b.pk}-up#punkt-{b.pk}")
        assert titles(meeting) == ["B", "A", "C"]
        page = secretary.get(response["Location"]).content.decode()
        assert "Punkt ”B” flyttad till plats 1" in page
        assert f'data-moved="{b.pk}-up"' in page

    def test_move_as_json(self, secretary, meeting):
        c = meeting.agenda_items.get(title="C")
        response = secretary.post(
            reverse("agenda:agenda_item_move", args=[c.pk]), {"direction": "down"}, HTTP_ACCEPT="application/json"
        )
        data = response.json()
        assert data["ok"] and data["message"] == "Punkt ”C” är redan sist."
        response = secretary.post(
            reverse("agenda:agenda_item_move", args=[c.pk]), {"direction": "up"}, HTTP_ACCEPT="application/json"
        )
        ids = {item.title: item.pk for item in meeting.agenda_items.all()}
        assert response.json()["order"] == [ids["A"], ids["C"], ids["B"]]
        assert response.json()["message"] == "Punkt ”C” flyttad till plats 2"

    def test_reorder(self, secretary, meeting):
        ids = {item.title: item.pk for item in meeting.agenda_items.all()}
        url = reverse("agenda:agenda_reorder", args=[meeting.pk])
        response = secretary.post(url, {"item": [ids["C"], ids["A"], ids["B"]], "moved": ids["C"]})
        assert response.status_code == 200
        assert response.json()["message"] == "Punkt ”C” flyttad till plats 1"
        assert titles(meeting) == ["C", "A", "B"]
        bad = secretary.post(url, {"item": [ids["C"], ids["A"]]})
        assert bad.status_code == 400
        assert "stämmer inte med sammanträdets punkter" in json.loads(bad.content)["message"]
        assert titles(meeting) == ["C", "A", "B"]

    def test_remove(self, secretary, meeting):
        b = meeting.agenda_items.get(title="B")
        assert secretary.post(reverse("agenda:agenda_item_remove", args=[b.pk])).status_code == 302
        assert titles(meeting) == ["A", "C"]
        assert list(meeting.agenda_items.values_list("position", flat=True).order_by("position")) == [1, 2]


def test_detail_masks_confidential_items_without_permission(client_for, organisation, committee):
    meeting = MeetingFactory(committee=committee)
    item = AgendaItemFactory(
        meeting=meeting, position=1, title="Placering av barn X", confidential=True, legal_basis="OSL 26 kap. 1 §"
    )
    make_attachment(organisation, item=item)
    url = reverse("agenda:meeting_detail", args=[meeting.pk])
    economist = client_for(organisation, Role.ECONOMIST).get(url).content.decode()
    assert "Placering av barn X" not in economist and "Underlag" not in economist
    assert "Denna punkt på agendan är sekretessbelagd" in economist
    secretary = client_for(organisation, Role.SECRETARY).get(url).content.decode()
    assert "Placering av barn X" in secretary and "Sekretess enligt OSL 26 kap. 1 §" in secretary
    assert "Underlag" in secretary


def test_read_only_roles_see_no_editing_controls(client_for, organisation, committee):
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting, position=1, title="A")
    page = client_for(organisation, Role.AUDITOR).get(reverse("agenda:meeting_detail", args=[meeting.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Flytta upp" not in text and "data-reorder-url" not in text and "agenda-editor.js" not in text


def build_agenda(committee, organisation, count: int) -> Meeting:
    from meetings.case_services import case_register
    from tests.factories import user_with_role
    from tests.meetings.factories import CaseNumberSeriesFactory

    actor = user_with_role(organisation, Role.SECRETARY)
    series = CaseNumberSeriesFactory(
        committee=committee, organisation=organisation, pattern=f"M{count} {{year}}/{{seq}}"
    )
    meeting = MeetingFactory(committee=committee)
    for position in range(1, count + 1):
        case = case_register(organisation=organisation, actor=actor, series=series, title=f"Ärende {position}")
        item = AgendaItemFactory(meeting=meeting, position=position, case=case, proposed_clauses=["att besluta"])
        if position % 10 == 0:
            make_attachment(organisation, item=item)
    return meeting


def test_agenda_page_queries_do_not_grow_with_items(secretary, committee, organisation, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = build_agenda(committee, organisation, 10)
    large = build_agenda(committee, organisation, 60)
    with CaptureQueriesContext(connection) as small_queries:
        response = secretary.get(reverse("agenda:meeting_detail", args=[small.pk]))
    assert response.status_code == 200
    baseline = len(small_queries)
    with django_assert_max_num_queries(baseline):
        response = secretary.get(reverse("agenda:meeting_detail", args=[large.pk]))
    assert response.content.decode().count('class="card mb-2 agenda-item"') == 60
    assert baseline <= 20
