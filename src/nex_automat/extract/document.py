"""One document in, one checked invoice out: the steps every PDF goes through."""

from __future__ import annotations

from dataclasses import dataclass

from nex_automat.domain.checks import check_invoice
from nex_automat.domain.model import Invoice
from nex_automat.errors import NoInvoiceFound, NoTextLayer
from nex_automat.extract.generic import extract_generic
from nex_automat.extract.layout import TextDocument
from nex_automat.extract.pdf import has_text, read_pdf
from nex_automat.extract.result import ExtractionResult
from nex_automat.extract.templates import TemplateLibrary, apply_rules

DEFAULT_MAX_PAGES = 300
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Limits that protect the service from hostile documents."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES


def extract_pdf(
    data: bytes,
    *,
    templates: TemplateLibrary | None = None,
    options: ExtractOptions | None = None,
) -> ExtractionResult:
    """Read a supplier invoice PDF from its text layer.

    Raises a ``DocumentError`` subclass with a stable code when the file is not a readable
    invoice, so the caller can keep the file for a human and report why.
    """
    options = options or ExtractOptions()
    doc = read_pdf(data, max_pages=options.max_pages, max_bytes=options.max_bytes)
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
