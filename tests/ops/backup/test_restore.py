"""The restore drill: ingest, back up, lose everything, restore, and find it all again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import make_url

from nex_automat.ops.backup.catalogue import load_set
from nex_automat.ops.backup.errors import BackupDamaged, RestoreRefused
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.manifest import BackupKind
from nex_automat.ops.backup.restore import RESTORED_CONFIG_NAME, check_target, restore_backup
from nex_automat.ops.backup.runs import take_backup
from nex_automat.ops.config import Settings
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import build_services
from nex_automat.store.files import DocumentFiles, sha256_hex
from nex_automat.store.tenant_folders import has_shared_files
from nex_automat.store.tenants import create_tenant
from tests.databases import drop_postgres_database
from tests.pipeline.documents import arrival, invoice_pdf
from tests.store.shared_layout import share_tenant_files

from .sites import (
    CONFIG_TEXT,
    KEY,
    document_hashes,
    flip_byte,
    make_settings,
    opened,
    table_rows,
)


def back_up(settings: Settings) -> str:
    with opened(settings) as db:
        return take_backup(settings, db, kind=BackupKind.MANUAL).id


def destroy(settings: Settings) -> None:
    """The disk with the data folder is gone, and so is the database."""
    shutil.rmtree(settings.data_dir)
    url = settings.effective_database_url()
    if make_url(url).get_backend_name() == "postgresql":
        drop_postgres_database(url)


def test_restore_drill_brings_back_every_row_and_every_document(
    ingested: Settings, empty_site: Settings
) -> None:
    rows = table_rows(ingested.effective_database_url())
    documents = document_hashes(ingested.documents_dir)
    assert rows["invoices"] and rows["invoice_lines"] and len(documents) >= 3
    backup_id = back_up(ingested)
    destroy(ingested)

    report = restore_backup(empty_site, load_set(empty_site.backup_dir, backup_id))

    assert report.problems == []
    assert table_rows(empty_site.effective_database_url()) == rows
    assert document_hashes(empty_site.documents_dir) == documents
    assert report.documents == len(documents)
    assert report.config_written == empty_site.config_file
    assert empty_site.config_file.read_text() == CONFIG_TEXT


def test_the_restored_installation_takes_new_invoices(
    ingested: Settings, empty_site: Settings
) -> None:
    backup_id = back_up(ingested)
    destroy(ingested)
    restore_backup(empty_site, load_set(empty_site.backup_dir, backup_id))

    services = build_services(empty_site)
    try:
        pdf = invoice_pdf(4)
        services.intake.receive(empty_site.default_tenant, pdf, arrival())
        assert run_pending(services.queue, services.processor) == 1
        files = services.files.tenant(empty_site.default_tenant)
        assert files.get(sha256_hex(pdf)) == pdf
        assert files.get(sha256_hex(invoice_pdf(1))) == invoice_pdf(1)
    finally:
        services.close()


def test_a_set_of_two_tenants_with_the_same_bytes_brings_back_each_tenants_file(
    site: Settings, empty_site: Settings
) -> None:
    pdf = invoice_pdf(5)
    services = build_services(site)
    try:
        with services.db.session() as session:
            create_tenant(session, "globex", "Globex a.s.")
        for tenant in (site.default_tenant, "globex"):
            services.intake.receive(tenant, pdf, arrival())
        run_pending(services.queue, services.processor)
    finally:
        services.close()
    documents = document_hashes(site.documents_dir)
    backup_id = back_up(site)
    destroy(site)

    restore_backup(empty_site, load_set(empty_site.backup_dir, backup_id))

    assert document_hashes(empty_site.documents_dir) == documents
    restored = DocumentFiles(empty_site.documents_dir)
    for tenant in (site.default_tenant, "globex"):
        assert restored.tenant(tenant).get(sha256_hex(pdf)) == pdf


def test_a_set_of_the_shared_layout_restores_and_the_start_moves_it_into_tenant_folders(
    ingested: Settings, empty_site: Settings
) -> None:
    share_tenant_files(ingested.documents_dir)
    shared = document_hashes(ingested.documents_dir)
    backup_id = back_up(ingested)
    destroy(ingested)

    report = restore_backup(empty_site, load_set(empty_site.backup_dir, backup_id))
    assert report.problems == []
    assert document_hashes(empty_site.documents_dir) == shared

    services = build_services(empty_site)
    try:
        files = services.files.tenant(empty_site.default_tenant)
        for seed in (1, 2, 3):
            assert files.get(sha256_hex(invoice_pdf(seed))) == invoice_pdf(seed)
    finally:
        services.close()
    assert not has_shared_files(empty_site.documents_dir)
    assert sorted(document_hashes(empty_site.documents_dir).values()) == sorted(shared.values())
    with opened(empty_site) as db:
        after_move = take_backup(empty_site, db, kind=BackupKind.MANUAL)
    assert after_move.new_blobs == 0, "the moved files are the blobs the set already has"


def test_a_database_with_tables_is_refused_before_anything_is_written(
    ingested: Settings, tmp_path: Path
) -> None:
    backup_id = back_up(ingested)
    target = make_settings(
        tmp_path / "other", ingested.effective_database_url(), ingested.backup_dir
    )
    manifest = load_set(target.backup_dir, backup_id)

    with pytest.raises(RestoreRefused, match="is not empty"):
        restore_backup(target, manifest)
    assert not target.documents_dir.exists()


def test_a_documents_folder_with_files_is_refused(ingested: Settings, empty_site: Settings) -> None:
    backup_id = back_up(ingested)
    (empty_site.documents_dir / "ab").mkdir(parents=True)
    (empty_site.documents_dir / "ab" / "left-over").write_bytes(b"%PDF-1.7 old")

    with pytest.raises(RestoreRefused, match=r"documents folder .* is not empty"):
        check_target(empty_site, load_set(empty_site.backup_dir, backup_id))


def test_a_set_of_the_other_database_kind_is_refused(ingested: Settings, tmp_path: Path) -> None:
    backup_id = back_up(ingested)
    other = (
        "postgresql+psycopg://postgres@127.0.0.1:5432/never_used"
        if ingested.effective_database_url().startswith("sqlite")
        else f"sqlite:///{tmp_path / 'other' / 'nex-automat.db'}"
    )
    target = make_settings(tmp_path / "other", other, ingested.backup_dir)

    with pytest.raises(RestoreRefused, match="database and the configured database is"):
        check_target(target, load_set(target.backup_dir, backup_id))


def test_a_damaged_blob_stops_the_restore_before_the_database_is_touched(
    ingested: Settings, empty_site: Settings
) -> None:
    backup_id = back_up(ingested)
    blobs = BackupFolder(ingested.backup_dir).blobs_dir
    next(path for path in sorted(blobs.rglob("*")) if path.is_file()).unlink()

    with pytest.raises(BackupDamaged, match=r"is missing .* nothing was restored"):
        restore_backup(empty_site, load_set(empty_site.backup_dir, backup_id))
    check_target(empty_site, load_set(empty_site.backup_dir, backup_id))


def test_a_damaged_database_copy_stops_the_restore(
    ingested: Settings, empty_site: Settings
) -> None:
    backup_id = back_up(ingested)
    manifest = load_set(ingested.backup_dir, backup_id)
    flip_byte(BackupFolder(ingested.backup_dir).set_dir(backup_id) / manifest.database.file)

    with pytest.raises(BackupDamaged, match=f"{manifest.database.file}: SHA-256"):
        restore_backup(empty_site, manifest)
    check_target(empty_site, manifest)


def test_an_existing_config_file_is_kept_and_the_copy_written_beside_it(
    ingested: Settings, empty_site: Settings
) -> None:
    backup_id = back_up(ingested)
    empty_site.data_dir.mkdir(parents=True, exist_ok=True)
    empty_site.config_file.write_text("database_url: postgresql+psycopg://new-server/nex\n")

    report = restore_backup(empty_site, load_set(empty_site.backup_dir, backup_id))

    assert report.config_written == empty_site.data_dir / RESTORED_CONFIG_NAME
    assert report.config_written.read_text() == CONFIG_TEXT
    assert "new-server" in empty_site.config_file.read_text()


def test_without_the_key_everything_but_the_config_is_restored(
    ingested: Settings, empty_site: Settings
) -> None:
    backup_id = back_up(ingested)
    keyless = make_settings(
        empty_site.data_dir,
        empty_site.effective_database_url(),
        empty_site.backup_dir,
        key=None,
    )

    report = restore_backup(keyless, load_set(keyless.backup_dir, backup_id))

    assert report.problems == []
    assert report.config_written is None
    assert report.config_note is not None and "no backup key" in report.config_note
    assert not keyless.config_file.exists()
    assert KEY not in str(report)
