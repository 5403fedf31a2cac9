"""The job queue: atomic claims, priorities, retries and recovery after a crash."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import update

from nex_automat.store.db import Database, open_database
from nex_automat.store.jobs import JobQueue
from nex_automat.store.models import Job, JobState
from nex_automat.store.sqltypes import utcnow

from .factories import add_pdf


def _document(database: Database, tenant: str = "acme") -> str:
    with database.tenant_session(tenant) as session:
        return add_pdf(session).id


def test_claim_takes_a_queued_job_and_marks_it_running(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    job = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    claimed = queue.claim("worker-1")
    assert claimed is not None
    assert (claimed.id, claimed.state, claimed.locked_by, claimed.attempts) == (
        job.id,
        JobState.RUNNING,
        "worker-1",
        1,
    )
    assert claimed.tenant_id == "acme"
    assert queue.claim("worker-2") is None


def test_higher_priority_first_then_oldest(database: Database, tenants: tuple[str, str]) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    low = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    high = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process", priority=5)
    low_later = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    order = [queue.claim("w") for _ in range(3)]
    assert [j.id for j in order if j] == [high.id, low.id, low_later.id]


def test_a_job_is_not_claimed_before_run_after(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    queue.enqueue(
        tenant_id="acme",
        document_id=_document(database),
        kind="process",
        run_after=utcnow() + timedelta(hours=1),
    )
    assert queue.claim("w") is None


def test_complete_and_fail(database: Database, tenants: tuple[str, str]) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    first = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    second = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    queue.claim("w")
    queue.claim("w")
    queue.complete(first.id)
    queue.fail(second.id, "unreadable PDF")
    done, failed = queue.get(first.id), queue.get(second.id)
    assert done is not None and done.state is JobState.DONE and done.locked_by is None
    assert failed is not None and failed.state is JobState.FAILED
    assert failed.last_error == "unreadable PDF"
    assert queue.counts() == {JobState.DONE: 1, JobState.FAILED: 1}


def test_fail_with_retry_queues_the_job_again_for_later(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    job = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    queue.claim("w")
    queue.fail(job.id, "database busy", retry_at=utcnow() + timedelta(seconds=30))
    assert queue.claim("w") is None
    retried = queue.get(job.id)
    assert retried is not None and retried.state is JobState.QUEUED
    with database.session() as session:
        session.execute(update(Job).values(run_after=utcnow() - timedelta(seconds=1)))
    again = queue.claim("w")
    assert again is not None and again.id == job.id and again.attempts == 2


def test_claim_job_takes_that_job_only_while_it_is_queued_and_due(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    job = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    later = queue.enqueue(
        tenant_id="acme",
        document_id=document_id,
        kind="process",
        run_after=utcnow() + timedelta(hours=1),
    )
    claimed = queue.claim_job(job.id, "worker-1")
    assert claimed is not None
    assert (claimed.id, claimed.state, claimed.locked_by, claimed.attempts) == (
        job.id,
        JobState.RUNNING,
        "worker-1",
        1,
    )
    assert queue.claim_job(job.id, "worker-2") is None
    assert queue.claim_job(later.id, "worker-2") is None
    queue.complete(job.id)
    assert queue.claim_job(job.id, "worker-2") is None


def test_due_lists_queued_due_jobs_most_urgent_first(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    bulk = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    upload = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process", priority=10)
    queue.enqueue(
        tenant_id="acme",
        document_id=document_id,
        kind="process",
        run_after=utcnow() + timedelta(hours=1),
    )
    running = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    assert queue.claim_job(running.id, "w") is not None
    due = queue.due(10)
    assert [(row.id, row.document_id, row.priority) for row in due] == [
        (upload.id, document_id, 10),
        (bulk.id, document_id, 0),
    ]
    assert [row.id for row in queue.due(1)] == [upload.id]


def test_running_since_lists_the_jobs_running_longer_than_given(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    old = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    new = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    queue.claim_job(old.id, "w")
    queue.claim_job(new.id, "w")
    with database.session() as session:
        session.execute(
            update(Job).where(Job.id == old.id).values(locked_at=utcnow() - timedelta(minutes=30))
        )
    assert queue.running_since(timedelta(minutes=10)) == [old.id]
    assert sorted(queue.running_since(timedelta(0))) == sorted([old.id, new.id])


def test_requeue_puts_back_a_running_job_and_nothing_else(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    running = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    done = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    queue.claim_job(running.id, "lost-worker")
    queue.claim_job(done.id, "w")
    queue.complete(done.id)
    assert queue.requeue(running.id) is True
    assert queue.requeue(done.id) is False
    requeued = queue.get(running.id)
    assert requeued is not None
    assert (requeued.state, requeued.locked_by) == (JobState.QUEUED, None)
    finished = queue.get(done.id)
    assert finished is not None and finished.state is JobState.DONE


def test_requeue_stale_puts_back_only_jobs_running_too_long(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    stale = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    fresh = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    queue.claim("dead-worker")
    queue.claim("live-worker")
    with database.session() as session:
        session.execute(
            update(Job).where(Job.id == stale.id).values(locked_at=utcnow() - timedelta(minutes=30))
        )
    assert queue.requeue_stale(timedelta(minutes=10)) == 1
    requeued, running = queue.get(stale.id), queue.get(fresh.id)
    assert requeued is not None and requeued.state is JobState.QUEUED
    assert requeued.locked_by is None
    assert running is not None and running.state is JobState.RUNNING
    reclaimed = queue.claim("new-worker")
    assert reclaimed is not None and reclaimed.id == stale.id


def test_concurrent_workers_never_claim_the_same_job(
    database: Database, tenants: tuple[str, str]
) -> None:
    document_id = _document(database)
    setup = JobQueue(database)
    jobs = 40
    for _ in range(jobs):
        setup.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    claims: dict[str, list[int]] = {}
    start = threading.Barrier(4)

    def work(worker_id: str) -> None:
        own = open_database(database.engine.url.render_as_string(hide_password=False))
        queue = JobQueue(own)
        taken: list[int] = []
        start.wait()
        while (job := queue.claim(worker_id)) is not None:
            taken.append(job.id)
        claims[worker_id] = taken
        own.dispose()

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every_claim = [job_id for taken in claims.values() for job_id in taken]
    assert len(every_claim) == jobs
    assert len(set(every_claim)) == jobs
    assert setup.counts() == {JobState.RUNNING: jobs}
