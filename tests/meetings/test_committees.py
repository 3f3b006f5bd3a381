"""Committees (organ): list, create/edit, detail on a chosen date, and the standard agenda (dagordningsmall)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings import selectors, services
from meetings.models import AgendaItemKind, AgendaTemplateItem, Committee, Membership
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def actor(organisation):
    return user_with_role(organisation, Role.SECRETARY)


@pytest.fixture
def secretary(client_for, organisation):
    return client_for(organisation, Role.SECRETARY)


def committee_data(**overrides):
    data = {"name": "Vård- och omsorgsnämnden", "short_name": "VON", "kind": Committee.Kind.COMMITTEE}
    return {**data, **overrides}


# Services ---------------------------------------------------------------------------------------------------


def test_create_and_update_record_the_actor(organisation, actor):
    committee = services.committee_create(organisation=organisation, actor=actor, **committee_data())
    assert committee.history.get().history_user == actor
    services.committee_update(committee=committee, actor=actor, **committee_data(is_active=False))
    committee.refresh_from_db()
    assert committee.is_active is False
    assert committee.history.first().history_user == actor


def test_short_name_unique_per_organisation_ignoring_case(organisation, other_organisation, actor):
    CommitteeFactory(organisation=organisation, short_name="KS", name="Kommunstyrelsen")
    with pytest.raises(ValidationError) as excinfo:
        services.committee_create(organisation=organisation, actor=actor, **committee_data(short_name="ks"))
    assert excinfo.value.message_dict["short_name"] == [
        "Förkortningen ks används redan av Kommunstyrelsen. Välj en annan förkortning."
    ]
    # Another organisation may use the same short name.
    services.committee_create(organisation=other_organisation, actor=actor, **committee_data(short_name="KS"))


def test_parent_must_be_own_and_not_a_cycle(organisation, actor):
    ks = CommitteeFactory(organisation=organisation)
    au = CommitteeFactory(organisation=organisation, parent=ks, kind=Committee.Kind.SUBCOMMITTEE)
    with pytest.raises(ValidationError) as excinfo:
        services.committee_create(organisation=organisation, actor=actor, **committee_data(parent=CommitteeFactory()))
    assert excinfo.value.message_dict["parent"] == [services.PARENT_OTHER_ORGANISATION]
    data = {"name": ks.name, "short_name": ks.short_name, "kind": ks.kind}
    with pytest.raises(ValidationError) as excinfo:
        services.committee_update(committee=ks, actor=actor, parent=au, **data)
    assert excinfo.value.message_dict["parent"] == [services.PARENT_CYCLE]


# List -------------------------------------------------------------------------------------------------------


def test_list_counts_seats_and_indents_subcommittees(secretary, organisation):
    ks = CommitteeFactory(organisation=organisation, name="Kommunstyrelsen", kind=Committee.Kind.BOARD)
    au = CommitteeFactory(
        organisation=organisation, name="Arbetsutskottet", kind=Committee.Kind.SUBCOMMITTEE, parent=ks
    )
    kf = CommitteeFactory(organisation=organisation, name="Kommunfullmäktige", kind=Committee.Kind.COUNCIL)
    CommitteeFactory(name="Annans nämnd")
    MembershipFactory.create_batch(3, committee=ks)
    MembershipFactory(committee=ks, role=Membership.Role.SUBSTITUTE)
    MembershipFactory(committee=ks, ends_on=D(2020, 1, 1), starts_on=D(2019, 1, 1))  # no longer in force

    rows = selectors.committee_list(organisation=organisation, on=timezone.localdate())
    assert [(row.committee, row.depth) for row in rows] == [(kf, 0), (ks, 0), (au, 1)]
    assert (rows[1].committee.seat_count, rows[1].committee.substitute_count) == (3, 1)

    response = secretary.get(reverse("meetings:committee_list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Annans nämnd" not in content
    assert 'class="fw-normal ps-4"' in content
    assert "Nytt organ" in content


def test_menu_shows_organ_to_every_role(client_for, organisation):
    # Except the deltagaransvarig, who works with their own insatser only (tests/projects/test_participant_officer).
    for role in set(Role.values) - {Role.PARTICIPANT_OFFICER}:
        response = client_for(organisation, role).get(reverse("meetings:committee_list"))
        assert response.status_code == 200
        assert any(item["label"] == "Organ" for item in response.context["nav_items"])
        assert ("Nytt organ" in response.content.decode()) == (role in {Role.ADMIN, Role.SECRETARY})


def test_list_queries_do_not_grow_with_seats(secretary, organisation, django_assert_max_num_queries):
    def add_committees(n):
        for _ in range(n):
            committee = CommitteeFactory(organisation=organisation)
            MembershipFactory.create_batch(4, committee=committee)
            MembershipFactory(committee=committee, role=Membership.Role.SUBSTITUTE)

    add_committees(2)
    with django_assert_max_num_queries(20) as small:
        secretary.get(reverse("meetings:committee_list"))
    add_committees(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        secretary.get(reverse("meetings:committee_list"))


# Create and edit --------------------------------------------------------------------------------------------


def test_create_through_the_form(secretary, organisation):
    url = reverse("meetings:committee_create")
    assert secretary.get(url).status_code == 200
    response = secretary.post(url, {**committee_data(), "is_active": "on"})
    committee = Committee.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response.url == reverse("meetings:committee_detail", args=[committee.pk])
    assert (committee.short_name, committee.is_active, committee.meetings_public) == ("VON", True, False)


def test_create_with_bad_input_keeps_input_and_changes_nothing(secretary, organisation):
    CommitteeFactory(organisation=organisation, short_name="SN", name="Socialnämnden")
    response = secretary.post(
        reverse("meetings:committee_create"),
        {"name": "Nya socialnämnden", "short_name": "SN", "kind": Committee.Kind.COMMITTEE, "meetings_public": "on"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Förkortningen SN används redan av Socialnämnden. Välj en annan." in content
    assert 'value="Nya socialnämnden"' in content
    assert Committee.objects.count() == 1


def test_edit_with_bad_input_changes_nothing(secretary, organisation):
    committee = CommitteeFactory(organisation=organisation, name="Kommunstyrelsen", short_name="KS")
    url = reverse("meetings:committee_edit", args=[committee.pk])
    assert secretary.get(url).status_code == 200
    response = secretary.post(url, {"name": "Ändrat namn", "short_name": "", "kind": "nonsense"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ange en förkortning, t.ex. KS eller SN." in content
    assert "Välj en typ i listan." in content
    assert 'value="Ändrat namn"' in content
    assert "<title>Ändra Kommunstyrelsen" in content  # the page heading still names the saved committee
    committee.refresh_from_db()
    assert (committee.name, committee.short_name) == ("Kommunstyrelsen", "KS")


def test_edit_deactivates_instead_of_deleting(secretary, organisation):
    committee = CommitteeFactory(organisation=organisation, name="Beredningen", kind=Committee.Kind.PREPARATORY)
    response = secretary.post(
        reverse("meetings:committee_edit", args=[committee.pk]),
        {"name": "Beredningen", "short_name": committee.short_name, "kind": committee.kind},
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.is_active is False


def test_parent_choices_are_the_organisations_own(secretary, organisation):
    theirs = CommitteeFactory(name="Annans styrelse")
    response = secretary.post(reverse("meetings:committee_create"), committee_data(parent=theirs.pk))
    assert "Välj ett organ i listan." in response.content.decode()
    assert not Committee.objects.filter(organisation=organisation).exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER, Role.ECONOMIST])
def test_others_cannot_create_or_edit(role, client_for, organisation):
    committee = CommitteeFactory(organisation=organisation, name="Kommunstyrelsen")
    client = client_for(organisation, role)
    assert client.get(reverse("meetings:committee_create")).status_code == 403
    assert client.post(reverse("meetings:committee_create"), committee_data()).status_code == 403
    assert client.post(reverse("meetings:committee_edit", args=[committee.pk]), committee_data()).status_code == 403
    committee.refresh_from_db()
    assert committee.name == "Kommunstyrelsen"
    assert Committee.objects.count() == 1


# Detail -----------------------------------------------------------------------------------------------------


def make_board(organisation):
    committee = CommitteeFactory(organisation=organisation, name="Kommunstyrelsen", short_name="KS")
    start = D(2023, 1, 1)
    people = {
        name: PersonFactory(organisation=organisation, first_name=name, last_name="Test")
        for name in ["Ordf", "Vice", "Ledamot", "Ers1", "Ers2", "Avgången"]
    }
    MembershipFactory(
        committee=committee, person=people["Ers2"], role="substitute", substitute_order=2, starts_on=start
    )
    MembershipFactory(committee=committee, person=people["Ledamot"], role="member", starts_on=start)
    MembershipFactory(
        committee=committee, person=people["Ers1"], role="substitute", substitute_order=1, starts_on=start
    )
    MembershipFactory(committee=committee, person=people["Vice"], role="vice_chair", starts_on=start)
    MembershipFactory(committee=committee, person=people["Ordf"], role="chair", starts_on=start)
    MembershipFactory(
        committee=committee,
        person=people["Avgången"],
        role="member",
        starts_on=start,
        ends_on=D(2023, 6, 30),
        note="Avsade sig",
    )
    return committee


def test_detail_shows_seat_order_on_the_chosen_date(client_for, organisation):
    committee = make_board(organisation)
    client = client_for(organisation, Role.AUDITOR)
    url = reverse("meetings:committee_detail", args=[committee.pk])

    response = client.get(url, {"datum": "2023-06-30"})
    assert response.status_code == 200
    names = [seat.person.first_name for seat in response.context["members"] + response.context["substitutes"]]
    assert names == ["Ordf", "Vice", "Avgången", "Ledamot", "Ers1", "Ers2"]
    assert "Ledamöter den 2023-06-30" in response.content.decode()

    response = client.get(url, {"datum": "2023-07-01"})
    names = [seat.person.first_name for seat in response.context["members"]]
    assert names == ["Ordf", "Vice", "Ledamot"]
    assert [seat.person.first_name for seat in response.context["ended"]] == ["Avgången"]
    content = response.content.decode()
    assert "Tidigare uppdrag" in content and "Avsade sig" in content
    assert "Fyllnadsval" not in content  # revisor reads only


def test_detail_defaults_to_today_and_survives_a_bad_date(secretary, organisation):
    committee = make_board(organisation)
    url = reverse("meetings:committee_detail", args=[committee.pk])
    response = secretary.get(url)
    assert response.context["day"] == timezone.localdate()
    assert "Ledamöter i dag" in response.content.decode()
    response = secretary.get(url, {"datum": "30/6"})
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    assert "Skriv datumet som ÅÅÅÅ-MM-DD." in response.content.decode()


def test_detail_queries_do_not_grow_with_seats(secretary, organisation, django_assert_max_num_queries):
    committee = CommitteeFactory(organisation=organisation)
    CommitteeFactory(organisation=organisation, parent=committee)
    url = reverse("meetings:committee_detail", args=[committee.pk])

    def add_seats(n):
        for _ in range(n):
            member = MembershipFactory(committee=committee, represents=None)
            MembershipFactory(
                committee=committee, role="substitute", personal_substitute_for=member, starts_on=member.starts_on
            )
            MembershipFactory(committee=committee, starts_on=D(2020, 1, 1), ends_on=D(2020, 12, 31))

    add_seats(2)
    with django_assert_max_num_queries(25) as small:
        secretary.get(url)
    add_seats(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        secretary.get(url)


# Standard agenda --------------------------------------------------------------------------------------------


def test_seed_defaults_is_idempotent(organisation, actor):
    committee = CommitteeFactory(organisation=organisation)
    created = services.agenda_template_seed_defaults(committee=committee, actor=actor)
    items = list(selectors.agenda_template(committee=committee))
    assert [item.title for item in items] == [
        "Mötets öppnande",
        "Upprop och närvaro",
        "Val av justerare",
        "Godkännande av dagordning",
        "Föregående protokoll",
        "Anmälan om extra ärenden",
        "Delegationsbeslut",
        "Meddelanden",
        "Information",
        "Övriga frågor",
    ]
    assert len(created) == 10
    assert [item.position for item in items] == list(range(1, 11))
    by_title = {item.title: item for item in items}
    assert by_title["Val av justerare"].proposed_clauses == ["att utse … att jämte ordföranden justera protokollet"]
    assert by_title["Godkännande av dagordning"].proposed_clauses == ["att godkänna dagordningen"]
    assert by_title["Delegationsbeslut"].kind == AgendaItemKind.DELEGATED_DECISIONS
    assert by_title["Meddelanden"].kind == AgendaItemKind.COMMUNICATIONS
    assert by_title["Övriga frågor"].kind == AgendaItemKind.OTHER
    assert by_title["Mötets öppnande"].history.get().history_user == actor

    assert services.agenda_template_seed_defaults(committee=committee, actor=actor) == []
    assert AgendaTemplateItem.objects.filter(committee=committee).count() == 10


def test_add_edit_move_and_deactivate(organisation, actor):
    committee = CommitteeFactory(organisation=organisation)
    first = services.agenda_template_item_add(committee=committee, actor=actor, title="Mötets öppnande")
    second = services.agenda_template_item_add(
        committee=committee,
        actor=actor,
        title=" Budget ",
        kind=AgendaItemKind.INFORMATION,
        proposed_clauses=["att godkänna budgeten", "  "],
    )
    assert (second.position, second.title, second.proposed_clauses) == (2, "Budget", ["att godkänna budgeten"])

    assert services.agenda_template_item_move(item=second, actor=actor, direction="up") is True
    assert [i.title for i in selectors.agenda_template(committee=committee)] == ["Budget", "Mötets öppnande"]
    first.refresh_from_db()
    assert services.agenda_template_item_move(item=first, actor=actor, direction="down") is False

    services.agenda_template_item_update(item=first, actor=actor, title="Öppnande", kind=AgendaItemKind.STANDARD)
    services.agenda_template_item_set_active(item=first, actor=actor, is_active=False)
    first.refresh_from_db()
    assert (first.title, first.is_active) == ("Öppnande", False)

    with pytest.raises(ValidationError) as excinfo:
        services.agenda_template_item_update(item=first, actor=actor, title=" ", kind="nonsense")
    assert excinfo.value.message_dict == {"title": [services.TITLE_REQUIRED], "kind": [services.UNKNOWN_KIND]}


def test_agenda_template_pages(secretary, organisation):
    committee = CommitteeFactory(organisation=organisation)
    list_url = reverse("meetings:agenda_template_list", args=[committee.pk])
    assert "Lägg in standardpunkter" in secretary.get(list_url).content.decode()
    secretary.post(reverse("meetings:agenda_template_seed", args=[committee.pk]))
    secretary.post(reverse("meetings:agenda_template_seed", args=[committee.pk]))
    assert AgendaTemplateItem.objects.filter(committee=committee).count() == 10

    third = AgendaTemplateItem.objects.get(committee=committee, title="Val av justerare")
    response = secretary.post(reverse("meetings:agenda_template_item_move", args=[third.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert response.url.endswith(f"#punkt-{third.pk}")
    third.refresh_from_db()
    assert third.position == 2

    edit_url = reverse("meetings:agenda_template_item_edit", args=[third.pk])
    assert "att utse … att jämte ordföranden justera protokollet</textarea>" in secretary.get(edit_url).content.decode()
    response = secretary.post(edit_url, {"title": "", "kind": "standard", "proposed_clauses": "att utse Kim"})
    assert "Ange en rubrik." in response.content.decode()
    assert "att utse Kim</textarea>" in response.content.decode()
    third.refresh_from_db()
    assert third.title == "Val av justerare"
    secretary.post(
        edit_url,
        {"title": "Val av två justerare", "kind": "standard", "proposed_clauses": "att utse A\r\n\r\natt utse B\r\n"},
    )
    third.refresh_from_db()
    assert (third.title, third.proposed_clauses) == ("Val av två justerare", ["att utse A", "att utse B"])

    toggle = reverse("meetings:agenda_template_item_toggle", args=[third.pk])
    secretary.post(toggle, {"is_active": "0"})
    secretary.post(toggle, {"is_active": "0"})  # a double click does not turn it back on
    third.refresh_from_db()
    assert third.is_active is False

    response = secretary.post(
        reverse("meetings:agenda_template_item_create", args=[committee.pk]),
        {"title": "Budgetuppföljning", "kind": "information", "description": "Månadsvis"},
    )
    assert response.status_code == 302
    assert AgendaTemplateItem.objects.get(title="Budgetuppföljning").position == 11

    content = secretary.get(list_url).content.decode()
    assert "Används inte" in content and "Budgetuppföljning" in content


def test_agenda_move_is_post_only_and_read_only_roles_are_refused(client_for, organisation):
    committee = CommitteeFactory(organisation=organisation)
    item = AgendaTemplateItem.objects.create(committee=committee, position=1, title="Mötets öppnande")
    url = reverse("meetings:agenda_template_item_move", args=[item.pk])
    assert client_for(organisation, Role.SECRETARY).get(url).status_code == 405
    auditor = client_for(organisation, Role.AUDITOR)
    assert auditor.get(reverse("meetings:agenda_template_list", args=[committee.pk])).status_code == 200
    assert auditor.post(url, {"direction": "down"}).status_code == 403
    assert auditor.post(reverse("meetings:agenda_template_seed", args=[committee.pk])).status_code == 403
    assert AgendaTemplateItem.objects.count() == 1
