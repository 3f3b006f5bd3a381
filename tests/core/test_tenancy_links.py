"""Links that open: an object of another of the user's organisations switches to it with a notice; one of an
organisation where the user has no role is still a 404. A login lands in the organisation used last."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from core.models import Role
from core.tenancy import SESSION_KEY
from tests.factories import CommitteeFactory, OrganisationFactory, RoleAssignmentFactory, user_with_role
from tests.meetings.factories import MeetingFactory, MinutesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations(organisation, other_organisation):
    """A secretary in both; the session's current organisation is the first."""
    user = user_with_role(organisation, Role.SECRETARY, password="lösenord-för-test-1")
    RoleAssignmentFactory(user=user, organisation=other_organisation, role=Role.MEMBER)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = organisation.pk
    session.save()
    return client, user


def test_a_link_into_another_of_the_users_organisations_switches_with_a_notice(two_organisations, other_organisation):
    client, _ = two_organisations
    minutes = MinutesFactory(meeting=MeetingFactory(committee=CommitteeFactory(organisation=other_organisation)))
    url = reverse("minutes:minutes_detail", kwargs={"pk": minutes.pk})

    response = client.get(url)

    assert response.status_code == 302 and response["Location"] == url
    assert client.session[SESSION_KEY] == other_organisation.pk
    page = client.get(url)
    assert page.status_code == 200
    assert f"Du har bytt till organisation {other_organisation.name}." in page.content.decode()


def test_the_switch_keeps_the_query_string_and_uses_the_roles_held_there(two_organisations, other_organisation):
    client, _ = two_organisations
    committee = CommitteeFactory(organisation=other_organisation)
    url = reverse("meetings:committee_detail", kwargs={"pk": committee.pk}) + "?datum=2024-01-01"
    assert client.get(url)["Location"] == url
    # Now working there with the roles held there: a ledamot may not edit (403, not the secretary's rights).
    edit = reverse("meetings:committee_edit", kwargs={"pk": CommitteeFactory(organisation=other_organisation).pk})
    assert client.get(edit).status_code == 403


def test_an_organisation_without_a_role_stays_a_404(two_organisations, organisation):
    client, _ = two_organisations
    stranger = OrganisationFactory(name="Främmande kommun")
    minutes = MinutesFactory(meeting=MeetingFactory(committee=CommitteeFactory(organisation=stranger)))
    response = client.get(reverse("minutes:minutes_detail", kwargs={"pk": minutes.pk}))
    assert response.status_code == 404
    assert client.session[SESSION_KEY] == organisation.pk
    assert not list(get_messages(response.wsgi_request))


def test_a_post_or_an_htmx_request_is_never_re_run_elsewhere(two_organisations, organisation, other_organisation):
    client, _ = two_organisations
    committee = CommitteeFactory(organisation=other_organisation)
    url = reverse("meetings:committee_detail", kwargs={"pk": committee.pk})
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(reverse("minutes:send_for_verification", kwargs={"pk": 10**6})).status_code == 404
    assert client.session[SESSION_KEY] == organisation.pk


def test_a_login_lands_in_the_organisation_used_last(organisation, other_organisation):
    user = user_with_role(organisation, Role.SECRETARY, password="lösenord-för-test-1")
    RoleAssignmentFactory(user=user, organisation=other_organisation, role=Role.SECRETARY)
    first = Client()
    first.post(reverse("login"), {"username": user.username, "password": "lösenord-för-test-1"})
    switched = first.post(reverse("core:switch_organisation"), {"organisation": other_organisation.pk})
    assert switched.status_code == 302
    user.refresh_from_db()
    assert user.last_organisation == other_organisation

    later = Client()
    later.post(reverse("login"), {"username": user.username, "password": "lösenord-för-test-1"})
    later.get(reverse("core:dashboard"))
    assert later.session[SESSION_KEY] == other_organisation.pk
