"""Nothing typed is lost to an expired session: a save after the end comes back, after login, to the form."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.drafts import DRAFT_KEPT_MESSAGE, DRAFT_RESTORED_MESSAGE, _cache_key
from meetings import minutes_services
from meetings.models import Paragraph
from tests.meetings.test_edit_conflicts import build, form_version

pytestmark = pytest.mark.django_db

PASSWORD = "demo-lösenord-123"
TYPED = "Texten som skrevs medan sessionen tog slut"


def log_in(client: Client, user, next_url: str = "") -> str:
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


@pytest.fixture
def world(organisation):
    w = build(organisation)
    w.url = reverse("minutes:paragraph_edit", kwargs={"pk": w.paragraph.pk})
    return w


def save_after_expiry(client: Client, w) -> tuple[str, str]:
    """Open the editor, let the session end, press Spara. Returns (the login URL, next)."""
    log_in(client, w.anna)
    version = form_version(client.get(w.url).content.decode())
    Session.objects.all().delete()  # the session has ended on the server
    response = client.post(
        w.url, {"title": "Paragraf", "body": TYPED, "version": version, "csrfmiddlewaretoken": "token"}
    )
    assert response.status_code == 302
    location = response["Location"]
    assert urlsplit(location).path == reverse("login")
    return location, parse_qs(urlsplit(location).query)["next"][0]


def test_the_text_comes_back_after_login_once_and_nothing_is_saved_by_itself(world):
    client = Client()
    login_url, next_url = save_after_expiry(client, world)
    token = parse_qs(urlsplit(next_url).query)["utkast"][0]
    assert urlsplit(next_url).path == world.url
    kept = cache.get(_cache_key(token))
    assert kept["fields"]["body"] == [TYPED]
    assert "csrfmiddlewaretoken" not in kept["fields"]  # never the CSRF token
    assert DRAFT_KEPT_MESSAGE in client.get(login_url).content.decode()
    assert Paragraph.objects.get(pk=world.paragraph.pk).body == ""

    back = log_in(client, world.anna, next_url)
    assert back == next_url
    page = client.get(back)
    html = page.content.decode()
    assert page.status_code == 200
    assert TYPED in html and DRAFT_RESTORED_MESSAGE in html
    assert Paragraph.objects.get(pk=world.paragraph.pk).body == ""  # the draft never saves anything itself
    assert cache.get(_cache_key(token)) is None  # deleted on use
    assert TYPED not in client.get(back).content.decode()  # given back once

    version = form_version(html)
    assert client.post(world.url, {"title": "Paragraf", "body": TYPED, "version": version}).status_code == 302
    assert Paragraph.objects.get(pk=world.paragraph.pk).body == TYPED


def test_another_user_logging_in_on_the_same_browser_does_not_get_the_text(world):
    client = Client()
    _, next_url = save_after_expiry(client, world)
    log_in(client, world.bertil, next_url)
    assert TYPED not in client.get(next_url).content.decode()


def test_the_token_is_worth_nothing_in_another_browser(world):
    _, next_url = save_after_expiry(Client(), world)
    other = Client()
    log_in(other, world.anna)
    assert TYPED not in other.get(next_url).content.decode()


def test_an_expired_draft_is_gone(world):
    client = Client()
    _, next_url = save_after_expiry(client, world)
    cache.clear()  # the hour has passed
    log_in(client, world.anna, next_url)
    page = client.get(next_url)
    assert page.status_code == 200 and TYPED not in page.content.decode()


def test_the_version_check_still_applies_to_the_restored_text(world):
    client = Client()
    _, next_url = save_after_expiry(client, world)
    paragraph = Paragraph.objects.get(pk=world.paragraph.pk)
    minutes_services.paragraph_update(
        paragraph=paragraph, actor=world.bertil, title="Paragraf", body="Bertils text", version=paragraph.version
    )
    log_in(client, world.anna, next_url)
    html = client.get(next_url).content.decode()
    response = client.post(world.url, {"title": "Paragraf", "body": TYPED, "version": form_version(html)})
    assert response.status_code == 409
    assert "Bertils text" in response.content.decode() and TYPED in response.content.decode()
    assert Paragraph.objects.get(pk=world.paragraph.pk).body == "Bertils text"


@pytest.mark.parametrize(
    "url_name",
    [
        "minutes:minutes_front",
        "agenda:agenda_item_edit",
        "cases:case_edit",
        "cases:officer_report_edit",
        # Forms that are not versioned editors keep a save after the end too.
        "minutes:correction_add",
        "agenda:agenda_item_add",
        "agenda:meeting_edit",
        "cases:case_create",
    ],
)
def test_every_editor_keeps_a_save_made_after_the_end(world, url_name):
    pk = {
        "minutes:minutes_front": world.minutes.pk,
        "minutes:correction_add": world.minutes.pk,
        "agenda:agenda_item_edit": world.item.pk,
        "agenda:agenda_item_add": world.item.meeting_id,
        "agenda:meeting_edit": world.item.meeting_id,
        "cases:case_create": None,
    }.get(url_name, world.case.pk)
    url = reverse(url_name, kwargs={"pk": pk} if pk else {})
    client = Client()
    log_in(client, world.anna)
    Session.objects.all().delete()
    fields = {
        **dict.fromkeys(("title", "summary", "verification_place", "description", "text", "notice_note"), TYPED),
        "version": 1,
    }
    next_url = parse_qs(urlsplit(client.post(url, fields)["Location"]).query)["next"][0]
    log_in(client, world.anna, next_url)
    assert TYPED in client.get(next_url).content.decode()
