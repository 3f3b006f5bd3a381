import pytest
from django.urls import reverse

from core.models import Organisation, Role
from tests.factories import CommitteeFactory, FederationMemberFactory, MembershipFactory, PersonFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "panels"),
    [
        (Role.ADMIN, {"administration", "committees", "documents"}),
        (Role.SECRETARY, {"secretary_todo", "committees", "documents"}),
        (Role.DIRECTOR, {"federation_members", "equity", "committees", "documents"}),
        (Role.ECONOMIST, {"federation_members", "equity", "documents"}),
        (Role.AUDITOR, {"annual_reports", "audit_log", "federation_members", "documents"}),
        (Role.MEMBER, {"member_todo", "my_seats", "documents"}),
    ],
)
def test_each_role_gets_its_own_dashboard(client_for, role, panels):
    federation = FederationMemberFactory().federation
    client = client_for(federation, role)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert {panel.key for panel in response.context["panels"]} == panels


@pytest.mark.django_db
def test_member_sees_own_seats_only(client_for, organisation):
    client = client_for(organisation, Role.MEMBER)
    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden")
    MembershipFactory(committee=committee, person=PersonFactory(organisation=organisation, user=client.user))
    MembershipFactory(committee=CommitteeFactory(organisation=organisation, name="Kommunstyrelsen"))
    content = client.get(reverse("core:dashboard")).content.decode()
    assert "Socialnämnden" in content
    assert "Kommunstyrelsen" not in content


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_committees(client_for, organisation, django_assert_max_num_queries):
    client = client_for(organisation, Role.SECRETARY)

    def add_committees(n):
        for _ in range(n):
            committee = CommitteeFactory(organisation=organisation)
            MembershipFactory.create_batch(3, committee=committee)

    add_committees(2)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("core:dashboard"))
    add_committees(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("core:dashboard"))


@pytest.mark.django_db
def test_organisation_page_lists_members_and_committees(client_for):
    federation = FederationMemberFactory(member__name="Försäkringskassan").federation
    assert federation.kind == Organisation.Kind.FEDERATION
    committee = CommitteeFactory(organisation=federation, name="Styrelsen", short_name="STY")
    seat = MembershipFactory(committee=committee, party="S")
    client = client_for(federation, Role.AUDITOR)
    content = client.get(reverse("core:organisation_detail")).content.decode()
    assert "Försäkringskassan" in content
    assert "Styrelsen" in content
    assert seat.person.full_name in content
    assert "Ändra uppgifter" not in content  # revisor reads only
