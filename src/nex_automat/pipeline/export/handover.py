"""The hand-over job: an approved invoice delivered by every connector of its tenant.

Approving an invoice queues a ``handover`` job for its document
(:func:`queue_handover`, in the approval's own transaction). The job, run by the same
runner as processing:

1. reads the invoice; unless it is still approved there is nothing to do (it was
   reopened meanwhile, and its next approval queues a new job);
2. arms a delivery per connector and format for this approval (``store.exports``) and
   builds the hand-over (``catalog.handover``);
3. tries every delivery that is due — each try claimed first, so two workers never send
   the same one; a failed try is scheduled again after the connector's doubling backoff,
   and after its last attempt the delivery is ``failed`` and waits for a person's retry;
4. marks the invoice ``exported`` once every delivery of the approval has succeeded, or
   queues itself again for the earliest delivery still pending.

A retry asked for in the UI, the API or the command line (:meth:`HandoverWorker.retry`)
makes a failed delivery pending again and queues the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.catalog.handover import Handover
from nex_automat.catalog.handover_files import render
from nex_automat.catalog.handover_source import load_handover
from nex_automat.errors import IncompleteInvoice
from nex_automat.ops.export_settings import (
    ExportSettings,
    FolderExportSettings,
    WebhookExportSettings,
)
from nex_automat.pipeline.export.folder import FolderDrop
from nex_automat.pipeline.export.parcel import Connector, DeliveryError, Parcel
from nex_automat.pipeline.export.webhook import Webhook
from nex_automat.store.db import Database
from nex_automat.store.exports import (
    DeliveryNotRetryable,
    all_delivered,
    arm_deliveries,
    claim_delivery,
    due,
    ensure_retryable,
    get_delivery,
    next_attempt,
    record_delivered,
    record_failed_try,
    retry_delivery,
)
from nex_automat.store.invoices import get_invoice, get_invoice_for_document, set_status
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import ExportDelivery, InvoiceRecord, InvoiceStatus, Job, JobState
from nex_automat.store.sqltypes import utcnow

log = logging.getLogger(__name__)

HANDOVER_JOB = "handover"
"""The job kind whose work is :meth:`HandoverWorker.hand_over`."""
ACTOR = "export"
FOLDER_LEASE = timedelta(minutes=5)
LEASE_MARGIN = timedelta(minutes=1)
"""How long a claimed try may take before another worker may take it up, past its timeout."""


def queue_handover(
    session: Session, record: InvoiceRecord, run_after: datetime | None = None
) -> None:
    """Queue the hand-over of ``record`` in the caller's transaction, unless one is queued
    already for that time or earlier."""
    due_at = run_after or utcnow()
    waiting = session.scalar(
        select(Job.id)
        .where(
            Job.document_id == record.document_id,
            Job.kind == HANDOVER_JOB,
            Job.state == JobState.QUEUED,
            Job.run_after <= due_at,
        )
        .limit(1)
    )
    if waiting is None:
        JobQueue.add(
            session,
            tenant_id=record.tenant_id,
            document_id=record.document_id,
            kind=HANDOVER_JOB,
            run_after=due_at,
        )


def connector_for(settings: ExportSettings) -> Connector:
    if isinstance(settings, FolderExportSettings):
        return FolderDrop(settings)
    return Webhook(settings)


def _lease(settings: ExportSettings) -> timedelta:
    if isinstance(settings, WebhookExportSettings):
        return timedelta(seconds=settings.timeout_seconds) + LEASE_MARGIN
    return FOLDER_LEASE


def _delivery_key(delivery: ExportDelivery) -> str:
    approved = delivery.approved_at.isoformat() if delivery.approved_at else "-"
    return f"{delivery.invoice_id}/{delivery.connector}/{delivery.format}/{approved}"


class HandoverWorker:
    """Delivers approved invoices by the configured connectors (see the module docstring)."""

    def __init__(
        self,
        db: Database,
        exports: Sequence[ExportSettings],
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.exports = list(exports)
        self.clock = clock

    def connectors(self, tenant_id: str) -> list[ExportSettings]:
        return [connector for connector in self.exports if connector.tenant == tenant_id]

    def run_job(self, job: Job) -> None:
        """The job runner's entry point for ``handover`` jobs."""
        self.hand_over(job.tenant_id, job.document_id)

    def hand_over(self, tenant_id: str, document_id: str) -> None:
        """Try every due delivery of the invoice of ``document_id``; see the module docstring."""
        connectors = {c.name: c for c in self.connectors(tenant_id)}
        if not connectors:
            return
        wanted = [(c.name, f) for c in connectors.values() for f in c.formats]
        with self.db.tenant_session(tenant_id) as session:
            record = get_invoice_for_document(session, document_id)
            if record is None or record.status is not InvoiceStatus.APPROVED:
                return
            armed = arm_deliveries(session, record, wanted, now=self.clock())
            tries = [(d.id, connectors[d.connector], d.format) for d in due(armed, self.clock())]
            handover = load_handover(session, record) if tries else None
        for delivery_id, connector, export_format in tries:
            assert handover is not None
            self._try(tenant_id, delivery_id, connector, export_format, handover)
        self._settle(tenant_id, document_id, wanted)

    def _try(
        self,
        tenant_id: str,
        delivery_id: int,
        connector: ExportSettings,
        export_format: str,
        handover: Handover,
    ) -> None:
        now = self.clock()
        with self.db.tenant_session(tenant_id) as session:
            attempt = claim_delivery(
                session, delivery_id, now=now, lease_until=now + _lease(connector)
            )
            key = _delivery_key(get_delivery(session, delivery_id))
        if attempt is None:
            return
        error, final = None, False
        target = ""
        try:
            language = connector.language if isinstance(connector, FolderExportSettings) else "sk"
            files = render(handover, export_format, language)
            target = connector_for(connector).deliver(Parcel(handover, files, key))
        except IncompleteInvoice as problem:
            error, final = problem.message, True
        except DeliveryError as problem:
            error = problem.message
        except Exception as problem:  # a bug must fail this try, not the whole hand-over
            log.exception(
                "export %s (%s) of delivery %s broke", connector.name, export_format, delivery_id
            )
            error = f"{type(problem).__name__}: {problem}"
        finished = self.clock()
        with self.db.tenant_session(tenant_id) as session:
            delivery = get_delivery(session, delivery_id)
            if error is None:
                record_delivered(session, delivery, target=target, now=finished, actor=ACTOR)
                return
            log.warning(
                "export %s (%s) of invoice %s, try %d of %d failed: %s",
                connector.name,
                export_format,
                delivery.invoice_id,
                attempt,
                connector.attempts,
                error,
            )
            last = final or attempt >= connector.attempts
            retry_at = None if last else finished + connector.backoff(attempt)
            record_failed_try(session, delivery, error=error, retry_at=retry_at, actor=ACTOR)

    def _settle(self, tenant_id: str, document_id: str, wanted: list[tuple[str, str]]) -> None:
        """Exported when every delivery succeeded; else the job comes back when one is due."""
        with self.db.tenant_session(tenant_id) as session:
            record = get_invoice_for_document(session, document_id)
            if record is None:
                return
            session.refresh(record, with_for_update=True)  # one job settles it, not two
            if record.status is not InvoiceStatus.APPROVED:
                return
            deliveries = arm_deliveries(session, record, wanted, now=self.clock())
            if all_delivered(deliveries):
                set_status(session, record, InvoiceStatus.EXPORTED, actor=ACTOR)
                return
            again = next_attempt(deliveries)
            if again is not None:
                queue_handover(session, record, run_after=again)

    def retry(self, session: Session, delivery_id: int, *, actor: str) -> ExportDelivery:
        """Another try now, asked for by ``actor``; the caller commits and wakes the workers.

        Only while the invoice is approved and the delivery's connector still configured:
        a reopened invoice is handed over again by its next approval.
        """
        delivery = get_delivery(session, delivery_id)
        ensure_retryable(delivery)
        record = get_invoice(session, delivery.invoice_id)
        if record is None or record.status is not InvoiceStatus.APPROVED:
            raise DeliveryNotRetryable(
                "the invoice is not approved; approve it to hand it over", "not_approved"
            )
        tenant_id = record.tenant_id
        if delivery.connector not in {c.name for c in self.connectors(tenant_id)}:
            raise DeliveryNotRetryable(
                f"no connector {delivery.connector!r} is configured", "no_connector"
            )
        retry_delivery(session, delivery, now=self.clock(), actor=actor)
        queue_handover(session, record)
        return delivery
