"""Running processing jobs: worker threads inside the service, or a drain in the caller.

A job ends in one of three ways. The processor recorded an outcome on the document
(processed, duplicate, or failed because the document cannot be read): the job is done;
a failed document is permanent and is not retried. The processor raised (a bug, the
database or disk briefly unavailable): the job fails with ``internal_error`` and is queued
again after a growing delay, up to :attr:`RetryPolicy.max_attempts`; after that the
document is marked failed with ``internal_error``. Nothing a job does can stop a worker.

Jobs of other kinds (``handover``, the ERP hand-over) run the :data:`JobHandler` given
for their kind; one that raises is queued again the same way, and fails for good after
the last attempt.

:class:`InProcessRunner` is the embedded engine: worker threads in the service. Its jobs
are held under leases (:mod:`nex_automat.pipeline.leases`): a job left running by a
process that died is queued again — at once when that process ran on this machine, after
its lease otherwise — which is safe because processing is idempotent. Several services
(and ``nex-automat worker`` processes) can share one PostgreSQL database: each job is
claimed by one of them, and no two jobs of one document run at once. It sits behind
:class:`JobRunner`; the distributed
engine (procrastinate on PostgreSQL, :mod:`nex_automat.pipeline.workers`) runs the same
:func:`run_job` in ``nex-automat worker`` processes instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from nex_automat.logcontext import log_context
from nex_automat.pipeline.leases import DEFAULT_LEASE, LeaseKeeper
from nex_automat.pipeline.process import PROCESS_JOB, DocumentProcessor
from nex_automat.store.db import Database
from nex_automat.store.files import DocumentFiles
from nex_automat.store.jobs import JobQueue, holder_name
from nex_automat.store.models import Job
from nex_automat.store.sqltypes import utcnow

log = logging.getLogger(__name__)

INTERNAL_ERROR = "internal_error"


class JobRunner(Protocol):
    def start(self) -> None: ...

    def stop(self, timeout: float = 10) -> None: ...

    def wake(self) -> None:
        """A job was queued: don't wait for the next poll."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often, and how patiently, a job broken by an unexpected error is tried again."""

    max_attempts: int = 5
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)

    def delay(self, attempts: int) -> timedelta:
        """The wait before attempt ``attempts + 1``: doubling from ``first_delay``."""
        return min(self.first_delay * 2 ** max(attempts - 1, 0), self.max_delay)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


JobHandler = Callable[[Job], None]
"""The work of a job kind other than processing (the ERP hand-over), given the job."""


def run_job(
    queue: JobQueue,
    processor: DocumentProcessor,
    job: Job,
    policy: RetryPolicy,
    handlers: Mapping[str, JobHandler] | None = None,
) -> None:
    """Run one claimed job and record how it ended in the queue (and on the document)."""
    with log_context(document_id=job.document_id, tenant=job.tenant_id):
        _run_job(queue, processor, job, policy, handlers or {})


def _run_job(
    queue: JobQueue,
    processor: DocumentProcessor,
    job: Job,
    policy: RetryPolicy,
    handlers: Mapping[str, JobHandler],
) -> None:
    if job.kind != PROCESS_JOB:
        handler = handlers.get(job.kind)
        if handler is None:
            queue.fail(job.id, f"unknown job kind {job.kind!r}")
        else:
            _run_handler(queue, handler, job, policy)
        return
    if job.attempts > policy.max_attempts:
        _give_up(queue, processor, job, f"gave up after {policy.max_attempts} attempts")
        return
    try:
        processor.process(job.document_id)
    except Exception as error:
        log.exception("job %s (document %s) broke", job.id, job.document_id)
        _broken(queue, processor, job, policy, _describe(error))
        return
    queue.complete(job.id)


def _broken(
    queue: JobQueue, processor: DocumentProcessor, job: Job, policy: RetryPolicy, message: str
) -> None:
    if job.attempts >= policy.max_attempts:
        _give_up(queue, processor, job, message)
        return
    queue.fail(
        job.id, f"{INTERNAL_ERROR}: {message}", retry_at=utcnow() + policy.delay(job.attempts)
    )
    processor.record_retry(job.document_id, INTERNAL_ERROR, message)


def _give_up(queue: JobQueue, processor: DocumentProcessor, job: Job, message: str) -> None:
    queue.fail(job.id, f"{INTERNAL_ERROR}: {message}")
    processor.record_failure(job.document_id, INTERNAL_ERROR, message)


def _run_handler(queue: JobQueue, handler: JobHandler, job: Job, policy: RetryPolicy) -> None:
    """A handler that raises is a bug or an outage: its job is tried again like processing."""
    try:
        handler(job)
    except Exception as error:
        log.exception("job %s (%s) broke", job.id, job.kind)
        last = job.attempts >= policy.max_attempts
        retry_at = None if last else utcnow() + policy.delay(job.attempts)
        queue.fail(job.id, f"{INTERNAL_ERROR}: {_describe(error)}", retry_at=retry_at)
        return
    queue.complete(job.id)


def run_pending(
    queue: JobQueue,
    processor: DocumentProcessor,
    *,
    worker_id: str | None = None,
    policy: RetryPolicy | None = None,
    on_done: Callable[[], None] | None = None,
    handlers: Mapping[str, JobHandler] | None = None,
    lease: timedelta = DEFAULT_LEASE,
) -> int:
    """Run every job that is due, in the calling thread; returns how many ran.

    Jobs put back for a later retry are left for later. ``on_done`` is called after each
    job, so a command can show progress. The job in hand keeps its lease, so a service
    sharing the database does not take it back while it runs.
    """
    policy = policy or RetryPolicy()
    holder = worker_id or holder_name("cli")
    leases = LeaseKeeper(queue, lease)
    leases.start()
    count = 0
    try:
        while (job := queue.claim(holder)) is not None:
            with leases.holding(holder, job.id):
                run_job(queue, processor, job, policy, handlers)
            count += 1
            if on_done is not None:
                on_done()
    finally:
        leases.stop()
    return count


class InProcessRunner:
    """Worker threads inside the service, each claiming jobs from the :class:`JobQueue`."""

    def __init__(
        self,
        db: Database,
        files: DocumentFiles,
        queue: JobQueue,
        processor: DocumentProcessor,
        *,
        workers: int = 2,
        poll_seconds: float = 1.0,
        policy: RetryPolicy | None = None,
        handlers: Mapping[str, JobHandler] | None = None,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.db = db
        self.files = files
        self.queue = queue
        self.processor = processor
        self.handlers = dict(handlers or {})
        self.workers = workers
        self.poll_seconds = poll_seconds
        self.policy = policy or RetryPolicy()
        self._wakeup = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._holders: list[str] = []
        """What this runner's threads write as ``locked_by``."""
        self.leases = LeaseKeeper(queue, lease)

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def start(self) -> None:
        """Queue again the jobs a crash left running, then start the workers."""
        if self.running:
            return
        self.leases.recover()
        self._stopping.clear()
        self._holders = [holder_name("serve", index) for index in range(self.workers)]
        self._threads = [
            threading.Thread(
                target=self._work,
                args=(holder,),
                name=f"nex-worker-{index}",
                daemon=True,
            )
            for index, holder in enumerate(self._holders)
        ]
        for thread in self._threads:
            thread.start()
        self.leases.start()

    def stop(self, timeout: float = 10) -> None:
        """Stop claiming; wait up to ``timeout`` seconds for the jobs in hand to finish.

        Jobs still queued stay queued. A job not finished in time is queued again at once,
        so that any runner can take it; should its worker still finish it, the job simply
        ends done (processing is idempotent). Stopping again does nothing: the time to
        finish was given once.
        """
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._wakeup.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        self._release_unfinished()
        self.leases.stop()

    def _release_unfinished(self) -> None:
        try:
            released = self.queue.release_all(self._holders)
        except Exception:
            log.exception("jobs in hand could not be queued again; the next start will")
            return
        for job_id in released:
            log.warning("job %s was not finished in time and is queued again", job_id)

    def wake(self) -> None:
        self._wakeup.set()

    def _work(self, worker_id: str) -> None:
        while not self._stopping.is_set():
            if self._run_one(worker_id):
                continue
            self._wakeup.wait(self.poll_seconds)
            self._wakeup.clear()

    def _run_one(self, worker_id: str) -> bool:
        """Claim and run one job; ``False`` when there was none (or the queue is unreachable)."""
        try:
            job = self.queue.claim(worker_id)
            if job is None:
                return False
            with self.leases.holding(worker_id, job.id):
                run_job(self.queue, self.processor, job, self.policy, self.handlers)
        except Exception:
            log.exception("worker %s could not claim or record a job", worker_id)
            return False
        return True
