"""``POST /invoice``: the endpoint the existing n8n workflow posts e-mail attachments to.

The workflow sends each attachment as base64 in JSON with the mail's sender, subject,
message id and date. The answer comes once the document is durably stored: ``201`` for a
new document, ``200`` when identical bytes were already received (``duplicate`` with the
original's id), never an error for a duplicate.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from fastapi import APIRouter, Request, Response
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from nex_automat.store.documents import Arrival
from nex_automat.store.models import DocumentSource
from nex_automat.web.auth import Tenant
from nex_automat.web.deps import services_of
from nex_automat.web.errors import API_ERRORS, ApiError, error_responses
from nex_automat.web.limits import base64_length, too_large
from nex_automat.web.receiving import check_document, clip, receive, received_filename

log = logging.getLogger(__name__)

router = APIRouter(tags=["n8n"], responses=API_ERRORS)

_WHITESPACE = re.compile(rb"\s+")


class InvoicePost(BaseModel):
    """One attachment of one e-mail, as the n8n workflow sends it."""

    model_config = ConfigDict(extra="ignore")

    file_b64: str = Field(description="The file's bytes, standard base64 (line breaks allowed)")
    filename: str | None = None
    from_email: str | None = Field(
        default=None,
        validation_alias=AliasChoices("from_email", "from"),
        description="The sender's address; also accepted as `from`",
    )
    message_id: str | None = None
    subject: str | None = None
    received_date: str | None = Field(
        default=None, description="ISO 8601 or RFC 2822 (the e-mail's Date header)"
    )


class ReceiptOut(BaseModel):
    id: str = Field(description="The document's id")
    status: str = Field(description="The document's state: received, duplicate, …")
    duplicate: bool
    duplicate_of: str | None = Field(description="The original document's id, for a duplicate")
    invoice_id: str | None = Field(description="The invoice, when already known")


def decode_file(text: str, max_bytes: int) -> bytes:
    """Strict base64: the standard alphabet, exact padding, nothing after it; whitespace
    (MIME line breaks) is ignored. Python's decoder alone tolerates extra padding."""
    compact = _WHITESPACE.sub(b"", text.encode("ascii", errors="replace"))
    if len(compact) > base64_length(max_bytes):
        raise too_large(max_bytes)
    invalid = ApiError(
        400, "invalid_base64", "file_b64 is not valid base64 (standard alphabet, padded)"
    )
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise invalid from None
    if base64.b64encode(data) != compact:
        raise invalid
    return data


def parse_received(value: str | None) -> datetime | None:
    """The mail's date as an aware datetime; an unreadable one is left out, not guessed."""
    if not value or not value.strip():
        return None
    text = value.strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        log.warning("received_date %r is not a date; the document is kept without it", text)
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@router.post(
    "/invoice",
    summary="Receive one invoice file (n8n workflow)",
    status_code=201,
    response_model=ReceiptOut,
    responses={
        200: {"description": "Identical bytes were received before: a duplicate"},
        **error_responses(413, 415),
        **error_responses(400, e400="`invalid_base64` or `empty_document`"),
    },
)
def post_invoice(
    request: Request, response: Response, body: InvoicePost, tenant_id: Tenant
) -> dict[str, object]:
    max_bytes = services_of(request).settings.upload_max_bytes
    data = decode_file(body.file_b64, max_bytes)
    check_document(request, data)
    arrival = Arrival(
        source=DocumentSource.UPLOAD,
        filename=received_filename(body.filename),
        sender=clip(body.from_email),
        subject=clip(body.subject, 2000),
        message_id=clip(body.message_id),
        received_at=parse_received(body.received_date),
    )
    answer = receive(request, tenant_id, data, arrival)
    response.status_code = 200 if answer["duplicate"] else 201
    return answer
