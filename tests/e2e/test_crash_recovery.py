"""A server killed with SIGKILL while uploads are in flight loses nothing it acknowledged.

Eight clients post fifty different invoices; the server is killed once some of them are
acknowledged, with others in flight and most not yet processed. What the database holds
at that moment is recorded, then the server starts again on the same data folder and is
left to empty its queue. Every acknowledged document must then be there with its file,
processed (or failed with a code) exactly once: one job, one invoice, one extraction, and
only a job the crash interrupted run a second time. An upload without acknowledgement
may be there or not, but never half: no document row without its file.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import httpx
from sqlalchemy import select

from nex_automat.store.db import Database, open_database
from nex_automat.store.files import DocumentFiles
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import (
    AuditEntry,
    Document,
    DocumentState,
    InvoiceRecord,
    Job,
    JobState,
)
from tests.e2e.installation import Installation, ServerProcess, running_server, wait_until
from tests.invoicegen import FAMILIES, generate

UPLOADS = 50
CLIENTS = 8
KILL_AFTER_ACKNOWLEDGED = 25
REQUEST_TIMEOUT = 10.0
KILL_TIMEOUT = 30.0
DRAIN_TIMEOUT = 40.0
JOIN_TIMEOUT = 15.0


@cache
def invoice_pdfs() -> tuple[bytes, ...]:
    return tuple(generate(7000 + i, FAMILIES[i % len(FAMILIES)]).pdf for i in range(UPLOADS))


@dataclass
class Uploads:
    """What the clients sent and what the server answered: ``acknowledged[i]`` is the id."""

    url: str
    key: str
    acknowledged: dict[int, str] = field(default_factory=dict)
    refused: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_upload: int = 0

    def _take(self) -> int | None:
        with self.lock:
            if self.next_upload >= UPLOADS:
                return None
            self.next_upload += 1
            return self.next_upload - 1

    def client(self) -> None:
        with httpx.Client(
            base_url=self.url, headers={"X-API-Key": self.key}, timeout=REQUEST_TIMEOUT
        ) as http:
            while (index := self._take()) is not None:
                self._post(http, index)

    def _post(self, http: httpx.Client, index: int) -> None:
        body = {
            "file_b64": base64.b64encode(invoice_pdfs()[index]).decode(),
            "filename": f"faktura-{index}.pdf",
            "message_id": f"<{index}@crash.test>",
        }
        try:
            response = http.post("/invoice", json=body)
        except httpx.TransportError as error:
            with self.lock:
                self.refused[index] = type(error).__name__
            return
        with self.lock:
            if response.status_code in (200, 201):
                self.acknowledged[index] = response.json()["id"]
            else:
                self.refused[index] = f"HTTP {response.status_code}: {response.text[:200]}"

    def count_acknowledged(self) -> int:
        with self.lock:
            return len(self.acknowledged)


def post_and_kill(server: ServerProcess, uploads: Uploads) -> None:
    """Run the clients; SIGKILL the server once enough uploads are acknowledged."""
    clients = [
        threading.Thread(target=uploads.client, name=f"client-{n}", daemon=True)
        for n in range(CLIENTS)
    ]
    for thread in clients:
        thread.start()
    try:
        wait_until(
            lambda: uploads.count_acknowledged() >= KILL_AFTER_ACKNOWLEDGED,
            KILL_TIMEOUT,
            what=f"{KILL_AFTER_ACKNOWLEDGED} acknowledged uploads",
            interval=0.005,
            on_timeout=server.log,
        )
    finally:
        server.kill()
        for thread in clients:
            thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in clients)


@dataclass(frozen=True)
class JobSnapshot:
    state: JobState
    attempts: int


def jobs_by_document(db: Database) -> dict[str, list[JobSnapshot]]:
    with db.session() as session:
        jobs: dict[str, list[JobSnapshot]] = {}
        for job in session.scalars(select(Job).order_by(Job.id)):
            jobs.setdefault(job.document_id, []).append(JobSnapshot(job.state, job.attempts))
        return jobs


def queue_empty(db: Database) -> bool:
    counts = JobQueue(db).counts()
    return counts.get(JobState.QUEUED, 0) + counts.get(JobState.RUNNING, 0) == 0


def test_a_killed_server_keeps_every_acknowledged_document_and_runs_each_job_once(
    installation: Installation, tmp_path: Path
) -> None:
    pdfs = invoice_pdfs()
    sent_sha256 = {hashlib.sha256(pdf).hexdigest(): i for i, pdf in enumerate(pdfs)}
    files = DocumentFiles(installation.data_dir / "documents")
    log = tmp_path / "serve.log"

    with running_server(installation, log) as server:
        uploads = Uploads(server.url, installation.key)
        post_and_kill(server, uploads)

    assert KILL_AFTER_ACKNOWLEDGED <= len(uploads.acknowledged) < UPLOADS
    assert all(not why.startswith("HTTP") for why in uploads.refused.values()), uploads.refused
    db = open_database(installation.effective_database_url())
    try:
        at_crash = jobs_by_document(db)
        unfinished = [j for js in at_crash.values() for j in js if j.state != JobState.DONE]
        assert unfinished, "the crash should leave jobs to recover"

        with running_server(installation, log) as server:
            wait_until(
                lambda: queue_empty(db), DRAIN_TIMEOUT, what="an empty queue", on_timeout=server.log
            )
            assert server.terminate() == 0, server.log()

        after = jobs_by_document(db)
        with db.session() as session:
            documents = {d.id: d for d in session.scalars(select(Document))}
            invoices = Counter(session.scalars(select(InvoiceRecord.document_id)))
            extractions = Counter(
                (entry.entity_id, entry.action)
                for entry in session.scalars(
                    select(AuditEntry).where(AuditEntry.entity == "invoice")
                )
            )
            invoice_of = {
                record.document_id: record.id for record in session.scalars(select(InvoiceRecord))
            }
    finally:
        db.dispose()

    for document in documents.values():
        stored = files.tenant(document.tenant_id)
        assert stored.exists(document.sha256), f"document {document.id} has no file"
        assert document.sha256 in sent_sha256

    for index, document_id in uploads.acknowledged.items():
        document = documents.get(document_id)
        assert document is not None, f"acknowledged upload {index} is gone"
        assert sent_sha256[document.sha256] == index
        assert document.state in (DocumentState.PROCESSED, DocumentState.FAILED)
        if document.state == DocumentState.FAILED:
            assert document.error_code, f"document {document_id} failed without a code"
            assert invoices[document_id] == 0
        else:
            assert invoices[document_id] == 1

    for document_id, document in documents.items():
        jobs = after.get(document_id, [])
        assert len(jobs) == 1, f"document {document_id} has {len(jobs)} jobs"
        assert jobs[0].state == JobState.DONE
        before = at_crash.get(document_id, [JobSnapshot(JobState.QUEUED, 0)])[0]
        interrupted = before.state == JobState.RUNNING
        if before.state == JobState.DONE:
            assert jobs[0].attempts == before.attempts, f"job of {document_id} ran again"
        else:
            assert jobs[0].attempts == before.attempts + 1
        if document.state == DocumentState.PROCESSED:
            invoice_id = invoice_of[document_id]
            assert extractions[(invoice_id, "extracted")] == 1
            assert extractions[(invoice_id, "reextracted")] <= int(interrupted)
