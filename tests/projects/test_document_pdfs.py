"""The lägesrapport and projektansökan PDFs: valid PDF/A-3a and PDF/UA-1 (page-validation), the sections in the
seeds' order under Swedish headings, page numbers, and totals computed from the rows."""

from __future__ import annotations

import io
import re

import page
import pytest
from pypdf import PdfReader

from projects.documents import APPLICATION_SECTIONS, STATUS_REPORT_SECTIONS
from reporting import rendering
from reporting.documents import get_document_class

from .document_factories import make_application, make_status_report

pytestmark = pytest.mark.django_db


def _pdf(organisation, kind: str, params: dict) -> bytes:
    document = get_document_class(kind)(organisation=organisation, params=params)
    document.check_inputs()
    return rendering.write_pdf(rendering.layout_html(rendering.build_html(document)))


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def _valid(data: bytes) -> None:
    for profile in ("3a", "ua1"):
        report = page.validate_pdf_bytes(data, profile=profile)
        assert report.is_compliant, [f"{f.rule_id}: {f.message}" for f in report.failures]


def _in_order(text: str, headings: list[str]) -> None:
    positions = [text.find(heading) for heading in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions, strict=True) if p == -1]
    assert positions == sorted(positions), headings


def test_the_status_report_is_pdf_a_with_seed_000s_sections_in_order(organisation):
    report = make_status_report(organisation)
    data = _pdf(organisation, "projects.status_report", {"report": report.pk})
    _valid(data)
    text = _text(data)
    _in_order(text, [heading for _, heading in STATUS_REPORT_SECTIONS])
    assert "UTKAST" in text and "Sida 1 av" in text
    # 855 800 + 245 200 + 30 800 and 900 000 + 200 000: computed, never typed.
    assert re.search(r"Summa 1\s100\s000 kr 1\s131\s800 kr -31\s800 kr", text), text
    assert "Löner arbetad tid" in text and "Tillväxtverket" in text and "Karin Lindqvist" in text


def test_the_application_is_pdf_a_with_the_seeds_contents_in_order(organisation):
    application = make_application(organisation, status="submitted")
    data = _pdf(organisation, "projects.application", {"application": application.pk})
    _valid(data)
    text = _text(data)
    _in_order(text, [heading for _, heading in APPLICATION_SECTIONS])
    assert re.search(r"Summa 2011 750\s000 kr", text) and re.search(r"Totalt Hela projektperioden 1\s270\s000 kr", text)
    assert "Delmål 2011-06-30: Minst 20 ungdomar" in text and "minst 75 % av" in text
    assert "Status: Inlämnad" in text
