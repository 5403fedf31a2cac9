"""``/api/v1/documents``: upload files (multipart) and look up what became of them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, Response, UploadFile

from nex_automat.store.documents import Arrival, get_document
from nex_automat.store.invoices import get_invoice_for_document
from nex_automat.store.models import DocumentSource
from nex_automat.web.auth import Tenant
from nex_automat.web.deps import services_of
from nex_automat.web.errors import API_ERRORS, ApiError, error_responses
from nex_automat.web.limits import too_large
from nex_automat.web.receiving import check_document, receive, received_filename
from nex_automat.web.requeue import requeue, wake_workers
from nex_automat.web.views import document_json

router = APIRouter(prefix="/api/v1/documents", tags=["documents"], responses=API_ERRORS)

Files = Annotated[list[UploadFile] | None, File(description="One or more documents")]


def not_found(document_id: str) -> ApiError:
    return ApiError(404, "not_found", f"no document {document_id}")


def _read(upload: UploadFile, max_bytes: int) -> bytes:
    data = upload.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return data


@router.post(
    "",
    summary="Upload one or more documents",
    description=(
        "Multipart form with the files in the field `files` (or `file`), repeated for "
        "several. The size limit applies to the whole request. Every file is checked "
        "first; if one is refused, none is stored. Answers `201` when any file is new, "
        "`200` when all were received before."
    ),
    status_code=201,
    responses={
        200: {"description": "Every file was received before"},
        **error_responses(400, 413, 415),
    },
)
def upload_documents(
    request: Request,
    response: Response,
    tenant_id: Tenant,
    files: Files = None,
    file: Files = None,
) -> dict[str, Any]:
    uploads = [*(files or []), *(file or [])]
    if not uploads:
        raise ApiError(422, "invalid_request", "no file: send one or more in the field 'files'")
    max_bytes = services_of(request).settings.upload_max_bytes
    contents = [
        (received_filename(upload.filename), _read(upload, max_bytes)) for upload in uploads
    ]
    for name, data in contents:
        try:
            check_document(request, data)
        except ApiError as error:
            error.extra["filename"] = name
            raise
    answers = []
    for name, data in contents:
        arrival = Arrival(source=DocumentSource.UPLOAD, filename=name)
        answers.append({**receive(request, tenant_id, data, arrival), "filename": name})
    response.status_code = 200 if all(a["duplicate"] for a in answers) else 201
    return {"documents": answers}


@router.get(
    "/{document_id}",
    summary="A document: its state, origin and invoice",
    responses=error_responses(404),
)
def show_document(request: Request, document_id: str, tenant_id: Tenant) -> dict[str, Any]:
    with services_of(request).db.tenant_session(tenant_id) as session:
        document = get_document(session, document_id)
        if document is None:
            raise not_found(document_id)
        invoice = get_invoice_for_document(session, document_id)
        return document_json(document, None if invoice is None else invoice.id)


@router.post(
    "/{document_id}/reprocess",
    summary="Process a document again (e.g. a failed one)",
    status_code=202,
    responses=error_responses(404),
)
def reprocess_document(request: Request, document_id: str, tenant_id: Tenant) -> dict[str, Any]:
    with services_of(request).db.tenant_session(tenant_id) as session:
        document = get_document(session, document_id)
        if document is None:
            raise not_found(document_id)
        requeue(request, session, document)
        answer = {"id": document.id, "status": "queued"}
    wake_workers(request)
    return answer
