"""Documents: every file received, whatever became of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.store.models import Document, DocumentSource, DocumentState
from nex_automat.store.tenancy import require_tenant


@dataclass(frozen=True, slots=True)
class Arrival:
    """What intake knows about a document besides its bytes."""

    source: DocumentSource
    filename: str | None = None
    sender: str | None = None
    subject: str | None = None
    message_id: str | None = None
    received_at: datetime | None = None


def add_document(
    session: Session, *, sha256: str, media_type: str, size: int, arrival: Arrival
) -> Document:
    """Record a document whose bytes are already stored (see ``DocumentFiles.put``)."""
    document = Document(
        tenant_id=require_tenant(session),
        sha256=sha256,
        media_type=media_type,
        size=size,
        source=arrival.source,
        filename=arrival.filename,
        sender=arrival.sender,
        subject=arrival.subject,
        message_id=arrival.message_id,
        received_at=arrival.received_at,
    )
    session.add(document)
    session.flush()
    return document


def get_document(session: Session, document_id: str) -> Document | None:
    return session.get(Document, document_id)


def find_documents_by_sha256(session: Session, sha256: str) -> list[Document]:
    """Earlier documents with these exact bytes, oldest first (the first is the original)."""
    query = (
        select(Document).where(Document.sha256 == sha256).order_by(Document.created_at, Document.id)
    )
    return list(session.scalars(query))


def find_documents_by_message_id(session: Session, message_id: str) -> list[Document]:
    query = (
        select(Document)
        .where(Document.message_id == message_id)
        .order_by(Document.created_at, Document.id)
    )
    return list(session.scalars(query))


def set_document_state(
    session: Session,
    document: Document,
    state: DocumentState,
    *,
    error_code: str | None = None,
    error_message: str | None = None,
    duplicate_of: str | None = None,
) -> None:
    """Move a document to ``state``; the error and duplicate fields describe that state only."""
    document.state = state
    document.error_code = error_code
    document.error_message = error_message
    document.duplicate_of = duplicate_of
    session.flush()
