"""What reading one document gives: the invoice, how it was read, and where from."""

from __future__ import annotations

from dataclasses import dataclass, field

from nex_automat.domain.model import Invoice, InvoiceWarning


@dataclass(frozen=True, slots=True)
class SourceBox:
    """Where on the page a value was read (PDF points, origin top-left, 0-based page)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    ocr: bool = False
    """Whether the value was read from words recognised on a page image (OCR), which a
    reviewer should check against the page."""


Provenance = dict[str, SourceBox]
"""Field path (``"number"``, ``"supplier.ico"``, ``"lines[2].net_amount"``) → its box."""


@dataclass(slots=True)
class Extraction:
    """An invoice read from positioned text, before checks are run on it."""

    invoice: Invoice
    warnings: list[InvoiceWarning] = field(default_factory=list)
    provenance: Provenance = field(default_factory=dict)


@dataclass(slots=True)
class ExtractionResult:
    """The outcome for one document, as the contract reports it."""

    invoice: Invoice
    method: str
    pages: int | None
    sha256: str
    template: str | None = None
    warnings: list[InvoiceWarning] = field(default_factory=list)
    provenance: Provenance = field(default_factory=dict)
    searchable_pdf: bytes | None = None
    """The document as a PDF with recognised text under its page images, when OCR ran."""

    @property
    def ocr_fields(self) -> set[str]:
        """Field paths whose value was read from OCR words ("number", "lines[2].quantity")."""
        return {path for path, box in self.provenance.items() if box.ocr}
