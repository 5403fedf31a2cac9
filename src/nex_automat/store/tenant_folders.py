"""Moving document files of the earlier, shared layout into their tenants' folders.

Installations before tenant folders kept every file at ``documents/ab/cd/<sha256>``,
shared by every tenant that received the same bytes. Each such file (with the files
generated beside it) is given to every tenant whose documents refer to it: the first gets
a hard link, which costs neither time nor space, every other one its own copy. The new
names are synced to disk, the documents are looked up again, and only when every tenant
that refers to the file has it is the shared name removed. A crash at any point leaves
each file under its shared name, its tenant's name or both, never under neither, and the
next run finishes the work: a name a tenant already has is left as it is, since it holds
the same bytes (or, for a generated file, a newer rendering).

A file no document refers to (a crash between storing bytes and recording them) is set
aside in :data:`UNREFERENCED`, which no tenant id can name, so nothing is lost and the
shared layout ends up empty: the store reads only tenant folders.

A tenant folder of a two-letter tenant id (``ab``) can sit where a shared folder did; it
is told apart by depth: its files are one level deeper.
"""

from __future__ import annotations

import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import select

from nex_automat.files import copy_into_place, sync_folder
from nex_automat.store.db import Database
from nex_automat.store.files import FILE_MODE, DocumentFiles, content_path
from nex_automat.store.models import Document

logger = logging.getLogger(__name__)

UNREFERENCED = "_unreferenced"
"""Where shared files no document refers to are kept; a tenant id never starts with ``_``."""

BATCH = 500
"""Files looked up in the database at a time."""

_PREFIX = re.compile(r"[0-9a-f]{2}")
_NAME = re.compile(r"(?P<sha256>[0-9a-f]{64})(\.[a-z0-9]+)*")


@dataclass
class FolderMoves:
    """What a run did, counted in files (an original and each file generated from it)."""

    copied: int = 0
    """Names written into tenant folders."""
    removed: int = 0
    """Shared names removed, once every tenant had its own."""
    unreferenced: int = 0
    """Shared files no document refers to, set aside in :data:`UNREFERENCED`."""
    left: int = 0
    """Shared files kept because a tenant referring to them did not get its copy."""


def shared_files(root: Path) -> Iterator[tuple[str, list[Path]]]:
    """Every file of the shared layout under ``root``, grouped by the document's SHA-256.

    Only names the store could have written count: files being written (starting with a
    dot) and anything else are left alone.
    """
    for first in _folders(root):
        for second in _folders(first):
            groups: dict[str, list[Path]] = defaultdict(list)
            for entry in sorted(os.scandir(second), key=lambda item: item.name):
                name = _NAME.fullmatch(entry.name)
                if name is None or not entry.is_file(follow_symlinks=False):
                    continue
                sha256 = name["sha256"]
                if sha256[:2] == first.name and sha256[2:4] == second.name:
                    groups[sha256].append(Path(entry.path))
            yield from groups.items()


def has_shared_files(root: Path) -> bool:
    return next(shared_files(root), None) is not None


def move_to_tenant_folders(db: Database, files: DocumentFiles) -> FolderMoves:
    """Give every shared file to the tenants whose documents refer to it, then remove it.

    Safe to run again at any time, also after a crash; the caller keeps backups from
    walking the folder meanwhile (they would miss a file between its two names).
    """
    moves = FolderMoves()
    groups = shared_files(files.root)
    while batch := dict(islice(groups, BATCH)):
        referring = _tenants_referring(db, list(batch))
        written: set[Path] = set()
        for sha256, paths in batch.items():
            for position, folder in enumerate(_owners(files, referring.get(sha256, set()))):
                original = content_path(folder, sha256)
                moves.copied += _place(paths, original, link=position == 0)
                written.update(_folder_chain(original.parent, files.root))
        for folder in sorted(written):
            sync_folder(folder)
        referring = _tenants_referring(db, list(batch))
        for sha256, paths in batch.items():
            tenants = referring.get(sha256, set())
            if not all(_has(folder, sha256, paths) for folder in _owners(files, tenants)):
                moves.left += len(paths)
                continue
            if not tenants:
                moves.unreferenced += len(paths)
            moves.removed += _remove(paths)
    if moves.removed or moves.left:
        logger.info(
            "document files moved into tenant folders: %d copied, %d shared names removed, "
            "%d set aside as referred to by no document, %d left for a later run",
            moves.copied,
            moves.removed,
            moves.unreferenced,
            moves.left,
        )
    return moves


def _folders(parent: Path) -> Iterator[Path]:
    """The sub-folders of ``parent`` named like the first digits of a SHA-256."""
    if not parent.is_dir():
        return
    for entry in sorted(os.scandir(parent), key=lambda item: item.name):
        if _PREFIX.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
            yield Path(entry.path)


def _owners(files: DocumentFiles, tenants: set[str]) -> list[Path]:
    """The folders a shared file goes to: its tenants', or the one for files nobody's."""
    if not tenants:
        return [files.root / UNREFERENCED]
    return [files.tenant(tenant).root for tenant in sorted(tenants)]


def _folder_chain(folder: Path, root: Path) -> list[Path]:
    """``folder`` and each folder above it up to ``root``: where a new folder's name lives."""
    chain = [folder]
    while chain[-1] != root:
        chain.append(chain[-1].parent)
    return chain


def _has(folder: Path, sha256: str, paths: list[Path]) -> bool:
    """Whether ``folder`` holds every one of ``paths`` under its own name."""
    original = content_path(folder, sha256)
    return all(original.with_name(path.name).is_file() for path in paths)


def _tenants_referring(db: Database, hashes: list[str]) -> dict[str, set[str]]:
    """The tenants with a document of each SHA-256 (a look across every tenant)."""
    found: dict[str, set[str]] = defaultdict(set)
    with db.session() as session:
        query = select(Document.sha256, Document.tenant_id).where(Document.sha256.in_(hashes))
        for sha256, tenant_id in session.execute(query.distinct()):
            found[sha256].add(tenant_id)
    return found


def _place(paths: list[Path], original: Path, *, link: bool) -> int:
    """Give ``original``'s folder each of ``paths`` under its own name; returns names written."""
    written = 0
    for path in paths:
        if copy_into_place(path, original.with_name(path.name), mode=FILE_MODE, link=link):
            written += 1
    return written


def _remove(paths: list[Path]) -> int:
    """Remove the shared names, the document itself last, and their folders once empty."""
    for path in sorted(paths, key=lambda item: len(item.name), reverse=True):
        path.unlink(missing_ok=True)
    folder = paths[0].parent
    sync_folder(folder)
    for empty in (folder, folder.parent):
        try:
            empty.rmdir()
        except OSError:
            break
    return len(paths)
