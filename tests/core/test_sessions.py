"""The session slides with activity, the page knows when it ends, and an oversized post gets a Swedish page."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.sessions import REFRESH_SECONDS, TOUCHED_KEY, USER_HINT_COOKIE, WARN_SECONDS, user_hint
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, organisation):
    user = user_with_role(organisation, Role.ADMIN)
    client.force_login(user)
    client.user = user
    client.get(reverse("core:dashboard"))  # the first page chooses the organisation (a session write)
    return client


def set_touched(client, seconds_ago: int) -> None:
    session = client.session
    session[TOUCHED_KEY] = int(time.time()) - seconds_ago
    session.save()


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_after_the_refresh_interval_moves_the_expiry(logged_in):
    set_touched(logged_in, REFRESH_SECONDS + 60)
    Session.objects.filter(session_key=logged_in.session.session_key).update(
        expire_date=timezone.now() + timezone.timedelta(minutes=10)
    )
    logged_in.get(reverse("core:dashboard"))
    moved = expiry(logged_in)
    assert abs((moved - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    assert int(time.time()) - logged_in.session[TOUCHED_KEY] < 5


def test_activity_within_the_interval_does_not_write_the_session(logged_in):
    set_touched(logged_in, 30)
    before = expiry(logged_in)
    logged_in.get(reverse("core:dashboard"))
    assert expiry(logged_in) == before


def test_the_page_knows_how_long_is_left_and_loads_the_warning_as_a_file(logged_in):
    set_touched(logged_in, 60)  # within the refresh interval: the page view does not slide the session
    html = logged_in.get(reverse("core:dashboard")).content.decode()
    assert 'role="alertdialog"' in html
    assert "Fortsätt vara inloggad" in html
    assert f'data-warn-seconds="{WARN_SECONDS}"' in html
    assert '<script src="/static/js/session.js" defer></script>' in html
    left = int(html.split('data-seconds-left="')[1].split('"')[0])
    assert settings.SESSION_COOKIE_AGE - 70 < left <= settings.SESSION_COOKIE_AGE - 60
    assert "<script>" not in html  # no inline scripts (strict CSP)


def test_the_status_check_is_not_activity_but_keep_alive_is(logged_in):
    url = reverse("core:session")
    set_touched(logged_in, REFRESH_SECONDS + 100)
    status = logged_in.get(url).json()
    assert status["authenticated"] is True
    assert status["seconds_left"] <= settings.SESSION_COOKIE_AGE - REFRESH_SECONDS - 100
    assert int(time.time()) - logged_in.session[TOUCHED_KEY] >= REFRESH_SECONDS + 100  # not moved
    kept = logged_in.post(url).json()
    assert kept == {"authenticated": True, "seconds_left": settings.SESSION_COOKIE_AGE}
    assert int(time.time()) - logged_in.session[TOUCHED_KEY] < 5


def test_anonymous_status_and_keep_alive(client):
    url = reverse("core:session")
    assert client.get(url).json() == {"authenticated": False, "seconds_left": 0}
    assert client.post(url).status_code == 401
    assert "session-warning" not in client.get(reverse("login")).content.decode()


def test_the_browser_remembers_who_was_logged_in_in_a_signed_cookie(logged_in, rf):
    value = logged_in.cookies[USER_HINT_COOKIE]  # set by the first page after the login
    assert value["httponly"]
    request = rf.get("/")
    request.COOKIES[USER_HINT_COOKIE] = value.value
    assert user_hint(request) == logged_in.user.pk
    request.COOKIES[USER_HINT_COOKIE] = value.value[:-2] + "xx"
    assert user_hint(request) is None


# -- Oversized posts ----------------------------------------------------------------------------------------------


def test_a_body_over_the_limit_gets_a_swedish_400_page(logged_in, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    response = logged_in.post(reverse("core:organisation_edit"), {"name": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det du skickade var för stort" in html
    assert "högst 2 MB text" in html
    assert "Bad Request" not in html


def test_too_many_fields_gets_a_swedish_400_page(logged_in, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = logged_in.post(reverse("core:organisation_edit"), {f"f{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert "Formuläret hade för många fält" in response.content.decode()


def test_the_400_page_for_anonymous_users(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(reverse("login"), {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400
    assert "Det du skickade var för stort" in response.content.decode()
