"""Export deliveries: which connector has handed which approved invoice to the ERP.

One row per invoice, connector and format. A row is *armed* for an approval of the
invoice: created pending, or put back to pending when the invoice was approved again
after a reopen. A try is *claimed* with one conditional UPDATE that moves
``next_attempt_at`` forward by a lease, so two workers never send the same delivery at
once and a try cut short by a crash is taken up again once its lease lapses. A failed
try is either scheduled again (pending, with the next time) or final (failed), and a
person can retry a failed one. Every function needs a tenant session.

The audit log (entity ``invoice``) records each delivery, each final failure and each
retry, with the connector and format.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from nex_automat.errors import NexError
from nex_automat.store.audit import record_audit
from nex_automat.store.invoices import field_value
from nex_automat.store.models import DeliveryState, ExportDelivery, InvoiceRecord
from nex_automat.store.tenancy import require_tenant

D = DeliveryState
DeliveryKey = tuple[str, str]
"""(connector name, format)."""
MAX_ERROR_LENGTH = 2000


class DeliveryNotFound(NexError):
    code = "delivery_not_found"


class DeliveryNotRetryable(NexError):
    """``reason`` says why for the UI: ``delivered``, ``pending``, ``not_approved`` or
    ``no_connector``."""

    code = "delivery_not_retryable"

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _audit(session: Session, delivery: ExportDelivery, action: str, actor: str, text: str) -> None:
    record_audit(
        session,
        entity="invoice",
        entity_id=delivery.invoice_id,
        action=action,
        actor=actor,
        new_value=f"{delivery.connector} · {delivery.format}" + (f": {text}" if text else ""),
    )


def deliveries_of(session: Session, invoice_id: str) -> list[ExportDelivery]:
    """The invoice's deliveries, by connector and format."""
    query = (
        select(ExportDelivery)
        .where(ExportDelivery.invoice_id == invoice_id)
        .order_by(ExportDelivery.connector, ExportDelivery.format)
    )
    return list(session.scalars(query))


def get_delivery(session: Session, delivery_id: int) -> ExportDelivery:
    delivery = session.scalar(select(ExportDelivery).where(ExportDelivery.id == delivery_id))
    if delivery is None:
        raise DeliveryNotFound(f"no delivery {delivery_id}")
    return delivery


def arm_deliveries(
    session: Session, record: InvoiceRecord, wanted: Iterable[DeliveryKey], *, now: datetime
) -> list[ExportDelivery]:
    """A pending delivery for each wanted (connector, format) of the invoice's approval.

    A delivery of an earlier approval starts over; one of this approval stays as it is,
    so running the hand-over again never sends twice.
    """
    tenant_id = require_tenant(session)
    existing = {(d.connector, d.format): d for d in deliveries_of(session, record.id)}
    armed = []
    for connector, export_format in wanted:
        delivery = existing.get((connector, export_format))
        if delivery is None:
            delivery = ExportDelivery(
                tenant_id=tenant_id,
                invoice_id=record.id,
                connector=connector,
                format=export_format,
            )
            session.add(delivery)
        elif delivery.approved_at == record.approved_at:
            armed.append(delivery)
            continue
        delivery.state = D.PENDING
        delivery.attempts = 0
        delivery.last_error = None
        delivery.next_attempt_at = now
        delivery.delivered_at = None
        delivery.target = None
        delivery.approved_at = record.approved_at
        armed.append(delivery)
    session.flush()
    return armed


def due(deliveries: Iterable[ExportDelivery], now: datetime) -> list[ExportDelivery]:
    """Those pending whose next try has come."""
    return [
        d
        for d in deliveries
        if d.state is D.PENDING and d.next_attempt_at is not None and d.next_attempt_at <= now
    ]


def claim_delivery(
    session: Session, delivery_id: int, *, now: datetime, lease_until: datetime
) -> int | None:
    """Take one try of a due delivery; returns the try's number, ``None`` if it is not due
    (delivered, failed, or being tried by another worker)."""
    statement = (
        update(ExportDelivery)
        .where(
            ExportDelivery.id == delivery_id,
            ExportDelivery.state == D.PENDING,
            ExportDelivery.next_attempt_at <= now,
        )
        .values(attempts=ExportDelivery.attempts + 1, next_attempt_at=lease_until, updated_at=now)
        .returning(ExportDelivery.attempts)
        .execution_options(synchronize_session=False)
    )
    return session.scalar(statement)


def record_delivered(
    session: Session, delivery: ExportDelivery, *, target: str, now: datetime, actor: str
) -> None:
    delivery.state = D.DELIVERED
    delivery.delivered_at = now
    delivery.next_attempt_at = None
    delivery.last_error = None
    delivery.target = target
    _audit(session, delivery, "export_delivered", actor, target)
    session.flush()


def record_failed_try(
    session: Session,
    delivery: ExportDelivery,
    *,
    error: str,
    retry_at: datetime | None,
    actor: str,
) -> None:
    """A try failed: tried again at ``retry_at``, or, without one, failed for good."""
    delivery.last_error = error[:MAX_ERROR_LENGTH]
    delivery.next_attempt_at = retry_at
    if retry_at is None:
        delivery.state = D.FAILED
        _audit(session, delivery, "export_failed", actor, delivery.last_error)
    session.flush()


def ensure_retryable(delivery: ExportDelivery) -> None:
    """Only a failed delivery is retried by hand. A pending one is retried on its own; a
    try of it may be under way this moment, so moving its time would risk sending twice."""
    if delivery.state is D.DELIVERED:
        raise DeliveryNotRetryable(
            "the delivery has succeeded; approve the invoice again to resend", "delivered"
        )
    if delivery.state is D.PENDING:
        raise DeliveryNotRetryable(
            "the delivery is pending and is tried again on its own", "pending"
        )


def retry_delivery(
    session: Session, delivery: ExportDelivery, *, now: datetime, actor: str
) -> None:
    """A person asks for another try of a failed delivery: its tries start over, now."""
    ensure_retryable(delivery)
    delivery.state = D.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    _audit(session, delivery, "export_retry", actor, "")
    session.flush()


def all_delivered(deliveries: Sequence[ExportDelivery]) -> bool:
    return bool(deliveries) and all(d.state is D.DELIVERED for d in deliveries)


def next_attempt(deliveries: Iterable[ExportDelivery]) -> datetime | None:
    """When the earliest pending delivery is tried next."""
    times = [
        d.next_attempt_at
        for d in deliveries
        if d.state is D.PENDING and d.next_attempt_at is not None
    ]
    return min(times, default=None)


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """A delivery with what a list shows of its invoice."""

    delivery: ExportDelivery
    invoice_number: str | None
    supplier_name: str | None


def list_deliveries(
    session: Session, *, states: Sequence[DeliveryState] = (), limit: int = 200
) -> list[DeliveryRow]:
    """The tenant's deliveries in ``states`` (all when empty), most recently changed first."""
    query = (
        select(ExportDelivery, InvoiceRecord)
        .join(InvoiceRecord, InvoiceRecord.id == ExportDelivery.invoice_id)
        .order_by(ExportDelivery.updated_at.desc(), ExportDelivery.id.desc())
        .limit(limit)
    )
    if states:
        query = query.where(ExportDelivery.state.in_(states))
    return [
        DeliveryRow(delivery, field_value(record, "number"), field_value(record, "supplier.name"))
        for delivery, record in session.execute(query)
    ]
