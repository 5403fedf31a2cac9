"""Handing received bytes to intake, shared by the n8n endpoint and the upload endpoint."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from nex_automat.errors import DocumentError
from nex_automat.filenames import safe_filename
from nex_automat.store.documents import Arrival
from nex_automat.web.deps import services_of
from nex_automat.web.errors import api_error_for
from nex_automat.web.views import receipt_json

TEXT_COLUMN_LIMIT = 500
"""The widest text column an arrival fills (filename, sender, message id)."""


def clip(value: str | None, limit: int = TEXT_COLUMN_LIMIT) -> str | None:
    """Arrival details as the database can hold them; a sender's long value is no error."""
    if value is None:
        return None
    value = value.strip()
    return value[:limit] or None


def received_filename(name: str | None) -> str | None:
    """The name a sender gave a file, made harmless (:func:`safe_filename`); ``None`` for none."""
    return safe_filename(name) if name and name.strip() else None


def check_document(request: Request, data: bytes) -> None:
    """Refuse what intake would refuse, before anything of the request is stored."""
    try:
        services_of(request).intake.check(data)
    except DocumentError as error:
        raise api_error_for(error) from None


def receive(request: Request, tenant_id: str, data: bytes, arrival: Arrival) -> dict[str, Any]:
    """Store one document and answer with its receipt (the bytes are durable on return)."""
    receipt = services_of(request).intake.receive(tenant_id, data, arrival)
    return receipt_json(receipt)
