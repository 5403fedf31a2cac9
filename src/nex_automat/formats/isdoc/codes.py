"""ISDOC 6.0.2 code lists and names, as tables shared by the writer, reader and rules."""

from __future__ import annotations

import uuid

from nex_automat.domain.model import DocumentType

NAMESPACE = "http://isdoc.cz/namespace/2013"
VERSION = "6.0.2"

EXTENSION_NAMESPACE = "urn:nex-automat:isdoc:extensions:1"
"""Our own line extensions: what ISDOC has no element for (discount percent, VAT
category, document-level allowances written as lines), so our own export reads back
losslessly while other readers ignore it, as ISDOC's ``Extensions`` intends."""

DOCUMENT_TYPE_CODES: dict[DocumentType, str] = {
    DocumentType.INVOICE: "1",
    DocumentType.CREDIT_NOTE: "2",
    DocumentType.DEBIT_NOTE: "3",
    DocumentType.PROFORMA: "4",
    DocumentType.ADVANCE_INVOICE: "5",
}

DOCUMENT_TYPES_BY_CODE: dict[str, DocumentType] = {
    **{code: document_type for document_type, code in DOCUMENT_TYPE_CODES.items()},
    "6": DocumentType.CREDIT_NOTE,  # credit note to a tax advance invoice
    "7": DocumentType.INVOICE,  # simplified tax invoice
}

CORRECTING_DOCUMENT_CODES = frozenset({"2", "3", "6"})
"""Document types that must reference the invoice they correct."""

LOCAL_CURRENCY_BY_COUNTRY: dict[str, str] = {"SK": "EUR", "CZ": "CZK"}

COUNTRY_NAMES: dict[str, str] = {
    "SK": "Slovensko",
    "CZ": "Česká republika",
    "AT": "Rakousko",
    "DE": "Německo",
    "PL": "Polsko",
    "HU": "Maďarsko",
}

TAX_SCHEME_VAT = "VAT"
TAX_SCHEME_TIN = "TIN"
"""Slovakia writes its DIČ under TIN and its IČ DPH under VAT; Czechia its DIČ under VAT."""

PAYMENT_BANK_TRANSFER = "42"
VAT_CALCULATION_FROM_NET = "0"

CATEGORY_STANDARD = "S"
CATEGORY_EXEMPT = "E"
CATEGORY_OUTSIDE_SCOPE = "O"
CATEGORY_REVERSE_CHARGE = "AE"

_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://isdoc.cz/nex-automat/invoice")


def document_uuid(supplier_key: str, number: str) -> str:
    """The same supplier and number give the same UUID, so a re-export replaces the
    earlier one in the receiving ERP instead of creating a second invoice."""
    return str(uuid.uuid5(_UUID_NAMESPACE, f"{supplier_key}\x1f{number}")).upper()
