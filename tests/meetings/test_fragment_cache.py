"""The meeting and protokoll pages' cached fragments: a change shows at once, rights are part of the key."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Person, Role
from meetings import minutes_services as services
from meetings.models import AgendaItem, Paragraph
from tests.factories import user_with_role

from . import test_minutes
from .factories import AgendaItemFactory

# The protokoll fixtures of the editor's tests.
secretary, board = test_minutes.secretary, test_minutes.board
add_paragraph, fill = test_minutes.add_paragraph, test_minutes.fill

pytestmark = pytest.mark.django_db

SECRET = "Placering enligt LVU av Hemlig Person"


# Small blocks keyed on the rows the page reads anyway (base.html's header: tests/core/test_request_costs.py).
SMALL_FRAGMENTS = {"page-header", "minutes-pdf-buttons", "meeting-minutes", "meeting-pdf-buttons"}


def fragments(response) -> dict[str, bool]:
    """The page's own large fragments: the agenda, the kallelser, the protokoll's body."""
    return {name: hit for name, hit in response.wsgi_request.fragment_cache if name not in SMALL_FRAGMENTS}


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh for every response) and the session's seconds left (a slow
    machine may cross a second between two responses)."""
    html = re.sub(r'(csrfmiddlewaretoken" value|name="csrf-token" content)="[^"]+"', "", response.content.decode())
    return re.sub(r'data-seconds-left="\d+"', "", html)


@pytest.fixture
def minutes_url(board):
    fill(board)
    add_paragraph(board, title="Budget 2027")
    return reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})


@pytest.fixture
def meeting_url(board):
    AgendaItemFactory(meeting=board.meeting, title="Budget 2027", position=1)
    return reverse("agenda:meeting_detail", args=[board.meeting.pk])


def test_protokoll_page_is_served_from_its_fragment_with_few_queries(
    board, minutes_url, client_for, organisation, django_assert_max_num_queries
):
    client = client_for(organisation, Role.SECRETARY)
    first = client.get(minutes_url)
    assert fragments(first) == {"minutes-body": False}
    # Session, user, roles, the protokoll row, its version and (for an editor) the signatories lacking a login.
    with django_assert_max_num_queries(6):
        second = client.get(minutes_url)
    assert fragments(second) == {"minutes-body": True}
    assert without_tokens(second) == without_tokens(first)
    for _ in range(20):
        add_paragraph(board)
    assert fragments(client.get(minutes_url)) == {"minutes-body": False}
    with django_assert_max_num_queries(6):  # a hit costs the same whatever the size
        assert fragments(client.get(minutes_url)) == {"minutes-body": True}


def test_an_edited_paragraph_or_person_shows_at_once(board, minutes_url, client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    assert "Budget 2027" in client.get(minutes_url).content.decode()
    paragraph = Paragraph.objects.get(minutes=board.minutes, title="Budget 2027")
    services.paragraph_update(
        paragraph=paragraph, actor=board.secretary, title="Budget 2028", decision_clauses=["att anta budgeten"]
    )
    html = client.get(minutes_url).content.decode()
    assert "Budget 2028" in html and "att anta budgeten" in html and "Budget 2027" not in html

    person = Person.objects.get(pk=board.bo.pk)
    person.last_name = "Nyttnamn"
    person.save()
    assert "Bo Nyttnamn" in client.get(minutes_url).content.decode()

    services.paragraph_remove(paragraph=Paragraph.objects.get(pk=paragraph.pk), actor=board.secretary)
    assert "Budget 2028" not in client.get(minutes_url).content.decode()


def test_a_viewer_without_the_confidential_right_never_gets_the_fragment_of_one_with_it(
    board, minutes_url, client_for, organisation
):
    paragraph = add_paragraph(board, title=SECRET)
    Paragraph.objects.filter(pk=paragraph.pk).update(confidential=True, legal_basis="OSL 26 kap. 1 §")
    secretary_client = client_for(organisation, Role.SECRETARY)
    economist = client_for(organisation, Role.ECONOMIST)
    assert SECRET in secretary_client.get(minutes_url).content.decode()
    response = economist.get(minutes_url)
    assert response.status_code == 200 and fragments(response) == {"minutes-body": False}
    assert SECRET not in response.content.decode()
    assert SECRET not in economist.get(minutes_url).content.decode()  # its own cached fragment
    assert SECRET in secretary_client.get(minutes_url).content.decode()


def test_edit_buttons_follow_the_viewers_rights(board, minutes_url, client_for, organisation):
    assert "Redigera §" in client_for(organisation, Role.SECRETARY).get(minutes_url).content.decode()
    assert "Redigera §" not in client_for(organisation, Role.AUDITOR).get(minutes_url).content.decode()


def test_each_viewer_gets_their_own_csrf_token_in_a_cached_fragment(board, minutes_url, organisation):
    def login():
        client = Client(enforce_csrf_checks=True)
        client.force_login(user_with_role(organisation, Role.SECRETARY))
        return client

    first, second = login(), login()
    first_html = first.get(minutes_url).content.decode()
    response = second.get(minutes_url)
    assert fragments(response) == {"minutes-body": True}
    html = response.content.decode()
    assert "placeholder" not in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert tokens and set(tokens).isdisjoint(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first_html))
    fill_url = reverse("minutes:attendance_fill", kwargs={"pk": board.minutes.pk})
    assert second.post(fill_url, {"csrfmiddlewaretoken": tokens[0]}).status_code == 302  # the token is valid


def test_meeting_page_agenda_follows_edits_and_confidentiality(board, meeting_url, client_for, organisation):
    secretary_client = client_for(organisation, Role.SECRETARY)
    economist = client_for(organisation, Role.ECONOMIST)
    first = secretary_client.get(meeting_url)
    assert "Budget 2027" in first.content.decode()
    assert fragments(first) == {"meeting-changes": False, "meeting-agenda": False, "meeting-notices": False}
    second = secretary_client.get(meeting_url)
    assert fragments(second) == {"meeting-changes": True, "meeting-agenda": True, "meeting-notices": True}

    item = AgendaItem.objects.get(meeting=board.meeting)
    item.title = SECRET
    item.confidential = True
    item.legal_basis = "OSL 26 kap. 1 §"
    item.save()
    assert SECRET in secretary_client.get(meeting_url).content.decode()
    response = economist.get(meeting_url)
    assert response.status_code == 200 and SECRET not in response.content.decode()
    assert "Budget 2027" not in secretary_client.get(meeting_url).content.decode()
