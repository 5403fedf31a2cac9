"""The sets in a backup folder: listed newest first, looked up by id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nex_automat.ops.backup.errors import BackupDamaged, BackupNotFound
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.manifest import Manifest, read_manifest


@dataclass(frozen=True, slots=True)
class Listed:
    """A set as ``backup list`` shows it: its manifest, or why the manifest is unusable."""

    id: str
    manifest: Manifest | None
    problem: str | None = None


def list_sets(root: Path) -> list[Listed]:
    """Every complete set, newest first; a damaged manifest is listed, not hidden."""
    folder = BackupFolder(root)
    listed = []
    for backup_id in reversed(folder.ids()):
        try:
            listed.append(Listed(backup_id, read_manifest(folder.set_dir(backup_id))))
        except BackupDamaged as error:
            listed.append(Listed(backup_id, None, error.message))
    return listed


def newest_set(root: Path) -> Manifest | None:
    """The newest set whose manifest can be read."""
    for item in list_sets(root):
        if item.manifest is not None:
            return item.manifest
    return None


def load_set(root: Path, backup_id: str | None) -> Manifest:
    """The set ``backup_id`` (the newest when ``None``), its manifest checked."""
    folder = BackupFolder(root)
    if backup_id is None:
        ids = folder.ids()
        if not ids:
            raise BackupNotFound(f"no backups in {root}")
        backup_id = ids[-1]
    try:
        directory = folder.set_dir(backup_id)
    except ValueError:
        raise BackupNotFound(
            f"{backup_id!r} is not a backup id (they look like 20261130T020000Z)"
        ) from None
    if not directory.is_dir():
        raise BackupNotFound(
            f"no backup {backup_id} in {root}; `nex-automat backup list` shows them"
        )
    return read_manifest(directory)
