"""Logins from the membership register: invitations, accepting them, and the person every staff user has."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core import person_services, user_services
from core.models import Person, Role, RoleAssignment, User
from meetings import case_selectors
from meetings.models import Attendance, Membership
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "ett-bra-lösenord-42"


@pytest.fixture
def seat(organisation):
    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")
    person = PersonFactory(organisation=organisation, first_name="Ingrid", last_name="Kopparholm", email="")
    return MembershipFactory(
        committee=committee, person=person, role=Membership.Role.CHAIR, starts_on=dt.date(2023, 1, 1)
    )


def link_from(message) -> str:
    return re.search(r"https?://\S+/konto/inbjudan/\S+/", message.body).group(0)


def invite(seat, actor, django_capture_on_commit_callbacks, email="ingrid.kopparholm@example.se"):
    with django_capture_on_commit_callbacks(execute=True):
        person_services.person_invite(person=seat.person, actor=actor, email=email)
    return link_from(mail.outbox[-1])


# -- Services -------------------------------------------------------------------------------------------------


def test_invitation_needs_an_address_and_refuses_one_that_cannot_be_delivered(seat, organisation):
    actor = user_with_role(organisation, Role.SECRETARY)
    with pytest.raises(ValidationError) as missing:
        person_services.person_invite(person=seat.person, actor=actor)
    assert "saknar e-postadress" in str(missing.value)
    with pytest.raises(ValidationError) as undeliverable:
        person_services.person_invite(person=seat.person, actor=actor, email="göran@example.se")
    assert "utan å, ä, ö" in str(undeliverable.value)
    assert mail.outbox == []


def test_accepting_creates_the_account_links_the_person_and_gives_the_ledamot_role(
    seat, organisation, django_capture_on_commit_callbacks
):
    actor = user_with_role(organisation, Role.SECRETARY)
    link = invite(seat, actor, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["ingrid.kopparholm@example.se"]
    token = link.rstrip("/").rsplit("/", 1)[1]

    user = person_services.invitation_accept_new(token=token, username="ingrid", password=PASSWORD)

    seat.person.refresh_from_db()
    assert seat.person.user == user and user.check_password(PASSWORD)
    assert user.email == "ingrid.kopparholm@example.se" and user.get_full_name() == "Ingrid Kopparholm"
    assert set(RoleAssignment.objects.filter(user=user).values_list("organisation", "role")) == {
        (organisation.pk, Role.MEMBER)
    }
    # Audited: who invited, and the acceptance, as history rows of the person.
    reasons = list(seat.person.history.values_list("history_change_reason", "history_user"))
    assert ("Inbjudan till inloggning skickad till ingrid.kopparholm@example.se", actor.pk) in reasons
    assert ("Inbjudan accepterad", user.pk) in reasons
    # The link works once.
    with pytest.raises(ValidationError, match="fungerar inte längre"):
        person_services.invitation_accept_new(token=token, username="ingrid2", password=PASSWORD)


def test_a_weak_password_or_a_taken_username_is_refused_and_nothing_is_linked(
    seat, organisation, django_capture_on_commit_callbacks
):
    actor = user_with_role(organisation, Role.SECRETARY, username="sara")
    token = invite(seat, actor, django_capture_on_commit_callbacks).rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(ValidationError) as weak:
        person_services.invitation_accept_new(token=token, username="ingrid", password="kort")
    assert "password1" in weak.value.error_dict
    with pytest.raises(ValidationError) as taken:
        person_services.invitation_accept_new(token=token, username="SARA", password=PASSWORD)
    assert "username" in taken.value.error_dict
    seat.person.refresh_from_db()
    assert seat.person.user is None and not User.objects.filter(username="ingrid").exists()


def test_a_changed_address_or_an_expired_link_stops_working(
    seat, organisation, django_capture_on_commit_callbacks, monkeypatch
):
    actor = user_with_role(organisation, Role.SECRETARY)
    token = invite(seat, actor, django_capture_on_commit_callbacks).rstrip("/").rsplit("/", 1)[1]
    assert person_services.invitation_from_token(token).person == seat.person
    monkeypatch.setattr(person_services, "INVITATION_MAX_AGE", dt.timedelta(seconds=-1))
    with pytest.raises(ValidationError):
        person_services.invitation_from_token(token)
    monkeypatch.undo()
    person_services.person_email_set(person=seat.person, actor=actor, email="ingrid@annan.example.se")
    with pytest.raises(ValidationError):
        person_services.invitation_from_token(token)
    with pytest.raises(ValidationError):
        person_services.invitation_from_token(token[:-2] + "xx")


def test_a_logged_in_account_is_linked_instead(
    seat, organisation, other_organisation, django_capture_on_commit_callbacks
):
    actor = user_with_role(organisation, Role.SECRETARY)
    existing = user_with_role(other_organisation, Role.MEMBER)
    token = invite(seat, actor, django_capture_on_commit_callbacks).rstrip("/").rsplit("/", 1)[1]
    person_services.invitation_accept_existing(token=token, user=existing)
    seat.person.refresh_from_db()
    assert seat.person.user == existing
    assert RoleAssignment.objects.filter(user=existing, organisation=organisation, role=Role.MEMBER).exists()


def test_a_staff_role_gives_the_user_a_person_or_links_the_one_with_their_address(organisation):
    admin = user_with_role(organisation, Role.ADMIN)
    sara = User.objects.create(username="sara", first_name="Sara", last_name="Sekreterare", email="sara@ex.se")
    user_services.role_assign(organisation=organisation, actor=admin, user=sara, role=Role.SECRETARY)
    person = Person.objects.get(organisation=organisation, user=sara)
    assert (person.full_name, person.title) == ("Sara Sekreterare", "Nämndsekreterare")

    fredrik = User.objects.create(username="fredrik", first_name="F", last_name="C", email="fc@ex.se")
    existing = PersonFactory(organisation=organisation, first_name="Fredrik", last_name="Chef", email="FC@ex.se")
    user_services.role_assign(organisation=organisation, actor=admin, user=fredrik, role=Role.DIRECTOR)
    existing.refresh_from_db()
    assert existing.user == fredrik
    # A ledamot role gives no person (the seat's person is linked by the invitation).
    lena = User.objects.create(username="lena")
    user_services.role_assign(organisation=organisation, actor=admin, user=lena, role=Role.MEMBER)
    assert not Person.objects.filter(user=lena).exists()


def test_handlaggare_are_staff_only(seat, organisation):
    from tests.meetings.factories import MeetingFactory, MinutesFactory

    admin = user_with_role(organisation, Role.ADMIN)
    sara = User.objects.create(username="sara", first_name="Sara", last_name="Sekreterare")
    user_services.role_assign(organisation=organisation, actor=admin, user=sara, role=Role.SECRETARY)
    clerk = PersonFactory(organisation=organisation, first_name="Sanna", last_name="Andrén", title="Ekonom")
    guest = PersonFactory(organisation=organisation, first_name="Tova", last_name="Gäst")
    minutes = MinutesFactory(meeting=MeetingFactory(committee=seat.committee))
    Attendance.objects.create(minutes=minutes, person=guest, capacity=Attendance.Capacity.OTHER, position=1)
    ledamot_user = user_with_role(organisation, Role.MEMBER)
    PersonFactory(organisation=organisation, first_name="Lena", last_name="Ledamot", user=ledamot_user)

    names = {p.full_name for p in case_selectors.staff_people(organisation=organisation)}
    assert names == {"Sara Sekreterare", "Sanna Andrén"}
    assert seat.person.full_name not in names and clerk.full_name in names
    # The ärende's current handläggare stays selectable.
    kept = case_selectors.staff_people(organisation=organisation, include_pk=seat.person.pk)
    assert seat.person in kept


# -- Views ----------------------------------------------------------------------------------------------------


def test_secretary_invites_from_the_members_page_and_the_invitee_accepts(seat, client_for, organisation):
    secretary = client_for(organisation, Role.SECRETARY)
    page = secretary.get(reverse("meetings:committee_detail", kwargs={"pk": seat.committee.pk})).content.decode()
    invite_url = reverse("meetings:membership_invite", kwargs={"pk": seat.pk})
    assert invite_url in page and "Ingen, och e-post saknas" in page

    refused = secretary.post(invite_url, {"email": "ingrid@"})
    assert refused.status_code == 400 and mail.outbox == []
    with_capture = secretary.post(invite_url, {"email": "ingrid.kopparholm@example.se"})
    assert with_capture.status_code == 302
    seat.person.refresh_from_db()
    assert seat.person.email == "ingrid.kopparholm@example.se"


def test_accept_page_creates_the_account_and_the_new_user_logs_in(
    seat, organisation, django_capture_on_commit_callbacks
):
    actor = user_with_role(organisation, Role.SECRETARY)
    link = invite(seat, actor, django_capture_on_commit_callbacks)
    path = urlsplit(link).path
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and "Välkommen, Ingrid Kopparholm" in page.content.decode()
    mismatch = visitor.post(path, {"username": "ingrid", "password1": PASSWORD, "password2": "annat"})
    assert mismatch.status_code == 400
    done = visitor.post(path, {"username": "ingrid", "password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    response = Client().post(reverse("login"), {"username": "ingrid", "password": PASSWORD})
    assert response.status_code == 302
    # The link is spent.
    assert Client().get(path).status_code == 400


def test_only_secretary_or_admin_may_invite(seat, client_for, organisation):
    url = reverse("meetings:membership_invite", kwargs={"pk": seat.pk})
    for role in (Role.MEMBER, Role.ECONOMIST, Role.AUDITOR):
        assert client_for(organisation, role).get(url).status_code == 403
    assert client_for(organisation, Role.ADMIN).get(url).status_code == 200
