"""Several ärenden onto the agenda at once: the checklist, its preselection, all-or-nothing, 404 elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Role
from meetings import agenda_services as services
from meetings.case_services import case_register, officer_report_update
from meetings.models import AgendaItemKind, Case, CaseNumberSeries
from tests.factories import CommitteeFactory, OrganisationFactory, user_with_role
from tests.meetings.factories import AgendaItemFactory, CaseNumberSeriesFactory, MeetingFactory
from tests.meetings.test_agenda_services import titles

pytestmark = pytest.mark.django_db
_DAY = dt.date(2022, 5, 2)


def make_case(organisation, actor, committee, *, title, clauses=()):
    """An ärende in the committee's one series (several per test)."""
    series = CaseNumberSeries.objects.filter(committee=committee).first() or CaseNumberSeriesFactory(
        committee=committee, organisation=organisation, pattern=f"K{committee.pk} {{year}}/{{seq}}"
    )
    case = case_register(organisation=organisation, actor=actor, series=series, title=title, registered_on=_DAY)
    if clauses:
        officer_report_update(report=case.officer_report, actor=actor, data={"proposed_clauses": list(clauses)})
    return case


@pytest.fixture
def actor(organisation):
    return user_with_role(organisation, Role.SECRETARY)


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")


@pytest.fixture
def meeting(committee):
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting, position=1, kind=AgendaItemKind.STANDARD, title="Mötets öppnande")
    AgendaItemFactory(meeting=meeting, position=2, kind=AgendaItemKind.OTHER, title="Övriga frågor")
    return meeting


def test_service_adds_in_order_before_ovriga_fragor_with_forslag(organisation, actor, committee, meeting):
    first = make_case(organisation, actor, committee, title="Riktlinje", clauses=["att anta riktlinjen"])
    second = make_case(organisation, actor, committee, title="Uppföljning maj")
    services.agenda_cases_add(meeting=meeting, actor=actor, cases=[first, second])
    assert titles(meeting) == ["Mötets öppnande", "Riktlinje", "Uppföljning maj", "Övriga frågor"]
    item = meeting.agenda_items.get(case=first)
    assert item.proposed_clauses == ["att anta riktlinjen"]


def test_service_is_all_or_nothing(organisation, actor, committee, meeting):
    fine = make_case(organisation, actor, committee, title="Riktlinje")
    decided = make_case(organisation, actor, committee, title="Redan beslutat")
    Case.objects.filter(pk=decided.pk).update(status=Case.Status.DECIDED)
    decided.refresh_from_db()
    with pytest.raises(ValidationError):
        services.agenda_cases_add(meeting=meeting, actor=actor, cases=[fine, decided])
    assert titles(meeting) == ["Mötets öppnande", "Övriga frågor"]
    with pytest.raises(ValidationError) as caught:
        services.agenda_cases_add(meeting=meeting, actor=actor, cases=[])
    assert "Kryssa för minst ett ärende." in str(caught.value)


def test_checklist_preselects_cases_with_forslag_and_adds_them(client_for, organisation, actor, committee, meeting):
    ready = make_case(organisation, actor, committee, title="Riktlinje", clauses=["att anta riktlinjen"])
    draft = make_case(organisation, actor, committee, title="Utkast utan förslag")
    make_case(organisation, actor, CommitteeFactory(organisation=organisation), title="Annat organs ärende")
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("agenda:agenda_cases_add", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Annat organs ärende" not in page
    assert f'value="{ready.pk}" id="case-{ready.pk}" checked' in page
    assert f'value="{draft.pk}" id="case-{draft.pk}">' in page

    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Kryssa för minst ett ärende." in refused.content.decode()

    response = client.post(url, {"cases": [ready.pk, draft.pk]}, follow=True)
    assert "2 ärenden har lagts till på dagordningen." in response.content.decode()
    assert titles(meeting) == ["Mötets öppnande", "Riktlinje", "Utkast utan förslag", "Övriga frågor"]
    # Once on the agenda, an ärende is no longer offered for this meeting.
    assert "Riktlinje" not in client.get(url).content.decode()


def test_other_organisations_meeting_and_case_are_refused(client_for, organisation, actor, committee, meeting):
    other = OrganisationFactory()
    other_meeting = MeetingFactory(committee=CommitteeFactory(organisation=other))
    client = client_for(organisation, Role.SECRETARY)
    assert client.get(reverse("agenda:agenda_cases_add", args=[other_meeting.pk])).status_code == 404
    foreign = make_case(other, user_with_role(other, Role.SECRETARY), other_meeting.committee, title="Främmande")
    response = client.post(reverse("agenda:agenda_cases_add", args=[meeting.pk]), {"cases": [foreign.pk]})
    assert response.status_code == 400
    assert titles(meeting) == ["Mötets öppnande", "Övriga frågor"]


def test_members_cannot_add(client_for, organisation, meeting):
    client = client_for(organisation, Role.MEMBER)
    assert client.get(reverse("agenda:agenda_cases_add", args=[meeting.pk])).status_code == 403


def test_new_meeting_starts_from_the_only_organ_and_its_last_room(client_for, organisation, committee):
    MeetingFactory(committee=committee, place="Sammanträdesrum Linden", date=dt.date(2022, 6, 16))
    page = client_for(organisation, Role.SECRETARY).get(reverse("agenda:meeting_create")).content.decode()
    assert f'<option value="{committee.pk}" selected>' in page
    assert 'value="Sammanträdesrum Linden"' in page


def test_new_case_starts_from_the_only_series(client_for, organisation, committee):
    series = CaseNumberSeriesFactory(committee=committee, organisation=organisation)
    page = client_for(organisation, Role.SECRETARY).get(reverse("cases:case_create")).content.decode()
    assert f'<option value="{series.pk}" selected>' in page
