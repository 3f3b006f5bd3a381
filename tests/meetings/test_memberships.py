"""Memberships: add, end, fyllnadsval and ersättarordning keep history; every rule has its Swedish message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Organisation, Person, Role
from meetings import selectors, services
from meetings.models import Membership
from tests.factories import (
    CommitteeFactory,
    FederationMemberFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2023, 1, 1)


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")


@pytest.fixture
def actor(organisation):
    return user_with_role(organisation, Role.SECRETARY)


def add(committee, actor, **kwargs):
    kwargs.setdefault("role", Membership.Role.MEMBER)
    kwargs.setdefault("starts_on", START)
    if "person" not in kwargs and "first_name" not in kwargs:
        kwargs["person"] = PersonFactory(organisation=committee.organisation)
    return services.membership_add(committee=committee, actor=actor, **kwargs)


def messages_of(excinfo, field):
    return excinfo.value.message_dict[field]


def names_on(committee, day):
    return [
        (seat.person.full_name, seat.role, seat.substitute_order)
        for seat in selectors.committee_seats(committee=committee, on=day)
    ]


# Adding -----------------------------------------------------------------------------------------------------


def test_add_records_actor_and_creates_inline_person(committee, actor):
    seat = add(committee, actor, first_name="Ingrid", last_name="Kopparholm", role=Membership.Role.CHAIR, party="S")
    assert seat.person.organisation == committee.organisation
    assert seat.person.full_name == "Ingrid Kopparholm"
    assert seat.history.get().history_user == actor
    assert seat.person.history.get().history_user == actor


def test_substitute_without_order_is_placed_last(committee, actor):
    add(committee, actor, role=Membership.Role.SUBSTITUTE, substitute_order=1)
    add(committee, actor, role=Membership.Role.SUBSTITUTE, substitute_order=4)
    assert add(committee, actor, role=Membership.Role.SUBSTITUTE).substitute_order == 5


def test_failed_add_leaves_no_new_person(committee, actor):
    with pytest.raises(ValidationError):
        add(committee, actor, first_name="Ny", last_name="Person", starts_on=D(2023, 5, 1), ends_on=D(2023, 4, 1))
    assert not Person.objects.filter(first_name="Ny").exists()


def test_person_missing_or_both(committee, actor):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(committee=committee, actor=actor, role=Membership.Role.MEMBER, starts_on=START)
    assert messages_of(excinfo, "person") == [services.PERSON_MISSING]
    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, person=PersonFactory(organisation=committee.organisation), first_name="A", last_name="B")
    assert messages_of(excinfo, "person") == [services.PERSON_BOTH]


def test_person_of_another_organisation_is_refused(committee, actor):
    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, person=PersonFactory())
    assert messages_of(excinfo, "person") == [services.PERSON_OTHER_ORGANISATION]


def test_ends_before_starts(committee, actor):
    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, starts_on=D(2023, 5, 1), ends_on=D(2023, 4, 30))
    assert messages_of(excinfo, "ends_on") == ["Slutdatumet kan inte vara före startdatumet."]


def test_overlapping_period_for_same_person(committee, actor):
    person = PersonFactory(organisation=committee.organisation, first_name="Olof", last_name="Hyttner")
    add(committee, actor, person=person, starts_on=START, ends_on=D(2023, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, person=person, role=Membership.Role.SUBSTITUTE, starts_on=D(2023, 6, 1))
    assert messages_of(excinfo, "person") == [
        "Olof Hyttner har redan ett uppdrag i Socialnämnden under samma tid (2023-01-01 – 2023-12-31)."
    ]
    # The day after the first period ended is free.
    add(committee, actor, person=person, starts_on=D(2024, 1, 1))


def test_second_chair_in_force_the_same_day(committee, actor):
    chair = PersonFactory(organisation=committee.organisation, first_name="Per", last_name="Hammarlund")
    add(committee, actor, person=chair, role=Membership.Role.CHAIR, ends_on=D(2023, 6, 30))
    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, role=Membership.Role.CHAIR, starts_on=D(2023, 6, 30))
    assert messages_of(excinfo, "role") == [
        "Socialnämnden har redan en ordförande under samma tid: Per Hammarlund (2023-01-01 – 2023-06-30)."
    ]
    add(committee, actor, role=Membership.Role.CHAIR, starts_on=D(2023, 7, 1))  # the next day is fine
    add(committee, actor, role=Membership.Role.VICE_CHAIR)
    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, role=Membership.Role.VICE_CHAIR, starts_on=D(2024, 1, 1))
    assert "redan en vice ordförande" in messages_of(excinfo, "role")[0]


def test_personal_substitute_rules(committee, actor):
    member = add(committee, actor)
    substitute = add(committee, actor, role=Membership.Role.SUBSTITUTE)
    elsewhere = MembershipFactory(committee=CommitteeFactory(organisation=committee.organisation), starts_on=START)

    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, role=Membership.Role.SUBSTITUTE, personal_substitute_for=substitute)
    assert messages_of(excinfo, "personal_substitute_for") == [services.PERSONAL_FOR_SUBSTITUTE]

    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, role=Membership.Role.SUBSTITUTE, personal_substitute_for=elsewhere)
    assert messages_of(excinfo, "personal_substitute_for") == [services.PERSONAL_OTHER_COMMITTEE]

    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, role=Membership.Role.MEMBER, personal_substitute_for=member)
    assert messages_of(excinfo, "personal_substitute_for") == [services.PERSONAL_ONLY_FOR_SUBSTITUTES]

    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, role=Membership.Role.SUBSTITUTE, personal_substitute_for=member, starts_on=D(2022, 1, 1))
    assert "har inget uppdrag i organet den 2022-01-01" in messages_of(excinfo, "personal_substitute_for")[0]

    ok = add(committee, actor, role=Membership.Role.SUBSTITUTE, personal_substitute_for=member)
    assert ok.personal_substitute_for == member


def test_substitute_order_only_for_substitutes(committee, actor):
    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, role=Membership.Role.MEMBER, substitute_order=2)
    assert messages_of(excinfo, "substitute_order") == [services.ORDER_ONLY_FOR_SUBSTITUTES]


def test_personal_substitutes_only_committee_requires_the_link(organisation, actor):
    committee = CommitteeFactory(organisation=organisation, personal_substitutes_only=True, name="Styrelsen")
    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, role=Membership.Role.SUBSTITUTE)
    assert "tjänstgör ersättare bara för sin egen ledamot" in messages_of(excinfo, "personal_substitute_for")[0]


def test_represents_only_federation_members():
    link = FederationMemberFactory(member__name="Försäkringskassan")
    federation = link.federation
    actor = user_with_role(federation, Role.SECRETARY)
    committee = CommitteeFactory(organisation=federation, short_name="STY")
    outsider = OrganisationFactory(name="Arbetsförmedlingen", kind=Organisation.Kind.AGENCY)

    with pytest.raises(ValidationError) as excinfo:
        add(committee, actor, represents=outsider)
    assert messages_of(excinfo, "represents") == ["Arbetsförmedlingen är inte medlem i förbundet."]
    assert add(committee, actor, represents=link.member).represents == link.member

    municipal = CommitteeFactory()
    with pytest.raises(ValidationError) as excinfo:
        add(municipal, user_with_role(municipal.organisation, Role.SECRETARY), represents=link.member)
    assert messages_of(excinfo, "represents") == [services.REPRESENTS_NOT_FEDERATION]


# Ending -----------------------------------------------------------------------------------------------------


def test_end_keeps_the_row_and_the_past(committee, actor):
    seat = add(committee, actor, first_name="Göran", last_name="Bergslagh")
    services.membership_end(membership=seat, actor=actor, ends_on=D(2024, 3, 31))
    seat.refresh_from_db()
    assert seat.ends_on == D(2024, 3, 31)
    assert seat.history.first().history_user == actor
    assert [name for name, *_ in names_on(committee, D(2024, 3, 31))] == ["Göran Bergslagh"]
    assert names_on(committee, D(2024, 4, 1)) == []
    assert list(selectors.committee_ended_memberships(committee=committee, on=D(2024, 4, 1))) == [seat]


def test_end_before_start_is_refused_and_changes_nothing(committee, actor):
    seat = add(committee, actor)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(membership=seat, actor=actor, ends_on=D(2022, 12, 31))
    assert messages_of(excinfo, "ends_on") == [services.ENDS_BEFORE_STARTS]
    assert seat.ends_on is None
    seat.refresh_from_db()
    assert seat.ends_on is None


def test_legacy_rows_can_still_be_ended_and_replaced(organisation, actor):
    """A committee switched to personal ersättare only after its substitutes were elected."""
    committee = CommitteeFactory(organisation=organisation)
    substitute = MembershipFactory(committee=committee, role=Membership.Role.SUBSTITUTE, starts_on=START)
    committee.personal_substitutes_only = True
    committee.save()
    successor = services.membership_replace(
        membership=substitute, actor=actor, starts_on=D(2024, 1, 1), first_name="Ny", last_name="Ersättare"
    )
    services.membership_end(membership=successor, actor=actor, ends_on=D(2024, 12, 31))
    successor.refresh_from_db()
    assert successor.ends_on == D(2024, 12, 31)


# Fyllnadsval ------------------------------------------------------------------------------------------------


def test_replace_keeps_history_and_moves_personal_substitutes(committee, actor):
    leaving = add(
        committee, actor, first_name="Maja", last_name="Silfver", party="V", ends_on=D(2026, 12, 31), note="KF § 12"
    )
    personal = add(
        committee,
        actor,
        first_name="Sofia",
        last_name="Kolbäck",
        role=Membership.Role.SUBSTITUTE,
        personal_substitute_for=leaving,
    )
    fill_day = D(2024, 3, 1)

    successor = services.membership_replace(
        membership=leaving, actor=actor, starts_on=fill_day, first_name="Tove", last_name="Grufberg"
    )

    leaving.refresh_from_db()
    assert leaving.ends_on == D(2024, 2, 29)
    assert (successor.role, successor.party, successor.starts_on, successor.ends_on) == (
        Membership.Role.MEMBER,
        "V",
        fill_day,
        D(2026, 12, 31),
    )
    assert successor.note == "Fyllnadsval 2024-03-01"
    assert successor.history.get().history_user == actor
    assert leaving.history.first().history_change_reason == "Fyllnadsval 2024-03-01"

    # The list before the fyllnadsval is exactly what it was; after it, the successor holds the seat.
    before = selectors.committee_seats(committee=committee, on=D(2024, 2, 29))
    assert [(s.person.full_name, s.personal_substitute_for_id) for s in before] == [
        ("Maja Silfver", None),
        ("Sofia Kolbäck", leaving.pk),
    ]
    after = selectors.committee_seats(committee=committee, on=fill_day)
    assert [(s.person.full_name, s.personal_substitute_for_id) for s in after] == [
        ("Tove Grufberg", None),
        ("Sofia Kolbäck", successor.pk),
    ]
    personal.refresh_from_db()
    assert personal.ends_on == D(2024, 2, 29)
    assert Membership.objects.count() == 4  # nothing deleted: two rows each for the seat and its ersättare


def test_replace_a_substitute_keeps_order_and_personal_link(committee, actor):
    member = add(committee, actor)
    substitute = add(
        committee, actor, role=Membership.Role.SUBSTITUTE, substitute_order=2, personal_substitute_for=member
    )
    successor = services.membership_replace(
        membership=substitute,
        actor=actor,
        starts_on=D(2024, 1, 1),
        person=PersonFactory(organisation=committee.organisation),
    )
    assert (successor.substitute_order, successor.personal_substitute_for) == (2, member)


def test_replace_refusals(committee, actor):
    seat = add(committee, actor, ends_on=D(2023, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_replace(
            membership=seat, actor=actor, starts_on=D(2024, 2, 1), first_name="A", last_name="B"
        )
    assert messages_of(excinfo, "starts_on") == [
        "Uppdraget upphörde redan 2023-12-31. Lägg till ett nytt uppdrag i stället."
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.membership_replace(membership=seat, actor=actor, starts_on=START, first_name="A", last_name="B")
    assert messages_of(excinfo, "starts_on") == [services.REPLACE_TOO_EARLY.format(day="2023-01-01")]
    with pytest.raises(ValidationError) as excinfo:
        services.membership_replace(membership=seat, actor=actor, starts_on=D(2023, 6, 1), person=seat.person)
    assert messages_of(excinfo, "person") == [services.REPLACE_SAME_PERSON]
    seat.refresh_from_db()
    assert seat.ends_on == D(2023, 12, 31)
    assert Membership.objects.count() == 1


def test_replace_refused_by_successor_rules_rolls_back(committee, actor):
    seat = add(committee, actor)
    busy = add(committee, actor, role=Membership.Role.SUBSTITUTE)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_replace(membership=seat, actor=actor, starts_on=D(2024, 1, 1), person=busy.person)
    assert "har redan ett uppdrag i Socialnämnden" in messages_of(excinfo, "person")[0]
    seat.refresh_from_db()
    assert seat.ends_on is None


# Ersättarordning --------------------------------------------------------------------------------------------


def test_substitute_order_change_keeps_earlier_order(committee, actor):
    first = add(committee, actor, first_name="Anna", last_name="Frost", role=Membership.Role.SUBSTITUTE)
    second = add(committee, actor, first_name="Erik", last_name="Malmberg", role=Membership.Role.SUBSTITUTE)
    day = D(2024, 5, 1)
    services.substitute_order_change(committee=committee, actor=actor, on=day, orders={first.pk: 2, second.pk: 1})

    assert names_on(committee, D(2024, 4, 30)) == [
        ("Anna Frost", Membership.Role.SUBSTITUTE, 1),
        ("Erik Malmberg", Membership.Role.SUBSTITUTE, 2),
    ]
    assert names_on(committee, day) == [
        ("Erik Malmberg", Membership.Role.SUBSTITUTE, 1),
        ("Anna Frost", Membership.Role.SUBSTITUTE, 2),
    ]


def test_substitute_order_refusals(committee, actor):
    first = add(committee, actor, role=Membership.Role.SUBSTITUTE)
    second = add(committee, actor, role=Membership.Role.SUBSTITUTE)
    day = D(2024, 5, 1)
    with pytest.raises(ValidationError) as excinfo:
        services.substitute_order_change(committee=committee, actor=actor, on=day, orders={first.pk: 1, second.pk: 1})
    assert excinfo.value.messages == [services.ORDER_UNIQUE]
    with pytest.raises(ValidationError) as excinfo:
        services.substitute_order_change(committee=committee, actor=actor, on=day, orders={first.pk: 1})
    assert excinfo.value.messages == [services.ORDER_STALE]
    assert Membership.objects.count() == 2


# Views ------------------------------------------------------------------------------------------------------


def test_add_through_the_form_and_failed_form_keeps_input(client_for, organisation, committee):
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("meetings:membership_create", args=[committee.pk])
    assert client.get(url).status_code == 200

    bad = {
        "first_name": "Hanna",
        "last_name": "Stollberg",
        "role": "member",
        "party": "S",
        "starts_on": "2024-05-01",
        "ends_on": "2024-04-01",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Slutdatumet kan inte vara före startdatumet." in content
    assert 'value="Hanna"' in content and 'value="Stollberg"' in content and 'value="2024-05-01"' in content
    assert not Membership.objects.exists() and not Person.objects.filter(last_name="Stollberg").exists()

    response = client.post(url, {**bad, "ends_on": ""})
    assert response.status_code == 302
    seat = Membership.objects.get()
    assert (seat.person.full_name, seat.party, seat.starts_on) == ("Hanna Stollberg", "S", D(2024, 5, 1))


def test_form_refuses_person_and_new_name_together(client_for, organisation, committee):
    client = client_for(organisation, Role.SECRETARY)
    person = PersonFactory(organisation=organisation)
    response = client.post(
        reverse("meetings:membership_create", args=[committee.pk]),
        {"person": person.pk, "first_name": "X", "last_name": "Y", "role": "member", "starts_on": "2024-01-01"},
    )
    assert "Välj antingen en befintlig person eller skriv in en ny, inte båda." in response.content.decode()
    assert not Membership.objects.exists()


def test_person_list_offers_only_own_people(client_for, organisation, committee):
    client = client_for(organisation, Role.ADMIN)
    mine = PersonFactory(organisation=organisation)
    theirs = PersonFactory()
    response = client.post(
        reverse("meetings:membership_create", args=[committee.pk]),
        {"person": theirs.pk, "role": "member", "starts_on": "2024-01-01"},
    )
    assert "Välj en person i listan." in response.content.decode()
    assert mine.full_name in response.content.decode()
    assert not Membership.objects.exists()


def test_end_and_replace_through_views(client_for, organisation, committee, actor):
    client = client_for(organisation, Role.SECRETARY)
    seat = add(committee, actor)
    response = client.post(reverse("meetings:membership_end", args=[seat.pk]), {"ends_on": "2022-01-01"})
    assert response.status_code == 200
    assert services.ENDS_BEFORE_STARTS in response.content.decode()
    seat.refresh_from_db()
    assert seat.ends_on is None

    response = client.post(
        reverse("meetings:membership_replace", args=[seat.pk]),
        {"first_name": "Karin", "last_name": "Gruvström", "starts_on": "2024-02-01"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(person__last_name="Gruvström").note == "Fyllnadsval 2024-02-01"

    other = add(committee, actor, role=Membership.Role.SUBSTITUTE)
    response = client.post(reverse("meetings:membership_end", args=[other.pk]), {"ends_on": "2024-06-30"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.ends_on == D(2024, 6, 30)


def test_substitute_order_view(client_for, organisation, committee, actor):
    client = client_for(organisation, Role.SECRETARY)
    first = add(committee, actor, role=Membership.Role.SUBSTITUTE)
    second = add(committee, actor, role=Membership.Role.SUBSTITUTE)
    url = reverse("meetings:substitute_order", args=[committee.pk])
    assert client.get(url, {"datum": "2024-05-01"}).status_code == 200
    response = client.post(url, {"datum": "2024-05-01", f"ordning_{first.pk}": "1", f"ordning_{second.pk}": "1"})
    assert "Varje ersättare måste ha ett eget nummer" in response.content.decode()
    assert Membership.objects.count() == 2
    response = client.post(url, {"datum": "2024-05-01", f"ordning_{first.pk}": "2", f"ordning_{second.pk}": "1"})
    assert response.status_code == 302
    assert [s.pk for s in selectors.committee_substitutes(committee=committee, on=D(2024, 4, 30))] == [
        first.pk,
        second.pk,
    ]
    assert [s.person_id for s in selectors.committee_substitutes(committee=committee, on=D(2024, 5, 1))] == [
        second.person_id,
        first.person_id,
    ]


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER, Role.ECONOMIST, Role.DIRECTOR])
def test_only_admin_and_secretary_change_memberships(role, client_for, organisation, committee, actor):
    seat = add(committee, actor)
    client = client_for(organisation, role)
    urls = [
        reverse("meetings:membership_create", args=[committee.pk]),
        reverse("meetings:membership_end", args=[seat.pk]),
        reverse("meetings:membership_replace", args=[seat.pk]),
        reverse("meetings:substitute_order", args=[committee.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert (
            client.post(
                url,
                {
                    "ends_on": "2024-01-01",
                    "role": "member",
                    "first_name": "A",
                    "last_name": "B",
                    "starts_on": "2024-01-01",
                },
            ).status_code
            == 403
        ), url
    assert Membership.objects.count() == 1
    seat.refresh_from_db()
    assert seat.ends_on is None
