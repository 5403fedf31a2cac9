"""``/api/v1/invoices``: list, read, download and reprocess invoices of the key's tenant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from nex_automat.extract.media import IMAGES, PDF, XML, ZIP
from nex_automat.pipeline.process import ISDOC_SUFFIX, SEARCHABLE_SUFFIX
from nex_automat.store.db import StoreSession
from nex_automat.store.documents import get_document
from nex_automat.store.files import StoredFileMissing
from nex_automat.store.invoices import InvoiceFilter, get_invoice, list_invoices
from nex_automat.store.models import Document, InvoiceRecord, InvoiceStatus
from nex_automat.web.auth import Tenant
from nex_automat.web.deps import services_of
from nex_automat.web.downloads import download_headers
from nex_automat.web.errors import API_ERRORS, ApiError, error_responses
from nex_automat.web.requeue import requeue, wake_workers
from nex_automat.web.views import invoice_detail_json, invoice_summary_json

router = APIRouter(prefix="/api/v1/invoices", tags=["invoices"], responses=API_ERRORS)

NOT_FOUND = error_responses(404)

MAX_PAGE = 200
XML_MEDIA_TYPE = "application/xml"
PDF_MEDIA_TYPE = "application/pdf"
DOCUMENT_MEDIA_TYPES = sorted({PDF, XML, ZIP, *IMAGES})
"""What an original document can be (intake decides it by content)."""


def not_found(invoice_id: str) -> ApiError:
    return ApiError(404, "not_found", f"no invoice {invoice_id}")


def _invoice(session: StoreSession, invoice_id: str) -> InvoiceRecord:
    record = get_invoice(session, invoice_id)
    if record is None:
        raise not_found(invoice_id)
    return record


def _document(session: StoreSession, record: InvoiceRecord) -> Document:
    document = get_document(session, record.document_id)
    if document is None:
        raise not_found(record.id)
    return document


@router.get(
    "",
    summary="Invoices, newest first, filtered; page on with `next_cursor`",
    responses=error_responses(400, e400="`invalid_cursor`: not a cursor this list gave"),
)
def list_all(
    *,
    request: Request,
    tenant_id: Tenant,
    status: Annotated[list[InvoiceStatus] | None, Query(description="Repeat for several")] = None,
    supplier: Annotated[str | None, Query(description="Part of the name, or IČO / VAT id")] = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    amount_min: Annotated[Decimal | None, Query(description="Total with VAT, at least")] = None,
    amount_max: Annotated[Decimal | None, Query(description="Total with VAT, at most")] = None,
    q: Annotated[str | None, Query(description="Text in number, supplier or lines")] = None,
    has_warnings: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page")] = None,
) -> dict[str, Any]:
    filters = InvoiceFilter(
        statuses=tuple(status or ()),
        supplier=supplier or None,
        issued_from=issued_from,
        issued_to=issued_to,
        amount_min=amount_min,
        amount_max=amount_max,
        text=q or None,
        has_warnings=has_warnings,
    )
    with services_of(request).db.tenant_session(tenant_id) as session:
        page = list_invoices(session, filters, limit=limit, cursor=cursor or None)
        items = [invoice_summary_json(record) for record in page.items]
    return {"items": items, "next_cursor": page.next_cursor}


@router.get(
    "/{invoice_id}",
    summary="One invoice in the contract's shape, with its status",
    responses=NOT_FOUND,
)
def show(request: Request, invoice_id: str, tenant_id: Tenant) -> dict[str, Any]:
    with services_of(request).db.tenant_session(tenant_id) as session:
        return invoice_detail_json(_invoice(session, invoice_id))


@router.get(
    "/{invoice_id}/isdoc",
    summary="The invoice as ISDOC 6.0.2 XML",
    response_class=Response,
    responses={
        200: {"content": {XML_MEDIA_TYPE: {}}},
        **error_responses(404, e404="`not_found`, or `isdoc_not_available` when none was written"),
    },
)
def isdoc(request: Request, invoice_id: str, tenant_id: Tenant) -> Response:
    services = services_of(request)
    with services.db.tenant_session(tenant_id) as session:
        record = _invoice(session, invoice_id)
        document = _document(session, record)
        sha256, number = document.sha256, record.number
    try:
        data = services.files.tenant(tenant_id).get_derived(sha256, ISDOC_SUFFIX)
    except StoredFileMissing:
        raise ApiError(
            404,
            "isdoc_not_available",
            "no ISDOC was written for this invoice; its warnings say what it lacks",
        ) from None
    headers = download_headers(f"{number or invoice_id}.isdoc", XML_MEDIA_TYPE, fallback="invoice")
    return Response(data, media_type=XML_MEDIA_TYPE, headers=headers)


@router.get(
    "/{invoice_id}/searchable",
    summary="The scanned document as a searchable PDF (recognised text under the page images)",
    response_class=Response,
    responses={
        200: {"content": {PDF_MEDIA_TYPE: {}}},
        **error_responses(
            404,
            e404="`not_found`, or `searchable_not_available` when the document was not "
            "recognised by OCR",
        ),
    },
)
def searchable(request: Request, invoice_id: str, tenant_id: Tenant) -> Response:
    services = services_of(request)
    with services.db.tenant_session(tenant_id) as session:
        record = _invoice(session, invoice_id)
        document = _document(session, record)
        sha256, number = document.sha256, record.number
    try:
        data = services.files.tenant(tenant_id).get_derived(sha256, SEARCHABLE_SUFFIX)
    except StoredFileMissing:
        raise ApiError(
            404,
            "searchable_not_available",
            "no searchable PDF exists for this invoice: its document was not a scan",
        ) from None
    headers = download_headers(
        f"{number or invoice_id}.searchable.pdf", PDF_MEDIA_TYPE, fallback="invoice"
    )
    return Response(data, media_type=PDF_MEDIA_TYPE, headers=headers)


@router.get(
    "/{invoice_id}/original",
    summary="The document the invoice was read from, as received",
    response_class=Response,
    responses={
        200: {"content": {media_type: {} for media_type in DOCUMENT_MEDIA_TYPES}},
        **NOT_FOUND,
    },
)
def original(request: Request, invoice_id: str, tenant_id: Tenant) -> Response:
    services = services_of(request)
    with services.db.tenant_session(tenant_id) as session:
        document = _document(session, _invoice(session, invoice_id))
        sha256, media_type, filename = document.sha256, document.media_type, document.filename
    data = services.files.tenant(tenant_id).get(sha256)
    return Response(data, media_type=media_type, headers=download_headers(filename, media_type))


@router.post(
    "/{invoice_id}/reprocess",
    summary="Read the invoice's document again",
    status_code=202,
    responses=NOT_FOUND,
)
def reprocess(request: Request, invoice_id: str, tenant_id: Tenant) -> dict[str, Any]:
    with services_of(request).db.tenant_session(tenant_id) as session:
        record = _invoice(session, invoice_id)
        document = _document(session, record)
        requeue(request, session, document)
        answer = {"id": record.id, "document_id": document.id, "status": "queued"}
    wake_workers(request)
    return answer
