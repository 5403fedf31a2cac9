"""Running jobs: every document processed exactly once, whatever breaks on the way."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import update

from nex_automat.pipeline.intake import Intake
from nex_automat.pipeline.process import DocumentProcessor
from nex_automat.pipeline.runner import InProcessRunner, JobRunner, RetryPolicy, run_pending
from nex_automat.store.db import Database
from nex_automat.store.files import DocumentFiles, sha256_hex
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import DocumentState, InvoiceStatus, Job, JobState, Tenant
from nex_automat.store.sqltypes import utcnow
from tests.extract.scans import degrade_pdf_page

from .documents import (
    GARBAGE_PDF,
    arrival,
    documents,
    extractions,
    invoice_pdf,
    invoices,
    jobs,
    locked_pdf,
)

NO_DELAY = RetryPolicy(max_attempts=3, first_delay=timedelta(0))


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def all_jobs_finished(queue: JobQueue) -> Callable[[], bool]:
    def finished() -> bool:
        counts = queue.counts()
        return not counts.get(JobState.QUEUED) and not counts.get(JobState.RUNNING)

    return finished


def make_runner(
    database: Database,
    files: DocumentFiles,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    workers: int = 2,
    poll_seconds: float = 0.05,
    lease: timedelta = timedelta(seconds=30),
    handlers: dict[str, Callable[[Job], None]] | None = None,
) -> InProcessRunner:
    return InProcessRunner(
        database,
        files,
        queue,
        processor,
        workers=workers,
        poll_seconds=poll_seconds,
        lease=lease,
        handlers=handlers,
    )


def ended_service_thread() -> str:
    """The holder name of a service thread of this machine whose process has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"serve:{socket.gethostname()}:{child.pid}:0"


def test_run_pending_processes_every_queued_document(
    database: Database, intake: Intake, queue: JobQueue, processor: DocumentProcessor, tenant: str
) -> None:
    for seed in range(3):
        intake.receive(tenant, invoice_pdf(seed), arrival())

    assert run_pending(queue, processor) == 3

    assert {d.state for d in documents(database)} == {DocumentState.PROCESSED}
    assert [(j.state, j.attempts) for j in jobs(database)] == [(JobState.DONE, 1)] * 3
    assert run_pending(queue, processor) == 0


def test_a_failing_document_never_blocks_the_queue(
    database: Database, intake: Intake, queue: JobQueue, processor: DocumentProcessor, tenant: str
) -> None:
    bad = intake.receive(tenant, GARBAGE_PDF, arrival(), priority=5).document_id
    locked = intake.receive(tenant, locked_pdf(), arrival(), priority=5).document_id
    good = intake.receive(tenant, invoice_pdf(1), arrival()).document_id

    assert run_pending(queue, processor) == 3

    states = {d.id: (d.state, d.error_code) for d in documents(database)}
    assert states == {
        bad: (DocumentState.FAILED, "unreadable"),
        locked: (DocumentState.FAILED, "encrypted_pdf"),
        good: (DocumentState.PROCESSED, None),
    }
    assert [j.state for j in jobs(database)] == [JobState.DONE] * 3, "no retry of a bad document"


def test_an_unexpected_error_is_retried_later_with_backoff(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    pdf = invoice_pdf(2)
    document_id = intake.receive(tenant, pdf, arrival()).document_id
    files.tenant(tenant).path(sha256_hex(pdf)).unlink()
    policy = RetryPolicy(max_attempts=5, first_delay=timedelta(minutes=10))

    before = utcnow()
    assert run_pending(queue, processor, policy=policy) == 1

    [job] = jobs(database)
    assert (job.state, job.attempts) == (JobState.QUEUED, 1)
    assert job.last_error is not None and job.last_error.startswith("internal_error")
    assert job.run_after >= before + timedelta(minutes=10)
    [document] = documents(database)
    assert (document.state, document.error_code) == (DocumentState.RECEIVED, "internal_error")
    assert run_pending(queue, processor, policy=policy) == 0, "not before its time"

    files.tenant(tenant).put(pdf)
    with database.session() as session:
        session.execute(update(Job).values(run_after=utcnow()))
    assert run_pending(queue, processor, policy=policy) == 1

    [job] = jobs(database)
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    [document] = documents(database)
    assert (document.state, document.error_code) == (DocumentState.PROCESSED, None)
    assert [i.document_id for i in invoices(database)] == [document_id]


def test_retries_stop_after_the_last_attempt_and_the_document_fails(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    pdf = invoice_pdf(3)
    intake.receive(tenant, pdf, arrival())
    files.tenant(tenant).path(sha256_hex(pdf)).unlink()

    assert run_pending(queue, processor, policy=NO_DELAY) == 3

    [job] = jobs(database)
    assert (job.state, job.attempts) == (JobState.FAILED, 3)
    [document] = documents(database)
    assert (document.state, document.error_code) == (DocumentState.FAILED, "internal_error")


def test_the_delay_doubles_up_to_its_limit() -> None:
    policy = RetryPolicy(first_delay=timedelta(seconds=30), max_delay=timedelta(minutes=5))
    assert [policy.delay(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 300]


def test_a_job_that_keeps_killing_its_worker_is_given_up(
    database: Database, intake: Intake, queue: JobQueue, processor: DocumentProcessor, tenant: str
) -> None:
    intake.receive(tenant, invoice_pdf(4), arrival())
    for _ in range(NO_DELAY.max_attempts):
        assert queue.claim("doomed") is not None
        queue.requeue_stale(timedelta(0))

    assert run_pending(queue, processor, policy=NO_DELAY) == 1

    [job] = jobs(database)
    assert job.state is JobState.FAILED
    [document] = documents(database)
    assert (document.state, document.error_code) == (DocumentState.FAILED, "internal_error")
    assert invoices(database) == []


def test_a_job_left_running_by_a_dead_worker_is_completed_exactly_once(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    intake.receive(tenant, invoice_pdf(5), arrival())
    assert queue.claim(ended_service_thread()) is not None

    runner = make_runner(database, files, queue, processor, poll_seconds=0.05)
    runner.start()
    try:
        wait_until(all_jobs_finished(queue))
    finally:
        runner.stop()

    [job] = jobs(database)
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    assert len(invoices(database)) == 1
    assert extractions(database) == ["extracted"]


def test_a_job_interrupted_after_saving_runs_again_and_keeps_its_invoice(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    document_id = intake.receive(tenant, invoice_pdf(6), arrival()).document_id
    assert queue.claim(ended_service_thread()) is not None
    processor.process(document_id)
    [saved] = invoices(database)

    runner = make_runner(database, files, queue, processor, poll_seconds=0.05)
    runner.start()
    try:
        wait_until(all_jobs_finished(queue))
    finally:
        runner.stop()

    [job] = jobs(database)
    assert job.state is JobState.DONE
    assert [(i.id, i.status) for i in invoices(database)] == [(saved.id, InvoiceStatus.NEW)]


def test_three_workers_process_thirty_documents_exactly_once(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    for seed in range(30):
        intake.receive(tenant, invoice_pdf(100 + seed), arrival())

    runner = make_runner(database, files, queue, processor, workers=3, poll_seconds=0.05)
    runner.start()
    try:
        wait_until(all_jobs_finished(queue), timeout=120)
    finally:
        runner.stop()

    assert [(j.state, j.attempts) for j in jobs(database)] == [(JobState.DONE, 1)] * 30
    assert {j.locked_by for j in jobs(database)} == {None}
    assert {d.state for d in documents(database)} == {DocumentState.PROCESSED}
    assert len({i.document_id for i in invoices(database)}) == 30
    assert extractions(database) == ["extracted"] * 30


def test_a_new_document_wakes_an_idle_runner_at_once(
    database: Database,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    runner = make_runner(database, files, queue, processor, poll_seconds=300)
    intake = Intake(database, files, queue, max_bytes=10**7, on_queued=runner.wake)
    runner.start()
    try:
        time.sleep(0.2)
        intake.receive(tenant, invoice_pdf(7), arrival())
        wait_until(all_jobs_finished(queue), timeout=20)
    finally:
        runner.stop()
    assert [d.state for d in documents(database)] == [DocumentState.PROCESSED]


def test_stop_lets_the_workers_finish_and_end(
    database: Database, queue: JobQueue, processor: DocumentProcessor, files: DocumentFiles
) -> None:
    runner: JobRunner = make_runner(database, files, queue, processor, workers=2, poll_seconds=0.05)
    runner.start()
    assert isinstance(runner, InProcessRunner) and runner.running
    runner.stop(timeout=5)
    assert not runner.running


def test_copies_of_one_invoice_processed_side_by_side_leave_one_original(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    pdf = invoice_pdf(8)
    for copy in range(6):
        intake.receive(tenant, pdf + b"\n%" + str(copy).encode() + b"\n", arrival())

    runner = make_runner(database, files, queue, processor, workers=3, poll_seconds=0.05)
    runner.start()
    try:
        wait_until(all_jobs_finished(queue))
    finally:
        runner.stop()

    statuses = sorted(str(i.status) for i in invoices(database))
    assert statuses == ["duplicate"] * 5 + ["new"]
    [original] = [i for i in invoices(database) if i.status is InvoiceStatus.NEW]
    assert {i.duplicate_of for i in invoices(database) if i.id != original.id} == {original.id}


def test_a_job_not_finished_when_the_runner_stops_is_queued_again_at_once(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    scan = degrade_pdf_page(invoice_pdf(4), 0, seed=3)
    intake.receive(tenant, scan, arrival())
    runner = make_runner(database, files, queue, processor, workers=1)
    runner.start()
    try:
        wait_until(lambda: jobs(database)[0].state == JobState.RUNNING, timeout=20)
    finally:
        runner.stop(timeout=0)

    [job] = jobs(database)
    assert (job.state, job.locked_by, job.attempts) == (JobState.QUEUED, None, 1)
    wait_until(lambda: not runner.running, timeout=120)
    [job] = jobs(database)
    assert job.state == JobState.DONE, "the worker still finished what it had in hand"
    assert len(invoices(database)) == 1
    assert run_pending(queue, processor) == 0


def test_a_job_of_a_service_lost_on_another_machine_is_taken_back_when_its_lease_ends(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    intake.receive(tenant, invoice_pdf(7), arrival())
    assert queue.claim("serve:another-machine:4242:0") is not None

    runner = make_runner(database, files, queue, processor, lease=timedelta(seconds=0.4))
    runner.start()
    try:
        wait_until(all_jobs_finished(queue), timeout=30)
    finally:
        runner.stop()

    [job] = jobs(database)
    assert (job.state, job.attempts) == (JobState.DONE, 2)
    assert len(invoices(database)) == 1


def test_two_services_sharing_a_database_run_a_job_longer_than_its_lease_once(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    document_id = intake.receive(tenant, invoice_pdf(8), arrival()).document_id
    run_pending(queue, processor)
    runs: list[int] = []

    def slow_handler(job: Job) -> None:
        runs.append(job.id)
        time.sleep(4.0)

    queue.enqueue(tenant_id=tenant, document_id=document_id, kind="slow")
    lease = timedelta(seconds=1.5)
    services = [
        make_runner(database, files, queue, processor, lease=lease, handlers={"slow": slow_handler})
        for _ in range(2)
    ]
    for runner in services:
        runner.start()
    try:
        wait_until(all_jobs_finished(queue), timeout=30)
    finally:
        for runner in services:
            runner.stop()

    assert len(runs) == 1
    slow = [job for job in jobs(database) if job.kind == "slow"]
    assert [(job.state, job.attempts) for job in slow] == [(JobState.DONE, 1)]


def test_a_disabled_tenants_documents_wait_and_are_processed_once_it_is_enabled(
    database: Database,
    intake: Intake,
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    files: DocumentFiles,
    tenant: str,
) -> None:
    intake.receive(tenant, invoice_pdf(9), arrival())
    with database.session() as session:
        session.execute(update(Tenant).where(Tenant.id == tenant).values(disabled=True))

    assert run_pending(queue, processor) == 0
    assert (queue.held(), {d.state for d in documents(database)}) == (
        1,
        {DocumentState.RECEIVED},
    )

    with database.session() as session:
        session.execute(update(Tenant).where(Tenant.id == tenant).values(disabled=False))
    assert run_pending(queue, processor) == 1
    assert {d.state for d in documents(database)} == {DocumentState.PROCESSED}
