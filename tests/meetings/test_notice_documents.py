"""The kallelse as PDF/A: the internal version in full, the public one without any confidential content."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Role
from meetings import agenda_services as services
from meetings.case_services import case_register, officer_report_update
from meetings.models import Membership
from reporting import services as reporting_services
from reporting.documents import DocumentInputError
from reporting.models import RenderJob
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, user_with_role
from tests.meetings.factories import CaseNumberSeriesFactory, MeetingFactory
from tests.meetings.test_attachments import make_attachment

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Placering av barn Kalle"
SECRET_CLAUSE = "att bevilja vård utanför hemmet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def actor(organisation):
    return user_with_role(organisation, Role.SECRETARY, first_name="Sara", last_name="Skrivare")


@pytest.fixture
def meeting(organisation, actor):
    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")
    MembershipFactory(
        committee=committee,
        role=Membership.Role.CHAIR,
        party="C",
        person=PersonFactory(organisation=organisation, first_name="Mats", last_name="Ordförandesson"),
        starts_on=dt.date(2019, 1, 1),
    )
    MembershipFactory(
        committee=committee,
        role=Membership.Role.SUBSTITUTE,
        party="M",
        person=PersonFactory(organisation=organisation, first_name="Berit", last_name="Ersättarsson"),
        starts_on=dt.date(2019, 1, 1),
    )
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 6, 16), place="Näset, kommunhuset")
    series = CaseNumberSeriesFactory(committee=committee, organisation=organisation)
    open_case = case_register(
        organisation=organisation, actor=actor, series=series, title="Extra månadsuppföljning maj"
    )
    officer_report_update(
        report=open_case.officer_report, actor=actor, data={"proposed_clauses": ["att godkänna uppföljningen"]}
    )
    secret_case = case_register(
        organisation=organisation,
        actor=actor,
        series=series,
        title=SECRET_TITLE,
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    officer_report_update(report=secret_case.officer_report, actor=actor, data={"proposed_clauses": [SECRET_CLAUSE]})
    services.agenda_item_add(meeting=meeting, actor=actor, kind="standard", title="Val av justerare")
    open_item = services.agenda_item_add(meeting=meeting, actor=actor, kind="case", case=open_case)
    secret_item = services.agenda_item_add(meeting=meeting, actor=actor, kind="case", case=secret_case)
    make_attachment(organisation, item=open_item)  # "Underlag" (underlag.pdf)
    secret_attachment = make_attachment(organisation, item=secret_item)
    secret_attachment.title = "Utredning om Kalle"
    secret_attachment.save()
    meeting.secret_case = secret_case
    meeting.open_case = open_case
    return meeting


def render(organisation, user, kind, meeting, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        job = reporting_services.render_job_request(
            organisation=organisation, user=user, kind=kind, params={"meeting": str(meeting.pk)}
        )
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE, job.error
    with job.output.open("rb") as handle:
        data = handle.read()
    return "\n".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_internal_notice_shows_everything(organisation, actor, meeting, django_capture_on_commit_callbacks):
    text = render(organisation, actor, "meetings.notice", meeting, django_capture_on_commit_callbacks)
    for expected in (
        "Kallelse till Socialnämnden",
        "torsdag den 16 juni 2022",
        "Näset, kommunhuset",
        "Mats Ordförandesson",
        "Berit Ersättarsson (M)",
        "Föredragningslista",
        meeting.open_case.case_number,
        "att godkänna uppföljningen",
        SECRET_TITLE,
        meeting.secret_case.case_number,
        SECRET_CLAUSE,
        "Sekretess enligt OSL 26 kap. 1 §",
        "Utredning om Kalle",
        "underlag.pdf",
    ):
        assert expected in text, expected


def test_public_notice_never_carries_confidential_content(
    organisation, actor, meeting, django_capture_on_commit_callbacks
):
    text = render(organisation, actor, "meetings.notice_public", meeting, django_capture_on_commit_callbacks)
    assert "Denna punkt på agendan är sekretessbelagd" in text
    assert "Extra månadsuppföljning maj" in text and meeting.open_case.case_number in text
    assert "Underlag" in text  # the open item's bilaga is listed
    for secret in (SECRET_TITLE, "Utredning om Kalle", meeting.secret_case.case_number, SECRET_CLAUSE, "OSL 26 kap"):
        assert secret not in text, (secret, text[max(0, text.find(secret) - 300) : text.find(secret) + 100])


def test_meeting_of_another_organisation_is_refused(organisation, other_organisation, actor):
    foreign = MeetingFactory(committee=CommitteeFactory(organisation=other_organisation))
    for kind in ("meetings.notice", "meetings.notice_public", "meetings.notice_documents"):
        # Not among the organisation's sammanträden to choose from (nor in the organisation, were it asked).
        with pytest.raises(DocumentInputError, match="Välj ett sammanträde i listan"):
            reporting_services.render_job_request(
                organisation=organisation, user=actor, kind=kind, params={"meeting": str(foreign.pk)}
            )
    assert not RenderJob.objects.exists()


def test_internal_notice_needs_view_confidential(client_for, organisation, meeting):
    economist = client_for(organisation, Role.ECONOMIST)
    response = economist.post(reverse("reporting:job_request"), {"kind": "meetings.notice", "meeting": meeting.pk})
    assert response.status_code == 403
    page = economist.get(reverse("agenda:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'value="meetings.notice_public"' in page and 'value="meetings.notice"' not in page


def test_internal_notice_says_it_holds_sekretess_and_gives_each_item_its_ground(
    organisation, actor, meeting, django_capture_on_commit_callbacks
):
    pages = render(organisation, actor, "meetings.notice", meeting, django_capture_on_commit_callbacks).split("\n")
    assert "Innehåller sekretessbelagda uppgifter" in pages[0]
    for page in pages:  # the footer carries the mark on every page
        assert "Innehåller sekretessbelagda uppgifter" in page
    text = " ".join(pages)
    assert f"{SECRET_TITLE} (sekretess enligt OSL 26 kap. 1 §)" in text  # in the föredragningslista
    assert f"{SECRET_TITLE} ({meeting.secret_case.case_number}) Sekretess enligt OSL 26 kap. 1 §" in text
    assert "Dag torsdag den 16 juni 2022" in text and "Tid kl. " in text and ":" not in text.split("Tid kl. ")[1][:5]


def test_public_notice_does_not_say_it_holds_sekretess(
    organisation, actor, meeting, django_capture_on_commit_callbacks
):
    text = render(organisation, actor, "meetings.notice_public", meeting, django_capture_on_commit_callbacks)
    assert "sekretessbelagda uppgifter" not in text and "Sekretess enligt" not in text
