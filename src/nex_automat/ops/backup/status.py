"""How the last backups went, for health checks, metrics and alerts.

The outcome of every backup run is written to ``<data_dir>/backup-status.json``, beside
the data rather than in the backup folder: when the backup disk is missing, that failure
is exactly what must still be recorded. A backup is failing now when ``last_failure_at``
is later than ``last_success_at``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nex_automat.files import write_atomically
from nex_automat.ops.backup.catalogue import newest_set

if TYPE_CHECKING:
    from nex_automat.ops.config import Settings

logger = logging.getLogger(__name__)

STATUS_FILE_NAME = "backup-status.json"
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class BackupStatus:
    """The last good backup and the last failed one; ``None`` where there was none."""

    last_success_at: datetime | None = None
    last_success_bytes: int | None = None
    """Size of everything the set holds: database, configuration and documents."""
    last_failure_at: datetime | None = None
    last_error: str | None = None
    last_success_id: str | None = None

    @property
    def failing(self) -> bool:
        """The latest run failed (or no run ever succeeded after a failure)."""
        if self.last_failure_at is None:
            return False
        return self.last_success_at is None or self.last_failure_at > self.last_success_at


def status_file(settings: Settings) -> Path:
    return settings.data_dir / STATUS_FILE_NAME


def backup_status(settings: Settings) -> BackupStatus:
    """The recorded outcome; without a record, the newest set in the backup folder."""
    status = read_status(status_file(settings))
    if status.last_success_at is None:
        newest = newest_set(settings.backup_dir)
        if newest is not None:
            status = replace(
                status,
                last_success_at=newest.finished_at,
                last_success_bytes=newest.total_bytes,
                last_success_id=newest.id,
            )
    return status


def read_status(path: Path) -> BackupStatus:
    """The status in ``path``; an absent or unreadable file is an empty status."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return BackupStatus()
    except (OSError, ValueError) as error:
        logger.warning("cannot read the backup status %s: %s", path, error)
        return BackupStatus()
    if not isinstance(data, dict):
        return BackupStatus()
    return BackupStatus(
        last_success_at=_moment(data.get("last_success_at")),
        last_success_bytes=_integer(data.get("last_success_bytes")),
        last_failure_at=_moment(data.get("last_failure_at")),
        last_error=data.get("last_error") if isinstance(data.get("last_error"), str) else None,
        last_success_id=(
            data.get("last_success_id") if isinstance(data.get("last_success_id"), str) else None
        ),
    )


def record_success(settings: Settings, backup_id: str, at: datetime, size: int) -> None:
    path = status_file(settings)
    previous = read_status(path)
    _write(
        path,
        replace(previous, last_success_at=at, last_success_bytes=size, last_success_id=backup_id),
    )


def record_failure(settings: Settings, at: datetime, error: str) -> None:
    path = status_file(settings)
    previous = read_status(path)
    _write(path, replace(previous, last_failure_at=at, last_error=error[:MAX_ERROR_LENGTH]))


def _write(path: Path, status: BackupStatus) -> None:
    data: dict[str, Any] = asdict(status)
    for name in ("last_success_at", "last_failure_at"):
        if data[name] is not None:
            data[name] = data[name].isoformat()
    write_atomically(path, (json.dumps(data, indent=2) + "\n").encode(), mode=0o640)


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
