"""``verify`` proves a set can be restored, and names the part when it cannot."""

from __future__ import annotations

import dataclasses

from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.catalogue import load_set
from nex_automat.ops.backup.layout import MANIFEST, BackupFolder
from nex_automat.ops.backup.manifest import BackupKind, read_documents_index, write_manifest
from nex_automat.ops.backup.runs import take_backup
from nex_automat.ops.backup.verify import verify_backup
from nex_automat.ops.config import Settings

from .sites import flip_byte, make_settings, opened


def test_a_sound_set_passes_with_the_database_read_back(ingested: Settings) -> None:
    with opened(ingested) as db:
        manifest = take_backup(ingested, db, kind=BackupKind.MANUAL)

    report = verify_backup(ingested, manifest.id)

    assert report.ok, report.findings
    assert report.tables == manifest.tables
    assert report.tables["invoices"] == 3
    assert report.documents_checked == manifest.document_count
    assert report.notes == []


def test_a_flipped_byte_in_each_part_in_turn_is_found_and_named(ingested: Settings) -> None:
    with opened(ingested) as db:
        manifest = take_backup(ingested, db, kind=BackupKind.MANUAL)
    folder = BackupFolder(ingested.backup_dir)
    directory = folder.set_dir(manifest.id)
    assert manifest.config is not None
    some_document = read_documents_index(directory / manifest.documents_index.file)[0]
    parts = {
        manifest.database.file: directory / manifest.database.file,
        manifest.documents_index.file: directory / manifest.documents_index.file,
        manifest.config.file: directory / manifest.config.file,
        f"blob {some_document.sha256}": BlobStore(folder.blobs_dir).path(some_document.sha256),
        MANIFEST: directory / MANIFEST,
    }

    for name, path in parts.items():
        flip_byte(path)
        report = verify_backup(ingested, manifest.id)
        flip_byte(path)

        assert [finding.part for finding in report.findings] == [name]
    assert verify_backup(ingested, manifest.id).ok


def test_rows_read_back_are_compared_with_the_manifest(ingested: Settings) -> None:
    with opened(ingested) as db:
        manifest = take_backup(ingested, db, kind=BackupKind.MANUAL)
    tables = dict(manifest.tables, invoices=manifest.tables["invoices"] + 1)
    write_manifest(
        BackupFolder(ingested.backup_dir).set_dir(manifest.id),
        dataclasses.replace(manifest, tables=tables),
    )

    report = verify_backup(ingested, manifest.id)

    assert [(f.part, f.problem) for f in report.findings] == [
        (manifest.database.file, "table invoices: 3 rows read back, the manifest says 4 rows")
    ]


def test_a_config_copy_sealed_with_another_key_is_reported(ingested: Settings) -> None:
    with opened(ingested) as db:
        manifest = take_backup(ingested, db, kind=BackupKind.MANUAL)
    other_key = make_settings(
        ingested.data_dir,
        ingested.effective_database_url(),
        ingested.backup_dir,
        key="00" * 32,
    )

    report = verify_backup(other_key, manifest.id)

    assert manifest.config is not None
    assert [finding.part for finding in report.findings] == [manifest.config.file]
    assert "does not open with the configured backup key" in report.findings[0].problem


def test_without_a_key_the_config_copy_is_noted_as_unchecked(ingested: Settings) -> None:
    with opened(ingested) as db:
        manifest = take_backup(ingested, db, kind=BackupKind.MANUAL)
    keyless = make_settings(
        ingested.data_dir, ingested.effective_database_url(), ingested.backup_dir, key=None
    )

    report = verify_backup(keyless, manifest.id)

    assert report.ok
    assert report.notes == ["configuration: not opened, no backup key is configured"]


def test_the_newest_set_is_verified_when_no_id_is_given(ingested: Settings) -> None:
    with opened(ingested) as db:
        take_backup(ingested, db, kind=BackupKind.MANUAL)
        newest = take_backup(ingested, db, kind=BackupKind.MANUAL)

    assert verify_backup(ingested).backup_id == newest.id
    assert load_set(ingested.backup_dir, None).id == newest.id
