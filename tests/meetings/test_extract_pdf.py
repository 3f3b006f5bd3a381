"""The protokollsutdrag holds each § exactly as the protokoll does (issue 7, point 9).

Both documents print a § from templates/meetings/pdf/_paragraph.html. The test compares, for every § of a protokoll
with votering, reservation and jäv (and a confidential §), the text of the § in an utdrag of that § with its text in
the protokoll: in the finished PDFs (the page furniture in the margins left out) and in the HTML.
"""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meetings import minutes_services as services
from meetings.minutes_documents import MinutesDocument
from meetings.models import Minutes
from meetings.noticeboard_documents import ExtractDocument
from reporting import rendering

from .test_minutes import add_paragraph, board, fill, secretary  # noqa: F401  fixtures
from .test_minutes_pdf import complete  # noqa: F401  fixture

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
# The page margins of a protokoll (templates/meetings/pdf/_page_marks_style.html): top 24 mm, bottom 33 mm.
BODY_TOP, BODY_BOTTOM = 841.89 - 24 * MM, 33 * MM


def _pdf(document) -> bytes:
    return rendering.write_pdf(rendering.layout_html(rendering.build_html(document)))


def squash(text: str) -> str:
    """Without any whitespace: a page break or a line break falls elsewhere in the protokoll than in the utdrag."""
    return "".join(text.split())


def body_text(data: bytes) -> str:
    """The text inside the page body of every page, in order, without whitespace: no running header or boxes."""
    parts: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:

        def visit(text, cm, tm, font, size):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text and BODY_BOTTOM < y < BODY_TOP:
                parts.append(text)

        page.extract_text(visitor_text=visit)
    return squash("".join(parts))


def paragraph_span(text: str, heading: str, ends: list[str]) -> str:
    heading, ends = squash(heading), [squash(end) for end in ends]
    start = text.index(heading)
    stops = [text.find(end, start + len(heading)) for end in ends]
    stop = min(s for s in stops if s != -1)
    return text[start:stop].strip()


def html_section(html: str, number: int) -> str:
    match = re.search(rf'<section class="paragraph" aria-labelledby="par-{number}">.*?</section>', html, re.S)
    assert match, number
    return match.group(0)


@pytest.fixture
def debated(complete):  # noqa: F811
    """The complete protokoll, with a propositionsordning, a jäv and a second reservation in the budget §."""
    Minutes.objects.filter(pk=complete.minutes.pk).update(status="draft", verified_at=None)
    complete.minutes.refresh_from_db()
    complete.opening.refresh_from_db()
    services.paragraph_update(
        paragraph=complete.opening,
        actor=complete.secretary,
        title="Mötets öppnande",
        body="Ordföranden förklarar mötet öppnat.",
        procedure="Ordföranden ställer förslaget under proposition och finner det bifallet.",
        decision_clauses=["att förklara mötet öppnat"],
    )
    services.recusal_add(paragraph=complete.opening, actor=complete.secretary, person=complete.bo, note="delägare")
    Minutes.objects.filter(pk=complete.minutes.pk).update(status="verified", verified_at=timezone.now())
    return complete


def test_every_paragraph_of_the_utdrag_reads_as_in_the_protokoll(debated, organisation):
    minutes = debated.minutes
    numbers = list(minutes.paragraphs.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    protokoll_document = MinutesDocument(organisation=organisation, params={"minutes": minutes.pk})
    protokoll_html = rendering.build_html(protokoll_document)
    protokoll = body_text(_pdf(protokoll_document))
    titles = {p.number: p.title for p in minutes.paragraphs.all()}
    for number in numbers:
        utdrag_document = ExtractDocument(
            organisation=organisation, params={"minutes": minutes.pk, "paragraphs": str(number)}
        )
        utdrag_html = rendering.build_html(utdrag_document)
        assert html_section(utdrag_html, number) == html_section(protokoll_html, number)

        utdrag = body_text(_pdf(utdrag_document))
        heading = f"§ {number} {titles[number]}"
        following = [f"§ {n} {titles[n]}" for n in numbers if n > number]
        in_protokoll = paragraph_span(protokoll, heading, [*following, "Rättelser"])
        in_utdrag = paragraph_span(utdrag, heading, ["Utdragsbestyrkande"])
        assert in_utdrag == in_protokoll, number
        assert squash("Utdraget överensstämmer med originalprotokollet.") in utdrag

    budget = paragraph_span(protokoll, "§ 3 Budget 2020", ["Rättelser"])
    for part in (
        "Yrkanden Bo Exempel yrkar avslag.",
        "Votering 1: Bifall mot avslag",
        "Anna Exempel Ja",
        "Bo Exempel Nej",
        "Cecilia Exempel Ja",
        "Resultat: 2 ja-röster mot 1 nej-röst",
        "Förbundsstyrelsen beslutar att anta budgeten",
        "Reservationer Bo Exempel reserverar sig mot beslutet: För dyrt.",
        "Beslutet skickas till Medlemmarna Revisorerna",
    ):
        assert squash(part) in budget, part
    opening = paragraph_span(protokoll, "§ 1 Mötets öppnande", ["§ 2"])
    # The jäv is written first in the §, before the text and the beslut.
    assert opening.index(
        squash("Bo Exempel (Norrby kommun) anmäler jäv och deltar inte i handläggningen (delägare).")
    ) < opening.index("Ordförandenförklarar")
    assert opening.index("Ordförandenförklarar") < opening.index("beslutar")
    assert squash("Propositionsordning Ordföranden ställer förslaget under proposition") in opening
    secret = paragraph_span(protokoll, "§ 2", ["§ 3 Budget"])
    assert squash("Sekretess enligt OSL 26 kap. 1 §") in secret


def test_utdrag_of_several_paragraphs_keeps_their_order_and_the_bestyrkande(debated, organisation):
    document = ExtractDocument(organisation=organisation, params={"minutes": debated.minutes.pk, "paragraphs": "3,1"})
    text = body_text(_pdf(document))
    assert text.index("§1Mötetsöppnande") < text.index("§3Budget2020") < text.index("Utdragsbestyrkande")
    assert "Hemlig" not in text and "§2" not in text.replace("§§", "")
