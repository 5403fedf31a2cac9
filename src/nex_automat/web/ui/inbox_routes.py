"""The inbox (``/`` and ``/invoices``) and reprocessing a failed document.

Everything is read in one tenant session of the signed-in user. A cursor that does not
fit the current sort (an old bookmark) starts again from the first page instead of
failing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nex_automat.store.db import StoreSession
from nex_automat.store.documents import get_document
from nex_automat.store.invoices import InvalidCursor, InvoiceFilter, InvoicePage, list_invoices
from nex_automat.web.deps import services_of
from nex_automat.web.requeue import requeue, wake_workers
from nex_automat.web.ui.csrf import CsrfUser
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.inbox import (
    COLUMNS,
    FAILED_TAB,
    PAGE_SIZE,
    TABS,
    FailedPage,
    InboxQuery,
    failed_documents,
    status_counts,
)
from nex_automat.web.ui.rendering import render
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn
from nex_automat.web.ui.state import ui_state

router = APIRouter(include_in_schema=False)

Viewer = Annotated[SignedIn, Depends(requires(Permission.VIEW))]
Reprocessor = Annotated[SignedIn, Depends(requires(Permission.REPROCESS))]

NOTICES: dict[str, str] = {"reprocessed": "inbox.reprocess_queued"}
"""``?done=`` values a redirect after a POST can pass, and the notice each shows."""


@router.get("/", response_class=HTMLResponse)
@router.get("/invoices", response_class=HTMLResponse)
def inbox(request: Request, user: Viewer) -> Response:
    query = InboxQuery.from_params(request.query_params)
    filters, query = query.filters()
    failed: FailedPage | None = None
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        counts = ui_state(request).counts.get(user.tenant_id, lambda: status_counts(session))
        page = _invoice_page(session, query, filters)
        if page is None or (query.before and not page.items):
            query = replace(query, cursor="", before="")
            page = _invoice_page(session, query, filters)
            assert page is not None
        if query.tab == FAILED_TAB:
            failed = _failed_page(session, request.query_params.get("fcursor", ""))
    notice = NOTICES.get(request.query_params.get("done", ""))
    return render(
        request,
        "inbox.html",
        user=user,
        query=query,
        page=page,
        failed=failed,
        counts=counts,
        tabs=TABS,
        columns=COLUMNS,
        notice=notice,
    )


def _invoice_page(
    session: StoreSession, query: InboxQuery, filters: InvoiceFilter
) -> InvoicePage | None:
    try:
        return list_invoices(
            session,
            filters,
            limit=PAGE_SIZE,
            cursor=query.cursor or None,
            sort=query.sort,
            descending=query.descending,
            before=query.before or None,
        )
    except InvalidCursor:
        return None


def _failed_page(session: StoreSession, cursor: str) -> FailedPage:
    try:
        return failed_documents(session, cursor=cursor or None)
    except InvalidCursor:
        return failed_documents(session)


@router.post("/documents/{document_id}/reprocess")
def reprocess(request: Request, document_id: str, user: Reprocessor, _: CsrfUser) -> Response:
    """Queue the document again, as ``POST /api/v1/documents/{id}/reprocess`` does."""
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        document = get_document(session, document_id)
        if document is None:
            raise PageError(404, "error.not_found")
        requeue(request, session, document)
    wake_workers(request)
    ui_state(request).counts.forget(user.tenant_id)
    return RedirectResponse(f"/invoices?status={FAILED_TAB}&done=reprocessed", status_code=303)
