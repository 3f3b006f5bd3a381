"""HTML to PDF/A with WeasyPrint, in the steps the job reports as progress.

PDF/A-3b: WeasyPrint 70 writes the XMP identification (pdfaid:part 3, conformance B), an sRGB output intent
and embeds every font; unlike PDF/A-2b it keeps embedded files of any type, which is how PDF bilagor travel
with the document (see reporting.appendices).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from urllib.parse import urljoin

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone

from .appendices import Appendix
from .documents import PdfDocument
from .fetcher import RestrictedURLFetcher, document_base_url, resolve_static, static_url_prefix

PDF_VARIANT = "pdf/a-3b"
# Part of every fingerprint: a new WeasyPrint or PDF variant renders anew instead of reusing old files.
RENDERER_ID = f"weasyprint {weasyprint.__version__} {PDF_VARIANT}"

_ASSET_REF = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")


def build_html(document: PdfDocument, *, appendices: Sequence[Appendix] = ()) -> str:
    """The complete print HTML. Rendered without a request: no CSRF token, user or clock in it."""
    context = {
        **document.get_context(),
        "document": document,
        "organisation": document.organisation,
        "title": document.title,
        "appendices": list(appendices),
        "image_appendices": [a for a in appendices if a.kind == "image"],
        "pdf_appendices": [a for a in appendices if a.kind == "pdf"],
    }
    return render_to_string(document.template_name, context)


def input_fingerprint(*, kind: str, html: str, appendices: Sequence[Appendix] = ()) -> str:
    """SHA-256 of everything that decides the PDF: renderer, kind, HTML, the static files it links, bilagor.

    The linked stylesheets are hashed by content because a changed print.css leaves the HTML unchanged.
    """
    digest = hashlib.sha256()
    for part in (RENDERER_ID, kind, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    prefix = static_url_prefix()
    for ref in sorted(set(_ASSET_REF.findall(html))):
        url = urljoin(document_base_url(), ref)
        path = resolve_static(url[len(prefix) :]) if url.startswith(prefix) else None
        if path is not None:
            digest.update(ref.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for appendix in appendices:
        digest.update(f"{appendix.name}\0{appendix.sha256}\0".encode())
    return digest.hexdigest()


def layout_html(html: str) -> weasyprint.Document:
    """Parse, style and lay out the pages (the slow part), reading assets only through the restricted fetcher."""
    source = weasyprint.HTML(string=html, base_url=document_base_url(), url_fetcher=RestrictedURLFetcher())
    return source.render(pdf_variant=PDF_VARIANT)


def write_pdf(laid_out: weasyprint.Document, *, appendices: Sequence[Appendix] = ()) -> bytes:
    """Serialise to PDF/A bytes with the PDF bilagor embedded as associated files."""
    now = timezone.now().replace(microsecond=0).isoformat()
    # The creation time goes into the PDF metadata, never into the HTML (that would defeat reuse).
    laid_out.metadata.created = laid_out.metadata.created or now
    laid_out.metadata.modified = laid_out.metadata.modified or now
    attachments = [
        weasyprint.Attachment(
            string=appendix.data,
            name=appendix.name,
            description=f"Bilaga: {appendix.name}",
            relationship="Supplement",
            url_fetcher=RestrictedURLFetcher(),
        )
        for appendix in appendices
        if appendix.kind == "pdf"
    ]
    return laid_out.write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments)
