"""``/invoices/{id}``: one invoice to check, correct and decide on.

- ``GET /invoices/{id}`` — the page beside the fields, warnings by the fields they
  concern, the lines grid, totals against the printed ones, the duplicate's original
  and the audit log;
- ``GET /invoices/{id}/pages/{n}.png`` — a page of the document as a picture;
- ``POST /invoices/{id}/save`` — corrections (:mod:`~nex_automat.web.ui.editing`);
- ``POST /invoices/{id}/approve|reject|reopen`` and ``…/duplicate/dismiss|confirm`` —
  the workflow (:mod:`~nex_automat.web.ui.workflow`).

Every POST carries the session's CSRF token and answers with a redirect back to the page
(or the page again with what was wrong). An invoice of another tenant is simply not
found (404), exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from nex_automat.store.audit import audit_trail
from nex_automat.store.documents import get_document
from nex_automat.store.exports import deliveries_of
from nex_automat.store.invoices import InvalidStatusTransition, get_invoice, invoice_to_domain
from nex_automat.store.models import InvoiceRecord, InvoiceStatus
from nex_automat.web.deps import services_of
from nex_automat.web.ui import workflow
from nex_automat.web.ui.csrf import CsrfUser
from nex_automat.web.ui.editing import Corrections, StaleForm, apply_corrections, read_form
from nex_automat.web.ui.errors import PageError
from nex_automat.web.ui.i18n import Locale
from nex_automat.web.ui.invoice_view import (
    HEADER_GROUP,
    TOTAL_GROUP,
    audit_views,
    describe_path,
    input_number,
    invoice_view,
    warning_text,
)
from nex_automat.web.ui.matching_view import matching_view
from nex_automat.web.ui.page_images import PageNotFound, page_png, page_sizes
from nex_automat.web.ui.rendering import page_language, render
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn
from nex_automat.web.ui.state import ui_state

router = APIRouter(include_in_schema=False)

Viewer = Annotated[SignedIn, Depends(requires(Permission.VIEW))]
Editor = Annotated[SignedIn, Depends(requires(Permission.EDIT))]
Approver = Annotated[SignedIn, Depends(requires(Permission.APPROVE))]

NOTICES: dict[str, str] = {
    "saved": "notice.saved",
    "unchanged": "notice.unchanged",
    "approved": "notice.approved",
    "rejected": "notice.rejected",
    "reopened": "notice.reopened",
    "dismissed": "notice.dismissed",
    "confirmed": "notice.confirmed",
    "match_confirmed": "notice.match_confirmed",
    "match_chosen": "notice.match_chosen",
    "match_new_product": "notice.match_new_product",
    "match_confirmed_all": "notice.match_confirmed_all",
    "match_rerun": "notice.match_rerun",
    "partner_created": "notice.partner_created",
    "prices_saved": "notice.prices_saved",
    "delivery_retried": "notice.delivery_retried",
}
"""``?done=`` values a redirect after a POST can pass, and the notice each shows."""
PARTY_ROLES: tuple[str, ...] = ("supplier", "customer")
PARTY_GROUP: tuple[str, ...] = (
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


def _invoice(session: Session, invoice_id: str) -> InvoiceRecord:
    record = get_invoice(session, invoice_id)
    if record is None:
        raise PageError(404, "error.not_found")
    return record


def _page(
    request: Request,
    user: SignedIn,
    invoice_id: str,
    *,
    status_code: int = 200,
    corrections: Corrections | None = None,
    problem: str | None = None,
) -> Response:
    services = services_of(request)
    locale = Locale(page_language(request, user))
    with services.db.tenant_session(user.tenant_id) as session:
        record = _invoice(session, invoice_id)
        document = get_document(session, record.document_id)
        sizes = (
            []
            if document is None
            else page_sizes(
                services.files.tenant(user.tenant_id), document.sha256, document.media_type
            )
        )
        view = invoice_view(record, sizes, locale)
        trail = audit_trail(session, "invoice", record.id)
        original = None
        if record.status is InvoiceStatus.DUPLICATE and record.duplicate_of:
            found = get_invoice(session, record.duplicate_of)
            original = None if found is None else (found, invoice_to_domain(found))
        confirmed_by = workflow.duplicate_confirmed_by([(e.action, e.actor) for e in trail])
        return render(
            request,
            "invoice.html",
            user=user,
            status_code=status_code,
            record=record,
            invoice=invoice_to_domain(record),
            view=view,
            matching=matching_view(session, record),
            deliveries=deliveries_of(session, record.id),
            input_number=lambda value: input_number(value, locale.language),
            audit=audit_views(trail, locale),
            original=original,
            confirmed_by=confirmed_by,
            document=document,
            header_fields=HEADER_GROUP,
            party_fields=PARTY_GROUP,
            party_roles=PARTY_ROLES,
            total_fields=TOTAL_GROUP,
            editable=record.status in workflow.EDITABLE_STATUSES,
            approvable=record.status in workflow.APPROVABLE_STATUSES,
            rejectable=record.status in workflow.REJECTABLE_STATUSES,
            reopenable=record.status in workflow.REOPENABLE_STATUSES,
            errors={} if corrections is None else corrections.errors,
            notice=NOTICES.get(request.query_params.get("done", "")),
            problem=problem,
            blocking_codes=workflow.BLOCKING_CODES,
            warning_text=lambda warning: warning_text(warning, locale),
            describe=lambda path: describe_path(path, locale, line_base=0),
        )


@router.get("/invoices/{invoice_id}", response_class=HTMLResponse)
def invoice_page(request: Request, invoice_id: str, user: Viewer) -> Response:
    return _page(request, user, invoice_id)


@router.get("/invoices/{invoice_id}/pages/{number}.png")
def invoice_page_image(request: Request, invoice_id: str, number: int, user: Viewer) -> Response:
    services = services_of(request)
    with services.db.tenant_session(user.tenant_id) as session:
        record = _invoice(session, invoice_id)
        document = get_document(session, record.document_id)
        if document is None:
            raise PageError(404, "error.not_found")
        sha256, media_type = document.sha256, document.media_type
    try:
        png = page_png(services.files.tenant(user.tenant_id), sha256, media_type, number)
    except PageNotFound:
        raise PageError(404, "error.not_found") from None
    return Response(
        png,
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


def _back(invoice_id: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/invoices/{invoice_id}?done={done}", status_code=303)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


@router.post("/invoices/{invoice_id}/save")
async def save(request: Request, invoice_id: str, _: CsrfUser, user: Editor) -> Response:
    form = await _form(request)
    corrections = read_form(form)

    def work() -> Response:
        with services_of(request).db.tenant_session(user.tenant_id) as session:
            record = _invoice(session, invoice_id)
            if record.status not in workflow.EDITABLE_STATUSES:
                raise PageError(409, "edit.locked")
            if corrections.errors:
                raise _Invalid()
            stamp = record.updated_at
            apply_corrections(
                session, record, corrections, actor=user.username, revision=form.get("revision", "")
            )
            changed = record.updated_at != stamp
        ui_state(request).counts.forget(user.tenant_id)
        return _back(invoice_id, "saved" if changed else "unchanged")

    try:
        return await run_in_threadpool(work)
    except _Invalid:
        return await run_in_threadpool(
            lambda: _page(
                request,
                user,
                invoice_id,
                status_code=422,
                corrections=corrections,
                problem="edit.invalid",
            )
        )
    except StaleForm:
        return await run_in_threadpool(
            lambda: _page(request, user, invoice_id, status_code=409, problem="edit.stale")
        )


class _Invalid(Exception):
    """The form had values that cannot be read; nothing was saved."""


def _transition(
    request: Request,
    user: SignedIn,
    invoice_id: str,
    move: Callable[[Session, InvoiceRecord], None],
    done: str,
) -> Response:
    with services_of(request).db.tenant_session(user.tenant_id) as session:
        record = _invoice(session, invoice_id)
        try:
            move(session, record)
        except InvalidStatusTransition:
            raise PageError(409, "workflow.not_now") from None
        except workflow.NotADuplicate:
            raise PageError(409, "workflow.not_now") from None
    ui_state(request).counts.forget(user.tenant_id)
    return _back(invoice_id, done)


def _refused(request: Request, user: SignedIn, invoice_id: str, problem: str) -> Response:
    return _page(request, user, invoice_id, status_code=409, problem=problem)


@router.post("/invoices/{invoice_id}/approve")
async def approve(request: Request, invoice_id: str, _: CsrfUser, user: Approver) -> Response:
    confirmed = (await _form(request)).get("confirm") == "1"

    def work() -> Response:
        try:
            answer = _transition(
                request,
                user,
                invoice_id,
                lambda s, r: workflow.approve(s, r, actor=user.username, confirmed=confirmed),
                "approved",
            )
            services_of(request).runner.wake()
            return answer
        except workflow.BlockingWarnings:
            return _refused(request, user, invoice_id, "workflow.blocked")

    return await run_in_threadpool(work)


@router.post("/invoices/{invoice_id}/reject")
async def reject(request: Request, invoice_id: str, _: CsrfUser, user: Approver) -> Response:
    reason = (await _form(request)).get("reason", "")

    def work() -> Response:
        try:
            return _transition(
                request,
                user,
                invoice_id,
                lambda s, r: workflow.reject(s, r, actor=user.username, reason=reason),
                "rejected",
            )
        except workflow.ReasonRequired:
            return _refused(request, user, invoice_id, "workflow.reason_required")

    return await run_in_threadpool(work)


@router.post("/invoices/{invoice_id}/reopen")
def reopen(request: Request, invoice_id: str, _: CsrfUser, user: Approver) -> Response:
    return _transition(
        request,
        user,
        invoice_id,
        lambda s, r: workflow.reopen(s, r, actor=user.username),
        "reopened",
    )


@router.post("/invoices/{invoice_id}/duplicate/dismiss")
def dismiss_duplicate(request: Request, invoice_id: str, _: CsrfUser, user: Editor) -> Response:
    return _transition(
        request,
        user,
        invoice_id,
        lambda s, r: workflow.dismiss_duplicate(s, r, actor=user.username),
        "dismissed",
    )


@router.post("/invoices/{invoice_id}/duplicate/confirm")
def confirm_duplicate(request: Request, invoice_id: str, _: CsrfUser, user: Editor) -> Response:
    return _transition(
        request,
        user,
        invoice_id,
        lambda s, r: workflow.confirm_duplicate(s, r, actor=user.username),
        "confirmed",
    )
