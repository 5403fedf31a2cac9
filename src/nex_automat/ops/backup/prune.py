"""Removing the sets retention does not keep, and the blobs no remaining set needs.

Blobs are removed only when the document list of every kept set could be read: a blob
whose owner cannot be known is kept. Sets and blob copies left unfinished by a killed
run are removed too. The caller holds the backup lock.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.catalogue import Listed, list_sets
from nex_automat.ops.backup.errors import BackupDamaged
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.manifest import BackupKind, read_documents_index
from nex_automat.ops.backup.retention import Dated, sets_to_keep
from nex_automat.ops.config import Settings


@dataclass
class PruneReport:
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    blobs_removed: int = 0
    bytes_freed: int = 0
    unfinished_removed: int = 0
    note: str | None = None


def prune_backups(settings: Settings, *, dry_run: bool = False) -> PruneReport:
    """Apply the retention of ``settings``; with ``dry_run`` only say what would go."""
    folder = BackupFolder(settings.backup_dir)
    listed = list_sets(folder.root)
    keep = sets_to_keep([_dated(item) for item in listed], settings.backup.keep)
    report = PruneReport(
        kept=[item.id for item in listed if item.id in keep],
        removed=[item.id for item in listed if item.id not in keep],
    )
    needed, unreadable = _needed_blobs(folder, [item for item in listed if item.id in keep])
    for backup_id in report.removed:
        report.bytes_freed += _remove(folder.set_dir(backup_id), dry_run)
    for unfinished in folder.partial_dirs():
        report.bytes_freed += _remove(unfinished, dry_run)
        report.unfinished_removed += 1
    blobs = BlobStore(folder.blobs_dir)
    for leftover in list(blobs.leftovers()):
        report.bytes_freed += _remove(leftover, dry_run)
        report.unfinished_removed += 1
    if unreadable:
        report.note = (
            "no document contents removed: the document lists of "
            f"{', '.join(unreadable)} cannot be read (`nex-automat backup verify` them)"
        )
        return report
    for sha256 in [sha256 for sha256 in blobs.hashes() if sha256 not in needed]:
        report.bytes_freed += _remove(blobs.path(sha256), dry_run)
        report.blobs_removed += 1
    return report


def _dated(item: Listed) -> Dated:
    if item.manifest is None:
        moment = datetime.strptime(item.id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return Dated(item.id, moment.astimezone())
    return Dated(
        item.id,
        item.manifest.created_at.astimezone(),
        pre_upgrade=item.manifest.kind == BackupKind.PRE_UPGRADE,
    )


def _needed_blobs(folder: BackupFolder, kept: list[Listed]) -> tuple[set[str], list[str]]:
    needed: set[str] = set()
    unreadable = []
    for item in kept:
        if item.manifest is None:
            unreadable.append(item.id)
            continue
        index = folder.set_dir(item.id) / item.manifest.documents_index.file
        try:
            needed |= {entry.sha256 for entry in read_documents_index(index)}
        except BackupDamaged:
            unreadable.append(item.id)
    return needed, unreadable


def _remove(path: Path, dry_run: bool) -> int:
    """Delete a file or folder; returns the bytes it held."""
    if path.is_dir():
        size = sum(child.stat().st_size for child in path.rglob("*") if child.is_file())
        if not dry_run:
            shutil.rmtree(path)
        return size
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    if not dry_run:
        path.unlink(missing_ok=True)
    return size
