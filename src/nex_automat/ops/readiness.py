"""Whether the installation can do its job now, check by check, for ``/ready`` and alerts.

Two kinds of check. *Critical* ones decide whether the service can take and keep
documents at all: the database answers, the document storage accepts a file, the disk has
room. The others tell that something needs attention while the service still works: a
backlogged queue, documents waiting while processing is left to worker processes and none
runs (``external_workers``), a mailbox that has not been polled successfully for a while, a backup
that is failing or stale. ``/ready`` answers 503 only for a failed critical check and
``degraded`` (200) for the others, so a load balancer keeps sending documents to an
instance whose backup is late, while monitoring sees it.

The thresholds come from the ``health`` settings; times are compared with an aware
``now`` so tests can place it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text

from nex_automat.ops.backup import BackupStatus, backup_status
from nex_automat.ops.config import HealthSettings
from nex_automat.pipeline.mailbox import MailboxPoller
from nex_automat.store.db import Database
from nex_automat.store.jobs import JobQueue, live_worker_processes
from nex_automat.store.models import JobState, Tenant

if TYPE_CHECKING:
    from nex_automat.pipeline.services import Services

MEGABYTE = 1024 * 1024
MAILBOX_STALE_POLLS = 3
"""A mailbox polled rarely is stale only after missing this many of its polls."""


@dataclass(frozen=True, slots=True)
class Check:
    """One readiness check: ``error`` says what is wrong when ``ok`` is false."""

    name: str
    ok: bool
    critical: bool
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "critical": self.critical, "error": self.error, **self.details}


def assess(services: Services, now: datetime | None = None) -> list[Check]:
    """Every check, critical ones first."""
    now = now or datetime.now(UTC)
    settings = services.settings
    health = settings.health
    return [
        check_database(services.db),
        check_storage(services.files.root),
        check_disk(services.files.root, health),
        check_queue(services.queue, health, now),
        *([check_workers(services)] if settings.external_workers else []),
        check_mailboxes(services.pollers, health, now),
        _backup_check(services, now),
    ]


def _backup_check(services: Services, now: datetime) -> Check:
    try:
        status = backup_status(services.settings)
    except Exception as error:
        return Check("backup", False, critical=False, error=_first_line(error))
    try:
        installed_at = installation_started(services.db)
    except Exception:  # the database check reports it; here it only costs the grace
        installed_at = None
    return check_backup(status, services.settings.health, now, installed_at)


def installation_started(db: Database) -> datetime | None:
    """When the first tenant was created: the installation's age, for first-backup grace."""
    with db.session() as session:
        return session.scalar(select(func.min(Tenant.created_at)))


def overall_status(checks: Sequence[Check]) -> str:
    """``ready``, ``degraded`` (a non-critical check failed) or ``not_ready``."""
    if any(not check.ok and check.critical for check in checks):
        return "not_ready"
    if any(not check.ok for check in checks):
        return "degraded"
    return "ready"


def _first_line(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def as_aware(moment: datetime) -> datetime:
    """``moment`` with a time zone; a naive one is taken as UTC (as the database stores)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# ------------------------------------------------------------------------------ critical


def database_problem(db: Database) -> str | None:
    """``None`` when the database answers a query, else what went wrong."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        return _first_line(error)
    return None


def writable_problem(folder: Path) -> str | None:
    """``None`` when a file can be created (and synced) in ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ready-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return f"{folder} is not writable: {error.strerror or error}"
    return None


def free_bytes(folder: Path) -> int:
    """Free space for an unprivileged writer on the file system holding ``folder``."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return shutil.disk_usage(existing).free


def check_database(db: Database) -> Check:
    problem = database_problem(db)
    return Check("database", problem is None, critical=True, error=problem)


def check_storage(folder: Path) -> Check:
    problem = writable_problem(folder)
    return Check("storage", problem is None, critical=True, error=problem)


def check_disk(folder: Path, health: HealthSettings) -> Check:
    try:
        free = free_bytes(folder)
    except OSError as error:
        return Check("disk", False, critical=True, error=f"{folder}: {error.strerror or error}")
    minimum = health.min_free_disk_mb * MEGABYTE
    details = {"free_bytes": free, "min_free_bytes": minimum}
    if free < minimum:
        error = (
            f"{free // MEGABYTE} MB free where the documents are kept, "
            f"less than health.min_free_disk_mb ({health.min_free_disk_mb} MB)"
        )
        return Check("disk", False, critical=True, error=error, details=details)
    return Check("disk", True, critical=True, details=details)


# ---------------------------------------------------------------------------- attention


def check_queue(queue: JobQueue, health: HealthSettings, now: datetime) -> Check:
    try:
        counts = queue.counts()
        oldest = queue.oldest_due()
    except Exception as error:
        return Check("queue", False, critical=False, error=_first_line(error))
    wait = 0.0 if oldest is None else max((now - as_aware(oldest)).total_seconds(), 0.0)
    details = {
        "queued": counts.get(JobState.QUEUED, 0),
        "running": counts.get(JobState.RUNNING, 0),
        "held": queue.held(),
        "oldest_wait_seconds": round(wait, 1),
    }
    limit = health.max_queue_wait_minutes * 60
    if wait > limit:
        error = (
            f"a document has waited {wait / 60:.0f} min for processing, longer than "
            f"health.max_queue_wait_minutes ({health.max_queue_wait_minutes:g})"
        )
        return Check("queue", False, critical=False, error=error, details=details)
    return Check("queue", True, critical=False, details=details)


def check_workers(services: Services) -> Check:
    """Processing is left to ``nex-automat worker`` processes: is any of them alive?"""
    settings = services.settings
    try:
        alive = live_worker_processes(services.db, settings.worker_stalled_after)
        waiting = services.queue.counts().get(JobState.QUEUED, 0)
    except Exception as error:
        return Check("workers", False, critical=False, error=_first_line(error))
    details = {"processes": alive}
    if alive == 0 and waiting:
        error = (
            f"{waiting} job(s) wait and no `nex-automat worker` process runs "
            "(external_workers is set, so this service processes nothing itself)"
        )
        return Check("workers", False, critical=False, error=error, details=details)
    return Check("workers", True, critical=False, details=details)


def mailbox_silence(poller: MailboxPoller, now: datetime) -> float:
    """Seconds since the mailbox's last good poll (since the poller began, before one)."""
    since = poller.last_poll_ok_at or poller.created_at
    return max((now - since).total_seconds(), 0.0)


def mailbox_stale_after(poller: MailboxPoller, health: HealthSettings) -> float:
    """Seconds of silence after which a mailbox counts as not being polled."""
    return max(
        health.mailbox_stale_minutes * 60, MAILBOX_STALE_POLLS * poller.settings.poll_seconds
    )


def check_mailboxes(
    pollers: Sequence[MailboxPoller], health: HealthSettings, now: datetime
) -> Check:
    mailboxes: dict[str, dict[str, Any]] = {}
    stale: list[str] = []
    for poller in pollers:
        silence = mailbox_silence(poller, now)
        ok = silence <= mailbox_stale_after(poller, health)
        if not ok:
            stale.append(f"{poller.name} ({poller.last_error or 'no poll'})")
        mailboxes[poller.name] = {
            "ok": ok,
            "last_poll_ok_at": _iso(poller.last_poll_ok_at),
            "seconds_since_good_poll": round(silence, 1),
            "last_error": poller.last_error,
        }
    details = {"mailboxes": mailboxes}
    if stale:
        error = f"not polled successfully for too long: {', '.join(stale)}"
        return Check("mailboxes", False, critical=False, error=error, details=details)
    return Check("mailboxes", True, critical=False, details=details)


def check_backup(
    status: BackupStatus,
    health: HealthSettings,
    now: datetime,
    installed_at: datetime | None = None,
) -> Check:
    last = status.last_success_at
    age_hours = None if last is None else (now - as_aware(last)).total_seconds() / 3600
    details = {
        "last_success_at": _iso(last),
        "age_hours": None if age_hours is None else round(age_hours, 2),
        "last_success_bytes": status.last_success_bytes,
        "last_failure_at": _iso(status.last_failure_at),
    }
    error = backup_problem(status, health, now, installed_at)
    return Check("backup", error is None, critical=False, error=error, details=details)


def backup_problem(
    status: BackupStatus,
    health: HealthSettings,
    now: datetime,
    installed_at: datetime | None = None,
) -> str | None:
    """What is wrong with the backups, or ``None``: failing, never made, or stale.

    With ``installed_at``, a new installation gets ``backup_stale_hours`` for its first.
    """
    if status.failing:
        return f"the last backup failed: {status.last_error or 'no reason recorded'}"
    if status.last_success_at is None:
        young = installed_at is not None and (
            (now - as_aware(installed_at)).total_seconds() <= health.backup_stale_hours * 3600
        )
        if young:
            return None
        return "no backup has been made yet; run `nex-automat backup create`"
    age_hours = (now - as_aware(status.last_success_at)).total_seconds() / 3600
    if age_hours > health.backup_stale_hours:
        return (
            f"the last good backup is {age_hours:.0f} h old, older than "
            f"health.backup_stale_hours ({health.backup_stale_hours:g})"
        )
    return None
