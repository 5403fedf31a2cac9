"""Correcting an invoice through its form: locale numbers, lines, audit, warnings, CSRF, tenants."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from nex_automat.store.audit import audit_trail
from nex_automat.store.invoices import get_invoice, invoice_to_domain, warnings_of
from nex_automat.store.models import InvoiceStatus, Role
from tests.web.ui.conftest import Browser, Workspace

_REVISION = re.compile(r'name="revision" value="([^"]+)"')


def _form(browser: Browser, invoice_id: str, **fields: str) -> dict[str, str]:
    page = browser.get(f"/invoices/{invoice_id}").text
    found = _REVISION.search(page)
    assert found
    order = re.search(r'name="order" value="([^"]*)"', page)
    assert order
    return {"revision": found.group(1), "order": order.group(1), "deleted": "", **fields}


def _keys(browser: Browser, invoice_id: str) -> list[str]:
    return _form(browser, invoice_id)["order"].split(",")


def _record(workspace: Workspace, invoice_id: str, tenant: str = "acme"):  # type: ignore[no-untyped-def]
    with workspace.services.db.tenant_session(tenant) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        return record, invoice_to_domain(record), audit_trail(session, "invoice", invoice_id)


def test_a_quantity_typed_in_slovak_style_is_saved_audited_and_recomputes_the_line(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("ola")
    first = _keys(browser, invoice_id)[0]
    answer = browser.post_form(
        f"/invoices/{invoice_id}/save",
        _form(browser, invoice_id, **{f"l.{first}.quantity": "3,000"}),
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/invoices/{invoice_id}?done=saved"
    record, invoice, trail = _record(workspace, invoice_id)
    assert invoice.lines[0].quantity == Decimal("3.000")
    assert invoice.lines[0].net_amount == Decimal("59.04")
    assert record.lines[0].quantity == Decimal("2.500")
    changes = [
        (e.field, e.old_value, e.new_value, e.actor) for e in trail if e.action == "edit_line"
    ]
    assert ("lines[1].quantity", "2.500", "3.000", "ola") in changes
    assert ("lines[1].net_amount", "49.20", "59.04", "ola") in changes
    assert {w.code for w in warnings_of(record)} >= {"lines_sum_mismatch"}
    page = browser.get(f"/invoices/{invoice_id}").text
    assert "2,500" in page and "úprava položky" in page


def test_header_and_party_edits_keep_the_extracted_value_beside_them(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("ola")
    form = _form(
        browser,
        invoice_id,
        **{"f.number": "2024-777", "f.supplier.ico": "35763469", "f.due_date": "2024-05-01"},
    )
    assert browser.post_form(f"/invoices/{invoice_id}/save", form).status_code == 303
    record, invoice, trail = _record(workspace, invoice_id)
    assert (invoice.number, invoice.supplier.ico, str(invoice.due_date)) == (
        "2024-777",
        "35763469",
        "2024-05-01",
    )
    assert (record.number, record.supplier_ico) == ("2024001", "36123456")
    assert ("supplier.ico", "36123456", "35763469") in [
        (e.field, e.old_value, e.new_value) for e in trail if e.action == "edit"
    ]
    page = browser.get(f"/invoices/{invoice_id}").text
    assert "Prečítané: 36123456" in page


def test_an_unreadable_number_saves_nothing_and_says_where(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("ola")
    first = _keys(browser, invoice_id)[0]
    form = _form(browser, invoice_id, **{f"l.{first}.quantity": "tri", "f.number": "X-1"})
    answer = browser.post_form(f"/invoices/{invoice_id}/save", form)
    assert answer.status_code == 422
    assert "Toto nie je číslo." in answer.text
    _, invoice, _ = _record(workspace, invoice_id)
    assert invoice.number == "2024001"


def test_lines_are_added_deleted_and_reordered_and_the_deleted_one_is_kept(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice(descriptions=("A", "B", "C"))
    browser = signed_in("ola")
    a, b, c = _keys(browser, invoice_id)
    form = _form(
        browser,
        invoice_id,
        order=f"{c},n1,{a}",
        deleted=b,
        **{
            "l.n1.description": "Doprava",
            "l.n1.quantity": "1",
            "l.n1.unit_price": "10,50",
            "l.n1.vat_rate": "23",
        },
    )
    assert browser.post_form(f"/invoices/{invoice_id}/save", form).status_code == 303
    record, invoice, trail = _record(workspace, invoice_id)
    assert [(line.position, line.description) for line in invoice.lines] == [
        (1, "C"),
        (2, "Doprava"),
        (3, "A"),
    ]
    assert invoice.lines[1].net_amount == Decimal("10.50")
    assert invoice.lines[1].gross_amount == Decimal("12.92")
    assert [line.description for line in record.lines if line.deleted] == ["B"]
    assert [line.added for line in record.lines] == [False, False, False, True]
    actions = {e.action for e in trail}
    assert {"add_line", "delete_line", "reorder_lines"} <= actions


def test_a_form_from_before_someone_elses_change_is_refused(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("ola")
    stale = _form(browser, invoice_id, **{"f.number": "first"})
    assert browser.post_form(f"/invoices/{invoice_id}/save", stale).status_code == 303
    again = browser.post_form(f"/invoices/{invoice_id}/save", {**stale, "f.number": "second"})
    assert again.status_code == 409
    _, invoice, _ = _record(workspace, invoice_id)
    assert invoice.number == "first"


def test_saving_needs_the_csrf_token(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice()
    browser = signed_in("ola")
    answer = browser.post(
        f"/invoices/{invoice_id}/save", _form(browser, invoice_id, **{"f.number": "X"})
    )
    assert answer.status_code == 403
    _, invoice, _ = _record(workspace, invoice_id)
    assert invoice.number == "2024001"


def test_an_approved_invoice_cannot_be_edited(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice(status=InvoiceStatus.APPROVED)
    browser = signed_in("ola")
    answer = browser.post_form(f"/invoices/{invoice_id}/save", _form(browser, invoice_id))
    assert answer.status_code == 409


def test_another_tenants_invoice_cannot_be_edited(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    foreign = workspace.add_invoice(tenant="globex")
    browser = signed_in("ola", Role.ADMIN)
    answer = browser.post_form(f"/invoices/{foreign}/save", {"f.number": "X", "revision": ""})
    assert answer.status_code == 404
    _, invoice, _ = _record(workspace, foreign, tenant="globex")
    assert invoice.number == "2024001"


def test_a_deleted_line_is_restored_by_its_button_with_the_edits_sent_beside_it(
    workspace: Workspace, signed_in: Callable[..., Browser]
) -> None:
    invoice_id = workspace.add_invoice(descriptions=("A", "B"))
    browser = signed_in("ola")
    a, b = _keys(browser, invoice_id)
    form = _form(browser, invoice_id, order=a, deleted=b)
    assert browser.post_form(f"/invoices/{invoice_id}/save", form).status_code == 303
    page = browser.get(f"/invoices/{invoice_id}").text
    assert f'name="restore" value="{b}"' in page
    form = _form(browser, invoice_id, restore=b, **{f"l.{a}.description": "A2"})
    assert browser.post_form(f"/invoices/{invoice_id}/save", form).status_code == 303
    record, invoice, trail = _record(workspace, invoice_id)
    assert [line.description for line in invoice.lines] == ["A2", "B"]
    assert not any(line.deleted for line in record.lines)
    assert "restore_line" in {e.action for e in trail}
    assert 'name="restore"' not in browser.get(f"/invoices/{invoice_id}").text
