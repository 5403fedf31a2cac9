"""Files attached to a PDF, and the one that carries the invoice as structured data.

Hybrid invoices (Factur-X, ZUGFeRD, XRechnung, ISDOC.PDF, a PDF with a UBL file) attach
their XML to the printed page; that XML is exact where the page is not. PDFs come from
strangers, so attachments are read under the shared PDFium lock, each one and all of
them together bounded in size, and anything PDFium cannot read is an
``UnreadableDocument``, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
from lxml import etree

from nex_automat.errors import DocumentTooLarge, NexError, UnreadableDocument
from nex_automat.formats.isdoc.reader import unpack_isdocx
from nex_automat.formats.ubl.codes import CREDIT_NOTE_NS, INVOICE_NS
from nex_automat.formats.xmlsafe import DEFAULT_MAX_BYTES, parse_xml
from nex_automat.pdfium import PDFIUM_LOCK

MAX_ATTACHMENTS = 100

CII_NAMES: tuple[str, ...] = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
"""Attachment names of the hybrid formats whose XML is CII, in order of preference; names
are compared without regard to case (ZUGFeRD 2.0 wrote "ZUGFeRD-invoice.xml")."""

_ISDOC_SUFFIX = ".isdoc"
_ISDOCX_SUFFIX = ".isdocx"
_XML_SUFFIX = ".xml"
_UBL_ROOTS = frozenset({f"{{{INVOICE_NS}}}Invoice", f"{{{CREDIT_NOTE_NS}}}CreditNote"})


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    data: bytes


def pdf_attachments(pdf: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Attachment]:
    """Every file attached to the PDF, in the PDF's order.

    Raises ``UnreadableDocument`` when PDFium cannot open the PDF or read an attachment,
    and ``DocumentTooLarge`` when the attachments together exceed ``max_bytes`` or there
    are more than ``MAX_ATTACHMENTS`` of them.
    """
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(bytes(pdf))
        except pdfium.PdfiumError as exc:
            raise UnreadableDocument(
                f"PDF could not be opened to read its attachments: {exc}"
            ) from exc
        try:
            return _read_all(document, max_bytes)
        except pdfium.PdfiumError as exc:
            raise UnreadableDocument(f"PDF attachment could not be read: {exc}") from exc
        finally:
            document.close()


def _read_all(document: pdfium.PdfDocument, max_bytes: int) -> list[Attachment]:
    count = document.count_attachments()
    if count > MAX_ATTACHMENTS:
        raise DocumentTooLarge(f"PDF has {count} attachments; the limit is {MAX_ATTACHMENTS}")
    found: list[Attachment] = []
    size = 0
    for index in range(count):
        attachment = document.get_attachment(index)
        data = bytes(attachment.get_data())
        size += len(data)
        if size > max_bytes:
            raise DocumentTooLarge(f"PDF attachments hold over {max_bytes} bytes")
        found.append(Attachment(name=attachment.get_name(), data=data))
    return found


def find_structured_attachment(pdf: bytes) -> tuple[str, bytes] | None:
    """The attached invoice XML as ``(format, xml)``, format ``"isdoc"``, ``"cii"`` or
    ``"ubl"``; ``None`` when the PDF carries none.

    ISDOC is preferred when a PDF carries several (Czech and Slovak ERPs read it best),
    then CII by its Factur-X, ZUGFeRD or XRechnung name, then any ``.xml`` whose root is
    a UBL Invoice or CreditNote. An ``.isdocx`` package is unpacked to its ISDOC.
    """
    attachments = pdf_attachments(pdf)
    for finder in (_isdoc, _cii, _ubl):
        found = finder(attachments)
        if found is not None:
            return found
    return None


def _isdoc(attachments: list[Attachment]) -> tuple[str, bytes] | None:
    for attachment in attachments:
        name = attachment.name.lower()
        if name.endswith(_ISDOC_SUFFIX):
            return "isdoc", attachment.data
        if name.endswith(_ISDOCX_SUFFIX):
            return "isdoc", unpack_isdocx(attachment.data)
    return None


def _cii(attachments: list[Attachment]) -> tuple[str, bytes] | None:
    by_name = {attachment.name.lower(): attachment for attachment in reversed(attachments)}
    for wanted in CII_NAMES:
        if wanted in by_name:
            return "cii", by_name[wanted].data
    return None


def _ubl(attachments: list[Attachment]) -> tuple[str, bytes] | None:
    for attachment in attachments:
        if attachment.name.lower().endswith(_XML_SUFFIX) and _is_ubl(attachment.data):
            return "ubl", attachment.data
    return None


def _is_ubl(data: bytes) -> bool:
    """Whether the XML's root is a UBL invoice; an unreadable file is simply not one."""
    try:
        return etree.QName(parse_xml(data)).text in _UBL_ROOTS
    except NexError:
        return False
