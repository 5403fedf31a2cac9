"""Pruning removes the sets retention does not keep and the blobs no kept set needs."""

from __future__ import annotations

import gzip

from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.create import create_backup
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.manifest import BackupKind, read_documents_index
from nex_automat.ops.backup.prune import prune_backups
from nex_automat.ops.backup.verify import verify_backup
from nex_automat.ops.config import Settings
from nex_automat.store.files import DocumentFiles

from .sites import opened


def test_sets_outside_retention_go_with_the_blobs_only_they_needed(site: Settings) -> None:
    files = DocumentFiles(site.documents_dir).tenant(site.default_tenant)
    sha256 = files.put(b"%PDF-1.7 invoice 1")
    files.put_derived(sha256, ".isdoc.xml", b"<Invoice>as first read</Invoice>")
    with opened(site) as db:
        old = create_backup(site, db, kind=BackupKind.SCHEDULED)
        files.put_derived(sha256, ".isdoc.xml", b"<Invoice>as corrected</Invoice>")
        new = create_backup(site, db, kind=BackupKind.SCHEDULED)
    blobs = BlobStore(BackupFolder(site.backup_dir).blobs_dir)
    assert len(set(blobs.hashes())) == 3

    report = prune_backups(site)

    assert report.removed == [old.id] and report.kept == [new.id]
    assert report.blobs_removed == 1
    assert BackupFolder(site.backup_dir).ids() == [new.id]
    assert len(set(blobs.hashes())) == 2
    assert verify_backup(site, new.id).ok


def test_a_dry_run_removes_nothing(site: Settings) -> None:
    with opened(site) as db:
        old = create_backup(site, db, kind=BackupKind.SCHEDULED)
        new = create_backup(site, db, kind=BackupKind.SCHEDULED)

    report = prune_backups(site, dry_run=True)

    assert report.removed == [old.id] and report.bytes_freed > 0
    assert BackupFolder(site.backup_dir).ids() == [old.id, new.id]


def test_a_set_taken_before_an_upgrade_stays(site: Settings) -> None:
    with opened(site) as db:
        before_upgrade = create_backup(site, db, kind=BackupKind.PRE_UPGRADE)
        nightly = create_backup(site, db, kind=BackupKind.SCHEDULED)

    report = prune_backups(site)

    assert report.removed == []
    assert BackupFolder(site.backup_dir).ids() == [before_upgrade.id, nightly.id]


def test_unfinished_sets_of_killed_runs_are_cleared(site: Settings) -> None:
    folder = BackupFolder(site.backup_dir)
    with opened(site) as db:
        create_backup(site, db, kind=BackupKind.SCHEDULED)
    killed = folder.partial_dir("20260101T020000Z")
    killed.mkdir()
    (killed / "database.sqlite").write_bytes(b"half a copy")

    report = prune_backups(site)

    assert report.unfinished_removed == 1
    assert not killed.exists()


def test_blobs_stay_when_a_kept_set_cannot_say_what_it_needs(site: Settings) -> None:
    files = DocumentFiles(site.documents_dir).tenant(site.default_tenant)
    sha256 = files.put(b"%PDF-1.7 invoice 1")
    files.put_derived(sha256, ".isdoc.xml", b"<Invoice>first</Invoice>")
    with opened(site) as db:
        create_backup(site, db, kind=BackupKind.SCHEDULED)
        files.put_derived(sha256, ".isdoc.xml", b"<Invoice>second</Invoice>")
        kept = create_backup(site, db, kind=BackupKind.SCHEDULED)
    directory = BackupFolder(site.backup_dir).set_dir(kept.id)
    (directory / kept.documents_index.file).write_bytes(gzip.compress(b"not json\n"))

    report = prune_backups(site)

    assert report.blobs_removed == 0
    assert report.note is not None and kept.id in report.note
    assert len(set(BlobStore(BackupFolder(site.backup_dir).blobs_dir).hashes())) == 3


def test_blobs_a_kept_set_lists_are_never_removed(ingested: Settings) -> None:
    with opened(ingested) as db:
        create_backup(ingested, db, kind=BackupKind.SCHEDULED)
        kept = create_backup(ingested, db, kind=BackupKind.SCHEDULED)

    prune_backups(ingested)

    directory = BackupFolder(ingested.backup_dir).set_dir(kept.id)
    needed = {e.sha256 for e in read_documents_index(directory / kept.documents_index.file)}
    assert set(BlobStore(BackupFolder(ingested.backup_dir).blobs_dir).hashes()) == needed
