"""Distributed workers: processing jobs run by procrastinate on PostgreSQL.

``nex-automat worker`` can run on as many machines as needed; they share the database and
the document folder. The ``jobs`` table stays the one record of what must be done (intake
writes it in the same transaction as the document, metrics and health read it);
procrastinate only carries each due job to a worker:

* a *dispatcher* in every worker defers one procrastinate job per due ``jobs`` row that
  has none yet, with the row's priority (uploads before bulk imports), a queueing lock per
  row (two dispatchers cannot queue the same row twice) and a lock per document
  (procrastinate never starts two jobs of one document at once);
* the task takes its row with a conditional update (queued → running) and runs it with
  :func:`~nex_automat.pipeline.runner.run_job`: a row already taken or finished is left
  alone, so a row carried twice is still run once. Retries with backoff and permanent
  failures are the runner's: a retry puts the row back with a later ``run_after`` and the
  dispatcher carries it again when it is due;
* a worker that dies (SIGKILL, power loss) stops sending heartbeats; after
  ``worker_stalled_seconds`` any other worker puts its rows back in the queue and closes
  its procrastinate jobs, so the interrupted documents are processed again (processing is
  idempotent). A row left running without any procrastinate job (its worker was stopped
  and did not wait for it to end) is put back the same way.

A ``serve`` running its own worker threads may share the database with workers: its
threads claim rows the same way (one conditional update, the per-document lock) and keep
leases on them (:mod:`nex_automat.pipeline.leases`), which workers watch too; workers only
recover rows their own kind holds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import timedelta

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Status
from procrastinate.schema import SchemaManager
from sqlalchemy import text
from sqlalchemy.engine import make_url

from nex_automat.pipeline.runner import RetryPolicy, run_job
from nex_automat.pipeline.services import Services
from nex_automat.store.db import Database
from nex_automat.store.jobs import WORKER_ROLE, DueJob, holder_name

log = logging.getLogger(__name__)

TASK_NAME = "nex_automat.run_job"
DISPATCH_BATCH = 1000
"""How many due rows one dispatch pass carries at most; the next pass takes the rest."""
_SCHEMA_LOCK = 7_264_021_113
"""The advisory lock that lets one worker at a time install procrastinate's tables."""


class WorkersNeedPostgres(RuntimeError):
    """Workers share one PostgreSQL database; SQLite installations run jobs in ``serve``."""


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as libpq (psycopg) reads it: without the ``+driver`` part."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise WorkersNeedPostgres(
            "workers need a PostgreSQL database (database_url); "
            "on SQLite `nex-automat serve` processes the documents itself"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def install_schema(db: Database) -> None:
    """Create procrastinate's tables unless they exist; safe when workers start together."""
    with db.engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        exists = connection.scalar(text("SELECT to_regclass('procrastinate_jobs')"))
        if exists is None:
            # Straight to psycopg, in this transaction: without parameters it takes the
            # script's ``%`` signs as they are.
            with connection.connection.dbapi_connection.cursor() as cursor:
                cursor.execute(SchemaManager.get_schema())


def carried_job_ids(db: Database) -> set[int]:
    """The ``jobs`` rows a procrastinate job waits for or runs right now."""
    statement = text(
        "SELECT (args->>'job_id')::bigint FROM procrastinate_jobs "
        "WHERE task_name = :task AND status IN ('todo', 'doing')"
    )
    with db.engine.connect() as connection:
        return {row[0] for row in connection.execute(statement, {"task": TASK_NAME})}


class WorkerNode:
    """One ``nex-automat worker`` process: procrastinate's worker, dispatcher and recovery."""

    def __init__(
        self,
        services: Services,
        *,
        concurrency: int,
        poll_seconds: float = 1.0,
        policy: RetryPolicy | None = None,
    ) -> None:
        settings = services.settings
        self.services = services
        self.concurrency = concurrency
        self.poll_seconds = poll_seconds
        self.stalled_seconds = settings.worker_stalled_seconds
        self.policy = policy or RetryPolicy()
        self.name = holder_name(WORKER_ROLE)
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(
                conninfo=libpq_url(settings.effective_database_url())
            )
        )
        self.task = self.app.task(name=TASK_NAME, pass_context=False)(self.run_row)

    def run_row(self, job_id: int) -> None:
        """The task: run the ``jobs`` row ``job_id`` unless it is not queued any more."""
        queue = self.services.queue
        job = queue.claim_job(job_id, self.name)
        if job is None:
            return
        run_job(
            queue,
            self.services.processor,
            job,
            self.policy,
            self.services.runner.handlers,
        )

    def run(self) -> None:
        """Work until SIGTERM or Ctrl+C; the jobs in hand get ``shutdown_seconds`` to end."""
        install_schema(self.services.db)
        asyncio.run(self._run())

    async def _run(self) -> None:
        async with self.app.open_async():
            helpers = asyncio.gather(self._dispatch_forever(), self._recover_forever())
            try:
                await self.app.run_worker_async(
                    name=self.name,
                    concurrency=self.concurrency,
                    delete_jobs="always",
                    shutdown_graceful_timeout=self.services.settings.shutdown_seconds,
                    update_heartbeat_interval=max(self.stalled_seconds / 4, 0.5),
                    stalled_worker_timeout=self.stalled_seconds,
                )
            finally:
                helpers.cancel()
                await asyncio.gather(helpers, return_exceptions=True)

    async def _dispatch_forever(self) -> None:
        while True:
            try:
                await self.dispatch()
            except Exception:
                log.exception("worker %s could not queue due jobs", self.name)
            await asyncio.sleep(self.poll_seconds)

    async def _recover_forever(self) -> None:
        while True:
            await asyncio.sleep(max(self.stalled_seconds / 2, 0.5))
            try:
                await self.recover()
            except Exception:
                log.exception("worker %s could not recover stalled jobs", self.name)

    async def dispatch(self) -> int:
        """Defer a procrastinate job for every due row that has none; returns how many."""
        db = self.services.db
        carried = await asyncio.to_thread(carried_job_ids, db)
        due = await asyncio.to_thread(self.services.queue.due, DISPATCH_BATCH)
        return await self._defer(row for row in due if row.id not in carried)

    async def _defer(self, rows: Iterable[DueJob]) -> int:
        deferred = 0
        for row in rows:
            deferrer = self.task.configure(
                priority=row.priority,
                lock=f"document:{row.document_id}",
                queueing_lock=f"job:{row.id}",
            )
            try:
                await deferrer.defer_async(job_id=row.id)
            except AlreadyEnqueued:
                continue
            deferred += 1
        return deferred

    async def recover(self) -> int:
        """Queue again the rows lost processes held; returns how many.

        A worker's row is lost when its procrastinate job belongs to a worker that stopped
        sending heartbeats, or when it is still running with no procrastinate job at all
        (its worker was stopped and gave up waiting for it before it ended). Any other
        holder's row (a service thread, a command) is lost when its lease ran out.
        """
        lease = timedelta(seconds=self.stalled_seconds)
        leased = await asyncio.to_thread(self.services.queue.requeue_stale, lease)
        return leased + await self._recover_stalled() + await self._recover_orphans()

    async def _recover_orphans(self) -> int:
        queue = self.services.queue
        # Running rows first, then the carried ones: a row that ends in between is no
        # longer running, and requeue() leaves it alone.
        running = await asyncio.to_thread(
            queue.running_since, timedelta(seconds=self.stalled_seconds), role=WORKER_ROLE
        )
        carried = await asyncio.to_thread(carried_job_ids, self.services.db)
        recovered = 0
        for row_id in running:
            if row_id not in carried and await asyncio.to_thread(
                queue.requeue, row_id, role=WORKER_ROLE
            ):
                recovered += 1
                log.warning("job %s was left running by a stopped worker; queued again", row_id)
        return recovered

    async def _recover_stalled(self) -> int:
        manager = self.app.job_manager
        stalled = await manager.get_stalled_jobs(
            task_name=TASK_NAME, seconds_since_heartbeat=self.stalled_seconds
        )
        recovered = 0
        for job in stalled:
            row_id = int(job.task_kwargs["job_id"])
            if await asyncio.to_thread(self.services.queue.requeue, row_id, role=WORKER_ROLE):
                recovered += 1
                log.warning("job %s was interrupted by a lost worker and is queued again", row_id)
            await manager.finish_job(job, status=Status.FAILED, delete_job=True)
        return recovered
