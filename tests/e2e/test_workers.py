"""Three workers share a PostgreSQL queue of 300 documents; one is killed with SIGKILL.

The documents (small ISDOC invoices, each with its own number) are queued first; then
three ``nex-automat worker`` processes start on the same database and document folder.
Once one of them holds a job, it is killed. The other two must take over its interrupted
jobs after its heartbeat goes silent, and in the end every document is processed exactly
once: one job, run once (the interrupted ones twice), one invoice, one extraction.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from nex_automat.formats.isdoc import write_isdoc
from nex_automat.store.db import Database, open_database
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import (
    AuditEntry,
    Document,
    DocumentState,
    InvoiceRecord,
    Job,
    JobState,
)
from tests.e2e.installation import (
    Installation,
    database_url_for,
    initialise,
    queue_documents,
    running_workers,
    wait_until,
)
from tests.invoicegen import FAMILIES, generate

DOCUMENTS = 300
WORKERS = 3
STALLED_SECONDS = "6"
HOLD_TIMEOUT = 60.0
DRAIN_TIMEOUT = 90.0


@pytest.fixture
def postgres_installation(tmp_path: Path) -> Iterator[Installation]:
    with database_url_for("postgresql") as url:
        yield initialise(tmp_path / "data", url)


def isdoc_invoices() -> list[bytes]:
    """``DOCUMENTS`` different ISDOC files: a few generated invoices, numbered apart."""
    bases = [generate(9100 + i, FAMILIES[i % len(FAMILIES)]).invoice for i in range(5)]
    return [
        write_isdoc(dataclasses.replace(bases[i % len(bases)], number=f"W{i:05d}"))
        for i in range(DOCUMENTS)
    ]


def running_jobs_of(db: Database, worker_name: str) -> list[int]:
    with db.session() as session:
        statement = select(Job.id).where(
            Job.state == JobState.RUNNING, Job.locked_by == worker_name
        )
        return list(session.scalars(statement))


def all_done(db: Database) -> bool:
    counts = JobQueue(db).counts()
    return counts.get(JobState.DONE, 0) + counts.get(JobState.FAILED, 0) == DOCUMENTS


def test_a_worker_killed_mid_job_leaves_every_document_processed_exactly_once(
    postgres_installation: Installation, tmp_path: Path
) -> None:
    installation = postgres_installation
    db = open_database(installation.effective_database_url())
    try:
        queue_documents(installation, isdoc_invoices(), suffix=".isdoc")
        with running_workers(
            installation,
            tmp_path,
            WORKERS,
            concurrency=2,
            extra_env={"NEX_WORKER_STALLED_SECONDS": STALLED_SECONDS},
        ) as workers:
            victim, survivors = workers[0], workers[1:]
            wait_until(
                lambda: bool(running_jobs_of(db, victim.name)),
                HOLD_TIMEOUT,
                what="the first worker to hold a job",
                interval=0.01,
                on_timeout=victim.log,
            )
            victim.kill()
            interrupted = set(running_jobs_of(db, victim.name))
            wait_until(
                lambda: all_done(db),
                DRAIN_TIMEOUT,
                what="every job to end",
                interval=0.2,
                on_timeout=lambda: "\n".join(worker.log() for worker in survivors),
            )
            assert all(worker.alive() for worker in survivors)
            for worker in survivors:
                assert worker.terminate() == 0, worker.log()

        with db.session() as session:
            jobs = list(session.scalars(select(Job)))
            documents = list(session.scalars(select(Document)))
            invoices = Counter(session.scalars(select(InvoiceRecord.document_id)))
            invoice_ids = list(session.scalars(select(InvoiceRecord.id)))
            extractions = Counter(
                (entry.entity_id, entry.action)
                for entry in session.scalars(
                    select(AuditEntry).where(AuditEntry.entity == "invoice")
                )
            )
    finally:
        db.dispose()

    assert interrupted, "the killed worker should have held a job"
    assert len(documents) == DOCUMENTS
    assert {document.state for document in documents} == {DocumentState.PROCESSED}
    assert Counter(job.document_id for job in jobs) == Counter(
        {document.id: 1 for document in documents}
    )
    for job in jobs:
        assert job.state == JobState.DONE
        assert job.attempts == (2 if job.id in interrupted else 1), job
    assert invoices == Counter({document.id: 1 for document in documents})
    reextracted = sum(extractions[(invoice_id, "reextracted")] for invoice_id in invoice_ids)
    assert all(extractions[(invoice_id, "extracted")] == 1 for invoice_id in invoice_ids)
    assert reextracted <= len(interrupted)
