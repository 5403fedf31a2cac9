"""Recognising a document or an invoice that was already received.

Two kinds: the *same bytes* (found by SHA-256, at intake and again when processing, in
case two copies arrived at the same moment), and the *same invoice* in different bytes
(the supplier sent it again, re-rendered): the same number from the same supplier, known
by IČO or VAT id, within the tenant. The earliest is the original; every later one points
at it. Neither is an error.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from nex_automat.domain.model import Invoice
from nex_automat.store.documents import find_documents_by_sha256
from nex_automat.store.invoices import find_duplicate_invoice, get_invoice_for_document
from nex_automat.store.models import Document, InvoiceRecord

_TENANT_LOCK = text("UPDATE tenants SET name = name WHERE id = :tenant_id")


def hold_duplicate_lock(session: Session, tenant_id: str) -> None:
    """Serialise "look for the original, then save" within one tenant until commit.

    Without it two workers saving the same invoice at the same moment would each find no
    original. A no-op write to the tenant's row does it on both databases: SQLite takes its
    single write lock, PostgreSQL a row lock that does not block inserts referring to the
    tenant (it changes no key), so intake never waits on it.
    """
    session.execute(_TENANT_LOCK, {"tenant_id": tenant_id})


def identical_original(session: Session, document: Document) -> Document | None:
    """The earlier document with exactly these bytes, or ``None`` when this one is first."""
    earlier = find_documents_by_sha256(session, document.sha256)
    first = earlier[0] if earlier else None
    return None if first is None or first.id == document.id else first


def original_invoice(session: Session, document_id: str, invoice: Invoice) -> InvoiceRecord | None:
    """The original of ``invoice``, read from ``document_id``; never that document's own."""
    own = get_invoice_for_document(session, document_id)
    return find_duplicate_invoice(
        session,
        number=invoice.number,
        supplier_ico=invoice.supplier.ico,
        supplier_vat_id=invoice.supplier.vat_id,
        exclude_invoice_id=own.id if own is not None else None,
    )


def original_invoice_id(session: Session, document_id: str) -> str | None:
    """The invoice read from ``document_id``, when it has been processed."""
    record = get_invoice_for_document(session, document_id)
    return record.id if record is not None else None
