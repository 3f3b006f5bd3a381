"""The public anslagstavla in a real browser: a visitor finds an anslag, reads it and searches; axe-core passes."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.models import Role
from meetings.models import Appeal
from tests.browser import assert_accessible, login
from tests.factories import CommitteeFactory, OrganisationFactory, user_with_role
from tests.platform.builders_noticeboard import posted_minutes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Bistånd till Hemlig Person"
PASSWORD = "demo-lösenord-123"


def test_visitor_reads_the_anslagstavla(page):
    today = timezone.localdate()
    organisation = OrganisationFactory(name="Ljusnarsbergs kommun")
    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")
    posted_minutes(
        organisation,
        committee=committee,
        posted_on=today,
        storage_place="Kommunkansliet",
        paragraphs=[
            {"title": "Delårsrapport", "decision_clauses": ["att godkänna delårsrapporten"]},
            {"title": SECRET, "confidential": True},
        ],
    )
    posted_minutes(organisation, posted_on=today - dt.timedelta(days=40), taken_down_on=today - dt.timedelta(days=1))

    page.goto("/anslagstavla/")
    page.get_by_role("heading", level=1, name="Aktuella anslag").wait_for()
    assert "Ljusnarsbergs kommun" in page.get_by_test_id("posting-table").inner_text()
    assert page.csp_errors == []
    assert_accessible(page, "anslagstavlan")

    page.get_by_role("link", name=re.compile("^Socialnämnden")).click()  # not "Läs protokollet från …"
    page.get_by_role("heading", level=3, name="§ 1 Delårsrapport").wait_for()
    assert page.get_by_text("Paragrafen omfattas av sekretess").is_visible()
    assert SECRET not in page.content()
    assert_accessible(page, "ett anslag")

    page.get_by_role("link", name="Sök i protokoll").click()
    page.get_by_label("Sökord").fill("Delårsrapport")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("status").get_by_text("1 träff").wait_for()
    assert_accessible(page, "sökningen")

    page.get_by_role("link", name="Arkiv").click()
    page.get_by_role("heading", level=1, name="Arkiv – nedtagna anslag").wait_for()
    assert_accessible(page, "arkivet")


def test_secretary_asks_the_court_and_sees_laga_kraft(page):
    organisation = OrganisationFactory(name="Ljusnarsbergs kommun")
    user_with_role(organisation, Role.SECRETARY, username="sekreterare", password=PASSWORD)
    clauses = ["att godkänna förslaget"]
    posting = posted_minutes(
        organisation,
        posted_on=dt.date(2019, 12, 20),
        paragraphs=[{"title": "A", "decision_clauses": clauses}, {"title": "B", "decision_clauses": clauses}],
    )
    Appeal.objects.create(paragraph=posting.minutes.paragraphs.get(number=2), received_on=dt.date(2020, 1, 3))

    login(page, "sekreterare", PASSWORD)
    page.goto(f"/anslagstavla/hantera/protokoll/{posting.minutes.pk}/")
    # The appeal period ran out long ago, but without the court's answer nothing claims laga kraft.
    assert page.get_by_test_id("status-1").inner_text() == (
        "Överklagandetiden gick ut 2020-01-10, lagakraftbevis inte begärt"
    )
    assert page.get_by_test_id("status-2").inner_text() == "Överklagad 2020-01-03"
    assert_accessible(page, "protokollets laga kraft")

    page.get_by_role("link", name="Begär lagakraftbevis").click()
    page.get_by_role("heading", level=1, name="Begär lagakraftbevis").wait_for()
    assert_accessible(page, "begäran om lagakraftbevis")
    page.get_by_label("Förvaltningsrätt").fill("Förvaltningsrätten i Karlstad")
    page.get_by_label("Undertecknas av").fill("Anders Andersson")
    page.get_by_role("button", name="Registrera begäran").click()
    page.get_by_test_id("finality-request").wait_for()
    assert page.get_by_test_id("status-1").inner_text().startswith("Lagakraftbevis begärt")

    page.get_by_role("link", name="Registrera förvaltningsrättens svar").click()
    page.get_by_role("heading", level=1, name="Registrera förvaltningsrättens svar").wait_for()
    assert_accessible(page, "förvaltningsrättens svar")
    page.get_by_label("Förvaltningsrättens svar är daterat").fill(dt.date.today().isoformat())
    page.get_by_label("Målnummer eller referens").fill("Mål nr 123-20")
    page.get_by_role("button", name="Registrera svaret").click()
    page.get_by_test_id("finality-request").wait_for()
    assert page.get_by_test_id("status-1").inner_text() == "Vunnit laga kraft 2020-01-11"

    page.get_by_role("link", name="Protokollsutdrag och expediering").click()
    page.get_by_role("heading", level=1).wait_for()
    assert_accessible(page, "protokollsutdrag")
