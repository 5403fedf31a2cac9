"""Processing one document: its invoice, its ISDOC, its duplicates, and its failures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from nex_automat.formats.isdoc import read_isdoc
from nex_automat.pipeline.intake import Intake
from nex_automat.pipeline.process import ISDOC_SUFFIX, SEARCHABLE_SUFFIX, DocumentProcessor
from nex_automat.store.db import Database
from nex_automat.store.documents import add_document
from nex_automat.store.files import DocumentFiles, StoredFileMissing, sha256_hex
from nex_automat.store.invoices import get_invoice, invoice_to_domain
from nex_automat.store.models import DocumentState, InvoiceLine, InvoiceStatus
from tests.extract.scans import degrade_pdf_page
from tests.invoicegen import generate

from .conftest import OTHER_TENANT
from .documents import (
    GARBAGE_PDF,
    arrival,
    count,
    documents,
    extractions,
    invoice_pdf,
    invoices,
    locked_pdf,
    resent,
    undated_invoice_pdf,
)


def received(intake: Intake, tenant: str, data: bytes) -> str:
    return intake.receive(tenant, data, arrival()).document_id


def test_an_invoice_pdf_becomes_an_invoice_and_the_document_is_processed(
    database: Database, intake: Intake, processor: DocumentProcessor, tenant: str
) -> None:
    generated = generate(4, "pohoda_sk")
    document_id = received(intake, tenant, generated.pdf)

    assert processor.process(document_id) is DocumentState.PROCESSED

    [document] = documents(database)
    assert (document.state, document.error_code, document.duplicate_of) == (
        DocumentState.PROCESSED,
        None,
        None,
    )
    [record] = invoices(database)
    assert (record.document_id, record.tenant_id, record.status) == (
        document_id,
        tenant,
        InvoiceStatus.NEW,
    )
    with database.tenant_session(tenant) as session:
        stored = get_invoice(session, record.id)
        assert stored is not None
        invoice = invoice_to_domain(stored)
    assert invoice.number == generated.invoice.number
    assert invoice.supplier.ico == generated.invoice.supplier.ico
    assert invoice.total_gross == generated.invoice.total_gross
    assert len(invoice.lines) == len(generated.invoice.lines)


def test_isdoc_is_written_beside_the_document(
    database: Database,
    intake: Intake,
    processor: DocumentProcessor,
    files: DocumentFiles,
    tenant: str,
) -> None:
    generated = generate(5, "money_cz")
    processor.process(received(intake, tenant, generated.pdf))

    isdoc = files.tenant(tenant).get_derived(sha256_hex(generated.pdf), ISDOC_SUFFIX)
    etree.fromstring(isdoc)
    written = read_isdoc(isdoc)
    assert written.number == generated.invoice.number
    assert written.total_gross == generated.invoice.total_gross


def test_a_scan_keeps_its_searchable_pdf_beside_the_document_and_marks_ocr_values(
    database: Database,
    intake: Intake,
    processor: DocumentProcessor,
    files: DocumentFiles,
    tenant: str,
) -> None:
    scan = degrade_pdf_page(generate(2, "pohoda_sk", n_lines=3).pdf, 0, seed=2)
    assert processor.process(received(intake, tenant, scan)) is DocumentState.PROCESSED

    searchable = files.tenant(tenant).get_derived(sha256_hex(scan), SEARCHABLE_SUFFIX)
    assert searchable.startswith(b"%PDF")
    [record] = invoices(database)
    assert record.method == "ocr"
    assert record.provenance["number"]["ocr"] is True


def test_a_text_pdf_has_no_searchable_copy_and_no_ocr_marks(
    database: Database,
    intake: Intake,
    processor: DocumentProcessor,
    files: DocumentFiles,
    tenant: str,
) -> None:
    generated = generate(5, "money_cz")
    processor.process(received(intake, tenant, generated.pdf))

    with pytest.raises(StoredFileMissing):
        files.tenant(tenant).get_derived(sha256_hex(generated.pdf), SEARCHABLE_SUFFIX)
    [record] = invoices(database)
    assert not any("ocr" in box for box in record.provenance.values())


def test_an_invoice_isdoc_cannot_hold_is_kept_for_review_without_isdoc(
    database: Database,
    intake: Intake,
    processor: DocumentProcessor,
    files: DocumentFiles,
    tenant: str,
) -> None:
    pdf = undated_invoice_pdf()
    assert processor.process(received(intake, tenant, pdf)) is DocumentState.PROCESSED

    [record] = invoices(database)
    assert record.status is InvoiceStatus.NEEDS_REVIEW
    assert "isdoc_not_written" in [warning["code"] for warning in record.warnings]
    with pytest.raises(StoredFileMissing):
        files.tenant(tenant).get_derived(sha256_hex(pdf), ISDOC_SUFFIX)


@pytest.mark.parametrize(
    ("data", "code"),
    [(locked_pdf(), "encrypted_pdf"), (GARBAGE_PDF, "unreadable")],
    ids=["encrypted", "garbage"],
)
def test_an_unreadable_document_ends_failed_with_its_code_and_no_invoice(
    database: Database,
    intake: Intake,
    processor: DocumentProcessor,
    tenant: str,
    *,
    data: bytes,
    code: str,
) -> None:
    document_id = received(intake, tenant, data)

    assert processor.process(document_id) is DocumentState.FAILED

    [document] = documents(database)
    assert (document.state, document.error_code) == (DocumentState.FAILED, code)
    assert document.error_message
    assert invoices(database) == []


def snapshot(database: Database, tenant: str) -> tuple[object, ...]:
    """Everything processing writes, without the timestamps of when it wrote it."""
    with database.tenant_session(tenant) as session:
        states = [(d.id, d.state, d.error_code, d.duplicate_of) for d in documents(database)]
        records = [get_invoice(session, r.id) for r in invoices(database)]
        saved = [
            (r.id, r.document_id, r.status, r.duplicate_of, r.warnings, invoice_to_domain(r))
            for r in records
            if r is not None
        ]
    return (states, saved)


def test_processing_twice_gives_the_same_rows_and_keeps_the_invoice_id(
    database: Database, intake: Intake, processor: DocumentProcessor, tenant: str
) -> None:
    document_id = received(intake, tenant, invoice_pdf(6))
    processor.process(document_id)
    before = snapshot(database, tenant)
    lines = count(database, InvoiceLine)

    assert processor.process(document_id) is DocumentState.PROCESSED

    assert snapshot(database, tenant) == before
    assert count(database, InvoiceLine) == lines
    assert extractions(database) == ["extracted", "reextracted"]


def test_the_same_invoice_as_a_different_pdf_is_one_invoice_and_a_duplicate(
    database: Database, intake: Intake, processor: DocumentProcessor, tenant: str
) -> None:
    pdf = invoice_pdf(7)
    first = received(intake, tenant, pdf)
    second = received(intake, tenant, resent(pdf))
    assert processor.process(first) is DocumentState.PROCESSED
    assert processor.process(second) is DocumentState.DUPLICATE

    original, copy = invoices(database)
    assert (original.document_id, original.status, original.duplicate_of) == (
        first,
        InvoiceStatus.NEW,
        None,
    )
    assert (copy.document_id, copy.status, copy.duplicate_of) == (
        second,
        InvoiceStatus.DUPLICATE,
        original.id,
    )
    first_document, second_document = documents(database)
    assert (first_document.state, first_document.duplicate_of) == (DocumentState.PROCESSED, None)
    assert (second_document.state, second_document.duplicate_of) == (
        DocumentState.DUPLICATE,
        first,
    )

    assert processor.process(first) is DocumentState.PROCESSED
    assert processor.process(second) is DocumentState.DUPLICATE
    assert [(r.id, r.status) for r in invoices(database)] == [
        (original.id, InvoiceStatus.NEW),
        (copy.id, InvoiceStatus.DUPLICATE),
    ]


def test_the_same_pdf_twice_is_one_invoice_and_two_documents(
    database: Database, intake: Intake, processor: DocumentProcessor, tenant: str
) -> None:
    pdf = invoice_pdf(8)
    first = intake.receive(tenant, pdf, arrival(message_id="<1@x>"))
    processor.process(first.document_id)
    second = intake.receive(tenant, pdf, arrival(message_id="<2@x>"))

    [invoice] = invoices(database)
    assert invoice.document_id == first.document_id
    assert [(d.id, d.state, d.duplicate_of) for d in documents(database)] == [
        (first.document_id, DocumentState.PROCESSED, None),
        (second.document_id, DocumentState.DUPLICATE, first.document_id),
    ]


def test_identical_bytes_that_slipped_past_intake_are_recognised_when_processed(
    database: Database, intake: Intake, processor: DocumentProcessor, tenant: str
) -> None:
    pdf = invoice_pdf(9)
    first = received(intake, tenant, pdf)
    with database.tenant_session(tenant) as session:
        twin = add_document(
            session,
            sha256=sha256_hex(pdf),
            media_type="application/pdf",
            size=len(pdf),
            arrival=arrival(),
        ).id

    assert processor.process(twin) is DocumentState.DUPLICATE
    assert processor.process(first) is DocumentState.PROCESSED
    [invoice] = invoices(database)
    assert invoice.document_id == first
    assert [(d.id, d.duplicate_of) for d in documents(database)] == [(first, None), (twin, first)]


def test_the_same_invoice_at_another_tenant_is_not_a_duplicate(
    database: Database, intake: Intake, processor: DocumentProcessor, tenant: str
) -> None:
    pdf = invoice_pdf(10)
    processor.process(received(intake, tenant, pdf))
    assert processor.process(received(intake, OTHER_TENANT, resent(pdf))) is (
        DocumentState.PROCESSED
    )
    assert {r.status for r in invoices(database)} == {InvoiceStatus.NEW}


def test_the_same_bytes_at_two_tenants_are_read_from_each_tenants_own_file(
    database: Database,
    intake: Intake,
    processor: DocumentProcessor,
    files: DocumentFiles,
    tenant: str,
) -> None:
    generated = generate(13, "money_cz")
    mine = received(intake, tenant, generated.pdf)
    theirs = received(intake, OTHER_TENANT, generated.pdf)

    assert processor.process(mine) is DocumentState.PROCESSED
    assert processor.process(theirs) is DocumentState.PROCESSED
    assert [d.duplicate_of for d in documents(database)] == [None, None]
    assert {r.status for r in invoices(database)} == {InvoiceStatus.NEW}
    sha256 = sha256_hex(generated.pdf)
    for tenant_id in (tenant, OTHER_TENANT):
        assert files.tenant(tenant_id).get(sha256) == generated.pdf
        assert files.tenant(tenant_id).get_derived(sha256, ISDOC_SUFFIX).startswith(b"<?xml")


def test_a_missing_stored_file_is_not_a_document_failure(
    database: Database,
    intake: Intake,
    processor: DocumentProcessor,
    files: DocumentFiles,
    tenant: str,
) -> None:
    pdf = invoice_pdf(11)
    document_id = received(intake, tenant, pdf)
    files.tenant(tenant).path(sha256_hex(pdf)).unlink()

    with pytest.raises(StoredFileMissing):
        processor.process(document_id)
    [document] = documents(database)
    assert document.state is DocumentState.PROCESSING
    assert invoices(database) == []


def test_amounts_survive_processing_exactly(
    database: Database, intake: Intake, processor: DocumentProcessor, tenant: str
) -> None:
    generated = generate(12, "abra_cz")
    processor.process(received(intake, tenant, generated.pdf))
    [record] = invoices(database)
    assert isinstance(record.total_gross, Decimal)
    assert record.total_gross == generated.invoice.total_gross
