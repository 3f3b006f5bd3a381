"""HTML to PDF/A with WeasyPrint, in the steps the job reports as progress.

PDF/A-3a and PDF/UA-1: WeasyPrint 70 tags the document from the HTML (headings, lists, tables with their
headers; page furniture as artifacts), writes the XMP identification (pdfaid:part 3, conformance A), an sRGB
output intent and embeds every font; unlike PDF/A-2 it keeps embedded files of any type, which is how PDF
bilagor travel with the document (see reporting.appendices). `finish_pdf` then does what WeasyPrint leaves
out: the PDF/UA identification (declared as a PDF/A extension schema), DisplayDocTitle, and an uncompressed
XMP metadata stream (PDF/A: the catalog's metadata stream has no Filter). Every document type is checked with
the page-validation package in tests/reporting/test_pdf_validation.py.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import re
from collections.abc import Sequence
from urllib.parse import urljoin

import pikepdf
import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone

from .appendices import Appendix
from .documents import PdfDocument
from .fetcher import RestrictedURLFetcher, document_base_url, resolve_static, static_url_prefix

PDF_VARIANT = "pdf/a-3a"
# Added by finish_pdf: the PDF/UA part this output claims.
PDF_UA_PART = 1
# Part of every fingerprint: a new WeasyPrint, PDF variant or finishing renders anew instead of reusing old files.
RENDERER_ID = f"weasyprint {weasyprint.__version__} {PDF_VARIANT} ua-{PDF_UA_PART} finish-2"

# Bilagor that travel as associated files: PDF, and other files (Word, Excel) a document brings itself.
EMBEDDED_KINDS = frozenset({"pdf", "file"})

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
            description=appendix.description or f"Bilaga: {appendix.name}",
            relationship="Supplement",
            url_fetcher=RestrictedURLFetcher(),
        )
        for appendix in appendices
        if appendix.kind in EMBEDDED_KINDS
    ]
    return finish_pdf(laid_out.write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments))


# The PDF/UA identification schema is not one of PDF/A's predefined schemas, so PDF/A wants it declared.
_PDFUA_XMP = f"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" \
pdfuaid:part="{PDF_UA_PART}"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 that the document follows</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
""".encode()

_EOL = (b"\n"[0], b"\r"[0])


def finish_pdf(data: bytes) -> bytes:
    """PDF/UA identification, DisplayDocTitle, an uncompressed XMP stream, no image interpolation and
    unambiguous stream ends."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        metadata = pdf.Root.Metadata
        xmp = metadata.read_bytes()
        if b"pdfuaid:part" not in xmp:
            xmp = xmp.replace(b"</rdf:RDF>", _PDFUA_XMP + b"</rdf:RDF>", 1)
        metadata.write(xmp)  # no filter: PDF/A forbids a compressed catalog metadata stream
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        for stream in pdf.objects:
            if isinstance(stream, pikepdf.Stream) and stream.objgen != metadata.objgen:
                if stream.get("/Subtype") == pikepdf.Name.Image and "/Interpolate" in stream:
                    del stream.Interpolate  # PDF/A forbids interpolation (WeasyPrint asks for it on image bilagor)
                _hex_wrap_if_ending_in_eol(stream)
        out = io.BytesIO()
        # Object streams stay out so that nothing (the metadata stream included) is compressed anew.
        pdf.save(
            out,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
    return out.getvalue()


def _hex_wrap_if_ending_in_eol(stream: pikepdf.Stream) -> None:
    """A stream whose data ends in CR or LF makes validators misread /Length (the EOL before "endstream" is not
    part of the data, but they strip both). About 1 in 128 deflated streams ends so (the Adler-32's last byte),
    which no compression level changes; an outer ASCIIHexDecode ends the data in ">" and decodes to the same."""
    raw = stream.read_raw_bytes()
    if not raw or raw[-1] not in _EOL:
        return
    filters = stream.get("/Filter")
    filters = [] if filters is None else list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    params = stream.get("/DecodeParms")
    if params is None:
        params = [None] * len(filters)
    elif not isinstance(params, pikepdf.Array):
        params = [params]
    else:
        params = list(params)
    stream.write(
        binascii.hexlify(raw) + b">",
        filter=[pikepdf.Name.ASCIIHexDecode, *filters],
        decode_parms=[None, *params] if any(p is not None for p in params) else None,
    )
