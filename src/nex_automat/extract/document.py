"""One document in, one checked invoice out.

Structured data is exact, so it always wins: a standalone e-invoice (ISDOC, ISDOCX, UBL,
CII) is read as such, and a PDF carrying one as an attachment (ISDOC.PDF, Factur-X) is read
from its XML. Only a PDF without one is read from its printed page: from its text layer
where that is usable, by OCR where it is not (page by page), and an image (JPEG, PNG,
TIFF) by OCR.

``source.method`` is ``"ocr"`` when at least one value of the invoice was read from a
recognised page (``ExtractionResult.ocr_fields`` lists which), otherwise ``"text"``: a
mixed PDF whose scanned page adds nothing but, say, terms and conditions stays ``"text"``.
A document recognised entirely by OCR is ``"ocr"`` even if no field has a source box.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from nex_automat.domain.checks import check_invoice
from nex_automat.domain.model import Invoice
from nex_automat.errors import (
    DocumentTooLarge,
    EmptyDocument,
    NoInvoiceFound,
    NotAPdf,
    NoTextLayer,
    OcrTimeout,
    TooManyPages,
)
from nex_automat.extract.generic import extract_generic
from nex_automat.extract.images import load_images
from nex_automat.extract.layout import Page, TextDocument, layout_page
from nex_automat.extract.media import IMAGES, PDF, XML, ZIP, sniff_media_type
from nex_automat.extract.ocr import (
    OcrPage,
    OcrSettings,
    PageSource,
    recognise_pages,
    recognise_sparse,
)
from nex_automat.extract.ocr_checks import suggest_corrections
from nex_automat.extract.ocr_text import code_text
from nex_automat.extract.pdf import read_pdf
from nex_automat.extract.pdf_streams import MAX_INFLATED_BYTES
from nex_automat.extract.result import Extraction, ExtractionResult, Provenance
from nex_automat.extract.scan import combine_pdf_pages, pages_to_recognise, pdf_page_sources
from nex_automat.extract.table import read_line_items
from nex_automat.extract.templates import SupplierTemplate, TemplateLibrary, apply_rules
from nex_automat.formats.attachments import find_structured_attachment
from nex_automat.formats.detect import detect_xml_format, read_structured

DEFAULT_MAX_PAGES = 300
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Limits that protect the service from hostile documents."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES
    max_inflated_bytes: int = MAX_INFLATED_BYTES
    """What a PDF's compressed streams may inflate to (decompression bombs)."""
    ocr: OcrSettings = field(default_factory=OcrSettings)


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
    if not data.strip():
        raise EmptyDocument("the document is empty")
    media_type = sniff_media_type(data)
    if media_type == PDF:
        return extract_pdf(data, templates=templates, options=options)
    if media_type in IMAGES:
        return extract_image(data, templates=templates, options=options)
    if media_type == ZIP:
        return _structured_result(data, "isdoc", pages=None)
    if media_type == XML:
        return _structured_result(data, detect_xml_format(data), pages=None)
    raise NotAPdf(
        "the document is neither a PDF, an e-invoice (ISDOC, ISDOCX, UBL or CII XML) nor an "
        "image (JPEG, PNG, TIFF)"
    )


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
    doc = read_pdf(
        data,
        max_pages=options.max_pages,
        max_bytes=options.max_bytes,
        max_inflated=options.max_inflated_bytes,
    )
    attached = find_structured_attachment(data)
    if attached is not None:
        fmt, xml = attached
        result = _structured_result(xml, fmt, pages=doc.page_count)
        result.sha256 = doc.sha256
        return result
    scanned = pages_to_recognise(doc.pages)
    if not scanned:
        return extract_text_document(doc, templates=templates)
    ocr_pages = _recognise(pdf_page_sources(data, scanned), options.ocr)
    pages = list(doc.pages)
    for ocr_page in ocr_pages:
        pages[ocr_page.page.number] = layout_page(ocr_page.page)
    merged = TextDocument(pages=pages, sha256=doc.sha256)
    result = _ocr_result(merged, ocr_pages, templates=templates, settings=options.ocr)
    if options.ocr.searchable_pdf:
        recognised = {p.page.number: p.pdf for p in ocr_pages if p.pdf is not None}
        result.searchable_pdf = combine_pdf_pages(
            [(recognised[i], 0) if i in recognised else (data, i) for i in range(len(pages))]
        )
    return result


def extract_image(
    data: bytes,
    *,
    templates: TemplateLibrary | None = None,
    options: ExtractOptions | None = None,
) -> ExtractionResult:
    """Read a supplier invoice from a scan or a photo (JPEG, PNG, TIFF with one page per frame)."""
    options = options or ExtractOptions()
    limit = min(options.max_pages, options.ocr.max_pages)
    images = load_images(data, max_pages=limit)
    ocr_pages = _recognise([lambda image=image: image for image in images], options.ocr)
    doc = TextDocument(
        pages=[layout_page(p.page) for p in ocr_pages], sha256=hashlib.sha256(data).hexdigest()
    )
    result = _ocr_result(doc, ocr_pages, templates=templates, settings=options.ocr)
    if options.ocr.searchable_pdf:
        result.searchable_pdf = combine_pdf_pages([(p.pdf, 0) for p in ocr_pages if p.pdf])
    return result


def _recognise(sources: list[PageSource], settings: OcrSettings) -> list[OcrPage]:
    if len(sources) > settings.max_pages:
        raise TooManyPages(
            f"{len(sources)} pages need OCR; at most {settings.max_pages} are recognised per "
            "document"
        )
    return recognise_pages(sources, settings)


EVERY_INVOICE_HAS = ("number", "issue_date", "due_date", "amount_due")
"""Fields every invoice prints: one missing after OCR means the page is read again."""
CODE_FIELDS = ("number", "order_reference")
"""Codes whose letter prefix OCR may read with a zero for an O."""
SECOND_READING_FIELDS = ("number", "issue_date", "tax_point_date", "due_date", "amount_due")
"""Fields a second reading may fill in, only where the first found nothing."""


def _ocr_result(
    doc: TextDocument,
    ocr_pages: list[OcrPage],
    *,
    templates: TemplateLibrary | None,
    settings: OcrSettings,
) -> ExtractionResult:
    if not any(page.words for page in doc.pages):
        raise NoTextLayer(
            f"the document has {doc.page_count} page(s) without a text layer and OCR "
            "recognised no text on them"
        )
    numbers = frozenset(p.page.number for p in ocr_pages)
    template = templates.choose(doc) if templates else None
    extraction = _extract(doc, template)
    if any(getattr(extraction.invoice, name) is None for name in EVERY_INVOICE_HAS):
        _read_again(extraction, doc, ocr_pages, settings, template)
    _repair_codes(extraction, numbers)
    result = _checked(extraction, doc, template, numbers)
    if numbers == frozenset(range(doc.page_count)):
        result.method = "ocr"
    return result


def _repair_codes(extraction: Extraction, ocr_pages: frozenset[int]) -> None:
    for name in CODE_FIELDS:
        value = getattr(extraction.invoice, name)
        box = extraction.provenance.get(name)
        if isinstance(value, str) and box is not None and box.page in ocr_pages:
            setattr(extraction.invoice, name, code_text(value))


def _read_again(
    extraction: Extraction,
    doc: TextDocument,
    ocr_pages: list[OcrPage],
    settings: OcrSettings,
    template: SupplierTemplate | None,
) -> None:
    """Key fields the first reading missed, taken from a sparse-mode reading of the first
    and last recognised pages (where headers and totals stand), items tables left out. The
    first reading stands alone if the second runs out of time."""
    chosen = {ocr_pages[0].page.number: ocr_pages[0], ocr_pages[-1].page.number: ocr_pages[-1]}
    tables = read_line_items(doc).regions
    pages = list(doc.pages)
    for number, ocr_page in chosen.items():
        blank = [(r.top, r.bottom) for r in tables if r.page == number]
        try:
            words = recognise_sparse(ocr_page, settings, blank=blank)
        except OcrTimeout:
            return
        read = ocr_page.page
        pages[number] = layout_page(Page(number, read.width, read.height, words))
    again = _extract(TextDocument(pages=pages, sha256=doc.sha256), template)
    for name in SECOND_READING_FIELDS:
        value = getattr(again.invoice, name)
        if getattr(extraction.invoice, name) is None and value is not None:
            setattr(extraction.invoice, name, value)
            if name in again.provenance:
                extraction.provenance[name] = again.provenance[name]


def extract_text_document(
    doc: TextDocument,
    *,
    templates: TemplateLibrary | None = None,
    ocr_pages: frozenset[int] = frozenset(),
) -> ExtractionResult:
    """Run the template (if one matches), the generic extractor and the checks on positioned
    words; ``ocr_pages`` names the pages whose words were recognised, not read."""
    template = templates.choose(doc) if templates else None
    return _checked(_extract(doc, template), doc, template, ocr_pages)


def _extract(doc: TextDocument, template: SupplierTemplate | None) -> Extraction:
    extraction = extract_generic(
        doc,
        extra_labels=template.labels if template else None,
        extra_column_labels=template.columns if template else None,
    )
    if template is not None:
        apply_rules(template, doc, extraction)
    return extraction


def _checked(
    extraction: Extraction,
    doc: TextDocument,
    template: SupplierTemplate | None,
    ocr_pages: frozenset[int],
) -> ExtractionResult:
    if not _looks_like_invoice(extraction.invoice):
        raise NoInvoiceFound(
            "no invoice number, totals or items were found: the document does not look like "
            "an invoice"
        )
    provenance = mark_recognised(extraction.provenance, ocr_pages)
    ocr_fields = {path for path, box in provenance.items() if box.ocr}
    warnings = [*extraction.warnings, *check_invoice(extraction.invoice)]
    if ocr_fields:
        warnings += suggest_corrections(extraction.invoice, ocr_fields)
    return ExtractionResult(
        invoice=extraction.invoice,
        method="ocr" if ocr_fields else "text",
        pages=doc.page_count,
        sha256=doc.sha256,
        template=template.name if template else None,
        warnings=warnings,
        provenance=provenance,
    )


def mark_recognised(provenance: Provenance, pages: frozenset[int]) -> Provenance:
    """The provenance with every box lying on one of the recognised ``pages`` marked OCR."""
    return {
        path: replace(box, ocr=True) if box.page in pages and not box.ocr else box
        for path, box in provenance.items()
    }


def _looks_like_invoice(invoice: Invoice) -> bool:
    has_total = any(
        value is not None for value in (invoice.amount_due, invoice.total_gross, invoice.total_net)
    )
    return bool(invoice.lines) or (invoice.number is not None and has_total)
