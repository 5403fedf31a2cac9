"""The Invoice model and its checks. Pure: no I/O, no framework."""

from nex_automat.domain.model import (
    AllowanceCharge,
    DocumentType,
    Invoice,
    InvoiceWarning,
    Line,
    Party,
    VatRow,
)

__all__ = [
    "AllowanceCharge",
    "DocumentType",
    "Invoice",
    "InvoiceWarning",
    "Line",
    "Party",
    "VatRow",
]
