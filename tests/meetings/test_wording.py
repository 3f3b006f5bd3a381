"""Wording that follows the count and the kind of organisation (issue 7, point 18)."""

import pytest
from django.urls import reverse

from core.formatting import format_paragraph_sign
from core.models import Organisation, Role
from meetings.minutes_selectors import attendance_groups
from meetings.minutes_services import membership_role_text
from meetings.models import Attendance, Communication
from tests.factories import CommitteeFactory, FederationMemberFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_paragraph_sign_never_breaks():
    assert format_paragraph_sign(7) == "§\xa07"
    assert format_paragraph_sign(None) == ""


def test_attendance_headings_agree_in_number():
    one = [Attendance(pk=1, capacity=Attendance.Capacity.OFFICIAL, position=1)]
    two = [*one, Attendance(pk=2, capacity=Attendance.Capacity.OFFICIAL, position=2)]
    label = {g["capacity"]: g["label"] for g in attendance_groups(one)}
    assert label[Attendance.Capacity.OFFICIAL] == "Tjänsteperson"
    label = {g["capacity"]: g["label"] for g in attendance_groups(two)}
    assert label[Attendance.Capacity.OFFICIAL] == "Tjänstepersoner"


def test_member_organisation_and_party_as_in_seed_003():
    link = FederationMemberFactory(member__name="Lindesbergs kommun")
    committee = CommitteeFactory(organisation=link.federation)
    seat = MembershipFactory(committee=committee, represents=link.member, party="S")
    assert seat.affiliation == "Lindesbergs kommun (S)"
    assert membership_role_text(seat) == "Lindesbergs kommun (S)"
    no_party = MembershipFactory(committee=committee, represents=link.member, party="")
    assert no_party.affiliation == "Lindesbergs kommun"
    kommun_seat = MembershipFactory(party="M")
    assert kommun_seat.affiliation == "M" and membership_role_text(kommun_seat) == "(M)"


def test_the_proposer_follows_the_kind_of_organisation():
    assert OrganisationFactory(kind=Organisation.Kind.FEDERATION).proposer == "Förbundschefen"
    assert OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY).proposer == "Förvaltningen"


def test_one_communication_is_singular(client_for, organisation):
    import datetime as dt

    client = client_for(organisation, Role.SECRETARY)
    committee = CommitteeFactory(organisation=organisation)
    url = reverse("registers:communication_list")
    Communication.objects.create(
        organisation=organisation,
        committee=committee,
        received_on=dt.date(2022, 5, 2),
        sender="Länsstyrelsen",
        subject="Tillsyn",
    )
    assert "1 meddelande." in client.get(url).content.decode()
    Communication.objects.create(
        organisation=organisation, committee=committee, received_on=dt.date(2022, 5, 3), sender="IVO", subject="Beslut"
    )
    assert "2 meddelanden." in client.get(url).content.decode()
