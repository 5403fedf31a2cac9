"""``/invoices/{id}``: one invoice, read-only — header, parties, lines, totals, warnings.

A reviewer's line edits are shown in place of the extracted values. An invoice of
another tenant is simply not found (404), exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nex_automat.store.invoices import get_invoice, invoice_to_domain, warnings_of
from nex_automat.web.deps import services_of
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.rendering import render
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn

router = APIRouter(include_in_schema=False)

HEADER_FIELDS: tuple[str, ...] = (
    "document_type",
    "number",
    "issue_date",
    "tax_point_date",
    "due_date",
    "currency",
    "variable_symbol",
    "constant_symbol",
    "order_reference",
)
PARTY_FIELDS: tuple[str, ...] = (
    "name",
    "ico",
    "dic",
    "vat_id",
    "street",
    "city",
    "postal_code",
    "country",
    "iban",
)
TOTAL_FIELDS: tuple[str, ...] = ("total_net", "total_vat", "total_gross", "amount_due")


@router.get("/invoices/{invoice_id}", response_class=HTMLResponse)
def invoice_page(
    request: Request,
    invoice_id: str,
    user: Annotated[SignedIn, Depends(requires(Permission.VIEW))],
) -> Response:
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        record = get_invoice(session, invoice_id)
        if record is None:
            raise PageError(404, "error.not_found")
        invoice = invoice_to_domain(record)
        warnings = warnings_of(record)
    return render(
        request,
        "invoice.html",
        user=user,
        record=record,
        invoice=invoice,
        warnings=warnings,
        header_fields=HEADER_FIELDS,
        party_fields=PARTY_FIELDS,
        total_fields=TOTAL_FIELDS,
    )
