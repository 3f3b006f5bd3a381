"""What every logged-in request reads, read cheaply and still at once: session, user, roles, menu, fragments.

The session, the user, the roles and the page rows are read with queries compiled once per process
(core.compiled_query.instances); the menu entries are remembered per set of roles, and cached fragments are kept
in the process's memory. None of it may keep a change of rights, of the account or of the session from
showing on the very next request.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoDatabaseStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import compiled_query, user_services
from core.cache_backends import RedisCache
from core.http_cache import ProcessMemory, forget_recent, fragment_memory
from core.models import Role, RoleAssignment
from core.session_store import SessionStore
from meetings import agenda_selectors, minutes_selectors
from meetings.models import Meeting, Minutes
from tests.factories import UserFactory, user_with_role
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _meetings_with_committee(pk: int):
    return Meeting.objects.filter(pk=pk).select_related("committee__organisation", "minutes__archived_job")


def test_compiled_instances_equal_the_orm_and_follow_the_values(organisation):
    first, second = MeetingFactory(committee__organisation=organisation), MeetingFactory()
    for meeting in (first, second):
        found = compiled_query.instances(_meetings_with_committee, pk=meeting.pk)
        expected = _meetings_with_committee(meeting.pk).get()
        assert len(found) == 1 and found[0] == expected
        # Every field converted as the ORM converts it, related rows populated, a missing protokoll is None.
        assert found[0].date == expected.date and isinstance(found[0].date, dt.date)
        assert found[0].start_time == expected.start_time
        assert found[0].committee.organisation == expected.committee.organisation
        assert getattr(found[0], "minutes", None) is None
    assert compiled_query.instances(_meetings_with_committee, pk=-1) == []


def test_page_rows_are_scoped_to_the_organisation(organisation, other_organisation):
    meeting = MeetingFactory(committee__organisation=organisation)
    minutes = Minutes.objects.create(meeting=meeting)
    assert agenda_selectors.meeting_for_page(organisation=organisation, pk=meeting.pk) == meeting
    assert minutes_selectors.minutes_row(organisation=organisation, pk=minutes.pk) == minutes
    with pytest.raises(Meeting.DoesNotExist):
        agenda_selectors.meeting_for_page(organisation=other_organisation, pk=meeting.pk)
    with pytest.raises(Minutes.DoesNotExist):
        minutes_selectors.minutes_row(organisation=other_organisation, pk=minutes.pk)
    with pytest.raises(Meeting.DoesNotExist):
        agenda_selectors.meeting_for_page(organisation=None, pk=meeting.pk)


def test_a_revoked_role_takes_effect_on_the_next_request(organisation, client_for):
    admin = user_with_role(organisation, Role.ADMIN)
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("agenda:meeting_create")
    dashboard = reverse("core:dashboard")
    assert client.get(url).status_code == 200
    user_services.role_assign(organisation=organisation, actor=admin, user=client.user, role=Role.ADMIN)
    assert "Användare" in [item["label"] for item in client.get(dashboard).context["nav_items"]]
    user_services.role_revoke(organisation=organisation, actor=admin, user=client.user, role=Role.ADMIN)
    user_services.role_assign(organisation=organisation, actor=admin, user=client.user, role=Role.ECONOMIST)
    user_services.role_revoke(organisation=organisation, actor=admin, user=client.user, role=Role.SECRETARY)
    assert client.get(url).status_code == 403
    page = client.get(dashboard)
    assert "Användare" not in [item["label"] for item in page.context["nav_items"]]
    assert page.context["current_role_labels"] == ["Ekonom"]
    # And back: the menu is remembered per set of roles, never per user.
    user_services.role_assign(organisation=organisation, actor=admin, user=client.user, role=Role.SECRETARY)
    assert client.get(url).status_code == 200


def test_a_user_losing_every_role_of_the_organisation_loses_it_at_once(organisation, client_for):
    client = client_for(organisation, Role.SECRETARY)
    meeting = MeetingFactory(committee__organisation=organisation)
    url = reverse("agenda:meeting_detail", args=[meeting.pk])
    assert client.get(url).status_code == 200
    RoleAssignment.objects.filter(user=client.user).delete()
    assert client.get(url).status_code in (403, 404)


def test_a_deactivated_account_is_logged_out_on_the_next_request(organisation, client_for):
    admin = user_with_role(organisation, Role.ADMIN)
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("core:dashboard")
    assert client.get(url).status_code == 200
    user_services.user_deactivate(organisation=organisation, actor=admin, user=client.user)
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_changed_password_ends_the_other_sessions(organisation, client_for):
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("core:dashboard")
    assert client.get(url).status_code == 200
    client.user.set_password("ett helt annat lösenord")
    client.user.save()
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_sessions_are_djangos_rows_read_both_ways(organisation):
    user = UserFactory()
    written_by_django = DjangoDatabaseStore()
    written_by_django[SESSION_KEY] = str(user.pk)
    written_by_django.save()
    assert SessionStore(written_by_django.session_key)[SESSION_KEY] == str(user.pk)
    ours = SessionStore()
    ours["x"] = 1
    ours.save()
    assert DjangoDatabaseStore(ours.session_key)["x"] == 1


def test_an_expired_or_deleted_session_is_no_session(organisation, client_for):
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("core:dashboard")
    assert client.get(url).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url).status_code == 302
    other = client_for(organisation, Role.SECRETARY)
    assert other.get(url).status_code == 200
    Session.objects.all().delete()
    assert other.get(url).status_code == 302
    assert SessionStore("nonexistent-session-key-0123456789").load() == {}


def test_logging_out_ends_the_session_for_every_process(organisation, client_for):
    client = client_for(organisation, Role.SECRETARY)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    thief = Client()
    thief.cookies["sessionid"] = cookie
    assert thief.get(reverse("core:dashboard")).status_code == 302


def test_process_memory_is_bounded_and_forgets():
    memory = ProcessMemory(entries=2, max_bytes=80, seconds=60)
    memory.set("a", "x" * 10)
    memory.set("b", "y" * 10)
    assert memory.get("a") == "x" * 10  # now the most recent
    memory.set("c", "z" * 10)
    assert memory.get("b") is None and memory.get("a") and memory.get("c")
    memory.set("huge", "h" * 50)  # more than an eighth of the bound: never kept
    assert memory.get("huge") is None
    expiring = ProcessMemory(entries=2, max_bytes=80, seconds=0)
    expiring.set("a", "x")
    assert expiring.get("a") is None
    fragment_memory.set("k", "v")
    forget_recent()
    assert fragment_memory.get("k") is None


def test_the_redis_cache_keeps_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:1/0", {})  # no connection is made until a command is sent
    assert cache._cache.get_client() is cache._cache.get_client()
    assert cache._cache.get_client(write=True) is cache._cache.get_client()


def _header(response) -> bool:
    return dict(response.wsgi_request.fragment_cache)["page-header"]


def _header_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<header>") : html.index("</header>")]


def test_the_page_header_is_cached_per_user_organisation_roles_and_menu_entry(organisation, other_organisation):
    from tests.factories import RoleAssignmentFactory

    admin = user_with_role(organisation, Role.ADMIN, first_name="Anna", last_name="Admin")
    RoleAssignmentFactory(user=admin, organisation=other_organisation, role=Role.SECRETARY)
    client = Client()
    client.force_login(admin)
    client.post(reverse("core:switch_organisation"), {"organisation": organisation.pk})
    dashboard, meetings = reverse("core:dashboard"), reverse("agenda:meeting_list")
    first = client.get(dashboard)
    assert _header(first) is False and _header(client.get(dashboard)) is True
    header = _header_html(first)
    assert "Anna Admin" in header and other_organisation.name in header and "Administratör" in header
    # Another menu entry is another block; the switcher's "next" (outside the block) is this page's own.
    other_page = client.get(meetings)
    assert _header(other_page) is False
    assert 'aria-current="page">Sammanträden<' in _header_html(other_page).replace("\n", "")
    assert f'name="next" value="{meetings}" form="org-switch-form"' in other_page.content.decode()
    # Another user with the same roles never gets this user's block, nor its CSRF token.
    colleague = user_with_role(organisation, Role.ADMIN, first_name="Bo", last_name="Berg")
    RoleAssignmentFactory(user=colleague, organisation=other_organisation, role=Role.SECRETARY)
    other = Client()
    other.force_login(colleague)
    other.post(reverse("core:switch_organisation"), {"organisation": organisation.pk})
    theirs = other.get(dashboard)
    assert _header(theirs) is False and "Bo Berg" in _header_html(theirs) and "Anna Admin" not in _header_html(theirs)
    # A renamed organisation, a new role and a new name show on the next request.
    organisation.name = "Nya namnet kommun"
    organisation.save()
    assert "Nya namnet kommun" in _header_html(client.get(dashboard))
    RoleAssignmentFactory(user=admin, organisation=organisation, role=Role.AUDITOR)
    assert "Administratör, Revisor" in _header_html(client.get(dashboard))
    admin.first_name = "Annika"
    admin.save()
    assert "Annika Admin" in _header_html(client.get(dashboard))


def test_each_viewer_gets_their_own_csrf_token_in_the_cached_header(organisation, other_organisation):
    from tests.factories import RoleAssignmentFactory

    clients = []
    for _ in range(2):
        user = user_with_role(organisation, Role.SECRETARY)
        RoleAssignmentFactory(user=user, organisation=other_organisation, role=Role.SECRETARY)
        client = Client()
        client.force_login(user)
        clients.append(client)
    tokens = []
    for client in clients:
        response = client.get(reverse("core:dashboard"))
        found = re.search(
            r'id="org-switch-form">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
            response.content.decode(),
        )
        assert found and "placeholder" not in found.group(1)
        tokens.append(found.group(1))
        # The token is the session's own: posting the switch with it is accepted.
        posted = client.post(
            reverse("core:switch_organisation"),
            {"csrfmiddlewaretoken": found.group(1), "organisation": other_organisation.pk, "next": "/"},
        )
        assert posted.status_code == 302
    assert tokens[0] != tokens[1]
