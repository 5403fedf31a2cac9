"""A job queue in the database, for the in-process runner.

A claim is one atomic statement on both databases: ``UPDATE jobs … WHERE id = (SELECT …
LIMIT 1) RETURNING …``. On PostgreSQL the inner SELECT is ``FOR UPDATE SKIP LOCKED``, so
concurrent workers each take a different job without waiting on one another; SQLite runs
one writing statement at a time, so the select and the update cannot interleave with
another claim. Jobs left ``running`` by a crashed process are put back by
:meth:`JobQueue.requeue_stale`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from nex_automat.store.db import Database
from nex_automat.store.models import Document, Job, JobState
from nex_automat.store.sqltypes import utcnow


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
            .where(Job.state == JobState.QUEUED, Job.run_after <= now)
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
        return self._take(worker_id, now, Job.id == job_id, Job.run_after <= now)

    def _take(self, worker_id: str, now: datetime, *which: ColumnElement[bool]) -> Job | None:
        """Mark the queued job ``which`` selects running for ``worker_id``, in one statement."""
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
        with self.db.session() as session:
            return session.scalars(statement).one_or_none()

    def due(self, limit: int) -> list[DueJob]:
        """Up to ``limit`` queued jobs that may run now, the most urgent first."""
        statement = (
            select(Job.id, Job.document_id, Job.priority)
            .where(Job.state == JobState.QUEUED, Job.run_after <= utcnow())
            .order_by(Job.priority.desc(), Job.run_after, Job.id)
            .limit(limit)
        )
        with self.db.session() as session:
            return [DueJob(*row) for row in session.execute(statement)]

    def running_since(self, older_than: timedelta) -> list[int]:
        """The ids of jobs running for longer than ``older_than``."""
        statement = select(Job.id).where(
            Job.state == JobState.RUNNING, Job.locked_at <= utcnow() - older_than
        )
        with self.db.session() as session:
            return list(session.scalars(statement))

    def requeue(self, job_id: int) -> bool:
        """Queue again job ``job_id`` if it is running: its worker is known to be gone."""
        now = utcnow()
        statement = (
            update(Job)
            .where(Job.id == job_id, Job.state == JobState.RUNNING)
            .values(state=JobState.QUEUED, locked_by=None, locked_at=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            return bool(session.execute(statement).rowcount)

    def complete(self, job_id: int) -> None:
        self._finish(job_id, state=JobState.DONE, error=None, run_after=None)

    def fail(self, job_id: int, error: str, retry_at: datetime | None = None) -> None:
        """Record a failure; with ``retry_at`` the job is queued again for then."""
        state = JobState.FAILED if retry_at is None else JobState.QUEUED
        self._finish(job_id, state=state, error=error, run_after=retry_at)

    def requeue_stale(self, older_than: timedelta) -> int:
        """Queue again jobs running longer than ``older_than`` (their worker died)."""
        now = utcnow()
        statement = (
            update(Job)
            .where(Job.state == JobState.RUNNING, Job.locked_at <= now - older_than)
            .values(state=JobState.QUEUED, locked_by=None, locked_at=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            return session.execute(statement).rowcount

    def release(self, job_id: int, worker_id: str) -> bool:
        """Queue again a job ``worker_id`` holds but will not finish (the service is stopping).

        ``False`` when the job is no longer that worker's: it finished meanwhile.
        """
        now = utcnow()
        statement = (
            update(Job)
            .where(Job.id == job_id, Job.state == JobState.RUNNING, Job.locked_by == worker_id)
            .values(state=JobState.QUEUED, locked_by=None, locked_at=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            return bool(session.execute(statement).rowcount)

    def oldest_due(self) -> datetime | None:
        """When the longest-waiting queued job became due; ``None`` when none is due."""
        statement = select(func.min(Job.run_after)).where(
            Job.state == JobState.QUEUED, Job.run_after <= utcnow()
        )
        with self.db.session() as session:
            return session.scalar(statement)

    def get(self, job_id: int) -> Job | None:
        with self.db.session() as session:
            return session.get(Job, job_id)

    def counts(self) -> dict[JobState, int]:
        """How many jobs are in each state, for health and metrics."""
        with self.db.session() as session:
            rows = session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
            return {row[0]: row[1] for row in rows}

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
