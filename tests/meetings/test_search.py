"""Search: what it finds on SQLite and PostgreSQL, and that confidential content is never found without the right.

Run on both databases: the confidentiality tests are the contract the public anslagstavla relies on.
"""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings import case_services, search
from meetings.models import Paragraph
from tests.factories import CommitteeFactory, MembershipFactory, user_with_role

from .factories import AgendaItemFactory, CaseNumberSeriesFactory, MeetingFactory, MinutesFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Svensk fulltextsökning finns bara på PostgreSQL"
)
SECRET = "Kalmarsundsplaceringen"  # a word that appears only in confidential content


@pytest.fixture
def secretary(organisation):
    return user_with_role(organisation, Role.SECRETARY)


@pytest.fixture
def world(organisation, secretary):
    """One public ärende with its § and every way content can be confidential, each holding SECRET."""
    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")
    series = CaseNumberSeriesFactory(committee=committee)

    def register(title, day=dt.date(2022, 6, 1), **kwargs):
        return case_services.case_register(
            organisation=organisation, actor=secretary, series=series, title=title, registered_on=day, **kwargs
        )

    public = register("Extra månadsuppföljning maj")
    case_services.officer_report_update(
        report=public.officer_report,
        actor=secretary,
        data={
            "proposed_clauses": ["att godkänna den ekonomiska uppföljningen"],
            "summary": "Prognosen för helåret visar ett underskott inom hemtjänsten.",
        },
    )
    secret_case = register(f"Placering {SECRET}", confidential=True, legal_basis="OSL 26 kap. 1 §")
    on_secret_item = register(f"Uppföljning {SECRET}")
    secret_report = register("Ärende med hemlig tjänsteskrivelse", confidential=True, legal_basis="OSL 26 kap. 1 §")
    case_services.officer_report_update(
        report=secret_report.officer_report, actor=secretary, data={"description": f"Om {SECRET}."}
    )

    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16), place="Kommunhuset, Bergsalen")
    minutes = MinutesFactory(meeting=meeting)
    public_item = AgendaItemFactory(meeting=meeting, case=public, title=public.title, position=1)
    secret_item = AgendaItemFactory(
        meeting=meeting, case=on_secret_item, title="Punkt", position=2, confidential=True, legal_basis="OSL"
    )

    def paragraph(number, title, **kwargs):
        return Paragraph.objects.create(
            minutes=minutes, committee=committee, year=2022, number=number, title=title, **kwargs
        )

    paragraph(
        69,
        public.title,
        case=public,
        agenda_item=public_item,
        body="Nämnden diskuterade hemtjänstens timmar.",
        decision_clauses=["att godkänna uppföljningen och överlämna den till kommunstyrelsen"],
    )
    paragraph(70, f"Beslut om {SECRET}", confidential=True, legal_basis="OSL 26 kap. 1 §")
    paragraph(71, "Punkt med hemlig agendapunkt", agenda_item=secret_item, body=f"Text om {SECRET}.")
    paragraph(72, "Paragraf i hemligt ärende", case=secret_case, decision_clauses=[f"att bevilja {SECRET}"])
    return {"public": public, "secret_case": secret_case, "meeting": meeting, "committee": committee}


def numbers(results):
    return sorted(p.number for p in results.paragraphs)


@pytest.mark.django_db
def test_confidential_content_is_never_found_without_the_right(organisation, world):
    results = search.search(organisation=organisation, text=SECRET, include_confidential=False)
    assert results.count == 0, (results.cases, results.paragraphs)
    # The same content is there for those entitled, so the zero above is the filter and not a miss.
    entitled = search.search(organisation=organisation, text=SECRET, include_confidential=True)
    assert {case.title for case in entitled.cases} >= {f"Placering {SECRET}", f"Uppföljning {SECRET}"}
    assert len(entitled.cases) == 3
    assert numbers(entitled) == [70, 71, 72]


@pytest.mark.django_db
def test_without_text_no_confidential_row_is_listed_either(organisation, world):
    results = search.search(organisation=organisation, date_from=dt.date(2022, 1, 1), include_confidential=False)
    assert [case.case_number for case in results.cases] == [world["public"].case_number]
    assert numbers(results) == [69]
    by_number = search.search(
        organisation=organisation, case_number=world["secret_case"].case_number, include_confidential=False
    )
    assert by_number.count == 0


@pytest.mark.django_db
def test_finds_cases_paragraphs_and_meetings_by_their_text(organisation, world):
    def found(text):
        return search.search(organisation=organisation, text=text, include_confidential=False)

    assert [c.pk for c in found("underskott").cases] == [world["public"].pk]  # officer report summary
    assert [c.pk for c in found("godkänna").cases] == [world["public"].pk]  # proposed clause (JSON)
    assert numbers(found("kommunstyrelsen")) == [69]  # decision clause (JSON)
    assert numbers(found("hemtjänstens")) == [69]  # body
    assert [m.pk for m in found("Bergsalen").meetings] == [world["meeting"].pk]
    assert [m.pk for m in found("Socialnämnden").meetings] == [world["meeting"].pk]
    assert [c.pk for c in found(world["public"].case_number).cases] == [world["public"].pk]
    assert found("finnsinteordet").count == 0


@pytest.mark.django_db
def test_date_range_and_case_number(organisation, world):
    before = search.search(organisation=organisation, date_to=dt.date(2022, 5, 31), include_confidential=True)
    assert before.count == 0
    on_day = search.search(
        organisation=organisation,
        date_from=dt.date(2022, 6, 16),
        date_to=dt.date(2022, 6, 16),
        include_confidential=True,
    )
    assert ([m.pk for m in on_day.meetings], on_day.cases) == ([world["meeting"].pk], [])
    by_number = search.search(
        organisation=organisation, case_number=world["public"].case_number, include_confidential=False
    )
    assert [c.pk for c in by_number.cases] == [world["public"].pk]
    assert numbers(by_number) == [69]
    assert by_number.meetings == []


@pytest.mark.django_db
def test_published_only_keeps_paragraphs_of_a_justerat_protokoll(organisation, world):
    draft = search.search(
        organisation=organisation, text="hemtjänstens", include_confidential=False, published_only=True
    )
    assert numbers(draft) == []
    minutes = world["meeting"].minutes
    minutes.status, minutes.verified_at = "verified", timezone.now()
    minutes.save()
    published = search.search(
        organisation=organisation, text="hemtjänstens", include_confidential=False, published_only=True
    )
    assert numbers(published) == [69]


@pytest.mark.django_db
def test_search_never_crosses_organisations(organisation, other_organisation, world):
    assert search.search(organisation=other_organisation, text="uppföljning", include_confidential=True).count == 0


@postgres_only
@pytest.mark.django_db
def test_swedish_full_text_matches_inflected_forms_and_ranks(organisation, world):
    # The Swedish stemmer makes the plural "uppföljningar" match "uppföljningen" in the förslag and the beslut.
    results = search.search(organisation=organisation, text="uppföljningar", include_confidential=False)
    assert world["public"].pk in [c.pk for c in results.cases]
    assert 69 in numbers(results)
    # websearch syntax: a minus excludes.
    assert (
        search.search(organisation=organisation, text="hemtjänsten -underskott", include_confidential=False).cases == []
    )
    # Still nothing confidential, also through stemming ("Kalmarsundsplaceringens").
    assert search.search(organisation=organisation, text=SECRET + "s", include_confidential=False).count == 0


@pytest.mark.django_db
def test_search_view_uses_the_users_right_to_confidential(client_for, organisation, world):
    url = reverse("cases:search")
    economist = client_for(organisation, Role.ECONOMIST).get(url, {"q": SECRET})
    assert economist.context["results"].count == 0
    assert SECRET not in economist.content.decode().replace('value="' + SECRET + '"', "")
    # A ledamot reads sekretess only of the committees where they hold a seat (docs/decisions/0006).
    seatless = client_for(organisation, Role.MEMBER).get(url, {"q": SECRET})
    assert seatless.context["results"].count == 0
    member = client_for(organisation, Role.MEMBER)
    MembershipFactory(committee=world["committee"], person__user=member.user)
    assert member.get(url, {"q": SECRET}).context["results"].count == 6
    refused = client_for(organisation, Role.MEMBER).get(url, {"fran": "2022-06-30", "till": "2022-06-01"})
    assert "Slutdatumet ligger före startdatumet." in refused.content.decode()
    assert refused.context["results"] is None
