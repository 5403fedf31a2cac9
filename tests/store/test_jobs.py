"""The job queue: atomic claims, priorities, the per-document lock, held jobs of disabled
tenants, leases and recovery after a crash."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from nex_automat.store.db import Database, open_database
from nex_automat.store.jobs import JobQueue, holder_gone_here, holder_name
from nex_automat.store.models import Job, JobState
from nex_automat.store.sqltypes import utcnow
from nex_automat.store.tenants import set_tenant_disabled

from .factories import add_pdf

_contents = itertools.count()


def _document(database: Database, tenant: str = "acme") -> str:
    """A new document of ``tenant`` (each with its own bytes)."""
    with database.tenant_session(tenant) as session:
        return add_pdf(session, f"%PDF-1.7 test {next(_contents)}".encode()).id


def _age(database: Database, job_id: int, minutes: float) -> None:
    """Make the lease of running job ``job_id`` ``minutes`` old."""
    with database.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(locked_at=utcnow() - timedelta(minutes=minutes))
        )


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
    low = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    high = queue.enqueue(
        tenant_id="acme", document_id=_document(database), kind="process", priority=5
    )
    low_later = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
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
    first = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    second = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
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
    job = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    later = queue.enqueue(
        tenant_id="acme",
        document_id=_document(database),
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
    bulk_document, upload_document = _document(database), _document(database)
    bulk = queue.enqueue(tenant_id="acme", document_id=bulk_document, kind="process")
    upload = queue.enqueue(
        tenant_id="acme", document_id=upload_document, kind="process", priority=10
    )
    queue.enqueue(
        tenant_id="acme",
        document_id=_document(database),
        kind="process",
        run_after=utcnow() + timedelta(hours=1),
    )
    running = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    assert queue.claim_job(running.id, "w") is not None
    due = queue.due(10)
    assert [(row.id, row.document_id, row.priority) for row in due] == [
        (upload.id, upload_document, 10),
        (bulk.id, bulk_document, 0),
    ]
    assert [row.id for row in queue.due(1)] == [upload.id]


def test_running_since_lists_the_jobs_running_longer_than_given(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    old = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    new = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    queue.claim_job(old.id, "worker:host-a:1")
    queue.claim_job(new.id, "serve:host-a:2:0")
    _age(database, old.id, 30)
    assert queue.running_since(timedelta(minutes=10)) == [old.id]
    assert sorted(queue.running_since(timedelta(0))) == sorted([old.id, new.id])
    assert queue.running_since(timedelta(0), role="worker") == [old.id]


def test_requeue_puts_back_a_running_job_and_nothing_else(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    running = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    done = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
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
    stale = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    fresh = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    queue.claim("dead-worker")
    queue.claim("live-worker")
    _age(database, stale.id, 30)
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
    setup = JobQueue(database)
    jobs = 40
    for _ in range(jobs):
        setup.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
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


def test_two_jobs_of_one_document_never_run_at_once(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    first = queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    second = queue.enqueue(tenant_id="acme", document_id=document_id, kind="handover")
    other = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")

    assert queue.claim("w1") is not None
    claimed = queue.claim("w2")
    assert claimed is not None and claimed.id == other.id
    assert queue.claim("w3") is None
    assert queue.claim_job(second.id, "w3") is None
    assert [row.id for row in queue.due(10)] == []

    queue.complete(first.id)
    assert [row.id for row in queue.due(10)] == [second.id]
    taken = queue.claim("w3")
    assert taken is not None and taken.id == second.id


def test_the_database_refuses_a_second_running_job_of_a_document(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    document_id = _document(database)
    queue.enqueue(tenant_id="acme", document_id=document_id, kind="process")
    queue.enqueue(tenant_id="acme", document_id=document_id, kind="handover")
    with pytest.raises(IntegrityError), database.session() as session:
        session.execute(update(Job).values(state=JobState.RUNNING))


def test_racing_claims_for_two_jobs_of_one_document_give_one_job(
    database: Database, tenants: tuple[str, str]
) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    rounds = 15
    for _ in range(rounds):
        setup = JobQueue(database)
        document_id = _document(database)
        pair = [
            setup.enqueue(tenant_id="acme", document_id=document_id, kind=kind).id
            for kind in ("process", "handover")
        ]
        start = threading.Barrier(2)
        won: list[int] = []

        def race(job_id: int, start: threading.Barrier, won: list[int]) -> None:
            own = open_database(url)
            start.wait()
            if (job := JobQueue(own).claim_job(job_id, f"w{job_id}")) is not None:
                won.append(job.id)
            own.dispose()

        threads = [threading.Thread(target=race, args=(job_id, start, won)) for job_id in pair]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1
        setup.complete(won[0])
        setup.fail(next(job_id for job_id in pair if job_id not in won), "round over")


def test_a_disabled_tenants_jobs_are_held_until_it_is_enabled(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    held = queue.enqueue(
        tenant_id="globex", document_id=_document(database, "globex"), kind="process"
    )
    with database.session() as session:
        set_tenant_disabled(session, "globex", True)

    assert queue.claim("w") is None
    assert queue.claim_job(held.id, "w") is None
    assert queue.due(10) == []
    assert queue.oldest_due() is None
    assert (queue.counts(), queue.held()) == ({}, 1)

    with database.session() as session:
        set_tenant_disabled(session, "globex", False)
    assert (queue.counts(), queue.held()) == ({JobState.QUEUED: 1}, 0)
    claimed = queue.claim("w")
    assert claimed is not None and claimed.id == held.id


def test_renewing_a_lease_keeps_the_job_from_being_taken_back(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    kept = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    lost = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    queue.claim_job(kept.id, "serve:host-a:10:0")
    queue.claim_job(lost.id, "serve:host-b:20:0")
    _age(database, kept.id, 30)
    _age(database, lost.id, 30)

    queue.renew({"serve:host-a:10:0": kept.id, "serve:host-a:10:1": lost.id})

    assert queue.requeue_stale(timedelta(minutes=10)) == 1
    assert [queue.get(kept.id).state, queue.get(lost.id).state] == [  # type: ignore[union-attr]
        JobState.RUNNING,
        JobState.QUEUED,
    ]


def test_an_expired_lease_of_a_worker_is_left_to_the_workers(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    job = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
    queue.claim_job(job.id, "worker:host-a:10")
    _age(database, job.id, 30)
    assert queue.requeue_stale(timedelta(minutes=10)) == 0
    assert queue.requeue_lost_here() == 0


def _ended_process_id() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_jobs_of_ended_processes_of_this_machine_are_taken_back_at_once(
    database: Database, tenants: tuple[str, str]
) -> None:
    host = socket.gethostname()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        holders = {
            "ended": f"serve:{host}:{_ended_process_id()}:0",
            "alive": f"serve:{host}:{alive.pid}:0",
            "elsewhere": f"serve:{host}-other:{_ended_process_id()}:0",
            "ours": holder_name("serve", 0),
        }
        queue = JobQueue(database)
        jobs = {}
        for name, holder in holders.items():
            job = queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process")
            queue.claim_job(job.id, holder)
            jobs[name] = job.id

        assert queue.requeue_lost_here() == 1
        states = {name: queue.get(job_id).state for name, job_id in jobs.items()}  # type: ignore[union-attr]
        assert states == {
            "ended": JobState.QUEUED,
            "alive": JobState.RUNNING,
            "elsewhere": JobState.RUNNING,
            "ours": JobState.RUNNING,
        }
    finally:
        alive.kill()
        alive.wait()


def test_a_holder_name_says_role_machine_and_process() -> None:
    assert holder_name("serve", 3) == f"serve:{socket.gethostname()}:{os.getpid()}:3"
    assert holder_name("worker") == f"worker:{socket.gethostname()}:{os.getpid()}"
    assert not holder_gone_here(holder_name("serve", 0))
    assert not holder_gone_here("cli")
    assert not holder_gone_here(f"serve:{socket.gethostname()}:not-a-pid:0")
    assert holder_gone_here(f"cli:{socket.gethostname()}:{_ended_process_id()}")


def test_release_all_puts_back_every_job_of_the_stopping_holders(
    database: Database, tenants: tuple[str, str]
) -> None:
    queue = JobQueue(database)
    held = {
        holder: queue.enqueue(tenant_id="acme", document_id=_document(database), kind="process").id
        for holder in ("serve:a:1:0", "serve:a:1:1", "serve:b:2:0")
    }
    for holder, job_id in held.items():
        assert queue.claim_job(job_id, holder) is not None

    released = queue.release_all(["serve:a:1:0", "serve:a:1:1"])

    assert sorted(released) == sorted([held["serve:a:1:0"], held["serve:a:1:1"]])
    assert queue.counts() == {JobState.QUEUED: 2, JobState.RUNNING: 1}
    assert queue.release_all([]) == []
