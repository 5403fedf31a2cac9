"""Export deliveries in the database: armed per approval, claimed once, failed, retried."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nex_automat.store.audit import audit_trail
from nex_automat.store.db import Database
from nex_automat.store.exports import (
    DeliveryNotFound,
    DeliveryNotRetryable,
    all_delivered,
    arm_deliveries,
    claim_delivery,
    deliveries_of,
    due,
    get_delivery,
    list_deliveries,
    next_attempt,
    record_delivered,
    record_failed_try,
    retry_delivery,
)
from nex_automat.store.invoices import get_invoice, save_invoice, set_status
from nex_automat.store.models import DeliveryState, InvoiceRecord, InvoiceStatus
from nex_automat.store.sqltypes import utcnow
from tests.store.factories import add_pdf, make_invoice, make_result

WANTED = [("erp", "isdoc"), ("erp", "csv"), ("hook", "json")]
S = DeliveryState


def approved_invoice(database: Database, tenant: str, number: str = "2024001") -> str:
    with database.tenant_session(tenant) as session:
        document = add_pdf(session, number.encode())
        record = save_invoice(session, document.id, make_result(make_invoice(number)))
        set_status(session, record, InvoiceStatus.APPROVED, actor="eva")
        return record.id


def invoice(session: object, invoice_id: str) -> InvoiceRecord:
    record = get_invoice(session, invoice_id)  # type: ignore[arg-type]
    assert record is not None
    return record


def test_arming_creates_a_pending_delivery_per_connector_and_format(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = approved_invoice(database, "acme")
    now = utcnow()
    with database.tenant_session("acme") as session:
        armed = arm_deliveries(session, invoice(session, invoice_id), WANTED, now=now)
        assert {(d.connector, d.format, d.state, d.attempts) for d in armed} == {
            ("erp", "isdoc", S.PENDING, 0),
            ("erp", "csv", S.PENDING, 0),
            ("hook", "json", S.PENDING, 0),
        }
        assert all(d.next_attempt_at == now for d in armed)
        assert [d.format for d in deliveries_of(session, invoice_id)] == ["csv", "isdoc", "json"]


def test_arming_again_for_the_same_approval_changes_nothing(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = approved_invoice(database, "acme")
    now = utcnow()
    with database.tenant_session("acme") as session:
        record = invoice(session, invoice_id)
        (first,) = arm_deliveries(session, record, [("erp", "isdoc")], now=now)
        record_delivered(session, first, target="a.isdoc", now=now, actor="export")
    with database.tenant_session("acme") as session:
        (again,) = arm_deliveries(
            session, invoice(session, invoice_id), [("erp", "isdoc")], now=now + timedelta(1)
        )
        assert (again.id, again.state, again.target) == (first.id, S.DELIVERED, "a.isdoc")


def test_a_new_approval_arms_a_delivered_delivery_anew(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = approved_invoice(database, "acme")
    now = utcnow()
    with database.tenant_session("acme") as session:
        record = invoice(session, invoice_id)
        (first,) = arm_deliveries(session, record, [("erp", "isdoc")], now=now)
        claim_delivery(session, first.id, now=now, lease_until=now)
        record_delivered(session, first, target="a.isdoc", now=now, actor="export")
        set_status(session, record, InvoiceStatus.NEEDS_REVIEW, actor="eva")
        set_status(session, record, InvoiceStatus.APPROVED, actor="eva")
    later = now + timedelta(hours=1)
    with database.tenant_session("acme") as session:
        record = invoice(session, invoice_id)
        (again,) = arm_deliveries(session, record, [("erp", "isdoc")], now=later)
        assert again.id == first.id
        assert (again.state, again.attempts, again.target, again.delivered_at) == (
            S.PENDING,
            0,
            None,
            None,
        )
        assert (again.next_attempt_at, again.approved_at) == (later, record.approved_at)


def test_a_try_is_claimed_once_and_not_before_it_is_due(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = approved_invoice(database, "acme")
    now = utcnow()
    lease = now + timedelta(minutes=5)
    with database.tenant_session("acme") as session:
        (armed,) = arm_deliveries(
            session, invoice(session, invoice_id), [("erp", "isdoc")], now=now
        )
        delivery_id = armed.id
    with database.tenant_session("acme") as session:
        early = now - timedelta(seconds=1)
        assert claim_delivery(session, delivery_id, now=early, lease_until=lease) is None
        assert claim_delivery(session, delivery_id, now=now, lease_until=lease) == 1
    with database.tenant_session("acme") as session:
        assert claim_delivery(session, delivery_id, now=now, lease_until=lease) is None
        assert get_delivery(session, delivery_id).next_attempt_at == lease
        assert claim_delivery(session, delivery_id, now=lease, lease_until=lease) == 2


def test_a_failed_try_waits_for_the_next_or_fails_for_good_with_an_audit_entry(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = approved_invoice(database, "acme")
    now = utcnow()
    with database.tenant_session("acme") as session:
        (armed,) = arm_deliveries(
            session, invoice(session, invoice_id), [("erp", "isdoc")], now=now
        )
        retry_at = now + timedelta(seconds=30)
        record_failed_try(session, armed, error="disk full", retry_at=retry_at, actor="export")
        assert (armed.state, armed.next_attempt_at, armed.last_error) == (
            S.PENDING,
            retry_at,
            "disk full",
        )
        assert next_attempt([armed]) == retry_at and due([armed], now) == []
        record_failed_try(session, armed, error="x" * 5000, retry_at=None, actor="export")
        assert (armed.state, armed.next_attempt_at) == (S.FAILED, None)
        assert len(armed.last_error or "") == 2000
        trail = audit_trail(session, "invoice", invoice_id)
    assert [(e.action, e.new_value[:18]) for e in trail if e.action.startswith("export")] == [
        ("export_failed", "erp · isdoc: xxxxx")
    ]


def test_a_retry_starts_a_failed_delivery_over_and_refuses_others(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = approved_invoice(database, "acme")
    now = utcnow()
    with database.tenant_session("acme") as session:
        record = invoice(session, invoice_id)
        failed, done = arm_deliveries(
            session, record, [("erp", "isdoc"), ("hook", "json")], now=now
        )
        failed.attempts = 5
        record_failed_try(session, failed, error="HTTP 500", retry_at=None, actor="export")
        record_delivered(session, done, target="https://erp/hook", now=now, actor="export")
        later = now + timedelta(hours=2)
        retry_delivery(session, failed, now=later, actor="eva")
        assert (failed.state, failed.attempts, failed.next_attempt_at) == (S.PENDING, 0, later)
        with pytest.raises(DeliveryNotRetryable) as refused:
            retry_delivery(session, done, now=later, actor="eva")
        assert refused.value.reason == "delivered"
        with pytest.raises(DeliveryNotRetryable) as waiting:
            retry_delivery(session, failed, now=later, actor="eva")
        assert waiting.value.reason == "pending"
        assert not all_delivered([failed, done]) and all_delivered([done])
        retried = [e.actor for e in audit_trail(session, "invoice", invoice_id)]
    assert "eva" in retried


def test_another_tenants_deliveries_are_not_found_nor_listed(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = approved_invoice(database, "acme")
    with database.tenant_session("acme") as session:
        (armed,) = arm_deliveries(
            session, invoice(session, invoice_id), [("erp", "isdoc")], now=utcnow()
        )
        record_failed_try(session, armed, error="boom", retry_at=None, actor="export")
        delivery_id = armed.id
    with database.tenant_session("globex") as session:
        with pytest.raises(DeliveryNotFound):
            get_delivery(session, delivery_id)
        assert list_deliveries(session) == []
        assert deliveries_of(session, invoice_id) == []
    with database.tenant_session("acme") as session:
        (row,) = list_deliveries(session, states=(S.FAILED,))
        assert (row.delivery.id, row.invoice_number, row.supplier_name) == (
            delivery_id,
            "2024001",
            "Stavebniny Žilina s.r.o.",
        )
        assert list_deliveries(session, states=(S.DELIVERED,)) == []


def test_the_list_shows_the_invoice_number_as_the_reviewer_corrected_it(
    database: Database, tenants: tuple[str, str]
) -> None:
    invoice_id = approved_invoice(database, "acme")
    with database.tenant_session("acme") as session:
        record = invoice(session, invoice_id)
        record.edits = {"number": "2024001-A"}
        arm_deliveries(session, record, [("erp", "isdoc")], now=utcnow())
        (row,) = list_deliveries(session)
    assert row.invoice_number == "2024001-A"
