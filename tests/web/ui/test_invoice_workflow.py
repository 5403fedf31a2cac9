"""Approving, rejecting, reopening and deciding duplicates: roles, blocking warnings, audit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from nex_automat.store.audit import audit_trail
from nex_automat.store.invoices import get_invoice, save_invoice
from nex_automat.store.models import AuditEntry, InvoiceRecord, InvoiceStatus, Role
from tests.store.factories import add_pdf, make_invoice, make_result
from tests.web.ui.conftest import Browser, Workspace

S = InvoiceStatus


def _state(
    workspace: Workspace, invoice_id: str, tenant: str = "acme"
) -> tuple[InvoiceRecord, list[AuditEntry]]:
    with workspace.services.db.tenant_session(tenant) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        return record, audit_trail(session, "invoice", invoice_id)


def test_an_approver_approves_and_the_page_shows_who_did(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("eva", Role.APPROVER)
    answer = browser.post_form(f"/invoices/{invoice_id}/approve")
    assert answer.status_code == 303
    record, trail = _state(workspace, invoice_id)
    assert (record.status, record.approved_by) == (S.APPROVED, "eva")
    assert [(e.action, e.new_value) for e in trail][-1] == ("status", "approved")
    page = browser.get(f"/invoices/{invoice_id}").text
    assert "Schválil(a) eva" in page
    assert page.index("zmena stavu") < page.index("vyťažená z dokumentu")


def test_an_operator_sees_no_approve_button_and_cannot_approve(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("ola")
    assert "data-approve" not in browser.get(f"/invoices/{invoice_id}").text
    for action in ("approve", "reject", "reopen"):
        assert (
            browser.post_form(f"/invoices/{invoice_id}/{action}", {"reason": "x"}).status_code
            == 403
        )
    assert _state(workspace, invoice_id)[0].status is S.NEW


def test_approval_is_refused_with_blocking_warnings_unless_confirmed(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice(supplier_ico="36123457")
    browser = signed_in("eva", Role.APPROVER)
    with workspace.services.db.tenant_session("acme") as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        record.warnings = [{"code": "invalid_ico", "message": "bad", "field": "supplier.ico"}]
    refused = browser.post_form(f"/invoices/{invoice_id}/approve")
    assert refused.status_code == 409
    assert "závažné upozornenia" in refused.text
    assert _state(workspace, invoice_id)[0].status is S.NEW
    confirmed = browser.post_form(f"/invoices/{invoice_id}/approve", {"confirm": "1"})
    assert confirmed.status_code == 303
    record, trail = _state(workspace, invoice_id)
    assert record.status is S.APPROVED
    assert ("confirm_warnings", "invalid_ico") in [(e.action, e.new_value) for e in trail]


def test_reject_needs_a_reason_and_reopen_brings_it_back_to_review(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("eva", Role.APPROVER)
    assert browser.post_form(f"/invoices/{invoice_id}/reject", {"reason": " "}).status_code == 409
    assert (
        browser.post_form(f"/invoices/{invoice_id}/reject", {"reason": "Nie je naša"}).status_code
        == 303
    )
    record, _ = _state(workspace, invoice_id)
    assert (record.status, record.rejected_reason, record.rejected_by) == (
        S.REJECTED,
        "Nie je naša",
        "eva",
    )
    assert browser.post_form(f"/invoices/{invoice_id}/reopen").status_code == 303
    assert _state(workspace, invoice_id)[0].status is S.NEEDS_REVIEW
    assert browser.post_form(f"/invoices/{invoice_id}/reopen").status_code == 409


def _duplicate_pair(workspace: Workspace) -> tuple[str, str]:
    original = workspace.add_invoice(number="D-1")
    with workspace.services.db.tenant_session("acme") as session:
        document = add_pdf(session, b"%PDF-dup")
        record = save_invoice(
            session,
            document.id,
            make_result(make_invoice("D-1", total_gross=Decimal("123.00"))),
            status=S.DUPLICATE,
            duplicate_of=original,
        )
        return original, record.id


def test_a_duplicate_shows_its_original_and_can_be_dismissed(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    original, duplicate = _duplicate_pair(workspace)
    browser = signed_in("ola")
    page = browser.get(f"/invoices/{duplicate}").text
    assert "Možná duplicita" in page and f'href="/invoices/{original}"' in page
    assert browser.post_form(f"/invoices/{duplicate}/duplicate/dismiss").status_code == 303
    record, trail = _state(workspace, duplicate)
    assert (record.status, record.duplicate_of) == (S.NEEDS_REVIEW, None)
    assert "dismiss_duplicate" in [e.action for e in trail]


def test_a_confirmed_duplicate_stays_one_and_says_who_confirmed(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    _, duplicate = _duplicate_pair(workspace)
    browser = signed_in("ola")
    assert browser.post_form(f"/invoices/{duplicate}/duplicate/confirm").status_code == 303
    record, trail = _state(workspace, duplicate)
    assert record.status is S.DUPLICATE
    assert ("confirm_duplicate", "ola") in [(e.action, e.actor) for e in trail]
    assert "Duplicitu potvrdil(a) ola." in browser.get(f"/invoices/{duplicate}").text


@pytest.mark.parametrize(
    "action", ["approve", "reject", "reopen", "duplicate/dismiss", "duplicate/confirm"]
)
def test_every_decision_needs_the_csrf_token_and_stays_in_its_tenant(
    workspace: Workspace, signed_in: Callable[..., Browser], action: str
) -> None:
    own = workspace.add_invoice()
    foreign = workspace.add_invoice(tenant="globex")
    browser = signed_in("adam", Role.ADMIN)
    assert browser.post(f"/invoices/{own}/{action}", {"reason": "x"}).status_code == 403
    assert browser.post_form(f"/invoices/{foreign}/{action}", {"reason": "x"}).status_code == 404
    assert _state(workspace, foreign, tenant="globex")[0].status is S.NEW
