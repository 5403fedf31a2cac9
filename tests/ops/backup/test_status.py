"""The backup status that health checks, metrics and alerts read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from nex_automat.ops.backup import BackupStatus, backup_status
from nex_automat.ops.backup.create import create_backup
from nex_automat.ops.backup.manifest import BackupKind
from nex_automat.ops.backup.status import record_failure, record_success, status_file
from nex_automat.ops.config import Settings, load_settings

from .sites import opened

MOMENT = datetime(2026, 11, 30, 2, 0, 12, tzinfo=UTC)


def settings_in(tmp_path: Path) -> Settings:
    return load_settings(tmp_path / "data")


def test_an_installation_that_never_backed_up_has_an_empty_status(tmp_path: Path) -> None:
    status = backup_status(settings_in(tmp_path))
    assert status == BackupStatus()
    assert not status.failing


def test_a_success_and_a_later_failure_are_both_kept(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    record_success(settings, "20261130T020000Z", MOMENT, 123_456)
    record_failure(settings, MOMENT + timedelta(days=1), "backup_tool_failed: pg_dump failed")

    status = backup_status(settings)

    assert status.last_success_at == MOMENT
    assert status.last_success_bytes == 123_456
    assert status.last_success_id == "20261130T020000Z"
    assert status.last_failure_at == MOMENT + timedelta(days=1)
    assert status.last_error == "backup_tool_failed: pg_dump failed"
    assert status.failing


def test_a_success_after_a_failure_ends_the_failing(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    record_failure(settings, MOMENT, "backup_failed: disk full")
    record_success(settings, "20261201T020000Z", MOMENT + timedelta(days=1), 1)

    status = backup_status(settings)

    assert not status.failing
    assert status.last_error == "backup_failed: disk full"


def test_a_damaged_status_file_reads_as_no_record(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    status_file(settings).parent.mkdir(parents=True)
    status_file(settings).write_text("{not json")
    assert backup_status(settings) == BackupStatus()


def test_without_a_record_the_newest_set_in_the_backup_folder_counts(site: Settings) -> None:
    with opened(site) as db:
        manifest = create_backup(site, db, kind=BackupKind.MANUAL)
    status_file(site).unlink(missing_ok=True)

    status = backup_status(site)

    assert status.last_success_at == manifest.finished_at
    assert status.last_success_bytes == manifest.total_bytes
    assert status.last_success_id == manifest.id
