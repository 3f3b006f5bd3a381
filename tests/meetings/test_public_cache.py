"""The public pages from the cache (core.http_cache): validators, 304 answers, invalidation, nothing private."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from meetings.models import Case, Meeting, Paragraph, Posting
from tests.factories import CommitteeFactory
from tests.meetings.factories import CaseNumberSeriesFactory, MeetingFactory
from tests.platform.builders_noticeboard import posted_minutes

pytestmark = pytest.mark.django_db

SECRET = "Placering enligt LVU av Hemlig Person"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def posting(organisation, today):
    return posted_minutes(organisation, posted_on=today, paragraphs=[{"title": "Budget 2027"}, {"title": "Taxor"}])


def public_urls(posting) -> list[str]:
    committee = posting.minutes.meeting.committee
    MeetingFactory(committee=committee, date=timezone.localdate() + dt.timedelta(days=10))
    return [
        reverse("noticeboard:index"),
        reverse("noticeboard:archive"),
        reverse("noticeboard:posting_detail", args=[posting.pk]),
        reverse("noticeboard:search") + "?q=Budget",
        reverse("noticeboard:committee_calendar", args=[committee.pk]),
    ]


def test_every_public_page_has_validators_and_is_public_for_a_minute(posting):
    for url in public_urls(posting):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert response["ETag"].startswith('W/"'), url
        assert response["Last-Modified"], url
        assert response["Cache-Control"] == "public, max-age=60", url
        assert not response.cookies, url  # nothing user-specific, no session or CSRF cookie
        # A shared cache keeps logged-in visitors (who send a cookie) apart from the anonymous copy.
        assert "Cookie" in response["Vary"], url


def test_second_request_is_a_hit_and_conditional_requests_get_304(posting):
    for url in public_urls(posting):
        first = Client().get(url)
        assert first.public_cache == "miss", url
        second = Client().get(url)
        assert second.public_cache == "hit" and second.content == first.content, url
        assert not second.templates, url  # nothing rendered on a hit
        etag, last_modified = first["ETag"], first["Last-Modified"]

        assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
        assert Client().get(url, HTTP_IF_NONE_MATCH=etag.removeprefix("W/")).status_code == 304, url
        assert Client().get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200, url
        assert Client().get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304, url
        earlier = http_date(timezone.now().timestamp() - 3600)
        assert Client().get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200, url
        # If-None-Match wins over If-Modified-Since (RFC 9110).
        mixed = Client().get(url, HTTP_IF_NONE_MATCH='"old"', HTTP_IF_MODIFIED_SINCE=last_modified)
        assert mixed.status_code == 200, url
        not_modified = Client().get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified["ETag"] == etag and not not_modified.content, url


def test_a_cached_hit_costs_the_same_few_queries_and_does_not_grow(organisation, today, django_assert_max_num_queries):
    small = posted_minutes(organisation, posted_on=today, paragraphs=[{}])
    large = posted_minutes(organisation, posted_on=today, paragraphs=[{} for _ in range(20)])
    for posting in (small, large):
        url = reverse("noticeboard:posting_detail", args=[posting.pk])
        Client().get(url)
        with django_assert_max_num_queries(2):  # the anslag and its §§, no rendering
            assert Client().get(url).public_cache == "hit"
    Client().get(reverse("noticeboard:index"))
    with django_assert_max_num_queries(2):  # the current anslag and the organisation filter
        assert Client().get(reverse("noticeboard:index")).public_cache == "hit"


def test_a_changed_posting_or_paragraph_is_a_new_version(posting):
    url = reverse("noticeboard:posting_detail", args=[posting.pk])
    index = reverse("noticeboard:index")
    before, index_before = Client().get(url), Client().get(index)

    paragraph = Paragraph.objects.get(minutes=posting.minutes, title="Taxor")
    paragraph.title = "Taxor och avgifter"
    paragraph.save()
    after = Client().get(url)
    assert after.public_cache == "miss" and after["ETag"] != before["ETag"]
    assert "Taxor och avgifter" in after.content.decode()
    assert Client().get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200

    Posting.objects.filter(pk=posting.pk).update(storage_place="Stadshusets arkiv")  # even without history
    moved = Client().get(url)
    assert "Stadshusets arkiv" in moved.content.decode() and moved["ETag"] != after["ETag"]
    index_after = Client().get(index)
    assert "Stadshusets arkiv" in index_after.content.decode() and index_after["ETag"] != index_before["ETag"]

    meeting = posting.minutes.meeting
    meeting.committee.name = "Kommunstyrelsen (ny)"
    meeting.committee.save()
    assert "Kommunstyrelsen (ny)" in Client().get(index).content.decode()


def test_a_paragraph_made_confidential_through_its_case_is_masked_at_once(organisation, today):
    posting = posted_minutes(organisation, posted_on=today, paragraphs=[{"title": SECRET}])
    url = reverse("noticeboard:posting_detail", args=[posting.pk])
    search = reverse("noticeboard:search") + "?q=Hemlig"
    assert SECRET in Client().get(url).content.decode()
    assert SECRET in Client().get(search).content.decode()

    paragraph = Paragraph.objects.get(minutes=posting.minutes)
    case = Case.objects.create(
        organisation=organisation,
        series=CaseNumberSeriesFactory(committee=posting.minutes.meeting.committee),
        year=today.year,
        sequence=1,
        case_number=f"X {today.year}/1",
        title="Ärende",
        registered_on=today,
    )
    Paragraph.objects.filter(pk=paragraph.pk).update(case=case)
    assert SECRET in Client().get(url).content.decode()  # still public: the ärende is not confidential
    # A queryset update writes no history: the cache must notice all the same.
    Case.objects.filter(pk=case.pk).update(confidential=True, legal_basis="OSL 26 kap. 1 §")
    for response in (Client().get(url), Client().get(url), Client().get(search), Client().get(search)):
        assert SECRET not in response.content.decode()


def test_the_date_passing_moves_the_anslag_to_the_archive(organisation, today, monkeypatch):
    posting = posted_minutes(organisation, posted_on=today - dt.timedelta(days=21), taken_down_on=today)
    index, archive = reverse("noticeboard:index"), reverse("noticeboard:archive")
    detail = reverse("noticeboard:posting_detail", args=[posting.pk])
    assert f"/anslag/{posting.pk}/" in Client().get(index).content.decode()
    assert f"/anslag/{posting.pk}/" not in Client().get(archive).content.decode()
    assert "Anslaget är nedtaget" not in Client().get(detail).content.decode()

    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert f"/anslag/{posting.pk}/" not in Client().get(index).content.decode()
    assert f"/anslag/{posting.pk}/" in Client().get(archive).content.decode()
    assert "Anslaget är nedtaget" in Client().get(detail).content.decode()


def test_the_calendar_follows_moved_and_cancelled_meetings(organisation):
    committee = CommitteeFactory(organisation=organisation)
    meeting = MeetingFactory(committee=committee, date=timezone.localdate() + dt.timedelta(days=5), place="Rum A")
    url = reverse("noticeboard:committee_calendar", args=[committee.pk])
    first = Client().get(url)
    assert "Rum A" in first.content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(place="Rum B")
    moved = Client().get(url)
    assert "Rum B" in moved.content.decode() and moved["ETag"] != first["ETag"]
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    cancelled = Client().get(url)
    assert "STATUS:CANCELLED" in cancelled.content.decode() and cancelled["ETag"] != moved["ETag"]


def test_logged_in_requests_neither_use_nor_fill_the_public_cache(client_for, organisation, posting):
    url = reverse("noticeboard:posting_detail", args=[posting.pk])
    logged_in = client_for(organisation)
    assert settings.SESSION_COOKIE_NAME in logged_in.cookies

    response = logged_in.get(url)
    assert response.public_cache == "bypass" and response.templates  # rendered for this request
    assert response["Cache-Control"] == "private, no-cache" and "ETag" not in response
    assert Client().get(url).public_cache == "miss"  # the logged-in render was not stored

    assert Client().get(url).public_cache == "hit"
    again = logged_in.get(url, HTTP_IF_NONE_MATCH=Client().get(url)["ETag"])
    assert again.status_code == 200 and again.public_cache == "bypass"


def test_a_cache_that_cannot_be_reached_still_serves_every_page(posting, client_for, organisation, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    for url in public_urls(posting):
        response = Client().get(url)
        assert response.status_code == 200 and response["ETag"], url
    minutes_url = reverse("minutes:minutes_detail", kwargs={"pk": posting.minutes.pk})
    assert client_for(organisation).get(minutes_url).status_code == 200


def test_within_the_recheck_window_a_process_answers_from_memory_then_reads_again(
    posting, settings, monkeypatch, django_assert_max_num_queries
):
    import core.http_cache as http_cache

    settings.PUBLIC_CACHE_RECHECK_SECONDS = 1
    clock = [1000.0]
    monkeypatch.setattr(http_cache.time, "monotonic", lambda: clock[0])
    url = reverse("noticeboard:posting_detail", args=[posting.pk])
    first = Client().get(url)
    assert first.public_cache == "miss"
    Posting.objects.filter(pk=posting.pk).update(storage_place="Stadshusets arkiv")

    clock[0] += 0.5
    with django_assert_max_num_queries(0):  # no query at all within the window
        recent = Client().get(url)
    assert recent.public_cache == "recent" and recent.content == first.content
    assert Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    clock[0] += 0.6  # the window has passed: the rows are read again and the change shows
    after = Client().get(url)
    assert after.public_cache == "miss" and "Stadshusets arkiv" in after.content.decode()


def test_the_recheck_window_never_outlives_the_day(organisation, today, settings, monkeypatch):
    settings.PUBLIC_CACHE_RECHECK_SECONDS = 3600
    posting = posted_minutes(organisation, posted_on=today - dt.timedelta(days=21), taken_down_on=today)
    index = reverse("noticeboard:index")
    assert f"/anslag/{posting.pk}/" in Client().get(index).content.decode()
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert f"/anslag/{posting.pk}/" not in Client().get(index).content.decode()
