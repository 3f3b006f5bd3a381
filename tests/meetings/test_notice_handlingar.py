"""Kallelse med handlingar (issue 7, point 13): one PDF with the kallelse, then each punkt's tjänsteskrivelse and
its bilagor numbered Bilaga 1, 2 …, with bookmarks and page numbers in the föredragningslista; the public
version leaves every confidential punkt's handlingar and every confidential bilaga out."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Role
from meetings import agenda_services as services
from meetings.attachments import DOCX, OOXML_MAIN_PARTS, attachment_add
from meetings.case_services import case_register, officer_report_update
from reporting import rendering
from reporting.documents import get_document_class
from reporting.models import RenderJob
from tests.factories import CommitteeFactory, user_with_role
from tests.meetings.factories import CaseNumberSeriesFactory, MeetingFactory
from tests.meetings.test_attachments import image_bytes, ooxml_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Placering av barn Kalle"
SECRET_SUMMARY = "Kalle behöver vård utanför hemmet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def actor(organisation):
    return user_with_role(organisation, Role.SECRETARY, first_name="Sara", last_name="Skrivare")


def _add(organisation, actor, *, name, data, title, item=None, case=None, confidential=False):
    return attachment_add(
        organisation=organisation,
        actor=actor,
        upload=upload(name, data),
        title=title,
        agenda_item=item,
        case=case,
        confidential=confidential,
        legal_basis="OSL 26 kap. 1 §" if confidential else "",
    )


@pytest.fixture
def meeting(organisation, actor):
    committee = CommitteeFactory(organisation=organisation, name="Vård- och omsorgsnämnden", short_name="VON")
    meeting = MeetingFactory(committee=committee, date=dt.date(2020, 12, 9), place="Sammanträdesrummet")
    series = CaseNumberSeriesFactory(committee=committee, organisation=organisation)
    plan = case_register(organisation=organisation, actor=actor, series=series, title="Internkontrollplan 2021")
    officer_report_update(
        report=plan.officer_report,
        actor=actor,
        data={"proposed_clauses": ["att fastställa plan för intern kontroll 2021"], "summary": "Planen omfattar"},
    )
    secret = case_register(
        organisation=organisation,
        actor=actor,
        series=series,
        title=SECRET_TITLE,
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    officer_report_update(report=secret.officer_report, actor=actor, data={"summary": SECRET_SUMMARY})
    services.agenda_item_add(meeting=meeting, actor=actor, kind="standard", title="Val av justerare")
    plan_item = services.agenda_item_add(meeting=meeting, actor=actor, kind="case", case=plan)
    secret_item = services.agenda_item_add(meeting=meeting, actor=actor, kind="case", case=secret)
    # The ärende's own bilaga comes first (Bilaga 1), then the punkt's.
    _add(organisation, actor, name="plan.pdf", data=pdf_bytes(pages=3), title="Plan med kontrollpunkter", case=plan)
    _add(
        organisation,
        actor,
        name="riskanalys.docx",
        data=ooxml_bytes(OOXML_MAIN_PARTS[DOCX]),
        title="Riskanalys",
        item=plan_item,
    )
    _add(organisation, actor, name="karta.png", data=image_bytes("PNG"), title="Karta", item=plan_item)
    _add(
        organisation,
        actor,
        name="hemlig.pdf",
        data=pdf_bytes(),
        title="Sekretessbilaga",
        item=plan_item,
        confidential=True,
    )
    _add(organisation, actor, name="utredning.pdf", data=pdf_bytes(), title="Utredning om Kalle", item=secret_item)
    meeting.plan, meeting.secret = plan, secret
    return meeting


def _pdf(organisation, kind, meeting) -> bytes:
    document = get_document_class(kind)(organisation=organisation, params={"meeting": meeting.pk})
    document.check_inputs()
    appendices = document.get_appendices()
    html = rendering.build_html(document, appendices=appendices)
    return rendering.write_pdf(rendering.layout_html(html), appendices=appendices)


def _pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _outline(data: bytes) -> list[tuple[int, str, int]]:
    """(level, title, page number from 1) of every bookmark, in order."""
    reader = PdfReader(io.BytesIO(data))
    found = []

    def walk(entries, level):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                found.append((level, entry.title, reader.get_destination_page_number(entry) + 1))

    walk(reader.outline, 1)
    return found


def _first_page_with(pages: list[str], text: str, start: int = 1) -> int:
    return next(number for number, page in enumerate(pages, 1) if number >= start and text in page)


def test_internal_version_orders_kallelse_tjansteskrivelse_and_numbered_bilagor(organisation, meeting):
    data = _pdf(organisation, "meetings.notice_documents", meeting)
    pages = _pages(data)
    text = "\n".join(pages)
    order = [
        "Föredragningslista",
        "2. Internkontrollplan 2021",
        "att fastställa plan för intern kontroll 2021",
        "Bilaga 1: Plan med kontrollpunkter",
        "Bilaga 2: Riskanalys",
        "Bilaga 3: Karta",
        "Bilaga 4: Sekretessbilaga",
        f"3. {SECRET_TITLE}",
        SECRET_SUMMARY,
        "Bilaga 1: Utredning om Kalle",
    ]
    start = text.find("Förslag till beslut")  # the kallelse's own part ends with the förslag per punkt
    for part in order[1:]:
        found = text.find(part, start + 1)
        assert found > start, (part, start)
        start = found
    assert text.find(order[0]) < text.find("Förslag till beslut")
    # The tjänsteskrivelse lists its bilagor by number, as seed 002 does.
    assert "Bilaga 1 Plan med kontrollpunkter" in text and "Bilaga 2 Riskanalys" in text
    # A 3-page PDF bilaga is printed page by page; the Word file is kept as a separate, embedded file.
    bilaga_1 = _first_page_with(pages, "Bilaga 1: Plan med kontrollpunkter", 3)
    assert "sida 2 av 3" in pages[bilaga_1] and "sida 3 av 3" in pages[bilaga_1 + 1]
    assert "finns som separat fil" in text and "punkt-2-bilaga-2-riskanalys.docx" in text
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert set(pdf.attachments) == {
            "punkt-2-bilaga-1-plan.pdf",
            "punkt-2-bilaga-2-riskanalys.docx",
            "punkt-2-bilaga-4-hemlig.pdf",
            "punkt-3-bilaga-1-utredning.pdf",
        }


def test_the_page_numbers_in_the_foredragningslista_are_where_the_handlingar_start(organisation, meeting):
    data = _pdf(organisation, "meetings.notice_documents", meeting)
    pages = _pages(data)
    agenda_page = pages[_first_page_with(pages, "Föredragningslista") - 1]
    expected = {
        1: _first_page_with(pages, "1. Val av justerare Inga skriftliga handlingar"),
        2: _first_page_with(pages, "2. Internkontrollplan 2021 (", 2),
        3: _first_page_with(pages, f"3. {SECRET_TITLE} (", 2),
    }
    assert len(set(expected.values())) == 3 and expected[1] > 1
    assert f"Val av justerare {expected[1]}" in agenda_page
    assert f"{meeting.plan.case_number} {expected[2]}" in agenda_page
    assert f"{meeting.secret.case_number} {expected[3]}" in agenda_page


def test_bookmarks_lead_to_each_punkt_its_tjansteskrivelse_and_bilagor(organisation, meeting):
    data = _pdf(organisation, "meetings.notice_documents", meeting)
    pages = _pages(data)
    outline = _outline(data)
    titles = [(level, title) for level, title, _page in outline]
    assert titles[:2] == [(1, "Kallelse"), (1, "Föredragningslista")]
    assert (1, f"2. Internkontrollplan 2021 ({meeting.plan.case_number})") in titles
    start = titles.index((1, f"2. Internkontrollplan 2021 ({meeting.plan.case_number})"))
    assert titles[start + 1 : start + 6] == [
        (2, "Tjänsteskrivelse"),
        (2, "Bilaga 1: Plan med kontrollpunkter"),
        (2, "Bilaga 2: Riskanalys"),
        (2, "Bilaga 3: Karta"),
        (2, "Bilaga 4: Sekretessbilaga"),
    ]
    for _level, title, page in outline:
        if title.startswith("Bilaga"):
            assert title in pages[page - 1], (title, page)


def test_public_version_leaves_out_everything_confidential(organisation, meeting):
    data = _pdf(organisation, "meetings.notice_documents_public", meeting)
    text = "\n".join(_pages(data))
    assert "Bilaga 1: Plan med kontrollpunkter" in text and "Bilaga 3: Karta" in text
    assert "Denna punkt på agendan är sekretessbelagd" in text
    for secret in (SECRET_TITLE, SECRET_SUMMARY, "Utredning om Kalle", "Sekretessbilaga", meeting.secret.case_number):
        assert secret not in text, secret
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = set(pdf.attachments)
    assert names == {"punkt-2-bilaga-1-plan.pdf", "punkt-2-bilaga-2-riskanalys.docx"}
    outline_titles = [title for _level, title, _page in _outline(data)]
    assert not any(SECRET_TITLE in title or "Sekretessbilaga" in title for title in outline_titles)


def test_it_renders_in_the_background_and_the_meeting_page_offers_it(
    client_for, organisation, actor, meeting, django_capture_on_commit_callbacks
):
    client = client_for(organisation, Role.SECRETARY)
    page = client.get(reverse("agenda:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'value="meetings.notice_documents"' in page and 'value="meetings.notice_documents_public"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:job_request"), {"kind": "meetings.notice_documents", "meeting": meeting.pk}
        )
    job = RenderJob.objects.get()
    assert response.status_code == 302 and job.status == RenderJob.Status.DONE, job.error
    assert job.filename == "kallelse-med-handlingar-von-2020-12-09.pdf"


def test_an_economist_gets_only_the_public_version(client_for, organisation, meeting):
    economist = client_for(organisation, Role.ECONOMIST)
    response = economist.post(
        reverse("reporting:job_request"), {"kind": "meetings.notice_documents", "meeting": meeting.pk}
    )
    assert response.status_code == 403
    page = economist.get(reverse("agenda:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'value="meetings.notice_documents_public"' in page and 'value="meetings.notice_documents"' not in page


def test_both_versions_with_every_kind_of_bilaga_are_pdf_a_3a_and_pdf_ua_1(organisation, meeting):
    import page

    for kind in ("meetings.notice_documents", "meetings.notice_documents_public"):
        data = _pdf(organisation, kind, meeting)
        for profile in ("3a", "ua1"):
            report = page.validate_pdf_bytes(data, profile=profile)
            assert report.is_compliant, (kind, profile, [f"{f.rule_id}: {f.message}" for f in report.failures])
