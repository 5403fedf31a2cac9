"""The documents folder's part of a set: every file in it, as blobs by SHA-256.

A file whose size and modification time are those the previous set recorded, and whose
blob is in the store, is taken as unchanged without being read again: that is what keeps
a nightly backup of a large archive short. Anything else is read once, hashed and copied
in the same pass. Restored files get their recorded modification time back, so the first
backup after a restore is incremental too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.errors import BackupDamaged
from nex_automat.ops.backup.layout import Progress
from nex_automat.ops.backup.manifest import DocumentEntry

COPYING = "Copying documents"
RESTORING = "Restoring documents"


@dataclass(frozen=True, slots=True)
class DocumentsTaken:
    entries: list[DocumentEntry]
    new_blobs: int
    new_bytes: int

    @property
    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.entries)


def document_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every file under ``root`` as (path relative to it with ``/``, path), sorted.

    Names starting with a dot are files still being written (see ``write_atomically``).
    """
    if not root.is_dir():
        return
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            yield path.relative_to(root).as_posix(), path


def has_files(root: Path) -> bool:
    return next(document_files(root), None) is not None


def take_documents(
    root: Path, blobs: BlobStore, previous: list[DocumentEntry], on_progress: Progress
) -> DocumentsTaken:
    """Put every document file of ``root`` into ``blobs``; copies only what is new."""
    known = {entry.path: entry for entry in previous}
    files = list(document_files(root))
    entries: list[DocumentEntry] = []
    new_blobs = new_bytes = 0
    on_progress(COPYING, 0, len(files))
    for done, (relative, path) in enumerate(files, start=1):
        try:
            status = path.stat()
        except FileNotFoundError:  # replaced or removed while we walked
            continue
        before = known.get(relative)
        unchanged = (
            before is not None
            and before.size == status.st_size
            and before.mtime_ns == status.st_mtime_ns
            and blobs.has(before.sha256, before.size)
        )
        if unchanged and before is not None:
            entries.append(before)
        else:
            sha256, size, added = blobs.add(path)
            entries.append(DocumentEntry(relative, sha256, size, status.st_mtime_ns))
            if added:
                new_blobs += 1
                new_bytes += size
        on_progress(COPYING, done, len(files))
    return DocumentsTaken(entries, new_blobs, new_bytes)


def restore_documents(
    entries: list[DocumentEntry], blobs: BlobStore, root: Path, on_progress: Progress
) -> int:
    """Write every listed file back under ``root``, each checked against its SHA-256."""
    written = 0
    on_progress(RESTORING, 0, len(entries))
    for done, entry in enumerate(entries, start=1):
        target = root.joinpath(*_safe_parts(entry.path))
        written += blobs.copy_out(entry.sha256, target)
        os.utime(target, ns=(entry.mtime_ns, entry.mtime_ns))
        on_progress(RESTORING, done, len(entries))
    return written


def _safe_parts(relative: str) -> list[str]:
    """The parts of a recorded path; one that would leave the documents folder is refused."""
    parts = relative.split("/")
    if any(part in ("", ".", "..") or "\\" in part or ":" in part for part in parts):
        raise BackupDamaged(f"not a path inside the documents folder: {relative!r}")
    return parts
