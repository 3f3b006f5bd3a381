"""Generated decompression bombs and polyglots for the upload tests (small on disk, huge when unpacked).

Nothing here holds the unpacked content in memory: the PNG's zlib stream repeats one compressed block (a full
flush resets the compressor, so the same input gives the same bytes) and the zip entry is streamed in chunks.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/></Types>'
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _zlib_of_repeats(block: bytes, count: int) -> bytes:
    """zlib(block * count) without ever building block * count."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(block, adler)
    return b"\x78\xda" + unit * count + tail + struct.pack(">I", adler)


def png_bomb(width: int = 12_000, height: int = 12_000, *, complete: bool = False) -> bytes:
    """An RGB PNG of width × height black pixels (144 megapixels by default).

    Only the header and one row of pixel data unless `complete`: the checks must refuse it from the header alone.
    The complete one (about 420 KB) decodes to 432 MB, which is what the memory test feeds to the old code path.
    """
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    row = b"\0" * (1 + width * 3)  # filter byte + pixels
    if complete:
        rows_per_block = 100 if height % 100 == 0 else 1
        data = _zlib_of_repeats(row * rows_per_block, height // rows_per_block)
    else:
        data = zlib.compress(row)
    return b"\x89PNG\r\n\x1a\n" + header + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header (SOF0) is rewritten to claim width × height."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (16, 16), 128).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def docx_bomb(path: Path, *, unpacked_mb: int = 450) -> bytes:
    """A .docx whose document.xml unpacks to `unpacked_mb` MB of zeros (streamed, about 1 KB per MB on disk)."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(unpacked_mb):
                part.write(chunk)
    return path.read_bytes()


def docx(parts: dict[str, bytes] | None = None) -> bytes:
    """A small valid .docx, optionally with more parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("word/document.xml", "<document/>")
        for name, data in (parts or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def docx_with_overlapping_parts(copies: int = 3) -> bytes:
    """A .docx whose central directory lists the same packed part several times (the overlapping-file bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("word/document.xml", b"<document>" + bytes(range(256)) * 40 + b"</document>")
    data = buffer.getvalue()
    end = data.rindex(b"PK\x05\x06")
    (entries,) = struct.unpack_from("<H", data, end + 10)
    size, offset = struct.unpack_from("<II", data, end + 12)
    directory = data[offset : offset + size]
    last = directory.rindex(b"PK\x01\x02")  # the central record of word/document.xml
    record = directory[last:]
    extra = b"".join(record.replace(b"word/document.xml", f"word/copy{i:04d}.xml".encode()) for i in range(copies))
    directory += extra
    tail = bytearray(data[end:])
    struct.pack_into("<HHI", tail, 8, entries + copies, entries + copies, len(directory))
    return data[:offset] + directory + bytes(tail)


def pdf(prefix: bytes = b"", comment: bytes = b"") -> bytes:
    """A valid one-page PDF, with `prefix` before its header or `comment` as a comment line right after it."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if comment:
        newline = data.index(b"\n") + 1
        data = data[:newline] + b"%" + comment + b"\n" + data[newline:]
    return prefix + data
