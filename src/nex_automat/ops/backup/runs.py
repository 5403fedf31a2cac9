"""A backup run as the command line, the service and an upgrade start it: under the
lock, checked when asked, and its outcome recorded for health checks and alerts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from nex_automat.errors import NexError
from nex_automat.ops.backup.catalogue import newest_set
from nex_automat.ops.backup.create import create_backup
from nex_automat.ops.backup.errors import BackupDamaged, BackupLocked
from nex_automat.ops.backup.layout import BackupFolder, Progress, no_progress
from nex_automat.ops.backup.lock import backup_lock
from nex_automat.ops.backup.manifest import BackupKind, Manifest
from nex_automat.ops.backup.prune import prune_backups
from nex_automat.ops.backup.status import record_failure, record_success
from nex_automat.ops.backup.verify import verify_backup
from nex_automat.ops.config import Settings
from nex_automat.store.db import Database

logger = logging.getLogger(__name__)

RECENT = timedelta(hours=1)
"""A scheduled run finding a set this young leaves it at that: another instance took it."""
SHOWN_FINDINGS = 3


def take_backup(
    settings: Settings,
    db: Database,
    *,
    kind: BackupKind,
    verify: bool = False,
    wait_seconds: float = 0,
    on_progress: Progress = no_progress,
) -> Manifest:
    """Take a set now; :class:`BackupLocked` when another run holds the lock longer."""
    folder = BackupFolder(settings.backup_dir)

    def run() -> Manifest:
        with backup_lock(folder, db, wait_seconds=wait_seconds):
            return _create(settings, db, kind, verify, on_progress)

    manifest = _recorded(settings, run)
    assert manifest is not None
    return manifest


def take_backup_holding_lock(
    settings: Settings,
    db: Database,
    *,
    kind: BackupKind,
    verify: bool = False,
    on_progress: Progress = no_progress,
) -> Manifest:
    """:func:`take_backup` for a caller that already holds the backup lock."""
    manifest = _recorded(settings, lambda: _create(settings, db, kind, verify, on_progress))
    assert manifest is not None
    return manifest


def scheduled_backup(settings: Settings, db: Database) -> Manifest | None:
    """The service's nightly run: a set, its check, then retention.

    ``None`` when another instance is taking it or has just taken it.
    """
    folder = BackupFolder(settings.backup_dir)

    def run() -> Manifest | None:
        with backup_lock(folder, db):
            newest = newest_set(folder.root)
            if newest is not None and datetime.now(UTC) - newest.finished_at < RECENT:
                logger.info("backup %s was taken moments ago; not taking another", newest.id)
                return None
            manifest = _create(settings, db, BackupKind.SCHEDULED, settings.backup.verify)
            if manifest.config is None:
                logger.warning("backup %s: configuration %s", manifest.id, manifest.config_note)
            try:
                pruned = prune_backups(settings)
                logger.info(
                    "retention removed %d backup(s) and %d document blob(s)",
                    len(pruned.removed),
                    pruned.blobs_removed,
                )
            except Exception:  # the backup itself is good; pruning is tried again tomorrow
                logger.exception("pruning old backups failed")
            return manifest

    try:
        return _recorded(settings, run)
    except BackupLocked as error:
        logger.info("scheduled backup left to the run holding the lock: %s", error.message)
        return None


def _create(
    settings: Settings,
    db: Database,
    kind: BackupKind,
    verify: bool,
    on_progress: Progress = no_progress,
) -> Manifest:
    manifest = create_backup(settings, db, kind=kind, on_progress=on_progress)
    if verify:
        report = verify_backup(settings, manifest.id, on_progress=on_progress)
        if not report.ok:
            shown = "; ".join(f"{f.part}: {f.problem}" for f in report.findings[:SHOWN_FINDINGS])
            raise BackupDamaged(f"backup {manifest.id} failed its check: {shown}")
    return manifest


def _recorded(settings: Settings, run: Callable[[], Manifest | None]) -> Manifest | None:
    """Run ``run`` and record its outcome; a run that found the lock taken records nothing.

    A failure is raised on: the scheduler logs it, the command line prints it.
    """
    try:
        manifest = run()
    except BackupLocked:
        raise
    except Exception as error:
        record_failure(settings, datetime.now(UTC), describe_error(error))
        raise
    if manifest is not None:
        record_success(settings, manifest.id, manifest.finished_at, manifest.total_bytes)
    return manifest


def describe_error(error: Exception) -> str:
    """How a failure is recorded in the status: the error code first when there is one."""
    if isinstance(error, NexError):
        return f"{error.code}: {error.message}"
    return f"{type(error).__name__}: {error}"
