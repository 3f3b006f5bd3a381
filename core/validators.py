"""Validators for Swedish identifiers and uploaded files. Messages are Swedish and name what is wrong."""

import re

from django.core.exceptions import ValidationError

ORG_NUMBER_RE = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_check_digit(digits: str) -> int:
    """Check digit for the first nine digits of an organisationsnummer (the Luhn algorithm)."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def normalise_org_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise a ValidationError saying what is wrong."""
    cleaned = (value or "").strip().replace(" ", "")
    match = ORG_NUMBER_RE.match(cleaned)
    if not match:
        raise ValidationError(
            "Organisationsnumret ”%(value)s” har fel form. Skriv tio siffror som NNNNNN-NNNN, t.ex. 222000-1644.",
            code="format",
            params={"value": value},
        )
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2:
        raise ValidationError(
            "Organisationsnumret ”%(value)s” är inte ett organisationsnummer: "
            "den tredje siffran ska vara 2 eller högre.",
            code="month",
            params={"value": value},
        )
    expected = luhn_check_digit(digits[:9])
    if int(digits[9]) != expected:
        raise ValidationError(
            "Organisationsnumret ”%(value)s” har fel kontrollsiffra (sista siffran ska vara %(expected)s).",
            code="checksum",
            params={"value": value, "expected": expected},
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_org_number(value: str) -> None:
    normalise_org_number(value)


# --- Uploaded files -------------------------------------------------------------------------------------------
# Every upload path (bilagor to agenda items and ärenden, bilagor to generated documents) calls these after its own
# type check, so a decompression bomb or an HTML/PDF polyglot is refused the same way everywhere. `subject` is how
# the message names the file, e.g. "Filen ”budget.xlsx”" or "Bilagan ”karta.png”".

# Markers that make a browser or a PDF viewer's HTML fallback treat the bytes as a web page.
HTML_MARKERS = (
    b"<html",
    b"<script",
    b"<!doctype",
    b"<body",
    b"<head",
    b"<iframe",
    b"<svg",
    b"<?xml-stylesheet",
)
HTML_SNIFF_BYTES = 1024


def upload_limits() -> dict[str, int]:
    from django.conf import settings

    paragraf = settings.PARAGRAF
    return {
        "pixels": int(paragraf.get("MAX_IMAGE_PIXELS", 40_000_000)),
        "unpacked": int(paragraf.get("MAX_UNPACKED_BYTES", 100 * 1024 * 1024)),
        "ratio": int(paragraf.get("MAX_COMPRESSION_RATIO", 100)),
        "entries": int(paragraf.get("MAX_ARCHIVE_ENTRIES", 2000)),
    }


def check_not_html(data: bytes, *, subject: str) -> None:
    """Refuse bytes a browser could sniff as HTML: nothing we accept starts with "<" or carries HTML in its first KB.

    A PDF may put its header anywhere in the first KB, so a file can be a valid PDF and a web page at once.
    """
    head = data[:HTML_SNIFF_BYTES].replace(b"\0", b"").lower()  # NULs removed: UTF-16 HTML is sniffed too
    if head.lstrip(b" \t\r\n\x0c\xef\xbb\xbf\xfe\xff")[:1] == b"<" or any(marker in head for marker in HTML_MARKERS):
        raise ValidationError(
            f"{subject} innehåller HTML-kod i början av filen och kan därför tolkas som en webbsida. "
            "Spara filen på nytt från programmet den skapades i och ladda upp den igen.",
            code="html",
        )


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}".replace(".", ",")


def check_image_pixels(data: bytes, *, subject: str) -> None:
    """Refuse an image with more pixels than allowed, reading only its header (nothing is decoded)."""
    import io
    import warnings

    from PIL import Image, UnidentifiedImageError

    limit = upload_limits()["pixels"]
    too_many = (
        f"{subject} är en för stor bild: högst {_megapixels(limit)} megapixel tillåts. "
        "Minska bildens upplösning och ladda upp den igen."
    )
    try:
        with warnings.catch_warnings():  # Pillow warns between its limit and twice it; we refuse instead
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # lazy: reads the header only
                width, height = image.size
    except Image.DecompressionBombError as exc:  # Pillow's own limit (see CoreConfig.ready) is twice ours
        raise ValidationError(too_many, code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return  # not an image at all: the caller's type check says so in its own words
    if width * height > limit:
        raise ValidationError(
            f"{subject} är en för stor bild: {width} × {height} bildpunkter ({_megapixels(width * height)} megapixel), "
            f"högst {_megapixels(limit)} megapixel tillåts. Minska bildens upplösning och ladda upp den igen.",
            code="too_many_pixels",
        )


def check_zip_container(data: bytes, *, subject: str) -> None:
    """Refuse an Office file (a zip) that would unpack to too much, reading only its central directory.

    Checks the number of parts, their total unpacked size, the compression ratio and parts that claim more
    packed bytes than the file has (overlapping parts, the trick of the smallest zip bombs).
    """
    import io
    import zipfile

    from django.template.defaultfilters import filesizeformat

    limits = upload_limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip: the caller's type check says so in its own words
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if len(infos) > limits["entries"]:
        raise ValidationError(
            f"{subject} består av {len(infos)} delar; högst {limits['entries']} tillåts.", code="too_many_parts"
        )
    if unpacked > limits["unpacked"]:
        raise ValidationError(
            f"{subject} packas upp till {filesizeformat(unpacked)}; högst {filesizeformat(limits['unpacked'])} "
            "tillåts. Dela upp dokumentet eller spara bilderna i det med lägre upplösning.",
            code="unpacked_too_large",
        )
    if packed > len(data):
        raise ValidationError(
            f"{subject} är inte en giltig Office-fil: dess delar överlappar varandra.", code="overlapping_parts"
        )
    # Small files may compress well without harm; the ratio matters once the unpacked size is noticeable.
    if unpacked > 1024 * 1024 and unpacked > limits["ratio"] * max(packed, 1):
        raise ValidationError(
            f"{subject} är packad mer än {limits['ratio']} gånger (packas upp till {filesizeformat(unpacked)}), "
            "vilket bara en konstruerad fil är. Spara dokumentet på nytt och ladda upp det igen.",
            code="compression_ratio",
        )


DELIVERABLE_EMAIL_MESSAGE = (
    "Ange en e-postadress som går att skicka till, t.ex. fornamn.efternamn@kommun.se "
    "(utan å, ä, ö eller mellanslag före @)."
)


def validate_deliverable_email(value: str) -> None:
    """An address ordinary mail servers deliver to, with a message that says what is wrong with å/ä/ö before
    the @ (most mail servers refuse them; Django's check only says "invalid"), then Django's syntax check."""
    from django.core.validators import validate_email

    local = (value or "").rpartition("@")[0]
    if not local.isascii() or " " in local:
        raise ValidationError(DELIVERABLE_EMAIL_MESSAGE, code="undeliverable")
    validate_email(value)
