"""The protokoll as PDF/A: the order of seed 003, and a public version without sekretess."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meetings import minutes_services as services
from meetings.minutes_documents import MinutesDocument, PublicMinutesDocument
from meetings.models import Correction, Minutes, Posting
from reporting import rendering
from reporting.documents import DocumentInputError, get_document_class
from tests.factories import OrganisationFactory, PersonFactory

from .test_minutes import add_paragraph, board, fill, secretary  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Ansökan om försörjningsstöd för Hemlig Hansson"
SECRET_BODY = "Känslig beskrivning av familjens situation"
SECRET_CLAUSE = "att bevilja Hemlig Hansson bistånd"


def pdf_text(document) -> str:
    html = rendering.build_html(document)
    data = rendering.write_pdf(rendering.layout_html(html))
    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def complete(board, organisation):  # noqa: F811
    fill(board)
    official = PersonFactory(organisation=organisation, first_name="Tove", last_name="Tjänst", title="Förbundschef")
    guest = PersonFactory(organisation=organisation, first_name="Gun", last_name="Gäst")
    services.attendance_add(minutes=board.minutes, actor=board.secretary, person=official, capacity="official")
    services.attendance_add(
        minutes=board.minutes,
        actor=board.secretary,
        person=guest,
        capacity="other",
        role_text="Försäkringskassan",
        from_paragraph=2,
        to_paragraph=2,
    )
    opening = add_paragraph(board, "Mötets öppnande", clauses=("att förklara mötet öppnat",))
    secret = add_paragraph(board, SECRET_TITLE, clauses=())
    services.paragraph_update(
        paragraph=secret,
        actor=board.secretary,
        title=SECRET_TITLE,
        body=SECRET_BODY,
        decision_clauses=[SECRET_CLAUSE],
        confidential=True,
        legal_basis="OSL 26 kap. 1 §",
    )
    budget = add_paragraph(board, "Budget 2020", clauses=("att anta budgeten",))
    services.paragraph_update(
        paragraph=budget,
        actor=board.secretary,
        title="Budget 2020",
        motions="Bo Exempel yrkar avslag.",
        decision_clauses=["att anta budgeten"],
        distribution="Medlemmarna\nRevisorerna",
    )
    vote = services.vote_add(
        paragraph=budget, actor=board.secretary, question="Bifall mot avslag", yes_means="bifall", no_means="avslag"
    )
    services.vote_record(
        vote=vote, actor=board.secretary, choices={board.chair.pk: "yes", board.bo.pk: "no", board.cecilia.pk: "yes"}
    )
    services.dissent_add(paragraph=budget, actor=board.secretary, person=board.bo, motivation="För dyrt.")
    services.signatories_set(minutes=board.minutes, actor=board.secretary, chair=board.chair, verifiers=[board.cecilia])
    services.minutes_update_front(
        minutes=board.minutes,
        actor=board.secretary,
        verification_place="Kansliet",
        verification_date=dt.date(2019, 12, 5),
        secretary=board.chair,
    )
    Minutes.objects.filter(pk=board.minutes.pk).update(status="verified", verified_at=timezone.now())
    services.correction_add(
        minutes=board.minutes, actor=board.secretary, paragraph=secret, reason="Fel namn", text=SECRET_BODY
    )
    services.correction_add(minutes=board.minutes, actor=board.secretary, reason="Fel datum", text="Ska vara 5 dec")
    Posting.objects.create(
        minutes=board.minutes,
        posted_on=dt.date(2019, 12, 6),
        taken_down_on=dt.date(2019, 12, 30),
        storage_place="Kansliet, stadshuset",
    )
    board.opening, board.secret, board.budget = opening, secret, budget
    return board


def test_internal_pdf_follows_the_order_of_the_seed(complete, organisation):
    text = pdf_text(MinutesDocument(organisation=organisation, params={"minutes": complete.minutes.pk}))
    order = [
        "Protokoll",
        "Sammanträdesdatum 2019-11-28",
        "Plats och tid",
        "Beslutande",
        "Anna Exempel ordförande, (S)",
        "Bo Exempel Norrby kommun",
        "Ersättare",
        "David Exempel",
        "Tjänsteperson",  # one attended: the heading is singular
        "Tove Tjänst Förbundschef",
        "Övrig deltagare",
        "Gun Gäst Försäkringskassan § 2",
        "Utses att justera Cecilia Exempel",
        "Justeringens plats och tid Kansliet 2019-12-05",
        "Paragrafer §§ 1–3",
        "Underskrifter",
        "Sekreterare Ordförande Justerare",
        "Anna Exempel Anna Exempel Cecilia Exempel",
        "ANSLAG/BEVIS",
        "Anslaget sätts upp 2019-12-06",
        "Anslaget tas ned 2019-12-30",
        "Förvaringsplats för protokollet Kansliet, stadshuset",
        "§ 1",
        "Mötets öppnande",
        "att förklara mötet öppnat",
        "§ 2",
        SECRET_TITLE,
        SECRET_CLAUSE,
        "§ 3",
        "Budget 2020",
        "Yrkanden",
        "Votering 1",
        "Anna Exempel Ja",
        "Bo Exempel Nej",
        "2 ja-röster mot 1 nej-röst",
        "Förbundsstyrelsen beslutar",
        "att anta budgeten",
        "Reservationer",
        "Bo Exempel reserverar sig mot beslutet: För dyrt.",
        "Beslutet skickas till",
        "Medlemmarna",
        "Rättelser",
        "Rättelse",
        "Fel namn",
        "Fel datum",
    ]
    position = 0
    for part in order:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} saknas efter position {position}: …{text[position : position + 200]}"
        position = found + len(part)


def test_public_pdf_never_contains_a_confidential_paragraph(complete, organisation):
    text = pdf_text(PublicMinutesDocument(organisation=organisation, params={"minutes": complete.minutes.pk}))
    for secret in (SECRET_TITLE, SECRET_BODY, SECRET_CLAUSE, "Hemlig", "Fel namn"):
        assert secret not in text
    assert "§ 2 Paragrafen omfattas av sekretess (OSL 26 kap. 1 §)" in text
    assert "Budget 2020" in text and "Fel datum" in text
    assert Correction.objects.filter(paragraph=complete.secret).exists()


def test_minutes_document_is_scoped_and_registered(complete, organisation):
    assert get_document_class("meetings.minutes") is MinutesDocument
    assert get_document_class("meetings.minutes_public").required_perm == "meetings.view"
    other = OrganisationFactory(name="Annan")
    with pytest.raises(DocumentInputError, match="Protokollet finns inte i organisationen"):
        MinutesDocument(organisation=other, params={"minutes": complete.minutes.pk}).check_inputs()
    document = PublicMinutesDocument(organisation=organisation, params={"minutes": complete.minutes.pk})
    assert document.filename() == f"protokoll-offentligt-{complete.committee.short_name.lower()}-2019-11-28.pdf"


def _pages(document) -> list[str]:
    html = rendering.build_html(document)
    data = rendering.write_pdf(rendering.layout_html(html))
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_a_draft_protokoll_says_utkast_on_every_page(board, organisation):  # noqa: F811
    fill(board)
    for number in range(1, 9):
        paragraph = add_paragraph(board, f"Ärende {number}")
        services.paragraph_update(
            paragraph=paragraph,
            actor=board.secretary,
            title=f"Ärende {number}",
            body="Ett långt underlag som fyller sidan. " * 25,
            decision_clauses=["att godkänna förslaget"],
        )
    pages = _pages(MinutesDocument(organisation=organisation, params={"minutes": board.minutes.pk}))
    assert len(pages) >= 3
    for page in pages:
        assert "UTKAST – ej justerat" in page, page
        assert (
            "Sammanträdesdatum 2019-11-28" in page and "Justerandes signatur" in page and "Utdragsbestyrkande" in page
        )
        assert "Justerat elektroniskt" not in page


def test_a_justerat_protokoll_shows_it_in_the_box_on_every_page(complete, organisation):
    minutes = Minutes.objects.get(pk=complete.minutes.pk)
    pages = _pages(MinutesDocument(organisation=organisation, params={"minutes": complete.minutes.pk}))
    day = timezone.localdate(minutes.verified_at).isoformat()
    for page in pages:
        assert "UTKAST" not in page
        assert f"Justerandes signatur Justerat elektroniskt {day}" in page, page
        assert "Sammanträdesdatum 2019-11-28" in page
    # No heading printed twice: the front page's groups are named once each.
    assert pages[0].count("Beslutande") == 1 and pages[0].count("Underskrifter") == 1


def test_internal_protokoll_marks_every_confidential_paragraph_and_its_first_page(complete, organisation):
    from meetings.confidentiality import is_confidential

    pages = _pages(MinutesDocument(organisation=organisation, params={"minutes": complete.minutes.pk}))
    assert "Innehåller sekretessbelagda uppgifter" in pages[0]
    text = " ".join(pages)
    confidential = [p for p in complete.minutes.paragraphs.all() if is_confidential(p)]
    assert [p.number for p in confidential] == [2]
    for paragraph in confidential:
        start = text.index(f"§ {paragraph.number} {paragraph.title}")
        assert text[start:].split(f"§ {paragraph.number + 1} ")[0].count("Sekretess enligt OSL 26 kap. 1 §") == 1
    public = " ".join(_pages(PublicMinutesDocument(organisation=organisation, params={"minutes": complete.minutes.pk})))
    assert "Innehåller sekretessbelagda uppgifter" not in public
