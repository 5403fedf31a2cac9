"""``/api/v1``: the hand-over of approved invoices to the ERP, for the key's tenant.

- ``GET /api/v1/invoices/{id}/deliveries`` — one invoice's deliveries;
- ``GET /api/v1/deliveries?state=failed`` — the tenant's deliveries, most recent first;
- ``POST /api/v1/deliveries/{id}/retry`` — another try of a failed delivery now (202);
  ``409 delivery_not_retryable`` (with a ``reason``) for one that succeeded or is still
  pending, or whose invoice is no longer approved.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from nex_automat.store.exports import (
    DeliveryNotFound,
    DeliveryNotRetryable,
    deliveries_of,
    list_deliveries,
)
from nex_automat.store.invoices import get_invoice
from nex_automat.store.models import DeliveryState, ExportDelivery
from nex_automat.web.auth import Tenant
from nex_automat.web.deps import services_of
from nex_automat.web.errors import API_ERRORS, ApiError, ErrorAnswer, error_responses

router = APIRouter(prefix="/api/v1", tags=["exports"], responses=API_ERRORS)

DeliveryId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A delivery's id")]
"""Ids are 64-bit database integers; a larger number is no id, not a server error."""

MAX_LIST = 500


def delivery_json(delivery: ExportDelivery) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "id": delivery.id,
        "invoice_id": delivery.invoice_id,
        "connector": delivery.connector,
        "format": delivery.format,
        "state": str(delivery.state),
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "next_attempt_at": when(delivery.next_attempt_at),
        "delivered_at": when(delivery.delivered_at),
        "target": delivery.target,
        "approved_at": when(delivery.approved_at),
    }


@router.get(
    "/invoices/{invoice_id}/deliveries",
    summary="An invoice's deliveries to the ERP",
    responses=error_responses(404),
)
def invoice_deliveries(request: Request, invoice_id: str, tenant_id: Tenant) -> dict[str, Any]:
    with services_of(request).db.tenant_session(tenant_id) as session:
        if get_invoice(session, invoice_id) is None:
            raise ApiError(404, "not_found", f"no invoice {invoice_id}")
        return {"items": [delivery_json(d) for d in deliveries_of(session, invoice_id)]}


@router.get("/deliveries", summary="Deliveries to the ERP, most recently changed first")
def all_deliveries(
    request: Request,
    tenant_id: Tenant,
    state: Annotated[list[DeliveryState] | None, Query(description="Repeat for several")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
) -> dict[str, Any]:
    with services_of(request).db.tenant_session(tenant_id) as session:
        rows = list_deliveries(session, states=tuple(state or ()), limit=limit)
        items = [
            {**delivery_json(row.delivery), "invoice_number": row.invoice_number} for row in rows
        ]
    return {"items": items}


@router.post(
    "/deliveries/{delivery_id}/retry",
    summary="Try a failed delivery again, its tries starting over",
    status_code=202,
    responses={
        **error_responses(404),
        409: {"model": ErrorAnswer, "description": "The delivery cannot be retried (`reason`)"},
    },
)
def retry(request: Request, delivery_id: DeliveryId, tenant_id: Tenant) -> dict[str, Any]:
    services = services_of(request)
    with services.db.tenant_session(tenant_id) as session:
        try:
            delivery = services.handover.retry(session, delivery_id, actor="api")
        except DeliveryNotFound as error:
            raise ApiError(404, "not_found", error.message) from None
        except DeliveryNotRetryable as error:
            raise ApiError(409, error.code, error.message, reason=error.reason) from None
        answer = delivery_json(delivery)
    services.runner.wake()
    return answer
