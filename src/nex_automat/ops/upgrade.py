"""Moving an installation to this version: the database schema, with a backup taken just
before, then the document files into their tenants' folders.

Every start migrates (see :meth:`Database.upgrade`). When that would change an existing
database, a set of kind ``pre-upgrade`` is taken first, under the backup lock, which is
held until the migration is done so that two instances starting together take one
backup and migrate once. The migration runs in one transaction: when a step fails, the
schema stays at the old revision and the previous version keeps working on it. If the
backup fails, the database is not touched.

Document files of the earlier shared layout (``documents/ab/cd/<sha256>``) are then given
to their tenants (see :mod:`nex_automat.store.tenant_folders`), under the backup lock so
that no backup walks the folder while a file changes its name. Moving is safe to
interrupt and to repeat; when there is nothing to move it costs a look at a few folders.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from nex_automat.errors import NexError
from nex_automat.ops.backup.errors import BackupLocked
from nex_automat.ops.backup.layout import BackupFolder, Progress, no_progress
from nex_automat.ops.backup.lock import backup_lock
from nex_automat.ops.backup.manifest import BackupKind
from nex_automat.ops.backup.runs import describe_error, take_backup_holding_lock
from nex_automat.ops.backup.status import record_failure
from nex_automat.ops.config import Settings
from nex_automat.store.db import Database
from nex_automat.store.files import DocumentFiles
from nex_automat.store.tenant_folders import (
    FolderMoves,
    has_shared_files,
    move_to_tenant_folders,
)

LOCK_WAIT_SECONDS = 3600.0
"""How long a start waits for a running backup before giving up on the upgrade."""


class UpgradeFailed(NexError):
    """A migration step failed; the schema is at the revision it was before."""

    code = "upgrade_failed"


class UpgradeBackupFailed(UpgradeFailed):
    """The backup before the upgrade failed, so the database was not upgraded."""

    code = "upgrade_backup_failed"


class DocumentsNotMoved(UpgradeFailed):
    """Moving document files into tenant folders stopped; every file still has a name."""

    code = "documents_not_moved"


@dataclass(frozen=True, slots=True)
class UpgradeReport:
    from_revision: str | None
    to_revision: str | None
    backup_id: str | None
    """The set taken before migrating; ``None`` when nothing was migrated or asked not to."""
    documents_moved: int = 0
    """Document files of the shared layout given to their tenants' folders."""


def upgrade_database(
    settings: Settings,
    db: Database,
    *,
    backup: bool = True,
    on_progress: Progress = no_progress,
) -> UpgradeReport:
    """Bring ``db`` to this version's schema, backing up first when that changes anything,
    then move document files of the shared layout into their tenants' folders."""
    report = _upgrade_schema(settings, db, backup=backup, on_progress=on_progress)
    moves = move_documents(settings, db)
    return replace(report, documents_moved=moves.removed)


def move_documents(settings: Settings, db: Database) -> FolderMoves:
    """Give the shared layout's files to their tenants, holding the backup lock meanwhile."""
    files = DocumentFiles(settings.documents_dir)
    if not has_shared_files(files.root):
        return FolderMoves()
    try:
        with backup_lock(BackupFolder(settings.backup_dir), db, wait_seconds=LOCK_WAIT_SECONDS):
            return move_to_tenant_folders(db, files)
    except Exception as error:
        reason = error.message if isinstance(error, NexError) else str(error)
        raise DocumentsNotMoved(
            f"moving document files into their tenants' folders in {files.root} stopped "
            f"({reason}); each file is still under its shared or its tenant's name, and the "
            "next start (or `nex-automat db upgrade`) goes on with it"
        ) from error


def _upgrade_schema(
    settings: Settings, db: Database, *, backup: bool, on_progress: Progress
) -> UpgradeReport:
    head = db.head_revision()
    before = db.current_revision()
    if before == head:
        return UpgradeReport(before, head, None)
    if not backup or before is None:
        _migrate(db, before, head, None)
        return UpgradeReport(before, db.current_revision(), None)
    try:
        with backup_lock(BackupFolder(settings.backup_dir), db, wait_seconds=LOCK_WAIT_SECONDS):
            before = db.current_revision()
            if before == head:
                return UpgradeReport(before, head, None)
            manifest = take_backup_holding_lock(
                settings, db, kind=BackupKind.PRE_UPGRADE, on_progress=on_progress
            )
            _migrate(db, before, head, manifest.id)
    except UpgradeFailed:
        raise
    except Exception as error:
        if not isinstance(error, BackupLocked):
            record_failure(settings, datetime.now(UTC), describe_error(error))
        reason = error.message if isinstance(error, NexError) else str(error)
        raise UpgradeBackupFailed(
            f"the database was not upgraded from {before} to {head}: the backup before "
            f"it failed ({reason}); fix the backup (`nex-automat backup create` shows the "
            "problem) or upgrade without one: `nex-automat db upgrade --no-backup`"
        ) from error
    return UpgradeReport(before, head, manifest.id)


def _migrate(db: Database, before: str | None, head: str | None, backup_id: str | None) -> None:
    try:
        db.upgrade()
    except Exception as error:
        after = db.current_revision()
        taken = f"; backup {backup_id} was taken before it" if backup_id else ""
        raise UpgradeFailed(
            f"upgrading the database from {before} to {head} failed ({error}); the schema is "
            f"still at {after} and the previous version of NEX Automat runs on it{taken}"
        ) from error
