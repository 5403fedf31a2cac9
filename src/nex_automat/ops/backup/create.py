"""Taking a backup set: the database first, then the document files, the configuration,
and last the manifest, which makes the set complete.

The database is copied before the files: every document the copied database knows was
stored before its row was written, so it is on disk by the time the files are walked.
Files that arrive later are in the set too, which does no harm. The set is built under a
temporary name and renamed when whole; a run that fails or is killed leaves no set.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

from nex_automat import __version__
from nex_automat.files import sync_folder, write_atomically
from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.catalogue import newest_set
from nex_automat.ops.backup.crypto import seal
from nex_automat.ops.backup.databases import copy_database
from nex_automat.ops.backup.documents import take_documents
from nex_automat.ops.backup.errors import BackupDamaged
from nex_automat.ops.backup.layout import (
    CONFIG_COPY,
    DOCUMENTS_INDEX,
    FILE_MODE,
    FOLDER_MODE,
    BackupFolder,
    Progress,
    no_progress,
)
from nex_automat.ops.backup.manifest import (
    BackupKind,
    DocumentEntry,
    Manifest,
    Part,
    part_of,
    read_documents_index,
    write_documents_index,
    write_manifest,
)
from nex_automat.ops.config import Settings
from nex_automat.store.db import Database

logger = logging.getLogger(__name__)

COPYING_DATABASE = "Copying the database"
NO_KEY_NOTE = (
    "not included: no backup key is configured; set backup.key_file or NEX_BACKUP__KEY "
    "(`nex-automat backup keygen` makes a key)"
)


def create_backup(
    settings: Settings, db: Database, *, kind: BackupKind, on_progress: Progress = no_progress
) -> Manifest:
    """Take a new set in the backup folder and return its manifest.

    The caller holds the backup lock (see :mod:`nex_automat.ops.backup.runs`).
    """
    folder = BackupFolder(settings.backup_dir)
    folder.create()
    started = datetime.now(UTC)
    backup_id = folder.new_id(started)
    work = folder.partial_dir(backup_id)
    work.mkdir(mode=FOLDER_MODE)
    try:
        on_progress(COPYING_DATABASE, 0, None)
        url = db.engine.url.render_as_string(hide_password=False)
        copied = copy_database(db, url, work, tools=settings.backup.pg_tools_dir)
        on_progress(COPYING_DATABASE, 1, 1)
        blobs = BlobStore(folder.blobs_dir)
        taken = take_documents(settings.documents_dir, blobs, _previous(folder), on_progress)
        write_documents_index(work / DOCUMENTS_INDEX, taken.entries)
        config, config_note = _copy_config(settings, work)
        manifest = Manifest(
            id=backup_id,
            kind=kind,
            created_at=started,
            finished_at=datetime.now(UTC),
            nex_automat_version=__version__,
            schema_revision=copied.revision,
            database_kind=copied.kind,
            database_version=copied.version,
            database=part_of(work, copied.file),
            documents_index=part_of(work, DOCUMENTS_INDEX),
            config=config,
            config_note=config_note,
            tables=copied.tables,
            document_count=len(taken.entries),
            documents_bytes=taken.total_bytes,
            new_blobs=taken.new_blobs,
            new_bytes=taken.new_bytes,
        )
        write_manifest(work, manifest)
        work.rename(folder.set_dir(backup_id))
        sync_folder(folder.sets_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    logger.info(
        "backup %s taken: %d bytes, %d documents (%d new, %d bytes)",
        manifest.id,
        manifest.total_bytes,
        manifest.document_count,
        manifest.new_blobs,
        manifest.new_bytes,
    )
    return manifest


def _previous(folder: BackupFolder) -> list[DocumentEntry]:
    """The newest set's document list: files it lists unchanged are not read again."""
    newest = newest_set(folder.root)
    if newest is None:
        return []
    try:
        return read_documents_index(folder.set_dir(newest.id) / newest.documents_index.file)
    except BackupDamaged as error:
        logger.warning("every document is read again: %s", error.message)
        return []


def _copy_config(settings: Settings, work: Path) -> tuple[Part | None, str | None]:
    """The config file sealed with the backup key, or why it is not in the set."""
    source = settings.config_file
    if not source.is_file():
        return None, f"not included: there is no configuration file at {source}"
    key = settings.backup.encryption_key()
    if key is None:
        return None, NO_KEY_NOTE
    write_atomically(work / CONFIG_COPY, seal(key, source.read_bytes()), mode=FILE_MODE)
    return part_of(work, CONFIG_COPY), None
