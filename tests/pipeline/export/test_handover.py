"""The hand-over job: approval queues it, the runner delivers, the invoice ends exported."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from nex_automat.formats.isdoc import read_isdoc, validate_isdoc
from nex_automat.ops.export_settings import FolderExportSettings
from nex_automat.pipeline.export.handover import HANDOVER_JOB, HandoverWorker
from nex_automat.pipeline.process import DocumentProcessor
from nex_automat.pipeline.runner import run_pending
from nex_automat.store.audit import audit_trail
from nex_automat.store.db import Database
from nex_automat.store.exports import deliveries_of
from nex_automat.store.invoices import edit_field, get_invoice, set_status
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import DeliveryState, InvoiceStatus, Job, JobState
from tests.catalog.catalogue import seed_catalogue
from tests.pipeline.conftest import OTHER_TENANT, TENANT
from tests.pipeline.export.approved import Clock, approve, matched_invoice

STEM = "FV2024_0815-36123456"


def folder_export(path: Path, **options: object) -> FolderExportSettings:
    values: dict[str, object] = {"name": "erp", "tenant": TENANT, "formats": ["isdoc", "csv"]}
    return FolderExportSettings.model_validate(
        {**values, **options, "kind": "folder", "path": path}
    )


@pytest.fixture
def erp(tmp_path: Path) -> Path:
    folder = tmp_path / "erp-import"
    folder.mkdir()
    return folder


@pytest.fixture
def invoice_id(database: Database, tenant: str) -> str:
    """An invoice matched to the catalogue and approved: its hand-over is queued."""
    with database.tenant_session(tenant) as session:
        record = matched_invoice(session, seed_catalogue(session))
        approve(session, record)
        return record.id


def run_jobs(queue: JobQueue, processor: DocumentProcessor, worker: HandoverWorker) -> int:
    return run_pending(queue, processor, handlers={HANDOVER_JOB: worker.run_job})


def status_of(database: Database, invoice_id: str) -> InvoiceStatus:
    with database.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        return record.status


def test_approval_queues_the_handover_and_the_runner_delivers_it(
    database: Database, queue: JobQueue, processor: DocumentProcessor, invoice_id: str, erp: Path
) -> None:
    with database.tenant_session(TENANT) as session:
        jobs = list(session.scalars(select(Job).where(Job.kind == HANDOVER_JOB)))
    assert [(job.state, job.tenant_id) for job in jobs] == [(JobState.QUEUED, TENANT)]
    assert run_jobs(queue, processor, HandoverWorker(database, [folder_export(erp)])) == 1
    assert sorted(p.name for p in erp.iterdir()) == sorted(
        [
            f"{STEM}-receipt.isdoc",
            f"{STEM}-receipt.csv",
            f"{STEM}-new-products.csv",
            f"{STEM}-price-changes.csv",
        ]
    )
    with database.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        assert (record.status, record.exported_at is not None) == (InvoiceStatus.EXPORTED, True)
        deliveries = deliveries_of(session, invoice_id)
        trail = [
            (e.action, e.actor, e.new_value) for e in audit_trail(session, "invoice", invoice_id)
        ]
    assert [(d.format, d.state, d.attempts) for d in deliveries] == [
        ("csv", DeliveryState.DELIVERED, 1),
        ("isdoc", DeliveryState.DELIVERED, 1),
    ]
    assert deliveries[1].target == f"{STEM}-receipt.isdoc"
    assert ("export_delivered", "export", f"erp · isdoc: {STEM}-receipt.isdoc") in trail
    assert trail[-1] == ("status", "export", "exported")


def test_the_receipt_dropped_validates_as_isdoc_and_names_our_products(
    *,
    database: Database,
    queue: JobQueue,
    processor: DocumentProcessor,
    invoice_id: str,
    erp: Path,
    shared_dir: Path,
) -> None:
    run_jobs(queue, processor, HandoverWorker(database, [folder_export(erp)]))
    data = (erp / f"{STEM}-receipt.isdoc").read_bytes()
    xsd = shared_dir / "standards" / "isdoc" / "isdoc-invoice-6.0.2.xsd"
    assert validate_isdoc(data, xsd) == []
    assert [(ln.description, ln.seller_code) for ln in read_isdoc(data).lines] == [
        ("CEMENT PC 25 KG", "ZA-100"),
        ("CEMENT PC 50 KG", "ZA-200"),
        ("Vápno hasené 25 kg", "ZA-300"),
        ("Škárovacia hmota biela 2 kg", "ZA-400"),
    ]
    assert data.count(b"<BuyersItemIdentification>") == 4
    for code in (b"10001", b"10002", b"10003", b"20003"):
        assert b"<ID>" + code + b"</ID>" in data


def test_an_invoice_of_a_tenant_without_connectors_stays_approved(
    database: Database, queue: JobQueue, processor: DocumentProcessor, invoice_id: str, erp: Path
) -> None:
    others = folder_export(erp).model_copy(update={"tenant": OTHER_TENANT})
    assert run_jobs(queue, processor, HandoverWorker(database, [others])) == 1
    assert list(erp.iterdir()) == []
    assert status_of(database, invoice_id) is InvoiceStatus.APPROVED
    with database.tenant_session(TENANT) as session:
        assert deliveries_of(session, invoice_id) == []


def test_an_invoice_reopened_before_its_handover_ran_is_not_handed_over(
    database: Database, queue: JobQueue, processor: DocumentProcessor, invoice_id: str, erp: Path
) -> None:
    with database.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        set_status(session, record, InvoiceStatus.NEEDS_REVIEW, actor="eva")
    run_jobs(queue, processor, HandoverWorker(database, [folder_export(erp)]))
    assert list(erp.iterdir()) == []
    assert status_of(database, invoice_id) is InvoiceStatus.NEEDS_REVIEW


def test_approving_again_after_a_correction_hands_the_corrected_documents_over(
    database: Database, queue: JobQueue, processor: DocumentProcessor, invoice_id: str, erp: Path
) -> None:
    worker = HandoverWorker(database, [folder_export(erp)])
    run_jobs(queue, processor, worker)
    first = (erp / f"{STEM}-receipt.isdoc").read_bytes()
    with database.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        set_status(session, record, InvoiceStatus.NEEDS_REVIEW, actor="eva")
        edit_field(session, record, "order_reference", "OBJ-78", actor="eva")
        approve(session, record)
    run_jobs(queue, processor, worker)
    corrected = (erp / f"{STEM}-receipt-2.isdoc").read_bytes()
    assert b"OBJ-78" in corrected and b"OBJ-78" not in first
    assert (erp / f"{STEM}-receipt.isdoc").read_bytes() == first
    assert status_of(database, invoice_id) is InvoiceStatus.EXPORTED
    with database.tenant_session(TENANT) as session:
        isdoc = next(d for d in deliveries_of(session, invoice_id) if d.format == "isdoc")
    assert (isdoc.state, isdoc.attempts, isdoc.target) == (
        DeliveryState.DELIVERED,
        1,
        f"{STEM}-receipt-2.isdoc",
    )


def test_a_failing_drop_is_tried_again_after_a_doubling_wait_then_fails(
    database: Database,
    queue: JobQueue,
    processor: DocumentProcessor,
    invoice_id: str,
    tmp_path: Path,
) -> None:
    missing = tmp_path / "not-mounted"
    clock = Clock()
    settings = folder_export(missing, formats=["isdoc"], attempts=3, backoff_seconds=10)
    worker = HandoverWorker(database, [settings], clock=clock)
    start = clock.now
    assert run_jobs(queue, processor, worker) == 1
    assert _delivery(database, invoice_id) == (
        DeliveryState.PENDING,
        1,
        start + timedelta(seconds=10),
    )
    assert _queued_handovers(database) == [start + timedelta(seconds=10)]
    document_id = _document_of(database, invoice_id)
    clock.advance(9)
    worker.hand_over(TENANT, document_id)
    assert _delivery(database, invoice_id)[1] == 1
    clock.advance(1)
    worker.hand_over(TENANT, document_id)
    assert _delivery(database, invoice_id) == (
        DeliveryState.PENDING,
        2,
        clock.now + timedelta(seconds=20),
    )
    clock.advance(20)
    worker.hand_over(TENANT, document_id)
    assert _delivery(database, invoice_id) == (DeliveryState.FAILED, 3, None)
    assert status_of(database, invoice_id) is InvoiceStatus.APPROVED
    with database.tenant_session(TENANT) as session:
        delivery = deliveries_of(session, invoice_id)[0]
        assert delivery.last_error == f"the export folder {missing} does not exist"
        trail = [e.action for e in audit_trail(session, "invoice", invoice_id)]
    assert trail.count("export_failed") == 1


def test_a_receipt_the_format_cannot_express_fails_at_once(
    database: Database, queue: JobQueue, processor: DocumentProcessor, invoice_id: str, erp: Path
) -> None:
    with database.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        record.edits = {**record.edits, "issue_date": None}
    worker = HandoverWorker(database, [folder_export(erp, attempts=5)])
    run_jobs(queue, processor, worker)
    with database.tenant_session(TENANT) as session:
        isdoc = next(d for d in deliveries_of(session, invoice_id) if d.format == "isdoc")
    assert (isdoc.state, isdoc.attempts) == (DeliveryState.FAILED, 1)
    assert isdoc.last_error == "ISDOC needs the issue date, and the invoice has none"
    assert status_of(database, invoice_id) is InvoiceStatus.APPROVED


def _document_of(database: Database, invoice_id: str) -> str:
    with database.tenant_session(TENANT) as session:
        record = get_invoice(session, invoice_id)
        assert record is not None
        return record.document_id


def _delivery(database: Database, invoice_id: str) -> tuple[object, ...]:
    with database.tenant_session(TENANT) as session:
        (delivery,) = deliveries_of(session, invoice_id)
        return (delivery.state, delivery.attempts, delivery.next_attempt_at)


def _queued_handovers(database: Database) -> list[object]:
    """When the queued hand-over jobs are due."""
    with database.tenant_session(TENANT) as session:
        jobs = session.scalars(
            select(Job)
            .where(Job.kind == HANDOVER_JOB, Job.state == JobState.QUEUED)
            .order_by(Job.run_after)
        )
        return [job.run_after for job in jobs]
