"""The public anslagstavla: current, archived and future anslag, the public protokoll, search, no sekretess."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Paragraph
from tests.factories import CommitteeFactory, OrganisationFactory
from tests.platform.builders_noticeboard import posted_minutes

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Ansökan om bistånd för Hemlig Person"
SECRET_CLAUSE = "att bevilja Hemlig Person bistånd"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def anonymous():
    return Client()


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def test_index_lists_current_anslag_newest_first_with_every_fact(organisation, other_organisation, anonymous, today):
    older = posted_minutes(organisation, posted_on=today - days(10), storage_place="Kommunkansliet")
    newer = posted_minutes(other_organisation, posted_on=today, storage_place="Förbundets kansli")
    posted_minutes(organisation, posted_on=today + days(1))  # not yet posted
    gone = posted_minutes(organisation, posted_on=today - days(40), taken_down_on=today - days(1))

    response = anonymous.get(reverse("noticeboard:index"))
    html = response.content.decode()
    assert response.status_code == 200
    # Each card links the anslag, its protokoll page and its PDF.
    assert len(re.findall(r'href="/anslagstavla/anslag/\d+/"', html)) == 2
    assert html.count('/protokoll/"') == 2 and html.count('/protokoll.pdf"') == 2
    assert html.index(f"/anslag/{newer.pk}/") < html.index(f"/anslag/{older.pk}/")
    assert f"/anslag/{gone.pk}/" not in html
    from meetings import dates

    for posting in (older, newer):
        meeting = posting.minutes.meeting
        for text in (
            meeting.committee.name,
            meeting.committee.organisation.name,
            meeting.date.isoformat(),
            posting.posted_on.isoformat(),
            posting.taken_down_on.isoformat(),
            posting.storage_place,
            dates.appeal_last_day(posting.posted_on).isoformat(),
        ):
            assert text in html


def test_take_down_day_is_still_current_then_archived(organisation, anonymous, today):
    last_day = posted_minutes(organisation, posted_on=today - days(21), taken_down_on=today)
    gone = posted_minutes(organisation, posted_on=today - days(22), taken_down_on=today - days(1))
    index = anonymous.get(reverse("noticeboard:index")).content.decode()
    archive = anonymous.get(reverse("noticeboard:archive")).content.decode()
    assert f"/anslag/{last_day.pk}/" in index and f"/anslag/{last_day.pk}/" not in archive
    assert f"/anslag/{gone.pk}/" in archive and f"/anslag/{gone.pk}/" not in index


def test_filter_by_organisation(organisation, other_organisation, anonymous, today):
    mine = posted_minutes(organisation, posted_on=today)
    theirs = posted_minutes(other_organisation, posted_on=today)
    html = anonymous.get(reverse("noticeboard:index"), {"organisation": organisation.pk}).content.decode()
    assert f"/anslag/{mine.pk}/" in html and f"/anslag/{theirs.pk}/" not in html
    html = anonymous.get(reverse("noticeboard:index"), {"organisation": "x"}).content.decode()
    assert f"/anslag/{mine.pk}/" in html and f"/anslag/{theirs.pk}/" in html


def test_archive_is_paginated(organisation, anonymous, today):
    for n in range(27):
        posted_minutes(organisation, posted_on=today - days(60 + n), taken_down_on=today - days(30))
    first = anonymous.get(reverse("noticeboard:archive")).content.decode()
    second = anonymous.get(reverse("noticeboard:archive"), {"sida": 2}).content.decode()
    assert len(re.findall(r'href="/anslagstavla/anslag/\d+/"', first)) == 25
    assert len(re.findall(r'href="/anslagstavla/anslag/\d+/"', second)) == 2
    assert "Sida 2 av 2" in second


def test_not_yet_posted_and_unknown_are_404(organisation, anonymous, today):
    future = posted_minutes(organisation, posted_on=today + days(1))
    assert anonymous.get(reverse("noticeboard:posting_detail", args=[future.pk])).status_code == 404
    assert anonymous.get(reverse("noticeboard:posting_detail", args=[future.pk + 1000])).status_code == 404


def secret_protokoll(organisation, today, **kwargs):
    posting = posted_minutes(
        organisation,
        posted_on=today,
        paragraphs=[
            {"title": "Delårsrapport", "decision_clauses": ["att godkänna delårsrapporten"]},
            {"title": SECRET_TITLE, "decision_clauses": [SECRET_CLAUSE], "confidential": True},
            {"title": "Ärende med hemlig punkt", "decision_clauses": ["att notera informationen"]},
        ],
        **kwargs,
    )
    # § 3 is not marked itself, but its agenda item is: it is masked all the same.
    third = posting.minutes.paragraphs.get(number=3)
    third.agenda_item = AgendaItem.objects.create(
        meeting=posting.minutes.meeting,
        position=3,
        title="Punkt",
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    third.save()
    return posting


def test_detail_shows_the_public_protokoll_and_masks_confidential(organisation, anonymous, today):
    posting = secret_protokoll(organisation, today)
    response = anonymous.get(reverse("noticeboard:posting_detail", args=[posting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "§\xa01 Delårsrapport" in html and "att godkänna delårsrapporten" in html
    assert '<h3 id="par-2" class="h5">§\xa02</h3>' in html
    assert '<h3 id="par-3" class="h5">§\xa03</h3>' in html
    assert html.count("Paragrafen omfattas av sekretess") == 2
    for secret in (SECRET_TITLE, SECRET_CLAUSE, "Ärende med hemlig punkt", "att notera informationen", "OSL"):
        assert secret not in html
    assert organisation.name in html


def test_search_finds_public_paragraphs_and_never_confidential(organisation, anonymous, today):
    posting = secret_protokoll(organisation, today)
    posted_minutes(organisation, posted_on=today + days(1), paragraphs=[{"title": "Delårsrapport framtid"}])

    html = anonymous.get(reverse("noticeboard:search"), {"q": "delårsrapport"}).content.decode()
    assert "1 träff " in html
    assert f'href="/anslagstavla/anslag/{posting.pk}/#par-1"' in html
    assert "framtid" not in html

    # By words of a beslut, with å/ä/ö. (SQLite folds the case of ASCII letters only; PostgreSQL of all.)
    html = anonymous.get(reverse("noticeboard:search"), {"q": "Godkänna delårs"}).content.decode()
    assert f"/anslag/{posting.pk}/#par-1" in html

    for query in ("Hemlig Person", "bistånd", "hemlig punkt", "notera informationen"):
        html = anonymous.get(reverse("noticeboard:search"), {"q": query}).content.decode()
        assert "Inga träffar" in html, query
        assert SECRET_TITLE not in html and SECRET_CLAUSE not in html


def test_public_pages_answer_get_only_and_need_no_login(organisation, anonymous, today):
    posting = posted_minutes(organisation, posted_on=today)
    urls = [
        reverse("noticeboard:index"),
        reverse("noticeboard:archive"),
        reverse("noticeboard:search"),
        reverse("noticeboard:posting_detail", args=[posting.pk]),
        reverse("noticeboard:committee_calendar", args=[posting.minutes.meeting.committee.pk]),
    ]
    for url in urls:
        assert anonymous.get(url).status_code == 200, url
        assert anonymous.post(url, {}).status_code == 405, url


def test_internal_pages_need_login(organisation, anonymous, today):
    posting = posted_minutes(organisation, posted_on=today)
    response = anonymous.get(reverse("noticeboard:minutes_finality", args=[posting.minutes.pk]))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_index_query_count_does_not_grow(organisation, anonymous, today, django_assert_max_num_queries):
    posted_minutes(organisation, posted_on=today)
    with django_assert_max_num_queries(4) as few:
        anonymous.get(reverse("noticeboard:index"))
    for _ in range(12):
        other = OrganisationFactory()
        posted_minutes(other, posted_on=today, committee=CommitteeFactory(organisation=other))
    with django_assert_max_num_queries(len(few)):
        html = anonymous.get(reverse("noticeboard:index")).content.decode()
    assert len(re.findall(r'href="/anslagstavla/anslag/\d+/"', html)) == 13


def test_detail_query_count_does_not_grow(organisation, anonymous, today, django_assert_max_num_queries):
    small = posted_minutes(organisation, posted_on=today, paragraphs=[{}])
    large = posted_minutes(organisation, posted_on=today, paragraphs=[{} for _ in range(20)])
    # A first visit: the two fingerprint rows of the public cache, then the anslag and its §§ for the page.
    with django_assert_max_num_queries(4) as few:
        anonymous.get(reverse("noticeboard:posting_detail", args=[small.pk]))
    with django_assert_max_num_queries(len(few)):
        anonymous.get(reverse("noticeboard:posting_detail", args=[large.pk]))
    assert Paragraph.objects.filter(minutes=large.minutes).count() == 20
