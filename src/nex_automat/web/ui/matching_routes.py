"""The invoice's catalogue matches and prices: confirm, change, create, price.

- ``GET /catalogue/products/search?q=`` — products for a search box as you type (JSON);
- ``POST /invoices/{id}/lines/{line}/confirm`` — the proposed product is right;
- ``POST /invoices/{id}/lines/{line}/product`` — ``product_id``: this product instead;
- ``POST /invoices/{id}/lines/{line}/new-product`` — the line is a product to create
  (``name``, ``code``, ``unit``, ``vat_rate``, ``group_id``);
- ``POST /invoices/{id}/matches/confirm`` — confirm every sure and likely match;
- ``POST /invoices/{id}/matches/rerun`` — match the undecided lines again (after an import);
- ``POST /invoices/{id}/partner`` — create the supplier as a partner from the invoice;
- ``POST /invoices/{id}/prices`` — sale prices without VAT, ``sale.<line id>`` each.

Like the invoice's corrections: editors only, CSRF on every POST, only while the invoice
may be edited, every decision in the audit log, and a redirect back to the line. A script
(``fetch`` with ``X-CSRF-Token``) gets the same redirect; the page it then loads is the
new state. What a decision teaches reaches the service's cached catalogue by its
fingerprint (:mod:`nex_automat.catalog.cache`), so a click never waits for an index.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from nex_automat.catalog.cache import Catalogue, CatalogueCache
from nex_automat.catalog.invoice_matching import match_invoice
from nex_automat.catalog.match_decisions import (
    InvalidNewProduct,
    NewProduct,
    NothingToConfirm,
    PartnerConflict,
    UnknownProduct,
    choose_product,
    confirm_line,
    confirm_sure,
    create_partner,
    mark_new_product,
    set_sale_prices,
)
from nex_automat.catalog.matching import seller_code_key
from nex_automat.catalog.search import SEARCH_LIMIT
from nex_automat.store.invoices import get_invoice
from nex_automat.store.models import InvoiceLine, InvoiceRecord
from nex_automat.web.deps import services_of
from nex_automat.web.ui import workflow
from nex_automat.web.ui.csrf import CsrfUser
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.i18n import parse_amount
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn

router = APIRouter(include_in_schema=False)

Viewer = Annotated[SignedIn, Depends(requires(Permission.VIEW))]
Editor = Annotated[SignedIn, Depends(requires(Permission.EDIT))]

SEARCH_RECHECK_SECONDS = 10.0
"""A search as you type trusts a catalogue checked this recently; processing always checks."""
MIN_QUERY_LENGTH = 2


def _catalogue(request: Request) -> CatalogueCache:
    return services_of(request).catalogue


def _editable(session: Session, invoice_id: str) -> InvoiceRecord:
    record = get_invoice(session, invoice_id)
    if record is None:
        raise PageError(404, "error.not_found")
    if record.status not in workflow.EDITABLE_STATUSES:
        raise PageError(409, "edit.locked")
    return record


def _line(record: InvoiceRecord, line_id: int) -> InvoiceLine:
    line = next((ln for ln in record.lines if ln.id == line_id and not ln.deleted), None)
    if line is None:
        raise PageError(404, "error.not_found")
    return line


def _back(invoice_id: str, done: str, line_id: int | None = None) -> RedirectResponse:
    anchor = "#matching" if line_id is None else f"#match-{line_id}"
    return RedirectResponse(f"/invoices/{invoice_id}?done={done}{anchor}", status_code=303)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


def _decide(
    request: Request,
    user: SignedIn,
    invoice_id: str,
    decide: Callable[[Session, InvoiceRecord], int | None],
    done: str,
) -> Response:
    """Run one decision in a tenant session; back to the line it concerned."""
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        record = _editable(session, invoice_id)
        line_id = decide(session, record)
    return _back(invoice_id, done, line_id)


@router.get("/catalogue/products/search")
def search_products(
    request: Request, user: Viewer, q: Annotated[str, Query(max_length=200)] = ""
) -> JSONResponse:
    """Up to :data:`SEARCH_LIMIT` products whose barcode, code or name words match ``q``."""
    if len(q.strip()) < MIN_QUERY_LENGTH:
        return JSONResponse({"products": []})
    catalogue = _catalogue(request).get(user.tenant_id, max_age=SEARCH_RECHECK_SECONDS)
    found = catalogue.search.search(q, SEARCH_LIMIT)
    return JSONResponse(
        {
            "products": [
                {
                    "id": hit.product.id,
                    "code": hit.product.code,
                    "name": hit.product.name,
                    "unit": hit.product.unit,
                    "via": hit.via,
                    "discontinued": hit.product.discontinued,
                }
                for hit in found
            ]
        },
        headers={"Cache-Control": "no-store"},
    )


@router.post("/invoices/{invoice_id}/lines/{line_id}/confirm")
def confirm(request: Request, invoice_id: str, line_id: int, _: CsrfUser, user: Editor) -> Response:
    def decide(session: Session, record: InvoiceRecord) -> int:
        try:
            confirm_line(session, record, _line(record, line_id), actor=user.username)
        except NothingToConfirm:
            raise PageError(409, "match.nothing_to_confirm") from None
        return line_id

    return _decide(request, user, invoice_id, decide, "match_confirmed")


def _exact(catalogue: Catalogue, query: str) -> int | None:
    """The product a typed code or barcode names exactly, for a search sent without a script."""
    for hit in catalogue.search.search(query, 1):
        if hit.via == "barcode" or seller_code_key(hit.product.code) == seller_code_key(query):
            return hit.product.id
    return None


@router.post("/invoices/{invoice_id}/lines/{line_id}/product")
async def choose(
    request: Request, invoice_id: str, line_id: int, _: CsrfUser, user: Editor
) -> Response:
    form = await _form(request)
    chosen, query = form.get("product_id", "").strip(), form.get("q", "").strip()
    if not chosen.isdigit() and not query:
        raise PageError(422, "match.choose_product")

    def work() -> Response:
        if chosen.isdigit():
            product_id: int | None = int(chosen)
        else:
            product_id = _exact(_catalogue(request).get(user.tenant_id), query)
        if product_id is None:
            raise PageError(422, "match.choose_product")

        def decide(session: Session, record: InvoiceRecord) -> int:
            line = _line(record, line_id)
            try:
                choose_product(session, record, line, product_id, actor=user.username)
            except UnknownProduct:
                raise PageError(422, "match.unknown_product") from None
            return line_id

        return _decide(request, user, invoice_id, decide, "match_chosen")

    return await run_in_threadpool(work)


def _number(text: str | None) -> Decimal | None:
    if text is None or not text.strip():
        return None
    number = parse_amount(text)
    if number is None:
        raise PageError(422, "edit.invalid_number")
    return number


@router.post("/invoices/{invoice_id}/lines/{line_id}/new-product")
async def new_product(
    request: Request, invoice_id: str, line_id: int, _: CsrfUser, user: Editor
) -> Response:
    form = await _form(request)
    group = form.get("group_id", "").strip()
    card = NewProduct(
        name=form.get("name", "").strip(),
        code=form.get("code", "").strip(),
        unit=form.get("unit", "").strip() or None,
        vat_rate=_number(form.get("vat_rate")),
        group_id=int(group) if group.isdigit() else None,
    )

    def work() -> Response:
        def decide(session: Session, record: InvoiceRecord) -> int:
            try:
                mark_new_product(session, record, _line(record, line_id), card, actor=user.username)
            except InvalidNewProduct:
                raise PageError(422, "match.invalid_new_product") from None
            return line_id

        return _decide(request, user, invoice_id, decide, "match_new_product")

    return await run_in_threadpool(work)


@router.post("/invoices/{invoice_id}/matches/confirm")
def confirm_all(request: Request, invoice_id: str, _: CsrfUser, user: Editor) -> Response:
    def decide(session: Session, record: InvoiceRecord) -> None:
        confirm_sure(session, record, actor=user.username)

    return _decide(request, user, invoice_id, decide, "match_confirmed_all")


@router.post("/invoices/{invoice_id}/matches/rerun")
def rerun(request: Request, invoice_id: str, _: CsrfUser, user: Editor) -> Response:
    index = _catalogue(request).index(user.tenant_id)

    def decide(session: Session, record: InvoiceRecord) -> None:
        match_invoice(session, record, index, actor=user.username)

    return _decide(request, user, invoice_id, decide, "match_rerun")


@router.post("/invoices/{invoice_id}/partner")
def partner(request: Request, invoice_id: str, _: CsrfUser, user: Editor) -> Response:
    def decide(session: Session, record: InvoiceRecord) -> None:
        try:
            create_partner(session, record, actor=user.username)
        except PartnerConflict:
            raise PageError(409, "match.partner_conflict") from None

    return _decide(request, user, invoice_id, decide, "partner_created")


@router.post("/invoices/{invoice_id}/prices")
async def prices(request: Request, invoice_id: str, _: CsrfUser, user: Editor) -> Response:
    form = await _form(request)
    wanted: dict[int, Decimal | None] = {}
    for name, value in form.items():
        prefix, _dot, key = name.partition(".")
        if prefix == "sale" and key.isdigit():
            number = _number(value)
            if number is not None and number < 0:
                raise PageError(422, "edit.invalid_number")
            wanted[int(key)] = number

    def work() -> Response:
        def decide(session: Session, record: InvoiceRecord) -> None:
            set_sale_prices(session, record, wanted, actor=user.username)

        return _decide(request, user, invoice_id, decide, "prices_saved")

    return await run_in_threadpool(work)
