"""The job queue in the database: the one record of what must be processed.

A claim is one atomic statement on both databases: ``UPDATE jobs … WHERE id = (SELECT …
LIMIT 1) RETURNING …``. On PostgreSQL the inner SELECT is ``FOR UPDATE SKIP LOCKED``, so
concurrent workers each take a different job without waiting on one another; SQLite runs
one writing statement at a time, so the select and the update cannot interleave with
another claim.

Only a *claimable* job is taken: its tenant is enabled (a disabled tenant's jobs are held
until it is enabled again) and no other job of its document is running. The last rule is
also a partial unique index (``uq_jobs_running_document``), so two processes racing for
two jobs of one document cannot both win: the loser's claim ends without a job.

``locked_by`` names the holder as ``role:host:pid[:slot]`` (:func:`holder_name`). Jobs
held by distributed workers are recovered through procrastinate's heartbeats
(:mod:`nex_automat.pipeline.workers`); every other holder renews ``locked_at`` while it
runs the job, and a job whose lease ran out is queued again by :meth:`JobQueue.requeue_stale`.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from nex_automat.store.db import Database
from nex_automat.store.models import Document, Job, JobState, Tenant
from nex_automat.store.sqltypes import utcnow

WORKER_ROLE = "worker"
"""The holder role of ``nex-automat worker`` processes, whose jobs procrastinate recovers."""


def holder_name(role: str, slot: int | None = None) -> str:
    """The ``locked_by`` of this process in ``role`` (``serve``, ``worker``, ``cli``).

    Host and process id let a later process on the same machine see at once that the
    holder is gone; the role says which recovery applies to its jobs.
    """
    name = f"{role}:{socket.gethostname()}:{os.getpid()}"
    return name if slot is None else f"{name}:{slot}"


def holder_gone_here(locked_by: str) -> bool:
    """Whether ``locked_by`` names a process of this machine that no longer runs.

    Unknown forms and other machines answer ``False``: their jobs wait for their lease to
    run out. So does Windows, where ``os.kill`` would end the process it asks about.
    """
    parts = locked_by.split(":")
    if os.name == "nt" or len(parts) < 3 or parts[1] != socket.gethostname():
        return False
    if not parts[2].isdigit() or int(parts[2]) == os.getpid():
        return False
    try:
        os.kill(int(parts[2]), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def live_worker_processes(db: Database, within: timedelta) -> int:
    """How many ``nex-automat worker`` processes sent a heartbeat within ``within``.

    Read from procrastinate's own table; 0 on SQLite or before any worker has started.
    """
    if db.dialect != "postgresql":
        return 0
    with db.engine.connect() as connection:
        if connection.scalar(text("SELECT to_regclass('procrastinate_workers')")) is None:
            return 0
        statement = text(
            "SELECT count(*) FROM procrastinate_workers "
            "WHERE last_heartbeat > now() - make_interval(secs => :seconds)"
        )
        return connection.scalar(statement, {"seconds": within.total_seconds()}) or 0


def _held_in(role: str) -> ColumnElement[bool]:
    return Job.locked_by.startswith(f"{role}:", autoescape=True)


def _worker_held() -> ColumnElement[bool]:
    """Running jobs of ``nex-automat worker`` processes (``NULL`` holders are not)."""
    return func.coalesce(_held_in(WORKER_ROLE), False)


def _disabled_tenants() -> ColumnElement[bool]:
    return Job.tenant_id.in_(select(Tenant.id).where(Tenant.disabled))


def _held() -> ColumnElement[bool]:
    """Queued jobs of disabled tenants: kept, not run, not counted as waiting."""
    return and_(Job.state == JobState.QUEUED, _disabled_tenants())


def _claimable() -> tuple[ColumnElement[bool], ...]:
    other = aliased(Job)
    document_busy = exists().where(
        other.document_id == Job.document_id, other.state == JobState.RUNNING
    )
    return (Job.state == JobState.QUEUED, ~_disabled_tenants(), ~document_busy)


@dataclass(frozen=True, slots=True)
class DueJob:
    """A queued job that may run now, as a distributed worker needs it to hand it on."""

    id: int
    document_id: str
    priority: int


@dataclass(frozen=True, slots=True)
class JobListing:
    """A job as the queue view shows it: with the name of the file it works on."""

    job: Job
    filename: str | None


def list_jobs(
    session: Session, *, states: Sequence[JobState] = (), limit: int = 200
) -> list[JobListing]:
    """The session's tenant's jobs in ``states`` (all when empty), the most urgent first."""
    query = (
        select(Job, Document.filename)
        .join(Document, Document.id == Job.document_id)
        .order_by(Job.priority.desc(), Job.run_after, Job.id)
        .limit(limit)
    )
    if states:
        query = query.where(Job.state.in_(states))
    return [JobListing(job, filename) for job, filename in session.execute(query)]


def count_jobs(session: Session) -> dict[JobState, int]:
    """How many of the session's tenant's jobs are in each state."""
    rows = session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    return {row[0]: row[1] for row in rows}


class JobQueue:
    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue(
        self,
        *,
        tenant_id: str,
        document_id: str,
        kind: str,
        priority: int = 0,
        run_after: datetime | None = None,
    ) -> Job:
        """Add a job; a higher ``priority`` runs first, none before ``run_after``."""
        with self.db.session() as session:
            return self.add(
                session,
                tenant_id=tenant_id,
                document_id=document_id,
                kind=kind,
                priority=priority,
                run_after=run_after,
            )

    @staticmethod
    def add(
        session: Session,
        *,
        tenant_id: str,
        document_id: str,
        kind: str,
        priority: int = 0,
        run_after: datetime | None = None,
    ) -> Job:
        """Add a job inside the caller's transaction, so it commits with the caller's rows."""
        job = Job(
            tenant_id=tenant_id,
            document_id=document_id,
            kind=kind,
            priority=priority,
            run_after=run_after or utcnow(),
        )
        session.add(job)
        session.flush()
        return job

    def claim(self, worker_id: str) -> Job | None:
        """Take the most urgent due job for ``worker_id``, or ``None`` when none is due."""
        now = utcnow()
        next_due = (
            select(Job.id)
            .where(*_claimable(), Job.run_after <= now)
            .order_by(Job.priority.desc(), Job.run_after, Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        return self._take(worker_id, now, Job.id == next_due)

    def claim_job(self, job_id: int, worker_id: str) -> Job | None:
        """Take job ``job_id`` for ``worker_id`` if it is queued and due, else ``None``.

        One conditional update: of two workers given the same job, only one gets it.
        """
        now = utcnow()
        return self._take(worker_id, now, Job.id == job_id, Job.run_after <= now, *_claimable())

    def _take(self, worker_id: str, now: datetime, *which: ColumnElement[bool]) -> Job | None:
        """Mark the job ``which`` selects (a claimable one) running for ``worker_id``, in one
        statement.

        ``None`` also when another process took a job of the same document in the same
        instant: the unique index refused the second claim.
        """
        statement = (
            update(Job)
            .where(*which, Job.state == JobState.QUEUED)
            .values(
                state=JobState.RUNNING,
                locked_by=worker_id,
                locked_at=now,
                attempts=Job.attempts + 1,
                updated_at=now,
            )
            .returning(Job)
            .execution_options(synchronize_session=False)
        )
        try:
            with self.db.session() as session:
                return session.scalars(statement).one_or_none()
        except IntegrityError:
            return None

    def due(self, limit: int) -> list[DueJob]:
        """Up to ``limit`` claimable jobs that may run now, the most urgent first."""
        statement = (
            select(Job.id, Job.document_id, Job.priority)
            .where(*_claimable(), Job.run_after <= utcnow())
            .order_by(Job.priority.desc(), Job.run_after, Job.id)
            .limit(limit)
        )
        with self.db.session() as session:
            return [DueJob(*row) for row in session.execute(statement)]

    def running_since(self, older_than: timedelta, *, role: str | None = None) -> list[int]:
        """The ids of jobs running for longer than ``older_than`` (held in ``role`` only)."""
        statement = select(Job.id).where(
            Job.state == JobState.RUNNING, Job.locked_at <= utcnow() - older_than
        )
        if role is not None:
            statement = statement.where(_held_in(role))
        with self.db.session() as session:
            return list(session.scalars(statement))

    def renew(self, held: Mapping[str, int]) -> None:
        """Extend to now the lease of each job ``held`` maps its holder to."""
        now = utcnow()
        with self.db.session() as session:
            for holder, job_id in held.items():
                session.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.state == JobState.RUNNING, Job.locked_by == holder)
                    .values(locked_at=now)
                    .execution_options(synchronize_session=False)
                )

    def requeue_lost_here(self) -> int:
        """Queue again at once the jobs held by processes of this machine that have ended.

        Workers' jobs are left to the workers, which also close their procrastinate jobs.
        """
        statement = select(Job.id, Job.locked_by).where(
            Job.state == JobState.RUNNING, ~_worker_held()
        )
        with self.db.session() as session:
            running = session.execute(statement).all()
        lost = [
            (job_id, holder) for job_id, holder in running if holder and holder_gone_here(holder)
        ]
        return sum(self.release(job_id, holder) for job_id, holder in lost)

    def requeue(self, job_id: int, *, role: str | None = None) -> bool:
        """Queue again job ``job_id`` if it is running (held in ``role``, when given): its
        holder is known to be gone. The role keeps a recovery from taking a job that was
        claimed anew, meanwhile, by a holder of another kind."""
        held = [] if role is None else [_held_in(role)]
        return bool(self._put_back(Job.id == job_id, *held))

    def complete(self, job_id: int) -> None:
        self._finish(job_id, state=JobState.DONE, error=None, run_after=None)

    def fail(self, job_id: int, error: str, retry_at: datetime | None = None) -> None:
        """Record a failure; with ``retry_at`` the job is queued again for then."""
        state = JobState.FAILED if retry_at is None else JobState.QUEUED
        self._finish(job_id, state=state, error=error, run_after=retry_at)

    def requeue_stale(self, older_than: timedelta) -> int:
        """Queue again jobs whose lease is older than ``older_than``: their holder died.

        Workers' jobs are left alone; procrastinate's heartbeats tell when those are lost.
        """
        return len(self._put_back(Job.locked_at <= utcnow() - older_than, ~_worker_held()))

    def release(self, job_id: int, worker_id: str) -> bool:
        """Queue again a job ``worker_id`` holds but will not finish (the service is stopping).

        ``False`` when the job is no longer that worker's: it finished meanwhile.
        """
        return bool(self._put_back(Job.id == job_id, Job.locked_by == worker_id))

    def release_all(self, holders: Sequence[str]) -> list[int]:
        """Queue again every job ``holders`` hold (the service is stopping); their ids.

        Asks the database rather than the holders' own record, so a job claimed an
        instant before the stop, not yet noted as in hand, is put back too.
        """
        if not holders:
            return []
        return self._put_back(Job.locked_by.in_(holders))

    def _put_back(self, *which: ColumnElement[bool]) -> list[int]:
        """Queue again the running jobs ``which`` selects, in one statement; their ids."""
        statement = (
            update(Job)
            .where(Job.state == JobState.RUNNING, *which)
            .values(state=JobState.QUEUED, locked_by=None, locked_at=None, updated_at=utcnow())
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            return list(session.scalars(statement))

    def oldest_due(self) -> datetime | None:
        """When the longest-waiting queued job became due; ``None`` when none is due.

        Held jobs (of disabled tenants) do not wait for processing and are not counted.
        """
        statement = select(func.min(Job.run_after)).where(
            Job.state == JobState.QUEUED, ~_disabled_tenants(), Job.run_after <= utcnow()
        )
        with self.db.session() as session:
            return session.scalar(statement)

    def get(self, job_id: int) -> Job | None:
        with self.db.session() as session:
            return session.get(Job, job_id)

    def counts(self) -> dict[JobState, int]:
        """How many jobs are in each state, for health and metrics; held jobs are not queued."""
        statement = select(Job.state, func.count()).where(~_held()).group_by(Job.state)
        with self.db.session() as session:
            return {row[0]: row[1] for row in session.execute(statement).all()}

    def held(self) -> int:
        """How many queued jobs wait for their tenant to be enabled again."""
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(Job).where(_held())) or 0

    def _finish(
        self, job_id: int, *, state: JobState, error: str | None, run_after: datetime | None
    ) -> None:
        now = utcnow()
        values: dict[str, object] = {
            "state": state,
            "locked_by": None,
            "locked_at": None,
            "updated_at": now,
        }
        if error is not None:
            values["last_error"] = error
        if run_after is not None:
            values["run_after"] = run_after
        statement = (
            update(Job)
            .where(Job.id == job_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            session.execute(statement)
