"""Approving a justering: the password again, the TOTP code where it is on, the sentence confirmed, and the
sekreterare who is required and signs as sekreterare (only ordförande and justerare justerar)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.formatting import format_day_month_year
from core.models import Person, Role
from meetings import minutes_services as services
from meetings.models import Minutes, Signatory
from tests.factories import PersonFactory, user_with_role

from .test_minutes import (  # noqa: F401
    SIGN_PASSWORD,
    board,
    login_person,
    ready_for_verification,
    secretary,
    sign_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(board):  # noqa: F811
    ready_for_verification(board)
    services.minutes_send_for_verification(minutes=board.minutes, actor=board.secretary, verification_url="http://x/")
    return board


def signer(organisation, person):
    client = Client()
    user = login_person(organisation, person)
    client.force_login(user)
    client.user = user
    return client


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_page_shows_the_sentence_and_a_wrong_password_signs_nothing(sent, organisation):
    chair = signer(organisation, sent.chair)
    sig = Signatory.objects.get(minutes=sent.minutes, role=Signatory.Role.CHAIR)
    page = chair.get(reverse("minutes:verification", kwargs={"pk": sent.minutes.pk})).content.decode()
    numbers = sorted(sent.minutes.paragraphs.values_list("number", flat=True))
    assert f"§§\xa0{numbers[0]}–{numbers[-1]}" in page
    assert "och godkänner det som ordförande." in page

    wrong = chair.post(reverse("minutes:sign", kwargs={"pk": sig.pk}), sign_data(sig, password="fel"))
    assert wrong.status_code == 400 and "Lösenordet stämmer inte" in wrong.content.decode()
    missing = chair.post(reverse("minutes:sign", kwargs={"pk": sig.pk}), {})
    assert missing.status_code == 400
    sig.refresh_from_db()
    assert sig.signed_at is None

    assert chair.post(reverse("minutes:sign", kwargs={"pk": sig.pk}), sign_data(sig)).status_code == 302
    sig.refresh_from_db()
    assert sig.signed_at is not None
    assert sig.evidence["bekräftelse"].startswith("Jag har granskat protokollet från Förbundsstyrelsens sammanträde")
    assert sig.evidence["lösenord"] == "bekräftat"


def test_with_totp_on_the_code_is_needed_too(sent, organisation):
    justerare = signer(organisation, sent.cecilia)
    device = TOTPDevice.objects.create(user=justerare.user, name="Paragraf", confirmed=True)
    sig = Signatory.objects.get(minutes=sent.minutes, role=Signatory.Role.VERIFIER)
    url = reverse("minutes:sign", kwargs={"pk": sig.pk})

    assert justerare.post(url, sign_data(sig)).status_code == 400
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert justerare.post(url, sign_data(sig, token=wrong)).status_code == 400
    sig.refresh_from_db()
    assert sig.signed_at is None
    # django-otp throttles after a wrong code: even the right one waits.
    throttled = justerare.post(url, sign_data(sig, token=code_for(device)))
    assert throttled.status_code == 400 and "För många felaktiga koder" in throttled.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    assert justerare.post(url, sign_data(sig, token=code_for(device))).status_code == 302
    sig.refresh_from_db()
    assert sig.evidence["tvåstegsverifiering"] == "TOTP"


def test_the_sekreterare_is_required_defaults_to_the_secretary_and_does_not_justera(board, organisation):  # noqa: F811
    services.attendance_fill_from_memberships(minutes=board.minutes, actor=board.secretary)
    created = services.signatories_set(
        minutes=board.minutes, actor=board.secretary, chair=board.chair, verifiers=[board.cecilia]
    )
    secretary_row = next(s for s in created if s.role == Signatory.Role.SECRETARY)
    assert secretary_row.person == Person.objects.get(organisation=organisation, user=board.secretary)
    board.minutes.refresh_from_db()
    assert board.minutes.secretary == secretary_row.person

    from .test_minutes import add_paragraph

    add_paragraph(board, "Budget")
    services.minutes_send_for_verification(minutes=board.minutes, actor=board.secretary, verification_url="http://x/")
    for sig in Signatory.objects.filter(minutes=board.minutes, role__in=services.SIGNING_ROLES):
        services.signatory_approve(signatory=sig, actor=board.secretary)
    board.minutes.refresh_from_db()
    assert board.minutes.status == Minutes.Status.VERIFIED  # without the sekreterare's signature
    # The sekreterare signs as sekreterare, also once the protokoll is justerat.
    signed = services.signatory_approve(signatory=secretary_row, actor=board.secretary)
    assert signed.evidence["bekräftelse"].startswith("Jag har fört protokollet")
    assert "som sekreterare" in signed.evidence["bekräftelse"]


def test_the_form_requires_a_sekreterare(board, client_for, organisation):  # noqa: F811
    services.attendance_fill_from_memberships(minutes=board.minutes, actor=board.secretary)
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("minutes:signatories", kwargs={"pk": board.minutes.pk})
    response = client.post(url, {"chair": board.chair.pk, "verifiers": [board.cecilia.pk], "secretary": ""})
    assert response.status_code == 400 and "Välj sekreterare." in response.content.decode()
    own = PersonFactory(organisation=organisation, user=client.user, first_name="Sam", last_name="Sekr")
    page = client.get(url).content.decode()
    assert f'<option value="{own.pk}" selected>' in page


def test_day_month_year():
    assert format_day_month_year(dt.date(2019, 11, 28)) == "28 november 2019"


def test_totp_page_turns_the_second_factor_on_with_a_code_and_off_with_the_password(organisation):
    user = user_with_role(organisation, Role.MEMBER)
    client = Client()
    client.force_login(user)
    url = reverse("totp_settings")
    page = client.get(url).content.decode()
    assert "<svg" in page and "Nyckel:" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(url, {"action": "on", "token": "12"}).status_code == 400
    assert client.post(url, {"action": "on", "token": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.post(url, {"action": "off", "password": "fel"}).status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()
    assert client.post(url, {"action": "off", "password": SIGN_PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_another_user_cannot_approve_even_with_their_own_password(sent, organisation, client_for):
    sig = Signatory.objects.get(minutes=sent.minutes, role=Signatory.Role.CHAIR)
    other = client_for(organisation, Role.ADMIN)
    assert other.post(reverse("minutes:sign", kwargs={"pk": sig.pk}), sign_data(sig)).status_code == 403
    sig.refresh_from_db()
    assert sig.signed_at is None
