"""Statuses follow the process: a meeting's stage, genomfört and inställt, and the justering that closes ärenden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.models import Role
from meetings import agenda_selectors, agenda_services
from meetings import minutes_services as services
from meetings.models import Case, Meeting, Membership, Minutes, NoticeIssue, NoticeRecipient, Paragraph, Posting
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, user_with_role
from tests.reporting.conftest import make_job

from .factories import AgendaItemFactory, CaseNumberSeriesFactory, MeetingFactory, MinutesFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def secretary(organisation):
    return user_with_role(organisation, Role.SECRETARY)


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")


def make_case(committee, sequence: int, title: str = "Ärende") -> Case:
    series = CaseNumberSeriesFactory(committee=committee, organisation=committee.organisation)
    return Case.objects.create(
        organisation=committee.organisation,
        series=series,
        year=2019,
        sequence=sequence,
        case_number=f"SN 2019/{sequence}",
        title=title,
        committee=committee,
        registered_on=D(2019, 10, 1),
    )


def sent_notice(meeting, *, emails=("anna@ex.se", "")) -> NoticeIssue:
    notice = NoticeIssue.objects.create(meeting=meeting, revision=1)
    for number, email in enumerate(emails):
        person = PersonFactory(organisation=meeting.committee.organisation, first_name=f"P{number}", email=email)
        NoticeRecipient.objects.create(notice=notice, person=person, category="member", email=email)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.NOTICE_ISSUED, notice_revision=1)
    meeting.refresh_from_db()
    return notice


# -- Genomfört ----------------------------------------------------------------------------------------------


def test_mark_held_from_the_meeting_day_only(committee, secretary):
    meeting = MeetingFactory(committee=committee, date=D(2019, 11, 28))
    sent_notice(meeting)
    with pytest.raises(ValidationError, match="har inte ägt rum än"):
        agenda_services.meeting_mark_held(meeting=meeting, actor=secretary, today=D(2019, 11, 27))
    agenda_services.meeting_mark_held(meeting=meeting, actor=secretary, today=D(2019, 11, 28))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.stage_label == "Genomfört"
    assert meeting.history.first().history_user == secretary
    with pytest.raises(ValidationError, match="redan markerat som genomfört"):
        agenda_services.meeting_mark_held(meeting=meeting, actor=secretary)


# -- Inställt -----------------------------------------------------------------------------------------------


def test_cancel_records_it_tells_the_kallade_and_locks_the_agenda(
    committee, secretary, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(committee=committee, date=timezone.localdate() + dt.timedelta(days=10))
    sent_notice(meeting, emails=("anna@ex.se", "bo@ex.se", ""))
    with django_capture_on_commit_callbacks(execute=True):
        agenda_services.meeting_cancel(meeting=meeting, actor=secretary, reason="Ordföranden är sjuk.", notify=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.stage_label == "Inställt"
    assert meeting.cancelled_at and meeting.cancellation_reason == "Ordföranden är sjuk."
    assert meeting.cancellation_emailed_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@ex.se", "bo@ex.se"]
    assert "är inställt" in mail.outbox[0].body and "Ordföranden är sjuk." in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Inställt sammanträde: Socialnämnden")
    assert meeting.history.first().history_user == secretary
    with pytest.raises(ValidationError, match="inställt"):
        agenda_services.agenda_item_add(meeting=meeting, actor=secretary, kind="information", title="Ny")
    with pytest.raises(ValidationError, match="redan inställt"):
        agenda_services.meeting_cancel(meeting=meeting, actor=secretary)
    with pytest.raises(ValidationError, match="inställt och kan inte markeras"):
        agenda_services.meeting_mark_held(meeting=meeting, actor=secretary)


def test_cancel_without_notifying_sends_nothing(committee, secretary, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(committee=committee, date=timezone.localdate() + dt.timedelta(days=10))
    sent_notice(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_services.meeting_cancel(meeting=meeting, actor=secretary, notify=False)
    meeting.refresh_from_db()
    assert mail.outbox == [] and meeting.cancellation_emailed_at is None


def test_a_held_meeting_or_one_with_paragraphs_cannot_be_cancelled(committee, secretary):
    held = MeetingFactory(committee=committee, status=Meeting.Status.HELD)
    with pytest.raises(ValidationError, match="genomfört och kan inte ställas in"):
        agenda_services.meeting_cancel(meeting=held, actor=secretary)
    meeting = MeetingFactory(committee=committee, date=D(2019, 12, 12))
    minutes = MinutesFactory(meeting=meeting)
    services.paragraph_add(minutes=minutes, actor=secretary, title="Mötets öppnande")
    with pytest.raises(ValidationError, match="protokoll med paragrafer"):
        agenda_services.meeting_cancel(meeting=meeting, actor=secretary)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_the_public_calendar_shows_a_cancelled_meeting_as_cancelled(client, committee, secretary):
    meeting = MeetingFactory(committee=committee, date=timezone.localdate() + dt.timedelta(days=10))
    agenda_services.meeting_cancel(meeting=meeting, actor=secretary)
    body = client.get(reverse("noticeboard:committee_calendar", args=[committee.pk])).content
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == "INSTÄLLT: Socialnämnden sammanträde"


# -- Stage --------------------------------------------------------------------------------------------------


def test_stage_follows_protokoll_anslag_and_archive(committee, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    meeting = MeetingFactory(committee=committee, date=today - dt.timedelta(days=60))
    assert meeting.stage_label == "Planerat"
    sent_notice(meeting)
    assert meeting.stage_label == "Kallelse skickad"
    minutes = MinutesFactory(meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.stage_label == "Kallelse skickad"  # a protokoll in draft proves nothing yet
    Minutes.objects.filter(pk=minutes.pk).update(status="verified", verified_at=timezone.now())
    assert Meeting.objects.get(pk=meeting.pk).stage_label == "Justerat"
    posting = Posting.objects.create(
        minutes=minutes, posted_on=today - dt.timedelta(days=3), taken_down_on=today + dt.timedelta(days=21)
    )
    assert Meeting.objects.get(pk=meeting.pk).stage_label == "Anslaget"
    Posting.objects.filter(pk=posting.pk).update(
        posted_on=today - dt.timedelta(days=30), taken_down_on=today - dt.timedelta(days=2)
    )
    assert Meeting.objects.get(pk=meeting.pk).stage_label == "Anslaget"  # taken down, but no archive yet
    job = make_job(committee.organisation, secretary)
    Minutes.objects.filter(pk=minutes.pk).update(archived_job=job)
    assert Meeting.objects.get(pk=meeting.pk).stage_label == "Arkiverat"


def test_meeting_list_shows_stages_with_a_constant_number_of_queries(
    organisation, committee, client_for, django_assert_max_num_queries
):
    client = client_for(organisation, Role.SECRETARY)
    url = reverse("agenda:meeting_list")
    client.get(url)
    verified = MeetingFactory(committee=committee, date=D(2019, 11, 28))
    Minutes.objects.create(meeting=verified, status="verified", verified_at=timezone.now())
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for day in range(1, 6):
        other = MeetingFactory(committee=committee, date=D(2019, 10, day))
        minutes = Minutes.objects.create(meeting=other, status="verified", verified_at=timezone.now())
        Posting.objects.create(minutes=minutes, posted_on=D(2019, 10, 10), taken_down_on=D(2019, 11, 2))
    with django_assert_max_num_queries(len(few)):
        html = client.get(url).content.decode()
    assert html.count("<td>Justerat</td>") == 1 and html.count("<td>Anslaget</td>") == 5


# -- Justering closes ärenden -------------------------------------------------------------------------------


@pytest.fixture
def justering(organisation, committee, secretary):
    """A protokoll ready for justering with §§ of every kind of beslut, each on its own ärende."""
    chair = PersonFactory(organisation=organisation, first_name="Anna")
    verifier = PersonFactory(organisation=organisation, first_name="Bo")
    for person, role in ((chair, Membership.Role.CHAIR), (verifier, Membership.Role.MEMBER)):
        MembershipFactory(committee=committee, person=person, role=role, starts_on=D(2019, 1, 1))
    meeting = MeetingFactory(committee=committee, date=D(2019, 11, 28))
    minutes = MinutesFactory(meeting=meeting)
    paragraphs = {}
    kinds = {
        "decided": ("clauses", ["att godkänna planen"]),
        "as_proposed": ("as_proposed", []),
        "returned": ("returned", []),
        "tabled": ("tabled", []),
        "text_only": ("none", []),
        "no_clauses": ("clauses", []),
    }
    for sequence, (name, (kind, clauses)) in enumerate(kinds.items(), start=1):
        case = make_case(committee, sequence, title=name)
        item = AgendaItemFactory(meeting=meeting, case=case, title=name)
        paragraph = services.paragraph_add(minutes=minutes, actor=secretary, title=name, agenda_item=item)
        Paragraph.objects.filter(pk=paragraph.pk).update(decision_kind=kind, decision_clauses=clauses)
        paragraphs[name] = paragraph
    services.attendance_fill_from_memberships(minutes=minutes, actor=secretary)
    services.signatories_set(minutes=minutes, actor=secretary, chair=chair, verifiers=[verifier])
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.IN_VERIFICATION)
    return minutes, paragraphs


def status_of(paragraph) -> str:
    return Case.objects.get(pk=paragraph.case_id).status


def test_justering_closes_each_decided_ärende_but_not_återremiss_or_bordläggning(justering, secretary, organisation):
    minutes, paragraphs = justering
    case = Case.objects.get(pk=paragraphs["decided"].case_id)
    assert case in agenda_selectors.open_cases(organisation=organisation)
    signatories = list(minutes.signatories.exclude(role="secretary"))
    services.signatory_approve(signatory=signatories[0], actor=secretary)
    assert status_of(paragraphs["decided"]) == Case.Status.OPEN  # not justerat until everyone has approved
    services.signatory_approve(signatory=signatories[1], actor=secretary)
    minutes.refresh_from_db()
    assert minutes.is_locked
    assert status_of(paragraphs["decided"]) == Case.Status.DECIDED
    assert status_of(paragraphs["as_proposed"]) == Case.Status.DECIDED
    for name in ("returned", "tabled", "text_only", "no_clauses"):
        assert status_of(paragraphs[name]) == Case.Status.OPEN, name
    decided = Case.objects.get(pk=paragraphs["decided"].case_id)
    record = decided.history.first()
    assert record.history_user == secretary and record.history_change_reason == "Beslutat i § 1"
    # The justering also proves the meeting was held.
    assert Meeting.objects.get(pk=minutes.meeting_id).status == Meeting.Status.HELD

    # A decided ärende is no longer offered for a new agenda, and refused if posted anyway.
    offered = set(agenda_selectors.open_cases(organisation=organisation))
    assert decided not in offered and Case.objects.get(pk=paragraphs["returned"].case_id) in offered
    upcoming = MeetingFactory(committee=minutes.meeting.committee, date=D(2019, 12, 12))
    with pytest.raises(ValidationError, match="inte pågående"):
        agenda_services.agenda_item_add(meeting=upcoming, actor=secretary, kind="case", case=decided)
    agenda_services.agenda_item_add(
        meeting=upcoming, actor=secretary, kind="case", case=Case.objects.get(pk=paragraphs["tabled"].case_id)
    )


def test_omedelbar_justering_closes_the_ärende_of_that_paragraph(justering, secretary):
    minutes, paragraphs = justering
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.DRAFT)
    services.paragraph_verify_immediately(paragraph=paragraphs["decided"], actor=secretary)
    assert status_of(paragraphs["decided"]) == Case.Status.DECIDED
    assert status_of(paragraphs["as_proposed"]) == Case.Status.OPEN


def test_the_agenda_form_does_not_offer_a_decided_ärende(organisation, committee, client_for):
    make_case(committee, 1, title="Pågående ärende")
    decided = make_case(committee, 2, title="Beslutat ärende")
    Case.objects.filter(pk=decided.pk).update(status=Case.Status.DECIDED)
    meeting = MeetingFactory(committee=committee, date=D(2019, 12, 12))
    html = client_for(organisation, Role.SECRETARY).get(reverse("agenda:agenda_item_add", args=[meeting.pk])).content
    assert "Pågående ärende" in html.decode() and "Beslutat ärende" not in html.decode()


# -- Views --------------------------------------------------------------------------------------------------


def test_secretary_marks_held_and_cancels_through_the_meeting_page(organisation, committee, client_for):
    client = client_for(organisation, Role.SECRETARY)
    past = MeetingFactory(committee=committee, date=D(2019, 11, 28))
    detail = reverse("agenda:meeting_detail", args=[past.pk])
    html = client.get(detail).content.decode()
    assert reverse("agenda:meeting_mark_held", args=[past.pk]) in html
    response = client.post(reverse("agenda:meeting_mark_held", args=[past.pk]), follow=True)
    assert "Sammanträdet är markerat som genomfört." in response.content.decode()
    assert 'data-testid="meeting-status">Genomfört' in response.content.decode()

    upcoming = MeetingFactory(committee=committee, date=timezone.localdate() + dt.timedelta(days=5))
    sent_notice(upcoming)
    html = client.get(reverse("agenda:meeting_detail", args=[upcoming.pk])).content.decode()
    assert reverse("agenda:meeting_mark_held", args=[upcoming.pk]) not in html  # not before the day
    url = reverse("agenda:meeting_cancel", args=[upcoming.pk])
    page = client.get(url).content.decode()
    assert "Vill du ställa in" in page and "1 kallad har e-post" in page
    response = client.post(url, {"reason": "Inga ärenden"})
    assert response.status_code == 400
    assert "Kryssa i rutan för att bekräfta" in response.content.decode()
    assert "Inga ärenden" in response.content.decode()  # what was typed stays
    response = client.post(url, {"reason": "Inga ärenden", "confirm": "on", "notify": "on"}, follow=True)
    text = response.content.decode()
    assert "Sammanträdet är inställt. De kallade meddelas med e-post." in text
    assert 'data-testid="meeting-status">Inställt' in text and "Inga ärenden" in text


def test_status_views_are_scoped_and_for_the_secretary(organisation, other_organisation, client_for):
    foreign = MeetingFactory(committee=CommitteeFactory(organisation=other_organisation))
    client = client_for(organisation, Role.SECRETARY)
    assert client.post(reverse("agenda:meeting_mark_held", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("agenda:meeting_cancel", args=[foreign.pk])).status_code == 404
    own = MeetingFactory(committee=CommitteeFactory(organisation=organisation))
    member = client_for(organisation, Role.MEMBER)
    assert member.post(reverse("agenda:meeting_mark_held", args=[own.pk])).status_code == 403
    assert member.post(reverse("agenda:meeting_cancel", args=[own.pk]), {"confirm": "on"}).status_code == 403
    own.refresh_from_db()
    assert own.status == Meeting.Status.PLANNED
