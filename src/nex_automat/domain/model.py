"""The invoice as NEX Automat understands it, whatever document it came from.

Every reader (PDF text layer, OCR, ISDOC, UBL, CII) produces these types and every writer
consumes them. Money, quantities and rates are ``Decimal``; a value that is not on the
document is ``None``, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum


class DocumentType(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"
    PROFORMA = "proforma"
    ADVANCE_INVOICE = "advance_invoice"


@dataclass(slots=True)
class Party:
    """Supplier or customer.

    ``dic`` is the Slovak tax id (10 digits); ``vat_id`` carries its country prefix
    (``SK2020123456``, ``CZ12345678``). A Czech "DIČ: CZ…" is a VAT id, so it goes to
    ``vat_id`` and ``dic`` stays empty.
    """

    name: str | None = None
    ico: str | None = None
    dic: str | None = None
    vat_id: str | None = None
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    iban: str | None = None
    bic: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__slots__)


PARTY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Party))
"""A party's attributes in the order the contract lists them."""


@dataclass(slots=True)
class Line:
    """One item of the invoice, in document order.

    ``unit_price`` is the net price before the line discount; ``net_amount`` is the line
    total without VAT after the discount.
    """

    position: int
    description: str | None = None
    seller_code: str | None = None
    ean: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    discount_percent: Decimal | None = None
    vat_rate: Decimal | None = None
    net_amount: Decimal | None = None
    vat_amount: Decimal | None = None
    gross_amount: Decimal | None = None
    vat_category: str | None = None


@dataclass(slots=True)
class VatRow:
    """One row of the VAT recap: tax base and tax for one rate.

    ``category`` is the EN 16931 VAT category (S standard, Z zero, E exempt, O outside
    scope, AE reverse charge, K intra-community) when the document states it; printed
    invoices rarely do, structured ones always.
    """

    rate: Decimal
    base: Decimal | None = None
    vat: Decimal | None = None
    category: str | None = None
    exemption_reason: str | None = None


@dataclass(slots=True)
class AllowanceCharge:
    """A document-level discount (allowance) or surcharge (charge), net of VAT."""

    is_charge: bool
    amount: Decimal
    reason: str | None = None
    base_amount: Decimal | None = None
    percent: Decimal | None = None
    vat_rate: Decimal | None = None
    vat_category: str | None = None


@dataclass(slots=True)
class Invoice:
    document_type: DocumentType = DocumentType.INVOICE
    number: str | None = None
    issue_date: date | None = None
    tax_point_date: date | None = None
    due_date: date | None = None
    currency: str | None = None
    variable_symbol: str | None = None
    constant_symbol: str | None = None
    order_reference: str | None = None
    supplier: Party = field(default_factory=Party)
    customer: Party = field(default_factory=Party)
    lines: list[Line] = field(default_factory=list)
    vat_breakdown: list[VatRow] = field(default_factory=list)
    total_net: Decimal | None = None
    total_vat: Decimal | None = None
    total_gross: Decimal | None = None
    rounding: Decimal | None = None
    amount_due: Decimal | None = None
    prepaid_amount: Decimal | None = None
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)
    exchange_rate: Decimal | None = None
    """Units of local currency per unit of ``currency`` when the invoice is in a foreign one."""
    preceding_invoice: str | None = None
    """The invoice a credit or debit note corrects."""
    buyer_reference: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class InvoiceWarning:
    """Something a reviewer must look at.

    ``code`` is stable and machine-readable; ``field`` names the invoice field concerned
    (``"total_gross"``, ``"supplier.ico"``, ``"lines[3].net_amount"``) so a UI can show the
    warning beside it.
    """

    code: str
    message: str
    field: str | None = None
