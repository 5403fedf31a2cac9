"""Restoring a set into an empty database and an empty documents folder, then checking it.

Nothing is written until the target is known to be empty and of the set's kind, the
set's schema is known to this version, and every part and blob of the set is present
with the right checksum. The database goes in first (PostgreSQL in one transaction), then
the document files, each hashed as it is written; then the restored database is counted
and compared with the manifest.

Files are written back under the paths the set recorded. A set taken before tenant folders
therefore restores the shared layout, which the next start moves into the tenants' folders
as any upgrade does (see :mod:`nex_automat.ops.upgrade`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import make_url

from nex_automat.errors import NexError
from nex_automat.files import write_atomically
from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.crypto import unseal
from nex_automat.ops.backup.databases import count_live, refuse_unless_empty, restore_copy
from nex_automat.ops.backup.documents import has_files, restore_documents
from nex_automat.ops.backup.errors import BackupDamaged, RestoreRefused
from nex_automat.ops.backup.layout import BackupFolder, Progress, no_progress
from nex_automat.ops.backup.lock import backup_lock
from nex_automat.ops.backup.manifest import DocumentEntry, Manifest, read_documents_index
from nex_automat.ops.backup.verify import differences, part_problem
from nex_automat.ops.config import Settings
from nex_automat.store.db import open_database

RESTORING_DATABASE = "Restoring the database"
CHECKING_RESTORE = "Checking the restored database"
RESTORED_CONFIG_NAME = "config.yaml.restored"


@dataclass
class RestoreReport:
    manifest: Manifest
    documents: int = 0
    document_bytes: int = 0
    config_written: Path | None = None
    config_note: str | None = None
    problems: list[str] = field(default_factory=list)
    """How the restored database differs from the manifest; empty when it matches."""


def check_target(settings: Settings, manifest: Manifest) -> None:
    """:class:`RestoreRefused` unless ``manifest``'s set can go into the configured target."""
    url = settings.effective_database_url()
    kind = make_url(url).get_backend_name()
    if kind != manifest.database_kind:
        raise RestoreRefused(
            f"backup {manifest.id} holds a {manifest.database_kind} database and the configured "
            f"database is {kind}; set database_url to an empty {manifest.database_kind} database"
        )
    if manifest.schema_revision is not None and not _known(url, manifest.schema_revision):
        raise RestoreRefused(
            f"backup {manifest.id} was made by NEX Automat {manifest.nex_automat_version} "
            f"(schema {manifest.schema_revision}), which this version does not know; install "
            f"version {manifest.nex_automat_version} or newer to restore it"
        )
    refuse_unless_empty(url)
    if has_files(settings.documents_dir):
        raise RestoreRefused(
            f"the documents folder {settings.documents_dir} is not empty; restore into a new "
            "data folder, or move the old one away first"
        )


def restore_backup(
    settings: Settings, manifest: Manifest, *, on_progress: Progress = no_progress
) -> RestoreReport:
    """Restore ``manifest``'s set into the installation ``settings`` describe."""
    folder = BackupFolder(settings.backup_dir)
    directory = folder.set_dir(manifest.id)
    with backup_lock(folder):
        check_target(settings, manifest)
        entries = _checked_set(manifest, directory, BlobStore(folder.blobs_dir))
        url = settings.effective_database_url()
        on_progress(RESTORING_DATABASE, 0, None)
        restore_copy(manifest, directory, url, tools=settings.backup.pg_tools_dir)
        on_progress(RESTORING_DATABASE, 1, 1)
        report = RestoreReport(manifest, documents=len(entries))
        report.document_bytes = restore_documents(
            entries, BlobStore(folder.blobs_dir), settings.documents_dir, on_progress
        )
        report.config_written, report.config_note = _restore_config(settings, manifest, directory)
        on_progress(CHECKING_RESTORE, 0, None)
        report.problems = differences(manifest, count_live(url))
        on_progress(CHECKING_RESTORE, 1, 1)
    return report


def _known(url: str, revision: str) -> bool:
    db = open_database(url)
    try:
        return db.knows_revision(revision)
    finally:
        db.dispose()


def _checked_set(manifest: Manifest, directory: Path, blobs: BlobStore) -> list[DocumentEntry]:
    """The set's document list, once every part matches and every blob is there."""
    for part in manifest.parts():
        problem = part_problem(directory, part)
        if problem is not None:
            raise BackupDamaged(f"{part.file}: {problem}; nothing was restored")
    entries = read_documents_index(directory / manifest.documents_index.file)
    for entry in entries:
        if not blobs.has(entry.sha256, entry.size):
            raise BackupDamaged(
                f"blob {entry.sha256} (document {entry.path}) is missing or has the wrong size; "
                "nothing was restored"
            )
    return entries


def _restore_config(
    settings: Settings, manifest: Manifest, directory: Path
) -> tuple[Path | None, str | None]:
    """Write the configuration back; beside an existing config file, never over it."""
    if manifest.config is None:
        return None, manifest.config_note
    try:
        key = settings.backup.encryption_key()
        if key is None:
            return None, "not restored: no backup key is configured to open it"
        plaintext = unseal(key, (directory / manifest.config.file).read_bytes())
    except NexError as error:
        return None, f"not restored: {error.message}"
    target = settings.config_file
    if target.exists():
        target = target.with_name(RESTORED_CONFIG_NAME)
    write_atomically(target, plaintext, mode=0o600)
    return target, None
