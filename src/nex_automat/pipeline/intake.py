"""Taking a document in: refuse what cannot be read, keep the bytes, record it, queue it.

The order is what makes a document safe. Everything that can be refused is refused before
anything is stored. Then the bytes are written durably into the tenant's own folder
(:meth:`TenantFiles.put`), and only then are the document row and its processing job
committed, together, in one transaction. A crash before that commit leaves at most a file
nobody points at, and the sender, who got no acknowledgement, sends again: an ordinary new
receive, which finds the file already there. A crash after it loses nothing: the job is in
the queue.

Identical bytes already received by the tenant are recorded too (the arrival is real: its
sender, subject and message id matter), as a document in state ``duplicate`` pointing at
the original, with no job: processing them again could only give the same invoice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nex_automat.errors import DocumentTooLarge, EmptyDocument
from nex_automat.extract.media import require_media_type
from nex_automat.pipeline.duplicates import original_invoice_id
from nex_automat.pipeline.events import PipelineEvents
from nex_automat.pipeline.process import PROCESS_JOB
from nex_automat.store.db import Database
from nex_automat.store.documents import (
    Arrival,
    add_document,
    find_documents_by_sha256,
    set_document_state,
)
from nex_automat.store.files import DocumentFiles
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import DocumentSource, DocumentState

INTERACTIVE_PRIORITY = 10
"""Uploads: someone is waiting for the answer, so they go before mail, folders and the CLI."""
BULK_PRIORITY = 0


def job_priority(source: DocumentSource) -> int:
    """How urgent processing a document is, by where it came from."""
    return INTERACTIVE_PRIORITY if source == DocumentSource.UPLOAD else BULK_PRIORITY


@dataclass(frozen=True, slots=True)
class Receipt:
    """The answer to a sender, given once the document is durably stored."""

    document_id: str
    state: str
    """The document's :class:`DocumentState` value at the time of answering."""
    duplicate: bool
    """Identical bytes were already received for this tenant."""
    duplicate_of: str | None
    """The original document's id, for a duplicate."""
    invoice_id: str | None
    """The original's invoice, when it has already been processed."""


class Intake:
    """Receives a document: stores its bytes durably, records it, queues its processing."""

    def __init__(
        self,
        db: Database,
        files: DocumentFiles,
        queue: JobQueue,
        *,
        max_bytes: int,
        on_queued: Callable[[], None] | None = None,
        events: PipelineEvents | None = None,
    ) -> None:
        self.db = db
        self.files = files
        self.queue = queue
        self.max_bytes = max_bytes
        self.on_queued = on_queued
        """Called after a job is committed, so a runner need not wait for its next poll."""
        self.events = events or PipelineEvents()

    def check(self, data: bytes) -> str:
        """The media type of ``data``, or the ``DocumentError`` it is refused with."""
        if len(data) > self.max_bytes:
            raise DocumentTooLarge(
                f"the document has {len(data)} bytes, more than the limit of {self.max_bytes}"
            )
        if not data.strip():
            raise EmptyDocument("the document is empty")
        return require_media_type(data)

    def receive(
        self, tenant_id: str, data: bytes, arrival: Arrival, *, priority: int | None = None
    ) -> Receipt:
        """Keep ``data`` for ``tenant_id``; returns only once it is durable and recorded.

        ``priority`` overrides the one :func:`job_priority` gives the arrival's source.
        Raises ``EmptyDocument``, ``DocumentTooLarge`` or ``UnsupportedMediaType`` before
        anything is stored.
        """
        media_type = self.check(data)
        sha256 = self.files.tenant(tenant_id).put(data)
        with self.db.tenant_session(tenant_id) as session:
            earlier = find_documents_by_sha256(session, sha256)
            document = add_document(
                session, sha256=sha256, media_type=media_type, size=len(data), arrival=arrival
            )
            if earlier:
                original = earlier[0]
                set_document_state(
                    session, document, DocumentState.DUPLICATE, duplicate_of=original.id
                )
                receipt = Receipt(
                    document_id=document.id,
                    state=str(document.state),
                    duplicate=True,
                    duplicate_of=original.id,
                    invoice_id=original_invoice_id(session, original.id),
                )
            else:
                self.queue.add(
                    session,
                    tenant_id=tenant_id,
                    document_id=document.id,
                    kind=PROCESS_JOB,
                    priority=job_priority(arrival.source) if priority is None else priority,
                )
                receipt = Receipt(
                    document_id=document.id,
                    state=str(document.state),
                    duplicate=False,
                    duplicate_of=None,
                    invoice_id=None,
                )
        self.events.document_received(arrival.source)
        if not receipt.duplicate and self.on_queued is not None:
            self.on_queued()
        return receipt
