"""One document in, one checked invoice out.

Structured data is exact, so it always wins: a standalone e-invoice (ISDOC, ISDOCX, UBL,
CII) is read as such, and a PDF carrying one as an attachment (ISDOC.PDF, Factur-X) is read
from its XML. Only a PDF without one is read from its printed page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from nex_automat.domain.checks import check_invoice
from nex_automat.domain.model import Invoice
from nex_automat.errors import (
    DocumentTooLarge,
    EmptyDocument,
    NoInvoiceFound,
    NotAPdf,
    NoTextLayer,
)
from nex_automat.extract.generic import extract_generic
from nex_automat.extract.layout import TextDocument
from nex_automat.extract.pdf import has_text, read_pdf
from nex_automat.extract.result import ExtractionResult
from nex_automat.extract.templates import TemplateLibrary, apply_rules
from nex_automat.formats.attachments import find_structured_attachment
from nex_automat.formats.detect import detect_xml_format, read_structured

DEFAULT_MAX_PAGES = 300
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Limits that protect the service from hostile documents."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES


def extract_document(
    data: bytes,
    *,
    templates: TemplateLibrary | None = None,
    options: ExtractOptions | None = None,
) -> ExtractionResult:
    """Read a supplier invoice from any form NEX Automat accepts.

    The form is decided by the bytes, never by a file name. Raises a ``DocumentError``
    subclass with a stable code when the document cannot be read, so the caller can keep
    it for a human and report why.
    """
    options = options or ExtractOptions()
    if len(data) > options.max_bytes:
        raise DocumentTooLarge(
            f"the document has {len(data)} bytes, more than the limit of {options.max_bytes}"
        )
    head = data[:1024].lstrip()
    if not head:
        raise EmptyDocument("the document is empty")
    if b"%PDF-" in data[:1024]:
        return extract_pdf(data, templates=templates, options=options)
    if head.startswith(b"PK\x03\x04"):
        return _structured_result(data, "isdoc", pages=None)
    if _looks_like_xml(head):
        return _structured_result(data, detect_xml_format(data), pages=None)
    raise NotAPdf("the document is neither a PDF nor an e-invoice (ISDOC, ISDOCX, UBL or CII XML)")


def _looks_like_xml(head: bytes) -> bool:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return True
    return head.startswith(b"<")


def _structured_result(data: bytes, fmt: str, *, pages: int | None) -> ExtractionResult:
    invoice = read_structured(data, fmt)
    return ExtractionResult(
        invoice=invoice,
        method=fmt,
        pages=pages,
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=check_invoice(invoice),
    )


def extract_pdf(
    data: bytes,
    *,
    templates: TemplateLibrary | None = None,
    options: ExtractOptions | None = None,
) -> ExtractionResult:
    """Read a supplier invoice PDF: its attached e-invoice if it has one, else its text."""
    options = options or ExtractOptions()
    doc = read_pdf(data, max_pages=options.max_pages, max_bytes=options.max_bytes)
    attached = find_structured_attachment(data)
    if attached is not None:
        fmt, xml = attached
        result = _structured_result(xml, fmt, pages=doc.page_count)
        result.sha256 = doc.sha256
        return result
    if not has_text(doc):
        raise NoTextLayer(
            f"the PDF has {doc.page_count} page(s) but no text layer: it is a scan or an image"
        )
    return extract_text_document(doc, templates=templates)


def extract_text_document(
    doc: TextDocument, *, templates: TemplateLibrary | None = None
) -> ExtractionResult:
    template = templates.choose(doc) if templates else None
    extraction = extract_generic(
        doc,
        extra_labels=template.labels if template else None,
        extra_column_labels=template.columns if template else None,
    )
    if template is not None:
        apply_rules(template, doc, extraction)
    if not _looks_like_invoice(extraction.invoice):
        raise NoInvoiceFound(
            "no invoice number, totals or items were found: the document does not look like "
            "an invoice"
        )
    return ExtractionResult(
        invoice=extraction.invoice,
        method="text",
        pages=doc.page_count,
        sha256=doc.sha256,
        template=template.name if template else None,
        warnings=[*extraction.warnings, *check_invoice(extraction.invoice)],
        provenance=extraction.provenance,
    )


def _looks_like_invoice(invoice: Invoice) -> bool:
    has_total = any(
        value is not None for value in (invoice.amount_due, invoice.total_gross, invoice.total_net)
    )
    return bool(invoice.lines) or (invoice.number is not None and has_total)
