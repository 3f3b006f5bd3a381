"""The demo data holds the seed meetings: styrelsen 2019-11-28 (seed 003) and socialnämnden 2022-06-16 (seed 004)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from core.models import Organisation, User
from meetings.models import CONFIDENTIAL_PUBLIC_TEXT, Attendance, Case, Meeting, Minutes
from reporting.models import RenderJob
from reporting.services import render_job_request


def pdf_text(job: RenderJob) -> str:
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE, job.error
    with job.output.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(" ".join(page.extract_text().split()) for page in reader.pages)


def in_order(text: str, headings: list[str]) -> bool:
    """Each heading occurs after the one before it."""
    position = 0
    for heading in headings:
        position = text.find(heading, position)
        if position == -1:
            return False
        position += len(heading)
    return True


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")


@pytest.mark.django_db
def test_board_meeting_2019_11_28_is_justerat_posted_and_archived(demo):
    minutes = Minutes.objects.select_related("posting", "archived_job").get(
        meeting__committee__short_name="STY", meeting__date=dt.date(2019, 11, 28)
    )
    assert list(minutes.paragraphs.values_list("number", flat=True)) == list(range(69, 82))
    assert minutes.is_locked and minutes.status == Minutes.Status.VERIFIED
    assert (minutes.posting.posted_on, minutes.posting.taken_down_on) == (dt.date(2019, 12, 20), dt.date(2020, 1, 13))
    partial = minutes.attendances.get(capacity=Attendance.Capacity.DECISION_MAKER, from_paragraph=75)
    assert partial.to_paragraph == 81
    assert minutes.signatories.filter(role="verifier").count() == 1

    text = pdf_text(minutes.archived_job)
    assert in_order(
        text,
        [
            "Protokoll",
            "Beslutande",
            "Tjänstgörande ersättare",
            "Ersättare",
            "Tjänstepersoner",
            "Övriga deltagare",
            "Utses att justera",
            "Justeringens plats och tid",
            "Paragrafer",
            "Underskrifter",
            "ANSLAG/BEVIS",
            "§ 69",
            "§ 75",
            "§ 81",
        ],
    ), text[:2000]
    assert "Paragrafer §§ 69–81" in text and "§§ 75–81" in text
    assert (
        "Plats och tid Hörnellgatan 17, sammanträdesrum, vån 3, Skellefteå, "
        "torsdag den 28 november 2019, kl. 09.00–15.00" in text
    )
    pages = text.split("\n")
    # The front page of this normal meeting fits one page (seed 003): the anslag on it, the first § on the next.
    assert "ANSLAG/BEVIS" in pages[0] and "Mötets öppnande" not in pages[0] and "§ 69 Mötets öppnande" in pages[1]
    for page in pages:
        assert "Sammanträdesdatum 2019-11-28" in page and "Justerandes signatur" in page, page
        assert "Justerat elektroniskt 2019-12-19" in page and "Utdragsbestyrkande" in page, page
        assert "UTKAST" not in page


@pytest.mark.django_db
def test_social_committee_kallelse_2022_06_16_masks_two_confidential_items(demo, django_capture_on_commit_callbacks):
    meeting = Meeting.objects.get(committee__short_name="SN", date=dt.date(2022, 6, 16))
    assert meeting.agenda_items.filter(confidential=True).count() == 2
    assert meeting.notice_issues.count() == 1
    report = Case.objects.get(case_number="SN 2022/40").officer_report
    assert report.proposed_clauses == [
        "att godkänna den ekonomiska uppföljningen och överlämna den till kommunstyrelsen"
    ]

    organisation = Organisation.objects.get(name="Lindesbergs kommun")
    secretary = User.objects.get(username="sekreterare")
    with django_capture_on_commit_callbacks(execute=True):
        internal = render_job_request(
            organisation=organisation, user=secretary, kind="meetings.notice", params={"meeting": meeting.pk}
        )
        public = render_job_request(
            organisation=organisation, user=secretary, kind="meetings.notice_public", params={"meeting": meeting.pk}
        )
    internal_text, public_text = pdf_text(internal), pdf_text(public)
    for text in (internal_text, public_text):
        assert in_order(text, ["Kallelse", "Ledamöter", "Ersättare", "Föredragningslista", "SN 2022/40"]), text[:1500]
    assert internal_text.count("faderskapsutredning") >= 2
    assert "faderskapsutredning" not in public_text.lower()
    assert "SN 2022/44" not in public_text and "SN 2022/45" not in public_text
    assert public_text.count(CONFIDENTIAL_PUBLIC_TEXT) >= 2


@pytest.mark.django_db
def test_meeting_demo_is_idempotent(demo, django_capture_on_commit_callbacks):
    counts = (Meeting.objects.count(), Case.objects.count(), RenderJob.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert (Meeting.objects.count(), Case.objects.count(), RenderJob.objects.count()) == counts


@pytest.mark.django_db
def test_archived_protokoll_opens_from_the_meeting_page(demo, client):
    minutes = Minutes.objects.get(meeting__committee__short_name="STY", meeting__date=dt.date(2019, 11, 28))
    client.force_login(User.objects.get(username="revisor"))  # someone other than whoever triggered the archive
    page = client.get(reverse("agenda:meeting_detail", args=[minutes.meeting_id])).content.decode()
    url = reverse("minutes:archived_pdf", args=[minutes.pk])
    assert url in page and minutes.archived_job.output_sha256 in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_justerat_meeting_offers_no_agenda_changes(demo, client):
    meeting = Meeting.objects.get(committee__short_name="STY", date=dt.date(2019, 11, 28))
    secretary = User.objects.get(username="sekreterare")
    client.force_login(secretary)
    session = client.session
    session["current_organisation_id"] = meeting.committee.organisation_id
    session.save()
    page = client.get(reverse("agenda:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Dagordningen kan inte längre ändras: protokollet är justerat." in page
    assert "Flytta upp" not in page and "Skicka reviderad kallelse" not in page
    # The kallelse and the history that led up to it share their dates: nothing changed after the kallelse.
    assert 'data-testid="notice-changes"' not in page
    assert 'data-testid="meeting-status">Arkiverat' in page


@pytest.mark.django_db
def test_demo_kallelser_show_no_changes_after_they_were_sent_and_the_board_asked_for_lagakraftbevis(demo):
    from meetings.agenda_selectors import agenda_changes_since_notice
    from meetings.models import FinalityRequest
    from meetings.posting_selectors import minutes_paragraphs_with_status

    for day in (dt.date(2019, 11, 28), dt.date(2022, 6, 16)):
        changes = agenda_changes_since_notice(meeting=Meeting.objects.get(date=day))
        assert changes is not None and not changes, (day, changes)
    meeting = Meeting.objects.get(committee__short_name="STY", date=dt.date(2019, 11, 28))
    request = FinalityRequest.objects.get(minutes__meeting=meeting)
    assert request.court == "Förvaltningsrätten i Umeå" and request.is_answered
    labels = {
        p.number: s.label for p, s in minutes_paragraphs_with_status(minutes=meeting.minutes, today=dt.date(2026, 1, 1))
    }
    assert labels[73] == "Vunnit laga kraft 2020-01-11"
    assert labels[69] == "Inget beslut att överklaga"
    # Every ärende decided at the meeting is closed as Beslutat.
    assert set(Case.objects.filter(paragraphs__minutes__meeting=meeting).values_list("status", flat=True)) == {
        "decided"
    }
