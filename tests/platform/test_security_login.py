"""Login lockout, password spraying and password-reset throttling behind the documented nginx proxy.

Every request reaches gunicorn from 127.0.0.1 (nginx); the client's address is the last X-Forwarded-For entry,
which nginx appends. Whatever the client puts in front of it must not choose the address that gets locked.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from core.client_ip import client_ip
from core.models import Role
from meetings.models import Signatory
from tests.factories import user_with_role
from tests.meetings.test_minutes import (  # noqa: F401
    board,
    login_person,
    ready_for_verification,
    secretary,
    sign_data,
)

PASSWORD = "demo-lösenord-123"
ADDRESS_A = "203.0.113.5"
ADDRESS_B = "198.51.100.7"
PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.PARAGRAF = {**settings.PARAGRAF, "PROXY_COUNT": 1}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sara(organisation):
    return user_with_role(organisation, Role.SECRETARY, username="sara", email="sara@example.se")


def via_nginx(address: str, forged: str = "") -> Client:
    """A client whose requests come through nginx: nginx appends the address it saw to what the client sent."""
    header = f"{forged}, {address}" if forged else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- The address ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # no proxy configured: the header is the client's word
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "10.0.0.1, 8.8.8.8, 203.0.113.5", "203.0.113.5"),  # forged prefix ignored
        (1, PROXY, "", PROXY),  # reached gunicorn around the proxy: only the peer is known
        (2, PROXY, "1.1.1.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # load balancer → nginx → gunicorn
        (2, PROXY, "203.0.113.5", PROXY),  # fewer entries than proxies
        (1, PROXY, "203.0.113.5, nonsense", PROXY),
        (1, PROXY, "2001:DB8:0:0::1", "2001:db8::1"),
        (1, PROXY, " 203.0.113.5 ,203.0.113.9 ", "203.0.113.9"),
    ],
)
def test_client_ip_takes_the_entry_the_trusted_proxy_wrote(settings, count, remote, forwarded, expected):
    settings.PARAGRAF = {**settings.PARAGRAF, "PROXY_COUNT": count}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_takes_the_address_from_the_one_client_ip_function():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "core.client_ip.client_ip"


# --- Lockout --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_five_wrong_passwords_from_one_address_lock_that_address_only(sara):
    attacker = via_nginx(ADDRESS_A)
    limit = django_settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert login(attacker, "sara", "fel").status_code == 200
    locked = login(attacker, "sara", "fel")
    assert locked.status_code == 429
    assert "för användarnamnet ”sara”" in locked.content.decode()
    assert login(attacker, "sara", PASSWORD).status_code == 429  # the right password too, from A

    user = via_nginx(ADDRESS_B)
    response = login(user, "sara", PASSWORD)
    assert response.status_code == 302
    assert user.session[SESSION_KEY] == str(sara.pk)


@pytest.mark.django_db
def test_forged_forwarded_prefix_cannot_choose_the_locked_address(sara):
    """The attacker at A claims to be B in X-Forwarded-For: the lock still lands on A, and B logs in."""
    limit = django_settings.AXES_FAILURE_LIMIT
    for i in range(limit):
        login(via_nginx(ADDRESS_A, forged=f"{ADDRESS_B}, 10.0.0.{i}"), "sara", "fel")
    # Rotating the forged part does not escape the lock either.
    assert login(via_nginx(ADDRESS_A, forged="192.0.2.99"), "sara", PASSWORD).status_code == 429
    assert login(via_nginx(ADDRESS_B), "sara", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_without_the_proxy_setting_everyone_behind_nginx_shares_one_address(settings, sara):
    """What the issue reproduced, kept as a guard that the test above can fail: PROXY_COUNT 0 behind nginx."""
    settings.PARAGRAF = {**settings.PARAGRAF, "PROXY_COUNT": 0}
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        login(via_nginx(ADDRESS_A), "sara", "fel")
    assert login(via_nginx(ADDRESS_B), "sara", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_password_spraying_from_one_address_locks_that_address(settings, sara):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    sprayer = via_nginx(ADDRESS_A)
    responses = [login(sprayer, f"anvandare{i}", "Sommar2025!").status_code for i in range(12)]
    assert responses[:11] == [200] * 11  # one try per username: axes' per-user limit is never reached
    assert responses[11] == 429
    locked = login(sprayer, "sara", PASSWORD)
    assert locked.status_code == 429
    content = locked.content.decode()
    assert "Inloggningen från din adress är tillfälligt spärrad efter 12 misslyckade försök" in content
    assert SESSION_KEY not in sprayer.session
    assert login(via_nginx(ADDRESS_B), "sara", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_few_failures_by_colleagues_behind_one_address_lock_nobody(settings, organisation, sara):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    office = via_nginx(ADDRESS_A)
    for i in range(5):
        login(office, f"kollega{i}", "fel")
    assert login(office, "sara", PASSWORD).status_code == 302


# --- Password-reset e-mails -----------------------------------------------------------------------------------


def ask_reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


@pytest.mark.django_db
def test_reset_mails_per_account_are_capped_and_the_answer_never_changes(settings, sara):
    settings.PASSWORD_RESET_THROTTLE = {"per_address": 100, "per_account": 3, "window": 3600}
    answers = []
    for i in range(5):
        response = ask_reset(via_nginx(f"192.0.2.{i + 1}"), "Sara@Example.se")
        answers.append((response.status_code, response.url))
    assert len(mail.outbox) == 3
    unknown = [ask_reset(via_nginx(f"192.0.2.{i + 1}"), "okand@example.se") for i in range(5)]
    assert mail.outbox[3:] == []
    # Sent, capped or no such account: the same redirect to the same page.
    assert set(answers) == {(r.status_code, r.url) for r in unknown} == {(302, reverse("password_reset_done"))}


@pytest.mark.django_db
def test_reset_requests_per_address_are_capped_with_a_swedish_message(settings, sara):
    settings.PASSWORD_RESET_THROTTLE = {"per_address": 4, "per_account": 100, "window": 3600}
    flooder = via_nginx(ADDRESS_A)
    for i in range(4):
        assert ask_reset(flooder, f"person{i}@example.se").status_code == 302
    refused = ask_reset(flooder, "sara@example.se")
    assert refused.status_code == 429
    assert "För många begäranden om nytt lösenord har kommit från din adress" in refused.content.decode()
    assert mail.outbox == []
    # Forging a prefix does not help; another address is unaffected.
    assert ask_reset(via_nginx(ADDRESS_A, forged=ADDRESS_B), "sara@example.se").status_code == 429
    assert ask_reset(via_nginx(ADDRESS_B), "sara@example.se").status_code == 302
    assert [message.to for message in mail.outbox] == [["sara@example.se"]]


# --- Justering evidence ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_justering_records_the_forwarded_client_address(board, organisation):  # noqa: F811
    ready_for_verification(board)
    from meetings import minutes_services as services

    services.minutes_send_for_verification(minutes=board.minutes, actor=board.secretary, verification_url="http://x/")
    chair_user = login_person(organisation, board.chair)
    chair_sig = Signatory.objects.get(minutes=board.minutes, role="chair")
    chair = via_nginx(ADDRESS_A, forged="10.9.9.9")
    chair.force_login(chair_user)
    assert chair.post(reverse("minutes:sign", kwargs={"pk": chair_sig.pk}), sign_data(chair_sig)).status_code == 302
    chair_sig.refresh_from_db()
    assert chair_sig.ip_address == ADDRESS_A
