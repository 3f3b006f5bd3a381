"""A real styrelse meeting from the demo data, through the UI alone: no factories, no database shortcuts.

The admin invites the styrelse's ordförande and a justerare from the membership register and they accept from
the e-mail; the secretary registers an ärende with a tjänsteskrivelse, builds a 13-item agenda, sends the
kallelse med handlingar, records the meeting from the agenda in the sammanträdesvy (a votering under the
förbundsordning's kvalificerad majoritet, a reservation and a jäv with an ersättare) and sends it for justering;
ordförande and justerare approve from the links in their e-mails; the anslag is posted, the ärende shows
Beslutat, the utdrag holds the votering and the reservation, and a begäran om lagakraftbevis is produced and the
court's answer registered.

The secretary's clicks and selections are counted in the browser (trusted click events, changed <select>s and
keyboard shortcuts outside text fields) from the ärende's registration to sending the protokoll for justering:
the issue's promise is at most 40. At the end every page each person passed is opened again and must pass
axe-core (nothing serious or critical) and not overflow at 390 px. The clock of the test server is moved (time-
machine) to the meeting day, and four weeks on for the begäran, when the appeal time has run out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from core.demo import DEMO_PASSWORD, FEDERATION
from tests.browser import assert_accessible, login, switch_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLICK_BUDGET = 40
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"  # git-ignored
CHAIR, CHAIR_EMAIL, CHAIR_LOGIN = "Bengt Almqvist", "bengt.almqvist@example.se", "bengt"
VERIFIER, VERIFIER_EMAIL, VERIFIER_LOGIN = "Anders Ekholm", "anders.ekholm@example.se", "anders"
NEW_PASSWORDS = {CHAIR_LOGIN: "styrelsen-ordf-2026", VERIFIER_LOGIN: "styrelsen-just-2026"}
CASE_TITLE = "Samverkansinsats för unga vuxna 2021"
CASE_CLAUSES = ["att bevilja insatsen 850 000 kr för 2021", "att uppdra åt förbundschefen att teckna avtal"]
VOTED_CASE = "Användning av eget kapital 2020"  # demo ärende, with its tjänsteskrivelse
RECUSED = "Mikael Bergfors"  # jävig in the new insats; an ersättare steps in for that § only
AGAINST = "Karl Andrén"  # votes nej in the votering and reserves

# Counts what a person does with the mouse and the keyboard, page after page (the binding survives navigation).
COUNTER_SCRIPT = """
(() => {
  const count = (kind, target) => window.__paragrafAction && window.__paragrafAction(kind, describe(target));
  const describe = (el) => {
    if (!el || !el.closest) return "";
    const control = el.closest("a, button, input, select, label, summary, [role=button]") || el;
    return (control.innerText || control.value || control.name || control.id || control.tagName).trim().slice(0, 60);
  };
  document.addEventListener("click", (e) => {
    // A click on a label also clicks its input: count the person's one click.
    if (!e.isTrusted || (e.target.tagName === "INPUT" && e.detail === 0)) return;
    count("click", e.target);
  }, true);
  document.addEventListener("change", (e) => {
    if (e.target.tagName === "SELECT") count("select", e.target);  // Playwright selects by script
  }, true);
  document.addEventListener("keydown", (e) => {
    const typing = e.target.closest && e.target.closest("input, textarea, select, [contenteditable]");
    if (e.isTrusted && !typing && e.key.length === 1 && !e.repeat) count("key:" + e.key, e.target);
  }, true);
})();
"""


class Person:
    """One person at their own computer: a browser context with its own cookies and an action counter."""

    def __init__(self, browser, live_server, name: str):
        self.name = name
        self.actions: list[tuple[str, str]] = []
        self.counting = False
        self.context = browser.new_context(base_url=live_server.url, locale="sv-SE", accept_downloads=True)
        self.context.expose_binding("__paragrafAction", self._record)
        self.context.add_init_script(COUNTER_SCRIPT)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.visited: list[str] = []  # every page this person saw, checked again at the end (checkpoint_all)
        self.page.on("framenavigated", self._visited)
        self.page.csp_errors = []
        self.page.on(
            "console",
            lambda msg: self.page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
        )

    def _visited(self, frame):
        if frame == self.page.main_frame and frame.url not in self.visited:
            self.visited.append(frame.url)

    def checkpoint_all(self) -> int:
        """axe-core and the 390 px check on every distinct page this person passed (GET again, as they are now)."""
        checked = 0
        for url in list(self.visited):
            response = self.page.goto(url)
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            checkpoint(self.page, f"{self.name}: {url}")
            checked += 1
        return checked

    def _record(self, source, kind, what):
        if self.counting:
            self.actions.append((kind, what))

    def close(self):
        self.context.close()


def checkpoint(page, what: str) -> None:
    """axe-core on the page as it is, then the same page at 390 px: nothing may stick out sideways."""
    page.mouse.move(0, 0)  # no button left half-way through its hover transition when axe reads the colours
    page.wait_for_timeout(250)
    assert_accessible(page, what)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.wait_for_timeout(100)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 390, f"{what} är {width} px bred på en 390 px bred skärm"
    finally:
        page.set_viewport_size(size)


def link_in(message, pattern: str) -> str:
    """The path of the link in an e-mail (the mail names the configured BASE_URL, not the test server)."""
    found = re.search(pattern, message.body)
    assert found, f"Ingen länk som {pattern} i e-postmeddelandet:\n{message.body}"
    return urlsplit(found.group(0)).path


def mail_to(address: str, subject_part: str):
    matching = [m for m in mail.outbox if address in m.to and subject_part in m.subject]
    assert matching, f"Inget e-postmeddelande till {address} om {subject_part!r}: {[m.subject for m in mail.outbox]}"
    return matching[-1]


def test_a_real_meeting_through_the_ui_alone(browser, live_server):
    call_command("seed_demo")
    people: list[Person] = []

    def person(name: str) -> Person:
        people.append(Person(browser, live_server, name))
        return people[-1]

    try:
        _invite_and_accept(person)
        secretary = person("sekreterare")
        meeting_day = _secretary_prepares_the_meeting(secretary)
        # A week later, the day of the meeting (the clock of the test server moves; the data stays as it is).
        with time_machine.travel(timezone.make_aware(dt.datetime.combine(meeting_day, dt.time(9, 5))), tick=True):
            secretary.counting = False
            login(secretary.page, "sekreterare", DEMO_PASSWORD)  # the session from a week ago has run out
            secretary.counting = True
            _secretary_records_the_meeting(secretary, meeting_day)
            assert len(secretary.actions) <= CLICK_BUDGET, (len(secretary.actions), secretary.actions)
            print(f"Sekreterarens klick och val: {len(secretary.actions)}: {secretary.actions}")
            secretary.counting = False
            _signatories_approve(person)
            _posting_utdrag_and_laga_kraft(secretary, meeting_day)
        checked = sum(someone.checkpoint_all() for someone in people)
        print(f"axe-core och 390 px på {checked} sidor")
        assert checked >= 30
        csp = {someone.name: someone.page.csp_errors for someone in people if someone.page.csp_errors}
        assert not csp, f"Content-Security-Policy stoppade något: {csp}"
    except Exception:
        SCREENSHOTS.mkdir(exist_ok=True)
        for someone in people:  # what each person saw when it went wrong
            someone.page.screenshot(path=SCREENSHOTS / f"real-meeting-{someone.name}.png", full_page=True)
        raise
    finally:
        for someone in people:
            someone.close()


def _invite_and_accept(person) -> None:
    """The admin invites ordförande and justerare from the styrelse's membership register; both accept."""
    admin = person("admin")
    page = admin.page
    login(page, "admin", DEMO_PASSWORD)
    switch_organisation(page, FEDERATION)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Organ", exact=True).click()
    page.get_by_role("link", name="Styrelsen").first.click()
    checkpoint(page, "styrelsens ledamotslista")
    for name, email in ((CHAIR, CHAIR_EMAIL), (VERIFIER, VERIFIER_EMAIL)):
        page.get_by_role("link", name=f"Bjud in {name} att logga in").click()
        page.get_by_label("E-postadress").fill(email)
        page.get_by_role("button", name="Skicka inbjudan").click()
        page.get_by_text(f"En inbjudan har skickats till {name}").wait_for()

    for name, email, username in ((CHAIR, CHAIR_EMAIL, CHAIR_LOGIN), (VERIFIER, VERIFIER_EMAIL, VERIFIER_LOGIN)):
        invitee = person(username).page
        invitee.goto(link_in(mail_to(email, "nbjudan"), r"https?://\S+/konto/inbjudan/\S+/"))
        invitee.get_by_role("heading", level=1, name=f"Välkommen, {name}").wait_for()
        checkpoint(invitee, "inbjudan")
        invitee.get_by_label("Användarnamn").fill(username)
        invitee.locator("#id_password1").fill(NEW_PASSWORDS[username])
        invitee.get_by_label("Lösenord igen").fill(NEW_PASSWORDS[username])
        invitee.get_by_role("button", name="Skapa konto").click()
        invitee.get_by_text("Ditt konto är skapat.").wait_for()


def _secretary_prepares_the_meeting(secretary: Person) -> dt.date:
    """Ärende with tjänsteskrivelse, a sammanträde with a 13-item agenda, and the kallelse."""
    page = secretary.page
    login(page, "sekreterare", DEMO_PASSWORD)
    secretary.counting = True
    switch_organisation(page, FEDERATION)

    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Ärenden", exact=True).click()
    page.get_by_role("link", name="Registrera ärende").first.click()
    page.get_by_label("Ärendemening").fill(CASE_TITLE)
    page.get_by_role("button", name="Registrera").click()
    page.get_by_text("Ärendet är registrerat med diarienummer").wait_for()
    checkpoint(page, "ärendet")
    page.get_by_role("link", name="Skriv tjänsteskrivelse").click()
    page.get_by_label("Förslag till beslut").fill("\n".join(CASE_CLAUSES))
    page.get_by_label("Sammanfattning").fill(
        "Förbundschefen föreslår en samverkansinsats för unga vuxna 18–29 år tillsammans med "
        "Arbetsförmedlingen och Skellefteå kommun."
    )
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("sparad").first.wait_for()

    nav.get_by_role("link", name="Sammanträden", exact=True).click()
    page.get_by_role("link", name="Nytt sammanträde").first.click()
    meeting_day = timezone.localdate() + dt.timedelta(days=7)
    page.get_by_label("Datum").fill(meeting_day.isoformat())
    page.get_by_label("Starttid").fill("09:00")
    page.get_by_role("button", name="Skapa sammanträde").click()
    page.get_by_text("har lagts upp med 10 stående punkter").wait_for()
    page.get_by_role("link", name="Lägg till ärenden").click()
    checkpoint(page, "ärenden att lägga till")
    page.get_by_role("button", name="Lägg till valda ärenden").click()
    page.get_by_text(re.compile(r"\d+ ärenden har lagts till på dagordningen.")).wait_for()
    print("punkter", page.get_by_test_id("agenda-items").locator(":scope > li").count())
    checkpoint(page, "föredragningslistan")

    page.get_by_role("link", name="Skicka kallelse").first.click()
    checkpoint(page, "kallelsen")
    page.get_by_role("button", name="Skicka kallelse").click()
    page.get_by_text(re.compile(r"Kallelsen \(version 1\) (har skickats|är utskickad)")).first.wait_for()
    # The kallelse med handlingar: one PDF with the kallelse, each tjänsteskrivelse and its bilagor.
    page.get_by_role("button", name=re.compile("Kallelse med handlingar")).first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Ladda ner")).first.click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Föredragningslista" in text and CASE_TITLE in text and "Förbundschefen föreslår" in text
    page.get_by_role("link", name=re.compile("^Tillbaka till")).click()
    return meeting_day


def panel_heading(page, text: str) -> None:
    """The sammanträdesvy's panel shows `text` and htmx has settled it (its forms are live)."""
    page.locator("#panel-heading", has_text=text).wait_for()
    for _ in range(100):  # (wait_for_function evaluates a string, which the Content-Security-Policy forbids)
        if page.evaluate("() => !document.querySelector('.htmx-settling, .htmx-swapping, .htmx-request')"):
            return
        page.wait_for_timeout(20)


def _open_paragraph(page, title: str) -> None:
    page.get_by_role("navigation", name="Sammanträdets paragrafer").get_by_text(title).click()
    panel_heading(page, title[:30])


def _secretary_records_the_meeting(secretary: Person, meeting_day: dt.date) -> None:
    """The protokoll from the agenda, then only the deviations: the justerare's name, a jäv, a votering."""
    page = secretary.page
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Sammanträden", exact=True).click()
    page.get_by_role("link", name=meeting_day.isoformat()).first.click()
    page.get_by_role("button", name="Skriv protokollet från föredragningslistan").click()
    page.get_by_text("Alla kallade är markerade som närvarande").wait_for()
    panel_heading(page, "Närvaro")
    checkpoint(page, "närvarolistan i sammanträdesvyn")

    # Val av justerare: the förslag has "…" where the name goes; typed, saved with Ctrl+Enter.
    _open_paragraph(page, "Val av justerare")
    clauses = page.get_by_label("Beslut", exact=True)
    clauses.fill(clauses.input_value().replace("…", VERIFIER))
    clauses.press("Control+Enter")
    secretary.actions.append(("key:Control+Enter", "spara"))
    page.get_by_text("är sparad").first.wait_for()

    # Jäv: Mikael Bergfors leaves the § on the new insats; the suggested ersättare serves in that § only.
    _open_paragraph(page, CASE_TITLE)
    page.get_by_label("Jävig").select_option(label=RECUSED)
    page.get_by_role("button", name="Anteckna jäv").click()
    page.get_by_text("tjänstgör i stället").first.wait_for()
    checkpoint(page, "paragrafen med jäv i sammanträdesvyn")

    # Votering under the förbundsordning's kvalificerad majoritet (2/3 of those present), and a reservation.
    _open_paragraph(page, VOTED_CASE)
    yrkanden = page.get_by_role("textbox", name="Yrkanden")
    yrkanden.fill(f"{AGAINST} yrkar avslag.")
    yrkanden.press("Control+Enter")
    secretary.actions.append(("key:Control+Enter", "spara"))
    page.get_by_text("är sparad").first.wait_for()
    page.get_by_text("Ny votering").click()
    page.get_by_role("radio", name=f"{AGAINST} Nej").click()
    page.get_by_role("button", name="Spara voteringen").click()
    page.get_by_text("4 ja-röster mot 1 nej-röst").first.wait_for()
    page.get_by_role("button", name=f"{AGAINST} reserverar sig").click()
    page.get_by_text(f"{AGAINST}.").first.wait_for()
    checkpoint(page, "paragrafen med votering i sammanträdesvyn")

    # Ordförande and justerare, then off for justering.
    page.get_by_role("link", name="← Protokollet").click()
    page.get_by_role("link", name="Välj ordförande och justerare").click()
    page.get_by_label(VERIFIER).check()
    page.get_by_role("button", name="Spara").click()
    checkpoint(page, "protokollet")
    page.get_by_role("button", name="Skicka för justering").click()
    page.get_by_text("Protokollet är skickat för justering.").wait_for()


def _signatories_approve(person) -> None:
    """Justerare and ordförande open the link in their e-mail, log in, read the sentence and approve."""
    for username, email, role in (
        (VERIFIER_LOGIN, VERIFIER_EMAIL, "justerare"),
        (CHAIR_LOGIN, CHAIR_EMAIL, "ordförande"),
    ):
        signer = person(username).page
        signer.goto(link_in(mail_to(email, "att justera"), r"https?://\S+/protokoll/\d+/justering/"))
        signer.get_by_label("Användarnamn").fill(username)
        signer.get_by_label("Lösenord").fill(NEW_PASSWORDS[username])
        signer.get_by_role("button", name="Logga in").click()
        statement = signer.get_by_test_id("sign-statement")
        statement.wait_for()
        assert f"godkänner det som {role}." in statement.inner_text()
        checkpoint(signer, f"justeringen som {role}")
        signer.get_by_label("Ditt lösenord").fill(NEW_PASSWORDS[username])
        signer.get_by_role("button", name=f"Godkänn protokollet som {role}").click()
        signer.get_by_text("Du har godkänt protokollet.").wait_for()


def _posting_utdrag_and_laga_kraft(secretary: Person, meeting_day: dt.date) -> None:
    """Anslag, Beslutat, the utdrag with the votering and the reservation; after the appeal time the begäran."""
    page = secretary.page
    page.reload()  # the justering page the secretary was sent to: justerat now; she signs as sekreterare
    page.get_by_label("Ditt lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Skriv under som sekreterare").click()
    page.get_by_text("Du har godkänt protokollet.").wait_for()
    page.get_by_role("link", name="← Protokollet").click()
    page.get_by_role("link", name="Anslag, överklaganden och laga kraft").click()
    page.get_by_role("link", name="Sätt upp anslag").click()
    page.get_by_role("button", name="Sätt upp anslag").click()
    page.get_by_text("Anslaget").first.wait_for()
    checkpoint(page, "anslag och laga kraft")

    page.get_by_role("link", name="Protokollsutdrag och expediering").click()
    page.get_by_label(re.compile(VOTED_CASE)).check()
    page.get_by_role("button", name="Skapa protokollsutdrag (PDF)").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Ladda ner")).first.click()
    text = " ".join("".join(p.extract_text() for p in PdfReader(download.value.path()).pages).split())
    assert "4 ja-röster mot 1 nej-röst" in text and f"{AGAINST}" in text and "eserv" in text

    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Ärenden", exact=True).click()
    row = page.get_by_role("row").filter(has_text=CASE_TITLE)
    assert "Beslutat" in row.inner_text()
    row.get_by_role("link").first.click()
    page.get_by_role("heading", level=1, name=re.compile(CASE_TITLE)).wait_for()
    assert "Beslutat" in page.locator("main").inner_text()

    # Four weeks later the appeal time has run out: the begäran to the förvaltningsrätt, then its answer.
    with time_machine.travel(timezone.now() + dt.timedelta(days=29), tick=True):
        login(page, "sekreterare", DEMO_PASSWORD)
        nav = page.get_by_role("navigation", name="Huvudmeny")
        nav.get_by_role("link", name="Protokoll", exact=True).click()
        page.get_by_role("link", name=f"Styrelsen {meeting_day.isoformat()}").click()
        page.get_by_role("link", name="Begär lagakraftbevis").click()
        checkpoint(page, "begäran om lagakraftbevis")
        page.get_by_label(re.compile(VOTED_CASE)).check()
        page.get_by_label("Förvaltningsrätt").fill("Förvaltningsrätten i Umeå")
        page.get_by_role("button", name="Registrera begäran").click()
        page.get_by_text("Lagakraftbevis begärt").first.wait_for()
        page.get_by_role("button", name="Begäran om lagakraftbevis (PDF)").first.click()
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("Ladda ner")).first.click()
        letter = " ".join("".join(p.extract_text() for p in PdfReader(download.value.path()).pages).split())
        assert "Förvaltningsrätten i Umeå" in letter and "lagakraftbevis" in letter.lower()
        page.get_by_role("link", name=re.compile("^Tillbaka till")).click()
        page.get_by_role("link", name=re.compile("Registrera förvaltningsrättens svar")).click()
        page.get_by_label("Målnummer eller referens").fill("Ä 1234-26")
        page.get_by_role("button", name="Registrera svaret").click()
        page.get_by_text("Vunnit laga kraft").first.wait_for()
