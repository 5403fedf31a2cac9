"""The JSON shape of one extraction result, as ``nex-automat extract --json`` prints it.

This is the project's public contract (``shared/contract/``): amounts are plain decimal
strings, totals carry exactly two places, missing values are ``null``. Keeping the mapping in
one place means every reader (text, OCR, ISDOC, UBL, CII) reports the same way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from nex_automat.domain.model import PARTY_FIELDS, Invoice, InvoiceWarning, Line, Party, VatRow
from nex_automat.errors import NexError
from nex_automat.extract.result import ExtractionResult

_CENT = Decimal("0.01")
_MAX_PLACES = Decimal("0.000001")


def money(value: Decimal | None) -> str | None:
    """A monetary total with exactly two places, whatever precision it was printed with."""
    if value is None:
        return None
    return format(value.quantize(_CENT), "f")


def decimal(value: Decimal | None) -> str | None:
    """A quantity or unit price with the precision printed, capped at six places."""
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        value = value.quantize(_MAX_PLACES)
    return format(value, "f")


def rate(value: Decimal | None) -> str | None:
    """A percentage without trailing zeros: ``"23"``, ``"10.5"``."""
    if value is None:
        return None
    normal = value.normalize()
    return format(normal, "f") if normal else "0"


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def party_json(party: Party) -> dict[str, str | None]:
    return {name: getattr(party, name) for name in PARTY_FIELDS}


def line_json(line: Line) -> dict[str, Any]:
    return {
        "position": line.position,
        "seller_code": line.seller_code,
        "ean": line.ean,
        "description": line.description,
        "quantity": decimal(line.quantity),
        "unit": line.unit,
        "unit_price": decimal(line.unit_price),
        "discount_percent": rate(line.discount_percent),
        "vat_rate": rate(line.vat_rate),
        "net_amount": money(line.net_amount),
        "vat_amount": money(line.vat_amount),
        "gross_amount": money(line.gross_amount),
    }


def vat_row_json(row: VatRow) -> dict[str, str | None]:
    return {"rate": rate(row.rate), "base": money(row.base), "vat": money(row.vat)}


def invoice_json(invoice: Invoice) -> dict[str, Any]:
    return {
        "document_type": invoice.document_type.value,
        "number": invoice.number,
        "issue_date": iso_date(invoice.issue_date),
        "tax_point_date": iso_date(invoice.tax_point_date),
        "due_date": iso_date(invoice.due_date),
        "currency": invoice.currency,
        "variable_symbol": invoice.variable_symbol,
        "constant_symbol": invoice.constant_symbol,
        "order_reference": invoice.order_reference,
        "supplier": party_json(invoice.supplier),
        "customer": party_json(invoice.customer),
        "lines": [line_json(line) for line in invoice.lines],
        "vat_breakdown": [vat_row_json(row) for row in invoice.vat_breakdown],
        "total_net": money(invoice.total_net),
        "total_vat": money(invoice.total_vat),
        "total_gross": money(invoice.total_gross),
        "rounding": money(invoice.rounding),
        "amount_due": money(invoice.amount_due),
    }


def warning_json(warning: InvoiceWarning) -> dict[str, str | None]:
    return {"code": warning.code, "message": warning.message, "field": warning.field}


def success_json(file: str, result: ExtractionResult) -> dict[str, Any]:
    return {
        "file": file,
        "ok": True,
        "error": None,
        "source": {
            "method": result.method,
            "template": result.template,
            "pages": result.pages,
            "sha256": result.sha256,
        },
        "warnings": [warning_json(w) for w in result.warnings],
        "invoice": invoice_json(result.invoice),
    }


def failure_json(file: str, error: NexError, *, sha256: str | None = None) -> dict[str, Any]:
    return {
        "file": file,
        "ok": False,
        "error": {"code": error.code, "message": error.message},
        "source": {"method": None, "template": None, "pages": None, "sha256": sha256},
        "warnings": [],
        "invoice": None,
    }
