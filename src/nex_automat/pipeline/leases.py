"""Leases on running jobs, for every holder that procrastinate does not watch.

A service thread or a command that runs a job renews the job's ``locked_at`` every quarter
of the lease; a job whose lease ran out belongs to a process that died — on this machine
or another one sharing the database — and is queued again, to be processed from the start
(processing is idempotent). Jobs of processes of this machine that have ended are taken
back at once, without waiting for the lease. The same keeper that renews its own jobs'
leases also takes back the expired ones, so every running service watches all the others.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from nex_automat.store.jobs import JobQueue

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=30)


class LeaseKeeper:
    """Renews the leases of the jobs this process holds and takes back expired ones."""

    def __init__(self, queue: JobQueue, lease: timedelta = DEFAULT_LEASE) -> None:
        self.queue = queue
        self.lease = lease
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @contextmanager
    def holding(self, holder: str, job_id: int) -> Iterator[None]:
        """Keep the lease of ``job_id``, held by ``holder``, for the ``with`` block."""
        with self._lock:
            self._held[holder] = job_id
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(holder, None)

    def held(self) -> dict[str, int]:
        """Holder → job id, for the jobs in hand now."""
        with self._lock:
            return dict(self._held)

    def recover(self) -> int:
        """Queue again jobs of ended processes of this machine and jobs with expired leases."""
        requeued = self.queue.requeue_lost_here() + self.queue.requeue_stale(self.lease)
        if requeued:
            log.warning("queued again %d job(s) whose process had stopped", requeued)
        return requeued

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="nex-leases", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        interval = self.lease.total_seconds() / 4
        while not self._stop.wait(interval):
            try:
                self.queue.renew(self.held())
                self.recover()
            except Exception:
                log.exception("the leases of running jobs could not be kept")
