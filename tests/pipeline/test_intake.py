"""Receiving: refuse before storing, then keep the bytes, the row and the job together."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from nex_automat.errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    UnsupportedMediaType,
)
from nex_automat.pipeline.intake import (
    BULK_PRIORITY,
    INTERACTIVE_PRIORITY,
    Intake,
    job_priority,
)
from nex_automat.pipeline.process import PROCESS_JOB, DocumentProcessor
from nex_automat.store.db import Database
from nex_automat.store.files import DocumentFiles, sha256_hex
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import Document, DocumentSource, DocumentState, Job, JobState
from nex_automat.store.tenants import InvalidTenantId

from .conftest import MAX_BYTES, OTHER_TENANT
from .documents import arrival, count, documents, invoice_pdf, invoices, jobs


def stored_files(files: DocumentFiles) -> list[Path]:
    return [path for path in files.root.rglob("*") if path.is_file()] if files.root.exists() else []


def test_receive_stores_the_file_the_row_and_one_job(
    database: Database, intake: Intake, files: DocumentFiles, tenant: str
) -> None:
    pdf = invoice_pdf(1)
    receipt = intake.receive(tenant, pdf, arrival(message_id="<a@dodavatel.sk>"))

    assert (receipt.state, receipt.duplicate, receipt.duplicate_of, receipt.invoice_id) == (
        "received",
        False,
        None,
        None,
    )
    assert files.tenant(tenant).get(sha256_hex(pdf)) == pdf
    [document] = documents(database)
    assert (document.id, document.tenant_id, document.sha256, document.size) == (
        receipt.document_id,
        tenant,
        sha256_hex(pdf),
        len(pdf),
    )
    assert (document.media_type, document.sender, document.message_id) == (
        "application/pdf",
        "faktury@dodavatel.sk",
        "<a@dodavatel.sk>",
    )
    [job] = jobs(database)
    assert (job.document_id, job.kind, job.state, job.tenant_id) == (
        document.id,
        PROCESS_JOB,
        JobState.QUEUED,
        tenant,
    )


def test_uploads_are_processed_before_mail_folders_and_the_command_line(
    database: Database, intake: Intake, tenant: str
) -> None:
    sources = [DocumentSource.MAILBOX, DocumentSource.UPLOAD, DocumentSource.FOLDER]
    for seed, source in enumerate(sources, start=20):
        intake.receive(tenant, invoice_pdf(seed), replace(arrival(), source=source))
    intake.receive(tenant, invoice_pdf(30), arrival(), priority=7)
    assert [job.priority for job in jobs(database)] == [
        BULK_PRIORITY,
        INTERACTIVE_PRIORITY,
        BULK_PRIORITY,
        7,
    ]
    assert INTERACTIVE_PRIORITY > BULK_PRIORITY
    assert job_priority(DocumentSource.CLI) == BULK_PRIORITY


def test_receive_tells_the_runner_a_job_is_waiting(
    database: Database, files: DocumentFiles, tenant: str
) -> None:

    woken: list[str] = []
    intake = Intake(
        database,
        files,
        JobQueue(database),
        max_bytes=MAX_BYTES,
        on_queued=lambda: woken.append("x"),
    )
    intake.receive(tenant, invoice_pdf(1), arrival())
    assert woken == ["x"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyDocument),
        (b" \r\n\t ", EmptyDocument),
        (b"%PDF-1.7" + b"0" * MAX_BYTES, DocumentTooLarge),
        (b"GIF89a" + b"\x00" * 100, UnsupportedMediaType),
        (b"MZ\x90\x00 an executable", UnsupportedMediaType),
    ],
)
def test_bad_input_is_refused_before_anything_is_stored(
    database: Database,
    intake: Intake,
    files: DocumentFiles,
    tenant: str,
    *,
    data: bytes,
    error: type[DocumentError],
) -> None:
    with pytest.raises(error) as refused:
        intake.receive(tenant, data, arrival())
    assert refused.value.code == error.code
    assert stored_files(files) == []
    assert count(database, Document) == 0
    assert count(database, Job) == 0


def test_unsupported_media_type_has_its_own_code(intake: Intake, tenant: str) -> None:
    with pytest.raises(UnsupportedMediaType) as refused:
        intake.receive(tenant, b"GIF89a....", arrival())
    assert refused.value.code == "unsupported_media_type"


@pytest.mark.parametrize(
    "data",
    [b"<?xml version='1.0'?><Invoice/>", b"PK\x03\x04 an isdocx"],
    ids=["xml", "zip"],
)
def test_e_invoices_are_accepted_by_their_bytes(
    database: Database, intake: Intake, tenant: str, data: bytes
) -> None:
    receipt = intake.receive(tenant, data, arrival())
    [document] = documents(database)
    assert document.id == receipt.document_id
    assert document.media_type in {"application/xml", "application/zip"}


def test_a_failure_while_recording_leaves_neither_row_nor_job(
    database: Database, intake: Intake, files: DocumentFiles, tenant: str
) -> None:
    pdf = invoice_pdf(1)
    with pytest.raises(Exception):  # noqa: B017 - the database's own overflow error
        intake.receive(tenant, pdf, arrival(), priority=2**64)

    assert count(database, Document) == 0
    assert count(database, Job) == 0
    assert files.tenant(tenant).exists(sha256_hex(pdf)), "the bytes were kept first, as designed"

    retry = intake.receive(tenant, pdf, arrival())
    assert retry.duplicate is False
    assert [job.document_id for job in jobs(database)] == [retry.document_id]


def test_identical_bytes_are_a_new_document_marked_duplicate_without_a_job(
    database: Database, intake: Intake, tenant: str
) -> None:
    pdf = invoice_pdf(1)
    first = intake.receive(tenant, pdf, arrival(message_id="<1@x>"))
    second = intake.receive(tenant, pdf, arrival(sender="uctaren@dodavatel.sk", message_id="<2@x>"))

    assert (second.duplicate, second.duplicate_of, second.state) == (
        True,
        first.document_id,
        "duplicate",
    )
    assert second.document_id != first.document_id
    original, copy = documents(database)
    assert (copy.state, copy.duplicate_of, copy.sender, copy.message_id) == (
        DocumentState.DUPLICATE,
        original.id,
        "uctaren@dodavatel.sk",
        "<2@x>",
    )
    assert [job.document_id for job in jobs(database)] == [first.document_id]


def test_a_duplicate_receipt_names_the_original_invoice_once_processed(
    database: Database, intake: Intake, processor: DocumentProcessor, tenant: str
) -> None:
    pdf = invoice_pdf(2)
    first = intake.receive(tenant, pdf, arrival())
    processor.process(first.document_id)
    [invoice] = invoices(database)

    second = intake.receive(tenant, pdf, arrival())
    assert (second.duplicate, second.duplicate_of, second.invoice_id) == (
        True,
        first.document_id,
        invoice.id,
    )


def test_identical_bytes_of_another_tenant_are_not_a_duplicate(
    database: Database, intake: Intake, files: DocumentFiles, tenant: str
) -> None:
    pdf = invoice_pdf(1)
    first = intake.receive(tenant, pdf, arrival())
    other = intake.receive(OTHER_TENANT, pdf, arrival())
    assert other.duplicate is False
    assert other.duplicate_of is None and other.document_id != first.document_id
    assert len(jobs(database)) == 2
    mine, theirs = files.tenant(tenant), files.tenant(OTHER_TENANT)
    assert mine.path(sha256_hex(pdf)) != theirs.path(sha256_hex(pdf))
    assert sorted(stored_files(files)) == sorted(
        [mine.path(sha256_hex(pdf)), theirs.path(sha256_hex(pdf))]
    )


@pytest.mark.parametrize("tenant_id", ["../globex", "acme/../globex", ""])
def test_a_tenant_id_that_is_not_a_slug_is_refused_before_anything_is_stored(
    database: Database, intake: Intake, files: DocumentFiles, tenant: str, tenant_id: str
) -> None:
    with pytest.raises(InvalidTenantId) as refused:
        intake.receive(tenant_id, invoice_pdf(1), arrival())
    assert refused.value.code == "invalid_tenant_id"
    assert stored_files(files) == []
    assert count(database, Document) == 0
