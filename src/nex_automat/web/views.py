"""The JSON the API answers with, built from store rows in one place.

Invoice detail is the extraction contract's invoice object (``shared/contract``), so a
client reads an invoice from the API exactly as from ``nex-automat extract --json``, with
what the service knows about it beside: id, status, warnings, provenance, timestamps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nex_automat.extract.contract import invoice_json, money, warning_json
from nex_automat.store.invoices import invoice_to_domain, provenance_of, warnings_of
from nex_automat.store.models import Document, InvoiceRecord


def stamp(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def receipt_json(receipt: Any) -> dict[str, Any]:
    """What a sender learns once its document is stored: the n8n answer's shape."""
    return {
        "id": receipt.document_id,
        "status": str(receipt.state),
        "duplicate": receipt.duplicate,
        "duplicate_of": receipt.duplicate_of,
        "invoice_id": receipt.invoice_id,
    }


def document_json(document: Document, invoice_id: str | None) -> dict[str, Any]:
    error = None
    if document.error_code is not None:
        error = {"code": document.error_code, "message": document.error_message or ""}
    return {
        "id": document.id,
        "status": str(document.state),
        "filename": document.filename,
        "media_type": document.media_type,
        "size": document.size,
        "sha256": document.sha256,
        "source": str(document.source),
        "sender": document.sender,
        "subject": document.subject,
        "message_id": document.message_id,
        "received_at": stamp(document.received_at),
        "error": error,
        "duplicate_of": document.duplicate_of,
        "invoice_id": invoice_id,
        "created_at": stamp(document.created_at),
        "updated_at": stamp(document.updated_at),
    }


def invoice_summary_json(record: InvoiceRecord) -> dict[str, Any]:
    """One row of the invoice list: enough to choose which invoice to open."""
    return {
        "id": record.id,
        "status": str(record.status),
        "document_id": record.document_id,
        "document_type": record.document_type,
        "number": record.number,
        "issue_date": None if record.issue_date is None else record.issue_date.isoformat(),
        "due_date": None if record.due_date is None else record.due_date.isoformat(),
        "currency": record.currency,
        "total_gross": money(record.total_gross),
        "supplier": {
            "name": record.supplier_name,
            "ico": record.supplier_ico,
            "vat_id": record.supplier_vat_id,
        },
        "warnings": len(record.warnings),
        "duplicate_of": record.duplicate_of,
        "created_at": stamp(record.created_at),
    }


def invoice_detail_json(record: InvoiceRecord) -> dict[str, Any]:
    """The contract's invoice object plus the service's facts about it.

    ``record`` must have its lines loaded (``store.invoices.get_invoice``).
    """
    facts = {
        "id": record.id,
        "status": str(record.status),
        "document_id": record.document_id,
        "duplicate_of": record.duplicate_of,
        "source": {"method": record.method, "template": record.template, "pages": record.pages},
        "warnings": [warning_json(w) for w in warnings_of(record)],
        "provenance": {
            path: {
                "page": box.page,
                "x0": box.x0,
                "top": box.top,
                "x1": box.x1,
                "bottom": box.bottom,
                "ocr": box.ocr,
            }
            for path, box in provenance_of(record).items()
        },
        "status_changed_at": stamp(record.status_changed_at),
        "status_changed_by": record.status_changed_by,
        "created_at": stamp(record.created_at),
        "updated_at": stamp(record.updated_at),
    }
    return {**invoice_json(invoice_to_domain(record)), **facts}
