"""Taking a set: what goes in, what is copied again, and what is left when it fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import make_url

from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.create import create_backup
from nex_automat.ops.backup.crypto import unseal
from nex_automat.ops.backup.errors import BackupError
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.manifest import BackupKind, read_documents_index
from nex_automat.ops.config import Settings, decode_backup_key
from nex_automat.store.files import DocumentFiles

from .sites import CONFIG_TEXT, KEY, document_hashes, failing_backup, ingest, make_settings, opened


def blob_files(settings: Settings) -> dict[str, int]:
    """Every blob of the backup folder with the inode it lives in."""
    root = BackupFolder(settings.backup_dir).blobs_dir
    return {path.name: path.stat().st_ino for path in root.rglob("*") if path.is_file()}


def test_a_set_holds_the_database_every_document_file_and_the_sealed_config(
    ingested: Settings,
) -> None:
    with opened(ingested) as db:
        manifest = create_backup(ingested, db, kind=BackupKind.MANUAL)
    directory = BackupFolder(ingested.backup_dir).set_dir(manifest.id)
    entries = read_documents_index(directory / manifest.documents_index.file)

    assert {entry.path: entry.sha256 for entry in entries} == document_hashes(
        ingested.documents_dir
    )
    assert manifest.tables["invoices"] == 3 and manifest.tables["documents"] == 3
    assert manifest.schema_revision is not None
    assert manifest.database_kind == make_url(ingested.effective_database_url()).get_backend_name()
    assert manifest.config is not None
    sealed = (directory / manifest.config.file).read_bytes()
    assert CONFIG_TEXT.encode() not in sealed
    assert unseal(decode_backup_key(KEY), sealed) == CONFIG_TEXT.encode()
    on_disk = sum((directory / part.file).stat().st_size for part in manifest.parts())
    assert manifest.total_bytes == on_disk + sum(entry.size for entry in entries)


def test_the_next_backup_copies_only_the_new_document_files(ingested: Settings) -> None:
    with opened(ingested) as db:
        first = create_backup(ingested, db, kind=BackupKind.SCHEDULED)
    blobs_before = blob_files(ingested)
    files_before = document_hashes(ingested.documents_dir)
    ingest(ingested, (4, 5))
    added = {
        path: sha256
        for path, sha256 in document_hashes(ingested.documents_dir).items()
        if path not in files_before
    }

    with opened(ingested) as db:
        second = create_backup(ingested, db, kind=BackupKind.SCHEDULED)
    blobs_after = blob_files(ingested)

    assert first.new_blobs == first.document_count
    assert second.document_count == first.document_count + len(added)
    assert second.new_blobs == len(set(added.values()))
    assert second.new_bytes == sum((ingested.documents_dir / path).stat().st_size for path in added)
    assert set(blobs_after) == set(blobs_before) | set(added.values())
    assert {name: blobs_after[name] for name in blobs_before} == blobs_before


def test_a_file_replaced_in_place_is_copied_again(site: Settings) -> None:
    files = DocumentFiles(site.documents_dir).tenant(site.default_tenant)
    sha256 = files.put(b"%PDF-1.7 an invoice")
    files.put_derived(sha256, ".isdoc.xml", b"<Invoice>first</Invoice>")
    with opened(site) as db:
        create_backup(site, db, kind=BackupKind.MANUAL)
    derived = files.derived_path(sha256, ".isdoc.xml")
    files.put_derived(sha256, ".isdoc.xml", b"<Invoice>other</Invoice>")
    os.utime(derived, ns=(derived.stat().st_atime_ns, derived.stat().st_mtime_ns + 1_000_000))

    with opened(site) as db:
        second = create_backup(site, db, kind=BackupKind.MANUAL)

    assert second.new_blobs == 1
    restored = BlobStore(BackupFolder(site.backup_dir).blobs_dir)
    entry = next(
        e
        for e in read_documents_index(
            BackupFolder(site.backup_dir).set_dir(second.id) / second.documents_index.file
        )
        if e.path.endswith(".isdoc.xml")
    )
    assert restored.path(entry.sha256).read_bytes() == b"<Invoice>other</Invoice>"


def test_files_still_being_written_are_left_out(site: Settings) -> None:
    DocumentFiles(site.documents_dir).tenant(site.default_tenant).put(b"%PDF-1.7 whole")
    half = site.documents_dir / "ab" / "cd" / ".abcd.123.tmp"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"%PDF-1.7 ha")

    with opened(site) as db:
        manifest = create_backup(site, db, kind=BackupKind.MANUAL)

    assert manifest.document_count == 1


def test_without_a_key_the_config_is_left_out_and_the_set_says_why(site: Settings) -> None:
    keyless = make_settings(site.data_dir, site.effective_database_url(), site.backup_dir, key=None)

    with opened(keyless) as db:
        manifest = create_backup(keyless, db, kind=BackupKind.MANUAL)

    assert manifest.config is None
    assert manifest.config_note is not None
    assert "no backup key" in manifest.config_note and "NEX_BACKUP__KEY" in manifest.config_note
    assert manifest.parts() == [manifest.database, manifest.documents_index]


def test_a_failed_backup_leaves_no_set_behind(site: Settings, tmp_path: Path) -> None:
    with failing_backup(site, tmp_path) as (settings, db), pytest.raises(BackupError):
        create_backup(settings, db, kind=BackupKind.MANUAL)

    folder = BackupFolder(site.backup_dir)
    assert folder.ids() == [] and folder.partial_dirs() == []


def test_two_sets_in_the_same_second_get_different_ids(site: Settings) -> None:
    with opened(site) as db:
        ids = {create_backup(site, db, kind=BackupKind.MANUAL).id for _ in range(3)}
    assert len(ids) == 3
    assert BackupFolder(site.backup_dir).ids() == sorted(ids)
