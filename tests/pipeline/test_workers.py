"""Distributed workers: how due jobs are handed to procrastinate and taken back from a lost worker.

These run the worker's pieces in this process against a PostgreSQL database of their own;
tests/e2e/test_workers.py runs whole worker processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text, update

from nex_automat.ops.config import load_settings
from nex_automat.pipeline.intake import BULK_PRIORITY, INTERACTIVE_PRIORITY
from nex_automat.pipeline.services import Services, build_services
from nex_automat.pipeline.workers import (
    TASK_NAME,
    WorkerNode,
    WorkersNeedPostgres,
    install_schema,
    libpq_url,
)
from nex_automat.store.jobs import live_worker_processes
from nex_automat.store.models import DocumentSource, Job, JobState
from nex_automat.store.sqltypes import utcnow
from tests.databases import create_postgres_database, drop_postgres_database

from .documents import arrival, invoice_pdf
from .worker_passes import dispatched, recovered


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    url = create_postgres_database()
    built = build_services(load_settings(tmp_path / "data", database_url=url, workers=1))
    try:
        install_schema(built.db)
        yield built
    finally:
        built.close()
        drop_postgres_database(url)


def carried(services: Services) -> list[dict[str, Any]]:
    statement = text(
        "SELECT (args->>'job_id')::bigint AS job_id, priority, lock, queueing_lock, status "
        "FROM procrastinate_jobs WHERE task_name = :task ORDER BY id"
    )
    with services.db.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(statement, {"task": TASK_NAME})]


def test_the_database_url_is_given_to_procrastinate_without_the_driver() -> None:
    assert (
        libpq_url("postgresql+psycopg://nex:secret@db.local:5433/nex")
        == "postgresql://nex:secret@db.local:5433/nex"
    )


def test_workers_refuse_sqlite(tmp_path: Path) -> None:
    with pytest.raises(WorkersNeedPostgres, match="PostgreSQL"):
        libpq_url(f"sqlite:///{tmp_path / 'nex.db'}")


def test_dispatch_hands_each_due_job_over_once_with_its_priority_and_document_lock(
    services: Services,
) -> None:
    install_schema(services.db)  # a second time: workers start together, once is enough
    upload = services.intake.receive(
        "default", invoice_pdf(1), replace(arrival(), source=DocumentSource.UPLOAD)
    )
    mail = services.intake.receive("default", invoice_pdf(2), arrival())
    node = WorkerNode(services, concurrency=1)

    async def dispatch_twice() -> tuple[int, int]:
        async with node.app.open_async():
            return await node.dispatch(), await node.dispatch()

    assert asyncio.run(dispatch_twice()) == (2, 0)
    jobs = {job.document_id: job.id for job in services.queue.due(10)}
    assert carried(services) == [
        {
            "job_id": jobs[upload.document_id],
            "priority": INTERACTIVE_PRIORITY,
            "lock": f"document:{upload.document_id}",
            "queueing_lock": f"job:{jobs[upload.document_id]}",
            "status": "todo",
        },
        {
            "job_id": jobs[mail.document_id],
            "priority": BULK_PRIORITY,
            "lock": f"document:{mail.document_id}",
            "queueing_lock": f"job:{jobs[mail.document_id]}",
            "status": "todo",
        },
    ]


def test_the_task_runs_a_queued_job_once(services: Services) -> None:
    receipt = services.intake.receive("default", invoice_pdf(3), arrival())
    [due] = services.queue.due(10)
    node = WorkerNode(services, concurrency=1)

    node.run_row(due.id)
    node.run_row(due.id)

    job = services.queue.get(due.id)
    assert job is not None
    assert (job.state, job.attempts) == (JobState.DONE, 1)
    with services.db.tenant_session("default") as session:
        state = session.execute(
            text("SELECT state FROM documents WHERE id = :id"), {"id": receipt.document_id}
        ).scalar_one()
    assert state == "processed"


def test_a_job_of_a_silent_worker_is_queued_again_and_handed_over_anew(
    services: Services,
) -> None:
    services.intake.receive("default", invoice_pdf(4), arrival())
    node = WorkerNode(services, concurrency=1)
    [due] = services.queue.due(10)

    assert dispatched(node) == 1
    assert services.queue.claim_job(due.id, "worker:host-a:4242") is not None
    with services.db.engine.begin() as connection:
        worker_id = connection.execute(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                "VALUES (NOW() - INTERVAL '1 hour') RETURNING id"
            )
        ).scalar_one()
        connection.execute(
            text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :worker"),
            {"worker": worker_id},
        )
    assert dispatched(node) == 0

    assert recovered(node) == 1

    job = services.queue.get(due.id)
    assert job is not None and (job.state, job.locked_by) == (JobState.QUEUED, None)
    assert carried(services) == []
    assert dispatched(node) == 1
    assert [row["job_id"] for row in carried(services)] == [due.id]


def test_a_job_left_running_without_a_procrastinate_job_is_queued_again_once_stale(
    services: Services,
) -> None:
    services.intake.receive("default", invoice_pdf(5), arrival())
    services.intake.receive("default", invoice_pdf(6), arrival())
    stale, fresh = services.queue.due(10)
    node = WorkerNode(services, concurrency=1)
    for row in (stale, fresh):
        assert services.queue.claim_job(row.id, "worker:host-a:4242") is not None
    with services.db.session() as session:
        session.execute(
            update(Job).where(Job.id == stale.id).values(locked_at=utcnow() - timedelta(hours=1))
        )

    assert recovered(node) == 1
    requeued, running = services.queue.get(stale.id), services.queue.get(fresh.id)
    assert requeued is not None and requeued.state is JobState.QUEUED
    assert running is not None and running.state is JobState.RUNNING


def test_workers_leave_a_service_threads_job_alone_while_its_lease_is_kept(
    services: Services,
) -> None:
    services.intake.receive("default", invoice_pdf(7), arrival())
    services.intake.receive("default", invoice_pdf(8), arrival())
    kept, lost = services.queue.due(10)
    node = WorkerNode(services, concurrency=1)
    assert services.queue.claim_job(kept.id, "serve:host-a:10:0") is not None
    assert services.queue.claim_job(lost.id, "serve:host-b:20:0") is not None
    with services.db.session() as session:
        session.execute(
            update(Job).where(Job.id == lost.id).values(locked_at=utcnow() - timedelta(hours=1))
        )

    assert recovered(node) == 1
    assert [services.queue.get(row.id).state for row in (kept, lost)] == [  # type: ignore[union-attr]
        JobState.RUNNING,
        JobState.QUEUED,
    ]


def test_live_worker_processes_are_those_with_a_recent_heartbeat(services: Services) -> None:
    assert live_worker_processes(services.db, timedelta(seconds=30)) == 0
    with services.db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat) VALUES "
                "(NOW()), (NOW() - INTERVAL '5 seconds'), (NOW() - INTERVAL '1 hour')"
            )
        )
    assert live_worker_processes(services.db, timedelta(seconds=30)) == 2
    assert live_worker_processes(services.db, timedelta(seconds=2)) == 1


def test_a_lost_workers_job_claimed_anew_by_a_service_thread_is_left_to_that_thread(
    services: Services,
) -> None:
    services.intake.receive("default", invoice_pdf(9), arrival())
    node = WorkerNode(services, concurrency=1)
    [due] = services.queue.due(10)

    assert dispatched(node) == 1
    with services.db.engine.begin() as connection:
        worker_id = connection.execute(
            text(
                "INSERT INTO procrastinate_workers (last_heartbeat) "
                "VALUES (NOW() - INTERVAL '1 hour') RETURNING id"
            )
        ).scalar_one()
        connection.execute(
            text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :worker"),
            {"worker": worker_id},
        )
    assert services.queue.claim_job(due.id, "serve:host-a:10:0") is not None

    assert recovered(node) == 0

    job = services.queue.get(due.id)
    assert job is not None and (job.state, job.locked_by) == (JobState.RUNNING, "serve:host-a:10:0")
    assert carried(services) == []
