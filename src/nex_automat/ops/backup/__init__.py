"""Backups of an installation: its database, document files and configuration.

:func:`backup_status` is what health checks, metrics and alerts read; the work itself is
in the modules of this package (``create``, ``verify``, ``restore``, ``retention``).
"""

from nex_automat.ops.backup.status import BackupStatus, backup_status

__all__ = ["BackupStatus", "backup_status"]
