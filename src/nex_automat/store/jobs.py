"""A job queue in the database, for the in-process runner.

A claim is one atomic statement on both databases: ``UPDATE jobs … WHERE id = (SELECT …
LIMIT 1) RETURNING …``. On PostgreSQL the inner SELECT is ``FOR UPDATE SKIP LOCKED``, so
concurrent workers each take a different job without waiting on one another; SQLite runs
one writing statement at a time, so the select and the update cannot interleave with
another claim. Jobs left ``running`` by a crashed process are put back by
:meth:`JobQueue.requeue_stale`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from nex_automat.store.db import Database
from nex_automat.store.models import Job, JobState
from nex_automat.store.sqltypes import utcnow


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
        statement = (
            update(Job)
            .where(Job.id == next_due, Job.state == JobState.QUEUED)
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
