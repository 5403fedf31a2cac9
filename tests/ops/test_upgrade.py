"""Upgrading an installation: a backup first, a failed step leaves the old schema working,
and document files of the shared layout end up in their tenants' folders.

Each test gets migrations of its own: this version's, copied, plus one more step written
by the test, one that works or one that fails half-way after changing the schema.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import nex_automat.store
from nex_automat.ops.backup import backup_status
from nex_automat.ops.backup.catalogue import list_sets
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.manifest import BackupKind, read_documents_index
from nex_automat.ops.config import Settings, load_settings
from nex_automat.ops.upgrade import (
    DocumentsNotMoved,
    UpgradeBackupFailed,
    UpgradeFailed,
    upgrade_database,
)
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import build_services
from nex_automat.store.db import Database, alembic_config, open_database
from nex_automat.store.files import sha256_hex
from nex_automat.store.tenant_folders import has_shared_files
from tests.databases import BACKENDS, create_postgres_database, drop_postgres_database
from tests.pipeline.documents import arrival, invoice_pdf
from tests.store.shared_layout import files_under, share_tenant_files

STEP = '''"""A step added by the test."""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_probe", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("tenants", sa.Column("probe", sa.Text, nullable=True))
    op.execute("UPDATE tenants SET probe = 'changed'")
{failure}

def downgrade() -> None:
    op.drop_column("tenants", "probe")
    op.drop_table("upgrade_probe")
'''
FAILURE = '    raise RuntimeError("the third step of the migration failed")\n'
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def migrations_with_step(folder: Path, *, fails: bool) -> str:
    """This version's migrations plus one step, in ``folder``; returns the script location."""
    source = Path(nex_automat.store.__file__).parent / "migrations"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__"))
    step = STEP.format(head=HEAD, failure=FAILURE if fails else "")
    (folder / "versions" / "9999_test_step.py").write_text(step)
    return str(folder)


@pytest.fixture(params=BACKENDS)
def installation(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """An installation at this version's schema with one invoice processed."""
    url = (
        f"sqlite:///{tmp_path / 'data' / 'nex-automat.db'}"
        if request.param == "sqlite"
        else create_postgres_database()
    )
    settings = load_settings(
        tmp_path / "data", database_url=url, workers=1, backup={"dir": tmp_path / "backups"}
    )
    services = build_services(settings)
    services.intake.receive(settings.default_tenant, invoice_pdf(1), arrival())
    run_pending(services.queue, services.processor)
    services.close()
    yield settings
    if request.param == "postgresql":
        drop_postgres_database(url)


def opened_with(settings: Settings, migrations: str) -> Database:
    return open_database(settings.effective_database_url(), migrations=migrations)


def test_a_backup_is_taken_before_an_existing_database_is_upgraded(
    installation: Settings, tmp_path: Path
) -> None:
    db = opened_with(installation, migrations_with_step(tmp_path / "m", fails=False))
    try:
        report = upgrade_database(installation, db)
        assert db.current_revision() == "9999"
    finally:
        db.dispose()

    [listed] = list_sets(installation.backup_dir)
    assert listed.manifest is not None
    assert report.backup_id == listed.id
    assert (report.from_revision, report.to_revision) == (HEAD, "9999")
    assert listed.manifest.kind == BackupKind.PRE_UPGRADE
    assert listed.manifest.schema_revision == HEAD
    assert listed.manifest.tables["invoices"] == 1


def test_nothing_is_backed_up_when_there_is_nothing_to_upgrade(installation: Settings) -> None:
    db = open_database(installation.effective_database_url())
    try:
        report = upgrade_database(installation, db)
    finally:
        db.dispose()
    assert report.backup_id is None
    assert list_sets(installation.backup_dir) == []


def test_a_new_database_is_created_without_a_backup(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data", backup={"dir": tmp_path / "backups"})
    db = open_database(settings.effective_database_url())
    try:
        report = upgrade_database(settings, db)
    finally:
        db.dispose()
    assert (report.from_revision, report.to_revision, report.backup_id) == (None, HEAD, None)


def test_a_failing_step_leaves_the_old_schema_and_the_old_version_working(
    installation: Settings, tmp_path: Path
) -> None:
    db = opened_with(installation, migrations_with_step(tmp_path / "m", fails=True))
    try:
        with pytest.raises(UpgradeFailed, match=f"the schema is still at {HEAD}") as raised:
            upgrade_database(installation, db)
        assert db.current_revision() == HEAD
        tables = inspect(db.engine)
        assert "upgrade_probe" not in tables.get_table_names()
        assert "probe" not in {column["name"] for column in tables.get_columns("tenants")}
    finally:
        db.dispose()
    assert "third step of the migration failed" in raised.value.message

    services = build_services(installation)
    try:
        services.intake.receive(installation.default_tenant, invoice_pdf(2), arrival())
        assert run_pending(services.queue, services.processor) == 1
    finally:
        services.close()
    [listed] = list_sets(installation.backup_dir)
    assert listed.id in raised.value.message


def test_when_the_backup_fails_the_database_is_not_upgraded(
    installation: Settings, tmp_path: Path
) -> None:
    installation.backup_dir.parent.mkdir(parents=True, exist_ok=True)
    installation.backup_dir.write_text("not a folder")
    db = opened_with(installation, migrations_with_step(tmp_path / "m", fails=False))
    try:
        with pytest.raises(UpgradeBackupFailed, match="--no-backup"):
            upgrade_database(installation, db)
        assert db.current_revision() == HEAD
    finally:
        db.dispose()
    assert backup_status(installation).failing


def test_without_a_backup_when_asked(installation: Settings, tmp_path: Path) -> None:
    db = opened_with(installation, migrations_with_step(tmp_path / "m", fails=False))
    try:
        report = upgrade_database(installation, db, backup=False)
        assert db.current_revision() == "9999"
    finally:
        db.dispose()
    assert report.backup_id is None
    assert list_sets(installation.backup_dir) == []


def test_an_upgrade_backs_up_the_shared_layout_then_moves_it_into_tenant_folders(
    installation: Settings, tmp_path: Path
) -> None:
    share_tenant_files(installation.documents_dir)
    shared = files_under(installation.documents_dir)
    db = opened_with(installation, migrations_with_step(tmp_path / "m", fails=False))
    try:
        report = upgrade_database(installation, db)
    finally:
        db.dispose()

    assert report.documents_moved == len(shared) >= 2
    assert not has_shared_files(installation.documents_dir)
    tenant = installation.default_tenant
    assert files_under(installation.documents_dir) == {
        f"{tenant}/{name}": data for name, data in shared.items()
    }
    [listed] = list_sets(installation.backup_dir)
    assert listed.manifest is not None
    entries = read_documents_index(
        BackupFolder(installation.backup_dir).set_dir(listed.id)
        / listed.manifest.documents_index.file
    )
    assert sorted(entry.path for entry in entries) == sorted(shared), "backed up as they were"


def test_a_move_that_cannot_finish_stops_the_start_and_the_next_one_finishes_it(
    installation: Settings,
) -> None:
    share_tenant_files(installation.documents_dir)
    shared = files_under(installation.documents_dir)
    in_the_way = installation.documents_dir / installation.default_tenant
    in_the_way.write_bytes(b"not a folder")

    with pytest.raises(DocumentsNotMoved, match="still under its shared or its tenant's name"):
        build_services(installation).close()
    in_the_way.unlink()
    assert files_under(installation.documents_dir) == shared

    services = build_services(installation)
    try:
        files = services.files.tenant(installation.default_tenant)
        assert files.get(sha256_hex(invoice_pdf(1))) == invoice_pdf(1)
    finally:
        services.close()
    assert not has_shared_files(installation.documents_dir)
