"""Bilagor (appendix files) that go with a generated document.

One design for every document that has bilagor (the fact sheet now; kallelse and protokoll later):

- A file is checked with `appendix_inspect(name=..., data=...)` when it arrives (upload) and again when the
  document is rendered (the stored bytes may have been damaged since). A file that cannot be read raises
  `DocumentInputError` with a Swedish message naming the file, so a request is refused with nothing saved,
  or a job fails with that message and no output.
- PDF bilagor are embedded unchanged in the generated PDF/A-3 as associated files (AFRelationship
  "Supplement"), and listed on a last page "Bilagor". Merging their pages instead would make the result
  invalid PDF/A whenever a bilaga is not itself PDF/A (fonts not embedded, no output intent), and would alter
  the bilaga; PDF/A-3 exists precisely to carry originals inside an archival document.
- Image bilagor (PNG, JPEG) are printed as pages of their own, fitted to the page, after the document.

A document supplies its own bilagor through `PdfDocument.get_appendices()` (e.g. a meeting's handlingar read
from its storage) and the user may upload more with the request; both go through the same checks.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePosixPath

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

from core.validators import check_image_pixels, check_not_html

from .documents import DocumentInputError

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
IMAGE_CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class Appendix:
    """A checked bilaga: its name as the user knows it, its bytes and what it is."""

    name: str
    data: bytes
    kind: str  # RenderJobAppendix.Kind: "pdf" or "image"; "file" (Word, Excel) only from a document itself
    content_type: str
    sha256: str
    # What a PDF reader's attachment panel says about it; "Bilaga: <name>" when empty.
    description: str = ""

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def data_url(self) -> str:
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def max_appendix_bytes() -> int:
    return settings.PARAGRAF["MAX_UPLOAD_BYTES"]


def appendix_name(name: str) -> str:
    """The file name without any folder a browser or client sent with it."""
    return PurePosixPath(name.replace("\\", "/")).name or "namnlös fil"


def check_appendix_size(*, name: str, size: int) -> None:
    limit = max_appendix_bytes()
    if size > limit:
        raise DocumentInputError(f"Bilagan ”{name}” är större än {filesizeformat(limit)} och kan inte tas med.")


def appendix_inspect(*, name: str, data: bytes) -> Appendix:
    """Check that a bilaga can be used. Raises DocumentInputError with a message naming the file."""
    name = appendix_name(name)
    check_appendix_size(name=name, size=len(data))
    suffix = PurePosixPath(name).suffix.lower()
    digest = hashlib.sha256(data).hexdigest()
    if suffix in PDF_SUFFIXES or suffix in IMAGE_SUFFIXES:
        _check_bombs(name, data, image=suffix in IMAGE_SUFFIXES)
    if suffix in PDF_SUFFIXES:
        _check_pdf(name, data)
        return Appendix(name=name, data=data, kind="pdf", content_type="application/pdf", sha256=digest)
    if suffix in IMAGE_SUFFIXES:
        image_format = _check_image(name, data)
        return Appendix(
            name=name, data=data, kind="image", content_type=IMAGE_CONTENT_TYPES[image_format], sha256=digest
        )
    raise DocumentInputError(f"Bilagan ”{name}” har ett filformat som inte stöds. Använd PDF, PNG eller JPEG.")


def _check_bombs(name: str, data: bytes, *, image: bool) -> None:
    """The checks every upload path shares (core.validators), before anything is parsed or decoded."""
    subject = f"Bilagan ”{name}”"
    try:
        check_not_html(data, subject=subject)
        if image:
            check_image_pixels(data, subject=subject)
    except ValidationError as exc:
        raise DocumentInputError(exc.messages[0]) from exc


def _check_pdf(name: str, data: bytes) -> None:
    if b"%PDF-" not in data[:1024]:  # where the PDF standard allows the header
        raise DocumentInputError(f"Bilagan ”{name}” är skadad eller inte en PDF-fil och kunde inte läsas.")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise DocumentInputError(f"Bilagan ”{name}” är en PDF-fil utan sidor.")
    except pikepdf.PasswordError as exc:
        raise DocumentInputError(
            f"Bilagan ”{name}” är lösenordsskyddad. Ta bort lösenordet och ladda upp filen igen."
        ) from exc
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        raise DocumentInputError(f"Bilagan ”{name}” är skadad eller inte en PDF-fil och kunde inte läsas.") from exc


def _check_image(name: str, data: bytes) -> str:
    message = f"Bilagan ”{name}” är skadad eller inte en PNG- eller JPEG-bild och kunde inte läsas."
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            image.verify()  # structure and checksums
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() does not notice a truncated file; decoding it does
    except Image.DecompressionBombError as exc:
        raise DocumentInputError(f"Bilagan ”{name}” är en för stor bild (för många bildpunkter).") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DocumentInputError(message) from exc
    if image_format not in IMAGE_CONTENT_TYPES:
        raise DocumentInputError(message)
    return image_format


# -- Bilagor printed inside a document (kallelse med handlingar) ----------------------------------------------

# Resolution of a PDF bilaga's pages printed as images: sharp enough to read small print on A4, small enough
# that a 50-page bilaga stays a few MB.
PAGE_IMAGE_DPI = 110
# A bilaga longer than this is printed up to here; the rest is read in the original (embedded in the PDF).
MAX_PRINTED_PAGES = 60


@dataclass(frozen=True)
class PageImage:
    """One page of a PDF bilaga as a JPEG image, to print on a page of its own."""

    data: bytes
    number: int
    width: int
    height: int

    @property
    def data_url(self) -> str:
        return f"data:image/jpeg;base64,{base64.b64encode(self.data).decode('ascii')}"


def pdf_page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def pdf_page_images(data: bytes, *, max_pages: int = MAX_PRINTED_PAGES, dpi: int = PAGE_IMAGE_DPI) -> list[PageImage]:
    """The pages of a (checked) PDF bilaga drawn as images with PDFium (docs/decisions/0010).

    Copying the pages themselves would make the document invalid PDF/A whenever the bilaga is not PDF/A (fonts
    not embedded, no output intent, transparency); an image of the page is valid in any case, and the original
    travels unchanged inside the document as an associated file. Raises DocumentInputError when PDFium cannot
    read it.
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise DocumentInputError("En PDF-bilaga kunde inte läsas.") from exc
    images: list[PageImage] = []
    try:
        for index in range(min(len(document), max_pages)):
            page = document[index]
            try:
                bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
                image = bitmap.to_pil().convert("RGB")
            finally:
                page.close()
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=80, optimize=True)
            images.append(PageImage(data=buffer.getvalue(), number=index + 1, width=image.width, height=image.height))
    finally:
        document.close()
    return images
