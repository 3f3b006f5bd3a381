"""Issue 7, point 17: the document pages pick a sammanträde, protokoll, § or anslag from readable lists (never
"Paragraf (id)"), show the choice by name, and a job page links back to what it was made for."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from core.models import Role
from reporting import services as reporting_services
from tests.factories import CommitteeFactory
from tests.meetings.factories import MeetingFactory
from tests.platform.builders_noticeboard import posted_minutes

pytestmark = pytest.mark.django_db


def _request_page(client, kind: str) -> str:
    response = client.get(reverse("reporting:job_request"), {"kind": kind})
    assert response.status_code == 200
    return response.content.decode()


def _options(page: str, name: str) -> dict[str, str]:
    select = page.split(f'name="{name}"')[1].split("</select>")[0]
    return {value: label.strip() for value, label in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)}


def test_the_kallelse_is_asked_for_by_choosing_a_meeting_by_name(client_for, organisation, other_organisation):
    committee = CommitteeFactory(organisation=organisation, name="Styrelsen")
    meeting = MeetingFactory(committee=committee, date=dt.date(2019, 11, 28))
    foreign = MeetingFactory(committee=CommitteeFactory(organisation=other_organisation, name="Främmande"))
    client = client_for(organisation, Role.SECRETARY)
    for kind in ("meetings.notice", "meetings.notice_public", "meetings.notice_documents"):
        page = _request_page(client, kind)
        assert "(id)" not in page
        options = _options(page, "meeting")
        assert options[str(meeting.pk)] == "Styrelsen 2019-11-28"
        assert str(foreign.pk) not in options
        assert re.search(r'<label\s+for="id_param_meeting"', page)


def test_a_preselected_meeting_is_kept_from_the_link(client_for, organisation):
    meeting = MeetingFactory(committee=CommitteeFactory(organisation=organisation, name="Styrelsen"))
    client = client_for(organisation, Role.SECRETARY)
    response = client.get(reverse("reporting:job_request"), {"kind": "meetings.notice", "meeting": meeting.pk})
    assert f'<option value="{meeting.pk}" selected>' in response.content.decode()


def test_a_paragraph_is_chosen_as_number_and_title_and_a_confidential_one_by_number_only(client_for, organisation):
    committee = CommitteeFactory(organisation=organisation, name="Styrelsen")
    posting = posted_minutes(
        organisation,
        posted_on=dt.date(2019, 12, 5),
        committee=committee,
        paragraphs=[{"number": 72, "title": "Budget 2020"}, {"number": 73, "title": "Barnet X", "confidential": True}],
    )
    budget, secret = posting.minutes.paragraphs.order_by("number")
    page = _request_page(client_for(organisation, Role.ECONOMIST), "meetings.posting_statement")
    options = _options(page, "paragraph")
    assert options[str(budget.pk)] == "§ 72 Budget 2020 (Styrelsen 2019-11-28)"
    assert options[str(secret.pk)] == "§ 73 (Styrelsen 2019-11-28)"
    assert "Barnet X" not in page and "(id)" not in page
    posting_page = _request_page(client_for(organisation, Role.SECRETARY), "meetings.posting_certificate")
    assert _options(posting_page, "posting")[str(posting.pk)] == "Protokoll Styrelsen 2019-11-28, anslaget 2019-12-05"
    minutes_page = _request_page(client_for(organisation, Role.SECRETARY), "meetings.extract")
    assert _options(minutes_page, "minutes")[str(posting.minutes.pk)] == "Protokoll Styrelsen 2019-11-28"


def test_a_wrong_choice_keeps_the_form_with_a_swedish_message_naming_the_field(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    response = client.post(reverse("reporting:job_request"), {"kind": "meetings.notice", "meeting": "999999"})
    assert response.status_code == 400
    assert "Sammanträde: Välj ett sammanträde i listan." in response.content.decode()


def test_the_job_page_names_the_meeting_and_links_back_to_it(client_for, organisation):
    meeting = MeetingFactory(committee=CommitteeFactory(organisation=organisation, name="Styrelsen"))
    client = client_for(organisation, Role.SECRETARY)
    job = reporting_services.render_job_request(
        organisation=organisation, user=client.user, kind="meetings.notice_public", params={"meeting": meeting.pk}
    )
    page = client.get(reverse("reporting:job_detail", args=[job.pk])).content.decode()
    label = f"Styrelsen {meeting.date.isoformat()}"
    meeting_url = reverse("agenda:meeting_detail", args=[meeting.pk])
    assert f'Gjordes för <a href="{meeting_url}">{label}</a>' in page
    assert f'<a href="{meeting_url}">Tillbaka till {label}</a>' in page
    assert f'<dt class="col-sm-3">Sammanträde</dt><dd class="col-sm-9">{label}</dd>' in page


def test_the_job_page_of_a_protokoll_and_of_a_paragraph_link_to_the_protokoll(client_for, organisation):
    posting = posted_minutes(
        organisation,
        posted_on=dt.date(2019, 12, 5),
        paragraphs=[{"number": 72, "decision_clauses": ["att anta budgeten"]}],
    )
    paragraph = posting.minutes.paragraphs.get()
    client = client_for(organisation, Role.SECRETARY)
    minutes_url = reverse("minutes:minutes_detail", args=[posting.minutes.pk])
    for kind, params in (
        ("meetings.minutes_public", {"minutes": posting.minutes.pk}),
        ("meetings.extract", {"minutes": posting.minutes.pk, "paragraphs": "72"}),
        ("meetings.posting_statement", {"paragraph": paragraph.pk}),
    ):
        job = reporting_services.render_job_request(
            organisation=organisation, user=client.user, kind=kind, params=params
        )
        page = client.get(reverse("reporting:job_detail", args=[job.pk])).content.decode()
        assert f'Gjordes för <a href="{minutes_url}">' in page, kind
    job = reporting_services.render_job_request(
        organisation=organisation, user=client.user, kind="meetings.posting_certificate", params={"posting": posting.pk}
    )
    page = client.get(reverse("reporting:job_detail", args=[job.pk])).content.decode()
    assert f'Gjordes för <a href="{reverse("noticeboard:posting_detail", args=[posting.pk])}">' in page
