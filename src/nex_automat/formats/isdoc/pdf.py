"""The ISDOC inside an ISDOC.PDF: the exact data, preferred to reading the printed page."""

from __future__ import annotations

import pypdfium2 as pdfium

from nex_automat.errors import UnreadableDocument

_ISDOC_SUFFIXES = (".isdoc", ".isdocx")


def extract_isdoc_from_pdf(pdf: bytes) -> bytes | None:
    """The first embedded ``*.isdoc`` / ``*.isdocx`` file of the PDF, or ``None``.

    The bytes are returned as embedded; :func:`read_isdoc` reads both kinds.
    """
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"PDF could not be opened: {exc}") from exc
    try:
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            if attachment.get_name().lower().endswith(_ISDOC_SUFFIXES):
                return bytes(attachment.get_data())
    finally:
        document.close()
    return None
