"""What can go wrong with a backup, each with a stable code for scripts and alerts."""

from __future__ import annotations

from nex_automat.errors import NexError


class BackupError(NexError):
    """A backup could not be taken, checked or restored."""

    code = "backup_failed"


class BackupNotFound(BackupError):
    code = "backup_not_found"


class BackupLocked(BackupError):
    """Another backup, prune or restore holds the lock; nothing was done."""

    code = "backup_locked"


class BackupDamaged(BackupError):
    """A part of a set does not match its checksum, or the manifest cannot be trusted."""

    code = "backup_damaged"


class BackupToolFailed(BackupError):
    """``pg_dump`` or ``pg_restore`` is missing or ended with an error."""

    code = "backup_tool_failed"


class RestoreRefused(BackupError):
    """The restore target is not empty, or the backup does not fit it."""

    code = "restore_refused"


class ConfigNotDecrypted(BackupError):
    """The configuration's copy does not open with the configured key."""

    code = "config_not_decrypted"
