"""What kind of document some bytes are, decided by their content, never by a file name.

Both intake and the extractor (:func:`nex_automat.extract.document.extract_document`)
decide by these rules, so what intake accepts is exactly what processing can read: a PDF
has ``%PDF-`` somewhere in its first kilobyte (some generators put junk before it), XML
starts with ``<`` after an optional byte-order mark and whitespace, a ZIP (ISDOCX) starts
with a local file header, and a scan or photo (JPEG, PNG, TIFF) with its format's magic
bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from nex_automat.errors import UnsupportedMediaType
from nex_automat.extract.images import JPEG, PNG, TIFF, sniff_image

PDF = "application/pdf"
XML = "application/xml"
ZIP = "application/zip"

IMAGES = frozenset({JPEG, PNG, TIFF})

HEAD_BYTES = 1024
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_XML_START = "<"
_BOM_ENCODINGS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _is_pdf(head: bytes) -> bool:
    return _PDF_MAGIC in head


def _is_zip(head: bytes) -> bool:
    return head.lstrip().startswith(_ZIP_MAGIC)


def _is_xml(head: bytes) -> bool:
    for bom, encoding in _BOM_ENCODINGS:
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, errors="ignore")
            return text.lstrip().startswith(_XML_START)
    return head.lstrip().startswith(_XML_START.encode("ascii"))


def _is_image(media_type: str) -> Callable[[bytes], bool]:
    return lambda head: sniff_image(head) == media_type


SNIFFERS: tuple[tuple[str, Callable[[bytes], bool]], ...] = (
    (ZIP, _is_zip),
    (PDF, _is_pdf),
    (XML, _is_xml),
    (JPEG, _is_image(JPEG)),
    (PNG, _is_image(PNG)),
    (TIFF, _is_image(TIFF)),
)
"""Media types in the order they are tried. A PDF wins over junk that merely starts with
``<``; a ZIP (whose first entry may be a PDF stored uncompressed) wins over a PDF."""


def sniff_media_type(data: bytes) -> str | None:
    """The media type of ``data``, or ``None`` when it is none NEX Automat reads."""
    head = data[:HEAD_BYTES]
    return next((media for media, matches in SNIFFERS if matches(head)), None)


def require_media_type(data: bytes) -> str:
    """The media type of ``data``; :class:`UnsupportedMediaType` when it has none we read."""
    media_type = sniff_media_type(data)
    if media_type is None:
        raise UnsupportedMediaType(
            "the document is neither a PDF, an e-invoice (ISDOC, ISDOCX, UBL or CII XML) nor "
            "an image (JPEG, PNG, TIFF)"
        )
    return media_type
