"""From the demo data: the admin invites the styrelse's ordförande from the membership register, he accepts from
the e-mail, chooses a password and logs in; then the justerare and the ordförande open the justering links from
their e-mails and approve with their password typed again.

The admin starts in another organisation: opening the styrelse's page switches to the förbund with a notice
(links that open). The protokoll to justera is built with services (the protokoll editor has its own flow test,
tests/e2e/test_meeting_cycle.py); sending it for justering and everything after is done in the browser.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.demo import DEMO_PASSWORD, FEDERATION
from core.models import Person, User
from meetings import agenda_services
from meetings import minutes_services as services
from meetings.models import Committee, Membership, Minutes
from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "styrelsen-ordf-2026"


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    other = context.new_page()
    other.set_default_timeout(15_000)
    return other


def link_in(message, pattern: str) -> str:
    """The path of the link in an e-mail (the mail names the configured BASE_URL, not the test server)."""
    return urlsplit(re.search(pattern, message.body).group(0)).path


def protokoll_for_justering(*, chair: Person, verifier: Person) -> Minutes:
    """A short protokoll of today's styrelse meeting, with ordförande, justerare and sekreterare chosen."""
    board = Committee.objects.get(organisation__name=FEDERATION, short_name="STY")
    secretary = User.objects.get(username="sekreterare")
    meeting = agenda_services.meeting_create(
        organisation=board.organisation,
        actor=secretary,
        committee=board,
        date=timezone.localdate(),
        start_time=dt.time(9),
        place="Förbundets kansli",
    )
    minutes = services.minutes_start(meeting=meeting, actor=secretary)
    services.attendance_fill_from_memberships(minutes=minutes, actor=secretary)
    for title in ("Mötets öppnande", "Val av justerare", "Budget 2027"):
        paragraph = services.paragraph_add(minutes=minutes, actor=secretary, title=title)
        services.paragraph_update(
            paragraph=paragraph, actor=secretary, title=title, decision_clauses=["att godkänna förslaget"]
        )
    services.signatories_set(minutes=minutes, actor=secretary, chair=chair, verifiers=[verifier])
    return minutes


def test_admin_invites_the_ordforande_who_accepts_logs_in_and_justerar(page, browser, live_server):
    call_command("seed_demo")
    board = Committee.objects.get(organisation__name=FEDERATION, short_name="STY")
    chair = Membership.objects.get(committee=board, role=Membership.Role.CHAIR, ends_on__isnull=True).person
    assert chair.user_id is None

    # -- The admin (working in another organisation) opens the styrelse and invites the ordförande. -------------
    login(page, "admin", DEMO_PASSWORD)
    page.goto(f"/organ/{board.pk}/")
    page.get_by_text(f"Du har bytt till organisation {FEDERATION}.").wait_for()
    assert_accessible(page, "ledamotslistan")
    page.get_by_role("link", name=f"Bjud in {chair.full_name} att logga in").click()
    page.get_by_role("heading", level=1, name=f"Bjud in {chair.full_name} att logga in").wait_for()
    assert_accessible(page, "inbjudan")
    page.get_by_label("E-postadress").fill("bengt.almqvist@example.se")
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.get_by_text(f"En inbjudan har skickats till {chair.full_name}").wait_for()

    invitation = mail.outbox[-1]
    assert invitation.to == ["bengt.almqvist@example.se"]

    # -- He opens the link from the e-mail, chooses a username and a password, and logs in. ----------------------
    invitee = new_page(browser, live_server)
    try:
        invitee.goto(link_in(invitation, r"https?://\S+/konto/inbjudan/\S+/"))
        invitee.get_by_role("heading", level=1, name=f"Välkommen, {chair.full_name}").wait_for()
        assert_accessible(invitee, "sidan för att ta emot inbjudan")
        invitee.get_by_label("Användarnamn").fill("bengt")
        invitee.locator("#id_password1").fill(NEW_PASSWORD)
        invitee.get_by_label("Lösenord igen").fill(NEW_PASSWORD)
        invitee.get_by_role("button", name="Skapa konto").click()
        invitee.get_by_text("Ditt konto är skapat.").wait_for()
        login(invitee, "bengt", NEW_PASSWORD)
        invitee.get_by_role("heading", level=1, name="Översikt").wait_for()
    finally:
        invitee.context.close()
    chair.refresh_from_db()
    assert chair.user.username == "bengt"

    # -- The secretary sends a protokoll for justering; both signatories get a link. ---------------------------
    verifier = Person.objects.get(organisation=board.organisation, user__username="ledamot")
    minutes = protokoll_for_justering(chair=chair, verifier=verifier)
    secretary = new_page(browser, live_server)
    try:
        login(secretary, "sekreterare", DEMO_PASSWORD)
        secretary.goto(f"/protokoll/{minutes.pk}/")
        secretary.get_by_role("button", name="Skicka för justering").click()
        secretary.get_by_text("Protokollet är skickat för justering.").wait_for()
    finally:
        secretary.context.close()
    justering_mail = mail.outbox[-1]
    assert {"bengt.almqvist@example.se", verifier.email} <= set(justering_mail.to)
    justering_path = link_in(justering_mail, r"https?://\S+/protokoll/\d+/justering/")

    # -- The justerare, then the ordförande, open the link, read the sentence and approve with the password. ---
    for username, password, role in [("ledamot", DEMO_PASSWORD, "justerare"), ("bengt", NEW_PASSWORD, "ordförande")]:
        signer = new_page(browser, live_server)
        try:
            signer.goto(justering_path)  # not logged in: the login page, then back to the link
            signer.get_by_label("Användarnamn").fill(username)
            signer.get_by_label("Lösenord").fill(password)
            signer.get_by_role("button", name="Logga in").click()
            statement = signer.get_by_test_id("sign-statement")
            statement.wait_for()
            assert re.search(r"§§\s\d+–\d+", statement.inner_text())
            assert f"godkänner det som {role}." in statement.inner_text()
            assert_accessible(signer, f"justeringen som {role}")
            signer.get_by_label("Ditt lösenord").fill("fel-lösenord")
            signer.get_by_role("button", name=f"Godkänn protokollet som {role}").click()
            signer.get_by_text("Lösenordet stämmer inte.").first.wait_for()
            signer.get_by_label("Ditt lösenord").fill(password)
            signer.get_by_role("button", name=f"Godkänn protokollet som {role}").click()
            signer.get_by_text("Du har godkänt protokollet.").wait_for()
        finally:
            signer.context.close()
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.VERIFIED
