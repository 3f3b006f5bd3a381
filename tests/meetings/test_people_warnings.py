"""Before a protokoll goes for justering and before a kallelse is sent, the secretary sees who lacks a login or
an e-mail address: a warning, never a block."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Role
from meetings import minutes_services as services

from .test_minutes import board, login_person, ready_for_verification, secretary  # noqa: F401

pytestmark = pytest.mark.django_db


def test_protokoll_page_lists_signatories_without_login_or_email(board, client_for, organisation):  # noqa: F811
    ready_for_verification(board)
    board.cecilia.email = ""
    board.cecilia.save()
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:minutes_detail", kwargs={"pk": board.minutes.pk})
    page = client.get(url).content.decode()
    assert "Alla undertecknare kan inte justera elektroniskt" in page
    assert "Anna Exempel: saknar inloggning</li>" in page
    assert "Cecilia Exempel: saknar inloggning och e-post</li>" in page

    login_person(organisation, board.chair)
    page = client.get(url).content.decode()
    assert "Anna Exempel: saknar" not in page
    # Not a block: it can still be sent.
    sent = client.post(reverse("minutes:send_for_verification", kwargs={"pk": board.minutes.pk}))
    assert sent.status_code == 302
    board.minutes.refresh_from_db()
    assert board.minutes.status == board.minutes.Status.IN_VERIFICATION
    # Once sent the list is gone (nothing left to prepare).
    assert "Alla undertecknare kan inte" not in client.get(url).content.decode()


def test_kallelse_page_lists_the_called_without_email_or_login(board, client_for, organisation):  # noqa: F811
    board.david.email = ""
    board.david.save()
    login_person(organisation, board.bo)
    client = client_for(organisation, Role.SECRETARY)
    page = client.get(reverse("agenda:notice_issue", kwargs={"pk": board.meeting.pk})).content.decode()
    assert "Alla kallade kan inte nås" in page
    assert "David Exempel: saknar inloggning och e-post</li>" in page
    assert "Anna Exempel: saknar inloggning</li>" in page
    assert "Bo Exempel: saknar" not in page


def test_no_warning_when_everyone_can_be_reached(board, client_for, organisation):  # noqa: F811
    for person in (board.chair, board.bo, board.cecilia, board.david):
        login_person(organisation, person)
    services.attendance_fill_from_memberships(minutes=board.minutes, actor=board.secretary)
    client = client_for(organisation, Role.SECRETARY)
    page = client.get(reverse("agenda:notice_issue", kwargs={"pk": board.meeting.pk})).content.decode()
    assert 'data-testid="people-lacking"' not in page
