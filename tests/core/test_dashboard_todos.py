"""The dashboards as to-do lists: the secretary's, the ledamot's, and the revisor's granskningslogg."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings.models import Appeal, Meeting, Minutes, Signatory
from meetings.todo_selectors import member_todos, secretary_todos
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory
from tests.meetings.factories import MeetingFactory, MinutesFactory
from tests.platform.builders_noticeboard import posted_minutes, verified_minutes

pytestmark = pytest.mark.django_db


def _by_key(todos):
    return {todo.key: todo for todo in todos}


def _secretary_world(organisation, today, n=1):
    """n of every kind of task, and things that are no task (done, cancelled, another organisation)."""
    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden")
    made = {}
    for i in range(n):
        made["notice"] = MeetingFactory(committee=committee, date=today + dt.timedelta(days=10 + i))
        MeetingFactory(committee=committee, date=today + dt.timedelta(days=11 + i), status=Meeting.Status.NOTICE_ISSUED)
        MeetingFactory(committee=committee, date=today + dt.timedelta(days=12 + i), status=Meeting.Status.CANCELLED)
        made["unwritten"] = MeetingFactory(committee=committee, date=today - dt.timedelta(days=1 + i))
        made["draft"] = MinutesFactory(meeting__committee=committee, meeting__date=today - dt.timedelta(days=2 + i))
        sent = MinutesFactory(
            meeting__committee=committee,
            meeting__date=today - dt.timedelta(days=3 + i),
            status=Minutes.Status.IN_VERIFICATION,
        )
        Signatory.objects.create(minutes=sent, person=PersonFactory(organisation=organisation), role="verifier")
        made["sent"] = sent
        made["unposted"] = verified_minutes(
            organisation, meeting_date=today - dt.timedelta(days=5 + i), verified_on=today
        )
        made["coming_down"] = posted_minutes(
            organisation,
            posted_on=today - dt.timedelta(days=21),
            taken_down_on=today + dt.timedelta(days=2),
        )
        made["final"] = posted_minutes(
            organisation,
            posted_on=today - dt.timedelta(days=30),
            taken_down_on=today - dt.timedelta(1),
        )
    return made


def test_secretary_todos_name_each_task(organisation, other_organisation):
    today = timezone.localdate()
    made = _secretary_world(organisation, today)
    _secretary_world(other_organisation, today)  # never counted here
    todos = _by_key(secretary_todos(organisation=organisation, today=today))

    assert todos["notices"].count == 1
    assert todos["notices"].items[0].url == reverse("agenda:notice_issue", args=[made["notice"].pk])
    assert todos["minutes_to_write"].count == 2
    urls = {item.url for item in todos["minutes_to_write"].items}
    assert urls == {
        reverse("agenda:meeting_detail", args=[made["unwritten"].pk]),
        reverse("minutes:minutes_detail", args=[made["draft"].pk]),
    }
    assert todos["minutes_in_verification"].count == 1
    assert todos["minutes_in_verification"].items[0].note == "1 underskrift saknas"
    assert todos["postings_to_post"].count == 1
    assert todos["postings_to_post"].items[0].url == reverse("noticeboard:posting_create", args=[made["unposted"].pk])
    assert todos["postings_to_take_down"].count == 1
    assert todos["postings_to_take_down"].items[0].url == reverse(
        "noticeboard:posting_detail", args=[made["coming_down"].pk]
    )
    # Both anslag are near laga kraft: one vann it (taken down), one vinner it within the week.
    finality = {item.url: item.note for item in todos["finality"].items}
    assert todos["finality"].count == 2
    assert finality[reverse("noticeboard:minutes_finality", args=[made["final"].minutes_id])].startswith(
        "vann laga kraft"
    )
    assert finality[reverse("noticeboard:minutes_finality", args=[made["coming_down"].minutes_id])].startswith(
        "vinner laga kraft"
    )


def test_an_appealed_beslut_does_not_say_laga_kraft(organisation):
    today = timezone.localdate()
    posting = posted_minutes(organisation, posted_on=today - dt.timedelta(days=30), taken_down_on=today)
    Appeal.objects.create(
        paragraph=posting.minutes.paragraphs.first(), received_on=today - dt.timedelta(days=25), court="FR"
    )
    finality = _by_key(secretary_todos(organisation=organisation, today=today))["finality"]
    assert finality.items[0].note.startswith("överklagat")


def test_secretary_dashboard_shows_the_todos_in_constant_queries(
    client_for, organisation, django_assert_max_num_queries
):
    client = client_for(organisation, Role.SECRETARY)
    today = timezone.localdate()
    _secretary_world(organisation, today, n=1)
    with django_assert_max_num_queries(40) as small:
        response = client.get(reverse("core:dashboard"))
    html = response.content.decode()
    assert 'data-todo="notices" data-count="1"' in html
    assert "Protokoll att skriva" in html and "Anslag att sätta upp" in html
    _secretary_world(organisation, today, n=8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("core:dashboard"))
    assert 'data-todo="notices" data-count="9"' in response.content.decode()


def test_member_todos_list_own_meetings_and_protokoll_to_justera(client_for, organisation):
    today = timezone.localdate()
    client = client_for(organisation, Role.MEMBER)
    person = PersonFactory(organisation=organisation, user=client.user)
    mine = CommitteeFactory(organisation=organisation, name="Socialnämnden")
    MembershipFactory(committee=mine, person=person, starts_on=today - dt.timedelta(days=100))
    other = CommitteeFactory(organisation=organisation, name="Kommunstyrelsen")
    coming = MeetingFactory(committee=mine, date=today + dt.timedelta(days=5), status=Meeting.Status.NOTICE_ISSUED)
    MeetingFactory(committee=other, date=today + dt.timedelta(days=5))  # not my committee
    MeetingFactory(committee=mine, date=today - dt.timedelta(days=5))  # held
    to_sign = MinutesFactory(
        meeting__committee=mine, meeting__date=today - dt.timedelta(days=3), status="in_verification"
    )
    Signatory.objects.create(minutes=to_sign, person=person, role=Signatory.Role.VERIFIER)
    signed = MinutesFactory(
        meeting__committee=mine, meeting__date=today - dt.timedelta(days=4), status="in_verification"
    )
    Signatory.objects.create(minutes=signed, person=person, role=Signatory.Role.VERIFIER, signed_at=timezone.now())

    todos = _by_key(member_todos(organisation=organisation, user=client.user, today=today))
    assert [item.url for item in todos["coming_meetings"].items] == [reverse("agenda:meeting_detail", args=[coming.pk])]
    assert todos["coming_meetings"].items[0].note == "kallelse och handlingar finns"
    assert [item.url for item in todos["minutes_to_verify"].items] == [
        reverse("minutes:verification", args=[to_sign.pk])
    ]

    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Kommande sammanträden" in html and "Protokoll att justera" in html
    assert reverse("minutes:verification", args=[to_sign.pk]) in html


def test_revisor_reads_the_granskningslogg_on_the_dashboard(client_for, organisation):
    CommitteeFactory(organisation=organisation, name="Revisionsnämnden")
    client = client_for(organisation, Role.AUDITOR)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="audit-preview"' in html and "Revisionsnämnden" in html
    assert reverse("core:audit_list") in html
    assert client.get(reverse("core:audit_list")).status_code == 200


def test_member_dashboard_queries_do_not_grow(client_for, organisation, django_assert_max_num_queries):
    today = timezone.localdate()
    client = client_for(organisation, Role.MEMBER)
    person = PersonFactory(organisation=organisation, user=client.user)

    def add(n):
        for i in range(n):
            committee = CommitteeFactory(organisation=organisation)
            MembershipFactory(committee=committee, person=person, starts_on=today - dt.timedelta(days=10))
            MeetingFactory(committee=committee, date=today + dt.timedelta(days=3 + i))
            minutes = MinutesFactory(
                meeting__committee=committee, meeting__date=today - dt.timedelta(days=2), status="in_verification"
            )
            Signatory.objects.create(minutes=minutes, person=person, role=Signatory.Role.VERIFIER)

    add(1)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("core:dashboard"))
    add(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-todo="coming_meetings" data-count="9"' in html
    assert 'data-todo="minutes_to_verify" data-count="9"' in html
