"""The whole meeting cycle in Chromium, as the secretary, the justerare, the ordförande and the public see it.

Base data (organisation, committee with its standard agenda, ledamöter with logins, an ärende) is made in Python;
everything the secretary and the signatories do happens in the browser: sammanträde, föredragningslista (drag and
keyboard), kallelse, protokoll with närvaro, votering and reservation, justering by login, anslag on the public
anslagstavla and a protokollsutdrag as PDF. axe-core checks the agenda editor, the protokoll editor and the
anslagstavla; no page may break the Content-Security-Policy.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.models import Role
from meetings import case_services, services
from meetings.models import AgendaItem, Committee, Meeting, Membership, Minutes, Paragraph, Posting
from tests.browser import assert_accessible, login
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-lösenord-123"
CASE_TITLE = "Revidering av delegationsordningen"
CASE_CLAUSE = "att anta den reviderade delegationsordningen"


def new_page(browser, live_server):
    """A second person at another computer: a fresh context (own cookies) like the `page` fixture's."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", accept_downloads=True)
    other = context.new_page()
    other.set_default_timeout(15_000)
    other.csp_errors = []
    other.on(
        "console", lambda msg: other.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return other


def agenda_titles(meeting: Meeting) -> list[str]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("title", flat=True))


def wait_for_status(page, text: str) -> None:
    page.wait_for_function("(text) => document.getElementById('agenda-status').textContent.includes(text)", arg=text)


def drag_above(page, title: str, target_title: str) -> None:
    """Drag the item `title` by its handle onto the upper part of `target_title` (SortableJS, forceFallback)."""
    items = page.locator("#agenda-items > li")
    handle = items.filter(has_text=title).locator(".drag-handle")
    handle.scroll_into_view_if_needed()
    handle.hover()
    start = handle.bounding_box()
    goal = items.filter(has_text=target_title).bounding_box()
    x = start["x"] + start["width"] / 2
    y0 = start["y"] + start["height"] / 2
    page.mouse.down()
    steps = 12
    for step in range(1, steps + 1):
        page.mouse.move(x, y0 + (goal["y"] + 5 - y0) * step / steps)
        page.wait_for_timeout(80)  # SortableJS checks the pointer position every 50 ms while dragging
    page.wait_for_timeout(300)
    page.mouse.up()


@pytest.fixture
def committee_data(live_server):
    """Ljusnarsbergs kommun's socialnämnd: ordförande and justerare log in as ledamöter; one ärende is open."""
    organisation = OrganisationFactory(name="Ljusnarsbergs kommun")
    secretary = user_with_role(
        organisation, Role.SECRETARY, username="sekr", password=PASSWORD, first_name="Sara", last_name="Sekreterare"
    )
    PersonFactory(organisation=organisation, user=secretary, first_name="Sara", last_name="Sekreterare")
    committee = services.committee_create(
        organisation=organisation,
        actor=secretary,
        name="Socialnämnden",
        short_name="SN",
        kind=Committee.Kind.COMMITTEE,
        meetings_public=False,
    )
    services.agenda_template_seed_defaults(committee=committee, actor=secretary)

    people = {}
    since = timezone.localdate() - dt.timedelta(days=400)
    for key, username, first, last, role, party in [
        ("chair", "ordf", "Olle", "Ordförande", Membership.Role.CHAIR, "S"),
        ("verifier", "just", "Jenny", "Justerare", Membership.Role.MEMBER, "M"),
        ("member", None, "Lars", "Ledamot", Membership.Role.MEMBER, "C"),
        ("substitute", None, "Ebba", "Ersättare", Membership.Role.SUBSTITUTE, "S"),
    ]:
        user = user_with_role(organisation, Role.MEMBER, username=username, password=PASSWORD) if username else None
        person = PersonFactory(organisation=organisation, user=user, first_name=first, last_name=last)
        services.membership_add(
            committee=committee, actor=secretary, role=role, starts_on=since, person=person, party=party
        )
        people[key] = person

    series = case_services.series_create(
        organisation=organisation,
        actor=secretary,
        name="Socialnämnden",
        pattern="{committee} {year}/{seq}",
        committee=committee,
    )
    case = case_services.case_register(organisation=organisation, actor=secretary, series=series, title=CASE_TITLE)
    return {"organisation": organisation, "committee": committee, "case": case, **people}


def test_meeting_cycle_from_agenda_to_public_anslag_and_extract(page, browser, live_server, committee_data):
    committee, case = committee_data["committee"], committee_data["case"]
    today = timezone.localdate()
    visited = [page]

    # -- The secretary creates the sammanträde: the standard items come from the committee's template. ------------
    login(page, "sekr", PASSWORD)
    page.goto(f"/sammantraden/nytt/?organ={committee.pk}")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Starttid").fill("09:00")
    page.get_by_label("Sluttid").fill("12:00")
    page.get_by_label("Plats").fill("Kommunhuset, sammanträdesrum Bergslagen")
    page.get_by_role("button", name="Skapa sammanträde").click()
    page.get_by_text("har lagts upp med 10 stående punkter från mallen").wait_for()
    meeting = Meeting.objects.get(committee=committee)
    assert agenda_titles(meeting)[:2] == ["Mötets öppnande", "Upprop och närvaro"]

    # -- An ärende item, with its diarienummer and förslag till beslut. -----------------------------------------------
    page.get_by_role("link", name="Ett ärende", exact=True).click()
    page.get_by_label("Ärende", exact=True).select_option(label=f"{case.case_number} {case.title}")
    page.get_by_label("Förslag till beslut").fill(CASE_CLAUSE)
    page.get_by_role("button", name="Lägg till punkt").click()
    page.get_by_text(f"”{CASE_TITLE}” har lagts till som punkt").wait_for()
    case_item = AgendaItem.objects.get(meeting=meeting, case=case)
    assert case_item.proposed_clauses == [CASE_CLAUSE]
    assert page.locator(f"#punkt-{case_item.pk}").get_by_text(f"Dnr {case.case_number}").is_visible()
    page.wait_for_function("() => window.Sortable !== undefined")

    # -- Reorder by keyboard: Enter on "Flytta ned", then Space on "Flytta upp"; the focus stays on the button. -------
    before = agenda_titles(meeting)
    page.get_by_role("button", name="Flytta ned: Mötets öppnande").focus()
    page.keyboard.press("Enter")
    wait_for_status(page, "”Mötets öppnande” flyttad till plats 2")
    assert agenda_titles(meeting)[:2] == ["Upprop och närvaro", "Mötets öppnande"]
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Flytta ned: Mötets öppnande"
    page.keyboard.press("Shift+Tab")  # back to "Flytta upp: Mötets öppnande", now at place 2
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Flytta upp: Mötets öppnande"
    page.keyboard.press("Space")
    wait_for_status(page, "”Mötets öppnande” flyttad till plats 1")
    assert agenda_titles(meeting) == before
    first = page.locator("#agenda-items > li").first
    assert re.match(r"\s*1\. Mötets öppnande", first.locator("h3").text_content())

    # -- Reorder by mouse: drag the ärende above the item before it. -------------------------------------------------
    case_index = before.index(CASE_TITLE)
    above = before[case_index - 1]
    drag_above(page, CASE_TITLE, above)
    wait_for_status(page, f"”{CASE_TITLE}” flyttad till plats {case_index}")
    expected = [*before[: case_index - 1], CASE_TITLE, above, *before[case_index + 1 :]]
    assert agenda_titles(meeting) == expected
    page.reload()
    shown = [text.split(". ", 1)[1].strip() for text in page.locator("#agenda-items > li h3").all_inner_texts()]
    assert shown == expected
    assert_accessible(page, "föredragningslistan (dagordningsredigeraren)")

    # -- The kallelse goes to the ledamöter and the ersättare. -------------------------------------------------------
    page.get_by_role("link", name="Skicka kallelse").click()
    recipients = page.get_by_test_id("notice-recipients").inner_text()
    for name in ["Olle Ordförande", "Jenny Justerare", "Lars Ledamot", "Ebba Ersättare"]:
        assert name in recipients
    page.get_by_role("button", name="Skicka kallelse").click()
    # Nobody here has an e-mail address: the count says so instead of claiming four were sent.
    page.get_by_text("Kallelsen (version 1) är utskickad, men e-posten nådde ingen av de 4 kallade").wait_for()
    assert "kallelse version 1" in page.get_by_test_id("meeting-status").inner_text()

    # -- The protokoll: närvaro, ordförande and justerare, front page. ------------------------------------------------
    page.get_by_role("button", name="Börja skriva protokollet").click()
    page.get_by_role("heading", level=1, name=re.compile(r"^Protokoll Socialnämnden")).wait_for()
    minutes = Minutes.objects.get(meeting=meeting)
    page.get_by_role("button", name="Hämta ledamöter").click()
    page.get_by_text("4 ledamöter och ersättare hämtades från uppdragen.").wait_for()
    attendance = page.get_by_role("table", name="Deltagare vid sammanträdet").inner_text()
    assert "Lars Ledamot" in attendance and "Ebba Ersättare" in attendance

    page.get_by_role("link", name="Välj ordförande och justerare").click()
    chair_select = page.get_by_role("combobox", name=re.compile("^Ordförande"))
    assert chair_select.evaluate("(select) => select.selectedOptions[0].text") == "Olle Ordförande"
    page.get_by_label("Jenny Justerare").check()
    page.get_by_role("combobox", name=re.compile("^Sekreterare")).select_option(label="Sara Sekreterare")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Ordförande, justerare och sekreterare är sparade.").wait_for()

    page.get_by_role("link", name="Ändra försättsblad").click()
    page.get_by_label("Justeringens plats").fill("Kommunkansliet")
    page.get_by_label("Justeringens dag").fill(today.isoformat())
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Försättsbladet är sparat.").wait_for()

    # -- § 1: a free paragraph with a note. ---------------------------------------------------------------------------
    page.get_by_role("link", name="Ny paragraf").click()
    page.get_by_label("Rubrik").fill("Mötets öppnande")
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_role("heading", level=1, name="§ 1 Mötets öppnande").wait_for()
    page.get_by_label("Protokollsanteckningar").fill("Ordföranden förklarar sammanträdet öppnat.")
    page.get_by_role("button", name="Spara paragrafen").click()
    page.get_by_text("§ 1 är sparad.").wait_for()

    # -- § 2: the ärende, with a votering and a reservation. ----------------------------------------------------------
    page.get_by_role("link", name="← Protokollet").click()
    page.get_by_role("link", name="Ny paragraf").click()
    page.get_by_label("Punkt på dagordningen").select_option(value=str(case_item.pk))
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_role("heading", level=1, name=f"§ 2 {CASE_TITLE}").wait_for()
    assert page.get_by_label("Beslut", exact=True).input_value() == CASE_CLAUSE
    page.get_by_label("Yrkanden").fill("Lars Ledamot (C) yrkar avslag.")
    page.get_by_label("Beslutet skickas till").fill("Socialförvaltningen\nKommunstyrelsen")
    page.get_by_role("button", name="Spara paragrafen").click()
    page.get_by_text("§ 2 är sparad.").wait_for()
    paragraph = Paragraph.objects.get(minutes=minutes, number=2)
    assert paragraph.case_id == case.pk and paragraph.decision_clauses == [CASE_CLAUSE]

    page.get_by_role("textbox", name=re.compile(r"^Proposition\*?$")).fill("Bifall till förslaget mot avslag")
    page.get_by_label("Ja innebär").fill("bifall till förslaget")
    page.get_by_label("Nej innebär").fill("avslag")
    page.get_by_role("button", name="Lägg till votering").click()
    page.get_by_role("heading", level=1, name="Votering 1 i § 2").wait_for()
    for key, choice in [("chair", "yes"), ("verifier", "yes"), ("member", "no")]:
        page.locator(f"input[name='person_{committee_data[key].pk}'][value='{choice}']").check()
    page.get_by_role("button", name="Spara rösterna").click()
    page.get_by_text("Rösterna är sparade. Resultat: bifall till förslaget.").wait_for()
    assert "2 ja-röster mot 1 nej-röst" in page.locator("#voteringar").locator("..").inner_text()

    page.locator("#id_dissent-person").select_option(label="Lars Ledamot")
    page.get_by_label("Skriftlig motivering").fill("Reserverar sig till förmån för eget yrkande om avslag.")
    page.get_by_role("button", name="Anteckna reservation").click()
    page.get_by_text("Lars Ledamot är antecknad som reserverad i § 2.").wait_for()
    assert_accessible(page, "paragrafredigeraren")

    page.get_by_role("link", name="← Protokollet").click()
    page.get_by_role("heading", level=1, name=re.compile(r"^Protokoll Socialnämnden")).wait_for()
    assert_accessible(page, "protokollredigeraren")

    # -- Send for justering. ------------------------------------------------------------------------------------------
    page.get_by_role("button", name="Skicka för justering").click()
    page.get_by_text("Protokollet är skickat för justering.").wait_for()
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.IN_VERIFICATION

    # -- The justerare and then the ordförande approve, each logged in at their own browser. -----------------------
    for username, role in [("just", "justerare"), ("ordf", "ordförande")]:
        signer = new_page(browser, live_server)
        visited.append(signer)
        try:
            login(signer, username, PASSWORD)
            signer.goto(f"/protokoll/{minutes.pk}/justering/")
            signer.get_by_label("Ditt lösenord").fill(PASSWORD)  # typed again to approve
            signer.get_by_role("button", name=f"Godkänn protokollet som {role}").click()
            signer.get_by_text("Du har godkänt protokollet.").wait_for()
            assert signer.get_by_role("button", name=re.compile("Godkänn protokollet")).count() == 0
        finally:
            signer.context.close()
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.VERIFIED and minutes.is_locked

    # The protokoll is locked for the secretary too.
    page.goto(f"/protokoll/{minutes.pk}/")
    page.get_by_text("Protokollet är justerat och låst.").wait_for()
    assert page.get_by_role("button", name="Skicka för justering").count() == 0
    assert page.get_by_role("link", name="Ny paragraf").count() == 0

    # -- The anslag: justerat today, posted today, taken down three weeks later. -----------------------------------
    page.goto(f"/anslagstavla/hantera/protokoll/{minutes.pk}/")
    page.get_by_role("link", name="Sätt upp anslag").click()
    page.get_by_label("Anslaget sätts upp").fill(today.isoformat())
    page.get_by_label("Anslaget tas ned").fill((today + dt.timedelta(days=21)).isoformat())
    page.get_by_label("Förvaringsplats för protokollet").fill("Kommunkansliet, Kopparberg")
    page.get_by_role("button", name="Sätt upp anslag").click()
    page.get_by_text("Anslaget är uppsatt.").wait_for()
    posting = Posting.objects.get(minutes=minutes)
    assert (posting.posted_on, posting.taken_down_on) == (today, today + dt.timedelta(days=21))

    # -- Anyone, without logging in, finds it on the anslagstavla. ---------------------------------------------------
    visitor = new_page(browser, live_server)
    visited.append(visitor)
    try:
        visitor.goto("/anslagstavla/")
        visitor.get_by_role("heading", level=1, name="Aktuella anslag").wait_for()
        table = visitor.get_by_test_id("posting-table").inner_text()
        assert "Socialnämnden" in table and "Ljusnarsbergs kommun" in table and "Kommunkansliet, Kopparberg" in table
        assert_accessible(visitor, "den offentliga anslagstavlan")
        visitor.get_by_role("link", name=re.compile("^Socialnämnden")).click()
        visitor.get_by_role("heading", level=3, name=f"§ 2 {CASE_TITLE}").wait_for()
        assert_accessible(visitor, "anslaget på anslagstavlan")
    finally:
        visitor.context.close()

    # -- The secretary requests a protokollsutdrag of § 2 and downloads the PDF. -------------------------------------
    page.goto(f"/anslagstavla/hantera/protokoll/{minutes.pk}/")
    page.get_by_role("link", name="Protokollsutdrag och expediering").click()
    extract_table = page.get_by_test_id("extract-table").inner_text()
    assert "Socialförvaltningen" in extract_table and "Kommunstyrelsen" in extract_table
    page.get_by_label(f"§ 2 {CASE_TITLE}").check()
    page.get_by_role("button", name="Skapa protokollsutdrag (PDF)").click()
    page.wait_for_url("**/dokument/jobb/**")
    download_link = page.get_by_role("link", name="Ladda ner PDF")
    download_link.wait_for(timeout=60_000)
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    for visited_page in visited:
        assert visited_page.csp_errors == []
