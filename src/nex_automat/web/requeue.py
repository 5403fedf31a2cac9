"""Queueing a document's processing again (after a template fix, an extractor update, …)."""

from __future__ import annotations

from fastapi import Request

from nex_automat.pipeline.process import PROCESS_JOB
from nex_automat.store.db import StoreSession
from nex_automat.store.documents import set_document_state
from nex_automat.store.models import Document, DocumentState
from nex_automat.web.deps import services_of


def requeue(request: Request, session: StoreSession, document: Document) -> None:
    """Queue ``document`` in the caller's transaction; it reads ``received`` until processed."""
    set_document_state(session, document, DocumentState.RECEIVED)
    services_of(request).queue.add(
        session, tenant_id=document.tenant_id, document_id=document.id, kind=PROCESS_JOB
    )


def wake_workers(request: Request) -> None:
    """After the commit: a worker takes the job now rather than at its next poll."""
    services_of(request).runner.wake()
