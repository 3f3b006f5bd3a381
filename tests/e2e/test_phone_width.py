"""The main pages on a 390 px wide phone: nothing overflows sideways, and axe-core finds no serious problem.

Public pages (the anslagstavla, one organisation's anslagstavla, an anslag and its protokoll) and, per role, the
logged-in pages that role works in (start, sammanträden, a sammanträde, its protokoll, ärenden, anslag).
Starts from the demo data.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844

# The elements that stick out to the right, for the failure message.
OVERFLOWING = """(width) => Array.from(document.querySelectorAll('body *'))
  .filter((el) => el.getBoundingClientRect().right > width + 0.5)
  .filter((el) => !(el.parentElement && el.parentElement.closest('.table-responsive, .visually-hidden')))
  .slice(0, 5)
  .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
    + ' ' + Math.round(el.getBoundingClientRect().right) + 'px')"""


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)
    from meetings.models import Minutes, Posting

    minutes = Minutes.objects.filter(posting__isnull=False).select_related("meeting__committee__organisation").first()
    posting = Posting.objects.get(minutes=minutes)
    return {"minutes": minutes, "meeting": minutes.meeting, "posting": posting}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _check(page, url: str, what: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{what}: {url} gav {response and response.status}"
    page.wait_for_load_state("load")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > WIDTH:
        problems.append(f"{what} ({url}) är {width} px bred: {page.evaluate(OVERFLOWING, WIDTH)}")
    assert_accessible(page, what)


def test_public_pages_fit_a_phone(phone, demo):
    posting = demo["posting"]
    organisation = demo["meeting"].committee.organisation
    pages = [
        (reverse("noticeboard:index"), "anslagstavlan"),
        (reverse("noticeboard:archive"), "arkivet"),
        (reverse("noticeboard:organisation", args=[organisation.slug]), "organisationens anslagstavla"),
        (reverse("noticeboard:posting_detail", args=[posting.pk]), "anslaget"),
        (reverse("noticeboard:minutes_page", args=[posting.pk]), "det offentliga protokollet"),
        (reverse("noticeboard:search") + "?q=budget", "sökningen"),
        (reverse("login"), "inloggningen"),
    ]
    problems: list[str] = []
    for url, what in pages:
        _check(phone, url, what, problems)
    assert not problems, "\n".join(problems)
    # The dates are visible on the cards, and "§ 7" keeps together.
    phone.goto(reverse("noticeboard:archive"))
    card = phone.locator(".posting-card").first
    assert "Anslaget sätts upp" in card.inner_text() and "Sista dag att överklaga" in card.inner_text()
    phone.goto(reverse("noticeboard:posting_detail", args=[posting.pk]))
    assert "§\xa0" in phone.locator("#minutes-heading ~ article h3").first.inner_text()


ROLE_PAGES = {
    "sekreterare": ["start", "meetings", "meeting", "minutes", "cases", "postings", "finality"],
    "ledamot": ["start", "meetings", "meeting", "minutes"],
    "revisor": ["start", "meetings", "meeting", "minutes", "cases", "audit"],
    "forbundschef": ["start", "meetings", "cases"],
}


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_logged_in_pages_fit_a_phone(phone, demo, username):
    meeting, minutes = demo["meeting"], demo["minutes"]
    urls = {
        "start": reverse("core:dashboard"),
        "meetings": reverse("agenda:meeting_list"),
        "meeting": reverse("agenda:meeting_detail", args=[meeting.pk]),
        "minutes": reverse("minutes:minutes_detail", args=[minutes.pk]),
        "cases": reverse("cases:case_list"),
        "postings": reverse("noticeboard:posting_overview"),
        "finality": reverse("noticeboard:minutes_finality", args=[minutes.pk]),
        "audit": reverse("core:audit_list"),
    }
    login(phone, username)
    problems: list[str] = []
    for key in ROLE_PAGES[username]:
        _check(phone, urls[key], f"{key} för {username}", problems)
    assert not problems, "\n".join(problems)
