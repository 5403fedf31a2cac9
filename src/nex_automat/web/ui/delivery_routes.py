"""The ERP hand-over in the workspace: the list of deliveries, and retrying one.

- ``GET /admin/deliveries?show=failed|pending|all`` — the tenant's deliveries (failed
  first by default), for administrators;
- ``POST /deliveries/{id}/retry`` — another try now, for approvers, with the session's
  CSRF token; answers with a redirect back to the invoice (``back=invoice``) or to the
  list (``back=admin``).

An invoice's own deliveries are shown on its page (``deliveries.html``). A delivery of
another tenant is simply not found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nex_automat.store.exports import DeliveryNotFound, DeliveryNotRetryable, list_deliveries
from nex_automat.store.models import DeliveryState
from nex_automat.web.deps import services_of
from nex_automat.web.ui.csrf import CsrfUser
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.rendering import render
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn

router = APIRouter(include_in_schema=False)

Admin = Annotated[SignedIn, Depends(requires(Permission.ADMIN))]
Approver = Annotated[SignedIn, Depends(requires(Permission.APPROVE))]

FILTERS: dict[str, tuple[DeliveryState, ...]] = {
    "failed": (DeliveryState.FAILED,),
    "pending": (DeliveryState.PENDING,),
    "all": (),
}
"""``?show=`` values and the states each lists; the first is the default."""
RETRIED = "delivery_retried"
NOTICES: dict[str, str] = {RETRIED: "notice.delivery_retried"}


@router.get("/admin/deliveries", response_class=HTMLResponse)
def deliveries_page(request: Request, user: Admin, show: str = "failed") -> Response:
    if show not in FILTERS:
        show = next(iter(FILTERS))
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        rows = list_deliveries(session, states=FILTERS[show])
        return render(
            request,
            "admin_deliveries.html",
            user=user,
            rows=rows,
            show=show,
            filters=FILTERS,
            notice=NOTICES.get(request.query_params.get("done", "")),
        )


@router.post("/deliveries/{delivery_id}/retry")
def retry(
    request: Request,
    delivery_id: int,
    _: CsrfUser,
    user: Approver,
    back: Annotated[str, Form()] = "invoice",
) -> Response:
    services = services_of(request)
    with services.db.tenant_session(user.tenant_id) as session:
        try:
            delivery = services.handover.retry(session, delivery_id, actor=user.username)
        except DeliveryNotFound:
            raise PageError(404, "error.not_found") from None
        except DeliveryNotRetryable as error:
            raise PageError(409, f"deliveries.refused.{error.reason}") from None
        invoice_id = delivery.invoice_id
    services.runner.wake()
    if back == "admin":
        return RedirectResponse(f"/admin/deliveries?done={RETRIED}", status_code=303)
    return RedirectResponse(f"/invoices/{invoice_id}?done={RETRIED}#deliveries", status_code=303)
