"""Where things are in a backup folder, and how a set gets its id.

```
<backup dir>/
  sets/<id>/manifest.json        what the set holds, with the SHA-256 of every part
  sets/<id>/manifest.sha256      the manifest's own SHA-256
  sets/<id>/database.sqlite      SQLite: a copy made with the online backup API
  sets/<id>/database.dump        PostgreSQL: pg_dump in its custom format
  sets/<id>/documents.jsonl.gz   the set's document files: path, SHA-256, size
  sets/<id>/config.yaml.enc      the configuration file, AES-256-GCM
  blobs/ab/cd/<sha256>           document contents, shared by every set
```

A set is built in ``sets/.<id>.partial`` and renamed when complete, so a set that is
listed is whole. An id is the UTC time the set was started, ``20261130T020000Z``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

SETS = "sets"
BLOBS = "blobs"
LOCK_FILE = ".lock"
MANIFEST = "manifest.json"
MANIFEST_CHECKSUM = "manifest.sha256"
DOCUMENTS_INDEX = "documents.jsonl.gz"
CONFIG_COPY = "config.yaml.enc"
SQLITE_COPY = "database.sqlite"
POSTGRES_DUMP = "database.dump"
PARTIAL_SUFFIX = ".partial"
ID_PATTERN = re.compile(r"\d{8}T\d{6}Z(-\d+)?")
FOLDER_MODE = 0o750
FILE_MODE = 0o640

Progress = Callable[[str, int, int | None], None]
"""Told ``(step, done, total)`` as work goes on; ``total`` is ``None`` when unknown."""


def no_progress(step: str, done: int, total: int | None) -> None:
    """The progress callback of work nobody watches."""


class BackupFolder:
    """A backup folder: its sets, its shared document blobs and its lock file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def sets_dir(self) -> Path:
        return self.root / SETS

    @property
    def blobs_dir(self) -> Path:
        return self.root / BLOBS

    @property
    def lock_file(self) -> Path:
        return self.root / LOCK_FILE

    def set_dir(self, backup_id: str) -> Path:
        if not ID_PATTERN.fullmatch(backup_id):
            raise ValueError(f"not a backup id: {backup_id!r}")
        return self.sets_dir / backup_id

    def partial_dir(self, backup_id: str) -> Path:
        return self.sets_dir / f".{backup_id}{PARTIAL_SUFFIX}"

    def create(self) -> None:
        for folder in (self.root, self.sets_dir, self.blobs_dir):
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)

    def ids(self) -> list[str]:
        """Ids of the complete sets, oldest first."""
        if not self.sets_dir.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.sets_dir.iterdir()
            if ID_PATTERN.fullmatch(entry.name) and (entry / MANIFEST).is_file()
        )

    def partial_dirs(self) -> list[Path]:
        """Sets left unfinished by a run that was killed."""
        if not self.sets_dir.is_dir():
            return []
        return sorted(
            entry
            for entry in self.sets_dir.iterdir()
            if entry.name.startswith(".") and entry.name.endswith(PARTIAL_SUFFIX)
        )

    def new_id(self, moment: datetime) -> str:
        """An id from ``moment`` not yet used by a complete or unfinished set."""
        base = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        candidate, number = base, 1
        while self.set_dir(candidate).exists() or self.partial_dir(candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate
