"""Delegationsbeslut and meddelanden: registering, the locked record, anmälan to a sammanträde, views, queries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings import case_services, register_services
from meetings.agenda_services import AGENDA_LOCKED_MESSAGE
from meetings.models import (
    CONFIDENTIAL_PUBLIC_TEXT,
    AgendaItem,
    AgendaItemKind,
    Communication,
    DelegatedDecision,
    Meeting,
)
from tests.factories import CommitteeFactory, user_with_role

from .factories import AgendaItemFactory, CaseNumberSeriesFactory, MeetingFactory, MinutesFactory


@pytest.fixture
def secretary(organisation):
    return user_with_role(organisation, Role.SECRETARY)


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")


def delegated(committee, actor, day, **kwargs):
    values = {"delegate": "Enhetschef Eva Ek", "delegation_point": "3.1.4", "decision": "Beviljat bistånd"}
    values.update(kwargs)
    return register_services.delegated_create(
        organisation=committee.organisation, actor=actor, committee=committee, decided_on=day, **values
    )


def communication(committee, actor, day, **kwargs):
    values = {"sender": "Länsstyrelsen", "subject": "Tillsyn av verksamheten"}
    values.update(kwargs)
    return register_services.communication_create(
        organisation=committee.organisation, actor=actor, committee=committee, received_on=day, **values
    )


# Services -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_audits_and_refuses_confidential_without_basis(committee, secretary):
    row = delegated(committee, secretary, dt.date(2022, 5, 3))
    assert row.history.get().history_user == secretary
    with pytest.raises(ValidationError) as info:
        delegated(committee, secretary, dt.date(2022, 5, 3), confidential=True)
    assert "Ange sekretessgrund" in info.value.message_dict["legal_basis"][0]


@pytest.mark.django_db
def test_rows_refuse_another_organisations_committee_or_case(committee, secretary, other_organisation):
    foreign_committee = CommitteeFactory(organisation=other_organisation)
    with pytest.raises(ValidationError):
        register_services.delegated_create(
            organisation=committee.organisation,
            actor=secretary,
            committee=foreign_committee,
            decided_on=dt.date(2022, 5, 3),
            delegate="Enhetschef",
            delegation_point="3.1",
            decision="Beviljat",
        )
    foreign_series = CaseNumberSeriesFactory(committee=foreign_committee)
    foreign_case = case_services.case_register(
        organisation=other_organisation,
        actor=user_with_role(other_organisation, Role.SECRETARY),
        series=foreign_series,
        title="X",
    )
    with pytest.raises(ValidationError):
        communication(committee, secretary, dt.date(2022, 5, 3), case=foreign_case)
    assert not DelegatedDecision.objects.exists()
    assert not Communication.objects.exists()


@pytest.mark.django_db
def test_report_to_meeting_creates_items_links_rows_and_lists_them(committee, secretary):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    AgendaItemFactory(meeting=meeting, position=1, kind=AgendaItemKind.STANDARD, title="Mötets öppnande")
    AgendaItemFactory(meeting=meeting, position=2, kind=AgendaItemKind.CASE, title="Uppföljning")
    AgendaItemFactory(meeting=meeting, position=3, kind=AgendaItemKind.OTHER, title="Övriga frågor")
    early = delegated(committee, secretary, dt.date(2022, 5, 3), decision="Beviljat bistånd")
    on_the_day = delegated(committee, secretary, dt.date(2022, 6, 16), decision="Avslag")
    later = delegated(committee, secretary, dt.date(2022, 6, 17))
    elsewhere = delegated(CommitteeFactory(organisation=committee.organisation), secretary, dt.date(2022, 5, 3))
    letter = communication(committee, secretary, dt.date(2022, 6, 1))

    outcome = register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)

    assert (outcome.delegated_added, outcome.communications_added) == (2, 1)
    items = list(meeting.agenda_items.order_by("position").values_list("title", "position"))
    assert items == [
        ("Mötets öppnande", 1),
        ("Uppföljning", 2),
        ("Delegationsbeslut", 3),
        ("Meddelanden", 4),
        ("Övriga frågor", 5),
    ]
    for row in (early, on_the_day, later, elsewhere, letter):
        row.refresh_from_db()
    assert early.reported_in == on_the_day.reported_in == outcome.delegated_item
    assert later.reported_in is None and elsewhere.reported_in is None
    assert letter.reported_in == outcome.communications_item
    assert outcome.delegated_item.description.splitlines() == [
        "Anmälda delegationsbeslut:",
        "- 2022-05-03, punkt 3.1.4, Enhetschef Eva Ek: Beviljat bistånd",
        "- 2022-06-16, punkt 3.1.4, Enhetschef Eva Ek: Avslag",
    ]
    assert outcome.delegated_item.proposed_clauses == [register_services.DELEGATED_CLAUSE]
    assert outcome.delegated_item.history.first().history_user == secretary


@pytest.mark.django_db
def test_report_reuses_the_item_from_the_template_and_never_reports_twice(committee, secretary):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    from_template = AgendaItemFactory(
        meeting=meeting, position=5, kind=AgendaItemKind.DELEGATED_DECISIONS, title="Anmälan av delegationsbeslut"
    )
    first = delegated(committee, secretary, dt.date(2022, 5, 3))
    register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)
    second = delegated(committee, secretary, dt.date(2022, 6, 1))
    outcome = register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)

    assert outcome.delegated_item == from_template
    assert outcome.delegated_added == 1
    assert meeting.agenda_items.filter(kind=AgendaItemKind.DELEGATED_DECISIONS).count() == 1
    assert meeting.agenda_items.filter(kind=AgendaItemKind.COMMUNICATIONS).count() == 1
    assert set(from_template.delegated_decisions.all()) == {first, second}
    # Already reported at one meeting, a row is not taken up by the next.
    next_meeting = MeetingFactory(committee=committee, date=dt.date(2022, 9, 1))
    assert register_services.registers_report_to_meeting(meeting=next_meeting, actor=secretary).delegated_added == 0


@pytest.mark.django_db
def test_report_description_never_shows_confidential_content(committee, secretary):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    delegated(
        committee,
        secretary,
        dt.date(2022, 5, 3),
        decision="Placering av barnet Kim",
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    communication(
        committee,
        secretary,
        dt.date(2022, 5, 3),
        subject="Anmälan om Kim",
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    outcome = register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)
    text = outcome.delegated_item.description + outcome.communications_item.description
    assert "Kim" not in text
    assert "sekretessbelagt beslut" in text
    assert "sekretessbelagt meddelande" in text


@pytest.mark.django_db
def test_report_refuses_a_justerat_protokoll_and_a_cancelled_meeting(committee, secretary):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    MinutesFactory(meeting=meeting, status="verified", verified_at=timezone.now())
    delegated(committee, secretary, dt.date(2022, 5, 3))
    with pytest.raises(ValidationError) as info:
        register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)
    assert info.value.messages == [AGENDA_LOCKED_MESSAGE]
    assert not AgendaItem.objects.exists()
    assert DelegatedDecision.objects.get().reported_in is None

    cancelled = MeetingFactory(committee=committee, status=Meeting.Status.CANCELLED)
    with pytest.raises(ValidationError, match="inställt"):
        register_services.registers_report_to_meeting(meeting=cancelled, actor=secretary)


@pytest.mark.django_db
def test_a_row_reported_in_a_justerat_protokoll_cannot_change(committee, secretary):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    row = delegated(committee, secretary, dt.date(2022, 5, 3))
    register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)
    row.refresh_from_db()
    values = {
        "committee": committee,
        "decided_on": row.decided_on,
        "delegate": row.delegate,
        "delegation_point": row.delegation_point,
        "decision": "Ändrat",
    }
    # Reported but not yet justerat: it may still be corrected, but it stays with its organ.
    register_services.delegated_update(row=row, actor=secretary, **values)
    with pytest.raises(ValidationError, match="organet kan inte bytas"):
        register_services.delegated_update(
            row=row, actor=secretary, **{**values, "committee": CommitteeFactory(organisation=committee.organisation)}
        )
    MinutesFactory(meeting=meeting, status="verified", verified_at=timezone.now())
    with pytest.raises(ValidationError, match="protokoll är justerat"):
        register_services.delegated_update(row=row, actor=secretary, **{**values, "decision": "Igen"})
    row.refresh_from_db()
    assert row.decision == "Ändrat"


# Views --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_view_keeps_input_and_saves_nothing_when_refused(client_for, organisation, committee):
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(
        reverse("registers:delegated_create"),
        {
            "decided_on": "2022-13-01",
            "delegate": "Enhetschef Eva Ek",
            "delegation_point": "3.1",
            "decision": "Beviljat",
            "committee": committee.pk,
            "case": "SN 2099/9",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Skriv datumet som ÅÅÅÅ-MM-DD." in text
    assert "Det finns inget ärende med diarienumret SN 2099/9." in text
    assert 'value="Enhetschef Eva Ek"' in text
    assert not DelegatedDecision.objects.exists()


@pytest.mark.django_db
def test_create_and_edit_views_save_with_a_case_by_number(client_for, organisation, committee, secretary):
    series = CaseNumberSeriesFactory(committee=committee)
    case = case_services.case_register(organisation=organisation, actor=secretary, series=series, title="Tillsyn")
    client = client_for(organisation, Role.DIRECTOR)
    response = client.post(
        reverse("registers:communication_create"),
        {
            "received_on": "2022-06-01",
            "sender": "IVO",
            "subject": "Beslut",
            "committee": committee.pk,
            "case": case.case_number.lower(),
        },
    )
    assert response.status_code == 302
    row = Communication.objects.get()
    assert (row.case, row.history.get().history_user) == (case, client.user)
    client.post(
        reverse("registers:communication_edit", args=[row.pk]),
        {"received_on": "2022-06-02", "sender": "IVO", "subject": "Nytt ämne", "committee": committee.pk},
    )
    row.refresh_from_db()
    assert (row.subject, row.case, row.received_on) == ("Nytt ämne", None, dt.date(2022, 6, 2))


@pytest.mark.django_db
def test_list_filters_unreported_and_hides_confidential_content(client_for, organisation, committee, secretary):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    delegated(committee, secretary, dt.date(2022, 5, 3), decision="Redan anmält")
    register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)
    delegated(committee, secretary, dt.date(2022, 6, 20), decision="Nytt beslut")
    delegated(
        committee,
        secretary,
        dt.date(2022, 6, 21),
        decision="Hemligt beslut",
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    url = reverse("registers:delegated_list")

    director = client_for(organisation, Role.DIRECTOR)
    everything = director.get(url).content.decode()
    assert "Redan anmält" in everything and "Hemligt beslut" in everything
    unreported = director.get(url, {"ej_anmalda": "1"}).content.decode()
    assert "Redan anmält" not in unreported and "Nytt beslut" in unreported

    economist = client_for(organisation, Role.ECONOMIST)
    hidden = economist.get(url).content.decode()
    assert "Hemligt beslut" not in hidden
    assert CONFIDENTIAL_PUBLIC_TEXT in hidden
    assert economist.get(url, {"q": "Hemligt"}).context["page"].paginator.count == 0
    assert director.get(url, {"q": "Hemligt"}).context["page"].paginator.count == 1


@pytest.mark.django_db
def test_report_to_meeting_view_is_post_only_and_reports(client_for, organisation, committee, secretary):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    delegated(committee, secretary, dt.date(2022, 5, 3))
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("registers:report_to_meeting", args=[meeting.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/")  # never off-site
    assert "1 delegationsbeslut och 0 meddelanden är anmälda" in response.content.decode()
    assert DelegatedDecision.objects.get().reported_in.meeting == meeting


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER, Role.ECONOMIST])
def test_roles_without_manage_registers_cannot_write(client_for, organisation, committee, secretary, role):
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    row = delegated(committee, secretary, dt.date(2022, 5, 3))
    client = client_for(organisation, role)
    assert client.post(reverse("registers:report_to_meeting", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("registers:delegated_edit", args=[row.pk]), {"decision": "x"}).status_code == 403
    assert client.post(reverse("registers:delegated_create"), {"decision": "x"}).status_code == 403
    row.refresh_from_db()
    assert row.reported_in is None and row.decision == "Beviljat bistånd"


@pytest.mark.django_db
@pytest.mark.parametrize("register", ["delegated", "communications"])
def test_register_list_queries_do_not_grow_with_rows(
    client_for, organisation, committee, secretary, register, django_assert_max_num_queries
):
    client = client_for(organisation, Role.SECRETARY)
    make, url = {
        "delegated": (delegated, reverse("registers:delegated_list")),
        "communications": (communication, reverse("registers:communication_list")),
    }[register]
    series = CaseNumberSeriesFactory(committee=committee)
    case = case_services.case_register(organisation=organisation, actor=secretary, series=series, title="X")
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16))
    make(committee, secretary, dt.date(2022, 5, 3), case=case)
    register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for day in range(1, 15):
        make(committee, secretary, dt.date(2022, 5, day), case=case)
    register_services.registers_report_to_meeting(meeting=meeting, actor=secretary)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 15
